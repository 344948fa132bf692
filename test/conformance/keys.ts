/**
 * Conformance: the generic key commands — DEL/UNLINK/EXISTS, TYPE, RENAME/RENAMENX/COPY,
 * KEYS and SCAN with glob patterns (MATCH, COUNT, TYPE), DBSIZE, FLUSHALL.
 *
 * Only the set of keys of a complete SCAN iteration is asserted: cursor values and page sizes
 * differ between the servers by design. TTL interactions of these commands are in
 * `expire.ts`.
 *
 * @module
 */

import { InvalidArgumentError, NoSuchKeyError } from "../../lib/mod.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertSameSet,
  assertSameSets,
  scanAll,
  type Tester,
} from "./tester.ts";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Keys that exercise every glob feature. */
const GLOB_KEYS = [
  "hello",
  "hallo",
  "hxllo",
  "hllo",
  "heeeello",
  "hillo",
  "h*llo",
  "h?llo",
  "h[e]llo",
  "h\\llo",
  "Hello",
  "a",
  "ab",
  "abc",
  "a-c",
  "a]",
  "a^",
  "ké",
  "user:1",
  "user:2",
  "user:10",
  "user:1:name",
  "",
];

/** Pattern → the keys of {@link GLOB_KEYS} it matches, as Redis 7 matches them. */
const GLOBS: [string, string[]][] = [
  ["*", GLOB_KEYS],
  ["h?llo", ["hello", "hallo", "hxllo", "hillo", "h*llo", "h?llo", "h\\llo"]],
  ["h*llo", [
    "hello",
    "hallo",
    "hxllo",
    "hllo",
    "heeeello",
    "hillo",
    "h*llo",
    "h?llo",
    "h[e]llo",
    "h\\llo",
  ]],
  ["h[ae]llo", ["hello", "hallo"]],
  ["h[^e]llo", ["hallo", "hxllo", "hillo", "h*llo", "h?llo", "h\\llo"]],
  ["h[a-b]llo", ["hallo"]],
  ["h[b-a]llo", ["hallo"]], /* a reversed range is swapped */
  ["h\\*llo", ["h*llo"]],
  ["h\\?llo", ["h?llo"]],
  ["h\\[e]llo", ["h[e]llo"]],
  ["h\\\\llo", ["h\\llo"]],
  ["H*", ["Hello"]],
  ["hello", ["hello"]],
  ["hello*", ["hello"]],
  ["*llo", [
    "hello",
    "hallo",
    "hxllo",
    "hllo",
    "heeeello",
    "hillo",
    "h*llo",
    "h?llo",
    "h[e]llo",
    "h\\llo",
    "Hello",
  ]],
  ["a*", ["a", "ab", "abc", "a-c", "a]", "a^"]],
  ["a?", ["ab", "a]", "a^"]],
  ["a??", ["abc", "a-c"]],
  ["a[-]c", ["a-c"]],
  ["a[a-c]c", ["abc"]],
  ["a[c-z]c", []],
  ["a[b]*", ["ab", "abc"]],
  ["a]", ["a]"]],
  ["a[]]", []], /* "[]" is an empty class: matches nothing */
  ["a[\\]]", ["a]"]],
  ["a[\\^]", ["a^"]],
  ["a[^b]", ["a]", "a^"]],
  ["k?", []], /* ? is one byte; é is two */
  ["k??", ["ké"]],
  ["k*", ["ké"]],
  ["user:*", ["user:1", "user:2", "user:10", "user:1:name"]],
  ["user:?", ["user:1", "user:2"]],
  ["user:[0-9]", ["user:1", "user:2"]],
  ["user:1*", ["user:1", "user:10", "user:1:name"]],
  ["*:name", ["user:1:name"]],
  ["*1*", ["user:1", "user:10", "user:1:name"]],
  ["**", GLOB_KEYS.filter((k) => k !== "")], /* only "*" itself matches the empty key */
  ["", [""]],
  ["nothing*", []],
  ["x", []],
];

/** More keys for odd patterns: unterminated classes and escapes, empty classes. */
const ODD_KEYS = [...GLOB_KEYS, "a[", "a\\", "[", "\\", "a[b", "-", "^"];

