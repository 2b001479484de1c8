/**
 * Build options of the lab's kernel that change what it can do. The default is the reference
 * machine's kernel (6.18, built without CONFIG_BRIDGE_VLAN_FILTERING); a lab can be given the
 * options of another build, e.g. Debian's, which has bridge VLAN filtering.
 */
export interface KernelConfig {
  /** CONFIG_BRIDGE_VLAN_FILTERING: `vlan_filtering`, `bridge vlan`, the bridge's vlan_* attributes. */
  BRIDGE_VLAN_FILTERING: boolean;
}

export const DEFAULT_KERNEL_CONFIG: Readonly<KernelConfig> = { BRIDGE_VLAN_FILTERING: false };

export const KERNEL_CONFIG_NAMES: readonly (keyof KernelConfig)[] = ['BRIDGE_VLAN_FILTERING'];

/** The full configuration: the given options over the defaults. */
export function makeKernelConfig(opts: Partial<KernelConfig> = {}): KernelConfig {
  const c: KernelConfig = { ...DEFAULT_KERNEL_CONFIG };
  for (const k of KERNEL_CONFIG_NAMES) if (opts[k] !== undefined) c[k] = !!opts[k];
  return c;
}

/**
 * One `NAME=y|n` (the `CONFIG_` prefix is optional, as in a .config file's names; `=m` counts as
 * built, since vnet loads every module on demand). Returns [name, value] or an error message.
 */
export function parseKernelConfig(spec: string): [keyof KernelConfig, boolean] | string {
  const names = KERNEL_CONFIG_NAMES.join(', ');
  const m = /^(?:CONFIG_)?([A-Z0-9_]+)=(y|m|n)$/.exec(spec);
  if (!m) return `bad kernel config "${spec}" (expected NAME=y or NAME=n; names: ${names})`;
  const name = m[1] as keyof KernelConfig;
  if (!KERNEL_CONFIG_NAMES.includes(name)) return `unknown kernel config "${m[1]}" (names: ${names})`;
  return [name, m[2] !== 'n'];
}

/** The options that differ from the default build, as `NAME=y|n` (for state files and messages). */
export function kernelConfigDiff(c: Partial<KernelConfig> | undefined): Partial<KernelConfig> {
  const out: Partial<KernelConfig> = {};
  if (!c) return out;
  for (const k of KERNEL_CONFIG_NAMES) if (c[k] !== undefined && !!c[k] !== DEFAULT_KERNEL_CONFIG[k]) out[k] = !!c[k];
  return out;
}

/** Whether `v` is a valid saved `kernelConfig` object (known names, boolean values). */
export function validKernelConfig(v: unknown): v is Partial<KernelConfig> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  return Object.entries(v).every(([k, x]) => (KERNEL_CONFIG_NAMES as readonly string[]).includes(k) && typeof x === 'boolean');
}
