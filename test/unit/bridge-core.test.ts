// The bridge driver through rtnl requests and raw frames: ports, carrier, MAC, learning,
// flooding, forwarding, hairpin, flood flags, ageing, user FDB entries and local delivery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newLink, setMaster, deleteLink, type LinkAttrs } from '../../src/core/rtnl.ts';
import { moveToNamespace, addNamedNamespace } from '../../src/core/netns-ops.ts';
import { OperState, OPERSTATE_NAMES } from '../../src/core/netdev.ts';
import { PacketType } from '../../src/core/skb.ts';
import {
  fdbAddRequest, fdbFind, NTF_MASTER, NUD_NOARP, NUD_PERMANENT, NUD_REACHABLE, NLM_F_CREATE, NLM_F_EXCL,
  bridgeSetLink, portOf, vlanRequest, BRIDGE_VLAN_INFO_PVID, BRIDGE_VLAN_INFO_UNTAGGED, type NetBridge,
} from '../../src/core/drivers/bridge/index.ts';
import {
  ET_TEST, addPort, bridge, collectTrace, down, frame, mac, must, newTestLab, recordRx, secs, send, up,
} from './bridge-helpers.test.ts';

const A = '02:00:00:00:0a:01', B = '02:00:00:00:0b:01', C = '02:00:00:00:0c:01';
const macNum = (s: string): number => parseInt(s.replace(/:/g, ''), 16);

function three(opts: { hairpin?: boolean } = {}) {
  const lab = newTestLab();
  const br = bridge(lab);
  up(br);
  const p1 = addPort(lab, br, 1, A);
  const p2 = addPort(lab, br, 2, B);
  const p3 = addPort(lab, br, 3, C);
  if (opts.hairpin) must(bridgeSetLink(p1.port, { hairpin: 1 }) as never);
  const rx = recordRx([p1.hostNs, p2.hostNs, p3.hostNs]);
  return { lab, br, p1, p2, p3, rx, b: br.priv as NetBridge };
}

test('a new bridge keeps its carrier: UNKNOWN when up, DOWN once a port joins, UP with a forwarding port', () => {
  const lab = newTestLab();
  const br = bridge(lab);
  up(br);
  assert.equal(br.carrier, true);
  assert.equal(br.operstate, OperState.UNKNOWN);
  const p = addPort(lab, br, 1, A, undefined, false);
  assert.equal(br.carrier, false);
  // operstate follows carrier through linkwatch, which is rate-limited to once a second.
  lab.clock.runUntil(() => false, lab.clock.now + 1.1e9);
  assert.equal(OPERSTATE_NAMES[br.operstate], 'DOWN');
  up(p.port); up(p.peer);
  assert.equal(br.carrier, true);
  lab.clock.runUntil(() => false, lab.clock.now + 1.1e9);
  assert.equal(OPERSTATE_NAMES[br.operstate], 'UP');
  must(setMaster(p.port, null) as never);
  assert.equal(br.carrier, false);
  lab.clock.runUntil(() => false, lab.clock.now + 1.1e9);
  assert.equal(OPERSTATE_NAMES[br.operstate], 'DOWN');
  assert.deepEqual([...br.mac], [0, 0, 0, 0, 0, 0]);
});

test('a bridge created with an address loses carrier at once (no ports forwarding)', () => {
  const lab = newTestLab();
  const br = bridge(lab, 'br0', {}, lab.init, '02:00:00:00:00:a0');
  up(br);
  assert.equal(br.carrier, false);
  const f = fdbFind(br.priv as NetBridge, macNum('02:00:00:00:00:a0'), 0);
  assert.ok(f && f.local && f.dst === null, 'the user-set MAC has its own local entry');
});

test('the bridge MAC is the smallest port MAC unless set; a user-set MAC stays', () => {
  const lab = newTestLab();
  const br = bridge(lab);
  addPort(lab, br, 1, A, '02:00:00:00:00:09');
  addPort(lab, br, 2, B, '02:00:00:00:00:05');
  assert.equal(br.macNum, macNum('02:00:00:00:00:05'));
  must(setMaster(br.netns.devices.get('p2')!, null) as never);
  assert.equal(br.macNum, macNum('02:00:00:00:00:09'));
  const lab2 = newTestLab();
  const br2 = bridge(lab2, 'br0', {}, lab2.init, '02:00:00:00:00:fe');
  addPort(lab2, br2, 1, A, '02:00:00:00:00:01');
  assert.equal(br2.macNum, macNum('02:00:00:00:00:fe'));
});

