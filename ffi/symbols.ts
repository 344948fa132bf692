/**
 * The C symbols of libshmdict and their signatures, written once.
 *
 * This table is the single description of the FFI boundary (`src/shmdict.h` is
 * the contract it mirrors). `ffi/deno.ts` and `ffi/bun.ts` bind it with their
 * runtime's FFI; `lib/` only sees the {@link Native} interface.
 *
 * Type names are runtime-neutral: `"i32"`, `"u32"`, `"f64"` and `"ptr"`. Every
 * function returns an `int32_t`. Following the speed notes in DESIGN.md, hot
 * paths use `u32` lengths and `f64` for 64-bit integer arguments (no `u64`,
 * no BigInt), and pointers are cached per buffer by the caller.
 *
 * @module
 */

/** A runtime-neutral parameter type. */
export type NativeType = "i32" | "u32" | "f64" | "ptr";

/** A runtime-neutral function signature: parameters and an `int32_t` result. */
export interface NativeSignature {
  /** Parameter types, in C order. */
  readonly parameters: readonly NativeType[];
  /** Result type: every shmdict function returns `int32_t`. */
  readonly result: "i32";
}

/** ABI version these bindings are written for (`SHMD_ABI_VERSION`). */
export const ABI_VERSION = 2;

/** Every exported function of `src/shmdict.h`, with its parameters' C types. */
export const symbols = {
  /* ---- library ---------------------------------------------------------- */
  shmd_abi_version: { parameters: [], result: "i32" },
  shmd_last_error: {
    parameters: [
      "ptr", // uint8_t *out
      "u32", // uint32_t cap
    ],
    result: "i32",
  },

  /* ---- segments ----------------------------------------------------------- */
  shmd_open: {
    parameters: [
      "ptr", // const uint8_t *name
      "u32", // uint32_t name_len
      "u32", // uint32_t flags
      "u32", // uint32_t mode
      "f64", // double reserve
    ],
    result: "i32",
  },
  shmd_close: {
    parameters: [
      "i32", // int32_t h
    ],
    result: "i32",
  },
  shmd_drop: {
    parameters: [
      "ptr", // const uint8_t *name
      "u32", // uint32_t name_len
    ],
    result: "i32",
  },
  shmd_list: {
    parameters: [
      "ptr", // uint8_t *out
      "u32", // uint32_t cap
    ],
    result: "i32",
  },

  /* ---- strings ------------------------------------------------------------ */
  shmd_get: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *key
      "u32", // uint32_t klen
      "ptr", // uint8_t *out
      "u32", // uint32_t cap
    ],
    result: "i32",
  },
  shmd_prefetch: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *key
      "u32", // uint32_t klen
    ],
    result: "i32",
  },
  shmd_set: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *key
      "u32", // uint32_t klen
      "ptr", // const uint8_t *val
      "u32", // uint32_t vlen
      "u32", // uint32_t flags
      "f64", // double ttl
      "ptr", // uint8_t *out
      "u32", // uint32_t cap
    ],
    result: "i32",
  },
  shmd_mget: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *argv
      "u32", // uint32_t argv_len
      "ptr", // uint8_t *out
      "u32", // uint32_t cap
    ],
    result: "i32",
  },
  shmd_mset: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *argv
      "u32", // uint32_t argv_len
      "u32", // uint32_t nx
    ],
    result: "i32",
  },
  shmd_getdel: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *key
      "u32", // uint32_t klen
      "ptr", // uint8_t *out
      "u32", // uint32_t cap
    ],
    result: "i32",
  },
  shmd_getex: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *key
      "u32", // uint32_t klen
      "u32", // uint32_t flags
      "f64", // double ttl
      "ptr", // uint8_t *out
      "u32", // uint32_t cap
    ],
    result: "i32",
  },
  shmd_getrange: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *key
      "u32", // uint32_t klen
      "f64", // double start
      "f64", // double end
      "ptr", // uint8_t *out
      "u32", // uint32_t cap
    ],
    result: "i32",
  },
  shmd_setrange: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *key
      "u32", // uint32_t klen
      "f64", // double offset
      "ptr", // const uint8_t *val
      "u32", // uint32_t vlen
    ],
    result: "i32",
  },
  shmd_append: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *key
      "u32", // uint32_t klen
      "ptr", // const uint8_t *val
      "u32", // uint32_t vlen
    ],
    result: "i32",
  },
  shmd_strlen: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *key
      "u32", // uint32_t klen
    ],
    result: "i32",
  },
  shmd_incrby: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *key
      "u32", // uint32_t klen
      "f64", // double by
      "ptr", // uint8_t *out
      "u32", // uint32_t cap
    ],
    result: "i32",
  },
  shmd_incrbyfloat: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *key
      "u32", // uint32_t klen
      "ptr", // const uint8_t *by (decimal text)
      "u32", // uint32_t bylen
      "ptr", // uint8_t *out
      "u32", // uint32_t cap
    ],
    result: "i32",
  },

  /* ---- generic key commands ---------------------------------------------- */
  shmd_del: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *argv
      "u32", // uint32_t argv_len
    ],
    result: "i32",
  },
  shmd_exists: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *argv
      "u32", // uint32_t argv_len
    ],
    result: "i32",
  },
  shmd_type: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *key
      "u32", // uint32_t klen
    ],
    result: "i32",
  },
  shmd_rename: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *src
      "u32", // uint32_t slen
      "ptr", // const uint8_t *dst
      "u32", // uint32_t dlen
      "u32", // uint32_t nx
    ],
    result: "i32",
  },
  shmd_copy: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *src
      "u32", // uint32_t slen
      "ptr", // const uint8_t *dst
      "u32", // uint32_t dlen
      "u32", // uint32_t replace
    ],
    result: "i32",
  },
  shmd_expire: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *key
      "u32", // uint32_t klen
      "f64", // double when
      "u32", // uint32_t flags
    ],
    result: "i32",
  },
  shmd_ttl: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *key
      "u32", // uint32_t klen
      "u32", // uint32_t flags
      "ptr", // uint8_t *out
      "u32", // uint32_t cap
    ],
    result: "i32",
  },
  shmd_persist: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *key
      "u32", // uint32_t klen
    ],
    result: "i32",
  },
  shmd_scan: {
    parameters: [
      "i32", // int32_t h
      "f64", // double cursor
      "ptr", // const uint8_t *pattern
      "u32", // uint32_t plen
      "f64", // double count
      "u32", // uint32_t type
      "ptr", // uint8_t *out
      "u32", // uint32_t cap
    ],
    result: "i32",
  },
  shmd_keys: {
    parameters: [
      "i32", // int32_t h
      "ptr", // const uint8_t *pattern
      "u32", // uint32_t plen
      "ptr", // uint8_t *out
      "u32", // uint32_t cap
    ],
    result: "i32",
  },
  shmd_dbsize: {
    parameters: [
      "i32", // int32_t h
    ],
    result: "i32",
  },
  shmd_flushall: {
    parameters: [
      "i32", // int32_t h
    ],
    result: "i32",
  },
  shmd_info: {
    parameters: [
      "i32", // int32_t h
      "ptr", // uint8_t *out
      "u32", // uint32_t cap
    ],
    result: "i32",
  },
  shmd_check: {
    parameters: [
      "i32", // int32_t h
      "ptr", // uint8_t *out
      "u32", // uint32_t cap
    ],
    result: "i32",
  },

  /* ---- transactions ------------------------------------------------------- */
  shmd_txn_begin: {
    parameters: [
      "i32", // int32_t h
    ],
    result: "i32",
  },
  shmd_txn_end: {
    parameters: [
      "i32", // int32_t h
      "u32", // uint32_t commit
    ],
    result: "i32",
  },

  /* ---- containers: hashes, lists, sets, sorted sets ----------------------- */
  shmd_exec: {
    parameters: [
      "i32", // int32_t h
      "u32", // uint32_t op (SHMD_OP_*)
      "ptr", // const uint8_t *argv
      "u32", // uint32_t argv_len
      "ptr", // const double *nums
      "u32", // uint32_t nnums
      "u32", // uint32_t flags (SHMD_F_*)
      "ptr", // uint8_t *out
      "u32", // uint32_t cap
    ],
    result: "i32",
  },
  shmd_push_seq: {
    parameters: [
      "i32", // int32_t h
    ],
    result: "i32",
  },
  shmd_wait: {
    parameters: [
      "i32", // int32_t h
      "i32", // int32_t seen
      "f64", // double timeout_ms
    ],
    result: "i32",
  },
} as const satisfies Record<string, NativeSignature>;

