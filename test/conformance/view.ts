/**
 * The async "view" of the `Dict` API that the conformance suite is written against, and its
 * two implementations:
 *
 * - {@link DictView}: a shmdict `Dict` (each method awaits the synchronous call, so a thrown
 *   error becomes a rejection);
 * - {@link RedisView}: a real `redis-server` reached through ioredis, with a thin adapter that
 *   turns our arguments into Redis tokens (`{ ex: 60, nx: true }` → `EX 60 NX`) and Redis's
 *   replies into our types (integers as numbers, `"OK"`, `null`, INCRBYFLOAT as a number, SCAN
 *   as `[cursor, keys]`, bulk strings decoded as UTF-8 exactly as `Dict` decodes them) and
 *   Redis's error replies into our error classes, by their message.
 *
 * Every method has the argument and result types of the `Dict` method of the same name: the
 * compile-time check {@link SAME_AS_DICT} covers every command of the interface. `multi()`
 * returns a {@link MultiView}, whose `exec()` resolves to what `Dict`'s `exec()` returns (each
 * reply, or the command's `Error` in its slot); in Redis it is MULTI ... EXEC on the view's
 * connection. `other()` opens a second client of the same database (blocking pops woken by
 * another client's push). When `Dict` gains commands, add them to {@link View} and to both
 * classes.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { Redis } from "ioredis";
import {
  type ContainerScanOptions,
  type CopyOptions,
  type Dict,
  DictError,
  type ExpireOptions,
  type GetExOptions,
  type HRandFieldOptions,
  type HSetArgs,
  InvalidArgumentError,
  type Key,
  type KeyType,
  type ListEnd,
  type LPosOptions,
  NoSuchKeyError,
  NotFloatError,
  NotIntegerError,
  OverflowError,
  type ScanOptions,
  type Score,
  type ScoreBound,
  type SetOptions,
  type SInterCardOptions,
  type Value,
  WrongTypeError,
  type ZAddArgs,
  type ZAddOptions,
  type ZRandMemberOptions,
  type ZRangeByScoreOptions,
  type ZRangeOptions,
  type ZRankOptions,
} from "../../lib/mod.ts";

/** The entries argument of MSET / MSETNX, as `Dict` takes it. */
export type Entries = Record<string, Value> | Iterable<readonly [Key, Value]>;

/** Which server a view talks to. */
export type ServerKind = "shmdict" | "redis";

/** Where LINSERT puts the element. */
export type ListPosition = "BEFORE" | "AFTER";
/** The arguments of BLPOP / BRPOP: keys, then the timeout in seconds (0 = forever). */
export type BlockingPopArgs = [...keys: Key[], timeout: number];

/**
 * The commands of `Dict`, each returning a Promise of what `Dict` returns. Errors are the
 * classes of `lib/errors.ts` in both implementations.
 */
export interface View {
  /** Which server this view talks to (for labels only: the suite must not branch on it). */
  readonly server: ServerKind;

  /* ---- strings ---- */
  /** GET, decoded as UTF-8. */
  get(key: Key): Promise<string | null>;
  /** GET, as bytes. */
  getBytes(key: Key): Promise<Uint8Array | null>;
  /** SET ... GET: the old value. */
  set(key: Key, value: Value, opts: SetOptions & { get: true }): Promise<string | null>;
  /** SET: `"OK"`, or `null` when NX/XX prevented the write. */
  set(key: Key, value: Value, opts?: SetOptions & { get?: false }): Promise<"OK" | null>;
  /** SET with any options. */
  set(key: Key, value: Value, opts?: SetOptions): Promise<string | null>;
  /** MGET. */
  mget(...keys: Key[]): Promise<(string | null)[]>;
  /** MSET. */
  mset(entries: Entries): Promise<"OK">;
  /** MSETNX. */
  msetnx(entries: Entries): Promise<number>;
  /** GETDEL. */
  getdel(key: Key): Promise<string | null>;
  /** GETEX. */
  getex(key: Key, opts?: GetExOptions): Promise<string | null>;
  /** GETRANGE. */
  getrange(key: Key, start: number, end: number): Promise<string>;
  /** SETRANGE. */
  setrange(key: Key, offset: number, value: Value): Promise<number>;
  /** APPEND. */
  append(key: Key, value: Value): Promise<number>;
  /** STRLEN. */
  strlen(key: Key): Promise<number>;
  /** INCR. */
  incr(key: Key): Promise<number>;
  /** DECR. */
  decr(key: Key): Promise<number>;
  /** INCRBY. */
  incrby(key: Key, increment: number): Promise<number>;
  /** DECRBY. */
  decrby(key: Key, decrement: number): Promise<number>;
  /** INCRBYFLOAT. */
  incrbyfloat(key: Key, increment: number): Promise<number>;

  /* ---- keys ---- */
  /** DEL. */
  del(...keys: Key[]): Promise<number>;
  /** UNLINK. */
  unlink(...keys: Key[]): Promise<number>;
  /** EXISTS. */
  exists(...keys: Key[]): Promise<number>;
  /** TYPE. */
  type(key: Key): Promise<KeyType | "none">;
  /** RENAME. */
  rename(src: Key, dst: Key): Promise<"OK">;
  /** RENAMENX. */
  renamenx(src: Key, dst: Key): Promise<number>;
  /** COPY. */
  copy(src: Key, dst: Key, opts?: CopyOptions): Promise<number>;
  /** EXPIRE. */
  expire(key: Key, seconds: number, opts?: ExpireOptions): Promise<number>;
  /** PEXPIRE. */
  pexpire(key: Key, ms: number, opts?: ExpireOptions): Promise<number>;
  /** EXPIREAT. */
  expireat(key: Key, unixSeconds: number, opts?: ExpireOptions): Promise<number>;
  /** PEXPIREAT. */
  pexpireat(key: Key, unixMs: number, opts?: ExpireOptions): Promise<number>;
  /** TTL. */
  ttl(key: Key): Promise<number>;
  /** PTTL. */
  pttl(key: Key): Promise<number>;
  /** EXPIRETIME. */
  expiretime(key: Key): Promise<number>;
  /** PEXPIRETIME. */
  pexpiretime(key: Key): Promise<number>;
  /** PERSIST. */
  persist(key: Key): Promise<number>;
  /** KEYS. */
  keys(pattern: string): Promise<string[]>;
  /** SCAN: `[nextCursor, keys]`. */
  scan(cursor: number | string, opts?: ScanOptions): Promise<[string, string[]]>;
  /** DBSIZE. */
  dbsize(): Promise<number>;
  /** FLUSHALL. */
  flushall(): Promise<"OK">;

  /* ---- hashes ---- */
  /** HSET: fields added. */
  hset(key: Key, ...args: HSetArgs): Promise<number>;
  /** HSETNX. */
  hsetnx(key: Key, field: Value, value: Value): Promise<number>;
  /** HGET. */
  hget(key: Key, field: Value): Promise<string | null>;
  /** HMGET. */
  hmget(key: Key, ...fields: Value[]): Promise<(string | null)[]>;
  /** HGETALL: an object of field → value. */
  hgetall(key: Key): Promise<Record<string, string>>;
  /** HDEL. */
  hdel(key: Key, ...fields: Value[]): Promise<number>;
  /** HEXISTS. */
  hexists(key: Key, field: Value): Promise<number>;
  /** HLEN. */
  hlen(key: Key): Promise<number>;
  /** HKEYS. */
  hkeys(key: Key): Promise<string[]>;
  /** HVALS. */
  hvals(key: Key): Promise<string[]>;
  /** HSTRLEN. */
  hstrlen(key: Key, field: Value): Promise<number>;
  /** HINCRBY. */
  hincrby(key: Key, field: Value, increment: number): Promise<number>;
  /** HINCRBYFLOAT. */
  hincrbyfloat(key: Key, field: Value, increment: number): Promise<number>;
  /** HRANDFIELD: one field, or null. */
  hrandfield(key: Key): Promise<string | null>;
  /** HRANDFIELD count [WITHVALUES]: fields (field, value, ... with values). */
  hrandfield(key: Key, count: number, opts?: HRandFieldOptions): Promise<string[]>;
  /** HRANDFIELD, any form. */
  hrandfield(
    key: Key,
    count?: number,
    opts?: HRandFieldOptions,
  ): Promise<string | null | string[]>;
  /** HSCAN: `[nextCursor, [field, value, field, value, ...]]`. */
  hscan(
    key: Key,
    cursor: number | string,
    opts?: ContainerScanOptions,
  ): Promise<[string, string[]]>;

  /* ---- lists ---- */
  /** LPUSH. */
  lpush(key: Key, ...elements: Value[]): Promise<number>;
  /** RPUSH. */
  rpush(key: Key, ...elements: Value[]): Promise<number>;
  /** LPUSHX. */
  lpushx(key: Key, ...elements: Value[]): Promise<number>;
  /** RPUSHX. */
  rpushx(key: Key, ...elements: Value[]): Promise<number>;
  /** LPOP. */
  lpop(key: Key): Promise<string | null>;
  /** LPOP count. */
  lpop(key: Key, count: number): Promise<string[] | null>;
  /** LPOP, any form. */
  lpop(key: Key, count?: number): Promise<string | string[] | null>;
  /** RPOP. */
  rpop(key: Key): Promise<string | null>;
  /** RPOP count. */
  rpop(key: Key, count: number): Promise<string[] | null>;
  /** RPOP, any form. */
  rpop(key: Key, count?: number): Promise<string | string[] | null>;
  /** LLEN. */
  llen(key: Key): Promise<number>;
  /** LRANGE. */
  lrange(key: Key, start: number, stop: number): Promise<string[]>;
  /** LINDEX. */
  lindex(key: Key, index: number): Promise<string | null>;
  /** LSET. */
  lset(key: Key, index: number, element: Value): Promise<"OK">;
  /** LINSERT: the new length, -1 without the pivot, 0 on a missing key. */
  linsert(key: Key, where: ListPosition, pivot: Value, element: Value): Promise<number>;
  /** LREM. */
  lrem(key: Key, count: number, element: Value): Promise<number>;
  /** LTRIM. */
  ltrim(key: Key, start: number, stop: number): Promise<"OK">;
  /** LPOS: the first position, or `null`. */
  lpos(
    key: Key,
    element: Value,
    opts?: LPosOptions & { count?: undefined },
  ): Promise<number | null>;
  /** LPOS COUNT: a list of positions. */
  lpos(key: Key, element: Value, opts: LPosOptions & { count: number }): Promise<number[]>;
  /** LPOS, any form. */
  lpos(key: Key, element: Value, opts?: LPosOptions): Promise<number | number[] | null>;
  /** LMOVE. */
  lmove(src: Key, dst: Key, from: ListEnd, to: ListEnd): Promise<string | null>;
  /** BLPOP keys... timeout: `[key, element]`, or `null` after the timeout (0 = forever). */
  blpop(...keysAndTimeout: BlockingPopArgs): Promise<[string, string] | null>;
  /** BRPOP. */
  brpop(...keysAndTimeout: BlockingPopArgs): Promise<[string, string] | null>;
  /** BLMOVE. */
  blmove(
    src: Key,
    dst: Key,
    from: ListEnd,
    to: ListEnd,
    timeout: number,
  ): Promise<string | null>;

