/**
 * brctl from bridge-utils 1.7, as it behaves with sysfs mounted for the namespace (what
 * `ip netns exec` gives): the texts of brctl_cmd.c / brctl_disp.c and their exit statuses.
 */
import type { Tool, ToolCtx } from './types.ts';
import { Errno, strerror, type NlResult } from '../core/errno.ts';
import type { NetDevice } from '../core/netdev.ts';
import type { NetNamespace } from '../core/netns.ts';
import {
  brAddBridge, brAddIf, brDelBridge, brDelIf, brSetPort, jiffiesToClockT, portOf, STP_STATE_NAMES,
  type BridgePort, type NetBridge,
} from '../core/drivers/bridge/index.ts';
import { brChangeLinkForTools } from './bridge/brctl-glue.ts';

const COMMANDS: [string, number, string][] = [
  ['addbr', 1, '<bridge>\t\tadd bridge'],
  ['delbr', 1, '<bridge>\t\tdelete bridge'],
  ['addif', 2, '<bridge> <device>\tadd interface to bridge'],
  ['delif', 2, '<bridge> <device>\tdelete interface from bridge'],
  ['hairpin', 3, '<bridge> <port> {on|off}\tturn hairpin on/off'],
  ['setageing', 2, '<bridge> <time>\t\tset ageing time'],
  ['setbridgeprio', 2, '<bridge> <prio>\t\tset bridge priority'],
  ['setfd', 2, '<bridge> <time>\t\tset bridge forward delay'],
  ['sethello', 2, '<bridge> <time>\t\tset hello time'],
  ['setmaxage', 2, '<bridge> <time>\t\tset max message age'],
  ['setpathcost', 3, '<bridge> <port> <cost>\tset path cost'],
  ['setportprio', 3, '<bridge> <port> <prio>\tset port priority'],
  ['show', 0, '[ <bridge> ]\t\tshow a list of bridges'],
  ['showmacs', 1, '<bridge>\t\tshow a list of mac addrs'],
  ['showstp', 1, '<bridge>\t\tshow bridge stp info'],
  ['stp', 2, '<bridge> {on|off}\tturn stp on/off'],
];

function helpLine(name: string, help: string): string { return `\t${name.padEnd(10)}\t${help}\n`; }

function usageText(): string {
  let s = 'Usage: brctl [commands]\ncommands:\n';
  for (const [n, , h] of COMMANDS) s += helpLine(n, h);
  return s;
}

function bridgeOf(ns: NetNamespace, name: string): NetBridge | null {
  const d = ns.devices.get(name);
  return d && d.kind === 'bridge' ? d.priv as NetBridge : null;
}

/** %.2x%.2x.%.2x… of a bridge id */
function bridgeIdText(prio: number, mac: number): string {
  return prio.toString(16).padStart(4, '0') + '.' + mac.toString(16).padStart(12, '0');
}

/** br_show_timer of a centisecond value: "%4i.%.2i" */
function timer(cs: number): string {
  return String(Math.floor(cs / 100)).padStart(4, ' ') + '.' + String(cs % 100).padStart(2, '0');
}

function sortedPorts(br: NetBridge): BridgePort[] {
  return [...br.ports].sort((a, b) => (a.dev.name < b.dev.name ? -1 : a.dev.name > b.dev.name ? 1 : 0));
}

/** sscanf("%lf") → timeval → the centiseconds libbridge writes to sysfs */
function parseTime(s: string): number | null {
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(s);
  if (!m) return null;
  const secs = parseFloat(m[0]);
  if (Number.isNaN(secs)) return null;
  const sec = Math.trunc(secs);
  const usec = Math.trunc(1000000 * (secs - sec));
  return Math.trunc((sec * 1000000 + usec) / 10000);
}

/** sscanf("%i") */
function parseCInt(s: string): number | null {
  const m = /^\s*([+-]?)(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)/i.exec(s);
  if (!m) return null;
  const body = m[2]!;
  let v = body.toLowerCase().startsWith('0x') ? parseInt(body, 16) : body.length > 1 && body.startsWith('0') ? parseInt(body, 8) : parseInt(body, 10);
  if (m[1] === '-') v = -v;
  return v | 0;
}

function showBridge(ctx: ToolCtx, br: NetBridge): void {
  let s = `${br.dev.name}\t\t${bridgeIdText(br.bridgeId.prio, br.bridgeId.mac)}\t${br.stpEnabled ? 'yes' : 'no'}\t\t`;
  const ports = sortedPorts(br);
  s += ports.map((p) => p.dev.name).join('\n\t\t\t\t\t\t\t');
  ctx.out(s + '\n');
}

