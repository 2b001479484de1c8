/**
 * `ip netns` (ip/ipnetns.c): list (newest first, as readdir of the tmpfs /run/netns gives them),
 * add, delete, identify, pids, set, list-id and exec (through the shell host's spawn).
 */
import { addNamedNamespace, destroyNamespace } from '../../core/netns-ops.ts';
import type { NetNamespace } from '../../core/netns.ts';
import type { IpCtx } from './common.ts';
import { IpExit, fail, getInteger, invarg, matches } from './util.ts';

const RUN_DIR = '/run/netns';

function usage(c: IpCtx): never {
  c.err(
    'Usage:\tip netns list\n' +
    '\tip netns add NAME\n' +
    '\tip netns attach NAME PID\n' +
    '\tip netns set NAME NETNSID\n' +
    '\tip [-all] netns delete [NAME]\n' +
    '\tip netns identify [PID]\n' +
    '\tip netns pids NAME\n' +
    '\tip [-all] netns exec [NAME] cmd ...\n' +
    '\tip netns monitor\n' +
    '\tip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]\n' +
    'NETNSID := auto | POSITIVE-INT\n');
  throw new IpExit(255);
}

function invalidName(name: string): boolean {
  return !name || new TextEncoder().encode(name).length > 255 || name.includes('/') || name === '.' || name === '..';
}

/** Named namespaces in readdir order: the newest first. */
export function namesInListOrder(c: IpCtx): string[] {
  return [...c.lab.named.keys()].reverse();
}

function list(c: IpCtx): number {
  const p = c.p;
  p.newJsonObj();
  for (const name of namesInListOrder(c)) {
    const ns = c.lab.named.get(name)!;
    p.openObject(null);
    p.string('any', 'name', name, name);
    const id = c.ns.idOf(ns, false);
    if (id >= 0) p.num('any', 'id', ` (id: ${id})`, id);
    p.fp('\n');
    p.closeObject();
  }
  p.deleteJsonObj();
  return 0;
}

function listId(c: IpCtx, argv: string[]): number {
  let target = -1, only = -1;
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    if (w === 'target-nsid' || w === 'nsid') {
      const v = argv[++i];
      if (v === undefined) fail(c, 'Command line is not complete. Try option "help"\n', 255);
      const n = getInteger(v, 0);
      if (n === null || n < 0) invarg(c, `Invalid "${w}" value`, v);
      if (w === 'nsid') only = n; else target = n;
    } else usage(c);
  }
  let from: NetNamespace = c.ns;
  if (target >= 0) {
    const t = [...c.ns.nsids].find(([, id]) => id === target)?.[0];
    if (!t) fail(c, 'RTNETLINK answers: Invalid argument\n', 1);
    from = t;
  }
  const p = c.p;
  p.newJsonObj();
  for (const [ns, id] of [...from.nsids].sort((a, b) => a[1] - b[1])) {
    if (!ns.alive) continue;
    if (only >= 0 && id !== only) continue;
    p.openObject(null);
    p.num('any', 'nsid', `nsid ${id} `, id);
    if (ns.name && c.lab.named.get(ns.name) === ns) p.string('any', 'name', `(iproute2 netns name: ${ns.name})`, ns.name);
    p.fp('\n');
    p.closeObject();
  }
  p.deleteJsonObj();
  return 0;
}

function add(c: IpCtx, argv: string[]): number {
  if (argv.length < 1) fail(c, 'No netns name specified\n', 1);
  const name = argv[0]!;
  if (c.lab.named.has(name)) fail(c, `Cannot create namespace file "${RUN_DIR}/${name}": File exists\n`, 1);
  const r = addNamedNamespace(c.lab, name);
  // unshare(CLONE_NEWNET) failing (ENOSPC past the namespace limit): the file is removed again.
  if (!r.ok && r.errno === 28) fail(c, `Failed to create a new network namespace "${name}": No space left on device\n`, 1);
  if (!r.ok) fail(c, `Cannot create namespace file "${RUN_DIR}/${name}": File exists\n`, 1);
  return 0;
}

function del(c: IpCtx, argv: string[]): number {
  if (c.opts.all) {
    for (const name of namesInListOrder(c)) {
      const ns = c.lab.named.get(name);
      if (ns) destroyNamespace(c.lab, ns);
    }
    return 0;
  }
  if (argv.length < 1) fail(c, 'No netns name specified\n', 1);
  const name = argv[0]!;
  const ns = c.lab.named.get(name);
  if (!ns) fail(c, `Cannot remove namespace file "${RUN_DIR}/${name}": No such file or directory\n`, 1);
  destroyNamespace(c.lab, ns);
  return 0;
}

