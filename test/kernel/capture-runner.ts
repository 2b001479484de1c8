/**
 * The kernel side of `vnet run --capture NS/IF … --out DIR`: runs a lab script on the REAL kernel
 * (test/kernel/kernel-runner.ts: throwaway net/mount/pid namespaces) while capturing the same
 * interfaces with the real tcpdump, and returns one pcapng per capture with each packet's direction in
 * epb_flags — the files vnet's captures are compared with (test/capture.test.ts).
 *
 * How a capture runs on the kernel
 *   - Before every top-level command of the script (the runner's `beforeCommand` hook, so also right
 *     after the world and before the first command), each capture whose interface now exists in its
 *     namespace and is UP (/sys/class/net/IF/flags for the script's own namespace, one
 *     `ip -n NS -o link show up` per other namespace), and has no tcpdump running, gets two:
 *         [ip netns exec NS] tcpdump -p -n -i IF -U --immediate-mode --time-stamp-precision=nano -s 0 -w all.pcap
 *         [ip netns exec NS] tcpdump -p -n -i IF -Q out … -w out.pcap
 *     and the hook waits until both print "listening on" (their packet sockets are bound and filtered)
 *     before the command runs. Without promiscuous mode (-p), as vnet's captures.
 *   - Direction: libpcap on an Ethernet device writes classic pcap without direction (and refuses
 *     LINUX_SLL2 on a single interface), so the second tcpdump sees only the outbound frames; they are
 *     a subsequence of the first one's, in the same order. Each outbound frame is matched to the frame
 *     of the full capture with the same bytes and the nearest timestamp (both sockets get the same skb
 *     within microseconds; a hairpinned copy of the same bytes comes back later); the rest are inbound.
 *   - tcpdump survives its interface going down and up; when the interface disappears (deleted, moved
 *     out of NS) tcpdump ends ("The interface disappeared"), and the next hook that finds the name UP
 *     again starts a new segment. The file is the segments in order.
 *   - When the script is over (and its background jobs are stopped) every tcpdump gets SIGTERM and is
 *     waited for (3 s, then SIGKILL); the PID namespace guarantees none survives the run.
 *
 * Limits (write capture scenarios accordingly)
 *   - tcpdump needs the interface UP, and starts only between top-level commands: frames sent by the
 *     same command that creates (or brings up, or moves in) the interface are not captured on the kernel
 *     (vnet records from the moment the interface exists). Bring interfaces up in one command, send in a
 *     later one. Background jobs that send while a capture starts may race with it.
 *   - A device renamed to IF is found only by the next hook, the same way.
 *   - The real kernel sends IPv6 frames (DAD, MLD, router solicitations) at random times: scenarios turn
 *     IPv6 off first (`sysctl -qw net.ipv6.conf.all.disable_ipv6=1` in every namespace, before any device
 *     goes up in it).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOnKernel, kernelAvailable, type KernelRunResult } from './kernel-runner.ts';
import { readCapture, writePcapng, DIRECTION_INBOUND, DIRECTION_OUTBOUND, MAX_SNAPLEN, type CaptureRecord, type WriteRecord } from '../../src/wire/pcap.ts';
import { parseCaptureSpec, captureFileName, formatCaptureSpec, type CaptureSpec } from '../../src/capture/index.ts';

export interface KernelCaptureSegment {
  /** Raw classic-pcap files of the two tcpdumps (null when missing). */
  all: Uint8Array | null;
  out: Uint8Array | null;
  /** Their stderr. */
  allErr: string;
  outErr: string;
}

export interface KernelCapture {
  spec: CaptureSpec;
  /** Same name as vnet's file: NS_IF.pcapng (root_IF.pcapng for the script's namespace). */
  name: string;
  /** The capture as pcapng with epb_flags direction; null if the interface never came up. */
  pcapng: Uint8Array | null;
  packets: number;
  segments: KernelCaptureSegment[];
  /** Anything odd: a tcpdump that did not start, outbound frames that matched nothing… */
  warnings: string[];
}

export interface KernelCaptureRun {
  run: KernelRunResult;
  captures: KernelCapture[];
  /** The kernel half could not run (not root, no namespaces, no tcpdump). */
  skipped?: string;
}

export interface KernelCaptureOptions {
  world?: string;
  timeoutMs?: number;
  scriptName?: string;
}