function cmdShow(ctx: ToolCtx, args: string[]): number {
  const header = 'bridge name\tbridge id\t\tSTP enabled\tinterfaces\n';
  if (!args.length) {
    const bridges = [...ctx.ns.devices.values()].filter((d) => d.kind === 'bridge')
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // bridge-utils prints the header with the first bridge: nothing at all when there is none.
    if (bridges.length) ctx.out(header);
    for (const d of bridges) showBridge(ctx, d.priv as NetBridge);
    return 0;
  }
  let rc = 0;
  let printed = false;
  for (const name of args) {
    const d = ctx.ns.devices.get(name);
    if (!d) { ctx.err(`bridge ${name} does not exist!\n`); rc = 1; continue; }
    if (d.kind !== 'bridge') { ctx.err(`device ${name} is not a bridge!\n`); rc = 1; continue; }
    if (!printed) { ctx.out(header); printed = true; }
    showBridge(ctx, d.priv as NetBridge);
  }
  return rc;
}

function cmdShowmacs(ctx: ToolCtx, name: string): number {
  const d = ctx.ns.devices.get(name);
  if (!d) { ctx.err('read of forward table failed: No such device\n'); return 1; }
  if (d.kind !== 'bridge') { ctx.err('read of forward table failed: Operation not supported\n'); return 1; }
  const br = d.priv as NetBridge;
  const now = Math.floor(ctx.lab.clock.now / 4_000_000);
  const rows: { mac: number; port: number; local: boolean; age: number }[] = [];
  const all = [...br.fdbList].reverse();
  for (const f of all) {
    if (!f.isStatic && f.updated + (br.topologyChange ? br.forwardDelay : br.ageingTime) <= now) continue;
    if (!f.dst) continue;
    rows.push({ mac: f.mac, port: f.dst.portNo, local: f.local, age: f.isStatic ? 0 : jiffiesToClockT(Math.max(0, now - f.updated)) });
  }
  rows.sort((a, b) => a.mac - b.mac);
  let s = 'port no\tmac addr\t\tis local?\tageing timer\n';
  for (const r of rows) {
    let mac = '';
    for (let i = 5; i >= 0; i--) mac += (i !== 5 ? ':' : '') + (Math.floor(r.mac / 2 ** (8 * i)) % 256).toString(16).padStart(2, '0');
    s += `${String(r.port).padStart(3, ' ')}\t${mac}\t${r.local ? 'yes' : 'no'}\t\t${timer(r.age)}\n`;
  }
  ctx.out(s);
  return 0;
}

function cmdShowstp(ctx: ToolCtx, name: string): number {
  const d = ctx.ns.devices.get(name);
  if (!d) { ctx.err(`bridge ${name} does not exist!\n`); return 1; }
  if (d.kind !== 'bridge') { ctx.err(`device ${name} is not a bridge!\n`); return 1; }
  const br = d.priv as NetBridge;
  const c = jiffiesToClockT;
  let s = `${name}\n`;
  s += ` bridge id\t\t${bridgeIdText(br.bridgeId.prio, br.bridgeId.mac)}\n`;
  s += ` designated root\t${bridgeIdText(br.designatedRoot.prio, br.designatedRoot.mac)}\n`;
  s += ` root port\t\t${String(br.rootPort).padStart(4)}\t\t\tpath cost\t\t${String(br.rootPathCost).padStart(4)}\n`;
  s += ` max age\t\t${timer(c(br.maxAge))}\t\t\tbridge max age\t\t${timer(c(br.maxAge))}\n`;
  s += ` hello time\t\t${timer(c(br.helloTime))}\t\t\tbridge hello time\t${timer(c(br.helloTime))}\n`;
  s += ` forward delay\t\t${timer(c(br.forwardDelay))}\t\t\tbridge forward delay\t${timer(c(br.forwardDelay))}\n`;
  s += ` ageing time\t\t${timer(c(br.ageingTime))}\n`;
  s += ` hello timer\t\t${timer(br.helloTimer.value())}\t\t\ttcn timer\t\t${timer(br.tcnTimer.value())}\n`;
  s += ` topology change timer\t${timer(br.topologyChangeTimer.value())}\t\t\tgc timer\t\t${timer(br.gcTimer.value())}\n`;
  s += ` flags\t\t\t${br.topologyChange ? 'TOPOLOGY_CHANGE ' : ''}${br.topologyChangeDetected ? 'TOPOLOGY_CHANGE_DETECTED ' : ''}\n\n\n`;
  for (const p of sortedPorts(br)) {
    s += `${p.dev.name} (${p.portNo})\n`;
    s += ` port id\t\t${p.portId.toString(16).padStart(4, '0')}\t\t\tstate\t\t${(STP_STATE_NAMES[p.state] ?? '').padStart(15)}\n`;
    s += ` designated root\t${bridgeIdText(p.designatedRoot.prio, p.designatedRoot.mac)}\tpath cost\t\t${String(p.pathCost).padStart(4)}\n`;
    s += ` designated bridge\t${bridgeIdText(p.designatedBridge.prio, p.designatedBridge.mac)}\tmessage age timer\t${timer(p.messageAgeTimer.value())}\n`;
    s += ` designated port\t${p.designatedPort.toString(16).padStart(4, '0')}\t\t\tforward delay timer\t${timer(p.forwardDelayTimer.value())}\n`;
    s += ` designated cost\t${String(p.designatedCost).padStart(4)}\t\t\thold timer\t\t${timer(p.holdTimer.value())}\n`;
    s += ` flags\t\t\t${p.configPending ? 'CONFIG_PENDING ' : ''}${p.topologyChangeAck ? 'TOPOLOGY_CHANGE_ACK ' : ''}\n`;
    if (p.flags & 1) s += ` hairpin mode\t\t${String(1).padStart(4)}\n`;
    s += '\n';
  }
  ctx.out(s);
  return 0;
}

