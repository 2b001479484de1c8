// The bookkeeping that keeps big labs linear (issue 5): copy-on-write sysctl trees, the macvlan
// port's multicast index, namespace-id reverse links, the per-device neighbour index, the lab's
// device and address counts. Each test checks that the cheap structure answers exactly what the
// plain one did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab } from '../../src/core/index.ts';
import { newLink, applyFlags, type LinkAttrs } from '../../src/core/rtnl.ts';
import { addNamedNamespace, destroyNamespace } from '../../src/core/netns-ops.ts';
import {
  devMcAdd, devMcDel, devQueueXmit, devSetUserAllmulti, devSetUserPromisc, unregisterNetdevice,
} from '../../src/core/dev.ts';
import { IFF_UP, macToNum, type NetDevice } from '../../src/core/netdev.ts';
import { IPV6_CONF_DEFAULTS, Sysctl } from '../../src/core/sysctl.ts';
import { parseIp } from '../../src/core/ipv4/bytes.ts';
import type { Lab } from '../../src/core/lab.ts';

function must<T>(r: { ok: true; value: T } | { ok: false; errno: number; extack?: string }): T {
  if (!r.ok) throw new Error(`errno ${r.errno} ${r.extack ?? ''}`);
  return r.value;
}

test('sysctl: a device copies default when it registers, later changes to either side stay apart', () => {
  const s = new Sysctl();
  s.addDevice('lo');
  s.set('net.ipv4.conf.default.rp_filter', '2');
  s.addDevice('eth0');
  // lo never set rp_filter itself, so the default write reached it (devinet_copy_dflt_conf).
  assert.equal(s.get('net.ipv4.conf.lo.rp_filter'), '2');
  assert.equal(s.get('net.ipv4.conf.eth0.rp_filter'), '2');
  s.set('net.ipv4.conf.default.rp_filter', '1');
  s.set('net.ipv4.conf.eth0.arp_ignore', '3');
  // eth0 was made after default's write, so it carries default's "set" bit and keeps its copy.
  assert.equal(s.get('net.ipv4.conf.eth0.rp_filter'), '2');
  assert.equal(s.get('net.ipv4.conf.default.arp_ignore'), '0');
  assert.equal(s.devMax('eth0', 'arp_ignore'), 3);
  // No neigh.default outside the initial namespace; new devices take the built-in neigh values.
  assert.equal(s.has('net.ipv4.neigh.default.ucast_solicit'), false);
  s.addDevice('eth1');
  assert.equal(s.getInt('net.ipv4.neigh.eth1.ucast_solicit'), 3);
  assert.equal(s.neighConf('eth0', 'ucast_solicit', 3), 3);
  assert.equal(s.get('net.ipv6.neigh.eth1.locktime'), '0');
  assert.equal(s.get('net.ipv4.neigh.eth1.locktime'), '100');
});

test('sysctl: ip_forward reaches every device tree, including names with dots', () => {
  const s = new Sysctl();
  for (const d of ['lo', 'eth0', 'eth0.100']) s.addDevice(d);
  s.set('net.ipv4.ip_forward', '1');
  for (const d of ['all', 'default', 'lo', 'eth0', 'eth0.100']) assert.equal(s.get(`net.ipv4.conf.${d}.forwarding`), '1', d);
  s.set('net.ipv4.conf.all.forwarding', '0');
  assert.equal(s.get('net.ipv4.ip_forward'), '0');
  assert.equal(s.devConf('eth0.100', 'forwarding'), 0);
  s.set('net.ipv6.conf.all.disable_ipv6', '1');
  assert.equal(s.dev6Conf('eth0.100', 'disable_ipv6'), 1);
});

