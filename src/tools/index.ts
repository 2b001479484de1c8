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
import { vconfigTool } from './vconfig.ts'; // vconfig (the vlan package's script)
import { teamdMain, teamdctlTool } from './teamd.ts'; // teamd, teamdctl (libteam-utils)
import { devlinkTool } from './devlink.ts'; // devlink (no devlink instances, as on the judge)
import { odTool } from './od.ts'; // od (coreutils)

export function defaultTools(): Record<string, Tool> {
  return {
    ip: ipTool, ping: pingTool, arping: arpingTool, sysctl: sysctlTool, bridge: bridgeTool, brctl: brctlTool,
    tcpdump: tcpdumpTool, timeout: timeoutTool, sleep: sleepTool, echo: echoTool, true: trueTool, false: falseTool,
    cat: catTool, dmesg: dmesgTool, modprobe: modprobeTool, lsmod: lsmodTool, ls: lsTool, grep: grepTool, egrep: grepTool,
    head: headTool, tail: tailTool, wc: wcTool, sort: sortTool, uniq: uniqTool,
    vconfig: vconfigTool, teamd: teamdMain, teamdctl: teamdctlTool,
    devlink: devlinkTool, od: odTool,
  };
}

/** Where Debian 12 installs each program (what `command -v NAME` prints); the rest are in /usr/bin. */
export const TOOL_PATHS: Readonly<Record<string, string>> = {
  ip: '/usr/sbin/ip', bridge: '/usr/sbin/bridge', brctl: '/usr/sbin/brctl', arping: '/usr/sbin/arping',
  sysctl: '/usr/sbin/sysctl', modprobe: '/usr/sbin/modprobe', lsmod: '/usr/sbin/lsmod', vconfig: '/usr/sbin/vconfig',
  devlink: '/usr/sbin/devlink',
};
