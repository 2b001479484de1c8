/**
 * The lab's virtual filesystem, as a process in a given network namespace sees it:
 *
 * - /proc/sys/net/…   the namespace's sysctls (reads print the value, writes are parsed as the
 *                     kernel's proc handlers do: "abc" → EINVAL);
 * - /proc/net/dev     per-device counters;
 * - /sys/class/net/   the namespace's devices and their attributes, with bridge/, brif/ and
 *                     brport/ going through the bridge kind's fill/change hooks;
 * - /run/netns/       the named namespaces (newest first, like tmpfs);
 * - /dev/             null, zero, random, urandom, net/tun and tapN for macvtap devices;
 * - anything else     ordinary files kept per lab (scripts' `echo x > /tmp/f`, pcap files…).
 *
 * No Node APIs: everything lives in memory.
 */
import type { Lab } from '../core/lab.ts';
import type { NetNamespace } from '../core/netns.ts';
import type { NetDevice } from '../core/netdev.ts';
import { IFF_UP, OPERSTATE_NAMES } from '../core/netdev.ts';
import type { KindData } from '../core/rtnl.ts';
import type { FileResult } from '../shell/host.ts';
import { setMtu } from '../core/rtnl-setlink.ts';
import { normBridge, normBrport } from './ip/kinds.ts';
import { TUN_SYSFS_ATTRS, tunSysfsRead } from '../core/drivers/tun.ts'; // tun/tap sysfs attributes
import { openTap } from '../core/drivers/macvlan.ts'; // /dev/tapN queues
import { bondProcInfo, bondProcNames } from '../core/drivers/bond.ts'; // /proc/net/bonding
import { vlanProcConfig, vlanProcDevice, vlanProcNames } from '../core/drivers/vlan.ts'; // /proc/net/vlan
import {
  componentsToKey, isSysctlDir, listSysctlDir, sysctlReadParts, sysctlWrite,
} from './sysctl.ts';

const ENOENT = 2, EACCES = 13, EISDIR = 21, EINVAL = 22, ENOTDIR = 20, EOPNOTSUPP = 95;
const MSG: Record<number, string> = {
  2: 'No such file or directory', 13: 'Permission denied', 20: 'Not a directory', 21: 'Is a directory',
  22: 'Invalid argument', 95: 'Operation not supported', 16: 'Device or resource busy', 1: 'Operation not permitted',
  34: 'Numerical result out of range', 19: 'No such device', 6: 'No such device or address', 9: 'Bad file descriptor',
  77: 'File descriptor in bad state', // tun: read/write on /dev/net/tun before TUNSETIFF
};

function fail<T>(errno: number): FileResult<T> { return { ok: false, errno, message: MSG[errno] ?? `Unknown error ${errno}` }; }
function ok<T>(value: T): FileResult<T> { return { ok: true, value }; }

/**
 * An open character device that moves whole frames, as /dev/tapN of a macvtap/ipvtap does: every
 * read() returns one frame (a 10-byte virtio_net_hdr first: tap_open turns IFF_VNET_HDR on) and
 * blocks until one arrives; every write() sends one frame. While it is open, the device's received
 * frames go to the reader instead of its IP stack.
 */
export interface CharStream {
  /** Delivers each frame as one read() returns it (push, on the virtual clock); null stops. */
  onRead(cb: ((frame: Uint8Array) => void) | null): void;
  /** One write(): the bytes written, or the errno the kernel returns (EINVAL for a runt frame). */
  write(bytes: Uint8Array): FileResult<number>;
  close(): void;
}

/** A node the lab adds under /dev (macvtap queues and the like). */
export interface DevNode {
  read?(): FileResult<string>;
  write?(data: string): FileResult<void>;
}

/** Normalises a path: absolute, no "." or "..", no trailing slash; /var/run is /run. */
export function normPath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') { out.pop(); continue; }
    out.push(part);
  }
  if (out[0] === 'var' && out[1] === 'run') out.splice(0, 2, 'run');
  return '/' + out.join('/');
}

const BASE_DIRS = ['/', '/tmp', '/etc', '/root', '/home', '/var', '/var/tmp', '/var/log', '/var/lib', '/run',
  '/usr', '/usr/bin', '/usr/sbin', '/usr/lib', '/usr/share', '/bin', '/sbin', '/lib', '/opt', '/srv', '/mnt',
  '/proc', '/proc/net', '/proc/sys', '/sys', '/sys/class', '/sys/devices', '/sys/devices/virtual', '/dev', '/dev/net',
  '/run/netns', '/etc/iproute2', '/etc/sysctl.d'];

