/**
 * The vnet half of every workload. Each function runs in the current process and returns plain
 * numbers; bench/worker.ts runs them one workload per child process so that runs do not share a
 * heap or JIT state with other workloads, and bench/profile.ts runs them under the V8 profiler.
 */
import { newSession, type Session } from '../../src/index.ts';
import { Shell, type CommandRecord } from '../../src/shell/index.ts';
import { createLab } from '../../src/core/index.ts';
import type { Lab } from '../../src/core/lab.ts';
import { devQueueXmit } from '../../src/core/dev.ts';
import { addNamedNamespace, destroyNamespace } from '../../src/core/netns-ops.ts';
import { newLink, applyFlags, type LinkAttrs } from '../../src/core/rtnl.ts';
import { addInetAddr } from '../../src/core/ipv4/devinet.ts';
import { ipSend, openRawIcmp, ICMP_ECHO, ICMP_ECHOREPLY } from '../../src/core/ipv4/ip.ts';
import { IPPROTO_ICMP, inetChecksum, parseIp, rd16, wr16 } from '../../src/core/ipv4/bytes.ts';
import { IFF_UP, type NetDevice } from '../../src/core/netdev.ts';
import type { NetNamespace } from '../../src/core/netns.ts';
import {
  PING_TOPOLOGY, SETUP_PRELUDE, setupAddr, topologyById, vnetScript, vnetSetupScript, vnetTeardownScript,
  type Topology,
} from './topos.ts';

function nowS(): number { return Number(process.hrtime.bigint()) / 1e9; }

/**
 * The scale workloads go far past the lab's default resource limits (1,024 namespaces, 16,384
 * devices, 600 s of wall time per script: src/core/limits.ts), as `vnet run --limit` allows; the
 * kernel-like limits (receive backlog, FDB size) stay as they are.
 */
const BENCH_LIMITS = { namespaces: 1e9, devices: 1e9, addresses: 1e9, neighbours: 1e9, wallSeconds: 1e9 };

function must<T>(r: { ok: true; value: T } | { ok: false; errno: number; extack?: string }, what: string): T {
  if (!r.ok) throw new Error(`${what}: errno ${r.errno}${r.extack ? ` (${r.extack})` : ''}`);
  return r.value;
}

function mustOk(r: { ok: boolean; errno?: number }, what: string): void {
  if (!r.ok) throw new Error(`${what}: errno ${r.errno}`);
}

/** Runs a script in a session's top namespace; throws with the failing command if any fails. */
export function runOrThrow(s: Session, text: string, opts: { onRecord?: (r: CommandRecord) => void } = {}): CommandRecord[] {
  const sh = new Shell(s.host, { scriptName: 'bench', maxLoopIterations: 1e9, ...(opts.onRecord ? { onRecord: opts.onRecord } : {}) });
  const res = sh.runScript(text);
  const bad = res.records.find((r) => r.exit !== 0);
  if (bad) throw new Error(`vnet: "${bad.command}" failed (${bad.exit}): ${bad.stderr.trim()}`);
  return res.records;
}

// ---------------------------------------------------------------------------------------------
// Set-up and tear-down of N namespaces with a bridge-mode macvlan each.

export interface SetupResult { setupS: number; teardownS: number | null; virtualS: number; events: number }

/**
 * Through the shell and the ip tool, one command per line (what `vnet run` does). `onProgress`
 * is told every 100 namespaces, so a caller that has to stop a slow run can extrapolate.
 */
export function setupViaScript(n: number, ipv6: boolean, teardown: boolean,
  onProgress?: (nsDone: number, seconds: number) => void): SetupResult {
  const s = newSession({ ipv6, limits: BENCH_LIMITS });
  runOrThrow(s, SETUP_PRELUDE.join('\n'));
  const text = vnetSetupScript(n);
  const t0 = nowS();
  let done = 0;
  runOrThrow(s, text, {
    onRecord: (r) => {
      if (r.command.startsWith('ip -n') && r.command.endsWith(' up')) {
        done++;
        if (onProgress && done % 100 === 0) onProgress(done, nowS() - t0);
      }
    },
  });
  const t1 = nowS();
  checkSetup(s.lab, n);
  const v = s.lab.clock.now / 1e9;
  const events = s.lab.clock.executed;
  let td: number | null = null;
  if (teardown) {
    const t2 = nowS();
    runOrThrow(s, vnetTeardownScript(n));
    td = nowS() - t2;
    if (s.lab.named.size !== 0) throw new Error('tear-down left namespaces behind');
  }
  return { setupS: t1 - t0, teardownS: td, virtualS: v, events };
}

