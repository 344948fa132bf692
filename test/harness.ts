/**
 * Minimal test framework that runs unchanged under Deno and Bun.
 *
 * Test files call {@link test} at module top level; `test/run.ts` imports every
 * `test/*.test.ts` file and then calls {@link run}. Output format, one line per test:
 *
 * ```text
 * ok   <name> (<ms> ms)
 * FAIL <name> (<ms> ms)
 *     <error and stack, indented>
 * N passed, N failed
 * ```
 *
 * @module
 */

import process from "node:process";
import { inspect } from "node:util";

/** Signature of a test body. */
export type TestFn = () => void | Promise<void>;

/** Per-test options for {@link test}. */
export interface TestOptions {
  /** Milliseconds before the test is failed as timed out (default {@link DEFAULT_TIMEOUT_MS}). */
  timeout?: number;
}

/** Totals returned by {@link run}. */
export interface RunResult {
  /** Number of tests that completed without throwing. */
  passed: number;
  /** Number of tests that threw, rejected, timed out or raised an unhandled error. */
  failed: number;
}

/** Constructor of an error class, used to check what {@link assertThrows} caught. */
export type ErrorClass<E extends Error = Error> = abstract new (...args: never[]) => E;

/** Default per-test timeout in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Error thrown by the assertion helpers of this module. */
export class AssertionError extends Error {
  /**
   * @param message what went wrong
   */
  constructor(message: string) {
    super(message);
    this.name = "AssertionError";
  }
}

interface RegisteredTest {
  name: string;
  fn: TestFn;
  timeout: number;
}

const registry: RegisteredTest[] = [];

/**
 * Registers a test. Tests run sequentially, in registration order, when {@link run} is
 * called.
 *
 * @param name name printed in the `ok`/`FAIL` line
 * @param fn test body; may be async. The test fails if it throws or rejects.
 * @param options optional `{ timeout }` in milliseconds (default 60 s)
 */
export function test(name: string, fn: TestFn, options?: TestOptions): void {
  const timeout = options?.timeout ?? DEFAULT_TIMEOUT_MS;
  if (!(timeout > 0)) throw new RangeError(`test "${name}": timeout must be > 0, got ${timeout}`);
  registry.push({ name, fn, timeout });
}

/**
 * Throws an {@link AssertionError} unless `cond` is truthy.
 *
 * @param cond value that must be truthy
 * @param msg optional message
 */
export function assert(cond: unknown, msg?: string): asserts cond {
  if (!cond) throw new AssertionError(msg ?? `assertion failed (got ${show(cond)})`);
}

/**
 * Throws an {@link AssertionError} unless `actual` and `expected` are deeply equal.
 *
 * Primitives compare with `===`, except that NaN equals NaN. `null` and `undefined`
 * differ. Arrays, typed arrays (e.g. Uint8Array), ArrayBuffer and DataView compare by
 * type, length and elements; Map and Set by contents; Date by time; RegExp by source
 * and flags; Error by name and message; other objects by prototype and own enumerable
 * keys (a key holding `undefined` is not the same as a missing key).
 *
 * @param actual value produced by the code under test
 * @param expected value it should equal
 * @param msg optional message prefix
 */
export function assertEquals(actual: unknown, expected: unknown, msg?: string): void {
  const where = difference(actual, expected, "", new Map());
  if (where === null) return;
  const lines = [
    `${msg ? msg + ": " : ""}values are not equal${where ? ` (first difference at ${where})` : ""}`,
    `  actual:   ${show(actual)}`,
    `  expected: ${show(expected)}`,
  ];
  throw new AssertionError(lines.join("\n"));
}

