/**
 * teamd and teamdctl (libteam-utils 1.31, Debian 12): the user-space half of the team driver.
 *
 * `teamd -d -t team0 -c JSON` creates team0 (or takes an existing one over with -o, recreates it
 * with -r), sets the kernel mode its runner needs, adds the configured ports (unless -n), writes
 * /run/teamd/team0.pid and team0.sock, and leaves a daemon behind: a lab process on the virtual
 * clock that follows the ports' links (the ethtool link watch: the kernel's port linkup), enables
 * the ports with link, keeps the team's carrier on while one has link and, for activebackup,
 * picks the active port (highest prio with link; the current one stays while it has link) and
 * makes every port use the team's MAC. The first port gives the team its MAC. `teamd -k` (or
 * SIGTERM) removes the ports and destroys the team device; deleting the team device ends teamd.
 *
 * teamdctl talks to it over the UNIX socket: `state [view|dump]`, `config dump [noports|actual]`,
 * `port add|remove|present DEV`, `port config dump DEV`, `state item get PATH`, printed as the
 * real programs print them (-v adds the details, -o one-line JSON).
 *
 * Runners: activebackup, loadbalance (tx hash over eth/ipv4/ipv6), roundrobin, broadcast, random.
 * Not emulated: lacp (no LACPDUs), the arp_ping/nsna_ping link watches, tx balancing, D-Bus/ZeroMQ.
 */
import type { Tool, ToolCtx } from './types.ts';
import type { Process } from '../shell/host.ts';
import type { NetDevice } from '../core/netdev.ts';
import type { NetNamespace } from '../core/netns.ts';
import { newLink, deleteLink } from '../core/rtnl.ts';
import { LabFs } from './fs.ts';
import {
  TEAM_MODES, teamNotifyPeers, teamOf, teamPortAdd, teamPortDel, teamPortOf, teamSetActivePort, teamSetCarrier,
  teamSetLbTxHash, teamSetMode, teamSetNotifyPeersCount, teamSetPortEnabled, type Team, type TeamListener,
  type TeamMode, type TeamPort,
} from '../core/drivers/team.ts';
import { linkKsettings } from '../core/drivers/bond.ts';
import { Errno } from '../core/errno.ts';
import { JsonError, isObject, jsonDumps, jsonLoads, type Json, type JsonObject } from './teamd-json.ts';

const RUN_DIR = '/run/teamd';
/** What teamd reports as its PID file (the configured path, through the /var/run symlink). */
const PID_FILE_SHOWN = (dev: string) => `/var/run/teamd/${dev}.pid`;
const VERSION = '1.31';
const RUNNERS = ['broadcast', 'roundrobin', 'random', 'activebackup', 'loadbalance', 'lacp'];
const ROOT_WARNING = 'This program is not intended to be run as root.\n';

const ERRNO_TEXT: Partial<Record<number, string>> = {
  [Errno.EEXIST]: 'File exists', [Errno.EINVAL]: 'Invalid argument', [Errno.ENODEV]: 'No such device',
  [Errno.EBUSY]: 'Device or resource busy', [Errno.ENOENT]: 'No such file or directory',
};
const strerror = (e: number) => ERRNO_TEXT[e] ?? `Unknown error ${e}`;

// ---------------------------------------------------------------------------------------------
// The daemon

interface PortState {
  name: string;
  port: TeamPort;
  up: boolean;
  downCount: number;
}

class Teamd implements TeamListener {
  readonly ports = new Map<string, PortState>();
  proc: Process | null = null;
  pid = 0;
  private pending = false;
  private quitting = false;

  constructor(
    readonly lab: ToolCtx['lab'], readonly ns: NetNamespace, readonly fs: ToolCtx['fs'], readonly team: Team,
    readonly config: JsonObject, readonly runner: string, readonly noQuitDestroy: boolean,
  ) {}

  get devName(): string { return this.team.dev.name; }
  get activebackup(): boolean { return this.runner === 'activebackup'; }

