/**
 * /dev/tapN from shell programs (src/tools/fs.ts openStream, cat, head -c, redirections): one frame
 * per read() with its 10-byte virtio_net_hdr, reads block on the virtual clock, a reader steals the
 * macvtap's frames while it runs (also after SIGKILL the queue is released), one write() = one
 * frame, and runt writes fail with EINVAL. The same behaviour is judged against the kernel by
 * test/scenarios/macvtap-vnet-header-read-write.sh and examples/macvtap.sh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../src/index.ts';

const SETUP = `ip netns add vnet-peer
ip netns exec vnet-peer sysctl -qw net.ipv6.conf.all.disable_ipv6=1
sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add eth0 address 02:00:00:00:00:10 type veth peer name eth0 address 02:00:00:00:00:20 netns vnet-peer
ip link set eth0 up
ip -n vnet-peer addr add 192.0.2.20/24 dev eth0
ip -n vnet-peer link set eth0 up
ip link add link eth0 name mvt0 address 02:00:00:00:00:a0 type macvtap mode bridge
ip link set mvt0 up
ip addr add 192.0.2.10/24 dev mvt0
ip -n vnet-peer neigh replace 192.0.2.10 lladdr 02:00:00:00:00:a0 dev eth0
T=/dev/tap$(cat /sys/class/net/mvt0/ifindex)
`;

function run(body: string): { cmd: string; out: string; err: string; exit: number }[] {
  const { records } = runScript(SETUP + body, { world: 'none' });
  return records.slice(SETUP.split('\n').length - 1).map((r) => ({ cmd: r.command, out: r.stdout, err: r.stderr, exit: r.exit }));
}

test('a reader of /dev/tapN steals the frames until it is killed (TERM or KILL)', () => {
  for (const sig of ['', '-9 ']) {
    const r = run(`cat $T > /dev/null &
R=$!
sleep 0.2
ip netns exec vnet-peer ping -c1 -W1 192.0.2.10
kill ${sig}$R
wait
ip netns exec vnet-peer ping -c1 -W1 192.0.2.10
`);
    assert.equal(r[3]!.exit, 1, `with a reader the ping gets no answer (${sig || 'TERM'})`);
    assert.equal(r[6]!.exit, 0, `the reader is gone: answered again (${sig || 'TERM'})`);
  }
});

test('head -c reads frames with their virtio_net_hdr, a frame per read, blocking until enough came', () => {
  const r = run(`head -c 12 $T | od -An -tx1 &
sleep 0.1
ip netns exec vnet-peer arping -q -c1 -w1 -I eth0 192.0.2.99
wait
timeout 1.5 cat $T | od -Ad -tx1 -w68 &
sleep 0.1
ip netns exec vnet-peer arping -q -c2 -w2 -I eth0 192.0.2.98
wait
`);
  assert.equal(r[0]!.out, ' 00 00 00 00 00 00 00 00 00 00 ff ff\n');
  // Two identical 68-byte reads (header + 58-byte ARP request): od shows the second as `*`.
  const lines = r[4]!.out.split('\n');
  assert.equal(lines.length, 4, r[4]!.out);
  assert.match(lines[0]!, /^0000000 00 00 00 00 00 00 00 00 00 00 ff ff ff ff ff ff 02 00 00 00 00 20 08 06 .* c0 00 02 62( 00){16}$/);
  assert.equal(lines[1], '*');
  assert.equal(lines[2], '0000136');
});

test('a write() is one frame after the vnet header; shorter than an Ethernet header is EINVAL', () => {
  const hdr = String.raw`\x00`.repeat(10);
  const r = run(String.raw`ip netns exec vnet-peer timeout 2 tcpdump -l -nn -e -i eth0 ether proto 0x88b5 2>/dev/null &
sleep 0.5
printf '${hdr}' > $T
printf '${hdr}\xff\xff\xff\xff\xff\xff\x02' > $T
printf '${hdr}\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\xa0\x88\xb5' > $T
wait
`);
  assert.equal(r[2]!.exit, 1);
  assert.match(r[2]!.err, /printf: write error: Invalid argument/);
  assert.equal(r[3]!.exit, 1);
  assert.equal(r[4]!.exit, 0);
  assert.match(r[0]!.out, /02:00:00:00:00:a0 > ff:ff:ff:ff:ff:ff, ethertype Unknown \(0x88b5\), length 14: $/m);
});

test('a reader of a deleted device ends nothing else; the node goes away with the device', () => {
  const r = run(`ls -l --time-style=+ $T
ip link del mvt0
ls $T
cat $T
`);
  assert.equal(r[0]!.out, 'crw------- 1 root root 246, 1  /dev/tap3\n');
  assert.equal(r[2]!.err, "ls: cannot access '/dev/tap3': No such file or directory\n");
  assert.equal(r[3]!.exit, 1);
});
