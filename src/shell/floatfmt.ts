/**
 * printf's %f/%e/%g exactly as bash prints them: bash reads the argument with strtold (x87 long
 * double, 64-bit mantissa) and glibc formats that binary value exactly, rounding ties to even.
 * JavaScript's toFixed rounds doubles differently (printf '%.1f' 2.25 is 2.2 in bash), so this
 * works on exact rationals with BigInt.
 */

/** A finite value sign × num / den, or a special. */
export type LD = { neg: boolean; num: bigint; den: bigint } | { special: 'inf' | 'nan'; neg: boolean };

const bitLen = (x: bigint): number => (x === 0n ? 0 : x.toString(2).length);
const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** round(num / den) with ties to even (num, den > 0). */
function roundDiv(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** Rounds an exact rational to a 64-bit binary mantissa (what strtold stores). */
function toLongDouble(neg: boolean, n: bigint, d: bigint): LD {
  if (n === 0n) return { neg, num: 0n, den: 1n };
  let e = bitLen(n) - bitLen(d) - 64;
  for (let k = 0; k < 3; k++) {
    const m = e >= 0 ? roundDiv(n, d << BigInt(e)) : roundDiv(n << BigInt(-e), d);
    if (m >= 1n << 64n) { e++; continue; }
    if (m < 1n << 63n) { e--; continue; }
    return e >= 0 ? { neg, num: m << BigInt(e), den: 1n } : { neg, num: m, den: 1n << BigInt(-e) };
  }
  return { neg, num: n, den: d };
}

/** Parses like strtold; `len` is how much of `s` it used, `range` is strtold's ERANGE. */
export function parseLD(s: string): { v: LD; len: number; range?: boolean } | undefined {
  const r = parseRaw(s);
  if (!r || 'special' in r.v || r.v.num === 0n) return r;
  const bits = bitLen(r.v.num) - bitLen(r.v.den);
  if (bits > 16384) return { v: { special: 'inf', neg: r.v.neg }, len: r.len, range: true };
  if (bits < -16445) return { v: { neg: r.v.neg, num: 0n, den: 1n }, len: r.len, range: true };
  return r;
}

function parseRaw(s: string): { v: LD; len: number } | undefined {
  const m = /^(\s*)([+-]?)(?:(inf(?:inity)?|nan)|0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?|(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?)/i.exec(s);
  if (!m) return undefined;
  const neg = m[2] === '-';
  if (m[3]) return { v: { special: m[3].toLowerCase().startsWith('inf') ? 'inf' : 'nan', neg }, len: m[0].length };
  if (m[4] !== undefined || m[5] !== undefined) {
    const int = m[4] ?? '';
    const frac = m[5] ?? '';
    if (int === '' && frac === '') return undefined;
    const n = BigInt('0x' + (int + frac || '0'));
    const e = Number(m[6] ?? 0) - 4 * frac.length;
    if (Math.abs(e) > 20000) return undefined;
    return { v: e >= 0 ? toLongDouble(neg, n << BigInt(e), 1n) : toLongDouble(neg, n, 1n << BigInt(-e)), len: m[0].length };
  }
  const int = m[7] ?? '';
  const frac = m[8] ?? '';
  if (int === '' && frac === '') return undefined;
  const exp = Number(m[9] ?? 0) - frac.length;
  const n = BigInt((int + frac) || '0');
  // Far outside long double's range: skip the (huge) exact arithmetic.
  if (n !== 0n && exp + (int + frac).length > 5000) return { v: { neg, num: 1n << 16400n, den: 1n }, len: m[0].length };
  if (n !== 0n && exp + (int + frac).length < -5000) return { v: { neg, num: 1n, den: 1n << 16500n }, len: m[0].length };
  return { v: exp >= 0 ? toLongDouble(neg, n * pow10(exp), 1n) : toLongDouble(neg, n, pow10(-exp)), len: m[0].length };
}

export function ldFromInt(v: bigint): LD {
  return { neg: v < 0n, num: v < 0n ? -v : v, den: 1n };
}

function fixedDigits(num: bigint, den: bigint, prec: number): string {
  const q = roundDiv(num * pow10(prec), den).toString().padStart(prec + 1, '0');
  return prec === 0 ? q : `${q.slice(0, q.length - prec)}.${q.slice(q.length - prec)}`;
}

/** Mantissa digits (prec+1 of them) and decimal exponent, rounded. */
function expParts(num: bigint, den: bigint, prec: number): { digits: string; x: number } {
  if (num === 0n) return { digits: '0'.repeat(prec + 1), x: 0 };
  let x = num.toString().length - den.toString().length;
  // Make 10^x <= num/den < 10^(x+1).
  const ge = (k: number): boolean => (k >= 0 ? num >= den * pow10(k) : num * pow10(-k) >= den);
  while (!ge(x)) x--;
  while (ge(x + 1)) x++;
  const shift = prec - x;
  let q = shift >= 0 ? roundDiv(num * pow10(shift), den) : roundDiv(num, den * pow10(-shift));
  if (q >= pow10(prec + 1)) { q /= 10n; x++; }
  return { digits: q.toString(), x };
}

function expString(digits: string, x: number, upper: boolean, alt: boolean): string {
  const mant = digits.length > 1 || alt ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = `${upper ? 'E' : 'e'}${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`;
  return mant + e;
}

/** Formats for conversion f, F, e, E, g or G (sign handled here, flags +/space by the caller). */
export function formatLD(v: LD, conv: string, precision: number | undefined, alt: boolean): string {
  const upper = conv === conv.toUpperCase();
  const sign = v.neg ? '-' : '';
  if ('special' in v) {
    const s = v.special === 'inf' ? 'inf' : 'nan';
    return sign + (upper ? s.toUpperCase() : s);
  }
  const p = precision ?? 6;
  const { num, den } = v;
  switch (conv.toLowerCase()) {
    case 'f': {
      const s = fixedDigits(num, den, p);
      return sign + (alt && p === 0 ? s + '.' : s);
    }
    case 'e': {
      const { digits, x } = expParts(num, den, p);
      return sign + expString(digits, x, upper, alt);
    }
    default: {
      const P = p === 0 ? 1 : p;
      const { digits, x } = expParts(num, den, P - 1);
      let s = P > x && x >= -4 ? fixedDigits(num, den, P - 1 - x) : expString(digits, x, upper, alt);
      if (!alt) {
        const k = s.search(/[eE]/);
        let mant = k < 0 ? s : s.slice(0, k);
        if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
        s = mant + (k < 0 ? '' : s.slice(k));
      } else if (!s.includes('.')) {
        s += '.';
      }
      return sign + s;
    }
  }
}