  /* ---- sets ---- */
  /** SADD. */
  sadd(key: Key, ...members: Value[]): Promise<number>;
  /** SREM. */
  srem(key: Key, ...members: Value[]): Promise<number>;
  /** SMEMBERS (order unspecified). */
  smembers(key: Key): Promise<string[]>;
  /** SISMEMBER. */
  sismember(key: Key, member: Value): Promise<number>;
  /** SMISMEMBER. */
  smismember(key: Key, ...members: Value[]): Promise<number[]>;
  /** SCARD. */
  scard(key: Key): Promise<number>;
  /** SPOP: one member. */
  spop(key: Key): Promise<string | null>;
  /** SPOP count. */
  spop(key: Key, count: number): Promise<string[]>;
  /** SPOP, any form. */
  spop(key: Key, count?: number): Promise<string | string[] | null>;
  /** SRANDMEMBER: one member. */
  srandmember(key: Key): Promise<string | null>;
  /** SRANDMEMBER count. */
  srandmember(key: Key, count: number): Promise<string[]>;
  /** SRANDMEMBER, any form. */
  srandmember(key: Key, count?: number): Promise<string | string[] | null>;
  /** SMOVE. */
  smove(src: Key, dst: Key, member: Value): Promise<number>;
  /** SINTER. */
  sinter(...keys: Key[]): Promise<string[]>;
  /** SUNION. */
  sunion(...keys: Key[]): Promise<string[]>;
  /** SDIFF. */
  sdiff(...keys: Key[]): Promise<string[]>;
  /** SINTERCARD. */
  sintercard(keys: Key[], opts?: SInterCardOptions): Promise<number>;
  /** SINTERSTORE. */
  sinterstore(dst: Key, ...keys: Key[]): Promise<number>;
  /** SUNIONSTORE. */
  sunionstore(dst: Key, ...keys: Key[]): Promise<number>;
  /** SDIFFSTORE. */
  sdiffstore(dst: Key, ...keys: Key[]): Promise<number>;
  /** SSCAN: `[nextCursor, members]`. */
  sscan(
    key: Key,
    cursor: number | string,
    opts?: ContainerScanOptions,
  ): Promise<[string, string[]]>;

  /* ---- sorted sets ---- */
  /** ZADD INCR: the new score, or `null` when a condition blocked it. */
  zadd(
    key: Key,
    ...args: [opts: ZAddOptions & { incr: true }, score: Score, member: Value]
  ): Promise<number | null>;
  /** ZADD: added (or changed, with CH) members. */
  zadd(key: Key, ...args: ZAddArgs): Promise<number>;
  /** ZADD, any form. */
  zadd(key: Key, ...args: ZAddArgs): Promise<number | null>;
  /** ZINCRBY. */
  zincrby(key: Key, increment: Score, member: Value): Promise<number>;
  /** ZSCORE. */
  zscore(key: Key, member: Value): Promise<number | null>;
  /** ZMSCORE. */
  zmscore(key: Key, ...members: Value[]): Promise<(number | null)[]>;
  /** ZREM. */
  zrem(key: Key, ...members: Value[]): Promise<number>;
  /** ZCARD. */
  zcard(key: Key): Promise<number>;
  /** ZCOUNT. */
  zcount(key: Key, min: ScoreBound, max: ScoreBound): Promise<number>;
  /** ZLEXCOUNT. */
  zlexcount(key: Key, min: Value, max: Value): Promise<number>;
  /** ZRANK (WITHSCORE needs Redis 7.2: `[rank, score]`). */
  zrank(key: Key, member: Value, opts?: ZRankOptions): Promise<number | [number, number] | null>;
  /** ZREVRANK. */
  zrevrank(
    key: Key,
    member: Value,
    opts?: ZRankOptions,
  ): Promise<number | [number, number] | null>;
  /** ZRANGE WITHSCORES: member, score, member, score, .... */
  zrange(
    key: Key,
    start: ScoreBound,
    stop: ScoreBound,
    opts: ZRangeOptions & { withscores: true },
  ): Promise<(string | number)[]>;
  /** ZRANGE: members. */
  zrange(
    key: Key,
    start: ScoreBound,
    stop: ScoreBound,
    opts?: ZRangeOptions & { withscores?: false },
  ): Promise<string[]>;
  /** ZRANGE, any form. */
  zrange(
    key: Key,
    start: ScoreBound,
    stop: ScoreBound,
    opts?: ZRangeOptions,
  ): Promise<(string | number)[]>;
  /** ZRANGEBYSCORE WITHSCORES. */
  zrangebyscore(
    key: Key,
    min: ScoreBound,
    max: ScoreBound,
    opts: ZRangeByScoreOptions & { withscores: true },
  ): Promise<(string | number)[]>;
  /** ZRANGEBYSCORE. */
  zrangebyscore(
    key: Key,
    min: ScoreBound,
    max: ScoreBound,
    opts?: ZRangeByScoreOptions & { withscores?: false },
  ): Promise<string[]>;
  /** ZRANGEBYSCORE, any form. */
  zrangebyscore(
    key: Key,
    min: ScoreBound,
    max: ScoreBound,
    opts?: ZRangeByScoreOptions,
  ): Promise<(string | number)[]>;
  /** ZREVRANGEBYSCORE WITHSCORES. */
  zrevrangebyscore(
    key: Key,
    max: ScoreBound,
    min: ScoreBound,
    opts: ZRangeByScoreOptions & { withscores: true },
  ): Promise<(string | number)[]>;
  /** ZREVRANGEBYSCORE. */
  zrevrangebyscore(
    key: Key,
    max: ScoreBound,
    min: ScoreBound,
    opts?: ZRangeByScoreOptions & { withscores?: false },
  ): Promise<string[]>;
  /** ZREVRANGEBYSCORE, any form. */
  zrevrangebyscore(
    key: Key,
    max: ScoreBound,
    min: ScoreBound,
    opts?: ZRangeByScoreOptions,
  ): Promise<(string | number)[]>;
  /** ZREMRANGEBYRANK. */
  zremrangebyrank(key: Key, start: number, stop: number): Promise<number>;
  /** ZREMRANGEBYSCORE. */
  zremrangebyscore(key: Key, min: ScoreBound, max: ScoreBound): Promise<number>;
  /** ZPOPMIN: member, score, ... (one pair without a count). */
  zpopmin(key: Key, count?: number): Promise<(string | number)[]>;
  /** ZPOPMAX. */
  zpopmax(key: Key, count?: number): Promise<(string | number)[]>;
  /** ZRANDMEMBER: one member. */
  zrandmember(key: Key): Promise<string | null>;
  /** ZRANDMEMBER count WITHSCORES: member, score, .... */
  zrandmember(
    key: Key,
    count: number,
    opts: ZRandMemberOptions & { withscores: true },
  ): Promise<(string | number)[]>;
  /** ZRANDMEMBER count. */
  zrandmember(
    key: Key,
    count: number,
    opts?: ZRandMemberOptions & { withscores?: false },
  ): Promise<string[]>;
  /** ZRANDMEMBER, any form. */
  zrandmember(
    key: Key,
    count?: number,
    opts?: ZRandMemberOptions,
  ): Promise<string | null | (string | number)[]>;
  /** ZSCAN: `[nextCursor, [member, score, member, score, ...]]`. */
  zscan(
    key: Key,
    cursor: number | string,
    opts?: ContainerScanOptions,
  ): Promise<[string, (string | number)[]]>;

  /* ---- transactions ---- */
  /**
   * MULTI: a chainable batch; its `exec()` applies the commands atomically and resolves to
   * their replies in order, a failed command's slot holding its error (an `Error`).
   */
  multi(): MultiView;

  /** Another client of the same database (a second connection or handle), to be closed. */
  other(): Promise<View>;

  /** Releases the connection or handle (not a command). */
  close(): Promise<void>;
}

/* ---- compile-time check: every command has Dict's argument and result types ---- */

/** The command names of {@link View}. */
export type Command = Exclude<keyof View, "server" | "close" | "multi" | "other">;

/** A MULTI batch: every command queues itself and returns the batch; `exec()` runs them. */
export type MultiView =
  & { [K in Command]: (...args: unknown[]) => MultiView }
  & {
    /** Runs the batch: each command's reply, or its error (an `Error`) in its slot. */
    exec(): Promise<unknown[]>;
  };

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type AnyFn = (...args: never[]) => unknown;
/* For an overloaded method, Parameters/ReturnType see the last overload: the "any form"
 * signature, which both declare last. */
type Matches<K extends Command> = K extends keyof Dict
  ? Dict[K] extends AnyFn
    ? Same<Parameters<View[K]>, Parameters<Dict[K]>> extends true
      ? Same<Awaited<ReturnType<View[K]>>, Awaited<ReturnType<Dict[K]>>>
    : false
  : false
  : false;

/** `true` for every command whose signature matches `Dict`'s (a type error otherwise). */
export const SAME_AS_DICT: { [K in Command]: Matches<K> } = {} as { [K in Command]: true };

/* ---- (1) shmdict ------------------------------------------------------------------------ */

/** The view over a shmdict `Dict`. */
export class DictView implements View {
  /** Always `"shmdict"`. */
  readonly server = "shmdict" as const;
  /** The wrapped dictionary. */
  readonly db: Dict;
  #onClose: (() => void) | undefined;
  #reopen: (() => Dict) | undefined;

  /**
   * @param db the dictionary to wrap
   * @param onClose called by {@link DictView.close} (e.g. to close and drop it)
   * @param reopen opens another handle on the same dictionary (for {@link DictView.other})
   */
  constructor(db: Dict, onClose?: () => void, reopen?: () => Dict) {
    this.db = db;
    this.#onClose = onClose;
    this.#reopen = reopen;
  }

