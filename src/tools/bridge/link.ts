/** `bridge link` (iproute2 6.1 bridge/link.c): show ports, set port options. */
import type { NetDevice } from '../../core/netdev.ts';
import { IFF_UP } from '../../core/netdev.ts';
import { bridgeSetLink, brPortFillAttrs, portOf, STP_STATE_NAMES } from '../../core/drivers/bridge/index.ts';
import type { KindData } from '../../core/rtnl.ts';
import { printLinkFlags } from '../ip/show.ts';
import { IpExit } from '../ip/util.ts';
import { atoi, matches, parseOnOff, type BrCtx } from './common.ts';

const USAGE =
  'Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]\n' +
  '                               [ guard {on | off} ]\n' +
  '                               [ hairpin {on | off} ]\n' +
  '                               [ fastleave {on | off} ]\n' +
  '                               [ root_block {on | off} ]\n' +
  '                               [ learning {on | off} ]\n' +
  '                               [ learning_sync {on | off} ]\n' +
  '                               [ flood {on | off} ]\n' +
  '                               [ mcast_router MULTICAST_ROUTER ]\n' +
  '                               [ mcast_flood {on | off} ]\n' +
  '                               [ bcast_flood {on | off} ]\n' +
  '                               [ mcast_to_unicast {on | off} ]\n' +
  '                               [ neigh_suppress {on | off} ]\n' +
  '                               [ vlan_tunnel {on | off} ]\n' +
  '                               [ isolated {on | off} ]\n' +
  '                               [ locked {on | off} ]\n' +
  '                               [ hwmode {vepa | veb} ]\n' +
  '                               [ backup_port DEVICE ] [ nobackup_port ]\n' +
  '                               [ self ] [ master ]\n' +
  '       bridge link show [dev DEV]\n';

function usage(c: BrCtx): never { c.fail(USAGE, 255); }

/** print_name_and_link for an AF_BRIDGE link message (no IFLA_LINK_NETNSID is ever sent). */
function nameAndLink(c: BrCtx, dev: NetDevice): boolean {
  const p = c.p;
  const link = dev.linkDevice();
  let name = dev.name;
  let mdown = false;
  const iflink = link ? link.ifindex : dev.ifindex;
  if (link && iflink !== dev.ifindex) {
    const local = c.ns.byIndex.get(iflink);
    const lname = local ? local.name : `if${iflink}`;
    if (p.isJson) p.string('json', 'link', '', lname);
    else name = `${name}@${lname}`;
    mdown = !(local && (local.flags & IFF_UP));
  }
  p.string('any', 'ifname', `${name}: `, dev.name);
  return mdown;
}

function printPort(c: BrCtx, dev: NetDevice): void {
  const port = portOf(dev)!;
  const a = brPortFillAttrs(port);
  const p = c.p;
  p.openObject(null);
  p.num('any', 'ifindex', `${dev.ifindex}: `, dev.ifindex);
  const mdown = nameAndLink(c, dev);
  printLinkFlags(p, dev.displayFlags, mdown);
  p.num('any', 'mtu', `mtu ${dev.mtu} `, dev.mtu);
  p.string('any', 'master', `master ${port.br.dev.name} `, port.br.dev.name);
  const st = a['state'] as number;
  if (st <= 4) p.string('any', 'state', `state ${STP_STATE_NAMES[st]} `, STP_STATE_NAMES[st]!);
  else p.num('any', 'state', `state (${st}) `, st);
  p.num('any', 'priority', `priority ${a['priority']} `, a['priority'] as number);
  p.num('any', 'cost', `cost ${a['cost']} `, a['cost'] as number);
  if (c.opts.details) {
    if (!p.isJson) p.fp(`${p.sl}    `);
    const oo = (key: string, v: unknown): void => p.onOff('any', key, (s) => `${key} ${s} `, !!v);
    oo('hairpin', a['mode']);
    oo('guard', a['guard']);
    oo('root_block', a['protect']);
    oo('fastleave', a['fastLeave']);
    oo('learning', a['learning']);
    oo('flood', a['unicastFlood']);
    oo('mcast_flood', a['mcastFlood']);
    oo('bcast_flood', a['bcastFlood']);
    p.num('any', 'mcast_router', `mcast_router ${a['multicastRouter']} `, a['multicastRouter'] as number);
    oo('mcast_to_unicast', a['mcastToUcast']);
    oo('neigh_suppress', a['neighSuppress']);
    oo('vlan_tunnel', a['vlanTunnel']);
    oo('isolated', a['isolated']);
    oo('locked', a['locked']);
  }
  p.fp('\n');
  p.closeObject();
}

