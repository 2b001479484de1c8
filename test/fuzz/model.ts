/**
 * Model-based test of the lab: random sequences of the commands people type when building labs
 * (namespaces, veth, macvlan, bridge, VLAN, dummy; up/down, master, netns moves, addresses,
 * routes, pings, time passing), with the lab's invariants checked after every step, the
 * kernel's deletion rules checked on every delete, and a leak check once everything is deleted.
 *
 * Names come from small pools so that commands collide (same name twice, a lower that was just
 * deleted, a namespace that does not exist): the failing cases matter as much as the working ones.
 */
import fc from 'fast-check';
import type { NetDevice } from '../../src/core/netdev.ts';
import type { Lab } from '../../src/core/lab.ts';
import { dropReasonChecker, frameImbalance, labSize, structureErrors } from './labcheck.ts';
import { BUG_TEXT, LabRun } from './labrun.ts';

export type Step = { ns: string; argv: string[] } | { sleep: number };

const NS = ['', 'n1', 'n2'];
const DEV = ['x0', 'x1', 'x2', 'x3', 'x4'];
const ADDR = ['192.0.2.1/24', '192.0.2.2/24', '192.0.2.3/24', '198.51.100.1/24', '198.51.100.2/24', '192.0.2.4/25'];
const PING = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '198.51.100.1', '198.51.100.2', '192.0.2.255', '203.0.113.9', '127.0.0.1'];

const ns = fc.constantFrom(...NS, '', '');
const namedNs = fc.constantFrom('n1', 'n2');
const dev = fc.constantFrom(...DEV);
const mode = fc.constantFrom('bridge', 'vepa', 'private', 'passthru', 'source');

