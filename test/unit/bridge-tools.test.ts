// `bridge` (iproute2 6.1) and `brctl` (bridge-utils 1.7) output and errors, as seen on the
// reference kernel (6.18) in a network namespace with sysfs mounted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bridgeTool } from '../../src/tools/bridge/index.ts';
import { brctlTool } from '../../src/tools/brctl.ts';
import { newLink, type LinkAttrs } from '../../src/core/rtnl.ts';
import { addPort, bridge, frame, mac, must, newTestLab, runTool, secs, send, up } from './bridge-helpers.test.ts';
import type { Lab } from '../../src/core/lab.ts';

const noSelf = (s: string): string => s.split('\n').filter((l) => !l.includes(' self ')).join('\n');

function lab2(): Lab {
  const lab = newTestLab();
  const br = bridge(lab);
  up(br);
  // p1/q1 and p2/q2 all in the same namespace, as in the reference runs.
  for (const n of [1, 2]) {
    const p = must(newLink(lab, lab.init, { ifname: `p${n}`, address: mac(`02:00:00:00:00:0${n}`), kind: 'veth',
      data: { peer: { ifname: `q${n}`, address: mac(`02:00:00:00:00:1${n}`) } as LinkAttrs } }));
    must(lab.linkKinds.get('bridge')!.addSlave!(br, p) as never);
  }
  for (const d of ['p1', 'q1', 'p2', 'q2']) up(lab.init.devices.get(d)!);
  return lab;
}

test('bridge link show: one line per port, trailing space, @peer, state/priority/cost', () => {
  const lab = lab2();
  const r = runTool(lab, bridgeTool, ['bridge', 'link', 'show']);
  assert.equal(r.rc, 0);
  assert.equal(r.out,
    '4: p1@q1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 \n' +
    '6: p2@q2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 \n');
  const d = runTool(lab, bridgeTool, ['bridge', '-d', 'link', 'show', 'dev', 'p1']);
  assert.equal(d.out,
    '4: p1@q1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 \n' +
    '    hairpin off guard off root_block off fastleave off learning on flood on mcast_flood on bcast_flood on ' +
    'mcast_router 1 mcast_to_unicast off neigh_suppress off vlan_tunnel off isolated off locked off \n');
  assert.equal(runTool(lab, bridgeTool, ['bridge', 'link', 'show', 'dev', 'q1']).out, '');
  const j = runTool(lab, bridgeTool, ['bridge', '-j', 'link', 'show']);
  assert.equal(j.out, '[{"ifindex":4,"link":"q1","ifname":"p1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],' +
    '"mtu":1500,"master":"br0","state":"forwarding","priority":32,"cost":2},{"ifindex":6,"link":"q2","ifname":"p2",' +
    '"flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"master":"br0","state":"forwarding","priority":32,"cost":2}]\n');
});

test('bridge link set: errors and exit statuses as on the reference machine', () => {
  const lab = lab2();
  const t = (...a: string[]) => runTool(lab, bridgeTool, ['bridge', ...a]);
  assert.deepEqual(t('link', 'set', 'dev', 'p9', 'hairpin', 'on'), { rc: 255, out: '', err: 'Cannot find bridge device "p9"\n' });
  assert.deepEqual(t('link', 'set', 'dev', 'br0', 'hairpin', 'on'), { rc: 255, out: '', err: 'RTNETLINK answers: Operation not supported\n' });
  assert.deepEqual(t('link', 'set', 'dev', 'q1', 'hairpin', 'on'), { rc: 255, out: '', err: 'RTNETLINK answers: Operation not supported\n' });
  assert.deepEqual(t('link', 'set', 'dev', 'p1', 'cost', '70000'), { rc: 255, out: '', err: 'RTNETLINK answers: Numerical result out of range\n' });
  assert.deepEqual(t('link', 'set', 'dev', 'p1', 'priority', '64'), { rc: 255, out: '', err: 'RTNETLINK answers: Numerical result out of range\n' });
  assert.deepEqual(t('link', 'set', 'dev', 'p1', 'hairpin', 'maybe'),
    { rc: 234, out: '', err: 'Error: argument of "hairpin" must be one of "off", "on", not "maybe"\n' });
  assert.equal(t('link', 'set', 'p1', 'hairpin', 'off').rc, 255);
  assert.match(t('link', 'set', 'dev', 'p1', 'bogus').err, /^Usage: bridge link set dev DEV/);
  assert.equal(t('link', 'set', 'dev', 'p1', 'cost', '0').rc, 0, 'cost 0 is not even sent');
  assert.equal(t('link', 'set', 'dev', 'p1', 'priority', '7', 'hairpin', 'on').rc, 0);
  assert.match(t('-d', 'link', 'show', 'dev', 'p1').out, /priority 7 cost 2 \n    hairpin on /);
  assert.equal(t('link', 'set', 'dev', 'p1', 'state', '1').rc, 0, 'hand-set state with STP off');
  assert.match(t('link', 'show', 'dev', 'p1').out, /state listening /);
  assert.deepEqual(t('link', 'show', 'dev', 'nonexist'), { rc: 255, out: '', err: 'Cannot find device "nonexist"\n' });
});