test('sysctl: keys, removal and rename of one device leave the others alone', () => {
  const s = new Sysctl();
  const fresh = s.keys().length;
  s.addDevice('eth0');
  s.addDevice('eth0.100');
  const per = (s.keys().length - fresh) / 2;
  const ipv6Knobs = Object.keys(IPV6_CONF_DEFAULTS).length; // 62 on 6.18 (stable_secret left out)
  assert.equal(per, 33 + ipv6Knobs + 2 * 15, 'ipv4 conf 33 + the ipv6 conf knobs + two neighbour families of 15');
  assert.equal(s.keys().filter((k) => k === 'net.ipv6.conf.all.disable_ipv6').length, 1);
  const sorted = [...s.keys()].sort();
  assert.deepEqual(s.keys(), sorted);
  s.set('net.ipv4.conf.eth0.100.rp_filter', '2');
  s.removeDevice('eth0');
  assert.equal(s.has('net.ipv4.conf.eth0.forwarding'), false);
  assert.equal(s.get('net.ipv4.conf.eth0.100.rp_filter'), '2');
  s.renameDevice('eth0.100', 'wan');
  assert.equal(s.get('net.ipv4.conf.wan.rp_filter'), '2');
  assert.equal(s.has('net.ipv4.conf.eth0.100.rp_filter'), false);
  assert.equal(s.keys().length, fresh + per);
  assert.equal(s.get('net.ipv4.conf.wan.nonexistent'), undefined);
  assert.equal(s.has('net.ipv4.conf.'), false);
});

/** Bridge-mode macvlans m0..m(n-1) on one lower, up, IPv6 off so that only chosen groups exist. */
function port(n: number): { lab: Lab; mvs: NetDevice[]; got: string[] } {
  const lab = createLab({ ipv6: false });
  const v0 = must(newLink(lab, lab.init, { ifname: 'v0', kind: 'veth', data: { peer: { ifname: 'v1' } as LinkAttrs } }));
  for (const d of [v0, lab.init.devices.get('v1')!]) must(applyFlags(d, IFF_UP, IFF_UP) as never);
  const mvs: NetDevice[] = [];
  for (let i = 0; i < n; i++) {
    const mv = must(newLink(lab, lab.init, { ifname: `m${i}`, kind: 'macvlan', link: v0.ifindex, data: { mode: 'bridge' } }));
    must(applyFlags(mv, IFF_UP, IFF_UP) as never);
    mvs.push(mv);
  }
  lab.clock.settle();
  const got: string[] = [];
  lab.ptype.set(0x88b5, (skb) => { if (skb.dev.kind === 'macvlan') got.push(skb.dev.name); });
  return { lab, mvs, got };
}

const GROUP = new Uint8Array([0x33, 0x33, 0, 0, 0x12, 0x34]);

function sendGroup(lab: Lab, from: NetDevice, dst: Uint8Array): void {
  const f = new Uint8Array(60);
  f.set(dst, 0);
  f.set(from.mac, 6);
  f[12] = 0x88; f[13] = 0xb5;
  devQueueXmit(lab.newSkbFor(f, from));
  lab.clock.runUntil(() => false, lab.clock.now + 1_000_000);
}

