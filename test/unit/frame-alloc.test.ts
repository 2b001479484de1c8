/**
 * allocFrame (src/core/ipv4/bytes.ts): frames carved from shared slabs must behave exactly like
 * `new Uint8Array(n)` — zeroed, the right length, and independent of every other frame.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allocFrame } from '../../src/core/ipv4/bytes.ts';

test('allocFrame: zeroed, sized, and independent of other frames', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 300 }), (sizes) => {
    const frames = sizes.map((n, i) => {
      const f = allocFrame(n);
      assert.equal(f.length, n);
      assert.ok(f.every((b) => b === 0), 'a new frame is all zeros');
      f.fill((i % 255) + 1); // scribble all over it before the next one is made
      return f;
    });
    frames.forEach((f, i) => assert.ok(f.every((b) => b === (i % 255) + 1), `frame ${i} kept its own bytes`));
  }), { numRuns: 50 });
});

test('allocFrame: writes past a frame are refused, not spilled into its neighbour', () => {
  const a = allocFrame(98);
  const b = allocFrame(98);
  a[98] = 7; // out of range on a typed array: ignored
  a.set([1, 2, 3], 95);
  assert.equal(b[0], 0);
  assert.throws(() => a.set([1, 2, 3, 4], 95), RangeError);
  assert.ok(b.every((x) => x === 0));
});
