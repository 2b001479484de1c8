/**
 * Builds a lab with the drivers and protocols the kernel would have built in, and re-exports the
 * core API used by tools and front-ends.
 */
import { Lab, type LabOptions } from './lab.ts';
import { installDevCore } from './dev.ts';
import { createLoopback } from './drivers/loopback.ts';
import { vethKind } from './drivers/veth.ts';
import { registerKind } from './rtnl.ts';

export type LabModule = (lab: Lab) => void;

/** Kernel modules vnet has built in, installed in this order at lab creation. */
const builtins: LabModule[] = [];

export function registerBuiltin(m: LabModule): void { builtins.push(m); }

export function createLab(opts: LabOptions = {}): Lab {
  const lab = new Lab(opts);
  installDevCore(lab);
  registerKind(lab, vethKind);
  for (const m of builtins) m(lab);
  createLoopback(lab.init);
  return lab;
}

export { Lab };