  /** GET. */
  async get(key: Key): Promise<string | null> {
    return await this.db.get(key);
  }
  /** GET as bytes. */
  async getBytes(key: Key): Promise<Uint8Array | null> {
    return await this.db.getBytes(key);
  }
  /** SET ... GET. */
  set(key: Key, value: Value, opts: SetOptions & { get: true }): Promise<string | null>;
  /** SET. */
  set(key: Key, value: Value, opts?: SetOptions & { get?: false }): Promise<"OK" | null>;
  /** SET with any options. */
  set(key: Key, value: Value, opts?: SetOptions): Promise<string | null>;
  async set(key: Key, value: Value, opts?: SetOptions): Promise<string | null> {
    return await this.db.set(key, value, opts);
  }
  /** MGET. */
  async mget(...keys: Key[]): Promise<(string | null)[]> {
    return await this.db.mget(...keys);
  }
  /** MSET. */
  async mset(entries: Entries): Promise<"OK"> {
    return await this.db.mset(entries);
  }
  /** MSETNX. */
  async msetnx(entries: Entries): Promise<number> {
    return await this.db.msetnx(entries);
  }
  /** GETDEL. */
  async getdel(key: Key): Promise<string | null> {
    return await this.db.getdel(key);
  }
  /** GETEX. */
  async getex(key: Key, opts?: GetExOptions): Promise<string | null> {
    return await this.db.getex(key, opts);
  }
  /** GETRANGE. */
  async getrange(key: Key, start: number, end: number): Promise<string> {
    return await this.db.getrange(key, start, end);
  }
  /** SETRANGE. */
  async setrange(key: Key, offset: number, value: Value): Promise<number> {
    return await this.db.setrange(key, offset, value);
  }
  /** APPEND. */
  async append(key: Key, value: Value): Promise<number> {
    return await this.db.append(key, value);
  }
  /** STRLEN. */
  async strlen(key: Key): Promise<number> {
    return await this.db.strlen(key);
  }
  /** INCR. */
  async incr(key: Key): Promise<number> {
    return await this.db.incr(key);
  }
  /** DECR. */
  async decr(key: Key): Promise<number> {
    return await this.db.decr(key);
  }
  /** INCRBY. */
  async incrby(key: Key, increment: number): Promise<number> {
    return await this.db.incrby(key, increment);
  }
  /** DECRBY. */
  async decrby(key: Key, decrement: number): Promise<number> {
    return await this.db.decrby(key, decrement);
  }
  /** INCRBYFLOAT. */
  async incrbyfloat(key: Key, increment: number): Promise<number> {
    return await this.db.incrbyfloat(key, increment);
  }
  /** DEL. */
  async del(...keys: Key[]): Promise<number> {
    return await this.db.del(...keys);
  }
  /** UNLINK. */
  async unlink(...keys: Key[]): Promise<number> {
    return await this.db.unlink(...keys);
  }
  /** EXISTS. */
  async exists(...keys: Key[]): Promise<number> {
    return await this.db.exists(...keys);
  }
  /** TYPE. */
  async type(key: Key): Promise<KeyType | "none"> {
    return await this.db.type(key);
  }
  /** RENAME. */
  async rename(src: Key, dst: Key): Promise<"OK"> {
    return await this.db.rename(src, dst);
  }
  /** RENAMENX. */
  async renamenx(src: Key, dst: Key): Promise<number> {
    return await this.db.renamenx(src, dst);
  }
  /** COPY. */
  async copy(src: Key, dst: Key, opts?: CopyOptions): Promise<number> {
    return await this.db.copy(src, dst, opts);
  }
  /** EXPIRE. */
  async expire(key: Key, seconds: number, opts?: ExpireOptions): Promise<number> {
    return await this.db.expire(key, seconds, opts);
  }
  /** PEXPIRE. */
  async pexpire(key: Key, ms: number, opts?: ExpireOptions): Promise<number> {
    return await this.db.pexpire(key, ms, opts);
  }
  /** EXPIREAT. */
  async expireat(key: Key, unixSeconds: number, opts?: ExpireOptions): Promise<number> {
    return await this.db.expireat(key, unixSeconds, opts);
  }
  /** PEXPIREAT. */
  async pexpireat(key: Key, unixMs: number, opts?: ExpireOptions): Promise<number> {
    return await this.db.pexpireat(key, unixMs, opts);
  }
  /** TTL. */
  async ttl(key: Key): Promise<number> {
    return await this.db.ttl(key);
  }
  /** PTTL. */
  async pttl(key: Key): Promise<number> {
    return await this.db.pttl(key);
  }
  /** EXPIRETIME. */
  async expiretime(key: Key): Promise<number> {
    return await this.db.expiretime(key);
  }
  /** PEXPIRETIME. */
  async pexpiretime(key: Key): Promise<number> {
    return await this.db.pexpiretime(key);
  }
  /** PERSIST. */
  async persist(key: Key): Promise<number> {
    return await this.db.persist(key);
  }
  /** KEYS. */
  async keys(pattern: string): Promise<string[]> {
    return await this.db.keys(pattern);
  }
  /** SCAN. */
  async scan(cursor: number | string, opts?: ScanOptions): Promise<[string, string[]]> {
    return await this.db.scan(cursor, opts);
  }
  /** DBSIZE. */
  async dbsize(): Promise<number> {
    return await this.db.dbsize();
  }
  /** FLUSHALL. */
  async flushall(): Promise<"OK"> {
    return await this.db.flushall();
  }
  /** Calls the `Dict` method `name` with `args` (for overloaded commands). */
  async #fwd<T>(name: string, args: unknown[]): Promise<T> {
    const fn = (this.db as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
    return await (fn.apply(this.db, args) as T | Promise<T>);
  }

  /* ---- hashes ---- */
  /** HSET. */
  async hset(key: Key, ...args: HSetArgs): Promise<number> {
    return await this.db.hset(key, ...args);
  }
  /** HSETNX. */
  async hsetnx(key: Key, field: Value, value: Value): Promise<number> {
    return await this.db.hsetnx(key, field, value);
  }
  /** HGET. */
  async hget(key: Key, field: Value): Promise<string | null> {
    return await this.db.hget(key, field);
  }
  /** HMGET. */
  async hmget(key: Key, ...fields: Value[]): Promise<(string | null)[]> {
    return await this.db.hmget(key, ...fields);
  }
  /** HGETALL. */
  async hgetall(key: Key): Promise<Record<string, string>> {
    return await this.db.hgetall(key);
  }
  /** HDEL. */
  async hdel(key: Key, ...fields: Value[]): Promise<number> {
    return await this.db.hdel(key, ...fields);
  }
  /** HEXISTS. */
  async hexists(key: Key, field: Value): Promise<number> {
    return await this.db.hexists(key, field);
  }
  /** HLEN. */
  async hlen(key: Key): Promise<number> {
    return await this.db.hlen(key);
  }
  /** HKEYS. */
  async hkeys(key: Key): Promise<string[]> {
    return await this.db.hkeys(key);
  }
  /** HVALS. */
  async hvals(key: Key): Promise<string[]> {
    return await this.db.hvals(key);
  }
  /** HSTRLEN. */
  async hstrlen(key: Key, field: Value): Promise<number> {
    return await this.db.hstrlen(key, field);
  }
  /** HINCRBY. */
  async hincrby(key: Key, field: Value, increment: number): Promise<number> {
    return await this.db.hincrby(key, field, increment);
  }
  /** HINCRBYFLOAT. */
  async hincrbyfloat(key: Key, field: Value, increment: number): Promise<number> {
    return await this.db.hincrbyfloat(key, field, increment);
  }
  /** HRANDFIELD. */
  hrandfield(key: Key): Promise<string | null>;
  /** HRANDFIELD count. */
  hrandfield(key: Key, count: number, opts?: HRandFieldOptions): Promise<string[]>;
  /** HRANDFIELD, any form. */
  hrandfield(
    key: Key,
    count?: number,
    opts?: HRandFieldOptions,
  ): Promise<string | null | string[]>;
  hrandfield(...args: unknown[]): Promise<string | null | string[]> {
    return this.#fwd("hrandfield", args);
  }
  /** HSCAN. */
  async hscan(
    key: Key,
    cursor: number | string,
    opts?: ContainerScanOptions,
  ): Promise<[string, string[]]> {
    return await this.db.hscan(key, cursor, opts);
  }

  /* ---- lists ---- */
  /** LPUSH. */
  async lpush(key: Key, ...elements: Value[]): Promise<number> {
    return await this.db.lpush(key, ...elements);
  }
  /** RPUSH. */
  async rpush(key: Key, ...elements: Value[]): Promise<number> {
    return await this.db.rpush(key, ...elements);
  }
  /** LPUSHX. */
  async lpushx(key: Key, ...elements: Value[]): Promise<number> {
    return await this.db.lpushx(key, ...elements);
  }
  /** RPUSHX. */
  async rpushx(key: Key, ...elements: Value[]): Promise<number> {
    return await this.db.rpushx(key, ...elements);
  }
  /** LPOP. */
  lpop(key: Key): Promise<string | null>;
  /** LPOP count. */
  lpop(key: Key, count: number): Promise<string[] | null>;
  /** LPOP, any form. */
  lpop(key: Key, count?: number): Promise<string | string[] | null>;
  lpop(...args: unknown[]): Promise<string | string[] | null> {
    return this.#fwd("lpop", args);
  }
  /** RPOP. */
  rpop(key: Key): Promise<string | null>;
  /** RPOP count. */
  rpop(key: Key, count: number): Promise<string[] | null>;
  /** RPOP, any form. */
  rpop(key: Key, count?: number): Promise<string | string[] | null>;
  rpop(...args: unknown[]): Promise<string | string[] | null> {
    return this.#fwd("rpop", args);
  }
  /** LLEN. */
  async llen(key: Key): Promise<number> {
    return await this.db.llen(key);
  }
  /** LRANGE. */
  async lrange(key: Key, start: number, stop: number): Promise<string[]> {
    return await this.db.lrange(key, start, stop);
  }
  /** LINDEX. */
  async lindex(key: Key, index: number): Promise<string | null> {
    return await this.db.lindex(key, index);
  }
  /** LSET. */
  async lset(key: Key, index: number, element: Value): Promise<"OK"> {
    return await this.db.lset(key, index, element);
  }
  /** LINSERT. */
  async linsert(key: Key, where: ListPosition, pivot: Value, element: Value): Promise<number> {
    return await this.db.linsert(key, where, pivot, element);
  }
  /** LREM. */
  async lrem(key: Key, count: number, element: Value): Promise<number> {
    return await this.db.lrem(key, count, element);
  }
  /** LTRIM. */
  async ltrim(key: Key, start: number, stop: number): Promise<"OK"> {
    return await this.db.ltrim(key, start, stop);
  }
  /** LPOS. */
  lpos(
    key: Key,
    element: Value,
    opts?: LPosOptions & { count?: undefined },
  ): Promise<number | null>;
  /** LPOS COUNT. */
  lpos(key: Key, element: Value, opts: LPosOptions & { count: number }): Promise<number[]>;
  /** LPOS, any form. */
  lpos(key: Key, element: Value, opts?: LPosOptions): Promise<number | number[] | null>;
  lpos(...args: unknown[]): Promise<number | number[] | null> {
    return this.#fwd("lpos", args);
  }
  /** LMOVE. */
  async lmove(src: Key, dst: Key, from: ListEnd, to: ListEnd): Promise<string | null> {
    return await this.db.lmove(src, dst, from, to);
  }
  /** BLPOP. */
  async blpop(...keysAndTimeout: BlockingPopArgs): Promise<[string, string] | null> {
    return await this.db.blpop(...keysAndTimeout);
  }
  /** BRPOP. */
  async brpop(...keysAndTimeout: BlockingPopArgs): Promise<[string, string] | null> {
    return await this.db.brpop(...keysAndTimeout);
  }
  /** BLMOVE. */
  async blmove(
    src: Key,
    dst: Key,
    from: ListEnd,
    to: ListEnd,
    timeout: number,
  ): Promise<string | null> {
    return await this.db.blmove(src, dst, from, to, timeout);
  }

