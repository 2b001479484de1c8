/**
 * The Linux half of every workload. Everything runs inside a throwaway `unshare --net --mount`
 * namespace with a private tmpfs on /run/netns: the machine's own interfaces, routes and named
 * namespaces are never seen or touched, the only addresses are documentation ones, and when the
 * shell exits the namespaces it made go with it (an EXIT trap deletes them explicitly too). Every
 * loop is bounded and every process has a deadline; a run that overstays is killed by its
 * process group.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hex, setupAddr, topologyById, PING_TOPOLOGY, type Topology } from './topos.ts';

const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface KernelEnv {
  ok: boolean;
  /** Why the kernel side cannot run here (not root, no unshare, a driver missing…). */
  reason?: string;
  /** Path of the compiled packet generator, or null (then forwarding has no kernel figure). */
  pktgen: string | null;
  pktgenReason?: string;
  dir: string;
}

let workDir: string | null = null;

/** A private scratch directory for batch files and the compiled generator; removed at exit. */
export function scratch(): string {
  if (!workDir) {
    workDir = mkdtempSync(join(tmpdir(), 'vnet-bench-'));
    const d = workDir;
    process.on('exit', () => { try { rmSync(d, { recursive: true, force: true }); } catch { /* gone */ } });
  }
  return workDir;
}

const PRELUDE = (ipv6: boolean) => `set -e
[ -d /run/netns ] || mkdir -p /run/netns
mount -t tmpfs -o size=64m vnet-bench /run/netns
trap 'ip -all netns delete >/dev/null 2>&1 || true' EXIT
${ipv6 ? '' : 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true'}
now() { date +%s%N; }
`;

export interface ShellRun { status: number | null; stdout: string; stderr: string; timedOut: boolean; json: Record<string, unknown>[] }

/**
 * Runs `script` with sh inside a fresh `unshare --net --mount`. The whole process group is killed
 * with SIGKILL after `timeoutS`.
 */
