/* String commands: GET/SET and every SET option, MGET/MSET/MSETNX, GETDEL, GETEX,
 * GETRANGE/SETRANGE, APPEND, STRLEN, the counters, binary and UTF-8 values, big values.
 * Expected results follow Redis 7 semantics. Every test uses its own dictionary and
 * drops it at the end. */

import {
  drop,
  InvalidArgumentError,
  NotFloatError,
  NotIntegerError,
  open,
  OverflowError,
} from "../lib/mod.ts";
import type { Dict } from "../lib/mod.ts";
import { assert, assertEquals, assertThrows, test } from "./harness.ts";

type OpenOptions = NonNullable<Parameters<typeof open>[1]>;

function uniqueName(): string {
  return `t-${crypto.randomUUID().slice(0, 8)}`;
}

/** Runs fn against a fresh dictionary that is closed and dropped afterwards. */
async function withDict(
  fn: (db: Dict) => void | Promise<void>,
  options?: OpenOptions,
): Promise<void> {
  const name = uniqueName();
  const db = open(name, options);
  try {
    await fn(db);
  } finally {
    db.close();
    drop(name);
  }
}

function bytes(...values: number[]): Uint8Array {
  return new Uint8Array(values);
}

function assertBytes(actual: Uint8Array | null, expected: Uint8Array, what = "bytes"): void {
  // (No template with the array in it: stringifying 16 MiB costs a second.)
  if (!(actual instanceof Uint8Array)) {
    throw new Error(`${what}: expected a Uint8Array, got ${actual}`);
  }
  assertEquals(actual.length, expected.length, `${what}: length`);
  const at = firstDifference(actual, expected);
  if (at >= 0) throw new Error(`${what}: byte ${at} is ${actual[at]}, expected ${expected[at]}`);
}

