/**
 * The shape every benchmarked system has: timed batch loops per operation,
 * untimed single operations for correctness checks, and a witness the loops
 * fill in so that a broken system cannot post a fast number.
 *
 * Each system writes its own loops (no shared loop helper calling a function
 * per operation) so that every call site stays monomorphic and the JIT can
 * inline what it would inline in a user's code.
 *
 * @module
 */

import type { BatchFn } from "../support/measure.ts";

/** The operations of the core benchmark. */
export type OpName = "get" | "getBytes" | "getInto" | "set" | "incr";

/** Every operation, in the order they run (reads before writes). */
export const OPS: readonly OpName[] = ["get", "getBytes", "getInto", "set", "incr"];

/**
 * What the last batch saw, filled in by the timed loops and checked after
 * each task:
 * - reads: `sum` = total bytes (or UTF-16 units) returned by the batch;
 * - `set`: `last` = index of the last key written, `lastValue` = what;
 * - `incr`: `last` = index of the last counter, `lastInt` = the reply.
 */
export interface Witness {
  sum: number;
  last: number;
  lastValue: string;
  lastInt: number;
}

/** A fresh, empty witness. */
export function witness(): Witness {
  return { sum: 0, last: -1, lastValue: "", lastInt: 0 };
}

/** Untimed single operations, for checks (await their results). */
export interface Single {
  get(key: string): Promise<string | null> | string | null;
  getBytes(key: string): Promise<Uint8Array | null> | Uint8Array | null;
  set(key: string, value: string): Promise<unknown> | unknown;
  incr(key: string): Promise<number> | number;
}

/** A benchmarked system, loaded with the data set. */
export interface System {
  /** Short id, used in `BENCH_ONLY` and the JSON (`shmdict`, `lmdb`, …). */
  readonly id: string;
  /** Human name for tables (`lmdb-js`, `Redis ×100`, …). */
  readonly label: string;
  /** How it was opened and used (options, statements, client). */
  readonly detail: string;
  /** True when its loops return promises. */
  readonly async: boolean;
  /** Operations per timed call. */
  readonly batch: number;
  /** Timed loops; an operation the system has no equivalent for is absent. */
  readonly ops: Partial<Record<OpName, BatchFn>>;
  /** Untimed single operations. */
  readonly one: Single;
  /** Filled in by the loops. */
  readonly w: Witness;
  /** Version strings worth recording (e.g. `{ sqlite: "3.50.1" }`). */
  readonly versions: Record<string, string>;
  /** Releases everything (files, segments, connections). */
  close(): Promise<void> | void;
}
