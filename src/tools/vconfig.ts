/**
 * vconfig as Debian 12 ships it (package `vlan` 2.0.5): no longer the old ioctl program but a
 * `#!/bin/sh -e` script (/usr/sbin/vconfig) that prints a deprecation warning and turns each
 * command into an `ip` call, exiting with the command's own status when ip fails:
 *
 *   add IFACE VID        ip link add link IFACE name NAME type vlan id VID   || exit 3
 *   rem NAME             ip link del NAME                                     || exit 4
 *   set_egress_map N P Q ip link set dev N type vlan egress-qos-map P:Q      || exit 5
 *   set_ingress_map …    … ingress-qos-map P:Q                                 || exit 6
 *   set_flag N F 0|1     echoes its arguments, then reorder_hdr off|on, whatever F is  || exit 7
 *   set_name_type T      writes T to /run/network/vlan/name-type (unchecked)     || exit 8
 *
 * NAME follows that file (default DEV_PLUS_VID_NO_PAD): vlan%.4d, vlanN, IFACE.%.4d, IFACE.N; an
 * unknown type leaves it empty (ip then refuses the name). The 4-digit forms go through dash's
 * printf, whose number errors end the script (set -e) with status 1. Nothing here reads or writes
 * /proc/net/vlan: the kernel's files show what ip made.
 */
import type { Tool, ToolCtx } from './types.ts';
import { ipTool } from './ip/index.ts';
import { LabFs } from './fs.ts';

const SCRIPT = '/usr/sbin/vconfig';
const STATEDIR = '/run/network/vlan';
const NAME_TYPE_FILE = `${STATEDIR}/name-type`;

const USAGE = `
Usage: add             [interface-name] [vlan_id]
       rem             [vlan-name]
       set_flag        [interface-name] [flag-num]       [0 | 1]
       set_egress_map  [vlan-name]      [skb_priority]   [vlan_qos]
       set_ingress_map [vlan-name]      [skb_priority]   [vlan_qos]
       set_name_type   [name-type]

* The [interface-name] is the name of the ethernet card that hosts
  the VLAN you are talking about.
* The vlan_id is the identifier (0-4095) of the VLAN you are operating on.
* skb_priority is the priority in the socket buffer (sk_buff).
* vlan_qos is the 3 bit priority in the VLAN header
* name-type:  VLAN_PLUS_VID (vlan0005), VLAN_PLUS_VID_NO_PAD (vlan5),
              DEV_PLUS_VID (eth0.0005), DEV_PLUS_VID_NO_PAD (eth0.5)
* FLAGS:  1 REORDER_HDR  When this is set, the VLAN device will move the
            ethernet header around to make it look exactly like a real
            ethernet device.  This may help programs such as DHCPd which
            read the raw ethernet packet and make assumptions about the
            location of bytes.  If you don't need it, don't turn it on, because
            there will be at least a small performance degradation.  Default
            is OFF.
`;

/** Line numbers of the two printf calls in the script (dash names them in its errors). */
const PRINTF_LINE = { VLAN_PLUS_VID: 88, DEV_PLUS_VID: 94 } as const;

/** `/sbin/ip "$@"`: the lab's ip, with the caller's streams. */
function ip(ctx: ToolCtx, ...args: string[]): number {
  const r = ipTool({ ...ctx, argv: ['ip', ...args] });
  return r === 'async' ? 0 : r;
}

class ScriptExit { constructor(readonly code: number) {} }

/**
 * dash's printf %.4d: the argument is read with strtoimax(…, 0) (so 0x10 and 010 work, "" is 0);
 * no digits → "expected numeric value", trailing junk → "not completely converted", and either
 * makes printf fail, which ends the script under -e.
 */
function pad4(ctx: ToolCtx, arg: string, line: number): string {
  const m = /^[ \t\n]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(.*)$/s.exec(arg);
  const fail = (why: string): never => {
    ctx.err(`${SCRIPT}: ${line}: printf: ${arg}: ${why}\n`);
    throw new ScriptExit(1);
  };
  if (arg === '') return '0000';
  if (!m) return fail('expected numeric value');
  if (m[3] !== '') fail('not completely converted');
  const body = m[2]!;
  let n = /^0[xX]/.test(body) ? BigInt(body) : body.length > 1 && body.startsWith('0') ? BigInt(`0o${body.slice(1)}`) : BigInt(body);
  if (m[1] === '-') n = -n;
  const neg = n < 0n;
  return (neg ? '-' : '') + (neg ? -n : n).toString().padStart(4, '0');
}

