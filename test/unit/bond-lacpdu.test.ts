// 802.3ad LACPDUs with no partner (src/core/drivers/bond.ts adLacpTick/adLacpduSend), against a
// capture on Debian 6.1 under qemu: the bytes of the actor/partner/collector TLVs, and the
// schedule — ticks 2, 11, 20, 23 (Synchronization once the mux machine attaches) and 32, then slow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../src/index.ts';

test('LACPDUs of a bond with no LACP partner: content and schedule as on 6.1', () => {
  const r = runScript(`
ip netns add vnet-sw
ip link add eth0 address 02:00:00:00:00:10 type veth peer name sw0p1 address 02:00:00:00:01:01 netns vnet-sw
ip link add eth1 address 02:00:00:00:00:20 type veth peer name sw0p2 address 02:00:00:00:01:02 netns vnet-sw
ip netns exec vnet-sw sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip -n vnet-sw link set sw0p1 up
ip -n vnet-sw link set sw0p2 up
ip netns exec vnet-sw timeout 8 tcpdump --immediate-mode -nn -e -x -i sw0p1 &
sleep 1
ip link add bond0 type bond mode 802.3ad
ip link set eth0 master bond0
ip link set eth1 master bond0
ip link set bond0 up
wait
`, { world: 'none' });
  const cap = r.records.find((x) => x.command.includes('tcpdump'))!.stdout;
  const frames = cap.split(/\n(?=\d\d:)/).filter((f) => /^\d\d:/.test(f));
  assert.equal(frames.length, 5);
  const t = frames.map((f) => { const m = /^(\d\d):(\d\d):(\d\d\.\d+)/.exec(f)!; return Number(m[2]) * 60 + Number(m[3]); });
  const gaps = t.slice(1).map((x, i) => Math.round((x - t[i]!) * 10) / 10);
  assert.deepEqual(gaps, [0.9, 0.9, 0.3, 0.9]);
  for (const f of frames) assert.match(f, /^\S+ 02:00:00:00:00:10 > 01:80:c2:00:00:02, ethertype Slow Protocols \(0x8809\), length 124/);
  const hex = (f: string) => f.split('\n').slice(1).map((l) => l.replace(/^\s*0x[0-9a-f]+:\s+/, '').replace(/\s+/g, '')).join('');
  // subtype 1 version 1; actor: prio 65535, system = bond0's MAC, key 15 (10G full), port prio 255,
  // port 1, state c5 (activity, aggregation, defaulted, expired); partner: the default one, state 02
  assert.equal(hex(frames[0]!).slice(0, 2 * 42),
    '01010114ffff020000000010000f00ff0001c5000000' + '0214ffff000000000000000100ff000102000000');
  assert.equal(hex(frames[3]!).slice(2 * 18, 2 * 19), 'cd', 'attached: + synchronization');
  assert.equal(hex(frames[4]!).slice(2 * 18, 2 * 19), '4d', 'defaulted: expired cleared');
  assert.equal(hex(frames[4]!).slice(2 * 38, 2 * 39), '00', 'the default partner: long timeout');
  assert.equal(hex(frames[0]!).slice(2 * 42, 2 * 44), '0310', 'collector information TLV');
});