/** One command; `ns` is where it runs (as `ip netns exec NS`). */
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: namedNs.map((n) => ({ ns: '', argv: ['ip', 'netns', 'add', n] })) },
  { weight: 1, arbitrary: namedNs.map((n) => ({ ns: '', argv: ['ip', 'netns', 'del', n] })) },
  { weight: 3, arbitrary: fc.tuple(ns, dev, dev, fc.option(namedNs, { nil: undefined })).map(([n, a, b, m]) =>
    ({ ns: n, argv: ['ip', 'link', 'add', a, 'type', 'veth', 'peer', 'name', b, ...(m ? ['netns', m] : [])] })) },
  { weight: 3, arbitrary: fc.tuple(ns, dev, dev, mode, fc.boolean()).map(([n, low, name, m, tap]) =>
    ({ ns: n, argv: ['ip', 'link', 'add', 'link', low, 'name', name, 'type', tap ? 'macvtap' : 'macvlan', 'mode', m] })) },
  { weight: 2, arbitrary: fc.tuple(ns, dev, fc.constantFrom('bridge', 'dummy')).map(([n, name, kind]) =>
    ({ ns: n, argv: ['ip', 'link', 'add', name, 'type', kind] })) },
  { weight: 2, arbitrary: fc.tuple(ns, dev, dev, fc.constantFrom('5', '7')).map(([n, low, name, id]) =>
    ({ ns: n, argv: ['ip', 'link', 'add', 'link', low, 'name', name, 'type', 'vlan', 'id', id] })) },
  { weight: 2, arbitrary: fc.tuple(ns, dev).map(([n, d]) => ({ ns: n, argv: ['ip', 'link', 'del', d] })) },
  { weight: 5, arbitrary: fc.tuple(ns, dev, fc.constantFrom('up', 'down')).map(([n, d, s]) => ({ ns: n, argv: ['ip', 'link', 'set', d, s] })) },
  { weight: 2, arbitrary: fc.tuple(ns, dev, dev).map(([n, d, m]) => ({ ns: n, argv: ['ip', 'link', 'set', d, 'master', m] })) },
  { weight: 1, arbitrary: fc.tuple(ns, dev).map(([n, d]) => ({ ns: n, argv: ['ip', 'link', 'set', d, 'nomaster'] })) },
  { weight: 2, arbitrary: fc.tuple(ns, dev, namedNs).map(([n, d, m]) => ({ ns: n, argv: ['ip', 'link', 'set', d, 'netns', m] })) },
  { weight: 1, arbitrary: fc.tuple(ns, dev, fc.constantFrom('1280', '9000', '68', '1500')).map(([n, d, m]) => ({ ns: n, argv: ['ip', 'link', 'set', d, 'mtu', m] })) },
  { weight: 4, arbitrary: fc.tuple(ns, fc.constantFrom(...ADDR), dev).map(([n, a, d]) => ({ ns: n, argv: ['ip', 'addr', 'add', a, 'dev', d] })) },
  { weight: 1, arbitrary: fc.tuple(ns, fc.constantFrom(...ADDR), dev).map(([n, a, d]) => ({ ns: n, argv: ['ip', 'addr', 'del', a, 'dev', d] })) },
  { weight: 1, arbitrary: fc.tuple(ns, dev).map(([n, d]) => ({ ns: n, argv: ['ip', 'link', 'set', 'lo', 'up'] }) ) },
  { weight: 1, arbitrary: fc.tuple(ns, fc.constantFrom('192.0.2.1', '198.51.100.1')).map(([n, gw]) => ({ ns: n, argv: ['ip', 'route', 'add', '203.0.113.0/24', 'via', gw] })) },
  { weight: 1, arbitrary: ns.map((n) => ({ ns: n, argv: ['sysctl', '-qw', 'net.ipv4.ip_forward=1'] })) },
  { weight: 1, arbitrary: fc.tuple(ns, dev).map(([n, d]) => ({ ns: n, argv: ['bridge', 'fdb', 'add', '02:00:00:00:00:99', 'dev', d, 'master', 'static'] })) },
  { weight: 5, arbitrary: fc.tuple(ns, fc.constantFrom(...PING)).map(([n, a]) => ({ ns: n, argv: ['ping', '-c1', '-W1', a] })) },
  { weight: 1, arbitrary: fc.tuple(ns, dev, fc.constantFrom(...PING)).map(([n, d, a]) => ({ ns: n, argv: ['arping', '-c1', '-w1', '-I', d, a] })) },
  { weight: 2, arbitrary: fc.constantFrom(0.01, 0.5, 3, 30).map((s) => ({ sleep: s })) },
  { weight: 1, arbitrary: fc.tuple(ns, dev, fc.integer({ min: 1, max: 9 })).map(([n, d, i]) => ({ ns: n, argv: ['ip', 'link', 'set', d, 'address', `02:00:00:00:00:0${i}`] })) },
  { weight: 1, arbitrary: fc.tuple(ns, dev).map(([n, d]) => ({ ns: n, argv: ['ip', 'neigh', 'add', '192.0.2.9', 'lladdr', '02:00:00:00:00:09', 'dev', d, 'nud', 'permanent'] })) },
  { weight: 1, arbitrary: fc.tuple(ns, dev, fc.constantFrom('neigh', 'addr')).map(([n, d, w]) => ({ ns: n, argv: ['ip', w, 'flush', 'dev', d] })) },
  { weight: 1, arbitrary: fc.tuple(ns, dev, dev, fc.constantFrom('addif', 'delif')).map(([n, b, d, op]) => ({ ns: n, argv: ['brctl', op, b, d] })) },
  { weight: 1, arbitrary: fc.tuple(ns, dev, dev, fc.constantFrom('l2', 'l3', 'l3s')).map(([n, low, name, m]) =>
    ({ ns: n, argv: ['ip', 'link', 'add', 'link', low, 'name', name, 'type', 'ipvlan', 'mode', m] })) },
);

const cmd = (n: string, line: string): Step => ({ ns: n, argv: line.split(' ') });