  /** A port entered the team (teamdctl, the config, or `ip link set X master`): track it. */
  adopt(port: TeamPort): PortState {
    const name = port.dev.name;
    let st = this.ports.get(name);
    if (!st) {
      st = { name, port, up: port.linkup, downCount: 0 };
      this.ports.set(name, st);
      this.portConfig(name);
      // the first port gives the team its own MAC (teamd knew it before the kernel's port_enter
      // changed it; teamd_hwaddr_check_change), unless one is configured
      if (this.ports.size === 1 && typeof this.config['hwaddr'] !== 'string') setTeamMac(this.team, port.orig.mac);
      // activebackup's hwaddr_policy same_all: every port uses the team's MAC
      if (this.activebackup) setDevMac(port.dev, this.team.dev.mac);
    }
    return st;
  }

  /** The port's config object, created with the default link watch when it has none. */
  portConfig(name: string): JsonObject {
    let ports = this.config['ports'];
    if (!isObject(ports)) { ports = {}; this.config['ports'] = ports; }
    let pc = ports[name];
    if (!isObject(pc)) { pc = {}; ports[name] = pc; }
    if (!isObject(pc['link_watch']) && !isObject(this.config['link_watch'])) pc['link_watch'] = { name: 'ethtool' };
    return pc;
  }

  prio(name: string): number {
    const p = this.portConfig(name)['prio'];
    return typeof p === 'number' ? p : 0;
  }

  portChanged(port: TeamPort): void {
    if (!this.ports.has(port.dev.name)) this.adopt(port);
    this.schedule();
  }

  portRemoved(port: TeamPort): void {
    for (const [n, st] of this.ports) if (st.port === port) this.ports.delete(n);
    this.schedule();
  }

  teamGone(): void { this.exit(); }

  /** Netlink events reach teamd after the change: handle them in one go, right after. */
  schedule(): void {
    if (this.pending || this.quitting) return;
    this.pending = true;
    this.lab.clock.after(0, () => { this.pending = false; this.refresh(); });
  }

  /** The link watch, port enabling, the team's carrier and activebackup's choice. */
  refresh(): void {
    if (this.quitting) return;
    for (const st of this.ports.values()) {
      const up = st.port.linkup;
      if (st.up && !up) st.downCount++;
      st.up = up;
      teamSetPortEnabled(st.port, up);
    }
    const list = [...this.ports.values()];
    if (this.activebackup) {
      const cur = list.find((s) => s.port === this.team.activePort) ?? null;
      let best: PortState | null = null;
      for (const s of list) if (s.up && (!best || this.prio(s.name) > this.prio(best.name))) best = s;
      let next = cur;
      if (!cur || !cur.up) next = best;
      else if (best && this.prio(best.name) > this.prio(cur.name) && !this.sticky(cur.name)) next = best;
      if ((next?.port ?? null) !== this.team.activePort) {
        teamSetActivePort(this.team, next?.port ?? null);
        if (next) teamNotifyPeers(this.team);
      }
      teamSetCarrier(this.team, next !== null && next.up);
    } else {
      teamSetCarrier(this.team, list.some((s) => s.up));
    }
  }

  sticky(name: string): boolean { return this.portConfig(name)['sticky'] === true; }

  /** teamd_port_add_ifname */
  addPort(name: string): { err: string; msg: string } | null {
    const dev = this.ns.devices.get(name);
    if (!dev) return { err: 'NoSuchDev', msg: 'No such device.' };
    if (teamPortOf(dev)?.team === this.team) return null;
    const r = teamPortAdd(this.team, dev);
    if (!r.ok) return { err: 'PortAddFail', msg: 'Failed to add port.' };
    return null;
  }

  removePort(name: string): { err: string; msg: string } | null {
    const st = this.ports.get(name);
    if (!st) return { err: 'NoSuchDev', msg: 'No such device.' };
    teamPortDel(this.team, st.port.dev);
    return null;
  }

  /** SIGTERM / teamd -k: the ports leave, the team device goes (unless -N), the files go. */
  quit(): void {
    if (this.quitting) return;
    this.quitting = true;
    const t = this.team;
    t.listener = null;
    for (const p of [...t.ports]) teamPortDel(t, p.dev);
    if (!this.noQuitDestroy && !t.dev.dying && t.dev.netns) deleteLink(t.dev);
    this.exit();
  }

