/**
 * Conformance: the set commands — SADD/SREM, SMEMBERS, SISMEMBER/SMISMEMBER, SCARD, SPOP and
 * SRANDMEMBER (with counts: positive distinct, negative with repeats), SMOVE, SINTER/SUNION/
 * SDIFF, SINTERCARD (LIMIT), the *STORE variants (overwriting a key of another type, an
 * empty result deleting the destination), SSCAN, integer-like, empty, binary and large
 * members, and a set that disappears when emptied.
 *
 * Member order is unspecified: replies are compared as multisets; random replies only by size
 * and membership. WRONGTYPE and the generic commands on sets are in `types.ts`.
 *
 * @module
 */

import { InvalidArgumentError, WrongTypeError } from "../../lib/mod.ts";
import {
  assert,
  assertEquals,
  assertGone,
  assertRejects,
  assertSameMembers,
  assertSameSet,
  sscanAll,
  type Tester,
} from "./tester.ts";

const members = (n: number, prefix = "m"): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** The sets suite. */
export function setsSuite(t: Tester): void {
  /* ---------------------------------------------------------------- SADD / SREM */

  t.case("sadd: counts new members only; duplicates in one call once", async (db) => {
    assertEquals(await db.sadd("s", "a", "b", "c"), 3);
    assertEquals(await db.sadd("s", "a", "d"), 1);
    assertEquals(await db.sadd("s", "e", "e", "e"), 1);
    assertEquals(await db.sadd("s", "a"), 0);
    assertEquals(await db.scard("s"), 5);
    assertSameMembers(await db.smembers("s"), ["a", "b", "c", "d", "e"]);
    assertEquals(await db.type("s"), "set");
  });

  t.case("sadd: integer-like members stay distinct strings", async (db) => {
    assertEquals(
      await db.sadd("s", "1", "01", "-0", "0", "+1", "1.0", " 1", "9223372036854775808"),
      8,
    );
    assertEquals(await db.sadd("s", "1", "0"), 0);
    assertEquals(await db.sismember("s", "01"), 1);
    assertEquals(await db.sismember("s", "00"), 0);
    assertSameMembers(await db.smembers("s"), [
      "1",
      "01",
      "-0",
      "0",
      "+1",
      "1.0",
      " 1",
      "9223372036854775808",
    ]);
    /* A set of integers only (Redis's intset), then a string joins it. */
    assertEquals(await db.sadd("ints", "3", "1", "2", "-5", "100000000000"), 5);
    assertSameMembers(await db.smembers("ints"), ["3", "1", "2", "-5", "100000000000"]);
    assertEquals(await db.sadd("ints", "x"), 1);
    assertEquals(await db.sismember("ints", "2"), 1);
    assertEquals(await db.srem("ints", "2", "x"), 2);
    assertSameMembers(await db.smembers("ints"), ["3", "1", "-5", "100000000000"]);
  });

  t.case("sadd: empty, UTF-8, binary and large members", async (db) => {
    const bin = new Uint8Array([0, 0xff, 1]);
    const big = "b".repeat(100_000);
    assertEquals(await db.sadd("s", "", "é", "😀", bin, "a\0b", big), 6);
    assertEquals(await db.sismember("s", ""), 1);
    assertEquals(await db.sismember("s", bin), 1);
    assertEquals(await db.sismember("s", new Uint8Array([0, 0xff])), 0);
    assertEquals(await db.sismember("s", "a\0b"), 1);
    assertEquals(await db.sismember("s", big), 1);
    assertEquals(await db.sismember("s", big + "b"), 0);
    assertSameMembers(await db.smembers("s"), ["", "é", "😀", "\0\ufffd\x01", "a\0b", big]);
    assertEquals(await db.srem("s", big, bin), 2);
    assertEquals(await db.scard("s"), 4);
  });

  t.case("srem: counts removed members; the last one removes the key", async (db) => {
    assertEquals(await db.srem("missing", "a"), 0);
    await db.sadd("s", "a", "b", "c");
    assertEquals(await db.srem("s", "a", "a", "x"), 1);
    assertEquals(await db.srem("s", "a"), 0);
    assertEquals(await db.scard("s"), 2);
    await db.expire("s", 100);
    assertEquals(await db.srem("s", "b", "c"), 2);
    await assertGone(db, "s");
    assertEquals(await db.ttl("s"), -2);
  });

  t.case("smembers/sismember/smismember/scard on a missing key", async (db) => {
    assertEquals(await db.smembers("missing"), []);
    assertEquals(await db.sismember("missing", "a"), 0);
    assertEquals(await db.smismember("missing", "a", "b"), [0, 0]);
    assertEquals(await db.scard("missing"), 0);
    assertEquals(await db.exists("missing"), 0);
  });

  t.case("smismember: one answer per member, in order, repeats too", async (db) => {
    await db.sadd("s", "a", "b");
    assertEquals(await db.smismember("s", "a", "x", "b", "a", ""), [1, 0, 1, 1, 0]);
    assertEquals(await db.smismember("s", "b"), [1]);
  });

  t.case("sadd/srem: 2,000 members", async (db) => {
    const m = members(2000);
    assertEquals(await db.sadd("s", ...m), 2000);
    assertEquals(await db.scard("s"), 2000);
    assertEquals(await db.srem("s", ...m.filter((_, i) => i % 2 === 0)), 1000);
    assertSameMembers(await db.smembers("s"), m.filter((_, i) => i % 2 === 1));
    assertEquals(await db.sismember("s", "m1999"), 1);
    assertEquals(await db.sismember("s", "m1998"), 0);
  });

  /* ---------------------------------------------------------------- SPOP */

  t.case("spop: one member, removed; null on a missing key", async (db) => {
    assertEquals(await db.spop("missing"), null);
    await db.sadd("s", "a", "b", "c");
    const p = await db.spop("s");
    assert(p === "a" || p === "b" || p === "c", `spop gave ${p}`);
    assertEquals(await db.sismember("s", p), 0);
    assertEquals(await db.scard("s"), 2);
    await db.spop("s");
    await db.spop("s");
    await assertGone(db, "s");
    assertEquals(await db.spop("s"), null);
  });

  t.case("spop count: distinct members, removed; the rest stays", async (db) => {
    const m = members(20);
    await db.sadd("s", ...m);
    const p = await db.spop("s", 5);
    assertEquals(p.length, 5);
    assertEquals(new Set(p).size, 5);
    for (const x of p) assert(m.includes(x), `unknown member ${x}`);
    const rest = await db.smembers("s");
    assertEquals(rest.length, 15);
    assertSameMembers([...rest, ...p], m);
    assertEquals(await db.spop("s", 0), []);
    assertEquals(await db.scard("s"), 15);
    const all = await db.spop("s", 100);
    assertSameMembers(all, rest);
    await assertGone(db, "s");
    assertEquals(await db.spop("s", 3), []);
    assertEquals(await db.spop("s", 0), []);
  });

  t.case("spop count: most of a large set (Redis's other algorithm)", async (db) => {
    const m = members(300);
    await db.sadd("s", ...m);
    const p = await db.spop("s", 250);
    assertEquals(new Set(p).size, 250);
    const rest = await db.smembers("s");
    assertEquals(rest.length, 50);
    assertSameMembers([...rest, ...p], m);
  });

  t.case("spop: a negative count is an error", async (db) => {
    await db.sadd("s", "a");
    await assertRejects(() => db.spop("s", -1), InvalidArgumentError);
    await assertRejects(() => db.spop("missing", -1), InvalidArgumentError);
    assertEquals(await db.scard("s"), 1);
  });

  /* ---------------------------------------------------------------- SRANDMEMBER */

  t.case("srandmember: one member, not removed", async (db) => {
    assertEquals(await db.srandmember("missing"), null);
    await db.sadd("s", "a", "b");
    for (let i = 0; i < 5; i++) {
      const r = await db.srandmember("s");
      assert(r === "a" || r === "b", `srandmember gave ${r}`);
    }
    assertEquals(await db.scard("s"), 2);
  });

  t.case("srandmember count: positive distinct, negative with repeats", async (db) => {
    const m = members(30);
    await db.sadd("s", ...m);
    const some = await db.srandmember("s", 10);
    assertEquals(some.length, 10);
    assertEquals(new Set(some).size, 10);
    for (const x of some) assert(m.includes(x), `unknown member ${x}`);
    assertSameMembers(await db.srandmember("s", 30), m);
    assertSameMembers(await db.srandmember("s", 1000), m);
    const rep = await db.srandmember("s", -100);
    assertEquals(rep.length, 100);
    for (const x of rep) assert(m.includes(x), `unknown member ${x}`);
    assertEquals(await db.srandmember("s", 0), []);
    assertEquals(await db.srandmember("missing", 5), []);
    assertEquals(await db.srandmember("missing", -5), []);
    assertEquals(await db.scard("s"), 30);
    await db.sadd("one", "x");
    assertEquals(await db.srandmember("one", -3), ["x", "x", "x"]);
    assertEquals(await db.srandmember("one", 3), ["x"]);
  });

  t.case("srandmember count: most of a larger set", async (db) => {
    const m = members(200);
    await db.sadd("s", ...m);
    const r = await db.srandmember("s", 190);
    assertEquals(r.length, 190);
    assertEquals(new Set(r).size, 190);
    assertSameSet(r.filter((x) => !m.includes(x)), []);
  });

  /* ---------------------------------------------------------------- SMOVE */

  t.case("smove: moves a member; 0 when absent; creates the destination", async (db) => {
    await db.sadd("src", "a", "b");
    assertEquals(await db.smove("src", "dst", "a"), 1);
    assertSameMembers(await db.smembers("src"), ["b"]);
    assertSameMembers(await db.smembers("dst"), ["a"]);
    assertEquals(await db.type("dst"), "set");
    assertEquals(await db.smove("src", "dst", "x"), 0);
    assertEquals(await db.smove("missing", "dst", "a"), 0);
    await db.sadd("dst", "b");
    assertEquals(await db.smove("src", "dst", "b"), 1);
    await assertGone(db, "src");
    assertSameMembers(await db.smembers("dst"), ["a", "b"]);
  });

  t.case("smove: onto the same set, and with a wrong-type destination", async (db) => {
    await db.sadd("s", "a");
    assertEquals(await db.smove("s", "s", "a"), 1);
    assertEquals(await db.smove("s", "s", "x"), 0);
    assertSameMembers(await db.smembers("s"), ["a"]);
    await db.set("str", "v");
    await assertRejects(() => db.smove("s", "str", "a"), WrongTypeError);
    await assertRejects(() => db.smove("s", "str", "x"), WrongTypeError);
    assertSameMembers(await db.smembers("s"), ["a"]);
    /* A missing source answers 0 before the destination's type is looked at. */
    assertEquals(await db.smove("missing", "str", "a"), 0);
    await assertRejects(() => db.smove("str", "s", "a"), WrongTypeError);
  });

  /* ---------------------------------------------------------------- SINTER / SUNION / SDIFF */

  t.case("sinter/sunion/sdiff: the algebra", async (db) => {
    await db.sadd("a", "1", "2", "3", "4");
    await db.sadd("b", "3", "4", "5");
    await db.sadd("c", "4", "5", "6", "x");
    assertSameMembers(await db.sinter("a", "b"), ["3", "4"]);
    assertSameMembers(await db.sinter("a", "b", "c"), ["4"]);
    assertSameMembers(await db.sinter("a"), ["1", "2", "3", "4"]);
    assertSameMembers(await db.sinter("a", "a"), ["1", "2", "3", "4"]);
    assertSameMembers(await db.sunion("a", "b"), ["1", "2", "3", "4", "5"]);
    assertSameMembers(await db.sunion("a", "b", "c"), ["1", "2", "3", "4", "5", "6", "x"]);
    assertSameMembers(await db.sdiff("a", "b"), ["1", "2"]);
    assertSameMembers(await db.sdiff("a", "b", "c"), ["1", "2"]);
    assertSameMembers(await db.sdiff("c", "a"), ["5", "6", "x"]);
    assertSameMembers(await db.sdiff("a", "a"), []);
    assertSameMembers(await db.sdiff("a"), ["1", "2", "3", "4"]);
  });

  t.case("sinter/sunion/sdiff: missing keys are empty sets", async (db) => {
    await db.sadd("a", "1", "2");
    assertEquals(await db.sinter("a", "missing"), []);
    assertEquals(await db.sinter("missing", "a"), []);
    assertEquals(await db.sinter("missing"), []);
    assertSameMembers(await db.sunion("missing", "a", "other"), ["1", "2"]);
    assertEquals(await db.sunion("missing"), []);
    assertSameMembers(await db.sdiff("a", "missing"), ["1", "2"]);
    assertEquals(await db.sdiff("missing", "a"), []);
  });

  t.case("sinter/sunion/sdiff: a key of another type is WRONGTYPE, wherever it is", async (db) => {
    await db.sadd("a", "1");
    await db.set("str", "x");
    await db.rpush("list", "1");
    for (const keys of [["a", "str"], ["str", "a"], ["a", "list"], ["missing", "str"]]) {
      await assertRejects(() => db.sinter(...keys), WrongTypeError, undefined);
      await assertRejects(() => db.sunion(...keys), WrongTypeError, undefined);
    }
    await assertRejects(() => db.sdiff("str", "a"), WrongTypeError);
    await assertRejects(() => db.sdiff("a", "str"), WrongTypeError);
    await assertRejects(() => db.sdiff("a", "missing", "list"), WrongTypeError);
  });

  t.case("sinter/sunion/sdiff: larger sets", async (db) => {
    const a = members(500);
    const b = members(500).filter((_, i) => i % 3 === 0).concat(members(100, "b"));
    await db.sadd("a", ...a);
    await db.sadd("b", ...b);
    assertSameMembers(await db.sinter("a", "b"), a.filter((_, i) => i % 3 === 0));
    assertSameMembers(await db.sunion("a", "b"), [...a, ...members(100, "b")]);
    assertSameMembers(await db.sdiff("a", "b"), a.filter((_, i) => i % 3 !== 0));
    assertSameMembers(await db.sdiff("b", "a"), members(100, "b"));
  });

  /* ---------------------------------------------------------------- SINTERCARD */

  t.case("sintercard: counts, LIMIT caps it, 0 means no limit", async (db) => {
    await db.sadd("a", "1", "2", "3", "4", "5");
    await db.sadd("b", "2", "3", "4", "5", "6");
    assertEquals(await db.sintercard(["a", "b"]), 4);
    assertEquals(await db.sintercard(["a", "b"], { limit: 2 }), 2);
    assertEquals(await db.sintercard(["a", "b"], { limit: 4 }), 4);
    assertEquals(await db.sintercard(["a", "b"], { limit: 10 }), 4);
    assertEquals(await db.sintercard(["a", "b"], { limit: 0 }), 4);
    assertEquals(await db.sintercard(["a"]), 5);
    assertEquals(await db.sintercard(["a"], { limit: 3 }), 3);
    assertEquals(await db.sintercard(["a", "missing"]), 0);
    assertEquals(await db.sintercard(["missing"]), 0);
  });

  t.case("sintercard: errors", async (db) => {
    await db.sadd("a", "1");
    await db.set("str", "x");
    await assertRejects(() => db.sintercard(["a"], { limit: -1 }), InvalidArgumentError);
    await assertRejects(() => db.sintercard([]), InvalidArgumentError);
    await assertRejects(() => db.sintercard(["a", "str"]), WrongTypeError);
    await assertRejects(() => db.sintercard(["str"]), WrongTypeError);
  });

  /* ---------------------------------------------------------------- *STORE */

  t.case("sinterstore/sunionstore/sdiffstore: store and count", async (db) => {
    await db.sadd("a", "1", "2", "3");
    await db.sadd("b", "2", "3", "4");
    assertEquals(await db.sinterstore("i", "a", "b"), 2);
    assertSameMembers(await db.smembers("i"), ["2", "3"]);
    assertEquals(await db.sunionstore("u", "a", "b"), 4);
    assertSameMembers(await db.smembers("u"), ["1", "2", "3", "4"]);
    assertEquals(await db.sdiffstore("d", "a", "b"), 1);
    assertSameMembers(await db.smembers("d"), ["1"]);
    assertEquals(await db.type("i"), "set");
    /* The destination may be a source. */
    assertEquals(await db.sunionstore("a", "a", "b"), 4);
    assertSameMembers(await db.smembers("a"), ["1", "2", "3", "4"]);
    assertEquals(await db.sdiffstore("a", "a", "b"), 1);
    assertSameMembers(await db.smembers("a"), ["1"]);
  });

  t.case("*store: an empty result deletes the destination", async (db) => {
    await db.sadd("a", "1");
    await db.sadd("b", "2");
    await db.sadd("dst", "old");
    assertEquals(await db.sinterstore("dst", "a", "b"), 0);
    await assertGone(db, "dst");
    await db.sadd("dst", "old");
    assertEquals(await db.sdiffstore("dst", "a", "a"), 0);
    await assertGone(db, "dst");
    await db.sadd("dst", "old");
    assertEquals(await db.sunionstore("dst", "missing", "nothing"), 0);
    await assertGone(db, "dst");
    assertEquals(await db.sinterstore("dst", "missing"), 0);
    await assertGone(db, "dst");
  });

  t.case("*store: overwrites a destination of another type, and drops its TTL", async (db) => {
    await db.sadd("a", "1", "2");
    await db.sadd("b", "2");
    await db.set("dst", "string", { ex: 100 });
    assertEquals(await db.sinterstore("dst", "a", "b"), 1);
    assertEquals(await db.type("dst"), "set");
    assertEquals(await db.ttl("dst"), -1);
    await db.del("dst");
    await db.rpush("dst", "x");
    assertEquals(await db.sunionstore("dst", "a", "b"), 2);
    assertEquals(await db.type("dst"), "set");
    await db.del("dst");
    await db.hset("dst", "f", "v");
    assertEquals(await db.sdiffstore("dst", "a", "b"), 1);
    assertSameMembers(await db.smembers("dst"), ["1"]);
    await db.del("dst");
    await db.zadd("dst", 1, "z");
    await db.expire("dst", 100);
    assertEquals(await db.sdiffstore("dst", "missing"), 0);
    await assertGone(db, "dst");
    await db.set("dst", "x");
    await assertRejects(() => db.sinterstore("dst", "a", "dst"), WrongTypeError);
    assertEquals(await db.get("dst"), "x");
    await assertRejects(() => db.sunionstore("out", "a", "dst"), WrongTypeError);
    assertEquals(await db.exists("out"), 0);
  });

  /* ---------------------------------------------------------------- SSCAN */

  t.case("sscan: a full iteration returns every member", async (db) => {
    assertEquals(await db.sscan("missing", 0), ["0", []]);
    await db.sadd("small", "a", "b");
    assertSameMembers(await sscanAll(db, "small"), ["a", "b"]);
    await db.sadd("ints", "1", "2", "3");
    assertSameMembers(await sscanAll(db, "ints"), ["1", "2", "3"]);
    const m = members(700);
    await db.sadd("s", ...m);
    assertSameSet(await sscanAll(db, "s"), m);
    assertSameSet(await sscanAll(db, "s", { count: 3 }), m);
    assertSameSet(await sscanAll(db, "s", { count: 5000 }), m);
  });

  t.case("sscan: MATCH", async (db) => {
    await db.sadd("s", ...members(200), "x1", "x2", "y", "");
    assertSameSet(await sscanAll(db, "s", { match: "x*" }), ["x1", "x2"]);
    assertSameSet(await sscanAll(db, "s", { match: "m19?" }), members(10).map((_, i) => `m19${i}`));
    assertSameSet(await sscanAll(db, "s", { match: "[xy]*", count: 50 }), ["x1", "x2", "y"]);
    assertSameSet(await sscanAll(db, "s", { match: "" }), [""]);
    assertSameSet(await sscanAll(db, "s", { match: "none*" }), []);
    await db.sadd("ints", "10", "11", "20");
    assertSameSet(await sscanAll(db, "ints", { match: "1*" }), ["10", "11"]);
  });

  t.case("sscan: members present throughout are returned despite changes", async (db) => {
    await db.sadd("s", ...members(400));
    const seen = new Set<string>();
    let cursor = "0";
    let round = 0;
    do {
      const [next, items] = await db.sscan("s", cursor, { count: 8 });
      for (const m of items) seen.add(m);
      await db.sadd("s", `new${round}`, `new${round}x`, `new${round}y`);
      if (round < 100) await db.srem("s", `m${300 + round}`);
      cursor = next;
      round++;
    } while (cursor !== "0" && round < 10_000);
    assertEquals(cursor, "0");
    assertEquals(members(300).filter((m) => !seen.has(m)), [], "members present throughout");
  });

  t.case("sscan: bad cursors and counts are errors", async (db) => {
    await db.sadd("s", "a");
    await assertRejects(() => db.sscan("s", "x"), InvalidArgumentError);
    await assertRejects(() => db.sscan("s", 0, { count: 0 }), InvalidArgumentError);
  });
}