/** The names of the C functions in {@link symbols}. */
export type SymbolName = keyof typeof symbols;

/* ---- constants mirrored from shmdict.h ------------------------------------ */

/** Largest key, bytes (`SHMD_MAX_KEY`). */
export const SHMD_MAX_KEY = 64 * 1024;
/** Largest value, bytes (`SHMD_MAX_VALUE`). */
export const SHMD_MAX_VALUE = 512 * 1024 * 1024;
/** Longest dictionary name, bytes (`SHMD_MAX_NAME`). */
export const SHMD_MAX_NAME = 200;
/** Smallest segment reservation, bytes (`SHMD_MIN_RESERVE`). */
export const SHMD_MIN_RESERVE = 1024 * 1024;
/** Largest dictionary size (the heap), bytes (`SHMD_MAX_RESERVE`). */
export const SHMD_MAX_RESERVE = 56 * 1024 * 1024 * 1024;
/** Default segment reservation, bytes (`SHMD_DEFAULT_RESERVE`). */
export const SHMD_DEFAULT_RESERVE = 1024 * 1024 * 1024;
/** Most dictionaries open at once per process (`SHMD_MAX_HANDLES`). */
export const SHMD_MAX_HANDLES = 1024;

/** Success (`SHMD_OK`). */
export const SHMD_OK: number = 0;
/** No such key / condition not met: Redis's nil, not an error (`SHMD_NIL`). */
export const SHMD_NIL: number = -1;
/** Invalid argument (`SHMD_E_INVAL`). */
export const SHMD_E_INVAL: number = -2;
/** The segment (or /dev/shm) is full (`SHMD_E_FULL`). */
export const SHMD_E_FULL: number = -3;
/** Operation against a key holding the wrong kind of value (`SHMD_E_WRONGTYPE`). */
export const SHMD_E_WRONGTYPE: number = -4;
/** Value is not an integer or out of range (`SHMD_E_NOTINT`). */
export const SHMD_E_NOTINT: number = -5;
/** Value is not a valid float (`SHMD_E_NOTFLOAT`). */
export const SHMD_E_NOTFLOAT: number = -6;
/** Increment or decrement would overflow (`SHMD_E_OVERFLOW`). */
export const SHMD_E_OVERFLOW: number = -7;
/** Bad magic, version, lock ABI, size or permissions (`SHMD_E_SEGMENT`). */
export const SHMD_E_SEGMENT: number = -8;
/** Segment exists and exclusive creation was asked (`SHMD_E_EXISTS`). */
export const SHMD_E_EXISTS: number = -9;
/** No such segment, or (RENAME) no such key (`SHMD_E_NOENT`). */
export const SHMD_E_NOENT: number = -10;
/** Write command on a read-only handle (`SHMD_E_READONLY`). */
export const SHMD_E_READONLY: number = -11;
/** The segment failed a consistency check (`SHMD_E_CORRUPT`). */
export const SHMD_E_CORRUPT: number = -12;
/** Bad or closed handle (`SHMD_E_HANDLE`). */
export const SHMD_E_HANDLE: number = -13;
/** Operating-system error (`SHMD_E_SYS`). */
export const SHMD_E_SYS: number = -14;
/** Key, value or command larger than the limits (`SHMD_E_TOOBIG`). */
export const SHMD_E_TOOBIG: number = -15;
/** Too many handles open (`SHMD_E_BUSY`). */
export const SHMD_E_BUSY: number = -16;

