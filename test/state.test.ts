/**
 * Saved labs round-trip exactly: the same commands after a load print byte-identical output to
 * the same commands in the session that never saved (timers in flight included: background pings,
 * ARP and FDB ageing, STP, random MACs). Bad files are refused and leave the lab untouched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabSession, worldText } from '../src/index.ts';
import { labDigest } from '../src/state/digest.ts';
import { sha256Hex } from '../src/state/sha256.ts';

const out = (r: { records: { stdout: string; stderr: string; exit: number; command: string }[] }): string =>
  r.records.map((x) => `$ ${x.command}\n${x.stdout}${x.stderr}[${x.exit}]\n`).join('');

function fresh(world = 'default', seed = 3): LabSession {
  const s = new LabSession({ seed });
  s.runWorld(worldText(world));
  return s;
}

function load(text: string): LabSession {
  const r = LabSession.load(text);
  if (!r.ok) assert.fail(r.error);
  return r.session;
}

/** Runs interactive lines, returning everything they printed. */
function lines(s: LabSession, ls: string[]): string {
  let o = '';
  s.onLineOutput = (fd, t) => { o += t; };
  for (const l of ls) { const st = s.runLine(l); o += `[${st}]\n`; }
  s.onLineOutput = null;
  return o;
}

const A = `ip link add br0 type bridge stp_state 1 forward_delay 4
ip link set br0 up
ip netns add h1
ip netns add h2
ip link add v1 type veth peer name e1 netns h1
ip link add v2 type veth peer name e2 netns h2
ip link set v1 master br0
ip link set v2 master br0
ip link set v1 up
ip link set v2 up
ip -n h1 link set e1 up
ip -n h2 link set e2 up
ip -n h1 addr add 198.51.100.1/24 dev e1
ip -n h2 addr add 198.51.100.2/24 dev e2
sleep 3
bridge link
ping -c 1 192.0.2.20
`;
// Run after the save: STP still in learning/forwarding transitions, ARP entries going stale,
// FDB entries ageing out, and a random MAC drawn from the generator.
const B = `bridge link
sleep 6
bridge link
ip netns exec h1 ping -c 2 198.51.100.2
bridge -s fdb show br br0
ip -s neigh
ip link add m0 link eth0 type macvlan
ip link show m0
sleep 40
ip neigh
ip -n h1 neigh
bridge link set dev v1 cost 7
ip link set br0 type bridge ageing_time 1000
sleep 11
bridge -s fdb show br br0
dmesg | tail -3
`;

test('a lab saved between scripts continues byte-identically after a load', () => {
  const s1 = fresh();
  s1.runScript(A, { name: 'A' });
  const saved = s1.save();
  const cont = out(s1.runScript(B, { name: 'B' }));
  const s2 = load(saved);
  assert.equal(s2.save(), saved, 'a loaded lab saves to the same file');
  const after = out(s2.runScript(B, { name: 'B' }));
  assert.equal(after, cont);
  assert.match(cont, /m0@eth0/);
  assert.match(cont, /learning|forwarding/);
});

test('interactive session with a background ping in flight round-trips', () => {
  const pre = ['ping -i 0.5 192.0.2.20 > /tmp/p.txt &', 'X=41', 'sleep 2', 'ip netns add n1', 'ip netns exec n1 bash', 'ip link set lo up'];
  const post = ['ip addr show lo', 'exit', 'echo $((X+1))', 'sleep 3', 'jobs', 'kill %1', 'wait', 'tail -4 /tmp/p.txt', 'ip neigh'];
  const s1 = fresh();
  lines(s1, [...pre, 'vnet save /root/s']);
  const text = s1.fs.read('', '/root/s');
  assert.ok(text.ok);
  const cont = lines(s1, post);
  const s2 = load(text.value);
  const after = lines(s2, post);
  assert.equal(after, cont);
  assert.match(cont, /^42$/m);
  assert.match(cont, /Running|ping -i 0.5/);
  assert.match(cont, /packets transmitted/);
});

test('a save made in the middle of a script stops the replay at that command', () => {
  const P = 'ip link add d0 type veth peer name d1\nip link set d0 up\nping -c 1 192.0.2.1\n';
  const s1 = fresh();
  s1.runScript(P + 'vnet save /tmp/mid\nip link del d0\nip link add zz type bridge\nsleep 100\n', { name: 'P' });
  const text = s1.fs.read('', '/tmp/mid');
  assert.ok(text.ok);
  const s2 = load(text.value);
  const ref = fresh();
  ref.runScript(P + 'vnet save /tmp/mid\n', { name: 'P' });
  const Q = 'ip -br link\nls /tmp\nip link add m1 link eth0 type macvlan\nip link show m1\nsleep 5\nip neigh\n';
  assert.equal(out(s2.runScript(Q)), out(ref.runScript(Q)));
  assert.equal(s2.fs.read('', '/tmp/mid').ok, true, 'the saved file itself is part of the loaded lab');
});

