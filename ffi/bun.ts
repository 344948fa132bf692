/**
 * The `bun:ffi` binding of the symbol table in `ffi/symbols.ts`.
 *
 * `ptr` parameters take the numbers returned by `ptr()` (computed once per
 * buffer by the caller), lengths are `u32`, results `i32`, 64-bit integers
 * travel as `f64`. This module is imported only when running under Bun.
 *
 * `Native.waitAsync` runs `shmd_wait` in a `Worker` (`ffi/waiter.ts`), one per
 * handle, started on the handle's first wait: the worker opens the same
 * library file, which the dynamic loader maps once per process, so the worker
 * sees this thread's handles and passes `h` straight to C. The worker is
 * referenced (keeps the process alive) only while a wait is pending.
 *
 * @module
 */

import * as bunFfi from "bun:ffi";
import { LIB_ENV, loadLibrary } from "./library.ts";
import {
  type Native,
  type NativeSignature,
  type NativeType,
  type Ptr,
  symbols,
} from "./symbols.ts";

/** The parts of `bun:ffi` used here (typed locally so that `deno check`,
 * which cannot resolve `bun:ffi`, still checks this file). */
interface BunFfi {
  dlopen(
    path: string,
    symbols: Record<string, { args: string[]; returns: string }>,
  ): { symbols: Record<string, unknown> };
  ptr(view: Uint8Array): number;
}

/** The parts of the `process` global used here. */
interface BunProcess {
  readonly platform: string;
  readonly env: Record<string, string | undefined>;
}

const ffi = bunFfi as unknown as BunFfi;
const proc = (globalThis as unknown as { process: BunProcess }).process;

const BUN_TYPES = {
  i32: "i32",
  u32: "u32",
  f64: "f64",
  ptr: "ptr",
} as const satisfies Record<NativeType, string>;

/** `bun:ffi`'s `ptr`, typed as the opaque {@link Ptr}. */
function ptr(buf: Uint8Array): Ptr {
  return ffi.ptr(buf) as unknown as Ptr;
}

/** The parts of Bun's `Worker` used here. */
interface BunWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  ref(): void;
  unref(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
}

/** A handle's waiting worker and the wait it is running. */
interface Waiter {
  readonly worker: BunWorker;
  pending: { resolve(r: number): void; reject(e: Error): void } | null;
  /* waitDone was called: stop the worker once the pending wait returns */
  done: boolean;
}

/** Starts a waiting worker for one handle; `path` is the library to load. */
function startWaiter(path: string): Waiter {
  const Ctor = (globalThis as unknown as {
    Worker: new (url: URL) => BunWorker;
  }).Worker;
  const worker = new Ctor(new URL("./waiter.ts", import.meta.url));
  worker.unref();
  const w: Waiter = { worker, pending: null, done: false };
  worker.onmessage = (event) => {
    const p = w.pending;
    w.pending = null;
    worker.unref();
    if (w.done) worker.terminate();
    p?.resolve(typeof event.data === "number" ? event.data : -14);
  };
  worker.onerror = (event) => {
    const p = w.pending;
    w.pending = null;
    worker.unref();
    w.done = true;
    worker.terminate();
    p?.reject(new Error(`shmdict: the waiting worker failed: ${event.message ?? "unknown error"}`));
  };
  worker.postMessage(path);
  return w;
}

/** Opens the library file at `path` and binds every symbol of the table. */
function open(path: string): Native {
  const table: Record<string, { args: string[]; returns: string }> = {};
  const signatures: Record<string, NativeSignature> = symbols;
  for (const name in signatures) {
    const sig = signatures[name];
    table[name] = {
      args: sig.parameters.map((t) => BUN_TYPES[t]),
      returns: BUN_TYPES[sig.result],
    };
  }
  const lib = ffi.dlopen(path, table);
  const waiters = new Map<number, Waiter>();
  return Object.assign(
    {
      ptr,
      waitAsync(h: number, seen: number, timeoutMs: number): Promise<number> {
        let w = waiters.get(h);
        if (w === undefined) {
          w = startWaiter(path);
          waiters.set(h, w);
        }
        if (w.pending !== null) {
          return Promise.reject(new Error("shmdict: a wait is already pending on this handle"));
        }
        const waiter = w;
        return new Promise<number>((resolve, reject) => {
          waiter.pending = { resolve, reject };
          waiter.worker.ref();
          waiter.worker.postMessage([h, seen, timeoutMs]);
        });
      },
      waitDone(h: number): void {
        const w = waiters.get(h);
        if (w === undefined) return;
        waiters.delete(h);
        w.done = true;
        w.worker.unref();
        if (w.pending === null) w.worker.terminate();
      },
    },
    lib.symbols,
  ) as unknown as Native;
}

/** Loads libshmdict with `bun:ffi` (see `ffi/library.ts` for which file). */
export function load(): Native {
  const os = proc.platform === "win32" ? "windows" : proc.platform;
  return loadLibrary({ os, envLib: proc.env[LIB_ENV] }, open);
}