/** `shmd_type()`: no such key (`SHMD_T_NONE`). */
export const SHMD_T_NONE = 0;
/** `shmd_type()`: string (`SHMD_T_STRING`). */
export const SHMD_T_STRING = 1;
/** `shmd_type()`: list (`SHMD_T_LIST`). */
export const SHMD_T_LIST = 2;
/** `shmd_type()`: set (`SHMD_T_SET`). */
export const SHMD_T_SET = 3;
/** `shmd_type()`: sorted set (`SHMD_T_ZSET`). */
export const SHMD_T_ZSET = 4;
/** `shmd_type()`: hash (`SHMD_T_HASH`). */
export const SHMD_T_HASH = 5;

/** `shmd_scan()` type argument: a MATCH pattern is given, even an empty one (`SHMD_SCAN_MATCH`). */
export const SHMD_SCAN_MATCH = 0x100;

/** `shmd_exec()` op HSET: argv: field value ...; reply i (fields added) (`SHMD_OP_HSET`). */
export const SHMD_OP_HSET = 1;
/** `shmd_exec()` op HSETNX: argv: field value; i 1/0 (`SHMD_OP_HSETNX`). */
export const SHMD_OP_HSETNX = 2;
/** `shmd_exec()` op HGET: argv: field; s or n (`SHMD_OP_HGET`). */
export const SHMD_OP_HGET = 3;
/** `shmd_exec()` op HMGET: argv: field ...; a of s/n (`SHMD_OP_HMGET`). */
export const SHMD_OP_HMGET = 4;
/** `shmd_exec()` op HGETALL: a: field value field value ... (`SHMD_OP_HGETALL`). */
export const SHMD_OP_HGETALL = 5;
/** `shmd_exec()` op HDEL: argv: field ...; i (`SHMD_OP_HDEL`). */
export const SHMD_OP_HDEL = 6;
/** `shmd_exec()` op HEXISTS: argv: field; i (`SHMD_OP_HEXISTS`). */
export const SHMD_OP_HEXISTS = 7;
/** `shmd_exec()` op HLEN: i (`SHMD_OP_HLEN`). */
export const SHMD_OP_HLEN = 8;
/** `shmd_exec()` op HKEYS: a (`SHMD_OP_HKEYS`). */
export const SHMD_OP_HKEYS = 9;
/** `shmd_exec()` op HVALS: a (`SHMD_OP_HVALS`). */
export const SHMD_OP_HVALS = 10;
/** `shmd_exec()` op HSTRLEN: argv: field; i (`SHMD_OP_HSTRLEN`). */
export const SHMD_OP_HSTRLEN = 11;
/** `shmd_exec()` op HINCRBY: argv: field; nums: by; i (`SHMD_OP_HINCRBY`). */
export const SHMD_OP_HINCRBY = 12;
/** `shmd_exec()` op HINCRBYFLOAT: argv: field, increment as text; s (the new value) (`SHMD_OP_HINCRBYFLOAT`). */
export const SHMD_OP_HINCRBYFLOAT = 13;
/** `shmd_exec()` op HRANDFIELD: nums: [count] (absent: one field); F_WITHVALUES; s/n or a (`SHMD_OP_HRANDFIELD`). */
export const SHMD_OP_HRANDFIELD = 14;
/** `shmd_exec()` op HSCAN: argv: [pattern]; nums: cursor, count; a: [i next cursor (0: done), a items: field value ...] (`SHMD_OP_HSCAN`). */
export const SHMD_OP_HSCAN = 15;
/** `shmd_exec()` op LPUSH: argv: element ...; i (new length). F_X: only if it exists (`SHMD_OP_LPUSH`). */
export const SHMD_OP_LPUSH = 20;
/** `shmd_exec()` op RPUSH: as LPUSH (`SHMD_OP_RPUSH`). */
export const SHMD_OP_RPUSH = 21;
/** `shmd_exec()` op LPOP: nums: [count]; s/n, or with count a/n (`SHMD_OP_LPOP`). */
export const SHMD_OP_LPOP = 22;
/** `shmd_exec()` op RPOP: as LPOP (`SHMD_OP_RPOP`). */
export const SHMD_OP_RPOP = 23;
/** `shmd_exec()` op LLEN: i (`SHMD_OP_LLEN`). */
export const SHMD_OP_LLEN = 24;
/** `shmd_exec()` op LRANGE: nums: start, stop; a (`SHMD_OP_LRANGE`). */
export const SHMD_OP_LRANGE = 25;
/** `shmd_exec()` op LINDEX: nums: index; s/n (`SHMD_OP_LINDEX`). */
export const SHMD_OP_LINDEX = 26;
/** `shmd_exec()` op LSET: argv: element; nums: index; o (errors: NOKEY, range) (`SHMD_OP_LSET`). */
export const SHMD_OP_LSET = 27;
/** `shmd_exec()` op LINSERT: argv: pivot, element; F_BEFORE (else after); i (-1: no pivot) (`SHMD_OP_LINSERT`). */
export const SHMD_OP_LINSERT = 28;
/** `shmd_exec()` op LREM: argv: element; nums: count; i (`SHMD_OP_LREM`). */
export const SHMD_OP_LREM = 29;
/** `shmd_exec()` op LTRIM: nums: start, stop; o (`SHMD_OP_LTRIM`). */
export const SHMD_OP_LTRIM = 30;
/** `shmd_exec()` op LPOS: argv: element; nums: rank, count(-1: absent), maxlen; i/n or a (`SHMD_OP_LPOS`). */
export const SHMD_OP_LPOS = 31;
/** `shmd_exec()` op LMOVE: argv: src, dst; F_FROM_RIGHT, F_TO_RIGHT; s/n (`SHMD_OP_LMOVE`). */
export const SHMD_OP_LMOVE = 32;
/** `shmd_exec()` op SADD: argv: member ...; i (`SHMD_OP_SADD`). */
export const SHMD_OP_SADD = 40;
/** `shmd_exec()` op SREM: argv: member ...; i (`SHMD_OP_SREM`). */
export const SHMD_OP_SREM = 41;
/** `shmd_exec()` op SMEMBERS: a (`SHMD_OP_SMEMBERS`). */
export const SHMD_OP_SMEMBERS = 42;
/** `shmd_exec()` op SISMEMBER: argv: member; i (`SHMD_OP_SISMEMBER`). */
export const SHMD_OP_SISMEMBER = 43;
/** `shmd_exec()` op SMISMEMBER: argv: member ...; a of i (`SHMD_OP_SMISMEMBER`). */
export const SHMD_OP_SMISMEMBER = 44;
/** `shmd_exec()` op SCARD: i (`SHMD_OP_SCARD`). */
export const SHMD_OP_SCARD = 45;
/** `shmd_exec()` op SPOP: nums: [count]; s/n, or with count a (`SHMD_OP_SPOP`). */
export const SHMD_OP_SPOP = 46;
/** `shmd_exec()` op SRANDMEMBER: nums: [count]; s/n, or with count a (`SHMD_OP_SRANDMEMBER`). */
export const SHMD_OP_SRANDMEMBER = 47;
/** `shmd_exec()` op SMOVE: argv: src, dst, member; i (`SHMD_OP_SMOVE`). */
export const SHMD_OP_SMOVE = 48;
/** `shmd_exec()` op SINTER: argv: keys (all of argv); a (`SHMD_OP_SINTER`). */
export const SHMD_OP_SINTER = 49;
/** `shmd_exec()` op SUNION: argv: keys; a (`SHMD_OP_SUNION`). */
export const SHMD_OP_SUNION = 50;
/** `shmd_exec()` op SDIFF: argv: keys; a (`SHMD_OP_SDIFF`). */
export const SHMD_OP_SDIFF = 51;
/** `shmd_exec()` op SINTERCARD: argv: keys; nums: limit (0 = none); i (`SHMD_OP_SINTERCARD`). */
export const SHMD_OP_SINTERCARD = 52;
/** `shmd_exec()` op SINTERSTORE: argv: dst, keys; i (`SHMD_OP_SINTERSTORE`). */
export const SHMD_OP_SINTERSTORE = 53;
/** `shmd_exec()` op SUNIONSTORE: argv: dst, keys; i (`SHMD_OP_SUNIONSTORE`). */
export const SHMD_OP_SUNIONSTORE = 54;
/** `shmd_exec()` op SDIFFSTORE: argv: dst, keys; i (`SHMD_OP_SDIFFSTORE`). */
export const SHMD_OP_SDIFFSTORE = 55;
/** `shmd_exec()` op SSCAN: as HSCAN (items are members) (`SHMD_OP_SSCAN`). */
export const SHMD_OP_SSCAN = 56;
/** `shmd_exec()` op ZADD: argv: member ...; nums: score ... (one per member); F_NX F_XX F_GT F_LT F_CH F_INCR; i, or with F_INCR d/n (`SHMD_OP_ZADD`). */
export const SHMD_OP_ZADD = 60;
/** `shmd_exec()` op ZINCRBY: argv: member; nums: by; d (`SHMD_OP_ZINCRBY`). */
export const SHMD_OP_ZINCRBY = 61;
/** `shmd_exec()` op ZSCORE: argv: member; d/n (`SHMD_OP_ZSCORE`). */
export const SHMD_OP_ZSCORE = 62;
/** `shmd_exec()` op ZMSCORE: argv: member ...; a of d/n (`SHMD_OP_ZMSCORE`). */
export const SHMD_OP_ZMSCORE = 63;
/** `shmd_exec()` op ZREM: argv: member ...; i (`SHMD_OP_ZREM`). */
export const SHMD_OP_ZREM = 64;
/** `shmd_exec()` op ZCARD: i (`SHMD_OP_ZCARD`). */
export const SHMD_OP_ZCARD = 65;
/** `shmd_exec()` op ZCOUNT: nums: min, max; F_MIN_EXCL F_MAX_EXCL; i (`SHMD_OP_ZCOUNT`). */
export const SHMD_OP_ZCOUNT = 66;
/** `shmd_exec()` op ZLEXCOUNT: argv: min, max as Redis lex bounds ("[a" "(a" "-" "+"); i (`SHMD_OP_ZLEXCOUNT`). */
export const SHMD_OP_ZLEXCOUNT = 67;
/** `shmd_exec()` op ZRANK: argv: member; F_REV, F_WITHSCORES; i/n, or a [i, d] (`SHMD_OP_ZRANK`). */
export const SHMD_OP_ZRANK = 68;
/** `shmd_exec()` op ZRANGE: by rank: nums: start, stop; by score (F_BYSCORE): nums: min, max, offset, count(-1 all), F_MIN_EXCL F_MAX_EXCL; by lex (F_BYLEX): argv: min, max; nums: offset, count; F_REV (min and max are then given as Redis does: max first), F_WITHSCORES: a of member [score] ... (`SHMD_OP_ZRANGE`). */
export const SHMD_OP_ZRANGE = 69;
/** `shmd_exec()` op ZREMRANGEBYRANK: nums: start, stop; i (`SHMD_OP_ZREMRANGEBYRANK`). */
export const SHMD_OP_ZREMRANGEBYRANK = 70;
/** `shmd_exec()` op ZREMRANGEBYSCORE: nums: min, max; F_MIN_EXCL F_MAX_EXCL; i (`SHMD_OP_ZREMRANGEBYSCORE`). */
export const SHMD_OP_ZREMRANGEBYSCORE = 71;
/** `shmd_exec()` op ZPOPMIN: nums: [count]; a: member score ... (`SHMD_OP_ZPOPMIN`). */
export const SHMD_OP_ZPOPMIN = 72;
/** `shmd_exec()` op ZPOPMAX: as ZPOPMIN (`SHMD_OP_ZPOPMAX`). */
export const SHMD_OP_ZPOPMAX = 73;
/** `shmd_exec()` op ZRANDMEMBER: nums: [count]; F_WITHSCORES; s/n, or a (`SHMD_OP_ZRANDMEMBER`). */
export const SHMD_OP_ZRANDMEMBER = 74;
/** `shmd_exec()` op ZSCAN: as HSCAN: items are member (s), score (d) ... (`SHMD_OP_ZSCAN`). */
export const SHMD_OP_ZSCAN = 75;