  /* ---- sets ---- */
  /** SADD. */
  async sadd(key: Key, ...members: Value[]): Promise<number> {
    return await this.db.sadd(key, ...members);
  }
  /** SREM. */
  async srem(key: Key, ...members: Value[]): Promise<number> {
    return await this.db.srem(key, ...members);
  }
  /** SMEMBERS. */
  async smembers(key: Key): Promise<string[]> {
    return await this.db.smembers(key);
  }
  /** SISMEMBER. */
  async sismember(key: Key, member: Value): Promise<number> {
    return await this.db.sismember(key, member);
  }
  /** SMISMEMBER. */
  async smismember(key: Key, ...members: Value[]): Promise<number[]> {
    return await this.db.smismember(key, ...members);
  }
  /** SCARD. */
  async scard(key: Key): Promise<number> {
    return await this.db.scard(key);
  }
  /** SPOP. */
  spop(key: Key): Promise<string | null>;
  /** SPOP count. */
  spop(key: Key, count: number): Promise<string[]>;
  /** SPOP, any form. */
  spop(key: Key, count?: number): Promise<string | string[] | null>;
  spop(...args: unknown[]): Promise<string | string[] | null> {
    return this.#fwd("spop", args);
  }
  /** SRANDMEMBER. */
  srandmember(key: Key): Promise<string | null>;
  /** SRANDMEMBER count. */
  srandmember(key: Key, count: number): Promise<string[]>;
  /** SRANDMEMBER, any form. */
  srandmember(key: Key, count?: number): Promise<string | string[] | null>;
  srandmember(...args: unknown[]): Promise<string | string[] | null> {
    return this.#fwd("srandmember", args);
  }
  /** SMOVE. */
  async smove(src: Key, dst: Key, member: Value): Promise<number> {
    return await this.db.smove(src, dst, member);
  }
  /** SINTER. */
  async sinter(...keys: Key[]): Promise<string[]> {
    return await this.db.sinter(...keys);
  }
  /** SUNION. */
  async sunion(...keys: Key[]): Promise<string[]> {
    return await this.db.sunion(...keys);
  }
  /** SDIFF. */
  async sdiff(...keys: Key[]): Promise<string[]> {
    return await this.db.sdiff(...keys);
  }
  /** SINTERCARD. */
  async sintercard(keys: Key[], opts?: SInterCardOptions): Promise<number> {
    return await this.db.sintercard(keys, opts);
  }
  /** SINTERSTORE. */
  async sinterstore(dst: Key, ...keys: Key[]): Promise<number> {
    return await this.db.sinterstore(dst, ...keys);
  }
  /** SUNIONSTORE. */
  async sunionstore(dst: Key, ...keys: Key[]): Promise<number> {
    return await this.db.sunionstore(dst, ...keys);
  }
  /** SDIFFSTORE. */
  async sdiffstore(dst: Key, ...keys: Key[]): Promise<number> {
    return await this.db.sdiffstore(dst, ...keys);
  }
  /** SSCAN. */
  async sscan(
    key: Key,
    cursor: number | string,
    opts?: ContainerScanOptions,
  ): Promise<[string, string[]]> {
    return await this.db.sscan(key, cursor, opts);
  }

  /* ---- sorted sets ---- */
  /** ZADD INCR. */
  zadd(
    key: Key,
    ...args: [opts: ZAddOptions & { incr: true }, score: Score, member: Value]
  ): Promise<number | null>;
  /** ZADD. */
  zadd(key: Key, ...args: ZAddArgs): Promise<number>;
  /** ZADD, any form. */
  zadd(key: Key, ...args: ZAddArgs): Promise<number | null>;
  zadd(...args: unknown[]): Promise<number | null> {
    return this.#fwd("zadd", args);
  }
  /** ZINCRBY. */
  async zincrby(key: Key, increment: Score, member: Value): Promise<number> {
    return await this.db.zincrby(key, increment, member);
  }
  /** ZSCORE. */
  async zscore(key: Key, member: Value): Promise<number | null> {
    return await this.db.zscore(key, member);
  }
  /** ZMSCORE. */
  async zmscore(key: Key, ...members: Value[]): Promise<(number | null)[]> {
    return await this.db.zmscore(key, ...members);
  }
  /** ZREM. */
  async zrem(key: Key, ...members: Value[]): Promise<number> {
    return await this.db.zrem(key, ...members);
  }
  /** ZCARD. */
  async zcard(key: Key): Promise<number> {
    return await this.db.zcard(key);
  }
  /** ZCOUNT. */
  async zcount(key: Key, min: ScoreBound, max: ScoreBound): Promise<number> {
    return await this.db.zcount(key, min, max);
  }
  /** ZLEXCOUNT. */
  async zlexcount(key: Key, min: Value, max: Value): Promise<number> {
    return await this.db.zlexcount(key, min, max);
  }
  /** ZRANK. */
  async zrank(
    key: Key,
    member: Value,
    opts?: ZRankOptions,
  ): Promise<number | [number, number] | null> {
    return await this.db.zrank(key, member, opts);
  }
  /** ZREVRANK. */
  async zrevrank(
    key: Key,
    member: Value,
    opts?: ZRankOptions,
  ): Promise<number | [number, number] | null> {
    return await this.db.zrevrank(key, member, opts);
  }
  /** ZRANGE WITHSCORES. */
  zrange(
    key: Key,
    start: ScoreBound,
    stop: ScoreBound,
    opts: ZRangeOptions & { withscores: true },
  ): Promise<(string | number)[]>;
  /** ZRANGE. */
  zrange(
    key: Key,
    start: ScoreBound,
    stop: ScoreBound,
    opts?: ZRangeOptions & { withscores?: false },
  ): Promise<string[]>;
  /** ZRANGE, any form. */
  zrange(
    key: Key,
    start: ScoreBound,
    stop: ScoreBound,
    opts?: ZRangeOptions,
  ): Promise<(string | number)[]>;
  zrange(...args: unknown[]): Promise<(string | number)[]> {
    return this.#fwd("zrange", args);
  }
  /** ZRANGEBYSCORE WITHSCORES. */
  zrangebyscore(
    key: Key,
    min: ScoreBound,
    max: ScoreBound,
    opts: ZRangeByScoreOptions & { withscores: true },
  ): Promise<(string | number)[]>;
  /** ZRANGEBYSCORE. */
  zrangebyscore(
    key: Key,
    min: ScoreBound,
    max: ScoreBound,
    opts?: ZRangeByScoreOptions & { withscores?: false },
  ): Promise<string[]>;
  /** ZRANGEBYSCORE, any form. */
  zrangebyscore(
    key: Key,
    min: ScoreBound,
    max: ScoreBound,
    opts?: ZRangeByScoreOptions,
  ): Promise<(string | number)[]>;
  zrangebyscore(...args: unknown[]): Promise<(string | number)[]> {
    return this.#fwd("zrangebyscore", args);
  }
  /** ZREVRANGEBYSCORE WITHSCORES. */
  zrevrangebyscore(
    key: Key,
    max: ScoreBound,
    min: ScoreBound,
    opts: ZRangeByScoreOptions & { withscores: true },
  ): Promise<(string | number)[]>;
  /** ZREVRANGEBYSCORE. */
  zrevrangebyscore(
    key: Key,
    max: ScoreBound,
    min: ScoreBound,
    opts?: ZRangeByScoreOptions & { withscores?: false },
  ): Promise<string[]>;
  /** ZREVRANGEBYSCORE, any form. */
  zrevrangebyscore(
    key: Key,
    max: ScoreBound,
    min: ScoreBound,
    opts?: ZRangeByScoreOptions,
  ): Promise<(string | number)[]>;
  zrevrangebyscore(...args: unknown[]): Promise<(string | number)[]> {
    return this.#fwd("zrevrangebyscore", args);
  }
  /** ZREMRANGEBYRANK. */
  async zremrangebyrank(key: Key, start: number, stop: number): Promise<number> {
    return await this.db.zremrangebyrank(key, start, stop);
  }
  /** ZREMRANGEBYSCORE. */
  async zremrangebyscore(key: Key, min: ScoreBound, max: ScoreBound): Promise<number> {
    return await this.db.zremrangebyscore(key, min, max);
  }
  /** ZPOPMIN. */
  async zpopmin(key: Key, count?: number): Promise<(string | number)[]> {
    return await this.#fwd("zpopmin", count === undefined ? [key] : [key, count]);
  }
  /** ZPOPMAX. */
  async zpopmax(key: Key, count?: number): Promise<(string | number)[]> {
    return await this.#fwd("zpopmax", count === undefined ? [key] : [key, count]);
  }
  /** ZRANDMEMBER. */
  zrandmember(key: Key): Promise<string | null>;
  /** ZRANDMEMBER count WITHSCORES. */
  zrandmember(
    key: Key,
    count: number,
    opts: ZRandMemberOptions & { withscores: true },
  ): Promise<(string | number)[]>;
  /** ZRANDMEMBER count. */
  zrandmember(
    key: Key,
    count: number,
    opts?: ZRandMemberOptions & { withscores?: false },
  ): Promise<string[]>;
  /** ZRANDMEMBER, any form. */
  zrandmember(
    key: Key,
    count?: number,
    opts?: ZRandMemberOptions,
  ): Promise<string | null | (string | number)[]>;
  zrandmember(...args: unknown[]): Promise<string | null | (string | number)[]> {
    return this.#fwd("zrandmember", args);
  }
  /** ZSCAN. */
  async zscan(
    key: Key,
    cursor: number | string,
    opts?: ContainerScanOptions,
  ): Promise<[string, (string | number)[]]> {
    return await this.db.zscan(key, cursor, opts);
  }

  /* ---- transactions ---- */
  /** MULTI: the dictionary's batch, with `exec()` made async. */
  multi(): MultiView {
    const batch = this.db.multi() as unknown as Record<string, (...a: unknown[]) => unknown>;
    const chain: MultiView = new Proxy({} as MultiView, {
      get: (_t, name: string | symbol) => {
        if (name === "exec") return async () => await Promise.resolve(batch.exec());
        if (typeof name !== "string") return undefined;
        return (...args: unknown[]) => {
          batch[name](...args);
          return chain;
        };
      },
    });
    return chain;
  }

