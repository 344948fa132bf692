/**
 * Randomized differential test: the same seeded stream of random commands is applied to two
 * views (shmdict and Redis), one command at a time, and every reply — or the class of the
 * error — must match.
 *
 * The stream covers the string and key commands and every container command (hashes, lists
 * with their blocking pops, sets, sorted sets, MULTI batches of up to five commands) over a
 * small key space with small values (numbers, odd numerals, UTF-8, binary), so that commands
 * collide on keys all the time. Bulk commands add or remove 20-140 fields or members of a
 * larger pool at once, and a few values are 60-70 bytes long, so containers cross the bounds
 * of shmdict's compact encoding (128 elements, 64 bytes) both ways: packed, converted to
 * treaps, emptied and recreated packed. Each container family prefers a few keys of its own (75%)
 * and otherwise picks any key, so that WRONGTYPE paths are exercised as much as the others;
 * ZRANGE BYLEX and ZLEXCOUNT use two keys whose scores are all 0 (the only case Redis
 * defines). Replies whose order Redis leaves unspecified (SMEMBERS, SINTER, SUNION, SDIFF,
 * HKEYS, HVALS, HGETALL, the SCAN family, SPOP of every member) are sorted before comparing;
 * random replies (HRANDFIELD, SRANDMEMBER, ZRANDMEMBER) are compared by shape and size, and
 * by content only when a positive count returns the whole container. SPOP is only sent in
 * the forms whose result does not depend on chance (count 0, or more than the set holds).
 * Blocking pops use a 10 ms timeout; in a batch they do not block, as in Redis.
 * Times to live are chosen so that the result never depends on which millisecond a command
 * ran in: relative TTLs are multiples of 10,000 s, absolute deadlines lie 5,000 s off that
 * grid (or in the past), and GT/LT conditions are only used with absolute deadlines or with
 * times <= 0. Nothing expires by the clock during a run. TTL replies are compared by kind
 * (-2, -1, >= 0) and within 1 s (TTL) / 1,000 ms (PTTL).
 *
 * On the first divergence it prints the seed, the command's index, the command and both
 * replies, then replays only the earlier commands that touched the same keys (transitively)
 * on empty databases and prints that shorter sequence if it still diverges.
 *
 * Error replies of the same class but different wording are not failures; they are counted
 * and listed at the end.
 *
 * @module
 */

import type { ContainerScanOptions, Key, ScanOptions } from "../../lib/mod.ts";
import { type Command, type MultiView, type View } from "./view.ts";
import { hscanAll, scanAll, sscanAll, zscanAll } from "./tester.ts";

/* ---- PRNG ------------------------------------------------------------------------------- */

/** sfc32, seeded from one 32-bit integer: fast, good enough, reproducible everywhere. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d = 1;

  /** @param seed any integer (only the low 32 bits are used) */
  constructor(seed: number) {
    this.#a = 0x9e3779b9;
    this.#b = 0x243f6a88;
    this.#c = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** A uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element of `a`. */
  pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.float() * a.length)];
  }
}

/* ---- commands ----------------------------------------------------------------------------- */

/** Pseudo-commands: a complete SCAN-family iteration, or a MULTI batch. */
type Pseudo = "scanAll" | "hscanAll" | "sscanAll" | "zscanAll" | "multi";

/**
 * A command of the stream: a view method (or a full SCAN-family iteration, or a MULTI batch)
 * and its arguments. A `multi` op's arguments are the ops it queues.
 */
export interface Op {
  /** The view method, a full `scanAll` / `hscanAll` / `sscanAll` / `zscanAll`, or `multi`. */
  cmd: Command | Pseudo;
  /** Its arguments (for `multi`, the queued ops). */
  args: unknown[];
}

/** The key space: 20 names, one of them empty, one UTF-8, one a glob character, one binary. */
const KEYS: readonly (string | Uint8Array)[] = [
  ...Array.from({ length: 16 }, (_, i) => `k${i}`),
  "",
  "ké",
  "k*",
  new Uint8Array([0x6b, 0xff, 0x00]),
];

const PATTERNS = [
  "*",
  "k1*",
  "k?",
  "k??",
  "k[0-5]",
  "k[^0-5]*",
  "*7",
  "k\\*",
  "k*",
  "ké",
  "x*",
  "",
  "[k]1?",
  "*[*]*",
  "**",
  "?*",
  "k[0-]",
  "k[^1-]*",
];

const NUMERALS = [
  "0",
  "1",
  "-1",
  "10",
  "42",
  "-100",
  "9223372036854775807",
  "-9223372036854775808",
  "9223372036854775806",
  "-9223372036854775807",
  "9007199254740993",
  "12345678901234567890",
  "",
  " 1",
  "1 ",
  "+1",
  "01",
  "-0",
  "1\0",
];

const FLOATS = [
  "0.1",
  "1.5",
  "-2.25",
  "1e3",
  "5.0e3",
  "3.0",
  ".5",
  "5.",
  "1e20",
  "0x10",
  "1e-5",
  "inf",
  "-inf",
  "nan",
  "1e308",
  "1e4000",
  "1e5000",
  "-0.0",
  "3.14159265358979323846",
];

const WORDS = ["abc", "héllo", "😀", "x", "Hello World", "日本語", "a\nb", "\0", "k1"];

/* ---- containers ---- */

/** The kind of value a command family wants. */
type Kind = "string" | "hash" | "list" | "set" | "zset";

/**
 * Each kind's preferred keys (a command of that family picks one of them 75% of the time, any
 * key otherwise, so that WRONGTYPE paths and successful ones both happen).
 */
const KEYS_FOR: Record<Kind, readonly (string | Uint8Array)[]> = {
  string: [KEYS[0], KEYS[1], KEYS[2], KEYS[3], KEYS[16]],
  hash: [KEYS[4], KEYS[5], KEYS[6], KEYS[17]],
  list: [KEYS[7], KEYS[8], KEYS[9], KEYS[18]],
  set: [KEYS[10], KEYS[11], KEYS[12], KEYS[19]],
  zset: [KEYS[13], KEYS[14], KEYS[15]],
};

/**
 * Sorted sets whose scores are all 0, for the lex commands: Redis defines ZRANGE BYLEX and
 * ZLEXCOUNT only when every member has the same score. Only `lexzadd` / `lexzrem` / the lex
 * commands (and generic key commands that list keys) touch them.
 */
const LEX_KEYS = ["lex0", "lex1"];

/** Hash fields (a small pool, so that commands collide). */
const FIELD_NAMES = ["f0", "f1", "f2", "f3", "f4", "", "é", "n"];