test('bridge fdb add/del/replace: kernel answers and the NUD/flag defaults of iproute2', () => {
  const lab = lab2();
  const t = (...a: string[]) => runTool(lab, bridgeTool, ['bridge', 'fdb', ...a]);
  assert.equal(t('add', '02:00:00:00:00:99', 'dev', 'p2', 'master', 'static').rc, 0);
  assert.deepEqual(t('add', '02:00:00:00:00:99', 'dev', 'p2', 'master', 'static'), { rc: 255, out: '', err: 'RTNETLINK answers: File exists\n' });
  assert.equal(t('add', '02:00:00:00:00:98', 'dev', 'p2', 'master').rc, 0);
  assert.equal(t('add', '02:00:00:00:00:97', 'dev', 'p2', 'master', 'dynamic').rc, 0);
  assert.equal(t('add', '02:00:00:00:00:96', 'dev', 'p2').rc, 0, 'no master: self, the port\'s own address list');
  assert.deepEqual(t('add', '02:00:00:00:00:95', 'dev', 'p2', 'static'), { rc: 255, out: '', err: 'RTNETLINK answers: Invalid argument\n' });
  assert.equal(t('add', '02:00:00:00:00:94', 'dev', 'br0').rc, 0);
  assert.deepEqual(t('add', '02:00:00:00:00:93', 'dev', 'br0', 'master'), { rc: 255, out: '', err: 'RTNETLINK answers: Operation not supported\n' });
  assert.deepEqual(t('add', '02:00:00:00:00:92', 'dev', 'br0', 'static'), { rc: 255, out: '', err: 'RTNETLINK answers: Invalid argument\n' });
  assert.deepEqual(t('add', '02:00:00:00:00:91', 'dev', 'q1', 'master'), { rc: 255, out: '', err: 'RTNETLINK answers: Operation not supported\n' });
  assert.deepEqual(t('add', '02:00:00:00:00:90', 'dev', 'nonexist', 'master'), { rc: 255, out: '', err: 'Cannot find device "nonexist"\n' });
  assert.deepEqual(t('add', 'zz', 'dev', 'p2', 'master'), { rc: 255, out: '', err: 'Invalid mac address zz\n' });
  assert.deepEqual(t('add', '00:00:00:00:00:00', 'dev', 'p2', 'master'), { rc: 255, out: '', err: 'RTNETLINK answers: Invalid argument\n' });
  assert.deepEqual(t('add', '02:00:00:00:00:89', 'dev', 'p2', 'master', 'vlan', '5'), { rc: 255, out: '', err: 'RTNETLINK answers: Invalid argument\n' });
  assert.deepEqual(t('add', '02:00:00:00:00:88', 'master'), { rc: 255, out: '', err: 'Device and address are required arguments.\n' });
  assert.deepEqual(t('del', '02:00:00:00:00:77', 'dev', 'p2', 'master'), { rc: 255, out: '', err: 'RTNETLINK answers: No such file or directory\n' });
  assert.equal(t('del', '02:00:00:00:00:96', 'dev', 'p2').rc, 0);
  assert.deepEqual(t('del', '02:00:00:00:00:99', 'dev', 'p1', 'master'), { rc: 255, out: '', err: 'RTNETLINK answers: No such file or directory\n' });
  assert.equal(t('replace', '02:00:00:00:00:99', 'dev', 'p1', 'master', 'static').rc, 0);
  assert.equal(t('append', '02:00:00:00:00:87', 'dev', 'p1', 'master', 'static').rc, 0);
  assert.deepEqual(t('bogus'), { rc: 255, out: '', err: 'Command "bogus" is unknown, try "bridge fdb help".\n' });
  assert.equal(noSelf(t('show').out),
    '02:00:00:00:00:94 dev br0 master br0 permanent\n' +
    '02:00:00:00:00:87 dev p1 master br0 static\n' +
    '02:00:00:00:00:99 dev p1 master br0 static\n' +
    '02:00:00:00:00:01 dev p1 master br0 permanent\n' +
    '02:00:00:00:00:97 dev p2 master br0 \n' +
    '02:00:00:00:00:98 dev p2 master br0 permanent\n' +
    '02:00:00:00:00:02 dev p2 master br0 permanent\n');
  assert.equal(noSelf(t('show', 'dynamic').out),
    '02:00:00:00:00:87 dev p1 master br0 static\n' +
    '02:00:00:00:00:99 dev p1 master br0 static\n' +
    '02:00:00:00:00:97 dev p2 master br0 \n');
  assert.equal(noSelf(t('show', 'br', 'br0', 'dev', 'p2').out),
    '02:00:00:00:00:97 master br0 \n02:00:00:00:00:98 master br0 permanent\n02:00:00:00:00:02 master br0 permanent\n');
  assert.equal(t('show', 'state', 'static').out,
    '02:00:00:00:00:87 dev p1 master br0 static\n02:00:00:00:00:99 dev p1 master br0 static\n');
  assert.deepEqual(t('show', 'br', 'nonexist'), { rc: 255, out: '', err: 'Cannot find bridge device "nonexist"\n' });
  assert.deepEqual(t('show', 'dev', 'nonexist'), { rc: 255, out: '', err: 'Cannot find device "nonexist"\n' });
});