/** Shell-quotes for bash. */
function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The bash side: state in arrays, indexes = capture numbers. */
function hookSetup(dir: string, specs: CaptureSpec[]): string {
  const ns = specs.map((s) => q(s.netns === '' ? '-' : s.netns)).join(' ');
  const ifs = specs.map((s) => q(s.ifname)).join(' ');
  return `
__vnet_capD=${q(dir)}
__vnet_capNS=(${ns})
__vnet_capIF=(${ifs})
__vnet_capA=()
__vnet_capO=()
__vnet_capS=()
__vnet_cap_alive() {
  local st
  [ -n "$1" ] || return 1
  { read -r st < "/proc/$1/stat"; } 2>/dev/null || return 1
  st=\${st##*) }
  [ "\${st%% *}" != Z ]
}
__vnet_cap_up() {
  local f
  { read -r f < "/sys/class/net/$1/flags"; } 2>/dev/null || return 1
  (( f & 1 ))
}
__vnet_cap_ready() {
  local l
  { read -r l < "$1"; } 2>/dev/null || return 1
  [[ $l == *"listening on"* ]]
}
__vnet_cap_start() {
  local i=$1 ns=\${__vnet_capNS[$1]} ifn=\${__vnet_capIF[$1]} seg b n pa po
  seg=$(( \${__vnet_capS[$i]:-0} + 1 ))
  __vnet_capS[$i]=$seg
  b="$__vnet_capD/$i.$seg"
  local pre=()
  [ "$ns" = - ] || pre=(ip netns exec "$ns")
  ( "\${pre[@]}" tcpdump -p -n -i "$ifn" -U --immediate-mode --time-stamp-precision=nano -s 0 -w "$b.all.pcap" </dev/null >/dev/null 2>"$b.all.err" & echo $! >"$b.all.pid" )
  ( "\${pre[@]}" tcpdump -p -n -i "$ifn" -Q out -U --immediate-mode --time-stamp-precision=nano -s 0 -w "$b.out.pcap" </dev/null >/dev/null 2>"$b.out.err" & echo $! >"$b.out.pid" )
  read -r pa < "$b.all.pid"
  read -r po < "$b.out.pid"
  __vnet_capA[$i]=$pa
  __vnet_capO[$i]=$po
  for (( n = 0; n < 500; n++ )); do
    if __vnet_cap_ready "$b.all.err" && __vnet_cap_ready "$b.out.err"; then return 0; fi
    if ! __vnet_cap_alive "$pa" || ! __vnet_cap_alive "$po"; then break; fi
    sleep 0.01
  done
  echo "capture $i segment $seg did not start" >>"$__vnet_capD/log"
  kill -TERM "$pa" "$po" 2>/dev/null
  return 1
}
__vnet_cap_poll() {
  local i ns ifn out line name
  local -A upset=() listed=()
  for i in "\${!__vnet_capNS[@]}"; do
    if [ -n "\${__vnet_capA[$i]:-}" ]; then
      if __vnet_cap_alive "\${__vnet_capA[$i]}" && __vnet_cap_alive "\${__vnet_capO[$i]}"; then continue; fi
      # one ended (interface gone): end the other too, a new segment starts when the name is back
      kill -TERM "\${__vnet_capA[$i]}" "\${__vnet_capO[$i]}" 2>/dev/null
      __vnet_capA[$i]=
      __vnet_capO[$i]=
    fi
    ns=\${__vnet_capNS[$i]}
    ifn=\${__vnet_capIF[$i]}
    if [ "$ns" = - ]; then
      __vnet_cap_up "$ifn" || continue
    else
      # one \`ip -n NS link show up\` per namespace and poll; no process substitution (it would set $!)
      [ -e "/run/netns/$ns" ] || continue
      if [ -z "\${listed[$ns]:-}" ]; then
        listed[$ns]=1
        out=$(ip -n "$ns" -o link show up 2>/dev/null)
        while IFS= read -r line; do
          name=\${line#*: }
          name=\${name%%: *}
          name=\${name%%@*}
          [ -n "$name" ] && upset["$ns/$name"]=1
        done <<< "$out"
      fi
      [ -n "\${upset[$ns/$ifn]:-}" ] || continue
    fi
    __vnet_cap_start "$i"
  done
}
__vnet_cap_end() {
  local i p n pids=()
  for i in "\${!__vnet_capNS[@]}"; do
    for p in \${__vnet_capA[$i]:-} \${__vnet_capO[$i]:-}; do pids+=("$p"); done
  done
  [ \${#pids[@]} -gt 0 ] || return 0
  kill -TERM "\${pids[@]}" 2>/dev/null
  for (( n = 0; n < 300; n++ )); do
    local alive=0
    for p in "\${pids[@]}"; do __vnet_cap_alive "$p" && alive=1; done
    [ $alive = 0 ] && return 0
    sleep 0.01
  done
  kill -KILL "\${pids[@]}" 2>/dev/null
  echo "tcpdump had to be killed" >>"$__vnet_capD/log"
}
`;
}

