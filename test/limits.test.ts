/**
 * Limits: hitting one gives a clear error (errno + a message naming the limit and how to raise
 * it) and leaves the lab consistent: nothing half-made, and the lab goes on working.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { LabSession, worldText, DEFAULT_LIMITS, parseLimit, type LabLimits } from '../src/index.ts';
import type { NetBridge } from '../src/core/drivers/bridge/types.ts';

function lab(limits: Partial<LabLimits>, world = 'none'): LabSession {
  const s = new LabSession({ seed: 5, limits });
  s.runWorld(worldText(world));
  return s;
}

function run(s: LabSession, text: string): { status: number; out: { cmd: string; exit: number; stdout: string; stderr: string }[] } {
  const r = s.runScript(text);
  return { status: r.status, out: r.records.map((x) => ({ cmd: x.command, exit: x.exit, stdout: x.stdout, stderr: x.stderr })) };
}

const dmesg = (s: LabSession): string => s.lab.kmsg.map((k) => k.text).join('\n');

test('limit names parse; defaults are the documented ones', () => {
  assert.deepEqual(parseLimit('fdb=10'), ['fdbEntries', 10]);
  assert.deepEqual(parseLimit('run-time=5'), ['runSeconds', 5]);
  assert.match(parseLimit('bogus=1') as string, /unknown limit "bogus"/);
  assert.match(parseLimit('devices=0') as string, /positive integer/);
  assert.match(parseLimit('devices') as string, /expected NAME=NUMBER/);
  assert.equal(DEFAULT_LIMITS.neighbours, 1024, 'the kernel\'s gc_thresh3');
  assert.equal(lab({}).lab.limits.devices, DEFAULT_LIMITS.devices);
});

test('namespaces: past the limit `ip netns add` fails as unshare does with ENOSPC', () => {
  const s = lab({ namespaces: 3 });
  const r = run(s, 'ip netns add a\nip netns add b\nip netns add c\nip netns list\nip netns del a\nip netns add c\nip netns list\n');
  assert.equal(r.out[2]!.exit, 1);
  assert.equal(r.out[2]!.stderr, 'Failed to create a new network namespace "c": No space left on device\n');
  assert.equal(r.out[3]!.stdout, 'b\na\n');
  assert.equal(r.out[5]!.exit, 0, 'freed by deleting one');
  assert.equal(r.out[6]!.stdout, 'c\nb\n');
  assert.match(dmesg(s), /vnet: limit reached: namespaces=3 \(raise it with vnet run --limit namespaces=N\)/);
});

test('devices: a veth pair that would cross the limit is refused whole, ifindexes untouched', () => {
  const s = lab({ devices: 3 });
  const r = run(s, 'ip link add d0 type bridge\nip link add v0 type veth peer name v1\nip -br link\nip link add d1 type bridge\nip link show d1\nip link add d2 type bridge\n');
  assert.equal(r.out[1]!.exit, 2);
  assert.equal(r.out[1]!.stderr, 'Error: vnet: limit reached: devices=3 (raise it with vnet run --limit devices=N).\n');
  assert.doesNotMatch(r.out[2]!.stdout, /v0|v1/);
  // The refused pair consumed no ifindex: d1 gets 3, as if the veth had never been asked for.
  assert.match(r.out[4]!.stdout, /^3: d1:/);
  assert.equal(r.out[5]!.exit, 2);
  assert.equal([...s.lab.init.devices.keys()].join(','), 'lo,d0,d1');
});

test('addresses: refused before anything changes (no address, no prefix route)', () => {
  const s = lab({ addresses: 2 });
  const r = run(s, 'ip link add d0 type bridge\nip addr add 192.0.2.1/24 dev d0\nip addr add 198.51.100.1/24 dev d0\nip addr add 203.0.113.1/24 dev d0\nip -br addr show d0\nip route show table all | grep -c 203.0.113\n');
  assert.equal(r.out[3]!.exit, 2);
  assert.match(r.out[3]!.stderr, /limit reached: addresses=2/);
  assert.equal(r.out[4]!.stdout.trim(), 'd0               DOWN           192.0.2.1/24 198.51.100.1/24');
  assert.equal(r.out[5]!.stdout, '0\n');
});

test('neighbours: gc_thresh3 with the kernel\'s forced GC, PERMANENT entries exempt', () => {
  const s = lab({ neighbours: 8 });
  let text = 'ip link add d0 type bridge\nip link set d0 up\nip addr add 192.0.2.1/24 dev d0\n';
  for (let i = 10; i < 18; i++) text += `ip neigh add 192.0.2.${i} lladdr 02:00:00:00:00:${i} dev d0 nud stale\n`;
  text += 'ip neigh add 192.0.2.30 lladdr 02:00:00:00:00:30 dev d0 nud stale\n';
  text += 'ip neigh add 192.0.2.31 lladdr 02:00:00:00:00:31 dev d0 nud permanent\n';
  text += 'ping -c 1 -W 1 192.0.2.32\n';
  text += 'ip neigh show | wc -l\nsleep 6\nip neigh add 192.0.2.30 lladdr 02:00:00:00:00:30 dev d0 nud stale\nip neigh show | wc -l\n';
  const r = run(s, text);
  const full = r.out.find((x) => x.cmd.includes('192.0.2.30'))!;
  assert.equal(full.exit, 2);
  assert.equal(full.stderr, 'RTNETLINK answers: No buffer space available\n');
  assert.equal(r.out.find((x) => x.cmd.includes('192.0.2.31'))!.exit, 0, 'permanent entries are exempt');
  const ping = r.out.find((x) => x.cmd.startsWith('ping'))!;
  assert.equal(ping.exit, 1);
  assert.match(ping.stdout, /1 packets transmitted, 0 received/);
  assert.match(dmesg(s), /neighbour: arp_cache: neighbor table overflow!/);
  const counts = r.out.filter((x) => x.cmd === 'ip neigh show | wc -l').map((x) => Number(x.stdout));
  assert.equal(counts[0], 9);
  // 5 s later the forced GC frees entries not updated since (down to gc_thresh2 = 4), so it fits.
  const again = r.out.filter((x) => x.cmd.includes('192.0.2.30'))[1]!;
  assert.equal(again.exit, 0);
  assert.equal(counts[1], 4 + 1 + 1);
});

test('fdb: a full bridge stops learning (frames still flood) and refuses user entries with ENOMEM', () => {
  const s = lab({ fdbEntries: 6 }, 'default');
  let text = 'ip link add br1 type bridge\nip link set br1 up\n';
  for (let i = 1; i <= 3; i++) {
    text += `ip netns add h${i}\nip link add p${i} type veth peer name e${i} netns h${i}\nip link set p${i} master br1\nip link set p${i} up\n`;
    text += `ip -n h${i} link set e${i} up\nip -n h${i} addr add 203.0.113.${i}/24 dev e${i}\n`;
  }
  text += 'sleep 3\nip netns exec h1 ping -c 1 203.0.113.2\nip netns exec h1 ping -c 1 203.0.113.3\n';
  text += 'bridge fdb add 02:11:22:33:44:55 dev p1 master static\n';
  const r = run(s, text);
  const br = s.lab.init.devices.get('br1')!.priv as NetBridge;
  assert.equal(br.fdbList.size, 6);
  for (const p of r.out.filter((x) => x.cmd.includes('ping'))) assert.match(p.stdout, /1 received/, 'flooding still delivers');
  const add = r.out[r.out.length - 1]!;
  assert.equal(add.exit, 255);
  assert.equal(add.stderr, 'RTNETLINK answers: Cannot allocate memory\n');
  assert.match(dmesg(s), /limit reached: fdb=6/);
});

test('backlog: frames over the limit are dropped (CPU_BACKLOG, rx_dropped), the lab goes on', () => {
  const s = lab({ backlog: 4 });
  let text = 'ip link add br1 type bridge\nip link set br1 up\nip addr add 203.0.113.254/24 dev br1\n';
  for (let i = 1; i <= 8; i++) text += `ip link add p${i} type veth peer name q${i}\nip link set p${i} master br1\nip link set p${i} up\nip link set q${i} up\n`;
  text += 'sleep 3\nping -c 1 -b 203.0.113.255\nip -s link show q8\n';
  const before = s.lab.counters.dropped;
  run(s, text);
  assert.ok(s.lab.limitState.backlogDropped > 0);
  assert.ok(s.lab.counters.dropped > before);
  assert.match(dmesg(s), /receive backlog full \(4 frames waiting\)/);
  const r2 = run(s, 'ip link add z0 type bridge\nip -br link show z0\n');
  assert.equal(r2.out[1]!.exit, 0);
});

test('run time: a ping without -c is stopped like timeout (124) and the script ends there', () => {
  const s = lab({ runSeconds: 30 }, 'default');
  let err = '';
  const r = s.runScript('echo start\nping 192.0.2.1 > /tmp/p\necho never\n', { onOutput: (fd, t) => { if (fd === 2) err += t; } });
  assert.equal(r.status, 124);
  // The command after the stop is recorded as stopped (status 124), without running.
  // (ping's own status after SIGTERM is ping's business; the script's is timeout's 124.)
  assert.deepEqual(r.records.map((x) => x.command), ['echo start', 'ping 192.0.2.1 > /tmp/p', 'echo never']);
  assert.deepEqual([r.records[2]!.exit, r.records[2]!.stdout], [124, '']);
  assert.match(err, /vnet: limit reached: run-time=30 \(raise it with vnet run --limit run-time=N\): the script ran for more than 30 s of virtual time and was stopped/);
  assert.ok(s.lab.clock.now <= 31e9);
  // The lab is intact and the next script runs normally (the limit is per script).
  const r2 = s.runScript('tail -1 /tmp/p\nip -br addr show eth0\nsleep 20\necho done\n');
  assert.equal(r2.status, 0);
  assert.match(r2.records[0]!.stdout, /^rtt min\/avg\/max\/mdev/, "ping was stopped (SIGTERM) and printed its summary");
  assert.equal(r2.records[3]!.stdout, 'done\n');
});

test('run time: an interactive line is dropped, the shell goes on', () => {
  const s = lab({ runSeconds: 5 });
  let out = '';
  s.onLineOutput = (_fd, t) => { out += t; };
  const st = s.runLine('X=1; sleep 10; X=2');
  assert.equal(st, 124);
  assert.equal(s.runLine('echo $X'), 0);
  assert.match(out, /limit reached: run-time=5/);
  assert.match(out, /^1$/m);
});

test('wall time: a loop of builtins is stopped too', () => {
  const s = lab({ wallSeconds: 1 });
  const t0 = Date.now();
  const r = s.runScript('i=0\nwhile true; do i=$((i+1)); done\necho never\n');
  assert.equal(r.status, 124);
  assert.ok(Date.now() - t0 < 20_000);
  assert.ok(!r.records.some((x) => x.stdout.includes('never')));
});

test('vnet run --limit: bad values are refused before anything runs', () => {
  const cli = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');
  const tsx = join(import.meta.dirname, '..', 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');
  const r = spawnSync(process.execPath, ['--import', tsx, cli, 'run', '--limit', 'devices=x', '/nonexistent.sh'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /vnet: bad limit "devices=x"/);
});
