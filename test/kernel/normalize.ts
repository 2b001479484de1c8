/**
 * Normalisation for the differential test: removes ONLY what must differ between a vnet run and a
 * kernel run of the same script, then compares exit statuses, stdout and stderr exactly.
 *
 * What is normalised, and why (anything not listed here is compared byte for byte):
 *
 *  1. ping/arping round-trip times — wall-clock measurements:
 *       `time=0.062 ms` → `time=X ms`; the statistics line's `, time 1001ms` → `, time Xms`;
 *       `rtt min/avg/max/mdev = a/b/c/d ms` → `rtt min/avg/max/mdev = X/X/X/X ms`;
 *       arping's `time=12.345 usec` → `time=X usec` and its `rtt min/avg/max/std-dev` line likewise.
 *  2. MAC addresses the script does not fix — the kernel draws them at random
 *     (eth_hw_addr_random). Every MAC that appears neither in the script text nor in the world text
 *     becomes `<mac1>`, `<mac2>`, … numbered in order of first appearance across the whole run
 *     (records in order, stdout before stderr), so the same device keeps the same placeholder.
 *     Kept as they are: MACs in the script/world, ff:ff:ff:ff:ff:ff, 00:00:00:00:00:00, and group
 *     MACs (I/G bit set; they are derived from IP groups), except IPv6 solicited-node MACs
 *     33:33:ff:xx:xx:xx whose low 24 bits come from a random MAC (those are mapped like a MAC).
 *     The same mapping applies to the MAC inside bridge ids: brctl's `8000.121ea23988b8` and
 *     iproute2's unpadded `8000.4a:a1:93:d:b9:20` (bridge_id/designated_root/designated_bridge).
 *  3. IPv6 link-local addresses made from such a MAC (EUI-64, fe80::…): `<ll1>`, `<ll2>`, … in order
 *     of first appearance; a link-local made from a fixed MAC is kept.
 *  4. Bridge timers that count wall-clock time (`ip -d link` hello_timer, tcn_timer,
 *     topology_change_timer, gc_timer, hold_timer, message_age_timer, forward_delay_timer; the
 *     `ageing timer` column of `brctl showmacs`; `bridge -s fdb`'s `used A/B`): the value becomes `X`.
 *     Reason: they tick in real time on the kernel and in virtual time in vnet, and the kernel's
 *     value depends on scheduling (e.g. gc_timer 298.94 vs 298.93).
 *  5. tcpdump's per-packet wall-clock timestamp at the start of a line (`12:34:56.789012 `) becomes
 *     `HH:MM:SS.micros `. Reason: wall-clock time. (Scenarios should prefer `tcpdump -t`.)
 *  6. The ICMP echo identifier in tcpdump lines (`ICMP echo request, id 36, seq 1`) becomes `id X`.
 *     Reason: ping takes it from its process id (a real pid on the kernel, a virtual one in vnet).
 *
 * ifindexes are NOT normalised by default. Reason: the kernel allocates them per network namespace
 * from 1 (lo) upwards with no reuse (reference §7.3), every kernel run starts in a fresh namespace,
 * and repeated kernel runs of every scenario gave identical indexes — so they are deterministic and
 * vnet must reproduce them. `normalizeRun(…, { ifindex: true })` maps `N:` at line starts, `@ifN`
 * and `/dev/tapN` to placeholders for scripts that really cannot fix them.
 */

/** `ip [opts] neigh|neighbour|n [show|list|ls] …` (also through `ip netns exec NS` or `ip -n NS`). */
const NEIGH_SHOW = /\bip\s+(?:-\S+\s+(?:\S+\s+)?)*?n(?:e(?:i(?:g(?:h(?:b(?:o(?:u(?:r)?)?)?)?)?)?)?)?(?:\s+(?:show|list|ls|sh|s)\b.*|\s*$|\s+(?:dev|to|nud|proxy)\b.*)/;

export interface RunRecord {
  line: number;
  command: string;
  exit: number;
  stdout: string;
  stderr: string;
}

export interface NormalizeOptions {
  /** Text of the world script (its fixed MACs count as fixed). */
  worldText?: string;
  /** Also map ifindexes to placeholders (off by default, see above). */
  ifindex?: boolean;
}

const MAC_RE = /\b[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}\b/g;
const BRIDGE_ID_RE = /\b([0-9a-f]{4})\.((?:[0-9a-f]{1,2}:){5}[0-9a-f]{1,2}|[0-9a-f]{12})\b/g;
const FE80_RE = /\bfe80::?[0-9a-f:]*[0-9a-f]/gi;

/** All MAC addresses written in a text, lower-cased. */
export function macsIn(text: string): Set<string> {
  const s = new Set<string>();
  for (const m of text.matchAll(MAC_RE)) s.add(m[0].toLowerCase());
  return s;
}

