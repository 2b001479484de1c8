/**
 * Model-based tests of the lab: random sequences of lab commands keep the invariants after every
 * step (test/fuzz/model.ts, test/fuzz/labcheck.ts), plus the bugs the random runs found, kept as
 * plain regression tests.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL_TARGETS } from '../fuzz/targets.ts';
import { runTargets } from '../fuzz/run-in-test.ts';
import { runScenario, type Step } from '../fuzz/model.ts';
import { dropReasonChecker, frameImbalance, labSize, structureErrors } from '../fuzz/labcheck.ts';
import { LabRun } from '../fuzz/labrun.ts';
import { openTap } from '../../src/core/drivers/macvlan.ts';

const steps = (text: string): Step[] => text.trim().split('\n').map((l) => {
  const m = /^(?:ip netns exec (\S+) )?(.*)$/.exec(l.trim())!;
  return { ns: m[1] ?? '', argv: m[2]!.split(' ') };
});

describe('lab model: random command sequences keep the invariants', () => runTargets(MODEL_TARGETS));

describe('lab model: regressions found by the random runs', () => {
  it('packets waiting for ARP are dropped (NEIGH_DEAD) when their device goes, not lost', () => {
    const r = new LabRun(1);
    const drops: string[] = [];
    r.lab.tracer = (ev) => { if (ev.disposition === 'dropped') drops.push(ev.reason!); };
    for (const l of ['ip link add x0 type veth peer name x1', 'ip link set x0 up', 'ip addr add 192.0.2.1/24 dev x0']) r.must(l);
    r.run(['ping', '-c1', '-W1', '192.0.2.3']);
    assert.equal(frameImbalance(r.lab), 0);
    r.must('ip link del x0');
    assert.ok(drops.includes('NEIGH_DEAD'), `drops: ${drops.join(' ')}`);
    assert.equal(frameImbalance(r.lab), 0);
    runScenario(steps(`
      ip netns add n1
      ip link add x0 type veth peer name x0 netns n1
      ip link set x0 up
      ip addr add 192.0.2.1/24 dev x0
      ping -c1 -W1 192.0.2.3
      ip netns del n1`));
  });

  it('broadcasts queued for macvlans end once their clones are out (no frame lost in the queue)', () => {
    runScenario(steps(`
      ip netns add n1
      ip link add x1 type veth peer name x2 netns n1
      ip link set x1 up
      ip netns exec n1 ip link set x2 up
      ip addr add 192.0.2.1/24 dev x1
      ip netns exec n1 ip addr add 192.0.2.2/24 dev x2
      ip netns exec n1 ip link add link x2 name x0 type macvlan mode bridge
      ip netns exec n1 ip addr add 192.0.2.3/24 dev x0
      ip netns exec n1 ip link set x0 up
      arping -c1 -w1 -I x1 192.0.2.3
      ping -c1 -W1 192.0.2.3`));
  });

  it('a forwarded packet is counted once (the router rewrites it, it is not a new frame)', () => {
    runScenario(steps(`
      ip netns add n1
      ip netns add n2
      ip link add a type veth peer name a netns n1
      ip link add b type veth peer name b netns n2
      ip link set a up
      ip link set b up
      ip addr add 192.0.2.1/24 dev a
      ip addr add 198.51.100.1/24 dev b
      sysctl -qw net.ipv4.ip_forward=1
      ip netns exec n1 ip link set a up
      ip netns exec n1 ip addr add 192.0.2.2/24 dev a
      ip netns exec n1 ip route add 198.51.100.0/24 via 192.0.2.1
      ip netns exec n2 ip link set b up
      ip netns exec n2 ip addr add 198.51.100.2/24 dev b
      ip netns exec n2 ip route add 192.0.2.0/24 via 198.51.100.1
      ip netns exec n1 ping -c1 -W1 198.51.100.2`));
  });

  it('a device stacked on a bridge cannot become its port (EBUSY), so a flood cannot loop forever', () => {
    const r = new LabRun(1);
    for (const l of ['ip link add br0 type bridge', 'ip link add link br0 name m0 type macvlan mode bridge',
      'ip link add link br0 name br0.5 type vlan id 5']) r.must(l);
    for (const d of ['m0', 'br0.5']) {
      const res = r.run(['ip', 'link', 'set', d, 'master', 'br0']);
      assert.deepEqual([res.code, res.err], [2, 'RTNETLINK answers: Device or resource busy\n'], d);
    }
    assert.equal(r.lab.init.devices.get('m0')!.master, null);
    // The shrunk sequence that overflowed the stack before the check existed.
    runScenario(steps(`
      ip link add x2 type bridge
      ip link set x2 up
      ip link add link x2 name x3 type macvlan mode bridge
      ip link set x3 up
      ip link set x3 master x2
      ip addr add 198.51.100.1/24 dev x3
      ping -c1 -W1 198.51.100.2`));
  });

  it('group frames queued for ipvlan slaves end once the slaves have their copies', () => {
    runScenario(steps(`
      ip netns add n1
      ip link add x0 type veth peer name x3 netns n1
      ip link set x0 up
      ip netns exec n1 ip link set x3 up
      ip addr add 192.0.2.1/24 dev x0
      ip netns exec n1 ip addr add 192.0.2.2/24 dev x3
      ip netns exec n1 ip link add link x3 name x0 type ipvlan mode l2
      arping -c1 -w1 -I x0 192.0.2.1`));
  });

  it('a packet an l3 ipvlan routes in its master\'s namespace is counted once', () => {
    runScenario(steps(`
      ip netns add n1
      ip link add x0 type veth peer name x3 netns n1
      ip link set x0 up
      ip netns exec n1 ip link set x3 up
      ip addr add 192.0.2.1/24 dev x0
      ip netns exec n1 ip addr add 192.0.2.2/24 dev x3
      ip netns exec n1 ip link add link x3 name x2 type ipvlan mode l3
      ip netns exec n1 ip addr add 198.51.100.1/24 dev x2
      ip netns exec n1 ip link set x2 up
      ip netns exec n1 ping -c1 -W1 198.51.100.2`));
  });

  it('a frame handed to a /dev/tap reader counts as delivered', () => {
    const r = new LabRun(1);
    for (const l of ['ip link add v0 type veth peer name v1', 'ip link add link v1 name mt type macvtap mode bridge',
      'ip link set v0 up', 'ip link set v1 up', 'ip link set mt up', 'ip addr add 192.0.2.1/24 dev v0']) r.must(l);
    const tap = openTap(r.lab.init.devices.get('mt')!, { vnetHdr: false });
    assert.ok(tap.ok);
    r.run(['arping', '-c1', '-w1', '-I', 'v0', '192.0.2.9']);
    assert.ok(tap.value.read(), 'the tap reader got the broadcast');
    assert.equal(frameImbalance(r.lab), 0);
  });

  it('the checker itself sees a dangling reference and an unaccounted frame', () => {
    const r = new LabRun(1);
    r.must('ip link add v0 type veth peer name v1');
    const v0 = r.lab.init.devices.get('v0')!;
    r.lab.init.devices.delete('v0');
    assert.ok(structureErrors(r.lab).some((e) => e.includes('names but')));
    r.lab.init.devices.set('v0', v0);
    assert.deepEqual(structureErrors(r.lab), []);
    r.lab.counters.framesCreated++;
    assert.equal(frameImbalance(r.lab), 1);
    r.lab.counters.framesCreated--;
    const d = dropReasonChecker(r.lab);
    r.lab.tracer!({ time: 0, netns: '', dev: 'v0', dir: 'rx', where: 'x', disposition: 'dropped', packetId: 1 });
    assert.equal(d.errors.length, 1);
    assert.ok(labSize(r.lab).devices >= 3);
  });
});
