/**
 * `Dict`: the Redis-like commands on one dictionary.
 *
 * How a call crosses the boundary: the key is encoded into the dictionary's
 * key scratch buffer, a value (or second key, or an argv frame) into its
 * value scratch, and C copies a byte-string result into the output scratch.
 * All three are allocated once with their native pointer cached, and grown
 * (pointer recomputed) only when too small. When a result does not fit, C
 * reports the length it needs and did nothing, so the call is simply repeated
 * with a larger buffer. Results larger than `KEEP` go through a one-off
 * buffer so that a single huge value does not pin memory for the life of the
 * dictionary.
 *
 * @module
 */

import {
  lastError,
  type Native,
  native,
  type Ptr,
  SHMD_E_NOENT,
  SHMD_EXP_AT,
  SHMD_EXP_GT,
  SHMD_EXP_LT,
  SHMD_EXP_MS,
  SHMD_EXP_NX,
  SHMD_EXP_XX,
  SHMD_INFO_BUCKETS,
  SHMD_INFO_COMMITTED,
  SHMD_INFO_EXPIRED,
  SHMD_INFO_EXPIRES,
  SHMD_INFO_FREE,
  SHMD_INFO_HEAP,
  SHMD_INFO_HITS,
  SHMD_INFO_KEYS,
  SHMD_INFO_MISSES,
  SHMD_INFO_RECOVERIES,
  SHMD_INFO_REHASHING,
  SHMD_INFO_RESERVED,
  SHMD_INFO_USED,
  SHMD_MAX_KEY,
  SHMD_MAX_VALUE,
  SHMD_NIL,
  SHMD_O_CREATE,
  SHMD_O_READONLY,
  SHMD_SET_GET,
  SHMD_SET_KEEPTTL,
  SHMD_SET_NX,
  SHMD_SET_XX,
  SHMD_T_HASH,
  SHMD_T_LIST,
  SHMD_T_SET,
  SHMD_T_STRING,
  SHMD_T_ZSET,
  SHMD_TTL_EX,
  SHMD_TTL_EXAT,
  SHMD_TTL_PERSIST,
  SHMD_TTL_PX,
  SHMD_TTL_PXAT,
  SHMD_TTLQ_AT,
  SHMD_TTLQ_MS,
} from "../ffi/mod.ts";
import {
  encodeString,
  readF64,
  readList,
  readString,
  type TextView,
  textView,
  writeString,
  writeU32,
} from "./codec.ts";
import {
  DictError,
  InvalidArgumentError,
  NoSuchKeyError,
  NotFloatError,
  statusError,
} from "./errors.ts";
import {
  boolOption,
  checkName,
  integer,
  optionsObject,
  reserveSize,
  typeName,
} from "./validate.ts";

/* ---- public types --------------------------------------------------------- */

/** A key: a string (stored as UTF-8) or raw bytes. At most 64 KiB. */
export type Key = string | Uint8Array;

/** A value: a string (stored as UTF-8) or raw bytes. At most 512 MiB. */
export type Value = string | Uint8Array;

/** The kinds of value a key can hold, as `TYPE` names them. */
export type KeyType = "string" | "list" | "set" | "zset" | "hash";

/** Options of `open()` / `new Dict()`. */
export interface OpenOptions {
  /** Maximum size of a new dictionary's segment, in bytes or as a string such
   * as `"256MiB"`, `"1GiB"` (powers of 1024) or `"64MB"` (powers of 1000).
   * Memory is committed as data grows. Default 1 GiB; 1 MiB to 56 GiB.
   * Ignored when attaching to an existing dictionary. */
  size?: number | string;
  /** Create the dictionary if it does not exist (default `true`). */
  create?: boolean;
  /** Refuse write commands on this handle (they throw `ReadOnlyError`). */
  readonly?: boolean;
  /** Permission bits of a new segment; only `0o600` (the default) is accepted. */
  mode?: number;
}

/** Options of {@link Dict.set}, as Redis's `SET` takes them. */
export interface SetOptions {
  /** Expire after this many seconds (integer > 0). */
  ex?: number;
  /** Expire after this many milliseconds (integer > 0). */
  px?: number;
  /** Expire at this unix time in seconds (integer > 0). */
  exat?: number;
  /** Expire at this unix time in milliseconds (integer > 0). */
  pxat?: number;
  /** Keep the key's current time to live. */
  keepttl?: boolean;
  /** Only set the key if it does not exist. */
  nx?: boolean;
  /** Only set the key if it already exists. */
  xx?: boolean;
  /** Return the old value (a string, or `null`) instead of `"OK"`. */
  get?: boolean;
}

/** Options of {@link Dict.getex}: at most one. */
export interface GetExOptions {
  /** Expire after this many seconds (integer > 0). */
  ex?: number;
  /** Expire after this many milliseconds (integer > 0). */
  px?: number;
  /** Expire at this unix time in seconds (integer > 0). */
  exat?: number;
  /** Expire at this unix time in milliseconds (integer > 0). */
  pxat?: number;
  /** Remove the key's time to live. */
  persist?: boolean;
}

/** Conditions of {@link Dict.expire} and its variants. */
export interface ExpireOptions {
  /** Only if the key has no expiry. */
  nx?: boolean;
  /** Only if the key has an expiry. */
  xx?: boolean;
  /** Only if the new expiry is later than the current one. */
  gt?: boolean;
  /** Only if the new expiry is earlier than the current one. */
  lt?: boolean;
}

/** Options of {@link Dict.copy}. */
export interface CopyOptions {
  /** Overwrite the destination if it exists. */
  replace?: boolean;
}

/** Options of {@link Dict.scan} and {@link Dict.scanIterator}. */
export interface ScanOptions {
  /** Only keys matching this glob pattern (`*`, `?`, `[a-z]`, `\` escapes). */
  match?: string;
  /** How much work to do per call (a hint, integer >= 1; default 10). */
  count?: number;
  /** Only keys holding this kind of value. */
  type?: KeyType;
}

/** What {@link Dict.info} reports. */
export interface DictInfo {
  /** Keys in the dictionary (DBSIZE). */
  keys: number;
  /** Keys with a time to live. */
  expires: number;
  /** Bytes of the heap in live blocks. */
  usedBytes: number;
  /** Bytes of the segment committed (backed by memory). */
  committedBytes: number;
  /** Bytes reserved: the segment's maximum size. */
  reservedBytes: number;
  /** Bytes between the heap's start and its top. */
  heapBytes: number;
  /** Bytes in free blocks below the heap's top. */
  freeBytes: number;
  /** Lookups that found a key, in this process. */
  hits: number;
  /** Lookups that found no key, in this process. */
  misses: number;
  /** Keys removed because their time to live passed (all processes). */
  expired: number;
  /** Buckets in the main index table. */
  buckets: number;
  /** True while an incremental rehash is under way. */
  rehashing: boolean;
  /** Times a dead writer's half-done command was rolled back. */
  recoveries: number;
}

/* ---- tuning ----------------------------------------------------------------- */

/** Largest scratch buffer kept between calls; bigger needs use one-off buffers. */
const KEEP = 1024 * 1024;
/** Byte values at least this long are passed by pointer instead of copied. */
const DIRECT = 16 * 1024;
/** Initial sizes of the key, value and output scratch buffers. */
const KEY_SIZE = 1024;
const VALUE_SIZE = 4096;
const OUT_SIZE = 4096;

const TYPE_NAMES = ["none", "string", "list", "set", "zset", "hash"] as const;
const TYPE_CODES: Record<string, number> = {
  string: SHMD_T_STRING,
  list: SHMD_T_LIST,
  set: SHMD_T_SET,
  zset: SHMD_T_ZSET,
  hash: SHMD_T_HASH,
};

/** A fresh, off-heap buffer (its address never moves). */
function scratch(size: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(size));
}

function tooBig(what: string, bytes: number, max: number): InvalidArgumentError {
  return new InvalidArgumentError(
    `ERR ${what} is too large: ${bytes} bytes, the limit is ${max}`,
    "TOOBIG",
  );
}

function wrongArgs(cmd: string): InvalidArgumentError {
  return new InvalidArgumentError(
    `ERR wrong number of arguments for '${cmd}' command`,
  );
}