/** Expands an IPv6 address to 8 groups of numbers, or undefined. */
function parseIPv6(addr: string): number[] | undefined {
  const a = addr.toLowerCase();
  const halves = a.split('::');
  if (halves.length > 2) return undefined;
  const part = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const head = part(halves[0]!);
  const tail = halves.length === 2 ? part(halves[1]!) : [];
  if (head.some(Number.isNaN) || tail.some(Number.isNaN)) return undefined;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return undefined;
  return [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
}

/** The MAC an EUI-64 link-local was made from, or undefined if it is not EUI-64 shaped. */
export function macOfLinkLocal(addr: string): string | undefined {
  const g = parseIPv6(addr);
  if (!g || g[0] !== 0xfe80 || g[1] !== 0 || g[2] !== 0 || g[3] !== 0) return undefined;
  const b = [g[4]! >> 8, g[4]! & 255, g[5]! >> 8, g[5]! & 255, g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255];
  if (b[3] !== 0xff || b[4] !== 0xfe) return undefined;
  const mac = [b[0]! ^ 0x02, b[1]!, b[2]!, b[5]!, b[6]!, b[7]!];
  return mac.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** Normaliser state for one run: placeholders are numbered across all records of the run. */
export class Normalizer {
  private readonly fixed: Set<string>;
  private readonly fixedLow24: Set<string>;
  private readonly macs = new Map<string, string>();
  private readonly lls = new Map<string, string>();
  private readonly ifindexes = new Map<string, string>();

  constructor(
    scriptText: string,
    private readonly opts: NormalizeOptions = {},
  ) {
    this.fixed = macsIn(scriptText + '\n' + (opts.worldText ?? ''));
    this.fixed.add('ff:ff:ff:ff:ff:ff');
    this.fixed.add('00:00:00:00:00:00');
    this.fixedLow24 = new Set([...this.fixed].map((m) => m.slice(9)));
  }

  private keepMac(mac: string): boolean {
    if (this.fixed.has(mac)) return true;
    const first = parseInt(mac.slice(0, 2), 16);
    if (first & 1) {
      // group MAC: deterministic, except solicited-node MACs of random link-locals
      if (mac.startsWith('33:33:ff:')) return this.fixedLow24.has(mac.slice(9));
      return true;
    }
    return false;
  }

  /** Placeholder for a MAC (lower-case colon form), or the MAC itself when it is fixed. */
  mac(mac: string): string {
    const m = mac.toLowerCase();
    if (this.keepMac(m)) return mac;
    let p = this.macs.get(m);
    if (!p) {
      p = `<mac${this.macs.size + 1}>`;
      this.macs.set(m, p);
    }
    return p;
  }

  private linkLocal(addr: string): string {
    const mac = macOfLinkLocal(addr);
    if (mac !== undefined && this.keepMac(mac)) return addr;
    const key = addr.toLowerCase();
    let p = this.lls.get(key);
    if (!p) {
      p = `<ll${this.lls.size + 1}>`;
      this.lls.set(key, p);
    }
    return p;
  }

  private index(n: string): string {
    let p = this.ifindexes.get(n);
    if (!p) {
      p = `<if${this.ifindexes.size + 1}>`;
      this.ifindexes.set(n, p);
    }
    return p;
  }

  text(s: string): string {
    if (s === '') return s;
    let t = s;
    // 1. ping / arping times
    t = t.replace(/\btime=[0-9]+(?:\.[0-9]+)? (ms|usec|msec|sec)\b/g, 'time=X $1');
    t = t.replace(/, time [0-9]+ms$/gm, ', time Xms');
    t = t.replace(/^rtt min\/avg\/max\/mdev = [0-9./]+ ms$/gm, 'rtt min/avg/max/mdev = X/X/X/X ms');
    t = t.replace(/^rtt min\/avg\/max\/std-dev = [0-9./]+ ms$/gm, 'rtt min/avg/max/std-dev = X/X/X/X ms');
    // 4. bridge timers
    t = t.replace(
      /\b(hello_timer|tcn_timer|topology_change_timer|gc_timer|hold_timer|message_age_timer|forward_delay_timer) +[0-9]+\.[0-9]+/g,
      '$1 X',
    );
    t = t.replace(/^( +[0-9]+\t[0-9a-fA-F:]{17}\t(?:yes|no)\t\t) *[0-9]+\.[0-9]+$/gm, '$1X');
    t = t.replace(/\bused [0-9]+\/[0-9]+ /g, 'used X/X ');
    // 5. tcpdump timestamps, 6. ICMP echo identifiers
    t = t.replace(/^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} /gm, 'HH:MM:SS.micros ');
    t = t.replace(/\b(ICMP echo (?:request|reply)), id [0-9]+, seq\b/g, '$1, id X, seq');
    // 2. bridge ids, then MACs, then 3. link-locals
    t = t.replace(BRIDGE_ID_RE, (all, prio: string, addr: string) => {
      const bytes = addr.includes(':') ? addr.split(':') : addr.match(/../g)!;
      const mac = bytes.map((b) => b.padStart(2, '0')).join(':');
      const p = this.mac(mac);
      return p === mac ? all : `${prio}.${p}`;
    });
    t = t.replace(MAC_RE, (m) => this.mac(m));
    t = t.replace(FE80_RE, (a) => (parseIPv6(a) ? this.linkLocal(a) : a));
    if (this.opts.ifindex) {
      t = t.replace(/^([0-9]+)(?=: )/gm, (n) => this.index(n));
      t = t.replace(/@if([0-9]+)\b/g, (_a, n: string) => `@if${this.index(n)}`);
      t = t.replace(/\/dev\/tap([0-9]+)\b/g, (_a, n: string) => `/dev/tap${this.index(n)}`);
    }
    return t;
  }

  record<R extends RunRecord>(r: R): R {
    let raw = r.stdout;
    // 7. `ip neigh show` lists entries in hash order, and the kernel seeds that hash at random
    //    (neigh_hash_alloc), so only the set of lines is comparable: they are sorted (before MAC
    //    placeholders are numbered, so the numbering does not depend on the listing order).
    if (NEIGH_SHOW.test(r.command) && !/\s-j(son)?\b/.test(r.command)) {
      const lines = raw.split('\n');
      const last = lines.pop() ?? '';
      raw = lines.sort().join('\n') + (lines.length ? '\n' : '') + last;
    }
    return { ...r, stdout: this.text(raw), stderr: this.text(r.stderr) };
  }
}

/** Normalises every record of one run (one Normalizer, so placeholders are consistent). */
export function normalizeRun<R extends RunRecord>(records: readonly R[], scriptText: string, opts: NormalizeOptions = {}): R[] {
  const n = new Normalizer(scriptText, opts);
  return records.map((r) => n.record(r));
}

export interface Mismatch {
  index: number;
  line: number;
  command: string;
  field: 'missing' | 'extra' | 'command' | 'exit' | 'stdout' | 'stderr';
  expected: string;
  got: string;
}

/**
 * Compares two normalised runs record by record. `expected` is the kernel, `got` is vnet.
 * Returns every mismatch (empty = identical).
 */
export function compareRuns(expected: readonly RunRecord[], got: readonly RunRecord[]): Mismatch[] {
  const out: Mismatch[] = [];
  const n = Math.max(expected.length, got.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const g = got[i];
    if (!e) {
      out.push({ index: i, line: g!.line, command: g!.command, field: 'extra', expected: '(no record: the kernel run had stopped)', got: `exit ${g!.exit}` });
      continue;
    }
    if (!g) {
      out.push({ index: i, line: e.line, command: e.command, field: 'missing', expected: `exit ${e.exit}`, got: '(no record: the vnet run had stopped)' });
      continue;
    }
    if (e.command !== g.command || e.line !== g.line) {
      out.push({ index: i, line: e.line, command: e.command, field: 'command', expected: `line ${e.line}: ${e.command}`, got: `line ${g.line}: ${g.command}` });
    }
    if (e.exit !== g.exit) out.push({ index: i, line: e.line, command: e.command, field: 'exit', expected: String(e.exit), got: String(g.exit) });
    if (e.stdout !== g.stdout) out.push({ index: i, line: e.line, command: e.command, field: 'stdout', expected: e.stdout, got: g.stdout });
    if (e.stderr !== g.stderr) out.push({ index: i, line: e.line, command: e.command, field: 'stderr', expected: e.stderr, got: g.stderr });
  }
  return out;
}

/** A small line diff: `-` kernel only, `+` vnet only, ` ` both (LCS-based, fine for short outputs). */
export function lineDiff(expected: string, got: string): string {
  const a = expected.split('\n');
  const b = got.split('\n');
  const m = a.length;
  const n = b.length;
  if (m * n > 250_000) return `--- kernel\n${expected}\n+++ vnet\n${got}`;
  const dp: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(0));
  for (let i = m - 1; i >= 0; i--) {
    for (let j = n - 1; j >= 0; j--) dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  }
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < m || j < n) {
    if (i < m && j < n && a[i] === b[j]) {
      lines.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (i < m && (j >= n || dp[i + 1]![j]! >= dp[i]![j + 1]!)) {
      lines.push(`- ${a[i]}`);
      i++;
    } else {
      lines.push(`+ ${b[j]}`);
      j++;
    }
  }
  return lines.join('\n');
}

/** Human-readable report of mismatches (kernel = expected, vnet = got). */
export function formatMismatches(name: string, mismatches: readonly Mismatch[], limit = 5): string {
  if (mismatches.length === 0) return `${name}: identical`;
  const parts = [`${name}: ${mismatches.length} mismatch(es) with the kernel ('-' kernel, '+' vnet)`];
  for (const mm of mismatches.slice(0, limit)) {
    parts.push(`\n* command #${mm.index + 1}, line ${mm.line}: ${mm.command}\n  ${mm.field}:`);
    if (mm.field === 'stdout' || mm.field === 'stderr') parts.push(lineDiff(mm.expected, mm.got).replace(/^/gm, '    '));
    else parts.push(`    kernel: ${mm.expected}\n    vnet:   ${mm.got}`);
  }
  if (mismatches.length > limit) parts.push(`\n… and ${mismatches.length - limit} more`);
  return parts.join('\n');
}