/** `shmd_exec()` flag: LPUSHX/RPUSHX: only when the list exists (`SHMD_F_X`). */
export const SHMD_F_X = 1;
/** `shmd_exec()` flag: HRANDFIELD WITHVALUES (`SHMD_F_WITHVALUES`). */
export const SHMD_F_WITHVALUES = 2;
/** `shmd_exec()` flag: WITHSCORES (ZRANK: WITHSCORE) (`SHMD_F_WITHSCORES`). */
export const SHMD_F_WITHSCORES = 4;
/** `shmd_exec()` flag: LINSERT BEFORE (else AFTER) (`SHMD_F_BEFORE`). */
export const SHMD_F_BEFORE = 8;
/** `shmd_exec()` flag: LMOVE: pop from the right of the source (`SHMD_F_FROM_RIGHT`). */
export const SHMD_F_FROM_RIGHT = 16;
/** `shmd_exec()` flag: LMOVE: push to the right of the destination (`SHMD_F_TO_RIGHT`). */
export const SHMD_F_TO_RIGHT = 32;
/** `shmd_exec()` flag: ZADD NX (`SHMD_F_NX`). */
export const SHMD_F_NX = 64;
/** `shmd_exec()` flag: ZADD XX (`SHMD_F_XX`). */
export const SHMD_F_XX = 128;
/** `shmd_exec()` flag: ZADD GT (`SHMD_F_GT`). */
export const SHMD_F_GT = 256;
/** `shmd_exec()` flag: ZADD LT (`SHMD_F_LT`). */
export const SHMD_F_LT = 512;
/** `shmd_exec()` flag: ZADD CH (`SHMD_F_CH`). */
export const SHMD_F_CH = 1024;
/** `shmd_exec()` flag: ZADD INCR (`SHMD_F_INCR`). */
export const SHMD_F_INCR = 2048;
/** `shmd_exec()` flag: the min score bound is exclusive (`SHMD_F_MIN_EXCL`). */
export const SHMD_F_MIN_EXCL = 4096;
/** `shmd_exec()` flag: the max score bound is exclusive (`SHMD_F_MAX_EXCL`). */
export const SHMD_F_MAX_EXCL = 8192;
/** `shmd_exec()` flag: reverse order (ZRANGE REV, ZREVRANK) (`SHMD_F_REV`). */
export const SHMD_F_REV = 16384;
/** `shmd_exec()` flag: ZRANGE BYSCORE (`SHMD_F_BYSCORE`). */
export const SHMD_F_BYSCORE = 32768;
/** `shmd_exec()` flag: ZRANGE BYLEX (`SHMD_F_BYLEX`). */
export const SHMD_F_BYLEX = 65536;

