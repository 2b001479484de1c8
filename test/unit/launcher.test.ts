/**
 * bin/vnet.js and dist/ (scripts/build-dist.mjs): the bundle is used only while it is up to date
 * with its sources, its V8 code cache is accepted, and a run through it prints exactly what the
 * TypeScript sources print. Builds happen in a scratch copy of the package, never in the checkout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, utimesSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A scratch copy of what `npm ci` needs to build and run vnet, with node_modules linked in. */
function scratchPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vnet-launcher-'));
  for (const p of ['src', 'worlds', 'scripts', 'bin', 'package.json']) cpSync(join(ROOT, p), join(dir, p), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function run(dir: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(dir, 'bin', 'vnet.js'), ...args],
    { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
}

const SCRIPT = `ip netns add a
ip link add vb type veth peer name va netns a
ip -n a addr add 192.0.2.1/24 dev va
ip addr add 192.0.2.2/24 dev vb
ip -n a link set va up
ip link set vb up
ping -c 2 -i 0.2 192.0.2.1
ip -n a -s link show va
ip route get 192.0.2.1
`;

test('dist/: built by the build script, used while fresh, same output as the sources, cache accepted', (t) => {
  const dir = scratchPackage();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const b = spawnSync(process.execPath, [join(dir, 'scripts', 'build-dist.mjs'), '--strict'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  assert.equal(b.status, 0, b.stderr);
  const bundle = join(dir, 'dist', 'cli', 'main.cjs');
  for (const f of [bundle, `${bundle}.v8cache`, `${bundle}.map`, join(dir, 'dist', 'inputs.json')]) assert.ok(existsSync(f), f);
  assert.ok(!existsSync(join(dir, 'dist', 'cli', 'warm-up.sh')), 'the warm-up script is not left behind');

  // V8 takes the cache under the flags a plain `node bin/vnet.js` has.
  const probe = spawnSync(process.execPath, ['-e', `
    const vm = require('node:vm'), fs = require('node:fs');
    const s = new vm.Script(fs.readFileSync(${JSON.stringify(bundle)}, 'latin1'), { filename: ${JSON.stringify(bundle)}, cachedData: fs.readFileSync(${JSON.stringify(bundle + '.v8cache')}) });
    process.stdout.write(String(s.cachedDataRejected));`], { encoding: 'utf8' });
  assert.equal(probe.stdout, 'false');

  const script = join(dir, 'lab.sh');
  writeFileSync(script, SCRIPT);
  const viaDist = run(dir, ['run', '--json', '--world', 'none', script]);
  const viaSrc = run(dir, ['run', '--json', '--world', 'none', script], { VNET_NO_DIST: '1' });
  assert.equal(viaDist.status, 0, viaDist.stderr);
  assert.equal(viaDist.stdout, viaSrc.stdout);
  assert.equal(viaDist.stderr, viaSrc.stderr);
  // The default world is read from worlds/ next to the package, from the bundle too.
  const w1 = run(dir, ['run', script]);
  const w2 = run(dir, ['run', script], { VNET_NO_DIST: '1' });
  assert.equal(w1.stdout, w2.stdout);
  assert.equal(w1.status, w2.status);

  // Which one ran: a source edited after the build makes bin/vnet.js use the sources. Make the
  // sources say something the bundle cannot, then check both ways.
  const usage = join(dir, 'src', 'cli', 'main.ts');
  const text = readFileSync(usage, 'utf8');
  assert.ok(text.includes('Usage: vnet run'));
  writeFileSync(usage, text.replace('Usage: vnet run', 'Usage(sources): vnet run'));
  const later = Date.now() / 1000 + 5;
  utimesSync(usage, later, later);
  assert.match(run(dir, ['--help']).stdout, /Usage\(sources\): vnet run/, 'a stale dist/ is not used');
  const rebuilt = spawnSync(process.execPath, [join(dir, 'scripts', 'build-dist.mjs'), '--strict'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  assert.equal(rebuilt.status, 0, rebuilt.stderr);
  // The rebuilt bundle has the edit. To see that it is the bundle that runs, put the original text
  // back with an mtime older than the build: only the bundle still says "(sources)".
  writeFileSync(usage, text);
  utimesSync(usage, Date.now() / 1000 - 60, Date.now() / 1000 - 60);
  assert.match(run(dir, ['--help']).stdout, /Usage\(sources\): vnet run/, 'a fresh dist/ is what runs');
  assert.doesNotMatch(run(dir, ['--help'], { VNET_NO_DIST: '1' }).stdout, /Usage\(sources\)/);
});

test('dist/: a missing or broken dist/ falls back to the sources', (t) => {
  const dir = scratchPackage();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(run(dir, ['--help']).status, 0, 'no dist/ at all');
  const b = spawnSync(process.execPath, [join(dir, 'scripts', 'build-dist.mjs'), '--strict'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  assert.equal(b.status, 0, b.stderr);
  writeFileSync(join(dir, 'dist', 'inputs.json'), '{ not json');
  const r = run(dir, ['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Usage: vnet run/);
  // A corrupt code cache is rejected by V8 and the bundle still runs.
  spawnSync(process.execPath, [join(dir, 'scripts', 'build-dist.mjs'), '--strict'], { cwd: dir, timeout: 120_000 });
  writeFileSync(join(dir, 'dist', 'cli', 'main.cjs.v8cache'), 'garbage');
  const c = run(dir, ['--help']);
  assert.equal(c.status, 0, c.stderr);
  assert.match(c.stdout, /Usage: vnet run/);
});