test('enslaving errors: lo EINVAL, a bridge ELOOP with extack, a port of another bridge EBUSY, a macvlan lower EBUSY', () => {
  const lab = newTestLab();
  const br = bridge(lab);
  const br1 = bridge(lab, 'br1');
  const lo = lab.init.devices.get('lo')!;
  let r = setMaster(lo, br);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.errno, 22);
  r = setMaster(br1, br);
  assert.deepEqual(r, { ok: false, errno: 40, extack: 'Can not enslave a bridge to a bridge' });
  const p = addPort(lab, br, 1, A);
  assert.equal(p.port.promiscuity, 1);
  assert.equal(p.port.allmulti, 1);
  const r2 = lab.linkKinds.get('bridge')!.addSlave!(br1, p.port);
  assert.equal(!r2.ok && r2.errno, 16);
  const v = must(newLink(lab, lab.init, { ifname: 'v0', kind: 'veth', data: { peer: { ifname: 'v1' } as LinkAttrs } }));
  must(newLink(lab, lab.init, { ifname: 'mv0', kind: 'macvlan', link: v.ifindex, data: { mode: 'bridge' } }));
  r = setMaster(v, br);
  assert.equal(!r.ok && r.errno, 16);
  assert.equal(v.allmulti, 0, 'allmulti is given back when the rx_handler is taken');
  must(setMaster(p.port, null) as never);
  assert.equal(p.port.promiscuity, 0);
  assert.equal(p.port.allmulti, 0);
  assert.equal(p.port.rxHandler, null);
});

test('unknown unicast floods to every other port, then learning makes the reply go to one port', () => {
  const { lab, p1, p2, p3, rx, br } = three();
  send(lab, p1.peer, frame(B, A));
  assert.deepEqual(rx.map((r) => r.dev).sort(), ['q2', 'q3']);
  const f = fdbFind(br.priv as NetBridge, macNum(A), 0);
  assert.ok(f && f.dst && f.dst.dev === p1.port);
  rx.length = 0;
  send(lab, p2.peer, frame(A, B));
  assert.deepEqual(rx.map((r) => r.dev), ['q1']);
  rx.length = 0;
  send(lab, p1.peer, frame(B, A));
  assert.deepEqual(rx.map((r) => r.dev), ['q2']);
  void p3;
});

test('broadcast and multicast go to every port but the ingress one, and up to the bridge device', () => {
  const { lab, p1, rx, br } = three();
  const seenOnBr: number[] = [];
  lab.init.taps.push({ dev: br, deliver(skb, _d, out) { if (!out && skb.ethertype === ET_TEST) seenOnBr.push(skb.pktType); } });
  send(lab, p1.peer, frame('ff:ff:ff:ff:ff:ff', A));
  assert.deepEqual(rx.map((r) => r.dev).sort(), ['q2', 'q3']);
  assert.deepEqual(seenOnBr, [PacketType.BROADCAST]);
  rx.length = 0;
  send(lab, p1.peer, frame('01:00:5e:01:02:03', A));
  assert.deepEqual(rx.map((r) => r.dev).sort(), ['q2', 'q3']);
  assert.equal(seenOnBr.length, 2);
});

test('frames to the bridge MAC are delivered up as PACKET_HOST and not forwarded', () => {
  const { lab, p1, rx, br } = three();
  const seen: number[] = [];
  lab.init.taps.push({ dev: br, deliver(skb, _d, out) { if (!out && skb.ethertype === ET_TEST) seen.push(skb.pktType); } });
  const brMac = [...br.mac].map((b) => b.toString(16).padStart(2, '0')).join(':');
  send(lab, p1.peer, frame(brMac, A));
  assert.deepEqual(rx, []);
  assert.deepEqual(seen, [PacketType.HOST]);
});

test('a source MAC that is not valid unicast is dropped at once', () => {
  const { lab, p1, rx } = three();
  const ev = collectTrace(lab);
  send(lab, p1.peer, frame(B, '01:00:00:00:00:01'));
  assert.deepEqual(rx, []);
  assert.ok(ev.some((e) => e.reason === 'BR_INVALID_SRC'));
});

