/**
 * Conformance: the hash commands — HSET (object, pairs and field/value arguments), HSETNX,
 * HGET/HMGET/HGETALL, HDEL, HEXISTS, HLEN, HKEYS/HVALS, HSTRLEN, HINCRBY/HINCRBYFLOAT (with
 * Redis's parsing, errors and float formatting), HRANDFIELD (counts and WITHVALUES), HSCAN
 * (MATCH, COUNT, changes between calls), empty, binary, UTF-8 and large fields and values,
 * and a hash that disappears when its last field goes.
 *
 * Orders Redis leaves unspecified (HKEYS, HVALS, HGETALL, HSCAN, HRANDFIELD) are compared as
 * multisets; random replies only by size and membership. WRONGTYPE and the generic commands
 * on hashes are in `types.ts`.
 *
 * @module
 */

import {
  InvalidArgumentError,
  NotFloatError,
  NotIntegerError,
  OverflowError,
} from "../../lib/mod.ts";
import {
  assert,
  assertEquals,
  assertGone,
  assertRejects,
  assertSameMembers,
  assertSameSet,
  entriesOf,
  hscanAll,
  pairsOf,
  sortedPairs,
  type Tester,
} from "./tester.ts";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** `n` bytes cycling through all byte values. */
function pattern(n: number, seed = 0): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + seed + (i >>> 8)) & 0xff;
  return b;
}

/** An object of `n` fields `f0..f(n-1)` → `v0..`. */
function fields(n: number, prefix = "f", vprefix = "v"): Record<string, string> {
  const o: Record<string, string> = {};
  for (let i = 0; i < n; i++) o[`${prefix}${i}`] = `${vprefix}${i}`;
  return o;
}

