// Builtins whose behaviour depends on the host (files, command lookup) or on vnet choices.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cat, echo, parseDuration, printf, test as testB } from '../../src/shell/builtins.ts';
import { FakeHost, fakeRun } from '../../src/shell/fakehost.ts';

function io(stdin = ''): { out: string; err: string; io: Parameters<typeof echo>[1] } {
  const r = { out: '', err: '', io: undefined as unknown as Parameters<typeof echo>[1] };
  r.io = { out: (t) => { r.out += t; }, err: (t) => { r.err += t; }, prefix: 'p: ', readStdin: () => stdin };
  return r;
}

describe('pure builtins (reusable by a host for `ip netns exec NS echo ...`)', () => {
  it('echo', () => {
    const r = io();
    assert.equal(echo(['-ne', 'a\\tb\\c', 'x'], r.io), 0);
    assert.equal(r.out, 'a\tb');
  });
  it('printf', () => {
    const r = io();
    printf(['%02x:%s|', '10', 'a', '255'], r.io);
    assert.equal(r.out, '0a:a|ff:|');
  });
  it('test', () => {
    const fs = { exists: (p: string) => p === '/x', isDir: () => false, size: () => 1, varSet: () => false };
    assert.equal(testB('[', ['-f', '/x', ']'], io().io, fs), 0);
    assert.equal(testB('test', ['-d', '/x'], io().io, fs), 1);
  });
  it('cat reads stdin for no file or -', () => {
    const r = io('in\n');
    cat(['-n', '-'], r.io, () => ({ ok: false, message: 'x' }));
    assert.equal(r.out, '     1\tin\n');
  });
  it('durations', () => {
    assert.equal(parseDuration('1.5'), 1.5);
    assert.equal(parseDuration('2m'), 120);
    assert.equal(parseDuration('.5h'), 1800);
    assert.equal(parseDuration('1d'), 86400);
    assert.equal(parseDuration('inf'), Infinity);
    assert.equal(parseDuration('1x'), undefined);
    assert.equal(parseDuration('-1'), undefined);
  });
});

describe('command lookup', () => {
  it('command -v / -V and type use host.which', () => {
    const r = fakeRun([
      'f() { echo x; }',
      'command -v echo quick f if nosuch; echo $?',
      'command -V quick; type -t echo quick if f; type nosuch; echo $?',
      'command quick via-command',
    ].join('\n'), { scriptName: 's' });
    assert.equal(r.stdout, 'echo\n/usr/bin/quick\nf\nif\n0\nquick is /usr/bin/quick\nbuiltin\nfile\nkeyword\nfunction\n1\nvia-command\n');
    assert.equal(r.stderr, 's: line 3: type: nosuch: not found\n');
  });
  it('command bypasses a function of the same name', () => {
    const r = fakeRun('quick() { echo wrapped; command quick "$@"; }\nquick a');
    assert.equal(r.stdout, 'wrapped\na\n');
  });
});

describe('files and directories', () => {
  it('cd, pwd, $PWD, cd - and errors', () => {
    const host = new FakeHost();
    host.files.set('/tmp/file', 'x');
    const r = fakeRun('pwd; cd /tmp; pwd; echo $PWD; cd ..; cd -; cd /nope; cd /tmp/file; cd; pwd', { host, scriptName: 's' });
    assert.equal(r.stdout, '/\n/tmp\n/tmp\n/tmp\n/root\n');
    assert.equal(r.stderr, 's: line 1: cd: /nope: No such file or directory\ns: line 1: cd: /tmp/file: Not a directory\n');
  });
  it('test -e/-f/-d/-s through the host', () => {
    const host = new FakeHost();
    host.files.set('/tmp/full', 'x').set('/tmp/empty', '');
    const r = fakeRun('for p in /tmp /tmp/full /tmp/empty /nope; do [ -e $p ] && echo -n e; [ -f $p ] && echo -n f; [ -d $p ] && echo -n d; [ -s $p ] && echo -n s; echo " $p"; done', { host });
    assert.equal(r.stdout, 'eds /tmp\nefs /tmp/full\nef /tmp/empty\n /nope\n');
  });
  it('$(< file), source and . with arguments', () => {
    const host = new FakeHost();
    host.files.set('/tmp/lib.sh', 'greet() { echo "hi $1"; }\nV=$1\nreturn 3\necho never\n').set('/tmp/v', 'val\n');
    const r = fakeRun('x=$(< /tmp/v); echo "[$x]"\n. /tmp/lib.sh arg; echo "st=$? V=$V"\ngreet you\nsource /nope; echo $?', { host, scriptName: 's' });
    assert.equal(r.stdout, '[val]\nst=3 V=arg\nhi you\n1\n');
    assert.equal(r.stderr, 's: line 4: /nope: No such file or directory\n');
  });
});

describe('misc', () => {
  it('time reports virtual time in bash\'s format', () => {
    const r = fakeRun('time slow 2\ntime -p sleep 61.5\ntime');
    assert.equal(r.stderr, '\nreal\t0m2.000s\nuser\t0m0.000s\nsys\t0m0.000s\nreal 61.50\nuser 0.00\nsys 0.00\n\nreal\t0m0.000s\nuser\t0m0.000s\nsys\t0m0.000s\n');
  });
  it('shopt -s nullglob, disown', () => {
    const r = fakeRun('shopt -s nullglob; echo /nope/* end; shopt -q nullglob && echo on\nforever & disown; jobs; echo "[$!]"');
    assert.equal(r.stdout, 'end\non\n[100]\n');
  });
  it('exec runs a command and exits with its status', () => {
    const r = fakeRun('exec fail 6\necho never');
    assert.equal(r.stdout, '');
    assert.equal(r.status, 6);
  });
  it('arrays are rejected with a clear message', () => {
    const r = fakeRun('a=(1 2)\necho after', { scriptName: 's' });
    assert.equal(r.stderr, "s: line 1: syntax error: array assignment `a=(...)' is not supported by vnet\ns: line 1: `a=(1 2)'\n");
    assert.equal(r.status, 2);
  });
  it('$RANDOM is reproducible, $SECONDS follows virtual time', () => {
    const a = fakeRun('echo $RANDOM $RANDOM; sleep 65; echo $SECONDS');
    const b = fakeRun('echo $RANDOM $RANDOM; sleep 65; echo $SECONDS');
    assert.equal(a.stdout, b.stdout);
    assert.match(a.stdout, /^\d+ \d+\n65\n$/);
  });
  it('errors inside (( )) and $(( )) text never escape as exceptions', () => {
    const r = fakeRun('(( ${ ))\necho $(( ${ ))\n&>${}\ncase ${x!} in *) ;; esac\necho end', { scriptName: 's' });
    assert.equal(r.stdout, 'end\n');
    assert.doesNotMatch(r.stderr, /internal error/);
  });
});
