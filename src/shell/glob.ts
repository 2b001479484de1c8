/**
 * Bash pattern matching (`*`, `?`, `[...]`) for pathname expansion, `case` and `${x#pat}`.
 * A pattern is a list of characters that remember whether they were quoted: quoted characters
 * always match themselves.
 */

export interface PatChar { c: string; q: boolean }

export function patFromString(s: string, quoted: boolean): PatChar[] {
  return Array.from(s, (c) => ({ c, q: quoted }));
}

export function hasGlob(p: readonly PatChar[]): boolean {
  return p.some((x) => !x.q && (x.c === '*' || x.c === '?' || x.c === '['));
}

const CLASSES: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v', blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f',
  word: 'A-Za-z0-9_', cntrl: '\\x00-\\x1f\\x7f', print: ' -~', graph: '!-~',
};

const esc = (c: string): string => c.replace(/[\\^$.*+?()[\]{}|\/]/g, '\\$&');
const escClass = (c: string): string => c.replace(/[\\\]\[^-]/g, '\\$&');

/** Translates a bracket expression starting at p[i] === '['; undefined if it is not one. */
function bracket(p: readonly PatChar[], i: number): { re: string; next: number } | undefined {
  let j = i + 1;
  let neg = false;
  if (j < p.length && !p[j].q && (p[j].c === '!' || p[j].c === '^')) { neg = true; j++; }
  let body = '';
  let first = true;
  while (j < p.length) {
    const x = p[j];
    if (!x.q && x.c === ']' && !first) {
      return { re: body === '' ? (neg ? '[^]' : '(?!)') : `[${neg ? '^' : ''}${body}]`, next: j + 1 };
    }
    first = false;
    if (!x.q && x.c === '[' && p[j + 1]?.c === ':') {
      const rest = p.slice(j + 2).map((y) => y.c).join('');
      const m = /^([a-z]+):\]/.exec(rest);
      if (m && Object.hasOwn(CLASSES, m[1])) { body += CLASSES[m[1]]; j += 2 + m[0].length; continue; }
    }
    let c = x.c;
    if (!x.q && c === '\\' && j + 1 < p.length) { j++; c = p[j].c; }
    if (p[j + 1] && !p[j + 1].q && p[j + 1].c === '-' && p[j + 2] && !(p[j + 2].c === ']' && !p[j + 2].q)) {
      const hi = p[j + 2].c;
      if (hi >= c) body += `${escClass(c)}-${escClass(hi)}`;
      j += 3;
      continue;
    }
    body += escClass(c);
    j++;
  }
  return undefined;
}

const cache = new Map<string, RegExp>();

export function patternRegex(p: readonly PatChar[], anchored: 'full' | 'prefix' | 'suffix' | 'none', greedy = true): RegExp {
  const key = anchored + greedy + JSON.stringify(p);
  const hit = cache.get(key);
  if (hit) return hit;
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const x = p[i];
    if (x.q) { re += esc(x.c); continue; }
    if (x.c === '*') { re += greedy ? '[^]*' : '[^]*?'; continue; }
    if (x.c === '?') { re += '[^]'; continue; }
    if (x.c === '[') {
      const b = bracket(p, i);
      if (b) { re += b.re; i = b.next - 1; continue; }
    }
    if (x.c === '\\' && i + 1 < p.length) { i++; re += esc(p[i].c); continue; }
    re += esc(x.c);
  }
  const src = anchored === 'full' ? `^(?:${re})$` : anchored === 'prefix' ? `^(?:${re})` : anchored === 'suffix' ? `(?:${re})$` : re;
  let r: RegExp;
  try { r = new RegExp(src, 'u'); } catch { r = new RegExp(`^${esc(p.map((x) => x.c).join(''))}$`); }
  if (cache.size > 500) cache.clear();
  cache.set(key, r);
  return r;
}

export function matchPattern(p: readonly PatChar[], s: string): boolean {
  return patternRegex(p, 'full').test(s);
}

