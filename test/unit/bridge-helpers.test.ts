// Shared helpers of the bridge tests: a lab with the bridge module, veth ports whose outer ends
// live in their own namespaces, hand-built frames, and taps that record what each device receives.
import { createLab } from '../../src/core/index.ts';
import { installBridge } from '../../src/core/drivers/bridge/index.ts';
import { newLink, applyFlags, setMaster, type LinkAttrs } from '../../src/core/rtnl.ts';
import { addNamedNamespace } from '../../src/core/netns-ops.ts';
import { devQueueXmit, newSkb } from '../../src/core/dev.ts';
import { IFF_UP, type NetDevice } from '../../src/core/netdev.ts';
import type { Lab } from '../../src/core/lab.ts';
import type { NetNamespace } from '../../src/core/netns.ts';
import type { TraceEvent } from '../../src/core/trace.ts';
import type { Tool } from '../../src/tools/types.ts';

/** A test ethertype (IEEE local experimental) so background IPv6/ARP traffic is easy to ignore. */
export const ET_TEST = 0x88b5;

export function must<T>(r: { ok: true; value: T } | { ok: false; errno: number; extack?: string }): T {
  if (!r.ok) throw new Error(`errno ${r.errno} ${r.extack ?? ''}`);
  return r.value;
}

// Like the shell after a command: run what the kernel does right after (urgent linkwatch work).
export function up(dev: NetDevice): void { must(applyFlags(dev, IFF_UP, IFF_UP) as never); dev.netns.lab.clock.settle(); }
export function down(dev: NetDevice): void { must(applyFlags(dev, IFF_UP, 0) as never); dev.netns.lab.clock.settle(); }

export function mac(s: string): Uint8Array { return new Uint8Array(s.split(':').map((h) => parseInt(h, 16))); }

export function newTestLab(opts: { vlanFiltering?: boolean } = {}): Lab {
  const lab = createLab({ ipv6: false });
  installBridge(lab, opts);
  return lab;
}

export function bridge(lab: Lab, name = 'br0', data: Record<string, unknown> = {}, ns: NetNamespace = lab.init,
  address?: string): NetDevice {
  const attrs: LinkAttrs = { ifname: name, kind: 'bridge', data };
  if (address) attrs.address = mac(address);
  return must(newLink(lab, ns, attrs));
}

export interface Port { port: NetDevice; peer: NetDevice; hostNs: NetNamespace }

/**
 * Port `pN` on `br` whose veth peer `qN` sits in namespace `hN` with MAC `peerMac`. Everything is
 * brought up unless `upNow` is false.
 */
export function addPort(lab: Lab, br: NetDevice, n: number, peerMac: string, portMac?: string, upNow = true): Port {
  const hostNs = lab.named.get(`h${n}`) ?? must(addNamedNamespace(lab, `h${n}`));
  const peer: LinkAttrs = { ifname: `q${n}`, netns: hostNs, address: mac(peerMac) };
  const attrs: LinkAttrs = { ifname: `p${n}`, kind: 'veth', data: { peer } };
  if (portMac) attrs.address = mac(portMac);
  const port = must(newLink(lab, br.netns, attrs));
  must(setMaster(port, br) as never);
  const q = hostNs.devices.get(`q${n}`)!;
  if (upNow) { up(port); up(q); }
  return { port, peer: q, hostNs };
}

export function frame(dst: string, src: string, ethertype = ET_TEST, len = 60): Uint8Array {
  const f = new Uint8Array(len);
  f.set(mac(dst), 0);
  f.set(mac(src), 6);
  f[12] = ethertype >> 8; f[13] = ethertype & 0xff;
  for (let i = 14; i < len; i++) f[i] = i & 0xff;
  return f;
}

/** Sends a frame out of `dev` (the outer veth end) and lets the lab run for a moment. */
export function send(lab: Lab, dev: NetDevice, bytes: Uint8Array, settleNs = 1_000_000): void {
  devQueueXmit(newSkb(lab, bytes, dev));
  lab.clock.runUntil(() => false, lab.clock.now + settleNs);
}

export interface Rx { dev: string; dst: string; src: string; ethertype: number }

/** Records test frames each device receives (not what it sends), across all given namespaces. */
export function recordRx(nss: NetNamespace[], ethertype: number | null = ET_TEST): Rx[] {
  const got: Rx[] = [];
  const hex = (d: Uint8Array, o: number): string => [...d.subarray(o, o + 6)].map((b) => b.toString(16).padStart(2, '0')).join(':');
  for (const ns of nss) {
    ns.taps.push({
      dev: null,
      deliver(skb, dev, outgoing) {
        if (outgoing) return;
        const et = skb.ethertype;
        if (ethertype !== null && et !== ethertype) return;
        got.push({ dev: dev.name, dst: hex(skb.data, 0), src: hex(skb.data, 6), ethertype: et });
      },
    });
  }
  return got;
}

export function collectTrace(lab: Lab): TraceEvent[] {
  const evs: TraceEvent[] = [];
  lab.tracer = (ev) => { evs.push({ ...ev, frame: undefined as never }); };
  return evs;
}

/** Runs a tool in a namespace and returns its status and outputs. */
export function runTool(lab: Lab, tool: Tool, argv: string[], ns: NetNamespace = lab.init): { rc: number; out: string; err: string } {
  let out = '', err = '';
  const rc = tool({ lab, ns, argv, out: (s) => { out += s; }, err: (s) => { err += s; }, io: {} as never, fs: {} as never });
  lab.clock.settle();
  return { rc: rc as number, out, err };
}

export function secs(lab: Lab, s: number): void { lab.clock.runUntil(() => false, lab.clock.now + s * 1e9); }

// (This module holds no tests of its own: it is named *.test.ts only to stay within the bridge
// test files; node:test runs it as an empty file.)
