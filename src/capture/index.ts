/**
 * Whole-run packet captures: `vnet run --capture NS/IF … --out DIR` and the library call
 * `startCaptures(session, specs)`.
 *
 * A capture records every frame seen on interface IF of namespace NS, the way a packet socket bound
 * to that interface without promiscuous mode sees it — exactly what `tcpdump -p -i IF` would show:
 * the receive path's taps (after the 802.1Q tag moved into metadata, which is put back into the bytes
 * as libpcap does) and the transmit path's taps (dev_queue_xmit_nit). Unlike tcpdump it
 *   - never changes the device (no promiscuity, no start-up delay, no 1 s TPACKET_V3 blocks);
 *   - follows the name: it starts the moment a device called IF exists in NS (created there, moved in,
 *     renamed to IF, NS created later), stops seeing it while it is gone (deleted, moved out, renamed),
 *     and picks up whatever device has that name next;
 *   - records each frame's direction (pcapng epb_flags: 1 inbound, 2 outbound) and the virtual time
 *     (nanoseconds; virtual time 0 is 2024-01-01 12:00:00 UTC, see src/wire/pcap.ts).
 *
 * Files are pcapng, one Interface Description Block (if_name = IF, Ethernet, snaplen 262144,
 * if_tsresol 10^-9), one Enhanced Packet Block per frame with epb_flags. File names:
 * `NS_IF.pcapng`, with `root` standing for the script's own namespace (`-`), e.g. `root_eth0.pcapng`,
 * `vnet1_m1.pcapng`.
 *
 * No Node APIs here (browser-safe); the `vnet` CLI writes the files (src/cli/main.ts).
 */
import type { Lab, NetdevEvent } from '../core/lab.ts';
import type { NetDevice } from '../core/netdev.ts';
import type { NetNamespace, PacketTap } from '../core/netns.ts';
import type { SkBuff } from '../core/skb.ts';
import {
  DIRECTION_INBOUND, DIRECTION_OUTBOUND, LINKTYPE_ETHERNET, MAX_SNAPLEN, concat,
  pcapngInterfaceBlock, pcapngPacketBlock, pcapngSectionHeader, type Direction,
} from '../wire/pcap.ts';

/** What to capture: interface `ifname` of namespace `netns` ('' = the script's own namespace). */
export interface CaptureSpec {
  netns: string;
  ifname: string;
}

/**
 * How long `vnet run` lets the virtual clock run after the script before it stops its captures (1 ms:
 * in-flight frames land; on Linux the tcpdumps are stopped a few milliseconds after the script too).
 */
export const END_DRAIN_NS = 1_000_000;

/** One recorded frame. */
export interface CapturedFrame {
  /** Virtual time, nanoseconds. */
  tsNs: number;
  /** The frame as a packet socket reads it (an 802.1Q tag kept in metadata is put back). */
  data: Uint8Array;
  direction: Direction;
  /** ifindex of the device at that moment (the name may have been taken by another device since). */
  ifindex: number;
}

/** The name the file uses for the script's own namespace (`-` on the command line). */
export const ROOT_NS_FILE_NAME = 'root';

/** dev_valid_name: the kernel's rule for interface names. */
function validIfName(name: string): boolean {
  if (name.length === 0 || name.length >= 16 || name === '.' || name === '..') return false;
  return !/[/:\s\0]/.test(name);
}

/** iproute2's rule for `ip netns add NAME` (no '/', not '.' or '..'), plus no NUL/whitespace. */
function validNsName(name: string): boolean {
  if (name.length === 0 || name.length > 255 || name === '.' || name === '..') return false;
  return !/[/\s\0]/.test(name);
}

/**
 * Parses `NS/IF` (NS is `-` for the script's own namespace). Returns the spec or an error in words. Names are checked with the kernel's and iproute2's rules, so a spec can never
 * name a file outside the output directory.
 */
