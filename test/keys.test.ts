/* Generic key commands: DEL/UNLINK/EXISTS, TYPE, RENAME/RENAMENX/COPY, the EXPIRE family
 * and its NX/XX/GT/LT conditions, TTL/PTTL/EXPIRETIME/PEXPIRETIME, PERSIST, KEYS glob
 * patterns, SCAN (also across rehash), scanIterator, DBSIZE, FLUSHALL, INFO and expiry.
 * Expected results follow Redis 7 semantics. */

import { drop, InvalidArgumentError, NoSuchKeyError, open } from "../lib/mod.ts";
import type { Dict } from "../lib/mod.ts";
import { assert, assertEquals, assertThrows, test } from "./harness.ts";

type OpenOptions = NonNullable<Parameters<typeof open>[1]>;

function uniqueName(): string {
  return `t-${crypto.randomUUID().slice(0, 8)}`;
}

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

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const nowSec = (): number => Math.floor(Date.now() / 1000);

function sorted(a: Iterable<string>): string[] {
  return [...a].sort();
}

/** Runs a full SCAN loop and returns every key it reported (with repeats). */
function scanAll(
  db: Dict,
  opts: { match?: string; count?: number; type?: "string" | "list" | "set" | "zset" | "hash" } = {},
): string[] {
  const out: string[] = [];
  let cursor: string | number = 0;
  for (let calls = 0;; calls++) {
    assert(calls < 100_000, "scan did not finish");
    const [next, keys] = db.scan(cursor, opts);
    assertEquals(typeof next, "string");
    out.push(...keys);
    if (next === "0") break;
    cursor = next;
  }
  return out;
}

// ---------------------------------------------------------------- DEL / UNLINK / EXISTS

test("keys: del removes and counts; a key named twice is removed once", () =>
  withDict((db) => {
    db.mset({ a: "1", b: "2", c: "3", d: "4" });
    assertEquals(db.del("a"), 1);
    assertEquals(db.get("a"), null);
    assertEquals(db.del("a"), 0);
    assertEquals(db.del("missing"), 0);
    assertEquals(db.del("b", "b", "missing", "c"), 2);
    assertEquals(db.mget("b", "c", "d"), [null, null, "4"]);
    assertEquals(db.dbsize(), 1);
    db.set(new Uint8Array([0, 1]), "bin");
    assertEquals(db.del(new Uint8Array([0, 1]), "d"), 2);
    assertEquals(db.dbsize(), 0);
  }));

test("keys: unlink behaves as del", () =>
  withDict((db) => {
    db.mset({ a: "1", b: "2", c: "3" });
    assertEquals(db.unlink("a", "a", "b", "zz"), 2);
    assertEquals(db.unlink("a"), 0);
    assertEquals(db.exists("a", "b", "c"), 1);
    assertEquals(db.dbsize(), 1);
  }));

test("keys: exists counts every argument, duplicates twice", () =>
  withDict((db) => {
    db.mset({ a: "1", b: "2" });
    assertEquals(db.exists("a"), 1);
    assertEquals(db.exists("missing"), 0);
    assertEquals(db.exists("a", "b"), 2);
    assertEquals(db.exists("a", "a", "missing", "a"), 3);
    assertEquals(db.exists(new TextEncoder().encode("b"), "b"), 2);
  }));

// ---------------------------------------------------------------- TYPE

test("keys: type is string or none", () =>
  withDict((db) => {
    db.set("s", "v");
    db.set("n", "12");
    db.incr("c");
    assertEquals(db.type("s"), "string");
    assertEquals(db.type("n"), "string");
    assertEquals(db.type("c"), "string");
    assertEquals(db.type("missing"), "none");
    db.del("s");
    assertEquals(db.type("s"), "none");
  }));

// ---------------------------------------------------------------- RENAME / RENAMENX / COPY

