/**
 * rtnetlink wire format (include/uapi/linux/netlink.h, rtnetlink.h, if_link.h): nlmsghdr, the
 * family headers and NLA attributes, little-endian as on x86. Used to show, through nlmon, the
 * messages a tool exchanges with the kernel; pure TypeScript, no Node APIs.
 */

export const NLMSG_HDRLEN = 16;
export const NLMSG_ERROR = 2, NLMSG_DONE = 3;
export const RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_GETLINK = 18;
export const RTM_NEWADDR = 20, RTM_DELADDR = 21, RTM_GETADDR = 22;
export const RTM_NEWROUTE = 24, RTM_DELROUTE = 25, RTM_GETROUTE = 26;
export const NLM_F_REQUEST = 0x1, NLM_F_MULTI = 0x2, NLM_F_ACK = 0x4, NLM_F_ECHO = 0x8;
export const NLM_F_REPLACE = 0x100, NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400, NLM_F_APPEND = 0x800;
/** Flags of NLMSG_ERROR replies: the echoed request is only its header; extack TLVs follow. */
export const NLM_F_CAPPED = 0x100, NLM_F_ACK_TLVS = 0x200;
export const NLMSGERR_ATTR_MSG = 1;

export const IFLA_ADDRESS = 1, IFLA_BROADCAST = 2, IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_LINK = 5, IFLA_MASTER = 10,
  IFLA_TXQLEN = 13, IFLA_LINKINFO = 18, IFLA_NET_NS_PID = 19, IFLA_IFALIAS = 20, IFLA_GROUP = 27,
  IFLA_NUM_TX_QUEUES = 31, IFLA_NUM_RX_QUEUES = 32, IFLA_NEW_IFINDEX = 49;
export const IFLA_INFO_KIND = 1, IFLA_INFO_DATA = 2;
export const IFLA_VRF_TABLE = 1;
export const IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_LABEL = 3, IFA_BROADCAST = 4;
export const RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_PRIORITY = 6, RTA_PREFSRC = 7, RTA_TABLE = 15;

/** Builds one netlink message: header, family header, attributes (NLA_ALIGNTO = 4). */
export class NlWriter {
  private buf = new Uint8Array(256);
  private len = 0;
  private readonly nests: number[] = [];

  constructor(type: number, flags: number, seq: number, pid: number) {
    this.u32(0); // nlmsg_len, patched by end()
    this.u16(type); this.u16(flags); this.u32(seq); this.u32(pid);
  }

  private grow(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }

  u8(v: number): this { this.grow(1); this.buf[this.len++] = v & 0xff; return this; }
  u16(v: number): this { this.grow(2); this.buf[this.len++] = v & 0xff; this.buf[this.len++] = (v >>> 8) & 0xff; return this; }
  u32(v: number): this {
    this.grow(4);
    for (let i = 0; i < 4; i++) this.buf[this.len++] = (v >>> (8 * i)) & 0xff;
    return this;
  }
  bytes(b: Uint8Array): this { this.grow(b.length); this.buf.set(b, this.len); this.len += b.length; return this; }
  pad(): this { while (this.len & 3) this.u8(0); return this; }

  /** One attribute: nla_len counts the 4-byte header and the payload, not the padding. */
  attr(type: number, payload: Uint8Array): this {
    this.u16(4 + payload.length).u16(type).bytes(payload);
    return this.pad();
  }
  attrU32(type: number, v: number): this { const b = new Uint8Array(4); le32(b, 0, v); return this.attr(type, b); }
  attrU8(type: number, v: number): this { return this.attr(type, new Uint8Array([v & 0xff])); }
  /** A string, NUL-terminated (strlen + 1) unless `nul` is false (iproute2's IFLA_INFO_KIND). */
  attrStr(type: number, s: string, nul = true): this {
    const e = new TextEncoder().encode(s);
    const b = new Uint8Array(e.length + (nul ? 1 : 0));
    b.set(e);
    return this.attr(type, b);
  }
  /** IPv4 address in network order. */
  attrIp4(type: number, a: number): this { return this.attr(type, new Uint8Array([a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255])); }
  nestStart(type: number): this { this.nests.push(this.len); return this.u16(0).u16(type); }
  nestEnd(): this {
    const at = this.nests.pop()!;
    const n = this.len - at;
    this.buf[at] = n & 0xff; this.buf[at + 1] = n >>> 8;
    return this;
  }

  end(): Uint8Array {
    const out = this.buf.slice(0, this.len);
    le32(out, 0, this.len);
    return out;
  }
}

export function le32(b: Uint8Array, off: number, v: number): void {
  for (let i = 0; i < 4; i++) b[off + i] = (v >>> (8 * i)) & 0xff;
}

export function rd32le(b: Uint8Array, off: number): number {
  return (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0;
}

/** struct ifinfomsg: family, type, index, flags, change (16 bytes). */
export function ifinfomsg(w: NlWriter, index = 0, flags = 0, change = 0, type = 0): NlWriter {
  return w.u8(0).u8(0).u16(type).u32(index).u32(flags).u32(change);
}

/** struct ifaddrmsg: family, prefixlen, flags, scope, index (8 bytes). */
export function ifaddrmsg(w: NlWriter, family: number, prefixlen: number, scope: number, index: number): NlWriter {
  return w.u8(family).u8(prefixlen).u8(0).u8(scope).u32(index);
}

/** struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags (12 bytes). */
export function rtmsg(w: NlWriter, r: { family: number; dstLen: number; tos: number; table: number; protocol: number;
  scope: number; type: number }): NlWriter {
  return w.u8(r.family).u8(r.dstLen).u8(0).u8(r.tos).u8(r.table).u8(r.protocol).u8(r.scope).u8(r.type).u32(0);
}

/**
 * netlink_ack: NLMSG_ERROR answering `req`. An ACK (errno 0) echoes only the request's header
 * (NLM_F_CAPPED); an error echoes the whole request; an extack message follows as
 * NLMSGERR_ATTR_MSG (NLM_F_ACK_TLVS), as the kernel does for sockets with NETLINK_EXT_ACK.
 */
export function encodeAck(req: Uint8Array, errno: number, pid: number, extack?: string): Uint8Array {
  const seq = rd32le(req, 8);
  let flags = errno === 0 ? NLM_F_CAPPED : 0;
  if (extack) flags |= NLM_F_ACK_TLVS;
  const w = new NlWriter(NLMSG_ERROR, flags, seq, pid);
  w.u32(-errno >>> 0);
  w.bytes(errno === 0 ? req.subarray(0, NLMSG_HDRLEN) : req);
  if (extack) w.attrStr(NLMSGERR_ATTR_MSG, extack);
  return w.end();
}
