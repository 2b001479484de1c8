/**
 * Bad-input properties of the byte parsers: the wire views, tcpdump's printer and filter, the
 * pcap/pcapng reader, and the kernel's receive path fed damaged frames.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EthernetFrame } from '../../src/wire/ethernet.ts';
import { VlanTag } from '../../src/wire/vlan.ts';
import { ArpPacket } from '../../src/wire/arp.ts';
import { Ipv4Packet } from '../../src/wire/ipv4.ts';
import { IcmpPacket } from '../../src/wire/icmp.ts';
import { UdpPacket } from '../../src/wire/udp.ts';
import { Ipv6Packet } from '../../src/wire/ipv6.ts';
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL2, MAX_SNAPLEN, readCapture, writePcap, writePcapng, type WriteRecord } from '../../src/wire/pcap.ts';
import { ethernetToSll2, PacketPrinter } from '../../src/tools/tcpdump/print.ts';
import { compileFilter } from '../../src/tools/tcpdump/filter.ts';
import { devQueueXmit, newSkb } from '../../src/core/dev.ts';
import { openTap } from '../../src/core/drivers/macvlan.ts';
import { applyMutations, badFrame, concat, type Mutation } from './frames.ts';
import { dropReasonChecker, frameImbalance, structureErrors } from './labcheck.ts';
import { BUG_TEXT, LabRun } from './labrun.ts';
import type { Target } from './targets.ts';

type ViewClass = { parse(b: Uint8Array, o?: number, l?: number): object | null; prototype: object };

const VIEWS: [string, ViewClass][] = [
  ['EthernetFrame', EthernetFrame], ['VlanTag', VlanTag], ['ArpPacket', ArpPacket], ['Ipv4Packet', Ipv4Packet],
  ['IcmpPacket', IcmpPacket], ['UdpPacket', UdpPacket], ['Ipv6Packet', Ipv6Packet],
];

/** Every getter and no-argument query of a view, as plain values. */
function readAll(v: object, proto: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const view = v as Record<string, unknown> & { isEthernetIpv4?: boolean };
  for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
    // ARP's address getters are documented to assume the Ethernet/IPv4 shape.
    if (['sha', 'spa', 'tha', 'tpa'].includes(k) && !view.isEthernetIpv4) continue;
    if (d.get) out[k] = view[k];
  }
  for (const m of ['check', 'repr', 'verifyChecksum']) {
    const f = view[m];
    if (typeof f === 'function') out[m] = JSON.stringify((f as (...a: number[]) => unknown).call(v, 0xc0000201, 0xc0000202));
  }
  return out;
}

/**
 * Views never read outside [offset, offset+length): the same range inside buffers padded with
 * 0x00 and with 0xff must give the same values. A parse that accepts a range the buffer does
 * not hold is a bug too.
 */
const wireViews: Target = {
  name: 'wire-views', group: 'wire', runs: 1000,
  property: () => fc.property(badFrame, fc.integer({ min: -4, max: 80 }), fc.integer({ min: -4, max: 200 }), (f, off, len) => {
    for (const [name, View] of VIEWS) {
      for (const [o, l] of [[off, len], [14, f.length - 14], [18, f.length - 18], [34, f.length - 34], [0, f.length]] as const) {
        const v = View.parse(f, o, l);
        if (!v) continue;
        assert.ok(o >= 0 && o + l <= f.length, `${name}.parse accepted offset ${o} length ${l} of a ${f.length}-byte buffer`);
        const a = new Uint8Array(f.length + 64), b = new Uint8Array(f.length + 64).fill(0xff);
        a.set(f); b.set(f);
        const va = readAll(View.parse(a, o, l)!, View.prototype), vb = readAll(View.parse(b, o, l)!, View.prototype);
        assert.deepEqual(va, vb, `${name} at ${o}+${l} reads past its range`);
        for (const [k, x] of Object.entries(va)) {
          if (typeof x === 'number') assert.ok(Number.isFinite(x), `${name}.${k} is ${x}`);
        }
      }
    }
  }),
};

