// Core-level checks of the macvlan receive/transmit rules, driven through rtnl requests and raw
// ICMP sockets (no tools), so they pin the driver independently of the iproute2 front-end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab } from '../../src/core/index.ts';
import { newLink, applyFlags, type LinkAttrs } from '../../src/core/rtnl.ts';
import { addNamedNamespace, moveToNamespace } from '../../src/core/netns-ops.ts';
import { addInetAddr } from '../../src/core/ipv4/devinet.ts';
import { ipSend, openRawIcmp, ICMP_ECHO, ICMP_ECHOREPLY } from '../../src/core/ipv4/ip.ts';
import { parseIp, inetChecksum, wr16, IPPROTO_ICMP } from '../../src/core/ipv4/bytes.ts';
import { IFF_UP, type NetDevice } from '../../src/core/netdev.ts';
import type { Lab } from '../../src/core/lab.ts';
import type { NetNamespace } from '../../src/core/netns.ts';

function must<T>(r: { ok: true; value: T } | { ok: false; errno: number; extack?: string }): T {
  if (!r.ok) throw new Error(`errno ${r.errno} ${r.extack ?? ''}`);
  return r.value;
}

function up(dev: NetDevice): void {
  must(applyFlags(dev, IFF_UP, IFF_UP) as never);
  dev.netns.lab.clock.settle();
}

/** A lower veth v0 (peer v1 in an "outside" namespace) and macvlans in their own namespaces. */
function topo(modes: string[]): { lab: Lab; nss: NetNamespace[]; mvs: NetDevice[]; lower: NetDevice } {
  const lab = createLab();
  const out = must(addNamedNamespace(lab, 'out'));
  const v0 = must(newLink(lab, lab.init, { ifname: 'v0', kind: 'veth', data: { peer: { ifname: 'v1', netns: out } as LinkAttrs } }));
  up(v0);
  up(out.devices.get('v1')!);
  const nss: NetNamespace[] = [];
  const mvs: NetDevice[] = [];
  modes.forEach((mode, i) => {
    const ns = must(addNamedNamespace(lab, `n${i}`));
    const mv = must(newLink(lab, lab.init, { ifname: `m${i}`, kind: 'macvlan', link: v0.ifindex, data: { mode } }));
    must(moveToNamespace(mv, ns) as never);
    must(addInetAddr(mv, { local: parseIp(`192.0.2.${11 + i}`)!, prefixlen: 24 }) as never);
    up(mv);
    nss.push(ns); mvs.push(mv);
  });
  return { lab, nss, mvs, lower: v0 };
}

function ping(lab: Lab, from: NetNamespace, to: string): boolean {
  let got = false;
  const close = openRawIcmp(from, { deliver: (p) => { if (p.bytes[p.hlen] === ICMP_ECHOREPLY) got = true; } });
  const payload = new Uint8Array(64);
  payload[0] = ICMP_ECHO;
  wr16(payload, 4, 77); wr16(payload, 6, 1);
  wr16(payload, 2, inetChecksum(payload, 0, 64));
  const r = ipSend(from, { dst: parseIp(to)!, proto: IPPROTO_ICMP, payload });
  assert.ok(r.ok);
  lab.clock.runUntil(() => got, lab.clock.now + 5e9);
  close();
  return got;
}

test('bridge-mode macvlans on one lower reach each other without any switch', () => {
  const { lab, nss } = topo(['bridge', 'bridge']);
  assert.equal(ping(lab, nss[0]!, '192.0.2.12'), true);
});

test('vepa siblings cannot reach each other when nothing reflects frames', () => {
  const { lab, nss } = topo(['vepa', 'vepa']);
  assert.equal(ping(lab, nss[0]!, '192.0.2.12'), false);
});

test('bridge to vepa fails without a hairpin switch', () => {
  const { lab, nss } = topo(['bridge', 'vepa']);
  assert.equal(ping(lab, nss[0]!, '192.0.2.12'), false);
});

test('passthru is refused beside another macvlan, and a second macvlan beside passthru', () => {
  const lab = createLab();
  const v0 = must(newLink(lab, lab.init, { ifname: 'v0', kind: 'veth', data: { peer: { ifname: 'v1' } as LinkAttrs } }));
  must(newLink(lab, lab.init, { ifname: 'm0', kind: 'macvlan', link: v0.ifindex, data: { mode: 'bridge' } }));
  const r = newLink(lab, lab.init, { ifname: 'p0', kind: 'macvlan', link: v0.ifindex, data: { mode: 'passthru' } });
  assert.equal(r.ok, false);
  assert.equal(lab.init.devices.has('p0'), false);
});

test('macvlan carrier follows the lower and shows LOWERLAYERDOWN while the lower is down', () => {
  const lab = createLab();
  const v0 = must(newLink(lab, lab.init, { ifname: 'v0', kind: 'veth', data: { peer: { ifname: 'v1' } as LinkAttrs } }));
  const m = must(newLink(lab, lab.init, { ifname: 'm0', kind: 'macvlan', link: v0.ifindex, data: { mode: 'bridge' } }));
  up(m);
  assert.equal(m.operstate, 3 /* LOWERLAYERDOWN */);
  up(v0); up(lab.init.devices.get('v1')!);
  assert.equal(m.carrier, true);
  assert.equal(m.operstate, 6 /* UP */);
});

test('deleting the lower deletes its macvlans', async () => {
  const lab = createLab();
  const v0 = must(newLink(lab, lab.init, { ifname: 'v0', kind: 'veth', data: { peer: { ifname: 'v1' } as LinkAttrs } }));
  must(newLink(lab, lab.init, { ifname: 'm0', kind: 'macvlan', link: v0.ifindex, data: { mode: 'bridge' } }));
  const { deleteLink } = await import('../../src/core/rtnl.ts');
  deleteLink(v0);
  assert.deepEqual([...lab.init.devices.keys()], ['lo']);
});
