// Lexer, parser and splitScript. Expected syntax-error texts were checked against bash 5.2.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeRun } from '../../src/shell/fakehost.ts';
import { splitScript } from '../../src/shell/index.ts';
import { Lexer, ParseError } from '../../src/shell/lexer.ts';
import { Parser } from '../../src/shell/parser.ts';

function tokens(src: string): string[] {
  const lx = new Lexer(src);
  const out: string[] = [];
  for (;;) {
    const t = lx.next();
    if (t.k === 'eof') return out;
    out.push(t.k === 'word' ? `W:${t.word.raw}` : t.k === 'op' ? `O:${t.fd ?? ''}${t.op}` : 'NL');
  }
}

describe('lexer', () => {
  it('splits words, operators and io numbers', () => {
    assert.deepEqual(tokens('echo a|b&&c 2>&1 >>f; d &'), [
      'W:echo', 'W:a', 'O:|', 'W:b', 'O:&&', 'W:c', 'O:2>&', 'W:1', 'O:>>', 'W:f', 'O:;', 'W:d', 'O:&',
    ]);
  });
  it('keeps quotes inside one word and skips comments and continuations', () => {
    assert.deepEqual(tokens(`echo "a b"'c d'\\ e # comment\nx \\\n y`), ['W:echo', `W:"a b"'c d'\\ e`, 'NL', 'W:x', 'W:y']);
  });
  it('a # inside a word is not a comment', () => {
    assert.deepEqual(tokens('echo a#b $#'), ['W:echo', 'W:a#b', 'W:$#']);
  });
  it('finds the end of $( ... ) with nested quotes and parens', () => {
    assert.deepEqual(tokens('echo $(echo ")" $(echo (x)) ) z'), ['W:echo', 'W:$(echo ")" $(echo (x)) )', 'W:z']);
  });
  it('reports unterminated quotes at the line where they start', () => {
    assert.throws(() => tokens('echo a\necho "b\n\nc'), (e: unknown) => e instanceof ParseError && e.line === 2 && e.message === "unexpected EOF while looking for matching `\"'");
  });
});

describe('parser', () => {
  it('parses one top-level line at a time', () => {
    const p = new Parser('a; b &\nif x; then y; fi\n');
    const u1 = p.parseUnit()!;
    assert.equal(u1.items.length, 2);
    assert.equal(u1.items[1].bg, true);
    const u2 = p.parseUnit()!;
    assert.equal(u2.items[0].cmd.first.cmds[0].cmd.type, 'if');
    assert.equal(p.parseUnit(), null);
  });
  it('recognizes reserved words only in command position', () => {
    const p = new Parser('echo if then fi }');
    const c = p.parseUnit()!.items[0].cmd.first.cmds[0].cmd;
    assert.equal(c.type, 'simple');
    if (c.type === 'simple') assert.deepEqual(c.words.map((w) => w.raw), ['echo', 'if', 'then', 'fi', '}']);
  });
  it('parses assignments, functions, case and [[ ]]', () => {
    const p = new Parser('A=1 B=$x cmd; f() { :; }; case a in a|b) ;; esac; [[ a =~ ^(x|y)$ ]]');
    const items = p.parseUnit()!.items;
    const simple = items[0].cmd.first.cmds[0].cmd;
    assert.equal(simple.type === 'simple' && simple.assigns.map((a) => a.name).join(), 'A,B');
    assert.deepEqual(items.map((i) => i.cmd.first.cmds[0].cmd.type), ['simple', 'func', 'case', 'cond']);
  });
});