/** Index of the first differing byte of two equally long arrays, or -1. Compares four
 * bytes at a time where both are aligned (big values would be slow byte by byte). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = a.length;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const a32 = new Uint32Array(a.buffer, a.byteOffset, n >>> 2);
    const b32 = new Uint32Array(b.buffer, b.byteOffset, n >>> 2);
    while (i < a32.length && a32[i] === b32[i]) i++;
    i <<= 2;
  }
  for (; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

const nowSec = (): number => Math.floor(Date.now() / 1000);

// ---------------------------------------------------------------- GET / SET

test("strings: set returns OK, get reads it back, a missing key is null", () =>
  withDict((db) => {
    assertEquals(db.get("k"), null);
    assertEquals(db.set("k", "v1"), "OK");
    assertEquals(db.get("k"), "v1");
    assertEquals(db.set("k", "second value"), "OK");
    assertEquals(db.get("k"), "second value");
    assertEquals(db.get("other"), null);
    assertEquals(db.type("k"), "string");
    assertEquals(db.dbsize(), 1);
  }));

test("strings: set nx only creates, xx only overwrites", () =>
  withDict((db) => {
    assertEquals(db.set("k", "a", { xx: true }), null);
    assertEquals(db.exists("k"), 0);
    assertEquals(db.set("k", "a", { nx: true }), "OK");
    assertEquals(db.get("k"), "a");
    assertEquals(db.set("k", "b", { nx: true }), null);
    assertEquals(db.get("k"), "a");
    assertEquals(db.set("k", "c", { xx: true }), "OK");
    assertEquals(db.get("k"), "c");
    assertEquals(db.dbsize(), 1);
  }));

test("strings: set get returns the old value, alone and with nx/xx", () =>
  withDict((db) => {
    assertEquals(db.set("k", "one", { get: true }), null);
    assertEquals(db.get("k"), "one");
    assertEquals(db.set("k", "two", { get: true }), "one");
    assertEquals(db.get("k"), "two");
    // NX + GET (Redis 7): the old value comes back and nothing is written.
    assertEquals(db.set("k", "three", { nx: true, get: true }), "two");
    assertEquals(db.get("k"), "two");
    assertEquals(db.set("n", "new", { nx: true, get: true }), null);
    assertEquals(db.get("n"), "new");
    // XX + GET: a missing key is not created; an existing one is replaced.
    assertEquals(db.set("x", "nope", { xx: true, get: true }), null);
    assertEquals(db.exists("x"), 0);
    assertEquals(db.set("k", "four", { xx: true, get: true }), "two");
    assertEquals(db.get("k"), "four");
    // GET with a TTL option.
    assertEquals(db.set("k", "five", { get: true, ex: 100 }), "four");
    const ttl = db.ttl("k");
    assert(ttl >= 99 && ttl <= 100, `ttl ${ttl}`);
  }));

test("strings: set ex/px/exat/pxat set the TTL", () =>
  withDict((db) => {
    db.set("ex", "v", { ex: 100 });
    const ttl = db.ttl("ex");
    assert(ttl >= 99 && ttl <= 100, `ttl ${ttl}`);
    const pttl = db.pttl("ex");
    assert(pttl > 95_000 && pttl <= 100_000, `pttl ${pttl}`);

    db.set("px", "v", { px: 5000 });
    const pttl2 = db.pttl("px");
    assert(pttl2 > 4000 && pttl2 <= 5000, `pttl ${pttl2}`);

    const at = nowSec() + 1000;
    db.set("exat", "v", { exat: at });
    assertEquals(db.expiretime("exat"), at);
    assertEquals(db.pexpiretime("exat"), at * 1000);

    const pat = Date.now() + 123_457;
    db.set("pxat", "v", { pxat: pat });
    assertEquals(db.pexpiretime("pxat"), pat);
    assertEquals(db.get("pxat"), "v");
    assertEquals(db.info().expires, 4);
  }));

test("strings: a plain set clears the TTL, keepttl keeps it", () =>
  withDict((db) => {
    db.set("k", "v", { ex: 100 });
    assertEquals(db.set("k", "w"), "OK");
    assertEquals(db.ttl("k"), -1);

    const at = Date.now() + 500_000;
    db.set("k", "v", { pxat: at });
    assertEquals(db.set("k", "kept", { keepttl: true }), "OK");
    assertEquals(db.get("k"), "kept");
    assertEquals(db.pexpiretime("k"), at);

    // keepttl on a key without TTL and on a missing key: no TTL appears.
    db.set("p", "v");
    db.set("p", "v2", { keepttl: true });
    assertEquals(db.ttl("p"), -1);
    assertEquals(db.set("m", "v", { keepttl: true }), "OK");
    assertEquals(db.ttl("m"), -1);

    // xx + keepttl, and nx blocked does not touch the TTL.
    assertEquals(db.set("k", "again", { xx: true, keepttl: true }), "OK");
    assertEquals(db.pexpiretime("k"), at);
    assertEquals(db.set("k", "blocked", { nx: true, ex: 5 }), null);
    assertEquals(db.pexpiretime("k"), at);
    assertEquals(db.get("k"), "again");
    // xx with ex replaces the TTL.
    assertEquals(db.set("k", "xx", { xx: true, ex: 50 }), "OK");
    const ttl = db.ttl("k");
    assert(ttl >= 49 && ttl <= 50, `ttl ${ttl}`);
  }));

test("strings: set with exat/pxat in the past leaves no visible key", () =>
  withDict((db) => {
    db.set("sentinel", "s");
    assertEquals(db.set("a", "v", { exat: 1 }), "OK");
    assertEquals(db.get("a"), null);
    assertEquals(db.exists("a"), 0);
    db.set("b", "old");
    assertEquals(db.set("b", "v", { pxat: Date.now() - 10_000 }), "OK");
    assertEquals(db.get("b"), null);
    assertEquals(db.ttl("b"), -2);
    assertEquals(db.keys("*"), ["sentinel"]);
  }));

test("strings: set option syntax errors and invalid expire times change nothing", () =>
  withDict((db) => {
    db.set("k", "orig", { ex: 1000 });
    const deadline = db.pexpiretime("k");
    const syntax: Record<string, unknown>[] = [
      { ex: 10, px: 10000 },
      { ex: 10, exat: nowSec() + 10 },
      { px: 10, pxat: Date.now() + 10 },
      { exat: nowSec() + 10, pxat: Date.now() + 10 },
      { ex: 10, keepttl: true },
      { pxat: Date.now() + 10, keepttl: true },
      { nx: true, xx: true },
      { nx: true, xx: true, get: true },
    ];
    for (const opts of syntax) {
      assertThrows(
        () => db.set("k", "new", opts as never),
        InvalidArgumentError,
        "syntax error",
      );
      assertThrows(
        () => db.set("fresh", "new", opts as never),
        InvalidArgumentError,
        "syntax error",
      );
    }
    const badTimes: Record<string, unknown>[] = [
      { ex: 0 },
      { ex: -1 },
      { px: 0 },
      { px: -100 },
      { exat: 0 },
      { exat: -5 },
      { pxat: 0 },
      { pxat: -1 },
    ];
    for (const opts of badTimes) {
      assertThrows(
        () => db.set("k", "new", opts as never),
        InvalidArgumentError,
        "invalid expire time",
      );
      assertThrows(
        () => db.set("fresh", "new", opts as never),
        InvalidArgumentError,
        "invalid expire time",
      );
    }
    assertEquals(db.get("k"), "orig");
    assertEquals(db.pexpiretime("k"), deadline);
    assertEquals(db.exists("fresh"), 0);
    assertEquals(db.dbsize(), 1);
  }));

// ---------------------------------------------------------------- MGET / MSET / MSETNX

test("strings: mget returns values in order with null for missing keys", () =>
  withDict((db) => {
    db.set("a", "1");
    db.set("b", "2");
    db.set(bytes(0, 1, 2), "bin");
    assertEquals(db.mget("a", "missing", "b", "a"), ["1", null, "2", "1"]);
    assertEquals(db.mget("missing"), [null]);
    assertEquals(db.mget(bytes(0, 1, 2), "b"), ["bin", "2"]);
    assertEquals(db.mget("b"), ["2"]);
  }));

test("strings: mset object form and array form", () =>
  withDict((db) => {
    assertEquals(db.mset({ a: "1", b: "2", "c:é": "3" }), "OK");
    assertEquals(db.mget("a", "b", "c:é"), ["1", "2", "3"]);
    assertEquals(
      db.mset([
        ["x", "10"],
        [bytes(0xff, 0x00), bytes(1, 2, 3)],
        ["a", "overwritten"],
      ]),
      "OK",
    );
    assertEquals(db.mget("x", "a", "b"), ["10", "overwritten", "2"]);
    assertBytes(db.getBytes(bytes(0xff, 0x00)), bytes(1, 2, 3));
    assertEquals(db.dbsize(), 5);
    // Any iterable of pairs, e.g. a Map; a repeated key: the last value wins.
    const m = new Map<string, string>([["m1", "v1"], ["m2", "v2"]]);
    assertEquals(db.mset(m), "OK");
    assertEquals(db.mget("m1", "m2"), ["v1", "v2"]);
    assertEquals(db.mset([["d", "first"], ["d", "second"]]), "OK");
    assertEquals(db.get("d"), "second");
  }));

test("strings: mset clears the TTL of the keys it overwrites", () =>
  withDict((db) => {
    db.set("a", "1", { ex: 100 });
    db.set("b", "2", { ex: 100 });
    db.mset({ a: "x" });
    assertEquals(db.ttl("a"), -1);
    assert(db.ttl("b") > 0);
  }));

test("strings: msetnx sets all or none", () =>
  withDict((db) => {
    assertEquals(db.msetnx({ a: "1", b: "2" }), 1);
    assertEquals(db.mget("a", "b"), ["1", "2"]);
    assertEquals(db.msetnx({ c: "3", a: "changed", d: "4" }), 0);
    assertEquals(db.mget("a", "c", "d"), ["1", null, null]);
    assertEquals(db.dbsize(), 2);
    assertEquals(db.msetnx([["e", "5"], [bytes(9, 9), "6"]]), 1);
    assertEquals(db.mget("e", bytes(9, 9)), ["5", "6"]);
    assertEquals(db.msetnx([["f", "x"], ["f", "y"]]), 1);
    assertEquals(db.get("f"), "y");
    assertEquals(db.msetnx([["g", "x"], ["f", "z"]]), 0);
    assertEquals(db.get("f"), "y");
    assertEquals(db.exists("g"), 0);
  }));

// ---------------------------------------------------------------- GETDEL / GETEX

test("strings: getdel returns the value and deletes the key", () =>
  withDict((db) => {
    db.set("k", "v", { ex: 100 });
    db.set("other", "o");
    assertEquals(db.getdel("k"), "v");
    assertEquals(db.exists("k"), 0);
    assertEquals(db.ttl("k"), -2);
    assertEquals(db.getdel("k"), null);
    assertEquals(db.getdel("never"), null);
    assertEquals(db.dbsize(), 1);
    assertEquals(db.info().expires, 0);
  }));

test("strings: getex without options is a get; each option changes the TTL", () =>
  withDict((db) => {
    assertEquals(db.getex("missing", { ex: 10 }), null);
    assertEquals(db.exists("missing"), 0);

    db.set("k", "v");
    assertEquals(db.getex("k"), "v");
    assertEquals(db.ttl("k"), -1);

    assertEquals(db.getex("k", { ex: 100 }), "v");
    let ttl = db.ttl("k");
    assert(ttl >= 99 && ttl <= 100, `ex: ttl ${ttl}`);
    assertEquals(db.getex("k"), "v");
    ttl = db.ttl("k");
    assert(ttl >= 99 && ttl <= 100, `no option keeps the ttl: ${ttl}`);

    assertEquals(db.getex("k", { px: 20_000 }), "v");
    const pttl = db.pttl("k");
    assert(pttl > 15_000 && pttl <= 20_000, `px: pttl ${pttl}`);

    const at = nowSec() + 5000;
    assertEquals(db.getex("k", { exat: at }), "v");
    assertEquals(db.expiretime("k"), at);

    const pat = Date.now() + 77_777;
    assertEquals(db.getex("k", { pxat: pat }), "v");
    assertEquals(db.pexpiretime("k"), pat);

    assertEquals(db.getex("k", { persist: true }), "v");
    assertEquals(db.ttl("k"), -1);
    assertEquals(db.get("k"), "v");
  }));

test("strings: getex with a past deadline returns the value and deletes the key", () =>
  withDict((db) => {
    db.set("k", "v");
    assertEquals(db.getex("k", { pxat: Date.now() - 1000 }), "v");
    assertEquals(db.get("k"), null);
    assertEquals(db.exists("k"), 0);
  }));

test("strings: getex option errors change nothing", () =>
  withDict((db) => {
    db.set("k", "v", { ex: 500 });
    const deadline = db.pexpiretime("k");
    for (
      const opts of [
        { ex: 10, px: 10 },
        { ex: 10, persist: true },
        { pxat: Date.now() + 1000, persist: true },
        { exat: nowSec() + 10, pxat: Date.now() + 10 },
      ]
    ) {
      assertThrows(() => db.getex("k", opts as never), InvalidArgumentError, "syntax error");
    }
    for (const opts of [{ ex: 0 }, { px: -1 }, { exat: 0 }, { pxat: -10 }]) {
      assertThrows(() => db.getex("k", opts as never), InvalidArgumentError, "invalid expire time");
    }
    assertEquals(db.pexpiretime("k"), deadline);
    assertEquals(db.get("k"), "v");
  }));

// ---------------------------------------------------------------- GETRANGE / SETRANGE

test("strings: getrange with positive, negative and out-of-range indexes", () =>
  withDict((db) => {
    db.set("k", "This is a string");
    assertEquals(db.getrange("k", 0, 3), "This");
    assertEquals(db.getrange("k", -3, -1), "ing");
    assertEquals(db.getrange("k", 0, -1), "This is a string");
    assertEquals(db.getrange("k", 10, 100), "string");
    assertEquals(db.getrange("k", 0, 0), "T");
    assertEquals(db.getrange("k", -1, -1), "g");
    assertEquals(db.getrange("k", 5, 3), "");
    assertEquals(db.getrange("k", -1, -5), "");
    assertEquals(db.getrange("k", 16, 20), "");
    assertEquals(db.getrange("k", 100, 200), "");
    assertEquals(db.getrange("k", -100, 2), "Thi");
    assertEquals(db.getrange("k", 3, -100), "");
    assertEquals(db.getrange("k", -6, 100), "string");
    assertEquals(db.getrange("missing", 0, -1), "");
    db.set("empty", "");
    assertEquals(db.getrange("empty", 0, -1), "");
    assertEquals(db.getrange("empty", 0, 10), "");
  }));

test("strings: setrange overwrites, zero-pads, and creates missing keys", () =>
  withDict((db) => {
    db.set("k", "Hello World");
    assertEquals(db.setrange("k", 6, "Redis"), 11);
    assertEquals(db.get("k"), "Hello Redis");
    assertEquals(db.setrange("k", 0, "J"), 11);
    assertEquals(db.get("k"), "Jello Redis");
    // Writing past the end extends the string.
    assertEquals(db.setrange("k", 9, "ish!"), 13);
    assertEquals(db.get("k"), "Jello Redish!");

    assertEquals(db.setrange("new", 6, "Redis"), 11);
    assertBytes(db.getBytes("new"), bytes(0, 0, 0, 0, 0, 0, 82, 101, 100, 105, 115));

    db.set("short", "ab");
    assertEquals(db.setrange("short", 5, "c"), 6);
    assertBytes(db.getBytes("short"), bytes(97, 98, 0, 0, 0, 99));

    assertEquals(db.setrange("bin", 1, bytes(0xff, 0x00, 0xfe)), 4);
    assertBytes(db.getBytes("bin"), bytes(0, 0xff, 0, 0xfe));
  }));

test("strings: setrange with an empty value creates nothing and pads nothing", () =>
  withDict((db) => {
    assertEquals(db.setrange("missing", 0, ""), 0);
    assertEquals(db.setrange("missing", 100, ""), 0);
    assertEquals(db.exists("missing"), 0);
    assertEquals(db.dbsize(), 0);
    db.set("k", "abc");
    assertEquals(db.setrange("k", 100, ""), 3);
    assertEquals(db.get("k"), "abc");
    assertEquals(db.setrange("k", 1, new Uint8Array(0)), 3);
    assertEquals(db.get("k"), "abc");
  }));

test("strings: setrange and append keep the TTL", () =>
  withDict((db) => {
    const at = Date.now() + 300_000;
    db.set("k", "abc", { pxat: at });
    db.setrange("k", 1, "X");
    assertEquals(db.pexpiretime("k"), at);
    db.append("k", "def");
    assertEquals(db.pexpiretime("k"), at);
    assertEquals(db.get("k"), "aXcdef");
  }));

test("strings: setrange offset errors", () =>
  withDict((db) => {
    db.set("k", "abc");
    assertThrows(() => db.setrange("k", -1, "x"), InvalidArgumentError, "offset is out of range");
    assertThrows(() => db.setrange("new", -1, "x"), InvalidArgumentError);
    // Redis's limit is 512 MiB: offset + length beyond it is refused.
    assertThrows(() => db.setrange("k", 512 * 1024 * 1024, "x"), InvalidArgumentError);
    assertThrows(() => db.setrange("new", 512 * 1024 * 1024 - 1, "xy"), InvalidArgumentError);
    assertEquals(db.get("k"), "abc");
    assertEquals(db.exists("new"), 0);
  }));

// ---------------------------------------------------------------- APPEND / STRLEN

test("strings: append creates, extends and counts bytes", () =>
  withDict((db) => {
    assertEquals(db.append("k", "Hello"), 5);
    assertEquals(db.append("k", " World"), 11);
    assertEquals(db.get("k"), "Hello World");
    assertEquals(db.append("k", ""), 11);
    assertEquals(db.append("u", "é"), 2);
    assertEquals(db.append("u", "😀"), 6);
    assertEquals(db.get("u"), "é😀");
    assertEquals(db.append("b", bytes(0)), 1);
    assertEquals(db.append("b", bytes(0xff, 0)), 3);
    assertBytes(db.getBytes("b"), bytes(0, 0xff, 0));
    assertEquals(db.append("e", ""), 0);
    assertEquals(db.exists("e"), 1);
    assertEquals(db.get("e"), "");
  }));

test("strings: strlen counts bytes; missing key is 0", () =>
  withDict((db) => {
    assertEquals(db.strlen("missing"), 0);
    db.set("a", "hello");
    assertEquals(db.strlen("a"), 5);
    db.set("u", "héllo");
    assertEquals(db.strlen("u"), 6);
    db.set("emoji", "😀");
    assertEquals(db.strlen("emoji"), 4);
    db.set("empty", "");
    assertEquals(db.strlen("empty"), 0);
    db.set("bin", bytes(0, 0, 0));
    assertEquals(db.strlen("bin"), 3);
  }));

// ---------------------------------------------------------------- counters

test("strings: incr/decr/incrby/decrby", () =>
  withDict((db) => {
    assertEquals(db.incr("c"), 1);
    assertEquals(db.get("c"), "1");
    assertEquals(db.incr("c"), 2);
    assertEquals(db.decr("c"), 1);
    assertEquals(db.decr("c"), 0);
    assertEquals(db.decr("c"), -1);
    assertEquals(db.get("c"), "-1");
    assertEquals(db.incrby("c", 10), 9);
    assertEquals(db.decrby("c", 3), 6);
    assertEquals(db.incrby("c", -10), -4);
    assertEquals(db.decrby("c", -5), 1);
    assertEquals(db.incrby("c", 0), 1);
    assertEquals(db.get("c"), "1");
    assertEquals(db.decr("d"), -1);
    assertEquals(db.incrby("e", 1000000), 1000000);
    assertEquals(db.decrby("f", 7), -7);
    db.set("s", "41");
    assertEquals(db.incr("s"), 42);
    db.set("neg", "-100");
    assertEquals(db.incrby("neg", 58), -42);
    assertEquals(db.get("neg"), "-42");
    assertEquals(typeof db.incr("s"), "number");
    db.set("big", "9007199254740991");
    assertEquals(db.decr("big"), 9007199254740990);
    assertEquals(db.get("big"), "9007199254740990");
  }));

test("strings: counters keep the TTL", () =>
  withDict((db) => {
    const at = Date.now() + 400_000;
    db.set("c", "1", { pxat: at });
    db.incr("c");
    db.incrby("c", 5);
    db.decr("c");
    db.incrbyfloat("c", 1.5);
    assertEquals(db.pexpiretime("c"), at);
    assertEquals(db.get("c"), "7.5");
  }));

test("strings: counters refuse non-integer values and leave them alone", () =>
  withDict((db) => {
    const bad = [
      "abc",
      "1.5",
      "",
      " 1",
      "1 ",
      "1e3",
      "0x10",
      "12a",
      "--1",
      "9223372036854775808",
      "-9223372036854775809",
      "99999999999999999999",
    ];
    for (const v of bad) {
      db.set("k", v);
      for (
        const op of [
          () => db.incr("k"),
          () => db.decr("k"),
          () => db.incrby("k", 5),
          () => db.decrby("k", 5),
        ]
      ) {
        assertThrows(op, NotIntegerError, "not an integer");
        assertEquals(db.get("k"), v, `value ${JSON.stringify(v)} changed`);
      }
    }
    db.set("nul", bytes(0x31, 0x00));
    assertThrows(() => db.incr("nul"), NotIntegerError);
    assertBytes(db.getBytes("nul"), bytes(0x31, 0x00));
    assertEquals(db.dbsize(), 2);
  }));

test("strings: counters overflow at ±2^63 with an error and no change", () =>
  withDict((db) => {
    const MAX = "9223372036854775807";
    const MIN = "-9223372036854775808";
    db.set("k", MAX);
    assertThrows(() => db.incr("k"), OverflowError, "overflow");
    assertThrows(() => db.incrby("k", 1), OverflowError, "overflow");
    assertThrows(() => db.decrby("k", -1), OverflowError, "overflow");
    assertEquals(db.get("k"), MAX);
    assertEquals(db.decr("k"), 9223372036854775806);
    assertEquals(db.get("k"), "9223372036854775806");
    assertEquals(db.incr("k"), 9223372036854775807);
    assertEquals(db.get("k"), MAX);

    db.set("k", MIN);
    assertThrows(() => db.decr("k"), OverflowError, "overflow");
    assertThrows(() => db.decrby("k", 1), OverflowError, "overflow");
    assertThrows(() => db.incrby("k", -1), OverflowError, "overflow");
    assertEquals(db.get("k"), MIN);
    db.set("k", "-9223372036854775807");
    db.decr("k");
    assertEquals(db.get("k"), MIN);

    // The stored value stays exact even though the result crosses 2^53.
    db.set("k", "9214364837600034816");
    db.incrby("k", 9007199254740991);
    assertEquals(db.get("k"), MAX);
    db.set("k", "9214364837600034817");
    assertThrows(() => db.incrby("k", 9007199254740991), OverflowError);
    assertEquals(db.get("k"), "9214364837600034817");
    db.set("k", "-9214364837600034818");
    assertThrows(() => db.decrby("k", 9007199254740991), OverflowError);
    assertEquals(db.get("k"), "-9214364837600034818");
    db.decrby("k", 9007199254740990);
    assertEquals(db.get("k"), MIN);
  }));

test("strings: incrbyfloat formats like Redis and returns numbers", () =>
  withDict((db) => {
    db.set("k", "10.50");
    assertEquals(db.incrbyfloat("k", 0.1), 10.6);
    assertEquals(db.get("k"), "10.6");
    assertEquals(db.incrbyfloat("k", -5), 5.6);
    assertEquals(db.get("k"), "5.6");
    db.set("e", "5.0e3");
    assertEquals(db.incrbyfloat("e", 2.0e2), 5200);
    assertEquals(db.get("e"), "5200");
    assertEquals(db.incrbyfloat("new", 3.5), 3.5);
    assertEquals(db.get("new"), "3.5");
    db.set("i", "1");
    assertEquals(db.incrbyfloat("i", 1), 2);
    assertEquals(db.get("i"), "2");
    assertEquals(db.incrbyfloat("i", -2.25), -0.25);
    assertEquals(db.get("i"), "-0.25");
    assertEquals(db.incrbyfloat("z", 0.1), 0.1);
    assertEquals(db.incrbyfloat("z", 0.2), 0.3);
    assertEquals(db.get("z"), "0.3");
    // Redis writes plain decimals, never exponents.
    assertEquals(db.incrbyfloat("small", 1.5e-7), 1.5e-7);
    assertEquals(db.get("small"), "0.00000015");
    assertEquals(db.incrbyfloat("large", 1e20), 1e20);
    assertEquals(db.get("large"), "100000000000000000000");
    assertEquals(typeof db.incrbyfloat("k", 1), "number");
    // The result can be used by INCR when it is integral.
    db.set("n", "3.0");
    assertEquals(db.incrbyfloat("n", 1), 4);
    assertEquals(db.incr("n"), 5);
  }));

test("strings: incrbyfloat refuses non-float values", () =>
  withDict((db) => {
    for (const v of ["abc", "", "1.5x", "1..5", "nan"]) {
      db.set("k", v);
      assertThrows(() => db.incrbyfloat("k", 1), NotFloatError, "not a valid float");
      assertEquals(db.get("k"), v);
    }
  }));

// ---------------------------------------------------------------- binary, UTF-8, empty

test("strings: binary-safe values with 0x00 and 0xff bytes", () =>
  withDict((db) => {
    const value = bytes(0, 255, 1, 0, 128, 0xff, 0, 0x7f, 0xc3);
    assertEquals(db.set("bin", value), "OK");
    assertBytes(db.getBytes("bin"), value);
    assertEquals(db.strlen("bin"), value.length);
    // Every byte value survives.
    const all = new Uint8Array(256);
    for (let i = 0; i < 256; i++) all[i] = i;
    db.set("all", all);
    assertBytes(db.getBytes("all"), all);
    assertEquals(db.getBytes("missing"), null);
    // A subarray view: exactly the viewed bytes are stored.
    const backing = bytes(9, 9, 9, 1, 2, 0, 3, 9, 9);
    db.set("view", backing.subarray(3, 7));
    assertBytes(db.getBytes("view"), bytes(1, 2, 0, 3));
    db.set(backing.subarray(4, 6), "key from a view");
    assertEquals(db.get(bytes(2, 0)), "key from a view");
  }));

test("strings: getBytes returns a fresh copy the caller owns", () =>
  withDict((db) => {
    db.set("k", bytes(1, 2, 3));
    const a = db.getBytes("k")!;
    const b = db.getBytes("k")!;
    assert(a !== b, "two calls returned the same array");
    a[0] = 99;
    assertEquals(b[0], 1);
    assertBytes(db.getBytes("k"), bytes(1, 2, 3));
    db.set("k", bytes(7));
    assertEquals(b[0], 1);
    assertEquals(b.length, 3);
  }));

test("strings: getInto copies into the caller's buffer", () =>
  withDict((db) => {
    const value = bytes(0, 0xff, 10, 20, 0);
    db.set("k", value);
    const target = new Uint8Array(16).fill(0xaa);
    assertEquals(db.getInto("k", target), 5);
    assertBytes(target.subarray(0, 5), value);
    assertEquals(target[5], 0xaa);
    assertEquals(db.getInto("missing", target), null);
    const exact = new Uint8Array(5);
    assertEquals(db.getInto("k", exact), 5);
    assertBytes(exact, value);
    // A view at an offset: the bytes land in the view.
    const backing = new Uint8Array(12);
    assertEquals(db.getInto("k", backing.subarray(4, 10)), 5);
    assertBytes(backing.subarray(4, 9), value);
    assertEquals(backing[3], 0);
    db.set("s", "héllo");
    assertEquals(db.getInto("s", target), 6);
    assertEquals(new TextDecoder().decode(target.subarray(0, 6)), "héllo");
    db.set("empty", "");
    assertEquals(db.getInto("empty", target), 0);
  }));

test("strings: getInto with a too-small buffer throws TOOBIG naming the length", () =>
  withDict((db) => {
    db.set("k", "x".repeat(1234));
    const small = new Uint8Array(10).fill(7);
    let err: unknown;
    try {
      db.getInto("k", small);
    } catch (e) {
      err = e;
    }
    assert(err instanceof InvalidArgumentError, `expected InvalidArgumentError, got ${err}`);
    assertEquals((err as InvalidArgumentError).code, "TOOBIG");
    assert((err as Error).message.includes("1234"), `message: ${(err as Error).message}`);
    assertEquals(db.get("k"), "x".repeat(1234));
  }));

test("strings: binary keys; a string key and its UTF-8 bytes are the same key", () =>
  withDict((db) => {
    db.set(bytes(0, 0xff, 0), "v1");
    db.set(bytes(0, 0xff), "v2");
    assertEquals(db.get(bytes(0, 0xff, 0)), "v1");
    assertEquals(db.get(bytes(0, 0xff)), "v2");
    db.set("abc", "text");
    assertEquals(db.get(bytes(97, 98, 99)), "text");
    db.set("é", "accent");
    assertEquals(db.get(bytes(0xc3, 0xa9)), "accent");
    db.set("a\0b", "nul");
    assertEquals(db.get("a"), null);
    assertEquals(db.get("a\0b"), "nul");
    assertEquals(db.get(bytes(97, 0, 98)), "nul");
    assertEquals(db.dbsize(), 5);
  }));

test("strings: UTF-8 keys and values round-trip", () =>
  withDict((db) => {
    const pairs: [string, string][] = [
      ["ключ", "значение"],
      ["日本語", "テキスト"],
      ["emoji:😀", "🎉✓ ü ß ø"],
      ["mixed é\u0301", "\u{10FFFF}\u{1F600}"],
    ];
    for (const [k, v] of pairs) db.set(k, v);
    for (const [k, v] of pairs) assertEquals(db.get(k), v);
    assertEquals(db.mget(...pairs.map(([k]) => k)), pairs.map(([, v]) => v));
    assertEquals(db.strlen("日本語"), new TextEncoder().encode("テキスト").length);
    assertEquals(db.keys("*").sort(), pairs.map(([k]) => k).sort());
  }));

test("strings: the empty string is a value, and the empty key is a key", () =>
  withDict((db) => {
    db.set("e", "");
    assertEquals(db.get("e"), "");
    assertEquals(db.exists("e"), 1);
    assertEquals(db.strlen("e"), 0);
    const b = db.getBytes("e");
    assert(b instanceof Uint8Array && b.length === 0, "empty getBytes");
    db.set("eb", new Uint8Array(0));
    assertEquals(db.get("eb"), "");
    db.set("", "empty key");
    assertEquals(db.get(""), "empty key");
    assertEquals(db.exists(""), 1);
    assertEquals(db.dbsize(), 3);
    assertEquals(db.del(""), 1);
    assertEquals(db.get(""), null);
  }));

// ---------------------------------------------------------------- large values

function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

test("strings: 1 MiB and 16 MiB values round-trip", () =>
  withDict((db) => {
    const mib = "abcdefghijklmnop".repeat(65536);
    assertEquals(db.set("s1", mib), "OK");
    assertEquals(db.strlen("s1"), 1024 * 1024);
    assertEquals(db.get("s1"), mib);

    const big = pattern(16 * 1024 * 1024, 12345);
    assertEquals(db.set("b16", big), "OK");
    assertEquals(db.strlen("b16"), big.length);
    assertBytes(db.getBytes("b16"), big, "16 MiB value");
    const target = new Uint8Array(big.length + 1);
    assertEquals(db.getInto("b16", target), big.length);
    assertBytes(target.subarray(0, big.length), big, "16 MiB getInto");

    // Grow a big value by append, read a range out of the middle.
    assertEquals(db.append("s1", "tail"), 1024 * 1024 + 4);
    assertEquals(db.getrange("s1", -8, -1), "mnoptail");
    assertEquals(db.getrange("s1", 16 * 1000, 16 * 1000 + 3), "abcd");

    // Overwrite with a small value, then delete: memory comes back.
    const used = db.info().usedBytes;
    db.set("b16", "small");
    assert(db.info().usedBytes < used - 15 * 1024 * 1024, "16 MiB not released");
    assertEquals(db.del("b16", "s1"), 2);
    assertEquals(db.check(), []);
  }, { size: "64MiB" }));

test("strings: big values can be overwritten and modified in place", () =>
  withDict((db) => {
    const a = pattern(4 * 1024 * 1024, 1);
    const b = pattern(4 * 1024 * 1024, 2);
    assertEquals(db.set("k", a), "OK");
    // Same size, then a different size: both are plain overwrites.
    assertEquals(db.set("k", b), "OK");
    assertBytes(db.getBytes("k"), b, "same-size overwrite");
    const c = pattern(4 * 1024 * 1024 + 1, 3);
    assertEquals(db.set("k", c), "OK");
    assertBytes(db.getBytes("k"), c, "larger overwrite");
    assertEquals(db.set("k", a, { get: true }) !== null, true);
    assertBytes(db.getBytes("k"), a, "overwrite with get");
    // A 1 MiB SETRANGE in the middle of the value.
    const patch = pattern(1024 * 1024, 4);
    assertEquals(db.setrange("k", 1024 * 1024, patch), a.length);
    const expected = a.slice();
    expected.set(patch, 1024 * 1024);
    assertBytes(db.getBytes("k"), expected, "setrange");
    // APPEND 1 MiB to it.
    assertEquals(db.append("k", patch), a.length + patch.length);
    assertEquals(db.strlen("k"), a.length + patch.length);
    assertEquals(db.getrange("k", -3, -1), new TextDecoder().decode(patch.subarray(-3)));
    assertEquals(db.check(), []);
  }, { size: "64MiB" }));
