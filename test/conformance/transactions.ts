/**
 * Conformance: MULTI/EXEC through `multi()` — the replies of every kind of command in order,
 * later commands seeing earlier ones, a command failing in the middle (its error in its slot,
 * the others applied, as Redis's EXEC does), argument errors found when the batch runs, an
 * empty batch, blocking pops that do not block inside a batch, and keys created, emptied and
 * expired by a batch.
 *
 * In Redis the view sends MULTI, the queued commands and EXEC on its connection; in shmdict it
 * is `Dict.multi()` and its `exec()`. Atomicity against other processes is proven by
 * `test/multiprocess_lists.test.ts`.
 *
 * @module
 */

import {
  InvalidArgumentError,
  NotFloatError,
  NotIntegerError,
  WrongTypeError,
} from "../../lib/mod.ts";
import {
  assert,
  assertEquals,
  assertGone,
  assertNear,
  assertSameMembers,
  entriesOf,
  type Tester,
} from "./tester.ts";

/** Asserts that `r` is an error of class `cls` (a failed command's slot). */
function assertSlotError(r: unknown, cls: new (...a: never[]) => Error, what: string): void {
  assert(r instanceof cls, `${what}: expected a ${cls.name} in the slot, got ${String(r)}`);
}

/** The transactions suite. */
export function transactionsSuite(t: Tester): void {
  t.case("multi: string and key commands, replies in order", async (db) => {
    const r = await db.multi()
      .set("a", "1")
      .incr("a")
      .incrby("a", 10)
      .get("a")
      .append("a", "x")
      .get("a")
      .set("b", "v", { get: true })
      .exists("a", "b", "c")
      .del("b")
      .type("a")
      .exec();
    assertEquals(r, ["OK", 2, 12, "12", 3, "12x", null, 2, 1, "string"]);
    assertEquals(await db.get("a"), "12x");
    assertEquals(await db.exists("b"), 0);
  });

  t.case("multi: an empty batch returns no replies", async (db) => {
    assertEquals(await db.multi().exec(), []);
    assertEquals(await db.dbsize(), 0);
  });

  t.case("multi: hash commands", async (db) => {
    const r = await db.multi()
      .hset("h", { a: "1", b: "2" })
      .hsetnx("h", "a", "x")
      .hget("h", "a")
      .hmget("h", "a", "z")
      .hincrby("h", "a", 5)
      .hincrbyfloat("h", "b", 0.5)
      .hlen("h")
      .hexists("h", "b")
      .hdel("h", "b", "zz")
      .hstrlen("h", "a")
      .hkeys("h")
      .exec();
    assertEquals(r, [2, 0, "1", ["1", null], 6, 2.5, 2, 1, 1, 1, ["a"]]);
    assertEquals(entriesOf(await db.hgetall("h")), [["a", "6"]]);
  });

  t.case("multi: list commands", async (db) => {
    const r = await db.multi()
      .rpush("l", "a", "b", "c")
      .lpush("l", "z")
      .lrange("l", 0, -1)
      .lpop("l")
      .rpop("l", 2)
      .llen("l")
      .linsert("l", "AFTER", "a", "b")
      .lset("l", -1, "B")
      .lpos("l", "B")
      .lmove("l", "m", "LEFT", "RIGHT")
      .lindex("m", 0)
      .ltrim("l", 0, 0)
      .lrem("l", 0, "B")
      .exec();
    assertEquals(r, [
      3,
      4,
      ["z", "a", "b", "c"],
      "z",
      ["c", "b"],
      1,
      2,
      "OK",
      1,
      "a",
      "a",
      "OK",
      1,
    ]);
    await assertGone(db, "l");
    assertEquals(await db.lrange("m", 0, -1), ["a"]);
  });

  t.case("multi: set and sorted-set commands", async (db) => {
    const r = await db.multi()
      .sadd("s", "a", "b", "c")
      .sadd("t", "b", "c", "d")
      .sismember("s", "a")
      .smismember("s", "a", "d")
      .scard("s")
      .sintercard(["s", "t"])
      .sinterstore("i", "s", "t")
      .srem("s", "a")
      .smove("s", "t", "b")
      .zadd("z", 1, "x", 2, "y")
      .zadd("z", { incr: true }, 5, "x")
      .zadd("z", { nx: true, incr: true }, 1, "x")
      .zscore("z", "x")
      .zrank("z", "x")
      .zrange("z", 0, -1, { withscores: true })
      .zcount("z", "(2", "+inf")
      .zpopmin("z")
      .zcard("z")
      .exec();
    assertEquals(r, [
      3,
      3,
      1,
      [1, 0],
      3,
      2,
      2,
      1,
      1,
      2,
      6,
      null,
      6,
      1,
      ["y", 2, "x", 6],
      1,
      ["y", 2],
      1,
    ]);
    assertSameMembers(await db.smembers("i"), ["b", "c"]);
    assertSameMembers(await db.smembers("t"), ["b", "c", "d"]);
  });

  t.case("multi: a failing command in the middle; the others still apply", async (db) => {
    await db.hset("h", "f", "v");
    await db.set("n", "abc");
    const r = await db.multi()
      .set("a", "1")
      .incr("h")
      .incr("a")
      .incr("n")
      .rpush("h", "x")
      .hset("h", "g", "w")
      .incrbyfloat("n", 1)
      .lpush("l", "done")
      .exec();
    assertEquals(r.length, 8);
    assertEquals(r[0], "OK");
    assertSlotError(r[1], WrongTypeError, "incr h");
    assertEquals(r[2], 2);
    assertSlotError(r[3], NotIntegerError, "incr n");
    assertSlotError(r[4], WrongTypeError, "rpush h");
    assertEquals(r[5], 1);
    assertSlotError(r[6], NotFloatError, "incrbyfloat n");
    assertEquals(r[7], 1);
    assertEquals(await db.get("a"), "2");
    assertEquals(await db.get("n"), "abc");
    assertEquals(entriesOf(await db.hgetall("h")), [["f", "v"], ["g", "w"]]);
    assertEquals(await db.lrange("l", 0, -1), ["done"]);
  });

  t.case("multi: argument errors found when the batch runs fail alone", async (db) => {
    const r = await db.multi()
      .zadd("z", 1, "a")
      .zadd("z", { nx: true, xx: true }, 1, "b")
      .lpop("missing", -1)
      .zrange("z", 0, -1, { limit: { offset: 0, count: 1 } })
      .zadd("z", 2, "b")
      .exec();
    assertEquals(r.length, 5);
    assertEquals(r[0], 1);
    assertSlotError(r[1], InvalidArgumentError, "zadd nx xx");
    assertSlotError(r[2], InvalidArgumentError, "lpop -1");
    assertSlotError(r[3], InvalidArgumentError, "zrange limit");
    assertEquals(r[4], 1);
    assertEquals(await db.zrange("z", 0, -1), ["a", "b"]);
  });

  t.case("multi: later commands see earlier ones; keys emptied inside disappear", async (db) => {
    const r = await db.multi()
      .sadd("s", "x")
      .spop("s")
      .exists("s")
      .rpush("l", "1")
      .rpop("l")
      .type("l")
      .hset("h", "f", "1")
      .expire("h", 100)
      .hdel("h", "f")
      .ttl("h")
      .zadd("z", 1, "m")
      .zrem("z", "m")
      .zcard("z")
      .exec();
    assertEquals(r, [1, "x", 0, 1, "1", "none", 1, 1, 1, -2, 1, 1, 0]);
    assertEquals(await db.dbsize(), 0);
  });

  t.case("multi: TTLs set inside a batch", async (db) => {
    const r = await db.multi()
      .set("k", "v", { ex: 100 })
      .rpush("l", "a")
      .pexpire("l", 50_000)
      .ttl("k")
      .persist("k")
      .exec();
    assertEquals(r.length, 5);
    assertEquals(r[0], "OK");
    assertEquals(r[1], 1);
    assertEquals(r[2], 1);
    assertNear(r[3] as number, 100, 1);
    assertEquals(r[4], 1);
    assertEquals(await db.ttl("k"), -1);
    assertNear(await db.pttl("l"), 50_000, 1000);
  });

  t.case("multi: blocking pops inside a batch do not block", async (db) => {
    const t0 = Date.now();
    const r = await db.multi()
      .blpop("empty", 0)
      .rpush("q", "a", "b")
      .brpop("empty", "q", 0)
      .blmove("q", "r", "LEFT", "LEFT", 0)
      .blmove("q", "r", "LEFT", "LEFT", 0)
      .exec();
    assertEquals(r, [null, 2, ["q", "b"], "a", null]);
    assert(Date.now() - t0 < 2000, "the batch returned at once");
    assertEquals(await db.lrange("r", 0, -1), ["a"]);
    await assertGone(db, "q");
  });

  t.case("multi: many commands in one batch", async (db) => {
    let m = db.multi();
    for (let i = 0; i < 500; i++) m = m.rpush("l", `e${i}`).incr("n");
    const r = await m.exec();
    assertEquals(r.length, 1000);
    assertEquals(r[998], 500);
    assertEquals(r[999], 500);
    assertEquals(await db.llen("l"), 500);
    assertEquals(await db.get("n"), "500");
  });

  t.case("multi: a wrong number of arguments aborts the whole batch (EXECABORT)", async (db) => {
    /* Redis checks arity when queuing; then EXEC runs nothing. */
    await db.set("k", "before");
    let threw: unknown = null;
    let replies: unknown[] | null = null;
    try {
      replies = await db.multi().set("k", "after").hset("h", ...([] as unknown as [string])).exec();
    } catch (err) {
      threw = err;
    }
    assert(threw instanceof Error, `exec() should reject, got replies ${JSON.stringify(replies)}`);
    assertEquals(await db.get("k"), "before");
    assertEquals(await db.exists("h"), 0);
  });
}