test('hairpin off: a frame for a MAC behind its own ingress port is dropped with a hint', () => {
  const { lab, p1, rx } = three();
  send(lab, p1.peer, frame(B, '02:00:00:00:0a:02'));
  rx.length = 0;
  const ev = collectTrace(lab);
  send(lab, p1.peer, frame('02:00:00:00:0a:02', A));
  assert.deepEqual(rx, []);
  const d = ev.find((e) => e.reason === 'BR_HAIRPIN_OFF');
  assert.ok(d, 'dropped with BR_HAIRPIN_OFF');
  assert.match(d!.detail!, /would be forwarded with: bridge link set dev p1 hairpin on/);
});

test('hairpin on: the frame is reflected out of the port it came in on', () => {
  const { lab, p1, rx } = three({ hairpin: true });
  send(lab, p1.peer, frame(B, '02:00:00:00:0a:02'));
  rx.length = 0;
  const ev = collectTrace(lab);
  send(lab, p1.peer, frame('02:00:00:00:0a:02', A));
  assert.deepEqual(rx.map((r) => r.dev), ['q1']);
  const e = ev.find((x) => x.disposition === 'reflected');
  assert.ok(e);
  assert.equal(e!.detail, 'reflected out p1 (hairpin on)');
});

test('hairpin on also floods back to the ingress port', () => {
  const { lab, p1, rx } = three({ hairpin: true });
  send(lab, p1.peer, frame('ff:ff:ff:ff:ff:ff', A));
  assert.deepEqual(rx.map((r) => r.dev).sort(), ['q1', 'q2', 'q3']);
});

test('flood, bcast_flood and mcast_flood flags each keep one kind of flooding off a port', () => {
  const { lab, p1, p2, p3, rx } = three();
  must(bridgeSetLink(p2.port, { flood: 0 }) as never);
  send(lab, p1.peer, frame('02:00:00:00:0d:01', A));
  assert.deepEqual(rx.map((r) => r.dev), ['q3']);
  rx.length = 0;
  send(lab, p1.peer, frame('ff:ff:ff:ff:ff:ff', A));
  assert.deepEqual(rx.map((r) => r.dev).sort(), ['q2', 'q3']);
  rx.length = 0;
  must(bridgeSetLink(p3.port, { bcastFlood: 0 }) as never);
  send(lab, p1.peer, frame('ff:ff:ff:ff:ff:ff', A));
  assert.deepEqual(rx.map((r) => r.dev), ['q2']);
  rx.length = 0;
  must(bridgeSetLink(p2.port, { mcastFlood: 0 }) as never);
  send(lab, p1.peer, frame('01:00:5e:00:00:fb', A));
  assert.deepEqual(rx.map((r) => r.dev), ['q3']);
  rx.length = 0;
  must(bridgeSetLink(p3.port, { flood: 0 }) as never);
  const ev = collectTrace(lab);
  send(lab, p1.peer, frame('02:00:00:00:0d:01', A));
  assert.deepEqual(rx, []);
  const d = ev.find((e) => e.disposition === 'dropped' && e.where === 'br_flood');
  assert.equal(d?.reason, 'BR_FLOOD_OFF');
  assert.match(d!.detail!, /bridge link set dev p2 flood on/);
});

test('isolated ports do not talk to each other, but do to non-isolated ones', () => {
  const { lab, p1, p2, rx } = three();
  must(bridgeSetLink(p1.port, { isolated: 1 }) as never);
  must(bridgeSetLink(p2.port, { isolated: 1 }) as never);
  send(lab, p1.peer, frame('ff:ff:ff:ff:ff:ff', A));
  assert.deepEqual(rx.map((r) => r.dev), ['q3']);
});

test('learning off on a port: its sources are never learned, so replies flood', () => {
  const { lab, p1, p2, rx, br } = three();
  must(bridgeSetLink(p1.port, { learning: 0 }) as never);
  send(lab, p1.peer, frame(B, A));
  assert.equal(fdbFind(br.priv as NetBridge, macNum(A), 0), undefined);
  rx.length = 0;
  send(lab, p2.peer, frame(A, B));
  assert.deepEqual(rx.map((r) => r.dev).sort(), ['q1', 'q3']);
});