/** `shmd_open()`: create the segment if missing (`SHMD_O_CREATE`). */
export const SHMD_O_CREATE = 1;
/** `shmd_open()`: with CREATE, fail if it exists (`SHMD_O_EXCL`). */
export const SHMD_O_EXCL = 2;
/** `shmd_open()`: refuse write commands on this handle (`SHMD_O_READONLY`). */
export const SHMD_O_READONLY = 4;

/** `shmd_set()`: only set if the key does not exist (`SHMD_SET_NX`). */
export const SHMD_SET_NX = 1;
/** `shmd_set()`: only set if the key exists (`SHMD_SET_XX`). */
export const SHMD_SET_XX = 2;
/** `shmd_set()`: return the old value (`SHMD_SET_GET`). */
export const SHMD_SET_GET = 4;
/** `shmd_set()`: keep the key's time to live (`SHMD_SET_KEEPTTL`). */
export const SHMD_SET_KEEPTTL = 8;
/** TTL argument: seconds from now (`SHMD_TTL_EX`). */
export const SHMD_TTL_EX = 16;
/** TTL argument: milliseconds from now (`SHMD_TTL_PX`). */
export const SHMD_TTL_PX = 32;
/** TTL argument: unix time in seconds (`SHMD_TTL_EXAT`). */
export const SHMD_TTL_EXAT = 64;
/** TTL argument: unix time in milliseconds (`SHMD_TTL_PXAT`). */
export const SHMD_TTL_PXAT = 128;
/** `shmd_getex()`: remove the time to live (`SHMD_TTL_PERSIST`). */
export const SHMD_TTL_PERSIST = 256;

