/**
 * tcpdump 4.99.3 command line, as parsed by its getopt_long() loop on Linux (glibc getopt:
 * options and operands may be mixed, `--` ends options, long options may be abbreviated).
 * Errors come back as the exact stderr text and exit status.
 */

export const TCPDUMP_VERSION_TEXT =
  'tcpdump version 4.99.3\nlibpcap version 1.10.3 (with TPACKET_V3)\nOpenSSL 3.0.19 27 Jan 2026\n';

export const TCPDUMP_USAGE_TEXT =
  'Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]\n' +
  '\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]\n' +
  '\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]\n' +
  '\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]\n' +
  '\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]\n' +
  '\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]\n' +
  '\t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]\n' +
  '\t\t[ -z postrotate-command ] [ -Z user ] [ expression ]\n';

export interface TcpdumpArgs {
  /** -i */
  interface?: string;
  /** -r */
  readFile?: string;
  /** -w */
  writeFile?: string;
  /** -F: read the expression from this file. */
  expressionFile?: string;
  /** -c */
  count?: number;
  /** -s (0 means the default, 262144). */
  snaplen: number;
  /** Counts of repeatable flags. */
  n: number;
  v: number;
  t: number;
  x: number;
  X: number;
  A: number;
  e: boolean;
  q: boolean;
  /** -# / --number */
  number: boolean;
  /** -l: line-buffered output. */
  lineBuffered: boolean;
  /** -p / --no-promiscuous-mode */
  noPromiscuous: boolean;
  /** -U / --packet-buffered */
  packetBuffered: boolean;
  /** -Q / --direction */
  direction?: 'in' | 'out' | 'inout';
  /** --time-stamp-precision / --nano / --micro */
  precision: 'micro' | 'nano';
  /** -y / --linktype */
  linktype?: string;
  /** --print: print packets even with -w. */
  print: boolean;
  /** --count: only count packets. */
  countOnly: boolean;
  /** --immediate-mode */
  immediate: boolean;
  /** -D / --list-interfaces, -L / --list-data-link-types */
  listInterfaces: boolean;
  listDataLinkTypes: boolean;
  /** Every flag seen, for those vnet does not act on (-K, -N, -S, ...). */
  other: string[];
  /** Operands joined with spaces, as tcpdump's copy_argv(). */
  expression: string;
}

export type ParsedArgs =
  | { kind: 'run'; args: TcpdumpArgs }
  /** -h, --help, --version: print and exit 0. */
  | { kind: 'exit'; stdout: string; stderr: string; status: number }
  | { kind: 'error'; stderr: string; status: number };

/** Short options; ':' marks an argument (tcpdump's SHORTOPTS on Linux). */
const SHORTOPTS = 'aAbB:c:C:dDeE:fF:G:hHi:Ij:JKlLm:M:nNOpqQ:r:s:StT:uUvV:w:W:xXy:Yz:Z:#';

const LONGOPTS: [string, boolean, string][] = [
  ['buffer-size', true, 'B'], ['list-interfaces', false, 'D'], ['help', false, 'h'], ['interface', true, 'i'],
  ['monitor-mode', false, 'I'], ['time-stamp-type', true, 'j'], ['list-time-stamp-types', false, 'J'],
  ['micro', false, 'micro'], ['nano', false, 'nano'], ['time-stamp-precision', true, 'precision'],
  ['dont-verify-checksums', false, 'K'], ['list-data-link-types', false, 'L'], ['no-optimize', false, 'O'],
  ['no-promiscuous-mode', false, 'p'], ['direction', true, 'Q'], ['snapshot-length', true, 's'],
  ['absolute-tcp-sequence-numbers', false, 'S'], ['packet-buffered', false, 'U'], ['linktype', true, 'y'],
  ['immediate-mode', false, 'immediate'], ['relinquish-privileges', true, 'Z'], ['count', false, 'count'],
  ['fp-type', false, 'fp-type'], ['number', false, '#'], ['print', false, 'print'], ['version', false, 'version'],
];

/** pcap_datalink_name_to_val() for the names vnet knows (case-insensitive). */
const DLT_NAMES = ['EN10MB', 'LINUX_SLL', 'LINUX_SLL2', 'RAW', 'NULL', 'LOOP', 'IPV4', 'IPV6'];

/** C atoi(): leading blanks, sign, digits; 0 when none. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Math.trunc(Math.max(-2147483648, Math.min(2147483647, parseInt(m[1]!, 10)))) : 0;
}

/** C strtol(s, &end, 0) requiring the whole string; null when not a number. */
function strtol0(s: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(s);
  if (!m) return null;
  const body = m[2]!;
  const v = body.startsWith('0x') || body.startsWith('0X') ? parseInt(body, 16) : body.startsWith('0') ? parseInt(body, 8) || 0 : parseInt(body, 10);
  return m[1] === '-' ? -v : v;
}