test('macvlan: a group frame reaches the subscribed and allmulti/promisc siblings only, in creation order', () => {
  const { lab, mvs, got } = port(12);
  const g = macToNum(GROUP, 0);
  for (const i of [9, 2, 5]) devMcAdd(mvs[i]!, g);
  devSetUserAllmulti(mvs[7]!, true);
  devSetUserPromisc(mvs[4]!, true);
  sendGroup(lab, mvs[0]!, GROUP);
  assert.deepEqual(got, ['m2', 'm4', 'm5', 'm7', 'm9']);
  got.length = 0;
  devMcDel(mvs[5]!, g);
  devSetUserPromisc(mvs[4]!, false);
  sendGroup(lab, mvs[9]!, GROUP);
  assert.deepEqual(got, ['m2', 'm7']);
  // A trace makes the walk visit every sibling (to report the mode-excluded ones); same result.
  got.length = 0;
  lab.tracer = () => {};
  sendGroup(lab, mvs[9]!, GROUP);
  lab.tracer = null;
  assert.deepEqual(got, ['m2', 'm7']);
  // Broadcast goes to every sibling but the sender.
  got.length = 0;
  sendGroup(lab, mvs[3]!, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
  assert.deepEqual(got, mvs.filter((_, i) => i !== 3).map((d) => d.name));
});

test('macvlan: a group most siblings joined, and a deleted subscriber, give the same answer', () => {
  const { lab, mvs, got } = port(40);
  const g = macToNum(GROUP, 0);
  const want: string[] = [];
  mvs.forEach((d, i) => { if (i % 3 !== 0) { devMcAdd(d, g); if (i !== 1) want.push(d.name); } });
  sendGroup(lab, mvs[1]!, GROUP);
  assert.deepEqual(got, want);
  got.length = 0;
  unregisterNetdevice(mvs[2]!);
  sendGroup(lab, mvs[1]!, GROUP);
  assert.deepEqual(got, want.filter((n) => n !== 'm2'));
});

test('namespace ids: a destroyed namespace leaves no id behind, and none of its own', () => {
  const lab = createLab({ ipv6: false });
  const a = must(addNamedNamespace(lab, 'a'));
  const b = must(addNamedNamespace(lab, 'b'));
  const c = must(addNamedNamespace(lab, 'c'));
  assert.equal(a.idOf(b), 0);
  assert.equal(a.idOf(c), 1);
  c.nsids.set(b, 5); // `ip netns set` writes the table directly
  destroyNamespace(lab, b);
  assert.equal(a.nsids.has(b), false);
  assert.equal(c.nsids.has(b), false);
  assert.equal(a.idOf(b, false), -1);
  destroyNamespace(lab, a);
  assert.equal(c.idHolders?.has(a) ?? false, false);
  assert.equal(a.nsids.size, 0);
});

test('neighbour table: lookups by device and address, listing in creation order, flush per device', () => {
  const lab = createLab({ ipv6: false });
  const v0 = must(newLink(lab, lab.init, { ifname: 'v0', kind: 'veth', data: { peer: { ifname: 'v1' } as LinkAttrs } }));
  const v1 = lab.init.devices.get('v1')!;
  const t = lab.init.arp;
  const hi = parseIp('203.0.113.7')!; // above 2^31
  const lo = parseIp('10.0.0.1')!;
  const n1 = t.create(v0, hi)!, n2 = t.create(v1, hi)!, n3 = t.create(v0, lo)!;
  assert.equal(t.create(v0, hi), n1);
  assert.equal(t.get(v0, hi), n1);
  assert.equal(t.get(v1, hi), n2);
  assert.equal(t.get(v1, lo), undefined);
  assert.deepEqual([...t.entries.values()], [n1, n2, n3]);
  t.flushDev(v0, false);
  assert.deepEqual([...t.entries.values()], [n2]);
  assert.equal(t.get(v0, lo), undefined);
  t.remove(n2);
  assert.equal(t.entries.size, 0);
});

test('limits: the device count is kept exactly through creation, deletion and namespace death', () => {
  const lab = createLab({ ipv6: false, limits: { devices: 6 } });
  const ns = must(addNamedNamespace(lab, 'a')); // its lo: 2 devices with the init lo
  must(newLink(lab, lab.init, { ifname: 'v0', kind: 'veth', data: { peer: { ifname: 'v1' } as LinkAttrs } }));
  assert.equal(lab.deviceCount, 4);
  const r = newLink(lab, lab.init, { ifname: 'w0', kind: 'veth', data: { peer: { ifname: 'w1' } as LinkAttrs } });
  assert.equal(r.ok ? 0 : r.errno, 0);
  assert.equal(lab.deviceCount, 6);
  const full = newLink(lab, ns, { ifname: 'x0', kind: 'veth', data: { peer: { ifname: 'x1' } as LinkAttrs } });
  assert.equal(full.ok ? 0 : full.errno, 28);
  destroyNamespace(lab, ns);
  assert.equal(lab.deviceCount, 5);
  unregisterNetdevice(lab.init.devices.get('v0')!); // takes its peer along
  assert.equal(lab.deviceCount, 3);
  let n = 0;
  for (const x of lab.all) n += x.devices.size;
  assert.equal(lab.deviceCount, n);
});

test('limits: the address limit decides exactly as a full count would, IPv6 addresses included', async () => {
  const { runScript } = await import('../../src/index.ts');
  const script = [
    'ip link add v0 type veth peer name v1',
    'ip addr add 192.0.2.1/24 dev v0',
    'ip -6 addr add 2001:db8::1/64 dev v1',
    'ip addr add 192.0.2.2/24 dev v1',
    'ip addr del 192.0.2.1/24 dev v0',
    'ip addr add 192.0.2.3/24 dev v0',
    'ip addr add 192.0.2.4/24 dev v0',
  ].join('\n');
  const r = runScript(script, { world: 'none', ipv6: false, limits: { addresses: 3 } });
  assert.deepEqual(r.records.map((x) => x.exit), [0, 0, 0, 0, 0, 0, 2]);
  assert.match(r.records[6]!.stderr, /limit reached: addresses=3/);
});
