// nlmon (src/core/drivers/nlmon.ts) and the rtnetlink encoding (src/core/netlink/) behind it: an
// up nlmon device sees the messages `ip` exchanges, encoded as iproute2 6.1 and the kernel do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness } from './ip-harness.test.ts';
import {
  NLMSG_ERROR, NLM_F_ACK_TLVS, NLM_F_CAPPED, NlWriter, RTM_NEWLINK, encodeAck, ifinfomsg, rd32le,
} from '../../src/core/netlink/msg.ts';
import type { SkBuff } from '../../src/core/skb.ts';

function hex(b: Uint8Array): string { return [...b].map((x) => x.toString(16).padStart(2, '0')).join(''); }

test('netlink: attributes are padded to 4 bytes, nests carry their length, kind has no NUL', () => {
  const w = new NlWriter(RTM_NEWLINK, 0x605, 7, 0);
  ifinfomsg(w);
  w.attrStr(3, 'd0');
  w.nestStart(18).attrStr(1, 'dummy', false).nestEnd();
  const m = w.end();
  // Bytes captured from `ip link add d0 type dummy` on Debian's 6.1 kernel (seq aside).
  assert.equal(hex(m), '38000000100005060700000000000000' + '00000000000000000000000000000000' +
    '0700030064300000' + '1000120009000100' + '64756d6d79000000');
  assert.equal(rd32le(m, 0), m.length);
});

test('netlink: an ACK echoes only the header, an error the whole request plus its extack', () => {
  const req = ifinfomsg(new NlWriter(RTM_NEWLINK, 5, 9, 0)).end();
  const ack = encodeAck(req, 0, 42);
  assert.equal(ack.length, 36);
  assert.equal(ack[4], NLMSG_ERROR);
  assert.equal(ack[6]! | (ack[7]! << 8), NLM_F_CAPPED);
  assert.equal(rd32le(ack, 8), 9, 'the reply carries the request\'s sequence number');
  assert.equal(rd32le(ack, 12), 42);
  const e = encodeAck(req, 22, 42, 'VRF table id is missing');
  assert.equal(rd32le(e, 16), 0xffffffea);
  assert.equal(e[6]! | (e[7]! << 8), NLM_F_ACK_TLVS);
  assert.equal(hex(e.subarray(20, 20 + req.length)), hex(req));
  assert.match(new TextDecoder().decode(e.subarray(20 + req.length + 4)), /^VRF table id is missing\0/);
});

test('nlmon: while up, its taps see the request and answer of each ip change; down, nothing', () => {
  const h = new Harness();
  h.ok('ip link add nlmon0 type nlmon');
  const seen: Uint8Array[] = [];
  const dev = h.lab.init.devices.get('nlmon0')!;
  h.lab.init.taps.push({ dev, deliver: (skb: SkBuff, _on, outgoing) => { assert.equal(outgoing, true); seen.push(skb.data); } });
  h.ok('ip link add d0 type dummy');
  assert.equal(seen.length, 0, 'a down nlmon device is no tap');
  h.ok('ip link set nlmon0 up');
  seen.length = 0;
  h.ok('ip link add d1 type dummy');
  assert.deepEqual(seen.map((m) => m[4]), [RTM_NEWLINK, NLMSG_ERROR, RTM_NEWLINK, NLMSG_ERROR]);
  assert.equal(rd32le(seen[1]!, 16), 0xffffffed, 'the probe is answered ENODEV');
  assert.equal(rd32le(seen[3]!, 16), 0, 'the request is acknowledged');
  assert.equal(dev.stats.rxPackets, 4, 'nlmon counts what it sees as received');
  h.ok('ip link set d1 up');
  seen.length = 0;
  h.sh('ip addr add 192.0.2.1/24 dev nosuch');
  assert.equal(seen.length, 0, 'refused before any request is sent (no such device)');
  h.ok('ip addr add 192.0.2.1/24 dev d1', 'ip route add 198.51.100.0/24 via 192.0.2.2');
  assert.deepEqual(seen.map((m) => m[4]), [20, NLMSG_ERROR, 24, NLMSG_ERROR]);
});
