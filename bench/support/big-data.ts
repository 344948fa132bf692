/**
 * Data for the large benchmarks (restart, growth, memory): millions of keys,
 * generated on the fly in chunks so that no suite holds 10 M values (1 GB of
 * strings) at once, and deterministic so that a child process or a later
 * check can recompute the value of any key from its index alone.
 *
 * - `bigKey(i)`: `key:00000001` … (12 ASCII bytes up to 99,999,999 keys)
 * - `bigValue(i)`: 100 ASCII bytes, `v:00000001:` then 89 pseudo-random
 *   characters picked by `i`; a flat string (built by `String.fromCharCode`
 *   from one array, never by concatenation, so that no store is charged for
 *   flattening a rope on first use)
 *
 * @module
 */

/** Bytes of every big-data key. */
export const BIG_KEY_BYTES = 12;
/** Bytes of every big-data value. */
export const BIG_VALUE_BYTES = 100;

const FILL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const FILL_CODES: number[] = Array.from(FILL, (c) => c.charCodeAt(0));
const DIGIT0 = 48;

/** The key of index `i` (0-based): `key:` and `i + 1` in 8 digits. */
export function bigKey(i: number, prefix = "key:"): string {
  return prefix + String(i + 1).padStart(8, "0");
}

/** `n` as decimal digits into `codes` at `at`, `width` wide, zero-padded. */
function putDigits(codes: number[], at: number, n: number, width: number): void {
  for (let j = width - 1; j >= 0; j--) {
    codes[at + j] = DIGIT0 + (n % 10);
    n = Math.floor(n / 10);
  }
}

/**
 * Makes flat ASCII strings of a fixed length whose content depends only on
 * an index: `<tag>:<index + 1 in 8 digits>:` then pseudo-random characters.
 */
export class ValueMaker {
  readonly #codes: number[];
  readonly #head: number;

  /**
   * @param bytes length of every value (at least the head: tag + 10)
   * @param tag a short ASCII prefix, `v` by default
   */
  constructor(readonly bytes: number = BIG_VALUE_BYTES, tag = "v") {
    this.#head = tag.length + 10;
    if (bytes < this.#head) throw new Error(`values of ${bytes} bytes cannot hold their head`);
    this.#codes = new Array<number>(bytes).fill(0);
    for (let j = 0; j < tag.length; j++) this.#codes[j] = tag.charCodeAt(j);
    this.#codes[tag.length] = 58; /* ':' */
    this.#codes[tag.length + 9] = 58;
  }

  /** The value of index `i`. */
  value(i: number): string {
    const c = this.#codes;
    putDigits(c, this.#head - 9, i + 1, 8);
    /* xorshift32 seeded by the index: the same characters for the same i */
    let s = (Math.imul(i + 1, 0x9e3779b1) ^ 0x5bd1e995) >>> 0 || 1;
    for (let j = this.#head; j < c.length; j++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      c[j] = FILL_CODES[s & 63];
    }
    return String.fromCharCode.apply(null, c);
  }
}

/** The default 100-byte value maker, shared. */
const defaultValues = new ValueMaker();

/** The 100-byte value of index `i`. */
export function bigValue(i: number): string {
  return defaultValues.value(i);
}

/**
 * Fills `keys` and `values` with the entries `start`, `start + 1`, … up to
 * `count` of them (fewer at `total`); returns how many were filled.
 */
export function fillChunk(
  start: number,
  count: number,
  total: number,
  keys: string[],
  values: string[],
): number {
  const n = Math.min(count, total - start);
  for (let j = 0; j < n; j++) {
    keys[j] = bigKey(start + j);
    values[j] = bigValue(start + j);
  }
  return n;
}

/** `count` indexes spread evenly over `[0, n)`, always including the last. */
export function spread(n: number, count: number): number[] {
  const out: number[] = [];
  const step = Math.max(1, Math.floor(n / count));
  for (let i = 0; i < n && out.length < count; i += step) out.push(i);
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

/** `1234567` → `"1,234,567"`; `10_000_000` → `"10 M"` with `short`. */
export function count(n: number, short = false): string {
  if (short && n >= 1e6 && n % 1e6 === 0) return `${n / 1e6} M`;
  if (short && n >= 1e3 && n % 1e3 === 0) return `${n / 1e3} k`;
  return n.toLocaleString("en-US");
}

/** Linear-interpolated quantile `q` of ascending `sorted`. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Median of `xs` (not necessarily sorted). */
export function median(xs: readonly number[]): number {
  return quantile([...xs].sort((a, b) => a - b), 0.5);
}