test('a learned entry moves when the MAC shows up behind another port', () => {
  const { lab, p1, p2, br } = three();
  send(lab, p1.peer, frame(C, '02:00:00:00:0e:01'));
  const b = br.priv as NetBridge;
  assert.equal(fdbFind(b, macNum('02:00:00:00:0e:01'), 0)!.dst!.dev, p1.port);
  send(lab, p2.peer, frame(C, '02:00:00:00:0e:01'));
  assert.equal(fdbFind(b, macNum('02:00:00:00:0e:01'), 0)!.dst!.dev, p2.port);
});

test('learned entries age out after ageing_time (300 s default); ageing_time 0 turns learning off', () => {
  const { lab, p1, br } = three();
  const b = br.priv as NetBridge;
  const M = '02:00:00:00:0e:02';
  send(lab, p1.peer, frame(B, M));
  assert.ok(fdbFind(b, macNum(M), 0));
  secs(lab, 290);
  assert.ok(fdbFind(b, macNum(M), 0), 'still there before 300 s');
  secs(lab, 15);
  assert.equal(fdbFind(b, macNum(M), 0), undefined, 'gone after 300 s');
  must(lab.linkKinds.get('bridge')!.changeLink!(br, { ageingTime: 1000 }) as never);
  send(lab, p1.peer, frame(B, M));
  secs(lab, 9);
  assert.ok(fdbFind(b, macNum(M), 0));
  secs(lab, 2);
  assert.equal(fdbFind(b, macNum(M), 0), undefined);
  must(lab.linkKinds.get('bridge')!.changeLink!(br, { ageingTime: 0 }) as never);
  send(lab, p1.peer, frame(B, M));
  assert.equal(fdbFind(b, macNum(M), 0), undefined);
});

test('static user entries forward and never age; the iproute2 default (permanent) delivers locally instead', () => {
  const { lab, p1, p2, rx, br } = three();
  const b = br.priv as NetBridge;
  must(fdbAddRequest(p2.port, { mac: macNum('02:00:00:00:99:01'), vid: undefined, state: NUD_NOARP | NUD_REACHABLE,
    flags: NTF_MASTER, nlFlags: NLM_F_CREATE | NLM_F_EXCL }) as never);
  send(lab, p1.peer, frame('02:00:00:00:99:01', A));
  assert.deepEqual(rx.map((r) => r.dev), ['q2']);
  secs(lab, 400);
  assert.ok(fdbFind(b, macNum('02:00:00:00:99:01'), 0));
  const dup = fdbAddRequest(p2.port, { mac: macNum('02:00:00:00:99:01'), vid: undefined, state: NUD_NOARP | NUD_REACHABLE,
    flags: NTF_MASTER, nlFlags: NLM_F_CREATE | NLM_F_EXCL });
  assert.equal(!dup.ok && dup.errno, 17);
  must(fdbAddRequest(p2.port, { mac: macNum('02:00:00:00:99:02'), vid: undefined, state: NUD_NOARP | NUD_PERMANENT,
    flags: NTF_MASTER, nlFlags: NLM_F_CREATE | NLM_F_EXCL }) as never);
  rx.length = 0;
  let up2 = 0;
  lab.init.taps.push({ dev: br, deliver(skb, _d, out) { if (!out && skb.ethertype === ET_TEST) up2++; } });
  send(lab, p1.peer, frame('02:00:00:00:99:02', A));
  assert.deepEqual(rx, [], 'a local entry is never forwarded');
  assert.equal(up2, 1, 'it goes up to br0');
});

test('a port moved to another namespace or deleted leaves the bridge; deleting the bridge frees its ports', () => {
  const lab = newTestLab();
  const br = bridge(lab);
  const p1 = addPort(lab, br, 1, A);
  const p2 = addPort(lab, br, 2, B);
  const other = must(addNamedNamespace(lab, 'x'));
  must(moveToNamespace(p1.port, other) as never);
  assert.equal(p1.port.master, null);
  assert.equal(p1.port.rxHandler, null);
  const b = br.priv as NetBridge;
  assert.equal(b.ports.length, 1);
  must(deleteLink(p2.port) as never);
  assert.equal(b.ports.length, 0);
  const p3 = addPort(lab, br, 3, C);
  must(deleteLink(br) as never);
  assert.equal(p3.port.master, null);
  assert.equal(p3.port.promiscuity, 0);
  assert.equal(lab.init.devices.has('br0'), false);
});