function linkShow(c: BrCtx, argv: string[]): number {
  let filter: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === 'dev') {
      if (i + 1 >= argv.length) c.fail('Command line is not complete. Try option "help"\n');
      if (filter !== null) c.fail(`Error: duplicate "dev": "${argv[i + 1]}" is the second value.\n`);
      filter = argv[++i]!;
    }
  }
  let only: NetDevice | null = null;
  if (filter !== null) {
    only = c.dev(filter) ?? null;
    if (!only) c.fail(`Cannot find device "${filter}"\n`);
  }
  c.p.newJsonObj();
  for (const dev of c.ns.devices.values()) {
    if (only && dev !== only) continue;
    if (portOf(dev)) printPort(c, dev);
  }
  c.p.deleteJsonObj();
  return 0;
}

function linkSet(c: BrCtx, argv: string[]): number {
  let d: string | null = null;
  const data: KindData = {};
  let self = false, master = false;
  let cost = 0;
  let priority = -1;
  let state = -1;
  const next = (i: number): string => {
    if (i + 1 >= argv.length) c.fail('Command line is not complete. Try option "help"\n');
    return argv[i + 1]!;
  };
  const onOffKeys: Record<string, string> = {
    guard: 'guard', hairpin: 'hairpin', fastleave: 'fastleave', root_block: 'rootBlock', learning: 'learning',
    learning_sync: 'learningSync', flood: 'flood', mcast_flood: 'mcastFlood', bcast_flood: 'bcastFlood',
    mcast_to_unicast: 'mcastToUnicast', neigh_suppress: 'neighSuppress', vlan_tunnel: 'vlanTunnel',
    isolated: 'isolated', locked: 'locked',
  };
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    if (w === 'dev') { d = next(i); i++; }
    else if (w in onOffKeys) { const v = next(i); i++; data[onOffKeys[w]!] = parseOnOff(c, w, v); }
    else if (w === 'mcast_router') { data['mcastRouter'] = atoi(next(i)) & 0xff; i++; }
    else if (w === 'cost') { cost = atoi(next(i)) >>> 0; i++; }
    else if (w === 'priority') { priority = atoi(next(i)) << 16 >> 16; i++; }
    else if (w === 'state') {
      const v = next(i); i++;
      if (/^[+-]?\d+$/.test(v)) state = (parseInt(v, 10) << 24) >> 24;
      else {
        state = (STP_STATE_NAMES as readonly string[]).indexOf(v);
        if (state === -1) c.fail('Error: invalid STP port state\n');
      }
    } else if (w === 'hwmode') {
      const v = next(i); i++;
      self = true;
      if (v !== 'vepa' && v !== 'veb') c.fail('Mode argument must be "vepa" or "veb".\n');
    } else if (w === 'self') self = true;
    else if (w === 'master') master = true;
    else if (w === 'backup_port') {
      const v = next(i); i++;
      const b = c.dev(v);
      if (!b) c.fail(`Error: device ${v} does not exist\n`);
      data['backupPort'] = b.ifindex;
    } else if (w === 'nobackup_port') data['backupPort'] = 0;
    else usage(c);
  }
  if (d === null) c.fail('Device is a required argument.\n');
  const dev = c.dev(d);
  if (!dev) c.fail(`Cannot find bridge device "${d}"\n`);
  if (cost > 0) data['cost'] = cost;
  if (priority >= 0) data['priority'] = priority;
  if (state >= 0) data['state'] = state;
  const r = bridgeSetLink(dev, data, { self, master });
  if (!r.ok) c.kernelFail(r);
  return 0;
}

export function doLink(c: BrCtx, argv: string[]): number {
  if (!argv.length) return linkShow(c, []);
  const w = argv[0]!;
  if (matches(w, 'set') || matches(w, 'change')) return linkSet(c, argv.slice(1));
  if (matches(w, 'show') || matches(w, 'lst') || matches(w, 'list')) return linkShow(c, argv.slice(1));
  if (matches(w, 'help')) usage(c);
  c.fail(`Command "${w}" is unknown, try "bridge link help".\n`);
}

export { IpExit };
