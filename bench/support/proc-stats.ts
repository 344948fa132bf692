/**
 * Small order statistics shared by the multi-process suites and their report
 * sections: median and quartiles of a handful of samples (cycles, workers).
 *
 * @module
 */

/** The median of `a` (NaN when empty). */
export function median(a: readonly number[]): number {
  if (a.length === 0) return NaN;
  const b = [...a].sort((x, y) => x - y);
  const m = b.length >> 1;
  return b.length % 2 ? b[m] : (b[m - 1] + b[m]) / 2;
}

/** The 25th and 75th percentiles of `a`, linearly interpolated (NaN when empty). */
export function quartiles(a: readonly number[]): [number, number] {
  if (a.length === 0) return [NaN, NaN];
  const b = [...a].sort((x, y) => x - y);
  const at = (q: number): number => {
    const pos = (b.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return b[lo] + (b[hi] - b[lo]) * (pos - lo);
  };
  return [at(0.25), at(0.75)];
}

/** The sum of `a`. */
export function sum(a: readonly number[]): number {
  return a.reduce((s, x) => s + x, 0);
}
