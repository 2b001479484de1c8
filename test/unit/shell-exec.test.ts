// Execution against a fake host: external commands, files, records, expansion corner cases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeHost, fakeRun } from '../../src/shell/fakehost.ts';
import { Shell } from '../../src/shell/index.ts';

describe('external commands', () => {
  it('spawns with argv after expansion, env, netns and stdin', () => {
    const r = fakeRun('X=1; export Y=2\nZ=3 quick "a b" $X\necho in | xcat\ngetenv Y', { netns: 'ns1', env: { LAB: 'x' } });
    assert.equal(r.stdout, 'a b 1\nin\n2\n');
    const q = r.host.log[0];
    assert.deepEqual(q.argv, ['quick', 'a b', '1']);
    assert.equal(q.netns, 'ns1');
    assert.equal(q.env.get('Z'), '3');
    assert.equal(q.env.get('Y'), '2');
    assert.equal(q.env.get('LAB'), 'x');
    assert.equal(q.env.has('X'), false);
    assert.equal(r.host.log[1].stdin, 'in\n');
  });
  it('unknown commands are the host\'s business (127)', () => {
    const r = fakeRun('nosuch a; echo $?');
    assert.equal(r.stderr, 'nosuch: command not found\n');
    assert.equal(r.stdout, '127\n');
  });
  it('waits in virtual time for slow commands', () => {
    const r = fakeRun('slow 3; echo done');
    assert.equal(r.stdout, 'slow 3 done\ndone\n');
    assert.equal(r.host.now(), 3e9);
  });
  it('a foreground command that can never finish is interrupted, never hangs', () => {
    const r = fakeRun('forever; echo "st=$?"\nstubborn; echo "st=$?"', { scriptName: 's' });
    assert.equal(r.stdout, 'st=130\nst=137\n');
    assert.match(r.stderr, /s: line 1: forever: still running with nothing left to happen; interrupted \(SIGINT\)/);
    assert.match(r.stderr, /s: line 2:\s+\d+ Killed\s+stubborn\n/);
  });
  it('a foreground command with endless activity stops at the wait cap', () => {
    const r = fakeRun('chatter; echo "st=$?"', { maxWaitSeconds: 5 });
    assert.equal(r.stdout, 'chatter 1\nchatter 2\nchatter 3\nchatter 4\nchatter 5\nst=130\n');
  });
});

describe('redirections go to the host filesystem', () => {
  it('>, >>, <, 2>, &>, 2>&1 and here-docs', () => {
    const r = fakeRun([
      'echo one > /tmp/f', 'echo two >> /tmp/f', 'xcat < /tmp/f',
      'both 2> /tmp/e; cat /tmp/e', 'both &> /tmp/all; cat /tmp/all', 'both > /tmp/o 2>&1; cat /tmp/o',
      'both 2>&1 >/dev/null', 'xcat <<EOF > /tmp/h\nx=$((1+1))\nEOF', 'cat /tmp/h',
    ].join('\n'));
    assert.equal(r.stdout, 'one\ntwo\nout\nerr\nout\nerr\nout\nerr\nerr\nx=2\n');
    assert.equal(r.host.files.get('/tmp/f'), 'one\ntwo\n');
  });
  it('one host write per echo into /proc/sys, relative paths use cwd', () => {
    const r = fakeRun('echo 1 > /proc/sys/net/ipv4/ip_forward\ncd /tmp; echo x > rel', { netns: 'ns2' });
    assert.deepEqual(r.host.writes, [
      { netns: 'ns2', path: '/proc/sys/net/ipv4/ip_forward', data: '1\n', append: false },
      { netns: 'ns2', path: '/tmp/rel', data: 'x\n', append: false },
    ]);
  });
  it('an empty redirection still creates/truncates the file', () => {
    const r = fakeRun('echo old > /tmp/t\n: > /tmp/t\ntrue >> /tmp/new');
    assert.equal(r.host.files.get('/tmp/t'), '');
    assert.equal(r.host.files.get('/tmp/new'), '');
  });
  it('errors are reported like bash and the command does not run', () => {
    const r = fakeRun('echo x > /nodir/f; echo "st=$?"\ncat < /nope; echo "st=$?"\necho 2 > /proc/sys/net/ipv4/ip_forward; echo "st=$?"\necho > /tmp', { scriptName: 's.sh' });
    assert.equal(r.stdout, 'st=1\nst=1\nst=1\n');
    assert.equal(r.stderr, [
      's.sh: line 1: /nodir/f: No such file or directory',
      's.sh: line 2: /nope: No such file or directory',
      's.sh: line 3: echo: write error: Invalid argument',
      's.sh: line 4: /tmp: Is a directory', '',
    ].join('\n'));
  });
  it('/dev/null is handled by the shell, never the host', () => {
    const r = fakeRun('both >/dev/null 2>/dev/null; cat /dev/null < /dev/null');
    assert.equal(r.stdout + r.stderr, '');
    assert.deepEqual(r.host.writes, []);
  });
  it('cat reports missing files with coreutils wording', () => {
    const r = fakeRun('echo hi > /tmp/a; cat /nonexist /tmp/a; echo "st=$?"');
    assert.equal(r.stdout, 'hi\nst=1\n');
    assert.equal(r.stderr, 'cat: /nonexist: No such file or directory\n');
  });
});

