/**
 * Bad input for the save-file reader: truncated, bit-flipped, spliced, random and edited-then-
 * re-signed state files are refused with a message naming the file, never a crash; a file that is
 * accepted rebuilds exactly the lab it describes. The property lives in test/fuzz/state-targets.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STATE_TARGETS } from '../fuzz/state-targets.ts';
import { runTargets } from '../fuzz/run-in-test.ts';
import { decodeState } from '../../src/state/format.ts';

describe('bad input: state files', () => {
  runTargets(STATE_TARGETS);
  it('a header without a version says so (not "version undefined")', () => {
    const r = decodeState('{"magic":"vnet-state"}\n{}');
    assert.deepEqual(r, { ok: false, error: 'damaged: the header has no format version' });
  });
});
