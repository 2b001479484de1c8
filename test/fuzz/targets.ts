/**
 * Every bad-input property, by name. `npm test` runs each with a fixed seed and `runs` inputs
 * (test/unit/props-*.test.ts, model.test.ts); `npm run fuzz` runs them unseeded for as long as
 * it is given (scripts/fuzz.ts).
 */
import fc from 'fast-check';
import { runScenario, scenario } from './model.ts';

export interface Target {
  name: string;
  group: 'wire' | 'tools' | 'model' | 'state';
  /**
   * Inputs per `npm test` run (kept so that all targets together take well under a minute).
   * 0 = a differential target with known, reported differences: not in `npm test`, and in
   * `npm run fuzz` only when named (`--only NAME` or `--all`).
   */
  runs: number;
  property(): fc.IProperty<never> | fc.IProperty<unknown>;
}

const model: Target = {
  name: 'lab-model', group: 'model', runs: 150,
  property: () => fc.property(scenario, (steps) => { runScenario(steps); }),
};

export const MODEL_TARGETS: Target[] = [model];

export async function allTargets(): Promise<Target[]> {
  const { WIRE_TARGETS } = await import('./wire-targets.ts');
  const { TOOL_TARGETS } = await import('./tools-targets.ts');
  const { STATE_TARGETS } = await import('./state-targets.ts').catch(() => ({ STATE_TARGETS: [] as Target[] }));
  return [...WIRE_TARGETS, ...TOOL_TARGETS, ...MODEL_TARGETS, ...STATE_TARGETS];
}
