// Background jobs, signals and virtual time against the fake host's clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeRun } from '../../src/shell/fakehost.ts';

const sec = 1e9;

describe('sleep', () => {
  it('advances virtual time, with fractions and suffixes', () => {
    const r = fakeRun('sleep 1.5; sleep 0.5s 1m; sleep .25h');
    assert.equal(r.host.now(), (1.5 + 0.5 + 60 + 900) * sec);
    assert.equal(r.status, 0);
  });
  it('lets background commands run meanwhile', () => {
    const r = fakeRun('slow 2 &\nsleep 1; echo mid\nsleep 2; echo end');
    assert.equal(r.stdout, 'mid\nslow 2 done\nend\n');
  });
});

describe('& and wait', () => {
  it('sets $! and $? = 0; wait returns the job status', () => {
    const r = fakeRun('fail 7 &\necho "bg=$? pid=$!"\nwait $!; echo "w=$?"\nslow 1 & wait %1; echo "w=$?"');
    assert.equal(r.stdout, 'bg=0 pid=100\nw=7\nslow 1 done\nw=0\n');
  });
  it('wait with no argument waits for every job, in virtual time', () => {
    const r = fakeRun('slow 3 & slow 1 &\nwait; echo "all $?"');
    assert.equal(r.stdout, 'slow 1 done\nslow 3 done\nall 0\n');
    assert.equal(r.host.now(), 3 * sec);
  });
  it('wait on a job that can never end returns instead of hanging', () => {
    const r = fakeRun('forever &\nwait; echo "w=$?"\nwait %1; echo "w=$?"');
    assert.equal(r.stdout, 'w=0\nw=0\n');
    assert.equal(r.stderr, '');
  });
  it('wait on endless activity gives up at the wait cap', () => {
    const r = fakeRun('chatter > /dev/null &\nwait; echo "w=$?"', { maxWaitSeconds: 10 });
    assert.equal(r.stdout, 'w=0\n');
    assert.equal(r.host.now(), 10 * sec);
  });
  it('a background timer does not carry a stuck foreground wait past the cap', () => {
    const r = fakeRun('sleep 100000 &\nforever; echo "st=$?"', { maxWaitSeconds: 10 });
    assert.equal(r.stdout, 'st=130\n');
    assert.equal(r.host.now(), 10 * sec);
  });
  it('unknown jobs and pids are reported like bash', () => {
    const r = fakeRun('wait %1; echo $?\nwait 123; echo $?\nkill %1; echo $?\nkill 99999; echo $?', { scriptName: 's' });
    assert.equal(r.stdout, '127\n127\n1\n1\n');
    assert.equal(r.stderr, [
      's: line 1: wait: %1: no such job',
      's: line 2: wait: pid 123 is not a child of this shell',
      's: line 3: kill: %1: no such job',
      's: line 4: kill: (99999) - No such process', '',
    ].join('\n'));
  });
  it('compound commands run in the background too', () => {
    const r = fakeRun('(sleep 1; echo one; sleep 1; echo two) &\necho "pid=$!"\nsleep 1.5; echo main\nwait; echo done');
    assert.equal(r.stdout, 'pid=4243\none\nmain\ntwo\ndone\n');
  });
  it('a background job is a subshell', () => {
    const r = fakeRun('x=1\n{ x=2; } &\nwait; echo $x');
    assert.equal(r.stdout, '1\n');
  });
});

describe('kill', () => {
  it('kill %1 and kill $! signal the job; it flushes and exits like tcpdump', () => {
    const r = fakeRun('daemon tick &\nsleep 2.5\nkill %1\nwait %1; echo "st=$?"\ndaemon &\nkill $!; wait $!; echo "st=$?"');
    assert.equal(r.stdout, 'daemon: listening\ndaemon: 2 packets captured\nst=0\ndaemon: listening\ndaemon: 0 packets captured\nst=0\n');
    assert.equal(r.stderr, 'daemon: got TERM\ndaemon: got TERM\n');
  });
  it('default signal handling gives 128+n', () => {
    const r = fakeRun('forever & kill -INT %1; wait %1; echo $?\nforever & kill -s HUP $!; wait; sleep 0; echo $?\nforever & kill -9 %; wait %; echo $?', { scriptName: 's' });
    assert.equal(r.stdout, '130\n0\n137\n');
  });
  it('reports jobs killed by SIGKILL/SIGHUP before the next line, as bash does', () => {
    const r = fakeRun('forever &\nkill -9 %1\nsleep 1\necho done', { scriptName: 's.sh' });
    assert.equal(r.stdout, 'done\n');
    assert.equal(r.stderr, 's.sh: line 3:   100 Killed                  forever\n');
  });
  it('kill -0 tests for existence; unsupported signals are refused', () => {
    const r = fakeRun('forever &\nkill -0 %1; echo $?\nkill -USR1 %1; echo $?\nkill -FOO %1; echo $?', { scriptName: 's' });
    assert.equal(r.stdout, '0\n1\n1\n');
    assert.equal(r.stderr, 's: line 3: kill: SIGUSR1: signal not supported by vnet\ns: line 4: kill: FOO: invalid signal specification\n');
  });
  it('a signalled compound job stops at its next command', () => {
    const r = fakeRun('(sleep 5; echo never) &\nkill %1; wait %1; echo $?');
    assert.equal(r.stdout, '143\n');
  });
});