/** The decoded part of tcpdump's output: hex and ASCII dumps show the frame's own bytes ("NaN" may be data). */
function decoded(out: string, ascii: number): string {
  if (ascii) return out.split('\n')[0]!;
  return out.split('\n').filter((l) => !l.startsWith('\t0x')).join('\n');
}

const printOpts = fc.record({
  e: fc.boolean(), n: fc.nat(2), v: fc.nat(3), q: fc.boolean(), t: fc.nat(5), x: fc.nat(2), X: fc.nat(2), A: fc.nat(2),
  number: fc.boolean(), S: fc.boolean(), nano: fc.boolean(), sll2: fc.boolean(),
  cut: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 120 })),
});

/** tcpdump's printer on damaged frames: one line (or block) per frame, never an exception or "undefined". */
const tcpdumpPrint: Target = {
  name: 'tcpdump-print', group: 'wire', runs: 1500,
  property: () => fc.property(fc.array(badFrame, { minLength: 1, maxLength: 3 }), printOpts, (frames, o) => {
    const opts = { e: o.e, n: o.n, v: o.v, q: o.q, t: o.t, x: o.x, X: o.X, A: o.A, number: o.number, S: o.S, nano: o.nano,
      linktype: o.sll2 ? LINKTYPE_LINUX_SLL2 : LINKTYPE_ETHERNET };
    const p = new PacketPrinter(opts), p2 = new PacketPrinter(opts);
    frames.forEach((f, i) => {
      let data = o.sll2 ? ethernetToSll2(f, 3, i % 5) : f;
      // -s: the capture cuts the frame, the header keeps the length on the wire.
      const origLen = data.length;
      if (o.cut && o.cut < data.length) data = data.slice(0, o.cut);
      const out = p.print(data, i * 1_000_123, { origLen, ifname: 'eth0' });
      assert.ok(out.endsWith('\n'), 'output does not end with a newline');
      assert.doesNotMatch(decoded(out, o.A), BUG_TEXT, `printed ${JSON.stringify(out)}`);
      assert.equal(p2.print(data, i * 1_000_123, { origLen, ifname: 'eth0' }), out, 'the same frame printed differently');
    });
  }),
};

/** Filter expressions built from tcpdump's grammar, with junk words mixed in. */
const filterWord = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('host', 'net', 'port', 'src', 'dst', 'ether', 'arp', 'ip', 'ip6', 'icmp', 'icmp6', 'udp', 'tcp',
    'vlan', 'and', 'or', 'not', '(', ')', '!', '&&', '||', 'broadcast', 'multicast', 'less', 'greater', 'proto', 'len', 'portrange',
    'gateway', 'mask', 'stp', 'llc', 'inbound', 'outbound', 'ifname', 'mpls', '192.0.2.1', '192.0.2.0/24', '192.0.2', '10',
    '02:00:00:00:00:01', '0', '1', '53', '1-1024', '65536', 'ip[0]', 'ip[0] & 0xf', 'ether[12:2]', 'icmp[icmptype]', 'icmp-echo',
    'tcp[tcpflags]', 'tcp-syn', '=', '!=', '>', '<=', '+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '[', ']', ':', '4',
    'ip[100:4]', 'ether[-1]', 'ip[0:3]', '0x7fffffff', '4294967296', 'fe80::1', 'ff02::1/16', 'domain', 'bootps', 'echo') },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);
const filterExpr = fc.array(filterWord, { maxLength: 10 }).map((w) => w.join(' '));

