/**
 * The qemu judge's own tests (`npm run test:kernel-vm`): that it runs scripts in the VM exactly as the
 * host runner runs them on the host kernel, and that the VM has what the vnet-only scenarios need.
 *
 * One boot runs every script below. Where the host kernel can run a script too, the two runners'
 * records must be identical (after the differential normalisation): same wrapping, same `$?`/`set -e`/
 * background-job handling, same bash messages with the script's line numbers.
 * Skipped (with the reason) when qemu or the image cannot be had here.
 */

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernelAvailable, runOnKernel, type KernelRunResult } from '../kernel-runner.ts';
import { compareRuns, formatMismatches, normalizeRun } from '../normalize.ts';
import { worldText } from '../scenario.ts';
import { lastIfPermanent, qemuAvailable, runQemuBatch, untar, type QemuBatchResult, type QemuScenario } from './qemu-runner.ts';
import { maskKernelRelease, vnetReleasePattern, RELEASE_PLACEHOLDER } from './skew.ts';


test('untar reads what tar writes', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vnet-untar-'));
  try {
    writeFileSync(join(dir, '1.out'), 'hello\n');
    writeFileSync(join(dir, '1.err'), '');
    writeFileSync(join(dir, 'x'.repeat(120)), 'long name');
    const r = spawnSync('tar', ['-C', dir, '-cf', '-', '.']);
    if (r.status !== 0) return t.skip('no tar here');
    const files = untar(r.stdout);
    assert.equal(files.get('1.out')?.toString(), 'hello\n');
    assert.equal(files.get('1.err')?.toString(), '');
    assert.equal(files.get('x'.repeat(120))?.toString(), 'long name');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('scenarios that may load vrf (no exit function) go to the end of a batch, in order', () => {
  const s = (name: string, text: string) => ({ name, text });
  const order = lastIfPermanent([
    s('a', 'ip link add vrf0 type vrf table 10\n'), s('b', 'ip link add d0 type dummy\n'),
    s('c', '# world: none\n# requires: vrf\nip vrf show\n'), s('d', '# a vrf-like name: myvrf\nip link\n'),
  ]);
  assert.deepEqual(order.map((x) => x.name), ['b', 'd', 'a', 'c']);
});

test('the kernel release is masked on both sides', () => {
  const rec = (stdout: string) => ({ line: 1, command: 'c', exit: 0, stdout, stderr: '' });
  assert.equal(maskKernelRelease([rec('Driver: v6.1.0-56-amd64\n')], '6.1.0-56-amd64')[0]!.stdout, `Driver: v${RELEASE_PLACEHOLDER}\n`);
  assert.equal(maskKernelRelease([rec('Driver: v6.18.0-vnet\n')], vnetReleasePattern(undefined))[0]!.stdout, `Driver: v${RELEASE_PLACEHOLDER}\n`);
  assert.equal(maskKernelRelease([rec('6.18.0-vnet\n')], vnetReleasePattern('6.18.0-vnet\n'))[0]!.stdout, `${RELEASE_PLACEHOLDER}\n`);
});

// ---- scripts for one boot
const S = (name: string, text: string, world = ''): QemuScenario & { hostToo: boolean } => ({ name, text, world, hostToo: true });
const generic = [
  S(
    'shell-semantics',
    [
      'x=1',
      'echo "x=$x"',
      'false',
      'echo "status $?"',
      'nosuchcommand',
      'echo out; echo err >&2',
      'sleep 5 &',
      'P=$!',
      'kill $P',
      'wait $P; echo "waited $?"',
      'f() { echo "in f $1"; return 3; }',
      'f a',
      '( exit 7 )',
      'cat <<EOF',
      'here $x',
      'EOF',
      'set -e',
      'false',
      'echo never',
    ].join('\n') + '\n',
  ),
  S(
    'veth-and-netns',
    [
      'ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11',
      'ip netns add vnet-a',
      'ip link set v1 netns vnet-a',
      'ip addr add 192.0.2.1/24 dev v0',
      'ip link set v0 up',
      'ip -n vnet-a addr add 192.0.2.2/24 dev v1',
      'ip -n vnet-a link set v1 up',
      'ping -c1 -W2 192.0.2.2 | grep -c "1 received"',
      'ip -br link',
      'ls /sys/class/net',
      'ip link add x type nosuchkind',
    ].join('\n') + '\n',
  ),
  S('default-world', 'ip -4 -br addr\nip route\nping -c1 -W2 198.51.100.1 | grep -c "1 received"\n', worldText('default')),
];
// what only the VM can do (the host kernel lacks these drivers); each checked on its own
const vmOnly: Array<QemuScenario & { check: (r: KernelRunResult) => void }> = [
  {
    name: 'drivers',
    world: '',
    text: [
      'ip link add d0 address 02:00:00:00:00:d0 type dummy && echo dummy ok',
      'ip link add b0 type bond mode active-backup && echo bond ok',
      'ip link add v0 type veth peer name v1 && ip link add link v0 name v0.5 type vlan id 5 && echo vlan ok',
      'ip link add link v1 name ipv0 type ipvlan mode l2 && echo ipvlan ok',
      'ip link add t0 type team && echo team ok',
      'ip link add vx0 type vxlan id 42 dstport 4789 dev v0 && echo vxlan ok',
      'ip link add nl0 type nlmon && echo nlmon ok',
      'ls /sys/class/net/bonding_masters',
      'lsmod | grep -c "^bonding "',
      'command -v vconfig teamd teamdctl modprobe lsmod',
    ].join('\n') + '\n',
    check: (r) => {
      const out = r.records.map((x) => x.stdout).join('');
      for (const d of ['dummy', 'bond', 'vlan', 'ipvlan', 'team', 'vxlan', 'nlmon']) assert.match(out, new RegExp(`^${d} ok$`, 'm'), `${d} works in the VM`);
      assert.match(out, /bonding_masters/);
      assert.match(out, /^1$/m, 'lsmod lists bonding');
      assert.match(out, /vconfig[\s\S]*teamd[\s\S]*teamdctl[\s\S]*modprobe[\s\S]*lsmod/);
    },
  },
  {
    // vrf.ko cannot be unloaded: the runner moves this to the end of the batch (after fresh-machine)
    name: 'vrf',
    world: '',
    text: 'ip link add vrf0 type vrf table 10 && echo vrf ok\nlsmod | grep -c "^vrf "\n',
    check: (r) => {
      assert.equal(r.records[0]!.stdout, 'vrf ok\n', 'vrf works in the VM');
      assert.equal(r.records[1]!.stdout, '1\n');
    },
  },
  {
    // runs after 'drivers' (and, although listed after it, before 'vrf'): the modules they loaded are not there
    name: 'fresh-machine',
    world: '',
    text: 'ls /sys/class/net\nlsmod | grep -c "^bonding " || :\nls -l /dev/net/tun | cut -c1-10\nlsmod | grep -c "^vrf " || :\n',
    check: (r) => {
      assert.equal(r.records[0]!.stdout, 'lo\n', 'no bonding_masters left by an earlier scenario');
      assert.equal(r.records[1]!.stdout, '0\n', 'bonding was unloaded');
      assert.equal(r.records[2]!.stdout, 'crw-------\n', '/dev/net/tun exists before tun is loaded');
      assert.equal(r.records[3]!.stdout, '0\n', 'vrf (which can never be unloaded) was not loaded yet');
    },
  },
  {
    name: 'timeout',
    world: '',
    timeoutMs: 5000,
    text: 'echo before\nsleep 30\necho after\n',
    check: (r) => {
      assert.ok(r.timedOut, 'the per-scenario limit fired');
      assert.equal(r.records[0]?.stdout, 'before\n');
    },
  },
];

const avail = qemuAvailable();
let batch: QemuBatchResult | undefined;
const hostRuns = new Map<string, KernelRunResult>();

before(async () => {
  if (!avail.ok) return;
  batch = await runQemuBatch([...generic, ...vmOnly], { log: (s) => process.stderr.write(`[qemu] ${s}\n`) });
  process.stderr.write(
    `[qemu] one boot, ${generic.length + vmOnly.length} scripts: qemu ${(batch.qemuMs / 1000).toFixed(1)} s, guest userspace at ${((batch.bootMs ?? 0) / 1000).toFixed(1)} s\n`,
  );
  if (kernelAvailable().ok) {
    for (const s of generic) hostRuns.set(s.name, await runOnKernel(s.text, { world: s.world, timeoutMs: 60_000 }));
  }
});

for (const s of generic) {
  test(`same records as the host runner: ${s.name}`, (t) => {
    if (!avail.ok) return t.skip(`qemu judge unavailable: ${avail.reason}`);
    const v = batch!.results.get(s.name)!;
    assert.equal(v.skipped, undefined, v.skipped);
    assert.equal(v.shellStderr ?? '', '');
    if (v.world) assert.equal(v.world.exit, 0, v.world.stderr);
    const h = hostRuns.get(s.name);
    if (!h) return t.skip(`host kernel unavailable: ${(kernelAvailable() as { reason?: string }).reason}`);
    const mism = compareRuns(normalizeRun(h.records, s.text, { worldText: s.world }), normalizeRun(v.records, s.text, { worldText: s.world }));
    assert.equal(mism.length, 0, formatMismatches(s.name, mism));
  });
}

for (const s of vmOnly) {
  test(`in the VM: ${s.name}`, (t) => {
    if (!avail.ok) return t.skip(`qemu judge unavailable: ${avail.reason}`);
    const r = batch!.results.get(s.name)!;
    assert.equal(r.skipped, undefined, r.skipped);
    s.check(r);
  });
}

test('in the VM: every module is unloaded after its scenario, except vrf, reported once', (t) => {
  if (!avail.ok) return t.skip(`qemu judge unavailable: ${avail.reason}`);
  assert.deepEqual(batch!.warnings, [
    'after vrf: module(s) that cannot be unloaded (no exit function) stay loaded for the rest of the boot: vrf',
  ]);
});