test('vnet load inside the lab restores a snapshot, and a later save reproduces that too', () => {
  const s1 = fresh();
  lines(s1, ['ip link add a0 type veth peer name a1', 'vnet save /snap']);
  const mut = lines(s1, ['ip link del a0', 'ip link add b0 type bridge', 'sleep 7', 'vnet load /snap', 'ip -br link']);
  assert.match(mut, /a0@a1/);
  assert.doesNotMatch(mut, /b0/);
  const ref = fresh();
  lines(ref, ['ip link add a0 type veth peer name a1', 'vnet save /snap']);
  const post = ['sleep 2', 'ip -br link', 'ip link add m2 link eth0 type macvlan', 'ip link show m2', 'ip neigh'];
  lines(s1, ['vnet save /snap2']);
  const snap2 = s1.fs.read('', '/snap2');
  assert.ok(snap2.ok);
  const a = lines(s1, post);
  assert.equal(a, lines(ref, post));
  assert.equal(lines(load(snap2.value), post), a, 'a save made after an in-lab load reproduces');
});

function reheader(text: string, f: (h: Record<string, unknown>, body: string) => [Record<string, unknown>, string]): string {
  const nl = text.indexOf('\n');
  const [h, body] = f(JSON.parse(text.slice(0, nl)), text.slice(nl + 1));
  return JSON.stringify(h) + '\n' + body;
}

test('truncated, corrupted, newer-version and non-reproducing files are refused; the lab is untouched', () => {
  const s1 = fresh();
  s1.runScript('ip link add t0 type bridge\n');
  const good = s1.save();
  const bad: [string, string, RegExp][] = [
    ['empty', '', /not a vnet state file/],
    ['not json', 'hello\n', /not a vnet state file/],
    ['truncated', good.slice(0, Math.floor(good.length / 2)), /damaged: checksum mismatch/],
    ['header only', good.slice(0, good.indexOf('\n')), /truncated/],
    ['corrupted', good.replace('"seed": 3', '"seed": 4'), /damaged: checksum mismatch/],
    ['newer', reheader(good, (h, b) => [{ ...h, version: 2 }, b]), /newer vnet \(state format version 2; this vnet reads version 1\)/],
    ['bad version', reheader(good, (h, b) => [{ ...h, version: 'x' }, b]), /unknown state format version/],
    ['bad shape', reheader(good, (h) => { const b = '{"options":{}}\n'; return [{ ...h, sha256: sha256Hex(b) }, b]; }), /damaged: bad "options"/],
    ['does not reproduce', reheader(good, (h, b) => {
      const nb = b.replace(/"time": \d+/, '"time": 1');
      return [{ ...h, sha256: sha256Hex(nb) }, nb];
    }), /does not reproduce: time: 1 ≠ \d+/],
  ];
  // The lab that refuses the files, and a reference that runs a harmless command instead each
  // time: the refusals must leave exactly the reference's lab (the command itself takes time).
  const target = fresh();
  const ref = fresh();
  target.runScript('ip link add keep0 type veth peer name keep1\n');
  ref.runScript('ip link add keep0 type veth peer name keep1\n');
  const lab = target.lab;
  for (const [what, text, re] of bad) {
    const r = LabSession.load(text, 'state file F');
    assert.equal(r.ok, false, what);
    if (!r.ok) assert.match(r.error, re, what);
    target.fs.write('', '/bad', text, false);
    ref.fs.write('', '/bad', text, false);
    let err = '';
    target.onLineOutput = (_fd, t) => { err += t; };
    const st = target.runLine('vnet load /bad');
    target.onLineOutput = null;
    ref.runLine('ip -V >/dev/null');
    assert.equal(st, 1, what);
    assert.match(err, re, what);
    assert.equal(target.lab, lab, what);
  }
  assert.deepEqual(labDigest(target.lab, target.fs), labDigest(ref.lab, ref.fs));
  assert.match(lines(target, ['ip -br link show keep0']), /keep0@keep1/);
});

const CLI = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');
const TSX = join(import.meta.dirname, '..', 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');
function vnet(cwd: string, ...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', TSX, CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('vnet run --state continues a lab across runs and writes the file atomically', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vnet-state-'));
  writeFileSync(join(dir, 'a.sh'), A);
  writeFileSync(join(dir, 'b.sh'), B);
  const r1 = vnet(dir, 'run', '--state', 'lab.state', 'a.sh');
  assert.equal(r1.status, 0, r1.stderr);
  const first = readFileSync(join(dir, 'lab.state'), 'utf8');
  const r2 = vnet(dir, 'run', '--state', 'lab.state', '--json', 'b.sh');
  assert.equal(r2.status, 0, r2.stderr);
  // The same two scripts in one library session.
  const s = fresh('default', 1);
  s.runScript(A, { name: 'a.sh' });
  const ref = s.runScript(B, { name: 'b.sh' }).records.map((x) => JSON.stringify({ line: x.line, command: x.command, exit: x.exit, stdout: x.stdout, stderr: x.stderr }) + '\n').join('');
  assert.equal(r2.stdout, ref);
  assert.notEqual(readFileSync(join(dir, 'lab.state'), 'utf8'), first, 'the state moved on');
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp')), [], 'no temporary file left');
  // A damaged file is refused: nothing runs, the file stays as it was.
  const damaged = readFileSync(join(dir, 'lab.state'), 'utf8').slice(0, 500);
  writeFileSync(join(dir, 'lab.state'), damaged);
  const r3 = vnet(dir, 'run', '--state', 'lab.state', 'b.sh');
  assert.equal(r3.status, 2);
  assert.match(r3.stderr, /vnet: state file lab.state: damaged: checksum mismatch/);
  assert.equal(r3.stdout, '');
  assert.equal(readFileSync(join(dir, 'lab.state'), 'utf8'), damaged);
  // A state file where one cannot be written: a clear error, nothing else written.
  const r4 = vnet(dir, 'run', '--state', 'nodir/x.state', 'a.sh');
  assert.equal(r4.status, 2);
  assert.match(r4.stderr, /vnet: cannot write nodir\/x.state: ENOENT/);
  assert.equal(existsSync(join(dir, 'nodir')), false);
});