describe('globbing through host.listDir', () => {
  it('expands matches sorted, keeps the word when nothing matches', () => {
    const host = new FakeHost();
    host.dirs.add('/sys/class/net/eth0').add('/sys/class/net/lo').add('/sys/class/net/veth1');
    host.files.set('/sys/class/net/eth0/address', 'x').set('/sys/class/net/veth1/address', 'y');
    host.files.set('/tmp/.hidden', '').set('/tmp/a.txt', '').set('/tmp/b.txt', '');
    const r = fakeRun([
      'echo /sys/class/net/*', 'echo /sys/class/net/*/address', 'echo /sys/class/net/[ev]*',
      'echo /nomatch/* "/tmp/*" /tmp/?.txt', 'cd /tmp; echo *', 'echo .*',
    ].join('\n'), { host });
    assert.equal(r.stdout, [
      '/sys/class/net/eth0 /sys/class/net/lo /sys/class/net/veth1',
      '/sys/class/net/eth0/address /sys/class/net/veth1/address',
      '/sys/class/net/eth0 /sys/class/net/veth1',
      '/nomatch/* /tmp/* /tmp/a.txt /tmp/b.txt', 'a.txt b.txt', '.hidden', '',
    ].join('\n'));
  });
});

describe('records', () => {
  it('one per executed top-level command with line, text, exit and output', () => {
    const r = fakeRun('# c\necho a; both\nquick x \\\n  y\n\nfalse && echo no\nif true; then\n  echo in\nfi\nf() { echo f; }\n');
    assert.deepEqual(r.records.map(({ line, command, exit, stdout, stderr, background }) => ({ line, command, exit, stdout, stderr, background })), [
      { line: 2, command: 'echo a', exit: 0, stdout: 'a\n', stderr: '', background: false },
      { line: 2, command: 'both', exit: 3, stdout: 'out\n', stderr: 'err\n', background: false },
      { line: 3, command: 'quick x \\\n  y', exit: 0, stdout: 'x y\n', stderr: '', background: false },
      { line: 6, command: 'false && echo no', exit: 1, stdout: '', stderr: '', background: false },
      { line: 7, command: 'if true; then\n  echo in\nfi', exit: 0, stdout: 'in\n', stderr: '', background: false },
      { line: 10, command: 'f() { echo f; }', exit: 0, stdout: '', stderr: '', background: false },
    ]);
  });
  it('no records after set -e stopped the script; the failing one has its status', () => {
    const r = fakeRun('set -e\necho a\nfail 4\necho never');
    assert.deepEqual(r.records.map((x) => [x.command, x.exit]), [['set -e', 0], ['echo a', 0], ['fail 4', 4]]);
    assert.equal(r.status, 4);
  });
  it('streams output live and reports records when complete', () => {
    const events: string[] = [];
    const sh = new Shell(new FakeHost(), {
      onOutput: (fd, t) => events.push(`${fd}:${t.trim()}`),
      onRecord: (rec) => events.push(`rec:${rec.command}`),
    });
    sh.runScript('echo a\nslow 1 &\necho b\nsleep 2');
    assert.deepEqual(events, ['1:a', 'rec:echo a', '1:b', 'rec:echo b', '1:slow 1 done', 'rec:slow 1', 'rec:sleep 2']);
  });
  it('exit stops the script with its status', () => {
    const r = fakeRun('echo a; exit 3; echo b\necho c');
    assert.equal(r.stdout, 'a\n');
    assert.equal(r.status, 3);
    assert.deepEqual(r.records.map((x) => x.exit), [0, 3]);
  });
  it('an arithmetic error discards the rest of the line and the script goes on', () => {
    const r = fakeRun('x=$((1/0)); echo same-line\necho next $?', { scriptName: 's' });
    assert.equal(r.stdout, 'next 1\n');
    assert.equal(r.stderr, 's: line 1: 1/0: division by 0 (error token is "0")\n');
    assert.deepEqual(r.records.map((x) => [x.command, x.exit]), [['x=$((1/0))', 1], ['echo next $?', 0]]);
  });
  it('the EXIT trap runs at the end as a record on line 0', () => {
    const r = fakeRun('trap "echo bye" EXIT\necho hi\nexit 2');
    assert.equal(r.stdout, 'hi\nbye\n');
    assert.equal(r.status, 2);
    assert.deepEqual(r.records.at(-1), { line: 0, command: 'echo bye', exit: 0, stdout: 'bye\n', stderr: '', background: false });
  });
});

