/**
 * Bad-input properties of the user-space programs: random and grammar-mutated argv through
 * ip, bridge, brctl, ping, arping, tcpdump and sysctl in a lab, and random scripts through the
 * lab's shell. A rejection is a message on stderr and a nonzero status, as the real tools do;
 * a failed "add" leaves nothing half-made; the lab stays consistent after every command.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { Shell, splitScript } from '../../src/shell/index.ts';
import { Lexer, ParseError } from '../../src/shell/lexer.ts';
import { Parser } from '../../src/shell/parser.ts';
import { writePcap } from '../../src/wire/pcap.ts';
import { bridgeOf } from '../../src/core/drivers/bridge/types.ts';
import { badFrame } from './frames.ts';
import { dropReasonChecker, frameImbalance, structureErrors } from './labcheck.ts';
import { BUG_TEXT, LabRun } from './labrun.ts';
import type { Target } from './targets.ts';

/** A small lab with one of everything the commands can name. */
function fixture(): LabRun {
  const r = new LabRun(7);
  for (const l of [
    'ip netns add a', 'ip link add v0 type veth peer name v1', 'ip addr add 192.0.2.10/24 dev v0', 'ip link set v0 up',
    'ip link set v1 up', 'ip link add br0 type bridge', 'ip link add d0 type dummy', 'ip link set d0 master br0',
    'ip link add link v1 name m0 type macvlan mode bridge', 'ip link add link v1 name v1.5 type vlan id 5',
    'ip link set br0 up', 'ip addr add 198.51.100.1/24 dev br0', 'ip link add v2 type veth peer name v3 netns a',
  ]) r.must(l);
  r.advance(2);
  return r;
}

/** Configuration a failed add must not change (neighbours may: a failed ping still resolves). */
function config(r: LabRun): string {
  const parts: string[] = [];
  for (const ns of r.lab.all) {
    const devs = [...ns.byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([i, d]) => {
      const fdb = bridgeOf(d) ? [...bridgeOf(d)!.fdbList].filter((e) => e.addedByUser).map((e) => `${e.mac}@${e.vid}`).join('+') : '';
      return `${i}:${d.name}:${d.kind}:${d.master?.name ?? ''}:${d.isUp ? 'UP' : ''}:${d.mtu}:` +
        `${d.inet.map((x) => `${x.local}/${x.prefixlen}`).join(',')}:${fdb}`;
    });
    const routes = [...ns.fib.tables.values()].flat().map((x) => `${x.dst}/${x.plen}>${x.gateway}@${x.dev?.name ?? ''}`).join(',');
    parts.push(`${ns.label}|${devs.join(' ')}|${routes}`);
  }
  return parts.sort().join('\n');
}

