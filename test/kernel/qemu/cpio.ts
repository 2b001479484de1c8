/**
 * A writer for the cpio "newc" format the kernel unpacks as its initramfs
 * (Documentation/driver-api/early-userspace/buffer-format.rst). Several archives, each ending with
 * its TRAILER!!!, may be concatenated (compressed or not): the kernel unpacks them in order, later
 * files replacing earlier ones. That is how a run's scenarios are appended to the cached image.
 */

export type CpioEntry =
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'file'; path: string; data: Buffer | string; mode?: number }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'chardev'; path: string; major: number; minor: number; mode?: number };

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

function pad4(n: number): number {
  return (4 - (n % 4)) % 4;
}

/** One newc archive of `entries` (paths relative to /, without a leading slash), ending with the trailer. */
export function cpioNewc(entries: CpioEntry[], firstIno = 1): Buffer {
  const parts: Buffer[] = [];
  let ino = firstIno;
  const push = (name: string, mode: number, data: Buffer, rdevMajor = 0, rdevMinor = 0) => {
    const nameBuf = Buffer.from(name + '\0', 'utf8');
    const header =
      '070701' +
      hex8(ino++) +
      hex8(mode) +
      hex8(0) + // uid
      hex8(0) + // gid
      hex8(mode & 0o040000 ? 2 : 1) + // nlink
      hex8(0) + // mtime: fixed, so the image is reproducible
      hex8(data.length) +
      hex8(0) + // devmajor
      hex8(0) + // devminor
      hex8(rdevMajor) +
      hex8(rdevMinor) +
      hex8(nameBuf.length) +
      hex8(0); // check
    parts.push(Buffer.from(header, 'ascii'), nameBuf, Buffer.alloc(pad4(110 + nameBuf.length)));
    parts.push(data, Buffer.alloc(pad4(data.length)));
  };
  for (const e of entries) {
    const path = e.path.replace(/^\/+/, '');
    switch (e.type) {
      case 'dir':
        push(path, 0o040000 | (e.mode ?? 0o755), Buffer.alloc(0));
        break;
      case 'file':
        push(path, 0o100000 | (e.mode ?? 0o644), typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : e.data);
        break;
      case 'symlink':
        push(path, 0o120000 | 0o777, Buffer.from(e.target, 'utf8'));
        break;
      case 'chardev':
        push(path, 0o020000 | (e.mode ?? 0o600), Buffer.alloc(0), e.major, e.minor);
        break;
    }
  }
  push('TRAILER!!!', 0, Buffer.alloc(0));
  const out = Buffer.concat(parts);
  // archives are concatenated: keep each one a multiple of 512 bytes, like cpio(1) does
  return Buffer.concat([out, Buffer.alloc((512 - (out.length % 512)) % 512)]);
}