const NET_ATTRS = ['addr_assign_type', 'addr_len', 'address', 'broadcast', 'carrier', 'carrier_changes',
  'carrier_down_count', 'carrier_up_count', 'dev_id', 'dev_port', 'dormant', 'duplex', 'flags', 'gro_flush_timeout',
  'ifalias', 'ifindex', 'iflink', 'link_mode', 'mtu', 'name_assign_type', 'napi_defer_hard_irqs', 'netdev_group',
  'operstate', 'phys_port_id', 'phys_port_name', 'phys_switch_id', 'proto_down', 'speed', 'testing', 'threaded',
  'tx_queue_len', 'type'];

function macHex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  return Number(v) || 0;
}

/** sysfs spells bridge ids "8000.aabbccddeeff". */
function sysfsBridgeId(v: unknown): string {
  if (typeof v === 'string') {
    const m = /^([0-9a-f]{4})\.(.*)$/i.exec(v);
    if (!m) return v;
    return m[1] + '.' + m[2]!.split(':').map((x) => x.padStart(2, '0')).join('');
  }
  const o = (v ?? {}) as { prio?: number | Uint8Array; priority?: number; addr?: Uint8Array; mac?: Uint8Array };
  let prio: number;
  if (o.prio instanceof Uint8Array) prio = (o.prio[0]! << 8) | o.prio[1]!;
  else prio = o.prio ?? o.priority ?? 0x8000;
  const addr = o.addr ?? o.mac ?? new Uint8Array(6);
  return prio.toString(16).padStart(4, '0') + '.' + [...addr].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const BRIDGE_VLAN_FILES = new Set(['vlan_filtering', 'default_pvid', 'vlan_protocol']);

/** /sys/class/net/BR/bridge/<file> ⇄ the bridge kind's KindData keys. */
const BRIDGE_FILES: Record<string, { key: string; fmt?: 'hex' | 'id' | 'mac'; writable?: boolean }> = {
  ageing_time: { key: 'ageingTime', writable: true }, forward_delay: { key: 'forwardDelay', writable: true },
  hello_time: { key: 'helloTime', writable: true }, max_age: { key: 'maxAge', writable: true },
  stp_state: { key: 'stpState', writable: true }, priority: { key: 'priority', writable: true },
  vlan_filtering: { key: 'vlanFiltering', writable: true }, default_pvid: { key: 'vlanDefaultPvid', writable: true },
  vlan_protocol: { key: 'vlanProtocol', fmt: 'hex', writable: true },
  group_fwd_mask: { key: 'groupFwdMask', fmt: 'hex', writable: true }, group_addr: { key: 'groupAddr', fmt: 'mac' },
  bridge_id: { key: 'bridgeId', fmt: 'id' }, root_id: { key: 'rootId', fmt: 'id' }, root_port: { key: 'rootPort' },
  root_path_cost: { key: 'rootPathCost' }, topology_change: { key: 'topologyChange' },
  topology_change_detected: { key: 'topologyChangeDetected' }, hello_timer: { key: 'helloTimer' },
  tcn_timer: { key: 'tcnTimer' }, topology_change_timer: { key: 'topologyChangeTimer' }, gc_timer: { key: 'gcTimer' },
  multicast_snooping: { key: 'mcastSnooping', writable: true }, multicast_router: { key: 'mcastRouter', writable: true },
  multicast_querier: { key: 'mcastQuerier', writable: true },
  nf_call_iptables: { key: 'nfCallIptables', writable: true }, nf_call_ip6tables: { key: 'nfCallIp6tables', writable: true },
  nf_call_arptables: { key: 'nfCallArptables', writable: true },
};

/** /sys/class/net/PORT/brport/<file> ⇄ the bridge kind's slave KindData keys. */
const BRPORT_FILES: Record<string, { key: string; fmt?: 'hex' | 'id' | 'bool'; writable?: boolean }> = {
  state: { key: 'state', writable: true }, priority: { key: 'priority', writable: true },
  path_cost: { key: 'cost', writable: true }, hairpin_mode: { key: 'hairpin', fmt: 'bool', writable: true },
  learning: { key: 'learning', fmt: 'bool', writable: true }, unicast_flood: { key: 'flood', fmt: 'bool', writable: true },
  multicast_flood: { key: 'mcastFlood', fmt: 'bool', writable: true },
  broadcast_flood: { key: 'bcastFlood', fmt: 'bool', writable: true },
  isolated: { key: 'isolated', fmt: 'bool', writable: true }, bpdu_guard: { key: 'guard', fmt: 'bool', writable: true },
  root_block: { key: 'rootBlock', fmt: 'bool', writable: true },
  multicast_fast_leave: { key: 'fastleave', fmt: 'bool', writable: true },
  proxyarp: { key: 'proxyArp', fmt: 'bool', writable: true }, port_no: { key: 'no', fmt: 'hex' },
  port_id: { key: 'id', fmt: 'hex' }, designated_port: { key: 'designatedPort' },
  designated_cost: { key: 'designatedCost' }, designated_bridge: { key: 'bridgeId', fmt: 'id' },
  designated_root: { key: 'rootId', fmt: 'id' }, hold_timer: { key: 'holdTimer' },
  message_age_timer: { key: 'messageAgeTimer' }, forward_delay_timer: { key: 'forwardDelayTimer' },
  config_pending: { key: 'configPending' }, change_ack: { key: 'topologyChangeAck' },
  multicast_router: { key: 'multicastRouter', writable: true },
};

function fmtValue(v: unknown, fmt?: string): string {
  if (fmt === 'hex') return '0x' + num(v).toString(16);
  if (fmt === 'id') return sysfsBridgeId(v);
  if (fmt === 'mac') return v instanceof Uint8Array ? macHex(v) : String(v);
  if (fmt === 'bool') return num(v) ? '1' : '0';
  return String(num(v));
}

/** kstrtoul as sysfs store handlers use it. */
function parseUl(s: string): number | null {
  const t = s.replace(/\n$/, '');
  const m = /^\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(t);
  if (!m) return null;
  const x = m[1]!;
  const v = /^0[xX]/.test(x) ? parseInt(x, 16) : x.length > 1 && x[0] === '0' ? parseInt(x, 8) : parseInt(x, 10);
  return Number.isFinite(v) ? v : null;
}

type Node =
  | { kind: 'dir'; list: () => string[] }
  | { kind: 'file'; read: () => FileResult<string>; write?: (data: string, append: boolean) => FileResult<void> };

export class LabFs {
  /** Ordinary files (per lab). */
  readonly files = new Map<string, string | Uint8Array>();
  readonly dirs = new Set<string>(BASE_DIRS);
  /** Extra /dev nodes by name ("tap5" is made for every macvtap; others may be added here). */
  readonly devNodes = new Map<string, DevNode>();
  /** Virtual time (ns) each ordinary file was last written: `ls -l` prints it (misc.ts). */
  readonly mtimes = new Map<string, number>();
  /** Called for /dev/tapN of a macvtap device; the lead's tap queue support can hook in here. */
  tapNode: ((dev: NetDevice) => DevNode) | null = null;

  constructor(readonly lab: Lab) {
    this.files.set('/etc/hostname', 'vnet\n');
    this.files.set('/etc/sysctl.conf', '');
  }

  private nsOf(netns: NetNamespace | string): NetNamespace | null {
    if (typeof netns !== 'string') return netns;
    return this.lab.ns(netns) ?? null;
  }

  // -------------------------------------------------------------------------------------------
  // Public API (the ShellHost file calls).

  read(netns: NetNamespace | string, path: string): FileResult<string> {
    const ns = this.nsOf(netns);
    const p = normPath(path);
    const n = ns ? this.node(ns, p) : null;
    if (n) {
      if (n.kind === 'dir') return fail(EISDIR);
      return n.read();
    }
    const f = this.files.get(p);
    if (f !== undefined) return ok(typeof f === 'string' ? f : latin1(f));
    if (this.isDir(ns, p)) return fail(EISDIR);
    return fail(this.parentExists(ns, p) ? ENOENT : ENOENT);
  }

  /**
   * open() of a frame device (/dev/tapN) for streaming reads and per-write frames; null when `path`
   * is not one (the caller reads or writes it as a file). `alive`: whether the opener still runs
   * (a killed process's fd is closed).
   */
  openStream(netns: NetNamespace | string, path: string, alive?: () => boolean): FileResult<CharStream> | null {
    const ns = this.nsOf(netns);
    const dev = ns ? this.tapDevOf(ns, normPath(path)) : null;
    if (!dev) return null;
    const r = openTap(dev, { alive });
    if (!r.ok) return fail(r.errno);
    const q = r.value;
    return ok({
      onRead: (cb) => q.onFrame(cb),
      write: (bytes) => {
        const n = q.write(bytes);
        return n < 0 ? fail(-n) : ok(n);
      },
      close: () => q.close(),
    });
  }

  /** Is `path` a frame device that openStream opens? */
  isStream(netns: NetNamespace | string, path: string): boolean {
    const ns = this.nsOf(netns);
    return !!ns && this.tapDevOf(ns, normPath(path)) !== null;
  }

  private tapWriteOnce(ns: NetNamespace, path: string, data: string): FileResult<void> {
    const st = this.openStream(ns, path);
    if (!st) return fail(ENOENT);
    if (!st.ok) return st;
    const bytes = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) bytes[i] = data.charCodeAt(i) & 0xff;
    const r = st.value.write(bytes);
    st.value.close();
    return r.ok ? ok(undefined) : r;
  }

  private tapDevOf(ns: NetNamespace, p: string): NetDevice | null {
    const m = /^\/dev\/tap(\d+)$/.exec(p);
    if (!m || this.devNodes.has(`tap${m[1]}`)) return null;
    return this.tapDevices(ns).find((d) => d.ifindex === Number(m[1])) ?? null;
  }

  /** Raw bytes of an ordinary file (pcap files written by tcpdump -w). */
  readBytes(path: string): Uint8Array | undefined {
    const f = this.files.get(normPath(path));
    if (f === undefined) return undefined;
    return typeof f === 'string' ? new TextEncoder().encode(f) : f;
  }

  write(netns: NetNamespace | string, path: string, data: string, append: boolean): FileResult<void> {
    const ns = this.nsOf(netns);
    const p = normPath(path);
    const n = ns ? this.node(ns, p) : null;
    if (n) {
      if (n.kind === 'dir') return fail(EISDIR);
      if (!n.write) return fail(EACCES);
      return n.write(data, append);
    }
    if (this.isDir(ns, p)) return fail(EISDIR);
    if (this.isVirtual(p)) return fail(ENOENT);
    if (!this.parentExists(ns, p)) return fail(this.parentIsFile(p) ? ENOTDIR : ENOENT);
    const prev = this.files.get(p);
    const prevText = prev === undefined ? '' : typeof prev === 'string' ? prev : latin1(prev);
    this.files.set(p, append ? prevText + data : data);
    this.mtimes.set(p, this.lab.clock.now); // ls -l
    return ok(undefined);
  }

  /** Binary writes (tcpdump -w FILE). */
  writeBytes(path: string, data: Uint8Array, append: boolean): FileResult<void> {
    const p = normPath(path);
    if (this.dirs.has(p)) return fail(EISDIR);
    const dir = p.slice(0, p.lastIndexOf('/')) || '/';
    if (!this.dirs.has(dir)) return fail(ENOENT);
    const prev = this.files.get(p);
    if (append && prev !== undefined) {
      const a = typeof prev === 'string' ? new TextEncoder().encode(prev) : prev;
      const out = new Uint8Array(a.length + data.length);
      out.set(a); out.set(data, a.length);
      this.files.set(p, out);
    } else this.files.set(p, new Uint8Array(data));
    this.mtimes.set(p, this.lab.clock.now); // ls -l
    return ok(undefined);
  }

  list(netns: NetNamespace | string, path: string): FileResult<string[]> {
    const ns = this.nsOf(netns);
    const p = normPath(path);
    const n = ns ? this.node(ns, p) : null;
    if (n) {
      if (n.kind === 'file') return fail(ENOTDIR);
      return ok(n.list());
    }
    if (!this.dirs.has(p)) {
      if (this.files.has(p)) return fail(ENOTDIR);
      return fail(ENOENT);
    }
    const names = new Set<string>();
    const pre = p === '/' ? '/' : p + '/';
    for (const d of this.dirs) if (d !== p && d.startsWith(pre) && !d.slice(pre.length).includes('/')) names.add(d.slice(pre.length));
    for (const f of this.files.keys()) if (f.startsWith(pre) && !f.slice(pre.length).includes('/')) names.add(f.slice(pre.length));
    if (ns) {
      const virt = this.virtualChildren(ns, p);
      for (const v of virt) names.add(v);
    }
    return ok([...names].sort());
  }

  exists(netns: NetNamespace | string, path: string): boolean {
    const ns = this.nsOf(netns);
    const p = normPath(path);
    if (ns && this.node(ns, p)) return true;
    return this.dirs.has(p) || this.files.has(p);
  }

  /** Creates a directory (mkdir); false if the parent is missing or the name is taken. */
  mkdir(path: string): boolean {
    const p = normPath(path);
    if (this.dirs.has(p) || this.files.has(p)) return false;
    const dir = p.slice(0, p.lastIndexOf('/')) || '/';
    if (!this.dirs.has(dir)) return false;
    this.dirs.add(p);
    return true;
  }

  remove(path: string): boolean {
    const p = normPath(path);
    return this.files.delete(p);
  }

  // -------------------------------------------------------------------------------------------

  private isDir(ns: NetNamespace | null, p: string): boolean {
    if (this.dirs.has(p)) return true;
    const n = ns ? this.node(ns, p) : null;
    return n?.kind === 'dir';
  }

  private parentExists(ns: NetNamespace | null, p: string): boolean {
    const dir = p.slice(0, p.lastIndexOf('/')) || '/';
    return this.isDir(ns, dir);
  }

  private parentIsFile(p: string): boolean {
    const dir = p.slice(0, p.lastIndexOf('/')) || '/';
    return this.files.has(dir);
  }

  /** Paths whose contents only the kernel makes (nothing else can be created there). */
  private isVirtual(p: string): boolean {
    return p.startsWith('/proc/') || p.startsWith('/sys/') || p === '/proc' || p === '/sys' || p.startsWith('/run/netns/');
  }

  private virtualChildren(ns: NetNamespace, p: string): string[] {
    if (p === '/proc') return ['net', 'sys'];
    if (p === '/proc/net') {
      const names = bondProcNames(this.lab, ns.devices.values()) ? ['bonding', 'dev'] : ['dev'];
      if (vlanProcNames(this.lab, ns.devices.values())) names.push('vlan'); // 8021q (drivers/vlan.ts)
      return names;
    }
    // The macvtap class is not namespaced: it lists every macvtap's tapN.
    if (p === '/sys/class') return ['macvtap', 'net'];
    if (p === '/sys/class/macvtap') return this.tapDevices(ns).filter((d) => d.kind === 'macvtap').map((d) => `tap${d.ifindex}`).sort();
    if (p === '/dev') {
      const out = ['null', 'zero', 'random', 'urandom', 'full', 'tty'];
      out.push(...this.tapNames(ns), ...this.devNodes.keys());
      return out;
    }
    if (p === '/dev/net') return ['tun'];
    if (p === '/run/netns') return [...this.lab.named.keys()].reverse();
    return [];
  }

  private tapDevices(ns: NetNamespace): NetDevice[] {
    const out: NetDevice[] = [];
    const seen = new Set<string>();
    const spaces = [ns, ...[...this.lab.all].filter((x) => x !== ns)];
    for (const s of spaces) {
      for (const d of s.devices.values()) {
        if (d.kind !== 'macvtap' && d.kind !== 'ipvtap') continue;
        const name = `tap${d.ifindex}`;
        if (seen.has(name)) continue;
        seen.add(name);
        out.push(d);
      }
    }
    return out;
  }

  private tapNames(ns: NetNamespace): string[] { return this.tapDevices(ns).map((d) => `tap${d.ifindex}`); }

  /** The virtual node at `p`, or null when the path is not a kernel-made one. */
  private node(ns: NetNamespace, p: string): Node | null {
    if (p === '/proc/sys' || p.startsWith('/proc/sys/')) return this.procSys(ns, p);
    if (p === '/proc/net/dev') return { kind: 'file', read: () => ok(procNetDev(ns)) };
    if (p === '/proc/net/bonding' || p.startsWith('/proc/net/bonding/')) { // bonding (drivers/bond.ts)
      const names = bondProcNames(this.lab, ns.devices.values());
      if (!names) return null;
      if (p === '/proc/net/bonding') return { kind: 'dir', list: () => bondProcNames(this.lab, ns.devices.values()) ?? [] };
      const dev = ns.devices.get(p.slice('/proc/net/bonding/'.length));
      const text = dev ? bondProcInfo(dev) : null;
      return text === null ? null : { kind: 'file', read: () => ok(bondProcInfo(dev!) ?? '') };
    }
    if (p === '/proc/net/vlan' || p.startsWith('/proc/net/vlan/')) { // 8021q (drivers/vlan.ts)
      if (!vlanProcNames(this.lab, ns.devices.values())) return null;
      if (p === '/proc/net/vlan') return { kind: 'dir', list: () => vlanProcNames(this.lab, ns.devices.values()) ?? [] };
      const name = p.slice('/proc/net/vlan/'.length);
      if (name === 'config') return { kind: 'file', read: () => ok(vlanProcConfig(ns.devices.values())) };
      const dev = ns.devices.get(name);
      return dev && vlanProcDevice(dev) !== null ? { kind: 'file', read: () => ok(vlanProcDevice(dev) ?? '') } : null;
    }
    if (p === '/sys/class/net' || p.startsWith('/sys/class/net/')) return this.sysClassNet(ns, p);
    if (p === '/run/netns') return { kind: 'dir', list: () => [...this.lab.named.keys()].reverse() };
    if (p.startsWith('/run/netns/')) {
      const name = p.slice('/run/netns/'.length);
      if (!name.includes('/') && this.lab.named.has(name)) return { kind: 'file', read: () => fail(EINVAL) };
      return null;
    }
    if (p.startsWith('/dev/')) return this.devNode(ns, p.slice(5));
    if (p === '/sys/class/macvtap') return { kind: 'dir', list: () => this.virtualChildren(ns, p) };
    if (p.startsWith('/sys/class/macvtap/')) {
      const name = p.slice('/sys/class/macvtap/'.length);
      const dev = this.tapDevices(ns).find((d) => d.kind === 'macvtap' && `tap${d.ifindex}` === name);
      return dev ? { kind: 'dir', list: () => ['dev', 'device', 'power', 'subsystem', 'uevent'] } : null;
    }
    return null;
  }

  private devNode(ns: NetNamespace, name: string): Node | null {
    switch (name) {
      case 'null': return { kind: 'file', read: () => ok(''), write: () => ok(undefined) };
      case 'zero': case 'full': return { kind: 'file', read: () => ok(''), write: () => ok(undefined) };
      case 'random': case 'urandom': return { kind: 'file', read: () => ok(''), write: () => ok(undefined) };
      case 'tty': return { kind: 'file', read: () => ok(''), write: () => ok(undefined) };
      case 'net': return { kind: 'dir', list: () => ['tun'] };
      // tun: reading or writing the clone device before TUNSETIFF is EBADFD.
      case 'net/tun': return { kind: 'file', read: () => fail(77), write: () => fail(77) };
      default: break;
    }
    const extra = this.devNodes.get(name);
    if (extra) {
      return { kind: 'file', read: () => (extra.read ? extra.read() : ok('')),
        write: (d) => (extra.write ? extra.write(d) : ok(undefined)) };
    }
    const m = /^tap(\d+)$/.exec(name);
    if (m) {
      const dev = this.tapDevices(ns).find((d) => d.ifindex === Number(m[1]));
      if (!dev) return null;
      const hook = this.tapNode ? this.tapNode(dev) : null;
      return { kind: 'file', read: () => (hook?.read ? hook.read() : ok('')),
        // A shell redirection's write(): open a queue, send the bytes as one frame, close.
        write: (d) => (hook?.write ? hook.write(d) : this.tapWriteOnce(ns, `/dev/${name}`, d)) };
    }
    return null;
  }

  private procSys(ns: NetNamespace, p: string): Node | null {
    const parts = p.split('/').slice(3);
    if (!parts.length) return { kind: 'dir', list: () => ['net'] };
    const key = componentsToKey(parts);
    if (ns.sysctl.has(key)) {
      return {
        kind: 'file',
        read: () => ok((sysctlReadParts(ns, parts) ?? '') + '\n'),
        write: (data) => {
          const e = sysctlWrite(ns, key, data);
          return e ? fail(e) : ok(undefined);
        },
      };
    }
    if (isSysctlDir(ns, parts)) return { kind: 'dir', list: () => listSysctlDir(ns, parts) ?? [] };
    return null;
  }

  private sysClassNet(ns: NetNamespace, p: string): Node | null {
    const parts = p.split('/').slice(4);
    if (!parts.length) {
      // bonding_masters: the bonding module's class file, in every namespace while it is loaded.
      return { kind: 'dir', list: () => [...ns.devices.keys(), ...(bondProcNames(this.lab, []) ? ['bonding_masters'] : [])].sort() };
    }
    if (parts.length === 1 && parts[0] === 'bonding_masters') { // bonding (drivers/bond.ts)
      const names = bondProcNames(this.lab, ns.devices.values());
      return names ? { kind: 'file', read: () => ok(`${(bondProcNames(this.lab, ns.devices.values()) ?? []).join(' ')}\n`) } : null;
    }
    const dev = ns.devices.get(parts[0]!);
    if (!dev) return null;
    const rest = parts.slice(1);
    if (!rest.length) return { kind: 'dir', list: () => this.devDirList(dev) };
    const attr = rest[0]!;
    if (attr === 'statistics') return this.statsNode(dev, rest.slice(1));
    if (attr === 'bridge' && dev.kind === 'bridge') return this.bridgeNode(dev, rest.slice(1));
    if (attr === 'brif' && dev.kind === 'bridge') {
      const ports = (): NetDevice[] => [...ns.devices.values()].filter((d) => d.master === dev)
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      if (rest.length === 1) return { kind: 'dir', list: () => ports().map((d) => d.name) };
      const port = ports().find((d) => d.name === rest[1]);
      if (!port) return null;
      return this.brportNode(port, rest.slice(2));
    }
    if (attr === 'brport' && dev.master && dev.master.kind === 'bridge') return this.brportNode(dev, rest.slice(1));
    if (attr === 'master' && dev.master) {
      if (rest.length === 1) return { kind: 'dir', list: () => this.devDirList(dev.master!) };
      return this.sysClassNet(ns, `/sys/class/net/${dev.master.name}/${rest.slice(1).join('/')}`);
    }
    if (attr === 'lower_' + dev.linkDevice()?.name) return { kind: 'dir', list: () => [] };
    if ((dev.kind === 'macvtap' || dev.kind === 'ipvtap') && attr === `tap${dev.ifindex}`) {
      return { kind: 'dir', list: () => ['dev', 'device', 'power', 'subsystem', 'uevent'] };
    }
    if (rest.length !== 1) return null;
    const tunAttr = tunSysfsRead(dev, attr); // tun/tap: tun_flags, owner, group
    if (tunAttr !== null) return { kind: 'file', read: () => ok(tunSysfsRead(dev, attr) ?? tunAttr) };
    if (!NET_ATTRS.includes(attr) && attr !== 'uevent') return null;
    return this.attrNode(dev, attr);
  }

  private devDirList(dev: NetDevice): string[] {
    const out = [...NET_ATTRS, 'statistics', 'uevent', 'power', 'queues', 'subsystem'];
    if (dev.kind === 'bridge') out.push('bridge', 'brif');
    if (dev.master) out.push('master');
    if (dev.master?.kind === 'bridge') out.push('brport');
    if (dev.kind === 'macvtap' || dev.kind === 'ipvtap') out.push(`tap${dev.ifindex}`);
    if (dev.kind === 'tun') out.push(...TUN_SYSFS_ATTRS); // tun/tap
    return out.sort();
  }

  private attrNode(dev: NetDevice, attr: string): Node {
    const line = (s: string | number): FileResult<string> => ok(`${s}\n`);
    const up = (): boolean => (dev.flags & IFF_UP) !== 0;
    const ro = (read: () => FileResult<string>): Node => ({ kind: 'file', read });
    switch (attr) {
      case 'ifindex': return ro(() => line(dev.ifindex));
      case 'iflink': return ro(() => { const l = dev.linkDevice(); return line(l && l !== dev ? l.ifindex : dev.ifindex); });
      case 'address': return ro(() => line(macHex(dev.mac)));
      case 'broadcast': return ro(() => line(macHex(dev.broadcast)));
      case 'addr_len': return ro(() => line(dev.mac.length));
      case 'addr_assign_type': return ro(() => line({ perm: 0, random: 1, stolen: 2, set: 3 }[dev.addrAssign]));
      case 'type': return ro(() => line(dev.type));
      case 'flags': return ro(() => line('0x' + dev.flags.toString(16)));
      case 'operstate': return ro(() => line(up() ? OPERSTATE_NAMES[dev.operstate]!.toLowerCase() : 'down'));
      case 'carrier': return ro(() => (up() ? line(dev.carrier ? 1 : 0) : fail(EINVAL)));
      case 'dormant': return ro(() => (up() ? line(dev.dormant ? 1 : 0) : fail(EINVAL)));
      case 'testing': return ro(() => (up() ? line(0) : fail(EINVAL)));
      case 'carrier_changes': case 'carrier_up_count': case 'carrier_down_count': {
        return ro(() => line((dev as unknown as { carrierChanges?: number }).carrierChanges ?? 0));
      }
      case 'speed': case 'duplex': return ro(() => fail(EINVAL));
      case 'dev_id': case 'dev_port': return ro(() => line(attr === 'dev_id' ? '0x' + dev.devId.toString(16) : 0));
      case 'link_mode': case 'proto_down': case 'napi_defer_hard_irqs': case 'gro_flush_timeout': case 'threaded':
        return { kind: 'file', read: () => line(0), write: () => ok(undefined) };
      case 'name_assign_type': return ro(() => line(3));
      case 'netdev_group': return { kind: 'file', read: () => line(dev.group), write: (d) => {
        const v = parseUl(d);
        if (v === null) return fail(EINVAL);
        dev.group = v | 0;
        return ok(undefined);
      } };
      case 'ifalias': return { kind: 'file', read: () => line(dev.alias), write: (d) => {
        dev.alias = d.replace(/\n$/, '');
        return ok(undefined);
      } };
      case 'mtu': return { kind: 'file', read: () => line(dev.mtu), write: (d) => {
        const v = parseUl(d);
        if (v === null) return fail(EINVAL);
        const r = setMtu(dev, v);
        return r.ok ? ok(undefined) : fail(r.errno);
      } };
      case 'tx_queue_len': return { kind: 'file', read: () => line(dev.txqueuelen), write: (d) => {
        const v = parseUl(d);
        if (v === null) return fail(EINVAL);
        dev.txqueuelen = v >>> 0;
        return ok(undefined);
      } };
      case 'phys_port_id': case 'phys_port_name': case 'phys_switch_id': return ro(() => fail(EOPNOTSUPP));
      case 'uevent': return ro(() => ok(`INTERFACE=${dev.name}\nIFINDEX=${dev.ifindex}\n` +
        (dev.kind ? `DEVTYPE=${dev.kind}\n` : '')));
      default: return ro(() => fail(EINVAL));
    }
  }

  private statsNode(dev: NetDevice, rest: string[]): Node | null {
    const s = dev.stats as unknown as Record<string, number>;
    const files: Record<string, string> = {
      rx_packets: 'rxPackets', rx_bytes: 'rxBytes', rx_errors: 'rxErrors', rx_dropped: 'rxDropped',
      multicast: 'rxMulticast', tx_packets: 'txPackets', tx_bytes: 'txBytes', tx_errors: 'txErrors',
      tx_dropped: 'txDropped', collisions: 'collisions', rx_nohandler: 'rxNohandler',
      rx_missed_errors: '', rx_over_errors: '', rx_crc_errors: '', rx_frame_errors: '', rx_fifo_errors: '',
      rx_length_errors: '', rx_compressed: '', tx_compressed: '', tx_aborted_errors: '', tx_carrier_errors: '',
      tx_fifo_errors: '', tx_heartbeat_errors: '', tx_window_errors: '',
    };
    if (!rest.length) return { kind: 'dir', list: () => Object.keys(files).sort() };
    if (rest.length !== 1 || !(rest[0]! in files)) return null;
    const k = files[rest[0]!]!;
    return { kind: 'file', read: () => ok(`${k ? s[k] ?? 0 : 0}\n`) };
  }

  private kindData(dev: NetDevice): KindData {
    const k = this.lab.linkKinds.get(dev.kind);
    return k?.fillInfo ? normBridge(k.fillInfo(dev)) : {};
  }

  private bridgeNode(br: NetDevice, rest: string[]): Node | null {
    // br_sysfs_br.c has the VLAN files only in a kernel built with CONFIG_BRIDGE_VLAN_FILTERING
    const has = (n: string): boolean => this.lab.kernelConfig.BRIDGE_VLAN_FILTERING || !BRIDGE_VLAN_FILES.has(n);
    if (!rest.length) return { kind: 'dir', list: () => Object.keys(BRIDGE_FILES).filter(has).sort() };
    if (rest.length !== 1) return null;
    const spec = has(rest[0]!) ? BRIDGE_FILES[rest[0]!] : undefined;
    if (!spec) return null;
    return {
      kind: 'file',
      read: () => {
        const d = this.kindData(br);
        if (d[spec.key] === undefined) return fail(EINVAL);
        return ok(fmtValue(d[spec.key], spec.fmt) + '\n');
      },
      write: spec.writable ? (data) => {
        const v = parseUl(data);
        if (v === null) return fail(EINVAL);
        const k = this.lab.linkKinds.get(br.kind);
        if (!k?.changeLink) return fail(EOPNOTSUPP);
        const r = k.changeLink(br, { [spec.key]: v });
        return r.ok ? ok(undefined) : fail(r.errno);
      } : undefined,
    } as Node;
  }

  private brportNode(port: NetDevice, rest: string[]): Node | null {
    const master = port.master;
    if (!master) return null;
    if (!rest.length) return { kind: 'dir', list: () => Object.keys(BRPORT_FILES).sort() };
    if (rest.length !== 1) return null;
    const spec = BRPORT_FILES[rest[0]!];
    if (!spec) return null;
    const k = this.lab.linkKinds.get(master.kind);
    return {
      kind: 'file',
      read: () => {
        const d = k?.fillSlaveInfo ? normBrport(k.fillSlaveInfo(master, port)) : {};
        if (d[spec.key] === undefined) return fail(EINVAL);
        return ok(fmtValue(d[spec.key], spec.fmt) + '\n');
      },
      write: spec.writable ? (data) => {
        const v = parseUl(data);
        if (v === null) return fail(EINVAL);
        if (!k?.slaveChangeLink) return fail(EOPNOTSUPP);
        const r = k.slaveChangeLink(master, port, { [spec.key]: spec.fmt === 'bool' ? v !== 0 : v });
        return r.ok ? ok(undefined) : fail(r.errno);
      } : undefined,
    } as Node;
  }
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** /proc/net/dev (dev_seq_show). */
export function procNetDev(ns: NetNamespace): string {
  let o = 'Inter-|   Receive                                                |  Transmit\n' +
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
  const devs = [...ns.byIndex.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  const p = (w: number, v: number): string => String(v).padStart(w, ' ');
  for (const d of devs) {
    const s = d.stats;
    o += `${d.name.padStart(6, ' ')}:${p(8, s.rxBytes)} ${p(7, s.rxPackets)} ${p(4, s.rxErrors)} ` +
      `${p(4, s.rxDropped + s.rxNohandler)} ${p(4, 0)} ${p(5, 0)} ${p(10, 0)} ${p(9, s.rxMulticast)} ` +
      `${p(8, s.txBytes)} ${p(7, s.txPackets)} ${p(4, s.txErrors)} ${p(4, s.txDropped)} ${p(4, 0)} ` +
      `${p(5, s.collisions)} ${p(7, 0)} ${p(10, 0)}\n`;
  }
  return o;
}