const WORDS: Record<string, string[]> = {
  common: ['v0', 'v1', 'v2', 'br0', 'd0', 'm0', 'v1.5', 'lo', 'nope', 'dev', 'a', '-n', '-4', '-6', '-s', '-d', '-j', '-p', '-c',
    '192.0.2.10', '192.0.2.20', '198.51.100.1', '203.0.113.300', '192.0.2.0/24', '0.0.0.0/0', '02:00:00:00:00:01',
    'ff:ff:ff:ff:ff:ff', 'zz:zz', '-1', '0', '1', '5', '4095', '4096', '65535', '4294967296', '', ' ', '--', '-', 'help'],
  ip: ['link', 'addr', 'address', 'route', 'neigh', 'netns', 'add', 'del', 'set', 'show', 'flush', 'get', 'exec', 'type',
    'veth', 'macvlan', 'macvtap', 'bridge', 'vlan', 'dummy', 'ipvlan', 'bond', 'peer', 'name', 'mode', 'private', 'vepa',
    'passthru', 'source', 'id', 'up', 'down', 'mtu', 'master', 'nomaster', 'netns', 'via', 'lladdr', 'nud', 'permanent',
    'proto', 'scope', 'metric', 'table', 'link', 'address', 'brd', 'label', 'macaddr', 'flag', 'nodst', 'bcqueuelen',
    'stp_state', 'vlan_filtering', 'hairpin', 'learning', 'promisc', 'allmulticast', 'arp', 'off', 'on', '-o', '-br', '-all'],
  bridge: ['fdb', 'link', 'vlan', 'mdb', 'monitor', 'add', 'del', 'replace', 'show', 'append', 'flush', 'master', 'self',
    'static', 'dynamic', 'local', 'permanent', 'vid', 'pvid', 'untagged', 'hairpin', 'learning', 'flood', 'isolated',
    'guard', 'cost', 'priority', 'state', 'on', 'off', 'port', 'dst', 'vni', 'global', 'tunnelshow'],
  brctl: ['addbr', 'delbr', 'addif', 'delif', 'hairpin', 'setageing', 'setbridgeprio', 'setfd', 'sethello', 'setmaxage',
    'setpathcost', 'setportprio', 'show', 'showmacs', 'showstp', 'stp', 'on', 'off', 'yes', '2.5', '1e9'],
  ping: ['-c', '1', '2', '-W', '-w', '-i', '0.2', '0.001', '-I', '-s', '-t', '-q', '-n', '-b', '-f', '-D', '-O', '-p', 'ff',
    '-M', 'do', 'dont', '-4', '-6', '-r', '-R', '-l', '3', '192.0.2.255', '127.0.0.1', '255.255.255.255', '0'],
  arping: ['-c', '-w', '-I', '-D', '-U', '-A', '-b', '-f', '-q', '-s', '-i', '1', '2', '-0', '-B', '-P', '-T'],
  tcpdump: ['-i', 'any', '-c', '-n', '-nn', '-e', '-v', '-vv', '-q', '-t', '-tt', '-x', '-X', '-A', '-s', '-w', '-r', '/tmp/f.pcap',
    '/tmp/bad.pcap', '-Q', 'in', 'out', '--immediate-mode', '--number', 'icmp', 'arp', 'host', 'port', 'and', 'not', '(', ')',
    'ether[0]', '-l', '-p', '-D', '-L', '--version', '-y', 'EN10MB'],
  sysctl: ['-w', '-n', '-q', '-a', '-e', '-N', '-p', 'net.ipv4.ip_forward', 'net.ipv4.ip_forward=1', 'net/ipv4/conf/v0/rp_filter=2',
    'net.ipv4.conf.all.arp_ignore=9', 'net.ipv4.neigh.v0.base_reachable_time_ms=0', 'kernel.hostname', 'net.ipv4.nope=1', '=', 'x='],
};

function words(tool: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...WORDS[tool]!, ...WORDS.common!) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -3, max: 70000 }), fc.constantFrom(2 ** 31, 2 ** 32 + 5, 1e21)).map(String) },
  );
}