function checkSetup(lab: Lab, n: number): void {
  for (const i of [0, n - 1]) {
    const d = lab.named.get(`s${i}`)?.devices.get('sm0');
    if (!d || !d.isUp || d.inet.length !== 1) throw new Error(`set-up incomplete at s${i}`);
  }
}

/** The same through the core API, no shell or tool parsing: what the engine itself costs. */
export function setupViaCore(n: number, ipv6: boolean, teardown: boolean,
  onProgress?: (nsDone: number, seconds: number) => void): SetupResult {
  const lab = createLab({ ipv6, limits: BENCH_LIMITS });
  const lower = must(newLink(lab, lab.init, { ifname: 'lw0', kind: 'veth', data: { peer: { ifname: 'lw1' } as LinkAttrs } }), 'veth');
  mustOk(applyFlags(lab.init.devices.get('lw1')!, IFF_UP, IFF_UP), 'lw1 up');
  mustOk(applyFlags(lower, IFF_UP, IFF_UP), 'lw0 up');
  lab.clock.settle();
  const t0 = nowS();
  const nss: NetNamespace[] = [];
  for (let i = 0; i < n; i++) {
    const ns = must(addNamedNamespace(lab, `s${i}`), 'netns add');
    nss.push(ns);
    const dev = must(newLink(lab, lab.init, { ifname: 'sm0', kind: 'macvlan', link: lower.ifindex, netns: ns, data: { mode: 'bridge' } }), 'macvlan');
    mustOk(addInetAddr(dev, { local: parseIp(setupAddr(i))!, prefixlen: 24 }), 'addr add');
    mustOk(applyFlags(dev, IFF_UP, IFF_UP), 'up');
    lab.clock.settle();
    if (onProgress && (i + 1) % 100 === 0) onProgress(i + 1, nowS() - t0);
  }
  const t1 = nowS();
  checkSetup(lab, n);
  let td: number | null = null;
  if (teardown) {
    const t2 = nowS();
    for (const ns of nss) destroyNamespace(lab, ns);
    lab.clock.settle();
    td = nowS() - t2;
  }
  return { setupS: t1 - t0, teardownS: td, virtualS: lab.clock.now / 1e9, events: lab.clock.executed };
}

// ---------------------------------------------------------------------------------------------
// Forwarding: pre-built frames injected with devQueueXmit on the sender, counted at the receiver.

export interface ForwardRun { frames: number; sent: number; seconds: number; fps: number; lost: number; drops: number }

export interface ForwardBench {
  lab: Lab;
  tx: NetDevice;
  rx: NetDevice;
  /** Sends for about `seconds` of wall time in batches of `batch`; returns what arrived. */
  run(seconds: number, batch: number): ForwardRun;
}

function devIn(lab: Lab, ns: string, dev: string): NetDevice {
  const d = lab.named.get(ns)?.devices.get(dev);
  if (!d) throw new Error(`no device ${ns}/${dev}`);
  return d;
}

/**
 * Builds the topology from its script (IPv6 off, as for a kernel booted with ipv6.disable=1).
 * `unbounded` lifts the storm guard (at most `maxFramesPerMs` frames per device per virtual ms):
 * the forwarding loop injects a batch every backlog delay, tens of millions of frames per virtual
 * second, which is not a forwarding loop but would look like one.
 */
export function buildTopology(t: Topology, unbounded = false): Session {
  const s = newSession(unbounded ? { ipv6: false, maxFramesPerMs: Number.MAX_SAFE_INTEGER, limits: BENCH_LIMITS }
    : { ipv6: false, limits: BENCH_LIMITS });
  runOrThrow(s, vnetScript(t));
  s.host.settle();
  return s;
}

