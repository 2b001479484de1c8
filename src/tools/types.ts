/**
 * What a user-space tool gets when it runs: the lab (its "kernel"), the namespace it runs in,
 * its arguments and output streams. Tools talk to the core through rtnl.ts requests and the
 * read-only state of namespaces; they print answers exactly as the real programs do.
 */
import type { Lab } from '../core/lab.ts';
import type { NetNamespace } from '../core/netns.ts';
import type { ProcessIO } from '../shell/host.ts';
import type { VirtualFs } from '../host/labhost.ts';

export interface ToolCtx {
  lab: Lab;
  /** The namespace the process runs in. */
  ns: NetNamespace;
  /** argv[0] is the program name. */
  argv: readonly string[];
  out(text: string): void;
  err(text: string): void;
  /** The shell-side process, for long-running tools (signals, exit later, spawning). */
  io: ProcessIO;
  /** The lab's virtual filesystem (/proc/sys, /sys/class/net, /dev, ordinary files). */
  fs: VirtualFs;
}

/**
 * A synchronous tool returns its exit status. A long-running one (ping, tcpdump) returns
 * 'async' and calls ctx.io.exit(status) itself later in virtual time.
 */
export type Tool = (ctx: ToolCtx) => number | 'async';
