/**
 * Conformance: every type together — WRONGTYPE for every command of every family on a key of
 * each other type (the key left as it was), the string commands that do not check types
 * (SET, MSET, MGET), and the generic commands on containers: TYPE, EXISTS, DEL/UNLINK,
 * EXPIRE/TTL/PERSIST on a hash, list, set and sorted set (and a container that really expires),
 * RENAME/RENAMENX/COPY carrying contents and TTL, SCAN's TYPE filter, KEYS, DBSIZE, FLUSHALL,
 * and emptied containers disappearing for every generic command.
 *
 * @module
 */

import {
  InvalidArgumentError,
  NoSuchKeyError,
  NotFloatError,
  NotIntegerError,
  WrongTypeError,
} from "../../lib/mod.ts";
import type { View } from "./view.ts";
import {
  assertEquals,
  assertGone,
  assertNear,
  assertRejects,
  assertSameMembers,
  assertSameSet,
  assertSameSets,
  entriesOf,
  scanAll,
  sleep,
  type Tester,
} from "./tester.ts";

/** The five kinds of value. */
type Kind = "string" | "hash" | "list" | "set" | "zset";
const KINDS: readonly Kind[] = ["string", "hash", "list", "set", "zset"];

/** Creates one key of each kind: `k:string`, `k:hash`, ... */
async function makeAll(db: View): Promise<void> {
  await db.set("k:string", "10");
  await db.hset("k:hash", { f: "v", n: "1" });
  await db.rpush("k:list", "a", "b");
  await db.sadd("k:set", "m1", "m2");
  await db.zadd("k:zset", 1, "z1", 2, "z2");
}

/** A fingerprint of every key made by {@link makeAll}: it must not change on WRONGTYPE. */
async function snapshot(db: View): Promise<string> {
  return JSON.stringify([
    await db.get("k:string"),
    entriesOf(await db.hgetall("k:hash")),
    await db.lrange("k:list", 0, -1),
    [...await db.smembers("k:set")].sort(),
    await db.zrange("k:zset", 0, -1, { withscores: true }),
    await db.dbsize(),
  ]);
}

/** A command of some family, run against `key`. */
type Probe = [name: string, fn: (db: View, key: string) => Promise<unknown>];