test('bridge fdb show: learned entries, -s used/updated, -j, and entries gone after ageing_time', () => {
  const lab = newTestLab();
  const br = bridge(lab);
  up(br);
  const p = addPort(lab, br, 1, '02:00:00:00:00:11', '02:00:00:00:00:01');
  send(lab, p.peer, frame('ff:ff:ff:ff:ff:ff', '02:00:00:00:00:11'));
  const t = (...a: string[]) => noSelf(runTool(lab, bridgeTool, ['bridge', ...a]).out);
  assert.equal(t('fdb', 'show', 'dev', 'p1'), '02:00:00:00:00:11 master br0 \n02:00:00:00:00:01 master br0 permanent\n');
  secs(lab, 3);
  assert.equal(t('-s', 'fdb', 'show', 'dev', 'p1'),
    '02:00:00:00:00:11 used 3/3 master br0 \n02:00:00:00:00:01 used 3/3 master br0 permanent\n');
  assert.equal(t('-j', 'fdb', 'show', 'dev', 'p1').split('\n')[0]!.startsWith(
    '[{"mac":"02:00:00:00:00:11","flags":[],"master":"br0","state":""},{"mac":"02:00:00:00:00:01","flags":[],"master":"br0","state":"permanent"}'), true);
  must(lab.linkKinds.get('bridge')!.changeLink!(br, { ageingTime: 1000 }) as never);
  secs(lab, 11);
  assert.equal(t('fdb', 'show', 'dev', 'p1'), '02:00:00:00:00:01 master br0 permanent\n');
});

test('bridge vlan show on a kernel without VLAN filtering prints only the header; with it, the 6.1 layout', () => {
  const lab = lab2();
  assert.equal(runTool(lab, bridgeTool, ['bridge', 'vlan', 'show']).out, 'port              vlan-id  \n');
  assert.equal(runTool(lab, bridgeTool, ['bridge', '-j', 'vlan', 'show']).out, '[]\n');
  const r = runTool(lab, bridgeTool, ['bridge', 'vlan', 'add', 'dev', 'p1', 'vid', '10']);
  assert.deepEqual(r, { rc: 255, out: '', err: 'RTNETLINK answers: Operation not supported\n' });
  assert.equal(runTool(lab, bridgeTool, ['bridge', 'vlan', 'del', 'dev', 'p1', 'vid', '1']).rc, 0, 'a delete never fails');
  const v = newTestLab({ vlanFiltering: true });
  const br = bridge(v);
  addPort(v, br, 1, '02:00:00:00:00:11', '02:00:00:00:00:01');
  addPort(v, br, 2, '02:00:00:00:00:12', '02:00:00:00:00:02');
  assert.equal(runTool(v, bridgeTool, ['bridge', 'vlan', 'add', 'dev', 'p2', 'vid', '10']).rc, 0);
  assert.equal(runTool(v, bridgeTool, ['bridge', 'vlan', 'add', 'dev', 'p2', 'vid', '20', 'pvid', 'untagged']).rc, 0);
  assert.equal(runTool(v, bridgeTool, ['bridge', 'vlan', 'show']).out,
    'port              vlan-id  \n' +
    'br0               1 PVID Egress Untagged\n' +
    'p1                1 PVID Egress Untagged\n' +
    'p2                1 Egress Untagged\n' +
    '                  10\n' +
    '                  20 PVID Egress Untagged\n');
});