/**
 * Calls `fn` and asserts that it throws synchronously.
 *
 * @param fn function expected to throw
 * @param errorClass if given, the thrown value must be an instance of it
 * @param msgIncludes if given, the thrown error's message must contain it
 * @returns the thrown error
 */
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  errorClass?: ErrorClass<E>,
  msgIncludes?: string,
): E {
  let result: unknown;
  try {
    result = fn();
  } catch (err) {
    return checkError(err, errorClass, msgIncludes, "assertThrows");
  }
  const hint = isPromiseLike(result) ? " (it returned a promise: use assertRejects)" : "";
  throw new AssertionError(`assertThrows: function did not throw${hint}`);
}

/**
 * Awaits `fn()` and asserts that it rejects (or throws).
 *
 * @param fn async function expected to reject
 * @param errorClass if given, the rejection reason must be an instance of it
 * @param msgIncludes if given, the reason's message must contain it
 * @returns the rejection reason
 */
export async function assertRejects<E extends Error = Error>(
  fn: () => PromiseLike<unknown> | unknown,
  errorClass?: ErrorClass<E>,
  msgIncludes?: string,
): Promise<E> {
  try {
    await fn();
  } catch (err) {
    return checkError(err, errorClass, msgIncludes, "assertRejects");
  }
  throw new AssertionError("assertRejects: promise did not reject");
}

/**
 * Runs every registered test sequentially, prints one line per test and then the line
 * `N passed, N failed`. A test fails if it throws, rejects, exceeds its timeout, or if an
 * unhandled rejection / uncaught exception happens while it runs. Registered tests are
 * consumed, so a second call only runs tests registered since.
 *
 * @returns the number of passed and failed tests
 */
export async function run(): Promise<RunResult> {
  const tests = registry.splice(0);
  const result: RunResult = { passed: 0, failed: 0 };
  const stray: unknown[] = [];
  const onStray = (err: unknown): void => {
    stray.push(err);
  };
  process.on("unhandledRejection", onStray);
  process.on("uncaughtException", onStray);
  try {
    for (const t of tests) {
      stray.length = 0;
      const start = performance.now();
      let error: unknown = null;
      let failed = false;
      try {
        await withTimeout(t);
      } catch (err) {
        failed = true;
        error = err;
      }
      // Give promise rejections raised during the test a chance to be reported.
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      const ms = Math.round(performance.now() - start);
      const errors = failed ? [error, ...stray] : [...stray];
      if (errors.length === 0) {
        result.passed++;
        console.log(`ok   ${t.name} (${ms} ms)`);
      } else {
        result.failed++;
        console.log(`FAIL ${t.name} (${ms} ms)`);
        errors.forEach((err, i) => {
          const prefix = !failed || i > 0 ? "unhandled error during test: " : "";
          console.log(indent(prefix + describeError(err)));
        });
      }
    }
  } finally {
    process.off("unhandledRejection", onStray);
    process.off("uncaughtException", onStray);
  }
  console.log(`${result.passed} passed, ${result.failed} failed`);
  return result;
}

// ---- internals --------------------------------------------------------------------------