test("keys: rename moves value and TTL, overwrites dst", () =>
  withDict((db) => {
    const at = Date.now() + 600_000;
    db.set("src", "v", { pxat: at });
    assertEquals(db.rename("src", "dst"), "OK");
    assertEquals(db.get("src"), null);
    assertEquals(db.get("dst"), "v");
    assertEquals(db.pexpiretime("dst"), at);
    assertEquals(db.ttl("src"), -2);
    assertEquals(db.dbsize(), 1);

    // dst with a TTL is replaced by a src without one: no TTL remains.
    db.set("plain", "p");
    assertEquals(db.rename("plain", "dst"), "OK");
    assertEquals(db.get("dst"), "p");
    assertEquals(db.ttl("dst"), -1);
    assertEquals(db.dbsize(), 1);
    assertEquals(db.info().expires, 0);
  }));

test("keys: rename of a missing key throws NoSuchKeyError", () =>
  withDict((db) => {
    db.set("dst", "keep");
    assertThrows(() => db.rename("missing", "dst"), NoSuchKeyError, "no such key");
    assertThrows(() => db.rename("missing", "missing"), NoSuchKeyError);
    assertThrows(() => db.renamenx("missing", "other"), NoSuchKeyError);
    assertEquals(db.get("dst"), "keep");
    assertEquals(db.dbsize(), 1);
  }));

test("keys: rename a key to itself", () =>
  withDict((db) => {
    const at = Date.now() + 100_000;
    db.set("k", "v", { pxat: at });
    assertEquals(db.rename("k", "k"), "OK");
    assertEquals(db.get("k"), "v");
    assertEquals(db.pexpiretime("k"), at);
    assertEquals(db.renamenx("k", "k"), 0);
    assertEquals(db.get("k"), "v");
    assertEquals(db.dbsize(), 1);
  }));

test("keys: renamenx only when dst is missing; TTL moves", () =>
  withDict((db) => {
    db.set("a", "1", { ex: 100 });
    db.set("b", "2");
    assertEquals(db.renamenx("a", "b"), 0);
    assertEquals(db.mget("a", "b"), ["1", "2"]);
    assertEquals(db.renamenx("a", "c"), 1);
    assertEquals(db.mget("a", "c"), [null, "1"]);
    const ttl = db.ttl("c");
    assert(ttl >= 99 && ttl <= 100, `ttl ${ttl}`);
  }));

test("keys: copy, with and without replace", () =>
  withDict((db) => {
    const at = Date.now() + 200_000;
    db.set("src", "value", { pxat: at });
    assertEquals(db.copy("src", "dst"), 1);
    assertEquals(db.mget("src", "dst"), ["value", "value"]);
    assertEquals(db.pexpiretime("dst"), at);
    // The copy is independent.
    db.append("dst", "!");
    assertEquals(db.get("src"), "value");
    assertEquals(db.get("dst"), "value!");
    // Existing dst: refused without replace.
    assertEquals(db.copy("src", "dst"), 0);
    assertEquals(db.get("dst"), "value!");
    // Replace: value and TTL come from src (a src without TTL leaves none).
    db.set("plain", "p");
    assertEquals(db.copy("plain", "dst", { replace: true }), 1);
    assertEquals(db.get("dst"), "p");
    assertEquals(db.ttl("dst"), -1);
    assertEquals(db.copy("missing", "dst"), 0);
    assertEquals(db.copy("missing", "dst", { replace: true }), 0);
    assertEquals(db.get("dst"), "p");
    assertEquals(db.copy("missing", "new"), 0);
    assertEquals(db.exists("new"), 0);
    assertEquals(db.dbsize(), 3);
  }));

test("keys: copy a key onto itself is an error", () =>
  withDict((db) => {
    db.set("k", "v");
    assertThrows(() => db.copy("k", "k"), InvalidArgumentError, "same");
    assertThrows(() => db.copy("k", "k", { replace: true }), InvalidArgumentError);
    assertEquals(db.get("k"), "v");
  }));

// ---------------------------------------------------------------- EXPIRE family

