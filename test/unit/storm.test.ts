// Loops and storms: a bridge loop without STP must not hang vnet; the storm guard drops the looping
// frames with LOOP_LIMIT and says so; turning STP on cuts the loop (one port blocking).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../src/index.ts';

const LOOP = `
ip link add br1 type bridge
ip link add br2 type bridge
ip link add a1 type veth peer name b1
ip link add a2 type veth peer name b2
ip link set a1 master br1; ip link set a2 master br1
ip link set b1 master br2; ip link set b2 master br2
ip link add h1 type veth peer name h1p
ip link set h1p master br1
ip netns add vnet-h
ip link set h1 netns vnet-h
ip -n vnet-h addr add 192.0.2.1/24 dev h1
for d in br1 br2 a1 a2 b1 b2 h1p; do ip link set $d up; done
ip -n vnet-h link set h1 up
ip netns exec vnet-h ping -c1 -W1 192.0.2.9
dmesg
`;

test('a bridge loop without STP is stopped by the storm guard, quickly, and reported', () => {
  const t0 = Date.now();
  const r = runScript(LOOP, { world: 'none' });
  assert.ok(Date.now() - t0 < 10_000, 'the storm must not take long');
  const storms = r.session.lab.storms;
  assert.ok(storms.size > 0, 'the guard saw the storm');
  const dmesg = r.records.at(-1)!.stdout;
  assert.match(dmesg, /storm guard: .*forwarding loop/);
  assert.match(dmesg, /STP is off on br1, br2|STP is off on br2, br1/);
  // The lab stays usable after the storm.
  const after = runScript(LOOP + 'ip -br link show br1\n', { world: 'none' });
  assert.equal(after.records.at(-1)!.exit, 0);
});

test('with STP on, the loop is cut after the forward delays and one port blocks', () => {
  const r = runScript(LOOP + `
ip link set br1 type bridge stp_state 1 forward_delay 400
ip link set br2 type bridge stp_state 1 forward_delay 400
sleep 12
bridge link show
`, { world: 'none' });
  const links = r.records.at(-1)!.stdout;
  assert.equal((links.match(/state blocking/g) ?? []).length, 1, links);
  assert.equal((links.match(/state forwarding/g) ?? []).length, 4, links);
});
