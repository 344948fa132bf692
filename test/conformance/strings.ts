/**
 * Conformance: the string commands — GET/SET and every SET option, MGET/MSET/MSETNX, GETDEL,
 * GETEX, GETRANGE/SETRANGE, APPEND, STRLEN, the counters (INCR/DECR/INCRBY/DECRBY/INCRBYFLOAT
 * with Redis's parsing, errors and float formatting), empty, binary, UTF-8 and 1 MiB values.
 *
 * Written once against the {@link View}; expectations are Redis 7's behaviour. TTL
 * interactions of these commands are in `expire.ts`.
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
  assertBytes,
  assertEquals,
  assertNear,
  assertRejects,
  nowSec,
  type Tester,
} from "./tester.ts";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
/** Decodes as both views do: UTF-8, U+FFFD for bad bytes, a BOM kept. */
const dec = (b: Uint8Array): string => new TextDecoder("utf-8", { ignoreBOM: true }).decode(b);

/** `n` bytes cycling through all 256 byte values (0x00 and 0xff included). */
function pattern(n: number, seed = 0): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed + (i >>> 8)) & 0xff;
  return b;
}

/** 32-bit FNV-1a of a string's UTF-16 code units (to compare long texts compactly). */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const MiB = 1024 * 1024;

/** The string suite. */
export function stringsSuite(t: Tester): void {
  /* ---------------------------------------------------------------- GET / SET */

  t.case("get/set: set returns OK, get reads back, missing is null", async (db) => {
    assertEquals(await db.get("k"), null);
    assertEquals(await db.set("k", "v1"), "OK");
    assertEquals(await db.get("k"), "v1");
    assertEquals(await db.set("k", "second value"), "OK");
    assertEquals(await db.get("k"), "second value");
    assertEquals(await db.get("other"), null);
    assertEquals(await db.getBytes("other"), null);
    assertEquals(await db.type("k"), "string");
    assertEquals(await db.dbsize(), 1);
  });

  t.case("get/set: the empty value is a value", async (db) => {
    assertEquals(await db.set("e", ""), "OK");
    assertEquals(await db.get("e"), "");
    assertBytes(await db.getBytes("e"), new Uint8Array(0));
    assertEquals(await db.exists("e"), 1);
    assertEquals(await db.strlen("e"), 0);
    assertEquals(await db.type("e"), "string");
    assertEquals(await db.getrange("e", 0, -1), "");
    assertEquals(await db.append("e", ""), 0);
    assertEquals(await db.mget("e", "missing"), ["", null]);
  });

  t.case("get/set: the empty key is a key", async (db) => {
    assertEquals(await db.set("", "empty-key"), "OK");
    assertEquals(await db.get(""), "empty-key");
    assertEquals(await db.exists(""), 1);
    assertEquals(await db.keys("*"), [""]);
    assertEquals(await db.del(""), 1);
    assertEquals(await db.get(""), null);
  });

  t.case("set NX: only when missing", async (db) => {
    assertEquals(await db.set("k", "a", { nx: true }), "OK");
    assertEquals(await db.set("k", "b", { nx: true }), null);
    assertEquals(await db.get("k"), "a");
  });

  t.case("set XX: only when present", async (db) => {
    assertEquals(await db.set("k", "a", { xx: true }), null);
    assertEquals(await db.exists("k"), 0);
    await db.set("k", "a");
    assertEquals(await db.set("k", "b", { xx: true }), "OK");
    assertEquals(await db.get("k"), "b");
  });

  t.case("set NX+XX is a syntax error and changes nothing", async (db) => {
    await assertRejects(() => db.set("k", "v", { nx: true, xx: true }), InvalidArgumentError);
    assertEquals(await db.exists("k"), 0);
    await db.set("k", "old");
    await assertRejects(() => db.set("k", "v", { nx: true, xx: true }), InvalidArgumentError);
    assertEquals(await db.get("k"), "old");
  });

  t.case("set GET: returns the old value", async (db) => {
    assertEquals(await db.set("k", "a", { get: true }), null);
    assertEquals(await db.get("k"), "a");
    assertEquals(await db.set("k", "b", { get: true }), "a");
    assertEquals(await db.get("k"), "b");
    assertEquals(await db.set("k", "", { get: true }), "b");
    assertEquals(await db.set("k", "c", { get: true }), "");
  });

  t.case("set GET with NX / XX", async (db) => {
    /* NX+GET (allowed since Redis 7): a present key is returned, not overwritten. */
    assertEquals(await db.set("k", "a", { nx: true, get: true }), null);
    assertEquals(await db.get("k"), "a");
    assertEquals(await db.set("k", "b", { nx: true, get: true }), "a");
    assertEquals(await db.get("k"), "a");
    /* XX+GET on a missing key: null, nothing written. */
    assertEquals(await db.set("m", "x", { xx: true, get: true }), null);
    assertEquals(await db.exists("m"), 0);
    assertEquals(await db.set("k", "c", { xx: true, get: true }), "a");
    assertEquals(await db.get("k"), "c");
  });

  t.case("set: bad expiry options are errors and change nothing", async (db) => {
    await db.set("k", "old");
    await assertRejects(() => db.set("k", "v", { ex: 0 }), InvalidArgumentError);
    await assertRejects(() => db.set("k", "v", { ex: -5 }), InvalidArgumentError);
    await assertRejects(() => db.set("k", "v", { px: 0 }), InvalidArgumentError);
    await assertRejects(() => db.set("k", "v", { px: -1 }), InvalidArgumentError);
    await assertRejects(() => db.set("k", "v", { exat: 0 }), InvalidArgumentError);
    await assertRejects(() => db.set("k", "v", { pxat: -1 }), InvalidArgumentError);
    await assertRejects(() => db.set("k", "v", { ex: 1.5 }), NotIntegerError);
    await assertRejects(() => db.set("k", "v", { px: 10.25 }), NotIntegerError);
    await assertRejects(() => db.set("k", "v", { ex: 10, px: 100 }), InvalidArgumentError);
    await assertRejects(() => db.set("k", "v", { exat: 10, pxat: 100 }), InvalidArgumentError);
    await assertRejects(
      () => db.set("k", "v", { ex: 10, keepttl: true }),
      InvalidArgumentError,
    );
    await assertRejects(
      () => db.set("k", "v", { pxat: Date.now() + 1000, keepttl: true }),
      InvalidArgumentError,
    );
    assertEquals(await db.get("k"), "old");
    assertEquals(await db.ttl("k"), -1);
  });

  t.case("set EX/PX/EXAT/PXAT set the expiry", async (db) => {
    await db.set("ex", "v", { ex: 100 });
    assertNear(await db.ttl("ex"), 100, 1);
    await db.set("px", "v", { px: 5000 });
    assertNear(await db.pttl("px"), 5000, 100);
    const at = nowSec() + 1000;
    await db.set("exat", "v", { exat: at });
    assertEquals(await db.expiretime("exat"), at);
    assertNear(await db.ttl("exat"), 1000, 1);
    const pat = Date.now() + 20_000;
    await db.set("pxat", "v", { pxat: pat });
    assertEquals(await db.pexpiretime("pxat"), pat);
    assertNear(await db.pttl("pxat"), 20_000, 100);
    assertEquals(await db.get("pxat"), "v");
  });

  t.case("set: large expiry times are accepted", async (db) => {
    await db.set("a", "v", { ex: 2 ** 40 });
    assertNear(await db.ttl("a"), 2 ** 40, 1);
    await db.set("b", "v", { px: 2 ** 50 });
    assertNear(await db.pttl("b"), 2 ** 50, 100);
    await db.set("c", "v", { exat: 2 ** 40 });
    assertEquals(await db.expiretime("c"), 2 ** 40);
    await db.set("d", "v", { pxat: 2 ** 50 });
    assertEquals(await db.pexpiretime("d"), 2 ** 50);
  });

  t.case("set EXAT/PXAT in the past: the key is gone at once", async (db) => {
    assertEquals(await db.set("a", "v", { exat: 1 }), "OK");
    assertEquals(await db.get("a"), null);
    assertEquals(await db.exists("a"), 0);
    assertEquals(await db.set("b", "v", { pxat: Date.now() - 1000 }), "OK");
    assertEquals(await db.get("b"), null);
    assertEquals(await db.ttl("b"), -2);
    await db.set("c", "old");
    assertEquals(await db.set("c", "new", { exat: 1, get: true }), "old");
    assertEquals(await db.get("c"), null);
  });

  /* ---------------------------------------------------------------- MGET / MSET / MSETNX */

  t.case("mget: values and nulls in order, repeats allowed", async (db) => {
    await db.set("a", "1");
    await db.set("b", "2");
    assertEquals(await db.mget("a", "b", "c"), ["1", "2", null]);
    assertEquals(await db.mget("c"), [null]);
    assertEquals(await db.mget("a", "a", "c", "a"), ["1", "1", null, "1"]);
    assertEquals(await db.mget(enc("a"), "b"), ["1", "2"]);
  });

  t.case("mget/mset/del/exists/unlink with no keys are errors", async (db) => {
    await assertRejects(() => db.mget(), InvalidArgumentError);
    await assertRejects(() => db.mset({}), InvalidArgumentError);
    await assertRejects(() => db.mset([]), InvalidArgumentError);
    await assertRejects(() => db.msetnx({}), InvalidArgumentError);
    await assertRejects(() => db.del(), InvalidArgumentError);
    await assertRejects(() => db.unlink(), InvalidArgumentError);
    await assertRejects(() => db.exists(), InvalidArgumentError);
  });

  t.case(
    "mset: an object or pairs; overwrites; a repeated key keeps its last value",
    async (db) => {
      assertEquals(await db.mset({ a: "1", b: "2" }), "OK");
      assertEquals(await db.mget("a", "b"), ["1", "2"]);
      assertEquals(await db.mset([["b", "20"], ["c", "30"]]), "OK");
      assertEquals(await db.mget("a", "b", "c"), ["1", "20", "30"]);
      assertEquals(await db.mset([["d", "first"], ["d", "second"]]), "OK");
      assertEquals(await db.get("d"), "second");
      assertEquals(await db.mset([[enc("e"), new Uint8Array([0, 255])]]), "OK");
      assertBytes(await db.getBytes("e"), new Uint8Array([0, 255]));
      assertEquals(await db.dbsize(), 5);
    },
  );

  t.case("msetnx: all or nothing", async (db) => {
    assertEquals(await db.msetnx({ a: "1", b: "2" }), 1);
    assertEquals(await db.mget("a", "b"), ["1", "2"]);
    assertEquals(await db.msetnx({ c: "3", a: "x" }), 0);
    assertEquals(await db.mget("a", "c"), ["1", null]);
    assertEquals(await db.exists("c"), 0);
    /* A key named twice, not yet present: set, the last value wins. */
    assertEquals(await db.msetnx([["d", "first"], ["d", "second"]]), 1);
    assertEquals(await db.get("d"), "second");
  });

  /* ---------------------------------------------------------------- GETDEL / GETEX */

  t.case("getdel: returns and removes", async (db) => {
    await db.set("k", "v");
    assertEquals(await db.getdel("k"), "v");
    assertEquals(await db.exists("k"), 0);
    assertEquals(await db.getdel("k"), null);
    await db.set("e", "");
    assertEquals(await db.getdel("e"), "");
    assertEquals(await db.exists("e"), 0);
  });

  t.case("getex: options set or remove the expiry and return the value", async (db) => {
    assertEquals(await db.getex("missing"), null);
    assertEquals(await db.getex("missing", { ex: 10 }), null);
    assertEquals(await db.exists("missing"), 0);
    await db.set("k", "v");
    assertEquals(await db.getex("k"), "v");
    assertEquals(await db.ttl("k"), -1);
    assertEquals(await db.getex("k", { ex: 100 }), "v");
    assertNear(await db.ttl("k"), 100, 1);
    assertEquals(await db.getex("k"), "v");
    assertNear(await db.ttl("k"), 100, 1);
    assertEquals(await db.getex("k", { px: 5000 }), "v");
    assertNear(await db.pttl("k"), 5000, 100);
    const at = nowSec() + 500;
    assertEquals(await db.getex("k", { exat: at }), "v");
    assertEquals(await db.expiretime("k"), at);
    const pat = Date.now() + 30_000;
    assertEquals(await db.getex("k", { pxat: pat }), "v");
    assertEquals(await db.pexpiretime("k"), pat);
    assertEquals(await db.getex("k", { persist: true }), "v");
    assertEquals(await db.ttl("k"), -1);
    assertEquals(await db.getex("k", { persist: true }), "v");
    assertEquals(await db.ttl("k"), -1);
  });

  t.case("getex: bad options are errors and change nothing", async (db) => {
    await db.set("k", "v", { ex: 100 });
    await assertRejects(() => db.getex("k", { ex: 0 }), InvalidArgumentError);
    await assertRejects(() => db.getex("k", { ex: -1 }), InvalidArgumentError);
    await assertRejects(() => db.getex("k", { pxat: 0 }), InvalidArgumentError);
    await assertRejects(() => db.getex("k", { ex: 2.5 }), NotIntegerError);
    await assertRejects(() => db.getex("k", { ex: 10, px: 10 }), InvalidArgumentError);
    await assertRejects(() => db.getex("k", { ex: 10, persist: true }), InvalidArgumentError);
    assertNear(await db.ttl("k"), 100, 1);
    assertEquals(await db.get("k"), "v");
  });

  t.case("getex: on a missing key, only syntax errors are errors", async (db) => {
    /* Redis looks the key up before it reads the expiry's value. */
    assertEquals(await db.getex("missing", { ex: 0 }), null);
    assertEquals(await db.getex("missing", { px: -1 }), null);
    assertEquals(await db.getex("missing", { exat: 1.5 }), null);
    await assertRejects(() => db.getex("missing", { ex: 10, px: 10 }), InvalidArgumentError);
    await assertRejects(() => db.getex("missing", { persist: true, ex: 10 }), InvalidArgumentError);
    assertEquals(await db.exists("missing"), 0);
  });

  t.case("set: a syntax error is reported before a bad number", async (db) => {
    await assertRejects(() => db.set("k", "v", { px: 1.5, exat: 5 }), InvalidArgumentError);
    await assertRejects(() => db.set("k", "v", { ex: 1.5, keepttl: true }), InvalidArgumentError);
    await assertRejects(
      () => db.set("k", "v", { px: 0.5, nx: true, xx: true }),
      InvalidArgumentError,
    );
    await assertRejects(() => db.set("k", "v", { ex: 1.5 }), NotIntegerError);
    await assertRejects(() => db.setrange("k", -1, ""), InvalidArgumentError);
    assertEquals(await db.exists("k"), 0);
  });

  t.case("getex: a deadline in the past returns the value and deletes the key", async (db) => {
    await db.set("a", "v");
    assertEquals(await db.getex("a", { exat: 1 }), "v");
    assertEquals(await db.exists("a"), 0);
    await db.set("b", "w");
    assertEquals(await db.getex("b", { pxat: Date.now() - 5000 }), "w");
    assertEquals(await db.get("b"), null);
  });

  /* ---------------------------------------------------------------- GETRANGE / SETRANGE */

  t.case("getrange: inclusive byte ranges, negative from the end", async (db) => {
    await db.set("k", "Hello World");
    assertEquals(await db.getrange("k", 0, 4), "Hello");
    assertEquals(await db.getrange("k", -5, -1), "World");
    assertEquals(await db.getrange("k", 0, -1), "Hello World");
    assertEquals(await db.getrange("k", 0, 0), "H");
    assertEquals(await db.getrange("k", -1, -1), "d");
    assertEquals(await db.getrange("k", 6, 6), "W");
    assertEquals(await db.getrange("k", 3, -3), "lo Wor");
  });

  t.case("getrange: out-of-range indexes are clamped", async (db) => {
    await db.set("k", "Hello");
    assertEquals(await db.getrange("k", 0, 100), "Hello");
    assertEquals(await db.getrange("k", -100, 2), "Hel");
    assertEquals(await db.getrange("k", -100, 100), "Hello");
    assertEquals(await db.getrange("k", 2, 2 ** 53), "llo");
    assertEquals(await db.getrange("k", -(2 ** 53), 2 ** 53), "Hello");
    /* Redis 7: an end before the start of the string is clamped to 0. */
    assertEquals(await db.getrange("k", 0, -100), "H");
  });

  t.case("getrange: empty results", async (db) => {
    await db.set("k", "Hello");
    assertEquals(await db.getrange("k", 3, 1), "");
    assertEquals(await db.getrange("k", 5, 10), "");
    assertEquals(await db.getrange("k", 100, 200), "");
    assertEquals(await db.getrange("k", -1, -3), "");
    assertEquals(await db.getrange("k", -100, -200), "");
    assertEquals(await db.getrange("missing", 0, -1), "");
    assertEquals(await db.getrange("missing", 0, 10), "");
    await db.set("e", "");
    assertEquals(await db.getrange("e", 0, -1), "");
    assertEquals(await db.getrange("e", -1, 0), "");
    await assertRejects(() => db.getrange("k", 0.5, 2), NotIntegerError);
  });

  t.case("getrange: counts bytes, not characters", async (db) => {
    await db.set("u", "héllo"); /* h, é = c3 a9, l, l, o */
    assertEquals(await db.getrange("u", 0, 2), "hé");
    assertEquals(await db.getrange("u", 1, 2), "é");
    assertEquals(await db.getrange("u", 3, -1), "llo");
    /* Half a character: decoded with a replacement character. */
    assertEquals(await db.getrange("u", 0, 1), dec(new Uint8Array([0x68, 0xc3])));
  });

  t.case("setrange: overwrites, extends, zero-pads", async (db) => {
    await db.set("k", "Hello World");
    assertEquals(await db.setrange("k", 6, "Redis"), 11);
    assertEquals(await db.get("k"), "Hello Redis");
    assertEquals(await db.setrange("k", 10, "s!!!"), 14);
    assertEquals(await db.get("k"), "Hello Redis!!!");
    assertEquals(await db.setrange("k", 15, "x"), 16);
    assertBytes(await db.getBytes("k"), enc("Hello Redis!!!\0x"));
    assertEquals(await db.setrange("n", 3, "abc"), 6);
    assertBytes(await db.getBytes("n"), new Uint8Array([0, 0, 0, 97, 98, 99]));
    assertEquals(await db.setrange("z", 0, "first"), 5);
    assertEquals(await db.get("z"), "first");
  });

  t.case("setrange: an empty value creates nothing and changes nothing", async (db) => {
    assertEquals(await db.setrange("missing", 5, ""), 0);
    assertEquals(await db.exists("missing"), 0);
    await db.set("k", "abc");
    assertEquals(await db.setrange("k", 10, ""), 3);
    assertEquals(await db.get("k"), "abc");
    /* Even at an offset past the size limit, as nothing would be written. */
    assertEquals(await db.setrange("k", 512 * MiB, ""), 3);
    assertEquals(await db.setrange("missing", 512 * MiB, ""), 0);
  });

  t.case("setrange: bad offsets are errors", async (db) => {
    await db.set("k", "abc");
    await assertRejects(() => db.setrange("k", -1, "x"), InvalidArgumentError);
    await assertRejects(() => db.setrange("missing", -1, "x"), InvalidArgumentError);
    await assertRejects(() => db.setrange("k", 1.5, "x"), NotIntegerError);
    const e = await assertRejects(() => db.setrange("k", 512 * MiB, "x"), InvalidArgumentError);
    assertEquals(e.code, "TOOBIG");
    await assertRejects(() => db.setrange("missing", 512 * MiB - 1, "xy"), InvalidArgumentError);
    assertEquals(await db.get("k"), "abc");
    assertEquals(await db.exists("missing"), 0);
  });

  /* ---------------------------------------------------------------- APPEND / STRLEN */

  t.case("append: creates, grows, returns the new length", async (db) => {
    assertEquals(await db.append("k", "Hello"), 5);
    assertEquals(await db.append("k", " World"), 11);
    assertEquals(await db.get("k"), "Hello World");
    assertEquals(await db.append("k", ""), 11);
    assertEquals(await db.append("u", "é"), 2);
    assertEquals(await db.append("u", "😀"), 6);
    assertEquals(await db.get("u"), "é😀");
    /* Appending nothing to a missing key creates an empty string. */
    assertEquals(await db.append("e", ""), 0);
    assertEquals(await db.exists("e"), 1);
    assertEquals(await db.get("e"), "");
  });

  t.case("append: to a number keeps it a string of digits", async (db) => {
    await db.set("n", "10");
    assertEquals(await db.incr("n"), 11);
    assertEquals(await db.append("n", "5"), 3);
    assertEquals(await db.get("n"), "115");
    assertEquals(await db.incr("n"), 116);
  });

  t.case("strlen: bytes of the value; 0 for a missing key", async (db) => {
    assertEquals(await db.strlen("missing"), 0);
    await db.set("a", "abc");
    assertEquals(await db.strlen("a"), 3);
    await db.set("u", "héllo 😀");
    assertEquals(await db.strlen("u"), 11);
    await db.set("b", new Uint8Array([0, 0, 0]));
    assertEquals(await db.strlen("b"), 3);
    await db.set("n", "12345");
    await db.incr("n");
    assertEquals(await db.strlen("n"), 5);
  });

  /* ---------------------------------------------------------------- counters */

  t.case("incr/decr/incrby/decrby: a missing key counts as 0", async (db) => {
    assertEquals(await db.incr("a"), 1);
    assertEquals(await db.incr("a"), 2);
    assertEquals(await db.decr("b"), -1);
    assertEquals(await db.decr("b"), -2);
    assertEquals(await db.incrby("c", 10), 10);
    assertEquals(await db.incrby("c", -25), -15);
    assertEquals(await db.decrby("d", 7), -7);
    assertEquals(await db.decrby("d", -17), 10);
    assertEquals(await db.incrby("e", 0), 0);
    assertEquals(await db.mget("a", "b", "c", "d", "e"), ["2", "-2", "-15", "10", "0"]);
    assertEquals(await db.type("a"), "string");
  });

  t.case("incr: on strings that hold integers", async (db) => {
    await db.mset({ a: "0", b: "-1", c: "41", d: "-9223372036854775807", e: "1000000" });
    assertEquals(await db.incr("a"), 1);
    assertEquals(await db.incr("b"), 0);
    assertEquals(await db.incr("c"), 42);
    assertEquals(await db.decr("e"), 999_999);
    assertEquals(await db.decr("d"), -9223372036854775808);
    assertEquals(await db.get("d"), "-9223372036854775808");
    assertEquals(await db.incrby("e", 2 ** 53), 2 ** 53 + 999_999);
    assertEquals(await db.get("e"), "9007199255740991");
  });

  t.case("incr: values that are not integers are errors and stay as they were", async (db) => {
    const bad = [
      "abc",
      "",
      "1.5",
      " 1",
      "1 ",
      "+1",
      "01",
      "-0",
      "0x10",
      "1e3",
      "12345678901234567890",
      "-",
      "1\0",
    ];
    let i = 0;
    for (const v of bad) {
      const k = `k${i++}`;
      await db.set(k, v);
      await assertRejects(() => db.incr(k), NotIntegerError);
      await assertRejects(() => db.decrby(k, 3), NotIntegerError);
      assertEquals(await db.get(k), v, JSON.stringify(v));
    }
  });

  t.case("incrby/decrby: a non-integer amount is an error", async (db) => {
    await db.set("k", "5");
    await assertRejects(() => db.incrby("k", 1.5), NotIntegerError);
    await assertRejects(() => db.decrby("k", 0.1), NotIntegerError);
    await assertRejects(() => db.incrby("k", NaN), NotIntegerError);
    await assertRejects(() => db.incrby("k", Infinity), NotIntegerError);
    assertEquals(await db.get("k"), "5");
  });

  t.case("incr/decr: overflow past 64 bits is an error", async (db) => {
    await db.set("max", "9223372036854775807");
    await assertRejects(() => db.incr("max"), OverflowError);
    await assertRejects(() => db.incrby("max", 1), OverflowError);
    assertEquals(await db.get("max"), "9223372036854775807");
    assertEquals(await db.decr("max"), 9223372036854775806);
    assertEquals(await db.get("max"), "9223372036854775806");
    await db.set("min", "-9223372036854775808");
    await assertRejects(() => db.decr("min"), OverflowError);
    await assertRejects(() => db.decrby("min", 2 ** 53), OverflowError);
    await assertRejects(() => db.incrby("min", -1), OverflowError);
    assertEquals(await db.get("min"), "-9223372036854775808");
    await db.set("big", "9223372036854775000");
    await assertRejects(() => db.incrby("big", 2 ** 53), OverflowError);
    assertEquals(await db.incrby("big", 807), 9223372036854775807);
  });

  t.case("incrbyfloat: adds and formats as Redis does", async (db) => {
    assertEquals(await db.incrbyfloat("a", 10.5), 10.5);
    assertEquals(await db.get("a"), "10.5");
    await db.set("b", "10.50");
    assertEquals(await db.incrbyfloat("b", 0.1), 10.6);
    assertEquals(await db.get("b"), "10.6");
    await db.set("c", "5.0e3");
    assertEquals(await db.incrbyfloat("c", 200), 5200);
    assertEquals(await db.get("c"), "5200");
    await db.set("d", "0.1");
    assertEquals(await db.incrbyfloat("d", 0.2), 0.3);
    assertEquals(await db.get("d"), "0.3");
    await db.set("e", "3");
    assertEquals(await db.incrbyfloat("e", -3.5), -0.5);
    assertEquals(await db.get("e"), "-0.5");
    assertEquals(await db.incrbyfloat("e", 0.5), 0);
    assertEquals(await db.get("e"), "0");
    assertEquals(await db.incrbyfloat("f", 1e-5), 0.00001);
    assertEquals(await db.get("f"), "0.00001");
    assertEquals(await db.incrbyfloat("g", -2), -2);
    assertEquals(await db.get("g"), "-2");
  });

  t.case("incrbyfloat: integers and big or odd inputs", async (db) => {
    await db.set("i", "17");
    assertEquals(await db.incrbyfloat("i", 1), 18);
    assertEquals(await db.get("i"), "18");
    assertEquals(await db.incr("i"), 19);
    await db.set("big", "1e20");
    assertEquals(await db.incrbyfloat("big", 1), 1e20);
    assertEquals(await db.get("big"), "100000000000000000000");
    await db.set("dot", ".5");
    assertEquals(await db.incrbyfloat("dot", 1), 1.5);
    await db.set("trail", "5.");
    assertEquals(await db.incrbyfloat("trail", 1), 6);
    await db.set("hex", "0x10"); /* strtold reads hexadecimal */
    assertEquals(await db.incrbyfloat("hex", 1), 17);
    assertEquals(await db.get("hex"), "17");
    assertEquals(await db.incrbyfloat("small", 1e-7), 1e-7);
    assertEquals(await db.get("small"), "0.0000001");
    assertEquals(await db.incrbyfloat("tiny", 1e-18), 0);
    assertEquals(await db.get("tiny"), "0");
  });

  t.case("incrbyfloat: a huge long double keeps all its digits", async (db) => {
    await db.set("h", "1e4932");
    /* The sum is formatted with %.17Lf: 4933 digits, no exponent. */
    assertEquals(await db.incrbyfloat("h", 1), Infinity);
    const s = await db.get("h");
    assert(s !== null);
    assertEquals(s.length, 4933);
    assertEquals(s.slice(0, 40), "1000000000000000000006018949387963891323");
    assertEquals(s.slice(-20), "38418113791886622720");
    assertEquals(fnv(s), 0x8ec37c69, "FNV-1a of the digits Redis 7.0 prints");
  });

  t.case("incrbyfloat: values that are not floats are errors and stay as they were", async (db) => {
    const bad = [" 1.5", "1.5 ", "abc", "", "1.5e", "nan", "1e5000", "1,5", "--1"];
    let i = 0;
    for (const v of bad) {
      const k = `f${i++}`;
      await db.set(k, v);
      await assertRejects(() => db.incrbyfloat(k, 1), NotFloatError);
      assertEquals(await db.get(k), v, JSON.stringify(v));
    }
  });

  t.case("incrbyfloat: a NUL byte anywhere makes a value not a float", async (db) => {
    const bad = ["\0", "1\0", "\x001", "1.5\0", "1\x002", "\0\0\0-100"];
    let i = 0;
    for (const v of bad) {
      const k = `z${i++}`;
      await db.set(k, v);
      await assertRejects(() => db.incrbyfloat(k, 1), NotFloatError);
      assertEquals(await db.get(k), v, JSON.stringify(v));
    }
    /* SETRANGE's zero padding, then digits. */
    assertEquals(await db.setrange("pad", 2, "5"), 3);
    await assertRejects(() => db.incrbyfloat("pad", 1), NotFloatError);
    await assertRejects(() => db.incr("pad"), NotIntegerError);
  });

  t.case("incrbyfloat: NaN or infinite results and increments are errors", async (db) => {
    await db.set("inf", "inf");
    await assertRejects(() => db.incrbyfloat("inf", 1), NotFloatError);
    assertEquals(await db.get("inf"), "inf");
    await db.set("ninf", "-inf");
    await assertRejects(() => db.incrbyfloat("ninf", 1), NotFloatError);
    await db.set("k", "1");
    await assertRejects(() => db.incrbyfloat("k", NaN), NotFloatError);
    await assertRejects(() => db.incrbyfloat("k", Infinity), NotFloatError);
    await assertRejects(() => db.incrbyfloat("k", -Infinity), NotFloatError);
    await assertRejects(() => db.incrbyfloat("missing", NaN), NotFloatError);
    assertEquals(await db.get("k"), "1");
    assertEquals(await db.exists("missing"), 0);
  });

  t.case("incrbyfloat result is not an integer for incr", async (db) => {
    await db.set("k", "1");
    await db.incrbyfloat("k", 0.5);
    await assertRejects(() => db.incr("k"), NotIntegerError);
    assertEquals(await db.incrbyfloat("k", 0.5), 2);
    assertEquals(await db.incr("k"), 3);
  });

  /* ---------------------------------------------------------------- binary and UTF-8 */

  t.case("binary: 0x00 and 0xff survive every string command", async (db) => {
    const v = new Uint8Array([0, 255, 0, 1, 0xfe, 0x80, 0]);
    assertEquals(await db.set("b", v), "OK");
    assertBytes(await db.getBytes("b"), v);
    assertEquals(await db.strlen("b"), 7);
    assertEquals(await db.append("b", new Uint8Array([0xff, 0])), 9);
    assertBytes(await db.getBytes("b"), new Uint8Array([0, 255, 0, 1, 0xfe, 0x80, 0, 0xff, 0]));
    assertEquals(await db.setrange("b", 1, new Uint8Array([0])), 9);
    assertBytes(await db.getBytes("b"), new Uint8Array([0, 0, 0, 1, 0xfe, 0x80, 0, 0xff, 0]));
    assertEquals(await db.getrange("b", 0, 3), "\0\0\0\x01");
    assertEquals(
      await db.set("b", new Uint8Array([1, 2]), { get: true }),
      dec(
        new Uint8Array([0, 0, 0, 1, 0xfe, 0x80, 0, 0xff, 0]),
      ),
    );
  });

  t.case("binary: keys with 0x00 and 0xff are distinct keys", async (db) => {
    const k1 = new Uint8Array([0, 255]);
    const k2 = new Uint8Array([0, 254]);
    const k3 = new Uint8Array([0]);
    await db.set(k1, "one");
    await db.set(k2, "two");
    await db.set(k3, "three");
    assertEquals(await db.mget(k1, k2, k3, new Uint8Array([255])), ["one", "two", "three", null]);
    assertEquals(await db.exists(k1, k2, k3), 3);
    assertEquals(await db.dbsize(), 3);
    assertEquals(await db.getdel(k2), "two");
    assertEquals(await db.exists(k2), 0);
    assertEquals(await db.rename(k1, k2), "OK");
    assertEquals(await db.get(k2), "one");
    /* A string key and the same bytes are the same key. */
    await db.set("héllo", "s");
    assertEquals(await db.get(enc("héllo")), "s");
  });

  t.case("binary: get decodes bad UTF-8 with replacement characters", async (db) => {
    const values = [
      new Uint8Array([0x80]),
      new Uint8Array([0xc3, 0x28]),
      new Uint8Array([0xe2, 0x82]),
      new Uint8Array([0xf0, 0x9f, 0x98]),
      new Uint8Array([0xed, 0xa0, 0x80]), /* a surrogate */
      new Uint8Array([0xc0, 0xaf]), /* overlong */
      new Uint8Array([0xf4, 0x90, 0x80, 0x80]), /* past U+10FFFF */
      new Uint8Array([0x61, 0xff, 0x62, 0xfe, 0x63]),
      new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), /* a BOM is kept */
      pattern(300),
      pattern(3000, 7),
    ];
    let i = 0;
    for (const v of values) {
      const k = `bad${i++}`;
      await db.set(k, v);
      assertEquals(await db.get(k), dec(v), k);
      assertBytes(await db.getBytes(k), v, k);
    }
    assertEquals(
      await db.mget("bad0", "bad8"),
      [dec(values[0]), dec(values[8])],
    );
  });

  t.case("utf-8: strings round-trip, lengths are in bytes", async (db) => {
    const s = "héllo wörld — 日本語 😀 \u{10FFFF}";
    await db.set("u", s);
    assertEquals(await db.get("u"), s);
    assertEquals(await db.strlen("u"), enc(s).length);
    assertBytes(await db.getBytes("u"), enc(s));
    await db.set("日本", "値");
    assertEquals(await db.get("日本"), "値");
    assertEquals(await db.keys("日*"), ["日本"]);
  });

  /* ---------------------------------------------------------------- big values */

  t.case("big: a 1 MiB value through set/get/getBytes/strlen/getrange", async (db) => {
    const v = pattern(MiB, 3);
    await db.set("big", v);
    assertBytes(await db.getBytes("big"), v);
    assertEquals(await db.strlen("big"), MiB);
    assertEquals(await db.getrange("big", MiB - 3, -1), dec(v.subarray(MiB - 3)));
    const s = "x".repeat(MiB - 1) + "y";
    await db.set("str", s);
    const back = await db.get("str");
    assertEquals(back?.length, MiB);
    assert(back === s, "1 MiB string differs");
    assertEquals(await db.getrange("str", -2, -1), "xy");
  }, { timeout: 120_000 });

  t.case("big: 1 MiB values through append/setrange/mset/mget/getdel/copy", async (db) => {
    const a = "a".repeat(MiB);
    assertEquals(await db.append("k", a), MiB);
    assertEquals(await db.append("k", "b"), MiB + 1);
    assertEquals(await db.setrange("k", 2 * MiB, "c"), 2 * MiB + 1);
    assertEquals(await db.getrange("k", MiB - 1, MiB + 1), "ab\0");
    assertEquals(await db.getrange("k", -2, -1), "\0c");
    const b = "b".repeat(MiB);
    assertEquals(await db.mset({ x: a, y: b }), "OK");
    const [x, y] = await db.mget("x", "y");
    assert(x === a && y === b, "mget of 1 MiB values differs");
    assertEquals(await db.copy("x", "x2"), 1);
    assert((await db.getdel("x2")) === a, "copy of 1 MiB differs");
    assert((await db.set("y", "small", { get: true })) === b, "set GET of 1 MiB differs");
    assertEquals(await db.strlen("y"), 5);
  }, { timeout: 120_000 });

  t.case("big: an 8 MiB binary value", async (db) => {
    const v = pattern(8 * MiB, 11);
    await db.set("huge", v);
    assertBytes(await db.getBytes("huge"), v);
    assertEquals(await db.strlen("huge"), 8 * MiB);
    assertEquals(await db.del("huge"), 1);
    assertEquals(await db.getBytes("huge"), null);
  }, { timeout: 120_000 });
}