/** Valid command lines of each grammar; mutations then break them one or two words at a time. */
const TEMPLATES: string[][] = [
  ['ip', 'link', 'add', 'link', 'v1', 'name', 'm9', 'type', 'macvlan', 'mode', 'vepa'],
  ['ip', 'link', 'add', 'link', 'v1', 'name', 'm9', 'type', 'macvlan', 'mode', 'source', 'macaddr', 'add', '02:00:00:00:00:05'],
  ['ip', 'link', 'add', 'link', 'v1', 'name', 'm9', 'type', 'macvlan', 'mode', 'passthru', 'nopromisc'],
  ['ip', 'link', 'add', 'link', 'v1', 'name', 'mt9', 'type', 'macvtap', 'mode', 'private'],
  ['ip', 'link', 'add', 'x9', 'type', 'veth', 'peer', 'name', 'y9', 'netns', 'a'],
  ['ip', 'link', 'add', 'link', 'v0', 'name', 'v0.9', 'type', 'vlan', 'id', '9', 'protocol', '802.1ad'],
  ['ip', 'link', 'add', 'br9', 'type', 'bridge', 'stp_state', '1', 'forward_delay', '400', 'vlan_filtering', '1'],
  ['ip', 'link', 'add', 'name', 'd9', 'mtu', '9000', 'address', '02:00:00:00:00:09', 'type', 'dummy'],
  ['ip', 'link', 'set', 'dev', 'v1', 'up', 'mtu', '1400', 'address', '02:00:00:00:00:0a', 'master', 'br0'],
  ['ip', 'link', 'set', 'v2', 'netns', 'a', 'name', 'w2'],
  ['ip', 'link', 'set', 'm0', 'type', 'macvlan', 'mode', 'private'],
  ['ip', 'link', 'del', 'dev', 'v1.5'],
  ['ip', 'addr', 'add', '192.0.2.11/24', 'brd', '+', 'dev', 'v0', 'label', 'v0:1'],
  ['ip', 'addr', 'add', '10.0.0.1', 'peer', '10.0.0.2/32', 'dev', 'd0', 'scope', 'link'],
  ['ip', 'addr', 'del', '192.0.2.10/24', 'dev', 'v0'],
  ['ip', 'route', 'add', '203.0.113.0/24', 'via', '192.0.2.1', 'dev', 'v0', 'metric', '10', 'proto', 'static'],
  ['ip', 'route', 'add', 'default', 'via', '198.51.100.2', 'table', '100'],
  ['ip', 'route', 'replace', 'blackhole', '203.0.113.128/25'],
  ['ip', 'route', 'get', '203.0.113.5', 'from', '192.0.2.10', 'oif', 'v0'],
  ['ip', 'neigh', 'add', '192.0.2.20', 'lladdr', '02:00:00:00:00:20', 'dev', 'v0', 'nud', 'permanent'],
  ['ip', 'neigh', 'replace', '192.0.2.21', 'dev', 'v0', 'nud', 'noarp'],
  ['bridge', 'fdb', 'add', '02:00:00:00:00:30', 'dev', 'd0', 'master', 'static', 'vlan', '1'],
  ['bridge', 'fdb', 'del', '02:00:00:00:00:30', 'dev', 'd0', 'master'],
  ['bridge', 'link', 'set', 'dev', 'd0', 'hairpin', 'on', 'learning', 'off', 'cost', '10', 'priority', '3'],
  ['bridge', 'vlan', 'add', 'vid', '10-20', 'dev', 'd0', 'pvid', 'untagged'],
  ['brctl', 'addif', 'br0', 'v1'],
  ['brctl', 'setportprio', 'br0', 'd0', '7'],
  ['ping', '-c', '2', '-i', '0.2', '-W', '1', '-s', '1472', '-M', 'do', '192.0.2.20'],
  ['arping', '-c', '1', '-w', '1', '-I', 'v0', '192.0.2.20'],
  ['tcpdump', '-i', 'v0', '-c', '1', '-nn', '-e', 'icmp', 'and', 'host', '192.0.2.20'],
  ['sysctl', '-w', 'net.ipv4.conf.v0.arp_announce=2'],
];

type Edit = { k: 'drop' | 'dup' | 'swap'; at: number } | { k: 'put'; at: number; w: string };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ k: fc.constantFrom('drop' as const, 'dup' as const, 'swap' as const), at: fc.nat(20) }),
  fc.record({ k: fc.constant('put' as const), at: fc.nat(20), w: words('ip') }),
);

function applyEdits(argv: string[], edits: readonly Edit[]): string[] {
  const a = [...argv];
  for (const e of edits) {
    // Never change the program name: the point is each program's own parser.
    const i = 1 + (e.at % Math.max(1, a.length - 1));
    if (e.k === 'drop') a.splice(i, 1);
    else if (e.k === 'dup') a.splice(i, 0, a[i] ?? '');
    else if (e.k === 'swap' && i + 1 < a.length) [a[i], a[i + 1]] = [a[i + 1]!, a[i]!];
    else if (e.k === 'put') a.splice(i, 1, e.w);
  }
  return a;
}

