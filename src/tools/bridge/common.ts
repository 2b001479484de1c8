/**
 * Shared state of one `bridge` run (iproute2 6.1 bridge/bridge.c globals): options, the output
 * printer, name/index lookups (ll_map) and the error paths with bridge's exit statuses.
 */
import type { Lab } from '../../core/lab.ts';
import type { NetNamespace } from '../../core/netns.ts';
import type { NetDevice } from '../../core/netdev.ts';
import type { NlError } from '../../core/errno.ts';
import type { ToolCtx } from '../types.ts';
import { Printer } from '../ip/print.ts';
import { IpExit, kernelError, type Out } from '../ip/util.ts';

export interface BridgeOpts {
  stats: number;
  details: number;
  oneline: number;
  json: number;
  pretty: number;
  compressVlans: number;
  timestamp: number;
}

export class BrCtx implements Out {
  readonly p: Printer;
  constructor(readonly lab: Lab, public ns: NetNamespace, readonly opts: BridgeOpts, readonly tool: ToolCtx) {
    this.p = new Printer(opts.json > 0, opts.pretty > 0);
    if (opts.oneline) this.p.sl = '\\';
  }
  out(text: string): void { this.p.fp(text); }
  print(text: string): void { this.p.buf += text; }
  err(text: string): void { this.flush(); this.tool.err(text); }
  flush(): void {
    const s = this.p.take();
    if (s) this.tool.out(s);
  }
  /** rtnl_talk failed: the kernel's answer, then `return -1` → exit 255. */
  kernelFail(e: NlError): never {
    kernelError(this, e);
    throw new IpExit(255);
  }
  fail(text: string, code = 255): never {
    this.err(text);
    throw new IpExit(code);
  }
  /** ll_name_to_index (0 when unknown). */
  dev(name: string): NetDevice | undefined {
    const d = this.ns.devices.get(name);
    if (d) return d;
    for (const x of this.ns.devices.values()) if (x.altnames.includes(name)) return x;
    return undefined;
  }
  /** ll_index_to_name: "if%d" when the index is unknown here. */
  nameOf(ifindex: number): string {
    return this.ns.byIndex.get(ifindex)?.name ?? `if${ifindex}`;
  }
}

/** iproute2 matches(): `prefix` is a prefix of `word`. */
export function matches(prefix: string, word: string): boolean { return word.startsWith(prefix); }

/** MAC as iproute2's ll_addr_n2a prints it. */
export function macText(n: number): string {
  let s = '';
  for (let i = 5; i >= 0; i--) {
    const b = Math.floor(n / 2 ** (8 * i)) % 256;
    s += (i !== 5 ? ':' : '') + b.toString(16).padStart(2, '0');
  }
  return s;
}

/** parse_one_of("on"/"off"): the 6.1 message, and `return ret` (-EINVAL) → exit 234. */
export function parseOnOff(c: BrCtx, key: string, val: string): number {
  if (val === 'on') return 1;
  if (val === 'off') return 0;
  c.fail(`Error: argument of "${key}" must be one of "off", "on", not "${val}"\n`, 234);
}

/** sscanf("%hhx:%hhx:…") as fdb_modify uses it. */
export function parseMac(s: string): number | null {
  const parts = s.split(':');
  if (parts.length < 6) return null;
  let n = 0;
  for (let i = 0; i < 6; i++) {
    const m = /^\s*([0-9a-fA-F]+)/.exec(parts[i]!);
    if (!m) return null;
    n = n * 256 + (parseInt(m[1]!.slice(-2), 16) & 0xff);
  }
  return n;
}

/** atoi */
export function atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const v = parseInt(m[1]!, 10);
  return v | 0;
}
