/**
 * `ip vrf` (ip/ipvrf.c of iproute2 6.1): show, identify, pids, exec; and ipvrf_get_table, which
 * `ip route … vrf NAME` uses. A process's VRF is what `ip vrf exec` gave it: iproute2 puts it in a
 * cgroup with a BPF program binding every new socket to the VRF device; vnet passes the binding to
 * the child in its environment (VRF_ENV), which the socket-making tools read (ping).
 */
import { l3mdevFibTable } from '../../core/l3mdev.ts';
import type { NetDevice } from '../../core/netdev.ts';
import type { NetNamespace } from '../../core/netns.ts';
import type { IpCtx } from './common.ts';
import { IpExit, devicesInOrder, fail, matches } from './util.ts';

/** Environment entry carrying the VRF a process was started in by `ip vrf exec`. */
export const VRF_ENV = 'VNET_VRF';

/** The VRF device named `name`, or null if there is none or it is not a VRF. */
export function vrfDevice(ns: NetNamespace, name: string): NetDevice | null {
  const d = ns.devices.get(name);
  return d && d.ops.kind === 'vrf' ? d : null;
}

/** ipvrf_get_table: the VRF's table; "default" (when no device has that name) is main; else 0. */
export function vrfTable(ns: NetNamespace, name: string): number {
  const d = ns.devices.get(name);
  if (!d) return name === 'default' ? 254 : 0;
  return d.ops.kind === 'vrf' ? l3mdevFibTable(d) : 0;
}

/** The device a process's sockets are bound to by `ip vrf exec` (null outside any VRF). */
export function processVrf(ns: NetNamespace, env: ReadonlyMap<string, string>): NetDevice | null {
  const name = env.get(VRF_ENV);
  return name ? vrfDevice(ns, name) : null;
}

function usage(c: IpCtx): never {
  c.err(
    'Usage:\tip vrf show [NAME] ...\n' +
    '\tip vrf exec [NAME] cmd ...\n' +
    '\tip vrf identify [PID]\n' +
    '\tip vrf pids [NAME]\n');
  throw new IpExit(255);
}

function show(c: IpCtx, argv: string[]): number {
  if (argv.length > 1) usage(c);
  const name = argv[0];
  if (name !== undefined && !vrfDevice(c.ns, name)) fail(c, 'Invalid VRF\n', 255);
  const p = c.p;
  const vrfs = devicesInOrder(c.ns).filter((d) => d.ops.kind === 'vrf' && (name === undefined || d.name === name));
  if (c.opts.json) {
    p.newJsonObj();
    for (const d of vrfs) {
      p.openObject(null);
      p.string('json', 'name', '', d.name);
      p.num('json', 'table', '', l3mdevFibTable(d));
      p.closeObject();
    }
    p.deleteJsonObj();
    return 0;
  }
  // With a name, only "NAME TABLE" (what scripts want to read the table id from).
  if (name !== undefined) { c.print(`${name} ${l3mdevFibTable(vrfs[0]!)}\n`); return 0; }
  let out = `${'Name'.padEnd(16)}  ${'Table'.padStart(5)}\n-----------------------\n`;
  for (const d of vrfs) out += `${d.name.padEnd(16)} ${String(l3mdevFibTable(d)).padStart(5)}\n`;
  if (!vrfs.length) out += 'No VRF has been configured\n';
  c.print(out);
  return 0;
}

/** `ip vrf identify [PID]`: the VRF of this process (vnet has no other processes to ask about). */
function identify(c: IpCtx, argv: string[]): number {
  if (argv.length > 1) usage(c);
  const vrf = processVrf(c.ns, c.tool.io.env);
  if (vrf) c.print(`${vrf.name}\n`);
  return 0;
}

function pids(c: IpCtx, argv: string[]): number {
  if (argv.length !== 1) fail(c, 'Invalid arguments\n', 1);
  if (!vrfDevice(c.ns, argv[0]!)) fail(c, 'Invalid VRF name\n', 1);
  // Commands `ip vrf exec` runs have ended by the time another command runs: none to list.
  return 0;
}

/** `ip vrf exec NAME CMD…`: the command runs with its sockets bound to the VRF; its status is ip's. */
function exec(c: IpCtx, argv: string[]): number | 'async' {
  if (argv.length < 1) fail(c, 'No VRF name specified\n', 1);
  if (argv.length < 2) fail(c, 'No command specified\n', 1);
  const name = argv[0]!;
  if (!vrfTable(c.ns, name)) fail(c, 'Invalid VRF name\n', 255);
  c.flush();
  const io = c.tool.io;
  const env = new Map(io.env);
  // "default" is the main table: the command runs outside any VRF.
  if (vrfDevice(c.ns, name)) env.set(VRF_ENV, name); else env.delete(VRF_ENV);
  const proc = io.spawn(argv.slice(1), { env });
  // lib/exec.c cmd_exec: execvp failed in the child, which exits 1.
  if (proc.notFound) fail(c, `exec of "${argv[1]}" failed: No such file or directory\n`, 1);
  if (proc.exited) return proc.status;
  io.onSignal((sig) => proc.kill(sig));
  proc.onExit((status) => io.exit(status));
  return 'async';
}

export function doIpvrf(c: IpCtx, argv: string[]): number | 'async' {
  if (argv.length < 1) return show(c, []);
  const w = argv[0]!;
  const rest = argv.slice(1);
  if (matches(w, 'show') || matches(w, 'list') || matches(w, 'lst')) return show(c, rest);
  if (matches(w, 'identify')) return identify(c, rest);
  if (matches(w, 'pids')) return pids(c, rest);
  if (matches(w, 'exec')) return exec(c, rest);
  if (matches(w, 'help')) usage(c);
  fail(c, `Command "${w}" is unknown, try "ip vrf help".\n`, 255);
}