  exit(): void {
    this.quitting = true;
    this.team.listener = null;
    removeFile(this.fs, `${RUN_DIR}/${this.devName}.pid`);
    removeFile(this.fs, `${RUN_DIR}/${this.devName}.sock`);
    this.proc?.kill('KILL');
  }

  // ---- state as teamd's state dump has it
  stateJson(): JsonObject {
    const o: JsonObject = {};
    if (this.ports.size) {
      const ports: JsonObject = {};
      for (const st of this.ports.values()) {
        const dev = st.port.dev;
        const ks = st.port.linkup ? linkKsettings(dev) : null;
        ports[st.name] = {
          ifinfo: { dev_addr: macStr(dev.mac), dev_addr_len: 6, ifindex: dev.ifindex, ifname: dev.name },
          link: { duplex: ks && ks.duplex === 1 ? 'full' : 'half', speed: ks ? ks.speed : 0, up: st.port.linkup },
          link_watches: {
            list: { link_watch_0: { delay_down: 0, delay_up: 0, down_count: st.downCount, name: 'ethtool', up: st.up } },
            up: st.up,
          },
        };
      }
      o['ports'] = ports;
    }
    if (this.activebackup) o['runner'] = { active_port: this.team.activePort?.dev.name ?? '' };
    o['setup'] = {
      daemonized: true, dbus_enabled: false, debug_level: 0, kernel_team_mode_name: this.team.mode ?? '',
      pid: this.pid, pid_file: PID_FILE_SHOWN(this.devName), runner_name: this.runner, zmq_enabled: false,
    };
    const d = this.team.dev;
    o['team_device'] = { ifinfo: { dev_addr: macStr(d.mac), dev_addr_len: 6, ifindex: d.ifindex, ifname: d.name } };
    return o;
  }
}

function macStr(m: Uint8Array): string { return [...m].map((b) => b.toString(16).padStart(2, '0')).join(':'); }

function setDevMac(dev: NetDevice, mac: Uint8Array): void {
  if (!dev.ops.setMac || dev.mac.every((b, i) => b === mac[i])) return;
  if (dev.ops.setMac(dev, new Uint8Array(mac)).ok) dev.netns.lab.notify('CHANGEADDR', dev);
}

function setTeamMac(team: Team, mac: Uint8Array): void { setDevMac(team.dev, mac); }

function removeFile(fs: ToolCtx['fs'], path: string): void { if (fs instanceof LabFs) fs.remove(path); }

/** The daemon of the team device named `name` in this namespace, if one runs. */
function daemonOf(ns: NetNamespace, name: string): Teamd | null {
  const dev = ns.devices.get(name);
  if (!dev || dev.kind !== 'team') return null;
  const l = teamOf(dev).listener;
  return l instanceof Teamd ? l : null;
}

// ---------------------------------------------------------------------------------------------
// teamd

const HELP = `teamd [options]
    -h --help                Show this help
    -d --daemonize           Daemonize after startup
    -k --kill                Kill running daemon instance
    -e --check               Return 0 if a daemon is already running
    -v --version             Show version
    -f --config-file=FILE    Load the specified configuration file
    -c --config=TEXT         Use given config string (This causes configuration
                             file will be ignored)
    -p --pid-file=FILE       Use the specified PID file
    -g --debug               Increase verbosity
    -l --log-output          Force teamd log output to stdout, stderr or syslog
    -r --force-recreate      Force team device recreation in case it
                             already exists
    -o --take-over           Take over the device if it already exists
    -N --no-quit-destroy     Do not destroy the device on quit
    -t --team-dev=DEVNAME    Use the specified team device
    -n --no-ports            Start without ports
    -D --dbus-enable         Enable D-Bus interface
    -Z --zmq-enable=ADDRESS  Enable ZeroMQ interface
    -U --usock-enable        Enable UNIX domain socket interface
    -u --usock-disable       Disable UNIX domain socket interface
Available runners: broadcast, roundrobin, random, activebackup, loadbalance, lacp
`;

