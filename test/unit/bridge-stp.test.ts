// 802.1D STP in the bridge: port state timing, BPDUs on the wire, root election on a loop of
// two bridges, the loop cut for broadcasts, and the STP-related errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newLink, setMaster, type LinkAttrs } from '../../src/core/rtnl.ts';
import { bridgeSetLink, portOf, STP_STATE_NAMES, type NetBridge } from '../../src/core/drivers/bridge/index.ts';
import type { Lab } from '../../src/core/lab.ts';
import type { NetDevice } from '../../src/core/netdev.ts';
import { addPort, bridge, frame, mac, must, newTestLab, recordRx, secs, send, up } from './bridge-helpers.test.ts';

const state = (d: NetDevice): string => STP_STATE_NAMES[portOf(d)!.state]!;

function loop(lab: Lab): { br0: NetDevice; br1: NetDevice; a1: NetDevice; a2: NetDevice; b1: NetDevice; b2: NetDevice } {
  const br0 = bridge(lab, 'br0', { stpState: 1, forwardDelay: 400 }, lab.init, '02:00:00:00:00:a0');
  const br1 = bridge(lab, 'br1', { stpState: 1, forwardDelay: 400 }, lab.init, '02:00:00:00:00:b0');
  const pair = (a: string, b: string): [NetDevice, NetDevice] => {
    const x = must(newLink(lab, lab.init, { ifname: a, address: mac(`02:00:00:00:00:${a}`), kind: 'veth',
      data: { peer: { ifname: b, address: mac(`02:00:00:00:00:${b}`) } as LinkAttrs } }));
    return [x, lab.init.devices.get(b)!];
  };
  const [a1, b1] = pair('a1', 'b1');
  const [a2, b2] = pair('a2', 'b2');
  must(setMaster(a1, br0) as never); must(setMaster(a2, br0) as never);
  must(setMaster(b1, br1) as never); must(setMaster(b2, br1) as never);
  up(br0); up(br1);
  for (const d of [a1, a2, b1, b2]) up(d);
  return { br0, br1, a1, a2, b1, b2 };
}

test('with STP on, a port goes listening, then learning after forward_delay, then forwarding', () => {
  const lab = newTestLab();
  const br = bridge(lab, 'br0', { stpState: 1, forwardDelay: 400 });
  up(br);
  const p = addPort(lab, br, 1, '02:00:00:00:01:01');
  assert.equal(state(p.port), 'listening');
  assert.equal(br.carrier, false);
  secs(lab, 3.9);
  assert.equal(state(p.port), 'listening');
  secs(lab, 0.2);
  assert.equal(state(p.port), 'learning');
  secs(lab, 4);
  assert.equal(state(p.port), 'forwarding');
  assert.equal(br.carrier, true);
  const b = br.priv as NetBridge;
  assert.equal(b.topologyChange, 1, 'a port reaching forwarding is a topology change');
  assert.equal(b.ageingTime, 2 * b.forwardDelay, 'FDB entries age after 2 × forward_delay meanwhile');
});

test('turning STP on does not send forwarding ports back through listening', () => {
  const lab = newTestLab();
  const br = bridge(lab);
  up(br);
  const p = addPort(lab, br, 1, '02:00:00:00:01:01');
  assert.equal(state(p.port), 'forwarding');
  must(lab.linkKinds.get('bridge')!.changeLink!(br, { stpState: 1 }) as never);
  assert.equal(state(p.port), 'forwarding');
});

