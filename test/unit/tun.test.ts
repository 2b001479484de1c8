/**
 * tun/tap (drivers/net/tun.c), `ip tuntap` (iproute2 6.1) and the library API a VM uses to attach.
 * Expected texts were taken from the 6.18 kernel in throwaway namespaces: `ip tuntap` via the
 * scenarios under test/scenarios/tuntap-*.sh, the attached-file behaviour with a small Python
 * program doing open("/dev/net/tun") + TUNSETIFF (carrier on, `state UP`, EBUSY for `ip tuntap
 * del` while attached, frames read and written, `numqueues` of a multi_queue tap).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newSession, type Session } from '../../src/index.ts';
import { Shell, type CommandRecord } from '../../src/shell/index.ts';
import {
  IFF_MULTI_QUEUE, IFF_NO_PI, IFF_TAP, IFF_TUN, IFF_VNET_HDR, tapAttach, tunOpen, tunPriv, type TunFile,
} from '../../src/core/drivers/tun.ts';
import { Harness } from './ip-harness.test.ts';

function session(): Session { return newSession({ seed: 1 }); }

/** Runs script lines in the session's namespace and returns one record per command. */
function sh(s: Session, text: string): CommandRecord[] {
  const shell = new Shell(s.host, { scriptName: 't' });
  const r = shell.runScript(text);
  s.host.settle();
  return r.records;
}

function out(s: Session, line: string): string {
  const r = sh(s, line);
  assert.equal(r.length, 1);
  return r[0]!.stdout + r[0]!.stderr;
}

function ok(s: Session, text: string): void {
  for (const r of sh(s, text)) assert.equal(r.exit, 0, `${r.command}: ${r.stderr}`);
}

function attach(s: Session, name: string, flags?: number, comm = 'qemu-system-x86', pid = 4242): TunFile {
  const r = tapAttach(s.lab, s.lab.init, name, { ...(flags !== undefined ? { flags } : {}), process: { comm, pid } });
  assert.ok(r.ok, r.ok ? '' : `attach failed: errno ${r.errno}`);
  return r.value;
}