test('bridge: global errors', () => {
  const lab = lab2();
  const t = (...a: string[]) => runTool(lab, bridgeTool, ['bridge', ...a]);
  assert.equal(t().rc, 255);
  assert.match(t().err, /^Usage: bridge \[ OPTIONS \] OBJECT/);
  assert.deepEqual(t('bogus'), { rc: 255, out: '', err: 'Object "bogus" is unknown, try "bridge help".\n' });
  assert.deepEqual(t('-x', 'link'), { rc: 255, out: '', err: 'Option "-x" is unknown, try "bridge help".\n' });
  assert.deepEqual(t('-V'), { rc: 0, out: 'bridge utility, 6.1.0\n', err: '' });
});

test('brctl show, showmacs and showstp print bridge-utils 1.7 layouts', () => {
  const lab = lab2();
  send(lab, lab.init.devices.get('q1')!, frame('ff:ff:ff:ff:ff:ff', '02:00:00:00:00:11'));
  const t = (...a: string[]) => runTool(lab, brctlTool, ['brctl', ...a]);
  assert.deepEqual(t('show'), { rc: 0, err: '', out:
    'bridge name\tbridge id\t\tSTP enabled\tinterfaces\n' +
    'br0\t\t8000.020000000001\tno\t\tp1\n\t\t\t\t\t\t\tp2\n' });
  assert.deepEqual(t('showmacs', 'br0'), { rc: 0, err: '', out:
    'port no\tmac addr\t\tis local?\tageing timer\n' +
    '  1\t02:00:00:00:00:01\tyes\t\t   0.00\n' +
    '  2\t02:00:00:00:00:02\tyes\t\t   0.00\n' +
    '  1\t02:00:00:00:00:11\tno\t\t   0.00\n' });
  const stp = t('showstp', 'br0').out;
  assert.equal(stp.split('\n').slice(0, 13).join('\n'),
    'br0\n' +
    ' bridge id\t\t8000.020000000001\n' +
    ' designated root\t8000.020000000001\n' +
    ' root port\t\t   0\t\t\tpath cost\t\t   0\n' +
    ' max age\t\t  20.00\t\t\tbridge max age\t\t  20.00\n' +
    ' hello time\t\t   2.00\t\t\tbridge hello time\t   2.00\n' +
    ' forward delay\t\t  15.00\t\t\tbridge forward delay\t  15.00\n' +
    ' ageing time\t\t 300.00\n' +
    ' hello timer\t\t   0.00\t\t\ttcn timer\t\t   0.00\n' +
    ' topology change timer\t   0.00\t\t\tgc timer\t\t   0.10\n' +
    ' flags\t\t\t\n' +
    '\n');
  assert.match(stp, /\np1 \(1\)\n port id\t\t8001\t\t\tstate\t\t     forwarding\n designated root\t8000\.020000000001\tpath cost\t\t   2\n/);
});

