/**
 * Capture files: libpcap classic pcap and pcapng, writing and reading.
 *
 * Time: vnet's virtual clock counts nanoseconds from 0. Files carry absolute Unix time, so
 * virtual time 0 is mapped to VIRTUAL_EPOCH_SECONDS (2024-01-01 12:00:00 UTC) unless the
 * caller passes another epoch. tcpdump prints that as 12:00:00.000000 with TZ=UTC.
 *
 * pcapng files are written with if_tsresol = 9 (nanoseconds), so virtual timestamps survive
 * exactly; classic pcap files use the microsecond magic (what `tcpdump -w` writes), truncating.
 */

export const VIRTUAL_EPOCH_SECONDS = 1704110400;

export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_LINUX_SLL2 = 276;
/** Linux netlink (nlmon devices): a 16-byte cooked header, then the netlink message. */
export const LINKTYPE_NETLINK = 253;
/** libpcap's MAXIMUM_SNAPLEN, also tcpdump's default -s. */
export const MAX_SNAPLEN = 262144;

export const PCAP_MAGIC_USEC = 0xa1b2c3d4;
export const PCAP_MAGIC_NSEC = 0xa1b23c4d;

export const PCAPNG_SHB = 0x0a0d0d0a;
export const PCAPNG_IDB = 0x00000001;
export const PCAPNG_PB_OBSOLETE = 0x00000002;
export const PCAPNG_SPB = 0x00000003;
export const PCAPNG_EPB = 0x00000006;
const BOM = 0x1a2b3c4d;

/** epb_flags direction (low two bits), as Linux captures record it. */
export const DIRECTION_UNKNOWN = 0;
export const DIRECTION_INBOUND = 1;
export const DIRECTION_OUTBOUND = 2;
export type Direction = 0 | 1 | 2;

/** Absolute time split in two numbers (absolute nanoseconds do not fit a double exactly). */
export interface Timestamp {
  sec: number;
  nsec: number;
}

export function virtualToTimestamp(tsNs: number, epochSeconds = VIRTUAL_EPOCH_SECONDS): Timestamp {
  const s = Math.floor(tsNs / 1e9);
  return { sec: epochSeconds + s, nsec: tsNs - s * 1e9 };
}

/** Inverse of virtualToTimestamp (exact while within ~104 days of the epoch). */
export function timestampToVirtual(ts: Timestamp, epochSeconds = VIRTUAL_EPOCH_SECONDS): number {
  return (ts.sec - epochSeconds) * 1e9 + ts.nsec;
}

// ---------------------------------------------------------------- classic pcap writing

export interface PcapOptions {
  linktype?: number;
  snaplen?: number;
  /** Nanosecond magic (0xa1b23c4d) instead of microseconds. */
  nanosecond?: boolean;
  epochSeconds?: number;
}

export function pcapFileHeader(opts: PcapOptions = {}): Uint8Array {
  const b = new Uint8Array(24);
  const v = new DataView(b.buffer);
  v.setUint32(0, opts.nanosecond ? PCAP_MAGIC_NSEC : PCAP_MAGIC_USEC, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, opts.snaplen ?? MAX_SNAPLEN, true);
  v.setUint32(20, opts.linktype ?? LINKTYPE_ETHERNET, true);
  return b;
}

/** One record (16-byte header + data cut to snaplen); `tsNs` is virtual time. */
export function pcapRecord(tsNs: number, data: Uint8Array, opts: PcapOptions = {}, origLen = data.length): Uint8Array {
  const snap = opts.snaplen ?? MAX_SNAPLEN;
  const cap = Math.min(data.length, snap);
  const ts = virtualToTimestamp(tsNs, opts.epochSeconds);
  const b = new Uint8Array(16 + cap);
  const v = new DataView(b.buffer);
  v.setUint32(0, ts.sec >>> 0, true);
  v.setUint32(4, opts.nanosecond ? ts.nsec : Math.floor(ts.nsec / 1000), true);
  v.setUint32(8, cap, true);
  v.setUint32(12, origLen, true);
  b.set(data.subarray(0, cap), 16);
  return b;
}

