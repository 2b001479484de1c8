/** `bridge fdb` (iproute2 6.1 bridge/fdb.c): show, add, append, replace, del. */
import type { NetDevice } from '../../core/netdev.ts';
import {
  NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, NTF_MASTER, NTF_SELF, NTF_STICKY, NTF_USE,
  NUD_NOARP, NUD_PERMANENT, NUD_REACHABLE, NUD_STALE, fdbAddRequest, fdbDelRequest, fdbDumpAll,
  type FdbDumpEntry, type FdbRequest,
} from '../../core/drivers/bridge/index.ts';
import { atoi, macText, matches, parseMac, type BrCtx } from './common.ts';
import { AF_INET, AF_UNSPEC, getAddr, ipv4Str } from '../ip/util.ts';

const NTF_ROUTER = 0x80, NTF_EXT_LEARNED = 0x10, NTF_OFFLOADED = 0x20;

const USAGE =
  'Usage: bridge fdb { add | append | del | replace } ADDR dev DEV\n' +
  '              [ self ] [ master ] [ use ] [ router ] [ extern_learn ]\n' +
  '              [ sticky ] [ local | static | dynamic ] [ vlan VID ]\n' +
  '              { [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }\n' +
  '	       [ via DEV ] [ src_vni VNI ]\n' +
  '       bridge fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ]\n' +
  '              [ state STATE ] [ dynamic ] ]\n' +
  '       bridge fdb get [ to ] LLADDR [ br BRDEV ] { brport | dev } DEV\n' +
  '              [ vlan VID ] [ vni VNI ] [ self ] [ master ] [ dynamic ]\n' +
  '       bridge fdb flush dev DEV [ brport DEV ] [ vlan VID ]\n' +
  '              [ self ] [ master ] [ [no]permanent | [no]static | [no]dynamic ]\n' +
  '              [ [no]added_by_user ] [ [no]extern_learn ] [ [no]sticky ]\n' +
  '              [ [no]offloaded ]\n';

function usage(c: BrCtx): never { c.fail(USAGE, 255); }

function stateN2a(c: BrCtx, s: number): string {
  if (s & NUD_PERMANENT) return 'permanent';
  if (s & NUD_NOARP) return 'static';
  if (s & NUD_STALE) return 'stale';
  if (s & NUD_REACHABLE) return '';
  const hex = s ? '0x' + s.toString(16) : '0';
  return c.p.isJson ? hex : `state=${hex}`;
}

function stateA2n(arg: string): number | null {
  if (matches(arg, 'permanent')) return NUD_PERMANENT;
  if (matches(arg, 'static') || matches(arg, 'temp')) return NUD_NOARP;
  if (matches(arg, 'stale')) return NUD_STALE;
  if (matches(arg, 'reachable') || matches(arg, 'dynamic')) return NUD_REACHABLE;
  if (arg === 'all') return 0xffffffff;
  const m = /^(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)$/i.exec(arg);
  if (!m) return null;
  return Number(arg.startsWith('0') && !arg.startsWith('0x') && arg !== '0' ? parseInt(arg, 8) : arg);
}

interface ShowFilter { index: number; state: number; vlan: number; dynamic: boolean }