const tcpdumpFilter: Target = {
  name: 'tcpdump-filter', group: 'wire', runs: 1000,
  property: () => fc.property(filterExpr, fc.array(badFrame, { maxLength: 4 }), fc.boolean(), (expr, frames, sll2) => {
    const c = compileFilter(expr, sll2 ? { linktype: LINKTYPE_LINUX_SLL2 } as never : {});
    if (!c.ok) {
      assert.ok(c.error.length > 0, 'rejected without a message');
      assert.doesNotMatch(c.error, BUG_TEXT, c.error);
      return;
    }
    for (const f of frames) {
      const r = c.match({ bytes: sll2 ? ethernetToSll2(f, 2, 0) : f } as never);
      assert.equal(typeof r, 'boolean');
    }
  }),
};

const fileMutation: fc.Arbitrary<Mutation> = fc.oneof(
  // The headers (file header, block headers, record headers) are where readers go wrong.
  fc.record({ k: fc.constant('set' as const), at: fc.integer({ min: 0, max: 90 }).map((x) => -x - 1), v: fc.constantFrom(0, 1, 2, 3, 6, 0x0a, 0x7f, 0x80, 0xff) }),
  fc.record({ k: fc.constant('set16' as const), at: fc.integer({ min: 0, max: 90 }).map((x) => -x - 1), v: fc.constantFrom(0, 1, 4, 9, 12, 14, 0x7fff, 0xffff) }),
  fc.record({ k: fc.constant('flip' as const), at: fc.integer({ min: 0, max: 1000 }), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ k: fc.constant('truncate' as const), at: fc.integer({ min: 0, max: 1000 }) }),
  fc.record({ k: fc.constant('delete' as const), at: fc.integer({ min: 0, max: 1000 }), n: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ k: fc.constant('insert' as const), at: fc.integer({ min: 0, max: 1000 }), data: fc.uint8Array({ maxLength: 8 }) }),
);

const captureFile = fc.record({
  ng: fc.boolean(), nano: fc.boolean(), snaplen: fc.constantFrom(0, 64, 96, 65535, MAX_SNAPLEN),
  linktype: fc.constantFrom(LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL2, 0, 101, 147),
  frames: fc.array(fc.tuple(badFrame, fc.nat(3_000_000_000), fc.constantFrom(0, 1, 2)), { maxLength: 4 }),
  name: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
  muts: fc.array(fileMutation, { maxLength: 3 }),
}).map((r) => {
  const recs: WriteRecord[] = r.frames.map(([data, tsNs, direction]) => ({ data, tsNs, direction: direction as 0 | 1 | 2 }));
  const file = r.ng
    ? writePcapng([{ linktype: r.linktype, snaplen: r.snaplen || MAX_SNAPLEN, ...(r.name !== undefined ? { name: r.name } : {}) }], recs)
    : writePcap(recs, { linktype: r.linktype, snaplen: r.snaplen || MAX_SNAPLEN, nanosecond: r.nano });
  return { ...r, file, damaged: applyMutations(file, r.muts) };
});

/** The reader refuses damaged files in libpcap's words, reads intact ones exactly, and never throws. */
const pcapReader: Target = {
  name: 'pcap-reader', group: 'wire', runs: 1500,
  property: () => fc.property(captureFile, (c) => {
    if (!c.muts.length) {
      const r = readCapture(c.file);
      assert.ok(r.ok && r.file.error === null, `an intact file is refused: ${r.ok ? r.file.error : r.error}`);
      const snap = c.snaplen || MAX_SNAPLEN;
      assert.deepEqual(r.file.records.map((x) => [...x.data]), c.frames.map(([d]) => [...d.subarray(0, snap)]));
    }
    const r = readCapture(c.damaged);
    const err = r.ok ? r.file.error : r.error;
    if (err !== null) {
      assert.ok(err.length > 0, 'refused without a message');
      assert.doesNotMatch(err, /internal error/, err);
      assert.doesNotMatch(err, BUG_TEXT, err);
    }
    if (r.ok) {
      // What `tcpdump -r` does next: print each record.
      const p = new PacketPrinter({ linktype: r.file.linktype, v: 1, e: true });
      for (const rec of r.file.records) {
        assert.ok(rec.data.length <= MAX_SNAPLEN);
        assert.doesNotMatch(decoded(p.printAt(rec.data, rec.ts, { origLen: rec.origLen }), 0), BUG_TEXT);
      }
    }
  }),
};

