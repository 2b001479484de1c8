/**
 * Brace expansion (`{a,b}`, `{1..5}`, `{a..e..2}`), bash's first expansion. It works on a word's
 * parts: only braces, commas and dots in unquoted literal text are syntax; quoted text and
 * $-expansions are carried along untouched.
 */
import type { Word, WordPart } from './ast.ts';

type Item = { ch: string } | { part: WordPart };

function toItems(parts: readonly WordPart[]): Item[] {
  const out: Item[] = [];
  for (const p of parts) {
    if (p.t === 'lit' && !p.q) for (const ch of p.v) out.push({ ch });
    else out.push({ part: p });
  }
  return out;
}

function toParts(items: Item[]): WordPart[] {
  const out: WordPart[] = [];
  for (const it of items) {
    if ('ch' in it) {
      const last = out[out.length - 1];
      if (last && last.t === 'lit' && !last.q) last.v += it.ch;
      else out.push({ t: 'lit', v: it.ch, q: false });
    } else {
      out.push(it.part);
    }
  }
  return out;
}

const isCh = (it: Item | undefined, c: string): boolean => it !== undefined && 'ch' in it && it.ch === c;

/** Index of the `}` closing the `{` at `open`, with the top-level comma positions. */
function findClose(items: Item[], open: number): { close: number; commas: number[] } | undefined {
  let depth = 0;
  const commas: number[] = [];
  for (let i = open + 1; i < items.length; i++) {
    const it = items[i];
    if (!('ch' in it)) continue;
    if (it.ch === '\\') { i++; continue; }
    if (it.ch === '{') depth++;
    else if (it.ch === '}') {
      if (depth === 0) return { close: i, commas };
      depth--;
    } else if (it.ch === ',' && depth === 0) commas.push(i);
  }
  return undefined;
}

function sequence(body: Item[]): string[] | undefined {
  if (body.some((it) => !('ch' in it))) return undefined;
  const text = body.map((it) => (it as { ch: string }).ch).join('');
  const num = /^([+-]?\d+)\.\.([+-]?\d+)(?:\.\.([+-]?\d+))?$/.exec(text);
  if (num) {
    const a = Number(num[1]);
    const b = Number(num[2]);
    let step = Math.abs(Number(num[3] ?? 1)) || 1;
    const width = [num[1], num[2]].some((s) => /^[+-]?0\d/.test(s)) ? Math.max(num[1].replace(/^[+-]/, '').length + (num[1].startsWith('-') ? 1 : 0), num[2].replace(/^[+-]/, '').length + (num[2].startsWith('-') ? 1 : 0)) : 0;
    if (Math.abs(b - a) / step > 100000) return undefined;
    const out: string[] = [];
    if (a > b) step = -step;
    for (let v = a; step > 0 ? v <= b : v >= b; v += step) {
      const s = String(Math.abs(v)).padStart(width - (v < 0 ? 1 : 0), '0');
      out.push(v < 0 ? '-' + s : s);
    }
    return out;
  }
  const chr = /^([A-Za-z])\.\.([A-Za-z])(?:\.\.([+-]?\d+))?$/.exec(text);
  if (chr) {
    const a = chr[1].charCodeAt(0);
    const b = chr[2].charCodeAt(0);
    let step = Math.abs(Number(chr[3] ?? 1)) || 1;
    if (a > b) step = -step;
    const out: string[] = [];
    for (let v = a; step > 0 ? v <= b : v >= b; v += step) out.push(String.fromCharCode(v));
    return out;
  }
  return undefined;
}

function expandItems(items: Item[], budget: { n: number; hit: boolean }): Item[][] {
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (!('ch' in it)) continue;
    if (it.ch === '\\') { i++; continue; }
    // `${` is never a brace expansion (the lexer already made it a part), nor is `$` + `{`.
    if (it.ch !== '{' || isCh(items[i - 1], '$')) continue;
    const m = findClose(items, i);
    if (!m) continue;
    const pre = items.slice(0, i);
    const post = items.slice(m.close + 1);
    let alts: Item[][];
    if (m.commas.length > 0) {
      alts = [];
      let from = i + 1;
      for (const c of [...m.commas, m.close]) { alts.push(items.slice(from, c)); from = c + 1; }
    } else {
      const seq = sequence(items.slice(i + 1, m.close));
      if (!seq) continue;
      alts = seq.map((s) => Array.from(s, (ch) => ({ ch })));
    }
    budget.hit = true;
    const out: Item[][] = [];
    for (const a of alts) {
      for (const r of expandItems([...pre, ...a, ...post], budget)) {
        if (--budget.n < 0) return [items];
        out.push(r);
      }
    }
    return out;
  }
  return [items];
}

/** The words a word brace-expands to (itself when it has no brace expression). */
export function braceExpand(w: Word): Word[] {
  if (!w.parts.some((p) => p.t === 'lit' && !p.q && p.v.includes('{'))) return [w];
  const budget = { n: 100000, hit: false };
  const results = expandItems(toItems(w.parts), budget);
  if (!budget.hit) return [w];
  return results.map((items) => ({ ...w, parts: toParts(items) }));
}