/** Every command that must answer WRONGTYPE on a key of another kind, by the kind it wants. */
const FAMILIES: Record<Kind, Probe[]> = {
  string: [
    ["get", (db, k) => db.get(k)],
    ["getBytes", (db, k) => db.getBytes(k)],
    ["append", (db, k) => db.append(k, "x")],
    ["append empty", (db, k) => db.append(k, "")],
    ["incr", (db, k) => db.incr(k)],
    ["decr", (db, k) => db.decr(k)],
    ["incrby", (db, k) => db.incrby(k, 5)],
    ["decrby", (db, k) => db.decrby(k, 5)],
    ["incrbyfloat", (db, k) => db.incrbyfloat(k, 1.5)],
    ["strlen", (db, k) => db.strlen(k)],
    ["getrange", (db, k) => db.getrange(k, 0, -1)],
    ["setrange", (db, k) => db.setrange(k, 0, "x")],
    ["setrange empty", (db, k) => db.setrange(k, 0, "")],
    ["getdel", (db, k) => db.getdel(k)],
    ["getex", (db, k) => db.getex(k)],
    ["getex ex", (db, k) => db.getex(k, { ex: 100 })],
    ["getex persist", (db, k) => db.getex(k, { persist: true })],
    ["set get", (db, k) => db.set(k, "new", { get: true })],
  ],
  hash: [
    ["hset", (db, k) => db.hset(k, "f", "v")],
    ["hset object", (db, k) => db.hset(k, { f: "v" })],
    ["hsetnx", (db, k) => db.hsetnx(k, "f", "v")],
    ["hget", (db, k) => db.hget(k, "f")],
    ["hmget", (db, k) => db.hmget(k, "f", "g")],
    ["hgetall", (db, k) => db.hgetall(k)],
    ["hdel", (db, k) => db.hdel(k, "f")],
    ["hexists", (db, k) => db.hexists(k, "f")],
    ["hlen", (db, k) => db.hlen(k)],
    ["hkeys", (db, k) => db.hkeys(k)],
    ["hvals", (db, k) => db.hvals(k)],
    ["hstrlen", (db, k) => db.hstrlen(k, "f")],
    ["hincrby", (db, k) => db.hincrby(k, "n", 1)],
    ["hincrbyfloat", (db, k) => db.hincrbyfloat(k, "n", 1.5)],
    ["hrandfield", (db, k) => db.hrandfield(k)],
    ["hrandfield count", (db, k) => db.hrandfield(k, 2)],
    ["hrandfield withvalues", (db, k) => db.hrandfield(k, -2, { withvalues: true })],
    ["hscan", (db, k) => db.hscan(k, 0)],
  ],
  list: [
    ["lpush", (db, k) => db.lpush(k, "x")],
    ["rpush", (db, k) => db.rpush(k, "x")],
    ["lpushx", (db, k) => db.lpushx(k, "x")],
    ["rpushx", (db, k) => db.rpushx(k, "x")],
    ["lpop", (db, k) => db.lpop(k)],
    ["rpop", (db, k) => db.rpop(k)],
    ["lpop count", (db, k) => db.lpop(k, 2)],
    ["rpop count 0", (db, k) => db.rpop(k, 0)],
    ["llen", (db, k) => db.llen(k)],
    ["lrange", (db, k) => db.lrange(k, 0, -1)],
    ["lindex", (db, k) => db.lindex(k, 0)],
    ["lset", (db, k) => db.lset(k, 0, "x")],
    ["linsert", (db, k) => db.linsert(k, "BEFORE", "a", "x")],
    ["lrem", (db, k) => db.lrem(k, 0, "a")],
    ["ltrim", (db, k) => db.ltrim(k, 0, 0)],
    ["lpos", (db, k) => db.lpos(k, "a")],
    ["lpos count", (db, k) => db.lpos(k, "a", { count: 0 })],
    ["lmove from", (db, k) => db.lmove(k, "k:list", "LEFT", "RIGHT")],
    ["lmove to", (db, k) => db.lmove("k:list", k, "LEFT", "RIGHT")],
    ["blpop", (db, k) => db.blpop(k, 0.1)],
    ["brpop", (db, k) => db.brpop(k, 0.1)],
    ["blpop second key", (db, k) => db.blpop("missing", k, 0.1)],
    ["blmove from", (db, k) => db.blmove(k, "k:list", "RIGHT", "LEFT", 0.1)],
    ["blmove to", (db, k) => db.blmove("k:list", k, "RIGHT", "LEFT", 0.1)],
  ],
  set: [
    ["sadd", (db, k) => db.sadd(k, "x")],
    ["srem", (db, k) => db.srem(k, "x")],
    ["smembers", (db, k) => db.smembers(k)],
    ["sismember", (db, k) => db.sismember(k, "x")],
    ["smismember", (db, k) => db.smismember(k, "x", "y")],
    ["scard", (db, k) => db.scard(k)],
    ["spop", (db, k) => db.spop(k)],
    ["spop count", (db, k) => db.spop(k, 2)],
    ["spop count 0", (db, k) => db.spop(k, 0)],
    ["srandmember", (db, k) => db.srandmember(k)],
    ["srandmember count", (db, k) => db.srandmember(k, -3)],
    ["smove from", (db, k) => db.smove(k, "k:set", "m1")],
    ["smove to", (db, k) => db.smove("k:set", k, "m1")],
    ["sinter", (db, k) => db.sinter("k:set", k)],
    ["sunion", (db, k) => db.sunion(k, "k:set")],
    ["sdiff first", (db, k) => db.sdiff(k, "k:set")],
    ["sdiff later", (db, k) => db.sdiff("k:set", k)],
    ["sintercard", (db, k) => db.sintercard(["k:set", k])],
    ["sinterstore", (db, k) => db.sinterstore("out", "k:set", k)],
    ["sunionstore", (db, k) => db.sunionstore("out", k)],
    ["sdiffstore", (db, k) => db.sdiffstore("out", "k:set", k)],
    ["sscan", (db, k) => db.sscan(k, 0)],
  ],
  zset: [
    ["zadd", (db, k) => db.zadd(k, 1, "x")],
    ["zadd incr", (db, k) => db.zadd(k, { incr: true }, 1, "x")],
    ["zadd xx", (db, k) => db.zadd(k, { xx: true }, 1, "x")],
    ["zincrby", (db, k) => db.zincrby(k, 1, "x")],
    ["zscore", (db, k) => db.zscore(k, "x")],
    ["zmscore", (db, k) => db.zmscore(k, "x")],
    ["zrem", (db, k) => db.zrem(k, "x")],
    ["zcard", (db, k) => db.zcard(k)],
    ["zcount", (db, k) => db.zcount(k, "-inf", "+inf")],
    ["zlexcount", (db, k) => db.zlexcount(k, "-", "+")],
    ["zrank", (db, k) => db.zrank(k, "x")],
    ["zrevrank", (db, k) => db.zrevrank(k, "x")],
    ["zrange", (db, k) => db.zrange(k, 0, -1)],
    ["zrange byscore", (db, k) => db.zrange(k, "-inf", "+inf", { byscore: true })],
    ["zrange bylex", (db, k) => db.zrange(k, "-", "+", { bylex: true })],
    ["zrangebyscore", (db, k) => db.zrangebyscore(k, 0, 10)],
    ["zrevrangebyscore", (db, k) => db.zrevrangebyscore(k, 10, 0)],
    ["zremrangebyrank", (db, k) => db.zremrangebyrank(k, 0, -1)],
    ["zremrangebyscore", (db, k) => db.zremrangebyscore(k, "-inf", "+inf")],
    ["zpopmin", (db, k) => db.zpopmin(k)],
    ["zpopmax", (db, k) => db.zpopmax(k, 2)],
    ["zrandmember", (db, k) => db.zrandmember(k)],
    ["zrandmember count", (db, k) => db.zrandmember(k, 2, { withscores: true })],
    ["zscan", (db, k) => db.zscan(k, 0)],
  ],
};