function printFdb(c: BrCtx, e: FdbDumpEntry, f: ShowFilter): void {
  const p = c.p;
  if (f.index && f.index !== e.dev.ifindex) return;
  if (f.state && !(e.state & f.state)) return;
  if (f.vlan && f.vlan !== e.vid) return;
  if (f.dynamic && (e.state & NUD_PERMANENT)) return;
  p.openObject(null);
  p.string('any', 'mac', `${macText(e.mac)} `, macText(e.mac));
  if (!f.index) {
    p.fp('dev ');
    p.string('any', 'ifname', `${e.dev.name} `, e.dev.name);
  }
  if (e.dst !== undefined) p.string('any', 'dst', `dst ${ipv4Str(e.dst)} `, ipv4Str(e.dst));
  if (e.vid) p.num('any', 'vlan', `vlan ${e.vid} `, e.vid);
  if (e.port !== undefined) p.num('any', 'port', `port ${e.port} `, e.port);
  if (e.vni !== undefined) p.num('any', 'vni', `vni ${e.vni} `, e.vni);
  if (e.via !== undefined) { const v = c.nameOf(e.via); p.string('any', 'viaIf', `via ${v} `, v); }
  if (c.opts.stats && (e.master || e.cacheinfo)) {
    if (p.isJson) {
      p.num('json', 'used', '', Math.floor(e.used / 100));
      p.num('json', 'updated', '', Math.floor(e.updated / 100));
    } else {
      p.fp(`used ${Math.floor(e.used / 100)}/${Math.floor(e.updated / 100)} `);
    }
  }
  p.openArray('json', 'flags');
  if (e.flags & NTF_SELF) p.string('any', null, 'self ', 'self');
  if (e.flags & NTF_ROUTER) p.string('any', null, 'router ', 'router');
  if (e.flags & NTF_EXT_LEARNED) p.string('any', null, 'extern_learn ', 'extern_learn');
  if (e.flags & NTF_OFFLOADED) p.string('any', null, 'offload ', 'offload');
  if (e.flags & NTF_MASTER) p.string('any', null, 'master ', 'master');
  if (e.flags & NTF_STICKY) p.string('any', null, 'sticky ', 'sticky');
  p.closeArray('json', null);
  if (e.master) p.string('any', 'master', `master ${e.master.name} `, e.master.name);
  const st = stateN2a(c, e.state);
  p.string('any', 'state', `${st}\n`, st);
  p.closeObject();
}

function fdbShow(c: BrCtx, argv: string[]): number {
  let filterDev: string | null = null;
  let br: string | null = null;
  const f: ShowFilter = { index: 0, state: 0, vlan: 0, dynamic: false };
  const next = (i: number): string => {
    if (i + 1 >= argv.length) c.fail('Command line is not complete. Try option "help"\n');
    return argv[i + 1]!;
  };
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    if (w === 'brport' || w === 'dev') { filterDev = next(i); i++; }
    else if (w === 'br') { br = next(i); i++; }
    else if (w === 'vlan') {
      const v = next(i); i++;
      if (f.vlan) c.fail(`Error: duplicate "vlan": "${v}" is the second value.\n`);
      f.vlan = atoi(v);
    } else if (w === 'state') {
      const v = next(i); i++;
      const s = stateA2n(v);
      if (s === null) c.fail(`Error: argument "${v}" is wrong: invalid state\n`);
      f.state |= s;
    } else if (w === 'dynamic') f.dynamic = true;
    else if (matches(w, 'help')) usage(c);
  }
  let master: NetDevice | null = null;
  if (br !== null) {
    master = c.dev(br) ?? null;
    if (!master) c.fail(`Cannot find bridge device "${br}"\n`);
  }
  let only: NetDevice | null = null;
  if (filterDev !== null) {
    only = c.dev(filterDev) ?? null;
    if (!only) c.fail(`Cannot find device "${filterDev}"\n`);
    f.index = only.ifindex;
  }
  c.p.newJsonObj();
  for (const e of fdbDumpAll(c.ns, master, only)) printFdb(c, e, f);
  c.p.deleteJsonObj();
  return 0;
}