test("keys: expire/pexpire/expireat/pexpireat set TTLs; missing key is 0", () =>
  withDict((db) => {
    db.mset({ a: "1", b: "2", c: "3", d: "4" });
    assertEquals(db.expire("a", 100), 1);
    let ttl = db.ttl("a");
    assert(ttl >= 99 && ttl <= 100, `ttl ${ttl}`);
    assertEquals(db.pexpire("b", 50_000), 1);
    const pttl = db.pttl("b");
    assert(pttl > 45_000 && pttl <= 50_000, `pttl ${pttl}`);
    const at = nowSec() + 300;
    assertEquals(db.expireat("c", at), 1);
    assertEquals(db.expiretime("c"), at);
    assertEquals(db.pexpiretime("c"), at * 1000);
    const pat = Date.now() + 400_123;
    assertEquals(db.pexpireat("d", pat), 1);
    assertEquals(db.pexpiretime("d"), pat);
    ttl = db.ttl("d");
    assert(ttl >= 399 && ttl <= 400, `ttl ${ttl}`);

    assertEquals(db.expire("missing", 10), 0);
    assertEquals(db.pexpire("missing", 10), 0);
    assertEquals(db.expireat("missing", at), 0);
    assertEquals(db.pexpireat("missing", pat), 0);
    assertEquals(db.exists("missing"), 0);
    assertEquals(db.info().expires, 4);
  }));

test("keys: a deadline in the past deletes the key and returns 1", () =>
  withDict((db) => {
    db.mset({ a: "1", b: "2", c: "3", d: "4", e: "5", keep: "k" });
    assertEquals(db.expire("a", 0), 1);
    assertEquals(db.expire("b", -10), 1);
    assertEquals(db.pexpire("c", -1), 1);
    assertEquals(db.expireat("d", 1), 1);
    assertEquals(db.pexpireat("e", Date.now() - 5000), 1);
    assertEquals(db.mget("a", "b", "c", "d", "e"), [null, null, null, null, null]);
    assertEquals(db.exists("a", "b", "c", "d", "e"), 0);
    assertEquals(db.dbsize(), 1);
    assertEquals(db.keys("*"), ["keep"]);
  }));

test("keys: expire NX/XX/GT/LT on a key without TTL (infinite)", () =>
  withDict((db) => {
    db.set("k", "v");
    assertEquals(db.expire("k", 100, { xx: true }), 0);
    assertEquals(db.ttl("k"), -1);
    assertEquals(db.expire("k", 100, { gt: true }), 0);
    assertEquals(db.ttl("k"), -1);
    assertEquals(db.expire("k", 100, { lt: true }), 1);
    assert(db.ttl("k") > 0);
    db.persist("k");
    assertEquals(db.expire("k", 100, { nx: true }), 1);
    assert(db.ttl("k") > 0);
    assertEquals(db.expire("missing", 100, { lt: true }), 0);
    assertEquals(db.expire("missing", 100, { nx: true }), 0);
  }));

test("keys: expire NX/XX/GT/LT on a key with a TTL", () =>
  withDict((db) => {
    const base = Date.now() + 100_000;
    db.set("k", "v");
    db.pexpireat("k", base);
    assertEquals(db.pexpireat("k", base + 5000, { nx: true }), 0);
    assertEquals(db.pexpiretime("k"), base);
    assertEquals(db.pexpireat("k", base + 1000, { xx: true }), 1);
    assertEquals(db.pexpiretime("k"), base + 1000);
    assertEquals(db.pexpireat("k", base, { gt: true }), 0);
    assertEquals(db.pexpiretime("k"), base + 1000);
    assertEquals(db.pexpireat("k", base + 1000, { gt: true }), 0);
    assertEquals(db.pexpireat("k", base + 2000, { gt: true }), 1);
    assertEquals(db.pexpiretime("k"), base + 2000);
    assertEquals(db.pexpireat("k", base + 3000, { lt: true }), 0);
    assertEquals(db.pexpireat("k", base + 2000, { lt: true }), 0);
    assertEquals(db.pexpireat("k", base + 500, { lt: true }), 1);
    assertEquals(db.pexpiretime("k"), base + 500);
    // XX combines with GT and LT.
    assertEquals(db.pexpireat("k", base + 9000, { xx: true, gt: true }), 1);
    assertEquals(db.pexpiretime("k"), base + 9000);
    assertEquals(db.pexpireat("k", base + 8000, { xx: true, lt: true }), 1);
    assertEquals(db.pexpiretime("k"), base + 8000);
    assertEquals(db.pexpireat("k", base + 9000, { xx: true, lt: true }), 0);
    // The relative forms follow the same rules.
    assertEquals(db.expire("k", 50, { gt: true }), 0);
    assertEquals(db.expire("k", 50, { lt: true }), 1);
    const ttl = db.ttl("k");
    assert(ttl >= 49 && ttl <= 50, `ttl ${ttl}`);
    assertEquals(db.pexpire("k", 500_000, { gt: true }), 1);
    assert(db.pttl("k") > 400_000);
  }));