function identify(c: IpCtx, argv: string[]): number {
  if (argv.length > 1) fail(c, 'extra arguments specified\n', 1);
  if (argv.length === 1 && !/^\d+$/.test(argv[0]!)) fail(c, `Specified string '${argv[0]}' is not a pid\n`, 1);
  let name = '';
  for (const [n, ns] of c.lab.named) if (ns === c.ns) { name = n; break; }
  c.print(`${name}\n`);
  return 0;
}

function pids(c: IpCtx, argv: string[]): number {
  if (argv.length < 1) fail(c, 'No netns name specified\n', 1);
  if (argv.length > 1) fail(c, 'extra arguments specified\n', 1);
  if (!c.lab.named.has(argv[0]!)) fail(c, 'Cannot open network namespace: No such file or directory\n', 1);
  return 0;
}

function set(c: IpCtx, argv: string[]): number {
  if (argv.length < 1) fail(c, 'No netns name specified\n', 1);
  if (argv.length < 2) fail(c, 'No nsid specified\n', 1);
  const name = argv[0]!;
  let nsid: number;
  if (argv[1] === 'auto') nsid = -1;
  else {
    const n = getInteger(argv[1]!, 0);
    if (n === null) invarg(c, 'Invalid "netnsid" value', argv[1]!);
    if (n < 0) invarg(c, '"netnsid" value should be >= 0', argv[1]!);
    nsid = n;
  }
  const ns = c.lab.named.get(name);
  if (!ns) fail(c, `Cannot open network namespace "${name}": No such file or directory\n`, 1);
  const have = c.ns.idOf(ns, false);
  if (have >= 0 || (nsid >= 0 && [...c.ns.nsids.values()].includes(nsid))) {
    fail(c, 'RTNETLINK answers: File exists\n', 1);
  }
  if (nsid < 0) c.ns.idOf(ns);
  else c.ns.nsids.set(ns, nsid);
  return 0;
}

/** `ip netns exec NAME CMD…`: the command replaces ip, so its status is ip's. */
function exec(c: IpCtx, argv: string[]): number | 'async' {
  if (c.opts.all) {
    if (argv.length < 1) fail(c, 'No command specified\n', 1);
    const names = namesInListOrder(c);
    const io = c.tool.io;
    const runNext = (i: number): number | 'async' => {
      for (; i < names.length; i++) {
        c.print(`\nnetns: ${names[i]}\n`);
        c.flush();
        const proc = io.spawn(argv, { netns: names[i]! });
        if (!proc.exited) {
          proc.onExit(() => {
            const r = runNext(i + 1);
            if (r !== 'async') io.exit(r);
          });
          return 'async';
        }
      }
      return 0;
    };
    return runNext(0);
  }
  if (argv.length < 1) fail(c, 'No netns name specified\n', 1);
  if (argv.length < 2) fail(c, 'No command specified\n', 1);
  const name = argv[0]!;
  if (!c.lab.named.has(name)) fail(c, `Cannot open network namespace "${name}": No such file or directory\n`, 255);
  c.flush();
  const io = c.tool.io;
  const proc = io.spawn(argv.slice(1), { netns: name });
  // lib/exec.c cmd_exec: execvp failed in the child, which exits 1.
  if (proc.notFound) fail(c, `exec of "${argv[1]}" failed: No such file or directory\n`, 1);
  if (proc.exited) return proc.status;
  io.onSignal((sig) => proc.kill(sig));
  proc.onExit((status) => io.exit(status));
  return 'async';
}

export function doNetns(c: IpCtx, argv: string[]): number | 'async' {
  if (argv.length < 1) return list(c);
  if (!c.opts.all && argv.length > 1 && invalidName(argv[1]!)) {
    fail(c, `Invalid netns name "${argv[1]}"\n`, 255);
  }
  const w = argv[0]!;
  const rest = argv.slice(1);
  if (matches(w, 'list') || matches(w, 'show') || matches(w, 'lst')) return list(c);
  if (matches(w, 'list-id')) return listId(c, rest);
  if (matches(w, 'help')) usage(c);
  if (matches(w, 'add')) return add(c, rest);
  if (matches(w, 'set')) return set(c, rest);
  if (matches(w, 'delete')) return del(c, rest);
  if (matches(w, 'identify')) return identify(c, rest);
  if (matches(w, 'pids')) return pids(c, rest);
  if (matches(w, 'exec')) return exec(c, rest);
  if (matches(w, 'monitor')) return 0;
  if (matches(w, 'attach')) {
    if (rest.length < 2) fail(c, 'No netns name and PID specified\n', 1);
    fail(c, `Invalid PID: ${rest[1]}\n`, 1);
  }
  fail(c, `Command "${w}" is unknown, try "ip netns help".\n`, 255);
}