interface TeamdOpts {
  daemonize: boolean; kill: boolean; check: boolean; version: boolean; help: boolean; configText?: string;
  configFile?: string; teamDev?: string; recreate: boolean; takeOver: boolean; noPorts: boolean; noQuitDestroy: boolean;
}

const LONG: Record<string, string> = {
  help: 'h', daemonize: 'd', kill: 'k', check: 'e', version: 'v', 'config-file': 'f', config: 'c', 'pid-file': 'p',
  debug: 'g', 'log-output': 'l', 'force-recreate': 'r', 'take-over': 'o', 'no-quit-destroy': 'N', 'team-dev': 't',
  'no-ports': 'n', 'dbus-enable': 'D', 'zmq-enable': 'Z', 'usock-enable': 'U', 'usock-disable': 'u',
};
const WITH_ARG = 'fcpltZ';

/** getopt_long over "hdkevf:c:p:gl:roNt:nDZ:Uu"; null after printing getopt's complaint. */
function parseTeamdArgs(ctx: ToolCtx): TeamdOpts | null {
  const o: TeamdOpts = { daemonize: false, kill: false, check: false, version: false, help: false, recreate: false,
    takeOver: false, noPorts: false, noQuitDestroy: false };
  const a = ctx.argv.slice(1);
  const set = (c: string, v: string | undefined) => {
    switch (c) {
      case 'h': o.help = true; break;
      case 'd': o.daemonize = true; break;
      case 'k': o.kill = true; break;
      case 'e': o.check = true; break;
      case 'v': o.version = true; break;
      case 'f': o.configFile = v; break;
      case 'c': o.configText = v; break;
      case 't': o.teamDev = v; break;
      case 'r': o.recreate = true; break;
      case 'o': o.takeOver = true; break;
      case 'n': o.noPorts = true; break;
      case 'N': o.noQuitDestroy = true; break;
      default: break; // -p -g -l -D -Z -U -u: accepted, nothing to emulate
    }
  };
  for (let i = 0; i < a.length; i++) {
    const w = a[i]!;
    if (w === '--') break;
    if (w.startsWith('--')) {
      const [name, inline] = w.slice(2).split(/=(.*)/s) as [string, string | undefined];
      const c = LONG[name];
      if (!c) { ctx.err(`teamd: unrecognized option '${w}'\n`); return null; }
      let v = inline;
      if (WITH_ARG.includes(c) && v === undefined) {
        v = a[++i];
        if (v === undefined) { ctx.err(`teamd: option '--${name}' requires an argument\n`); return null; }
      }
      set(c, v);
      continue;
    }
    if (!w.startsWith('-') || w === '-') continue;
    for (let j = 1; j < w.length; j++) {
      const c = w[j]!;
      if (!'hdkevfcpglroNtnDZUu'.includes(c)) { ctx.err(`teamd: invalid option -- '${c}'\n`); return null; }
      if (WITH_ARG.includes(c)) {
        let v = w.slice(j + 1);
        if (!v) {
          v = a[++i] ?? '';
          if (i >= a.length) { ctx.err(`teamd: option requires an argument -- '${c}'\n`); return null; }
        }
        set(c, v);
        break;
      }
      set(c, undefined);
    }
  }
  return o;
}

/** Fills what teamd adds to a config while loading it (the runner's defaults). */
function completeConfig(cfg: JsonObject, runner: string): void {
  if (!isObject(cfg['runner'])) cfg['runner'] = {};
  const r = cfg['runner'] as JsonObject;
  r['name'] = runner;
  if (runner === 'activebackup') {
    if (!isObject(cfg['notify_peers'])) cfg['notify_peers'] = { count: 1 };
    if (!isObject(cfg['mcast_rejoin'])) cfg['mcast_rejoin'] = { count: 1 };
  }
  if ((runner === 'loadbalance' || runner === 'lacp') && !Array.isArray(r['tx_hash'])) r['tx_hash'] = ['eth', 'ipv4', 'ipv6'];
}

function pidFileAlive(ctx: ToolCtx, dev: string): Teamd | null {
  const d = daemonOf(ctx.ns, dev);
  return d && ctx.fs.exists(ctx.ns.name, `${RUN_DIR}/${dev}.pid`) ? d : null;
}

