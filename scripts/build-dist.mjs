#!/usr/bin/env node
/**
 * Builds dist/: the `vnet` CLI bundled by esbuild into one JavaScript file plus a V8 code cache, so
 * that `bin/vnet.js` starts without tsx's loader (which transforms every TypeScript module on every
 * start) and without compiling the bundle again. Run by `npm run build`, and by npm's `prepare`
 * script, so `npm ci` leaves a built dist/.
 *
 *   dist/cli/main.cjs         src/cli/main.ts and everything it imports, as one function expression
 *                             `(function (exports, require, module, __filename, __dirname) {…})`
 *                             that bin/vnet.js compiles with node:vm (the same depth below the
 *                             package root as the source, so ../../worlds/ resolves alike)
 *   dist/cli/main.cjs.map     its source map (to the TypeScript sources)
 *   dist/cli/main.cjs.v8cache V8's code cache for it, taken after a warm-up run of a typical script,
 *                             so the functions a run needs are already compiled. V8 checks it against
 *                             its own version and flags and ignores it when they differ.
 *   dist/inputs.json          the sources the bundle was made from and when the build started:
 *                             bin/vnet.js uses dist/ only while none of them was modified since.
 *
 * Why a function compiled with node:vm rather than an ES module: Node 20 has no way to give V8 a
 * code cache for an ES module (module.enableCompileCache() arrived in Node 22.1), and compiling the
 * ~0.7 MB bundle, then its functions as a run first calls them, was most of what was left of
 * start-up once tsx was gone (see docs/performance.md, "Start-up").
 *
 * It builds in a fresh temporary directory and renames it over dist/, so an interrupted build never
 * leaves a half-written dist/. If the build cannot run (esbuild missing or failing), it says so and
 * exits 0 (1 with --strict): bin/vnet.js then runs the sources through tsx, only slower to start.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');

/** The wrapper's parameters; bin/vnet.js calls the compiled function with these, in this order. */
const PARAMS = 'exports, require, module, __filename, __dirname';

// A warm-up script: the commands a typical lab script uses, so their code lands in the cache.
const WARMUP = `ip netns add a
ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 192.0.2.1/24 dev va
ip -n b addr add 192.0.2.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip -n a link set lo up
ip link add br0 type bridge
ip link add link eth0 name mv0 type macvlan mode bridge
ip link set mv0 up
ip netns exec a ping -c 1 -W 1 192.0.2.2
ip -n a neigh show
ip -n a route show
ip -br addr show
ip -d link show
ip netns exec a sysctl net.ipv4.ip_forward
ping -c 1 -W 1 192.0.2.1
`;

if (process.argv[2] === '--warm-up') {
  await warmUp(process.argv[3], process.argv[4]);
} else {
  await build(process.argv.includes('--strict'));
}

function giveUp(why, strict) {
  process.stderr.write(`vnet: dist/ not built (${why}); without an up-to-date dist/, bin/vnet.js runs the TypeScript sources through tsx\n`);
  process.exit(strict ? 1 : 0);
}

async function build(strict) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch (e) {
    giveUp(`esbuild is not installed: ${e instanceof Error ? e.message.split('\n')[0] : e}`, strict);
  }
  const tmp = join(ROOT, `.dist-tmp-${process.pid}`);
  try {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(join(tmp, 'cli'), { recursive: true });
    // Sources edited while the build runs must count as newer than the bundle, so the stamp is
    // taken first, and from the file system's own clock (the one the sources' mtimes come from).
    writeFileSync(join(tmp, 'stamp'), '');
    const startedMs = statSync(join(tmp, 'stamp')).mtimeMs;
    rmSync(join(tmp, 'stamp'));
    const out = join(tmp, 'cli', 'main.cjs');
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: ['src/cli/main.ts'],
      outfile: out,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      // Whitespace and syntax only: identifiers keep their names, so stack traces stay readable.
      minifyWhitespace: true,
      minifySyntax: true,
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'warning',
      legalComments: 'none',
      // ASCII only (other characters as escapes): bin/vnet.js reads the file as latin1.
      charset: 'ascii',
      // The sources are ES modules; main.ts finds worlds/ from import.meta.url.
      define: { 'import.meta.url': '__vnet_import_meta_url' },
      banner: { js: `(function (${PARAMS}) { "use strict"; const __vnet_import_meta_url = require("node:url").pathToFileURL(__filename).href;` },
      footer: { js: '})' },
    });
    const inputs = Object.keys(result.metafile.inputs).map((p) => relative(ROOT, resolve(ROOT, p))).sort();
    // The code cache, from a warm-up run in a child process with no extra flags (V8 accepts a
    // cache only under the flags it was made with: those of a plain `node bin/vnet.js`).
    const cache = `${out}.v8cache`;
    const w = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--warm-up', out, cache],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 120_000 });
    if (w.status !== 0 || !existsSync(cache)) {
      process.stderr.write(`vnet: dist/ built without a code cache (warm-up run failed: ${(w.stderr || w.error?.message || '').trim().split('\n').pop()})\n`);
      rmSync(cache, { force: true });
    }
    writeFileSync(join(tmp, 'inputs.json'), JSON.stringify({ startedMs, inputs }, null, 1) + '\n');
    rmSync(DIST, { recursive: true, force: true });
    renameSync(tmp, DIST);
  } catch (e) {
    try { rmSync(tmp, { recursive: true, force: true }); } catch { /* nothing to remove */ }
    giveUp(`${e instanceof Error ? e.message.split('\n').filter(Boolean).slice(0, 3).join(' ') : e}`, strict);
  }
}

/** Runs the bundle on the warm-up script (default world, then none) and writes V8's code cache. */
async function warmUp(file, cacheFile) {
  const script = new vm.Script(readFileSync(file, 'utf8'), { filename: file });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, createRequire(file), mod, file, dirname(file));
  const sh = join(dirname(file), 'warm-up.sh');
  writeFileSync(sh, WARMUP);
  try {
    for (const args of [['run', sh], ['run', '--world', 'none', sh], ['run', '--json', '--world', 'none', sh]]) {
      // Only its code paths matter here, not its exit status (eth0 is missing from --world none).
      await mod.exports.main(args);
    }
  } finally {
    rmSync(sh, { force: true });
  }
  writeFileSync(cacheFile, script.createCachedData());
}