/** `shmd_expire()`: the argument is in milliseconds (`SHMD_EXP_MS`). */
export const SHMD_EXP_MS = 1;
/** `shmd_expire()`: the argument is an absolute unix time (`SHMD_EXP_AT`). */
export const SHMD_EXP_AT = 2;
/** `shmd_expire()`: only if the key has no expiry (`SHMD_EXP_NX`). */
export const SHMD_EXP_NX = 4;
/** `shmd_expire()`: only if the key has an expiry (`SHMD_EXP_XX`). */
export const SHMD_EXP_XX = 8;
/** `shmd_expire()`: only if the new expiry is greater (`SHMD_EXP_GT`). */
export const SHMD_EXP_GT = 16;
/** `shmd_expire()`: only if the new expiry is less (`SHMD_EXP_LT`). */
export const SHMD_EXP_LT = 32;

/** `shmd_ttl()`: report milliseconds (`SHMD_TTLQ_MS`). */
export const SHMD_TTLQ_MS = 1;
/** `shmd_ttl()`: report the absolute deadline (`SHMD_TTLQ_AT`). */
export const SHMD_TTLQ_AT = 2;

/** `shmd_info()` index: keys in the dictionary. */
export const SHMD_INFO_KEYS = 0;
/** `shmd_info()` index: keys with a time to live. */
export const SHMD_INFO_EXPIRES = 1;
/** `shmd_info()` index: bytes of the heap in live blocks. */
export const SHMD_INFO_USED = 2;
/** `shmd_info()` index: bytes of the segment committed. */
export const SHMD_INFO_COMMITTED = 3;
/** `shmd_info()` index: bytes reserved (the segment's maximum). */
export const SHMD_INFO_RESERVED = 4;
/** `shmd_info()` index: lookups that found a key (this process). */
export const SHMD_INFO_HITS = 5;
/** `shmd_info()` index: lookups that found no key (this process). */
export const SHMD_INFO_MISSES = 6;
/** `shmd_info()` index: keys removed because their TTL passed. */
export const SHMD_INFO_EXPIRED = 7;
/** `shmd_info()` index: buckets in the main index table. */
export const SHMD_INFO_BUCKETS = 8;
/** `shmd_info()` index: 1 while an incremental rehash is under way. */
export const SHMD_INFO_REHASHING = 9;
/** `shmd_info()` index: times a dead writer's command was rolled back. */
export const SHMD_INFO_RECOVERIES = 10;
/** `shmd_info()` index: bytes between heap start and heap top. */
export const SHMD_INFO_HEAP = 11;
/** `shmd_info()` index: bytes in free blocks below the heap top. */
export const SHMD_INFO_FREE = 12;
/** Number of doubles written by `shmd_info()`. */
export const SHMD_INFO_COUNT = 13;

/* ---- the JavaScript-facing interface ------------------------------------ */

/**
 * An opaque native pointer, as the runtime's FFI represents it (a pointer
 * object in Deno, a number in Bun). Only {@link Native.ptr} makes one; compute
 * it once per buffer and cache it.
 */