export const teamdTool: Tool = (ctx) => {
  const o = parseTeamdArgs(ctx);
  if (!o) return 1;
  if (o.help) { ctx.out(HELP); return 0; }
  if (o.version) { ctx.out(`teamd ${VERSION}\n`); return 0; }
  // the device name is needed to find a running instance
  if (o.kill || o.check) {
    const name = o.teamDev ?? 'team0';
    const d = pidFileAlive(ctx, name);
    if (o.kill) {
      if (!d) { ctx.err('Daemon not running\n'); return 1; }
      d.quit();
      return 0;
    }
    return d ? 0 : 1;
  }
  // configuration
  let text = o.configText;
  if (text === undefined && o.configFile !== undefined) {
    const r = ctx.fs.read(ctx.ns.name, o.configFile);
    if (!r.ok) { ctx.err(`Failed to get absolute path of "${o.configFile}": No such file or directory\n`); return 1; }
    text = r.value;
  }
  let cfg: Json;
  try {
    cfg = text === undefined ? {} : jsonLoads(text);
  } catch (e) {
    if (!(e instanceof JsonError)) throw e;
    ctx.err(`Failed to parse config: ${e.message}\nFailed to load config.\n`);
    return 1;
  }
  if (!isObject(cfg)) {
    ctx.err('Failed to get value from config: Wrong path format\nFailed to set team device name in config.\n');
    return 1;
  }
  if (o.teamDev !== undefined) cfg['device'] = o.teamDev;
  ctx.err(ROOT_WARNING);
  const devName = typeof cfg['device'] === 'string' ? cfg['device'] : undefined;
  if (devName !== undefined && pidFileAlive(ctx, devName)) {
    ctx.err(`Daemon already running on PID ${pidFileAlive(ctx, devName)!.pid}.\nFailed: File exists\n`);
    return 1;
  }
  const failed = (e: number): number => { ctx.err(`Daemon process failed.\nFailed: ${strerror(e)}\n`); return 1; };
  const runnerCfg = cfg['runner'];
  const runner = isObject(runnerCfg) && typeof runnerCfg['name'] === 'string' ? runnerCfg['name'] : 'roundrobin';
  // lacp needs LACPDUs vnet does not send: refused like a runner teamd does not know
  if (!RUNNERS.includes(runner) || runner === 'lacp') return failed(Errno.EINVAL);
  const mode: TeamMode = runner === 'lacp' ? 'loadbalance' : (runner as TeamMode);
  if (!TEAM_MODES.includes(mode)) return failed(Errno.EINVAL);
  // the team device
  let dev = devName !== undefined ? ctx.ns.devices.get(devName) : undefined;
  if (dev && (dev.kind !== 'team' || (!o.takeOver && !o.recreate))) return failed(Errno.EEXIST);
  if (dev && o.recreate) { deleteLink(dev); dev = undefined; }
  if (dev && teamOf(dev).listener) return failed(Errno.EBUSY);
  if (!dev) {
    const r = newLink(ctx.lab, ctx.ns, { kind: 'team', ...(devName !== undefined ? { ifname: devName } : {}) });
    if (!r.ok) return failed(r.errno);
    dev = r.value;
  }
  const team = teamOf(dev);
  cfg['device'] = dev.name;
  completeConfig(cfg, runner);
  const mr = teamSetMode(team, mode);
  if (!mr.ok) return failed(mr.errno);
  if (mode === 'loadbalance') {
    const th = (cfg['runner'] as JsonObject)['tx_hash'];
    teamSetLbTxHash(team, Array.isArray(th) ? th.filter((x): x is string => typeof x === 'string') : null);
  }
  const np = isObject(cfg['notify_peers']) ? cfg['notify_peers']['count'] : undefined;
  teamSetNotifyPeersCount(team, typeof np === 'number' ? np : 0);
  const d = new Teamd(ctx.lab, ctx.ns, ctx.fs, team, cfg, runner, o.noQuitDestroy);
  team.listener = d;
  // ports the team already has (take-over), then the configured ones
  for (const p of team.ports) d.adopt(p);
  if (!o.noPorts && isObject(cfg['ports'])) {
    for (const name of Object.keys(cfg['ports'])) {
      const e = d.addPort(name);
      if (e) { d.quit(); return failed(e.err === 'NoSuchDev' ? Errno.ENODEV : Errno.EBUSY); }
    }
  }
  d.refresh();
  // the daemon: a process of its own, which SIGTERM (teamd -k, kill) ends
  const proc = ctx.io.spawn(['teamd', '--vnet-daemon-of', dev.name]);
  d.proc = proc;
  d.pid = proc.pid;
  const fs = ctx.fs;
  if (fs instanceof LabFs) fs.mkdir(RUN_DIR);
  fs.write(ctx.ns.name, `${RUN_DIR}/${dev.name}.pid`, `${proc.pid}\n`, false);
  fs.write(ctx.ns.name, `${RUN_DIR}/${dev.name}.sock`, '', false);
  if (!o.daemonize) {
    // in the foreground: this process is the daemon's face; it ends when the daemon does
    proc.onExit(() => ctx.io.exit(0));
    ctx.io.onSignal(() => d.quit());
    return 'async';
  }
  return 0;
};