/** `${x#p}` / `${x##p}` / `${x%p}` / `${x%%p}`: removes the shortest/longest matching prefix/suffix. */
export function removePattern(value: string, p: readonly PatChar[], kind: '#' | '##' | '%' | '%%'): string {
  const chars = Array.from(value);
  const full = patternRegex(p, 'full');
  if (kind === '#' || kind === '##') {
    const order = kind === '#' ? range(0, chars.length) : range(chars.length, 0);
    for (const n of order) if (full.test(chars.slice(0, n).join(''))) return chars.slice(n).join('');
  } else {
    const order = kind === '%' ? range(chars.length, 0) : range(0, chars.length);
    for (const n of order) if (full.test(chars.slice(n).join(''))) return chars.slice(0, n).join('');
  }
  return value;
}

/** `${x/p/r}` and `${x//p/r}`: longest match at the leftmost position. */
export function replacePattern(value: string, p: readonly PatChar[], rep: string, all: boolean): string {
  if (p.length === 0) return value;
  const chars = Array.from(value);
  const full = patternRegex(p, 'full');
  let out = '';
  let i = 0;
  let done = false;
  while (i < chars.length) {
    let len = -1;
    if (!done) {
      for (let n = chars.length - i; n >= 1; n--) {
        if (full.test(chars.slice(i, i + n).join(''))) { len = n; break; }
      }
    }
    if (len > 0) {
      out += rep;
      i += len;
      if (!all) done = true;
    } else {
      out += chars[i];
      i++;
    }
  }
  return out;
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  if (a <= b) for (let i = a; i <= b; i++) out.push(i);
  else for (let i = a; i >= b; i--) out.push(i);
  return out;
}

export interface GlobFs {
  list(path: string): string[] | undefined;
  exists(path: string): boolean;
}

/**
 * Pathname expansion. Returns the sorted matches; an empty array means "no match" (bash then
 * keeps the word as written).
 */
export function globPaths(p: readonly PatChar[], cwd: string, fs: GlobFs): string[] {
  const comps: PatChar[][] = [[]];
  for (const x of p) {
    if (x.c === '/') comps.push([]);
    else comps[comps.length - 1].push(x);
  }
  const absolute = p.length > 0 && p[0].c === '/';
  if (absolute) comps.shift();
  // Each candidate: the text to output, plus whether it needs an existence check.
  let cands: { out: string; check: boolean }[] = [{ out: absolute ? '/' : '', check: false }];
  const dirOf = (out: string): string => (out === '' ? cwd : out.startsWith('/') ? out : joinPath(cwd, out));
  comps.forEach((comp, idx) => {
    const last = idx === comps.length - 1;
    const next: { out: string; check: boolean }[] = [];
    if (!hasGlob(comp)) {
      const text = comp.map((x) => x.c).join('');
      for (const c of cands) next.push({ out: c.out + text + (last ? '' : '/'), check: true });
    } else {
      const re = patternRegex(comp, 'full');
      const dotOk = comp.length > 0 && comp[0].c === '.';
      for (const c of cands) {
        if (c.check && !fs.exists(dirOf(c.out))) continue;
        const names = fs.list(dirOf(c.out));
        if (!names) continue;
        for (const n of [...names].sort(cmp)) {
          if (n === '.' || n === '..') continue;
          if (n.startsWith('.') && !dotOk) continue;
          if (re.test(n)) next.push({ out: c.out + n + (last ? '' : '/'), check: false });
        }
      }
    }
    cands = next;
  });
  const out: string[] = [];
  for (const c of cands) {
    const path = c.out;
    if (c.check) {
      const stripped = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
      if (!fs.exists(dirOf(stripped))) continue;
      if (path.endsWith('/') && path !== '/' && !fs.list(dirOf(stripped))) continue;
    }
    out.push(path);
  }
  return out;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Joins and normalizes `.`/`..` (paths in the lab are always absolute). */
export function joinPath(cwd: string, path: string): string {
  const parts = (path.startsWith('/') ? path : cwd + '/' + path).split('/');
  const out: string[] = [];
  for (const x of parts) {
    if (x === '' || x === '.') continue;
    if (x === '..') out.pop();
    else out.push(x);
  }
  return '/' + out.join('/');
}
