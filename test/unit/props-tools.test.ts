/**
 * Bad input for the programs: random and grammar-mutated argv through ip, bridge, brctl, ping,
 * arping, tcpdump and sysctl, and random scripts through the lab's shell. The properties live in
 * test/fuzz/tools-targets.ts (`npm run fuzz` runs them longer); below, the bugs they found.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TOOL_TARGETS } from '../fuzz/tools-targets.ts';
import { runTargets } from '../fuzz/run-in-test.ts';
import { splitScript } from '../../src/shell/index.ts';
import { runScript } from '../../src/index.ts';

describe('bad input: tools and shell in a lab', () => runTargets(TOOL_TARGETS));

describe('bad input: regressions', () => {
  it('`case` right after if/then/do inside $( ) is a case (its `)` patterns do not close the $( )', () => {
    const src = 'x=$(if case $x in a|b) echo;; esac; then for i in 1; do case $i in 1) echo y;; esac; done; fi)\necho "$x"\n';
    assert.ok(splitScript(src).ok);
    const r = runScript(src, { world: 'none' });
    assert.equal(r.records.map((x) => x.stdout).join(''), 'y\n');
  });
});