  /** A second handle on the same dictionary. */
  async other(): Promise<View> {
    if (this.#reopen === undefined) throw new Error("DictView: no reopen function given");
    const db = this.#reopen();
    return await Promise.resolve(new DictView(db, () => db.close(), this.#reopen));
  }

  /** Runs the `onClose` callback given to the constructor. */
  async close(): Promise<void> {
    await this.#onClose?.();
  }
}

/* ---- (2) Redis ---------------------------------------------------------------------------- */

/** An argument as ioredis sends it. */
type Arg = string | Buffer;

/** Our key/value to an ioredis argument: bytes as a Buffer over the same memory. */
function arg(v: Key | Value): Arg {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  /* Not a Key: let Redis see what a client would send (the suite does not do this). */
  return String(v);
}

/** A number argument as a Redis client sends it. */
function num(n: number): string {
  return String(n);
}

/** Decodes bulk strings exactly as `Dict` does (UTF-8, U+FFFD for bad bytes, BOM kept). */
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

function text(v: unknown): string {
  if (v instanceof Uint8Array) return decoder.decode(v);
  if (typeof v === "string") return v;
  throw new DictError(`unexpected reply from Redis: ${String(v)}`, "UNKNOWN");
}

function textOrNull(v: unknown): string | null {
  return v === null ? null : text(v);
}

function bytesOrNull(v: unknown): Uint8Array | null {
  if (v === null) return null;
  if (v instanceof Uint8Array) return new Uint8Array(v); /* a plain copy, not a Buffer */
  throw new DictError(`unexpected reply from Redis: ${String(v)}`, "UNKNOWN");
}

/** An integer reply: ioredis gives it as text (`stringNumbers`), converted here. */
function integer(v: unknown): number {
  if (typeof v === "string" && /^-?\d+$/.test(v)) return Number(v);
  throw new DictError(`unexpected reply from Redis: ${String(v)}`, "UNKNOWN");
}

function list(v: unknown): (string | null)[] {
  if (!Array.isArray(v)) throw new DictError(`unexpected reply from Redis: ${String(v)}`);
  return v.map(textOrNull);
}

/**
 * A Redis error reply as our error class, chosen by its message; other errors (connection
 * problems, ...) are returned unchanged.
 */
export function mapRedisError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const m = err.message;
  if (m.startsWith("WRONGTYPE")) return new WrongTypeError(m);
  if (!m.startsWith("ERR ")) return err;
  if (m.includes("not an integer or out of range")) return new NotIntegerError(m);
  if (m.includes("hash value is not an integer")) return new NotIntegerError(m);
  if (m.includes("would overflow")) return new OverflowError(m);
  if (
    m.includes("not a valid float") || m.includes("NaN or Infinity") ||
    m.includes("hash value is not a float") || m.includes("is not a number (NaN)")
  ) {
    return new NotFloatError(m);
  }
  if (m.includes("no such key")) return new NoSuchKeyError(m);
  if (m.includes("exceeds maximum allowed size")) return new InvalidArgumentError(m, "TOOBIG");
  return new InvalidArgumentError(m);
}

/** The tokens of SET's options, in the order `Dict` documents them. */
function setTokens(o: SetOptions | undefined): Arg[] {
  if (o === undefined) return [];
  const t: Arg[] = [];
  if (o.nx) t.push("NX");
  if (o.xx) t.push("XX");
  if (o.get) t.push("GET");
  if (o.ex !== undefined) t.push("EX", num(o.ex));
  if (o.px !== undefined) t.push("PX", num(o.px));
  if (o.exat !== undefined) t.push("EXAT", num(o.exat));
  if (o.pxat !== undefined) t.push("PXAT", num(o.pxat));
  if (o.keepttl) t.push("KEEPTTL");
  return t;
}

function getexTokens(o: GetExOptions | undefined): Arg[] {
  if (o === undefined) return [];
  const t: Arg[] = [];
  if (o.ex !== undefined) t.push("EX", num(o.ex));
  if (o.px !== undefined) t.push("PX", num(o.px));
  if (o.exat !== undefined) t.push("EXAT", num(o.exat));
  if (o.pxat !== undefined) t.push("PXAT", num(o.pxat));
  if (o.persist) t.push("PERSIST");
  return t;
}

function expireTokens(o: ExpireOptions | undefined): Arg[] {
  if (o === undefined) return [];
  const t: Arg[] = [];
  if (o.nx) t.push("NX");
  if (o.xx) t.push("XX");
  if (o.gt) t.push("GT");
  if (o.lt) t.push("LT");
  return t;
}

function entryArgs(entries: Entries): Arg[] {
  const out: Arg[] = [];
  const pairs: Iterable<readonly [Key, Value]> = Symbol.iterator in entries
    ? entries as Iterable<readonly [Key, Value]>
    : Object.entries(entries as Record<string, Value>);
  for (const [k, v] of pairs) out.push(arg(k), arg(v));
  return out;
}

/** Replies of a RESP array, or throws. */
function array(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new DictError(`unexpected reply from Redis: ${String(v)}`);
  return v;
}

function listOrNull(v: unknown): string[] | null {
  return v === null ? null : list(v) as string[];
}

/** A flat `[a, b, a, b, ...]` reply as `[a, b]` pairs of text. */
function pairs(v: unknown): [string, string][] {
  const a = array(v);
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < a.length; i += 2) out.push([text(a[i]), text(a[i + 1])]);
  return out;
}

/** A score as Redis writes it (`"1.5"`, `"inf"`, `"-inf"`) as a number. */
function score(v: unknown): number {
  const s = text(v);
  if (s === "inf" || s === "+inf") return Infinity;
  if (s === "-inf") return -Infinity;
  const n = Number(s);
  if (Number.isNaN(n)) throw new DictError(`unexpected score from Redis: ${s}`, "UNKNOWN");
  return n;
}

/** A flat `[member, score, ...]` reply with the scores as numbers. */
function scored(v: unknown): (string | number)[] {
  return array(v).map((x, i) => (i % 2 === 0 ? text(x) : score(x)));
}

/** A score or score bound argument: numbers (±Infinity as `+inf` / `-inf`, -0 kept); text
 * as given. */
function scoreToken(n: Score | ScoreBound): string {
  if (typeof n !== "number") return n;
  if (n === Infinity) return "+inf";
  if (n === -Infinity) return "-inf";
  if (Object.is(n, -0)) return "-0";
  return String(n);
}

function rankTokens(o: ZRankOptions | undefined): Arg[] {
  return o?.withscore ? ["WITHSCORE"] : [];
}

/** ZRANK's reply: null, a rank, or `[rank, score]` (WITHSCORE). */
function rankReply(v: unknown): number | [number, number] | null {
  if (v === null) return null;
  if (Array.isArray(v)) return [integer(v[0]), score(v[1])];
  return integer(v);
}

/** BLPOP's arguments: the keys, then the timeout. */
function blockingArgs(args: readonly unknown[]): Arg[] {
  const keys = args.slice(0, -1) as Key[];
  return [...keys.map(arg), num(args[args.length - 1] as number)];
}

function byScoreTokens(o: ZRangeByScoreOptions | undefined): Arg[] {
  const t: Arg[] = [];
  if (o?.withscores) t.push("WITHSCORES");
  if (o?.limit !== undefined) t.push("LIMIT", num(o.limit.offset), num(o.limit.count));
  return t;
}

function scanTokens(o: ContainerScanOptions | undefined): Arg[] {
  const t: Arg[] = [];
  if (o?.match !== undefined) t.push("MATCH", o.match);
  if (o?.count !== undefined) t.push("COUNT", num(o.count));
  return t;
}

/** A `[cursor, items]` reply. */
function cursorReply(v: unknown): [string, unknown] {
  const a = array(v);
  if (a.length !== 2) throw new DictError(`unexpected SCAN reply from Redis: ${String(v)}`);
  return [text(a[0]), a[1]];
}

/** BLPOP / BRPOP: `[key, element]` or null. */
function keyElement(v: unknown): [string, string] | null {
  if (v === null) return null;
  const a = array(v);
  return [text(a[0]), text(a[1])];
}

/** A command recorded by a MULTI batch, with the promise its method awaits. */
interface Queued {
  cmd: string;
  args: Arg[];
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** How a view sends one command. */
type Caller = (cmd: string, args: Arg[]) => Promise<unknown>;
/** How to reach a Redis server. */
export interface RedisAddress {
  /** Host name or address (default `127.0.0.1`). */
  host?: string;
  /** TCP port. */
  port: number;
}

/** The view over a real Redis server, through ioredis. */
export class RedisView implements View {
  /** Always `"redis"`. */
  readonly server = "redis" as const;
  /** The ioredis client. */
  readonly client: Redis;
  readonly #caller: Caller;

  private constructor(client: Redis, caller?: Caller) {
    this.client = client;
    this.#caller = caller ?? ((cmd, args) => this.#direct(cmd, args));
  }

  /**
   * Connects to a Redis server.
   *
   * @param address where it listens
   * @returns the connected view; {@link RedisView.close} it when done
   */
  static async connect(address: RedisAddress): Promise<RedisView> {
    const client = new Redis({
      host: address.host ?? "127.0.0.1",
      port: address.port,
      lazyConnect: true,
      /* Integer replies as text: ioredis 6.0.0's own parsing rounds some integers below
       * 2^53 (9007199254740991 arrives as 9007199254740992). */
      stringNumbers: true,
      /* RESP2: flat arrays everywhere (RESP3, ioredis 6's default, nests HRANDFIELD
       * WITHVALUES, ZRANGE WITHSCORES, ... as pairs), as redis-cli shows them. */
      protocol: 2,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    await client.connect();
    return new RedisView(client);
  }

  /** Sends one command (or queues it, in a MULTI batch's recorder). */
  #call(cmd: string, ...args: Arg[]): Promise<unknown> {
    return this.#caller(cmd, args);
  }

  /** Sends one command; replies come as Buffers, error replies as our error classes. */
  async #direct(cmd: string, args: Arg[]): Promise<unknown> {
    try {
      return await this.#raw(cmd, args);
    } catch (err) {
      throw mapRedisError(err);
    }
  }

  /** Sends one command as it is. */
  async #raw(cmd: string, args: Arg[]): Promise<unknown> {
    return await this.client.callBuffer(cmd, ...args);
  }

