/**
 * The Bun worker behind `Native.waitAsync` (see `ffi/bun.ts`): it blocks in
 * `shmd_wait` on its own thread so that the JavaScript thread never does.
 *
 * Messages in: first the library's path (a string), then `[h, seen,
 * timeoutMs]` for each wait. Message out: `shmd_wait`'s result, one per wait.
 * The worker loads the same library file as its parent, which the dynamic
 * loader maps once per process, so `h` is the parent's handle.
 *
 * @module
 */

import * as bunFfi from "bun:ffi";

/** The part of `bun:ffi` used here (typed locally for `deno check`). */
interface BunFfi {
  dlopen(
    path: string,
    symbols: Record<string, { args: string[]; returns: string }>,
  ): { symbols: Record<string, unknown> };
}

/** The parts of a worker's global scope used here. */
interface WorkerScope {
  onmessage: ((event: { data: unknown }) => void) | null;
  postMessage(message: unknown): void;
}

const ffi = bunFfi as unknown as BunFfi;
const scope = globalThis as unknown as WorkerScope;

let wait: ((h: number, seen: number, timeoutMs: number) => number) | undefined;

scope.onmessage = (event) => {
  const m = event.data;
  if (typeof m === "string") {
    const lib = ffi.dlopen(m, {
      shmd_wait: { args: ["i32", "i32", "f64"], returns: "i32" },
    });
    wait = lib.symbols.shmd_wait as typeof wait;
    return;
  }
  const [h, seen, timeoutMs] = m as [number, number, number];
  /* -13 is SHMD_E_HANDLE: no library yet means no usable handle */
  scope.postMessage(wait === undefined ? -13 : wait(h, seen, timeoutMs));
};