/** The hashes suite. */
export function hashesSuite(t: Tester): void {
  /* ---------------------------------------------------------------- HSET / HGET */

  t.case("hset/hget: an object of fields; new fields counted, updates not", async (db) => {
    assertEquals(await db.hget("h", "a"), null);
    assertEquals(await db.hset("h", { a: "1", b: "2" }), 2);
    assertEquals(await db.hget("h", "a"), "1");
    assertEquals(await db.hget("h", "b"), "2");
    assertEquals(await db.hget("h", "c"), null);
    assertEquals(await db.hset("h", { a: "10", c: "3" }), 1);
    assertEquals(await db.hget("h", "a"), "10");
    assertEquals(await db.hlen("h"), 3);
    assertEquals(await db.hset("h", { a: "10" }), 0);
    assertEquals(await db.type("h"), "hash");
    assertEquals(await db.exists("h"), 1);
    assertEquals(await db.dbsize(), 1);
  });

  t.case("hset: field, value arguments and iterables of pairs", async (db) => {
    assertEquals(await db.hset("h", "a", "1"), 1);
    assertEquals(await db.hset("h", "b", "2", "c", "3"), 2);
    assertEquals(await db.hset("h", "a", "x", "d", "4"), 1);
    assertEquals(await db.hset("m", new Map([["x", "1"], ["y", "2"]])), 2);
    assertEquals(await db.hset("m", [["y", "3"], ["z", "4"]]), 1);
    assertEquals(entriesOf(await db.hgetall("h")), [["a", "x"], ["b", "2"], ["c", "3"], [
      "d",
      "4",
    ]]);
    assertEquals(entriesOf(await db.hgetall("m")), [["x", "1"], ["y", "3"], ["z", "4"]]);
  });

  t.case(
    "hset: the same field twice in one call: the last value wins, counted once",
    async (db) => {
      assertEquals(await db.hset("h", "a", "1", "a", "2"), 1);
      assertEquals(await db.hget("h", "a"), "2");
      assertEquals(await db.hset("h", [["b", "1"], ["b", "2"], ["a", "3"]]), 1);
      assertEquals(await db.hget("h", "b"), "2");
      assertEquals(await db.hget("h", "a"), "3");
      assertEquals(await db.hlen("h"), 2);
    },
  );

  t.case("hset: a field without a value or no field at all is an error", async (db) => {
    await assertRejects(() => db.hset("h", "a", "1", "b" as never), InvalidArgumentError);
    await assertRejects(() => db.hset("h", {}), InvalidArgumentError);
    await assertRejects(() => db.hset("h", []), InvalidArgumentError);
    assertEquals(await db.exists("h"), 0);
    await db.hset("h", { a: "1" });
    await assertRejects(() => db.hset("h", {}), InvalidArgumentError);
    assertEquals(await db.hlen("h"), 1);
  });

  t.case("hset: empty fields and values, UTF-8 and binary, all distinct", async (db) => {
    const bin = new Uint8Array([0, 0xff, 0x80, 0]);
    assertEquals(await db.hset("h", "", ""), 1);
    assertEquals(await db.hset("h", "é", "ünïcödé"), 1);
    assertEquals(await db.hset("h", "😀", "emoji"), 1);
    assertEquals(await db.hset("h", bin, "binary field"), 1);
    assertEquals(await db.hset("h", "bin", bin), 1);
    assertEquals(await db.hset("h", "a\0b", "nul inside"), 1);
    assertEquals(await db.hset("h", "a", "plain"), 1);
    assertEquals(await db.hlen("h"), 7);
    assertEquals(await db.hget("h", ""), "");
    assertEquals(await db.hget("h", "é"), "ünïcödé");
    assertEquals(await db.hget("h", enc("é")), "ünïcödé");
    assertEquals(await db.hget("h", "😀"), "emoji");
    assertEquals(await db.hget("h", bin), "binary field");
    assertEquals(await db.hget("h", "bin"), "\0\ufffd\ufffd\0");
    assertEquals(await db.hget("h", "a\0b"), "nul inside");
    assertEquals(await db.hget("h", "a"), "plain");
    assertEquals(await db.hget("h", "a\0"), null);
    assertEquals(await db.hstrlen("h", "bin"), 4);
    assertEquals(await db.hstrlen("h", "é"), 11);
    assertEquals(await db.hexists("h", ""), 1);
    assertEquals(await db.hexists("h", new Uint8Array([0, 0xff, 0x80])), 0);
  });

  t.case("hset: a 1 MiB value and a 64 KiB field", async (db) => {
    const big = pattern(1024 * 1024, 3);
    const field = "F".repeat(64 * 1024);
    assertEquals(await db.hset("h", field, big), 1);
    assertEquals(await db.hstrlen("h", field), 1024 * 1024);
    assertEquals(await db.hset("h", "small", "x"), 1);
    const v = await db.hget("h", field);
    assert(v !== null);
    assertEquals(v.length, new TextDecoder().decode(big).length);
    assertEquals(await db.hkeys("h").then((k) => k.map((f) => f.length).sort()), [5, 64 * 1024]);
    assertEquals(await db.hdel("h", field), 1);
    assertEquals(await db.hlen("h"), 1);
  });

  t.case("hset: 1,000 fields in one call, then updated", async (db) => {
    const o = fields(1000);
    assertEquals(await db.hset("h", o), 1000);
    assertEquals(await db.hlen("h"), 1000);
    assertEquals(await db.hget("h", "f999"), "v999");
    assertEquals(await db.hset("h", fields(1500, "f", "w")), 500);
    assertEquals(await db.hget("h", "f0"), "w0");
    assertEquals(await db.hget("h", "f1499"), "w1499");
    assertEquals(await db.hlen("h"), 1500);
    assertSameMembers(await db.hkeys("h"), Object.keys(fields(1500)));
  });

  t.case("hset: field names that are JavaScript object keys", async (db) => {
    const names = ["__proto__", "constructor", "toString", "hasOwnProperty", "0", "1", "-1"];
    for (const n of names) assertEquals(await db.hset("h", n, `v-${n}`), 1);
    const all = await db.hgetall("h");
    assertEquals(entriesOf(all), sortedPairs(names.map((n) => [n, `v-${n}`] as const)));
    assert(Object.hasOwn(all, "__proto__"), "__proto__ is an own field of HGETALL's object");
    assertEquals(all["toString"], "v-toString");
    assertEquals(all["0"], "v-0");
    assertSameMembers(await db.hkeys("h"), names);
  });

  /* ---------------------------------------------------------------- HSETNX */

  t.case("hsetnx: only new fields; creates the hash", async (db) => {
    assertEquals(await db.hsetnx("h", "a", "1"), 1);
    assertEquals(await db.type("h"), "hash");
    assertEquals(await db.hsetnx("h", "a", "2"), 0);
    assertEquals(await db.hget("h", "a"), "1");
    assertEquals(await db.hsetnx("h", "b", ""), 1);
    assertEquals(await db.hget("h", "b"), "");
    assertEquals(await db.hsetnx("h", "b", "x"), 0);
    assertEquals(await db.hlen("h"), 2);
  });

  /* ---------------------------------------------------------------- HMGET / HGETALL */

  t.case("hmget: present, missing, repeated fields; a missing key", async (db) => {
    await db.hset("h", { a: "1", b: "2", "": "e" });
    assertEquals(await db.hmget("h", "a", "x", "b", "a", ""), ["1", null, "2", "1", "e"]);
    assertEquals(await db.hmget("h", "nope"), [null]);
    assertEquals(await db.hmget("missing", "a", "b"), [null, null]);
    assertEquals(await db.exists("missing"), 0);
  });

  t.case("hgetall: every field once; a missing key is an empty object", async (db) => {
    assertEquals(entriesOf(await db.hgetall("missing")), []);
    await db.hset("h", { b: "2", a: "1", c: "" });
    assertEquals(entriesOf(await db.hgetall("h")), [["a", "1"], ["b", "2"], ["c", ""]]);
    await db.hdel("h", "b");
    assertEquals(entriesOf(await db.hgetall("h")), [["a", "1"], ["c", ""]]);
  });

  t.case("hgetall: 300 fields (past any small encoding)", async (db) => {
    await db.hset("h", fields(300));
    const all = await db.hgetall("h");
    assertEquals(Object.keys(all).length, 300);
    assertEquals(entriesOf(all), entriesOf(fields(300)));
  });

  /* ---------------------------------------------------------------- HDEL / HEXISTS / HLEN */

  t.case("hdel: counts removed fields, repeats once, missing ones not", async (db) => {
    await db.hset("h", { a: "1", b: "2", c: "3", d: "4" });
    assertEquals(await db.hdel("h", "a"), 1);
    assertEquals(await db.hdel("h", "a"), 0);
    assertEquals(await db.hdel("h", "b", "b", "x"), 1);
    assertEquals(await db.hlen("h"), 2);
    assertEquals(await db.hdel("missing", "a"), 0);
    assertEquals(await db.hexists("h", "a"), 0);
    assertEquals(await db.hexists("h", "c"), 1);
  });

  t.case("hdel: removing the last field removes the key", async (db) => {
    await db.hset("h", { a: "1", b: "2" });
    await db.expire("h", 100);
    assertEquals(await db.hdel("h", "a", "b", "c"), 2);
    await assertGone(db, "h");
    assertEquals(await db.hlen("h"), 0);
    assertEquals(await db.ttl("h"), -2);
    assertEquals(await db.dbsize(), 0);
    /* A new hash of the same name has no TTL. */
    assertEquals(await db.hset("h", "z", "1"), 1);
    assertEquals(await db.ttl("h"), -1);
  });

  t.case("hexists/hlen/hstrlen: missing key and missing field", async (db) => {
    assertEquals(await db.hexists("missing", "a"), 0);
    assertEquals(await db.hlen("missing"), 0);
    assertEquals(await db.hstrlen("missing", "a"), 0);
    await db.hset("h", { a: "héllo", b: "" });
    assertEquals(await db.hstrlen("h", "a"), 6);
    assertEquals(await db.hstrlen("h", "b"), 0);
    assertEquals(await db.hstrlen("h", "c"), 0);
    assertEquals(await db.hexists("h", "b"), 1);
    assertEquals(await db.hlen("h"), 2);
  });

  /* ---------------------------------------------------------------- HKEYS / HVALS */

  t.case("hkeys/hvals: the same fields and values; missing key is empty", async (db) => {
    assertEquals(await db.hkeys("missing"), []);
    assertEquals(await db.hvals("missing"), []);
    await db.hset("h", { x: "1", y: "1", z: "2" });
    assertSameMembers(await db.hkeys("h"), ["x", "y", "z"]);
    assertSameMembers(await db.hvals("h"), ["1", "1", "2"]);
    /* Both walk the hash in the same order as HGETALL. */
    const all = await db.hgetall("h");
    const keys = await db.hkeys("h");
    const vals = await db.hvals("h");
    assertEquals(sortedPairs(keys.map((k, i) => [k, vals[i]] as const)), entriesOf(all));
  });

  /* ---------------------------------------------------------------- HINCRBY */

  t.case("hincrby: creates the field and the key; adds; negatives", async (db) => {
    assertEquals(await db.hincrby("h", "n", 5), 5);
    assertEquals(await db.type("h"), "hash");
    assertEquals(await db.hincrby("h", "n", -7), -2);
    assertEquals(await db.hget("h", "n"), "-2");
    assertEquals(await db.hincrby("h", "n", 0), -2);
    assertEquals(await db.hincrby("h", "m", -1), -1);
    await db.hset("h", "s", "100");
    assertEquals(await db.hincrby("h", "s", 1), 101);
    assertEquals(await db.hget("h", "s"), "101");
    assertEquals(await db.hlen("h"), 3);
  });

  t.case("hincrby: values that are not integers are errors and stay", async (db) => {
    const bad = ["abc", "1.5", " 1", "1 ", "", "+1", "01", "1e3", "9223372036854775808", "0x10"];
    let i = 0;
    for (const v of bad) {
      const f = `f${i++}`;
      await db.hset("h", f, v);
      await assertRejects(() => db.hincrby("h", f, 1), NotIntegerError);
      assertEquals(await db.hget("h", f), v, JSON.stringify(v));
    }
    await db.hset("h", "ok", "-0");
    await assertRejects(() => db.hincrby("h", "ok", 1), NotIntegerError);
  });

  t.case("hincrby: overflow is an error; the edges of int64", async (db) => {
    await db.hset("h", { max: "9223372036854775806", min: "-9223372036854775807" });
    assertEquals(await db.hincrby("h", "max", 1), 9223372036854775807);
    assertEquals(await db.hget("h", "max"), "9223372036854775807");
    await assertRejects(() => db.hincrby("h", "max", 1), OverflowError);
    assertEquals(await db.hget("h", "max"), "9223372036854775807");
    assertEquals(await db.hincrby("h", "min", -1), -9223372036854775808);
    assertEquals(await db.hget("h", "min"), "-9223372036854775808");
    await assertRejects(() => db.hincrby("h", "min", -1), OverflowError);
    await db.hset("h", "z", "5");
    await assertRejects(() => db.hincrby("h", "z", 9223372036854775807), NotIntegerError);
    assertEquals(await db.hincrby("h", "z", 2 ** 53), 2 ** 53 + 5);
    assertEquals(await db.hget("h", "z"), "9007199254740997");
  });

  t.case("hincrby: an increment that is not an integer is an error", async (db) => {
    await db.hset("h", "n", "1");
    await assertRejects(() => db.hincrby("h", "n", 1.5), NotIntegerError);
    await assertRejects(() => db.hincrby("h", "n", NaN), NotIntegerError);
    await assertRejects(() => db.hincrby("h", "n", Infinity), NotIntegerError);
    await assertRejects(() => db.hincrby("h", "x", 2 ** 64), NotIntegerError);
    assertEquals(await db.hget("h", "n"), "1");
    assertEquals(await db.hexists("h", "x"), 0);
  });

  /* ---------------------------------------------------------------- HINCRBYFLOAT */

  t.case("hincrbyfloat: adds and formats as Redis does", async (db) => {
    assertEquals(await db.hincrbyfloat("h", "a", 10.5), 10.5);
    assertEquals(await db.hget("h", "a"), "10.5");
    await db.hset("h", { b: "10.50", c: "5.0e3", d: "0.1", e: "3", i: "17" });
    assertEquals(await db.hincrbyfloat("h", "b", 0.1), 10.6);
    assertEquals(await db.hget("h", "b"), "10.6");
    assertEquals(await db.hincrbyfloat("h", "c", 200), 5200);
    assertEquals(await db.hget("h", "c"), "5200");
    assertEquals(await db.hincrbyfloat("h", "d", 0.2), 0.3);
    assertEquals(await db.hget("h", "d"), "0.3");
    assertEquals(await db.hincrbyfloat("h", "e", -3.5), -0.5);
    assertEquals(await db.hget("h", "e"), "-0.5");
    assertEquals(await db.hincrbyfloat("h", "e", 0.5), 0);
    assertEquals(await db.hget("h", "e"), "0");
    assertEquals(await db.hincrbyfloat("h", "f", 1e-5), 0.00001);
    assertEquals(await db.hget("h", "f"), "0.00001");
    assertEquals(await db.hincrbyfloat("h", "i", 1), 18);
    assertEquals(await db.hget("h", "i"), "18");
    assertEquals(await db.hincrby("h", "i", 1), 19);
    assertEquals(await db.hincrbyfloat("h", "g", 1e20), 1e20);
    assertEquals(await db.hget("h", "g"), "100000000000000000000");
    assertEquals(await db.hincrbyfloat("h", "s", 1e-7), 1e-7);
    assertEquals(await db.hget("h", "s"), "0.0000001");
  });

  t.case("hincrbyfloat: odd but valid inputs", async (db) => {
    await db.hset("h", { dot: ".5", trail: "5.", hex: "0x10", exp: "1E2", neg: "-0.0" });
    assertEquals(await db.hincrbyfloat("h", "dot", 1), 1.5);
    assertEquals(await db.hincrbyfloat("h", "trail", 1), 6);
    assertEquals(await db.hincrbyfloat("h", "hex", 1), 17);
    assertEquals(await db.hget("h", "hex"), "17");
    assertEquals(await db.hincrbyfloat("h", "exp", 0.5), 100.5);
    assertEquals(await db.hincrbyfloat("h", "neg", 2), 2);
    assertEquals(await db.hget("h", "neg"), "2");
  });

  t.case("hincrbyfloat: values that are not floats are errors and stay", async (db) => {
    const bad = [" 1.5", "1.5 ", "abc", "", "1.5e", "nan", "inf", "-inf", "1e5000", "1,5", "1\0"];
    let i = 0;
    for (const v of bad) {
      const f = `f${i++}`;
      await db.hset("h", f, v);
      await assertRejects(() => db.hincrbyfloat("h", f, 1), NotFloatError);
      assertEquals(await db.hget("h", f), v, JSON.stringify(v));
    }
  });

  t.case("hincrbyfloat: NaN and infinite increments are errors", async (db) => {
    await db.hset("h", "k", "1");
    await assertRejects(() => db.hincrbyfloat("h", "k", NaN), NotFloatError);
    await assertRejects(() => db.hincrbyfloat("h", "k", Infinity), NotFloatError);
    await assertRejects(() => db.hincrbyfloat("h", "k", -Infinity), NotFloatError);
    await assertRejects(() => db.hincrbyfloat("h", "new", NaN), NotFloatError);
    await assertRejects(() => db.hincrbyfloat("missing", "f", Infinity), NotFloatError);
    assertEquals(await db.hget("h", "k"), "1");
    assertEquals(await db.hexists("h", "new"), 0);
    assertEquals(await db.exists("missing"), 0);
  });

  t.case("hincrbyfloat: the result is not an integer for hincrby", async (db) => {
    await db.hset("h", "k", "1");
    assertEquals(await db.hincrbyfloat("h", "k", 0.5), 1.5);
    await assertRejects(() => db.hincrby("h", "k", 1), NotIntegerError);
    assertEquals(await db.hincrbyfloat("h", "k", 0.5), 2);
    assertEquals(await db.hincrby("h", "k", 1), 3);
  });

  /* ---------------------------------------------------------------- HRANDFIELD */

  t.case("hrandfield: one field, or null for a missing key", async (db) => {
    assertEquals(await db.hrandfield("missing"), null);
    await db.hset("h", { a: "1", b: "2", c: "3" });
    for (let i = 0; i < 10; i++) {
      const f = await db.hrandfield("h");
      assert(f === "a" || f === "b" || f === "c", `hrandfield gave ${f}`);
    }
    await db.hset("one", "only", "x");
    assertEquals(await db.hrandfield("one"), "only");
  });

  t.case("hrandfield: a positive count gives distinct fields", async (db) => {
    const o = fields(20);
    await db.hset("h", o);
    const two = await db.hrandfield("h", 2);
    assertEquals(two.length, 2);
    assertEquals(new Set(two).size, 2);
    for (const f of two) assert(f in o, `unknown field ${f}`);
    const fifteen = await db.hrandfield("h", 15);
    assertEquals(new Set(fifteen).size, 15);
    /* A count past the size gives every field once. */
    assertSameMembers(await db.hrandfield("h", 21), Object.keys(o));
    assertSameMembers(await db.hrandfield("h", 1000), Object.keys(o));
    assertEquals(await db.hrandfield("h", 0), []);
    assertEquals(await db.hrandfield("missing", 5), []);
    assertEquals(await db.hrandfield("missing", -5), []);
    assertEquals(await db.hlen("h"), 20);
  });

  t.case("hrandfield: a negative count may repeat fields and gives exactly |count|", async (db) => {
    await db.hset("h", { a: "1", b: "2" });
    const many = await db.hrandfield("h", -50);
    assertEquals(many.length, 50);
    assertSameSet([...new Set(many)].filter((f) => f !== "a" && f !== "b"), []);
    const one = await db.hrandfield("h", -1);
    assertEquals(one.length, 1);
    await db.hset("single", "x", "y");
    assertEquals(await db.hrandfield("single", -3), ["x", "x", "x"]);
  });

  t.case("hrandfield: WITHVALUES pairs each field with its value", async (db) => {
    const o = fields(10);
    await db.hset("h", o);
    const some = pairsOf<string>(await db.hrandfield("h", 4, { withvalues: true }));
    assertEquals(some.length, 4);
    assertEquals(new Set(some.map(([f]) => f)).size, 4);
    for (const [f, v] of some) assertEquals(v, o[f], `value of ${f}`);
    const all = pairsOf<string>(await db.hrandfield("h", 10, { withvalues: true }));
    assertEquals(sortedPairs(all), entriesOf(o));
    const rep = pairsOf<string>(await db.hrandfield("h", -25, { withvalues: true }));
    assertEquals(rep.length, 25);
    for (const [f, v] of rep) assertEquals(v, o[f], `value of ${f}`);
    assertEquals(await db.hrandfield("h", 0, { withvalues: true }), []);
    assertEquals(await db.hrandfield("missing", 3, { withvalues: true }), []);
    await db.hset("single", "x", "y");
    assertEquals(await db.hrandfield("single", -2, { withvalues: true }), ["x", "y", "x", "y"]);
  });

  /* ---------------------------------------------------------------- HSCAN */

  t.case("hscan: a full iteration returns every field with its value", async (db) => {
    assertEquals(await db.hscan("missing", 0), ["0", []]);
    await db.hset("small", { a: "1", b: "2" });
    assertEquals(sortedPairs(await hscanAll(db, "small")), [["a", "1"], ["b", "2"]]);
    const o = fields(500);
    await db.hset("h", o);
    const got = await hscanAll(db, "h");
    const seen = new Map(got);
    assertEquals(seen.size, 500);
    assertEquals(sortedPairs([...seen]), entriesOf(o));
    const counted = await hscanAll(db, "h", { count: 7 });
    assertEquals(new Map(counted).size, 500);
    const big = await hscanAll(db, "h", { count: 1000 });
    assertEquals(new Map(big).size, 500);
  });

  t.case("hscan: MATCH filters fields (not values), globs as KEYS does", async (db) => {
    await db.hset("h", {
      "user:1": "a",
      "user:2": "b",
      "user:10": "c",
      "other": "user:x",
      "": "e",
    });
    await db.hset("h", fields(100, "pad"));
    const pick = async (match: string): Promise<string[]> =>
      (await hscanAll(db, "h", { match })).map(([f]) => f);
    assertSameSet(await pick("user:*"), ["user:1", "user:2", "user:10"]);
    assertSameSet(await pick("user:?"), ["user:1", "user:2"]);
    assertSameSet(await pick("*:1*"), ["user:1", "user:10"]);
    assertSameSet(await pick("x*"), []);
    assertSameSet(await pick("pad9?"), Array.from({ length: 10 }, (_, i) => `pad9${i}`));
    assertSameSet(await pick(""), [""]);
    const withValues = await hscanAll(db, "h", { match: "o*" });
    assertEquals(sortedPairs(withValues), [["other", "user:x"]]);
  });

  t.case(
    "hscan: fields present throughout are returned despite changes between calls",
    async (db) => {
      const o = fields(400);
      await db.hset("h", o);
      const seen = new Set<string>();
      let cursor = "0";
      let round = 0;
      do {
        const [next, items] = await db.hscan("h", cursor, { count: 10 });
        for (const [f] of pairsOf(items)) seen.add(f);
        /* Between calls: add new fields and delete some that are not part of the check. */
        await db.hset("h", `new${round}a`, "x", `new${round}b`, "y");
        if (round < 100) await db.hdel("h", `f${300 + round}`);
        cursor = next;
        round++;
      } while (cursor !== "0" && round < 10_000);
      assertEquals(cursor, "0");
      const missing = Array.from({ length: 300 }, (_, i) => `f${i}`).filter((f) => !seen.has(f));
      assertEquals(missing, [], "fields present for the whole scan");
    },
  );

  t.case("hscan: bad cursors and counts are errors", async (db) => {
    await db.hset("h", "a", "1");
    await assertRejects(() => db.hscan("h", "abc"), InvalidArgumentError);
    await assertRejects(() => db.hscan("h", "1.5"), InvalidArgumentError);
    await assertRejects(() => db.hscan("h", "18446744073709551616"), InvalidArgumentError);
    await assertRejects(() => db.hscan("h", 0, { count: 0 }), InvalidArgumentError);
    await assertRejects(() => db.hscan("h", 0, { count: -1 }), InvalidArgumentError);
  });

  /* ---------------------------------------------------------------- misc */

  t.case("hash: fields deleted one by one; the key goes with the last", async (db) => {
    await db.hset("h", fields(50));
    for (let i = 0; i < 49; i++) assertEquals(await db.hdel("h", `f${i}`), 1);
    assertEquals(await db.hlen("h"), 1);
    assertEquals(await db.exists("h"), 1);
    assertEquals(await db.hdel("h", "f49"), 1);
    await assertGone(db, "h");
  });

  t.case("hash: a value grows and shrinks in place", async (db) => {
    await db.hset("h", "f", "x");
    await db.hset("h", "f", "y".repeat(100_000));
    assertEquals(await db.hstrlen("h", "f"), 100_000);
    await db.hset("h", "f", "");
    assertEquals(await db.hstrlen("h", "f"), 0);
    assertEquals(await db.hget("h", "f"), "");
    assertEquals(await db.hlen("h"), 1);
  });
}