export function parseCaptureSpec(text: string): { ok: true; spec: CaptureSpec } | { ok: false; error: string } {
  const slash = text.indexOf('/');
  if (slash < 0 || text.indexOf('/', slash + 1) >= 0) {
    return { ok: false, error: `bad capture "${text}": expected NS/IF (NS is - for the script's own namespace)` };
  }
  const ns = text.slice(0, slash);
  const ifname = text.slice(slash + 1);
  if (ns !== '-' && !validNsName(ns)) return { ok: false, error: `bad capture "${text}": "${ns}" is not a namespace name` };
  if (!validIfName(ifname)) return { ok: false, error: `bad capture "${text}": "${ifname}" is not an interface name` };
  return { ok: true, spec: { netns: ns === '-' ? '' : ns, ifname } };
}

/** `NS/IF` as the user writes it. */
export function formatCaptureSpec(spec: CaptureSpec): string {
  return `${spec.netns === '' ? '-' : spec.netns}/${spec.ifname}`;
}

/**
 * The file a capture is written to: `NS_IF.pcapng`, `root_IF.pcapng` for the script's namespace.
 * Always a plain file name (no '/', never '.' or '..'): it cannot leave the output directory.
 */
export function captureFileName(spec: CaptureSpec): string {
  const name = `${spec.netns === '' ? ROOT_NS_FILE_NAME : spec.netns}_${spec.ifname}.pcapng`;
  if (!isPlainFileName(name)) throw new Error(`capture file name "${name}" is not a plain file name`);
  return name;
}

/** A name that stays inside the directory it is joined to. */
export function isPlainFileName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}

/** One capture: its frames so far and its file. */
export class Capture {
  readonly frames: CapturedFrame[] = [];
  readonly fileName: string;
  /** The device currently tapped (null while no device of that name exists in that namespace). */
  dev: NetDevice | null = null;
  private tapNs: NetNamespace | null = null;
  private readonly tap: PacketTap;
  /** How many different devices were tapped over the run (a name can be reused). */
  attachments = 0;

  constructor(readonly spec: CaptureSpec, private readonly lab: Lab, readonly snaplen = MAX_SNAPLEN) {
    this.fileName = captureFileName(spec);
    const self = this;
    this.tap = {
      dev: null,
      deliver(skb: SkBuff, on: NetDevice, outgoing: boolean) {
        if (on !== self.dev) return;
        self.frames.push({
          tsNs: self.lab.clock.now,
          data: frameAsRead(skb),
          direction: outgoing ? DIRECTION_OUTBOUND : DIRECTION_INBOUND,
          ifindex: on.ifindex,
        });
      },
    };
  }

  /** The device that has the name now (ignoring `leaving`, which is on its way out). */
  private target(leaving: NetDevice | null): NetDevice | null {
    const ns = this.spec.netns === '' ? this.lab.init : this.lab.named.get(this.spec.netns);
    if (!ns || !ns.alive) return null;
    const d = ns.devices.get(this.spec.ifname);
    return d && d !== leaving && !d.dying ? d : null;
  }

  /** Re-binds the tap to whichever device has the name now. */
  resync(leaving: NetDevice | null = null): void {
    const t = this.target(leaving);
    if (t === this.dev && (t === null || (this.tapNs === t.netns && t.netns.taps.includes(this.tap)))) return;
    this.detach();
    if (t) {
      this.dev = t;
      this.tapNs = t.netns;
      this.tap.dev = t;
      t.netns.taps.push(this.tap);
      this.attachments++;
    }
  }

  detach(): void {
    if (this.tapNs) {
      const i = this.tapNs.taps.indexOf(this.tap);
      if (i >= 0) this.tapNs.taps.splice(i, 1);
    }
    this.tapNs = null;
    this.dev = null;
    this.tap.dev = null;
  }

  /** The capture as a pcapng file (valid at any time; frames recorded so far). */
  pcapng(): Uint8Array {
    const parts: Uint8Array[] = [
      pcapngSectionHeader({ application: 'vnet' }),
      pcapngInterfaceBlock({ name: this.spec.ifname, linktype: LINKTYPE_ETHERNET, snaplen: this.snaplen }),
    ];
    for (const f of this.frames) {
      parts.push(pcapngPacketBlock({ tsNs: f.tsNs, data: f.data, origLen: f.data.length, direction: f.direction }, {}, this.snaplen));
    }
    return concat(parts);
  }
}

