/**
 * The `bun:ffi` binding of the symbol table in `ffi/symbols.ts`.
 *
 * `ptr` parameters take the numbers returned by `ptr()` (computed once per
 * buffer by the caller), lengths are `u32`, results `i32`, 64-bit integers
 * travel as `f64`. This module is imported only when running under Bun.
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
  return Object.assign({ ptr }, lib.symbols) as unknown as Native;
}

/** Loads libshmdict with `bun:ffi` (see `ffi/library.ts` for which file). */
export function load(): Native {
  const os = proc.platform === "win32" ? "windows" : proc.platform;
  return loadLibrary({ os, envLib: proc.env[LIB_ENV] }, open);
}
