/**
 * What the qemu judge's kernel shows that must differ from vnet by construction, and nothing else.
 *
 * - The kernel release: the VM runs Debian's kernel (`uname -r` → 6.1.0-56-amd64), vnet names its
 *   own (6.18.0-vnet); it shows in /proc/net/bonding/* ("Ethernet Channel Bonding Driver:
 *   v6.1.0-56-amd64"), /proc/version, `modinfo`, modprobe's messages. Both sides' release becomes
 *   `<kernel-release>` before the records are compared: the VM's exact release string on the
 *   judge's side, vnet's `uname -r` (or, while vnet has no uname, anything shaped N.N.N-vnet) on vnet's.
 *
 * Everything else the 6.1 judge prints is compared as it is: where Debian 6.1 and the host's newer
 * kernel disagree (see `cli.ts crosscheck`), the mismatch is reported, not hidden.
 */

import type { RunRecord } from '../normalize.ts';

export const RELEASE_PLACEHOLDER = '<kernel-release>';

/** `records` with every occurrence of `release` (a string, or a pattern) in stdout/stderr replaced by the placeholder. */
export function maskKernelRelease<R extends RunRecord>(records: readonly R[], release: string | RegExp): R[] {
  if (release === '') return [...records];
  const fix = (s: string) => (typeof release === 'string' ? s.split(release).join(RELEASE_PLACEHOLDER) : s.replace(release, RELEASE_PLACEHOLDER));
  return records.map((r) => ({ ...r, stdout: fix(r.stdout), stderr: fix(r.stderr) }));
}

/** How vnet's release is recognised: its `uname -r` when it has one, else the N.N.N-vnet shape. */
export function vnetReleasePattern(unameOutput: string | undefined): string | RegExp {
  const r = (unameOutput ?? '').trim();
  return r !== '' && !/\s/.test(r) ? r : /(?<![\d.])\d+\.\d+(?:\.\d+)?-vnet\b/g;
}
