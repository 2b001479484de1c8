#!/usr/bin/env node
// Launcher. Runs the bundle in dist/ (built by `npm ci` / `npm run build`, see scripts/build-dist.mjs)
// when it is there and up to date with the sources it was built from; otherwise the TypeScript
// sources through tsx's loader (no build step needed, but every start transforms every module).
// VNET_NO_DIST=1 forces the sources.
import { createRequire } from 'node:module';

// Built-ins through require: an ES import of node:fs builds a facade that loads fs's streams too.
const require = createRequire(import.meta.url);
const { readFileSync, statSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { fileURLToPath } = require('node:url');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** dist/'s bundle path if dist/ is complete and none of its sources changed since it was built. */
function freshBundle() {
  if (process.env.VNET_NO_DIST) return null;
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(root, 'dist', 'inputs.json'), 'utf8'));
  } catch {
    return null;
  }
  if (typeof manifest?.startedMs !== 'number' || !Array.isArray(manifest.inputs)) return null;
  for (const p of manifest.inputs) {
    const st = statSync(join(root, p), { throwIfNoEntry: false });
    // Both sides come from the file system's clock; a source touched in the build's first tick counts as newer.
    if (!st || st.mtimeMs >= manifest.startedMs) return null;
  }
  return join(root, 'dist', 'cli', 'main.cjs');
}

/** Compiles the bundle (a function expression) with V8's code cache when it has one, and runs it. */
function loadBundle(file) {
  const vm = require('node:vm');
  let source;
  // esbuild writes ASCII only (non-ASCII characters as escapes): latin1 is the cheap exact decoding.
  try { source = readFileSync(file, 'latin1'); } catch { return null; }
  let cachedData;
  try { cachedData = readFileSync(`${file}.v8cache`); } catch { /* no cache: V8 compiles as usual */ }
  const script = new vm.Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, createRequire(file), mod, file, dirname(file));
  return mod.exports.main;
}

const bundle = freshBundle();
let main = bundle ? loadBundle(bundle) : null;
if (!main) {
  // Node ≥ 22.1 can keep V8's compiled code of the transformed modules between runs.
  const module = require('node:module');
  if (typeof module.enableCompileCache === 'function') {
    try { module.enableCompileCache(); } catch { /* only an optimisation */ }
  }
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