test("keys: incompatible expire options are rejected and change nothing", () =>
  withDict((db) => {
    const at = Date.now() + 100_000;
    db.set("k", "v", { pxat: at });
    db.set("p", "v");
    const bad = [
      { nx: true, xx: true },
      { nx: true, gt: true },
      { nx: true, lt: true },
      { gt: true, lt: true },
      { xx: true, gt: true, lt: true },
    ];
    for (const opts of bad) {
      assertThrows(() => db.expire("k", 10, opts), InvalidArgumentError, "not compatible");
      assertThrows(() => db.pexpire("k", 10, opts), InvalidArgumentError);
      assertThrows(() => db.expireat("p", nowSec() + 10, opts), InvalidArgumentError);
      assertThrows(() => db.pexpireat("p", Date.now() + 10, opts), InvalidArgumentError);
      // Even a past deadline must not delete when the options are invalid.
      assertThrows(() => db.expire("k", -1, opts), InvalidArgumentError);
    }
    assertEquals(db.pexpiretime("k"), at);
    assertEquals(db.ttl("p"), -1);
    assertEquals(db.dbsize(), 2);
  }));

// ---------------------------------------------------------------- TTL queries, PERSIST

test("keys: ttl/pttl/expiretime/pexpiretime report -2 and -1", () =>
  withDict((db) => {
    for (const f of [db.ttl, db.pttl, db.expiretime, db.pexpiretime]) {
      assertEquals(f.call(db, "missing"), -2);
    }
    db.set("k", "v");
    for (const f of [db.ttl, db.pttl, db.expiretime, db.pexpiretime]) {
      assertEquals(f.call(db, "k"), -1);
    }
  }));

test("keys: ttl and expiretime round to the nearest second like Redis", () =>
  withDict((db) => {
    db.set("k", "v");
    // A TTL of 100.9 s reads as 101 (Redis adds 500 ms before dividing).
    db.pexpire("k", 100_900);
    assertEquals(db.ttl("k"), 101);
    const s = nowSec() + 1000;
    db.pexpireat("k", s * 1000 + 600);
    assertEquals(db.expiretime("k"), s + 1);
    assertEquals(db.pexpiretime("k"), s * 1000 + 600);
    db.pexpireat("k", s * 1000 + 400);
    assertEquals(db.expiretime("k"), s);
  }));

test("keys: persist removes a TTL", () =>
  withDict((db) => {
    db.set("k", "v", { ex: 100 });
    db.set("p", "v");
    assertEquals(db.info().expires, 1);
    assertEquals(db.persist("k"), 1);
    assertEquals(db.ttl("k"), -1);
    assertEquals(db.persist("k"), 0);
    assertEquals(db.persist("p"), 0);
    assertEquals(db.persist("missing"), 0);
    assertEquals(db.get("k"), "v");
    assertEquals(db.info().expires, 0);
  }));

// ---------------------------------------------------------------- KEYS

