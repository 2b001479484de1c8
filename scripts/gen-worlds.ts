/**
 * Embeds worlds/*.sh into src/worlds.ts so the library (and the browser build) has the worlds
 * without reading files. Run by `npm run gen`; a unit test fails if the two drift apart.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function renderWorlds(): string {
  const dir = join(root, 'worlds');
  const names = readdirSync(dir).filter((f) => f.endsWith('.sh')).sort();
  let out = '/** Generated from worlds/*.sh by scripts/gen-worlds.ts — do not edit by hand. */\n';
  out += 'export const WORLDS: Readonly<Record<string, string>> = {\n';
  for (const f of names) out += `  ${JSON.stringify(f.replace(/\.sh$/, ''))}: ${JSON.stringify(readFileSync(join(dir, f), 'utf8'))},\n`;
  return out + '};\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(join(root, 'src', 'worlds.ts'), renderWorlds());
}