export type Ptr = { readonly __shmdictPtr: "shmdict.Ptr" };

/**
 * The loaded library as JavaScript sees it: every symbol of {@link symbols}
 * (numbers in, an `int32_t` out; pointers as {@link Ptr}) plus {@link Native.ptr}.
 */
export interface Native {
  /** The address of a buffer's first byte, for the `ptr` parameters. Costs up
   * to a few hundred nanoseconds in Deno: cache it per buffer. The buffer
   * must stay reachable (and not be detached) while C uses the pointer. */
  ptr(buf: Uint8Array): Ptr;

  /** `int32_t shmd_abi_version(void)` */
  shmd_abi_version(): number;
  /** `int32_t shmd_last_error(uint8_t *out, uint32_t cap)` */
  shmd_last_error(out: Ptr, cap: number): number;

  /** `int32_t shmd_open(const uint8_t *name, uint32_t name_len, uint32_t flags, uint32_t mode, double reserve)` */
  shmd_open(
    name: Ptr,
    nameLen: number,
    flags: number,
    mode: number,
    reserve: number,
  ): number;
  /** `int32_t shmd_close(int32_t h)` */
  shmd_close(h: number): number;
  /** `int32_t shmd_drop(const uint8_t *name, uint32_t name_len)` */
  shmd_drop(name: Ptr, nameLen: number): number;
  /** `int32_t shmd_list(uint8_t *out, uint32_t cap)` */
  shmd_list(out: Ptr, cap: number): number;

  /** `int32_t shmd_get(int32_t h, const uint8_t *key, uint32_t klen, uint8_t *out, uint32_t cap)` */
  shmd_get(h: number, key: Ptr, klen: number, out: Ptr, cap: number): number;
  /** `int32_t shmd_prefetch(int32_t h, const uint8_t *key, uint32_t klen)`: a cache hint */
  shmd_prefetch(h: number, key: Ptr, klen: number): number;
  /** `int32_t shmd_set(int32_t h, key, klen, val, vlen, uint32_t flags, double ttl, out, cap)` */
  shmd_set(
    h: number,
    key: Ptr,
    klen: number,
    val: Ptr,
    vlen: number,
    flags: number,
    ttl: number,
    out: Ptr,
    cap: number,
  ): number;
  /** `int32_t shmd_mget(int32_t h, const uint8_t *argv, uint32_t argv_len, uint8_t *out, uint32_t cap)` */
  shmd_mget(
    h: number,
    argv: Ptr,
    argvLen: number,
    out: Ptr,
    cap: number,
  ): number;
  /** `int32_t shmd_mset(int32_t h, const uint8_t *argv, uint32_t argv_len, uint32_t nx)` */
  shmd_mset(h: number, argv: Ptr, argvLen: number, nx: number): number;
  /** `int32_t shmd_getdel(int32_t h, key, klen, out, cap)` */
  shmd_getdel(
    h: number,
    key: Ptr,
    klen: number,
    out: Ptr,
    cap: number,
  ): number;
  /** `int32_t shmd_getex(int32_t h, key, klen, uint32_t flags, double ttl, out, cap)` */
  shmd_getex(
    h: number,
    key: Ptr,
    klen: number,
    flags: number,
    ttl: number,
    out: Ptr,
    cap: number,
  ): number;
  /** `int32_t shmd_getrange(int32_t h, key, klen, double start, double end, out, cap)` */
  shmd_getrange(
    h: number,
    key: Ptr,
    klen: number,
    start: number,
    end: number,
    out: Ptr,
    cap: number,
  ): number;
  /** `int32_t shmd_setrange(int32_t h, key, klen, double offset, val, vlen)` */
  shmd_setrange(
    h: number,
    key: Ptr,
    klen: number,
    offset: number,
    val: Ptr,
    vlen: number,
  ): number;
  /** `int32_t shmd_append(int32_t h, key, klen, val, vlen)` */
  shmd_append(
    h: number,
    key: Ptr,
    klen: number,
    val: Ptr,
    vlen: number,
  ): number;
  /** `int32_t shmd_strlen(int32_t h, key, klen)` */
  shmd_strlen(h: number, key: Ptr, klen: number): number;
  /** `int32_t shmd_incrby(int32_t h, key, klen, double by, out, cap)` */
  shmd_incrby(
    h: number,
    key: Ptr,
    klen: number,
    by: number,
    out: Ptr,
    cap: number,
  ): number;
  /** `int32_t shmd_incrbyfloat(int32_t h, key, klen, const uint8_t *by, uint32_t bylen, out, cap)`
   * (the increment as decimal text) */
  shmd_incrbyfloat(
    h: number,
    key: Ptr,
    klen: number,
    by: Ptr,
    byLen: number,
    out: Ptr,
    cap: number,
  ): number;