export interface WriteRecord {
  /** Virtual time in nanoseconds. */
  tsNs: number;
  data: Uint8Array;
  origLen?: number;
  /** pcapng only: index into the interfaces list (default 0). */
  interfaceId?: number;
  /** pcapng only: written as epb_flags when given. */
  direction?: Direction;
}

export function writePcap(records: Iterable<WriteRecord>, opts: PcapOptions = {}): Uint8Array {
  const parts = [pcapFileHeader(opts)];
  for (const r of records) parts.push(pcapRecord(r.tsNs, r.data, opts, r.origLen ?? r.data.length));
  return concat(parts);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// ---------------------------------------------------------------- pcapng writing

export interface PcapngInterface {
  name?: string;
  linktype?: number;
  snaplen?: number;
}

export interface PcapngOptions {
  epochSeconds?: number;
  /** shb_userappl. */
  application?: string;
}

const enc = new TextEncoder();

/** Options area: (code, bytes) pairs padded to 4, then opt_endofopt. */
function optionsBlock(opts: [number, Uint8Array][]): Uint8Array {
  if (opts.length === 0) return new Uint8Array(0);
  let n = 4;
  for (const [, val] of opts) n += 4 + pad4(val.length);
  const b = new Uint8Array(n);
  const v = new DataView(b.buffer);
  let o = 0;
  for (const [code, val] of opts) {
    v.setUint16(o, code, true);
    v.setUint16(o + 2, val.length, true);
    b.set(val, o + 4);
    o += 4 + pad4(val.length);
  }
  return b; // trailing 4 zero bytes are opt_endofopt
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function block(type: number, body: Uint8Array): Uint8Array {
  const total = 12 + body.length;
  const b = new Uint8Array(total);
  const v = new DataView(b.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, total, true);
  b.set(body, 8);
  v.setUint32(total - 4, total, true);
  return b;
}

export function pcapngSectionHeader(opts: PcapngOptions = {}): Uint8Array {
  const o = optionsBlock(opts.application ? [[4, enc.encode(opts.application)]] : []);
  const body = new Uint8Array(16 + o.length);
  const v = new DataView(body.buffer);
  v.setUint32(0, BOM, true);
  v.setUint16(4, 1, true);
  v.setUint16(6, 0, true);
  v.setInt32(8, -1, true); // section length unknown (allows streaming)
  v.setInt32(12, -1, true);
  body.set(o, 16);
  return block(PCAPNG_SHB, body);
}

export function pcapngInterfaceBlock(iface: PcapngInterface): Uint8Array {
  const opts: [number, Uint8Array][] = [];
  if (iface.name !== undefined) opts.push([2, enc.encode(iface.name)]);
  opts.push([9, Uint8Array.of(9)]); // if_tsresol: 10^-9
  const o = optionsBlock(opts);
  const body = new Uint8Array(8 + o.length);
  const v = new DataView(body.buffer);
  v.setUint16(0, iface.linktype ?? LINKTYPE_ETHERNET, true);
  v.setUint32(4, iface.snaplen ?? MAX_SNAPLEN, true);
  body.set(o, 8);
  return block(PCAPNG_IDB, body);
}

/** Enhanced Packet Block with nanosecond timestamp and optional epb_flags direction. */
export function pcapngPacketBlock(r: WriteRecord, opts: PcapngOptions = {}, snaplen = MAX_SNAPLEN): Uint8Array {
  const cap = Math.min(r.data.length, snaplen);
  const o = r.direction !== undefined ? optionsBlock([[2, u32le(r.direction)]]) : new Uint8Array(0);
  const body = new Uint8Array(20 + pad4(cap) + o.length);
  const v = new DataView(body.buffer);
  const ts = virtualToTimestamp(r.tsNs, opts.epochSeconds);
  const t = BigInt(ts.sec) * 1_000_000_000n + BigInt(ts.nsec);
  v.setUint32(0, r.interfaceId ?? 0, true);
  v.setUint32(4, Number(t >> 32n), true);
  v.setUint32(8, Number(t & 0xffffffffn), true);
  v.setUint32(12, cap, true);
  v.setUint32(16, r.origLen ?? r.data.length, true);
  body.set(r.data.subarray(0, cap), 20);
  body.set(o, 20 + pad4(cap));
  return block(PCAPNG_EPB, body);
}

function u32le(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
}

export function writePcapng(interfaces: PcapngInterface[], records: Iterable<WriteRecord>, opts: PcapngOptions = {}): Uint8Array {
  const parts = [pcapngSectionHeader(opts), ...interfaces.map(pcapngInterfaceBlock)];
  for (const r of records) parts.push(pcapngPacketBlock(r, opts, interfaces[r.interfaceId ?? 0]?.snaplen));
  return concat(parts);
}

// ---------------------------------------------------------------- reading

export interface CaptureRecord {
  ts: Timestamp;
  /** Original length on the wire. */
  origLen: number;
  data: Uint8Array;
  /** pcapng: interface index within the section. Classic pcap: 0. */
  interfaceId: number;
  /** pcapng epb_flags when present. */
  flags?: number;
  /** Low two bits of epb_flags (0 when absent). */
  direction: Direction;
}

export interface CaptureInterface {
  linktype: number;
  snaplen: number;
  name?: string;
  /** Timestamp units per second (pcapng if_tsresol; 1e6 default, 1e9 for nsec pcap). */
  unitsPerSecond: number;
}

export interface CaptureFile {
  format: 'pcap' | 'pcapng';
  /** Classic: from the file header. pcapng: the first interface's (what libpcap reports). */
  linktype: number;
  snaplen: number;
  /** Classic pcap only: nanosecond magic. */
  nanosecond: boolean;
  bigEndian: boolean;
  interfaces: CaptureInterface[];
  records: CaptureRecord[];
  /**
   * Error met after the header (truncated record...), in libpcap's words. Records before it
   * are kept, as tcpdump prints them and then reports the error.
   */
  error: string | null;
}

export type ReadResult = { ok: true; file: CaptureFile } | { ok: false; error: string };

/** Reads a classic pcap or pcapng file. Never throws; errors use libpcap's messages. */
export function readCapture(bytes: Uint8Array): ReadResult {
  try {
    if (bytes.length < 4) return { ok: false, error: `truncated dump file; tried to read 4 file header bytes, only got ${bytes.length}` };
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (v.getUint32(0, true) === PCAPNG_SHB) return readPcapng(bytes, v);
    for (const le of [true, false]) {
      const magic = v.getUint32(0, le);
      if (magic === PCAP_MAGIC_USEC || magic === PCAP_MAGIC_NSEC || magic === 0xa1b2cd34) return readPcap(bytes, v, le, magic);
    }
    return { ok: false, error: 'unknown file format' };
  } catch (e) {
    return { ok: false, error: `internal error reading capture: ${String(e)}` };
  }
}

function readPcap(bytes: Uint8Array, v: DataView, le: boolean, magic: number): ReadResult {
  if (bytes.length < 24) return { ok: false, error: `truncated dump file; tried to read 24 file header bytes, only got ${bytes.length - 4}` };
  const major = v.getUint16(4, le), minor = v.getUint16(6, le);
  if (major < 2) return { ok: false, error: 'archaic pcap savefile format' };
  if (!((major === 2 && minor <= 4) || (major === 543 && minor === 0))) {
    return { ok: false, error: `unsupported pcap savefile version ${major}.${minor}` };
  }
  const snaplen = adjustSnapshot(v.getUint32(16, le));
  const linktype = v.getUint32(20, le) & 0x03ffffff;
  const nano = magic === PCAP_MAGIC_NSEC;
  // Versions before 2.3 (and DG/UX 543.0) had caplen and len swapped.
  const swappedLens = (major === 2 && minor < 3) || major === 543;
  const file: CaptureFile = {
    format: 'pcap', linktype, snaplen, nanosecond: nano, bigEndian: !le,
    interfaces: [{ linktype, snaplen, unitsPerSecond: nano ? 1e9 : 1e6 }], records: [], error: null,
  };
  const hdrSize = magic === 0xa1b2cd34 ? 24 : 16; // Kuznetzov's patched format has 8 extra bytes
  let o = 24;
  while (o < bytes.length) {
    if (bytes.length - o < hdrSize) {
      file.error = `truncated dump file; tried to read ${hdrSize} header bytes, only got ${bytes.length - o}`;
      break;
    }
    const sec = v.getUint32(o, le), frac = v.getUint32(o + 4, le);
    let cap = v.getUint32(o + 8, le), len = v.getUint32(o + 12, le);
    if (swappedLens && cap > len) [cap, len] = [len, cap];
    o += hdrSize;
    if (cap > MAX_SNAPLEN) {
      file.error = cap > snaplen
        ? `invalid packet capture length ${cap}, bigger than snaplen of ${snaplen}`
        : `invalid packet capture length ${cap}, bigger than maximum of ${MAX_SNAPLEN}`;
      break;
    }
    const want = Math.min(cap, snaplen);
    if (bytes.length - o < want || (cap > snaplen && bytes.length - o < cap)) {
      const got = Math.min(bytes.length - o, cap);
      file.error = `truncated dump file; tried to read ${cap > snaplen && bytes.length - o < snaplen ? snaplen : cap} captured bytes, only got ${got}`;
      break;
    }
    file.records.push({
      ts: { sec, nsec: nano ? frac : frac * 1000 },
      origLen: len,
      data: copyBytes(bytes, o, o + want),
      interfaceId: 0,
      direction: 0,
    });
    o += cap;
  }
  return { ok: true, file };
}

/** pcap_adjust_snapshot(): 0 or more than INT_MAX means the link type's maximum. */
function adjustSnapshot(snaplen: number): number {
  return snaplen === 0 || snaplen > 0x7fffffff ? MAX_SNAPLEN : snaplen;
}

/** One pcapng block as libpcap's read_block() sees it; `error` in its words. */
type BlockRead = { kind: 'eof' } | { kind: 'error'; error: string } | { kind: 'block'; type: number; body: number; bodyLen: number; total: number };

function readBlock(bytes: Uint8Array, v: DataView, o: number, le: boolean): BlockRead {
  const avail = bytes.length - o;
  if (avail === 0) return { kind: 'eof' };
  if (avail < 8) return { kind: 'error', error: `truncated pcapng dump file; tried to read 8 bytes, only got ${avail}` };
  const type = v.getUint32(o, le), total = v.getUint32(o + 4, le);
  if (total < 12) return { kind: 'error', error: `block in pcapng dump file has a length of ${total} < 12` };
  if (total % 4 !== 0) return { kind: 'error', error: `block in pcapng dump file has a length of ${total} that is not a multiple of 4` };
  if (total > 16 * 1024 * 1024) return { kind: 'error', error: `pcapng block size ${total} > maximum ${16 * 1024 * 1024}` };
  if (avail < total) return { kind: 'error', error: `truncated pcapng dump file; tried to read ${total - 8} bytes, only got ${avail - 8}` };
  if (v.getUint32(o + total - 4, le) !== total) return { kind: 'error', error: "block total length in header and trailer don't match" };
  return { kind: 'block', type, body: o + 8, bodyLen: total - 12, total };
}

type Iface = CaptureInterface & { tsOffset: bigint };

function readPcapng(bytes: Uint8Array, v: DataView): ReadResult {
  // Section Header Block, as pcap_ng_check_header() reads it.
  if (bytes.length < 12) return { ok: false, error: 'unknown file format' };
  const bom = v.getUint32(8, true);
  if (bom !== BOM && bom !== 0x4d3c2b1a) return { ok: false, error: 'unknown file format' };
  let le = bom === BOM;
  const file: CaptureFile = {
    format: 'pcapng', linktype: 0, snaplen: 0, nanosecond: false, bigEndian: !le, interfaces: [], records: [], error: null,
  };
  const shbLen = v.getUint32(4, le);
  if (shbLen < 28 || shbLen > 1024 * 1024) {
    return { ok: false, error: `Section Header Block in pcapng dump file has invalid length 28 < _${shbLen}_ < 1048576 (BT_SHB_INSANE_MAX)` };
  }
  if (bytes.length < shbLen) return { ok: false, error: `truncated pcapng dump file; tried to read ${shbLen - 12} bytes, only got ${bytes.length - 12}` };
  const major = v.getUint16(12, le), minor = v.getUint16(14, le);
  if (!(major === 1 && (minor === 0 || minor === 2))) return { ok: false, error: `unsupported pcapng savefile version ${major}.${minor}` };
  const shb = { total: shbLen };
  let ifaces: Iface[] = [];
  let o = shb.total;
  let opened = false; // libpcap's open reads up to the first IDB and fails on anything wrong before it
  const fail = (msg: string): ReadResult => (opened ? ((file.error = msg), { ok: true, file }) : { ok: false, error: msg });
  for (;;) {
    const blk = readBlock(bytes, v, o, le);
    if (blk.kind === 'eof') return opened ? { ok: true, file } : { ok: false, error: 'the capture file has no Interface Description Blocks' };
    if (blk.kind === 'error') return fail(blk.error);
    const { type, body, bodyLen } = blk;
    if (type === PCAPNG_SHB) {
      const m = v.getUint32(body, true);
      const nle = m === BOM;
      if (!nle && m !== 0x4d3c2b1a) return fail('the file has a section with a bad byte order magic field');
      if (nle !== le) return fail('the file has sections with different byte orders');
      le = nle;
      if (v.getUint16(body + 4, le) !== 1) return fail(`unknown pcapng savefile major version number ${v.getUint16(body + 4, le)}`);
      ifaces = []; // interface ids are per section
    } else if (type === PCAPNG_IDB) {
      if (bodyLen < 8) return fail(`block of type ${type} in pcapng dump file is too short`);
      const iface: Iface = { linktype: v.getUint16(body, le), snaplen: v.getUint32(body + 4, le), unitsPerSecond: 1e6, tsOffset: 0n };
      if (opened) {
        if (iface.linktype !== file.linktype) return fail(`an interface has a type ${iface.linktype} different from the type of the first interface`);
        if (adjustSnapshot(iface.snaplen) !== file.snaplen) {
          return fail(`an interface has a snapshot length ${iface.snaplen} different from the snapshot length of the first interface`);
        }
      }
      const err = idbOptions(bytes, v, body + 8, bodyLen - 8, le, iface);
      if (err) return fail(err);
      if (!opened) {
        file.linktype = iface.linktype;
        file.snaplen = adjustSnapshot(iface.snaplen);
        opened = true;
      }
      ifaces.push(iface);
      const { tsOffset: _t, ...pub } = iface;
      file.interfaces.push(pub);
    } else if (type === PCAPNG_EPB || type === PCAPNG_PB_OBSOLETE || type === PCAPNG_SPB) {
      if (!opened) return { ok: false, error: 'the capture file has a packet block before any Interface Description Blocks' };
      const fixed = type === PCAPNG_SPB ? 4 : 20;
      if (bodyLen < fixed) return fail(`block of type ${type} in pcapng dump file is too short`);
      let id = 0, t = 0n, cap: number, len: number, flags: number | undefined;
      if (type === PCAPNG_SPB) {
        len = v.getUint32(body, le);
        cap = Math.min(len, file.snaplen);
      } else {
        id = type === PCAPNG_EPB ? v.getUint32(body, le) : v.getUint16(body, le);
        t = (BigInt(v.getUint32(body + 4, le)) << 32n) | BigInt(v.getUint32(body + 8, le));
        cap = v.getUint32(body + 12, le);
        len = v.getUint32(body + 16, le);
      }
      // libpcap's order: interface, snaplen, then whether the data is really there.
      const iface = ifaces[id];
      if (!iface) return fail(`a packet arrived on interface ${id}, but there's no Interface Description Block for that interface`);
      if (cap > file.snaplen) return fail(`invalid packet capture length ${cap}, bigger than snaplen of ${file.snaplen}`);
      if (cap > bodyLen - fixed) return fail(`block of type ${type} in pcapng dump file is too short`);
      if (type === PCAPNG_EPB) {
        for (const [code, at, olen] of options(v, body + 20 + pad4(cap), bodyLen - 20 - pad4(cap), le)) {
          if (code === 2 && olen >= 4) flags = v.getUint32(at, le);
        }
      }
      file.records.push(makeRecord(bytes, body + fixed, cap, len, t, iface, id, flags));
    }
    o += blk.total;
  }
}

/** process_idb_options(): strict, as libpcap; returns its error text or null. */
function idbOptions(bytes: Uint8Array, v: DataView, at: number, len: number, le: boolean, iface: Iface): string | null {
  const tooShort = `block of type ${PCAPNG_IDB} in pcapng dump file is too short`;
  let sawRes = false, sawOff = false;
  while (len !== 0) {
    if (len < 4) return tooShort;
    const code = v.getUint16(at, le), olen = v.getUint16(at + 2, le);
    if (len - 4 < pad4(olen)) return tooShort;
    const val = at + 4;
    at += 4 + pad4(olen);
    len -= 4 + pad4(olen);
    if (code === 0) {
      if (olen !== 0) return `Interface Description Block has opt_endofopt option with length ${olen} != 0`;
      return null;
    } else if (code === 2) {
      iface.name = new TextDecoder().decode(bytes.subarray(val, val + olen)).replace(/\0+$/, '');
    } else if (code === 9) {
      if (olen !== 1) return `Interface Description Block has if_tsresol option with length ${olen} != 1`;
      if (sawRes) return 'Interface Description Block has more than one if_tsresol option';
      sawRes = true;
      const r = bytes[val]!;
      if (r & 0x80 && (r & 0x7f) > 63) return `Interface Description Block if_tsresol option resolution 2^-${r & 0x7f} is too high`;
      if (!(r & 0x80) && r > 19) return `Interface Description Block if_tsresol option resolution 10^-${r} is too high`;
      iface.unitsPerSecond = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
    } else if (code === 14) {
      if (olen !== 8) return `Interface Description Block has if_tsoffset option with length ${olen} != 8`;
      if (sawOff) return 'Interface Description Block has more than one if_tsoffset option';
      sawOff = true;
      iface.tsOffset = v.getBigInt64(val, le);
    }
  }
  return null;
}

/** A plain Uint8Array copy (Buffer#slice would return a view). */
function copyBytes(b: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(b.subarray(start, end));
}

function makeRecord(
  bytes: Uint8Array, at: number, cap: number, len: number, t: bigint,
  iface: Iface, id: number, flags: number | undefined,
): CaptureRecord {
  const ups = BigInt(iface.unitsPerSecond);
  const sec = t / ups + iface.tsOffset;
  const nsec = Number(((t % ups) * 1_000_000_000n) / ups);
  return {
    ts: { sec: Number(sec), nsec },
    origLen: len,
    data: copyBytes(bytes, at, at + cap),
    interfaceId: id,
    ...(flags !== undefined ? { flags } : {}),
    direction: ((flags ?? 0) & 3) as Direction,
  };
}

/** Yields [code, valueOffset, valueLength] until opt_endofopt or the area ends. */
function* options(v: DataView, at: number, len: number, le: boolean): Generator<[number, number, number]> {
  const end = at + len;
  while (at + 4 <= end) {
    const code = v.getUint16(at, le), l = v.getUint16(at + 2, le);
    if (code === 0) return;
    if (at + 4 + l > end) return;
    yield [code, at + 4, l];
    at += 4 + pad4(l);
  }
}
