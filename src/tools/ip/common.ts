/**
 * The state of one `ip` invocation: the lab, the namespace it talks to (after -n), the global
 * options and the output streams.
 */
import type { Lab } from '../../core/lab.ts';
import type { NetNamespace } from '../../core/netns.ts';
import type { ToolCtx } from '../types.ts';
import type { NlError } from '../../core/errno.ts';
import { Printer } from './print.ts';
import { AF_UNSPEC, IpExit, kernelError, type Out } from './util.ts';

export interface GlobalOpts {
  family: number;
  details: number;
  stats: number;
  brief: number;
  json: number;
  pretty: number;
  oneline: number;
  numeric: number;
  all: boolean;
  force: number;
}

export function defaultOpts(): GlobalOpts {
  return { family: AF_UNSPEC, details: 0, stats: 0, brief: 0, json: 0, pretty: 0, oneline: 0, numeric: 0,
    all: false, force: 0 };
}

export class IpCtx implements Out {
  readonly p: Printer;
  lastKernelError: NlError | null = null;
  constructor(readonly lab: Lab, public ns: NetNamespace, readonly opts: GlobalOpts, readonly tool: ToolCtx) {
    this.p = new Printer(opts.json > 0, opts.pretty > 0);
    if (opts.oneline) this.p.sl = '\\';
  }
  out(text: string): void { this.p.fp(text); }
  /** Plain stdout text regardless of JSON mode (printf in the C code). */
  print(text: string): void { this.p.buf += text; }
  err(text: string): void {
    this.flush();
    this.tool.err(text);
  }
  flush(): void {
    const s = this.p.take();
    if (s) this.tool.out(s);
  }
  /** A kernel refusal: printed as libnetlink does, status 2 (return -2 → exit 2). */
  kernelFail(e: NlError, code = 2): never {
    this.lastKernelError = e; // the answer nlmsg.ts shows to netlink taps
    kernelError(this, e);
    throw new IpExit(code);
  }
}