/**
 * The kernel's receive path fed damaged frames from the far end of a veth: into a host with
 * addresses, a bridge, a macvlan lower with macvlans of every mode, and a VLAN parent. Nothing
 * throws, every frame ends delivered/dropped-with-a-reason/queued, the lab stays consistent.
 */
function rxLab(): { r: LabRun; inject: (f: Uint8Array, which: number) => void } {
  const r = new LabRun(5);
  for (const l of [
    'ip netns add in', 'ip link add o0 type veth peer name h0 netns in', 'ip link add o1 type veth peer name p1 netns in',
    'ip link add o2 type veth peer name l2 netns in', 'ip link add o3 type veth peer name l3 netns in',
  ]) r.must(l);
  for (const l of [
    'ip link set lo up', 'ip addr add 192.0.2.10/24 dev h0', 'ip link set h0 up', 'sysctl -qw net.ipv4.ip_forward=1',
    'ip link add br0 type bridge', 'ip link set p1 master br0', 'ip link set p1 up', 'ip link set br0 up',
    'ip addr add 198.51.100.10/24 dev br0',
    'ip link add link l2 name mb type macvlan mode bridge', 'ip link add link l2 name mv type macvlan mode vepa',
    'ip link add link l2 name mp type macvlan mode private', 'ip link add link l2 name mt type macvtap mode bridge',
    'ip link set l2 up', 'ip link set mb up', 'ip link set mv up', 'ip link set mp up', 'ip link set mt up',
    'ip addr add 192.0.2.21/24 dev mb', 'ip addr add 192.0.2.22/24 dev mv',
    'ip link add link l3 name v5 type vlan id 5', 'ip link set l3 up', 'ip link set v5 up', 'ip addr add 203.0.113.5/24 dev v5',
  ]) r.must(l, 'in');
  for (const d of ['o0', 'o1', 'o2', 'o3']) r.must(`ip link set ${d} up`);
  r.advance(5);
  const outs = ['o0', 'o1', 'o2', 'o3'].map((n) => r.lab.init.devices.get(n)!);
  // A VM's virtio backend writing to /dev/tapN: damaged frames on the macvtap's transmit path.
  const tap = openTap(r.lab.ns('in')!.devices.get('mt')!, { vnetHdr: false });
  if (!tap.ok) throw new Error('cannot open the macvtap');
  return {
    r,
    inject: (f, which) => {
      if (which === 4) { tap.value.write(f); return; }
      devQueueXmit(newSkb(r.lab, f, outs[which]!));
    },
  };
}

const kernelRx: Target = {
  name: 'kernel-rx', group: 'wire', runs: 150,
  property: () => fc.property(fc.array(fc.tuple(badFrame, fc.nat(4), fc.constantFrom(0, 0, 0.001, 1)), { minLength: 1, maxLength: 12 }), (frames) => {
    const { r, inject } = rxLab();
    const drops = dropReasonChecker(r.lab);
    for (const [f, which, wait] of frames) {
      // Ethernet needs a header; shorter writes are refused before the driver by packet_snd.
      if (f.length >= 14) inject(f, which);
      if (wait) r.advance(wait);
    }
    r.advance(5);
    assert.deepEqual(structureErrors(r.lab), []);
    assert.deepEqual(drops.errors, []);
    assert.equal(frameImbalance(r.lab), 0, `frames unaccounted for: ${JSON.stringify(r.lab.counters)}`);
  }),
};

export const WIRE_TARGETS: Target[] = [wireViews, tcpdumpPrint, tcpdumpFilter, pcapReader, kernelRx];

export { concat };