function readNameType(ctx: ToolCtx): string {
  const r = ctx.fs.read(ctx.ns.name, NAME_TYPE_FILE);
  // $(cat FILE) drops the trailing newlines
  return r.ok ? r.value.replace(/\n+$/, '') : 'DEV_PLUS_VID_NO_PAD';
}

function add(ctx: ToolCtx, iface: string, vid: string): number {
  let name = '';
  switch (readNameType(ctx)) {
    case 'VLAN_PLUS_VID': name = `vlan${pad4(ctx, vid, PRINTF_LINE.VLAN_PLUS_VID)}`; break;
    case 'VLAN_PLUS_VID_NO_PAD': name = `vlan${vid}`; break;
    case 'DEV_PLUS_VID': name = `${iface}.${pad4(ctx, vid, PRINTF_LINE.DEV_PLUS_VID)}`; break;
    case 'DEV_PLUS_VID_NO_PAD': name = `${iface}.${vid}`; break;
    default: break;
  }
  return ip(ctx, 'link', 'add', 'link', iface, 'name', name, 'type', 'vlan', 'id', vid) === 0 ? 0 : 3;
}

function setNameType(ctx: ToolCtx, type: string): number {
  const fs = ctx.fs;
  // mkdir -p
  if (fs instanceof LabFs) {
    let p = '';
    for (const part of STATEDIR.split('/').slice(1)) {
      p += `/${part}`;
      if (!fs.exists(ctx.ns.name, p)) fs.mkdir(p);
    }
  }
  const w = fs.write(ctx.ns.name, NAME_TYPE_FILE, `${type}\n`, false);
  if (!w.ok) {
    ctx.err(`${SCRIPT}: 111: cannot create ${NAME_TYPE_FILE}: Directory nonexistent\n`);
    return 8;
  }
  return 0;
}

function setFlag(ctx: ToolCtx, dev: string, flag: string, value: string): number {
  ctx.out(`${dev} ${flag} ${value}\n`);
  const onOff = value === '0' ? 'off' : value === '1' ? 'on' : null;
  if (onOff === null) {
    ctx.err('Invalid flag parameter specified\n');
    return 7;
  }
  return ip(ctx, 'link', 'set', 'dev', dev, 'type', 'vlan', 'reorder_hdr', onOff) === 0 ? 0 : 7;
}

export const vconfigTool: Tool = (ctx) => {
  const args = ctx.argv.slice(1);
  const arg = (i: number): string => args[i] ?? '';
  ctx.err('\nWarning: vconfig is deprecated and might be removed in the future, please migrate to ip(route2) as soon as possible!\n\n');
  const argc = args.length + 1;
  if (argc < 3 || argc > 5) {
    ctx.err(`Expecting argc to be 3-5, inclusive.  Was: ${argc}\n`);
    ctx.out(USAGE);
    return 1;
  }
  try {
    switch (arg(0)) {
      case 'add': return add(ctx, arg(1), arg(2));
      case 'rem': return ip(ctx, 'link', 'del', arg(1)) === 0 ? 0 : 4;
      case 'set_flag': return setFlag(ctx, arg(1), arg(2), arg(3));
      case 'set_ingress_map':
        return ip(ctx, 'link', 'set', 'dev', arg(1), 'type', 'vlan', 'ingress-qos-map', `${arg(2)}:${arg(3)}`) === 0 ? 0 : 6;
      case 'set_egress_map':
        return ip(ctx, 'link', 'set', 'dev', arg(1), 'type', 'vlan', 'egress-qos-map', `${arg(2)}:${arg(3)}`) === 0 ? 0 : 5;
      case 'set_name_type': return setNameType(ctx, arg(1));
      default:
        ctx.err(`Unknown command: ${arg(0)}\n`);
        return 5;
    }
  } catch (e) {
    if (e instanceof ScriptExit) return e.code;
    throw e;
  }
};
