/**
 * Bash arithmetic ($((...)), ((...)), let-style) on 64-bit signed integers, built as a small AST
 * first so that `&&`, `||` and `?:` only evaluate (and assign in) the branch bash would.
 */

export class ArithError extends Error {}

export interface ArithVars {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

type Node =
  | { k: 'num'; v: bigint }
  | { k: 'var'; name: string }
  | { k: 'un'; op: string; a: Node }
  | { k: 'bin'; op: string; a: Node; b: Node; at: number; bAt: number }
  | { k: 'tern'; c: Node; a: Node; b: Node }
  | { k: 'assign'; op: string; name: string; v: Node; vAt: number }
  | { k: 'incdec'; op: '++' | '--'; post: boolean; name: string };

interface Tok { s: string; at: number; kind: 'num' | 'id' | 'op' | 'end' }

const OPS = [
  '<<=', '>>=', '**', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||',
  '+=', '-=', '*=', '/=', '%=', '&=', '^=', '|=',
  '+', '-', '*', '/', '%', '<', '>', '=', '!', '~', '&', '^', '|', '?', ':', ',', '(', ')',
];

const BIN_PREC: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6,
  '<': 7, '>': 7, '<=': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10, '**': 11,
};

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    const num = /^[0-9][0-9A-Za-z_#@]*/.exec(src.slice(i));
    if (num) { out.push({ s: num[0], at: i, kind: 'num' }); i += num[0].length; continue; }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) { out.push({ s: id[0], at: i, kind: 'id' }); i += id[0].length; continue; }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw arithError(src, 'syntax error: invalid arithmetic operator', src.slice(i));
    out.push({ s: op, at: i, kind: 'op' });
    i += op.length;
  }
  out.push({ s: '', at: src.length, kind: 'end' });
  return out;
}

/** bash's message: the expression without leading blanks, then where it went wrong. */
function arithError(src: string, what: string, tok: string): ArithError {
  return new ArithError(`${src.replace(/^\s+/, '')}: ${what} (error token is "${tok}")`);
}

/** Parses an integer constant the way bash does: 0x.., 0.. (octal), BASE#digits. */
export function parseArithNumber(s: string, src: string): bigint {
  let base = 10;
  let digits = s;
  const hash = s.indexOf('#');
  if (hash >= 0) {
    base = Number(s.slice(0, hash));
    digits = s.slice(hash + 1);
    if (!(base >= 2 && base <= 64) || !/^[0-9]+$/.test(s.slice(0, hash))) {
      throw arithError(src, 'invalid arithmetic base', s);
    }
  } else if (/^0[xX]/.test(s)) {
    base = 16;
    digits = s.slice(2);
  } else if (s.length > 1 && s[0] === '0') {
    base = 8;
    digits = s.slice(1);
  }
  let v = 0n;
  const B = BigInt(base);
  if (digits === '') throw arithError(src, 'invalid number', s);
  for (const ch of digits) {
    let d: number;
    if (ch >= '0' && ch <= '9') d = ch.charCodeAt(0) - 48;
    else if (ch >= 'a' && ch <= 'z') d = ch.charCodeAt(0) - 87;
    else if (ch >= 'A' && ch <= 'Z') d = base <= 36 ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 29;
    else if (ch === '@') d = 62;
    else if (ch === '_') d = 63;
    else d = 99;
    if (d >= base) throw arithError(src, 'value too great for base', s);
    v = wrap(v * B + BigInt(d));
  }
  return v;
}

class P {
  i = 0;
  constructor(readonly toks: Tok[], readonly src: string) {}
  peek(): Tok { return this.toks[this.i]; }
  next(): Tok { return this.toks[this.i++]; }
  /** At end of input bash points at the last token read instead. */
  err(what: string, idx = this.i): never {
    const t = this.toks[idx].kind === 'end' && idx > 0 ? this.toks[idx - 1] : this.toks[idx];
    throw arithError(this.src, what, this.src.slice(t.at));
  }

  comma(): Node {
    let a = this.assign();
    while (this.peek().s === ',') { const t = this.next(); const bAt = this.peek().at; a = { k: 'bin', op: ',', a, b: this.assign(), at: t.at, bAt }; }
    return a;
  }

  assign(): Node {
    const t = this.peek();
    const n = this.toks[this.i + 1];
    if (t.kind === 'id' && n && n.kind === 'op' && /^(=|\*=|\/=|%=|\+=|-=|<<=|>>=|&=|\^=|\|=)$/.test(n.s)) {
      this.i += 2;
      const vAt = this.peek().at;
      return { k: 'assign', op: n.s, name: t.s, v: this.assign(), vAt };
    }
    return this.ternary();
  }

  ternary(): Node {
    const c = this.binary(1);
    if (this.peek().s !== '?') return c;
    this.next();
    const a = this.assign();
    if (this.peek().s !== ':') this.err("`:' expected for conditional expression");
    this.next();
    const b = this.assign();
    return { k: 'tern', c, a, b };
  }

  binary(min: number): Node {
    let a = this.unary();
    for (;;) {
      const t = this.peek();
      const p = t.kind === 'op' ? BIN_PREC[t.s] : undefined;
      if (p === undefined || p < min) return a;
      this.next();
      const bAt = this.peek().at;
      // `**` is right-associative, the rest left.
      const b = t.s === '**' ? this.binary(p) : this.binary(p + 1);
      a = { k: 'bin', op: t.s, a, b, at: t.at, bAt };
    }
  }