test('two bridges joined twice elect the lower bridge id as root and block the redundant port', () => {
  const lab = newTestLab();
  const { br0, br1, a1, a2, b1, b2 } = loop(lab);
  assert.deepEqual([a1, a2, b1, b2].map(state), ['listening', 'listening', 'listening', 'listening']);
  secs(lab, 4.5);
  assert.deepEqual([a1, a2, b1, b2].map(state), ['learning', 'learning', 'learning', 'blocking']);
  secs(lab, 4);
  assert.deepEqual([a1, a2, b1, b2].map(state), ['forwarding', 'forwarding', 'forwarding', 'blocking']);
  const k = lab.linkKinds.get('bridge')!;
  const i1 = k.fillInfo!(br1);
  assert.equal(i1['rootPort'], 1);
  assert.equal(i1['rootPathCost'], 2);
  assert.deepEqual(i1['rootId'], { prio: 0x8000, mac: mac('02:00:00:00:00:a0') });
  const i0 = k.fillInfo!(br0);
  assert.equal(i0['rootPort'], 0);
  const s = k.fillSlaveInfo!(br1, b2);
  assert.deepEqual(s['bridgeId'], { prio: 0x8000, mac: mac('02:00:00:00:00:a0') });
  assert.equal(s['designatedPort'], 0x8002);
  assert.ok((s['messageAgeTimer'] as number) > 1700, 'the blocking port keeps hearing the root');
  assert.equal(br0.carrier && br1.carrier, true);
});

test('BPDUs are real frames: 802.3 with LLC 42 42 03 to 01:80:c2:00:00:00 every hello time', () => {
  const lab = newTestLab();
  const { a1 } = loop(lab);
  const seen: Uint8Array[] = [];
  lab.init.taps.push({ dev: a1, deliver(skb, _d, out) { if (out) seen.push(skb.data); } });
  secs(lab, 10);
  const bpdus = seen.filter((d) => d[0] === 0x01 && d[1] === 0x80 && d[2] === 0xc2 && d[5] === 0);
  assert.ok(bpdus.length >= 4 && bpdus.length <= 7, `about one per 2 s (${bpdus.length})`);
  const b = bpdus[0]!;
  assert.equal(b.length, 52);
  assert.deepEqual([...b.subarray(12, 17)], [0x00, 0x26, 0x42, 0x42, 0x03]);
  assert.deepEqual([...b.subarray(6, 12)], [...mac('02:00:00:00:00:a1')]);
  // root id 8000.02:00:00:00:00:a0, forward delay 4 s = 1024 ticks of 1/256 s
  assert.deepEqual([...b.subarray(22, 30)], [0x80, 0x00, 0x02, 0, 0, 0, 0, 0xa0]);
  assert.equal((b[50]! << 8) | b[51]!, 4 * 256);
});

test('with STP converged, a broadcast crosses the loop once instead of circling', () => {
  const lab = newTestLab();
  const { br0, br1 } = loop(lab);
  const h1 = addPort(lab, br0, 5, '02:00:00:00:05:01');
  const h2 = addPort(lab, br1, 6, '02:00:00:00:06:01');
  secs(lab, 10);
  const rx = recordRx([h1.hostNs, h2.hostNs]);
  send(lab, h1.peer, frame('ff:ff:ff:ff:ff:ff', '02:00:00:00:05:01'), 50_000_000);
  assert.deepEqual(rx.map((r) => r.dev), ['q6']);
});

test('blocking a port changes nothing by hand: state changes are EBUSY while kernel STP runs', () => {
  const lab = newTestLab();
  const { b2 } = loop(lab);
  const r = bridgeSetLink(b2, { state: 3 });
  assert.equal(!r.ok && r.errno, 16);
});

test('STP timer ranges: forward_delay outside 2–30 s is ERANGE while STP is on', () => {
  const lab = newTestLab();
  const br = bridge(lab, 'br0', { stpState: 1 });
  const k = lab.linkKinds.get('bridge')!;
  const r = k.changeLink!(br, { forwardDelay: 100 });
  assert.equal(!r.ok && r.errno, 34);
  must(k.changeLink!(br, { stpState: 0 }) as never);
  must(k.changeLink!(br, { forwardDelay: 0 }) as never);
  assert.equal(k.fillInfo!(br)['forwardDelay'], 0);
  must(k.changeLink!(br, { stpState: 1 }) as never);
  assert.equal(k.fillInfo!(br)['forwardDelay'], 200, 'turning STP on clamps forward_delay to 2 s');
});

test('root_block keeps a port from becoming root port; bpdu guard disables a port that hears BPDUs', () => {
  const lab = newTestLab();
  const { b1, b2 } = loop(lab);
  must(bridgeSetLink(b2, { guard: 1 }) as never);
  secs(lab, 3);
  assert.equal(state(b2), 'disabled');
  assert.notEqual(state(b1), 'disabled');
});