/** List elements, set and sorted-set members. */
const ELEMS = ["a", "b", "c", "a", "", "x", "é", "1", "10", "-3"];
const MEMBERS: readonly (string | Uint8Array)[] = [
  "m0",
  "m1",
  "m2",
  "m3",
  "m4",
  "m5",
  "",
  "a",
  "é",
  "1",
  new Uint8Array([0x6d, 0xff, 0x00]),
];

/** Scores and score increments: numbers, Redis's float text, and a few invalid ones. */
const SCORES: readonly (number | string)[] = [
  0,
  1,
  -1,
  2,
  2.5,
  3,
  10,
  -0.5,
  0.001,
  100,
  1e300,
  Infinity,
  -Infinity,
  "1.5",
  "-inf",
  "+inf",
  "inf",
  "2e1",
];

/** Score range bounds (ZCOUNT, ZRANGEBYSCORE, ...). Not "" or "(" (see zsets.ts). */
const BOUNDS: readonly (number | string)[] = [
  0,
  1,
  2,
  2.5,
  3,
  10,
  -1,
  Infinity,
  -Infinity,
  "-inf",
  "+inf",
  "(1",
  "(2.5",
  "(0",
  "(-inf",
  "(+inf",
  "(3",
  "1e1",
];

/** Lex range bounds. */
const LEX_BOUNDS = ["-", "+", "[a", "(a", "[m1", "(m2", "[m", "(m4", "[", "[é", "(1"];

/** Counts of HRANDFIELD / SRANDMEMBER / ZRANDMEMBER. */
const RANDOM_COUNTS = [0, 1, 2, 3, 5, 20, -1, -3, -20];

/** Timeout of the blocking pops: short, so that an empty key costs 10 ms on each server. */
const BLOCK_TIMEOUT = 0.01;

/** Commands not queued inside a random MULTI batch. */
const NOT_IN_MULTI = new Set([
  "scanAll",
  "hscanAll",
  "sscanAll",
  "zscanAll",
  "multi",
  "flushall",
]);

const INCREMENTS = [
  0,
  1,
  -1,
  2 ** 53,
  -(2 ** 53),
  2 ** 53 - 1,
  2 ** 63, /* not an integer argument for either server */
  1e21,
  1.5,
  NaN,
  Infinity,
];

const FLOAT_INCREMENTS = [
  0.1,
  -0.1,
  1.5,
  3,
  -2.25,
  1e-5,
  1e10,
  1.1e-10,
  0,
  5e3,
  1e300,
  -1e300,
  NaN,
  Infinity,
];

/** The random stream: depends only on the seed and the start time. */
export class Generator {
  readonly rng: Rng;
  /** Absolute deadlines in seconds: far in the future (off the relative grid) or past. */
  readonly #absSec: number[];
  /** Absolute deadlines in milliseconds. */
  readonly #absMs: number[];