  unary(): Node {
    const t = this.peek();
    if (t.kind === 'op' && (t.s === '++' || t.s === '--')) {
      const n = this.toks[this.i + 1];
      if (n && n.kind === 'id') { this.i += 2; return { k: 'incdec', op: t.s, post: false, name: n.s }; }
    }
    if (t.kind === 'op' && ['-', '+', '!', '~', '++', '--'].includes(t.s)) {
      this.next();
      // `--5` is two minus signs when no variable follows.
      if (t.s === '++' || t.s === '--') {
        const op = t.s[0];
        return { k: 'un', op, a: { k: 'un', op, a: this.unary() } };
      }
      return { k: 'un', op: t.s, a: this.unary() };
    }
    return this.postfix();
  }

  postfix(): Node {
    const t = this.next();
    if (t.kind === 'num') return { k: 'num', v: parseArithNumber(t.s, this.src) };
    if (t.kind === 'id') {
      const n = this.peek();
      if (n.s === '++' || n.s === '--') { this.next(); return { k: 'incdec', op: n.s, post: true, name: t.s }; }
      return { k: 'var', name: t.s };
    }
    if (t.s === '(') {
      const e = this.comma();
      if (this.peek().s !== ')') this.err("missing `)'");
      this.next();
      return e;
    }
    this.i--;
    return this.err('syntax error: operand expected');
  }
}

export function evalArith(src: string, vars: ArithVars, depth = 0): bigint {
  if (depth > 64) throw arithError(src, 'expression recursion level exceeded', src);
  if (src.trim() === '') return 0n;
  const p = new P(tokenize(src), src);
  const ast = p.comma();
  if (p.peek().kind !== 'end') {
    p.err(/^([-+*\/%&^|]|<<|>>)?=$/.test(p.peek().s) ? 'attempted assignment to non-variable' : 'syntax error in expression');
  }
  const getVar = (name: string): bigint => {
    const v = vars.get(name);
    if (v === undefined || v.trim() === '') return 0n;
    if (/^\s*-?[0-9]+\s*$/.test(v) && !/^\s*-?0[0-9]/.test(v)) return wrap(BigInt(v.trim()));
    return evalArith(v, vars, depth + 1);
  };
  const ev = (n: Node): bigint => {
    switch (n.k) {
      case 'num': return n.v;
      case 'var': return getVar(n.name);
      case 'un': {
        const a = ev(n.a);
        if (n.op === '-') return wrap(-a);
        if (n.op === '+') return a;
        if (n.op === '!') return a === 0n ? 1n : 0n;
        return wrap(~a);
      }
      case 'incdec': {
        const old = getVar(n.name);
        const nv = wrap(n.op === '++' ? old + 1n : old - 1n);
        vars.set(n.name, String(nv));
        return n.post ? old : nv;
      }
      case 'tern': return ev(n.c) !== 0n ? ev(n.a) : ev(n.b);
      case 'assign': {
        const rhs = ev(n.v);
        const v = n.op === '=' ? rhs : binop(n.op.slice(0, -1), getVar(n.name), rhs, src, src.slice(n.vAt));
        vars.set(n.name, String(v));
        return v;
      }
      case 'bin': {
        if (n.op === '&&') return ev(n.a) !== 0n && ev(n.b) !== 0n ? 1n : 0n;
        if (n.op === '||') return ev(n.a) !== 0n || ev(n.b) !== 0n ? 1n : 0n;
        if (n.op === ',') { ev(n.a); return ev(n.b); }
        const a = ev(n.a);
        const b = ev(n.b);
        return binop(n.op, a, b, src, src.slice(n.bAt));
      }
    }
  };
  return ev(ast);
}

function binop(op: string, a: bigint, b: bigint, src: string, errTok: string): bigint {
  const b1 = (x: boolean): bigint => (x ? 1n : 0n);
  switch (op) {
    case '+': return wrap(a + b);
    case '-': return wrap(a - b);
    case '*': return wrap(a * b);
    case '/': case '%':
      if (b === 0n) throw arithError(src, 'division by 0', errTok);
      return wrap(op === '/' ? a / b : a % b);
    case '**':
      if (b < 0n) throw arithError(src, 'exponent less than 0', errTok);
      return powWrap(a, b);
    case '<<': return wrap(a << (b & 63n));
    case '>>': return wrap(a >> (b & 63n));
    case '<': return b1(a < b);
    case '>': return b1(a > b);
    case '<=': return b1(a <= b);
    case '>=': return b1(a >= b);
    case '==': return b1(a === b);
    case '!=': return b1(a !== b);
    case '&': return wrap(a & b);
    case '^': return wrap(a ^ b);
    case '|': return wrap(a | b);
  }
  throw arithError(src, 'syntax error: invalid arithmetic operator', op);
}

/** a**b modulo 2^64 without building huge intermediates. */
function powWrap(a: bigint, b: bigint): bigint {
  let r = 1n;
  let base = wrap(a);
  let e = b;
  while (e > 0n) {
    if (e & 1n) r = wrap(r * base);
    base = wrap(base * base);
    e >>= 1n;
  }
  return r;
}
