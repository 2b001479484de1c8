/**
 * The kernel build option that turns bridge VLAN filtering on (CONFIG_BRIDGE_VLAN_FILTERING): off
 * by default (the reference machine's 6.18 kernel), on with `kernelConfig` / `--kernel-config`,
 * kept by state files, refused when malformed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScript, newSession, LabSession, parseKernelConfig } from '../../src/index.ts';
import { makeKernelConfig, kernelConfigDiff, validKernelConfig } from '../../src/core/kconfig.ts';
import { bridgeConfig } from '../../src/core/drivers/bridge/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ON = { kernelConfig: { BRIDGE_VLAN_FILTERING: true } };

function out(text: string, opts: Parameters<typeof runScript>[1] = {}): { stdout: string; stderr: string; exits: number[] } {
  const r = runScript(text, { world: 'none', ...opts });
  return {
    stdout: r.records.map((x) => x.stdout).join(''),
    stderr: r.records.map((x) => x.stderr).join(''),
    exits: r.records.map((x) => x.exit),
  };
}

describe('kernel config: parsing', () => {
  it('accepts NAME=y|m|n with or without CONFIG_', () => {
    assert.deepEqual(parseKernelConfig('BRIDGE_VLAN_FILTERING=y'), ['BRIDGE_VLAN_FILTERING', true]);
    assert.deepEqual(parseKernelConfig('CONFIG_BRIDGE_VLAN_FILTERING=m'), ['BRIDGE_VLAN_FILTERING', true]);
    assert.deepEqual(parseKernelConfig('BRIDGE_VLAN_FILTERING=n'), ['BRIDGE_VLAN_FILTERING', false]);
  });
  it('refuses unknown names and bad values with a message listing the names', () => {
    assert.match(parseKernelConfig('VLAN_8021Q=y') as string, /^unknown kernel config "VLAN_8021Q" \(names: BRIDGE_VLAN_FILTERING\)$/);
    assert.match(parseKernelConfig('BRIDGE_VLAN_FILTERING=1') as string, /^bad kernel config/);
    assert.match(parseKernelConfig('BRIDGE_VLAN_FILTERING') as string, /^bad kernel config/);
    assert.match(parseKernelConfig('bridge_vlan_filtering=y') as string, /^bad kernel config/);
  });
  it('fills defaults, diffs against them, validates saved objects', () => {
    assert.deepEqual(makeKernelConfig(), { BRIDGE_VLAN_FILTERING: false });
    assert.deepEqual(kernelConfigDiff({ BRIDGE_VLAN_FILTERING: false }), {});
    assert.deepEqual(kernelConfigDiff({ BRIDGE_VLAN_FILTERING: true }), { BRIDGE_VLAN_FILTERING: true });
    assert.equal(validKernelConfig({ BRIDGE_VLAN_FILTERING: true }), true);
    assert.equal(validKernelConfig({ BRIDGE_VLAN_FILTERING: 1 }), false);
    assert.equal(validKernelConfig({ NOPE: true }), false);
    assert.equal(validKernelConfig([]), false);
  });
});

describe('kernel config: the lab', () => {
  it('default lab = the reference kernel: vlan_filtering is not supported, no vlan_* fields', () => {
    const r = out('ip link add br0 type bridge vlan_filtering 1\nip link add br0 type bridge\nip -d link show br0\nbridge vlan show\n');
    assert.deepEqual(r.exits, [2, 0, 0, 0]);
    assert.equal(r.stderr, 'RTNETLINK answers: Operation not supported\n');
    assert.doesNotMatch(r.stdout, /vlan_protocol|vlan_default_pvid/);
    assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('br0')).length, 0, 'no VLAN 1 on br0');
  });
  it('BRIDGE_VLAN_FILTERING=y: vlan_filtering, default pvid 1, vlan_* fields', () => {
    const r = out('ip link add br0 type bridge vlan_filtering 1\nip -d link show br0\nbridge vlan show dev br0\n', ON);
    assert.deepEqual(r.exits, [0, 0, 0]);
    assert.match(r.stdout, / vlan_filtering 1 vlan_protocol 802\.1Q .* vlan_default_pvid 1 vlan_stats_enabled 0 vlan_stats_per_port 0 /);
    assert.match(r.stdout, /^br0 {15}1 PVID Egress Untagged$/m);
  });
  it('the option is per lab: two labs side by side keep their own', () => {
    const a = newSession(ON), b = newSession();
    assert.equal(bridgeConfig(a.lab).vlanFiltering, true);
    assert.equal(bridgeConfig(b.lab).vlanFiltering, false);
    assert.equal(a.lab.kernelConfig.BRIDGE_VLAN_FILTERING, true);
  });
});

describe('kernel config: state files', () => {
  it('a saved lab records the option and reloads with it', () => {
    const s = newSession(ON);
    s.runScript('ip link add br0 type bridge vlan_filtering 1\nip link add p1 type veth peer name p1b\nip link set p1 master br0\nbridge vlan add dev p1 vid 10 pvid untagged\n');
    const text = s.save();
    assert.match(text, /"kernelConfig": \{\n\s*"BRIDGE_VLAN_FILTERING": true\n\s*\}/);
    const l = LabSession.load(text);
    assert.ok(l.ok, l.ok ? '' : l.error);
    assert.equal(l.session.lab.kernelConfig.BRIDGE_VLAN_FILTERING, true);
    const r = l.session.runScript('bridge vlan show dev p1\n');
    // VLAN 1 stays (no longer the pvid) beside the new pvid 10, as on Debian's 6.1
    assert.equal(r.records[0]!.stdout, 'port              vlan-id  \np1                1 Egress Untagged\n                  10 PVID Egress Untagged\n');
    // and a session saved again from the loaded one still has it
    assert.match(l.session.save(), /"BRIDGE_VLAN_FILTERING": true/);
  });
  it('a default lab writes no kernelConfig (its files stay as before)', () => {
    const s = newSession();
    s.runScript('ip link add br0 type bridge\n');
    assert.doesNotMatch(s.save(), /kernelConfig/);
  });
});

describe('kernel config: vnet run / vnet shell', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vnet-kconfig-'));
  const vnet = (args: string[], input = ''): ReturnType<typeof spawnSync> =>
    spawnSync(process.execPath, [join(ROOT, 'bin', 'vnet.js'), ...args],
      { cwd: dir, encoding: 'utf8', timeout: 120_000, input, env: { ...process.env, VNET_NO_DIST: '1' } });
  const script = join(dir, 'a.sh');
  writeFileSync(script, 'ip link add br0 type bridge vlan_filtering 1\nbridge vlan show\n');
  it('--kernel-config BRIDGE_VLAN_FILTERING=y turns it on, --state keeps it, a bad spec is refused', () => {
    try {
      const off = vnet(['run', '--world', 'none', script]);
      assert.equal(off.stderr, 'RTNETLINK answers: Operation not supported\n');
      const state = join(dir, 'lab.state');
      const on = vnet(['run', '--world', 'none', '--kernel-config', 'BRIDGE_VLAN_FILTERING=y', '--state', state, script]);
      assert.equal(on.status, 0, String(on.stderr));
      assert.equal(on.stdout, 'port              vlan-id  \nbr0               1 PVID Egress Untagged\n');
      assert.match(readFileSync(state, 'utf8'), /"BRIDGE_VLAN_FILTERING": true/);
      // the saved lab goes on with its kernel; a second --kernel-config conflicts with the file's
      writeFileSync(script, 'ip link add br1 type bridge vlan_filtering 1\nbridge vlan show dev br1\n');
      const again = vnet(['run', '--state', state, script]);
      assert.equal(again.stdout, 'port              vlan-id  \nbr1               1 PVID Egress Untagged\n', String(again.stderr));
      const clash = vnet(['run', '--state', state, '--kernel-config', 'BRIDGE_VLAN_FILTERING=y', script]);
      assert.equal(clash.status, 2);
      assert.match(String(clash.stderr), /--kernel-config cannot be used with an existing --state file/);
      const bad = vnet(['run', '--kernel-config', 'NOPE=y', script]);
      assert.equal(bad.status, 2);
      assert.equal(bad.stderr, 'vnet: unknown kernel config "NOPE" (names: BRIDGE_VLAN_FILTERING)\n');
      const sh = vnet(['shell', '--world', 'none', '--kernel-config', 'BRIDGE_VLAN_FILTERING=y'],
        'ip link add br0 type bridge vlan_filtering 1\nip -d link show br0 | grep -o "vlan_filtering [0-9]"\n');
      assert.match(String(sh.stdout), /vlan_filtering 1/, String(sh.stderr));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
