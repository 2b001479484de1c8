/**
 * The virtual filesystem (LabFs) and the sysctl tool, checked against procps-ng 4.0.2 and the
 * 6.18 kernel's /proc/sys and /sys/class/net behaviour.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness } from './ip-harness.test.ts';

test('sysctl reads, writes and errors like procps', () => {
  const h = new Harness();
  h.ok('ip link add v0 type veth peer name v1');
  const cases: [string, string, string, number][] = [
    ['sysctl net.ipv4.ip_forward', 'net.ipv4.ip_forward = 0\n', '', 0],
    ['sysctl -n net.ipv4.ip_forward', '0\n', '', 0],
    ['sysctl -w net.ipv4.ip_forward=1', 'net.ipv4.ip_forward = 1\n', '', 0],
    ['sysctl net.ipv4.ip_forward=0', 'net.ipv4.ip_forward = 0\n', '', 0],
    ['sysctl -q -w net.ipv4.ip_forward=1', '', '', 0],
    ['sysctl net/ipv4/ip_forward', 'net.ipv4.ip_forward = 1\n', '', 0],
    ['sysctl net.ipv4.nope', '', 'sysctl: cannot stat /proc/sys/net/ipv4/nope: No such file or directory\n', 1],
    ['sysctl -w net.ipv4.nope=1', '', 'sysctl: cannot stat /proc/sys/net/ipv4/nope: No such file or directory\n', 1],
    ['sysctl -w net.ipv4.ip_forward=abc', '', 'sysctl: setting key "net.ipv4.ip_forward": Invalid argument\n', 1],
    ['sysctl -w net.ipv4.ip_forward', '', 'sysctl: command line(0): invalid syntax, continuing...\n', 1],
    ['sysctl -e net.ipv4.nope', '', '', 0],
    ['sysctl -N net.ipv4.ip_forward', 'net.ipv4.ip_forward\n', '', 0],
    ['sysctl -x', '', "sysctl: no variables specified\nTry `sysctl --help' for more information.\n", 1],
    ['sysctl -w net.ipv4.ip_default_ttl=0', '', 'sysctl: setting key "net.ipv4.ip_default_ttl": Invalid argument\n', 1],
    ['sysctl -w net.ipv4.conf.v0.rp_filter=2 net.ipv4.conf.v0.forwarding=1',
      'net.ipv4.conf.v0.rp_filter = 2\nnet.ipv4.conf.v0.forwarding = 1\n', '', 0],
  ];
  for (const [cmd, out, err, code] of cases) {
    const r = h.sh(cmd);
    assert.equal(r.out, out, cmd);
    assert.equal(r.err, err, cmd);
    assert.equal(r.code, code, cmd);
  }
  assert.equal(h.sh('sysctl').code, 1);
  assert.match(h.sh('sysctl -a').out, /^net\.ipv4\.conf\.all\.accept_local = 0$/m);
  // Per namespace.
  h.ok('ip netns add a');
  assert.equal(h.sh('sysctl -n net.ipv4.ip_forward', 'a').out, '0\n');
});

test('/proc/sys reads and writes with kernel validation', () => {
  const h = new Harness();
  const fs = h.fs;
  assert.deepEqual(fs.read('', '/proc/sys/net/ipv4/ip_forward'), { ok: true, value: '0\n' });
  assert.deepEqual(fs.write('', '/proc/sys/net/ipv4/ip_forward', 'abc\n', false), { ok: false, errno: 22, message: 'Invalid argument' });
  assert.deepEqual(fs.write('', '/proc/sys/net/ipv4/ip_forward', '1\n', false), { ok: true, value: undefined });
  assert.equal(h.lab.init.sysctl.get('net.ipv4.ip_forward'), '1');
  assert.deepEqual(fs.write('', '/proc/sys/net/ipv4/nope', '1\n', false),
    { ok: false, errno: 2, message: 'No such file or directory' });
  assert.equal(fs.read('', '/proc/sys/net/ipv4/conf').ok, false);
  const l = fs.list('', '/proc/sys/net/ipv4/conf');
  assert.ok(l.ok && l.value.includes('all') && l.value.includes('lo'));
  assert.ok(fs.exists('', '/proc/sys/net/ipv4'));
});

test('/sys/class/net per namespace, attributes, read-only files', () => {
  const h = new Harness();
  h.ok('ip link add v0 address 02:00:00:00:00:10 type veth peer name v1', 'ip netns add a', 'ip link set v1 netns a');
  const fs = h.fs;
  assert.deepEqual(fs.list('', '/sys/class/net'), { ok: true, value: ['lo', 'v0'] });
  assert.deepEqual(fs.list('a', '/sys/class/net'), { ok: true, value: ['lo', 'v1'] });
  assert.deepEqual(fs.read('', '/sys/class/net/v0/address'), { ok: true, value: '02:00:00:00:00:10\n' });
  assert.deepEqual(fs.read('', '/sys/class/net/v0/ifindex'), { ok: true, value: '3\n' });
  assert.deepEqual(fs.read('', '/sys/class/net/v0/iflink'), { ok: true, value: '2\n' });
  assert.deepEqual(fs.read('', '/sys/class/net/v0/operstate'), { ok: true, value: 'down\n' });
  assert.deepEqual(fs.read('', '/sys/class/net/v0/carrier'), { ok: false, errno: 22, message: 'Invalid argument' });
  assert.deepEqual(fs.read('', '/sys/class/net/lo/flags'), { ok: true, value: '0x8\n' });
  assert.deepEqual(fs.write('', '/sys/class/net/v0/ifindex', '5\n', false), { ok: false, errno: 13, message: 'Permission denied' });
  assert.deepEqual(fs.write('', '/sys/class/net/v0/mtu', '1400\n', false), { ok: true, value: undefined });
  assert.equal(h.lab.init.devices.get('v0')!.mtu, 1400);
  assert.equal(fs.read('', '/sys/class/net/v1/ifindex').ok, false);
});

test('ordinary files, /run/netns, /dev', () => {
  const h = new Harness();
  const fs = h.fs;
  assert.deepEqual(fs.write('', '/tmp/f', 'x\n', false), { ok: true, value: undefined });
  assert.deepEqual(fs.write('', '/tmp/f', 'y\n', true), { ok: true, value: undefined });
  assert.deepEqual(fs.read('a', '/tmp/f'), { ok: true, value: 'x\ny\n' });
  assert.deepEqual(fs.write('', '/nope/f', 'x', false), { ok: false, errno: 2, message: 'No such file or directory' });
  assert.deepEqual(fs.read('', '/tmp'), { ok: false, errno: 21, message: 'Is a directory' });
  h.ok('ip netns add a', 'ip netns add b');
  assert.ok(fs.exists('', '/run/netns/a'));
  assert.ok(fs.exists('', '/var/run/netns/b'));
  const dev = fs.list('', '/dev');
  assert.ok(dev.ok && dev.value.includes('null'));
  h.ok('ip link add v0 type veth peer name v1', 'ip link add mvt link v0 type macvtap');
  const dev2 = fs.list('', '/dev');
  assert.ok(dev2.ok && dev2.value.includes('tap4'), JSON.stringify(dev2));
  assert.ok(fs.exists('', '/dev/tap4'));
});