describe('splitScript', () => {
  it('reports top-level commands with lines and source text', () => {
    const r = splitScript([
      '#!/bin/bash',
      '# comment',
      'ip link add \\',
      '   veth0 type veth; echo done   # trailing',
      'tcpdump -i eth0 -e &',
      '',
      'if true; then',
      '  echo yes',
      'fi',
      'cat <<EOF | grep x; echo after',
      'body $x',
      'EOF',
      'false && echo no',
    ].join('\n'));
    assert.ok(r.ok);
    assert.deepEqual(r.commands, [
      { line: 3, command: 'ip link add \\\n   veth0 type veth', background: false },
      { line: 4, command: 'echo done', background: false },
      { line: 5, command: 'tcpdump -i eth0 -e', background: true },
      { line: 7, command: 'if true; then\n  echo yes\nfi', background: false },
      { line: 10, command: 'cat <<EOF | grep x\nbody $x\nEOF', background: false },
      { line: 10, command: 'echo after', background: false },
      { line: 13, command: 'false && echo no', background: false },
    ]);
  });
  it('returns bash-style syntax errors', () => {
    assert.deepEqual(splitScript('echo a\necho )\n'), {
      ok: false,
      error: "vnet: line 2: syntax error near unexpected token `)'\nvnet: line 2: `echo )'",
    });
    assert.deepEqual(splitScript('if true; then\n'), { ok: false, error: 'vnet: line 2: syntax error: unexpected end of file' });
  });
});

describe('syntax errors when running (bash 5.2 wording)', () => {
  const cases: [string, string, string][] = [
    ['echo a\necho )\necho b\n', 'a\n', "s.sh: line 2: syntax error near unexpected token `)'\ns.sh: line 2: `echo )'\n"],
    ['echo a; echo "b\necho c\n', '', 's.sh: line 1: unexpected EOF while looking for matching `"\'\n'],
    ['echo a\nif true; then\necho x\n', 'a\n', 's.sh: line 4: syntax error: unexpected end of file\n'],
    ['if true; then\n   echo )  \nfi\n', '', "s.sh: line 2: syntax error near unexpected token `)'\ns.sh: line 2: `   echo )  '\n"],
    ['echo a |\n', '', 's.sh: line 2: syntax error: unexpected end of file\n'],
    ['while true; do', '', 's.sh: line 2: syntax error: unexpected end of file\n'],
    ['fi\n', '', "s.sh: line 1: syntax error near unexpected token `fi'\ns.sh: line 1: `fi'\n"],
    ['echo a;;\n', '', "s.sh: line 1: syntax error near unexpected token `;;'\ns.sh: line 1: `echo a;;'\n"],
    ['echo a >\n', '', "s.sh: line 1: syntax error near unexpected token `newline'\ns.sh: line 1: `echo a >'\n"],
    ['for x in a b; echo $x; done\n', '', "s.sh: line 1: syntax error near unexpected token `echo'\ns.sh: line 1: `for x in a b; echo $x; done'\n"],
    ['f() echo x\n', '', "s.sh: line 1: syntax error near unexpected token `echo'\ns.sh: line 1: `f() echo x'\n"],
    ['( )\n', '', "s.sh: line 1: syntax error near unexpected token `)'\ns.sh: line 1: `( )'\n"],
    ['{ }\n', '', "s.sh: line 1: syntax error near unexpected token `}'\ns.sh: line 1: `{ }'\n"],
    ['echo $(echo a\n', '', "s.sh: line 2: unexpected EOF while looking for matching `)'\n"],
    ["echo 'abc\n\n", '', "s.sh: line 1: unexpected EOF while looking for matching `''\n"],
    ['echo `echo a\n\n', '', "s.sh: line 1: unexpected EOF while looking for matching ``'\n"],
  ];
  for (const [src, out, err] of cases) {
    it(JSON.stringify(src), () => {
      const r = fakeRun(src, { scriptName: 's.sh' });
      assert.equal(r.stdout, out);
      assert.equal(r.stderr, err);
      assert.equal(r.status, 2);
    });
  }
  it('warns about a here-doc ended by end of file and still runs it', () => {
    const r = fakeRun('cat <<EOF\nhello\n', { scriptName: 's.sh' });
    assert.equal(r.stdout, 'hello\n');
    assert.equal(r.stderr, "s.sh: line 2: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')\n");
    assert.equal(r.status, 0);
  });
  it('records the unparsable line with status 2', () => {
    const r = fakeRun('echo ok\necho )\n');
    assert.deepEqual(r.records.map((x) => [x.line, x.command, x.exit]), [[1, 'echo ok', 0], [2, 'echo )', 2]]);
    assert.match(r.records[1].stderr, /syntax error near unexpected token/);
  });
});