describe('jobs', () => {
  it('lists jobs with bash\'s marks and states', () => {
    const r = fakeRun('slow 1 &\nforever > /dev/null &\nfail 2 &\nsleep 2\njobs\njobs -p\njobs');
    assert.equal(r.stdout, [
      'slow 1 done',
      '[1]   Done                    slow 1',
      '[2]-  Running                 forever > /dev/null &',
      '[3]+  Exit 2                  fail 2',
      '101',
      '[2]+  Running                 forever > /dev/null &', '',
    ].join('\n'));
  });
});

describe('timeout', () => {
  it('kills the command with TERM after the duration and exits 124', () => {
    const r = fakeRun('timeout 2 forever; echo "st=$?"\ntimeout 5 slow 1; echo "st=$?"\ntimeout 1 daemon; echo "st=$?"');
    assert.equal(r.stdout, 'st=124\nslow 1 done\nst=0\ndaemon: listening\ndaemon: 0 packets captured\nst=124\n');
    assert.equal(r.host.now(), 4 * sec);
  });
  it('-s and -k choose the signal and escalate to KILL', () => {
    const r = fakeRun('timeout -s INT 1 stubborn; echo "st=$?"\ntimeout -k 1 1 stubborn; echo "st=$?"', { scriptName: 's' });
    assert.equal(r.stdout, 'st=137\nst=137\n');
    assert.deepEqual(r.host.log.map((l) => l.argv[0]), ['stubborn', 'stubborn']);
  });
  it('works with the sleep builtin and rejects shell builtins', () => {
    const r = fakeRun('timeout 1 sleep 10; echo "st=$?"\ntimeout 1 cd /; echo "st=$?"');
    assert.equal(r.stdout, 'st=124\nst=127\n');
    assert.equal(r.stderr, "timeout: failed to run command 'cd': No such file or directory\n");
    assert.equal(r.host.now(), 1 * sec);
  });
  it('runs in the background too', () => {
    const r = fakeRun('timeout 3 daemon tick &\nsleep 1; echo main\nwait $!; echo "st=$?"');
    assert.equal(r.stdout, 'daemon: listening\nmain\ndaemon: 3 packets captured\nst=124\n');
  });
});

describe('end of script', () => {
  it('sends TERM to jobs still running and waits for them to flush', () => {
    const r = fakeRun('daemon tick &\nsleep 3\necho end');
    assert.equal(r.stdout, 'daemon: listening\nend\ndaemon: 3 packets captured\n');
    assert.equal(r.records[0].stdout, 'daemon: listening\ndaemon: 3 packets captured\n');
    assert.equal(r.records[0].stderr, 'daemon: got TERM\n');
    assert.equal(r.records[0].exit, 0);
    assert.equal(r.records[0].background, true);
    assert.equal(r.records[0].jobStatus, 0);
    assert.equal(r.status, 0);
  });
  it('escalates to KILL for jobs ignoring TERM, and also after exit', () => {
    const r = fakeRun('stubborn &\nforever &\nexit 3');
    assert.equal(r.status, 3);
    assert.deepEqual(r.records.slice(0, 2).map((x) => x.jobStatus), [137, 143]);
  });
  it('records of background jobs include all they wrote until they ended', () => {
    const r = fakeRun('(echo start; sleep 1; echo later) &\necho fg');
    assert.deepEqual(r.records.map((x) => [x.command, x.stdout]), [['(echo start; sleep 1; echo later)', 'start\n'], ['echo fg', 'fg\n']]);
    const r2 = fakeRun('(echo start; sleep 1; echo later) &\nsleep 2');
    assert.equal(r2.records[0].stdout, 'start\nlater\n');
  });
});
