// Property-based tests: arbitrary input never makes the shell throw or hang.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { evalArith } from '../../src/shell/arith.ts';
import { shellQuote } from '../../src/shell/builtins.ts';
import { FakeHost, fakeRun } from '../../src/shell/fakehost.ts';
import { splitScript } from '../../src/shell/index.ts';
import { Lexer, ParseError } from '../../src/shell/lexer.ts';
import { Parser } from '../../src/shell/parser.ts';

const TOKENS = [
  'echo', 'printf', 'cat', 'test', '[', ']', 'true', 'false', 'sleep', '1', '0.5', 'wait', 'kill', '%1', '$!',
  'jobs', 'timeout', 'set', '-e', '+e', '-o', 'pipefail', 'exit', 'cd', 'export', 'unset', 'read', 'x', 'A=b',
  'quick', 'fail', 'slow', 'daemon', 'forever', 'stubborn', 'chatter', 'xcat', 'eval', 'local', 'return',
  'if', 'then', 'elif', 'else', 'fi', 'for', 'in', 'do', 'done', 'while', 'until', 'case', 'esac', 'break',
  'continue', 'f()', '{', '}', '(', ')', '((', '))', '[[', ']]', '|', '||', '&&', '&', ';', ';;', '\n', '!',
  '>', '>>', '<', '2>&1', '&>', '/tmp/f', '/dev/null', '<<EOF', 'EOF', '<<<', '"', "'", '\\', '`', '$', '$(', '${',
  '}', '$x', '"$x"', "'a b'", '$((1+2))', '${x:-d}', '*', '?', '#', '=~', '==', '-eq', '$?', '$@', 'trap',
];

const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }).map((t) => t.join(' '));
const chars = fc.string({ unit: fc.constantFrom(...'ab $(){}[]\'"`\\|&;<>#\n\t=*?!%0123456789-+~/:,.^'.split('')), maxLength: 60 });
const anyText = fc.oneof(soup, chars, fc.string({ maxLength: 40 }));

function lexAll(s: string): number {
  const lx = new Lexer(s);
  let n = 0;
  for (;;) {
    const t = lx.next();
    if (t.k === 'eof') return n;
    n++;
    // Every token consumes input: a lexer that stalls would loop forever.
    assert.ok(n <= s.length + 1, 'lexer made no progress');
  }
}

describe('never throws, never hangs', () => {
  it('lexer: tokens or a ParseError', () => {
    fc.assert(fc.property(anyText, (s) => {
      try { lexAll(s); } catch (e) { if (!(e instanceof ParseError)) throw e; }
    }), { numRuns: 500 });
  });

  it('parser: units or a ParseError', () => {
    fc.assert(fc.property(anyText, (s) => {
      const p = new Parser(s);
      try {
        for (let i = 0; p.parseUnit(); i++) assert.ok(i <= s.length, 'parser made no progress');
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
      }
    }), { numRuns: 500 });
  });

  it('splitScript: always a result, texts are slices of the source', () => {
    fc.assert(fc.property(anyText, (s) => {
      const r = splitScript(s);
      if (r.ok) for (const c of r.commands) for (const part of c.command.split('\n')) assert.ok(s.includes(part));
      else assert.match(r.error, /^vnet: line \d+: /);
    }), { numRuns: 500 });
  });

  it('runner: any script ends with a status and never throws', () => {
    fc.assert(fc.property(anyText, (s) => {
      const host = new FakeHost();
      const r = fakeRun(s, { host, maxLoopIterations: 20, maxWaitSeconds: 30, maxFuncDepth: 20 });
      assert.ok(Number.isInteger(r.status) && r.status >= 0 && r.status <= 255, `status ${r.status}`);
      assert.doesNotMatch(r.stderr, /internal error/);
    }), { numRuns: 400 });
  });

  it('runner: absurd nesting is an error, not a crash', () => {
    const deep = '('.repeat(5000) + 'echo x' + ')'.repeat(5000);
    const r = fakeRun(`${deep}\necho after`);
    assert.ok(r.status >= 0);
    const subs = '$('.repeat(3000) + 'echo y' + ')'.repeat(3000);
    assert.ok(fakeRun(`echo ${subs}`).status >= 0);
  });
});

describe('round trips', () => {
  it('records report exactly the commands splitScript finds', () => {
    const cmd = fc.constantFrom(
      'echo a', 'true', 'quick x \\\n  y', 'false || true', 'if true; then echo x; fi', 'f() { :; }',
      'xcat <<EOF\nbody\nEOF', '  echo  spaced  # comment', '{ echo g; }', '(echo s)', 'slow 1', 'sleep 0.5', '# only comment',
    );
    const sep = fc.constantFrom('; ', '\n', ' & ', '\n\n', ' &\n');
    const script = fc.array(fc.tuple(cmd, sep), { minLength: 1, maxLength: 8 })
      .map((xs) => xs.map(([c, s]) => (c.startsWith('#') || c.includes('<<') ? c + '\n' : c + s)).join(''));
    fc.assert(fc.property(script, (s) => {
      const split = splitScript(s);
      assert.ok(split.ok);
      const r = fakeRun(s);
      assert.deepEqual(r.records.map((x) => ({ line: x.line, command: x.command, background: x.background })), split.commands);
    }), { numRuns: 300 });
  });

  it('printf %s of a quoted string gives the string back', () => {
    const special = fc.constantFrom('\n', '\t', '\x1b', "'", '"', '\\', '$', '`', ' ', '*', '~', '\x7f', 'é', '😀');
    const str = fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: special, maxLength: 20 }))
      .filter((s) => !s.includes('\0'));
    fc.assert(fc.property(str, (s) => {
      const r = fakeRun(`printf %s ${shellQuote(s)}`);
      assert.equal(r.stdout, s);
    }), { numRuns: 300 });
  });

  it('single quotes keep everything literal', () => {
    fc.assert(fc.property(fc.string({ maxLength: 30 }).filter((s) => !s.includes("'") && !s.includes('\0')), (s) => {
      assert.equal(fakeRun(`echo -n '${s}'`).stdout, s);
    }), { numRuns: 300 });
  });

  it('$(( )) is 64-bit two\'s complement arithmetic', () => {
    const i64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    fc.assert(fc.property(i64, i64, (a, b) => {
      const vars = { get: () => undefined, set: () => {} };
      assert.equal(evalArith(`${a} + ${b}`.replace('+ -', '- '), vars), BigInt.asIntN(64, a + b));
      assert.equal(evalArith(`(${a}) * (${b})`, vars), BigInt.asIntN(64, a * b));
      if (b !== 0n) assert.equal(evalArith(`(${a}) / (${b})`, vars), BigInt.asIntN(64, a / b));
    }), { numRuns: 300 });
  });
});