  /** The server's version (`INFO server`'s `redis_version`). */
  async version(): Promise<string> {
    const info = text(await this.#call("INFO", "server"));
    return /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
  }

  /** GET. */
  async get(key: Key): Promise<string | null> {
    return textOrNull(await this.#call("GET", arg(key)));
  }
  /** GET as bytes. */
  async getBytes(key: Key): Promise<Uint8Array | null> {
    return bytesOrNull(await this.#call("GET", arg(key)));
  }
  /** SET ... GET. */
  set(key: Key, value: Value, opts: SetOptions & { get: true }): Promise<string | null>;
  /** SET. */
  set(key: Key, value: Value, opts?: SetOptions & { get?: false }): Promise<"OK" | null>;
  /** SET with any options. */
  set(key: Key, value: Value, opts?: SetOptions): Promise<string | null>;
  async set(key: Key, value: Value, opts?: SetOptions): Promise<string | null> {
    const r = await this.#call("SET", arg(key), arg(value), ...setTokens(opts));
    return textOrNull(r);
  }
  /** MGET. */
  async mget(...keys: Key[]): Promise<(string | null)[]> {
    return list(await this.#call("MGET", ...keys.map(arg)));
  }
  /** MSET. */
  async mset(entries: Entries): Promise<"OK"> {
    return text(await this.#call("MSET", ...entryArgs(entries))) as "OK";
  }
  /** MSETNX. */
  async msetnx(entries: Entries): Promise<number> {
    return integer(await this.#call("MSETNX", ...entryArgs(entries)));
  }
  /** GETDEL. */
  async getdel(key: Key): Promise<string | null> {
    return textOrNull(await this.#call("GETDEL", arg(key)));
  }
  /** GETEX. */
  async getex(key: Key, opts?: GetExOptions): Promise<string | null> {
    return textOrNull(await this.#call("GETEX", arg(key), ...getexTokens(opts)));
  }
  /** GETRANGE. */
  async getrange(key: Key, start: number, end: number): Promise<string> {
    return text(await this.#call("GETRANGE", arg(key), num(start), num(end)));
  }
  /** SETRANGE. */
  async setrange(key: Key, offset: number, value: Value): Promise<number> {
    return integer(await this.#call("SETRANGE", arg(key), num(offset), arg(value)));
  }
  /** APPEND. */
  async append(key: Key, value: Value): Promise<number> {
    return integer(await this.#call("APPEND", arg(key), arg(value)));
  }
  /** STRLEN. */
  async strlen(key: Key): Promise<number> {
    return integer(await this.#call("STRLEN", arg(key)));
  }
  /** INCR. */
  async incr(key: Key): Promise<number> {
    return integer(await this.#call("INCR", arg(key)));
  }
  /** DECR. */
  async decr(key: Key): Promise<number> {
    return integer(await this.#call("DECR", arg(key)));
  }
  /** INCRBY. */
  async incrby(key: Key, increment: number): Promise<number> {
    return integer(await this.#call("INCRBY", arg(key), num(increment)));
  }
  /** DECRBY. */
  async decrby(key: Key, decrement: number): Promise<number> {
    return integer(await this.#call("DECRBY", arg(key), num(decrement)));
  }
  /** INCRBYFLOAT: the new value (a bulk string) as a number. */
  async incrbyfloat(key: Key, increment: number): Promise<number> {
    return Number(text(await this.#call("INCRBYFLOAT", arg(key), num(increment))));
  }
  /** DEL. */
  async del(...keys: Key[]): Promise<number> {
    return integer(await this.#call("DEL", ...keys.map(arg)));
  }
  /** UNLINK. */
  async unlink(...keys: Key[]): Promise<number> {
    return integer(await this.#call("UNLINK", ...keys.map(arg)));
  }
  /** EXISTS. */
  async exists(...keys: Key[]): Promise<number> {
    return integer(await this.#call("EXISTS", ...keys.map(arg)));
  }
  /** TYPE. */
  async type(key: Key): Promise<KeyType | "none"> {
    return text(await this.#call("TYPE", arg(key))) as KeyType | "none";
  }
  /** RENAME. */
  async rename(src: Key, dst: Key): Promise<"OK"> {
    return text(await this.#call("RENAME", arg(src), arg(dst))) as "OK";
  }
  /** RENAMENX. */
  async renamenx(src: Key, dst: Key): Promise<number> {
    return integer(await this.#call("RENAMENX", arg(src), arg(dst)));
  }
  /** COPY. */
  async copy(src: Key, dst: Key, opts?: CopyOptions): Promise<number> {
    const t: Arg[] = opts?.replace ? ["REPLACE"] : [];
    return integer(await this.#call("COPY", arg(src), arg(dst), ...t));
  }
  /** EXPIRE. */
  async expire(key: Key, seconds: number, opts?: ExpireOptions): Promise<number> {
    return integer(await this.#call("EXPIRE", arg(key), num(seconds), ...expireTokens(opts)));
  }
  /** PEXPIRE. */
  async pexpire(key: Key, ms: number, opts?: ExpireOptions): Promise<number> {
    return integer(await this.#call("PEXPIRE", arg(key), num(ms), ...expireTokens(opts)));
  }
  /** EXPIREAT. */
  async expireat(key: Key, unixSeconds: number, opts?: ExpireOptions): Promise<number> {
    const t = expireTokens(opts);
    return integer(await this.#call("EXPIREAT", arg(key), num(unixSeconds), ...t));
  }
  /** PEXPIREAT. */
  async pexpireat(key: Key, unixMs: number, opts?: ExpireOptions): Promise<number> {
    const t = expireTokens(opts);
    return integer(await this.#call("PEXPIREAT", arg(key), num(unixMs), ...t));
  }
  /** TTL. */
  async ttl(key: Key): Promise<number> {
    return integer(await this.#call("TTL", arg(key)));
  }
  /** PTTL. */
  async pttl(key: Key): Promise<number> {
    return integer(await this.#call("PTTL", arg(key)));
  }
  /** EXPIRETIME. */
  async expiretime(key: Key): Promise<number> {
    return integer(await this.#call("EXPIRETIME", arg(key)));
  }
  /** PEXPIRETIME. */
  async pexpiretime(key: Key): Promise<number> {
    return integer(await this.#call("PEXPIRETIME", arg(key)));
  }
  /** PERSIST. */
  async persist(key: Key): Promise<number> {
    return integer(await this.#call("PERSIST", arg(key)));
  }
  /** KEYS. */
  async keys(pattern: string): Promise<string[]> {
    return list(await this.#call("KEYS", pattern)) as string[];
  }
  /** SCAN: the cursor as a string, the keys decoded. */
  async scan(cursor: number | string, opts?: ScanOptions): Promise<[string, string[]]> {
    const t: Arg[] = [];
    if (opts?.match !== undefined) t.push("MATCH", opts.match);
    if (opts?.count !== undefined) t.push("COUNT", num(opts.count));
    if (opts?.type !== undefined) t.push("TYPE", opts.type);
    const r = await this.#call("SCAN", String(cursor), ...t);
    if (!Array.isArray(r) || r.length !== 2) {
      throw new DictError(`unexpected SCAN reply from Redis: ${String(r)}`, "UNKNOWN");
    }
    return [text(r[0]), list(r[1]) as string[]];
  }
  /** DBSIZE. */
  async dbsize(): Promise<number> {
    return integer(await this.#call("DBSIZE"));
  }
  /** FLUSHALL. */
  async flushall(): Promise<"OK"> {
    return text(await this.#call("FLUSHALL")) as "OK";
  }
  /* ---- hashes ---- */
  /** HSET: an object / pairs, or field, value, .... */
  async hset(key: Key, ...args: HSetArgs): Promise<number> {
    const first = args[0];
    const flat = args.length === 1 && typeof first === "object" && !(first instanceof Uint8Array)
      ? entryArgs(first as Entries)
      : (args as (Key | Value)[]).map(arg);
    return integer(await this.#call("HSET", arg(key), ...flat));
  }
  /** HSETNX. */
  async hsetnx(key: Key, field: Key, value: Value): Promise<number> {
    return integer(await this.#call("HSETNX", arg(key), arg(field), arg(value)));
  }
  /** HGET. */
  async hget(key: Key, field: Key): Promise<string | null> {
    return textOrNull(await this.#call("HGET", arg(key), arg(field)));
  }
  /** HMGET. */
  async hmget(key: Key, ...fields: Key[]): Promise<(string | null)[]> {
    return list(await this.#call("HMGET", arg(key), ...fields.map(arg)));
  }
  /** HGETALL: an object (own properties only, `__proto__` included as a field). */
  async hgetall(key: Key): Promise<Record<string, string>> {
    return Object.fromEntries(pairs(await this.#call("HGETALL", arg(key))));
  }
  /** HDEL. */
  async hdel(key: Key, ...fields: Key[]): Promise<number> {
    return integer(await this.#call("HDEL", arg(key), ...fields.map(arg)));
  }
  /** HEXISTS. */
  async hexists(key: Key, field: Key): Promise<number> {
    return integer(await this.#call("HEXISTS", arg(key), arg(field)));
  }
  /** HLEN. */
  async hlen(key: Key): Promise<number> {
    return integer(await this.#call("HLEN", arg(key)));
  }
  /** HKEYS. */
  async hkeys(key: Key): Promise<string[]> {
    return list(await this.#call("HKEYS", arg(key))) as string[];
  }
  /** HVALS. */
  async hvals(key: Key): Promise<string[]> {
    return list(await this.#call("HVALS", arg(key))) as string[];
  }
  /** HSTRLEN. */
  async hstrlen(key: Key, field: Key): Promise<number> {
    return integer(await this.#call("HSTRLEN", arg(key), arg(field)));
  }
  /** HINCRBY. */
  async hincrby(key: Key, field: Key, increment: number): Promise<number> {
    return integer(await this.#call("HINCRBY", arg(key), arg(field), num(increment)));
  }
  /** HINCRBYFLOAT: the new value (a bulk string) as a number. */
  async hincrbyfloat(key: Key, field: Key, increment: number): Promise<number> {
    return Number(text(await this.#call("HINCRBYFLOAT", arg(key), arg(field), num(increment))));
  }
  /** HRANDFIELD. */
  hrandfield(key: Key): Promise<string | null>;
  /** HRANDFIELD count [WITHVALUES]. */
  hrandfield(key: Key, count: number, opts?: HRandFieldOptions): Promise<string[]>;
  /** HRANDFIELD, any form. */
  hrandfield(
    key: Key,
    count?: number,
    opts?: HRandFieldOptions,
  ): Promise<string | null | string[]>;
  async hrandfield(
    key: Key,
    count?: number,
    opts?: HRandFieldOptions,
  ): Promise<string | null | string[]> {
    if (count === undefined) return textOrNull(await this.#call("HRANDFIELD", arg(key)));
    const t: Arg[] = opts?.withvalues ? ["WITHVALUES"] : [];
    return list(await this.#call("HRANDFIELD", arg(key), num(count), ...t)) as string[];
  }
  /** HSCAN. */
  async hscan(
    key: Key,
    cursor: number | string,
    opts?: ContainerScanOptions,
  ): Promise<[string, string[]]> {
    const [next, items] = cursorReply(
      await this.#call("HSCAN", arg(key), String(cursor), ...scanTokens(opts)),
    );
    return [next, list(items) as string[]];
  }

  /* ---- lists ---- */
  /** LPUSH. */
  async lpush(key: Key, ...elements: Value[]): Promise<number> {
    return integer(await this.#call("LPUSH", arg(key), ...elements.map(arg)));
  }
  /** RPUSH. */
  async rpush(key: Key, ...elements: Value[]): Promise<number> {
    return integer(await this.#call("RPUSH", arg(key), ...elements.map(arg)));
  }
  /** LPUSHX. */
  async lpushx(key: Key, ...elements: Value[]): Promise<number> {
    return integer(await this.#call("LPUSHX", arg(key), ...elements.map(arg)));
  }
  /** RPUSHX. */
  async rpushx(key: Key, ...elements: Value[]): Promise<number> {
    return integer(await this.#call("RPUSHX", arg(key), ...elements.map(arg)));
  }
  /** LPOP. */
  lpop(key: Key): Promise<string | null>;
  /** LPOP count. */
  lpop(key: Key, count: number): Promise<string[] | null>;
  /** LPOP, any form. */
  lpop(key: Key, count?: number): Promise<string | string[] | null>;
  async lpop(key: Key, count?: number): Promise<string | string[] | null> {
    if (count === undefined) return textOrNull(await this.#call("LPOP", arg(key)));
    return listOrNull(await this.#call("LPOP", arg(key), num(count)));
  }
  /** RPOP. */
  rpop(key: Key): Promise<string | null>;
  /** RPOP count. */
  rpop(key: Key, count: number): Promise<string[] | null>;
  /** RPOP, any form. */
  rpop(key: Key, count?: number): Promise<string | string[] | null>;
  async rpop(key: Key, count?: number): Promise<string | string[] | null> {
    if (count === undefined) return textOrNull(await this.#call("RPOP", arg(key)));
    return listOrNull(await this.#call("RPOP", arg(key), num(count)));
  }
  /** LLEN. */
  async llen(key: Key): Promise<number> {
    return integer(await this.#call("LLEN", arg(key)));
  }
  /** LRANGE. */
  async lrange(key: Key, start: number, stop: number): Promise<string[]> {
    return list(await this.#call("LRANGE", arg(key), num(start), num(stop))) as string[];
  }
  /** LINDEX. */
  async lindex(key: Key, index: number): Promise<string | null> {
    return textOrNull(await this.#call("LINDEX", arg(key), num(index)));
  }
  /** LSET. */
  async lset(key: Key, index: number, element: Value): Promise<"OK"> {
    return text(await this.#call("LSET", arg(key), num(index), arg(element))) as "OK";
  }
  /** LINSERT. */
  async linsert(key: Key, where: ListPosition, pivot: Value, element: Value): Promise<number> {
    return integer(await this.#call("LINSERT", arg(key), where, arg(pivot), arg(element)));
  }
  /** LREM. */
  async lrem(key: Key, count: number, element: Value): Promise<number> {
    return integer(await this.#call("LREM", arg(key), num(count), arg(element)));
  }
  /** LTRIM. */
  async ltrim(key: Key, start: number, stop: number): Promise<"OK"> {
    return text(await this.#call("LTRIM", arg(key), num(start), num(stop))) as "OK";
  }
  /** LPOS. */
  lpos(
    key: Key,
    element: Value,
    opts?: LPosOptions & { count?: undefined },
  ): Promise<number | null>;
  /** LPOS COUNT. */
  lpos(key: Key, element: Value, opts: LPosOptions & { count: number }): Promise<number[]>;
  /** LPOS, any form. */
  lpos(key: Key, element: Value, opts?: LPosOptions): Promise<number | number[] | null>;
  async lpos(key: Key, element: Value, opts?: LPosOptions): Promise<number | number[] | null> {
    const t: Arg[] = [];
    if (opts?.rank !== undefined) t.push("RANK", num(opts.rank));
    if (opts?.count !== undefined) t.push("COUNT", num(opts.count));
    if (opts?.maxlen !== undefined) t.push("MAXLEN", num(opts.maxlen));
    const r = await this.#call("LPOS", arg(key), arg(element), ...t);
    if (r === null) return null;
    if (Array.isArray(r)) return r.map(integer);
    return integer(r);
  }
  /** LMOVE. */
  async lmove(src: Key, dst: Key, from: ListEnd, to: ListEnd): Promise<string | null> {
    return textOrNull(await this.#call("LMOVE", arg(src), arg(dst), from, to));
  }
  /** BLPOP. */
  async blpop(...keysAndTimeout: BlockingPopArgs): Promise<[string, string] | null> {
    return keyElement(await this.#call("BLPOP", ...blockingArgs(keysAndTimeout)));
  }
  /** BRPOP. */
  async brpop(...keysAndTimeout: BlockingPopArgs): Promise<[string, string] | null> {
    return keyElement(await this.#call("BRPOP", ...blockingArgs(keysAndTimeout)));
  }
  /** BLMOVE. */
  async blmove(
    src: Key,
    dst: Key,
    from: ListEnd,
    to: ListEnd,
    timeout: number,
  ): Promise<string | null> {
    return textOrNull(
      await this.#call("BLMOVE", arg(src), arg(dst), from, to, num(timeout)),
    );
  }

  /* ---- sets ---- */
  /** SADD. */
  async sadd(key: Key, ...members: Value[]): Promise<number> {
    return integer(await this.#call("SADD", arg(key), ...members.map(arg)));
  }
  /** SREM. */
  async srem(key: Key, ...members: Value[]): Promise<number> {
    return integer(await this.#call("SREM", arg(key), ...members.map(arg)));
  }
  /** SMEMBERS. */
  async smembers(key: Key): Promise<string[]> {
    return list(await this.#call("SMEMBERS", arg(key))) as string[];
  }
  /** SISMEMBER. */
  async sismember(key: Key, member: Value): Promise<number> {
    return integer(await this.#call("SISMEMBER", arg(key), arg(member)));
  }
  /** SMISMEMBER. */
  async smismember(key: Key, ...members: Value[]): Promise<number[]> {
    return array(await this.#call("SMISMEMBER", arg(key), ...members.map(arg))).map(integer);
  }
  /** SCARD. */
  async scard(key: Key): Promise<number> {
    return integer(await this.#call("SCARD", arg(key)));
  }
  /** SPOP. */
  spop(key: Key): Promise<string | null>;
  /** SPOP count. */
  spop(key: Key, count: number): Promise<string[]>;
  /** SPOP, any form. */
  spop(key: Key, count?: number): Promise<string | string[] | null>;
  async spop(key: Key, count?: number): Promise<string | string[] | null> {
    if (count === undefined) return textOrNull(await this.#call("SPOP", arg(key)));
    return list(await this.#call("SPOP", arg(key), num(count))) as string[];
  }
  /** SRANDMEMBER. */
  srandmember(key: Key): Promise<string | null>;
  /** SRANDMEMBER count. */
  srandmember(key: Key, count: number): Promise<string[]>;
  /** SRANDMEMBER, any form. */
  srandmember(key: Key, count?: number): Promise<string | string[] | null>;
  async srandmember(key: Key, count?: number): Promise<string | string[] | null> {
    if (count === undefined) return textOrNull(await this.#call("SRANDMEMBER", arg(key)));
    return list(await this.#call("SRANDMEMBER", arg(key), num(count))) as string[];
  }
  /** SMOVE. */
  async smove(src: Key, dst: Key, member: Value): Promise<number> {
    return integer(await this.#call("SMOVE", arg(src), arg(dst), arg(member)));
  }
  /** SINTER. */
  async sinter(...keys: Key[]): Promise<string[]> {
    return list(await this.#call("SINTER", ...keys.map(arg))) as string[];
  }
  /** SUNION. */
  async sunion(...keys: Key[]): Promise<string[]> {
    return list(await this.#call("SUNION", ...keys.map(arg))) as string[];
  }
  /** SDIFF. */
  async sdiff(...keys: Key[]): Promise<string[]> {
    return list(await this.#call("SDIFF", ...keys.map(arg))) as string[];
  }
  /** SINTERCARD numkeys key ... [LIMIT n]. */
  async sintercard(keys: Key[], opts?: SInterCardOptions): Promise<number> {
    const t: Arg[] = opts?.limit !== undefined ? ["LIMIT", num(opts.limit)] : [];
    return integer(
      await this.#call("SINTERCARD", num(keys.length), ...keys.map(arg), ...t),
    );
  }
  /** SINTERSTORE. */
  async sinterstore(dst: Key, ...keys: Key[]): Promise<number> {
    return integer(await this.#call("SINTERSTORE", arg(dst), ...keys.map(arg)));
  }
  /** SUNIONSTORE. */
  async sunionstore(dst: Key, ...keys: Key[]): Promise<number> {
    return integer(await this.#call("SUNIONSTORE", arg(dst), ...keys.map(arg)));
  }
  /** SDIFFSTORE. */
  async sdiffstore(dst: Key, ...keys: Key[]): Promise<number> {
    return integer(await this.#call("SDIFFSTORE", arg(dst), ...keys.map(arg)));
  }
  /** SSCAN. */
  async sscan(
    key: Key,
    cursor: number | string,
    opts?: ContainerScanOptions,
  ): Promise<[string, string[]]> {
    const [next, items] = cursorReply(
      await this.#call("SSCAN", arg(key), String(cursor), ...scanTokens(opts)),
    );
    return [next, list(items) as string[]];
  }

  /* ---- sorted sets ---- */
  /** ZADD INCR. */
  zadd(
    key: Key,
    ...args: [opts: ZAddOptions & { incr: true }, score: Score, member: Value]
  ): Promise<number | null>;
  /** ZADD. */
  zadd(key: Key, ...args: ZAddArgs): Promise<number>;
  /** ZADD, any form. */
  zadd(key: Key, ...args: ZAddArgs): Promise<number | null>;
  /** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member .... */
  async zadd(key: Key, ...args: ZAddArgs): Promise<number | null> {
    let rest = args as unknown[];
    const t: Arg[] = [];
    let incr = false;
    const first = rest[0];
    if (typeof first === "object" && first !== null && !(first instanceof Uint8Array)) {
      const o = first as ZAddOptions;
      if (o.nx) t.push("NX");
      if (o.xx) t.push("XX");
      if (o.gt) t.push("GT");
      if (o.lt) t.push("LT");
      if (o.ch) t.push("CH");
      if (o.incr) t.push("INCR");
      incr = o.incr === true;
      rest = rest.slice(1);
    }
    for (let i = 0; i < rest.length; i++) {
      t.push(i % 2 === 0 ? scoreToken(rest[i] as Score) : arg(rest[i] as Value));
    }
    const r = await this.#call("ZADD", arg(key), ...t);
    if (incr) return r === null ? null : score(r);
    return integer(r);
  }
  /** ZINCRBY. */
  async zincrby(key: Key, increment: Score, member: Value): Promise<number> {
    return score(await this.#call("ZINCRBY", arg(key), scoreToken(increment), arg(member)));
  }
  /** ZSCORE. */
  async zscore(key: Key, member: Value): Promise<number | null> {
    const r = await this.#call("ZSCORE", arg(key), arg(member));
    return r === null ? null : score(r);
  }
  /** ZMSCORE. */
  async zmscore(key: Key, ...members: Value[]): Promise<(number | null)[]> {
    const r = array(await this.#call("ZMSCORE", arg(key), ...members.map(arg)));
    return r.map((x) => (x === null ? null : score(x)));
  }
  /** ZREM. */
  async zrem(key: Key, ...members: Value[]): Promise<number> {
    return integer(await this.#call("ZREM", arg(key), ...members.map(arg)));
  }
  /** ZCARD. */
  async zcard(key: Key): Promise<number> {
    return integer(await this.#call("ZCARD", arg(key)));
  }
  /** ZCOUNT. */
  async zcount(key: Key, min: ScoreBound, max: ScoreBound): Promise<number> {
    return integer(await this.#call("ZCOUNT", arg(key), scoreToken(min), scoreToken(max)));
  }
  /** ZLEXCOUNT. */
  async zlexcount(key: Key, min: Value, max: Value): Promise<number> {
    return integer(await this.#call("ZLEXCOUNT", arg(key), arg(min), arg(max)));
  }
  /** ZRANK [WITHSCORE]. */
  async zrank(
    key: Key,
    member: Value,
    opts?: ZRankOptions,
  ): Promise<number | [number, number] | null> {
    return rankReply(await this.#call("ZRANK", arg(key), arg(member), ...rankTokens(opts)));
  }
  /** ZREVRANK [WITHSCORE]. */
  async zrevrank(
    key: Key,
    member: Value,
    opts?: ZRankOptions,
  ): Promise<number | [number, number] | null> {
    return rankReply(await this.#call("ZREVRANK", arg(key), arg(member), ...rankTokens(opts)));
  }
  /** ZRANGE WITHSCORES. */
  zrange(
    key: Key,
    start: ScoreBound,
    stop: ScoreBound,
    opts: ZRangeOptions & { withscores: true },
  ): Promise<(string | number)[]>;
  /** ZRANGE. */
  zrange(
    key: Key,
    start: ScoreBound,
    stop: ScoreBound,
    opts?: ZRangeOptions & { withscores?: false },
  ): Promise<string[]>;
  /** ZRANGE, any form. */
  zrange(
    key: Key,
    start: ScoreBound,
    stop: ScoreBound,
    opts?: ZRangeOptions,
  ): Promise<(string | number)[]>;
  /** ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]. */
  async zrange(
    key: Key,
    start: ScoreBound,
    stop: ScoreBound,
    opts?: ZRangeOptions,
  ): Promise<(string | number)[]> {
    const t: Arg[] = [scoreToken(start), scoreToken(stop)];
    if (opts?.byscore) t.push("BYSCORE");
    if (opts?.bylex) t.push("BYLEX");
    if (opts?.rev) t.push("REV");
    if (opts?.limit !== undefined) {
      t.push("LIMIT", num(opts.limit.offset), num(opts.limit.count));
    }
    if (opts?.withscores) t.push("WITHSCORES");
    const r = await this.#call("ZRANGE", arg(key), ...t);
    return opts?.withscores ? scored(r) : list(r) as string[];
  }
  /** ZRANGEBYSCORE WITHSCORES. */
  zrangebyscore(
    key: Key,
    min: ScoreBound,
    max: ScoreBound,
    opts: ZRangeByScoreOptions & { withscores: true },
  ): Promise<(string | number)[]>;
  /** ZRANGEBYSCORE. */
  zrangebyscore(
    key: Key,
    min: ScoreBound,
    max: ScoreBound,
    opts?: ZRangeByScoreOptions & { withscores?: false },
  ): Promise<string[]>;
  /** ZRANGEBYSCORE, any form. */
  zrangebyscore(
    key: Key,
    min: ScoreBound,
    max: ScoreBound,
    opts?: ZRangeByScoreOptions,
  ): Promise<(string | number)[]>;
  async zrangebyscore(
    key: Key,
    min: ScoreBound,
    max: ScoreBound,
    opts?: ZRangeByScoreOptions,
  ): Promise<(string | number)[]> {
    const t = byScoreTokens(opts);
    const r = await this.#call("ZRANGEBYSCORE", arg(key), scoreToken(min), scoreToken(max), ...t);
    return opts?.withscores ? scored(r) : list(r) as string[];
  }
  /** ZREVRANGEBYSCORE WITHSCORES. */
  zrevrangebyscore(
    key: Key,
    max: ScoreBound,
    min: ScoreBound,
    opts: ZRangeByScoreOptions & { withscores: true },
  ): Promise<(string | number)[]>;
  /** ZREVRANGEBYSCORE. */
  zrevrangebyscore(
    key: Key,
    max: ScoreBound,
    min: ScoreBound,
    opts?: ZRangeByScoreOptions & { withscores?: false },
  ): Promise<string[]>;
  /** ZREVRANGEBYSCORE, any form. */
  zrevrangebyscore(
    key: Key,
    max: ScoreBound,
    min: ScoreBound,
    opts?: ZRangeByScoreOptions,
  ): Promise<(string | number)[]>;
  async zrevrangebyscore(
    key: Key,
    max: ScoreBound,
    min: ScoreBound,
    opts?: ZRangeByScoreOptions,
  ): Promise<(string | number)[]> {
    const t = byScoreTokens(opts);
    const r = await this.#call(
      "ZREVRANGEBYSCORE",
      arg(key),
      scoreToken(max),
      scoreToken(min),
      ...t,
    );
    return opts?.withscores ? scored(r) : list(r) as string[];
  }
  /** ZREMRANGEBYRANK. */
  async zremrangebyrank(key: Key, start: number, stop: number): Promise<number> {
    return integer(await this.#call("ZREMRANGEBYRANK", arg(key), num(start), num(stop)));
  }
  /** ZREMRANGEBYSCORE. */
  async zremrangebyscore(key: Key, min: ScoreBound, max: ScoreBound): Promise<number> {
    return integer(
      await this.#call("ZREMRANGEBYSCORE", arg(key), scoreToken(min), scoreToken(max)),
    );
  }
  /** ZPOPMIN. */
  async zpopmin(key: Key, count?: number): Promise<(string | number)[]> {
    const t: Arg[] = count === undefined ? [] : [num(count)];
    return scored(await this.#call("ZPOPMIN", arg(key), ...t));
  }
  /** ZPOPMAX. */
  async zpopmax(key: Key, count?: number): Promise<(string | number)[]> {
    const t: Arg[] = count === undefined ? [] : [num(count)];
    return scored(await this.#call("ZPOPMAX", arg(key), ...t));
  }
  /** ZRANDMEMBER. */
  zrandmember(key: Key): Promise<string | null>;
  /** ZRANDMEMBER count WITHSCORES. */
  zrandmember(
    key: Key,
    count: number,
    opts: ZRandMemberOptions & { withscores: true },
  ): Promise<(string | number)[]>;
  /** ZRANDMEMBER count. */
  zrandmember(
    key: Key,
    count: number,
    opts?: ZRandMemberOptions & { withscores?: false },
  ): Promise<string[]>;
  /** ZRANDMEMBER, any form. */
  zrandmember(
    key: Key,
    count?: number,
    opts?: ZRandMemberOptions,
  ): Promise<string | null | (string | number)[]>;
  async zrandmember(
    key: Key,
    count?: number,
    opts?: ZRandMemberOptions,
  ): Promise<string | null | (string | number)[]> {
    if (count === undefined) return textOrNull(await this.#call("ZRANDMEMBER", arg(key)));
    if (opts?.withscores) {
      return scored(await this.#call("ZRANDMEMBER", arg(key), num(count), "WITHSCORES"));
    }
    return list(await this.#call("ZRANDMEMBER", arg(key), num(count))) as string[];
  }
  /** ZSCAN. */
  async zscan(
    key: Key,
    cursor: number | string,
    opts?: ContainerScanOptions,
  ): Promise<[string, (string | number)[]]> {
    const [next, items] = cursorReply(
      await this.#call("ZSCAN", arg(key), String(cursor), ...scanTokens(opts)),
    );
    return [next, scored(items)];
  }

  /* ---- transactions ---- */
  /**
   * MULTI ... EXEC. The batch records each command through this view's own methods (so
   * arguments and replies are translated exactly as outside a transaction); `exec()` sends
   * MULTI, the commands and EXEC, and hands each raw reply to its method's decoder.
   */
  multi(): MultiView {
    const queued: Queued[] = [];
    const recorder = new RedisView(this.client, (cmd, args) =>
      new Promise((resolve, reject) => {
        queued.push({ cmd, args, resolve, reject });
      }));
    const results: Promise<unknown>[] = [];
    const chain: MultiView = new Proxy({} as MultiView, {
      get: (_t, name: string | symbol) => {
        if (name === "exec") return () => this.#exec(queued, results);
        if (typeof name !== "string") return undefined;
        return (...args: unknown[]) => {
          const fn = (recorder as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[
            name
          ];
          if (typeof fn !== "function") throw new TypeError(`multi(): no command ${name}`);
          const p = fn.apply(recorder, args);
          p.catch(() => {}); /* reported through exec()'s result */
          results.push(p);
          return chain;
        };
      },
    });
    return chain;
  }

  async #exec(queued: Queued[], results: Promise<unknown>[]): Promise<unknown[]> {
    if (queued.length !== results.length) {
      throw new DictError("multi(): a command sent more than one request", "UNKNOWN");
    }
    let replies: unknown;
    try {
      await this.#raw("MULTI", []);
      for (const q of queued) {
        try {
          await this.#raw(q.cmd, q.args);
        } catch {
          /* A queue-time error: EXEC will fail with EXECABORT. */
        }
      }
      replies = await this.#raw("EXEC", []);
    } catch (err) {
      const e = mapRedisError(err);
      for (const q of queued) q.reject(e);
      throw e;
    }
    const r = array(replies);
    queued.forEach((q, i) => {
      if (r[i] instanceof Error) q.reject(mapRedisError(r[i]));
      else q.resolve(r[i]);
    });
    const settled = await Promise.allSettled(results);
    return settled.map((s) => (s.status === "fulfilled" ? s.value : s.reason));
  }

  /** A second connection to the same server. */
  async other(): Promise<View> {
    const o = this.client.options;
    return await RedisView.connect({ host: o.host, port: o.port ?? 6379 });
  }

  /** Closes the connection (QUIT). */
  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