describe('set -e with external commands', () => {
  it('follows bash\'s exceptions', () => {
    const r = fakeRun([
      'set -e',
      'fail || echo or-ok',
      'fail && echo no',
      'if fail; then :; else echo if-ok; fi',
      'while fail; do :; done',
      '! quick neg',
      'fail | quick piped',
      'echo reached',
      'quick x | fail 5',
      'echo never',
    ].join('\n'));
    assert.equal(r.stdout, 'or-ok\nif-ok\nneg\npiped\nreached\n');
    assert.equal(r.status, 5);
  });
});

describe('pipelines', () => {
  it('run stage by stage, status of the last, pipefail, negation', () => {
    const r = fakeRun('quick a | xcat | xcat; echo $?\nfail 3 | quick x; echo $?\nset -o pipefail; fail 3 | quick y; echo $?\n! fail | fail; echo $?');
    assert.equal(r.stdout, 'a\n0\nx\n0\ny\n3\n0\n');
  });
  it('|& sends stderr into the pipe too', () => {
    const r = fakeRun('both |& xcat > /tmp/p; cat /tmp/p');
    assert.equal(r.stdout, 'out\nerr\n');
  });
  it('each stage is a subshell', () => {
    const r = fakeRun('x=1; x=2 | x=3; echo $x; echo hi | read v; echo "[$v]"');
    assert.equal(r.stdout, '1\n[]\n');
  });
  it('while read consumes stdin line by line', () => {
    const r = fakeRun('printf "a 1\\nb 2\\n" | while read n v; do echo "$v=$n"; done');
    assert.equal(r.stdout, '1=a\n2=b\n');
  });
});

describe('safety limits', () => {
  it('loops stop at the iteration cap with a clear message', () => {
    const r = fakeRun('while true; do :; done; echo same-line\necho next', { maxLoopIterations: 50, scriptName: 's' });
    assert.equal(r.stdout, 'next\n');
    assert.equal(r.stderr, "s: line 1: while: loop stopped after 50 iterations (vnet's safety limit)\n");
  });
  it('runaway recursion stops at the function depth limit', () => {
    const r = fakeRun('f() { f; }\nf\necho after', { maxFuncDepth: 30, scriptName: 's' });
    assert.equal(r.stdout, 'after\n');
    assert.equal(r.stderr, 's: line 1: f: maximum function nesting level exceeded (30)\n');
  });
});

describe('interactive runLine', () => {
  it('keeps variables, functions and jobs between lines', () => {
    let out = '';
    const sh = new Shell(new FakeHost(), { scriptName: 'bash', onOutput: (fd, t) => { out += `${fd}:${t}`; } });
    assert.equal(sh.runLine('x=5; f() { echo "f$1"; }'), 0);
    assert.equal(sh.runLine('f $x'), 0);
    assert.equal(sh.runLine('echo )'), 2);
    assert.equal(sh.runLine('slow 2 &'), 0);
    assert.equal(sh.runLine('sleep 3'), 0);
    assert.equal(sh.runLine('kill %1'), 1);
    assert.equal(sh.runLine('exit 4'), 4);
    assert.equal(sh.exited, true);
    assert.equal(out, [
      '1:f5\n',
      "2:bash: syntax error near unexpected token `)'\n",
      '2:[1] 100\n',
      '1:slow 2 done\n',
      '2:[1]+  Done                    slow 2\n',
      '2:bash: kill: %1: no such job\n',
      '2:exit\n',
    ].join(''));
  });
});
