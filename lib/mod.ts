/**
 * `@shm/dict`: an in-process Redis for Deno and Bun.
 *
 * A dictionary is a named segment of shared memory. Every process on the
 * machine that opens the same name reads and writes the same keys directly,
 * with no server and no socket, using Redis's commands and semantics. The
 * data outlives the processes that wrote it: a restarted process attaches in
 * microseconds. Deno needs only `--allow-ffi`.
 *
 * @example
 * ```ts
 * import { open } from "@shm/dict";
 *
 * const db = open("game", { size: "256MiB" }); // creates or attaches
 * db.set("player:42", JSON.stringify({ hp: 10 }), { ex: 60 });
 * db.get("player:42"); // '{"hp":10}'
 * db.incr("visits"); // 1
 * db.close(); // the data stays for the next process
 * ```
 *
 * @module
 */

import { lastError, native } from "../ffi/mod.ts";
import { readString } from "./codec.ts";
import { Dict, type OpenOptions } from "./dict.ts";
import { statusError } from "./errors.ts";
import { checkName } from "./validate.ts";

export { Dict } from "./dict.ts";
export type {
  ContainerScanOptions,
  CopyOptions,
  DictInfo,
  ExpireOptions,
  GetExOptions,
  HashFields,
  HRandFieldOptions,
  HSetArgs,
  Key,
  KeyType,
  ListEnd,
  LPosOptions,
  OpenOptions,
  RangeLimit,
  ScanOptions,
  Score,
  ScoreBound,
  SetOptions,
  SInterCardOptions,
  Value,
  ZAddArgs,
  ZAddOptions,
  ZRandMemberOptions,
  ZRangeByScoreOptions,
  ZRangeOptions,
  ZRankOptions,
} from "./dict.ts";
export type { ExecResult, Multi, MultiControl, QueuedCommand } from "./multi.ts";
export {
  ClosedError,
  DictError,
  DictFullError,
  type InvalidArgumentCode,
  InvalidArgumentError,
  NoSuchKeyError,
  NotFloatError,
  NotIntegerError,
  OverflowError,
  ReadOnlyError,
  SegmentError,
  type SegmentErrorCode,
  WrongTypeError,
} from "./errors.ts";
export { parseSize } from "./validate.ts";

/**
 * Opens (by default creating) the dictionary called `name`.
 *
 * Every process that opens the same name shares the same keys; the data stays
 * after all of them close it, until {@link drop} or a reboot.
 *
 * @param name 1 to 200 characters of `A-Z a-z 0-9 . _ -`, not starting with `.`
 * @param options `size` of a new dictionary (bytes, or `"256MiB"`, `"1GiB"`,
 *   `"64MB"`...), `create` (default `true`), `readonly`, `mode` (only `0o600`)
 * @returns the open dictionary; `close()` it when done
 * @throws {InvalidArgumentError} for a bad name or option
 * @throws {SegmentError} code `"NOENT"` with `create: false` and no such
 *   dictionary; `"SEGMENT"` for a foreign or incompatible segment
 * @throws {DictFullError} when the shared-memory file system is full
 * @throws {Error} when the native library cannot be loaded (the message names
 *   the file tried and how to build it)
 * @example
 * ```ts
 * import { open } from "@shm/dict";
 * using db = open("sessions", { size: "64MiB" });
 * db.set("s:1", "alice", { ex: 3600 });
 * ```
 */
export function open(name: string, options?: OpenOptions): Dict {
  return new Dict(name, options);
}

/**
 * Removes the dictionary called `name`. Processes that have it open keep
 * working on it; its memory is released when the last one closes it.
 *
 * @param name the dictionary's name
 * @returns `true` if it was removed, `false` if there was no such dictionary
 * @throws {InvalidArgumentError} for a bad name
 * @throws {SegmentError} on an operating-system error
 * @example
 * ```ts
 * import { drop } from "@shm/dict";
 * drop("sessions"); // true, or false if it did not exist
 * ```
 */
export function drop(name: string): boolean {
  checkName(name);
  const n = native();
  const bytes = new TextEncoder().encode(name);
  const r = n.shmd_drop(n.ptr(bytes), bytes.length);
  if (r < 0) throw statusError(r, lastError());
  return r === 1;
}

/**
 * The names of the dictionaries on this machine (the current user's).
 *
 * @returns the names, in no particular order
 * @example
 * ```ts
 * import { list } from "@shm/dict";
 * console.log(list()); // e.g. ["game", "sessions"]
 * ```
 */
export function list(): string[] {
  const n = native();
  let buf = new Uint8Array(new ArrayBuffer(4096));
  let len = n.shmd_list(n.ptr(buf), buf.length);
  while (len > buf.length) {
    buf = new Uint8Array(new ArrayBuffer(len));
    len = n.shmd_list(n.ptr(buf), buf.length);
  }
  if (len < 0) throw statusError(len, lastError());
  return readString(buf, null, 0, len).split("\0").filter((s) => s !== "");
}