function readOpt(path: string): Uint8Array | null {
  try {
    return new Uint8Array(readFileSync(path));
  } catch {
    return null;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const tsNs = (r: CaptureRecord): bigint => BigInt(r.ts.sec) * 1_000_000_000n + BigInt(r.ts.nsec);

/**
 * Labels each frame of the full capture inbound or outbound: every frame of the outbound-only capture
 * is matched, in order, to the not-yet-matched frame of the full capture after the previous match with
 * the same bytes and the nearest timestamp.
 */
export function assignDirections(all: CaptureRecord[], out: CaptureRecord[], warnings: string[]): (1 | 2)[] {
  const dir: (1 | 2)[] = all.map(() => DIRECTION_INBOUND);
  let from = 0;
  for (let j = 0; j < out.length; j++) {
    const o = out[j]!;
    const t = tsNs(o);
    let best = -1;
    let bestDt = 0n;
    for (let k = from; k < all.length; k++) {
      const a = all[k]!;
      if (a.origLen !== o.origLen || !sameBytes(a.data, o.data)) continue;
      let dt = tsNs(a) - t;
      if (dt < 0n) dt = -dt;
      if (best < 0 || dt < bestDt) { best = k; bestDt = dt; }
      if (tsNs(a) - t > 1_000_000_000n) break;
    }
    if (best < 0) {
      warnings.push(`outbound frame #${j + 1} (${o.origLen} bytes) not found in the full capture`);
      continue;
    }
    if (bestDt > 1_000_000n) warnings.push(`outbound frame #${j + 1} matched with a ${bestDt} ns time difference`);
    dir[best] = DIRECTION_OUTBOUND;
    from = best + 1;
  }
  return dir;
}

/**
 * Runs `script` on the real kernel with the captures started as described above. Returns the run
 * (command records as runOnKernel gives them) and one pcapng per capture.
 */
export async function runOnKernelWithCaptures(
  script: string,
  captures: readonly (string | CaptureSpec)[],
  opts: KernelCaptureOptions = {},
): Promise<KernelCaptureRun> {
  const specs = captures.map((c) => {
    const r = parseCaptureSpec(typeof c === 'string' ? c : formatCaptureSpec(c));
    if (!r.ok) throw new Error(r.error);
    return r.spec;
  });
  const avail = kernelAvailable();
  if (!avail.ok) return { run: { records: [], skipped: avail.reason, durationMs: 0 }, captures: [], skipped: avail.reason };
  const dir = mkdtempSync(join(tmpdir(), 'vnet-capture-'));
  try {
    const run = await runOnKernel(script, {
      ...(opts.world !== undefined ? { world: opts.world } : {}),
      ...(opts.scriptName !== undefined ? { scriptName: opts.scriptName } : {}),
      timeoutMs: opts.timeoutMs ?? 60_000,
      hooks: { setup: hookSetup(dir, specs), beforeCommand: '__vnet_cap_poll', atEnd: '__vnet_cap_end' },
    });
    if (run.skipped) return { run, captures: [], skipped: run.skipped };
    const files = new Set(readdirSync(dir));
    const log = readText(join(dir, 'log'));
    const out: KernelCapture[] = specs.map((spec, i) => {
      const warnings: string[] = [];
      const segments: KernelCaptureSegment[] = [];
      for (let seg = 1; files.has(`${i}.${seg}.all.pid`); seg++) {
        const b = join(dir, `${i}.${seg}`);
        segments.push({
          all: readOpt(`${b}.all.pcap`), out: readOpt(`${b}.out.pcap`),
          allErr: readText(`${b}.all.err`), outErr: readText(`${b}.out.err`),
        });
      }
      const recs: WriteRecord[] = [];
      let epoch: number | null = null;
      segments.forEach((s, k) => {
        if (!s.all) { warnings.push(`segment ${k + 1}: no capture file (${s.allErr.trim()})`); return; }
        const a = readCapture(s.all);
        const o = s.out ? readCapture(s.out) : null;
        if (!a.ok) { warnings.push(`segment ${k + 1}: ${a.error}`); return; }
        if (!o || !o.ok) warnings.push(`segment ${k + 1}: no outbound capture; directions unknown`);
        if (a.file.error) warnings.push(`segment ${k + 1}: ${a.file.error}`);
        const dirs = o && o.ok ? assignDirections(a.file.records, o.file.records, warnings) : null;
        a.file.records.forEach((r, n) => {
          if (epoch === null) epoch = r.ts.sec;
          recs.push({
            tsNs: (r.ts.sec - epoch) * 1e9 + r.ts.nsec,
            data: r.data,
            origLen: r.origLen,
            direction: dirs ? dirs[n]! : 0,
          });
        });
      });
      for (const line of log.split('\n')) if (line.startsWith(`capture ${i} `)) warnings.push(line);
      const pcapng = segments.length === 0 ? null
        : writePcapng([{ name: spec.ifname, snaplen: MAX_SNAPLEN }], recs, { epochSeconds: epoch ?? 0, application: 'tcpdump via vnet capture-runner' });
      return { spec, name: captureFileName(spec), pcapng, packets: recs.length, segments, warnings };
    });
    if (log.includes('had to be killed')) out.forEach((c) => c.warnings.push('a tcpdump had to be killed at the end'));
    return { run, captures: out };
  } finally {
    if (process.env.VNET_KEEP_KERNEL_DIR) console.error(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
