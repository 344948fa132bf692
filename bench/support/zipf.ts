/**
 * A YCSB-like operation sequence: keys drawn from a Zipf distribution, each
 * operation a read or (with a given probability) a write, generated once from
 * a seed so that every system replays exactly the same sequence.
 *
 * Key popularity: rank `r` (1-based) of `n` has probability
 * `r^-s / H(n, s)`, with `H(n, s) = Σ_{i=1..n} i^-s` (s = 0.99 is YCSB's
 * "zipfian" constant). Draws use the exact inverse of the cumulative
 * distribution (a binary search in a table of `n` doubles), not YCSB's
 * closed-form approximation. As in YCSB's scrambled Zipfian generator, ranks
 * are mapped to key indexes through a seeded permutation, so that the hot
 * keys are spread over the key space instead of being neighbours (which would
 * flatter the ordered stores, lmdb-js and SQLite, with cache locality).
 *
 * Everything is integer arithmetic on a seeded xorshift32 except the table,
 * built with `Math.pow`; two runtimes could in principle round one entry
 * differently, moving a rare draw to a neighbouring rank, so the sequences are
 * identical for every system in a run and equal to within such draws between
 * runtimes.
 *
 * @module
 */

import { xorshift32 } from "./data.ts";

/** A pre-generated operation sequence. */
export interface OpSequence {
  /** Per operation: the key index, with bit 31 set for a write. */
  readonly ops: Uint32Array;
  /** `ops.length - 1` (the length is a power of two). */
  readonly mask: number;
  /** Number of writes in `ops`. */
  readonly writes: number;
  /** Share of all operations that went to the most popular key. */
  readonly topShare: number;
  /** Share of all operations that went to the 1% most popular keys. */
  readonly top1PctShare: number;
}

/** The flag marking a write in {@link OpSequence.ops}. */
export const WRITE = 0x80000000;

/** The cumulative distribution of Zipf(`n`, `s`): `cdf[r]` = P(rank ≤ r + 1). */
export function zipfCdf(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let r = 0; r < n; r++) {
    acc += Math.pow(r + 1, -s);
    cdf[r] = acc;
  }
  for (let r = 0; r < n; r++) cdf[r] /= acc;
  cdf[n - 1] = 1;
  return cdf;
}

/** The first index `r` with `cdf[r] >= u`. */
function search(cdf: Float64Array, u: number): number {
  let lo = 0, hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A seeded permutation of `0..n-1` (Fisher–Yates). */
export function permutation(n: number, seed: number): Uint32Array {
  const rnd = xorshift32(seed);
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rnd() % (i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/**
 * Generates `2^log2Length` operations over `n` keys: Zipf(`s`) key ranks,
 * scrambled, each a write with probability `writeShare`.
 */
export function makeOpSequence(
  n: number,
  s: number,
  writeShare: number,
  log2Length: number,
  seed: number,
): OpSequence {
  if (n >= WRITE) throw new Error("too many keys for the write flag");
  const cdf = zipfCdf(n, s);
  const perm = permutation(n, seed ^ 0x51ed270b);
  const rnd = xorshift32(seed);
  const len = 2 ** log2Length;
  const ops = new Uint32Array(len);
  /* writes: a 32-bit draw below the threshold */
  const threshold = Math.round(writeShare * 2 ** 32);
  let writes = 0;
  let top = 0;
  let top1 = 0;
  const top1Ranks = Math.max(1, Math.floor(n / 100));
  for (let i = 0; i < len; i++) {
    /* 53-bit uniform in (0, 1] from two draws */
    const u = ((rnd() >>> 5) * 67108864 + (rnd() >>> 6) + 1) / 9007199254740992;
    const rank = search(cdf, u);
    if (rank === 0) top++;
    if (rank < top1Ranks) top1++;
    const write = rnd() < threshold;
    if (write) writes++;
    ops[i] = (perm[rank] | (write ? WRITE : 0)) >>> 0;
  }
  return { ops, mask: len - 1, writes, topShare: top / len, top1PctShare: top1 / len };
}