function fdbModify(c: BrCtx, del: boolean, nlFlags: number, argv: string[]): number {
  let addr: string | null = null;
  let d: string | null = null;
  let flags = 0;
  let state = NUD_NOARP;
  let vid = -1;
  // NDA_DST/PORT/VNI/SRC_VNI/IFINDEX for devices with their own FDB (vxlan); bridges ignore them.
  const vx: Pick<FdbRequest, 'dst' | 'port' | 'vni' | 'srcVni' | 'ifindex'> = {};
  const next = (i: number): string => {
    if (i + 1 >= argv.length) c.fail('Command line is not complete. Try option "help"\n');
    return argv[i + 1]!;
  };
  const vniArg = (v: string): number => {
    const n = /^(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)$/i.test(v) ? Number(v.startsWith('0') && !/^0x/i.test(v) && v !== '0' ? parseInt(v, 8) : v) : NaN;
    if (!Number.isFinite(n) || n >= 1 << 24) c.fail(`Error: argument "${v}" is wrong: invalid VNI\n\n`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    let w = argv[i]!;
    if (w === 'dev') { d = next(i); i++; }
    else if (w === 'dst') {
      const v = next(i); i++;
      const a = getAddr(c, v, AF_UNSPEC);
      vx.dst = a.family === AF_INET ? a.v4 : a.v6;
    } else if (w === 'port') {
      const v = next(i); i++;
      const n = /^(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)$/i.test(v) ? Number(v.startsWith('0') && !/^0x/i.test(v) && v !== '0' ? parseInt(v, 8) : v) : NaN;
      if (!Number.isFinite(n) || n > 0xffff) c.fail(`Error: argument "${v}" is wrong: invalid port\n\n`);
      vx.port = n;
    } else if (w === 'vni') { vx.vni = vniArg(next(i)); i++; }
    else if (w === 'src_vni') { vx.srcVni = vniArg(next(i)); i++; }
    else if (w === 'nhid') { next(i); i++; }
    else if (w === 'via') {
      const v = next(i); i++;
      const vd = c.dev(v);
      if (!vd) c.fail(`Cannot find device "${v}"\n`);
      vx.ifindex = vd.ifindex;
    } else if (w === 'self') flags |= NTF_SELF;
    else if (matches(w, 'master')) flags |= NTF_MASTER;
    else if (matches(w, 'router')) flags |= NTF_ROUTER;
    else if (matches(w, 'local') || matches(w, 'permanent')) state |= NUD_PERMANENT;
    else if (matches(w, 'temp') || matches(w, 'static')) state |= NUD_REACHABLE;
    else if (matches(w, 'dynamic')) { state |= NUD_REACHABLE; state &= ~NUD_NOARP; }
    else if (matches(w, 'vlan')) {
      if (vid >= 0) c.fail(`Error: either "vlan" is duplicate, or "${w}" is a garbage.\n`);
      vid = atoi(next(i)) & 0xffff; i++;
      if (vid >= 0x8000) vid -= 0x10000;
    } else if (matches(w, 'use')) flags |= NTF_USE;
    else if (matches(w, 'extern_learn')) flags |= NTF_EXT_LEARNED;
    else if (matches(w, 'sticky')) flags |= NTF_STICKY;
    else {
      if (w === 'to') { w = next(i); i++; }
      if (matches(w, 'help')) usage(c);
      if (addr !== null) c.fail(`Error: either "to" is duplicate, or "${w}" is a garbage.\n`);
      addr = w;
    }
  }
  if (d === null || addr === null) c.fail('Device and address are required arguments.\n');
  if (!(flags & (NTF_SELF | NTF_MASTER))) flags |= NTF_SELF;
  if (!(state & (NUD_PERMANENT | NUD_REACHABLE))) state |= NUD_PERMANENT;
  const mac = parseMac(addr);
  if (mac === null) c.fail(`Invalid mac address ${addr}\n`);
  const dev = c.dev(d);
  if (!dev) c.fail(`Cannot find device "${d}"\n`);
  const req: FdbRequest = { mac, vid: vid >= 0 ? vid : undefined, state, flags, nlFlags, ...vx };
  const r = del ? fdbDelRequest(dev, req) : fdbAddRequest(dev, req);
  if (!r.ok) c.kernelFail(r);
  return 0;
}

export function doFdb(c: BrCtx, argv: string[]): number {
  if (!argv.length) return fdbShow(c, []);
  const w = argv[0]!;
  const rest = argv.slice(1);
  if (matches(w, 'add')) return fdbModify(c, false, NLM_F_CREATE | NLM_F_EXCL, rest);
  if (matches(w, 'append')) return fdbModify(c, false, NLM_F_CREATE | NLM_F_APPEND, rest);
  if (matches(w, 'replace')) return fdbModify(c, false, NLM_F_CREATE | NLM_F_REPLACE, rest);
  if (matches(w, 'delete')) return fdbModify(c, true, 0, rest);
  if (matches(w, 'show') || matches(w, 'lst') || matches(w, 'list')) return fdbShow(c, rest);
  if (matches(w, 'help')) usage(c);
  c.fail(`Command "${w}" is unknown, try "bridge fdb help".\n`);
}