/** A libbridge setter: the bridge must exist (ENODEV) and be a bridge (EOPNOTSUPP). */
function withBridge(ctx: ToolCtx, name: string, what: string, fn: (br: NetBridge) => NlResult): number {
  const d = ctx.ns.devices.get(name);
  let r: NlResult;
  if (!d) r = { ok: false, errno: Errno.ENODEV };
  else if (d.kind !== 'bridge') r = { ok: false, errno: Errno.EOPNOTSUPP };
  else r = fn(d.priv as NetBridge);
  if (!r.ok) { ctx.err(`${what} failed: ${strerror(r.errno)}\n`); return 1; }
  return 0;
}

/** The same, for a port: brif/PORT missing → ENOENT. */
function withPort(ctx: ToolCtx, brName: string, portName: string, what: string,
  fn: (p: BridgePort) => NlResult): number {
  return withBridge(ctx, brName, what, (br) => {
    const pd = ctx.ns.devices.get(portName);
    const p = pd ? portOf(pd) : null;
    if (!p || p.br !== br) return { ok: false, errno: Errno.ENOENT };
    return fn(p);
  });
}

function run(ctx: ToolCtx, cmd: string, a: string[]): number {
  const ns = ctx.ns;
  switch (cmd) {
    case 'addbr': {
      const r = brAddBridge(ns, a[0]!);
      if (r.ok) return 0;
      if (r.errno === Errno.EEXIST) ctx.err(`device ${a[0]} already exists; can't create bridge with the same name\n`);
      else ctx.err(`add bridge failed: ${strerror(r.errno)}\n`);
      return 1;
    }
    case 'delbr': {
      const r = brDelBridge(ns, a[0]!);
      if (r.ok) return 0;
      if (r.errno === Errno.ENXIO) ctx.err(`bridge ${a[0]} doesn't exist; can't delete it\n`);
      else if (r.errno === Errno.EBUSY) ctx.err(`bridge ${a[0]} is still up; can't delete it\n`);
      else ctx.err(`can't delete bridge ${a[0]}: ${strerror(r.errno)}\n`);
      return 1;
    }
    case 'addif': case 'delif': {
      const [brName, ifName] = [a[0]!, a[1]!];
      const port: NetDevice | undefined = ns.devices.get(ifName);
      if (!port) { ctx.err(`interface ${ifName} does not exist!\n`); return 1; }
      const brDev = ns.devices.get(brName);
      if (!brDev) { ctx.err(`bridge ${brName} does not exist!\n`); return 1; }
      let r: NlResult;
      if (brDev.kind !== 'bridge') r = { ok: false, errno: Errno.EOPNOTSUPP };
      else r = cmd === 'addif' ? brAddIf(brDev.priv as NetBridge, port) : brDelIf(brDev.priv as NetBridge, port);
      if (r.ok) return 0;
      if (cmd === 'addif') {
        if (r.errno === Errno.EBUSY) ctx.err(`device ${ifName} is already a member of a bridge; can't add it to bridge ${brName}.\n`);
        else if (r.errno === Errno.ELOOP) ctx.err(`device ${ifName} is a bridge device itself; can't add a bridge device to a bridge device.\n`);
        else ctx.err(`can't add ${ifName} to bridge ${brName}: ${strerror(r.errno)}\n`);
      } else if (r.errno === Errno.EINVAL) ctx.err(`device ${ifName} is not a port of ${brName}\n`);
      else ctx.err(`can't delete ${ifName} from ${brName}: ${strerror(r.errno)}\n`);
      return 1;
    }
    case 'hairpin': {
      const [brName, portName, v] = [a[0]!, a[1]!, a[2]!];
      if (!ns.devices.get(brName)) { ctx.err(`bridge ${brName} does not exist!\n`); return 1; }
      if (!ns.devices.get(portName)) { ctx.err(`interface ${portName} does not exist!\n`); return 1; }
      let on: number;
      if (v === 'on') on = 1;
      else if (v === 'off') on = 0;
      else { ctx.err('expect on/off for argument\n'); return 1; }
      const bd = ns.devices.get(brName)!;
      const pd = ns.devices.get(portName)!;
      const p = portOf(pd);
      const errno = bd.kind !== 'bridge' || !p || p.br.dev !== bd ? Errno.ENOENT : 0;
      if (errno) { ctx.err(`can't set ${portName} to hairpin on bridge ${brName}: ${strerror(errno)}\n`); return 1; }
      brSetPort(p!, { hairpin: on });
      return 0;
    }
    case 'setageing': case 'setfd': case 'sethello': case 'setmaxage': {
      const bad = { setageing: 'bad ageing time value', setfd: 'bad forward delay value',
        sethello: 'bad hello timer value', setmaxage: 'bad max age value' }[cmd];
      const what = { setageing: 'set ageing time', setfd: 'set forward delay',
        sethello: 'set hello timer', setmaxage: 'set max age' }[cmd];
      const cs = parseTime(a[1]!);
      if (cs === null) { ctx.err(`${bad}\n`); return 1; }
      const key = { setageing: 'ageingTime', setfd: 'forwardDelay', sethello: 'helloTime', setmaxage: 'maxAge' }[cmd];
      return withBridge(ctx, a[0]!, what, (br) => brChangeLinkForTools(br, { [key]: cs >>> 0 }));
    }
    case 'setbridgeprio': {
      const v = parseCInt(a[1]!);
      if (v === null) { ctx.err('bad priority\n'); return 1; }
      return withBridge(ctx, a[0]!, 'set bridge priority', (br) => brChangeLinkForTools(br, { priority: v & 0xffff }));
    }
    case 'setpathcost': {
      const v = parseCInt(a[2]!);
      if (v === null) { ctx.err('bad path cost value\n'); return 1; }
      return withPort(ctx, a[0]!, a[1]!, 'set path cost', (p) => brSetPort(p, { cost: v >>> 0 }));
    }
    case 'setportprio': {
      const v = parseCInt(a[2]!);
      if (v === null) { ctx.err('bad path priority value\n'); return 1; }
      return withPort(ctx, a[0]!, a[1]!, 'set port priority', (p) => brSetPort(p, { priority: v >>> 0 }));
    }
    case 'stp': {
      const v = a[1]!;
      let on: number;
      if (v === 'on' || v === 'yes' || v === '1') on = 1;
      else if (v === 'off' || v === 'no' || v === '0') on = 0;
      else { ctx.err('expect on/off for argument\n'); return 1; }
      return withBridge(ctx, a[0]!, 'set stp status', (br) => brChangeLinkForTools(br, { stpState: on }));
    }
    case 'show': return cmdShow(ctx, a);
    case 'showmacs': return cmdShowmacs(ctx, a[0]!);
    case 'showstp': return cmdShowstp(ctx, a[0]!);
  }
  return 1;
}

export const brctlTool: Tool = (ctx) => {
  const argv = ctx.argv.slice(1);
  // getopt("Vh"): options may appear anywhere (GNU permutation).
  const words: string[] = [];
  for (const w of argv) {
    if (w.length > 1 && w.startsWith('-') && w !== '--') {
      for (const ch of w.slice(1)) {
        if (ch === 'V') { ctx.out('bridge-utils, 1.7\n'); return 0; }
        if (ch === 'h') { ctx.out(usageText()); return 0; }
        ctx.err(`brctl: invalid option -- '${ch}'\nUnknown option '?'\n`);
        ctx.out(usageText());
        return 1;
      }
    } else if (w !== '--') words.push(w);
  }
  if (!words.length) { ctx.out(usageText()); return 1; }
  const cmd = COMMANDS.find((c) => c[0] === words[0]);
  if (!cmd) {
    ctx.err(`never heard of command [${words[0]}]\n`);
    ctx.out(usageText());
    return 1;
  }
  const args = words.slice(1);
  if (args.length < cmd[1]) {
    ctx.out(`Incorrect number of arguments for command\nUsage: brctl ${cmd[0]} ${cmd[2]}\n`);
    return 1;
  }
  return run(ctx, cmd[0], args);
};
