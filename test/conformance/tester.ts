/**
 * What a conformance suite is written with: a {@link Tester} to declare cases, and the
 * assertion helpers of `../harness.ts`, wrapped so that every check is counted (the runner
 * prints how many each server passed).
 *
 * A suite is a function `(t: Tester) => void` that declares cases with `t.case(name, fn)`;
 * `fn` receives a {@link View} on an empty database (the runner calls FLUSHALL first) and
 * must only use the view, never the server kind, so that both servers run exactly the same
 * checks.
 *
 * @module
 */

import {
  assert as hAssert,
  assertEquals as hAssertEquals,
  AssertionError,
  assertRejects as hAssertRejects,
  type ErrorClass,
} from "../harness.ts";
import type { View } from "./view.ts";

/** A case body: gets a view on an empty database. */
export type CaseFn = (db: View) => Promise<void>;

/** Per-case options. */
export interface CaseOptions {
  /** Milliseconds before the case fails as timed out (the harness default otherwise). */
  timeout?: number;
}

/** Declares the cases of a suite. */
export interface Tester {
  /**
   * Declares one case.
   *
   * @param name unique within the suite
   * @param fn the body, run against each server on an empty database
   * @param options a timeout
   */
  case(name: string, fn: CaseFn, options?: CaseOptions): void;
}

/** A suite: declares its cases on a {@link Tester}. */
export type Suite = (t: Tester) => void;

/** Checks made so far (all servers). */
export const counter = { assertions: 0 };

/** {@link hAssert} (counted). */
export function assert(cond: unknown, msg?: string): asserts cond {
  counter.assertions++;
  hAssert(cond, msg);
}

/** The harness's deep equality (counted). */
export function assertEquals(actual: unknown, expected: unknown, msg?: string): void {
  counter.assertions++;
  hAssertEquals(actual, expected, msg);
}

/** The harness's rejection check (counted). */
export function assertRejects<E extends Error = Error>(
  fn: () => PromiseLike<unknown> | unknown,
  errorClass?: ErrorClass<E>,
  msgIncludes?: string,
): Promise<E> {
  counter.assertions++;
  return hAssertRejects(fn, errorClass, msgIncludes);
}

/**
 * Asserts that `actual` is within `tolerance` of `expected` (TTLs: ±1 s, ±100 ms).
 *
 * @param actual the number measured
 * @param expected the number wanted
 * @param tolerance the largest difference accepted
 * @param msg optional message prefix
 */
export function assertNear(
  actual: number,
  expected: number,
  tolerance: number,
  msg?: string,
): void {
  counter.assertions++;
  if (typeof actual !== "number" || !(Math.abs(actual - expected) <= tolerance)) {
    throw new AssertionError(
      `${msg ? msg + ": " : ""}${actual} is not within ${tolerance} of ${expected}`,
    );
  }
}

/**
 * Asserts that two lists hold the same elements, ignoring order and repeats (KEYS, a full
 * SCAN iteration).
 *
 * @param actual the list returned
 * @param expected the elements wanted
 * @param msg optional message prefix
 */
export function assertSameSet(
  actual: readonly string[],
  expected: readonly string[],
  msg?: string,
): void {
  counter.assertions++;
  hAssertEquals([...new Set(actual)].sort(), [...new Set(expected)].sort(), msg);
}

/**
 * {@link assertSameSet} for many lists at once (one assertion each), reporting every list
 * that differs rather than stopping at the first.
 *
 * @param checks `[label, actual, expected]` for each list
 */
export function assertSameSets(
  checks: readonly (readonly [string, readonly string[], readonly string[]])[],
): void {
  counter.assertions += checks.length;
  const norm = (a: readonly string[]): string => JSON.stringify([...new Set(a)].sort());
  const bad = checks
    .filter(([, actual, expected]) => norm(actual) !== norm(expected))
    .map(([label, actual, expected]) =>
      `  ${label}: got ${norm(actual)}, expected ${norm(expected)}`
    );
  if (bad.length > 0) {
    throw new AssertionError(`${bad.length} of ${checks.length} differ:\n${bad.join("\n")}`);
  }
}

/**
 * Asserts that `actual` holds exactly the bytes of `expected`, reporting the first differing
 * byte rather than printing large arrays.
 *
 * @param actual bytes read back (or `null`)
 * @param expected the bytes wanted
 * @param msg optional message prefix
 */