  /**
   * @param seed the seed
   * @param now0 the start time in ms (absolute deadlines are placed relative to it)
   */
  constructor(seed: number, now0: number) {
    this.rng = new Rng(seed);
    const s0 = Math.floor(now0 / 1000);
    this.#absSec = [s0 + 5_000, s0 + 15_000, s0 + 25_000, s0 + 35_000, 1, s0 - 1_000];
    this.#absMs = [
      (s0 + 5_000) * 1000,
      (s0 + 15_000) * 1000 + 123,
      (s0 + 25_000) * 1000 + 999,
      (s0 + 35_000) * 1000 + 500,
      1,
      now0 - 100_000,
    ];
  }

  #key(): string | Uint8Array {
    return this.rng.pick(KEYS);
  }

  #keys(max: number): (string | Uint8Array)[] {
    const n = this.rng.int(1, max);
    return Array.from({ length: n }, () => this.#key());
  }

  /** A small value: text, a numeral, a float, an odd word, or binary. */
  #value(): string | Uint8Array {
    const r = this.rng;
    const x = r.float();
    if (x < 0.25) {
      const n = r.int(0, 8);
      let s = "";
      for (let i = 0; i < n; i++) s += String.fromCharCode(r.int(97, 122));
      return s;
    }
    if (x < 0.5) return String(r.int(-1000, 1000));
    if (x < 0.62) return r.pick(NUMERALS);
    if (x < 0.77) return r.pick(FLOATS);
    if (x < 0.87) return r.pick(WORDS);
    const b = new Uint8Array(r.int(0, 6));
    for (let i = 0; i < b.length; i++) {
      b[i] = r.chance(0.3) ? r.pick([0, 0xff, 0x80, 0xc3]) : r.int(0, 255);
    }
    return b;
  }

  #increment(): number {
    const r = this.rng;
    const x = r.float();
    if (x < 0.6) return r.int(-10, 10);
    if (x < 0.85) return r.int(-1000, 1000);
    return r.pick(INCREMENTS);
  }

  #floatIncrement(): number {
    const r = this.rng;
    if (r.chance(0.5)) return r.pick(FLOAT_INCREMENTS);
    return Math.round((r.float() * 200 - 100) * 100) / 100;
  }

  /** A relative TTL in seconds (multiples of 10,000 s) or, rarely, a bad one. */
  #relSec(): number {
    const r = this.rng;
    if (r.chance(0.06)) return r.pick([0, -1, 1.5]);
    return r.int(1, 4) * 10_000;
  }

  #relMs(): number {
    const r = this.rng;
    if (r.chance(0.06)) return r.pick([0, -1, 0.5]);
    return r.int(1, 4) * 10_000_000;
  }

  /** SET's options: conditions, GET, at most one expiry (sometimes two: an error). */
  #setOptions(): Record<string, unknown> | undefined {
    const r = this.rng;
    if (r.chance(0.35)) return undefined;
    const o: Record<string, unknown> = {};
    if (r.chance(0.2)) o.nx = true;
    if (r.chance(0.2)) o.xx = true;
    if (r.chance(0.25)) o.get = true;
    const ttls = r.chance(0.04) ? 2 : r.chance(0.45) ? 1 : 0;
    for (let i = 0; i < ttls; i++) {
      const which = r.int(0, 4);
      if (which === 0) o.ex = this.#relSec();
      else if (which === 1) o.px = this.#relMs();
      else if (which === 2) o.exat = r.pick(this.#absSec);
      else if (which === 3) o.pxat = r.pick(this.#absMs);
      else o.keepttl = true;
    }
    return o;
  }

  #getexOptions(): Record<string, unknown> | undefined {
    const r = this.rng;
    const x = r.float();
    if (x < 0.35) return undefined;
    if (x < 0.45) return { ex: this.#relSec() };
    if (x < 0.55) return { px: this.#relMs() };
    if (x < 0.67) return { exat: r.pick(this.#absSec) };
    if (x < 0.79) return { pxat: r.pick(this.#absMs) };
    if (x < 0.95) return { persist: true };
    return r.pick([{ ex: 10_000, px: 10_000_000 }, { persist: true, ex: 10_000 }, { ex: 0 }]);
  }

  /** EXPIRE's conditions; GT/LT only when `ordered` (the result cannot depend on timing). */
  #expireOptions(ordered: boolean): Record<string, unknown> | undefined {
    const r = this.rng;
    const x = r.float();
    if (x < 0.4) return undefined;
    if (x < 0.55) return { nx: true };
    if (x < 0.7) return { xx: true };
    if (x < 0.95 && ordered) {
      return r.pick([{ gt: true }, { lt: true }, { xx: true, gt: true }, { xx: true, lt: true }]);
    }
    if (x < 0.95) return undefined;
    return r.pick([{ nx: true, xx: true }, { nx: true, gt: true }, { gt: true, lt: true }]);
  }

  #pairs(): [string | Uint8Array, string | Uint8Array][] {
    const n = this.rng.int(1, 4);
    return Array.from({ length: n }, () => [this.#key(), this.#value()]);
  }

  #offset(): number {
    const r = this.rng;
    const x = r.float();
    if (x < 0.85) return r.int(-12, 12);
    if (x < 0.93) return r.pick([100, -100, 1000, -1000]);
    return r.pick([2 ** 53, -(2 ** 53), 2 ** 31, -(2 ** 31), 2 ** 32]);
  }

  /** A key for a command of the family `kind`: usually one of its own. */
  #keyFor(kind: Kind): string | Uint8Array {
    return this.rng.chance(0.75) ? this.rng.pick(KEYS_FOR[kind]) : this.#key();
  }

  #field(): string {
    return this.rng.pick(FIELD_NAMES);
  }

  /** A list element or hash value: mostly from a small pool, sometimes any value, now and
   * then one of 60-70 bytes (around the 64-byte bound of shmdict's packed encoding). */
  #elem(): string | Uint8Array {
    if (this.rng.chance(0.01)) return "L".repeat(this.rng.int(60, 70));
    return this.rng.chance(0.8) ? this.rng.pick(ELEMS) : this.#value();
  }

  /** A field or member of the large pool the bulk commands use (200 names). */
  #bigName(): string {
    return `g${this.rng.int(0, 199)}`;
  }

  #member(): string | Uint8Array {
    return this.rng.pick(MEMBERS);
  }

  /** A list index / rank: small, negative, sometimes far out of range. */
  #index(): number {
    const r = this.rng;
    return r.chance(0.9) ? r.int(-6, 6) : r.pick([100, -100, 2 ** 40, -(2 ** 40)]);
  }

  #side(): "LEFT" | "RIGHT" {
    return this.rng.chance(0.5) ? "LEFT" : "RIGHT";
  }

  #score(): number | string {
    const r = this.rng;
    if (r.chance(0.01)) return r.pick([NaN, "abc", "nan", "1e"]);
    return r.chance(0.7) ? r.pick(SCORES.slice(0, 10)) : r.pick(SCORES);
  }

  #bound(): number | string {
    const r = this.rng;
    return r.chance(0.01) ? r.pick(["abc", "((1", "1x"]) : r.pick(BOUNDS);
  }

  #lexBound(): string {
    return this.rng.chance(0.01) ? "m1" : this.rng.pick(LEX_BOUNDS);
  }

  /** LIMIT offset count (the offset never negative: see zsets.ts). */
  #limit(): { offset: number; count: number } {
    return { offset: this.rng.int(0, 4), count: this.rng.int(-1, 4) };
  }

  #containerScanOptions(): ContainerScanOptions {
    const r = this.rng;
    const o: ContainerScanOptions = {};
    if (r.chance(0.4)) o.match = r.pick(["*", "f*", "m?", "*1*", "", "[fm]*", "é"]);
    if (r.chance(0.5)) o.count = r.int(1, 20);
    return o;
  }

  /** A command name, by weight. */
  #pick(): string {
    const w = this.rng.float() * TOTAL_WEIGHT;
    let acc = 0;
    for (const [n, weight] of TABLE) {
      acc += weight;
      if (w < acc) return n;
    }
    return TABLE[TABLE.length - 1][0];
  }

  /** The next command. */
  next(): Op {
    return this.#make(this.#pick());
  }

  /** A command `name` with random arguments. */
  #make(name: string): Op {
    const r = this.rng;
    const k = (): string | Uint8Array => this.#key();
    switch (name) {
      case "set": {
        const o = this.#setOptions();
        return {
          cmd: "set",
          args: o === undefined ? [k(), this.#value()] : [k(), this.#value(), o],
        };
      }
      case "get":
        return { cmd: "get", args: [k()] };
      case "getBytes":
        return { cmd: "getBytes", args: [k()] };
      case "del":
        return { cmd: "del", args: this.#keys(4) };
      case "unlink":
        return { cmd: "unlink", args: this.#keys(3) };
      case "exists":
        return { cmd: "exists", args: this.#keys(4) };
      case "incr":
        return { cmd: "incr", args: [k()] };
      case "decr":
        return { cmd: "decr", args: [k()] };
      case "incrby":
        return { cmd: "incrby", args: [k(), this.#increment()] };
      case "decrby":
        return { cmd: "decrby", args: [k(), this.#increment()] };
      case "incrbyfloat":
        return { cmd: "incrbyfloat", args: [k(), this.#floatIncrement()] };
      case "append":
        return { cmd: "append", args: [k(), this.#value()] };
      case "setrange": {
        const x = r.float();
        const off = x < 0.85
          ? r.int(0, 20)
          : x < 0.93
          ? r.int(100, 1000)
          : x < 0.97
          ? -r.int(1, 5)
          : 512 * 1024 * 1024;
        return { cmd: "setrange", args: [k(), off, r.chance(0.1) ? "" : this.#value()] };
      }
      case "getrange":
        return { cmd: "getrange", args: [k(), this.#offset(), this.#offset()] };
      case "strlen":
        return { cmd: "strlen", args: [k()] };
      case "mset":
        return { cmd: "mset", args: [this.#pairs()] };
      case "msetnx":
        return { cmd: "msetnx", args: [this.#pairs()] };
      case "mget":
        return { cmd: "mget", args: this.#keys(5) };
      case "getdel":
        return { cmd: "getdel", args: [k()] };
      case "getex": {
        const o = this.#getexOptions();
        return { cmd: "getex", args: o === undefined ? [k()] : [k(), o] };
      }
      case "expire":
      case "pexpire": {
        const rel = name === "expire" ? this.#relSec() : this.#relMs();
        const past = r.chance(0.15);
        const t = past ? r.pick([0, -1, -100]) : rel;
        const o = this.#expireOptions(past);
        return { cmd: name, args: o === undefined ? [k(), t] : [k(), t, o] };
      }
      case "expireat":
      case "pexpireat": {
        const t = name === "expireat" ? r.pick(this.#absSec) : r.pick(this.#absMs);
        const o = this.#expireOptions(true);
        return { cmd: name, args: o === undefined ? [k(), t] : [k(), t, o] };
      }
      case "persist":
      case "ttl":
      case "pttl":
      case "expiretime":
      case "pexpiretime":
      case "type":
        return { cmd: name, args: [k()] };
      case "rename":
      case "renamenx":
        return { cmd: name, args: [k(), k()] };
      case "copy":
        return {
          cmd: "copy",
          args: r.chance(0.5) ? [k(), k()] : [k(), k(), { replace: r.chance(0.7) }],
        };
      case "keys":
        return { cmd: "keys", args: [r.pick(PATTERNS)] };
      case "scanAll": {
        const o: ScanOptions = {};
        if (r.chance(0.5)) o.match = r.pick(PATTERNS);
        if (r.chance(0.5)) o.count = r.int(1, 20);
        if (r.chance(0.2)) o.type = r.pick(["string", "hash"] as const);
        return { cmd: "scanAll", args: [o] };
      }
      case "flushall":
        return { cmd: "flushall", args: [] };

      /* ---- hashes ---- */
      case "hset": {
        const h = this.#keyFor("hash");
        const n = r.int(1, 3);
        if (r.chance(0.5)) {
          const o: Record<string, string | Uint8Array> = {};
          for (let i = 0; i < n; i++) o[r.pick(FIELD_NAMES)] = this.#elem();
          return { cmd: "hset", args: [h, o] };
        }
        const args: (string | Uint8Array)[] = [];
        for (let i = 0; i < n; i++) args.push(this.#field(), this.#elem());
        if (r.chance(0.02)) args.pop(); /* a field without its value: an error */
        return { cmd: "hset", args: [h, ...args] };
      }
      case "hsetnx":
        return { cmd: "hsetnx", args: [this.#keyFor("hash"), this.#field(), this.#elem()] };
      case "hget":
      case "hexists":
      case "hstrlen":
        return { cmd: name, args: [this.#keyFor("hash"), this.#field()] };
      case "hmget":
      case "hdel":
        return {
          cmd: name,
          args: [this.#keyFor("hash"), ...Array.from({ length: r.int(1, 3) }, () => this.#field())],
        };
      case "hgetall":
      case "hlen":
      case "hkeys":
      case "hvals":
        return { cmd: name, args: [this.#keyFor("hash")] };
      case "hincrby":
        return { cmd: "hincrby", args: [this.#keyFor("hash"), this.#field(), this.#increment()] };
      case "hincrbyfloat":
        return {
          cmd: "hincrbyfloat",
          args: [this.#keyFor("hash"), this.#field(), this.#floatIncrement()],
        };
      case "hrandfield": {
        const h = this.#keyFor("hash");
        const x = r.float();
        if (x < 0.3) return { cmd: "hrandfield", args: [h] };
        const count = r.pick(RANDOM_COUNTS);
        return {
          cmd: "hrandfield",
          args: x < 0.65 ? [h, count] : [h, count, { withvalues: true }],
        };
      }
      case "hscanAll":
        return { cmd: "hscanAll", args: [this.#keyFor("hash"), this.#containerScanOptions()] };

      /* ---- lists ---- */
      case "lpush":
      case "rpush":
      case "lpushx":
      case "rpushx":
        return {
          cmd: name,
          args: [this.#keyFor("list"), ...Array.from({ length: r.int(1, 4) }, () => this.#elem())],
        };
      case "lpop":
      case "rpop": {
        const l = this.#keyFor("list");
        if (r.chance(0.5)) return { cmd: name, args: [l] };
        return { cmd: name, args: [l, r.chance(0.05) ? -1 : r.int(0, 4)] };
      }
      case "llen":
        return { cmd: "llen", args: [this.#keyFor("list")] };
      case "lrange":
      case "ltrim":
        return { cmd: name, args: [this.#keyFor("list"), this.#index(), this.#index()] };
      case "lindex":
        return { cmd: "lindex", args: [this.#keyFor("list"), this.#index()] };
      case "lset":
        return { cmd: "lset", args: [this.#keyFor("list"), this.#index(), this.#elem()] };
      case "linsert":
        return {
          cmd: "linsert",
          args: [this.#keyFor("list"), r.pick(["BEFORE", "AFTER"]), this.#elem(), this.#elem()],
        };
      case "lrem":
        return { cmd: "lrem", args: [this.#keyFor("list"), r.int(-3, 3), this.#elem()] };
      case "lpos": {
        const o: Record<string, number> = {};
        if (r.chance(0.4)) o.rank = r.chance(0.05) ? 0 : r.pick([1, 2, 3, -1, -2, -3]);
        if (r.chance(0.4)) o.count = r.chance(0.03) ? -1 : r.int(0, 3);
        if (r.chance(0.3)) o.maxlen = r.chance(0.03) ? -1 : r.int(0, 5);
        const args: unknown[] = [this.#keyFor("list"), this.#elem()];
        if (Object.keys(o).length > 0 || r.chance(0.2)) args.push(o);
        return { cmd: "lpos", args };
      }
      case "lmove":
        return {
          cmd: "lmove",
          args: [this.#keyFor("list"), this.#keyFor("list"), this.#side(), this.#side()],
        };
      case "blpop":
      case "brpop": {
        const keys = Array.from({ length: r.int(1, 3) }, () => this.#keyFor("list"));
        return { cmd: name, args: [...keys, BLOCK_TIMEOUT] };
      }
      case "blmove":
        return {
          cmd: "blmove",
          args: [
            this.#keyFor("list"),
            this.#keyFor("list"),
            this.#side(),
            this.#side(),
            BLOCK_TIMEOUT,
          ],
        };

      /* ---- sets ---- */
      case "sadd":
      case "srem":
      case "smismember":
        return {
          cmd: name,
          args: [this.#keyFor("set"), ...Array.from({ length: r.int(1, 4) }, () => this.#member())],
        };
      case "smembers":
      case "scard":
        return { cmd: name, args: [this.#keyFor("set")] };
      case "sismember":
        return { cmd: "sismember", args: [this.#keyFor("set"), this.#member()] };
      case "spop": {
        /* Only the forms whose result does not depend on chance: count 0, or every member. */
        const s = this.#keyFor("set");
        return { cmd: "spop", args: [s, r.chance(0.05) ? -1 : r.pick([0, 1000])] };
      }
      case "srandmember": {
        const s = this.#keyFor("set");
        return { cmd: "srandmember", args: r.chance(0.3) ? [s] : [s, r.pick(RANDOM_COUNTS)] };
      }
      case "smove":
        return {
          cmd: "smove",
          args: [this.#keyFor("set"), this.#keyFor("set"), this.#member()],
        };
      case "sinter":
      case "sunion":
      case "sdiff":
        return { cmd: name, args: Array.from({ length: r.int(1, 3) }, () => this.#keyFor("set")) };
      case "sintercard": {
        const keys = Array.from({ length: r.int(1, 3) }, () => this.#keyFor("set"));
        if (r.chance(0.5)) return { cmd: "sintercard", args: [keys] };
        return { cmd: "sintercard", args: [keys, { limit: r.chance(0.05) ? -1 : r.int(0, 3) }] };
      }
      case "sinterstore":
      case "sunionstore":
      case "sdiffstore":
        return {
          cmd: name,
          args: [
            r.chance(0.7) ? this.#keyFor("set") : this.#key(),
            ...Array.from({ length: r.int(1, 3) }, () => this.#keyFor("set")),
          ],
        };
      case "sscanAll":
        return { cmd: "sscanAll", args: [this.#keyFor("set"), this.#containerScanOptions()] };

      /* ---- sorted sets ---- */
      case "zadd": {
        const z = this.#keyFor("zset");
        const o: Record<string, boolean> = {};
        if (r.chance(0.5)) {
          for (const f of ["nx", "xx", "gt", "lt", "ch", "incr"]) if (r.chance(0.15)) o[f] = true;
        }
        const n = o.incr && r.chance(0.9) ? 1 : r.int(1, 3);
        const args: unknown[] = Object.keys(o).length > 0 ? [o] : [];
        for (let i = 0; i < n; i++) args.push(this.#score(), this.#member());
        return { cmd: "zadd", args: [z, ...args] };
      }
      case "zincrby":
        return { cmd: "zincrby", args: [this.#keyFor("zset"), this.#score(), this.#member()] };
      case "zscore":
      case "zrank":
      case "zrevrank":
        return { cmd: name, args: [this.#keyFor("zset"), this.#member()] };
      case "zmscore":
      case "zrem":
        return {
          cmd: name,
          args: [
            this.#keyFor("zset"),
            ...Array.from({ length: r.int(1, 3) }, () => this.#member()),
          ],
        };
      case "zcard":
        return { cmd: "zcard", args: [this.#keyFor("zset")] };
      case "zcount":
      case "zremrangebyscore":
        return { cmd: name, args: [this.#keyFor("zset"), this.#bound(), this.#bound()] };
      case "zremrangebyrank":
        return { cmd: name, args: [this.#keyFor("zset"), this.#index(), this.#index()] };
      case "zrange": {
        const z = this.#keyFor("zset");
        const x = r.float();
        const o: Record<string, unknown> = {};
        if (r.chance(0.3)) o.rev = true;
        if (x < 0.45) {
          if (r.chance(0.4)) o.withscores = true;
          return { cmd: "zrange", args: [z, this.#index(), this.#index(), o] };
        }
        if (x < 0.85) {
          o.byscore = true;
          if (r.chance(0.4)) o.withscores = true;
          if (r.chance(0.4)) o.limit = this.#limit();
          return { cmd: "zrange", args: [z, this.#bound(), this.#bound(), o] };
        }
        /* BYLEX on the lex keys, where every score is 0 (lex order is only defined then). */
        o.bylex = true;
        if (r.chance(0.4)) o.limit = this.#limit();
        if (r.chance(0.03)) o.withscores = true; /* an error */
        return { cmd: "zrange", args: [r.pick(LEX_KEYS), this.#lexBound(), this.#lexBound(), o] };
      }
      case "zrangebyscore":
      case "zrevrangebyscore": {
        const o: Record<string, unknown> = {};
        if (r.chance(0.4)) o.withscores = true;
        if (r.chance(0.4)) o.limit = this.#limit();
        const args: unknown[] = [this.#keyFor("zset"), this.#bound(), this.#bound()];
        if (Object.keys(o).length > 0) args.push(o);
        return { cmd: name, args };
      }
      case "zpopmin":
      case "zpopmax": {
        const z = this.#keyFor("zset");
        return { cmd: name, args: r.chance(0.4) ? [z] : [z, r.chance(0.05) ? -1 : r.int(0, 4)] };
      }
      case "zrandmember": {
        const z = this.#keyFor("zset");
        const x = r.float();
        if (x < 0.3) return { cmd: "zrandmember", args: [z] };
        const count = r.pick(RANDOM_COUNTS);
        return {
          cmd: "zrandmember",
          args: x < 0.65 ? [z, count] : [z, count, { withscores: true }],
        };
      }
      case "zscanAll":
        return { cmd: "zscanAll", args: [this.#keyFor("zset"), this.#containerScanOptions()] };
      case "lexzadd": {
        const args: unknown[] = [];
        for (let i = 0, n = r.int(1, 3); i < n; i++) args.push(0, this.#member());
        return { cmd: "zadd", args: [r.pick(LEX_KEYS), ...args] };
      }
      case "lexzrem":
        return { cmd: "zrem", args: [r.pick(LEX_KEYS), this.#member()] };
      case "zlexcount":
        return { cmd: "zlexcount", args: [r.pick(LEX_KEYS), this.#lexBound(), this.#lexBound()] };

      /* ---- big containers: many elements at once, across the 128-element bound of
       * shmdict's packed encoding (and back down: the bulk removals) ---- */
      case "bulkhset": {
        const args: (string | Uint8Array)[] = [];
        for (let i = 0, n = r.int(20, 140); i < n; i++) args.push(this.#bigName(), this.#elem());
        return { cmd: "hset", args: [this.#keyFor("hash"), ...args] };
      }
      case "bulksadd":
      case "bulksrem":
      case "bulkhdel":
      case "bulkzrem": {
        const kind = name === "bulkhdel" ? "hash" : name === "bulkzrem" ? "zset" : "set";
        const cmd = name === "bulksadd" ? "sadd" : name.slice(4);
        const n = r.int(20, 140);
        return {
          cmd: cmd as Command,
          args: [this.#keyFor(kind), ...Array.from({ length: n }, () => this.#bigName())],
        };
      }
      case "bulkzadd": {
        const args: unknown[] = [];
        for (let i = 0, n = r.int(20, 140); i < n; i++) args.push(r.int(-5, 5), this.#bigName());
        return { cmd: "zadd", args: [this.#keyFor("zset"), ...args] };
      }
      case "bulkrpush":
        return {
          cmd: r.chance(0.5) ? "rpush" : "lpush",
          args: [
            this.#keyFor("list"),
            ...Array.from({ length: r.int(20, 140) }, () => this.#elem()),
          ],
        };

      /* ---- transactions ---- */
      case "multi": {
        const ops: Op[] = [];
        for (let i = 0, n = r.int(0, 5); i < n; i++) {
          let sub = this.#pick();
          while (NOT_IN_MULTI.has(sub)) sub = this.#pick();
          let op = this.#make(sub);
          /* A wrong number of arguments aborts a whole Redis batch (EXECABORT) when it is
           * queued; `multi()` reports it in its slot (by design, see transactions.ts). */
          while (op.cmd === "hset" && op.args.length % 2 === 0) op = this.#make(sub);
          ops.push(op);
        }
        return { cmd: "multi", args: ops };
      }

      default:
        throw new Error(`no generator for ${name}`);
    }
  }
}

/** Command → relative weight. */
const TABLE: readonly (readonly [string, number])[] = [
  ["set", 14],
  ["get", 10],
  ["getBytes", 2],
  ["del", 4],
  ["unlink", 1],
  ["exists", 3],
  ["incr", 3],
  ["decr", 1],
  ["incrby", 3],
  ["decrby", 2],
  ["incrbyfloat", 4],
  ["append", 4],
  ["setrange", 3],
  ["getrange", 4],
  ["strlen", 2],
  ["mset", 2],
  ["msetnx", 2],
  ["mget", 3],
  ["getdel", 2],
  ["getex", 4],
  ["expire", 3],
  ["pexpire", 2],
  ["expireat", 2],
  ["pexpireat", 2],
  ["persist", 2],
  ["ttl", 3],
  ["pttl", 2],
  ["expiretime", 1],
  ["pexpiretime", 1],
  ["rename", 2],
  ["renamenx", 2],
  ["copy", 2],
  ["type", 2],
  ["keys", 2],
  ["scanAll", 1],
  ["flushall", 0.02],
  /* hashes */
  ["hset", 8],
  ["hsetnx", 2],
  ["hget", 5],
  ["hmget", 2],
  ["hgetall", 3],
  ["hdel", 4],
  ["hexists", 2],
  ["hlen", 2],
  ["hkeys", 1],
  ["hvals", 1],
  ["hstrlen", 1],
  ["hincrby", 3],
  ["hincrbyfloat", 3],
  ["hrandfield", 2],
  ["hscanAll", 1],
  /* lists */
  ["lpush", 5],
  ["rpush", 5],
  ["lpushx", 1],
  ["rpushx", 1],
  ["lpop", 3],
  ["rpop", 3],
  ["llen", 2],
  ["lrange", 4],
  ["lindex", 2],
  ["lset", 2],
  ["linsert", 2],
  ["lrem", 2],
  ["ltrim", 2],
  ["lpos", 3],
  ["lmove", 3],
  ["blpop", 0.7],
  ["brpop", 0.7],
  ["blmove", 0.6],
  /* sets */
  ["sadd", 7],
  ["srem", 3],
  ["smembers", 3],
  ["sismember", 2],
  ["smismember", 2],
  ["scard", 2],
  ["spop", 1],
  ["srandmember", 2],
  ["smove", 2],
  ["sinter", 2],
  ["sunion", 2],
  ["sdiff", 2],
  ["sintercard", 2],
  ["sinterstore", 1.5],
  ["sunionstore", 1.5],
  ["sdiffstore", 1.5],
  ["sscanAll", 1],
  /* sorted sets */
  ["zadd", 8],
  ["zincrby", 3],
  ["zscore", 3],
  ["zmscore", 2],
  ["zrem", 3],
  ["zcard", 2],
  ["zcount", 3],
  ["zrank", 2],
  ["zrevrank", 2],
  ["zrange", 6],
  ["zrangebyscore", 3],
  ["zrevrangebyscore", 2],
  ["zremrangebyrank", 1.5],
  ["zremrangebyscore", 1.5],
  ["zpopmin", 2],
  ["zpopmax", 2],
  ["zrandmember", 2],
  ["zscanAll", 1],
  ["lexzadd", 3],
  ["lexzrem", 1],
  ["zlexcount", 2],
  /* big containers (shmdict's packed encoding ends at 128 elements) */
  ["bulkhset", 0.6],
  ["bulkhdel", 0.3],
  ["bulksadd", 0.6],
  ["bulksrem", 0.3],
  ["bulkzadd", 0.6],
  ["bulkzrem", 0.3],
  ["bulkrpush", 0.6],
  /* transactions */
  ["multi", 3],
];
const TOTAL_WEIGHT = TABLE.reduce((s, [, w]) => s + w, 0);

/* ---- applying and comparing ----------------------------------------------------------------- */

/** What a command produced: a reply, or an error's class and message. */
export type Outcome =
  | { ok: true; value: unknown }
  | { ok: false; error: string; message: string };

/** Runs one op on a view. */
export async function apply(db: View, op: Op): Promise<Outcome> {
  try {
    let value: unknown;
    const [a0, a1] = op.args;
    if (op.cmd === "scanAll") value = await scanAll(db, a0 as ScanOptions);
    else if (op.cmd === "hscanAll") value = await hscanAll(db, a0 as Key, a1 as ScanOpts);
    else if (op.cmd === "sscanAll") value = await sscanAll(db, a0 as Key, a1 as ScanOpts);
    else if (op.cmd === "zscanAll") value = await zscanAll(db, a0 as Key, a1 as ScanOpts);
    else if (op.cmd === "multi") {
      let m: MultiView = db.multi();
      for (const sub of op.args as Op[]) m = m[sub.cmd as Command](...sub.args);
      value = await m.exec();
    } else {
      const fn = db[op.cmd] as (...a: unknown[]) => Promise<unknown>;
      value = await fn.apply(db, op.args);
    }
    return { ok: true, value };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { ok: false, error: e.name, message: e.message };
  }
}

type ScanOpts = ContainerScanOptions;

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") {
    return a === b || (Number.isNaN(a) && Number.isNaN(b));
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  return a === b;
}

function setOf(v: unknown): string[] {
  return [...new Set(v as string[])].sort();
}

/** Compares a TTL-like reply: same kind (-2, -1, >= 0) and within `tolerance`. */
function sameTtl(a: unknown, b: unknown, tolerance: number): boolean {
  if (typeof a !== "number" || typeof b !== "number") return false;
  if (a < 0 || b < 0) return a === b;
  return Math.abs(a - b) <= tolerance;
}

/** Sorted `[a, b]` pairs (JSON text of each pair, so that bytes compare too). */
function pairSet(v: unknown): string[] {
  return [...new Set((v as unknown[][]).map((p) => JSON.stringify(p)))].sort();
}

/** A flat `[a, b, a, b, ...]` list as sorted pair texts (with repeats). */
function flatPairs(v: unknown): string[] {
  const a = v as unknown[];
  const out: string[] = [];
  for (let i = 0; i + 1 < a.length; i += 2) out.push(JSON.stringify([a[i], a[i + 1]]));
  return out.sort();
}

/**
 * HRANDFIELD / SRANDMEMBER / ZRANDMEMBER: the same shape and size; when a positive count
 * returns the whole container, the same elements.
 */
function sameRandom(op: Op, a: unknown, b: unknown): boolean {
  if (op.args.length === 1) {
    return (a === null && b === null) || (typeof a === "string" && typeof b === "string");
  }
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  const count = op.args[1] as number;
  const paired = op.args.length > 2 &&
    ((op.args[2] as Record<string, boolean>).withvalues ||
      (op.args[2] as Record<string, boolean>).withscores);
  const size = paired ? a.length / 2 : a.length;
  if (count > 0 && size < count) {
    return paired ? sameValue(flatPairs(a), flatPairs(b)) : sameValue([...a].sort(), [...b].sort());
  }
  return true;
}

/** Whether two outcomes of `op` agree (errors: by class). */
export function agree(op: Op, a: Outcome, b: Outcome): boolean {
  if (!a.ok || !b.ok) return !a.ok && !b.ok && a.error === b.error;
  switch (op.cmd) {
    case "multi": {
      const [x, y] = [a.value as unknown[], b.value as unknown[]];
      const subs = op.args as Op[];
      if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
      return subs.every((sub, i) => agree(sub, asOutcome(x[i]), asOutcome(y[i])));
    }
    case "smembers":
    case "sinter":
    case "sunion":
    case "sdiff":
    case "hkeys":
    case "hvals":
      return sameValue([...a.value as string[]].sort(), [...b.value as string[]].sort());
    case "spop":
      return Array.isArray(a.value) && Array.isArray(b.value)
        ? sameValue([...a.value].sort(), [...b.value].sort())
        : sameValue(a.value, b.value);
    case "hgetall":
      return sameValue(
        Object.entries(a.value as object).map((e) => JSON.stringify(e)).sort(),
        Object.entries(b.value as object).map((e) => JSON.stringify(e)).sort(),
      );
    case "hscanAll":
    case "zscanAll":
      return sameValue(pairSet(a.value), pairSet(b.value));
    case "sscanAll":
      return sameValue(setOf(a.value), setOf(b.value));
    case "hrandfield":
    case "srandmember":
    case "zrandmember":
      return sameRandom(op, a.value, b.value);
    case "keys":
    case "scanAll":
      return sameValue(setOf(a.value), setOf(b.value));
    case "ttl":
    case "expiretime":
      return sameTtl(a.value, b.value, 1);
    case "pttl":
    case "pexpiretime":
      return sameTtl(a.value, b.value, 1000);
    default:
      return sameValue(a.value, b.value);
  }
}

/** A MULTI slot as an outcome: an `Error` is a failed command. */
function asOutcome(v: unknown): Outcome {
  return v instanceof Error
    ? { ok: false, error: v.name, message: v.message }
    : { ok: true, value: v };
}

/* ---- printing ----------------------------------------------------------------------------- */

function showValue(v: unknown): string {
  if (v instanceof Uint8Array) return `bytes(${[...v].join(",")})`;
  if (v instanceof Error) return `${v.name}(${JSON.stringify(v.message)})`;
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (Array.isArray(v)) return `[${v.map(showValue).join(", ")}]`;
  if (typeof v === "object" && v !== null) {
    return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${showValue(x)}`).join(", ")} }`;
  }
  return JSON.stringify(v) ?? String(v);
}

/** `set("k1", "abc", { nx: true })`; a batch as `multi().set(...).incr(...).exec()`. */
export function showOp(op: Op): string {
  if (op.cmd === "multi") {
    return `multi()${(op.args as Op[]).map((o) => `.${showOp(o)}`).join("")}.exec()`;
  }
  return `${op.cmd}(${op.args.map(showValue).join(", ")})`;
}

/** A reply or an error, for printing. */
export function showOutcome(o: Outcome): string {
  if (!o.ok) return `${o.error}: ${o.message}`;
  const s = showValue(o.value);
  return s.length > 400 ? `${s.slice(0, 400)}… (${s.length} chars)` : s;
}

/* ---- the run ------------------------------------------------------------------------------ */

/** Settings of {@link differential}. */
export interface DifferentialOptions {
  /** The seed of the stream. */
  seed: number;
  /** How many commands. */
  commands: number;
  /** Where to print (default `console.log`). */
  log?: (line: string) => void;
  /** Stop after this many divergences (default 1); after each one both views are flushed. */
  maxDivergences?: number;
}

/** A command on which the two views disagreed. */
export interface Divergence {
  /** Its index in the stream (0-based). */
  index: number;
  /** The command. */
  op: Op;
  /** What the first view replied. */
  a: Outcome;
  /** What the second view replied. */
  b: Outcome;
  /** A shorter sequence ending in a divergence, if the reduction reproduced one. */
  reduced: Op[] | null;
}

/** What {@link differential} found. */
export interface DifferentialResult {
  /** Commands applied to both views. */
  commands: number;
  /** Wall time in ms (not counting the time spent explaining divergences). */
  ms: number;
  /** The first divergence, or `null`. */
  divergence: Divergence | null;
  /** Every divergence found (at most `maxDivergences`). */
  divergences: Divergence[];
  /** Errors of the same class worded differently: `"cmd: a | b"` → count. */
  wording: Map<string, number>;
  /** Commands by name. */
  counts: Map<string, number>;
}

/** Commands that change no key (reads may expire keys in Redis, which no reply can see). */
const READ_ONLY = new Set<string>([
  "get",
  "getBytes",
  "mget",
  "getrange",
  "strlen",
  "exists",
  "type",
  "ttl",
  "pttl",
  "expiretime",
  "pexpiretime",
  "keys",
  "scanAll",
  "hget",
  "hmget",
  "hgetall",
  "hexists",
  "hlen",
  "hkeys",
  "hvals",
  "hstrlen",
  "hrandfield",
  "hscanAll",
  "llen",
  "lrange",
  "lindex",
  "lpos",
  "smembers",
  "sismember",
  "smismember",
  "scard",
  "srandmember",
  "sinter",
  "sunion",
  "sdiff",
  "sintercard",
  "sscanAll",
  "zscore",
  "zmscore",
  "zcard",
  "zcount",
  "zlexcount",
  "zrank",
  "zrevrank",
  "zrange",
  "zrangebyscore",
  "zrevrangebyscore",
  "zrandmember",
  "zscanAll",
]);

type AnyKey = string | Uint8Array;

function keysOf(op: Op): AnyKey[] | "all" | null {
  switch (op.cmd) {
    case "multi": {
      const all: AnyKey[] = [];
      for (const sub of op.args as Op[]) {
        const ks = keysOf(sub);
        if (ks === null || ks === "all") return ks;
        all.push(...ks);
      }
      return all;
    }
    case "smove":
    case "lmove":
    case "blmove":
      return [op.args[0] as AnyKey, op.args[1] as AnyKey];
    case "sinter":
    case "sunion":
    case "sdiff":
    case "sinterstore":
    case "sunionstore":
    case "sdiffstore":
      return op.args as AnyKey[];
    case "sintercard":
      return op.args[0] as AnyKey[];
    case "blpop":
    case "brpop":
      return op.args.slice(0, -1) as AnyKey[];
    case "flushall":
      return "all";
    case "keys":
    case "scanAll":
      return null;
    case "mset":
    case "msetnx":
      return (op.args[0] as [AnyKey, unknown][]).map(([k]) => k);
    case "del":
    case "unlink":
    case "exists":
    case "mget":
      return op.args as AnyKey[];
    case "rename":
    case "renamenx":
    case "copy":
      return [op.args[0] as AnyKey, op.args[1] as AnyKey];
    default:
      return [op.args[0] as AnyKey];
  }
}

/** The earlier ops that touched the keys of `ops[last]` (transitively), and it. */
export function reduce(ops: readonly Op[], last: number): Op[] {
  const first = keysOf(ops[last]);
  /* KEYS / SCAN depend on every key: keep every write. */
  const everything = first === null;
  /* (The binary key is one shared Uint8Array, so identity is enough here.) */
  const relevant = new Set<AnyKey>(first === "all" || first === null ? [] : first);
  const out: Op[] = [ops[last]];
  for (let i = last - 1; i >= 0; i--) {
    const ks = keysOf(ops[i]);
    if (ks === "all") break; /* everything before a FLUSHALL is irrelevant */
    if (ks === null || READ_ONLY.has(ops[i].cmd)) continue;
    if (everything || ks.some((k) => relevant.has(k))) {
      for (const k of ks) relevant.add(k);
      out.push(ops[i]);
    }
  }
  return out.reverse();
}

/** Replays `ops` on both views from empty; the first divergence, or `null`. */
async function replay(
  a: View,
  b: View,
  ops: readonly Op[],
): Promise<{ at: number; x: Outcome; y: Outcome } | null> {
  await a.flushall();
  await b.flushall();
  for (let i = 0; i < ops.length; i++) {
    const x = await apply(a, ops[i]);
    const y = await apply(b, ops[i]);
    if (!agree(ops[i], x, y)) return { at: i, x, y };
  }
  return null;
}

/**
 * Applies `commands` random commands to both views (after FLUSHALL) and compares every reply.
 *
 * @param a the first view (shmdict)
 * @param b the second view (Redis)
 * @param options seed, count, output
 * @returns what happened; `divergence` is non-null on a mismatch
 */
export async function differential(
  a: View,
  b: View,
  options: DifferentialOptions,
): Promise<DifferentialResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const start = performance.now();
  const gen = new Generator(options.seed, Date.now());
  const ops: Op[] = [];
  const wording = new Map<string, number>();
  const counts = new Map<string, number>();
  await a.flushall();
  await b.flushall();
  const max = options.maxDivergences ?? 1;
  const divergences: Divergence[] = [];
  let explaining = 0;
  let i = 0;
  while (i < options.commands && divergences.length < max) {
    const op = gen.next();
    ops.push(op);
    counts.set(op.cmd, (counts.get(op.cmd) ?? 0) + 1);
    const x = await apply(a, op);
    const y = await apply(b, op);
    i++;
    if (!agree(op, x, y)) {
      const d: Divergence = { index: i - 1, op, a: x, b: y, reduced: null };
      divergences.push(d);
      const t0 = performance.now();
      await explain(a, b, ops, d, options.seed, log);
      explaining += performance.now() - t0;
      /* Start again from two empty databases. */
      await a.flushall();
      await b.flushall();
      ops.push({ cmd: "flushall", args: [] });
      continue;
    }
    if (!x.ok && !y.ok && x.message !== y.message) {
      const key = `${op.cmd}: ${a.server} "${x.message}" | ${b.server} "${y.message}"`;
      wording.set(key, (wording.get(key) ?? 0) + 1);
    }
  }
  const ms = performance.now() - start - explaining;
  return { commands: i, ms, divergence: divergences[0] ?? null, divergences, wording, counts };
}

/**
 * Makes a diverging sequence shorter: drops chunks of commands (halves, quarters, ... single
 * commands) as long as the rest still diverges somewhere, within a budget of replays.
 */
async function shrink(a: View, b: View, ops: Op[], budget = 400): Promise<Op[]> {
  /* The last command (the one that diverged) stays; a shorter sequence counts only if it
   * diverges there and nowhere before, so that it shows the same difference. */
  const stillFails = async (seq: Op[]): Promise<boolean> => {
    const r = await replay(a, b, seq);
    return r !== null && r.at === seq.length - 1;
  };
  let cur = ops;
  if (!(await stillFails(cur))) return cur;
  let chunk = Math.max(1, (cur.length - 1) >> 1);
  while (budget > 0 && cur.length > 1) {
    let removed = false;
    for (let start = 0; start < cur.length - 1 && budget > 0; start += chunk) {
      const end = Math.min(start + chunk, cur.length - 1);
      const next = [...cur.slice(0, start), ...cur.slice(end)];
      budget--;
      if (await stillFails(next)) {
        cur = next;
        removed = true;
        start -= chunk;
      }
    }
    if (chunk === 1 && !removed) break;
    if (!removed) chunk = Math.max(1, chunk >> 1);
  }
  return cur;
}

/** Prints a divergence and tries to reproduce it with the commands on its keys only. */
async function explain(
  a: View,
  b: View,
  ops: readonly Op[],
  d: Divergence,
  seed: number,
  log: (line: string) => void,
): Promise<void> {
  log(`DIVERGENCE (seed ${seed}) at command #${d.index}:`);
  log(`  ${showOp(d.op)}`);
  log(`  ${a.server}: ${showOutcome(d.a)}`);
  log(`  ${b.server}: ${showOutcome(d.b)}`);
  const candidate = await shrink(a, b, reduce(ops, ops.length - 1));
  const r = await replay(a, b, candidate);
  if (r !== null) {
    d.reduced = candidate.slice(0, r.at + 1);
    log(`  reproduced from empty databases by these ${r.at + 1} commands:`);
    for (const op of d.reduced) log(`    ${showOp(op)}`);
    log(`  → ${a.server}: ${showOutcome(r.x)}`);
    log(`  → ${b.server}: ${showOutcome(r.y)}`);
  } else {
    log(`  (the ${candidate.length} commands on the same keys did not reproduce it alone)`);
  }
}