  /** `int32_t shmd_del(int32_t h, const uint8_t *argv, uint32_t argv_len)` */
  shmd_del(h: number, argv: Ptr, argvLen: number): number;
  /** `int32_t shmd_exists(int32_t h, const uint8_t *argv, uint32_t argv_len)` */
  shmd_exists(h: number, argv: Ptr, argvLen: number): number;
  /** `int32_t shmd_type(int32_t h, key, klen)` */
  shmd_type(h: number, key: Ptr, klen: number): number;
  /** `int32_t shmd_rename(int32_t h, src, slen, dst, dlen, uint32_t nx)` */
  shmd_rename(
    h: number,
    src: Ptr,
    slen: number,
    dst: Ptr,
    dlen: number,
    nx: number,
  ): number;
  /** `int32_t shmd_copy(int32_t h, src, slen, dst, dlen, uint32_t replace)` */
  shmd_copy(
    h: number,
    src: Ptr,
    slen: number,
    dst: Ptr,
    dlen: number,
    replace: number,
  ): number;
  /** `int32_t shmd_expire(int32_t h, key, klen, double when, uint32_t flags)` */
  shmd_expire(
    h: number,
    key: Ptr,
    klen: number,
    when: number,
    flags: number,
  ): number;
  /** `int32_t shmd_ttl(int32_t h, key, klen, uint32_t flags, out, cap)` */
  shmd_ttl(
    h: number,
    key: Ptr,
    klen: number,
    flags: number,
    out: Ptr,
    cap: number,
  ): number;
  /** `int32_t shmd_persist(int32_t h, key, klen)` */
  shmd_persist(h: number, key: Ptr, klen: number): number;
  /** `int32_t shmd_scan(int32_t h, double cursor, pattern, plen, double count, uint32_t type, out, cap)` */
  shmd_scan(
    h: number,
    cursor: number,
    pattern: Ptr,
    plen: number,
    count: number,
    type: number,
    out: Ptr,
    cap: number,
  ): number;
  /** `int32_t shmd_keys(int32_t h, pattern, plen, out, cap)` */
  shmd_keys(
    h: number,
    pattern: Ptr,
    plen: number,
    out: Ptr,
    cap: number,
  ): number;
  /** `int32_t shmd_dbsize(int32_t h)` */
  shmd_dbsize(h: number): number;
  /** `int32_t shmd_flushall(int32_t h)` */
  shmd_flushall(h: number): number;
  /** `int32_t shmd_info(int32_t h, uint8_t *out, uint32_t cap)` */
  shmd_info(h: number, out: Ptr, cap: number): number;
  /** `int32_t shmd_check(int32_t h, uint8_t *out, uint32_t cap)` */
  shmd_check(h: number, out: Ptr, cap: number): number;

  /** `int32_t shmd_txn_begin(int32_t h)` */
  shmd_txn_begin(h: number): number;
  /** `int32_t shmd_txn_end(int32_t h, uint32_t commit)` */
  shmd_txn_end(h: number, commit: number): number;
  /** `int32_t shmd_exec(int32_t h, uint32_t op, argv, argv_len, const double *nums,
   * uint32_t nnums, uint32_t flags, out, cap)` (`nums` points at the bytes of a
   * `Float64Array`) */
  shmd_exec(
    h: number,
    op: number,
    argv: Ptr,
    argvLen: number,
    nums: Ptr,
    nnums: number,
    flags: number,
    out: Ptr,
    cap: number,
  ): number;
  /** `int32_t shmd_push_seq(int32_t h)` */
  shmd_push_seq(h: number): number;
  /** `int32_t shmd_wait(int32_t h, int32_t seen, double timeout_ms)`: blocks the
   * calling thread. On the JavaScript thread, call it only with `timeout_ms` 0;
   * use {@link Native.waitAsync} to wait. */
  shmd_wait(h: number, seen: number, timeoutMs: number): number;

  /**
   * `shmd_wait(h, seen, timeoutMs)` run off the JavaScript thread: resolves with
   * its result (1 the push sequence moved, 0 timed out, < 0 an error) without
   * blocking the event loop. While it is pending it keeps the process alive, as
   * any awaited operation does, until {@link Native.waitDone} releases it.
   *
   * Deno: a `nonblocking` FFI call (a thread of Deno's blocking pool). Bun: a
   * `Worker` per handle, started on the first wait, that calls `shmd_wait`
   * synchronously (it loads the same library file, so it shares this process's
   * handle table). At most one wait per handle may be pending at a time.
   *
   * The handle must stay open until the promise settles: closing it while C
   * waits on it would unmap the memory under the waiting thread.
   */
  waitAsync(h: number, seen: number, timeoutMs: number): Promise<number>;

  /**
   * Releases what {@link Native.waitAsync} holds for handle `h` (before the
   * handle is closed): Bun unreferences the handle's worker at once, so that a
   * wait still pending does not keep the process alive, and stops it when that
   * wait returns. Deno cannot cancel a `nonblocking` call: a pending wait keeps
   * the process alive until it times out (callers keep each wait short).
   */
  waitDone(h: number): void;
}

/* Compile-time proof that Native matches the table: same names, same arity,
 * `Ptr` exactly where the table says "ptr". */
type JsType<T> = T extends "ptr" ? Ptr : number;
type JsParams<P extends readonly NativeType[]> = {
  -readonly [I in keyof P]: JsType<P[I]>;
};
type FromTable = {
  [K in SymbolName]: (
    ...args: JsParams<(typeof symbols)[K]["parameters"]>
  ) => number;
};
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _nativeMatchesTable: Same<
  Omit<Native, "ptr" | "waitAsync" | "waitDone">,
  FromTable
> = true;
void _nativeMatchesTable;
