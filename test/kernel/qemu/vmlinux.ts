/**
 * Extracts the uncompressed kernel (vmlinux, an ELF file) from a bzImage — what the kernel's
 * scripts/extract-vmlinux does, written again here.
 *
 * Why: under TCG (software emulation) the bzImage's own decompressor is slow; qemu boots an ELF
 * vmlinux directly through its PVH entry point (Debian builds with CONFIG_PVH=y), saving seconds.
 *
 * How: the x86 boot protocol (Documentation/x86/boot.rst, version >= 2.08) says where the
 * compressed payload is: it starts `payload_offset` (u32 at 0x248) bytes after the protected-mode
 * code, which starts after `setup_sects` (u8 at 0x1f1; 0 means 4) + 1 sectors of 512 bytes, and is
 * `payload_length` (u32 at 0x24c) bytes long. The payload's magic tells the compression (Debian: xz);
 * gzip is decompressed here, xz/zstd/lzma/bzip2/lz4 by the usual command-line tool (like
 * extract-vmlinux does). When the header looks wrong, every offset where a known magic occurs is
 * tried, as extract-vmlinux does. The result must start with the ELF magic.
 */

import { spawnSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';

interface Codec {
  name: string;
  magic: number[];
  decompress: (data: Buffer) => Buffer | undefined;
}

function tool(cmd: string, args: string[]): (data: Buffer) => Buffer | undefined {
  return (data) => {
    const r = spawnSync(cmd, args, { input: data, maxBuffer: 1 << 30 });
    // the payload may carry trailing bytes (the appended size): keep whatever was produced
    return r.stdout && r.stdout.length > 0 ? r.stdout : undefined;
  };
}

const CODECS: Codec[] = [
  {
    name: 'gzip',
    magic: [0x1f, 0x8b, 0x08],
    decompress: (d) => {
      try {
        return gunzipSync(d, { finishFlush: 2 /* Z_SYNC_FLUSH: tolerate trailing bytes */ });
      } catch {
        return tool('gzip', ['-dc'])(d);
      }
    },
  },
  { name: 'xz', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], decompress: tool('xz', ['-dc', '--single-stream', '-q']) },
  { name: 'zstd', magic: [0x28, 0xb5, 0x2f, 0xfd], decompress: tool('zstd', ['-dcq']) },
  { name: 'lzma', magic: [0x5d, 0x00, 0x00, 0x00], decompress: tool('xz', ['-dc', '--format=lzma', '-q']) },
  { name: 'bzip2', magic: [0x42, 0x5a, 0x68], decompress: tool('bzip2', ['-dcq']) },
  { name: 'lz4', magic: [0x02, 0x21, 0x4c, 0x18], decompress: tool('lz4', ['-dcq']) },
];

const isElf = (b: Buffer | undefined): boolean =>
  !!b && b.length > 64 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;

function startsWith(buf: Buffer, at: number, magic: number[]): boolean {
  return magic.every((v, i) => buf[at + i] === v);
}

/** The vmlinux inside a bzImage; throws when none can be found. */
export function extractVmlinux(bz: Buffer): Buffer {
  if (isElf(bz)) return bz; // already uncompressed
  const tried: string[] = [];
  // 1. the boot protocol's header
  if (bz.length > 0x250 && bz.toString('latin1', 0x202, 0x206) === 'HdrS' && bz.readUInt16LE(0x206) >= 0x208) {
    const setupSects = bz[0x1f1] || 4;
    const start = (setupSects + 1) * 512 + bz.readUInt32LE(0x248);
    const len = bz.readUInt32LE(0x24c);
    const payload = bz.subarray(start, start + len);
    for (const c of CODECS) {
      if (!startsWith(payload, 0, c.magic)) continue;
      tried.push(`${c.name} at header offset ${start}`);
      const out = c.decompress(payload);
      if (out && isElf(out)) return out;
    }
  }
  // 2. extract-vmlinux's way: every place a magic occurs
  for (const c of CODECS) {
    let at = bz.indexOf(Buffer.from(c.magic));
    while (at >= 0) {
      tried.push(`${c.name} at ${at}`);
      const out = c.decompress(bz.subarray(at));
      if (out && isElf(out)) return out;
      at = bz.indexOf(Buffer.from(c.magic), at + 1);
    }
  }
  throw new Error(`no vmlinux found in the bzImage (tried: ${tried.join(', ') || 'nothing matched a known magic'})`);
}