/** Recipes that make working topologies, so that pings and deletes have something to act on. */
const recipe: fc.Arbitrary<Step[]> = fc.oneof(
  fc.tuple(dev, dev, namedNs, fc.constantFrom(1, 2, 3)).map(([a, b, n, i]) => [
    cmd('', `ip link add ${a} type veth peer name ${b} netns ${n}`), cmd('', `ip link set ${a} up`), cmd(n, `ip link set ${b} up`),
    cmd('', `ip addr add 192.0.2.${i}/24 dev ${a}`), cmd(n, `ip addr add 192.0.2.${i + 1}/24 dev ${b}`),
    cmd(n, `ping -c1 -W1 192.0.2.${i}`),
  ]),
  fc.tuple(ns, dev, dev, mode, namedNs, fc.constantFrom(2, 3, 4)).map(([n, low, name, m, to, i]) => [
    cmd(n, `ip link add link ${low} name ${name} type macvlan mode ${m}`), cmd(n, `ip link set ${name} netns ${to}`),
    cmd(to, `ip addr add 192.0.2.${i}/24 dev ${name}`), cmd(to, `ip link set ${name} up`),
    cmd(to, 'ping -c1 -W1 192.0.2.1'), cmd('', `ping -c1 -W1 192.0.2.${i}`),
  ]),
  fc.tuple(ns, dev, dev, dev).map(([n, br, p1, p2]) => [
    cmd(n, `ip link add ${br} type bridge`), cmd(n, `ip link set ${p1} master ${br}`), cmd(n, `ip link set ${p2} master ${br}`),
    cmd(n, `ip link set ${br} up`), cmd(n, `ip addr add 198.51.100.1/24 dev ${br}`), cmd(n, 'ping -c1 -W1 198.51.100.2'),
  ]),
  // Two namespaces on a bridge in a third, through veths: flooding, learning, ARP both ways.
  fc.tuple(dev, dev, dev, namedNs).map(([br, p, q, n]) => {
    const other = n === 'n1' ? 'n2' : 'n1';
    return [
      cmd('', `ip link add ${br} type bridge`), cmd('', `ip link set ${br} up`),
      cmd('', `ip link add ${p} type veth peer name ${p} netns ${n}`), cmd('', `ip link add ${q} type veth peer name ${q} netns ${other}`),
      cmd('', `ip link set ${p} master ${br}`), cmd('', `ip link set ${q} master ${br}`), cmd('', `ip link set ${p} up`), cmd('', `ip link set ${q} up`),
      cmd(n, `ip addr add 198.51.100.1/24 dev ${p}`), cmd(n, `ip link set ${p} up`),
      cmd(other, `ip addr add 198.51.100.2/24 dev ${q}`), cmd(other, `ip link set ${q} up`), cmd(n, 'ping -c1 -W1 198.51.100.2'),
    ];
  }),
);

/** A scenario starts with two namespaces (they may be deleted and re-added later). */
export const scenario: fc.Arbitrary<Step[]> = fc.array(fc.oneof({ weight: 3, arbitrary: step.map((x) => [x]) }, { weight: 1, arbitrary: recipe }),
  { minLength: 3, maxLength: 30, size: 'max' })
  .map((chunks) => [cmd('', 'ip netns add n1'), cmd('', 'ip netns add n2'), ...chunks.flat()]);

export function stepText(s: Step): string {
  return 'sleep' in s ? `sleep ${s.sleep}` : `${s.ns ? `ip netns exec ${s.ns} ` : ''}${s.argv.join(' ')}`;
}

function allDevices(lab: Lab): NetDevice[] {
  const out: NetDevice[] = [];
  for (const n of lab.all) out.push(...n.devices.values());
  return out;
}

/**
 * What Linux removes along with `start`: a veth's peer, and devices stacked on a removed lower
 * (macvlan/macvtap, VLAN, ipvlan), transitively. Bridge ports are released, not removed.
 */
export function dependants(lab: Lab, start: Iterable<NetDevice>): Set<NetDevice> {
  const gone = new Set(start);
  for (let changed = true; changed;) {
    changed = false;
    for (const d of allDevices(lab)) {
      if (gone.has(d)) continue;
      const link = d.linkDevice();
      if (link && gone.has(link) && (d.kind === 'veth' || ['macvlan', 'macvtap', 'vlan', 'ipvlan', 'ipvtap'].includes(d.kind))) {
        gone.add(d);
        changed = true;
      }
    }
  }
  return gone;
}

/** The devices the step would delete if it succeeds, or null when it deletes nothing. */
function expectedRemoval(lab: Lab, s: Step): Set<NetDevice> | null {
  if ('sleep' in s) return null;
  const a = s.argv;
  if (a[0] === 'ip' && a[1] === 'netns' && a[2] === 'del') {
    const n = lab.named.get(a[3]!);
    // Only virtual devices exist in a lab, so all of a dying namespace's devices go.
    return n ? dependants(lab, n.devices.values()) : null;
  }
  if (a[0] === 'ip' && a[1] === 'link' && a[2] === 'del') {
    const d = lab.ns(s.ns)?.devices.get(a[3]!);
    return d ? dependants(lab, [d]) : null;
  }
  return null;
}

/** The listings checked after every step, in every namespace. */
const LOOK = [['ip', '-d', '-s', '-s', 'link', 'show'], ['ip', 'addr', 'show'], ['ip', 'route', 'show', 'table', 'all'],
  ['ip', 'neigh', 'show'], ['bridge', '-d', 'fdb', 'show'], ['bridge', '-d', 'link', 'show'], ['ip', '-j', '-d', 'link', 'show'],
  ['cat', '/proc/net/dev']];

export interface ModelOptions {
  /** Check the frame balance after each step (made = delivered + dropped + queued). */
  frames?: boolean;
}

