/**
 * Property tests: random command lines never make `ip` throw, always end with a valid exit
 * status, and a failing `ip link add` / `ip addr add` leaves the lab as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Harness } from './ip-harness.test.ts';

const WORDS = [
  'ip', 'link', 'add', 'set', 'del', 'show', 'dev', 'name', 'type', 'veth', 'peer', 'macvlan', 'macvtap', 'bridge',
  'bridge_slave', 'vlan', 'ipvlan', 'vxlan', 'bond', 'vrf', 'dummy', 'mode', 'private', 'vepa', 'passthru', 'source',
  'up', 'down', 'mtu', 'address', 'broadcast', 'txqueuelen', 'qlen', 'index', 'numtxqueues', 'group', 'alias',
  'netns', 'master', 'nomaster', 'promisc', 'allmulticast', 'arp', 'multicast', 'carrier', 'on', 'off', 'help',
  'addr', 'route', 'neigh', 'lladdr', 'nud', 'permanent', 'stale', 'via', 'default', 'table', 'all', 'local',
  'metric', 'proto', 'scope', 'global', 'host', 'brd', '+', '-', 'label', 'peer', 'flush', 'get', 'from', 'oif',
  'v0', 'v1', 'lo', 'br0', 'a', 'b', 'id', 'hairpin', 'stp_state', 'macaddr', 'flag', 'nopromisc', 'bcqueuelen',
  '192.0.2.1', '192.0.2.10/24', '198.51.100.0/24', '203.0.113.300', '02:00:00:00:00:01', '01:00:5e:00:00:01',
  'zz:zz', '00:00:00:00:00:00', '-1', '0', '65535', '4294967296', '99999999999999999999', 'thisnameiswaytoolong',
];

const word = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 1 << 30 }).map(String) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 1n << 70n }).map((b) => b.toString()) },
);

function snapshot(h: Harness): string {
  const parts: string[] = [];
  for (const ns of h.lab.all) {
    const devs = [...ns.byIndex.entries()].sort((a, b) => a[0] - b[0])
      .map(([i, d]) => `${i}:${d.name}:${d.kind}:${d.master?.name ?? ''}:${d.inet.map((x) => `${x.local}/${x.prefixlen}`).join(',')}`);
    parts.push(`${ns.name}|${devs.join(' ')}`);
  }
  return parts.sort().join('\n');
}

function setup(): Harness {
  const h = new Harness(7);
  h.ok('ip netns add a', 'ip link add v0 type veth peer name v1', 'ip addr add 192.0.2.10/24 dev v0');
  return h;
}

test('random ip command lines never throw and exit with a status in 0..255', () => {
  fc.assert(fc.property(fc.array(word, { maxLength: 12 }), (args) => {
    const h = setup();
    const r = h.run(['ip', ...args]);
    assert.ok(Number.isInteger(r.code) && r.code >= 0 && r.code <= 255);
    assert.doesNotMatch(r.err, /internal error|TypeError|undefined/);
  }), { numRuns: 400 });
});

test('a failing `ip link add` makes no device and changes nothing', () => {
  fc.assert(fc.property(fc.array(word, { maxLength: 10 }), (args) => {
    const h = setup();
    const before = snapshot(h);
    const r = h.run(['ip', 'link', 'add', ...args]);
    if (r.code !== 0) assert.equal(snapshot(h), before, `ip link add ${args.join(' ')}: ${r.err}`);
  }), { numRuns: 400 });
});

test('a failing `ip addr add` leaves addresses alone', () => {
  fc.assert(fc.property(fc.array(word, { maxLength: 8 }), (args) => {
    const h = setup();
    const before = snapshot(h);
    const r = h.run(['ip', 'addr', 'add', ...args]);
    if (r.code !== 0) assert.equal(snapshot(h), before, `ip addr add ${args.join(' ')}: ${r.err}`);
  }), { numRuns: 300 });
});

test('random sysctl command lines never throw', () => {
  const keys = fc.constantFrom('net.ipv4.ip_forward', 'net/ipv4/ip_forward', 'net.ipv4.conf.v0.rp_filter',
    'net.ipv4.nope', 'net.ipv4.ip_default_ttl', 'kernel.hostname', '');
  const arg = fc.oneof(
    fc.constantFrom('-w', '-n', '-q', '-a', '-e', '-N', '-p', '-x', '--all', '--bogus'),
    keys, fc.tuple(keys, fc.oneof(fc.string({ maxLength: 6 }), fc.integer().map(String))).map(([k, v]) => `${k}=${v}`),
  );
  fc.assert(fc.property(fc.array(arg, { maxLength: 6 }), (args) => {
    const h = setup();
    const r = h.run(['sysctl', ...args]);
    assert.ok(r.code === 0 || r.code === 1, `sysctl ${args.join(' ')} → ${r.code}`);
  }), { numRuns: 300 });
});