const hex = (h: string): Uint8Array => new Uint8Array(h.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

function csum(b: Uint8Array, off: number, len: number): number {
  let s = 0;
  for (let i = 0; i < len; i += 2) s += (b[off + i]! << 8) | (b[off + i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/** An IPv4 ICMP echo request src → dst (no Ethernet header). */
function icmpEcho(src: number[], dst: number[], id = 7, seq = 1): Uint8Array {
  const p = new Uint8Array(20 + 16);
  p.set([0x45, 0, 0, p.length, 0, 1, 0x40, 0, 64, 1, 0, 0, ...src, ...dst]);
  const ip = csum(p, 0, 20); p[10] = ip >> 8; p[11] = ip & 0xff;
  p.set([8, 0, 0, 0, id >> 8, id & 0xff, seq >> 8, seq & 0xff, 1, 2, 3, 4, 5, 6, 7, 8], 20);
  const ic = csum(p, 20, 16); p[22] = ic >> 8; p[23] = ic & 0xff;
  return p;
}

// ---------------------------------------------------------------------------------------------

test('ip tuntap add: a persistent tap without carrier; show formats; sysfs attributes', () => {
  const s = session();
  ok(s, 'ip tuntap add tap1 mode tap\nip link set tap1 address 02:00:00:00:00:a1');
  assert.equal(out(s, 'ip -d link show tap1'),
    '2: tap1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:a1 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65521 \n' +
    '    tun type tap pi off vnet_hdr off persist on addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 \n');
  ok(s, 'ip link set tap1 up');
  assert.equal(out(s, 'ip link show tap1'),
    '2: tap1: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc pfifo_fast state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:a1 brd ff:ff:ff:ff:ff:ff\n');
  ok(s, 'ip tuntap add dev tun1 mode tun user 4242 group 100 pi vnet_hdr one_queue multi_queue\n' +
    'ip tuntap add name tap2 mode tap vnet_hdr user nobody group nogroup\nip tuntap add mode tun');
  assert.equal(out(s, 'ip tuntap show'),
    'tap1: tap persist\n' +
    'tun1: tun pi one_queue multi_queue vnet_hdr persist filter user 4242 group 100\n' +
    'tap2: tap vnet_hdr persist user 65534 group 65534\n' +
    'tun0: tun persist\n');
  assert.equal(out(s, 'ip -j tuntap show'),
    '[{"ifname":"tap1","flags":["tap","persist"]},{"ifname":"tun1","flags":["tun","pi","one_queue","multi_queue",' +
    '"vnet_hdr","persist","filter"],"user":4242,"group":100},{"ifname":"tap2","flags":["tap","vnet_hdr","persist"],' +
    '"user":65534,"group":65534},{"ifname":"tun0","flags":["tun","persist"]}]\n');
  assert.equal(out(s, 'ip -d link show tun1'),
    '3: tun1: <POINTOPOINT,MULTICAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 500\n' +
    '    link/none  promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n' +
    '    tun type tun pi on vnet_hdr on multi_queue numqueues 0 numdisabled 0 persist on user 4242 group users addrgenmode eui64 numtxqueues 256 numrxqueues 256 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 \n');
  assert.match(out(s, 'ip -d link show tap2'), /tun type tap pi off vnet_hdr on persist on user nobody group nogroup addrgenmode/);
  assert.equal(out(s, 'cat /sys/class/net/tun1/tun_flags /sys/class/net/tun1/owner /sys/class/net/tun1/group'), '0x6901\n4242\n100\n');
  assert.equal(out(s, 'cat /sys/class/net/tap1/tun_flags /sys/class/net/tap1/owner /sys/class/net/tap1/group'), '0x1802\n-1\n-1\n');
  assert.equal(out(s, 'cat /sys/class/net/tun0/address /sys/class/net/tun0/addr_len /sys/class/net/tun0/type'), '\n0\n65534\n');
});

test('ip tuntap errors and exit statuses', () => {
  const h = new Harness();
  h.ok('ip tuntap add tap1 mode tap', 'ip tuntap add dev tun1 mode tun multi_queue',
    'ip link add veth0 type veth peer name veth1');
  const cases: [string, string, number][] = [
    ['ip tuntap add tap1 mode tap', 'ioctl(TUNSETIFF): Device or resource busy\n', 1],
    ['ip tuntap add veth0 mode tap', 'ioctl(TUNSETIFF): Device or resource busy\n', 1],
    ['ip tuntap del veth0 mode tap', 'ioctl(TUNSETIFF): Invalid argument\n', 1],
    ['ip tuntap del dev tap1 mode tun', 'ioctl(TUNSETIFF): Invalid argument\n', 1],
    ['ip tuntap del dev tun1 mode tun', 'ioctl(TUNSETIFF): Invalid argument\n', 1],
    ['ip tuntap add dev tapx', 'You failed to specify a tunnel mode\n', 1],
    ['ip tuntap add dev tapx mode foo', 'Unknown tunnel mode "foo"\n', 255],
    ['ip tuntap add dev tapx mode tap mode tun', 'You managed to ask for more than one tunnel mode.\n', 255],
    ['ip tuntap add dev tapx mode tap user nosuchuser', 'invalid user "nosuchuser"\n', 255],
    ['ip tuntap add dev tapx mode tap group nosuchgroup', 'invalid group "nosuchgroup"\n', 255],
    ['ip tuntap add dev abcdefghijklmnopq mode tap', 'Error: argument "abcdefghijklmnopq" is wrong: "dev" not a valid ifname\n', 255],
    ['ip tuntap add tapa tapb mode tap', 'Error: either "name" is duplicate, or "tapb" is a garbage.\n', 255],
    ['ip tuntap add dev bad:name mode tap', 'ioctl(TUNSETIFF): Invalid argument\n', 1],
    ['ip tuntap add mode', 'Command line is not complete. Try option "help"\n', 255],
    ['ip tuntap foo', 'Command "foo" is unknown, try "ip tuntap help".\n', 255],
    ['ip link add t0 type tun', 'Error: tun/tap creation via rtnetlink is not supported.\n', 2],
    ['ip link add t0 type tap', 'Error: Unknown device type.\n', 2],
  ];
  for (const [cmd, err, code] of cases) {
    const r = h.sh(cmd);
    assert.equal(r.err, err, cmd);
    assert.equal(r.code, code, cmd);
  }
  assert.match(h.sh('ip tuntap help').err, /^Usage: ip tuntap \{ add \| del \| show \| list \| lst \| help \}/);
  // del of a name that does not exist creates and deletes it: exit 0, one ifindex used up.
  h.ok('ip tuntap del dev nosuch mode tap', 'ip tuntap add tap4 mode tap');
  assert.equal(h.lab.init.devices.get('tap4')!.ifindex, 7);
  assert.equal(h.lab.init.devices.has('nosuch'), false);
  // `ip tap` is the same object; `ip tuntap` alone is show; `ip tuntap del … multi_queue` matches.
  assert.equal(h.sh('ip tap').out, 'tap1: tap persist\ntun1: tun multi_queue persist\ntap4: tap persist\n');
  h.ok('ip tuntap del dev tun1 mode tun multi_queue', 'ip tuntap d tap4 mode ta', 'ip link del tap1');
  assert.equal(h.sh('ip tuntap').out, '');
});

test('attaching a reader gives the tap carrier; frames flow both ways; close takes carrier away', () => {
  const s = session();
  ok(s, 'ip tuntap add tap1 mode tap\nip link set tap1 address 02:00:00:00:00:01');
  const f = attach(s, 'tap1', undefined, 'python3', 12675);
  s.host.settle();
  ok(s, 'ip link set tap1 up');
  assert.equal(out(s, 'ip link show tap1'),
    '2: tap1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n');
  assert.equal(out(s, 'ip -d tuntap show'), 'tap1: tap persist\n\tAttached to processes:python3(12675)\n');
  const busy = sh(s, 'ip tuntap del tap1 mode tap')[0]!;
  assert.equal(busy.stderr, 'ioctl(TUNSETIFF): Device or resource busy\n');
  assert.equal(busy.exit, 1);
  // ndo_change_carrier: off always, on only with a queue attached.
  ok(s, 'ip link set tap1 carrier off');
  assert.match(out(s, 'ip link show tap1'), /NO-CARRIER.*state DOWN/);
  ok(s, 'ip link set tap1 carrier on');
  assert.match(out(s, 'ip link show tap1'), /LOWER_UP.*state UP/);

  // The kernel's frames go to the reader (no IPv6 in the way: drain what is queued first).
  while (f.read()) { /* drain */ }
  ok(s, 'ip addr add 192.0.2.1/24 dev tap1\nip neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev tap1');
  while (f.read()) { /* drain */ }
  const ping = sh(s, 'ping -c1 -W1 192.0.2.2')[0]!;
  assert.equal(ping.exit, 1);
  const frames: Uint8Array[] = [];
  for (let fr = f.read(); fr; fr = f.read()) frames.push(fr);
  const echo = frames.find((x) => x[12] === 0x08 && x[13] === 0x00);
  assert.ok(echo, 'the echo request reached the reader');
  assert.equal(echo.length, 98);
  assert.equal(toHex(echo.subarray(0, 14)), '0200000000020200000000010800');

  // A frame written is received by tap1's stack: an ARP request for 192.0.2.1 is answered.
  const got: Uint8Array[] = [];
  f.onFrame = (x) => got.push(x);
  const rxBefore = s.lab.init.devices.get('tap1')!.stats.rxPackets;
  const arp = hex('ffffffffffff 020000000002 0806 0001 0800 06 04 0001 020000000002 c0000202 000000000000 c0000201');
  const w = f.write(arp);
  assert.deepEqual(w, { ok: true, value: 42 });
  s.host.runUntil(() => got.length > 0, 1e9);
  assert.equal(got.length, 1);
  assert.equal(toHex(got[0]!.subarray(0, 22)), '020000000002020000000001080600010800060400' + '02');
  assert.equal(s.lab.init.devices.get('tap1')!.stats.rxPackets, rxBefore + 1);
  // Too short for Ethernet: EINVAL.
  assert.deepEqual(f.write(new Uint8Array(10)), { ok: false, errno: 22 });

  f.close();
  s.host.settle();
  assert.equal(out(s, 'ip link show tap1'),
    '2: tap1: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc pfifo_fast state DOWN mode DEFAULT group default qlen 1000\n' +
    '    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n');
  // (The kernel refuses `ip link set tap1 carrier on` here with EPERM: tun_net_change_carrier needs a
  // queue. vnet's do_setlink does not consult the driver yet, so that is not checked.)
  // A closed file can do nothing more.
  assert.deepEqual(f.write(arp), { ok: false, errno: 77 });
});

test('a file attached to a name that does not exist makes a non-persistent device that goes with it', () => {
  const s = session();
  const f = attach(s, 'tap9');
  assert.equal(out(s, 'ip tuntap show'), 'tap9: tap\n');
  assert.equal(sh(s, 'ip tuntap del tap9 mode tap')[0]!.stderr, 'ioctl(TUNSETIFF): Device or resource busy\n');
  f.close();
  assert.equal(s.lab.init.devices.has('tap9'), false);
  assert.equal(out(s, 'ip link show tap9'), 'Device "tap9" does not exist.\n');
});

test('multi_queue: every open file is a queue; ip tuntap del clears persist but the device lives on', () => {
  const s = session();
  ok(s, 'ip tuntap add mq0 mode tap multi_queue');
  // Without multi_queue the flags do not match the device: EINVAL.
  const bad = tapAttach(s.lab, s.lab.init, 'mq0', { flags: IFF_TAP | IFF_NO_PI });
  assert.equal(bad.ok ? 0 : bad.errno, 22);
  const a = attach(s, 'mq0', IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE);
  const b = attach(s, 'mq0');
  assert.match(out(s, 'ip -d link show mq0'), /tun type tap pi off vnet_hdr off multi_queue numqueues 2 numdisabled 0 persist on addrgenmode eui64 numtxqueues 256 numrxqueues 256 /);
  ok(s, 'ip tuntap del mq0 mode tap multi_queue');
  assert.match(out(s, 'ip -d link show mq0'), /multi_queue numqueues 2 numdisabled 0 persist off /);
  a.close();
  assert.match(out(s, 'ip -d link show mq0'), /multi_queue numqueues 1 numdisabled 0 persist off /);
  b.close();
  assert.equal(s.lab.init.devices.has('mq0'), false);
});

test('tun mode: bare IP packets with the packet-information header; the stack answers a ping', () => {
  const s = session();
  ok(s, 'ip tuntap add tun0 mode tun pi');
  const f = attach(s, 'tun0', IFF_TUN);
  ok(s, 'ip link set tun0 up\nip addr add 198.51.100.1/24 dev tun0');
  assert.equal(out(s, 'ip link show tun0'),
    '2: tun0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP mode DEFAULT group default qlen 500\n' +
    '    link/none \n');
  assert.equal(out(s, 'ip tuntap show'), 'tun0: tun pi persist filter\n');
  // Outgoing: `ping` leaves as [flags 0, proto 0x0800] + the IPv4 packet.
  sh(s, 'ping -c1 -W1 198.51.100.2');
  const sent = f.read();
  assert.ok(sent);
  assert.equal(toHex(sent.subarray(0, 6)), '000008004500');
  assert.equal(sent.length, 4 + 84);
  // Incoming: an echo request from 198.51.100.2 is answered through the same file.
  const req = icmpEcho([198, 51, 100, 2], [198, 51, 100, 1]);
  const pkt = new Uint8Array(4 + req.length);
  pkt.set([0, 0, 0x08, 0x00]); pkt.set(req, 4);
  assert.deepEqual(f.write(pkt), { ok: true, value: pkt.length });
  s.host.runUntil(() => f.pending > 0, 1e9);
  const reply = f.read()!;
  assert.equal(toHex(reply.subarray(0, 4)), '00000800');
  assert.equal(reply[4 + 20], 0, 'ICMP echo reply');
  assert.equal(toHex(reply.subarray(4 + 12, 4 + 20)), 'c6336401c6336402');
  // Without pi, the IP version decides; anything else is EINVAL (and rx_dropped).
  f.close();
  const g = attach(s, 'tun0', IFF_TUN | IFF_NO_PI);
  assert.equal(tunPriv(s.lab.init.devices.get('tun0')!)!.flags & IFF_NO_PI, IFF_NO_PI);
  assert.deepEqual(g.write(new Uint8Array([0x10, 0, 0, 0])), { ok: false, errno: 22 });
  g.close();
});

test('vnet_hdr: frames carry a 10-byte virtio header; TUNSETIFF twice is EEXIST; ip link del detaches', () => {
  const s = session();
  const f = tunOpen(s.lab, s.lab.init);
  let detached = false;
  f.onDetach = () => { detached = true; };
  const r = f.setIff('', IFF_TAP | IFF_NO_PI | IFF_VNET_HDR);
  assert.deepEqual(r, { ok: true, value: 'tap0' });
  assert.deepEqual(f.setIff('tap0', IFF_TAP), { ok: false, errno: 17 });
  ok(s, 'ip link set tap0 up');
  const short = new Uint8Array(9);
  assert.deepEqual(f.write(short), { ok: false, errno: 22 });
  const frame = new Uint8Array(10 + 60);
  frame.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 9, 0x88, 0xb5], 10);
  assert.deepEqual(f.write(frame), { ok: true, value: 70 });
  assert.equal(s.lab.init.devices.get('tap0')!.stats.rxBytes, 60);
  ok(s, 'ip link del tap0');
  assert.equal(detached, true);
  assert.equal(f.dev, null);
  assert.deepEqual(f.write(frame), { ok: false, errno: 77 });
});

test('ls -l: long format with virtual-clock dates; tun sysfs files; /dev/net/tun', () => {
  const s = session();
  ok(s, 'ip tuntap add tap1 mode tap');
  assert.equal(out(s, 'ls -l /dev/net/tun'), 'crw------- 1 root root 10, 200 Jan  1 12:00 /dev/net/tun\n');
  assert.equal(out(s, 'ls -la /dev/net'),
    'total 0\n' +
    'drwxr-xr-x 2 root root      60 Jan  1 12:00 .\n' +
    'drwxr-xr-x 3 root root     180 Jan  1 12:00 ..\n' +
    'crw------- 1 root root 10, 200 Jan  1 12:00 tun\n');
  assert.equal(out(s, 'ls -l /dev/null /dev/net/tun'),
    'crw------- 1 root root 10, 200 Jan  1 12:00 /dev/net/tun\n' +
    'crw-rw-rw- 1 root root  1,   3 Jan  1 12:00 /dev/null\n');
  // Each command starts 2 ms after the previous one (process start-up): the write is at 12:02:05.008.
  ok(s, 'sleep 125\necho hello > /tmp/f1');
  assert.equal(out(s, 'ls -l /tmp/f1 /sys/class/net/tap1/tun_flags'),
    '-r--r--r-- 1 root root 4096 Jan  1 12:00 /sys/class/net/tap1/tun_flags\n' +
    '-rw-r--r-- 1 root root    6 Jan  1 12:02 /tmp/f1\n');
  assert.equal(out(s, 'ls -l --time-style=long-iso /tmp/f1'), '-rw-r--r-- 1 root root 6 2024-01-01 12:02 /tmp/f1\n');
  assert.equal(out(s, 'ls -l --time-style=+%s /tmp/f1'), '-rw-r--r-- 1 root root 6 1704110525 /tmp/f1\n');
  assert.equal(out(s, 'ls -l --full-time /tmp/f1'), '-rw-r--r-- 1 root root 6 2024-01-01 12:02:05.008000000 +0000 /tmp/f1\n');
  assert.equal(out(s, 'ls -l /sys/class/net'),
    'total 0\n' +
    'lrwxrwxrwx 1 root root 0 Jan  1 12:00 lo -> ../../devices/virtual/net/lo\n' +
    'lrwxrwxrwx 1 root root 0 Jan  1 12:00 tap1 -> ../../devices/virtual/net/tap1\n');
  // Older than six months: the year instead of the time.
  ok(s, 'sleep 20000000');
  assert.equal(out(s, 'ls -l /tmp/f1'), '-rw-r--r-- 1 root root 6 Jan  1  2024 /tmp/f1\n');
  // Short format is unchanged, including globs of /dev/tap*.
  assert.equal(out(s, 'ls /dev/net'), 'tun\n');
  const e = sh(s, 'ls -q')[0]!;
  assert.equal(e.stderr, "ls: invalid option -- 'q'\nTry 'ls --help' for more information.\n");
  assert.equal(e.exit, 2);
});

test('macvtap /dev/tapN: dynamic major 246, minors from 1, lowest free reused', () => {
  const s = session();
  ok(s, 'ip link add eth1 type veth peer name wire0\n' +
    'ip link add link eth1 name mvt0 type macvtap\nip link add link eth1 name mvt1 type macvtap');
  assert.equal(out(s, 'ls -l --time-style=+ /dev/tap4 /dev/tap5'),
    'crw------- 1 root root 246, 1  /dev/tap4\ncrw------- 1 root root 246, 2  /dev/tap5\n');
  ok(s, 'ip link del mvt0\nip link add link eth1 name mvt2 type macvtap');
  assert.equal(out(s, 'ls -l --time-style=+ /dev/tap6'), 'crw------- 1 root root 246, 1  /dev/tap6\n');
  assert.equal(out(s, 'ls /dev/tap*'), '/dev/tap5\n/dev/tap6\n');
});