export function inThrowaway(script: string, timeoutS: number): Promise<ShellRun> {
  const file = join(scratch(), `run-${process.pid}-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(file, script);
  return new Promise((res) => {
    const child = spawn('unshare', ['--net', '--mount', 'sh', file], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    let timedOut = false;
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, timeoutS * 1000);
    child.on('close', (status) => {
      clearTimeout(timer);
      // Stragglers in our group (a counter still waiting) end with the run.
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* none left */ }
      rmSync(file, { force: true });
      const json: Record<string, unknown>[] = [];
      for (const line of stdout.split('\n')) {
        const t = line.trim();
        if (t.startsWith('{')) { try { json.push(JSON.parse(t) as Record<string, unknown>); } catch { /* not ours */ } }
      }
      res({ status, stdout, stderr, timedOut, json });
    });
  });
}

function sleep(ms: number): Promise<void> { return new Promise((r) => setTimeout(r, ms)); }

/** Checks that the kernel side can run: root, unshare, iproute2, and the drivers the workloads use. */
export async function probeKernel(opts: { wantPktgen: boolean }): Promise<KernelEnv> {
  const dir = scratch();
  const env: KernelEnv = { ok: false, pktgen: null, dir };
  if (process.platform !== 'linux') { env.reason = 'not Linux'; return env; }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) { env.reason = 'not root'; return env; }
  for (const tool of ['unshare', 'ip', 'sh', 'date', 'ping']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) { env.reason = `${tool} not found`; return env; }
  }
  const probe = await inThrowaway(`${PRELUDE(true)}
ip link add lw0 type veth peer name lw1
ip link add mv0 link lw0 type macvlan mode bridge
ip link add br0 type bridge
ip netns add p0
ip link add mv1 link lw0 netns p0 type macvlan mode vepa
echo '{"probe":1}'
`, 30);
  if (probe.status !== 0 || !probe.json.some((j) => j['probe'] === 1)) {
    env.reason = `cannot build the workloads in a throwaway namespace: ${(probe.stderr.trim().split('\n').pop() ?? '').slice(0, 120) || 'unshare failed'}`;
    return env;
  }
  env.ok = true;
  if (opts.wantPktgen) {
    const src = join(BENCH_DIR, 'pktgen.c');
    const out = join(dir, 'pktgen');
    const cc = spawnSync('gcc', ['-O2', '-Wall', '-o', out, src], { encoding: 'utf8', timeout: 60_000 });
    if (cc.status === 0 && existsSync(out)) env.pktgen = out;
    else env.pktgenReason = cc.error ? `gcc not available (${cc.error.message})` : `gcc failed: ${cc.stderr.trim().slice(0, 200)}`;
  }
  return env;
}

// ---------------------------------------------------------------------------------------------
// Set-up and tear-down with ip -batch.

export interface KernelSetupRun {
  setupS: number;
  teardownS: number | null;
  /** Namespaces set up (fewer than asked when the deadline stopped the run). */
  done: number;
  /** (namespaces done, seconds) after every chunk. */
  progress: { n: number; s: number }[];
}

const CHUNK = 100;

/**
 * One run: `ip -batch` creates the namespaces and their macvlans directly inside them (no netns
 * move, which costs the kernel 13–22 ms each); then, since an address and `up` must be sent from
 * inside the namespace and a batch cannot switch namespaces, one `ip -n NS -batch -` per
 * namespace does the rest. This goes in chunks of 100 namespaces (one `ip -batch` each) so that
 * progress is known: after `deadlineS` the run stops at the end of a chunk, and the caller
 * extrapolates from the progress. Tear-down is `ip -batch` of `netns del`, complete when the
 * kernel's asynchronous namespace cleanup has removed the last macvlan from the lower (its
 * unicast filter empties and its promiscuity drops back to 0).
 */
export async function kernelSetup(n: number, teardown: boolean, deadlineS = Infinity): Promise<KernelSetupRun> {
  const d = scratch();
  const chunks = Math.ceil(n / CHUNK);
  for (let c = 0; c < chunks; c++) {
    const create: string[] = [];
    const config: string[] = [];
    const del: string[] = [];
    for (let i = c * CHUNK; i < Math.min(n, (c + 1) * CHUNK); i++) {
      create.push(`netns add s${i}`, `link add sm0 link lw0 netns s${i} type macvlan mode bridge`);
      config.push(`printf 'addr add ${setupAddr(i)}/24 dev sm0\\nlink set sm0 up\\n' | ip -n s${i} -batch -`);
      del.push(`netns del s${i}`);
    }
    writeFileSync(join(d, `create.${c}.batch`), create.join('\n') + '\n');
    writeFileSync(join(d, `config.${c}.sh`), config.join('\n') + '\n');
    writeFileSync(join(d, `delete.${c}.batch`), del.join('\n') + '\n');
  }
  const deadlineNs = Number.isFinite(deadlineS) ? Math.round(deadlineS * 1e9) : 9e18;
  const timeoutS = Number.isFinite(deadlineS) ? deadlineS * 2 + 120 : 3600;
  const r = await inThrowaway(`${PRELUDE(true)}
ip link add lw0 type veth peer name lw1
ip link set lw1 up
ip link set lw0 up
t0=$(now)
c=0
while [ $c -lt ${chunks} ]; do
  ip -batch ${d}/create.$c.batch
  . ${d}/config.$c.sh
  c=$((c + 1))
  t=$(now)
  echo "{\\"chunk\\":$c,\\"ns\\":$((t - t0))}"
  [ $((t - t0)) -lt ${deadlineNs} ] || break
done
t1=$(now)
last=$((c * ${CHUNK} - 1)); [ $last -lt ${n} ] || last=${n - 1}
ip -n s$last addr show dev sm0 | grep -q 'state UP' || { echo "namespace s$last not up" >&2; exit 1; }
echo "{\\"setupNs\\":$((t1 - t0)),\\"chunks\\":$c}"
${teardown ? `t2=$(now)
k=0
while [ $k -lt $c ]; do ip -batch ${d}/delete.$k.batch; k=$((k + 1)); done
k=0
while ip -d link show lw0 | grep -q 'promiscuity [1-9]'; do
  sleep 0.01; k=$((k + 1)); [ $k -lt 30000 ] || { echo 'tear-down did not finish' >&2; exit 1; }
done
t3=$(now)
echo "{\\"teardownNs\\":$((t3 - t2))}"` : ''}
`, timeoutS);
  const s = r.json.find((j) => 'setupNs' in j);
  if (r.status !== 0 || !s) throw new Error(`kernel set-up ${n} failed${r.timedOut ? ' (timed out)' : ''}: ${r.stderr.trim().slice(-300)}`);
  const t = r.json.find((j) => 'teardownNs' in j);
  const progress = r.json.filter((j) => 'chunk' in j).map((j) => ({ n: Math.min(n, Number(j['chunk']) * CHUNK), s: Number(j['ns']) / 1e9 }));
  // Give the kernel's cleanup worker a moment before the next run.
  await sleep(300);
  return { setupS: Number(s['setupNs']) / 1e9, teardownS: t ? Number(t['teardownNs']) / 1e9 : null,
    done: Math.min(n, Number(s['chunks']) * CHUNK), progress };
}

// ---------------------------------------------------------------------------------------------
// Forwarding with the AF_PACKET generator and counter.

function kernelTopoScript(t: Topology): string {
  const lines: string[] = [];
  for (const ns of t.namespaces) {
    lines.push(`ip netns add ${ns}`,
      `ip netns exec ${ns} sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true`);
  }
  lines.push(...t.body, ...t.prime);
  return lines.join('\n') + '\n';
}

export interface KernelForwardRun { fps: number; count: number; sent: number; sockDrops: number }

export async function kernelForward(topoId: string, pktgen: string, runs: number, seconds: number, batch = 256): Promise<KernelForwardRun[]> {
  const t = topologyById(topoId);
  const d = scratch();
  const et = t.ethertype.toString(16).padStart(4, '0');
  const timeout = seconds + 5;
  const r = await inThrowaway(`${PRELUDE(false)}
${kernelTopoScript(t)}
F=${hex(t.frame)}
r=0
while [ $r -lt ${runs} ]; do
  r=$((r + 1))
  rm -f ${d}/ready ${d}/count ${d}/send
  ip netns exec ${t.receiver.ns} ${pktgen} count ${t.receiver.dev} ${et} ${timeout} 300 2>${d}/ready >${d}/count &
  cp=$!
  k=0
  until grep -q ready ${d}/ready 2>/dev/null; do sleep 0.01; k=$((k + 1)); [ $k -lt 500 ] || exit 1; done
  ip netns exec ${t.sender.ns} ${pktgen} send ${t.sender.dev} $F ${seconds} ${batch} >${d}/send
  wait $cp
  echo "{\\"send\\":$(cat ${d}/send),\\"count\\":$(cat ${d}/count)}"
done
`, 30 + runs * (seconds + 8));
  const out: KernelForwardRun[] = [];
  for (const j of r.json) {
    const c = j['count'] as { count: number; firstNs: number; lastNs: number; sockDrops: number } | undefined;
    const s = j['send'] as { sent: number; ns: number } | undefined;
    if (!c || !s) continue;
    const span = (c.lastNs - c.firstNs) / 1e9;
    out.push({ fps: span > 0 ? c.count / span : 0, count: c.count, sent: s.sent, sockDrops: c.sockDrops });
  }
  if (out.length === 0) throw new Error(`kernel forwarding ${topoId} failed: ${r.stderr.trim().slice(-300)}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// ICMP round trips: ping -f over a veth pair.

export async function kernelPing(n: number, runs: number): Promise<{ perSecond: number[]; rttAvgMs: number[] }> {
  const r = await inThrowaway(`${PRELUDE(false)}
${kernelTopoScript(PING_TOPOLOGY)}
r=0
while [ $r -lt ${runs} ]; do
  r=$((r + 1))
  ip netns exec fa timeout 60 ping -f -q -c ${n} 192.0.2.2
done
`, 30 + runs * 60);
  const perSecond: number[] = [];
  const rttAvgMs: number[] = [];
  const re = /(\d+) packets transmitted, (\d+) received.*time (\d+)ms\s*\nrtt min\/avg\/max\/mdev = [\d.]+\/([\d.]+)\//g;
  for (const m of r.stdout.matchAll(re)) {
    perSecond.push(Number(m[2]) / (Number(m[3]) / 1000));
    rttAvgMs.push(Number(m[4]));
  }
  if (!perSecond.length) throw new Error(`kernel ping failed: ${r.stderr.trim().slice(-300)}`);
  return { perSecond, rttAvgMs };
}

// ---------------------------------------------------------------------------------------------
// Memory: MemFree before and after, idle namespaces and idle macvlans.

export interface KernelMem {
  nsCount: number; perNs: number; nsBuildS: number;
  devCount: number; perDev: number; devBuildS: number;
  /** Time for the first quarter of the devices, for a power-law extrapolation. */
  devQuarterS: number;
}

export async function kernelMem(nNs: number, nDev: number, settleS = 1): Promise<KernelMem> {
  const d = scratch();
  const q = Math.max(1, Math.floor(nDev / 4));
  const ns: string[] = [];
  for (let i = 0; i < nNs; i++) ns.push(`netns add q${i}`);
  const dev1: string[] = [];
  const dev2: string[] = [];
  for (let i = 0; i < nDev; i++) (i < q ? dev1 : dev2).push(`link add m${i} link lw0 type macvlan mode bridge`);
  writeFileSync(join(d, 'mem-ns.batch'), ns.join('\n') + '\n');
  writeFileSync(join(d, 'mem-dev1.batch'), dev1.join('\n') + '\n');
  writeFileSync(join(d, 'mem-dev2.batch'), dev2.join('\n') + '\n');
  const r = await inThrowaway(`${PRELUDE(true)}
memfree() { sed -n 's/^MemFree: *\\([0-9]*\\).*/\\1/p' /proc/meminfo; }
ip link add lw0 type veth peer name lw1
sleep ${settleS}
m0=$(memfree)
t0=$(now)
ip -batch ${d}/mem-ns.batch
t1=$(now)
sleep ${settleS}
m1=$(memfree)
t2=$(now)
ip -batch ${d}/mem-dev1.batch
t3=$(now)
ip -batch ${d}/mem-dev2.batch
t4=$(now)
sleep ${settleS}
m2=$(memfree)
echo "{\\"m0\\":$m0,\\"m1\\":$m1,\\"m2\\":$m2,\\"nsNs\\":$((t1 - t0)),\\"devQNs\\":$((t3 - t2)),\\"devNs\\":$((t4 - t2))}"
`, 600);
  const j = r.json.find((x) => 'm0' in x);
  if (!j) throw new Error(`kernel memory workload failed: ${r.stderr.trim().slice(-300)}`);
  const kb = (k: string) => Number(j[k]) * 1024;
  await sleep(500);
  return {
    nsCount: nNs, perNs: (kb('m0') - kb('m1')) / nNs, nsBuildS: Number(j['nsNs']) / 1e9,
    devCount: nDev, perDev: (kb('m1') - kb('m2')) / nDev, devBuildS: Number(j['devNs']) / 1e9,
    devQuarterS: Number(j['devQNs']) / 1e9,
  };
}

// ---------------------------------------------------------------------------------------------
// Start-up: the same 10-line script run by bash on Linux.

export async function kernelStartup(scriptPath: string, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = await inThrowaway(`${PRELUDE(true)}
bash ${scriptPath} >/dev/null
`, 60);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`kernel start-up script failed: ${r.stderr.trim().slice(-300)}`);
    out.push(s);
  }
  return out;
}