/** Odd pattern → the keys of {@link ODD_KEYS} Redis 7.0 matches (taken from Redis). */
const ODD_GLOBS: [string, string[]][] = [
  ["[", []],
  ["a[", []],
  ["a[b", ["ab"]],
  ["a\\", ["a\\"]],
  ["\\", ["\\"]],
  ["a[\\", ["a\\"]],
  ["[^]", ["-", "[", "\\", "^", "a"]],
  ["[^]]", ["a]"]],
  ["a[-c]", []],
  ["a[a-]", ["a]", "a^"]],
  ["a[^-]", ["a[", "a\\", "a]", "a^", "ab"]],
  ["[-]", ["-"]],
  ["[\\-]", ["-"]],
  ["a[!b]", ["ab"]],
  ["*[", []],
  ["a*[", []],
  ["h[a-z", []],
  ["h[^a-z", []],
  ["\\[", ["["]],
  ["[[]", ["["]],
  ["a[b-]", ["a]", "a^", "ab"]],
  ["?", ["-", "[", "\\", "^", "a"]],
  ["??", ["a[", "a\\", "a]", "a^", "ab"]],
  ["*?*?*?*?*?*?*?*?*?*?*?", ["user:1:name"]],
  ["h**llo", [
    "h*llo",
    "h?llo",
    "h[e]llo",
    "h\\llo",
    "hallo",
    "heeeello",
    "hello",
    "hillo",
    "hllo",
    "hxllo",
  ]],
  ["h*l*o", [
    "h*llo",
    "h?llo",
    "h[e]llo",
    "h\\llo",
    "hallo",
    "heeeello",
    "hello",
    "hillo",
    "hllo",
    "hxllo",
  ]],
  ["***a", ["a"]],
  ["[a-a]*", ["a", "a-c", "a[", "a[b", "a\\", "a]", "a^", "ab", "abc"]],
  ["[z-a]", ["a"]],
  ["\\a", ["a"]],
  ["a\\\\", ["a\\"]],
  ["[\\\\]", ["\\"]],
  ["[^\\\\]", ["-", "[", "^", "a"]],
];