export const randomArgv = fc.constantFrom('ip', 'bridge', 'brctl', 'ping', 'arping', 'tcpdump', 'sysctl')
  .chain((tool) => fc.array(words(tool), { maxLength: 10 }).map((w) => [tool, ...w]));
export const mutatedArgv = fc.tuple(fc.constantFrom(...TEMPLATES), fc.array(edit, { maxLength: 3 })).map(([t, e]) => applyEdits(t, e));

/** Does this command only add things (so failing must leave the configuration as it was)? */
function isAdd(argv: readonly string[]): boolean {
  const s = argv.filter((w) => !w.startsWith('-')).join(' ');
  return /^ip (link|addr|address|route|neigh) add\b/.test(s) || /^bridge (fdb|vlan) add\b/.test(s) || /^brctl (addbr|addif)\b/.test(s);
}

/**
 * Failures the real programs report with a status only, checked against iproute2 6.1 / iputils:
 * ping and arping say "no reply" with status 1; iproute2's macvlan parser returns silently when
 * a `macaddr` word parses as a link address of the wrong length ("bond" reads as the 1-byte 0x0b).
 */
const SILENT_OK: RegExp[] = [
  /^(ping|arping) /,
  /^ip .*\btype (macvlan|macvtap)\b.*\bmacaddr (add|del|set)\b/,
];
function silentFailureOk(argv: readonly string[], code: number): boolean {
  const line = argv.join(' ') + ' ';
  if (argv[0] === 'ping' || argv[0] === 'arping') return code === 1;
  return SILENT_OK.some((re) => re.test(line));
}

