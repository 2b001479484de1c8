/**
 * Seeded pseudo-random generator (xoshiro128**), so generated MACs and jitter are the same on
 * every run of the same script. Its state is four 32-bit words and can be saved and restored.
 */
export class Rng {
  private s: Uint32Array;

  constructor(seed = 0x5eed) {
    // splitmix32 expands the seed into a non-zero state.
    this.s = new Uint32Array(4);
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!; s[3]! ^= s[1]!; s[1]! ^= s[2]!; s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number { return Math.floor((this.nextU32() / 0x100000000) * n); }

  /** A random locally administered unicast MAC, as the kernel's eth_random_addr makes. */
  randomMac(): Uint8Array {
    const b = new Uint8Array(6);
    const a = this.nextU32(), c = this.nextU32();
    b[0] = ((a >>> 24) & 0xfe) | 0x02; b[1] = (a >>> 16) & 0xff; b[2] = (a >>> 8) & 0xff;
    b[3] = a & 0xff; b[4] = (c >>> 8) & 0xff; b[5] = c & 0xff;
    return b;
  }

  getState(): number[] { return Array.from(this.s); }
  setState(st: readonly number[]): void { for (let i = 0; i < 4; i++) this.s[i] = (st[i] ?? 0) >>> 0; }
}

function rotl(x: number, k: number): number { return ((x << k) | (x >>> (32 - k))) >>> 0; }