test('limits are part of the state; a run cut by real time cannot be saved, one cut by virtual time can', () => {
  const s = fresh();
  s.runScript('ip link add x0 type bridge\n');
  s.setLimits({ devices: 12 });
  const r = s.runScript('ip link add x1 type veth peer name x2\nip link add x3 type bridge\n');
  assert.match(r.records[1]!.stderr, /limit reached: devices=12/);
  const saved = s.save();
  const l = load(saved);
  assert.equal(l.lab.limits.devices, 12);
  const more = 'ip link add x4 type bridge\nip -br link\n';
  assert.equal(out(l.runScript(more)), out(s.runScript(more)));

  const v = new LabSession({ seed: 2, limits: { runSeconds: 5 } });
  v.runWorld(worldText('default'));
  assert.equal(v.runScript('ping 192.0.2.1 > /dev/null\n').status, 124);
  const again = load(v.save());
  assert.equal(again.save(), v.save());

  const w = new LabSession({ seed: 2, limits: { wallSeconds: 1 } });
  assert.equal(w.runScript('while true; do :; done\n').status, 124);
  assert.match(w.saveError ?? '', /wall-time limit/);
  assert.throws(() => w.save(), /cannot save the lab: a run was stopped by the wall-time limit/);
  let err = '';
  w.onLineOutput = (_fd, t) => { err += t; };
  assert.equal(w.runLine('vnet save /s'), 1);
  assert.match(err, /vnet: cannot save the lab: a run was stopped by the wall-time limit/);
});

test('vnet shell: loading a lab saved by a script keeps the interactive shell open', () => {
  const s = fresh();
  s.runScript('ip link add k0 type bridge\nvnet save /k\n');
  const o = lines(s, ['ip link del k0', 'vnet load /k', 'ip -br link show k0']);
  assert.equal(s.exited, false);
  assert.match(o, /^k0 /m);
  lines(s, ['exit']);
  assert.equal(s.exited, true);
});

test('a save inside a script with a background job: the job keeps running in the loaded lab', () => {
  const s1 = fresh();
  s1.runScript('ping -i 0.5 192.0.2.20 > /dev/null &\nsleep 2\nvnet save /tmp/bg\nsleep 1\n');
  const text = s1.fs.read('', '/tmp/bg');
  assert.ok(text.ok);
  const s2 = load(text.value);
  const tx = (): number => s2.lab.init.devices.get('eth0')!.stats.txPackets;
  const before = tx();
  const r = s2.runScript('jobs\nsleep 5\n');
  assert.equal(r.records[0]!.stdout, '', 'no shell owns it');
  assert.ok(tx() >= before + 9, 'it still sends an echo every 0.5 s');
});

test('vnet shell --state keeps the shell (variables, jobs) and the lab between sessions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vnet-state-'));
  const run = (input: string): { status: number; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, ['--import', TSX, CLI, 'shell', '--state', 'sh.state'], { cwd: dir, input, encoding: 'utf8' });
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const first = run('ip link add s0 type bridge\nX=5\nping -i 1 192.0.2.20 > /tmp/p &\nsleep 3\n');
  assert.equal(first.status, 0, first.stderr);
  const second = run('echo $X\njobs\nip -br link show s0\nkill %1; wait; tail -2 /tmp/p\n');
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /# 5\n/);
  assert.match(second.stdout, /Running +ping -i 1 192\.0\.2\.20/);
  assert.match(second.stdout, /s0 +DOWN/);
  assert.match(second.stdout, /4 packets transmitted, 4 received/);
});

test('a state file edited into an endless replay is refused at the wall-time limit', () => {
  const s = new LabSession({ seed: 1, limits: { wallSeconds: 1 } });
  s.runScript('echo ok\n');
  const text = reheader(s.save(), (h, b) => {
    const nb = b.replace('"text": "echo ok\\n"', '"text": "while :; do while :; do :; done; done\\n"');
    assert.notEqual(nb, b);
    return [{ ...h, sha256: sha256Hex(nb) }, nb];
  });
  const t0 = Date.now();
  const r = LabSession.load(text, 'lab.state');
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error, /^lab\.state does not reproduce: replaying input 1 took longer than the wall-time limit \(1 s\)$/);
  assert.ok(Date.now() - t0 < 30_000);
});