async function withTimeout(t: RegisteredTest): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`test timed out after ${t.timeout} ms`)),
      t.timeout,
    );
  });
  try {
    await Promise.race([(async () => await t.fn())(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function checkError<E extends Error>(
  err: unknown,
  errorClass: ErrorClass<E> | undefined,
  msgIncludes: string | undefined,
  what: string,
): E {
  if (!(err instanceof Error)) {
    throw new AssertionError(`${what}: expected an Error to be thrown, got ${show(err)}`);
  }
  if (errorClass && !(err instanceof errorClass)) {
    throw new AssertionError(
      `${what}: expected ${errorClass.name}, got ${err.name}: ${err.message}`,
    );
  }
  if (msgIncludes !== undefined && !err.message.includes(msgIncludes)) {
    throw new AssertionError(
      `${what}: expected message to include ${show(msgIncludes)}, got ${show(err.message)}`,
    );
  }
  return err as E;
}

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return typeof v === "object" && v !== null &&
    typeof (v as { then?: unknown }).then === "function";
}

function show(v: unknown): string {
  return inspect(v, { depth: 8, breakLength: Infinity, maxArrayLength: 64, colors: false });
}

function indent(text: string): string {
  return text.split("\n").map((l) => "    " + l).join("\n");
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return `thrown non-Error: ${show(err)}`;
  const head = `${err.name}: ${err.message}`;
  const stack = err.stack ?? "";
  // V8 stacks start with "Name: message"; JavaScriptCore stacks are frames only.
  let text = stack.includes(err.message) ? stack : `${head}\n${stack}`;
  if (err.cause !== undefined) text += `\ncaused by: ${describeError(err.cause)}`;
  return text.trimEnd();
}

type Pairs = Map<object, Set<object>>;

/** Returns null when equal, otherwise a path ("" for the root) to the first difference. */
function difference(a: unknown, b: unknown, path: string, seen: Pairs): string | null {
  if (a === b) return null;
  if (typeof a === "number" && typeof b === "number") {
    return Number.isNaN(a) && Number.isNaN(b) ? null : path;
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return path;
  }
  // Cycle guard: a pair already being compared is assumed equal.
  let partners = seen.get(a);
  if (partners?.has(b)) return null;
  if (!partners) seen.set(a, partners = new Set());
  partners.add(b);

  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) {
    // Plain objects with and without a prototype still compare by keys.
    if (!(isPlain(a) && isPlain(b))) return path;
  }
  if (a instanceof Date && b instanceof Date) {
    return Object.is(a.getTime(), b.getTime()) ? null : path;
  }
  if (a instanceof RegExp && b instanceof RegExp) {
    return String(a) === String(b) ? null : path;
  }
  if (a instanceof Error && b instanceof Error) {
    if (a.name !== b.name || a.message !== b.message) return path;
  }
  if (a instanceof ArrayBuffer && b instanceof ArrayBuffer) {
    return difference(new Uint8Array(a), new Uint8Array(b), path, seen);
  }
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    if (a instanceof DataView || b instanceof DataView) {
      const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      return difference(x, y, path, seen);
    }
    const x = a as unknown as ArrayLike<number | bigint>;
    const y = b as unknown as ArrayLike<number | bigint>;
    if (x.length !== y.length) return `${path || "<root>"}.length`;
    for (let i = 0; i < x.length; i++) {
      const d = difference(x[i], y[i], `${path}[${i}]`, seen);
      if (d !== null) return d;
    }
    return null;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path || "<root>"}.length`;
    for (let i = 0; i < a.length; i++) {
      if ((i in a) !== (i in b)) return `${path}[${i}]`;
      const d = difference(a[i], b[i], `${path}[${i}]`, seen);
      if (d !== null) return d;
    }
    return null;
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return `${path || "<root>"}.size`;
    for (const [k, v] of a) {
      if (!b.has(k)) return `${path}.get(${show(k)})`;
      const d = difference(v, b.get(k), `${path}.get(${show(k)})`, seen);
      if (d !== null) return d;
    }
    return null;
  }
  if (a instanceof Set && b instanceof Set) {
    if (a.size !== b.size) return `${path || "<root>"}.size`;
    outer: for (const x of a) {
      if (b.has(x)) continue;
      for (const y of b) {
        // Trial comparisons must not leave "assumed equal" pairs behind in `seen`.
        const trial: Pairs = new Map([...seen].map(([k, v]) => [k, new Set(v)]));
        if (difference(x, y, "", trial) === null) continue outer;
      }
      return `${path}{${show(x)}}`;
    }
    return null;
  }
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) {
    const missing = ka.find((k) => !kb.includes(k)) ?? kb.find((k) => !ka.includes(k));
    return `${path}${missing === undefined ? "" : keyPath(missing)}` || "<root> keys";
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k of ka) {
    const d = difference(ra[k], rb[k], path + keyPath(k), seen);
    if (d !== null) return d;
  }
  return null;
}

function isPlain(v: object): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === null || proto === Object.prototype;
}

function keyPath(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
}
