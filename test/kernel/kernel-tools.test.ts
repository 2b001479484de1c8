/**
 * Tests of the differential test's own tools: the normaliser, the stand-in splitter and (as root)
 * the kernel runner's bookkeeping.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns, lineDiff, macOfLinkLocal, normalizeRun } from './normalize.ts';
import { splitScriptFallback } from './split.ts';
import { kernelAvailable, runOnKernel } from './kernel-runner.ts';
import { parseHeader } from './scenario.ts';

const rec = (stdout: string, stderr = '') => ({ line: 1, command: 'x', exit: 0, stdout, stderr });

test('normalize: random MACs become <macN> in order of first appearance, fixed ones stay', () => {
  const script = 'ip link add v0 address 02:00:00:00:00:10 type veth';
  const out = normalizeRun(
    [
      rec('link/ether 4a:70:34:90:56:81 brd ff:ff:ff:ff:ff:ff\nlink/ether 02:00:00:00:00:10 brd ff:ff:ff:ff:ff:ff\n'),
      rec('x 1A:1D:42:72:B3:41 y 4a:70:34:90:56:81 33:33:00:00:00:01 33:33:ff:90:56:81 33:33:ff:00:00:10\n'),
    ],
    script,
  );
  assert.equal(out[0]!.stdout, 'link/ether <mac1> brd ff:ff:ff:ff:ff:ff\nlink/ether 02:00:00:00:00:10 brd ff:ff:ff:ff:ff:ff\n');
  assert.equal(out[1]!.stdout, 'x <mac2> y <mac1> 33:33:00:00:00:01 <mac3> 33:33:ff:00:00:10\n');
});

test('normalize: link-locals of random MACs, bridge ids, ping times, bridge timers, ICMP ids', () => {
  assert.equal(macOfLinkLocal('fe80::70d2:b2ff:fea2:2ed9'), '72:d2:b2:a2:2e:d9');
  assert.equal(macOfLinkLocal('fe80::ff:fe00:10'), '02:00:00:00:00:10');
  const script = 'address 02:00:00:00:00:10';
  const [r] = normalizeRun(
    [
      rec(
        [
          '    inet6 fe80::70d2:b2ff:fea2:2ed9/64 scope link ',
          '    inet6 fe80::ff:fe00:10/64 scope link ',
          'br0\t\t8000.121ea23988b8\tno\t\tp1',
          'bridge_id 8000.12:1e:a2:39:88:b8 designated_root 8000.2:0:0:0:0:10 gc_timer  298.94 hold_timer    0.00',
          '64 bytes from 192.0.2.1: icmp_seq=1 ttl=64 time=0.062 ms',
          '1 packets transmitted, 1 received, 0% packet loss, time 1001ms',
          'rtt min/avg/max/mdev = 0.054/0.065/0.076/0.011 ms',
          '02:00:00:00:00:10 > 02:00:00:00:00:10, ethertype IPv4 (0x0800), length 98: 192.0.2.1 > 192.0.2.2: ICMP echo request, id 36, seq 1, length 64',
          '  1\t02:00:00:00:00:10\tno\t\t   0.02',
          '',
        ].join('\n'),
      ),
    ],
    script,
  );
  assert.equal(
    r!.stdout,
    [
      '    inet6 <ll1>/64 scope link ',
      '    inet6 fe80::ff:fe00:10/64 scope link ',
      'br0\t\t8000.<mac1>\tno\t\tp1',
      'bridge_id 8000.<mac1> designated_root 8000.2:0:0:0:0:10 gc_timer X hold_timer X',
      '64 bytes from 192.0.2.1: icmp_seq=1 ttl=64 time=X ms',
      '1 packets transmitted, 1 received, 0% packet loss, time Xms',
      'rtt min/avg/max/mdev = X/X/X/X ms',
      '02:00:00:00:00:10 > 02:00:00:00:00:10, ethertype IPv4 (0x0800), length 98: 192.0.2.1 > 192.0.2.2: ICMP echo request, id X, seq 1, length 64',
      '  1\t02:00:00:00:00:10\tno\t\tX',
      '',
    ].join('\n'),
  );
});

test('compareRuns reports missing, extra and differing records; lineDiff marks both sides', () => {
  const k = [rec('a\nb\n'), { ...rec(''), exit: 2 }];
  const v = [rec('a\nc\n')];
  const mm = compareRuns(k, v);
  assert.deepEqual(
    mm.map((m) => m.field),
    ['stdout', 'missing'],
  );
  assert.equal(lineDiff('a\nb', 'a\nc'), '  a\n- b\n+ c');
});

test('stand-in splitter: lists, background, compound commands, here-docs, continuations', () => {
  const r = splitScriptFallback(
    '# c\necho a; echo b &\nif true; then\n  echo x\nfi\ncat <<E\n; not a command\nE\nfoo && \\\n  bar\nping -c1 x 2>&1 | grep y\n',
  );
  assert.ok(r.ok);
  assert.deepEqual(
    r.commands.map((c) => [c.line, c.command]),
    [
      [2, 'echo a'],
      [2, 'echo b &'],
      [3, 'if true; then\n  echo x\nfi'],
      [6, 'cat <<E\n; not a command\nE'],
      [9, 'foo && \\\n  bar'],
      [11, 'ping -c1 x 2>&1 | grep y'],
    ],
  );
});

test('scenario header', () => {
  assert.deepEqual(parseHeader('# world: default\n# requires: 8021q, ipvlan\n# rule: r (ref 1)\nip link\n# world: none\n'), {
    world: 'default',
    requires: ['8021q', 'ipvlan'],
    rule: 'r (ref 1)',
    knownGap: '',
  });
  assert.equal(parseHeader('# known-gap: reading /dev/tapN\n').knownGap, 'reading /dev/tapN');
});

const avail = kernelAvailable();
test('kernel runner: state carries over, $? is kept, set -e stops, bash messages keep script lines', { skip: avail.ok ? false : avail.reason }, async () => {
  const script = [
    '# header',
    'x=5; false',
    'echo "$x $?"',
    'nosuchcmd',
    'sleep 30 &',
    'echo $! >/dev/null; y=$((1+)); echo skipped',
    'echo "after $?"',
    'ip link show lo | head -1',
    'set -e',
    'false',
    'echo never',
  ].join('\n');
  const r = await runOnKernel(script, { timeoutMs: 20_000, scriptName: 'lab.sh' });
  assert.equal(r.skipped, undefined);
  const got = r.records.map((x) => [x.line, x.command, x.exit, x.stdout, x.stderr]);
  assert.deepEqual(got, [
    [2, 'x=5', 0, '', ''],
    [2, 'false', 1, '', ''],
    [3, 'echo "$x $?"', 0, '5 1\n', ''],
    [4, 'nosuchcmd', 127, '', 'lab.sh: line 4: nosuchcmd: command not found\n'],
    [5, r.records[4]!.command, 0, '', ''],
    [6, 'echo $! >/dev/null', 0, '', ''],
    [6, 'y=$((1+))', 1, '', 'lab.sh: line 6: 1+: syntax error: operand expected (error token is "+")\n'],
    [7, 'echo "after $?"', 0, 'after 1\n', ''],
    [8, 'ip link show lo | head -1', 0, '1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n', ''],
    [9, 'set -e', 0, '', ''],
    [10, 'false', 1, '', ''],
  ]);
  assert.ok(r.durationMs < 10_000, 'the background sleep must have been terminated');
});