test("keys: keys with glob patterns", () =>
  withDict((db) => {
    const all = [
      "hello",
      "hallo",
      "hxllo",
      "hllo",
      "heeeello",
      "hbllo",
      "hillo",
      "user:1",
      "user:2",
      "user:10",
      "a*b",
      "axb",
      "a?b",
      "[x]",
      "x",
      "back\\slash",
    ];
    for (const k of all) db.set(k, "v");
    assertEquals(sorted(db.keys("*")), sorted(all));
    assertEquals(sorted(db.keys("h?llo")), ["hallo", "hbllo", "hello", "hillo", "hxllo"]);
    assertEquals(sorted(db.keys("h*llo")), [
      "hallo",
      "hbllo",
      "heeeello",
      "hello",
      "hillo",
      "hllo",
      "hxllo",
    ]);
    assertEquals(sorted(db.keys("h[ae]llo")), ["hallo", "hello"]);
    assertEquals(sorted(db.keys("h[^e]llo")), ["hallo", "hbllo", "hillo", "hxllo"]);
    assertEquals(sorted(db.keys("h[a-b]llo")), ["hallo", "hbllo"]);
    assertEquals(sorted(db.keys("user:*")), ["user:1", "user:10", "user:2"]);
    assertEquals(sorted(db.keys("user:?")), ["user:1", "user:2"]);
    assertEquals(sorted(db.keys("a\\*b")), ["a*b"]);
    assertEquals(sorted(db.keys("a*b")), ["a*b", "a?b", "axb"]);
    assertEquals(sorted(db.keys("a\\?b")), ["a?b"]);
    assertEquals(sorted(db.keys("\\[x\\]")), ["[x]"]);
    assertEquals(sorted(db.keys("[x]")), ["x"]);
    assertEquals(sorted(db.keys("back\\\\slash")), ["back\\slash"]);
    assertEquals(db.keys("hello"), ["hello"]);
    assertEquals(db.keys("nomatch*"), []);
    assertEquals(db.keys("HELLO"), []);
  }));

test("keys: keys on an empty dictionary and skips expired keys", () =>
  withDict(async (db) => {
    assertEquals(db.keys("*"), []);
    db.set("live", "v");
    db.set("dying", "v", { px: 20 });
    await sleep(60);
    assertEquals(db.keys("*"), ["live"]);
  }));

// ---------------------------------------------------------------- SCAN

test("keys: scan returns every key, with count, match and type", () =>
  withDict((db) => {
    const expected = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const k = i % 5 === 0 ? `user:${i}` : `item:${i}`;
      expected.add(k);
      db.set(k, String(i));
    }
    for (const count of [1, 10, 100, 1000]) {
      const got = scanAll(db, { count });
      assertEquals(sorted(new Set(got)), sorted(expected), `count ${count}`);
    }
    const users = scanAll(db, { match: "user:*", count: 50 });
    assert(users.every((k) => k.startsWith("user:")), "match returned a non-matching key");
    assertEquals(new Set(users).size, 100);
    assertEquals(new Set(scanAll(db, { type: "string" })).size, 500);
    assertEquals(scanAll(db, { type: "hash" }), []);
    assertEquals(scanAll(db, { match: "none:*" }), []);
    // The string cursor form and the number form agree on the first page.
    const [c1, k1] = db.scan(0, { count: 10 });
    const [c2, k2] = db.scan("0", { count: 10 });
    assertEquals(c1, c2);
    assertEquals(k1, k2);
  }));

test("keys: scan of an empty dictionary ends at once", () =>
  withDict((db) => {
    const [cursor, keys] = db.scan(0);
    assertEquals(cursor, "0");
    assertEquals(keys, []);
  }));

test("keys: scan returns every stable key while thousands are inserted and deleted (rehash)", () =>
  withDict((db) => {
    const stable = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const k = `stable:${i}`;
      stable.add(k);
      db.set(k, "s");
    }
    const bucketsBefore = db.info().buckets;
    const seen = new Set<string>();
    const extras: string[] = [];
    let nextExtra = 0;
    let sawRehash = false;
    let cursor: string | number = 0;
    let step = 0;
    for (;; step++) {
      assert(step < 100_000, "scan did not finish");
      const [next, keys] = db.scan(cursor, { count: 20 });
      for (const k of keys) {
        assert(k.startsWith("stable:") || k.startsWith("extra:"), `unknown key ${k}`);
        seen.add(k);
      }
      if (next === "0") break;
      cursor = next;
      // Grow: insert 150 keys; shrink: delete the older half of the extras.
      if (step < 40) {
        for (let j = 0; j < 150; j++) {
          const k = `extra:${nextExtra++}`;
          db.set(k, "e");
          extras.push(k);
        }
      } else if (extras.length > 0) {
        const victims = extras.splice(0, Math.min(extras.length, 400));
        assertEquals(db.del(...victims), victims.length);
      }
      if (db.info().rehashing) sawRehash = true;
    }
    const missing = [...stable].filter((k) => !seen.has(k));
    assertEquals(missing.length, 0, `missed ${missing.length} stable keys, e.g. ${missing[0]}`);
    assert(nextExtra >= 3000, `only ${nextExtra} keys inserted mid-scan`);
    assert(
      sawRehash || db.info().buckets !== bucketsBefore,
      "the index never rehashed during the scan",
    );
    assertEquals(db.dbsize(), stable.size + extras.length);
    assertEquals(db.check(), []);
  }));