/** Removes a container's content through its own commands, leaving it empty. */
const EMPTIERS: Record<Exclude<Kind, "string">, (db: View, key: string) => Promise<unknown>> = {
  hash: (db, k) => db.hdel(k, "f", "n"),
  list: (db, k) => db.ltrim(k, 1, 0),
  set: (db, k) => db.srem(k, "m1", "m2"),
  zset: (db, k) => db.zremrangebyrank(k, 0, -1),
};

/** The types suite. */
export function typesSuite(t: Tester): void {
  /* ---------------------------------------------------------------- WRONGTYPE */

  for (const want of KINDS) {
    t.case(`wrongtype: every ${want} command on a key of each other type`, async (db) => {
      await makeAll(db);
      const before = await snapshot(db);
      for (const [name, fn] of FAMILIES[want]) {
        for (const kind of KINDS) {
          if (kind === want) continue;
          await assertRejects(() => fn(db, `k:${kind}`), WrongTypeError, undefined).catch(
            (err) => {
              throw new Error(`${name} on a ${kind}: ${err instanceof Error ? err.message : err}`);
            },
          );
        }
      }
      assertEquals(await snapshot(db), before, "no key changed");
      assertEquals(await db.exists("out"), 0);
    }, { timeout: 120_000 });
  }

  t.case("wrongtype: every command of a family works on its own type", async (db) => {
    /* The same probes succeed (or answer nil) on a key of the right type. */
    let ran = 0;
    for (const kind of KINDS) {
      for (const [name, fn] of FAMILIES[kind]) {
        await db.flushall();
        await makeAll(db);
        try {
          await fn(db, `k:${kind}`);
        } catch (err) {
          throw new Error(`${name} on a ${kind}: ${err instanceof Error ? err.message : err}`);
        }
        ran++;
      }
    }
    assertEquals(ran, KINDS.reduce((n, k) => n + FAMILIES[k].length, 0));
  }, { timeout: 120_000 });

  t.case("wrongtype: which error comes first, as Redis checks them", async (db) => {
    await makeAll(db);
    const before = await snapshot(db);
    /* The key's type is checked before these arguments are read... */
    await assertRejects(() => db.incrbyfloat("k:list", Infinity), WrongTypeError);
    await assertRejects(() => db.incrbyfloat("k:hash", NaN), WrongTypeError);
    await assertRejects(() => db.setrange("k:hash", 536870912, "x"), WrongTypeError);
    await assertRejects(() => db.getex("k:hash", { ex: 0 }), WrongTypeError);
    await assertRejects(() => db.getex("k:set", { px: 0.5 }), WrongTypeError);
    /* ... and these are read before the key is looked up. */
    await assertRejects(() => db.setrange("k:hash", -1, "x"), InvalidArgumentError);
    await assertRejects(() => db.lpos("k:hash", "a", { maxlen: -1 }), InvalidArgumentError);
    await assertRejects(() => db.lpos("k:hash", "a", { rank: 0 }), InvalidArgumentError);
    await assertRejects(() => db.lpos("k:hash", "a", { count: -1 }), InvalidArgumentError);
    await assertRejects(() => db.lpop("k:hash", -1), InvalidArgumentError);
    await assertRejects(() => db.spop("k:list", -1), InvalidArgumentError);
    await assertRejects(
      () => db.zadd("k:hash", { nx: true, xx: true }, 1, "a"),
      InvalidArgumentError,
    );
    await assertRejects(() => db.zadd("k:hash", NaN, "a"), NotFloatError);
    await assertRejects(() => db.zincrby("k:set", "abc", "a"), NotFloatError);
    await assertRejects(() => db.hincrbyfloat("k:list", "f", Infinity), NotFloatError);
    await assertRejects(() => db.hincrby("k:list", "f", 1.5), NotIntegerError);
    await assertRejects(() => db.incrby("k:list", 1.5), NotIntegerError);
    await assertRejects(() => db.sintercard(["k:hash"], { limit: -1 }), InvalidArgumentError);
    await assertRejects(
      () => db.zrange("k:hash", 0, -1, { limit: { offset: 0, count: 1 } }),
      InvalidArgumentError,
    );
    await assertRejects(() => db.zcount("k:hash", "x", 1), InvalidArgumentError);
    await assertRejects(() => db.expire("k:hash", 1.5), NotIntegerError);
    await assertRejects(() => db.blpop("k:hash", -1), InvalidArgumentError);
    await assertRejects(() => db.lrange("k:hash", 1.5, 2), NotIntegerError);
    assertEquals(await snapshot(db), before, "no key changed");
  });

  t.case(
    "wrongtype: a missing source is answered before the destination is looked at",
    async (db) => {
      await makeAll(db);
      assertEquals(await db.smove("missing", "k:string", "m1"), 0);
      assertEquals(await db.smove("missing", "k:list", "m1"), 0);
      assertEquals(await db.lmove("missing", "k:hash", "LEFT", "RIGHT"), null);
      assertEquals(await db.lmove("missing", "k:zset", "RIGHT", "LEFT"), null);
      assertEquals(await db.blmove("missing", "k:set", "LEFT", "LEFT", 0.05), null);
      assertEquals(await db.exists("missing"), 0);
    },
  );

  t.case("wrongtype: set, mset and mget do not check types", async (db) => {
    await makeAll(db);
    assertEquals(await db.mget("k:string", "k:hash", "k:list", "k:set", "k:zset", "missing"), [
      "10",
      null,
      null,
      null,
      null,
      null,
    ]);
    assertEquals(await db.set("k:hash", "now a string"), "OK");
    assertEquals(await db.type("k:hash"), "string");
    assertEquals(await db.hget("k:string", "f").catch((e) => e.name), "WrongTypeError");
    assertEquals(await db.set("k:list", "x", { nx: true }), null);
    assertEquals(await db.type("k:list"), "list");
    assertEquals(await db.set("k:list", "x", { xx: true }), "OK");
    assertEquals(await db.type("k:list"), "string");
    assertEquals(await db.mset({ "k:set": "s", "k:zset": "z" }), "OK");
    assertEquals(await db.mget("k:set", "k:zset"), ["s", "z"]);
    await db.hset("h2", "f", "v");
    assertEquals(await db.msetnx({ h2: "x", fresh: "y" }), 0);
    assertEquals(await db.type("h2"), "hash");
    assertEquals(await db.exists("fresh"), 0);
  });

  t.case("wrongtype: set GET on a container fails and changes nothing", async (db) => {
    await makeAll(db);
    for (const kind of ["hash", "list", "set", "zset"] as const) {
      await assertRejects(() => db.set(`k:${kind}`, "v", { get: true }), WrongTypeError);
      assertEquals(await db.type(`k:${kind}`), kind);
    }
  });

  /* ---------------------------------------------------------------- TYPE / EXISTS / DEL */

  t.case("type/exists/del/unlink/dbsize on every type", async (db) => {
    await makeAll(db);
    for (const kind of KINDS) assertEquals(await db.type(`k:${kind}`), kind);
    assertEquals(await db.exists(...KINDS.map((k) => `k:${k}`), "missing", "k:hash"), 6);
    assertEquals(await db.dbsize(), 5);
    assertEquals(await db.del("k:hash", "k:list"), 2);
    assertEquals(await db.unlink("k:set", "k:zset", "k:hash"), 2);
    await assertGone(db, "k:hash");
    await assertGone(db, "k:list");
    await assertGone(db, "k:set");
    await assertGone(db, "k:zset");
    assertEquals(await db.dbsize(), 1);
    assertEquals(await db.hlen("k:hash"), 0);
    assertEquals(await db.llen("k:list"), 0);
    assertEquals(await db.scard("k:set"), 0);
    assertEquals(await db.zcard("k:zset"), 0);
  });

  t.case("del: large containers", async (db) => {
    const n = 5000;
    const ms = Array.from({ length: n }, (_, i) => `m${i}`);
    await db.sadd("s", ...ms);
    await db.rpush("l", ...ms);
    await db.zadd("z", ...ms.flatMap((m, i) => [i, m]) as [number, string]);
    await db.hset("h", Object.fromEntries(ms.map((m) => [m, m])));
    assertEquals(await db.del("s", "l", "z", "h"), 4);
    assertEquals(await db.dbsize(), 0);
    assertEquals(await db.keys("*"), []);
  });

  t.case("flushall/keys/scan: containers are keys like any other", async (db) => {
    await makeAll(db);
    assertSameSet(await db.keys("k:*"), KINDS.map((k) => `k:${k}`));
    assertSameSet(await db.keys("k:?set"), ["k:zset"]);
    assertSameSet(await scanAll(db), KINDS.map((k) => `k:${k}`));
    assertEquals(await db.flushall(), "OK");
    assertEquals(await db.dbsize(), 0);
    for (const kind of KINDS) await assertGone(db, `k:${kind}`);
  });

  t.case("scan TYPE: each type filters exactly its keys", async (db) => {
    await makeAll(db);
    for (let i = 0; i < 30; i++) {
      await db.set(`s${i}`, "x");
      await db.hset(`h${i}`, "f", "v");
      await db.rpush(`l${i}`, "x");
      await db.sadd(`e${i}`, "x");
      await db.zadd(`z${i}`, i, "x");
    }
    const of = (p: string): string[] => Array.from({ length: 30 }, (_, i) => `${p}${i}`);
    assertSameSets([
      ["string", await scanAll(db, { type: "string" }), [...of("s"), "k:string"]],
      ["hash", await scanAll(db, { type: "hash" }), [...of("h"), "k:hash"]],
      ["list", await scanAll(db, { type: "list" }), [...of("l"), "k:list"]],
      ["set", await scanAll(db, { type: "set" }), [...of("e"), "k:set"]],
      ["zset", await scanAll(db, { type: "zset" }), [...of("z"), "k:zset"]],
      ["zset+match", await scanAll(db, { type: "zset", match: "z1*" }), [
        "z1",
        ...Array.from({ length: 10 }, (_, i) => `z1${i}`),
      ]],
      ["hash count 3", await scanAll(db, { type: "hash", count: 3 }), [...of("h"), "k:hash"]],
    ]);
  });

  /* ---------------------------------------------------------------- TTL on containers */

  t.case("expire: a TTL on each container type; persist removes it", async (db) => {
    await makeAll(db);
    for (const kind of ["hash", "list", "set", "zset"] as const) {
      const k = `k:${kind}`;
      assertEquals(await db.ttl(k), -1);
      assertEquals(await db.expire(k, 100), 1);
      assertNear(await db.ttl(k), 100, 1);
      assertEquals(await db.expire(k, 50, { gt: true }), 0);
      assertEquals(await db.expire(k, 200, { gt: true }), 1);
      assertNear(await db.pttl(k), 200_000, 1000);
      assertEquals(await db.persist(k), 1);
      assertEquals(await db.ttl(k), -1);
      assertEquals(await db.pexpire(k, 300_000, { nx: true }), 1);
      assertNear(await db.ttl(k), 300, 1);
    }
  });

  t.case("expire: writing to a container keeps its TTL", async (db) => {
    await makeAll(db);
    for (const kind of ["hash", "list", "set", "zset"] as const) await db.expire(`k:${kind}`, 100);
    await db.hset("k:hash", "g", "w");
    await db.hdel("k:hash", "f");
    await db.hincrby("k:hash", "n", 1);
    await db.rpush("k:list", "c");
    await db.lpop("k:list");
    await db.lset("k:list", 0, "B");
    await db.sadd("k:set", "m3");
    await db.srem("k:set", "m1");
    await db.zadd("k:zset", 5, "z3");
    await db.zincrby("k:zset", 1, "z1");
    await db.zrem("k:zset", "z2");
    for (const kind of ["hash", "list", "set", "zset"] as const) {
      assertNear(await db.ttl(`k:${kind}`), 100, 1, kind);
    }
  });

  t.case("expire: a container that expires is gone for every command", async (db) => {
    await makeAll(db);
    for (const kind of ["hash", "list", "set", "zset"] as const) {
      assertEquals(await db.pexpire(`k:${kind}`, 60), 1);
    }
    await sleep(150);
    assertEquals(await db.hget("k:hash", "f"), null);
    assertEquals(await db.hlen("k:hash"), 0);
    assertEquals(entriesOf(await db.hgetall("k:hash")), []);
    assertEquals(await db.lrange("k:list", 0, -1), []);
    assertEquals(await db.lpop("k:list"), null);
    assertEquals(await db.smembers("k:set"), []);
    assertEquals(await db.sismember("k:set", "m1"), 0);
    assertEquals(await db.zscore("k:zset", "z1"), null);
    assertEquals(await db.zrange("k:zset", 0, -1), []);
    for (const kind of ["hash", "list", "set", "zset"] as const) {
      assertEquals(await db.exists(`k:${kind}`), 0, kind);
      assertEquals(await db.type(`k:${kind}`), "none", kind);
      assertEquals(await db.ttl(`k:${kind}`), -2, kind);
    }
    /* New containers of the same names start empty and without a TTL. */
    assertEquals(await db.rpush("k:list", "fresh"), 1);
    assertEquals(await db.ttl("k:list"), -1);
    assertEquals(await db.hset("k:hash", "x", "1"), 1);
    assertEquals(await db.hlen("k:hash"), 1);
    assertEquals(await db.zadd("k:zset", 1, "only"), 1);
    assertEquals(await db.zcard("k:zset"), 1);
    assertEquals(await db.sadd("k:set", "m1"), 1);
    assertEquals(await db.scard("k:set"), 1);
    /* A string may replace an expired set, too. */
    await db.pexpire("k:set", 1);
    await sleep(20);
    assertEquals(await db.incr("k:set"), 1);
  }, { timeout: 10_000 });

  t.case("expire: a deadline in the past deletes a container at once", async (db) => {
    await makeAll(db);
    assertEquals(await db.expire("k:hash", 0), 1);
    assertEquals(await db.pexpire("k:list", -1), 1);
    assertEquals(await db.expireat("k:set", 1), 1);
    assertEquals(await db.pexpireat("k:zset", 1000), 1);
    for (const kind of ["hash", "list", "set", "zset"] as const) await assertGone(db, `k:${kind}`);
    assertEquals(await db.dbsize(), 1);
  });

  t.case("set: a string replacing a container drops its TTL; KEEPTTL keeps it", async (db) => {
    await makeAll(db);
    await db.expire("k:hash", 100);
    await db.expire("k:list", 100);
    assertEquals(await db.set("k:hash", "s"), "OK");
    assertEquals(await db.ttl("k:hash"), -1);
    assertEquals(await db.set("k:list", "s", { keepttl: true }), "OK");
    assertEquals(await db.type("k:list"), "string");
    assertNear(await db.ttl("k:list"), 100, 1);
  });

  /* ---------------------------------------------------------------- RENAME / COPY */

  t.case("rename: each container type moves with its content and TTL", async (db) => {
    await makeAll(db);
    await db.expire("k:hash", 100);
    await db.pexpire("k:zset", 50_000);
    for (const kind of ["hash", "list", "set", "zset"] as const) {
      assertEquals(await db.rename(`k:${kind}`, `r:${kind}`), "OK");
      await assertGone(db, `k:${kind}`);
      assertEquals(await db.type(`r:${kind}`), kind);
    }
    assertEquals(entriesOf(await db.hgetall("r:hash")), [["f", "v"], ["n", "1"]]);
    assertNear(await db.ttl("r:hash"), 100, 1);
    assertEquals(await db.lrange("r:list", 0, -1), ["a", "b"]);
    assertEquals(await db.ttl("r:list"), -1);
    assertSameMembers(await db.smembers("r:set"), ["m1", "m2"]);
    assertEquals(await db.zrange("r:zset", 0, -1, { withscores: true }), ["z1", 1, "z2", 2]);
    assertNear(await db.pttl("r:zset"), 50_000, 1000);
    /* And they still work as containers under the new name. */
    assertEquals(await db.hincrby("r:hash", "n", 1), 2);
    assertEquals(await db.rpush("r:list", "c"), 3);
    assertEquals(await db.zrank("r:zset", "z2"), 1);
  });

  t.case("rename: onto an existing key of another type replaces it (and its TTL)", async (db) => {
    await makeAll(db);
    await db.expire("k:string", 100);
    assertEquals(await db.rename("k:hash", "k:string"), "OK");
    assertEquals(await db.type("k:string"), "hash");
    assertEquals(await db.ttl("k:string"), -1);
    assertEquals(await db.hget("k:string", "f"), "v");
    await db.expire("k:list", 100);
    assertEquals(await db.rename("k:list", "k:set"), "OK");
    assertEquals(await db.type("k:set"), "list");
    assertNear(await db.ttl("k:set"), 100, 1);
    assertEquals(await db.renamenx("k:zset", "k:set"), 0);
    assertEquals(await db.type("k:zset"), "zset");
    assertEquals(await db.renamenx("k:zset", "fresh"), 1);
    assertEquals(await db.zscore("fresh", "z2"), 2);
    assertEquals(await db.rename("fresh", "fresh"), "OK");
    assertEquals(await db.zcard("fresh"), 2);
    assertEquals(await db.dbsize(), 3);
  });

  t.case("copy: containers are copied deeply; REPLACE and TTL", async (db) => {
    await makeAll(db);
    await db.expire("k:list", 100);
    for (const kind of ["hash", "list", "set", "zset"] as const) {
      assertEquals(await db.copy(`k:${kind}`, `c:${kind}`), 1);
      assertEquals(await db.type(`c:${kind}`), kind);
    }
    assertNear(await db.ttl("c:list"), 100, 1);
    assertEquals(await db.ttl("c:hash"), -1);
    /* Changing the copy leaves the original alone, and the other way round. */
    await db.hset("c:hash", "f", "changed");
    await db.rpush("k:list", "only-in-original");
    await db.srem("c:set", "m1");
    await db.zincrby("c:zset", 10, "z1");
    assertEquals(await db.hget("k:hash", "f"), "v");
    assertEquals(await db.hget("c:hash", "f"), "changed");
    assertEquals(await db.lrange("c:list", 0, -1), ["a", "b"]);
    assertEquals(await db.lrange("k:list", 0, -1), ["a", "b", "only-in-original"]);
    assertSameMembers(await db.smembers("k:set"), ["m1", "m2"]);
    assertSameMembers(await db.smembers("c:set"), ["m2"]);
    assertEquals(await db.zrange("k:zset", 0, -1, { withscores: true }), ["z1", 1, "z2", 2]);
    assertEquals(await db.zrange("c:zset", 0, -1, { withscores: true }), ["z2", 2, "z1", 11]);
    /* No overwrite without REPLACE; REPLACE over another type. */
    assertEquals(await db.copy("k:hash", "k:list"), 0);
    assertEquals(await db.type("k:list"), "list");
    assertEquals(await db.copy("k:hash", "k:list", { replace: true }), 1);
    assertEquals(await db.type("k:list"), "hash");
    assertEquals(await db.ttl("k:list"), -1);
    await assertRejects(() => db.copy("k:zset", "k:zset", { replace: true }), InvalidArgumentError);
    assertEquals(await db.copy("missing", "x"), 0);
  });

  t.case("copy: a large container", async (db) => {
    const ms = Array.from({ length: 3000 }, (_, i) => `m${i}`);
    await db.rpush("l", ...ms);
    await db.zadd("z", ...ms.flatMap((m, i) => [i / 2, m]) as [number, string]);
    assertEquals(await db.copy("l", "l2"), 1);
    assertEquals(await db.copy("z", "z2"), 1);
    assertEquals(await db.lrange("l2", 0, -1), ms);
    assertEquals(await db.zrange("z2", 0, -1), ms);
    assertEquals(await db.zscore("z2", "m2999"), 1499.5);
    assertEquals(await db.zrank("z2", "m1500"), 1500);
  });

  /* ---------------------------------------------------------------- emptied containers */

  t.case("emptied containers disappear for every generic command", async (db) => {
    await makeAll(db);
    for (const kind of ["hash", "list", "set", "zset"] as const) {
      const k = `k:${kind}`;
      await db.expire(k, 100);
      await EMPTIERS[kind](db, k);
      assertEquals(await db.exists(k), 0, kind);
      assertEquals(await db.type(k), "none", kind);
      assertEquals(await db.ttl(k), -2, kind);
      assertEquals(await db.persist(k), 0, kind);
      assertEquals(await db.expire(k, 10), 0, kind);
      await assertRejects(() => db.rename(k, "elsewhere"), NoSuchKeyError);
      assertEquals(await db.copy(k, "elsewhere"), 0, kind);
    }
    assertEquals(await db.keys("*"), ["k:string"]);
    assertEquals(await scanAll(db, { type: "hash" }), []);
    assertEquals(await db.dbsize(), 1);
  });

  t.case("emptied containers: pops and moves to empty", async (db) => {
    await db.rpush("l", "x");
    await db.sadd("s", "x");
    await db.zadd("z", 1, "x");
    await db.hset("h", "x", "1");
    assertEquals(await db.rpop("l", 5), ["x"]);
    assertEquals(await db.spop("s", 5), ["x"]);
    assertEquals(await db.zpopmax("z", 5), ["x", 1]);
    assertEquals(await db.hdel("h", "x"), 1);
    for (const k of ["l", "s", "z", "h"]) await assertGone(db, k);
    await db.rpush("l", "y");
    assertEquals(await db.lmove("l", "l2", "LEFT", "LEFT"), "y");
    await assertGone(db, "l");
    await db.sadd("s", "y");
    assertEquals(await db.smove("s", "s2", "y"), 1);
    await assertGone(db, "s");
    await db.zadd("z", 1, "y");
    assertEquals(await db.zremrangebyscore("z", "-inf", "+inf"), 1);
    await assertGone(db, "z");
    await db.rpush("l", "a", "b");
    assertEquals(await db.lrem("l", 0, "a"), 1);
    assertEquals(await db.lrem("l", 0, "b"), 1);
    await assertGone(db, "l");
    assertEquals(await db.dbsize(), 2);
  });
}