export function parseTcpdumpArgs(argv: readonly string[]): ParsedArgs {
  const a: TcpdumpArgs = {
    snaplen: 0, n: 0, v: 0, t: 0, x: 0, X: 0, A: 0, e: false, q: false, number: false, lineBuffered: false,
    noPromiscuous: false, packetBuffered: false, precision: 'micro', print: false, countOnly: false, immediate: false,
    listInterfaces: false, listDataLinkTypes: false, other: [], expression: '',
  };
  const operands: string[] = [];
  const usageError = (msg: string): ParsedArgs => ({ kind: 'error', stderr: `tcpdump: ${msg}\n${TCPDUMP_VERSION_TEXT}${TCPDUMP_USAGE_TEXT}`, status: 1 });
  const fatal = (msg: string): ParsedArgs => ({ kind: 'error', stderr: `tcpdump: ${msg}\n`, status: 1 });

  /** Applies one option; returns an error/exit result or null. */
  const apply = (opt: string, arg: string | undefined): ParsedArgs | null => {
    switch (opt) {
      case 'A': a.A++; break;
      case 'c':
        a.count = atoi(arg!);
        if (a.count <= 0) return fatal(`invalid packet count ${arg}`);
        break;
      case 'C': {
        const n = strtol0(arg!);
        if (n === null || n <= 0) return fatal(`invalid file size ${arg}`);
        a.other.push(`-C${arg}`);
        break;
      }
      case 'B':
        if (atoi(arg!) * 1024 <= 0) return fatal(`invalid packet buffer size ${arg}`);
        a.other.push(`-B${arg}`);
        break;
      case 'D': a.listInterfaces = true; break;
      case 'e': a.e = true; break;
      case 'F': a.expressionFile = arg; break;
      case 'h':
        return { kind: 'exit', stdout: TCPDUMP_VERSION_TEXT + TCPDUMP_USAGE_TEXT, stderr: '', status: 0 };
      case 'i': a.interface = arg; break;
      case 'l': a.lineBuffered = true; break;
      case 'L': a.listDataLinkTypes = true; break;
      case 'n': a.n++; break;
      case 'p': a.noPromiscuous = true; break;
      case 'q': a.q = true; break;
      case 'Q': {
        const d = arg!.toLowerCase();
        if (d !== 'in' && d !== 'out' && d !== 'inout') return fatal(`unknown capture direction \`${arg}'`);
        a.direction = d;
        break;
      }
      case 'r': a.readFile = arg; break;
      case 's': {
        const n = strtol0(arg!);
        if (n === null || n < 0 || n > 262144) return fatal(`invalid snaplen ${arg} (must be >= 0 and <= 262144)`);
        a.snaplen = n;
        break;
      }
      case 't': a.t++; break;
      case 'U': a.packetBuffered = true; break;
      case 'v': a.v++; break;
      case 'w': a.writeFile = arg; break;
      case 'W':
        if (atoi(arg!) <= 0) return fatal(`invalid number of output files ${arg}`);
        a.other.push(`-W${arg}`);
        break;
      case 'x': a.x++; break;
      case 'X': a.X++; break;
      case 'y':
        if (!DLT_NAMES.includes(arg!.toUpperCase())) return fatal(`invalid data link type ${arg}`);
        a.linktype = arg!.toUpperCase();
        break;
      case '#': a.number = true; break;
      case 'micro': a.precision = 'micro'; break;
      case 'nano': a.precision = 'nano'; break;
      case 'precision':
        if (arg!.startsWith('nano')) a.precision = 'nano';
        else if (arg!.startsWith('micro')) a.precision = 'micro';
        else return fatal('unsupported time stamp precision');
        break;
      case 'immediate': a.immediate = true; break;
      case 'count': a.countOnly = true; break;
      case 'print': a.print = true; break;
      case 'version':
        return { kind: 'exit', stdout: TCPDUMP_VERSION_TEXT, stderr: '', status: 0 };
      default:
        a.other.push(arg === undefined ? `-${opt}` : `-${opt}${arg}`);
    }
    return null;
  };

  let i = 0;
  for (; i < argv.length; i++) {
    const s = argv[i]!;
    if (s === '--') {
      i++;
      break;
    }
    if (s.startsWith('--')) {
      const eq = s.indexOf('=');
      const name = s.slice(2, eq < 0 ? undefined : eq);
      const exact = LONGOPTS.find(([n]) => n === name);
      const matches = exact ? [exact] : LONGOPTS.filter(([n]) => n.startsWith(name));
      if (matches.length === 0) return usageError(`unrecognized option '${s}'`);
      if (matches.length > 1) {
        return usageError(`option '${s.slice(0, eq < 0 ? undefined : eq)}' is ambiguous; possibilities:${matches.map(([n]) => ` '--${n}'`).join('')}`);
      }
      const [full, hasArg, key] = matches[0]!;
      let arg: string | undefined;
      if (hasArg) {
        if (eq >= 0) arg = s.slice(eq + 1);
        else if (i + 1 < argv.length) arg = argv[++i]!;
        else return usageError(`option '--${full}' requires an argument`);
      } else if (eq >= 0) return usageError(`option '--${full}' doesn't allow an argument`);
      const r = apply(key, arg);
      if (r) return r;
      continue;
    }
    if (s.startsWith('-') && s.length > 1) {
      for (let j = 1; j < s.length; j++) {
        const c = s[j]!;
        const at = SHORTOPTS.indexOf(c);
        if (at < 0 || c === ':') return usageError(`invalid option -- '${c}'`);
        let arg: string | undefined;
        if (SHORTOPTS[at + 1] === ':') {
          if (j + 1 < s.length) arg = s.slice(j + 1);
          else if (i + 1 < argv.length) arg = argv[++i]!;
          else return usageError(`option requires an argument -- '${c}'`);
          j = s.length;
        }
        const r = apply(c, arg);
        if (r) return r;
      }
      continue;
    }
    operands.push(s); // GNU getopt permutes operands after the options
  }
  operands.push(...argv.slice(i));
  a.expression = operands.join(' ');
  return { kind: 'run', args: a };
}