function checkCommand(r: LabRun, argv: string[], netns = ''): void {
  const before = config(r);
  const drops = dropReasonChecker(r.lab);
  const res = r.run(argv, netns, 10);
  const line = argv.map((w) => JSON.stringify(w)).join(' ');
  assert.deepEqual(r.crashes, [], `${line} threw`);
  assert.doesNotMatch(res.err, BUG_TEXT, `${line}: stderr ${JSON.stringify(res.err)}`);
  assert.doesNotMatch(res.out, /internal error|\bNaN\b|\[object /, `${line}: stdout ${JSON.stringify(res.out)}`);
  assert.ok(Number.isInteger(res.code) && res.code >= 0 && res.code <= 255, `${line}: status ${res.code}`);
  if (res.code !== 0 && !res.interrupted && !silentFailureOk(argv, res.code)) {
    // Never silent; but some real messages go to stdout (iproute2's per-kind usage texts,
    // brctl's usage), and vnet prints them where the real programs do.
    assert.ok((res.err + res.out).trim().length > 0, `${line}: status ${res.code} without a message`);
  }
  if (res.code !== 0 && isAdd(argv)) assert.equal(config(r), before, `${line} failed (${res.err.trim()}) but changed the configuration`);
  r.advance(3);
  assert.deepEqual(structureErrors(r.lab), [], `after ${line}`);
  assert.deepEqual(drops.errors, [], `after ${line}`);
  assert.equal(frameImbalance(r.lab), 0, `after ${line}: frames unaccounted for ${JSON.stringify(r.lab.counters)}`);
}

/** tcpdump -r has a file to read: a valid capture and a damaged one. */
function withFiles(r: LabRun, frames: Uint8Array[], cut: number): void {
  const good = writePcap(frames.map((data, i) => ({ data, tsNs: i * 1000 })));
  r.s.fs.writeBytes('/tmp/f.pcap', good, false);
  r.s.fs.writeBytes('/tmp/bad.pcap', good.slice(0, Math.max(0, good.length - cut)), false);
}

const toolArgv: Target = {
  name: 'tool-argv', group: 'tools', runs: 300,
  property: () => fc.property(fc.array(fc.tuple(randomArgv, fc.constantFrom('', '', 'a')), { minLength: 1, maxLength: 4 }),
    fc.array(badFrame, { maxLength: 3 }), fc.nat(40), (cmds, frames, cut) => {
      const r = fixture();
      withFiles(r, frames, cut);
      for (const [argv, ns] of cmds) checkCommand(r, argv, ns);
    }),
};

const toolGrammar: Target = {
  name: 'tool-grammar', group: 'tools', runs: 500,
  property: () => fc.property(fc.array(mutatedArgv, { minLength: 1, maxLength: 4 }), (cmds) => {
    const r = fixture();
    for (const argv of cmds) checkCommand(r, argv);
  }),
};

const SHELL_TOKENS = ['ip', 'link', 'add', 'set', 'up', 'x0', 'type', 'dummy', 'veth', 'peer', 'name', 'x1', 'netns', 'exec', 'n1',
  'ping', '-c1', '-W1', '192.0.2.1', 'sleep', '0.5', '1', 'tcpdump', '-i', 'any', '-c', '&', 'wait', 'kill', '$!', '%1', 'timeout',
  'echo', 'cat', '/proc/net/dev', '/sys/class/net/x0/mtu', '>', '>>', '<', '2>&1', '|', '||', '&&', ';', '\n', 'if', 'then',
  'fi', 'for', 'i', 'in', 'do', 'done', 'while', 'true', 'false', '(', ')', '{', '}', '$(', '`', '"', "'", '$((', '))', '$x',
  'x=1', 'set', '-e', 'bash', '-c', 'exit', 'trap', 'EXIT', 'f()', 'f', 'return', 'sysctl', '-w', 'net.ipv4.ip_forward=1',
  'echo 1 > /proc/sys/net/ipv4/ip_forward', 'ip netns add n1', 'ip link add x0 type veth peer name x1'];

/** Random scripts in a lab's shell: a status at the end, never an exception, never unbounded time. */
const shellScript: Target = {
  name: 'shell-lab-script', group: 'tools', runs: 300,
  property: () => fc.property(fc.array(fc.constantFrom(...SHELL_TOKENS), { maxLength: 40 }).map((t) => t.join(' ')), (text) => {
    const r = new LabRun(3);
    let err = '';
    const sh = new Shell(r.s.host, { scriptName: 'fuzz', maxLoopIterations: 50, maxWaitSeconds: 20, maxFuncDepth: 20,
      onOutput: (fd, t) => { if (fd === 2) err += t; } });
    const t0 = r.lab.clock.now;
    const res = sh.runScript(text);
    assert.ok(Number.isInteger(res.status) && res.status >= 0 && res.status <= 255, `status ${res.status}`);
    assert.deepEqual(r.crashes, []);
    assert.doesNotMatch(err, /internal error|TypeError|RangeError|is not a function|Cannot read prop/, err);
    // Waits are cut at 20 s; the longest sleep these words can ask for is a PID (`sleep $!`, ~1000).
    assert.ok(r.lab.clock.now - t0 <= 1e5 * 1e9, `ran ${(r.lab.clock.now - t0) / 1e9} s of virtual time`);
    assert.deepEqual(structureErrors(r.lab), []);
  }),
};

/** Bash built from its grammar (nested compounds, quotes, expansions, here-documents), then damaged. */
const bashWord = fc.constantFrom('echo', 'x', '"$x"', "'a b'", '$(echo y)', '`true`', '${x:-d}', '$((1+2))', '*', 'a\\ b', '"${#x}"', '$?', '~');
export const bash: fc.Arbitrary<string> = fc.letrec<{ cmd: string; list: string }>((tie) => ({
  cmd: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    fc.array(bashWord, { minLength: 1, maxLength: 4 }).map((w) => w.join(' ')),
    // A newline (not `;`) ends each inner list: a here-document's body must follow its line.
    tie('list').map((l) => `if ${l}\nthen ${l}\nelse ${l}\nfi`),
    tie('list').map((l) => `while false; do ${l}\ndone`),
    tie('list').map((l) => `for i in 1 2; do ${l}\ndone`),
    tie('list').map((l) => `case $x in a|b) ${l}\n;; *) ${l}\n;; esac`),
    tie('list').map((l) => `( ${l}\n)`),
    tie('list').map((l) => `{ ${l}\n}`),
    tie('list').map((l) => `f() { ${l}\n}; f`),
    tie('list').map((l) => `echo "$( ${l}\n)"`),
    fc.constantFrom('cat <<EOF\nbody $x\nEOF\n', "cat <<'E'\n$(no)\nE\n", 'x=$((2**10)) y=${x/1/2}', '[[ $x == a* ]]', '(( x++ ))'),
  ),
  list: fc.array(fc.tuple(tie('cmd'), fc.constantFrom(' && ', ' || ', ' | ', '; ', '\n', ' & ')), { minLength: 1, maxLength: 3 })
    .map((xs) => xs.map(([c, sep], i) => (i < xs.length - 1 ? c + (c.endsWith('\n') ? '' : sep) : c)).join('')),
})).list;