/** The keys suite. */
export function keysSuite(t: Tester): void {
  /* ---------------------------------------------------------------- DEL / UNLINK / EXISTS */

  t.case("del: counts removed keys; a repeated key once", async (db) => {
    await db.mset({ a: "1", b: "2", c: "3", d: "4" });
    assertEquals(await db.del("a"), 1);
    assertEquals(await db.del("a"), 0);
    assertEquals(await db.del("b", "c", "missing"), 2);
    assertEquals(await db.del("d", "d", "d"), 1);
    assertEquals(await db.dbsize(), 0);
    assertEquals(await db.del("missing", "other"), 0);
  });

  t.case("unlink: the same as del", async (db) => {
    await db.mset({ a: "1", b: "2", c: "3" });
    assertEquals(await db.unlink("a", "a", "x"), 1);
    assertEquals(await db.unlink("b", "c"), 2);
    assertEquals(await db.exists("a", "b", "c"), 0);
    assertEquals(await db.unlink("a"), 0);
  });

  t.case("exists: counts, a repeated key each time", async (db) => {
    assertEquals(await db.exists("a"), 0);
    await db.mset({ a: "1", b: "" });
    assertEquals(await db.exists("a"), 1);
    assertEquals(await db.exists("b"), 1);
    assertEquals(await db.exists("a", "b", "c"), 2);
    assertEquals(await db.exists("a", "a", "a"), 3);
    assertEquals(await db.exists(enc("a"), "a"), 2);
  });

  t.case("type: string or none", async (db) => {
    assertEquals(await db.type("k"), "none");
    await db.set("k", "v");
    assertEquals(await db.type("k"), "string");
    await db.incr("n");
    assertEquals(await db.type("n"), "string");
    await db.incrbyfloat("f", 1.5);
    assertEquals(await db.type("f"), "string");
    await db.del("k");
    assertEquals(await db.type("k"), "none");
  });

  /* ---------------------------------------------------------------- RENAME / RENAMENX */

  t.case("rename: moves the value; replaces the destination", async (db) => {
    await db.set("a", "1");
    assertEquals(await db.rename("a", "b"), "OK");
    assertEquals(await db.get("a"), null);
    assertEquals(await db.get("b"), "1");
    await db.set("c", "3");
    assertEquals(await db.rename("b", "c"), "OK");
    assertEquals(await db.get("c"), "1");
    assertEquals(await db.exists("b"), 0);
    assertEquals(await db.dbsize(), 1);
  });

  t.case("rename: a missing source is an error", async (db) => {
    await assertRejects(() => db.rename("missing", "x"), NoSuchKeyError);
    await db.set("x", "v");
    await assertRejects(() => db.rename("missing", "x"), NoSuchKeyError);
    assertEquals(await db.get("x"), "v");
    await assertRejects(() => db.renamenx("missing", "y"), NoSuchKeyError);
    assertEquals(await db.exists("y"), 0);
  });

  t.case("rename: onto itself", async (db) => {
    await db.set("a", "1");
    assertEquals(await db.rename("a", "a"), "OK");
    assertEquals(await db.get("a"), "1");
    assertEquals(await db.renamenx("a", "a"), 0);
    assertEquals(await db.get("a"), "1");
    await assertRejects(() => db.rename("missing", "missing"), NoSuchKeyError);
    await assertRejects(() => db.renamenx("missing", "missing"), NoSuchKeyError);
  });

  t.case("renamenx: only onto a missing key", async (db) => {
    await db.mset({ a: "1", b: "2" });
    assertEquals(await db.renamenx("a", "b"), 0);
    assertEquals(await db.mget("a", "b"), ["1", "2"]);
    assertEquals(await db.renamenx("a", "c"), 1);
    assertEquals(await db.mget("a", "b", "c"), [null, "2", "1"]);
  });

  t.case("rename: binary and empty names", async (db) => {
    await db.set(new Uint8Array([0, 255]), "v");
    assertEquals(await db.rename(new Uint8Array([0, 255]), ""), "OK");
    assertEquals(await db.get(""), "v");
    assertEquals(await db.renamenx("", new Uint8Array([0])), 1);
    assertEquals(await db.get(new Uint8Array([0])), "v");
    assertEquals(await db.exists(""), 0);
  });

  /* ---------------------------------------------------------------- COPY */

  t.case("copy: to a missing key; not over an existing one unless replace", async (db) => {
    await db.set("a", "1");
    assertEquals(await db.copy("a", "b"), 1);
    assertEquals(await db.mget("a", "b"), ["1", "1"]);
    await db.set("a", "2");
    assertEquals(await db.copy("a", "b"), 0);
    assertEquals(await db.get("b"), "1");
    assertEquals(await db.copy("a", "b", { replace: true }), 1);
    assertEquals(await db.get("b"), "2");
    assertEquals(await db.copy("a", "b", { replace: false }), 0);
    assertEquals(await db.copy("missing", "c"), 0);
    assertEquals(await db.copy("missing", "b", { replace: true }), 0);
    assertEquals(await db.get("b"), "2");
    assertEquals(await db.exists("c"), 0);
  });

  t.case("copy: the copy is independent of the source", async (db) => {
    await db.set("a", "hello");
    await db.copy("a", "b");
    await db.append("a", " world");
    await db.setrange("b", 0, "J");
    assertEquals(await db.mget("a", "b"), ["hello world", "Jello"]);
    await db.del("a");
    assertEquals(await db.get("b"), "Jello");
    await db.set("n", "1");
    await db.copy("n", "m");
    assertEquals(await db.incr("n"), 2);
    assertEquals(await db.get("m"), "1");
  });

  t.case("copy: onto itself is an error", async (db) => {
    await db.set("a", "1");
    await assertRejects(() => db.copy("a", "a"), InvalidArgumentError);
    await assertRejects(() => db.copy("a", "a", { replace: true }), InvalidArgumentError);
    assertEquals(await db.get("a"), "1");
  });

  /* ---------------------------------------------------------------- KEYS */

  t.case("keys: every glob feature", async (db) => {
    await db.mset(GLOB_KEYS.map((k) => [k, `v:${k}`] as const));
    assertEquals(await db.dbsize(), GLOB_KEYS.length);
    const checks: [string, string[], string[]][] = [];
    for (const [pattern, expected] of GLOBS) {
      checks.push([`KEYS ${JSON.stringify(pattern)}`, await db.keys(pattern), expected]);
    }
    assertSameSets(checks);
  });

  t.case("keys: odd patterns (unterminated classes and escapes)", async (db) => {
    await db.mset(ODD_KEYS.map((k) => [k, "v"] as const));
    const checks: [string, string[], string[]][] = [];
    for (const [pattern, expected] of ODD_GLOBS) {
      checks.push([`KEYS ${JSON.stringify(pattern)}`, await db.keys(pattern), expected]);
      const scanned = await scanAll(db, { match: pattern, count: 5 });
      checks.push([`SCAN MATCH ${JSON.stringify(pattern)}`, scanned, expected]);
    }
    assertSameSets(checks);
  });

  t.case("keys: no repeats, empty database", async (db) => {
    assertEquals(await db.keys("*"), []);
    await db.mset({ a: "1", b: "2", c: "3" });
    const all = await db.keys("*");
    assertEquals(all.length, 3);
    assertSameSet(all, ["a", "b", "c"]);
    await db.del("b");
    assertSameSet(await db.keys("*"), ["a", "c"]);
  });

  t.case("keys: binary keys and patterns", async (db) => {
    await db.set(new Uint8Array([0x61, 0, 0x62]), "1");
    await db.set("a\nb", "2");
    await db.set("a b", "3");
    assertSameSet(await db.keys("a?b"), ["a\0b", "a\nb", "a b"]);
    assertSameSet(await db.keys("a\0*"), ["a\0b"]);
    assertSameSet(await db.keys("a[\n ]b"), ["a\nb", "a b"]);
  });

  t.case("keys: 1000 keys", async (db) => {
    const all: string[] = [];
    for (let i = 0; i < 1000; i++) all.push(`key:${i}`);
    await db.mset(all.map((k) => [k, "x"] as const));
    assertSameSet(await db.keys("*"), all);
    assertSameSet(await db.keys("key:99?"), ["key:990", ...all.slice(991, 1000)]);
    assertEquals((await db.keys("key:*5")).length, 100);
  });

  /* ---------------------------------------------------------------- SCAN */

  t.case("scan: an empty database", async (db) => {
    assertEquals(await db.scan(0), ["0", []]);
    assertEquals(await db.scan("0", { match: "*", count: 100 }), ["0", []]);
  });

  t.case("scan: a full iteration returns every key", async (db) => {
    const all: string[] = [];
    for (let i = 0; i < 300; i++) all.push(`k${i}`);
    await db.mset(all.map((k) => [k, "v"] as const));
    assertSameSet(await scanAll(db), all);
    assertSameSet(await scanAll(db, { count: 1 }), all);
    assertSameSet(await scanAll(db, { count: 7 }), all);
    assertSameSet(await scanAll(db, { count: 1000 }), all);
    const [cursor, keys] = await db.scan(0, { count: 10_000 });
    assertEquals(cursor, "0");
    assertSameSet(keys, all);
  });

  t.case("scan: MATCH with globs", async (db) => {
    await db.mset(GLOB_KEYS.map((k) => [k, "v"] as const));
    const checks: [string, string[], string[]][] = [];
    for (const [pattern, expected] of GLOBS) {
      const scanned = await scanAll(db, { match: pattern, count: 3 });
      checks.push([`SCAN MATCH ${JSON.stringify(pattern)}`, scanned, expected]);
    }
    assertSameSets(checks);
  });

  t.case("scan: TYPE", async (db) => {
    await db.mset({ a: "1", b: "2" });
    await db.incr("n");
    assertSameSet(await scanAll(db, { type: "string" }), ["a", "b", "n"]);
    assertSameSet(await scanAll(db, { type: "string", match: "[ab]" }), ["a", "b"]);
    for (const type of ["hash", "list", "set", "zset"] as const) {
      assertEquals(await scanAll(db, { type }), [], `TYPE ${type}`);
    }
  });

  t.case("scan: deleted keys are not returned, new ones are once present", async (db) => {
    await db.mset({ a: "1", b: "2", c: "3", d: "4" });
    await db.del("b", "d");
    assertSameSet(await scanAll(db), ["a", "c"]);
    await db.set("e", "5");
    await db.rename("a", "f");
    assertSameSet(await scanAll(db), ["c", "e", "f"]);
  });

  t.case("scan: a key present throughout is seen while others are deleted", async (db) => {
    const keep: string[] = [];
    const drop: string[] = [];
    for (let i = 0; i < 200; i++) (i % 2 === 0 ? keep : drop).push(`k${i}`);
    await db.mset([...keep, ...drop].map((k) => [k, "v"] as const));
    const seen: string[] = [];
    let cursor = "0";
    let deleted = false;
    do {
      const [next, keys] = await db.scan(cursor, { count: 10 });
      seen.push(...keys);
      if (!deleted) {
        await db.del(...drop);
        deleted = true;
      }
      cursor = next;
    } while (cursor !== "0");
    const s = new Set(seen);
    assert(keep.every((k) => s.has(k)), "a key present throughout was missed");
  });

  t.case("scan: bad arguments are errors", async (db) => {
    await db.set("a", "1");
    await assertRejects(() => db.scan("abc"), InvalidArgumentError);
    await assertRejects(() => db.scan("1.5"), InvalidArgumentError);
    await assertRejects(() => db.scan("0", { count: 0 }), InvalidArgumentError);
    await assertRejects(() => db.scan("0", { count: -5 }), InvalidArgumentError);
  });

  /* ---------------------------------------------------------------- DBSIZE / FLUSHALL */

  t.case("dbsize and flushall", async (db) => {
    assertEquals(await db.dbsize(), 0);
    await db.mset({ a: "1", b: "2", c: "3" });
    assertEquals(await db.dbsize(), 3);
    await db.set("a", "overwritten");
    assertEquals(await db.dbsize(), 3);
    await db.del("a");
    assertEquals(await db.dbsize(), 2);
    await db.rename("b", "z");
    assertEquals(await db.dbsize(), 2);
    await db.copy("z", "y");
    assertEquals(await db.dbsize(), 3);
    assertEquals(await db.flushall(), "OK");
    assertEquals(await db.dbsize(), 0);
    assertEquals(await db.get("z"), null);
    assertEquals(await db.keys("*"), []);
    assertEquals(await db.flushall(), "OK");
  });
}
