/**
 * The `ip` command (iproute2 6.1, ip/ip.c): global options, object dispatch by matches(), and
 * the exit statuses of the C program (return -1 → 1, kernel errors → 2, exit(-1) → 255).
 */
import type { Tool, ToolCtx } from '../types.ts';
import { IpCtx, defaultOpts, type GlobalOpts } from './common.ts';
import { AF_INET, AF_INET6, AF_MPLS, AF_PACKET, AF_BRIDGE, AF_UNSPEC, IpExit, fail, matches, readFamily } from './util.ts';
import { doIplink } from './link.ts';
import { doIpaddr } from './addr.ts';
import { doIproute } from './route.ts';
import { doIpneigh } from './neigh.ts';
import { doNetns } from './netns.ts';
import { doIptuntap } from './tuntap.ts'; // ip tuntap / ip tap (tuntap.ts)
import { doIpvrf } from './vrf.ts'; // ip vrf (vrf.ts)
import { doIprule } from './rule.ts'; // ip rule (rule.ts)

export const IP_VERSION = 'ip utility, iproute2-6.1.0, libbpf 1.1.2\n';

function usage(c: { err(t: string): void }): never {
  c.err(
    'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n' +
    '       ip [ -force ] -batch filename\n' +
    'where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |\n' +
    '                   link | macsec | maddress | monitor | mptcp | mroute | mrule |\n' +
    '                   neighbor | neighbour | netconf | netns | nexthop | ntable |\n' +
    '                   ntbl | route | rule | sr | tap | tcpmetrics |\n' +
    '                   token | tunnel | tuntap | vrf | xfrm }\n' +
    '       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |\n' +
    '                    -h[uman-readable] | -iec | -j[son] | -p[retty] |\n' +
    '                    -f[amily] { inet | inet6 | mpls | bridge | link } |\n' +
    '                    -4 | -6 | -M | -B | -0 |\n' +
    '                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |\n' +
    '                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |\n' +
    '                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |\n' +
    '                    -c[olor]}\n');
  throw new IpExit(255);
}

type ObjFn = (c: IpCtx, argv: string[]) => number | 'async';

function unsupported(name: string): ObjFn {
  return (c) => fail(c, `ip ${name}: not supported by vnet\n`, 1);
}

const OBJECTS: [string, ObjFn][] = [
  ['address', doIpaddr], ['addrlabel', unsupported('addrlabel')], ['maddress', unsupported('maddress')],
  ['route', doIproute], ['rule', doIprule], ['neighbor', doIpneigh], ['neighbour', doIpneigh],
  ['ntable', unsupported('ntable')], ['ntbl', unsupported('ntbl')], ['link', doIplink],
  ['l2tp', unsupported('l2tp')], ['fou', unsupported('fou')], ['ila', unsupported('ila')],
  ['macsec', unsupported('macsec')], ['tunnel', unsupported('tunnel')], ['tunl', unsupported('tunl')],
  // tuntap.ts (iptuntap.c); `ip tun` stays `ip tunnel`, as in ip.c's table order.
  ['tuntap', doIptuntap], ['tap', doIptuntap], ['token', unsupported('token')],
  ['tcpmetrics', unsupported('tcpmetrics')], ['tcp_metrics', unsupported('tcp_metrics')],
  ['monitor', unsupported('monitor')], ['xfrm', unsupported('xfrm')], ['mroute', unsupported('mroute')],
  ['mrule', unsupported('mrule')], ['netns', doNetns], ['netconf', unsupported('netconf')],
  ['vrf', doIpvrf], ['sr', unsupported('sr')], ['nexthop', unsupported('nexthop')],
  ['mptcp', unsupported('mptcp')], ['ioam', unsupported('ioam')], ['help', (c) => usage(c)],
  ['stats', unsupported('stats')],
];

