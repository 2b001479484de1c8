/** Summaries and number formatting for the benchmark table. */

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** Every run, in the order they ran. */
  runs: number[];
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { median: NaN, min: NaN, max: NaN, runs: [] };
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, runs: [...values] };
}

/** Three significant digits, with thousands separators for big numbers: 1,234,000 / 12.3 / 0.0456. */
export function sig3(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  const digits = Math.max(0, 2 - Math.floor(Math.log10(a)));
  return x.toFixed(Math.min(digits, 6));
}

/** Formats a value of a given unit for humans. */
export function fmtValue(x: number, unit: string): string {
  if (!Number.isFinite(x)) return '—';
  switch (unit) {
    case 's':
      if (x < 1e-3) return `${sig3(x * 1e6)} µs`;
      if (x < 1) return `${sig3(x * 1e3)} ms`;
      return `${sig3(x)} s`;
    case 'B':
      if (x >= 1 << 20) return `${sig3(x / (1 << 20))} MiB`;
      if (x >= 1024) return `${sig3(x / 1024)} KiB`;
      return `${sig3(x)} B`;
    case '/s':
      if (x >= 1e6) return `${sig3(x / 1e6)} M/s`;
      if (x >= 1e3) return `${sig3(x / 1e3)} k/s`;
      return `${sig3(x)} /s`;
    default:
      return `${sig3(x)}${unit ? ' ' + unit : ''}`;
  }
}

/**
 * Extrapolates a time from two points (n1, t1), (n2, t2) to n. The model is t = a·n + b·n² (a
 * per-item cost plus a term that grows with what is already there, the shape the profiles show
 * for set-up). When the points grow faster than that allows (a < 0), a power law t ∝ n^k through
 * them instead; when they grow slower than linearly, a straight line through the later point.
 */
export function quadPredict(n1: number, t1: number, n2: number, t2: number, n: number): { value: number; model: string } {
  const b = (t2 / n2 - t1 / n1) / (n2 - n1);
  const a = t1 / n1 - b * n1;
  if (!Number.isFinite(a) || !Number.isFinite(b) || !(b > 0)) {
    return { value: (t2 / n2) * n, model: 'linear through the last point' };
  }
  if (a < 0) {
    const k = Math.log(t2 / t1) / Math.log(n2 / n1);
    return { value: t2 * Math.pow(n / n2, k), model: `power law n^${k.toFixed(2)} through n = ${n1} and ${n2}` };
  }
  return { value: a * n + b * n * n, model: `t = a·n + b·n² through n = ${n1} and ${n2}` };
}