/** The daemon process body: waits for a signal (its state lives with the team device). */
function daemonBody(ctx: ToolCtx): number | 'async' {
  const name = ctx.argv[2] ?? '';
  ctx.io.onSignal(() => { const d = daemonOf(ctx.ns, name); if (d) d.quit(); ctx.io.exit(0); });
  return 'async';
}

export const teamdMain: Tool = (ctx) => (ctx.argv[1] === '--vnet-daemon-of' ? daemonBody(ctx) : teamdTool(ctx));

// ---------------------------------------------------------------------------------------------
// teamdctl

const COMMANDS: [string, string[]][] = [
  ['config dump', []], ['config dump noports', []], ['config dump actual', []], ['state', []], ['state dump', []],
  ['state view', []], ['state item get', ['ITEMPATH']], ['state item set', ['ITEMPATH', 'VALUE']],
  ['port add', ['PORTDEV']], ['port remove', ['PORTDEV']], ['port present', ['PORTDEV']],
  ['port config update', ['PORTDEV', 'PORTCONFIG']], ['port config dump', ['PORTDEV']],
];
/** The command tree's non-executable nodes (config, state item, port, port config). */
const GROUPS = ['config', 'state item', 'port', 'port config'];

function teamdctlHelp(): string {
  let o = 'teamdctl [options] teamdevname command [command args]\n' +
    '    -h --help                Show this help\n' +
    '    -v --verbose             Increase output verbosity\n' +
    '    -o --oneline             Force output to one line if possible\n' +
    '    -D --force-dbus          Force to use D-Bus interface\n' +
    '    -Z --force-zmq=ADDRESS   Force to use ZeroMQ interface [-Z[Address]]\n' +
    '    -U --force-usock         Force to use UNIX domain socket interface\n' +
    'Commands:\n';
  for (const [c, params] of COMMANDS) o += `    ${c}${params.map((p) => ` ${p}`).join('')}\n`;
  return o;
}

/** find_command: words matched by prefix, walking down until an executable node takes the rest. */
function findCommand(words: string[]): { cmd: string; params: string[]; rest: string[] } | { error: string } {
  let path = '';
  for (let i = 0; ; i++) {
    const w = words[i];
    if (w === undefined) return { error: 'None or incomplete command\n' };
    const children = [...COMMANDS.map(([c]) => c), ...GROUPS].filter((c) => {
      const parent = c.includes(' ') ? c.slice(0, c.lastIndexOf(' ')) : '';
      return parent === path;
    });
    // command_types[] order: the first whose name starts with the word
    const order = ['config', 'config dump', 'config dump noports', 'config dump actual', 'state', 'state dump',
      'state view', 'state item', 'state item get', 'state item set', 'port', 'port add', 'port remove', 'port present',
      'port config', 'port config update', 'port config dump'];
    const hit = order.find((c) => children.includes(c) && c.slice(path ? path.length + 1 : 0).startsWith(w));
    if (!hit) return { error: `Unknown command "${w}".\n` };
    const exec = COMMANDS.find(([c]) => c === hit);
    const rest = words.slice(i + 1);
    if (exec && exec[1].length >= rest.length) return { cmd: hit, params: exec[1], rest };
    path = hit;
  }
}