/** Parses the global options; returns the index of the object word. */
function parseGlobal(ctx: ToolCtx, argv: readonly string[], o: GlobalOpts, io: { err(t: string): void; out(t: string): void },
  st: { netns?: string; color: number }): number {
  let i = 1;
  const next = (): string => {
    i++;
    if (i >= argv.length) {
      // NEXT_ARG in main(): argc <= 0 → incomplete_command
      io.err('Command line is not complete. Try option "help"\n');
      throw new IpExit(255);
    }
    return argv[i]!;
  };
  while (i < argv.length) {
    let opt = argv[i]!;
    if (opt === '--') { i++; break; }
    if (opt[0] !== '-') break;
    if (opt[1] === '-') opt = opt.slice(1);
    if (matches(opt, '-loops')) {
      i++;
      if (i >= argv.length) usage(io);
    } else if (matches(opt, '-family')) {
      i++;
      if (i >= argv.length) usage(io);
      const v = argv[i]!;
      if (v === 'help') usage(io);
      o.family = readFamily(v);
      if (o.family === AF_UNSPEC) {
        io.err(`Error: argument "${v}" is wrong: invalid protocol family\n`);
        throw new IpExit(255);
      }
    } else if (opt === '-4') o.family = AF_INET;
    else if (opt === '-6') o.family = AF_INET6;
    else if (opt === '-0') o.family = AF_PACKET;
    else if (opt === '-M') o.family = AF_MPLS;
    else if (opt === '-B') o.family = AF_BRIDGE;
    else if (matches(opt, '-human') || matches(opt, '-human-readable')) { /* ++human_readable */ }
    else if (matches(opt, '-iec')) { /* ++use_iec */ }
    else if (matches(opt, '-stats') || matches(opt, '-statistics')) o.stats++;
    else if (matches(opt, '-details')) o.details++;
    else if (matches(opt, '-resolve')) { /* names are printed as numbers anyway */ }
    else if (matches(opt, '-oneline')) o.oneline++;
    else if (matches(opt, '-timestamp') || matches(opt, '-tshort')) { /* monitor only */ }
    else if (matches(opt, '-Version')) {
      io.out(IP_VERSION);
      throw new IpExit(0);
    } else if (matches(opt, '-force')) o.force++;
    else if (matches(opt, '-batch')) {
      i++;
      if (i >= argv.length) usage(io);
      io.err(`Cannot open file "${argv[i]}" for reading: No such file or directory\n`);
      throw new IpExit(255);
    } else if (matches(opt, '-brief')) o.brief++;
    else if (matches(opt, '-json')) o.json++;
    else if (matches(opt, '-pretty')) o.pretty++;
    else if (matches(opt, '-rcvbuf')) {
      i++;
      if (i >= argv.length) usage(io);
      if (!/^(0x[0-9a-f]+|\d+)$/i.test(argv[i]!)) {
        io.err(`Invalid rcvbuf size '${argv[i]}'\n`);
        throw new IpExit(255);
      }
    } else if (colorOpt(opt) !== null) st.color = colorOpt(opt)!;
    else if (matches(opt, '-help')) usage(io);
    else if (matches(opt, '-netns')) {
      const name = next();
      st.netns = name;
      if (!ctx.lab.named.has(name) || name.includes('/')) {
        io.err(`Cannot open network namespace "${name}": No such file or directory\n`);
        throw new IpExit(255);
      }
    } else if (matches(opt, '-Numeric')) o.numeric++;
    else if (matches(opt, '-all')) o.all = true;
    else if (opt === '-echo') { /* echo_request */ }
    else {
      io.err(`Option "${opt}" is unknown, try "ip -help".\n`);
      throw new IpExit(255);
    }
    i++;
  }
  return i;
}

/** matches_color: 1 always, 2 auto, 0 never; null if not a colour option. */
function colorOpt(arg: string): number | null {
  const eq = arg.indexOf('=');
  const name = eq >= 0 ? arg.slice(0, eq) : arg;
  const val = eq >= 0 ? arg.slice(eq + 1) : '';
  if (!matches(name, '-color')) return null;
  if (val === '' || val === 'always') return 1;
  if (val === 'auto') return 2;
  if (val === 'never') return 0;
  return null;
}

export const ipTool: Tool = (ctx) => {
  const o = defaultOpts();
  const st: { netns?: string; color: number } = { color: 0 };
  const early = { err: (t: string) => ctx.err(t), out: (t: string) => ctx.out(t) };
  let objIndex: number;
  try {
    objIndex = parseGlobal(ctx, ctx.argv, o, early, st);
  } catch (e) {
    if (e instanceof IpExit) return e.code;
    throw e;
  }
  const ns = st.netns !== undefined ? ctx.lab.named.get(st.netns)! : ctx.ns;
  const c = new IpCtx(ctx.lab, ns, o, ctx);
  if (st.color === 1 && !o.json) {
    c.p.colorOn = true;
    const fgbg = ctx.io?.env?.get('COLORFGBG');
    if (fgbg) {
      const last = fgbg.slice(fgbg.lastIndexOf(';'));
      if (fgbg.includes(';') && /^;[0-68]$/.test(last)) c.p.darkBg = true;
    }
  }
  try {
    if (objIndex >= ctx.argv.length) usage(c);
    const word = ctx.argv[objIndex]!;
    const rest = ctx.argv.slice(objIndex + 1);
    for (const [name, fn] of OBJECTS) {
      if (matches(word, name)) {
        const r = fn(c, [...rest]);
        c.flush();
        return r === 'async' ? 'async' : r & 255;
      }
    }
    c.err(`Object "${word}" is unknown, try "ip help".\n`);
    return 1;
  } catch (e) {
    c.flush();
    if (e instanceof IpExit) return e.code & 255;
    throw e;
  }
};

export default ipTool;
