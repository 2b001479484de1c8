/**
 * `bridge` from iproute2 6.1: global options, then the object (link, fdb, vlan). Every failure
 * the C program reports with `return -1` or exit(-1) ends with status 255.
 */
import type { Tool } from '../types.ts';
import { IpExit } from '../ip/util.ts';
import { BrCtx, matches, type BridgeOpts } from './common.ts';
import { doLink } from './link.ts';
import { doFdb } from './fdb.ts';
import { doVlan } from './vlan.ts';

const USAGE =
  'Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }\n' +
  '       bridge [ -force ] -batch filename\n' +
  'where  OBJECT := { link | fdb | mdb | vlan | monitor }\n' +
  '       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |\n' +
  '                    -o[neline] | -t[imestamp] | -n[etns] name |\n' +
  '                    -c[ompressvlans] -color -p[retty] -j[son] }\n';

export const bridgeTool: Tool = (ctx) => {
  const opts: BridgeOpts = { stats: 0, details: 0, oneline: 0, json: 0, pretty: 0, compressVlans: 0, timestamp: 0 };
  const argv = ctx.argv.slice(1);
  let ns = ctx.ns;
  let i = 0;
  let color = false;
  const usage = (): number => { ctx.err(USAGE); return 255; };
  while (i < argv.length) {
    let opt = argv[i]!;
    if (opt === '--') { i++; break; }
    if (!opt.startsWith('-')) break;
    if (opt[1] === '-') opt = opt.slice(1);
    if (matches(opt, '-help')) return usage();
    else if (matches(opt, '-Version')) { ctx.out('bridge utility, 6.1.0\n'); return 0; }
    else if (matches(opt, '-stats') || matches(opt, '-statistics')) opts.stats++;
    else if (matches(opt, '-details')) opts.details++;
    else if (matches(opt, '-oneline')) opts.oneline++;
    else if (matches(opt, '-timestamp')) opts.timestamp++;
    else if (opt === '-4' || opt === '-6') { /* family: only used by mdb */ }
    else if (matches(opt, '-netns')) {
      i++;
      if (i >= argv.length) { ctx.err('Command line is not complete. Try option "help"\n'); return 255; }
      const target = ctx.lab.named.get(argv[i]!);
      if (!target) {
        ctx.err(`Cannot open network namespace "${argv[i]}": No such file or directory\n`);
        return 255;
      }
      ns = target;
    } else if ('-color'.startsWith(opt.split('=')[0]!) && opt.length > 1) {
      // matches_color: no value or "always" colours; "auto" needs a terminal, which a lab never has
      const eq = opt.indexOf('=');
      color = eq < 0 || opt.slice(eq + 1) === 'always';
    }
    else if (matches(opt, '-compressvlans')) opts.compressVlans++;
    else if (matches(opt, '-force')) { /* batch only */ }
    else if (matches(opt, '-json')) opts.json++;
    else if (matches(opt, '-pretty')) opts.pretty++;
    else { ctx.err(`Option "${opt}" is unknown, try "bridge help".\n`); return 255; }
    i++;
  }
  if (i >= argv.length) return usage();
  const c = new BrCtx(ctx.lab, ns, opts, ctx);
  if (color && !opts.json) {
    c.p.colorOn = true;
    const fgbg = ctx.io?.env?.get('COLORFGBG');
    if (fgbg && fgbg.includes(';') && /^;[0-68]$/.test(fgbg.slice(fgbg.lastIndexOf(';')))) c.p.darkBg = true;
  }
  const obj = argv[i]!;
  const rest = argv.slice(i + 1);
  try {
    let rc: number;
    if (matches(obj, 'link')) rc = doLink(c, rest);
    else if (matches(obj, 'fdb')) rc = doFdb(c, rest);
    else if (matches(obj, 'mdb')) rc = 0;
    else if (matches(obj, 'vlan')) rc = doVlan(c, rest);
    else if (matches(obj, 'vni')) rc = 0;
    else if (matches(obj, 'monitor')) rc = 0;
    else if (matches(obj, 'help')) { c.flush(); return usage(); }
    else { c.err(`Object "${obj}" is unknown, try "bridge help".\n`); return 255; }
    c.flush();
    return rc & 0xff;
  } catch (e) {
    if (e instanceof IpExit) { c.flush(); return e.code & 0xff; }
    throw e;
  }
};