test("keys: scanIterator yields every key, honours match and type", () =>
  withDict((db) => {
    const all = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const k = i % 3 === 0 ? `a:${i}` : `b:${i}`;
      all.add(k);
      db.set(k, "v");
    }
    const it = db.scanIterator();
    assertEquals(typeof it.next, "function");
    assertEquals(sorted(new Set(it)), sorted(all));
    const a = [...db.scanIterator({ match: "a:*", count: 7 })];
    assert(a.every((k) => k.startsWith("a:")), "match leaked");
    assertEquals(new Set(a).size, 100);
    assertEquals([...db.scanIterator({ type: "hash" })], []);
    assertEquals(new Set(db.scanIterator({ type: "string", count: 1000 })).size, 300);
    // Breaking out early is fine, and a new iterator starts over.
    let n = 0;
    for (const _ of db.scanIterator({ count: 5 })) {
      if (++n === 3) break;
    }
    assertEquals(n, 3);
  }));

// ---------------------------------------------------------------- DBSIZE / FLUSHALL / INFO

test("keys: dbsize counts keys", () =>
  withDict((db) => {
    assertEquals(db.dbsize(), 0);
    db.set("a", "1");
    db.set("a", "2");
    assertEquals(db.dbsize(), 1);
    db.mset({ b: "1", c: "2" });
    assertEquals(db.dbsize(), 3);
    db.del("b");
    assertEquals(db.dbsize(), 2);
  }));

test("keys: flushall removes everything and the dictionary keeps working", () =>
  withDict((db) => {
    const emptyUsed = db.info().usedBytes;
    for (let i = 0; i < 1000; i++) {
      db.set(`k${i}`, "x".repeat(100), i % 2 ? { ex: 100 } : undefined);
    }
    assert(db.info().usedBytes > emptyUsed, "usedBytes did not grow");
    assertEquals(db.flushall(), "OK");
    assertEquals(db.dbsize(), 0);
    assertEquals(db.keys("*"), []);
    assertEquals(db.get("k1"), null);
    const info = db.info();
    assertEquals(info.keys, 0);
    assertEquals(info.expires, 0);
    assert(info.usedBytes <= emptyUsed + 64 * 1024, `usedBytes ${info.usedBytes} after flushall`);
    assertEquals(db.check(), []);
    db.set("after", "v");
    assertEquals(db.get("after"), "v");
    assertEquals(db.dbsize(), 1);
    assertEquals(db.flushall(), "OK");
    assertEquals(db.flushall(), "OK");
    assertEquals(db.dbsize(), 0);
  }));