test('brctl: command errors and exit statuses', () => {
  const lab = lab2();
  must(newLink(lab, lab.init, { ifname: 'x1', kind: 'veth', data: { peer: { ifname: 'x2' } as LinkAttrs } }));
  const t = (...a: string[]) => runTool(lab, brctlTool, ['brctl', ...a]);
  assert.equal(t().rc, 1);
  assert.match(t().out, /^Usage: brctl \[commands\]\ncommands:\n\taddbr     \t<bridge>\t\tadd bridge\n/);
  assert.equal(t('bogus').err, 'never heard of command [bogus]\n');
  assert.deepEqual(t('addbr'), { rc: 1, err: '', out: 'Incorrect number of arguments for command\nUsage: brctl addbr <bridge>\t\tadd bridge\n' });
  assert.deepEqual(t('addbr', 'br0'), { rc: 1, out: '', err: "device br0 already exists; can't create bridge with the same name\n" });
  assert.deepEqual(t('addif', 'br0', 'p1'), { rc: 1, out: '', err: "device p1 is already a member of a bridge; can't add it to bridge br0.\n" });
  assert.deepEqual(t('addif', 'br0', 'nonexist'), { rc: 1, out: '', err: 'interface nonexist does not exist!\n' });
  assert.deepEqual(t('addif', 'nonexist', 'x1'), { rc: 1, out: '', err: 'bridge nonexist does not exist!\n' });
  assert.equal(t('addbr', 'br9').rc, 0);
  assert.deepEqual(t('addif', 'br0', 'br9'), { rc: 1, out: '', err: "device br9 is a bridge device itself; can't add a bridge device to a bridge device.\n" });
  assert.deepEqual(t('addif', 'br0', 'lo'), { rc: 1, out: '', err: "can't add lo to bridge br0: Invalid argument\n" });
  assert.deepEqual(t('delif', 'br0', 'x1'), { rc: 1, out: '', err: 'device x1 is not a port of br0\n' });
  assert.deepEqual(t('show', 'nonexist'), { rc: 1, out: '', err: 'bridge nonexist does not exist!\n' });
  assert.deepEqual(t('show', 'x1'), { rc: 1, out: '', err: 'device x1 is not a bridge!\n' });
  assert.deepEqual(t('showmacs', 'nonexist'), { rc: 1, out: '', err: 'read of forward table failed: No such device\n' });
  assert.deepEqual(t('showmacs', 'x1'), { rc: 1, out: '', err: 'read of forward table failed: Operation not supported\n' });
  assert.deepEqual(t('showstp', 'nonexist'), { rc: 1, out: '', err: 'bridge nonexist does not exist!\n' });
  assert.deepEqual(t('hairpin', 'br0', 'x1', 'on'), { rc: 1, out: '', err: "can't set x1 to hairpin on bridge br0: No such file or directory\n" });
  assert.deepEqual(t('hairpin', 'br0', 'p1', 'maybe'), { rc: 1, out: '', err: 'expect on/off for argument\n' });
  assert.equal(t('hairpin', 'br0', 'p1', 'on').rc, 0);
  assert.match(runTool(lab, bridgeTool, ['bridge', '-d', 'link', 'show', 'dev', 'p1']).out, /hairpin on/);
  assert.match(t('showstp', 'br0').out, / flags\t\t\t\n hairpin mode\t\t   1\n/);
  assert.deepEqual(t('stp', 'br0', 'maybe'), { rc: 1, out: '', err: 'expect on/off for argument\n' });
  assert.deepEqual(t('stp', 'nonexist', 'on'), { rc: 1, out: '', err: 'set stp status failed: No such device\n' });
  assert.deepEqual(t('setageing', 'br0', 'abc'), { rc: 1, out: '', err: 'bad ageing time value\n' });
  assert.equal(t('setageing', 'br0', '12.5').rc, 0);
  assert.match(t('showstp', 'br0').out, / ageing time\t\t  12\.50\n/);
  assert.equal(t('stp', 'br0', 'on').rc, 0);
  assert.deepEqual(t('setfd', 'br0', '1'), { rc: 1, out: '', err: 'set forward delay failed: Numerical result out of range\n' });
  assert.deepEqual(t('sethello', 'br0', '0.5'), { rc: 1, out: '', err: 'set hello timer failed: Numerical result out of range\n' });
  assert.deepEqual(t('setmaxage', 'br0', '45'), { rc: 1, out: '', err: 'set max age failed: Numerical result out of range\n' });
  assert.equal(t('setbridgeprio', 'br0', '70000').rc, 0);
  assert.match(t('show', 'br0').out, /br0\t\t1170\.020000000001\tyes\t\t/);
  assert.deepEqual(t('setpathcost', 'br0', 'p1', '0'), { rc: 1, out: '', err: 'set path cost failed: Numerical result out of range\n' });
  assert.deepEqual(t('setportprio', 'br0', 'p1', '99'), { rc: 1, out: '', err: 'set port priority failed: Numerical result out of range\n' });
  assert.deepEqual(t('setportprio', 'br0', 'q1', '9'), { rc: 1, out: '', err: 'set port priority failed: No such file or directory\n' });
  assert.deepEqual(t('delbr', 'nonexist'), { rc: 1, out: '', err: "bridge nonexist doesn't exist; can't delete it\n" });
  assert.deepEqual(t('delbr', 'x1'), { rc: 1, out: '', err: "can't delete bridge x1: Operation not permitted\n" });
  assert.deepEqual(t('delbr', 'br0'), { rc: 1, out: '', err: "bridge br0 is still up; can't delete it\n" });
  assert.equal(t('delbr', 'br9').rc, 0);
  assert.equal(lab.init.devices.has('br9'), false);
});