test('a port going down is disabled and its learned entries are flushed; coming up it forwards again', () => {
  const { lab, p1, br } = three();
  const b = br.priv as NetBridge;
  send(lab, p1.peer, frame(B, A));
  assert.ok(fdbFind(b, macNum(A), 0));
  down(p1.peer);
  assert.equal(portOf(p1.port)!.state, 0);
  assert.equal(fdbFind(b, macNum(A), 0), undefined);
  up(p1.peer);
  assert.equal(portOf(p1.port)!.state, 3);
});

test('port state can be set by hand while STP is off; ENETDOWN on a port that is down', () => {
  const { lab, p1, p2, rx } = three();
  must(bridgeSetLink(p2.port, { state: 1 }) as never);
  send(lab, p1.peer, frame('ff:ff:ff:ff:ff:ff', A));
  assert.deepEqual(rx.map((r) => r.dev), ['q3'], 'a listening port gets nothing');
  down(p2.port);
  const r = bridgeSetLink(p2.port, { state: 3 });
  assert.equal(!r.ok && r.errno, 100);
});

test('the bridge MTU follows the smallest port MTU until set by hand', () => {
  const lab = newTestLab();
  const br = bridge(lab);
  const v = must(newLink(lab, lab.init, { ifname: 'p1', kind: 'veth', mtu: 1400, data: { peer: { ifname: 'q1' } as LinkAttrs } }));
  must(setMaster(v, br) as never);
  assert.equal(br.mtu, 1400);
  br.ops.changeMtu!(br, 9000);
  addPort(lab, br, 2, B);
  assert.equal(br.mtu, 9000);
});

test('VLAN filtering is refused on a kernel built without it (the reference machine)', () => {
  const lab = newTestLab();
  const br = bridge(lab);
  const r = lab.linkKinds.get('bridge')!.changeLink!(br, { vlanFiltering: 1 });
  assert.equal(!r.ok && r.errno, 95);
  const r2 = newLink(lab, lab.init, { ifname: 'br1', kind: 'bridge', data: { vlanFiltering: 0 } });
  assert.equal(!r2.ok && r2.errno, 95);
  assert.equal(lab.init.devices.has('br1'), false);
});

test('with VLAN filtering built in: PVID tagging on ingress, untagged egress, and VLAN separation', () => {
  const lab = newTestLab({ vlanFiltering: true });
  const br = bridge(lab, 'br0', { vlanFiltering: 1 });
  up(br);
  const p1 = addPort(lab, br, 1, A);
  const p2 = addPort(lab, br, 2, B);
  const p3 = addPort(lab, br, 3, C);
  const rx = recordRx([p1.hostNs, p2.hostNs, p3.hostNs], null);
  // p3 moves to VLAN 20 (PVID, untagged): it no longer hears VLAN 1.
  must(vlanRequest(p3.port, true, 20, BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED) as never);
  must(vlanRequest(p3.port, false, 1, 0) as never);
  send(lab, p1.peer, frame('ff:ff:ff:ff:ff:ff', A));
  assert.deepEqual(rx.filter((r) => r.ethertype === ET_TEST).map((r) => r.dev), ['q2']);
  const f = fdbFind(br.priv as NetBridge, macNum(A), 1);
  assert.ok(f, 'learned on VLAN 1');
  // p2 carries VLAN 20 tagged: a frame from p3 reaches p2 with an 802.1Q tag.
  must(vlanRequest(p2.port, true, 20, 0) as never);
  rx.length = 0;
  let tagged = false;
  p2.hostNs.taps.push({ dev: p2.peer, deliver(skb, _d, out) { if (!out && skb.vlanPresent && (skb.vlanTci & 0xfff) === 20) tagged = true; } });
  send(lab, p3.peer, frame('ff:ff:ff:ff:ff:ff', C));
  assert.equal(tagged, true);
  assert.equal(rx.some((r) => r.dev === 'q1'), false);
});