/** SET / GETEX expiry options and their flags. */
const TTL_OPTIONS = [
  ["ex", SHMD_TTL_EX],
  ["px", SHMD_TTL_PX],
  ["exat", SHMD_TTL_EXAT],
  ["pxat", SHMD_TTL_PXAT],
] as const;

/** The TTL argument found by `parseTtl` (module-level to avoid a tuple). */
let ttlArg = 0;

/**
 * Reads the expiry options shared by SET and GETEX into `SHMD_TTL_*` flags
 * (the argument goes to `ttlArg`); at most one may be given.
 */
function parseTtl(o: Record<string, unknown>, cmd: string, extra: number): number {
  let flags = 0;
  let count = extra;
  for (const [name, flag] of TTL_OPTIONS) {
    const v = o[name];
    if (v === undefined) continue;
    const t = integer(v, name);
    if (t <= 0) {
      throw new InvalidArgumentError(
        `ERR invalid expire time in '${cmd}' command`,
      );
    }
    flags = flag;
    ttlArg = t;
    count++;
  }
  if (count > 1) throw new InvalidArgumentError("ERR syntax error");
  return flags;
}

/** `SHMD_SET_*` and `SHMD_TTL_*` flags of SET's options (TTL in `ttlArg`). */
function setFlags(opts: unknown): number {
  ttlArg = 0;
  const o = optionsObject(opts, "set");
  if (o === undefined) return 0;
  const keepttl = boolOption(o.keepttl, "keepttl");
  const nx = boolOption(o.nx, "nx");
  const xx = boolOption(o.xx, "xx");
  const get = boolOption(o.get, "get");
  let flags = parseTtl(o, "set", keepttl ? 1 : 0);
  if (nx && xx) throw new InvalidArgumentError("ERR syntax error");
  if (keepttl) flags |= SHMD_SET_KEEPTTL;
  if (nx) flags |= SHMD_SET_NX;
  if (xx) flags |= SHMD_SET_XX;
  if (get) flags |= SHMD_SET_GET;
  return flags;
}

/** `SHMD_EXP_*` condition flags of EXPIRE's options. */
function expireFlags(opts: unknown, cmd: string): number {
  const o = optionsObject(opts, cmd);
  if (o === undefined) return 0;
  const nx = boolOption(o.nx, "nx");
  const xx = boolOption(o.xx, "xx");
  const gt = boolOption(o.gt, "gt");
  const lt = boolOption(o.lt, "lt");
  if (nx && (xx || gt || lt)) {
    throw new InvalidArgumentError(
      "ERR NX and XX, GT or LT options at the same time are not compatible",
    );
  }
  if (gt && lt) {
    throw new InvalidArgumentError(
      "ERR GT and LT options at the same time are not compatible",
    );
  }
  return (nx ? SHMD_EXP_NX : 0) | (xx ? SHMD_EXP_XX : 0) |
    (gt ? SHMD_EXP_GT : 0) | (lt ? SHMD_EXP_LT : 0);
}

/** SCAN's arguments, checked. */
interface ScanArgs {
  match: string | undefined;
  count: number;
  type: number;
}

function scanArgs(opts: unknown): ScanArgs {
  const o = optionsObject(opts, "scan");
  if (o === undefined) return { match: undefined, count: 10, type: 0 };
  const match = o.match;
  if (match !== undefined && typeof match !== "string") {
    throw new InvalidArgumentError(
      `ERR match must be a string, not ${typeName(match)}`,
    );
  }
  let count = 10;
  if (o.count !== undefined) {
    count = integer(o.count, "count");
    if (count < 1) throw new InvalidArgumentError("ERR syntax error");
  }
  let type = 0;
  if (o.type !== undefined) {
    const code = typeof o.type === "string" && Object.hasOwn(TYPE_CODES, o.type)
      ? TYPE_CODES[o.type]
      : undefined;
    if (code === undefined) {
      throw new InvalidArgumentError(
        `ERR unknown type name '${String(o.type)}'`,
      );
    }
    type = code;
  }
  return { match, count, type };
}

function scanCursor(cursor: unknown): number {
  let c: number;
  if (typeof cursor === "number") c = cursor;
  else if (typeof cursor === "string" && /^\d{1,16}$/.test(cursor)) {
    c = Number(cursor);
  } else c = -1;
  if (!Number.isSafeInteger(c) || c < 0) {
    throw new InvalidArgumentError("ERR invalid cursor");
  }
  return c;
}

/** Closes the handles of dictionaries collected without `close()`. */
const registry = new FinalizationRegistry<number>((h) => {
  native().shmd_close(h);
});

/**
 * One open dictionary: a named shared-memory segment holding Redis-like keys.
 *
 * Every command is synchronous and atomic. Keys and values are strings (UTF-8)
 * or `Uint8Array`s; a missing key reads as `null`. Create one with
 * `open()` (or `new Dict(name, options)`, the same thing); `close()` it
 * when done, or let `using` do it. Closing leaves the data in place.
 *
 * @example
 * ```ts
 * import { open } from "@shm/dict";
 * using db = open("cache");
 * db.set("greeting", "hello", { ex: 60 });
 * db.get("greeting"); // "hello"
 * ```
 */
export class Dict implements Disposable {
  /** The dictionary's name. */
  readonly name: string;

  #n: Native;
  #h: number;
  /* key scratch: the (first) key, at offset 0 */
  #k: Uint8Array;
  #kp: Ptr;
  #kv: TextView | null;
  /* value scratch: a value, a second key, a pattern or an argv frame */
  #v: Uint8Array;
  #vp: Ptr;
  #vv: TextView | null;
  /* output scratch, with a double view for numeric replies */
  #o: Uint8Array;
  #op: Ptr;
  #of: Float64Array;
  #ov: TextView | null;
  /* where the last slow-path result landed (#o or a one-off buffer) */
  #r: Uint8Array;
  /* keeps a buffer passed by pointer alive until the call returns */
  #hold: Uint8Array | null = null;
  /* length of the value last staged by #val */
  #vl = 0;
  /* getInto's last target and its pointer */
  #t: Uint8Array | null = null;
  #tp: Ptr | null = null;

  /**
   * Opens (by default creating) the dictionary called `name`; the same as
   * `open(name, options)`.
   *
   * @param name 1 to 200 characters of `A-Z a-z 0-9 . _ -`, not starting with `.`
   * @param options size, creation, read-only and mode options
   * @throws {InvalidArgumentError} for a bad name or option
   * @throws {SegmentError} when the segment is missing (`create: false`),
   *   foreign, of another version, or not ours
   * @throws {DictFullError} when the shared-memory file system is full
   */
  constructor(name: string, options?: OpenOptions) {
    checkName(name);
    const o = optionsObject(options, "open");
    let flags = SHMD_O_CREATE;
    let reserve = 0;
    let mode = 0;
    if (o !== undefined) {
      if (o.create !== undefined && !boolOption(o.create, "create")) flags = 0;
      if (boolOption(o.readonly, "readonly")) flags |= SHMD_O_READONLY;
      reserve = reserveSize(o.size);
      if (o.mode !== undefined) {
        if (integer(o.mode, "mode") !== 0o600) {
          throw new InvalidArgumentError(
            "ERR mode must be 0o600: dictionaries are private to their owner",
          );
        }
        mode = 0o600;
      }
    }
    const n = native();
    const bytes = encodeString(name);
    const h = n.shmd_open(n.ptr(bytes), bytes.length, flags, mode, reserve);
    if (h < 0) throw statusError(h, lastError());
    this.name = name;
    this.#n = n;
    this.#h = h;
    this.#k = scratch(KEY_SIZE);
    this.#kp = n.ptr(this.#k);
    this.#kv = textView(this.#k);
    this.#v = scratch(VALUE_SIZE);
    this.#vp = n.ptr(this.#v);
    this.#vv = textView(this.#v);
    this.#o = scratch(OUT_SIZE);
    this.#op = n.ptr(this.#o);
    this.#of = new Float64Array(this.#o.buffer, 0, OUT_SIZE >>> 3);
    this.#ov = textView(this.#o);
    this.#r = this.#o;
    registry.register(this, h, this);
  }

  /* ---- plumbing --------------------------------------------------------------- */