export function forwardBench(topoId: string): ForwardBench {
  const t = topologyById(topoId);
  const s = buildTopology(t, true);
  const lab = s.lab;
  const tx = devIn(lab, t.sender.ns, t.sender.dev);
  const rx = devIn(lab, t.receiver.ns, t.receiver.dev);
  let count = 0;
  if (t.vnetCount === 'ptype') {
    // The receiver's "socket": a protocol handler for the bench ethertype, as AF_PACKET bound to it.
    lab.ptype.set(t.ethertype, (skb) => { if (skb.dev === rx) count++; });
  } else {
    rx.netns.taps.push({ dev: rx, deliver: (_skb, _dev, outgoing) => { if (!outgoing) count++; } });
  }
  const frame = t.frame;
  const clock = lab.clock;
  return {
    lab, tx, rx,
    run(seconds: number, batch: number): ForwardRun {
      const c0 = count;
      const d0 = lab.counters.dropped;
      let sent = 0;
      let target = 0;
      const arrived = (): boolean => count - c0 >= target;
      const t0 = nowS();
      const end = t0 + seconds;
      let t1 = t0;
      do {
        for (let i = 0; i < batch; i++) devQueueXmit(lab.newSkbFor(frame, tx));
        sent += batch;
        target = sent;
        // A frame takes a few backlog delays (12 µs each) of virtual time; 10 ms is plenty, and
        // stops a lost frame from fast-forwarding the clock through every pending timer.
        clock.runUntil(arrived, clock.now + 10_000_000);
        t1 = nowS();
      } while (t1 < end);
      const frames = count - c0;
      const secs = t1 - t0;
      return { frames, sent, seconds: secs, fps: frames / secs, lost: sent - frames, drops: lab.counters.dropped - d0 };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// ICMP round trips.

export interface PingRun { roundTrips: number; seconds: number; perSecond: number }

/**
 * The machinery behind vnet's ping (raw ICMP socket + ipSend through the whole stack), one echo
 * in flight at a time, the next sent as soon as the reply is in: what `ping -f` does.
 */
export function pingBench(): { lab: Lab; run(n: number): PingRun } {
  const s = buildTopology(PING_TOPOLOGY);
  const lab = s.lab;
  const fa = lab.named.get('fa')!;
  const dst = parseIp('192.0.2.2')!;
  const ident = 0x4242;
  let replies = 0;
  openRawIcmp(fa, {
    deliver(p) {
      const b = p.bytes, h = p.hlen;
      if (b[h] === ICMP_ECHOREPLY && rd16(b, h + 4) === ident) replies++;
    },
  });
  const payload = new Uint8Array(64);
  payload[0] = ICMP_ECHO;
  wr16(payload, 4, ident);
  for (let i = 16; i < 56; i++) payload[8 + i] = i;
  let seq = 0;
  let want = 0;
  const got = (): boolean => replies >= want;
  return {
    lab,
    run(n: number): PingRun {
      const r0 = replies;
      const t0 = nowS();
      for (let i = 0; i < n; i++) {
        seq = (seq + 1) & 0xffff;
        wr16(payload, 6, seq);
        wr16(payload, 2, 0);
        wr16(payload, 2, inetChecksum(payload, 0, payload.length));
        const r = ipSend(fa, { dst, proto: IPPROTO_ICMP, payload });
        if (!r.ok) throw new Error(`ipSend errno ${r.errno}`);
        want = r0 + i + 1;
        lab.clock.runUntil(got, lab.clock.now + 1_000_000_000);
      }
      const secs = nowS() - t0;
      const rt = replies - r0;
      return { roundTrips: rt, seconds: secs, perSecond: rt / secs };
    },
  };
}

/** vnet's own `ping` program, quiet, 50 µs apart (longer than one round trip, so one at a time). */
export function pingToolRun(n: number): PingRun {
  const s = buildTopology(PING_TOPOLOGY);
  const t0 = nowS();
  const recs = runOrThrow(s, `ip netns exec fa ping -q -i 0.00005 -c ${n} 192.0.2.2`);
  const secs = nowS() - t0;
  const m = / (\d+) received/.exec(recs[0]?.stdout ?? '');
  const rt = m ? Number(m[1]) : 0;
  return { roundTrips: rt, seconds: secs, perSecond: rt / secs };
}

// ---------------------------------------------------------------------------------------------
// Memory and scale. Run in a fresh process started with --expose-gc.

function gcRss(): { rss: number; heap: number } {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) { g(); g(); }
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external + m.arrayBuffers };
}

export interface MemResult { count: number; rssPer: number; heapPer: number; buildS: number }

/** Idle namespaces (lo only, down). */
export function memNamespaces(n: number): MemResult & { keep: unknown } {
  const lab = createLab({ limits: BENCH_LIMITS });
  const before = gcRss();
  const t0 = nowS();
  for (let i = 0; i < n; i++) must(addNamedNamespace(lab, `n${i}`), 'netns add');
  const buildS = nowS() - t0;
  const after = gcRss();
  return { count: n, rssPer: (after.rss - before.rss) / n, heapPer: (after.heap - before.heap) / n, buildS, keep: lab };
}

/**
 * Idle devices: bridge-mode macvlans on one lower, created and left down. Stops early after
 * `limitS` seconds (then `count` < n, and `halfS` — when half of `count` was reached — lets the
 * caller extrapolate the build time).
 */
export function memDevices(n: number, limitS = Infinity): MemResult & { halfN: number; halfS: number; keep: unknown } {
  const lab = createLab({ limits: BENCH_LIMITS });
  const lower = must(newLink(lab, lab.init, { ifname: 'lw0', kind: 'veth', data: { peer: { ifname: 'lw1' } as LinkAttrs } }), 'veth');
  const before = gcRss();
  const t0 = nowS();
  const marks: number[] = [];
  let count = 0;
  for (; count < n; count++) {
    must(newLink(lab, lab.init, { ifname: `m${count}`, kind: 'macvlan', link: lower.ifindex, data: { mode: 'bridge' } }), 'macvlan');
    if ((count & 1023) === 1023) {
      const el = nowS() - t0;
      marks.push(el);
      if (el > limitS) { count++; break; }
    }
  }
  lab.clock.settle();
  const buildS = nowS() - t0;
  const after = gcRss();
  const halfK = Math.floor(count / 2 / 1024) - 1;
  const halfN = halfK >= 0 ? (halfK + 1) * 1024 : count / 2;
  const halfS = halfK >= 0 ? marks[halfK]! : buildS / 2;
  return { count, rssPer: (after.rss - before.rss) / count, heapPer: (after.heap - before.heap) / count, buildS, halfN, halfS, keep: lab };
}

/**
 * The largest lab of "namespace + bridge-mode macvlan + address + up" units that builds within
 * `seconds` and `maxRss` bytes (default options, so IPv6 is on as for a user's `vnet run`).
 */
export function largestLab(seconds: number, maxRss: number): { units: number; seconds: number; rss: number; limit: string } {
  const lab = createLab({ limits: BENCH_LIMITS });
  const lower = must(newLink(lab, lab.init, { ifname: 'lw0', kind: 'veth', data: { peer: { ifname: 'lw1' } as LinkAttrs } }), 'veth');
  mustOk(applyFlags(lab.init.devices.get('lw1')!, IFF_UP, IFF_UP), 'lw1 up');
  mustOk(applyFlags(lower, IFF_UP, IFF_UP), 'lw0 up');
  const t0 = nowS();
  let units = 0;
  let limit = 'time';
  for (;;) {
    for (let k = 0; k < 250; k++, units++) {
      const ns = must(addNamedNamespace(lab, `s${units}`), 'netns add');
      const dev = must(newLink(lab, lab.init, { ifname: 'sm0', kind: 'macvlan', link: lower.ifindex, netns: ns, data: { mode: 'bridge' } }), 'macvlan');
      mustOk(addInetAddr(dev, { local: parseIp(setupAddr(units))!, prefixlen: 24 }), 'addr');
      mustOk(applyFlags(dev, IFF_UP, IFF_UP), 'up');
      lab.clock.settle();
    }
    const el = nowS() - t0;
    const rss = process.memoryUsage().rss;
    if (rss >= maxRss) { limit = 'memory'; break; }
    if (el >= seconds) break;
  }
  return { units, seconds: nowS() - t0, rss: process.memoryUsage().rss, limit };
}
