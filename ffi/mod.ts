/**
 * The FFI boundary's entry point: picks the binding for the running runtime
 * (`bun:ffi` under Bun, `Deno.dlopen` otherwise) with a dynamic import, so
 * that Deno never sees `bun:ffi` and Bun never runs Deno code.
 *
 * Importing this module does not load the library: {@link native} does, on
 * first use, and caches it. So `import "@shm/dict"` succeeds even where the
 * library is missing, and the error appears where it is first needed.
 *
 * @module
 */

import type { Native, Ptr } from "./symbols.ts";

export * from "./symbols.ts";

/** What `ffi/deno.ts` and `ffi/bun.ts` export. */
interface Binding {
  load(): Native;
}

/** Used on a runtime with neither FFI (e.g. Node.js): fails on first use. */
const unsupported: Binding = {
  load(): Native {
    throw new Error(
      "shmdict: @shm/dict runs on Deno or Bun (it loads its native library with " +
        "Deno.dlopen or bun:ffi); this runtime has neither.",
    );
  },
};

const binding: Binding = "Bun" in globalThis
  ? await import("./bun.ts")
  : "Deno" in globalThis
  ? await import("./deno.ts")
  : unsupported;

let loaded: Native | undefined;

/**
 * The loaded library (loaded and ABI-checked on the first call).
 * @throws {Error} naming the path tried, when it cannot be loaded.
 */
export function native(): Native {
  return loaded ??= binding.load();
}

let errBuf = new Uint8Array(new ArrayBuffer(512));
let errPtr: Ptr | undefined;
const errDecoder = new TextDecoder();

/** The calling thread's last error message from the C side (`shmd_last_error`). */
export function lastError(): string {
  const n = native();
  errPtr ??= n.ptr(errBuf);
  let len = n.shmd_last_error(errPtr, errBuf.length);
  if (len > errBuf.length) {
    errBuf = new Uint8Array(new ArrayBuffer(len));
    errPtr = n.ptr(errBuf);
    len = Math.min(n.shmd_last_error(errPtr, errBuf.length), errBuf.length);
  }
  return len > 0 ? errDecoder.decode(errBuf.subarray(0, len)) : "";
}