export function assertBytes(
  actual: Uint8Array | null,
  expected: Uint8Array,
  msg = "bytes",
): void {
  counter.assertions++;
  if (!(actual instanceof Uint8Array)) {
    throw new AssertionError(`${msg}: expected a Uint8Array, got ${String(actual)}`);
  }
  if (actual.length !== expected.length) {
    throw new AssertionError(`${msg}: length ${actual.length}, expected ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) {
      throw new AssertionError(`${msg}: byte ${i} is ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

/** Sleeps `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The current unix time in seconds (rounded down). */
export const nowSec = (): number => Math.floor(Date.now() / 1000);

/**
 * Every key a complete SCAN iteration returns (with repeats), starting at cursor 0 and
 * following the returned cursors until `"0"`. Only the set of keys may be asserted: cursor
 * values and page sizes differ between servers by design.
 *
 * @param db the view
 * @param opts SCAN's options
 * @returns the keys, in the order returned
 */
export async function scanAll(
  db: View,
  opts: Parameters<View["scan"]>[1] = {},
): Promise<string[]> {
  const out: string[] = [];
  let cursor = "0";
  for (let calls = 0;; calls++) {
    if (calls > 100_000) throw new AssertionError("SCAN did not finish in 100,000 calls");
    const [next, keys] = await db.scan(cursor, opts);
    if (typeof next !== "string") throw new AssertionError(`SCAN cursor ${String(next)}`);
    out.push(...keys);
    if (next === "0") return out;
    cursor = next;
  }
}

/* ---- containers ------------------------------------------------------------------------- */

/** A sorted copy (strings by code unit; anything else by its JSON text). */
export function sorted<T>(a: readonly T[]): T[] {
  const keyOf = (x: T): string => (typeof x === "string" ? x : JSON.stringify(x));
  return [...a].sort((x, y) => {
    const [p, q] = [keyOf(x), keyOf(y)];
    return p < q ? -1 : p > q ? 1 : 0;
  });
}

/**
 * Asserts that two lists hold the same elements with the same multiplicities, in any order
 * (SMEMBERS, HKEYS, HVALS, SINTER, ...).
 *
 * @param actual the list returned
 * @param expected the elements wanted
 * @param msg optional message prefix
 */
export function assertSameMembers<T>(
  actual: readonly T[],
  expected: readonly T[],
  msg?: string,
): void {
  counter.assertions++;
  if (!Array.isArray(actual)) {
    throw new AssertionError(`${msg ? msg + ": " : ""}expected a list, got ${String(actual)}`);
  }
  hAssertEquals(sorted(actual), sorted(expected), msg);
}

/** `[a, b]` pairs sorted by `a`, then `b` (by code unit). */
export function sortedPairs<B extends string | number>(
  p: readonly (readonly [string, B])[],
): [string, B][] {
  return p.map(([a, b]) => [a, b] as [string, B]).sort((x, y) =>
    x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0
  );
}

/** The `[field, value]` pairs of an object, sorted by field (HGETALL's reply, order-free). */
export function entriesOf(o: Record<string, string>): [string, string][] {
  return sortedPairs(Object.entries(o));
}

/** Follows a container cursor from 0 to 0; every item returned (with repeats). */
async function cursorAll<T>(
  scan: (cursor: string) => Promise<[string, T[]]>,
  what: string,
): Promise<T[]> {
  const out: T[] = [];
  let cursor = "0";
  for (let calls = 0;; calls++) {
    if (calls > 100_000) throw new AssertionError(`${what} did not finish in 100,000 calls`);
    const [next, items] = await scan(cursor);
    if (typeof next !== "string") throw new AssertionError(`${what} cursor ${String(next)}`);
    if (!Array.isArray(items)) throw new AssertionError(`${what} items ${String(items)}`);
    out.push(...items);
    if (next === "0") return out;
    cursor = next;
  }
}

/**
 * A flat `[a, b, a, b, ...]` reply (WITHSCORES, WITHVALUES, HSCAN, ZPOPMIN, ...) as `[a, b]`
 * pairs; an assertion error if it is not a list of even length.
 */
export function pairsOf<B>(flat: readonly unknown[]): [string, B][] {
  if (!Array.isArray(flat) || flat.length % 2 !== 0) {
    throw new AssertionError(`expected a flat list of pairs, got ${JSON.stringify(flat)}`);
  }
  const out: [string, B][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i] as string, flat[i + 1] as B]);
  return out;
}

/** Every `[field, value]` of a full HSCAN iteration (with repeats). */
export async function hscanAll(
  db: View,
  key: Parameters<View["hscan"]>[0],
  opts?: Parameters<View["hscan"]>[2],
): Promise<[string, string][]> {
  const flat = await cursorAll(async (c) => {
    const [next, items] = await db.hscan(key, c, opts);
    pairsOf(items); /* each page holds whole pairs */
    return [next, items];
  }, "HSCAN");
  return pairsOf<string>(flat);
}

/** Every member of a full SSCAN iteration (with repeats). */
export function sscanAll(
  db: View,
  key: Parameters<View["sscan"]>[0],
  opts?: Parameters<View["sscan"]>[2],
): Promise<string[]> {
  return cursorAll((c) => db.sscan(key, c, opts), "SSCAN");
}

/** Every `[member, score]` of a full ZSCAN iteration (with repeats). */
export async function zscanAll(
  db: View,
  key: Parameters<View["zscan"]>[0],
  opts?: Parameters<View["zscan"]>[2],
): Promise<[string, number][]> {
  const flat = await cursorAll(async (c) => {
    const [next, items] = await db.zscan(key, c, opts);
    pairsOf(items);
    return [next, items];
  }, "ZSCAN");
  return pairsOf<number>(flat);
}

/** Asserts that `key` is gone: EXISTS 0 and TYPE none (an emptied container). */
export async function assertGone(db: View, key: Parameters<View["exists"]>[0]): Promise<void> {
  assertEquals(await db.exists(key), 0, `EXISTS ${String(key)}`);
  assertEquals(await db.type(key), "none", `TYPE ${String(key)}`);
}