/** What a packet socket reads: the bytes, with a tag held in metadata written back after the MACs. */
function frameAsRead(skb: SkBuff): Uint8Array {
  if (!skb.vlanPresent) return new Uint8Array(skb.data);
  const d = skb.data;
  const f = new Uint8Array(d.length + 4);
  f.set(d.subarray(0, 12));
  f[12] = skb.vlanProto >> 8; f[13] = skb.vlanProto & 0xff;
  f[14] = skb.vlanTci >> 8; f[15] = skb.vlanTci & 0xff;
  f.set(d.subarray(12), 16);
  return f;
}

/** A running set of captures; `stop()` ends them and returns their files. */
export interface CaptureSet {
  readonly captures: readonly Capture[];
  /**
   * Stops every capture (idempotent) and returns one file per capture, in the order asked.
   * `drainNs` first lets the virtual clock run that much longer, so frames still in flight when the
   * script ended (a copy waiting in a receive backlog) are recorded, as by a tcpdump stopped a moment
   * after the script: `vnet run` uses END_DRAIN_NS. Default 0: the clock is not touched.
   */
  stop(opts?: { drainNs?: number }): CaptureFile[];
  /** The files as they are now, without stopping. */
  files(): CaptureFile[];
}

export interface CaptureFile {
  spec: CaptureSpec;
  /** `NS_IF.pcapng`. */
  name: string;
  bytes: Uint8Array;
  packets: number;
}

/**
 * Starts capturing on each `NS/IF` (string or spec) in `session`'s lab. Call it before the traffic
 * you want (RunOptions.beforeScript for a whole script). Two specs that would write the same file
 * (e.g. `-/eth0` and `root/eth0`) are refused, as are malformed ones.
 */
export function startCaptures(session: { lab: Lab }, specs: readonly (string | CaptureSpec)[], opts: { snaplen?: number } = {}): CaptureSet {
  const lab = session.lab;
  const parsed: CaptureSpec[] = specs.map((s) => {
    if (typeof s !== 'string') {
      const r = parseCaptureSpec(formatCaptureSpec(s));
      if (!r.ok) throw new Error(r.error);
      return r.spec;
    }
    const r = parseCaptureSpec(s);
    if (!r.ok) throw new Error(r.error);
    return r.spec;
  });
  const seen = new Map<string, CaptureSpec>();
  for (const s of parsed) {
    const name = captureFileName(s);
    const prev = seen.get(name);
    if (prev) throw new Error(`captures ${formatCaptureSpec(prev)} and ${formatCaptureSpec(s)} would both write ${name}`);
    seen.set(name, s);
  }
  const captures = parsed.map((s) => new Capture(s, lab, opts.snaplen ?? MAX_SNAPLEN));
  // Devices appear and vanish through register/unregister (also for netns moves and namespace
  // creation/deletion) and renames; any notifier event is a chance to re-bind.
  const notifier = (event: NetdevEvent, dev: NetDevice): void => {
    const leaving = event === 'UNREGISTER' ? dev : null;
    for (const c of captures) c.resync(leaving);
  };
  lab.notifiers.push(notifier);
  for (const c of captures) c.resync();
  let stopped = false;
  const files = (): CaptureFile[] => captures.map((c) => ({ spec: c.spec, name: c.fileName, bytes: c.pcapng(), packets: c.frames.length }));
  return {
    captures,
    files,
    stop(o = {}) {
      if (!stopped && o.drainNs && o.drainNs > 0) lab.clock.runUntil(() => false, lab.clock.now + o.drainNs);
      if (!stopped) {
        stopped = true;
        const i = lab.notifiers.indexOf(notifier);
        if (i >= 0) lab.notifiers.splice(i, 1);
        for (const c of captures) c.detach();
      }
      return files();
    },
  };
}
