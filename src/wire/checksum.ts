/**
 * Internet checksum (RFC 1071) helpers.
 *
 * Sums are kept unfolded in a JS number: each 16-bit word adds at most 0xffff, so a sum over
 * anything shorter than ~2^37 bytes is exact, and folding happens once at the end.
 */

/** One's-complement accumulation of big-endian 16-bit words over bytes[off, off+len). */
export function sum16(bytes: Uint8Array, off: number, len: number, acc = 0): number {
  const end = off + len;
  let i = off;
  for (; i + 1 < end; i += 2) acc += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < end) acc += bytes[i]! << 8; // odd trailing byte is padded with zero
  return acc;
}

/** Adds a 32-bit value (e.g. an IPv4 address) to an accumulator as two 16-bit words. */
export function sum32(value: number, acc = 0): number {
  return acc + (value >>> 16) + (value & 0xffff);
}

/** Folds carries into 16 bits (still not inverted). */
export function foldSum(acc: number): number {
  while (acc > 0xffff) acc = (acc % 0x10000) + Math.floor(acc / 0x10000);
  return acc;
}

/** The value to store in a checksum field: ~fold(sum). */
export function internetChecksum(bytes: Uint8Array, off: number, len: number, acc = 0): number {
  return ~foldSum(sum16(bytes, off, len, acc)) & 0xffff;
}

/** True when a range that includes its checksum field sums to 0xffff (i.e. verifies). */
export function verifyChecksum(bytes: Uint8Array, off: number, len: number, acc = 0): boolean {
  return foldSum(sum16(bytes, off, len, acc)) === 0xffff;
}

/**
 * Incremental update (RFC 1624, eqn. 3: HC' = ~(~HC + ~m + m')) when one 16-bit word of the
 * covered data changes from oldWord to newWord.
 */
export function checksumAdjust(oldChecksum: number, oldWord: number, newWord: number): number {
  const sum = (~oldChecksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
  return ~foldSum(sum) & 0xffff;
}

/**
 * tcpdump's in_cksum_shouldbe(): the value the checksum field should have held, given the
 * field's value and `computed` = internetChecksum() over the data including the field.
 */
export function checksumShouldBe(fieldValue: number, computed: number): number {
  let s = fieldValue + computed;
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s & 0xffff;
}