const textEdit = fc.record({ at: fc.nat(1000), del: fc.nat(3), ins: fc.constantFrom('', '"', "'", '`', '$(', ')', '}', '{', '\\', '\n', ';', '&', '<<', 'EOF', 'fi', 'done') });

/** The lexer, parser and splitScript: tokens or a ParseError, always progress, never another exception. */
const shellParse: Target = {
  name: 'shell-parse', group: 'tools', runs: 500,
  property: () => fc.property(bash, fc.array(textEdit, { maxLength: 3 }), (src, edits) => {
    let s = src;
    for (const e of edits) {
      const at = Math.floor((e.at * s.length) / 1000);
      s = s.slice(0, at) + e.ins + s.slice(at + e.del);
    }
    try {
      const lx = new Lexer(s);
      for (let n = 0; lx.next().k !== 'eof'; n++) assert.ok(n <= s.length + 1, 'the lexer made no progress');
    } catch (e) { if (!(e instanceof ParseError)) throw e; }
    const p = new Parser(s);
    try {
      for (let i = 0; p.parseUnit(); i++) assert.ok(i <= s.length, 'the parser made no progress');
    } catch (e) { if (!(e instanceof ParseError)) throw e; }
    const r = splitScript(s);
    if (!r.ok) assert.match(r.error, /^vnet: line \d+: /);
    // Unedited scripts are valid bash and must parse.
    if (!edits.length) assert.ok(r.ok, `valid script refused: ${!r.ok ? r.error : ''}\n${s}`);
  }),
};

const HAVE_BASH = spawnSync('bash', ['-c', 'true']).status === 0;

/**
 * Differential: a script `bash -n` accepts must parse in vnet too (a user's valid script must not
 * be refused). Needs bash; fuzz-only (runs: 0 in npm test) until the known differences are fixed.
 */
const shellVsBash: Target = {
  name: 'shell-vs-bash', group: 'tools', runs: 0,
  property: () => fc.property(bash, fc.array(textEdit, { maxLength: 2 }), (src, edits) => {
    if (!HAVE_BASH) return;
    let s = src;
    for (const e of edits) {
      const at = Math.floor((e.at * s.length) / 1000);
      s = s.slice(0, at) + e.ins + s.slice(at + e.del);
    }
    // bash -n reports some errors (inside [[ ]]) and still exits 0: silence is the verdict.
    const b = spawnSync('bash', ['-n'], { input: s, encoding: 'utf8' });
    const bashOk = b.status === 0 && b.stderr === '';
    const r = splitScript(s);
    if (bashOk) assert.ok(r.ok, `bash -n accepts, vnet refuses: ${!r.ok ? r.error : ''}\n${s}`);
  }),
};

export const TOOL_TARGETS: Target[] = [toolArgv, toolGrammar, shellScript, shellParse, shellVsBash];
