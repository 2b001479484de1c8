/**
 * Scenario files (test/scenarios/*.sh) and worlds (worlds/*.sh).
 *
 * Header comment lines a scenario may carry (anywhere in its leading comment block):
 *   # world: none | default     which world runs first (none when absent)
 *   # requires: 8021q ipvlan    kernel features this VM lacks: the scenario runs in vnet only
 *   # rule: …                   one line: what the kernel does, and where that is written down
 */

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCENARIO_DIR = join(REPO, 'test', 'scenarios');
export const WORLD_DIR = join(REPO, 'worlds');

/** Features the test VM's kernel lacks (reference §0); scenarios needing them run in vnet only. */
export const MISSING_ON_THIS_KERNEL = new Set(['8021q', 'vlan', 'ipvlan', 'ipvtap', 'dummy', 'bonding', 'bond', 'vlan_filtering', 'team', 'teamd', 'vconfig', 'kmod', 'vrf', 'nlmon', 'netdevsim', 'devlink', 'gre', 'gretap', 'geneve']);

export interface ScenarioHeader {
  world: string; // 'none' | 'default' | other world name
  requires: string[];
  rule: string;
  /**
   * `# known-gap: REASON`: vnet does not emulate something this script needs yet. The run is
   * still compared and every difference printed, but reported as a known gap (node:test todo),
   * counted apart in the summary, instead of failing the suite.
   */
  knownGap: string;
}

export function parseHeader(text: string): ScenarioHeader {
  const h: ScenarioHeader = { world: 'none', requires: [], rule: '', knownGap: '' };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#!')) continue;
    if (!line.startsWith('#')) break; // the header is the leading comment block
    const m = /^#\s*(world|requires|rule|known-gap)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const value = m[2]!.trim();
    if (m[1] === 'world') h.world = value || 'none';
    else if (m[1] === 'requires') h.requires.push(...value.split(/[\s,|]+/).filter(Boolean));
    else if (m[1] === 'known-gap') h.knownGap = value;
    else h.rule = value;
  }
  return h;
}

/**
 * The text of a world: `none` → '' (nothing runs), a name → worlds/NAME.sh, anything containing a
 * slash → that file.
 */
export function worldText(world: string): string {
  if (world === 'none' || world === '') return '';
  const path = world.includes('/') ? world : join(WORLD_DIR, `${world}.sh`);
  return readFileSync(path, 'utf8');
}

export interface Scenario {
  name: string;
  path: string;
  text: string;
  header: ScenarioHeader;
  /** Requirements this kernel cannot meet (empty → runs on the kernel too). */
  missing: string[];
}

export function listScenarios(dir = SCENARIO_DIR): Scenario[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sh'))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      const text = readFileSync(path, 'utf8');
      const header = parseHeader(text);
      return {
        name: f.replace(/\.sh$/, ''),
        path,
        text,
        header,
        missing: header.requires.filter((r) => MISSING_ON_THIS_KERNEL.has(r)),
      };
    });
}
