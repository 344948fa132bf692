/**
 * The `Deno.dlopen` binding of the symbol table in `ffi/symbols.ts`.
 *
 * Parameter types follow DESIGN.md's speed notes: `"pointer"` parameters fed
 * with pointer objects the caller computed once per buffer (`Native.ptr`),
 * `u32` lengths, `i32` results, `f64` for 64-bit integers; every call is
 * synchronous (`nonblocking: false`), except `shmd_wait` bound a second time
 * as a `nonblocking` call for `Native.waitAsync` (Deno runs it on a thread of
 * its blocking pool and resolves a promise). Only `--allow-ffi` is needed; the
 * `SHMDICT_LIB` override is read only when its env permission is already
 * granted, so no prompt ever appears.
 *
 * @module
 */

import { LIB_ENV, loadLibrary } from "./library.ts";
import {
  type Native,
  type NativeSignature,
  type NativeType,
  type Ptr,
  symbols,
} from "./symbols.ts";

const DENO_TYPES = {
  i32: "i32",
  u32: "u32",
  f64: "f64",
  ptr: "pointer",
} as const satisfies Record<NativeType, Deno.NativeType>;

/** `SHMDICT_LIB`, if set and the env permission for it is already granted. */
function envLib(): string | undefined {
  const status = Deno.permissions.querySync({ name: "env", variable: LIB_ENV });
  return status.state === "granted" ? Deno.env.get(LIB_ENV) : undefined;
}

/** `Deno.UnsafePointer.of`, typed as the opaque {@link Ptr}. */
function ptr(buf: Uint8Array): Ptr {
  return Deno.UnsafePointer.of(buf as Uint8Array<ArrayBuffer>) as unknown as Ptr;
}

/** Opens the library file at `path` and binds every symbol of the table. */
function open(path: string): Native {
  const table: Record<string, Deno.ForeignFunction> = {};
  const signatures: Record<string, NativeSignature> = symbols;
  for (const name in signatures) {
    const sig = signatures[name];
    table[name] = {
      parameters: sig.parameters.map((t) => DENO_TYPES[t]),
      result: DENO_TYPES[sig.result],
      nonblocking: false,
    };
  }
  /* The same C function again, off the JavaScript thread. */
  table.shmd_wait_nonblocking = {
    name: "shmd_wait",
    parameters: symbols.shmd_wait.parameters.map((t) => DENO_TYPES[t]),
    result: DENO_TYPES[symbols.shmd_wait.result],
    nonblocking: true,
  };
  const lib = Deno.dlopen(path, table);
  const waitNb = lib.symbols.shmd_wait_nonblocking as unknown as (
    h: number,
    seen: number,
    timeoutMs: number,
  ) => Promise<number>;
  return Object.assign(
    {
      ptr,
      waitAsync(h: number, seen: number, timeoutMs: number): Promise<number> {
        return waitNb(h, seen, timeoutMs);
      },
      /* Nothing to stop: shmd_close sends a pending nonblocking wait away. */
      waitDone(_h: number): void {},
    },
    lib.symbols,
  ) as unknown as Native;
}

/** Loads libshmdict with `Deno.dlopen` (see `ffi/library.ts` for which file). */
export function load(): Native {
  return loadLibrary({ os: Deno.build.os, envLib: envLib() }, open);
}
