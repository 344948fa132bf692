/**
 * The data set every system is loaded with, generated deterministically so
 * that each runtime and each system sees the same keys, values and access
 * order.
 *
 * - `keys[i]`: `key:00000001` … (12 ASCII bytes)
 * - `values[i]`, `alt[i]`: 100 ASCII bytes, different for every key; `set`
 *   alternates between the two so that no write stores what is already there
 * - `counters[i]`: `ctr:00000001` …, loaded as `"0"` and used by `incr`
 * - `order`: a power-of-two-long sequence of uniformly random key indexes,
 *   walked cyclically by every timed loop
 *
 * @module
 */

/** Number of keys (and of counters). */
export const KEYS = 100_000;
/** Bytes of each value. */
export const VALUE_BYTES = 100;
/** Length of the random access sequence (a power of two). */
export const ORDER_LENGTH = 1 << 17;

/** The generated data set. */
export interface Dataset {
  /** Number of keys. */
  readonly n: number;
  /** Bytes per value. */
  readonly valueBytes: number;
  /** The string keys. */
  readonly keys: readonly string[];
  /** The value loaded for each key. */
  readonly values: readonly string[];
  /** A second value per key, of the same length. */
  readonly alt: readonly string[];
  /** The counter keys. */
  readonly counters: readonly string[];
  /** Random key indexes, walked cyclically (`c = (c + 1) & mask`). */
  readonly order: Uint32Array;
  /** `order.length - 1`. */
  readonly mask: number;
}

/** xorshift32: small, fast, deterministic. */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

const FILL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * A `bytes`-long ASCII value, built as one flat string: a string grown by
 * `+=` is a rope (V8 cons string, JSC rope) that every encoder must walk or
 * flatten on first use, which made the first `set` of each value cost
 * 10–40 µs and would measure string building, not the store.
 */
function value(tag: string, i: number, bytes: number, rnd: () => number): string {
  const head = `${tag}:${String(i).padStart(8, "0")}:`;
  const codes: number[] = new Array(bytes);
  for (let j = 0; j < bytes; j++) {
    codes[j] = j < head.length ? head.charCodeAt(j) : FILL.charCodeAt(rnd() & 63);
  }
  return String.fromCharCode(...codes);
}

/** Builds the data set (about 25 MB of strings for 100,000 keys). */
export function makeDataset(n = KEYS, valueBytes = VALUE_BYTES, seed = 20240601): Dataset {
  const rnd = xorshift32(seed);
  const keys: string[] = new Array(n);
  const values: string[] = new Array(n);
  const alt: string[] = new Array(n);
  const counters: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const num = String(i + 1).padStart(8, "0");
    keys[i] = `key:${num}`;
    counters[i] = `ctr:${num}`;
    values[i] = value("v", i, valueBytes, rnd);
    alt[i] = value("w", i, valueBytes, rnd);
  }
  const order = new Uint32Array(ORDER_LENGTH);
  for (let i = 0; i < order.length; i++) order[i] = rnd() % n;
  return { n, valueBytes, keys, values, alt, counters, order, mask: order.length - 1 };
}

/** `count` distinct key indexes spread over the data set, for checks. */
export function sampleIndexes(data: Dataset, count: number): number[] {
  const out: number[] = [];
  const step = Math.max(1, Math.floor(data.n / count));
  for (let i = 0; i < data.n && out.length < count; i += step) out.push(i);
  out.push(data.n - 1);
  return out;
}

/** A deterministic shuffle of `0..n-1` (Fisher–Yates driven by xorshift32 from `seed`). */
export function shuffled(n: number, seed: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
