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
  SHMD_F_BEFORE,
  SHMD_F_BYLEX,
  SHMD_F_BYSCORE,
  SHMD_F_CH,
  SHMD_F_FROM_RIGHT,
  SHMD_F_GT,
  SHMD_F_INCR,
  SHMD_F_LT,
  SHMD_F_MAX_EXCL,
  SHMD_F_MIN_EXCL,
  SHMD_F_NX,
  SHMD_F_REV,
  SHMD_F_TO_RIGHT,
  SHMD_F_WITHSCORES,
  SHMD_F_WITHVALUES,
  SHMD_F_X,
  SHMD_F_XX,
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
  SHMD_OP_HDEL,
  SHMD_OP_HEXISTS,
  SHMD_OP_HGET,
  SHMD_OP_HGETALL,
  SHMD_OP_HINCRBY,
  SHMD_OP_HINCRBYFLOAT,
  SHMD_OP_HKEYS,
  SHMD_OP_HLEN,
  SHMD_OP_HMGET,
  SHMD_OP_HRANDFIELD,
  SHMD_OP_HSCAN,
  SHMD_OP_HSET,
  SHMD_OP_HSETNX,
  SHMD_OP_HSTRLEN,
  SHMD_OP_HVALS,
  SHMD_OP_LINDEX,
  SHMD_OP_LINSERT,
  SHMD_OP_LLEN,
  SHMD_OP_LMOVE,
  SHMD_OP_LPOP,
  SHMD_OP_LPOS,
  SHMD_OP_LPUSH,
  SHMD_OP_LRANGE,
  SHMD_OP_LREM,
  SHMD_OP_LSET,
  SHMD_OP_LTRIM,
  SHMD_OP_RPOP,
  SHMD_OP_RPUSH,
  SHMD_OP_SADD,
  SHMD_OP_SCARD,
  SHMD_OP_SDIFF,
  SHMD_OP_SDIFFSTORE,
  SHMD_OP_SINTER,
  SHMD_OP_SINTERCARD,
  SHMD_OP_SINTERSTORE,
  SHMD_OP_SISMEMBER,
  SHMD_OP_SMEMBERS,
  SHMD_OP_SMISMEMBER,
  SHMD_OP_SMOVE,
  SHMD_OP_SPOP,
  SHMD_OP_SRANDMEMBER,
  SHMD_OP_SREM,
  SHMD_OP_SSCAN,
  SHMD_OP_SUNION,
  SHMD_OP_SUNIONSTORE,
  SHMD_OP_ZADD,
  SHMD_OP_ZCARD,
  SHMD_OP_ZCOUNT,
  SHMD_OP_ZINCRBY,
  SHMD_OP_ZLEXCOUNT,
  SHMD_OP_ZMSCORE,
  SHMD_OP_ZPOPMAX,
  SHMD_OP_ZPOPMIN,
  SHMD_OP_ZRANDMEMBER,
  SHMD_OP_ZRANGE,
  SHMD_OP_ZRANK,
  SHMD_OP_ZREM,
  SHMD_OP_ZREMRANGEBYRANK,
  SHMD_OP_ZREMRANGEBYSCORE,
  SHMD_OP_ZSCAN,
  SHMD_OP_ZSCORE,
  SHMD_SCAN_MATCH,
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
  readReply,
  readString,
  type Reply,
  type TextView,
  textView,
  writeString,
  writeU32,
} from "./codec.ts";
import {
  ClosedError,
  DictError,
  InvalidArgumentError,
  NoSuchKeyError,
  NotFloatError,
  NotIntegerError,
  statusError,
} from "./errors.ts";
import { createMulti, type Multi, NOT_QUEUED } from "./multi.ts";
import {
  boolOption,
  boundExclusive,
  checkName,
  integer,
  optionsObject,
  reserveSize,
  score,
  scoreBound,
  timeoutSeconds,
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

/** The fields of {@link Dict.hset}: an object, a `Map` or `[field, value]` pairs. */
export type HashFields = Record<string, Value> | Iterable<readonly [Value, Value]>;

/** The arguments of {@link Dict.hset} after the key: one object of fields, or
 * field, value, field, value, ... */
export type HSetArgs = [fields: HashFields] | [field: Value, value: Value, ...more: Value[]];

/** Options of {@link Dict.hscan}, {@link Dict.sscan} and {@link Dict.zscan}. */
export interface ContainerScanOptions {
  /** Only fields or members matching this glob pattern. */
  match?: string;
  /** How much work to do per call (a hint, integer >= 1; default 10). */
  count?: number;
}

/** Options of {@link Dict.hrandfield}. */
export interface HRandFieldOptions {
  /** Interleave each field's value: field, value, field, value, ... */
  withvalues?: boolean;
}

/** An end of a list, for {@link Dict.lmove} and {@link Dict.blmove}. */
export type ListEnd = "LEFT" | "RIGHT";

/** Options of {@link Dict.lpos}. */
export interface LPosOptions {
  /** Which match: 1 the first (default), 2 the second, -1 the last, ... Not 0. */
  rank?: number;
  /** Return the indexes of up to this many matches (0 = all) as an array. */
  count?: number;
  /** Compare at most this many elements (0, the default, = all). */
  maxlen?: number;
}

/** Options of {@link Dict.sintercard}. */
export interface SInterCardOptions {
  /** Stop counting at this many (0, the default, = no limit). */
  limit?: number;
}

/** A score for {@link Dict.zadd} and {@link Dict.zincrby}: a number (±Infinity
 * allowed) or Redis float text such as `"1.5"`, `"-inf"`, `"+inf"`. */
export type Score = number | string;

/**
 * A score range bound: a number, `-Infinity` / `Infinity`, or Redis's text:
 * `"1.5"`, `"(1.5"` (exclusive), `"-inf"`, `"+inf"`. In {@link Dict.zrange}
 * also a rank (an integer) or a lex bound (`"-"`, `"+"`, `"[a"`, `"(a"`).
 */
export type ScoreBound = number | string;

/** Options of {@link Dict.zadd}, as Redis's ZADD takes them. */
export interface ZAddOptions {
  /** Only add new members; never update existing ones. */
  nx?: boolean;
  /** Only update existing members; never add. */
  xx?: boolean;
  /** Only update when the new score is greater (new members are still added). */
  gt?: boolean;
  /** Only update when the new score is less (new members are still added). */
  lt?: boolean;
  /** Count changed members too, not only added ones. */
  ch?: boolean;
  /** Increment the score (one pair only), returning the new score or `null`. */
  incr?: boolean;
}

/** The arguments of {@link Dict.zadd} after the key: optional options, then
 * score, member, score, member, ... */
export type ZAddArgs =
  | [opts: ZAddOptions, score: Score, member: Value, ...more: (Score | Value)[]]
  | [score: Score, member: Value, ...more: (Score | Value)[]];

/** Options of {@link Dict.zrank} and {@link Dict.zrevrank}. */
export interface ZRankOptions {
  /** Return `[rank, score]` instead of the rank. */
  withscore?: boolean;
}

/** LIMIT of a score or lex range: skip `offset` members, return `count`
 * (a negative count = all the rest). */
export interface RangeLimit {
  /** Members to skip. */
  offset: number;
  /** Members to return; negative = all the rest. */
  count: number;
}

/** Options of {@link Dict.zrange}. */
export interface ZRangeOptions {
  /** `start` and `stop` are score bounds. */
  byscore?: boolean;
  /** `start` and `stop` are lex bounds (`"-"`, `"+"`, `"[a"`, `"(a"`). */
  bylex?: boolean;
  /** Descending order (give the higher bound first). */
  rev?: boolean;
  /** Skip and limit (with `byscore` or `bylex` only). */
  limit?: RangeLimit;
  /** Interleave scores: member, score, member, score, ... (not with `bylex`). */
  withscores?: boolean;
}

/** Options of {@link Dict.zrangebyscore} and {@link Dict.zrevrangebyscore}. */
export interface ZRangeByScoreOptions {
  /** Interleave scores: member, score, member, score, ... */
  withscores?: boolean;
  /** Skip and limit. */
  limit?: RangeLimit;
}

/** Options of {@link Dict.zrandmember}. */
export interface ZRandMemberOptions {
  /** Interleave scores: member, score, ... */
  withscores?: boolean;
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
/** Initial capacity of the numeric-argument scratch, in doubles. */
const NUMS_SIZE = 16;
/**
 * Longest single native wait of a blocking call, in milliseconds. A push wakes
 * the wait at once (futex), and `close()` sends a running wait away; the
 * slice bounds how late a blocking call notices its deadline.
 */
const WAIT_SLICE_MS = 250;

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

/** A number as the text a Redis client sends (`inf`, `-inf`, `nan` spelled as C reads them). */
function floatText(x: number): string {
  if (Number.isFinite(x)) return String(x);
  return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
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
function parseTtl(o: Record<string, unknown>, extra: number): number {
  let flags = 0;
  let count = extra;
  for (const [name, flag] of TTL_OPTIONS) {
    const v = o[name];
    if (v === undefined) continue;
    /* only the JavaScript type here: Redis reads the number after the syntax */
    if (typeof v !== "number") {
      throw new InvalidArgumentError(`ERR ${name} must be a number, not ${typeName(v)}`);
    }
    flags = flag;
    ttlArg = v;
    count++;
  }
  if (count > 1) throw new InvalidArgumentError("ERR syntax error");
  return flags;
}

/** The TTL argument found by `parseTtl`, checked as Redis checks it. */
function checkTtl(cmd: string): void {
  if (integer(ttlArg, "ttl") <= 0) {
    throw new InvalidArgumentError(`ERR invalid expire time in '${cmd}' command`);
  }
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
  let flags = parseTtl(o, keepttl ? 1 : 0);
  if (nx && xx) throw new InvalidArgumentError("ERR syntax error");
  if (flags !== 0) checkTtl("set");
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

/** The keys of a blocking pop's arguments (all but the trailing timeout). */
function blockingKeys(args: readonly unknown[], cmd: string): Key[] {
  if (args.length < 2) throw wrongArgs(cmd);
  return args.slice(0, -1) as Key[];
}

/** ZADD's options and their flags. */
const ZADD_FLAGS = [
  ["nx", SHMD_F_NX],
  ["xx", SHMD_F_XX],
  ["gt", SHMD_F_GT],
  ["lt", SHMD_F_LT],
  ["ch", SHMD_F_CH],
  ["incr", SHMD_F_INCR],
] as const;

/** ZADD's option combinations, checked in Redis's order and words. */
function zaddCheck(flags: number, pairs: number): void {
  const nx = (flags & SHMD_F_NX) !== 0;
  const gt = (flags & SHMD_F_GT) !== 0;
  const lt = (flags & SHMD_F_LT) !== 0;
  if (nx && (flags & SHMD_F_XX) !== 0) {
    throw new InvalidArgumentError("ERR XX and NX options at the same time are not compatible");
  }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    throw new InvalidArgumentError(
      "ERR GT, LT, and/or NX options at the same time are not compatible",
    );
  }
  if ((flags & SHMD_F_INCR) !== 0 && pairs > 1) {
    throw new InvalidArgumentError("ERR INCR option supports a single increment-element pair");
  }
}

function asyncTransaction(): InvalidArgumentError {
  return new InvalidArgumentError(
    "ERR transaction() takes a synchronous function: the writer lock cannot be " +
      "held across an await (use multi() to queue commands instead)",
  );
}

function isThenable(v: unknown): boolean {
  return (typeof v === "object" || typeof v === "function") && v !== null &&
    typeof (v as { then?: unknown }).then === "function";
}

/** Commands that need at least one argument after the key (Redis arity -3). */
const ONE_AFTER_KEY = new Set([
  "hmget",
  "hdel",
  "lpush",
  "rpush",
  "lpushx",
  "rpushx",
  "sadd",
  "srem",
  "smismember",
  "zmscore",
  "zrem",
  "sinterstore",
  "sunionstore",
  "sdiffstore",
]);
/** Commands that need at least one key (Redis arity -2). */
const ONE_KEY = new Set(["del", "unlink", "exists", "mget", "sinter", "sunion", "sdiff"]);

/** How many entries an MSET/HSET entries argument has (1 if it cannot
 * be counted without consuming it). */
function entryCount(x: unknown): number {
  if (typeof x !== "object" || x === null || x instanceof Uint8Array) return 1;
  if (Array.isArray(x)) return x.length;
  if (x instanceof Map || x instanceof Set) return x.size;
  if (Symbol.iterator in x) return 1;
  return Object.keys(x).length;
}

/**
 * The error Redis gives when a command is queued in MULTI with too few
 * arguments (its arity check, made before EXEC runs anything), or `null`.
 * These are the cases where the command itself throws "wrong number of
 * arguments" before running (HSET with an odd count of 3 or more arguments
 * is caught only when it runs, in Redis as here).
 */
function queueArityError(name: string, args: readonly unknown[]): InvalidArgumentError | null {
  let ok: boolean;
  if (ONE_AFTER_KEY.has(name)) ok = args.length >= 2;
  else if (ONE_KEY.has(name)) ok = args.length >= 1;
  else if (name === "blpop" || name === "brpop") ok = args.length >= 2;
  else if (name === "mset" || name === "msetnx") ok = entryCount(args[0]) > 0;
  else if (name === "hset") {
    const first = args[1];
    ok = args.length === 2 && typeof first === "object" && first !== null &&
        !(first instanceof Uint8Array)
      ? entryCount(first) > 0
      : args.length >= 3;
  } else if (name === "zadd") {
    const first = args[1];
    let tokens = args.length - 1;
    if (typeof first === "object" && first !== null && !(first instanceof Uint8Array)) {
      tokens--;
      for (const [opt] of ZADD_FLAGS) {
        if ((first as Record<string, unknown>)[opt] === true) tokens++;
      }
    }
    ok = tokens >= 2;
  } else ok = true;
  return ok ? null : wrongArgs(name);
}

let queued: readonly string[] | undefined;

/** The names of the `Dict` methods a multi() batch can queue (computed once). */
function queuedCommands(): readonly string[] {
  if (queued !== undefined) return queued;
  const proto = Dict.prototype as unknown as Record<string, unknown>;
  const skip = new Set<string>(NOT_QUEUED);
  queued = Object.getOwnPropertyNames(proto).filter((name) =>
    name !== "constructor" && !skip.has(name) && typeof proto[name] === "function"
  );
  return queued;
}

/** Closes the handles of dictionaries collected without `close()`. */
const registry = new FinalizationRegistry<number>((h) => {
  const n = native();
  n.waitDone(h);
  n.shmd_close(h);
});

/** A blocking call waiting for the push sequence to move (or its deadline). */
interface Sleeper {
  resolve(): void;
  reject(err: Error): void;
  /* performance.now() deadline, Infinity for none */
  readonly deadline: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

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
  /* numeric arguments of shmd_exec (off-heap, pointer cached) */
  #nf: Float64Array;
  #np: Ptr;
  /* the argv frame being built in the value scratch: items so far, end */
  #argc = 0;
  #at = 0;
  /* inside transaction() or a multi() batch's exec() */
  #txn = false;
  /* blocking calls waiting for a push, and whether a native wait is running */
  #sleepers: Set<Sleeper> | null = null;
  #waiting = false;

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
    this.#nf = new Float64Array(new ArrayBuffer(NUMS_SIZE * 8));
    this.#np = n.ptr(new Uint8Array(this.#nf.buffer));
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

  /* ---- shmd_exec plumbing ------------------------------------------------------- */

  /** Starts an argv frame in the value scratch with `key` as its first item. */
  #start(key: unknown): void {
    this.#trimValue();
    this.#at = this.#item(key, 4, SHMD_MAX_KEY, "key");
    this.#argc = 1;
  }

  /** Appends a field, value, member or element (up to 512 MiB) to the frame. */
  #arg(x: unknown, what: string): void {
    this.#at = this.#item(x, this.#at, SHMD_MAX_VALUE, what);
    this.#argc++;
  }

  /** Appends another key to the frame. */
  #keyArg(x: unknown): void {
    this.#at = this.#item(x, this.#at, SHMD_MAX_KEY, "key");
    this.#argc++;
  }

  /** Appends every item of `xs` to the frame (as keys when `what` is "key"). */
  #args(xs: readonly unknown[], from: number, what: string): void {
    for (let i = from; i < xs.length; i++) {
      if (what === "key") this.#keyArg(xs[i]);
      else this.#arg(xs[i], what);
    }
  }

  /** The numeric-argument scratch, with room for at least `n` doubles. */
  #nums(n: number): Float64Array {
    if (n > this.#nf.length) {
      this.#nf = new Float64Array(new ArrayBuffer(Math.max(n, this.#nf.length * 2) * 8));
      this.#np = this.#n.ptr(new Uint8Array(this.#nf.buffer));
    }
    return this.#nf;
  }

  /**
   * Runs a container op on the frame built with `#start`/`#arg` and the first
   * `nnums` doubles of `#nf`; returns the decoded reply. Follows the out-buffer
   * rule: a reply larger than the output scratch means nothing was done, so
   * the op is run again with a buffer of the size C asked for.
   */
  #run(op: number, nnums: number, flags: number): Reply {
    const n = this.#n;
    writeU32(this.#v, 0, this.#argc);
    const h = this.#h;
    const vp = this.#vp;
    const al = this.#at;
    const np = this.#np;
    let buf = this.#o;
    let len = n.shmd_exec(h, op, vp, al, np, nnums, flags, this.#op, buf.length);
    if (len > buf.length) {
      len = this.#again(len, (p, c) => n.shmd_exec(h, op, vp, al, np, nnums, flags, p, c));
      buf = this.#take();
    }
    if (len < 0) {
      if (len === SHMD_E_NOENT) throw new NoSuchKeyError(lastError() || undefined);
      this.#fail(len);
    }
    return readReply(buf, buf === this.#o ? this.#ov : null, 0, len);
  }

  /** Frames `[key]` and runs `op` with no other argument. */
  #op1(op: number, key: Key): Reply {
    this.#start(key);
    return this.#run(op, 0, 0);
  }

  /** Frames `[key, x]` and runs `op`. */
  #op2(op: number, key: Key, x: unknown, what: string, nnums = 0, flags = 0): Reply {
    this.#start(key);
    this.#arg(x, what);
    return this.#run(op, nnums, flags);
  }

  /** Frames `[key, ...xs]` (at least one) and runs `op`. */
  #opN(op: number, cmd: string, key: Key, xs: readonly unknown[], what: string): Reply {
    if (xs.length === 0) throw wrongArgs(cmd);
    this.#start(key);
    this.#args(xs, 0, what);
    return this.#run(op, 0, 0);
  }

  /** Frames `[key, pattern?]` with `[cursor, count]` and runs a *SCAN op. */
  #scanOp(op: number, key: Key, cursor: unknown, opts: unknown): [string, Reply[]] {
    const c = scanCursor(cursor);
    const o = optionsObject(opts, "scan");
    let count = 10;
    let match: unknown;
    if (o !== undefined) {
      match = o.match;
      if (match !== undefined && typeof match !== "string") {
        throw new InvalidArgumentError(`ERR match must be a string, not ${typeName(match)}`);
      }
      if (o.count !== undefined) {
        count = integer(o.count, "count");
        if (count < 1) throw new InvalidArgumentError("ERR syntax error");
      }
    }
    this.#start(key);
    if (match !== undefined) this.#arg(match, "pattern");
    const nums = this.#nf;
    nums[0] = c;
    nums[1] = count;
    const r = this.#run(op, 2, 0) as [number, Reply[]];
    return [String(r[0]), r[1]];
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
    /* Start the key's index bucket and entry on their way into the cache
     * before staging the value, so that their misses overlap the value's
     * (reading a value the cache does not hold, then encoding or copying it).
     * Measured at random keys of 100,000: 150-300 ns less per set, for short
     * and long strings and bytes alike; on a key already in the cache the
     * extra call costs about 40 ns. */
    n.shmd_prefetch(this.#h, this.#kp, kl);
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
      flags = parseTtl(o, persist ? 1 : 0);
      /* C checks the number after the key and its type, as Redis does;
       * only magnitudes past 2^53, which a double cannot carry exactly,
       * are refused here */
      ttl = ttlArg;
      if (Math.abs(ttl) > 2 ** 53) throw new NotIntegerError();
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
    /* C checks the size past 512 MiB after the key's type, as Redis does */
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
   * @throws {NotFloatError} for NaN, a value that is not a number, or a
   *   result that is not finite (±Infinity increments give that)
   * @throws {WrongTypeError} if the key holds a non-string value (checked first)
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
    const n = this.#n;
    const kl = this.#key(key);
    /* Passed as text, as a Redis client sends it: C formats the long-double
     * sum exactly as Redis does, and checks the key's type before reading
     * the increment (so NaN and ±Infinity go as "nan", "inf", "-inf"). */
    const bl = this.#put(floatText(increment), 0, SHMD_MAX_KEY, "increment");
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
    /* as Redis: the conditions first, then the number */
    const flags = base | (opts === undefined ? 0 : expireFlags(opts, cmd));
    const t = integer(when, (base & SHMD_EXP_MS) === 0 ? "seconds" : "milliseconds");
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
    const { count } = args;
    const type = args.match === undefined ? args.type : args.type | SHMD_SCAN_MATCH;
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

  /* ---- hashes --------------------------------------------------------------------- */

  /** Frames field/value pairs given as an object, a Map or an iterable of pairs. */
  #fieldPairs(entries: object, cmd: string): void {
    const before = this.#argc;
    if (Symbol.iterator in entries) {
      for (const pair of entries as Iterable<unknown>) {
        if (!Array.isArray(pair) || pair.length !== 2) {
          throw new InvalidArgumentError(
            `ERR ${cmd} entries must be [field, value] pairs, not ${typeName(pair)}`,
          );
        }
        this.#arg(pair[0], "field");
        this.#arg(pair[1], "value");
      }
    } else {
      const record = entries as Record<string, unknown>;
      for (const field of Object.keys(record)) {
        this.#arg(field, "field");
        this.#arg(record[field], "value");
      }
    }
    if (this.#argc === before) throw wrongArgs(cmd);
  }

  /**
   * Sets fields of the hash at `key` (creating it if missing): either one
   * object (or `Map`, or iterable of `[field, value]` pairs) of fields, or
   * field, value, field, value, ... as separate arguments.
   *
   * @see https://redis.io/docs/latest/commands/hset/
   * Complexity: O(log N) per field, for a hash of N fields.
   * @param key the key
   * @param args `{ field: value, ... }`, or `field, value, ...`
   * @returns the number of fields that were added (not those updated)
   * @throws {InvalidArgumentError} with no fields, or an odd count of arguments
   * @throws {WrongTypeError} if the key holds a value that is not a hash
   * @example
   * ```ts
   * db.hset("user:1", { name: "Ada", lang: "en" }); // 2
   * db.hset("user:1", "lang", "fr", "tz", "CET"); // 1: tz added, lang updated
   * ```
   */
  hset(key: Key, ...args: HSetArgs): number {
    this.#start(key);
    const first: unknown = args[0];
    if (
      args.length === 1 && typeof first === "object" && first !== null &&
      !(first instanceof Uint8Array)
    ) {
      this.#fieldPairs(first, "hset");
    } else {
      if (args.length === 0 || args.length % 2 !== 0) throw wrongArgs("hset");
      for (let i = 0; i < args.length; i += 2) {
        this.#arg(args[i], "field");
        this.#arg(args[i + 1], "value");
      }
    }
    return this.#run(SHMD_OP_HSET, 0, 0) as number;
  }

  /**
   * Sets a field of the hash at `key` only if the field does not exist.
   *
   * @see https://redis.io/docs/latest/commands/hsetnx/
   * Complexity: O(log N).
   * @param key the key
   * @param field the field
   * @param value its value
   * @returns 1 if the field was set, 0 if it already existed
   * @throws {WrongTypeError} if the key holds a value that is not a hash
   * @example
   * ```ts
   * db.hsetnx("h", "f", "1"); // 1
   * db.hsetnx("h", "f", "2"); // 0: f keeps "1"
   * ```
   */
  hsetnx(key: Key, field: Value, value: Value): number {
    this.#start(key);
    this.#arg(field, "field");
    this.#arg(value, "value");
    return this.#run(SHMD_OP_HSETNX, 0, 0) as number;
  }

  /**
   * Gets the value of a field of the hash at `key`.
   *
   * @see https://redis.io/docs/latest/commands/hget/
   * Complexity: O(log N). Lock-free.
   * @param key the key
   * @param field the field
   * @returns the value, or `null` if the field or the key does not exist
   * @throws {WrongTypeError} if the key holds a value that is not a hash
   * @example
   * ```ts
   * db.hset("h", { f: "v" });
   * db.hget("h", "f"); // "v"
   * db.hget("h", "nope"); // null
   * ```
   */
  hget(key: Key, field: Value): string | null {
    return this.#op2(SHMD_OP_HGET, key, field, "field") as string | null;
  }

  /**
   * Gets the values of several fields of the hash at `key`.
   *
   * @see https://redis.io/docs/latest/commands/hmget/
   * Complexity: O(M log N) for M fields.
   * @param key the key
   * @param fields one or more fields
   * @returns one entry per field: its value, or `null` if it does not exist
   * @throws {WrongTypeError} if the key holds a value that is not a hash
   * @example
   * ```ts
   * db.hset("h", { a: "1", b: "2" });
   * db.hmget("h", "a", "x", "b"); // ["1", null, "2"]
   * ```
   */
  hmget(key: Key, ...fields: Value[]): (string | null)[] {
    return this.#opN(SHMD_OP_HMGET, "hmget", key, fields, "field") as (string | null)[];
  }

  /**
   * Gets every field and value of the hash at `key`, as an object.
   *
   * @see https://redis.io/docs/latest/commands/hgetall/
   * Complexity: O(N).
   * @param key the key
   * @returns an object of field → value; `{}` if the key does not exist
   * @throws {WrongTypeError} if the key holds a value that is not a hash
   * @example
   * ```ts
   * db.hset("h", { a: "1", b: "2" });
   * db.hgetall("h"); // { a: "1", b: "2" }
   * ```
   */
  hgetall(key: Key): Record<string, string> {
    const flat = this.#op1(SHMD_OP_HGETALL, key) as string[];
    const obj: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const field = flat[i];
      /* a field named "__proto__" is data, not the object's prototype */
      if (field === "__proto__") {
        Object.defineProperty(obj, field, {
          value: flat[i + 1],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else obj[field] = flat[i + 1];
    }
    return obj;
  }

  /**
   * Deletes fields of the hash at `key`; the key goes when its last field does.
   *
   * @see https://redis.io/docs/latest/commands/hdel/
   * Complexity: O(M log N) for M fields.
   * @param key the key
   * @param fields one or more fields
   * @returns the number of fields that existed and were removed
   * @throws {WrongTypeError} if the key holds a value that is not a hash
   * @example
   * ```ts
   * db.hset("h", { a: "1", b: "2" });
   * db.hdel("h", "a", "x"); // 1
   * ```
   */
  hdel(key: Key, ...fields: Value[]): number {
    return this.#opN(SHMD_OP_HDEL, "hdel", key, fields, "field") as number;
  }

  /**
   * Whether a field exists in the hash at `key`.
   *
   * @see https://redis.io/docs/latest/commands/hexists/
   * Complexity: O(log N).
   * @param key the key
   * @param field the field
   * @returns 1 if it exists, 0 if not (or if the key does not exist)
   * @throws {WrongTypeError} if the key holds a value that is not a hash
   * @example
   * ```ts
   * db.hset("h", { f: "v" });
   * db.hexists("h", "f"); // 1
   * ```
   */
  hexists(key: Key, field: Value): number {
    return this.#op2(SHMD_OP_HEXISTS, key, field, "field") as number;
  }

  /**
   * The number of fields in the hash at `key`.
   *
   * @see https://redis.io/docs/latest/commands/hlen/
   * Complexity: O(1).
   * @param key the key
   * @returns the number of fields; 0 if the key does not exist
   * @throws {WrongTypeError} if the key holds a value that is not a hash
   * @example
   * ```ts
   * db.hset("h", { a: "1", b: "2" });
   * db.hlen("h"); // 2
   * ```
   */
  hlen(key: Key): number {
    return this.#op1(SHMD_OP_HLEN, key) as number;
  }

  /**
   * The fields of the hash at `key`.
   *
   * @see https://redis.io/docs/latest/commands/hkeys/
   * Complexity: O(N).
   * @param key the key
   * @returns the fields; `[]` if the key does not exist
   * @throws {WrongTypeError} if the key holds a value that is not a hash
   * @example
   * ```ts
   * db.hset("h", { a: "1", b: "2" });
   * db.hkeys("h"); // ["a", "b"] in some order
   * ```
   */
  hkeys(key: Key): string[] {
    return this.#op1(SHMD_OP_HKEYS, key) as string[];
  }

  /**
   * The values of the hash at `key`.
   *
   * @see https://redis.io/docs/latest/commands/hvals/
   * Complexity: O(N).
   * @param key the key
   * @returns the values, in the order {@link Dict.hkeys} gives the fields
   * @throws {WrongTypeError} if the key holds a value that is not a hash
   * @example
   * ```ts
   * db.hset("h", { a: "1", b: "2" });
   * db.hvals("h"); // ["1", "2"] in some order
   * ```
   */
  hvals(key: Key): string[] {
    return this.#op1(SHMD_OP_HVALS, key) as string[];
  }

  /**
   * The length in bytes of a field's value in the hash at `key`.
   *
   * @see https://redis.io/docs/latest/commands/hstrlen/
   * Complexity: O(log N).
   * @param key the key
   * @param field the field
   * @returns the value's length in bytes (UTF-8); 0 if the field or key is missing
   * @throws {WrongTypeError} if the key holds a value that is not a hash
   * @example
   * ```ts
   * db.hset("h", { f: "héllo" });
   * db.hstrlen("h", "f"); // 6
   * ```
   */
  hstrlen(key: Key, field: Value): number {
    return this.#op2(SHMD_OP_HSTRLEN, key, field, "field") as number;
  }

  /**
   * Adds an integer to a field of the hash at `key` (a missing field counts as 0).
   *
   * @see https://redis.io/docs/latest/commands/hincrby/
   * Complexity: O(log N).
   * @param key the key
   * @param field the field
   * @param increment an integer (may be negative)
   * @returns the new value
   * @throws {NotIntegerError} for a non-integer increment, or a field whose
   *   value is not an integer ("ERR hash value is not an integer")
   * @throws {OverflowError} past the 64-bit range
   * @throws {WrongTypeError} if the key holds a value that is not a hash
   * @example
   * ```ts
   * db.hincrby("stats", "visits", 1); // 1
   * db.hincrby("stats", "visits", 10); // 11
   * ```
   */
  hincrby(key: Key, field: Value, increment: number): number {
    const by = integer(increment, "increment");
    this.#nf[0] = by;
    return this.#op2(SHMD_OP_HINCRBY, key, field, "field", 1) as number;
  }

  /**
   * Adds a floating-point number to a field of the hash at `key` (a missing
   * field counts as 0). The value is stored as text, formatted as Redis does.
   *
   * @see https://redis.io/docs/latest/commands/hincrbyfloat/
   * Complexity: O(log N).
   * @param key the key
   * @param field the field
   * @param increment a finite number
   * @returns the new value
   * @throws {NotFloatError} for NaN or ±Infinity (checked before the key),
   *   a field whose value is not a number, or a result that is not finite
   * @throws {WrongTypeError} if the key holds a value that is not a hash
   * @example
   * ```ts
   * db.hincrbyfloat("h", "price", 10.5); // 10.5
   * db.hincrbyfloat("h", "price", 0.1); // 10.6
   * ```
   */
  hincrbyfloat(key: Key, field: Value, increment: number): number {
    if (typeof increment !== "number") {
      throw new InvalidArgumentError(
        `ERR increment must be a number, not ${typeName(increment)}`,
      );
    }
    /* as Redis: the increment is read before the key is looked up */
    if (Number.isNaN(increment)) throw new NotFloatError();
    if (!Number.isFinite(increment)) throw new NotFloatError("ERR value is NaN or Infinity");
    this.#start(key);
    this.#arg(field, "field");
    /* as text, as a Redis client sends it (see incrbyfloat) */
    this.#arg(String(increment), "increment");
    return Number(this.#run(SHMD_OP_HINCRBYFLOAT, 0, 0));
  }

  /**
   * One random field of the hash at `key`.
   *
   * @see https://redis.io/docs/latest/commands/hrandfield/
   * Complexity: O(log N).
   * @param key the key
   * @returns a field, or `null` if the key does not exist
   * @example
   * ```ts
   * db.hset("h", { a: "1", b: "2" });
   * db.hrandfield("h"); // "a" or "b"
   * ```
   */
  hrandfield(key: Key): string | null;
  /**
   * Random fields of the hash at `key`: `count` > 0 gives up to `count`
   * distinct fields; `count` < 0 gives exactly `-count` fields, maybe repeated.
   * With `withvalues`, the result alternates field, value.
   *
   * @see https://redis.io/docs/latest/commands/hrandfield/
   * Complexity: O(|count| log N) (O(N) to pick distinct fields).
   * @param key the key
   * @param count how many, and whether repeats are allowed (negative)
   * @param opts `withvalues: true` to interleave values
   * @returns the fields (and values); `[]` if the key does not exist
   * @example
   * ```ts
   * db.hset("h", { a: "1", b: "2" });
   * db.hrandfield("h", 5); // ["a", "b"] in some order
   * db.hrandfield("h", -3, { withvalues: true }); // e.g. ["b", "2", "a", "1", "b", "2"]
   * ```
   */
  hrandfield(key: Key, count: number, opts?: HRandFieldOptions): string[];
  /**
   * One random field, or (with `count`) several: see the other signatures.
   *
   * @see https://redis.io/docs/latest/commands/hrandfield/
   * Complexity: O(|count| log N).
   * @param key the key
   * @param count how many (negative: repeats allowed); omit for one field
   * @param opts `withvalues: true` to interleave values (needs `count`)
   * @returns a field or `null` without `count`; an array with it
   * @throws {NotIntegerError} for a non-integer count
   * @throws {WrongTypeError} if the key holds a value that is not a hash
   * @example
   * ```ts
   * const pick = db.hrandfield("h", 2, { withvalues: true });
   * ```
   */
  hrandfield(key: Key, count?: number, opts?: HRandFieldOptions): string | null | string[];
  hrandfield(key: Key, count?: number, opts?: HRandFieldOptions): string | null | string[] {
    return this.#random(SHMD_OP_HRANDFIELD, key, count, opts, "withvalues", SHMD_F_WITHVALUES) as
      | string
      | null
      | string[];
  }

  /** HRANDFIELD / SRANDMEMBER / ZRANDMEMBER: `[count]` and a with-option. */
  #random(
    op: number,
    key: Key,
    count: unknown,
    opts: unknown,
    withName: string,
    withFlag: number,
  ): Reply {
    const o = optionsObject(opts, withName === "withvalues" ? "hrandfield" : "zrandmember");
    const withValues = o !== undefined && boolOption(o[withName], withName);
    let nnums = 0;
    if (count !== undefined) {
      this.#nf[0] = integer(count, "count");
      nnums = 1;
    } else if (withValues) {
      throw new InvalidArgumentError(`ERR ${withName} needs a count`);
    }
    this.#start(key);
    return this.#run(op, nnums, withValues ? withFlag : 0);
  }

  /**
   * One step of an incremental walk over the fields of the hash at `key`.
   * Start with cursor `"0"` and stop when the returned cursor is `"0"`.
   *
   * @see https://redis.io/docs/latest/commands/hscan/
   * Complexity: O(1) per call (O(count)); O(N) for a complete walk.
   * @param key the key
   * @param cursor `"0"` (or 0) to start, then the cursor last returned
   * @param opts `match` glob on fields, `count` hint (default 10)
   * @returns `[nextCursor, [field, value, field, value, ...]]` (flat, as Redis
   *   replies); `["0", []]` if the key does not exist
   * @throws {InvalidArgumentError} for a malformed cursor or a count < 1
   * @throws {WrongTypeError} if the key holds a value that is not a hash
   * @example
   * ```ts
   * let cursor = "0";
   * do {
   *   const [next, flat] = db.hscan("h", cursor, { match: "user:*" });
   *   for (let i = 0; i < flat.length; i += 2) console.log(flat[i], flat[i + 1]);
   *   cursor = next;
   * } while (cursor !== "0");
   * ```
   */
  hscan(key: Key, cursor: number | string, opts?: ContainerScanOptions): [string, string[]] {
    return this.#scanOp(SHMD_OP_HSCAN, key, cursor, opts) as [string, string[]];
  }

  /* ---- lists ---------------------------------------------------------------------- */

  #push(op: number, cmd: string, key: Key, elements: readonly unknown[], flags: number): number {
    if (elements.length === 0) throw wrongArgs(cmd);
    this.#start(key);
    this.#args(elements, 0, "element");
    return this.#run(op, 0, flags) as number;
  }

  /**
   * Inserts elements at the head of the list at `key` (creating it if
   * missing), one after the other: `lpush(k, "a", "b")` leaves `["b", "a"]`.
   * Wakes blocked `blpop`/`brpop`/`blmove` callers in every process.
   *
   * @see https://redis.io/docs/latest/commands/lpush/
   * Complexity: O(log N) per element.
   * @param key the key
   * @param elements one or more elements
   * @returns the list's length after the push
   * @throws {WrongTypeError} if the key holds a value that is not a list
   * @example
   * ```ts
   * db.lpush("q", "a", "b"); // 2
   * db.lrange("q", 0, -1); // ["b", "a"]
   * ```
   */
  lpush(key: Key, ...elements: Value[]): number {
    return this.#push(SHMD_OP_LPUSH, "lpush", key, elements, 0);
  }

  /**
   * Appends elements at the tail of the list at `key` (creating it if missing).
   * Wakes blocked `blpop`/`brpop`/`blmove` callers in every process.
   *
   * @see https://redis.io/docs/latest/commands/rpush/
   * Complexity: O(log N) per element.
   * @param key the key
   * @param elements one or more elements
   * @returns the list's length after the push
   * @throws {WrongTypeError} if the key holds a value that is not a list
   * @example
   * ```ts
   * db.rpush("q", "a", "b"); // 2
   * db.lrange("q", 0, -1); // ["a", "b"]
   * ```
   */
  rpush(key: Key, ...elements: Value[]): number {
    return this.#push(SHMD_OP_RPUSH, "rpush", key, elements, 0);
  }

  /**
   * {@link Dict.lpush}, only if the list already exists.
   *
   * @see https://redis.io/docs/latest/commands/lpushx/
   * Complexity: O(log N) per element.
   * @param key the key
   * @param elements one or more elements
   * @returns the list's length after the push; 0 if the key does not exist
   * @throws {WrongTypeError} if the key holds a value that is not a list
   * @example
   * ```ts
   * db.lpushx("nope", "a"); // 0, and nothing is created
   * ```
   */
  lpushx(key: Key, ...elements: Value[]): number {
    return this.#push(SHMD_OP_LPUSH, "lpushx", key, elements, SHMD_F_X);
  }

  /**
   * {@link Dict.rpush}, only if the list already exists.
   *
   * @see https://redis.io/docs/latest/commands/rpushx/
   * Complexity: O(log N) per element.
   * @param key the key
   * @param elements one or more elements
   * @returns the list's length after the push; 0 if the key does not exist
   * @throws {WrongTypeError} if the key holds a value that is not a list
   * @example
   * ```ts
   * db.rpush("q", "a");
   * db.rpushx("q", "b"); // 2
   * ```
   */
  rpushx(key: Key, ...elements: Value[]): number {
    return this.#push(SHMD_OP_RPUSH, "rpushx", key, elements, SHMD_F_X);
  }

  /** LPOP / RPOP / SPOP / ZPOPMIN / ZPOPMAX with an optional count. */
  #pop(op: number, key: Key, count: unknown): Reply {
    let nnums = 0;
    if (count !== undefined) {
      /* Redis reads these counts as positive integers, with one message */
      if (typeof count === "number" && !Number.isInteger(count)) {
        throw new InvalidArgumentError("ERR value is out of range, must be positive");
      }
      this.#nf[0] = integer(count, "count");
      nnums = 1;
    }
    this.#start(key);
    return this.#run(op, nnums, 0);
  }

  /**
   * Removes and returns the first element of the list at `key`.
   *
   * @see https://redis.io/docs/latest/commands/lpop/
   * Complexity: O(log N).
   * @param key the key
   * @returns the element, or `null` if the key does not exist
   * @example
   * ```ts
   * db.rpush("q", "a", "b");
   * db.lpop("q"); // "a"
   * ```
   */
  lpop(key: Key): string | null;
  /**
   * Removes and returns up to `count` elements from the head of the list.
   *
   * @see https://redis.io/docs/latest/commands/lpop/
   * Complexity: O(count log N).
   * @param key the key
   * @param count how many, >= 0
   * @returns the elements, or `null` if the key does not exist
   * @example
   * ```ts
   * db.rpush("q", "a", "b", "c");
   * db.lpop("q", 2); // ["a", "b"]
   * ```
   */
  lpop(key: Key, count: number): string[] | null;
  /**
   * Removes and returns the first element, or (with `count`) up to `count`.
   *
   * @see https://redis.io/docs/latest/commands/lpop/
   * Complexity: O(count log N).
   * @param key the key
   * @param count how many, >= 0; omit for one element
   * @returns an element or `null` without `count`; an array or `null` with it
   * @throws {NotIntegerError} for a non-integer count
   * @throws {InvalidArgumentError} for a negative count
   * @throws {WrongTypeError} if the key holds a value that is not a list
   * @example
   * ```ts
   * const next = db.lpop("q");
   * ```
   */
  lpop(key: Key, count?: number): string | string[] | null;
  lpop(key: Key, count?: number): string | string[] | null {
    return this.#pop(SHMD_OP_LPOP, key, count) as string | string[] | null;
  }

  /**
   * Removes and returns the last element of the list at `key`.
   *
   * @see https://redis.io/docs/latest/commands/rpop/
   * Complexity: O(log N).
   * @param key the key
   * @returns the element, or `null` if the key does not exist
   * @example
   * ```ts
   * db.rpush("q", "a", "b");
   * db.rpop("q"); // "b"
   * ```
   */
  rpop(key: Key): string | null;
  /**
   * Removes and returns up to `count` elements from the tail of the list,
   * last first.
   *
   * @see https://redis.io/docs/latest/commands/rpop/
   * Complexity: O(count log N).
   * @param key the key
   * @param count how many, >= 0
   * @returns the elements, or `null` if the key does not exist
   * @example
   * ```ts
   * db.rpush("q", "a", "b", "c");
   * db.rpop("q", 2); // ["c", "b"]
   * ```
   */
  rpop(key: Key, count: number): string[] | null;
  /**
   * Removes and returns the last element, or (with `count`) up to `count`.
   *
   * @see https://redis.io/docs/latest/commands/rpop/
   * Complexity: O(count log N).
   * @param key the key
   * @param count how many, >= 0; omit for one element
   * @returns an element or `null` without `count`; an array or `null` with it
   * @throws {NotIntegerError} for a non-integer count
   * @throws {InvalidArgumentError} for a negative count
   * @throws {WrongTypeError} if the key holds a value that is not a list
   * @example
   * ```ts
   * const last = db.rpop("q");
   * ```
   */
  rpop(key: Key, count?: number): string | string[] | null;
  rpop(key: Key, count?: number): string | string[] | null {
    return this.#pop(SHMD_OP_RPOP, key, count) as string | string[] | null;
  }

  /**
   * The length of the list at `key`.
   *
   * @see https://redis.io/docs/latest/commands/llen/
   * Complexity: O(1).
   * @param key the key
   * @returns the length; 0 if the key does not exist
   * @throws {WrongTypeError} if the key holds a value that is not a list
   * @example
   * ```ts
   * db.rpush("q", "a", "b");
   * db.llen("q"); // 2
   * ```
   */
  llen(key: Key): number {
    return this.#op1(SHMD_OP_LLEN, key) as number;
  }

  /**
   * The elements of the list at `key` from index `start` to `stop`, both
   * inclusive; negative indexes count from the end (-1 is the last).
   *
   * @see https://redis.io/docs/latest/commands/lrange/
   * Complexity: O(log N + M) for M elements returned.
   * @param key the key
   * @param start first index
   * @param stop last index (inclusive)
   * @returns the elements; `[]` if the key does not exist or the range is empty
   * @throws {NotIntegerError} for a non-integer index
   * @throws {WrongTypeError} if the key holds a value that is not a list
   * @example
   * ```ts
   * db.rpush("q", "a", "b", "c");
   * db.lrange("q", 0, -1); // ["a", "b", "c"]
   * db.lrange("q", -2, -1); // ["b", "c"]
   * ```
   */
  lrange(key: Key, start: number, stop: number): string[] {
    const nums = this.#nf;
    nums[0] = integer(start, "start");
    nums[1] = integer(stop, "stop");
    this.#start(key);
    return this.#run(SHMD_OP_LRANGE, 2, 0) as string[];
  }

  /**
   * The element at `index` in the list at `key` (negative counts from the end).
   *
   * @see https://redis.io/docs/latest/commands/lindex/
   * Complexity: O(log N).
   * @param key the key
   * @param index the index
   * @returns the element, or `null` if out of range or the key does not exist
   * @throws {NotIntegerError} for a non-integer index
   * @throws {WrongTypeError} if the key holds a value that is not a list
   * @example
   * ```ts
   * db.rpush("q", "a", "b");
   * db.lindex("q", -1); // "b"
   * ```
   */
  lindex(key: Key, index: number): string | null {
    this.#nf[0] = integer(index, "index");
    this.#start(key);
    return this.#run(SHMD_OP_LINDEX, 1, 0) as string | null;
  }

  /**
   * Replaces the element at `index` in the list at `key`.
   *
   * @see https://redis.io/docs/latest/commands/lset/
   * Complexity: O(log N).
   * @param key the key
   * @param index the index (negative counts from the end)
   * @param element the new element
   * @returns `"OK"`
   * @throws {NoSuchKeyError} if the key does not exist
   * @throws {InvalidArgumentError} for an index out of range
   * @throws {NotIntegerError} for a non-integer index
   * @throws {WrongTypeError} if the key holds a value that is not a list
   * @example
   * ```ts
   * db.rpush("q", "a", "b");
   * db.lset("q", 0, "z"); // "OK"
   * ```
   */
  lset(key: Key, index: number, element: Value): "OK" {
    this.#nf[0] = integer(index, "index");
    return this.#op2(SHMD_OP_LSET, key, element, "element", 1) as "OK";
  }

  /**
   * Inserts `element` before or after the first occurrence of `pivot` in the
   * list at `key`.
   *
   * @see https://redis.io/docs/latest/commands/linsert/
   * Complexity: O(N) to find the pivot.
   * @param key the key
   * @param where `"BEFORE"` or `"AFTER"` (any case)
   * @param pivot the element to look for
   * @param element the element to insert
   * @returns the list's new length; -1 if `pivot` was not found; 0 if the key
   *   does not exist
   * @throws {InvalidArgumentError} for another `where`
   * @throws {WrongTypeError} if the key holds a value that is not a list
   * @example
   * ```ts
   * db.rpush("q", "a", "c");
   * db.linsert("q", "BEFORE", "c", "b"); // 3
   * ```
   */
  linsert(key: Key, where: "BEFORE" | "AFTER", pivot: Value, element: Value): number {
    const w = typeof where === "string" ? where.toUpperCase() : "";
    if (w !== "BEFORE" && w !== "AFTER") throw new InvalidArgumentError("ERR syntax error");
    this.#start(key);
    this.#arg(pivot, "pivot");
    this.#arg(element, "element");
    return this.#run(SHMD_OP_LINSERT, 0, w === "BEFORE" ? SHMD_F_BEFORE : 0) as number;
  }

  /**
   * Removes occurrences of `element` from the list at `key`: the first
   * `count` from the head (`count` > 0), the last `-count` from the tail
   * (`count` < 0), or all of them (`count` 0).
   *
   * @see https://redis.io/docs/latest/commands/lrem/
   * Complexity: O(N).
   * @param key the key
   * @param count how many and from which end
   * @param element the element to remove
   * @returns the number removed
   * @throws {NotIntegerError} for a non-integer count
   * @throws {WrongTypeError} if the key holds a value that is not a list
   * @example
   * ```ts
   * db.rpush("q", "a", "b", "a", "a");
   * db.lrem("q", -2, "a"); // 2: ["a", "b"] remain
   * ```
   */
  lrem(key: Key, count: number, element: Value): number {
    this.#nf[0] = integer(count, "count");
    return this.#op2(SHMD_OP_LREM, key, element, "element", 1) as number;
  }

  /**
   * Trims the list at `key` to the elements from `start` to `stop` (both
   * inclusive, negative from the end); an empty range deletes the key.
   *
   * @see https://redis.io/docs/latest/commands/ltrim/
   * Complexity: O(M log N) for M elements removed.
   * @param key the key
   * @param start first index kept
   * @param stop last index kept
   * @returns `"OK"`
   * @throws {NotIntegerError} for a non-integer index
   * @throws {WrongTypeError} if the key holds a value that is not a list
   * @example
   * ```ts
   * db.rpush("log", "a", "b", "c", "d");
   * db.ltrim("log", -2, -1); // "OK": ["c", "d"] remain
   * ```
   */
  ltrim(key: Key, start: number, stop: number): "OK" {
    const nums = this.#nf;
    nums[0] = integer(start, "start");
    nums[1] = integer(stop, "stop");
    this.#start(key);
    return this.#run(SHMD_OP_LTRIM, 2, 0) as "OK";
  }

  /**
   * The index of `element` in the list at `key`.
   *
   * @see https://redis.io/docs/latest/commands/lpos/
   * Complexity: O(N).
   * @param key the key
   * @param element the element to look for
   * @param opts `rank` (which match: 1 the first, 2 the second, -1 the last,
   *   ...; default 1) and `maxlen` (compare at most this many elements; 0 = all)
   * @returns the index, or `null` if not found
   * @example
   * ```ts
   * db.rpush("q", "a", "b", "a");
   * db.lpos("q", "a"); // 0
   * db.lpos("q", "a", { rank: -1 }); // 2
   * ```
   */
  lpos(key: Key, element: Value, opts?: LPosOptions & { count?: undefined }): number | null;
  /**
   * The indexes of up to `count` matches of `element` (0 = all matches).
   *
   * @see https://redis.io/docs/latest/commands/lpos/
   * Complexity: O(N).
   * @param key the key
   * @param element the element to look for
   * @param opts `count` (required here), `rank`, `maxlen`
   * @returns the indexes; `[]` if none
   * @example
   * ```ts
   * db.rpush("q", "a", "b", "a");
   * db.lpos("q", "a", { count: 0 }); // [0, 2]
   * ```
   */
  lpos(key: Key, element: Value, opts: LPosOptions & { count: number }): number[];
  /**
   * The index of `element`, or (with `count`) the indexes of several matches.
   *
   * @see https://redis.io/docs/latest/commands/lpos/
   * Complexity: O(N).
   * @param key the key
   * @param element the element to look for
   * @param opts `rank`, `count`, `maxlen`
   * @returns an index or `null` without `count`; an array with it
   * @throws {InvalidArgumentError} for rank 0, a negative count or maxlen
   * @throws {NotIntegerError} for non-integer options
   * @throws {WrongTypeError} if the key holds a value that is not a list
   * @example
   * ```ts
   * const where = db.lpos("q", "job-7", { maxlen: 1000 });
   * ```
   */
  lpos(key: Key, element: Value, opts?: LPosOptions): number | number[] | null;
  lpos(key: Key, element: Value, opts?: LPosOptions): number | number[] | null {
    const o = optionsObject(opts, "lpos");
    let rank = 1;
    let count = -1;
    let maxlen = 0;
    if (o !== undefined) {
      if (o.rank !== undefined) rank = integer(o.rank, "rank");
      if (o.count !== undefined) {
        count = integer(o.count, "count");
        if (count < 0) throw new InvalidArgumentError("ERR COUNT can't be negative");
      }
      if (o.maxlen !== undefined) maxlen = integer(o.maxlen, "maxlen");
    }
    const nums = this.#nf;
    nums[0] = rank;
    nums[1] = count;
    nums[2] = maxlen;
    return this.#op2(SHMD_OP_LPOS, key, element, "element", 3) as number | number[] | null;
  }

  /** LMOVE's flags from its `from` and `to` words. */
  #moveFlags(from: unknown, to: unknown): number {
    const f = typeof from === "string" ? from.toUpperCase() : "";
    const t = typeof to === "string" ? to.toUpperCase() : "";
    if ((f !== "LEFT" && f !== "RIGHT") || (t !== "LEFT" && t !== "RIGHT")) {
      throw new InvalidArgumentError("ERR syntax error");
    }
    return (f === "RIGHT" ? SHMD_F_FROM_RIGHT : 0) | (t === "RIGHT" ? SHMD_F_TO_RIGHT : 0);
  }

  #lmove(src: Key, dst: Key, flags: number): string | null {
    this.#start(src);
    this.#keyArg(dst);
    return this.#run(SHMD_OP_LMOVE, 0, flags) as string | null;
  }

  /**
   * Atomically pops an element from one end of the list `src` and pushes it
   * at one end of the list `dst` (which may be the same list, to rotate it).
   *
   * @see https://redis.io/docs/latest/commands/lmove/
   * Complexity: O(log N).
   * @param src the source list
   * @param dst the destination list (created if missing)
   * @param from `"LEFT"` (head) or `"RIGHT"` (tail) of `src`, any case
   * @param to `"LEFT"` or `"RIGHT"` of `dst`
   * @returns the element moved, or `null` if `src` does not exist
   * @throws {InvalidArgumentError} for another `from` or `to`
   * @throws {WrongTypeError} if `src` or `dst` holds a value that is not a list
   * @example
   * ```ts
   * db.rpush("todo", "a", "b");
   * db.lmove("todo", "doing", "LEFT", "RIGHT"); // "a"
   * ```
   */
  lmove(src: Key, dst: Key, from: ListEnd, to: ListEnd): string | null {
    return this.#lmove(src, dst, this.#moveFlags(from, to));
  }

  /** The first non-empty list of `keys` popped at one end, as [key, element]. */
  #popFirst(keys: readonly Key[], op: number): [string, string] | null {
    for (const key of keys) {
      this.#start(key);
      const v = this.#run(op, 0, 0) as string | null;
      if (v !== null) {
        return [typeof key === "string" ? key : readString(key, null, 0, key.length), v];
      }
    }
    return null;
  }

  /**
   * Pops from the first non-empty list of `keys`, waiting up to `timeout`
   * seconds for one of them to get an element when all are empty.
   *
   * A push from any process wakes the waiting call at once (a futex on the
   * shared memory, no polling), and each element goes to exactly one caller.
   * The JavaScript thread never blocks: other code runs while this waits.
   * Inside {@link Dict.transaction} or {@link Dict.multi}, it does not wait
   * (as BLPOP inside MULTI in Redis): it resolves at once, `null` if empty.
   * {@link Dict.close} rejects a pending call with `ClosedError`.
   *
   * @see https://redis.io/docs/latest/commands/blpop/
   * Complexity: O(log N) per attempt.
   * @param keysAndTimeout one or more keys, then the timeout in seconds
   *   (fractions allowed; 0 waits forever)
   * @returns a promise of `[key, element]`, or `null` on timeout
   * @throws {InvalidArgumentError} (as a rejection) for no key, or a negative
   *   or non-finite timeout
   * @throws {WrongTypeError} (as a rejection) if a key holds a non-list value
   * @throws {ClosedError} (as a rejection) when the dictionary is closed while waiting
   * @example
   * ```ts
   * const job = await db.blpop("jobs:high", "jobs:low", 5);
   * if (job !== null) {
   *   const [queue, payload] = job;
   * }
   * ```
   */
  blpop(...keysAndTimeout: [...keys: Key[], timeout: number]): Promise<[string, string] | null> {
    return this.#bpop(keysAndTimeout, SHMD_OP_LPOP, "blpop");
  }

  /**
   * {@link Dict.blpop} popping from the tail of the lists.
   *
   * @see https://redis.io/docs/latest/commands/brpop/
   * Complexity: O(log N) per attempt.
   * @param keysAndTimeout one or more keys, then the timeout in seconds (0 = forever)
   * @returns a promise of `[key, element]`, or `null` on timeout
   * @throws {InvalidArgumentError} (as a rejection) for no key or a bad timeout
   * @throws {WrongTypeError} (as a rejection) if a key holds a non-list value
   * @throws {ClosedError} (as a rejection) when the dictionary is closed while waiting
   * @example
   * ```ts
   * const got = await db.brpop("q", 0); // waits until something is pushed
   * ```
   */
  brpop(...keysAndTimeout: [...keys: Key[], timeout: number]): Promise<[string, string] | null> {
    return this.#bpop(keysAndTimeout, SHMD_OP_RPOP, "brpop");
  }

  async #bpop(
    args: readonly unknown[],
    op: number,
    cmd: string,
  ): Promise<[string, string] | null> {
    const keys = blockingKeys(args, cmd);
    const timeout = timeoutSeconds(args[args.length - 1]);
    return await this.#block(timeout, () => this.#popFirst(keys, op));
  }

  /**
   * {@link Dict.lmove}, waiting up to `timeout` seconds for `src` to get an
   * element when it is empty. Waiting works as for {@link Dict.blpop}.
   *
   * @see https://redis.io/docs/latest/commands/blmove/
   * Complexity: O(log N) per attempt.
   * @param src the source list
   * @param dst the destination list
   * @param from `"LEFT"` or `"RIGHT"` of `src`
   * @param to `"LEFT"` or `"RIGHT"` of `dst`
   * @param timeout seconds to wait (fractions allowed; 0 = forever)
   * @returns a promise of the element moved, or `null` on timeout
   * @throws {InvalidArgumentError} (as a rejection) for a bad side or timeout
   * @throws {WrongTypeError} (as a rejection) if `src` or `dst` is not a list
   * @throws {ClosedError} (as a rejection) when the dictionary is closed while waiting
   * @example
   * ```ts
   * const job = await db.blmove("jobs", "working", "LEFT", "RIGHT", 10);
   * ```
   */
  async blmove(
    src: Key,
    dst: Key,
    from: ListEnd,
    to: ListEnd,
    timeout: number,
  ): Promise<string | null> {
    const flags = this.#moveFlags(from, to);
    const t = timeoutSeconds(timeout);
    return await this.#block(t, () => this.#lmove(src, dst, flags));
  }

  /** The push sequence (see shmd_push_seq). */
  #pushSeq(): number {
    const r = this.#n.shmd_push_seq(this.#h);
    return r >= 0 ? r : this.#fail(r);
  }

  /**
   * The loop of every blocking command: read the push sequence, try the
   * non-blocking command, and when it found nothing wait until the sequence
   * moves (a push somewhere) or the deadline passes, then try again. Reading
   * the sequence before trying means a push that lands between the try and
   * the wait is not missed: the wait returns at once.
   */
  async #block<T>(timeout: number, attempt: () => T | null): Promise<T | null> {
    let seq = this.#pushSeq();
    let got = attempt();
    if (got !== null || this.#txn) return got;
    const deadline = timeout === 0 ? Infinity : performance.now() + timeout * 1000;
    for (;;) {
      if (deadline - performance.now() <= 0) return null;
      await this.#changed(seq, deadline);
      seq = this.#pushSeq();
      got = attempt();
      if (got !== null) return got;
    }
  }

  /**
   * Resolves when the push sequence may have moved from `seq`, or at
   * `deadline`; rejects with `ClosedError` on `close()`. All blocking calls of
   * this dictionary share one native wait at a time.
   */
  #changed(seq: number, deadline: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const sleepers = this.#sleepers ??= new Set();
      const s: Sleeper = { resolve, reject, deadline, timer: undefined };
      if (deadline !== Infinity) {
        s.timer = setTimeout(() => {
          sleepers.delete(s);
          resolve();
        }, Math.max(0, Math.ceil(deadline - performance.now())));
      }
      sleepers.add(s);
      if (!this.#waiting) this.#wait(seq);
    });
  }

  /** Starts the native wait for a move away from `seen`. */
  #wait(seen: number): void {
    let until = 0;
    for (const s of this.#sleepers ?? []) until = Math.max(until, s.deadline);
    const ms = Math.min(WAIT_SLICE_MS, Math.max(1, Math.ceil(until - performance.now())));
    const h = this.#h;
    this.#waiting = true;
    this.#n.waitAsync(h, seen, ms).then(
      (r) => this.#woke(h, seen, r),
      (e) => this.#woke(h, seen, e instanceof Error ? e : new Error(String(e))),
    );
  }

  /** The native wait returned `r` (or failed). */
  #woke(h: number, seen: number, r: number | Error): void {
    this.#waiting = false;
    if (this.#h !== h) return; /* close() came while C was waiting: already closed */
    const sleepers = this.#sleepers;
    if (sleepers === null || sleepers.size === 0) return;
    if (r === 0) {
      /* nothing was pushed during this slice: keep waiting */
      this.#wait(seen);
      return;
    }
    this.#sleepers = null;
    const err = typeof r === "number" ? (r < 0 ? statusError(r, "") : null) : r;
    for (const s of sleepers) {
      clearTimeout(s.timer);
      if (err === null) s.resolve();
      else s.reject(err);
    }
  }

  /* ---- sets ----------------------------------------------------------------------- */

  /**
   * Adds members to the set at `key` (creating it if missing).
   *
   * @see https://redis.io/docs/latest/commands/sadd/
   * Complexity: O(log N) per member.
   * @param key the key
   * @param members one or more members
   * @returns the number of members added (not those already present)
   * @throws {WrongTypeError} if the key holds a value that is not a set
   * @example
   * ```ts
   * db.sadd("tags", "a", "b", "a"); // 2
   * ```
   */
  sadd(key: Key, ...members: Value[]): number {
    return this.#opN(SHMD_OP_SADD, "sadd", key, members, "member") as number;
  }

  /**
   * Removes members from the set at `key`; the key goes with its last member.
   *
   * @see https://redis.io/docs/latest/commands/srem/
   * Complexity: O(log N) per member.
   * @param key the key
   * @param members one or more members
   * @returns the number of members removed
   * @throws {WrongTypeError} if the key holds a value that is not a set
   * @example
   * ```ts
   * db.sadd("tags", "a", "b");
   * db.srem("tags", "a", "x"); // 1
   * ```
   */
  srem(key: Key, ...members: Value[]): number {
    return this.#opN(SHMD_OP_SREM, "srem", key, members, "member") as number;
  }

  /**
   * The members of the set at `key`.
   *
   * @see https://redis.io/docs/latest/commands/smembers/
   * Complexity: O(N).
   * @param key the key
   * @returns the members, in no particular order; `[]` if the key does not exist
   * @throws {WrongTypeError} if the key holds a value that is not a set
   * @example
   * ```ts
   * db.sadd("tags", "a", "b");
   * db.smembers("tags"); // ["a", "b"] in some order
   * ```
   */
  smembers(key: Key): string[] {
    return this.#op1(SHMD_OP_SMEMBERS, key) as string[];
  }

  /**
   * Whether `member` is in the set at `key`.
   *
   * @see https://redis.io/docs/latest/commands/sismember/
   * Complexity: O(log N). Lock-free.
   * @param key the key
   * @param member the member
   * @returns 1 if it is, 0 if not (or if the key does not exist)
   * @throws {WrongTypeError} if the key holds a value that is not a set
   * @example
   * ```ts
   * db.sadd("tags", "a");
   * db.sismember("tags", "a"); // 1
   * ```
   */
  sismember(key: Key, member: Value): number {
    return this.#op2(SHMD_OP_SISMEMBER, key, member, "member") as number;
  }

  /**
   * Whether each of `members` is in the set at `key`.
   *
   * @see https://redis.io/docs/latest/commands/smismember/
   * Complexity: O(M log N) for M members.
   * @param key the key
   * @param members one or more members
   * @returns one 1 or 0 per member
   * @throws {WrongTypeError} if the key holds a value that is not a set
   * @example
   * ```ts
   * db.sadd("tags", "a");
   * db.smismember("tags", "a", "b"); // [1, 0]
   * ```
   */
  smismember(key: Key, ...members: Value[]): number[] {
    return this.#opN(SHMD_OP_SMISMEMBER, "smismember", key, members, "member") as number[];
  }

  /**
   * The number of members of the set at `key`.
   *
   * @see https://redis.io/docs/latest/commands/scard/
   * Complexity: O(1).
   * @param key the key
   * @returns the number of members; 0 if the key does not exist
   * @throws {WrongTypeError} if the key holds a value that is not a set
   * @example
   * ```ts
   * db.sadd("tags", "a", "b");
   * db.scard("tags"); // 2
   * ```
   */
  scard(key: Key): number {
    return this.#op1(SHMD_OP_SCARD, key) as number;
  }

  /**
   * Removes and returns a random member of the set at `key`.
   *
   * @see https://redis.io/docs/latest/commands/spop/
   * Complexity: O(log N).
   * @param key the key
   * @returns the member, or `null` if the key does not exist
   * @example
   * ```ts
   * db.sadd("s", "a", "b");
   * db.spop("s"); // "a" or "b"
   * ```
   */
  spop(key: Key): string | null;
  /**
   * Removes and returns up to `count` random members of the set at `key`.
   *
   * @see https://redis.io/docs/latest/commands/spop/
   * Complexity: O(count log N).
   * @param key the key
   * @param count how many, >= 0
   * @returns the members; `[]` if the key does not exist
   * @example
   * ```ts
   * db.sadd("s", "a", "b", "c");
   * db.spop("s", 2); // two of them
   * ```
   */
  spop(key: Key, count: number): string[];
  /**
   * Removes and returns a random member, or (with `count`) up to `count`.
   *
   * @see https://redis.io/docs/latest/commands/spop/
   * Complexity: O(count log N).
   * @param key the key
   * @param count how many, >= 0; omit for one member
   * @returns a member or `null` without `count`; an array with it
   * @throws {NotIntegerError} for a non-integer count
   * @throws {InvalidArgumentError} for a negative count
   * @throws {WrongTypeError} if the key holds a value that is not a set
   * @example
   * ```ts
   * const winner = db.spop("raffle");
   * ```
   */
  spop(key: Key, count?: number): string | string[] | null;
  spop(key: Key, count?: number): string | string[] | null {
    return this.#pop(SHMD_OP_SPOP, key, count) as string | string[] | null;
  }

  /**
   * A random member of the set at `key`, left in place.
   *
   * @see https://redis.io/docs/latest/commands/srandmember/
   * Complexity: O(log N).
   * @param key the key
   * @returns the member, or `null` if the key does not exist
   * @example
   * ```ts
   * db.sadd("s", "a", "b");
   * db.srandmember("s"); // "a" or "b"
   * ```
   */
  srandmember(key: Key): string | null;
  /**
   * Random members of the set at `key`: `count` > 0 gives up to `count`
   * distinct members; `count` < 0 gives exactly `-count`, maybe repeated.
   *
   * @see https://redis.io/docs/latest/commands/srandmember/
   * Complexity: O(|count| log N) (O(N) to pick distinct members).
   * @param key the key
   * @param count how many, and whether repeats are allowed (negative)
   * @returns the members; `[]` if the key does not exist
   * @example
   * ```ts
   * db.sadd("s", "a", "b");
   * db.srandmember("s", -3); // e.g. ["b", "b", "a"]
   * ```
   */
  srandmember(key: Key, count: number): string[];
  /**
   * A random member, or (with `count`) several.
   *
   * @see https://redis.io/docs/latest/commands/srandmember/
   * Complexity: O(|count| log N).
   * @param key the key
   * @param count how many (negative: repeats allowed); omit for one
   * @returns a member or `null` without `count`; an array with it
   * @throws {NotIntegerError} for a non-integer count
   * @throws {WrongTypeError} if the key holds a value that is not a set
   * @example
   * ```ts
   * const sample = db.srandmember("s", 10);
   * ```
   */
  srandmember(key: Key, count?: number): string | string[] | null;
  srandmember(key: Key, count?: number): string | string[] | null {
    return this.#random(SHMD_OP_SRANDMEMBER, key, count, undefined, "", 0) as
      | string
      | string[]
      | null;
  }

  /**
   * Moves `member` from the set `src` to the set `dst`, atomically.
   *
   * @see https://redis.io/docs/latest/commands/smove/
   * Complexity: O(log N).
   * @param src the source set
   * @param dst the destination set (created if missing)
   * @param member the member
   * @returns 1 if moved, 0 if it was not in `src`
   * @throws {WrongTypeError} if `src` or `dst` holds a value that is not a set
   * @example
   * ```ts
   * db.sadd("todo", "a");
   * db.smove("todo", "done", "a"); // 1
   * ```
   */
  smove(src: Key, dst: Key, member: Value): number {
    this.#start(src);
    this.#keyArg(dst);
    this.#arg(member, "member");
    return this.#run(SHMD_OP_SMOVE, 0, 0) as number;
  }

  /** SINTER / SUNION / SDIFF and the *STORE variants: all of argv are keys. */
  #algebra(op: number, cmd: string, keys: readonly unknown[]): Reply {
    if (keys.length === 0) throw wrongArgs(cmd);
    this.#start(keys[0]);
    this.#args(keys, 1, "key");
    return this.#run(op, 0, 0);
  }

  /**
   * The members common to all the sets (a missing key is an empty set).
   *
   * @see https://redis.io/docs/latest/commands/sinter/
   * Complexity: O(N * M) worst case, N the smallest set, M the number of sets.
   * @param keys one or more keys
   * @returns the intersection, in no particular order
   * @throws {WrongTypeError} if a key holds a value that is not a set
   * @example
   * ```ts
   * db.sadd("a", "x", "y");
   * db.sadd("b", "y", "z");
   * db.sinter("a", "b"); // ["y"]
   * ```
   */
  sinter(...keys: Key[]): string[] {
    return this.#algebra(SHMD_OP_SINTER, "sinter", keys) as string[];
  }

  /**
   * The members of any of the sets.
   *
   * @see https://redis.io/docs/latest/commands/sunion/
   * Complexity: O(N) for N members in all the sets.
   * @param keys one or more keys
   * @returns the union, in no particular order
   * @throws {WrongTypeError} if a key holds a value that is not a set
   * @example
   * ```ts
   * db.sunion("a", "b"); // ["x", "y", "z"] in some order
   * ```
   */
  sunion(...keys: Key[]): string[] {
    return this.#algebra(SHMD_OP_SUNION, "sunion", keys) as string[];
  }

  /**
   * The members of the first set that are in none of the others.
   *
   * @see https://redis.io/docs/latest/commands/sdiff/
   * Complexity: O(N) for N members in all the sets.
   * @param keys one or more keys
   * @returns the difference, in no particular order
   * @throws {WrongTypeError} if a key holds a value that is not a set
   * @example
   * ```ts
   * db.sdiff("a", "b"); // ["x"]
   * ```
   */
  sdiff(...keys: Key[]): string[] {
    return this.#algebra(SHMD_OP_SDIFF, "sdiff", keys) as string[];
  }

  /**
   * The size of the intersection of the sets, counting at most `limit`.
   *
   * @see https://redis.io/docs/latest/commands/sintercard/
   * Complexity: O(N * M) worst case, N the smallest set, M the number of sets.
   * @param keys one or more keys, as an array
   * @param opts `limit`: stop counting there (0, the default, = no limit)
   * @returns the number of common members (at most `limit`)
   * @throws {InvalidArgumentError} for no keys or a negative limit
   * @throws {WrongTypeError} if a key holds a value that is not a set
   * @example
   * ```ts
   * db.sintercard(["a", "b"]); // 1
   * db.sintercard(["a", "b"], { limit: 10 });
   * ```
   */
  sintercard(keys: Key[], opts?: SInterCardOptions): number {
    if (!Array.isArray(keys)) {
      throw new InvalidArgumentError(`ERR keys must be an array, not ${typeName(keys)}`);
    }
    if (keys.length === 0) {
      throw new InvalidArgumentError("ERR numkeys should be greater than 0");
    }
    const o = optionsObject(opts, "sintercard");
    let limit = 0;
    if (o !== undefined && o.limit !== undefined) {
      limit = integer(o.limit, "limit");
      if (limit < 0) throw new InvalidArgumentError("ERR LIMIT can't be negative");
    }
    this.#nf[0] = limit;
    this.#start(keys[0]);
    this.#args(keys, 1, "key");
    return this.#run(SHMD_OP_SINTERCARD, 1, 0) as number;
  }

  /**
   * Stores the intersection of the sets at `dst` (replacing it; an empty
   * result deletes `dst`).
   *
   * @see https://redis.io/docs/latest/commands/sinterstore/
   * Complexity: O(N * M) worst case.
   * @param dst the destination key
   * @param keys one or more source keys
   * @returns the number of members stored
   * @throws {WrongTypeError} if a source holds a value that is not a set
   * @example
   * ```ts
   * db.sinterstore("both", "a", "b"); // 1
   * ```
   */
  sinterstore(dst: Key, ...keys: Key[]): number {
    if (keys.length === 0) throw wrongArgs("sinterstore");
    return this.#algebra(SHMD_OP_SINTERSTORE, "sinterstore", [dst, ...keys]) as number;
  }

  /**
   * Stores the union of the sets at `dst` (replacing it).
   *
   * @see https://redis.io/docs/latest/commands/sunionstore/
   * Complexity: O(N) for N members in all the sets.
   * @param dst the destination key
   * @param keys one or more source keys
   * @returns the number of members stored
   * @throws {WrongTypeError} if a source holds a value that is not a set
   * @example
   * ```ts
   * db.sunionstore("all", "a", "b"); // 3
   * ```
   */
  sunionstore(dst: Key, ...keys: Key[]): number {
    if (keys.length === 0) throw wrongArgs("sunionstore");
    return this.#algebra(SHMD_OP_SUNIONSTORE, "sunionstore", [dst, ...keys]) as number;
  }

  /**
   * Stores the difference of the sets at `dst` (replacing it).
   *
   * @see https://redis.io/docs/latest/commands/sdiffstore/
   * Complexity: O(N) for N members in all the sets.
   * @param dst the destination key
   * @param keys one or more source keys
   * @returns the number of members stored
   * @throws {WrongTypeError} if a source holds a value that is not a set
   * @example
   * ```ts
   * db.sdiffstore("only-a", "a", "b"); // 1
   * ```
   */
  sdiffstore(dst: Key, ...keys: Key[]): number {
    if (keys.length === 0) throw wrongArgs("sdiffstore");
    return this.#algebra(SHMD_OP_SDIFFSTORE, "sdiffstore", [dst, ...keys]) as number;
  }

  /**
   * One step of an incremental walk over the members of the set at `key`.
   * Start with cursor `"0"` and stop when the returned cursor is `"0"`.
   *
   * @see https://redis.io/docs/latest/commands/sscan/
   * Complexity: O(1) per call (O(count)); O(N) for a complete walk.
   * @param key the key
   * @param cursor `"0"` (or 0) to start, then the cursor last returned
   * @param opts `match` glob on members, `count` hint (default 10)
   * @returns `[nextCursor, members]`; `["0", []]` if the key does not exist
   * @throws {InvalidArgumentError} for a malformed cursor or a count < 1
   * @throws {WrongTypeError} if the key holds a value that is not a set
   * @example
   * ```ts
   * const [next, members] = db.sscan("tags", "0", { count: 100 });
   * ```
   */
  sscan(key: Key, cursor: number | string, opts?: ContainerScanOptions): [string, string[]] {
    return this.#scanOp(SHMD_OP_SSCAN, key, cursor, opts) as [string, string[]];
  }

  /* ---- sorted sets ---------------------------------------------------------------- */

  /**
   * Adds members with scores to the sorted set at `key` (creating it if
   * missing), or updates their scores. Options, if any, come first; then
   * score, member, score, member, ...
   *
   * With `incr: true` (one score/member pair only) it works as
   * {@link Dict.zincrby} and returns the new score, or `null` when a
   * condition (`nx`, `xx`, `gt`, `lt`) prevented the update.
   *
   * @see https://redis.io/docs/latest/commands/zadd/
   * Complexity: O(log N) per member.
   * @param key the key
   * @param args `{ incr: true, ... }`, then one score and its member
   * @returns the new score, or `null` if a condition prevented it
   * @example
   * ```ts
   * db.zadd("board", { incr: true }, 5, "ada"); // 5
   * db.zadd("board", { incr: true, xx: true }, 1, "nobody"); // null
   * ```
   */
  zadd(
    key: Key,
    ...args: [opts: ZAddOptions & { incr: true }, score: Score, member: Value]
  ): number | null;
  /**
   * Adds members with scores to the sorted set at `key` (creating it if
   * missing), or updates their scores: `zadd(key, opts?, score, member, ...)`.
   * Scores are numbers (±Infinity allowed) or Redis float text (`"-inf"`).
   *
   * @see https://redis.io/docs/latest/commands/zadd/
   * Complexity: O(log N) per member.
   * @param key the key
   * @param args optional {@link ZAddOptions}, then score, member, score, member, ...
   * @returns the number of members added (with `ch`: added or changed)
   * @example
   * ```ts
   * db.zadd("board", 10, "ada", 7, "bob"); // 2
   * db.zadd("board", { xx: true, ch: true }, 12, "ada", 1, "eve"); // 1: ada changed
   * db.zadd("board", { gt: true }, 3, "bob"); // 0: 3 is not greater than 7
   * ```
   */
  zadd(key: Key, ...args: ZAddArgs): number;
  /**
   * Adds or updates members of a sorted set; see the other signatures.
   *
   * @see https://redis.io/docs/latest/commands/zadd/
   * Complexity: O(log N) per member.
   * @param key the key
   * @param args optional {@link ZAddOptions}, then score, member, ...
   * @returns a count; with `incr`, the new score or `null`
   * @throws {InvalidArgumentError} for no pairs ("wrong number of
   *   arguments"), a score without a member ("syntax error"), or
   *   incompatible options (`nx` with `xx`, `gt` or `lt`; `gt` with `lt`;
   *   `incr` with more than one pair)
   * @throws {NotFloatError} for a score that is NaN or unreadable text
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * const args: ZAddArgs = [1, "a", 2, "b"];
   * db.zadd("z", ...args); // 2
   * ```
   */
  zadd(key: Key, ...args: ZAddArgs): number | null;
  zadd(key: Key, ...args: ZAddArgs): number | null {
    let i = 0;
    let flags = 0;
    let tokens = 0;
    const first: unknown = args[0];
    if (typeof first === "object" && first !== null && !(first instanceof Uint8Array)) {
      const o = optionsObject(first, "zadd") as Record<string, unknown>;
      for (const [name, flag] of ZADD_FLAGS) {
        if (boolOption(o[name], name)) {
          flags |= flag;
          tokens++;
        }
      }
      i = 1;
    }
    const n = args.length - i;
    /* Redis counts tokens: ZADD needs a key and at least two more */
    if (tokens + n < 2) throw wrongArgs("zadd");
    if (n === 0 || n % 2 !== 0) throw new InvalidArgumentError("ERR syntax error");
    zaddCheck(flags, n / 2);
    const pairs = n / 2;
    const nums = this.#nums(pairs);
    for (let j = 0; j < pairs; j++) nums[j] = score(args[i + 2 * j], "score");
    this.#start(key);
    for (let j = 0; j < pairs; j++) this.#arg(args[i + 2 * j + 1], "member");
    return this.#run(SHMD_OP_ZADD, pairs, flags) as number | null;
  }

  /**
   * Adds `increment` to the score of `member` in the sorted set at `key` (a
   * missing member starts at 0).
   *
   * @see https://redis.io/docs/latest/commands/zincrby/
   * Complexity: O(log N).
   * @param key the key
   * @param increment a number (or Redis float text)
   * @param member the member
   * @returns the new score
   * @throws {NotFloatError} for NaN, or a result that is NaN (inf + -inf)
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * db.zincrby("board", 5, "ada"); // 5
   * db.zincrby("board", 2.5, "ada"); // 7.5
   * ```
   */
  zincrby(key: Key, increment: Score, member: Value): number {
    this.#nf[0] = score(increment, "increment");
    return this.#op2(SHMD_OP_ZINCRBY, key, member, "member", 1) as number;
  }

  /**
   * The score of `member` in the sorted set at `key`.
   *
   * @see https://redis.io/docs/latest/commands/zscore/
   * Complexity: O(log N). Lock-free.
   * @param key the key
   * @param member the member
   * @returns the score (±Infinity possible), or `null` if it is not a member
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * db.zadd("board", 10, "ada");
   * db.zscore("board", "ada"); // 10
   * ```
   */
  zscore(key: Key, member: Value): number | null {
    return this.#op2(SHMD_OP_ZSCORE, key, member, "member") as number | null;
  }

  /**
   * The scores of several members of the sorted set at `key`.
   *
   * @see https://redis.io/docs/latest/commands/zmscore/
   * Complexity: O(M log N) for M members.
   * @param key the key
   * @param members one or more members
   * @returns one score (or `null` for a non-member) per member
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * db.zadd("board", 10, "ada");
   * db.zmscore("board", "ada", "bob"); // [10, null]
   * ```
   */
  zmscore(key: Key, ...members: Value[]): (number | null)[] {
    return this.#opN(SHMD_OP_ZMSCORE, "zmscore", key, members, "member") as (number | null)[];
  }

  /**
   * Removes members from the sorted set at `key`.
   *
   * @see https://redis.io/docs/latest/commands/zrem/
   * Complexity: O(M log N) for M members.
   * @param key the key
   * @param members one or more members
   * @returns the number of members removed
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * db.zrem("board", "ada", "nobody"); // 1
   * ```
   */
  zrem(key: Key, ...members: Value[]): number {
    return this.#opN(SHMD_OP_ZREM, "zrem", key, members, "member") as number;
  }

  /**
   * The number of members of the sorted set at `key`.
   *
   * @see https://redis.io/docs/latest/commands/zcard/
   * Complexity: O(1).
   * @param key the key
   * @returns the number of members; 0 if the key does not exist
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * db.zadd("board", 1, "a", 2, "b");
   * db.zcard("board"); // 2
   * ```
   */
  zcard(key: Key): number {
    return this.#op1(SHMD_OP_ZCARD, key) as number;
  }

  /**
   * Writes a score range into nums[at], nums[at + 1] and returns its
   * exclusivity flags. `lo` is the bound given first; with `rev` it is the
   * maximum (as Redis takes them: ZREVRANGEBYSCORE max min).
   */
  #scoreRange(lo: unknown, hi: unknown, rev: boolean, at: number): number {
    const nums = this.#nf;
    nums[at] = scoreBound(lo);
    const loExcl = boundExclusive;
    nums[at + 1] = scoreBound(hi);
    const hiExcl = boundExclusive;
    const first = rev ? SHMD_F_MAX_EXCL : SHMD_F_MIN_EXCL;
    const second = rev ? SHMD_F_MIN_EXCL : SHMD_F_MAX_EXCL;
    return (loExcl ? first : 0) | (hiExcl ? second : 0);
  }

  /**
   * The number of members of the sorted set at `key` with a score between
   * `min` and `max`.
   *
   * @see https://redis.io/docs/latest/commands/zcount/
   * Complexity: O(log N).
   * @param key the key
   * @param min lowest score: a number, `-Infinity`, or text (`"-inf"`,
   *   `"(1.5"` for exclusive)
   * @param max highest score, likewise
   * @returns the count
   * @throws {InvalidArgumentError} for a bound that is not a float
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * db.zadd("z", 1, "a", 2, "b", 3, "c");
   * db.zcount("z", "(1", "+inf"); // 2
   * ```
   */
  zcount(key: Key, min: ScoreBound, max: ScoreBound): number {
    const flags = this.#scoreRange(min, max, false, 0);
    this.#start(key);
    return this.#run(SHMD_OP_ZCOUNT, 2, flags) as number;
  }

  /**
   * The number of members between two lexicographical bounds (meaningful
   * when all members have the same score).
   *
   * @see https://redis.io/docs/latest/commands/zlexcount/
   * Complexity: O(log N).
   * @param key the key
   * @param min `"-"`, or `"[member"` (inclusive), or `"(member"` (exclusive)
   * @param max `"+"`, or `"[member"`, or `"(member"`
   * @returns the count
   * @throws {InvalidArgumentError} for a malformed bound
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * db.zadd("z", 0, "a", 0, "b", 0, "c");
   * db.zlexcount("z", "[b", "+"); // 2
   * ```
   */
  zlexcount(key: Key, min: Value, max: Value): number {
    this.#start(key);
    this.#arg(min, "min");
    this.#arg(max, "max");
    return this.#run(SHMD_OP_ZLEXCOUNT, 0, 0) as number;
  }

  #rank(key: Key, member: Value, opts: unknown, rev: boolean): number | [number, number] | null {
    const o = optionsObject(opts, rev ? "zrevrank" : "zrank");
    const withScore = o !== undefined && boolOption(o.withscore, "withscore");
    const flags = (rev ? SHMD_F_REV : 0) | (withScore ? SHMD_F_WITHSCORES : 0);
    return this.#op2(SHMD_OP_ZRANK, key, member, "member", 0, flags) as
      | number
      | [number, number]
      | null;
  }

  /**
   * The rank of `member` in the sorted set at `key`, by ascending score
   * (0 is the lowest).
   *
   * @see https://redis.io/docs/latest/commands/zrank/
   * Complexity: O(log N).
   * @param key the key
   * @param member the member
   * @returns the rank, or `null` if it is not a member
   * @example
   * ```ts
   * db.zadd("z", 1, "a", 2, "b");
   * db.zrank("z", "b"); // 1
   * ```
   */
  zrank(key: Key, member: Value, opts?: ZRankOptions & { withscore?: false }): number | null;
  /**
   * The rank of `member` and its score.
   *
   * @see https://redis.io/docs/latest/commands/zrank/
   * Complexity: O(log N).
   * @param key the key
   * @param member the member
   * @param opts `withscore: true`
   * @returns `[rank, score]`, or `null` if it is not a member
   * @example
   * ```ts
   * db.zadd("z", 1, "a", 2, "b");
   * db.zrank("z", "b", { withscore: true }); // [1, 2]
   * ```
   */
  zrank(key: Key, member: Value, opts: ZRankOptions & { withscore: true }): [number, number] | null;
  /**
   * The rank of `member` by ascending score (with its score on request).
   *
   * @see https://redis.io/docs/latest/commands/zrank/
   * Complexity: O(log N).
   * @param key the key
   * @param member the member
   * @param opts `withscore: true` to get `[rank, score]`
   * @returns the rank (or `[rank, score]`), or `null` if it is not a member
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * const r = db.zrank("z", "a", { withscore: false }); // 0
   * ```
   */
  zrank(key: Key, member: Value, opts?: ZRankOptions): number | [number, number] | null;
  zrank(key: Key, member: Value, opts?: ZRankOptions): number | [number, number] | null {
    return this.#rank(key, member, opts, false);
  }

  /**
   * The rank of `member` in the sorted set at `key`, by descending score
   * (0 is the highest).
   *
   * @see https://redis.io/docs/latest/commands/zrevrank/
   * Complexity: O(log N).
   * @param key the key
   * @param member the member
   * @returns the rank, or `null` if it is not a member
   * @example
   * ```ts
   * db.zadd("z", 1, "a", 2, "b");
   * db.zrevrank("z", "b"); // 0
   * ```
   */
  zrevrank(key: Key, member: Value, opts?: ZRankOptions & { withscore?: false }): number | null;
  /**
   * The descending rank of `member` and its score.
   *
   * @see https://redis.io/docs/latest/commands/zrevrank/
   * Complexity: O(log N).
   * @param key the key
   * @param member the member
   * @param opts `withscore: true`
   * @returns `[rank, score]`, or `null` if it is not a member
   * @example
   * ```ts
   * db.zrevrank("z", "a", { withscore: true }); // [1, 1]
   * ```
   */
  zrevrank(
    key: Key,
    member: Value,
    opts: ZRankOptions & { withscore: true },
  ): [number, number] | null;
  /**
   * The rank of `member` by descending score (with its score on request).
   *
   * @see https://redis.io/docs/latest/commands/zrevrank/
   * Complexity: O(log N).
   * @param key the key
   * @param member the member
   * @param opts `withscore: true` to get `[rank, score]`
   * @returns the rank (or `[rank, score]`), or `null` if it is not a member
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * const top = db.zrevrank("board", "ada");
   * ```
   */
  zrevrank(key: Key, member: Value, opts?: ZRankOptions): number | [number, number] | null;
  zrevrank(key: Key, member: Value, opts?: ZRankOptions): number | [number, number] | null {
    return this.#rank(key, member, opts, true);
  }

  /** ZRANGE with every option; `start`/`stop` as ZRANGE takes them. */
  #zrange(key: Key, start: unknown, stop: unknown, opts: unknown): (string | number)[] {
    const o = optionsObject(opts, "zrange");
    let byscore = false;
    let bylex = false;
    let rev = false;
    let withscores = false;
    let limit: Record<string, unknown> | undefined;
    if (o !== undefined) {
      byscore = boolOption(o.byscore, "byscore");
      bylex = boolOption(o.bylex, "bylex");
      rev = boolOption(o.rev, "rev");
      withscores = boolOption(o.withscores, "withscores");
      limit = optionsObject(o.limit, "limit");
    }
    if (byscore && bylex) throw new InvalidArgumentError("ERR syntax error");
    if (limit !== undefined && !byscore && !bylex) {
      throw new InvalidArgumentError(
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
      );
    }
    if (withscores && bylex) {
      throw new InvalidArgumentError(
        "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
      );
    }
    let offset = 0;
    let count = -1;
    if (limit !== undefined) {
      offset = integer(limit.offset, "limit.offset");
      count = integer(limit.count, "limit.count");
    }
    let flags = (rev ? SHMD_F_REV : 0) | (withscores ? SHMD_F_WITHSCORES : 0);
    const nums = this.#nf;
    let nnums: number;
    if (byscore) {
      flags |= SHMD_F_BYSCORE | this.#scoreRange(start, stop, rev, 0);
      nums[2] = offset;
      nums[3] = count;
      nnums = 4;
      this.#start(key);
    } else if (bylex) {
      flags |= SHMD_F_BYLEX;
      nums[0] = offset;
      nums[1] = count;
      nnums = 2;
      this.#start(key);
      this.#arg(start, rev ? "max" : "min");
      this.#arg(stop, rev ? "min" : "max");
    } else {
      nums[0] = integer(start, "start");
      nums[1] = integer(stop, "stop");
      nnums = 2;
      this.#start(key);
    }
    return this.#run(SHMD_OP_ZRANGE, nnums, flags) as (string | number)[];
  }

  /**
   * Members of the sorted set at `key` in a range of ranks (default), scores
   * (`byscore`) or lexicographical bounds (`bylex`), ascending or (`rev`)
   * descending.
   *
   * By rank, `start` and `stop` are indexes (negative from the end, both
   * inclusive). By score, they are score bounds (numbers, ±Infinity, or
   * text such as `"(1.5"`, `"-inf"`); by lex, `"-"`, `"+"`, `"[a"`, `"(a"`.
   * With `rev`, give the higher bound first, as Redis does.
   *
   * @see https://redis.io/docs/latest/commands/zrange/
   * Complexity: O(log N + M) for M members returned.
   * @param key the key
   * @param start first rank, or the range's first bound
   * @param stop last rank, or the range's second bound
   * @param opts `withscores: true` (not with `bylex`), and `byscore`,
   *   `bylex`, `rev`, `limit`
   * @returns member, score, member, score, ... (flat, as Redis replies)
   * @example
   * ```ts
   * db.zadd("z", 1, "a", 2, "b");
   * db.zrange("z", 0, -1, { withscores: true }); // ["a", 1, "b", 2]
   * ```
   */
  zrange(
    key: Key,
    start: ScoreBound,
    stop: ScoreBound,
    opts: ZRangeOptions & { withscores: true },
  ): (string | number)[];
  /**
   * Members of the sorted set at `key` in a range of ranks, scores or lex
   * bounds; see the signature with `withscores`.
   *
   * @see https://redis.io/docs/latest/commands/zrange/
   * Complexity: O(log N + M) for M members returned.
   * @param key the key
   * @param start first rank, or the range's first bound
   * @param stop last rank, or the range's second bound
   * @param opts `byscore`, `bylex`, `rev`, `limit: { offset, count }`
   * @returns the members
   * @example
   * ```ts
   * db.zadd("z", 1, "a", 2, "b", 3, "c");
   * db.zrange("z", 0, -1); // ["a", "b", "c"]
   * db.zrange("z", "+inf", "(1", { byscore: true, rev: true }); // ["c", "b"]
   * db.zrange("z", "-", "[b", { bylex: true, limit: { offset: 0, count: 1 } }); // ["a"]
   * ```
   */
  zrange(
    key: Key,
    start: ScoreBound,
    stop: ScoreBound,
    opts?: ZRangeOptions & { withscores?: false },
  ): string[];
  /**
   * ZRANGE with any options; see the other signatures.
   *
   * @see https://redis.io/docs/latest/commands/zrange/
   * Complexity: O(log N + M) for M members returned.
   * @param key the key
   * @param start first rank, or the range's first bound
   * @param stop last rank, or the range's second bound
   * @param opts {@link ZRangeOptions}
   * @returns the members, with their scores interleaved if `withscores`
   * @throws {InvalidArgumentError} for bad bounds or options (`byscore` with
   *   `bylex`, `limit` without either, `withscores` with `bylex`)
   * @throws {NotIntegerError} for a non-integer rank or limit
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * const page = db.zrange("z", 0, 9, { rev: true });
   * ```
   */
  zrange(
    key: Key,
    start: ScoreBound,
    stop: ScoreBound,
    opts?: ZRangeOptions,
  ): (string | number)[];
  zrange(
    key: Key,
    start: ScoreBound,
    stop: ScoreBound,
    opts?: ZRangeOptions,
  ): (string | number)[] {
    return this.#zrange(key, start, stop, opts);
  }

  /** ZRANGEBYSCORE / ZREVRANGEBYSCORE options as ZRANGE options. */
  #byScore(opts: unknown, rev: boolean): ZRangeOptions {
    const o = optionsObject(opts, rev ? "zrevrangebyscore" : "zrangebyscore");
    return {
      byscore: true,
      rev,
      withscores: o === undefined ? false : boolOption(o.withscores, "withscores"),
      limit: o?.limit as ZRangeOptions["limit"],
    };
  }

  /**
   * Members of the sorted set at `key` with a score between `min` and `max`,
   * by ascending score.
   *
   * @see https://redis.io/docs/latest/commands/zrangebyscore/
   * Complexity: O(log N + M) for M members returned.
   * @param key the key
   * @param min lowest score (number, ±Infinity, or text: `"(1"`, `"-inf"`)
   * @param max highest score, likewise
   * @param opts `withscores: true`, and `limit: { offset, count }`
   * @returns member, score, ... (flat)
   * @example
   * ```ts
   * db.zrangebyscore("z", 1, "+inf", { withscores: true }); // ["a", 1, "b", 2]
   * ```
   */
  zrangebyscore(
    key: Key,
    min: ScoreBound,
    max: ScoreBound,
    opts: ZRangeByScoreOptions & { withscores: true },
  ): (string | number)[];
  /**
   * Members of the sorted set at `key` with a score between `min` and `max`.
   *
   * @see https://redis.io/docs/latest/commands/zrangebyscore/
   * Complexity: O(log N + M) for M members returned.
   * @param key the key
   * @param min lowest score
   * @param max highest score
   * @param opts `limit: { offset, count }`
   * @returns the members, by ascending score
   * @example
   * ```ts
   * db.zrangebyscore("z", "(1", 3); // ["b", "c"]
   * ```
   */
  zrangebyscore(
    key: Key,
    min: ScoreBound,
    max: ScoreBound,
    opts?: ZRangeByScoreOptions & { withscores?: false },
  ): string[];
  /**
   * ZRANGEBYSCORE with any options; see the other signatures.
   *
   * @see https://redis.io/docs/latest/commands/zrangebyscore/
   * Complexity: O(log N + M) for M members returned.
   * @param key the key
   * @param min lowest score
   * @param max highest score
   * @param opts `withscores`, `limit`
   * @returns the members (with scores interleaved if `withscores`)
   * @throws {InvalidArgumentError} for a bound that is not a float
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * const top = db.zrangebyscore("z", 0, 100, { limit: { offset: 0, count: 10 } });
   * ```
   */
  zrangebyscore(
    key: Key,
    min: ScoreBound,
    max: ScoreBound,
    opts?: ZRangeByScoreOptions,
  ): (string | number)[];
  zrangebyscore(
    key: Key,
    min: ScoreBound,
    max: ScoreBound,
    opts?: ZRangeByScoreOptions,
  ): (string | number)[] {
    return this.#zrange(key, min, max, this.#byScore(opts, false));
  }

  /**
   * Members of the sorted set at `key` with a score between `max` and `min`,
   * by descending score (note: the higher bound comes first).
   *
   * @see https://redis.io/docs/latest/commands/zrevrangebyscore/
   * Complexity: O(log N + M) for M members returned.
   * @param key the key
   * @param max highest score
   * @param min lowest score
   * @param opts `withscores: true`, and `limit`
   * @returns member, score, ... (flat), highest first
   * @example
   * ```ts
   * db.zrevrangebyscore("z", "+inf", "-inf", { withscores: true }); // ["b", 2, "a", 1]
   * ```
   */
  zrevrangebyscore(
    key: Key,
    max: ScoreBound,
    min: ScoreBound,
    opts: ZRangeByScoreOptions & { withscores: true },
  ): (string | number)[];
  /**
   * Members with a score between `max` and `min`, highest first.
   *
   * @see https://redis.io/docs/latest/commands/zrevrangebyscore/
   * Complexity: O(log N + M) for M members returned.
   * @param key the key
   * @param max highest score
   * @param min lowest score
   * @param opts `limit: { offset, count }`
   * @returns the members, by descending score
   * @example
   * ```ts
   * db.zrevrangebyscore("z", 2, 1); // ["b", "a"]
   * ```
   */
  zrevrangebyscore(
    key: Key,
    max: ScoreBound,
    min: ScoreBound,
    opts?: ZRangeByScoreOptions & { withscores?: false },
  ): string[];
  /**
   * ZREVRANGEBYSCORE with any options; see the other signatures.
   *
   * @see https://redis.io/docs/latest/commands/zrevrangebyscore/
   * Complexity: O(log N + M) for M members returned.
   * @param key the key
   * @param max highest score
   * @param min lowest score
   * @param opts `withscores`, `limit`
   * @returns the members (with scores interleaved if `withscores`)
   * @throws {InvalidArgumentError} for a bound that is not a float
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * const best = db.zrevrangebyscore("board", "+inf", 0, { limit: { offset: 0, count: 3 } });
   * ```
   */
  zrevrangebyscore(
    key: Key,
    max: ScoreBound,
    min: ScoreBound,
    opts?: ZRangeByScoreOptions,
  ): (string | number)[];
  zrevrangebyscore(
    key: Key,
    max: ScoreBound,
    min: ScoreBound,
    opts?: ZRangeByScoreOptions,
  ): (string | number)[] {
    return this.#zrange(key, max, min, this.#byScore(opts, true));
  }

  /**
   * Removes the members of the sorted set at `key` with a rank between
   * `start` and `stop` (both inclusive; negative from the highest).
   *
   * @see https://redis.io/docs/latest/commands/zremrangebyrank/
   * Complexity: O(M log N) for M members removed.
   * @param key the key
   * @param start first rank
   * @param stop last rank
   * @returns the number removed
   * @throws {NotIntegerError} for a non-integer rank
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * db.zadd("z", 1, "a", 2, "b", 3, "c");
   * db.zremrangebyrank("z", 0, -2); // 2: only "c" is left
   * ```
   */
  zremrangebyrank(key: Key, start: number, stop: number): number {
    const nums = this.#nf;
    nums[0] = integer(start, "start");
    nums[1] = integer(stop, "stop");
    this.#start(key);
    return this.#run(SHMD_OP_ZREMRANGEBYRANK, 2, 0) as number;
  }

  /**
   * Removes the members of the sorted set at `key` with a score between
   * `min` and `max`.
   *
   * @see https://redis.io/docs/latest/commands/zremrangebyscore/
   * Complexity: O(M log N) for M members removed.
   * @param key the key
   * @param min lowest score (number, ±Infinity, or text: `"(1"`, `"-inf"`)
   * @param max highest score, likewise
   * @returns the number removed
   * @throws {InvalidArgumentError} for a bound that is not a float
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * db.zremrangebyscore("z", "-inf", "(2"); // removes scores below 2
   * ```
   */
  zremrangebyscore(key: Key, min: ScoreBound, max: ScoreBound): number {
    const flags = this.#scoreRange(min, max, false, 0);
    this.#start(key);
    return this.#run(SHMD_OP_ZREMRANGEBYSCORE, 2, flags) as number;
  }

  /**
   * Removes and returns the `count` (default 1) members with the lowest scores.
   *
   * @see https://redis.io/docs/latest/commands/zpopmin/
   * Complexity: O(count log N).
   * @param key the key
   * @param count how many, >= 0 (default 1)
   * @returns member, score, member, score, ... (flat, lowest first); `[]`
   *   if the key does not exist
   * @throws {NotIntegerError} for a non-integer count
   * @throws {InvalidArgumentError} for a negative count
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * db.zadd("z", 1, "a", 2, "b");
   * db.zpopmin("z"); // ["a", 1]
   * ```
   */
  zpopmin(key: Key, count?: number): (string | number)[] {
    return this.#pop(SHMD_OP_ZPOPMIN, key, count) as (string | number)[];
  }

  /**
   * Removes and returns the `count` (default 1) members with the highest scores.
   *
   * @see https://redis.io/docs/latest/commands/zpopmax/
   * Complexity: O(count log N).
   * @param key the key
   * @param count how many, >= 0 (default 1)
   * @returns member, score, ... (flat, highest first); `[]` if the key does not exist
   * @throws {NotIntegerError} for a non-integer count
   * @throws {InvalidArgumentError} for a negative count
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * db.zadd("z", 1, "a", 2, "b");
   * db.zpopmax("z", 2); // ["b", 2, "a", 1]
   * ```
   */
  zpopmax(key: Key, count?: number): (string | number)[] {
    return this.#pop(SHMD_OP_ZPOPMAX, key, count) as (string | number)[];
  }

  /**
   * One random member of the sorted set at `key`.
   *
   * @see https://redis.io/docs/latest/commands/zrandmember/
   * Complexity: O(log N).
   * @param key the key
   * @returns a member, or `null` if the key does not exist
   * @example
   * ```ts
   * db.zadd("z", 1, "a", 2, "b");
   * db.zrandmember("z"); // "a" or "b"
   * ```
   */
  zrandmember(key: Key): string | null;
  /**
   * Random members: `count` > 0 gives up to `count` distinct members,
   * `count` < 0 exactly `-count`, maybe repeated.
   *
   * @see https://redis.io/docs/latest/commands/zrandmember/
   * Complexity: O(|count| log N) (O(N) to pick distinct members).
   * @param key the key
   * @param count how many, and whether repeats are allowed (negative)
   * @param opts `withscores: true` to interleave scores
   * @returns the members (with scores: member, score, ...); `[]` if the key
   *   does not exist
   * @example
   * ```ts
   * db.zrandmember("z", 2, { withscores: true }); // e.g. ["b", 2, "a", 1]
   * ```
   */
  zrandmember(key: Key, count: number, opts: ZRandMemberOptions & { withscores: true }): (
    | string
    | number
  )[];
  /**
   * Random members, distinct (`count` > 0) or maybe repeated (`count` < 0).
   *
   * @see https://redis.io/docs/latest/commands/zrandmember/
   * Complexity: O(|count| log N).
   * @param key the key
   * @param count how many
   * @param opts `withscores: false`
   * @returns the members; `[]` if the key does not exist
   * @example
   * ```ts
   * db.zrandmember("z", -5); // five picks, maybe repeated
   * ```
   */
  zrandmember(
    key: Key,
    count: number,
    opts?: ZRandMemberOptions & { withscores?: false },
  ): string[];
  /**
   * One random member, or (with `count`) several; see the other signatures.
   *
   * @see https://redis.io/docs/latest/commands/zrandmember/
   * Complexity: O(|count| log N).
   * @param key the key
   * @param count how many (negative: repeats allowed); omit for one
   * @param opts `withscores: true` to interleave scores (needs `count`)
   * @returns a member or `null` without `count`; an array with it
   * @throws {NotIntegerError} for a non-integer count
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * const pick = db.zrandmember("z", 3);
   * ```
   */
  zrandmember(
    key: Key,
    count?: number,
    opts?: ZRandMemberOptions,
  ): string | null | (string | number)[];
  zrandmember(
    key: Key,
    count?: number,
    opts?: ZRandMemberOptions,
  ): string | null | (string | number)[] {
    return this.#random(SHMD_OP_ZRANDMEMBER, key, count, opts, "withscores", SHMD_F_WITHSCORES) as
      | string
      | null
      | (string | number)[];
  }

  /**
   * One step of an incremental walk over the sorted set at `key`. Start with
   * cursor `"0"` and stop when the returned cursor is `"0"`.
   *
   * @see https://redis.io/docs/latest/commands/zscan/
   * Complexity: O(1) per call (O(count)); O(N) for a complete walk.
   * @param key the key
   * @param cursor `"0"` (or 0) to start, then the cursor last returned
   * @param opts `match` glob on members, `count` hint (default 10)
   * @returns `[nextCursor, [member, score, member, score, ...]]`, scores as
   *   numbers (Redis sends them as text); `["0", []]` if the key does not exist
   * @throws {InvalidArgumentError} for a malformed cursor or a count < 1
   * @throws {WrongTypeError} if the key holds a value that is not a sorted set
   * @example
   * ```ts
   * const [next, flat] = db.zscan("board", "0");
   * ```
   */
  zscan(
    key: Key,
    cursor: number | string,
    opts?: ContainerScanOptions,
  ): [string, (string | number)[]] {
    return this.#scanOp(SHMD_OP_ZSCAN, key, cursor, opts) as [string, (string | number)[]];
  }

  /* ---- transactions --------------------------------------------------------------- */

  /** Takes the writer lock: every command until #end joins the transaction. */
  #begin(): void {
    const r = this.#n.shmd_txn_begin(this.#h);
    if (r < 0) this.#fail(r);
    this.#txn = true;
  }

  /** Commits (or undoes) the transaction and releases the lock. */
  #end(commit: boolean): void {
    this.#txn = false;
    const r = this.#n.shmd_txn_end(this.#h, commit ? 1 : 0);
    if (r < 0) this.#fail(r);
  }

  /** Runs `fn` inside a transaction, committing after; joins one already open. */
  #atomically<T>(fn: () => T): T {
    if (this.#txn) return fn();
    this.#begin();
    let result: T;
    try {
      result = fn();
    } catch (err) {
      this.#end(false);
      throw err;
    }
    this.#end(true);
    return result;
  }

  /** Runs one queued command of a multi() batch (blocking pops do not block). */
  #runQueued(name: string, args: unknown[]): unknown {
    if (name === "blpop" || name === "brpop") {
      const keys = blockingKeys(args, name);
      timeoutSeconds(args[args.length - 1]);
      return this.#popFirst(keys, name === "blpop" ? SHMD_OP_LPOP : SHMD_OP_RPOP);
    }
    if (name === "blmove") {
      const flags = this.#moveFlags(args[2], args[3]);
      timeoutSeconds(args[4]);
      return this.#lmove(args[0] as Key, args[1] as Key, flags);
    }
    const method = (this as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
    return method.apply(this, args);
  }

  /**
   * Starts a batch of commands to run atomically: each command method of the
   * batch (the same names and arguments as on `Dict`) queues the command and
   * returns the batch, and its `exec()` runs them all while holding the
   * writer lock, so that every other process sees all of their effects or
   * none, and commits them together (all-or-nothing under a crash).
   *
   * As in Redis's EXEC, a command that fails does not stop the others: its
   * slot in the result holds its `Error`, and only that command is undone.
   * As in Redis, a command queued with too few arguments (which Redis
   * refuses when queuing) makes `exec()` run nothing and throw a
   * `DictError` with code `"EXECABORT"` (its `cause` is the first such
   * error); every other error, including bad options and argument types,
   * is found while the batch runs and lands in its slot.
   * Blocking pops in a batch do not wait (`null` when empty), as in MULTI.
   * Inside {@link Dict.transaction}, `exec()` joins that transaction. On a
   * dictionary opened read-only, `exec()` throws `ReadOnlyError` (it needs
   * the writer lock), even for a batch of reads.
   *
   * @see https://redis.io/docs/latest/commands/multi/
   * Complexity: the sum of the queued commands'.
   * @returns an empty batch
   * @example
   * ```ts
   * const [ok, n, added] = db.multi()
   *   .set("a", "1")
   *   .incr("n")
   *   .hset("h", { f: "v" })
   *   .exec(); // ["OK", 1, 1]
   * ```
   */
  multi(): Multi {
    return createMulti({
      commands: queuedCommands(),
      check: queueArityError,
      run: (name, args) => this.#runQueued(name, args),
      atomically: (fn) => this.#atomically(fn),
    });
  }

  /**
   * Runs `fn(db)` with the writer lock held, as one transaction: other
   * processes see all of its changes when it returns, or none if it throws
   * (everything is rolled back and the error rethrown). Inside, reads see
   * the transaction's own writes. A command that throws and is caught inside
   * `fn` is undone alone, as in Redis.
   *
   * `fn` must be synchronous: the lock cannot be held across an `await`
   * (every other writer, in every process, would wait on this event loop),
   * so an `async` function or one returning a promise is refused (a
   * non-`async` function that returns a promise has its changes rolled
   * back). Keep transactions short: readers of the keys it touched wait for
   * it. Blocking pops inside do not wait. Transactions do not nest. On a
   * dictionary opened read-only it throws `ReadOnlyError` (no writer lock).
   * Inside `fn`, use `db`: another `Dict` open on the same dictionary in
   * this process would wait for the lock this thread holds, forever.
   *
   * @see https://redis.io/docs/latest/develop/interact/transactions/
   * Complexity: that of the commands `fn` runs.
   * @param fn the work, given this dictionary; its return value is returned
   * @returns what `fn` returned
   * @throws {InvalidArgumentError} for an async `fn`, a nested transaction,
   *   or (after rolling back) a promise returned by `fn`
   * @throws whatever `fn` throws, after rolling back
   * @example
   * ```ts
   * const balance = db.transaction((tx) => {
   *   const from = Number(tx.hget("acct:1", "balance") ?? "0");
   *   if (from < 10) throw new Error("insufficient funds"); // nothing changes
   *   tx.hincrby("acct:1", "balance", -10);
   *   return tx.hincrby("acct:2", "balance", 10);
   * });
   * ```
   */
  transaction<T>(fn: (db: Dict) => T): T {
    if (typeof fn !== "function") {
      throw new InvalidArgumentError(
        `ERR transaction() takes a function, not ${typeName(fn)}`,
      );
    }
    if (fn.constructor?.name === "AsyncFunction") throw asyncTransaction();
    if (this.#txn) throw new InvalidArgumentError("ERR transactions can not be nested");
    this.#begin();
    let result: T;
    try {
      result = fn(this);
    } catch (err) {
      if (this.#txn) this.#end(false);
      throw err;
    }
    if (isThenable(result)) {
      if (this.#txn) this.#end(false);
      /* the rest of fn runs after this; its rejection is not the caller's */
      (result as PromiseLike<unknown>).then(undefined, () => {});
      throw asyncTransaction();
    }
    this.#end(true);
    return result;
  }

  /**
   * Closes this handle. The data stays in the dictionary for other processes
   * and later opens. Idempotent; any other method then throws `ClosedError`.
   * Pending blocking calls (`blpop`, `brpop`, `blmove`) reject with
   * `ClosedError`, and their wait no longer keeps the process alive (in Deno,
   * a native wait already running ends within a quarter second). Closing
   * inside {@link Dict.transaction} abandons the transaction (rolled back).
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
    this.#txn = false;
    registry.unregister(this);
    const sleepers = this.#sleepers;
    this.#sleepers = null;
    if (sleepers !== null) {
      for (const s of sleepers) {
        clearTimeout(s.timer);
        s.reject(new ClosedError());
      }
    }
    const n = this.#n;
    n.waitDone(h);
    /* C may be waiting on the handle in another thread: shmd_close sends that
     * wait away (it returns SHMD_E_HANDLE to #woke, which ignores it) and
     * returns once it has left the segment. */
    const r = n.shmd_close(h);
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
