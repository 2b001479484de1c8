/** The command table of a lab: every program a lab script can run besides shell builtins. */
import type { Tool } from './types.ts';
import { pingTool } from './ping.ts';
import { arpingTool } from './arping.ts';
import { dmesgTool, grepTool, headTool, lsTool, lsmodTool, modprobeTool, sortTool, tailTool, uniqTool, wcTool } from './misc.ts';
import { ipTool } from './ip/index.ts';
import { sysctlTool } from './sysctl.ts';
import { bridgeTool } from './bridge/index.ts';
import { brctlTool } from './brctl.ts';
import { tcpdumpTool } from './tcpdump/index.ts';
import { catTool, echoTool, falseTool, sleepTool, timeoutTool, trueTool } from './coreutils.ts';

export function defaultTools(): Record<string, Tool> {
  return {
    ip: ipTool, ping: pingTool, arping: arpingTool, sysctl: sysctlTool, bridge: bridgeTool, brctl: brctlTool,
    tcpdump: tcpdumpTool, timeout: timeoutTool, sleep: sleepTool, echo: echoTool, true: trueTool, false: falseTool,
    cat: catTool, dmesg: dmesgTool, modprobe: modprobeTool, lsmod: lsmodTool, ls: lsTool, grep: grepTool, egrep: grepTool,
    head: headTool, tail: tailTool, wc: wcTool, sort: sortTool, uniq: uniqTool,
  };
}
