import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTcpdumpArgs, TCPDUMP_VERSION_TEXT } from '../../src/tools/tcpdump/args.ts';
import { arpPacket, ethernetFrame } from '../../src/wire/build.ts';
import { MAC_BROADCAST } from '../../src/wire/mac.ts';
import { writePcap } from '../../src/wire/pcap.ts';

const HAVE_TCPDUMP = spawnSync('tcpdump', ['--version']).status === 0;
const skip = HAVE_TCPDUMP ? false : 'tcpdump binary not installed';
const dir = mkdtempSync(join(tmpdir(), 'vnet-args-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'a.pcap');
writeFileSync(file, writePcap([0, 1, 2].map((i) => ({ tsNs: i * 1e9, data: ethernetFrame(MAC_BROADCAST, 2, 0x0806, arpPacket({ oper: 1, sha: 2, spa: 1, tha: 0, tpa: 3 })) }))));

function real(argv: string[]) {
  const r = spawnSync('tcpdump', argv, { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, timeout: 5000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

test('usage errors and early failures match tcpdump byte for byte', { skip }, () => {
  const cases = [
    ['-k'], ['-i'], ['--foo'], ['--interface'], ['--n'], ['--d'], ['--m'], ['--li'], ['--print=1'], ['--count=2'],
    ['-c', '0', '-r', file], ['-c', 'abc', '-r', file], ['-c', '-5'], ['-s', '999999'], ['-s', 'x'], ['-s', '-1'],
    ['-Q', 'sideways'], ['--time-stamp-precision=pico'], ['-y', 'FOO'], ['-W', '0'], ['-nk'], ['-r'], ['-vvvc'],
    ['--direction', 'both'], ['--snapshot-length=12x'], ['-B', '0'], ['-C', '0'], ['--help=x'], ['--versio=1'],
  ];
  for (const argv of cases) {
    const want = real(argv);
    const got = parseTcpdumpArgs(argv);
    assert.notEqual(got.kind, 'run', JSON.stringify(argv));
    if (got.kind === 'run') continue;
    assert.equal(got.kind === 'error' ? got.stderr : got.stdout, got.kind === 'error' ? want.stderr : want.stdout, JSON.stringify(argv));
    assert.equal(got.status, want.status, JSON.stringify(argv));
  }
});

test('-h, --help and --version print like tcpdump', { skip }, () => {
  for (const argv of [['-h'], ['--help'], ['--hel'], ['--version'], ['--vers'], ['-nh']]) {
    const want = real(argv);
    const got = parseTcpdumpArgs(argv);
    assert.deepEqual(got, { kind: 'exit', stdout: want.stdout, stderr: '', status: want.status }, JSON.stringify(argv));
  }
  assert.ok(TCPDUMP_VERSION_TEXT.startsWith('tcpdump version 4.99.3\n'));
});

test('options, clusters, long-option prefixes and permuted operands', () => {
  const r = parseTcpdumpArgs(['-nnvvi', 'eth0', 'arp', '-c5', 'or', '--num', 'icmp', '-s', '0x40', '--nano', '-tttt', '-Qin', '--', '-x']);
  assert.equal(r.kind, 'run');
  if (r.kind !== 'run') return;
  const a = r.args;
  assert.deepEqual(
    [a.n, a.v, a.interface, a.count, a.number, a.snaplen, a.precision, a.t, a.direction, a.expression],
    [2, 2, 'eth0', 5, true, 64, 'nano', 4, 'in', 'arp or icmp -x'],
  );
  const w = parseTcpdumpArgs(['-w', '-', '-U', '-i', 'any', '--print', 'not', 'arp']);
  assert.ok(w.kind === 'run' && w.args.writeFile === '-' && w.args.packetBuffered && w.args.print && w.args.expression === 'not arp');
});

test('tcpdump accepts the argument vectors we accept', { skip }, () => {
  for (const argv of [
    ['-r', file, 'arp', '-c', '1', '-nn'], ['-nnr', file, '-c1', '--num'], ['-r', file, '--', 'arp'],
    ['--snapshot-length=100', '-r', file, '-e'], ['-r', file, '-q', '-t', 'not', 'ip'],
  ]) {
    assert.equal(parseTcpdumpArgs(argv).kind, 'run');
    const r = real(argv);
    assert.equal(r.status, 0, `${argv.join(' ')}: ${r.stderr}`);
  }
  const r = real(['-r', file, 'arp', '-c', '1', '-nn']);
  assert.equal(r.stdout.trimEnd().split('\n').length, 1);
});