  /** Throws the error for a negative status (with the C side's message). */
  #fail(status: number): never {
    throw statusError(status, lastError());
  }

  /** Encodes a key into the key scratch; returns its length in bytes. */
  #key(key: Key): number {
    if (typeof key === "string") {
      const end = writeString(key, this.#k, this.#kv, 0);
      return end >= 0 ? end : this.#keySlow(key, -end);
    }
    /* #k never outgrows SHMD_MAX_KEY, so a key that fits is within limits. */
    if (key instanceof Uint8Array && key.length <= this.#k.length) {
      this.#k.set(key);
      return key.length;
    }
    return this.#keySlow(key, 0);
  }

  #keySlow(key: unknown, need: number): number {
    if (typeof key === "string") {
      if (need > SHMD_MAX_KEY) throw tooBig("key", need, SHMD_MAX_KEY);
      this.#growKey(need);
      return writeString(key, this.#k, this.#kv, 0);
    }
    if (key instanceof Uint8Array) {
      if (key.length > SHMD_MAX_KEY) {
        throw tooBig("key", key.length, SHMD_MAX_KEY);
      }
      this.#growKey(key.length);
      this.#k.set(key);
      return key.length;
    }
    throw new InvalidArgumentError(
      `ERR key must be a string or Uint8Array, not ${typeName(key)}`,
    );
  }

  #growKey(need: number): void {
    const size = Math.min(SHMD_MAX_KEY, Math.max(need, this.#k.length * 2));
    this.#k = scratch(size);
    this.#kp = this.#n.ptr(this.#k);
    this.#kv = textView(this.#k);
  }

  /**
   * Stages a value for C: copied into the value scratch when small, passed by
   * pointer when large. Returns the pointer; the length is left in `#vl`.
   */
  #val(value: Value): Ptr {
    if (typeof value === "string") {
      const end = writeString(value, this.#v, this.#vv, 0);
      if (end >= 0) {
        this.#vl = end;
        return this.#vp;
      }
      return this.#valSlow(value, -end);
    }
    if (value instanceof Uint8Array) {
      const n = value.length;
      if (n < DIRECT && n <= this.#v.length) {
        this.#v.set(value);
        this.#vl = n;
        return this.#vp;
      }
    }
    return this.#valSlow(value, 0);
  }

  #valSlow(value: unknown, need: number): Ptr {
    if (typeof value === "string") {
      if (need > SHMD_MAX_VALUE) throw tooBig("value", need, SHMD_MAX_VALUE);
      if (need <= KEEP) {
        this.#growValue(need, 0);
        this.#vl = writeString(value, this.#v, this.#vv, 0);
        return this.#vp;
      }
      const bytes = encodeString(value);
      this.#hold = bytes;
      this.#vl = bytes.length;
      return this.#n.ptr(bytes);
    }
    if (value instanceof Uint8Array) {
      const n = value.length;
      if (n > SHMD_MAX_VALUE) throw tooBig("value", n, SHMD_MAX_VALUE);
      if (n < DIRECT) {
        this.#growValue(n, 0);
        this.#v.set(value);
        this.#vl = n;
        return this.#vp;
      }
      this.#hold = value;
      this.#vl = n;
      return this.#n.ptr(value);
    }
    throw new InvalidArgumentError(
      `ERR value must be a string or Uint8Array, not ${typeName(value)}`,
    );
  }

  /** Grows the value scratch to at least `need` bytes, keeping `keep` bytes. */
  #growValue(need: number, keep: number): void {
    const old = this.#v;
    const next = scratch(Math.max(need, old.length * 2));
    if (keep > 0) next.set(old.subarray(0, keep));
    this.#v = next;
    this.#vp = this.#n.ptr(next);
    this.#vv = textView(next);
  }

  /** Returns the value scratch to its initial size after a large command. */
  #trimValue(): void {
    if (this.#v.length > KEEP) {
      this.#v = scratch(VALUE_SIZE);
      this.#vp = this.#n.ptr(this.#v);
      this.#vv = textView(this.#v);
    }
  }

  /**
   * Writes a key, value or pattern into the value scratch at `at`, without a
   * length prefix. Returns the end offset.
   */
  #put(x: unknown, at: number, max: number, what: string): number {
    let end: number;
    if (typeof x === "string") {
      end = writeString(x, this.#v, this.#vv, at);
      if (end < 0) {
        if (-end - at > max) throw tooBig(what, -end - at, max);
        this.#growValue(-end, at);
        end = writeString(x, this.#v, this.#vv, at);
      }
    } else if (x instanceof Uint8Array) {
      end = at + x.length;
      if (x.length > max) throw tooBig(what, x.length, max);
      if (end > this.#v.length) this.#growValue(end, at);
      this.#v.set(x, at);
    } else {
      throw new InvalidArgumentError(
        `ERR ${what} must be a string or Uint8Array, not ${typeName(x)}`,
      );
    }
    if (end - at > max) throw tooBig(what, end - at, max);
    return end;
  }

  /** Appends one `[uint32 len][bytes]` item to an argv frame at `at`. */
  #item(x: unknown, at: number, max: number, what: string): number {
    if (at + 4 > this.#v.length) this.#growValue(at + 4, at);
    const end = this.#put(x, at + 4, max, what);
    writeU32(this.#v, at, end - at - 4);
    if (end > 0xffffffff) throw tooBig("command", end, 0xffffffff);
    return end;
  }

  /** Frames a list of keys as an argv in the value scratch; returns its length. */
  #argv(keys: readonly unknown[], cmd: string): number {
    if (keys.length === 0) throw wrongArgs(cmd);
    writeU32(this.#v, 0, keys.length);
    let at = 4;
    for (let i = 0; i < keys.length; i++) {
      at = this.#item(keys[i], at, SHMD_MAX_KEY, "key");
    }
    return at;
  }

  /** Frames MSET's entries as key, value, ... in the value scratch. */
  #entries(entries: unknown, cmd: string): number {
    if (typeof entries !== "object" || entries === null) {
      throw new InvalidArgumentError(
        `ERR ${cmd} takes an object or an iterable of [key, value] pairs, ` +
          `not ${typeName(entries)}`,
      );
    }
    let at = 4;
    let n = 0;
    if (Symbol.iterator in entries) {
      for (const pair of entries as Iterable<unknown>) {
        if (!Array.isArray(pair) || pair.length !== 2) {
          throw new InvalidArgumentError(
            `ERR ${cmd} entries must be [key, value] pairs, not ${typeName(pair)}`,
          );
        }
        at = this.#item(pair[0], at, SHMD_MAX_KEY, "key");
        at = this.#item(pair[1], at, SHMD_MAX_VALUE, "value");
        n += 2;
      }
    } else {
      const record = entries as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        at = this.#item(key, at, SHMD_MAX_KEY, "key");
        at = this.#item(record[key], at, SHMD_MAX_VALUE, "value");
        n += 2;
      }
    }
    if (n === 0) throw wrongArgs(cmd);
    writeU32(this.#v, 0, n);
    return at;
  }

  /** Grows the output scratch to at least `need` (<= KEEP) bytes. */
  #growOut(need: number): void {
    const size = Math.min(KEEP, Math.max(need, this.#o.length * 2));
    this.#o = scratch(size);
    this.#op = this.#n.ptr(this.#o);
    this.#of = new Float64Array(this.#o.buffer, 0, size >>> 3);
    this.#ov = textView(this.#o);
  }

  /**
   * The slow path of the out-buffer rule: C needed `need` bytes and did
   * nothing, so call again with a buffer that large, until the result fits.
   * The buffer holding the result is then taken with `#take`.
   */
  #again(need: number, call: (out: Ptr, cap: number) => number): number {
    for (;;) {
      let buf: Uint8Array;
      let p: Ptr;
      if (need <= KEEP) {
        this.#growOut(need);
        buf = this.#o;
        p = this.#op;
      } else {
        buf = scratch(need);
        p = this.#n.ptr(buf);
      }
      this.#r = buf;
      const len = call(p, buf.length);
      if (len <= buf.length) return len;
      need = len;
    }
  }

  /** The buffer the last `#again` result is in (and forgets it). */
  #take(): Uint8Array {
    const r = this.#r;
    this.#r = this.#o;
    return r;
  }

  /** Runs a key → bytes command (GETDEL, GETEX, GETRANGE, INCRBYFLOAT, ...)
   * and returns the length; the bytes are in `#r`. */
  #bytes(call: (out: Ptr, cap: number) => number): number {
    const len = call(this.#op, this.#o.length);
    this.#r = this.#o;
    if (len > this.#o.length) return this.#again(len, call);
    return len;
  }

  /** Decodes a string result from `buf` (the output scratch or a one-off buffer). */
  #text(buf: Uint8Array, at: number, len: number): string {
    return readString(buf, buf === this.#o ? this.#ov : null, at, len);
  }

  /** Decodes a framed list result from `buf`. */
  #list(buf: Uint8Array, at: number, len: number): (string | null)[] {
    return readList(buf, buf === this.#o ? this.#ov : null, at, len);
  }

  /** A command that writes one double to the output scratch. */
  #double(status: number): number {
    if (status < 0) this.#fail(status);
    return this.#of[0];
  }

  /** A count-returning command's result (>= 0), else its error. */
  #count(status: number): number {
    return status >= 0 ? status : this.#fail(status);
  }

  /* ---- strings ------------------------------------------------------------------ */

  /**
   * Gets the value of `key` as a string (UTF-8 decoded).
   *
   * Lock-free: readers never wait for writers.
   *
   * @see https://redis.io/docs/latest/commands/get/
   * Complexity: O(1).
   * @param key the key
   * @returns the value, or `null` if the key does not exist
   * @throws {WrongTypeError} if the key holds a non-string value
   * @example
   * ```ts
   * db.set("k", "v");
   * db.get("k"); // "v"
   * db.get("missing"); // null
   * ```
   */
  get(key: Key): string | null {
    const n = this.#n;
    const kl = this.#key(key);
    const o = this.#o;
    let len = n.shmd_get(this.#h, this.#kp, kl, this.#op, o.length);
    if (len <= o.length) {
      if (len >= 0) return readString(o, this.#ov, 0, len);
      return len === SHMD_NIL ? null : this.#fail(len);
    }
    len = this.#getAgain(len, kl);
    const buf = this.#take();
    if (len < 0) return len === SHMD_NIL ? null : this.#fail(len);
    return this.#text(buf, 0, len);
  }

  /* The slow paths of get/getBytes/set live in their own methods: a closure
   * in the hot method would make the engine allocate a context for the
   * captured variables on every call, slow path taken or not. */

  /** GET again with a buffer of `need` bytes (key still in the key scratch). */
  #getAgain(need: number, kl: number): number {
    const n = this.#n;
    return this.#again(need, (p, c) => n.shmd_get(this.#h, this.#kp, kl, p, c));
  }

  /**
   * Gets the value of `key` as bytes: a fresh copy the caller owns.
   *
   * @see https://redis.io/docs/latest/commands/get/
   * Complexity: O(1) (plus the copy).
   * @param key the key
   * @returns the value's bytes, or `null` if the key does not exist
   * @throws {WrongTypeError} if the key holds a non-string value
   * @example
   * ```ts
   * db.set("k", new Uint8Array([1, 2, 3]));
   * db.getBytes("k"); // Uint8Array [1, 2, 3]
   * ```
   */
  getBytes(key: Key): Uint8Array | null {
    const n = this.#n;
    const kl = this.#key(key);
    let buf = this.#o;
    let len = n.shmd_get(this.#h, this.#kp, kl, this.#op, buf.length);
    if (len > buf.length) {
      len = this.#getAgain(len, kl);
      buf = this.#take();
      if (len === buf.length && buf !== this.#o) return buf;
    }
    if (len < 0) return len === SHMD_NIL ? null : this.#fail(len);
    return buf.slice(0, len);
  }

  /**
   * Copies the value of `key` into `target`, allocating nothing.
   *
   * The dictionary remembers the address of the last `target` it was given,
   * so reusing one buffer is the fast way to call this.
   *
   * @see https://redis.io/docs/latest/commands/get/
   * Complexity: O(1) (plus the copy).
   * @param key the key
   * @param target where to copy the value (from index 0)
   * @returns the value's length in bytes, or `null` if the key does not exist
   * @throws {InvalidArgumentError} code `"TOOBIG"` if `target` is shorter than
   *   the value (the message gives the length needed; nothing was copied)
   * @throws {WrongTypeError} if the key holds a non-string value
   * @example
   * ```ts
   * const buf = new Uint8Array(1024);
   * db.set("k", "hello");
   * const n = db.getInto("k", buf); // 5
   * new TextDecoder().decode(buf.subarray(0, n!)); // "hello"
   * ```
   */
  getInto(key: Key, target: Uint8Array): number | null {
    if (!(target instanceof Uint8Array)) {
      throw new InvalidArgumentError(
        `ERR target must be a Uint8Array, not ${typeName(target)}`,
      );
    }
    const kl = this.#key(key);
    const cap = target.length;
    /* The length is read on every call (a detached buffer reads 0), and an
     * empty target is never cached: with cap 0, C copies nothing anyway. */
    let tp = this.#tp;
    if (cap === 0) tp = this.#op;
    else if (target !== this.#t || tp === null) {
      tp = this.#n.ptr(target);
      this.#t = target;
      this.#tp = tp;
    }
    const len = this.#n.shmd_get(this.#h, this.#kp, kl, tp, cap);
    if (len < 0) return len === SHMD_NIL ? null : this.#fail(len);
    if (len > cap) {
      throw new InvalidArgumentError(
        `ERR the value is ${len} bytes but the target holds only ${cap}: ` +
          `pass a target of at least ${len} bytes`,
        "TOOBIG",
      );
    }
    return len;
  }

  /**
   * Sets `key` to `value` and returns the old value (`get: true`).
   *
   * @see https://redis.io/docs/latest/commands/set/
   * Complexity: O(1).
   * @param key the key
   * @param value the new value
   * @param opts `get: true` plus any other {@link SetOptions}
   * @returns the old value, or `null` if there was none
   * @example
   * ```ts
   * db.set("k", "new", { get: true }); // the old value, or null
   * ```
   */
  set(key: Key, value: Value, opts: SetOptions & { get: true }): string | null;
  /**
   * Sets `key` to `value`, with Redis's SET options.
   *
   * @see https://redis.io/docs/latest/commands/set/
   * Complexity: O(1).
   * @param key the key
   * @param value the new value
   * @param opts expiry (`ex`, `px`, `exat`, `pxat` or `keepttl`, at most one)
   *   and condition (`nx` or `xx`)
   * @returns `"OK"`, or `null` when `nx`/`xx` prevented the write
   * @example
   * ```ts
   * db.set("k", "v"); // "OK"
   * db.set("k", "v2", { nx: true }); // null: k exists
   * db.set("session", "data", { ex: 60 }); // expires in a minute
   * ```
   */
  set(
    key: Key,
    value: Value,
    opts?: SetOptions & { get?: false },
  ): "OK" | null;
  /**
   * Sets `key` to `value`, with Redis's SET options.
   *
   * @see https://redis.io/docs/latest/commands/set/
   * Complexity: O(1).
   * @param key the key
   * @param value the new value
   * @param opts {@link SetOptions}
   * @returns `"OK"` or `null` (see above); with `get: true`, the old value
   * @throws {InvalidArgumentError} for more than one expiry option, both
   *   `nx` and `xx`, or an expiry time <= 0
   * @throws {NotIntegerError} for a non-integer expiry time
   * @throws {WrongTypeError} with `get: true` when the old value is not a string
   * @example
   * ```ts
   * const opts = { xx: true };
   * db.set("k", "v", opts);
   * ```
   */
  set(key: Key, value: Value, opts?: SetOptions): string | null;
  set(key: Key, value: Value, opts?: SetOptions): string | null {
    const n = this.#n;
    let flags = 0;
    let ttl = 0;
    if (opts !== undefined) {
      flags = setFlags(opts);
      ttl = ttlArg;
    }
    const kl = this.#key(key);
    const vp = this.#val(value);
    const vl = this.#vl;
    let buf = this.#o;
    let r = n.shmd_set(
      this.#h,
      this.#kp,
      kl,
      vp,
      vl,
      flags,
      ttl,
      this.#op,
      buf.length,
    );
    if (r > buf.length) {
      r = this.#setAgain(r, kl, vp, vl, flags, ttl);
      buf = this.#take();
    }
    this.#hold = null;
    if (r < 0) return r === SHMD_NIL ? null : this.#fail(r);
    return (flags & SHMD_SET_GET) === 0 ? "OK" : this.#text(buf, 0, r);
  }

  /** SET ... GET again with a buffer of `need` bytes (nothing was done yet). */
  #setAgain(
    need: number,
    kl: number,
    vp: Ptr,
    vl: number,
    flags: number,
    ttl: number,
  ): number {
    const n = this.#n;
    return this.#again(
      need,
      (p, c) => n.shmd_set(this.#h, this.#kp, kl, vp, vl, flags, ttl, p, c),
    );
  }

  /**
   * Gets the values of several keys.
   *
   * @see https://redis.io/docs/latest/commands/mget/
   * Complexity: O(N) for N keys.
   * @param keys one or more keys
   * @returns one entry per key: the value, or `null` for a missing key or one
   *   holding a non-string value
   * @example
   * ```ts
   * db.mset({ a: "1", b: "2" });
   * db.mget("a", "b", "c"); // ["1", "2", null]
   * ```
   */
  mget(...keys: Key[]): (string | null)[] {
    const n = this.#n;
    let len: number;
    try {
      const al = this.#argv(keys, "mget");
      const vp = this.#vp;
      len = this.#bytes((p, c) => n.shmd_mget(this.#h, vp, al, p, c));
    } finally {
      this.#trimValue();
    }
    if (len < 0) this.#fail(len);
    return this.#list(this.#take(), 0, len);
  }

  /**
   * Sets several keys at once, atomically.
   *
   * @see https://redis.io/docs/latest/commands/mset/
   * Complexity: O(N) for N keys.
   * @param entries an object of key → value, or an iterable of `[key, value]`
   *   pairs (a `Map`, an array of pairs)
   * @returns `"OK"`
   * @example
   * ```ts
   * db.mset({ a: "1", b: "2" });
   * db.mset(new Map([["c", "3"]]));
   * ```
   */
  mset(
    entries: Record<string, Value> | Iterable<readonly [Key, Value]>,
  ): "OK" {
    let r: number;
    try {
      const al = this.#entries(entries, "mset"); /* may move #v */
      r = this.#n.shmd_mset(this.#h, this.#vp, al, 0);
    } finally {
      this.#trimValue();
    }
    if (r < 0) this.#fail(r);
    return "OK";
  }

  /**
   * Sets several keys at once, only if none of them exists (all or nothing).
   *
   * @see https://redis.io/docs/latest/commands/msetnx/
   * Complexity: O(N) for N keys.
   * @param entries an object of key → value, or an iterable of `[key, value]` pairs
   * @returns 1 if all keys were set, 0 if none was (some key existed)
   * @example
   * ```ts
   * db.msetnx({ a: "1", b: "2" }); // 1
   * db.msetnx({ b: "x", c: "3" }); // 0: b exists, c not set
   * ```
   */
  msetnx(
    entries: Record<string, Value> | Iterable<readonly [Key, Value]>,
  ): number {
    let r: number;
    try {
      const al = this.#entries(entries, "msetnx"); /* may move #v */
      r = this.#n.shmd_mset(this.#h, this.#vp, al, 1);
    } finally {
      this.#trimValue();
    }
    return this.#count(r);
  }

  /**
   * Gets the value of `key` and deletes the key.
   *
   * @see https://redis.io/docs/latest/commands/getdel/
   * Complexity: O(1).
   * @param key the key
   * @returns the old value, or `null` if the key did not exist
   * @throws {WrongTypeError} if the key holds a non-string value
   * @example
   * ```ts
   * db.set("k", "v");
   * db.getdel("k"); // "v"
   * db.get("k"); // null
   * ```
   */
  getdel(key: Key): string | null {
    const n = this.#n;
    const kl = this.#key(key);
    const len = this.#bytes((p, c) => n.shmd_getdel(this.#h, this.#kp, kl, p, c));
    const buf = this.#take();
    if (len < 0) return len === SHMD_NIL ? null : this.#fail(len);
    return this.#text(buf, 0, len);
  }

  /**
   * Gets the value of `key` and optionally changes its time to live.
   *
   * @see https://redis.io/docs/latest/commands/getex/
   * Complexity: O(1).
   * @param key the key
   * @param opts at most one of `ex`, `px`, `exat`, `pxat`, `persist`
   * @returns the value, or `null` if the key does not exist
   * @throws {InvalidArgumentError} for more than one option or a time <= 0
   * @throws {NotIntegerError} for a non-integer time
   * @throws {WrongTypeError} if the key holds a non-string value
   * @example
   * ```ts
   * db.getex("session", { ex: 60 }); // read and extend by a minute
   * db.getex("session", { persist: true }); // read and keep forever
   * ```
   */
  getex(key: Key, opts?: GetExOptions): string | null {
    const o = optionsObject(opts, "getex");
    let flags = 0;
    let ttl = 0;
    if (o !== undefined) {
      const persist = boolOption(o.persist, "persist");
      ttlArg = 0;
      flags = parseTtl(o, "getex", persist ? 1 : 0);
      ttl = ttlArg;
      if (persist) flags = SHMD_TTL_PERSIST;
    }
    const n = this.#n;
    const kl = this.#key(key);
    const len = this.#bytes((p, c) => n.shmd_getex(this.#h, this.#kp, kl, flags, ttl, p, c));
    const buf = this.#take();
    if (len < 0) return len === SHMD_NIL ? null : this.#fail(len);
    return this.#text(buf, 0, len);
  }

  /**
   * Gets a substring of the value of `key`, by byte offsets; negative offsets
   * count from the end (-1 is the last byte), both ends inclusive.
   *
   * @see https://redis.io/docs/latest/commands/getrange/
   * Complexity: O(N) for N bytes returned.
   * @param key the key
   * @param start first byte offset
   * @param end last byte offset (inclusive)
   * @returns the substring; `""` if the key does not exist
   * @throws {NotIntegerError} for a non-integer offset
   * @throws {WrongTypeError} if the key holds a non-string value
   * @example
   * ```ts
   * db.set("k", "Hello World");
   * db.getrange("k", 0, 4); // "Hello"
   * db.getrange("k", -5, -1); // "World"
   * ```
   */
  getrange(key: Key, start: number, end: number): string {
    const s = integer(start, "start");
    const e = integer(end, "end");
    const n = this.#n;
    const kl = this.#key(key);
    const len = this.#bytes((p, c) => n.shmd_getrange(this.#h, this.#kp, kl, s, e, p, c));
    const buf = this.#take();
    if (len < 0) return len === SHMD_NIL ? "" : this.#fail(len);
    return this.#text(buf, 0, len);
  }

  /**
   * Overwrites part of the string at `key` from byte `offset`, zero-padding
   * if the string is shorter.
   *
   * @see https://redis.io/docs/latest/commands/setrange/
   * Complexity: O(1) not counting the copy; O(M) to grow to M bytes.
   * @param key the key
   * @param offset byte offset, >= 0
   * @param value bytes to write there
   * @returns the string's length after the change
   * @throws {InvalidArgumentError} for a negative offset, or code `"TOOBIG"`
   *   past 512 MiB
   * @throws {NotIntegerError} for a non-integer offset
   * @throws {WrongTypeError} if the key holds a non-string value
   * @example
   * ```ts
   * db.set("k", "Hello World");
   * db.setrange("k", 6, "Redis"); // 11
   * db.get("k"); // "Hello Redis"
   * ```
   */
  setrange(key: Key, offset: number, value: Value): number {
    const off = integer(offset, "offset");
    if (off < 0) throw new InvalidArgumentError("ERR offset is out of range");
    const kl = this.#key(key);
    const vp = this.#val(value);
    const vl = this.#vl;
    if (vl > 0 && off + vl > SHMD_MAX_VALUE) {
      this.#hold = null;
      throw new InvalidArgumentError(
        "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
        "TOOBIG",
      );
    }
    const r = this.#n.shmd_setrange(this.#h, this.#kp, kl, off, vp, vl);
    this.#hold = null;
    return this.#count(r);
  }

  /**
   * Appends `value` to the string at `key` (creating it if missing).
   *
   * @see https://redis.io/docs/latest/commands/append/
   * Complexity: O(1) amortized.
   * @param key the key
   * @param value bytes to append
   * @returns the string's length after the append
   * @throws {InvalidArgumentError} code `"TOOBIG"` past 512 MiB
   * @throws {WrongTypeError} if the key holds a non-string value
   * @example
   * ```ts
   * db.append("log", "a"); // 1
   * db.append("log", "bc"); // 3
   * ```
   */
  append(key: Key, value: Value): number {
    const kl = this.#key(key);
    const vp = this.#val(value);
    const r = this.#n.shmd_append(this.#h, this.#kp, kl, vp, this.#vl);
    this.#hold = null;
    return this.#count(r);
  }

  /**
   * The length in bytes of the string at `key`.
   *
   * @see https://redis.io/docs/latest/commands/strlen/
   * Complexity: O(1).
   * @param key the key
   * @returns the length; 0 if the key does not exist
   * @throws {WrongTypeError} if the key holds a non-string value
   * @example
   * ```ts
   * db.set("k", "héllo");
   * db.strlen("k"); // 6 (UTF-8 bytes)
   * ```
   */
  strlen(key: Key): number {
    const kl = this.#key(key);
    return this.#count(this.#n.shmd_strlen(this.#h, this.#kp, kl));
  }

  #incrby(key: Key, by: number): number {
    const kl = this.#key(key);
    return this.#double(
      this.#n.shmd_incrby(this.#h, this.#kp, kl, by, this.#op, this.#o.length),
    );
  }

  /**
   * Adds 1 to the integer at `key` (a missing key counts as 0).
   *
   * @see https://redis.io/docs/latest/commands/incr/
   * Complexity: O(1).
   * @param key the key
   * @returns the new value
   * @throws {NotIntegerError} if the value is not an integer
   * @throws {OverflowError} past the 64-bit range
   * @throws {WrongTypeError} if the key holds a non-string value
   * @example
   * ```ts
   * db.incr("visits"); // 1
   * db.incr("visits"); // 2
   * ```
   */
  incr(key: Key): number {
    return this.#incrby(key, 1);
  }

  /**
   * Subtracts 1 from the integer at `key` (a missing key counts as 0).
   *
   * @see https://redis.io/docs/latest/commands/decr/
   * Complexity: O(1).
   * @param key the key
   * @returns the new value
   * @throws {NotIntegerError} if the value is not an integer
   * @throws {OverflowError} past the 64-bit range
   * @throws {WrongTypeError} if the key holds a non-string value
   * @example
   * ```ts
   * db.decr("stock"); // -1 if stock did not exist
   * ```
   */
  decr(key: Key): number {
    return this.#incrby(key, -1);
  }

  /**
   * Adds `increment` to the integer at `key` (a missing key counts as 0).
   *
   * @see https://redis.io/docs/latest/commands/incrby/
   * Complexity: O(1).
   * @param key the key
   * @param increment an integer (may be negative)
   * @returns the new value (exact up to 2^53; the stored value is exact)
   * @throws {NotIntegerError} for a non-integer increment or value
   * @throws {OverflowError} past the 64-bit range
   * @throws {WrongTypeError} if the key holds a non-string value
   * @example
   * ```ts
   * db.incrby("score", 10); // 10
   * ```
   */
  incrby(key: Key, increment: number): number {
    return this.#incrby(key, integer(increment, "increment"));
  }

  /**
   * Subtracts `decrement` from the integer at `key` (a missing key counts as 0).
   *
   * @see https://redis.io/docs/latest/commands/decrby/
   * Complexity: O(1).
   * @param key the key
   * @param decrement an integer (may be negative)
   * @returns the new value
   * @throws {NotIntegerError} for a non-integer decrement or value
   * @throws {OverflowError} past the 64-bit range
   * @throws {WrongTypeError} if the key holds a non-string value
   * @example
   * ```ts
   * db.set("stock", "10");
   * db.decrby("stock", 3); // 7
   * ```
   */
  decrby(key: Key, decrement: number): number {
    return this.#incrby(key, -integer(decrement, "decrement"));
  }

  /**
   * Adds a floating-point `increment` to the number at `key` (a missing key
   * counts as 0). The value is stored as text, formatted as Redis does.
   *
   * @see https://redis.io/docs/latest/commands/incrbyfloat/
   * Complexity: O(1).
   * @param key the key
   * @param increment a finite number
   * @returns the new value
   * @throws {NotFloatError} for NaN, ±Infinity, or a value that is not a number
   * @throws {WrongTypeError} if the key holds a non-string value
   * @example
   * ```ts
   * db.set("price", "10.5");
   * db.incrbyfloat("price", 0.1); // 10.6
   * ```
   */
  incrbyfloat(key: Key, increment: number): number {
    if (typeof increment !== "number") {
      throw new InvalidArgumentError(
        `ERR increment must be a number, not ${typeName(increment)}`,
      );
    }
    if (!Number.isFinite(increment)) throw new NotFloatError();
    const n = this.#n;
    const kl = this.#key(key);
    /* Passed as text, as a Redis client sends it: C formats the long-double
     * sum exactly as Redis does. */
    const bl = this.#put(String(increment), 0, SHMD_MAX_KEY, "increment");
    const vp = this.#vp;
    const len = this.#bytes((p, c) => n.shmd_incrbyfloat(this.#h, this.#kp, kl, vp, bl, p, c));
    const buf = this.#take();
    if (len < 0) this.#fail(len);
    return Number(this.#text(buf, 0, len));
  }

  /* ---- keys ----------------------------------------------------------------------- */

  /**
   * Deletes keys.
   *
   * @see https://redis.io/docs/latest/commands/del/
   * Complexity: O(N) for N keys (plus the size of each value).
   * @param keys one or more keys
   * @returns how many of them existed and were removed
   * @example
   * ```ts
   * db.mset({ a: "1", b: "2" });
   * db.del("a", "b", "c"); // 2
   * ```
   */
  del(...keys: Key[]): number {
    let r: number;
    try {
      const al = this.#argv(keys, "del"); /* may move #v */
      r = this.#n.shmd_del(this.#h, this.#vp, al);
    } finally {
      this.#trimValue();
    }
    return this.#count(r);
  }

  /**
   * Deletes keys; the same as {@link Dict.del} here (memory is reclaimed at once).
   *
   * @see https://redis.io/docs/latest/commands/unlink/
   * Complexity: O(N) for N keys.
   * @param keys one or more keys
   * @returns how many of them existed and were removed
   * @example
   * ```ts
   * db.unlink("a", "b"); // number removed
   * ```
   */
  unlink(...keys: Key[]): number {
    let r: number;
    try {
      const al = this.#argv(keys, "unlink"); /* may move #v */
      r = this.#n.shmd_del(this.#h, this.#vp, al);
    } finally {
      this.#trimValue();
    }
    return this.#count(r);
  }

  /**
   * Counts how many of the keys exist (a key named twice counts twice).
   *
   * @see https://redis.io/docs/latest/commands/exists/
   * Complexity: O(N) for N keys.
   * @param keys one or more keys
   * @returns the number of existing keys
   * @example
   * ```ts
   * db.set("a", "1");
   * db.exists("a", "a", "b"); // 2
   * ```
   */
  exists(...keys: Key[]): number {
    let r: number;
    try {
      const al = this.#argv(keys, "exists"); /* may move #v */
      r = this.#n.shmd_exists(this.#h, this.#vp, al);
    } finally {
      this.#trimValue();
    }
    return this.#count(r);
  }

  /**
   * The kind of value stored at `key`.
   *
   * @see https://redis.io/docs/latest/commands/type/
   * Complexity: O(1).
   * @param key the key
   * @returns `"string"`, `"list"`, `"set"`, `"zset"`, `"hash"`, or `"none"`
   *   if the key does not exist
   * @example
   * ```ts
   * db.set("k", "v");
   * db.type("k"); // "string"
   * db.type("missing"); // "none"
   * ```
   */
  type(key: Key): KeyType | "none" {
    const kl = this.#key(key);
    const r = this.#n.shmd_type(this.#h, this.#kp, kl);
    if (r < 0) this.#fail(r);
    const name = TYPE_NAMES[r];
    if (name === undefined) {
      throw new DictError(`unexpected type code ${r} from the native library`, "UNKNOWN");
    }
    return name;
  }

  #rename(src: Key, dst: Key, nx: number): number {
    const sl = this.#key(src);
    const dl = this.#put(dst, 0, SHMD_MAX_KEY, "key");
    const r = this.#n.shmd_rename(this.#h, this.#kp, sl, this.#vp, dl, nx);
    if (r === SHMD_E_NOENT) throw new NoSuchKeyError();
    return this.#count(r);
  }

  /**
   * Renames `src` to `dst`, replacing `dst` if it exists. The time to live
   * moves with the value.
   *
   * @see https://redis.io/docs/latest/commands/rename/
   * Complexity: O(1) (plus deleting an old `dst`).
   * @param src the existing key
   * @param dst the new name
   * @returns `"OK"`
   * @throws {NoSuchKeyError} if `src` does not exist
   * @example
   * ```ts
   * db.set("old", "v");
   * db.rename("old", "new"); // "OK"
   * ```
   */
  rename(src: Key, dst: Key): "OK" {
    this.#rename(src, dst, 0);
    return "OK";
  }

  /**
   * Renames `src` to `dst` only if `dst` does not exist.
   *
   * @see https://redis.io/docs/latest/commands/renamenx/
   * Complexity: O(1).
   * @param src the existing key
   * @param dst the new name
   * @returns 1 if renamed, 0 if `dst` already existed
   * @throws {NoSuchKeyError} if `src` does not exist
   * @example
   * ```ts
   * db.mset({ a: "1", b: "2" });
   * db.renamenx("a", "b"); // 0
   * db.renamenx("a", "c"); // 1
   * ```
   */
  renamenx(src: Key, dst: Key): number {
    return this.#rename(src, dst, 1);
  }

  /**
   * Copies the value (and time to live) of `src` to `dst`.
   *
   * @see https://redis.io/docs/latest/commands/copy/
   * Complexity: O(N) for a value of N bytes or elements.
   * @param src the key to copy
   * @param dst the destination key
   * @param opts `replace: true` to overwrite an existing `dst`
   * @returns 1 if copied, 0 if not (`src` missing, or `dst` exists)
   * @example
   * ```ts
   * db.set("a", "1");
   * db.copy("a", "b"); // 1
   * db.copy("a", "b"); // 0: b exists
   * db.copy("a", "b", { replace: true }); // 1
   * ```
   */
  copy(src: Key, dst: Key, opts?: CopyOptions): number {
    const o = optionsObject(opts, "copy");
    const replace = o === undefined ? false : boolOption(o.replace, "replace");
    const sl = this.#key(src);
    const dl = this.#put(dst, 0, SHMD_MAX_KEY, "key");
    return this.#count(
      this.#n.shmd_copy(this.#h, this.#kp, sl, this.#vp, dl, replace ? 1 : 0),
    );
  }

  #expire(
    key: Key,
    when: number,
    opts: ExpireOptions | undefined,
    base: number,
    cmd: string,
  ): number {
    const t = integer(when, (base & SHMD_EXP_MS) === 0 ? "seconds" : "milliseconds");
    const flags = base | (opts === undefined ? 0 : expireFlags(opts, cmd));
    const kl = this.#key(key);
    return this.#count(this.#n.shmd_expire(this.#h, this.#kp, kl, t, flags));
  }

  /**
   * Sets a time to live on `key`, in seconds. A time <= 0 deletes the key.
   *
   * @see https://redis.io/docs/latest/commands/expire/
   * Complexity: O(1).
   * @param key the key
   * @param seconds an integer number of seconds from now
   * @param opts at most one condition: `nx`, `xx`, `gt`, `lt` (`xx` may
   *   combine with `gt` or `lt`)
   * @returns 1 if the time to live was set, 0 if the key does not exist or
   *   the condition was not met
   * @throws {NotIntegerError} for a non-integer time
   * @throws {InvalidArgumentError} for incompatible conditions
   * @example
   * ```ts
   * db.set("k", "v");
   * db.expire("k", 60); // 1
   * db.expire("k", 30, { gt: true }); // 0: 30 s is not later
   * ```
   */
  expire(key: Key, seconds: number, opts?: ExpireOptions): number {
    return this.#expire(key, seconds, opts, 0, "expire");
  }

  /**
   * Sets a time to live on `key`, in milliseconds.
   *
   * @see https://redis.io/docs/latest/commands/pexpire/
   * Complexity: O(1).
   * @param key the key
   * @param ms an integer number of milliseconds from now
   * @param opts at most one condition: `nx`, `xx`, `gt`, `lt`
   * @returns 1 if set, 0 if not
   * @throws {NotIntegerError} for a non-integer time
   * @example
   * ```ts
   * db.pexpire("k", 1500); // 1 if k exists
   * ```
   */
  pexpire(key: Key, ms: number, opts?: ExpireOptions): number {
    return this.#expire(key, ms, opts, SHMD_EXP_MS, "pexpire");
  }

  /**
   * Makes `key` expire at a unix time in seconds (a past time deletes it).
   *
   * @see https://redis.io/docs/latest/commands/expireat/
   * Complexity: O(1).
   * @param key the key
   * @param unixSeconds the deadline, seconds since 1970-01-01 UTC
   * @param opts at most one condition: `nx`, `xx`, `gt`, `lt`
   * @returns 1 if set, 0 if not
   * @throws {NotIntegerError} for a non-integer time
   * @example
   * ```ts
   * db.expireat("k", Math.floor(Date.now() / 1000) + 3600); // 1 if k exists
   * ```
   */
  expireat(key: Key, unixSeconds: number, opts?: ExpireOptions): number {
    return this.#expire(key, unixSeconds, opts, SHMD_EXP_AT, "expireat");
  }

  /**
   * Makes `key` expire at a unix time in milliseconds.
   *
   * @see https://redis.io/docs/latest/commands/pexpireat/
   * Complexity: O(1).
   * @param key the key
   * @param unixMs the deadline, milliseconds since 1970-01-01 UTC
   * @param opts at most one condition: `nx`, `xx`, `gt`, `lt`
   * @returns 1 if set, 0 if not
   * @throws {NotIntegerError} for a non-integer time
   * @example
   * ```ts
   * db.pexpireat("k", Date.now() + 5000); // 1 if k exists
   * ```
   */
  pexpireat(key: Key, unixMs: number, opts?: ExpireOptions): number {
    return this.#expire(
      key,
      unixMs,
      opts,
      SHMD_EXP_AT | SHMD_EXP_MS,
      "pexpireat",
    );
  }

  #ttl(key: Key, flags: number): number {
    const kl = this.#key(key);
    return this.#double(
      this.#n.shmd_ttl(this.#h, this.#kp, kl, flags, this.#op, this.#o.length),
    );
  }

  /**
   * The remaining time to live of `key`, in seconds.
   *
   * @see https://redis.io/docs/latest/commands/ttl/
   * Complexity: O(1).
   * @param key the key
   * @returns seconds left; -1 if the key has no expiry; -2 if it does not exist
   * @example
   * ```ts
   * db.set("k", "v", { ex: 60 });
   * db.ttl("k"); // 60
   * ```
   */
  ttl(key: Key): number {
    return this.#ttl(key, 0);
  }

  /**
   * The remaining time to live of `key`, in milliseconds.
   *
   * @see https://redis.io/docs/latest/commands/pttl/
   * Complexity: O(1).
   * @param key the key
   * @returns milliseconds left; -1 if no expiry; -2 if the key does not exist
   * @example
   * ```ts
   * db.set("k", "v", { px: 1500 });
   * db.pttl("k"); // about 1500
   * ```
   */
  pttl(key: Key): number {
    return this.#ttl(key, SHMD_TTLQ_MS);
  }

  /**
   * The unix time in seconds at which `key` expires.
   *
   * @see https://redis.io/docs/latest/commands/expiretime/
   * Complexity: O(1).
   * @param key the key
   * @returns the deadline; -1 if no expiry; -2 if the key does not exist
   * @example
   * ```ts
   * db.expireat("k", 1_900_000_000);
   * db.expiretime("k"); // 1900000000
   * ```
   */
  expiretime(key: Key): number {
    return this.#ttl(key, SHMD_TTLQ_AT);
  }

  /**
   * The unix time in milliseconds at which `key` expires.
   *
   * @see https://redis.io/docs/latest/commands/pexpiretime/
   * Complexity: O(1).
   * @param key the key
   * @returns the deadline; -1 if no expiry; -2 if the key does not exist
   * @example
   * ```ts
   * db.pexpireat("k", 1_900_000_000_000);
   * db.pexpiretime("k"); // 1900000000000
   * ```
   */
  pexpiretime(key: Key): number {
    return this.#ttl(key, SHMD_TTLQ_AT | SHMD_TTLQ_MS);
  }

  /**
   * Removes the time to live of `key`.
   *
   * @see https://redis.io/docs/latest/commands/persist/
   * Complexity: O(1).
   * @param key the key
   * @returns 1 if a time to live was removed, 0 otherwise
   * @example
   * ```ts
   * db.set("k", "v", { ex: 60 });
   * db.persist("k"); // 1
   * db.ttl("k"); // -1
   * ```
   */
  persist(key: Key): number {
    const kl = this.#key(key);
    return this.#count(this.#n.shmd_persist(this.#h, this.#kp, kl));
  }

  /**
   * All keys matching a glob pattern. Walks the whole dictionary in one
   * command: prefer {@link Dict.scan} on large dictionaries.
   *
   * @see https://redis.io/docs/latest/commands/keys/
   * Complexity: O(N) for N keys in the dictionary.
   * @param pattern glob: `*`, `?`, `[abc]`, `[^a]`, `[a-z]`, `\` escapes
   * @returns the matching keys, in no particular order
   * @example
   * ```ts
   * db.mset({ "user:1": "a", "user:2": "b", other: "c" });
   * db.keys("user:*"); // ["user:1", "user:2"] in some order
   * ```
   */
  keys(pattern: string): string[] {
    if (typeof pattern !== "string") {
      throw new InvalidArgumentError(
        `ERR pattern must be a string, not ${typeName(pattern)}`,
      );
    }
    const n = this.#n;
    const pl = this.#put(pattern, 0, SHMD_MAX_KEY, "pattern");
    const vp = this.#vp;
    const len = this.#bytes((p, c) => n.shmd_keys(this.#h, vp, pl, p, c));
    this.#trimValue();
    const buf = this.#take();
    if (len < 0) this.#fail(len);
    return this.#list(buf, 0, len) as string[];
  }

  /**
   * One step of an incremental walk over the keys. Start with cursor `"0"`,
   * pass each returned cursor to the next call, and stop when it is `"0"`
   * again. A key present for the whole walk is returned at least once (maybe
   * more than once); keys added or removed meanwhile may or may not be.
   *
   * @see https://redis.io/docs/latest/commands/scan/
   * Complexity: O(1) per call, O(N) for a complete walk.
   * @param cursor `"0"` (or 0) to start, then the cursor last returned
   * @param opts `match` pattern, `count` hint, `type` filter
   * @returns `[nextCursor, keys]`
   * @throws {InvalidArgumentError} for a malformed cursor, a count < 1 or an
   *   unknown type
   * @example
   * ```ts
   * let cursor = "0";
   * do {
   *   const [next, keys] = db.scan(cursor, { match: "user:*", count: 100 });
   *   for (const key of keys) console.log(key);
   *   cursor = next;
   * } while (cursor !== "0");
   * ```
   */
  scan(cursor: number | string, opts?: ScanOptions): [string, string[]] {
    return this.#scan(scanCursor(cursor), scanArgs(opts));
  }

  #scan(cursor: number, args: ScanArgs): [string, string[]] {
    const n = this.#n;
    const pl = args.match === undefined ? 0 : this.#put(args.match, 0, SHMD_MAX_KEY, "pattern");
    const vp = this.#vp;
    const { count, type } = args;
    const len = this.#bytes((p, c) => n.shmd_scan(this.#h, cursor, vp, pl, count, type, p, c));
    this.#trimValue();
    const buf = this.#take();
    if (len < 0) this.#fail(len);
    const next = readF64(buf, 0);
    return [String(next), this.#list(buf, 8, len) as string[]];
  }

  /**
   * Iterates over all keys (optionally filtered) with {@link Dict.scan},
   * one batch at a time. As with SCAN, a key may be yielded more than once.
   *
   * @see https://redis.io/docs/latest/commands/scan/
   * Complexity: O(N) for the whole iteration.
   * @param opts `match` pattern, `count` hint per batch, `type` filter
   * @returns an iterator of keys
   * @throws {InvalidArgumentError} for bad options (at once, not on first use)
   * @example
   * ```ts
   * for (const key of db.scanIterator({ match: "session:*" })) {
   *   db.del(key);
   * }
   * ```
   */
  scanIterator(opts?: ScanOptions): IterableIterator<string> {
    return this.#scanAll(scanArgs(opts));
  }

  *#scanAll(args: ScanArgs): Generator<string, void, unknown> {
    let cursor = 0;
    do {
      const [next, keys] = this.#scan(cursor, args);
      yield* keys;
      cursor = Number(next);
    } while (cursor !== 0);
  }

  /**
   * The number of keys in the dictionary.
   *
   * @see https://redis.io/docs/latest/commands/dbsize/
   * Complexity: O(1).
   * @returns the number of keys
   * @example
   * ```ts
   * db.dbsize(); // 0 for a new dictionary
   * ```
   */
  dbsize(): number {
    return this.#count(this.#n.shmd_dbsize(this.#h));
  }

  /**
   * Removes every key (for every process using the dictionary).
   *
   * @see https://redis.io/docs/latest/commands/flushall/
   * Complexity: O(N) for N keys.
   * @returns `"OK"`
   * @example
   * ```ts
   * db.flushall(); // "OK"
   * db.dbsize(); // 0
   * ```
   */
  flushall(): "OK" {
    const r = this.#n.shmd_flushall(this.#h);
    if (r < 0) this.#fail(r);
    return "OK";
  }

  /**
   * Statistics about the dictionary and its memory.
   *
   * @see https://redis.io/docs/latest/commands/info/
   * Complexity: O(1).
   * @returns a {@link DictInfo}; `hits` and `misses` count this process only
   * @example
   * ```ts
   * const { keys, usedBytes, reservedBytes } = db.info();
   * ```
   */
  info(): DictInfo {
    const r = this.#n.shmd_info(this.#h, this.#op, this.#o.length);
    if (r < 0) this.#fail(r);
    const f = this.#of;
    return {
      keys: f[SHMD_INFO_KEYS],
      expires: f[SHMD_INFO_EXPIRES],
      usedBytes: f[SHMD_INFO_USED],
      committedBytes: f[SHMD_INFO_COMMITTED],
      reservedBytes: f[SHMD_INFO_RESERVED],
      heapBytes: f[SHMD_INFO_HEAP],
      freeBytes: f[SHMD_INFO_FREE],
      hits: f[SHMD_INFO_HITS],
      misses: f[SHMD_INFO_MISSES],
      expired: f[SHMD_INFO_EXPIRED],
      buckets: f[SHMD_INFO_BUCKETS],
      rehashing: f[SHMD_INFO_REHASHING] !== 0,
      recoveries: f[SHMD_INFO_RECOVERIES],
    };
  }

  /**
   * Verifies every invariant of the dictionary's segment (allocator, index,
   * expiry bookkeeping, journal) under the write lock. For tests and tools.
   *
   * Complexity: O(N) in the size of the segment.
   * @returns the problems found, one per entry; empty when consistent
   * @example
   * ```ts
   * const problems = db.check();
   * if (problems.length > 0) console.error(problems.join("\n"));
   * ```
   */
  check(): string[] {
    const n = this.#n;
    const len = this.#bytes((p, c) => n.shmd_check(this.#h, p, c));
    const buf = this.#take();
    if (len < 0) this.#fail(len);
    return this.#text(buf, 0, len).split("\n").filter((l) => l !== "");
  }

  /**
   * Closes this handle. The data stays in the dictionary for other processes
   * and later opens. Idempotent; any other method then throws `ClosedError`.
   *
   * @example
   * ```ts
   * const db = open("cache");
   * db.close();
   * db.close(); // no effect
   * ```
   */
  close(): void {
    const h = this.#h;
    if (h < 0) return;
    this.#h = -1;
    registry.unregister(this);
    const r = this.#n.shmd_close(h);
    if (r < 0) this.#fail(r);
  }

  /**
   * Closes the handle at the end of a `using` block; see {@link Dict.close}.
   *
   * @example
   * ```ts
   * {
   *   using db = open("cache");
   *   db.set("k", "v");
   * } // closed here
   * ```
   */
  [Symbol.dispose](): void {
    this.close();
  }
}