/** Runs the steps, checking everything after each; throws with the step list on the first violation. */
export function runScenario(steps: readonly Step[], opts: ModelOptions = {}): void {
  const frames = opts.frames ?? true;
  const r = new LabRun(11);
  const lab = r.lab;
  const drops = dropReasonChecker(lab);
  const initial = settledSize(new LabRun(11));
  const done: string[] = [];
  const fail = (msg: string): never => {
    throw new Error(`${msg}\nafter:\n  ${done.join('\n  ')}`);
  };
  const check = (what: string, look = true) => {
    const errs = structureErrors(lab);
    if (errs.length) fail(`${what}: ${errs.join('; ')}`);
    if (r.crashes.length) fail(`${what}: a tool threw: ${r.crashes[0]}`);
    if (drops.errors.length) fail(`${what}: ${drops.errors[0]}`);
    // Every way of looking at the state works on whatever state the commands left.
    for (const n of look ? lab.all : []) {
      for (const argv of LOOK) {
        const res = r.run(argv, n.name);
        if (res.code !== 0 || BUG_TEXT.test(res.err) || /\bNaN\b|\bundefined\b|\[object /.test(res.out)) {
          fail(`${what}: \`${argv.join(' ')}\` in ${n.label} exits ${res.code}: ${res.err.trim() || res.out.slice(0, 300)}`);
        }
      }
    }
    const bal = frames ? frameImbalance(lab) : 0;
    if (bal !== 0) fail(`${what}: ${bal > 0 ? `${bal} frame(s) vanished without being delivered or dropped` : `${-bal} frame(s) ended twice or were never counted as made`} (counters ${JSON.stringify(lab.counters)})`);
  };
  for (const s of steps) {
    done.push(stepText(s));
    if ('sleep' in s) {
      r.advance(s.sleep);
      check(`sleep ${s.sleep}`, false);
      continue;
    }
    const gone = expectedRemoval(lab, s);
    const before = allDevices(lab);
    const res = r.run(s.argv, s.ns);
    if (BUG_TEXT.test(res.err)) fail(`${stepText(s)}: printed ${JSON.stringify(res.err)}`);
    if (res.code !== 0 && res.code !== 1 && s.argv[0] === 'ping' && !res.err) fail(`${stepText(s)}: exit ${res.code} without a message`);
    if (res.code !== 0 && s.argv[0] !== 'ping' && s.argv[0] !== 'arping' && !res.err.trim()) fail(`${stepText(s)}: exit ${res.code} without a message`);
    if (res.code === 0 && gone) {
      const now = new Set(allDevices(lab));
      for (const d of before) if (!gone.has(d) && !now.has(d)) fail(`${stepText(s)}: ${d.name} (${d.kind}) disappeared too`);
      for (const d of gone) if (now.has(d)) fail(`${stepText(s)}: ${d.name} (${d.kind}) should have been removed with it`);
      for (const d of now) if (d.dying) fail(`${stepText(s)}: ${d.name} left dying`);
    }
    // Listing everything is the slow part: do it after the steps that change what exists.
    const a = s.argv;
    check(stepText(s), res.code === 0 && ((a[1] === 'link' && a[2] !== 'set') || a[1] === 'netns' || ['netns', 'master', 'nomaster'].includes(a[4]!)));
  }
  // Delete everything; the lab must be back to its initial size.
  teardown(r);
  done.push('(delete everything)');
  check('teardown');
  const end = settledSize(r);
  for (const k of Object.keys(initial)) {
    if (end[k] !== initial[k]) fail(`leak: ${k} is ${end[k]} after deleting everything, ${initial[k]} at the start`);
  }
}

/** Deletes every namespace, device, address, route and neighbour a scenario can have made. */
export function teardown(r: LabRun): void {
  const lab = r.lab;
  for (const n of [...lab.named.keys()]) r.run(['ip', 'netns', 'del', n]);
  for (let guard = 0; guard < 50; guard++) {
    const d = [...lab.init.devices.values()].find((x) => x.name !== 'lo');
    if (!d) break;
    const res = r.run(['ip', 'link', 'del', d.name]);
    if (res.code !== 0) throw new Error(`teardown: ip link del ${d.name}: ${res.err}`);
  }
  for (const argv of [['ip', 'link', 'set', 'lo', 'down'], ['ip', 'addr', 'flush', 'dev', 'lo'], ['ip', 'neigh', 'flush', 'all'],
    ['sysctl', '-qw', 'net.ipv4.ip_forward=0']]) r.run(argv);
}

/** Size once every timer that can expire has (neighbour GC, bridge ageing, ND): 10 virtual minutes on. */
function settledSize(r: LabRun): Record<string, number> {
  r.advance(600);
  return labSize(r.lab);
}