const pad = (n: number) => ' '.repeat(n);

/** The state view (teamdctl's stateview_json_process), verbosity 1 or 2. */
function stateView(s: JsonObject, verbose: boolean): string {
  let o = '';
  const out = (ind: number, t: string) => { o += pad(ind) + t + '\n'; };
  const setup = s['setup'] as JsonObject;
  const runner = setup['runner_name'] as string;
  out(0, 'setup:');
  out(2, `runner: ${runner}`);
  if (verbose) {
    out(2, `kernel team mode: ${setup['kernel_team_mode_name']}`);
    out(2, 'D-BUS enabled: no');
    out(2, 'ZeroMQ enabled: no');
    out(2, `debug level: ${setup['debug_level']}`);
    out(2, `daemonized: ${setup['daemonized'] ? 'yes' : 'no'}`);
    out(2, `PID: ${setup['pid']}`);
    out(2, `PID file: ${setup['pid_file']}`);
  }
  const ports = s['ports'];
  if (isObject(ports)) {
    out(0, 'ports:');
    for (const [name, pj] of Object.entries(ports)) {
      const p = pj as JsonObject;
      const ifinfo = p['ifinfo'] as JsonObject, link = p['link'] as JsonObject, lws = p['link_watches'] as JsonObject;
      out(2, name);
      if (verbose) {
        out(4, `ifindex: ${ifinfo['ifindex']}`);
        out(4, `addr: ${ifinfo['dev_addr']}`);
        out(4, `ethtool link: ${link['speed']}mbit/${link['duplex']}duplex/${link['up'] ? 'up' : 'down'}`);
      }
      out(4, 'link watches:');
      out(6, `link summary: ${lws['up'] ? 'up' : 'down'}`);
      for (const [k, lwj] of Object.entries(lws['list'] as JsonObject)) {
        const lw = lwj as JsonObject;
        out(6, `instance[${k}]:`);
        out(8, `name: ${lw['name']}`);
        out(8, `link: ${lw['up'] ? 'up' : 'down'}`);
        out(8, `down count: ${lw['down_count']}`);
        if (verbose) {
          out(8, `link up delay: ${lw['delay_up']}`);
          out(8, `link down delay: ${lw['delay_down']}`);
        }
      }
    }
  }
  if (runner === 'activebackup') {
    out(0, 'runner:');
    out(2, `active port: ${(s['runner'] as JsonObject)['active_port']}`);
  }
  return o;
}

/** teamd's state item paths: "runner.active_port", "setup.runner_name", "ports.eth0.link.up"… */
function stateItem(s: JsonObject, path: string): Json | undefined {
  let cur: Json | undefined = s;
  for (const k of path.split('.')) cur = isObject(cur) ? cur[k] : undefined;
  return cur;
}