test("keys: info fields change as expected", () =>
  withDict(async (db) => {
    const i0 = db.info();
    for (
      const f of [
        "keys",
        "expires",
        "usedBytes",
        "committedBytes",
        "reservedBytes",
        "heapBytes",
        "freeBytes",
        "hits",
        "misses",
        "expired",
        "buckets",
        "recoveries",
      ] as const
    ) {
      assertEquals(typeof i0[f], "number", `info().${f}`);
      assert(i0[f] >= 0, `info().${f} negative`);
    }
    assertEquals(typeof i0.rehashing, "boolean");
    assertEquals(i0.keys, 0);
    assertEquals(i0.reservedBytes, 8 * 1024 * 1024);
    assert(i0.committedBytes <= i0.reservedBytes, "committed > reserved");

    db.set("a", "1");
    db.set("b", "2", { ex: 100 });
    db.set("c", "x".repeat(100_000));
    const i1 = db.info();
    assertEquals(i1.keys, 3);
    assertEquals(i1.expires, 1);
    assert(i1.usedBytes >= i0.usedBytes + 100_000, "usedBytes did not count the value");
    assert(i1.committedBytes >= i1.usedBytes, "committed < used");

    db.get("a");
    db.get("b");
    db.get("a");
    db.get("nope");
    db.get("nope2");
    const i2 = db.info();
    assertEquals(i2.hits - i1.hits, 3);
    assertEquals(i2.misses - i1.misses, 2);

    db.del("c");
    const i3 = db.info();
    assert(i3.usedBytes <= i2.usedBytes - 100_000, "usedBytes did not drop after del");
    assertEquals(i3.keys, 2);

    db.set("short", "v", { px: 10 });
    await sleep(50);
    assertEquals(db.get("short"), null);
    // The expired key is removed lazily or by active expiry (writes give it a chance);
    // like Redis's DBSIZE, keys may count it until then. Bounded: 2 s.
    const deadline = Date.now() + 2000;
    for (let i = 0; db.info().expired === i3.expired && Date.now() < deadline; i++) {
      for (let j = 0; j < 20; j++) db.set("tick", String(i));
      await sleep(10);
    }
    db.del("tick");
    const i4 = db.info();
    assertEquals(i4.expired - i3.expired, 1);
    assertEquals(i4.keys, 2);
    assertEquals(i4.expires, 1);

    // A write that looks up an expired key removes it and counts it (lazy expiry).
    db.set("short2", "v", { px: 10 });
    await sleep(50);
    assertEquals(db.set("short2", "new", { nx: true }), "OK");
    const i5 = db.info();
    assertEquals(i5.expired - i4.expired, 1);
    assertEquals(i5.keys, 3);
    assertEquals(i5.expires, 1);
  }, { size: "8MiB" }));

// ---------------------------------------------------------------- expiry

test("keys: a key with px 50 vanishes within 2 s", () =>
  withDict(async (db) => {
    const t0 = Date.now();
    db.set("k", "v", { px: 50 });
    const first = db.get("k");
    // (Only when this process was not descheduled for 50 ms in between.)
    if (Date.now() - t0 < 40) assertEquals(first, "v");
    db.set("stay", "v");
    const deadline = Date.now() + 2000;
    while (db.get("k") !== null && Date.now() < deadline) await sleep(10);
    assertEquals(db.get("k"), null);
    // Reclaimed too (dbsize counts it no more), at the latest by active expiry, which
    // writes give a chance to run. Bounded: 2 s.
    db.set("tick", "0");
    for (let i = 1; db.dbsize() > 2 && Date.now() < deadline + 2000; i++) {
      await sleep(10);
      for (let j = 0; j < 20; j++) db.set("tick", String(i));
    }
    db.del("tick");
    assertEquals(db.exists("k"), 0);
    assertEquals(db.ttl("k"), -2);
    assertEquals(db.type("k"), "none");
    assertEquals(db.strlen("k"), 0);
    assertEquals(db.dbsize(), 1);
    assertEquals(db.get("stay"), "v");
  }));

test("keys: expired keys are invisible to every command, even unread ones", () =>
  withDict(async (db) => {
    for (let i = 0; i < 50; i++) db.set(`e${i}`, "v", { px: 30 });
    db.set("stay", "v");
    await sleep(100);
    assertEquals(db.exists("e1", "e2"), 0);
    assertEquals(db.keys("e*"), []);
    assertEquals(scanAll(db, { match: "e*" }), []);
    assertEquals(db.mget("e3", "stay"), [null, "v"]);
    assertEquals(db.incr("e4"), 1);
    assertEquals(db.append("e5", "x"), 1);
    assertEquals(db.set("e6", "new", { nx: true }), "OK");
    assertEquals(db.set("e7", "new", { xx: true }), null);
    assertEquals(db.getdel("e8"), null);
    assertEquals(db.renamenx("stay", "e9"), 1);
    assertEquals(db.copy("e9", "e10"), 1);
    assertThrows(() => db.rename("e11", "x"), NoSuchKeyError);
    assertEquals(db.expire("e12", 100), 0);
    assertEquals(db.persist("e13"), 0);
    assertEquals(db.check(), []);
  }));
