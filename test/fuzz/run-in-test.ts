/**
 * Runs bad-input targets under node:test with a fixed seed, so `npm test` is deterministic; a
 * failure prints fast-check's shrunk counterexample and the seed/path to replay it.
 */
import { it } from 'node:test';
import fc from 'fast-check';
import type { Target } from './targets.ts';

export const SEED = 20261122;

export function runTargets(targets: readonly Target[]): void {
  for (const t of targets) {
    // Targets with no runs are fuzz-only (see their comment).
    if (t.runs === 0) continue;
    it(`${t.name} (${t.runs} inputs)`, () => {
      fc.assert(t.property() as fc.IProperty<unknown>, { seed: SEED, numRuns: t.runs });
    });
  }
}