export const teamdctlTool: Tool = (ctx) => {
  let verbose = false, oneline = false, usock = false, dbus = false;
  const a = ctx.argv.slice(1);
  let i = 0;
  for (; i < a.length; i++) {
    const w = a[i]!;
    if (w === '--') { i++; break; }
    if (!w.startsWith('-') || w === '-') break;
    const long: Record<string, string> = { '--help': 'h', '--verbose': 'v', '--oneline': 'o', '--force-dbus': 'D', '--force-usock': 'U' };
    const flags = w.startsWith('--') ? [long[w] ?? '?'] : [...w.slice(1)];
    for (const f of flags) {
      if (f === 'h') { ctx.out(teamdctlHelp()); return 0; }
      if (f === 'v') verbose = true;
      else if (f === 'o') oneline = true;
      else if (f === 'U') usock = true;
      else if (f === 'D') dbus = true;
      else if (f === 'Z') { ctx.err('ZeroMQ support is not compiled-in\n'); return 1; }
      else {
        ctx.err(w.startsWith('--') ? `teamdctl: unrecognized option '${w}'\n` : `teamdctl: invalid option -- '${f}'\n`);
        ctx.err('unknown option.\n');
        ctx.out(teamdctlHelp());
        return 1;
      }
    }
  }
  if (usock && dbus) {
    ctx.err('Only one interface could be forced at a time (UNIX domain socket, D-Bus, ZMQ).\n');
    ctx.out(teamdctlHelp());
    return 1;
  }
  const team = a[i];
  if (team === undefined) { ctx.err('No team device specified.\n'); ctx.out(teamdctlHelp()); return 1; }
  const found = findCommand(a.slice(i + 1));
  if ('error' in found) { ctx.err(found.error); ctx.out(teamdctlHelp()); return 1; }
  const { cmd, params, rest } = found;
  if (rest.length < params.length) {
    ctx.err(`Command line parameter "${params[rest.length]}" expected.\n`);
    ctx.out(teamdctlHelp());
    return 1;
  }
  if (!ctx.ns.devices.has(team)) { ctx.err(`Device "${team}" does not exist\n`); return 1; }
  const d = daemonOf(ctx.ns, team);
  if (!d) {
    ctx.err(dbus ? 'libteamdctl: teamdctl_connect: Failed to connect using CLI "dbus".\n' : usock
      ? 'libteamdctl: teamdctl_connect: Failed to connect using CLI "usock".\n'
      : 'libteamdctl: teamdctl_connect: Failed to connect using all CLIs.\n');
    ctx.err('teamdctl_connect failed (Invalid argument)\n');
    return 1;
  }
  const dump = (v: Json) => ctx.out(jsonDumps(v, oneline ? 0 : 4) + '\n');
  const remoteErr = (e: { err: string; msg: string }): number => {
    ctx.err(`libteamdctl: cli_usock_process_msg: usock: Error message received: "${e.err}"\n`);
    ctx.err(`libteamdctl: cli_usock_process_msg: usock: Error message content: "${e.msg}"\n`);
    ctx.err('command call failed (Invalid argument)\n');
    return 1;
  };
  const state = d.stateJson();
  switch (cmd) {
    case 'config dump': case 'config dump actual': dump(d.config); return 0;
    case 'config dump noports': { const c = { ...d.config }; delete c['ports']; dump(c); return 0; }
    case 'state': case 'state view': ctx.out(stateView(state, verbose)); return 0;
    case 'state dump': dump(state); return 0;
    case 'state item get': {
      const v = stateItem(state, rest[0]!);
      if (v === undefined || isObject(v) || Array.isArray(v)) return remoteErr({ err: 'InvalidArgs', msg: 'Invalid arguments.' });
      ctx.out(`${v === true ? 'true' : v === false ? 'false' : v}\n`);
      return 0;
    }
    case 'port add': { const e = d.addPort(rest[0]!); if (e) return remoteErr(e); d.refresh(); return 0; }
    case 'port remove': { const e = d.removePort(rest[0]!); if (e) return remoteErr(e); d.refresh(); return 0; }
    case 'port present':
      if (!isObject(state['ports']) || !(rest[0]! in state['ports'])) { ctx.err('command call failed (No such device)\n'); return 1; }
      return 0;
    case 'port config dump': {
      if (!d.ports.has(rest[0]!)) return remoteErr({ err: 'NoSuchDev', msg: 'No such device.' });
      dump(d.portConfig(rest[0]!));
      return 0;
    }
    case 'port config update': {
      if (!d.ports.has(rest[0]!)) return remoteErr({ err: 'NoSuchDev', msg: 'No such device.' });
      let v: Json;
      try { v = jsonLoads(rest[1]!); } catch { return remoteErr({ err: 'ConfigUpdateFail', msg: 'Failed to update config.' }); }
      if (!isObject(v)) return remoteErr({ err: 'ConfigUpdateFail', msg: 'Failed to update config.' });
      const ports = d.config['ports'] as JsonObject;
      ports[rest[0]!] = v;
      d.portConfig(rest[0]!);
      d.refresh();
      return 0;
    }
    default: // state item set: nothing vnet's runners expose is settable
      return remoteErr({ err: 'InvalidArgs', msg: 'Invalid arguments.' });
  }
};
