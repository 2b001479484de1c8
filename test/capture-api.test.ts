/**
 * startCaptures (src/capture) and `vnet run --capture NS/IF … --out DIR`: what is recorded, when a
 * capture follows its interface, the pcapng it writes, and the CLI's refusal to write outside DIR.
 * (test/capture.test.ts compares the captures themselves with the real kernel.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, symlinkSync, linkSync, lstatSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript, newSession } from '../src/index.ts';
import { startCaptures, parseCaptureSpec, captureFileName, type CaptureSet } from '../src/capture/index.ts';
import { readCapture, DIRECTION_INBOUND, DIRECTION_OUTBOUND } from '../src/wire/pcap.ts';
import { main } from '../src/cli/main.ts';

function run(script: string, specs: string[], world = 'none'): ReturnType<CaptureSet['stop']> {
  let set: CaptureSet | null = null;
  runScript(script, { world, beforeScript: (s) => { set = startCaptures(s, specs); } });
  return (set as CaptureSet | null)!.stop({ drainNs: 1_000_000 });
}

const PAIR = `sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns add vnet1
ip netns exec vnet1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add va address 02:00:00:00:00:0a type veth peer name vb address 02:00:00:00:00:0b netns vnet1
ip addr add 192.0.2.1/24 dev va
ip -n vnet1 addr add 192.0.2.2/24 dev vb
ip link set va up
ip -n vnet1 link set vb up
`;

test('parseCaptureSpec: NS/IF, - for the own namespace, names checked', () => {
  assert.deepEqual(parseCaptureSpec('-/eth0'), { ok: true, spec: { netns: '', ifname: 'eth0' } });
  assert.deepEqual(parseCaptureSpec('vnet1/m1'), { ok: true, spec: { netns: 'vnet1', ifname: 'm1' } });
  assert.deepEqual(parseCaptureSpec('-/veth2.11'), { ok: true, spec: { netns: '', ifname: 'veth2.11' } });
  for (const bad of ['eth0', '/eth0', 'ns/', '../x', 'a/b/c', '-/..', '-/.', '../../etc/passwd', '-/a:b', '-/aaaaaaaaaaaaaaaa', 'a b/eth0', '-/a\0b']) {
    assert.equal(parseCaptureSpec(bad).ok, false, bad);
  }
  assert.equal(captureFileName({ netns: '', ifname: 'eth0' }), 'root_eth0.pcapng');
  assert.equal(captureFileName({ netns: 'vnet-sw', ifname: 'sw0p1' }), 'vnet-sw_sw0p1.pcapng');
  assert.throws(() => startCaptures(newSession(), ['-/eth0', 'root/eth0']), /both write root_eth0.pcapng/);
  assert.throws(() => startCaptures(newSession(), ['x']), /expected NS\/IF/);
});

test('frames in order, with direction, virtual time, and a valid pcapng', () => {
  const [a, b] = run(PAIR + 'ping -c2 -i0.5 -W1 192.0.2.2\n', ['-/va', 'vnet1/vb']);
  assert.equal(a!.name, 'root_va.pcapng');
  assert.equal(b!.name, 'vnet1_vb.pcapng');
  for (const f of [a!, b!]) {
    const r = readCapture(f.bytes);
    assert.ok(r.ok);
    assert.equal(r.file.format, 'pcapng');
    assert.equal(r.file.error, null);
    assert.equal(r.file.interfaces[0]!.unitsPerSecond, 1e9);
    assert.equal(r.file.records.length, 6); // ARP request, reply, 2 × (echo request, reply)
    assert.equal(f.packets, 6);
  }
  const ra = readCapture(a!.bytes);
  const rb = readCapture(b!.bytes);
  assert.ok(ra.ok && rb.ok);
  assert.equal(ra.file.interfaces[0]!.name, 'va');
  assert.deepEqual(ra.file.records.map((r) => r.direction), [2, 1, 2, 1, 2, 1]);
  assert.deepEqual(rb.file.records.map((r) => r.direction), [1, 2, 1, 2, 1, 2]);
  // the same frames on both ends of the cable
  assert.deepEqual(ra.file.records.map((r) => [...r.data].join()), rb.file.records.map((r) => [...r.data].join()));
  // virtual time: the second echo request leaves 0.5 s after the first
  const t = (i: number) => ra.file.records[i]!.ts.sec * 1e9 + ra.file.records[i]!.ts.nsec;
  assert.equal(Math.round((t(4) - t(2)) / 1e6), 500);
  assert.equal(DIRECTION_INBOUND, 1);
  assert.equal(DIRECTION_OUTBOUND, 2);
});

test('the real tshark reads a capture file with nothing on stderr', (t) => {
  if (spawnSync('tshark', ['-v']).status !== 0) return t.skip('tshark is not installed');
  const [a] = run(PAIR + 'ping -c1 -W1 192.0.2.2\n', ['-/va']);
  const dir = mkdtempSync(join(tmpdir(), 'vnet-capture-tshark-'));
  try {
    const f = join(dir, a!.name);
    writeFileSync(f, a!.bytes);
    const r = spawnSync('tshark', ['-r', f, '-T', 'fields', '-e', 'frame.packet_flags_direction', '-e', 'frame.interface_name'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    const notice = 'Running as user "root" and group "root". This could be dangerous.';
    assert.equal(r.stderr.split('\n').filter((l) => l.trim() && l.trim() !== notice).join('\n'), '');
    assert.deepEqual(r.stdout.trim().split('\n'), ['0x00000002\tva', '0x00000001\tva', '0x00000002\tva', '0x00000001\tva']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a capture follows its name: created later, deleted and made again, moved in, renamed', () => {
  const script = PAIR +
    'ping -c1 -W1 192.0.2.2\n' +
    'ip -n vnet1 link set vb down\n' +
    'ip -n vnet1 link set vb name vc\n' + // renamed away: vnet1/vb sees nothing now, vnet1/vc does
    'ip -n vnet1 link set vc up\n' +
    'ping -c1 -W1 192.0.2.2\n' +
    'ip link del va\n' + // gone
    'ip link add va address 02:00:00:00:00:0a type veth peer name vb address 02:00:00:00:00:0b\n' +
    'ip link set vb netns vnet1\n' + // moved in under the old name
    'ip addr add 192.0.2.1/24 dev va\n' +
    'ip -n vnet1 addr add 192.0.2.2/24 dev vb\n' +
    'ip link set va up\n' +
    'ip -n vnet1 link set vb up\n' +
    'ping -c1 -W1 192.0.2.2\n';
  const [va, vb, vc] = run(script, ['-/va', 'vnet1/vb', 'vnet1/vc']);
  // each ping: 4 frames (vc lost its neighbours when it went down, so it asks for va's MAC itself)
  assert.equal(va!.packets, 12);
  assert.equal(vb!.packets, 8); // the first and the third vb, not the renamed one
  assert.equal(vc!.packets, 4);
  const r = readCapture(vb!.bytes);
  assert.ok(r.ok);
});

test('a VLAN tag kept in metadata is written back into the frame, as libpcap does', () => {
  const script = PAIR.replace('ip link set va up\n', '') +
    'ip link add link va name va.5 type vlan id 5\n' +
    'ip addr add 198.51.100.1/24 dev va.5\n' +
    'ip -n vnet1 link add link vb name vb.5 type vlan id 5\n' +
    'ip link set va up\nip link set va.5 up\n' +
    'ip -n vnet1 addr add 198.51.100.2/24 dev vb.5\n' +
    'ip -n vnet1 link set vb.5 up\n' +
    'ping -c1 -W1 198.51.100.2\n';
  const [lower, sub] = run(script, ['vnet1/vb', 'vnet1/vb.5']);
  const rl = readCapture(lower!.bytes);
  const rs = readCapture(sub!.bytes);
  assert.ok(rl.ok && rs.ok);
  assert.ok(rl.file.records.length >= 4);
  for (const rec of rl.file.records) {
    assert.equal((rec.data[12]! << 8) | rec.data[13]!, 0x8100);
    assert.equal(((rec.data[14]! << 8) | rec.data[15]!) & 0xfff, 5);
  }
  for (const rec of rs.file.records) assert.notEqual((rec.data[12]! << 8) | rec.data[13]!, 0x8100);
  assert.equal(rs.file.records.length, rl.file.records.length);
});

test('no promiscuity: the capture never changes the device', () => {
  let set: CaptureSet | null = null;
  const r = runScript(PAIR + 'ip -d link show va | grep -o "promiscuity [0-9]*"\n', {
    world: 'none', beforeScript: (s) => { set = startCaptures(s, ['-/va']); },
  });
  assert.match(r.records.at(-1)!.stdout, /promiscuity 0/);
  (set as CaptureSet | null)!.stop();
});

// ---- the CLI

/** Runs the `vnet` command in this process (main() is synchronous for `run`), capturing its output. */
function vnet(args: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const ow = process.stdout.write;
  const ew = process.stderr.write;
  process.stdout.write = ((t: string | Uint8Array) => { stdout += String(t); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((t: string | Uint8Array) => { stderr += String(t); return true; }) as typeof process.stderr.write;
  try {
    const status = main(args);
    if (typeof status !== 'number') throw new Error('vnet run returned a promise');
    return { status, stdout, stderr };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}

test('vnet run --capture … --out DIR writes DIR/NS_IF.pcapng, also with --json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vnet-capture-cli-'));
  try {
    const script = join(dir, 'lab.sh');
    writeFileSync(script, PAIR + 'ping -c1 -W1 192.0.2.2\n');
    const out = join(dir, 'out', 'nested');
    const r = vnet(['run', '--world', 'none', '--json', '--capture', '-/va', '--capture', 'vnet1/vb', '--capture', 'vnet1/nothere', '--out', out, script]);
    assert.equal(r.status, 0, r.stderr);
    for (const line of r.stdout.trim().split('\n')) JSON.parse(line); // stdout stays JSON lines
    assert.deepEqual(readdirSync(out).sort(), ['root_va.pcapng', 'vnet1_nothere.pcapng', 'vnet1_vb.pcapng']);
    assert.match(r.stderr, /capture -\/va: 4 packets written to .*root_va\.pcapng/);
    const va = readCapture(new Uint8Array(readFileSync(join(out, 'root_va.pcapng'))));
    assert.ok(va.ok);
    assert.equal(va.file.records.length, 4);
    const none = readCapture(new Uint8Array(readFileSync(join(out, 'vnet1_nothere.pcapng'))));
    assert.ok(none.ok);
    assert.equal(none.file.records.length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('vnet run --capture: bad specs, missing --out, and files that would lead elsewhere are refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vnet-capture-cli-'));
  try {
    const script = join(dir, 'lab.sh');
    writeFileSync(script, PAIR);
    const out = join(dir, 'out');
    let r = vnet(['run', '--world', 'none', '--capture', '../../etc/passwd', '--out', out, script]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /bad capture/);
    assert.equal(existsSync(out), false);
    r = vnet(['run', '--world', 'none', '--capture', '-/va', script]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--capture needs --out DIR/);
    // --out alone exports the files the script wrote in the lab (test/sandbox.test.ts); none here.
    r = vnet(['run', '--world', 'none', '--out', out, script]);
    assert.equal(r.status, 0);
    assert.equal(existsSync(out), false);
    r = vnet(['run', '--world', 'none', '--capture', '-/va', '--capture', 'root/va', '--out', out, script]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /would both write root_va\.pcapng/);
    // a symlink planted where a file goes: refused before anything runs, its target untouched
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'keep me');
    mkdirSync(out, { recursive: true });
    symlinkSync(victim, join(out, 'root_va.pcapng'));
    r = vnet(['run', '--world', 'none', '--capture', 'vnet1/vb', '--capture', '-/va', '--out', out, script]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /refusing to write .*root_va\.pcapng: it exists and is not a regular file/);
    assert.equal(r.stdout, ''); // the script did not run
    assert.equal(readFileSync(victim, 'utf8'), 'keep me');
    assert.ok(lstatSync(join(out, 'root_va.pcapng')).isSymbolicLink());
    assert.equal(existsSync(join(out, 'vnet1_vb.pcapng')), false);
    // a regular file (even a hard link to something else) is replaced by a new file, not written through
    rmSync(join(out, 'root_va.pcapng'));
    linkSync(victim, join(out, 'root_va.pcapng'));
    r = vnet(['run', '--world', 'none', '--capture', '-/va', '--out', out, script]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(victim, 'utf8'), 'keep me');
    assert.ok(readCapture(new Uint8Array(readFileSync(join(out, 'root_va.pcapng')))).ok);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
