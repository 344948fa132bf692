/**
 * Conformance: time to live — EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT and their NX/XX/GT/LT
 * conditions, TTL/PTTL/EXPIRETIME/PEXPIRETIME, PERSIST, deadlines in the past, keys that
 * really expire, and how every command that writes a key treats its TTL (SET clears it,
 * KEEPTTL keeps it, RENAME and COPY carry it, GETEX PERSIST removes it, ...).
 *
 * TTLs are compared within ±1 s (TTL) or ±100 ms (PTTL). DBSIZE is not asserted after a key
 * expired: Redis deletes expired keys lazily on reads, shmdict's readers do not (by design).
 *
 * @module
 */

import { InvalidArgumentError, NoSuchKeyError, NotIntegerError } from "../../lib/mod.ts";
import type { View } from "./view.ts";
import {
  assertEquals,
  assertNear,
  assertRejects,
  assertSameSet,
  nowSec,
  scanAll,
  sleep,
  type Tester,
} from "./tester.ts";

/** Sets `key` with a TTL of `seconds` and checks it took. */
async function withTtl(db: View, key: string, value: string, seconds: number): Promise<void> {
  await db.set(key, value, { ex: seconds });
  assertNear(await db.ttl(key), seconds, 1, `TTL of ${key}`);
}

/** The expire suite. */
export function expireSuite(t: Tester): void {
  /* ---------------------------------------------------------------- TTL queries */

  t.case("ttl/pttl/expiretime/pexpiretime: -2 missing, -1 no expiry", async (db) => {
    assertEquals(await db.ttl("k"), -2);
    assertEquals(await db.pttl("k"), -2);
    assertEquals(await db.expiretime("k"), -2);
    assertEquals(await db.pexpiretime("k"), -2);
    await db.set("k", "v");
    assertEquals(await db.ttl("k"), -1);
    assertEquals(await db.pttl("k"), -1);
    assertEquals(await db.expiretime("k"), -1);
    assertEquals(await db.pexpiretime("k"), -1);
  });

  t.case("expire/pexpire: relative times", async (db) => {
    assertEquals(await db.expire("k", 100), 0);
    assertEquals(await db.pexpire("k", 100_000), 0);
    assertEquals(await db.exists("k"), 0);
    await db.set("k", "v");
    assertEquals(await db.expire("k", 100), 1);
    assertNear(await db.ttl("k"), 100, 1);
    assertNear(await db.pttl("k"), 100_000, 100);
    assertNear(await db.expiretime("k"), nowSec() + 100, 1);
    assertNear(await db.pexpiretime("k"), Date.now() + 100_000, 100);
    assertEquals(await db.pexpire("k", 2500), 1);
    assertNear(await db.pttl("k"), 2500, 100);
    assertNear(await db.ttl("k"), 3, 1);
    assertEquals(await db.get("k"), "v");
  });

  t.case("expireat/pexpireat: absolute times, read back exactly", async (db) => {
    assertEquals(await db.expireat("k", nowSec() + 100), 0);
    await db.set("k", "v");
    const at = nowSec() + 1000;
    assertEquals(await db.expireat("k", at), 1);
    assertEquals(await db.expiretime("k"), at);
    assertEquals(await db.pexpiretime("k"), at * 1000);
    assertNear(await db.ttl("k"), 1000, 1);
    const pat = Date.now() + 60_123;
    assertEquals(await db.pexpireat("k", pat), 1);
    assertEquals(await db.pexpiretime("k"), pat);
    assertNear(await db.expiretime("k"), Math.floor(pat / 1000), 1);
    assertNear(await db.pttl("k"), 60_123, 100);
  });

  t.case("expiretime: rounds milliseconds as Redis does", async (db) => {
    await db.set("a", "v");
    const base = (nowSec() + 1000) * 1000;
    await db.pexpireat("a", base + 499);
    const a = await db.expiretime("a");
    await db.pexpireat("a", base + 500);
    const b = await db.expiretime("a");
    await db.pexpireat("a", base + 999);
    const c = await db.expiretime("a");
    /* Redis 7 rounds half up: (ms + 500) / 1000. */
    assertEquals([a, b, c], [base / 1000, base / 1000 + 1, base / 1000 + 1]);
  });

  t.case("expire: large times", async (db) => {
    await db.set("k", "v");
    assertEquals(await db.expire("k", 2 ** 40), 1);
    assertNear(await db.ttl("k"), 2 ** 40, 1);
    assertEquals(await db.pexpire("k", 2 ** 50), 1);
    assertNear(await db.pttl("k"), 2 ** 50, 100);
    assertEquals(await db.expireat("k", 2 ** 40), 1);
    assertEquals(await db.expiretime("k"), 2 ** 40);
    assertEquals(await db.pexpireat("k", 2 ** 52), 1);
    assertEquals(await db.pexpiretime("k"), 2 ** 52);
    assertEquals(await db.get("k"), "v");
  });

  t.case("expire: a non-integer time is an error", async (db) => {
    await db.set("k", "v");
    await assertRejects(() => db.expire("k", 1.5), NotIntegerError);
    await assertRejects(() => db.pexpire("k", 0.5), NotIntegerError);
    await assertRejects(() => db.expireat("k", NaN), NotIntegerError);
    await assertRejects(() => db.pexpireat("k", Infinity), NotIntegerError);
    assertEquals(await db.ttl("k"), -1);
  });

  /* ---------------------------------------------------------------- deadlines in the past */

  t.case("expire: zero, negative or past times delete the key", async (db) => {
    await db.mset({ a: "1", b: "2", c: "3", d: "4", e: "5", f: "6" });
    assertEquals(await db.expire("a", 0), 1);
    assertEquals(await db.expire("b", -10), 1);
    assertEquals(await db.pexpire("c", -1), 1);
    assertEquals(await db.expireat("d", 1), 1);
    assertEquals(await db.pexpireat("e", Date.now() - 1000), 1);
    assertEquals(await db.pexpireat("f", 0), 1);
    assertEquals(await db.mget("a", "b", "c", "d", "e", "f"), [null, null, null, null, null, null]);
    assertEquals(await db.exists("a", "b", "c", "d", "e", "f"), 0);
    assertEquals(await db.dbsize(), 0);
    assertEquals(await db.ttl("a"), -2);
    assertEquals(await db.expire("a", -1), 0);
  });

  t.case("expire in the past with conditions", async (db) => {
    await db.mset({ a: "1", b: "2" });
    /* GT: no expiry counts as infinite, nothing is greater: not deleted. */
    assertEquals(await db.expire("a", -1, { gt: true }), 0);
    assertEquals(await db.get("a"), "1");
    /* LT: anything is less than infinite: deleted. */
    assertEquals(await db.expire("a", -1, { lt: true }), 1);
    assertEquals(await db.exists("a"), 0);
    assertEquals(await db.expire("b", -1, { xx: true }), 0);
    assertEquals(await db.get("b"), "2");
    assertEquals(await db.expire("b", -1, { nx: true }), 1);
    assertEquals(await db.exists("b"), 0);
    await withTtl(db, "c", "3", 100);
    assertEquals(await db.pexpire("c", -1, { gt: true }), 0);
    assertEquals(await db.pexpire("c", 0, { xx: true, lt: true }), 1);
    assertEquals(await db.exists("c"), 0);
  });

  /* ---------------------------------------------------------------- NX / XX / GT / LT */

  t.case("expire NX/XX", async (db) => {
    await db.set("k", "v");
    assertEquals(await db.expire("k", 100, { xx: true }), 0);
    assertEquals(await db.ttl("k"), -1);
    assertEquals(await db.expire("k", 100, { nx: true }), 1);
    assertNear(await db.ttl("k"), 100, 1);
    assertEquals(await db.expire("k", 200, { nx: true }), 0);
    assertNear(await db.ttl("k"), 100, 1);
    assertEquals(await db.expire("k", 300, { xx: true }), 1);
    assertNear(await db.ttl("k"), 300, 1);
    assertEquals(await db.expire("missing", 100, { nx: true }), 0);
    assertEquals(await db.expire("missing", 100, { xx: true }), 0);
  });

  t.case("expire GT/LT against no expiry", async (db) => {
    await db.set("k", "v");
    assertEquals(await db.expire("k", 100, { gt: true }), 0);
    assertEquals(await db.ttl("k"), -1);
    assertEquals(await db.expire("k", 100, { lt: true }), 1);
    assertNear(await db.ttl("k"), 100, 1);
    await db.set("j", "v");
    assertEquals(await db.expire("j", 100, { xx: true, lt: true }), 0);
    assertEquals(await db.expire("j", 100, { xx: true, gt: true }), 0);
    assertEquals(await db.ttl("j"), -1);
  });

  t.case("expireat GT/LT: strictly later / earlier", async (db) => {
    await db.set("k", "v");
    const at = nowSec() + 1000;
    assertEquals(await db.expireat("k", at), 1);
    assertEquals(await db.expireat("k", at, { gt: true }), 0);
    assertEquals(await db.expireat("k", at, { lt: true }), 0);
    assertEquals(await db.expireat("k", at - 1, { gt: true }), 0);
    assertEquals(await db.expireat("k", at + 1, { lt: true }), 0);
    assertEquals(await db.expiretime("k"), at);
    assertEquals(await db.expireat("k", at + 10, { gt: true }), 1);
    assertEquals(await db.expiretime("k"), at + 10);
    assertEquals(await db.expireat("k", at + 5, { lt: true }), 1);
    assertEquals(await db.expiretime("k"), at + 5);
    assertEquals(await db.expireat("k", at + 6, { xx: true, gt: true }), 1);
    assertEquals(await db.expireat("k", at + 2, { xx: true, lt: true }), 1);
    assertEquals(await db.expiretime("k"), at + 2);
    const pat = at * 1000 + 2000;
    assertEquals(await db.pexpireat("k", pat, { gt: true }), 0);
    assertEquals(await db.pexpireat("k", pat + 1, { gt: true }), 1);
    assertEquals(await db.pexpiretime("k"), pat + 1);
    assertEquals(await db.pexpireat("k", pat, { lt: true }), 1);
    assertEquals(await db.pexpiretime("k"), pat);
  });

  t.case("expire GT/LT with relative times", async (db) => {
    await withTtl(db, "k", "v", 100);
    assertEquals(await db.expire("k", 50, { gt: true }), 0);
    assertEquals(await db.expire("k", 200, { lt: true }), 0);
    assertNear(await db.ttl("k"), 100, 1);
    assertEquals(await db.expire("k", 200, { gt: true }), 1);
    assertNear(await db.ttl("k"), 200, 1);
    assertEquals(await db.pexpire("k", 50_000, { lt: true }), 1);
    assertNear(await db.pttl("k"), 50_000, 100);
    assertEquals(await db.expire("missing", 10, { gt: true }), 0);
    assertEquals(await db.expire("missing", 10, { lt: true }), 0);
  });

  t.case("expire: incompatible conditions are errors, even for a missing key", async (db) => {
    await withTtl(db, "k", "v", 100);
    for (const opts of [{ nx: true, xx: true }, { nx: true, gt: true }, { nx: true, lt: true }]) {
      const e = await assertRejects(() => db.expire("k", 10, opts), InvalidArgumentError);
      assertEquals(
        e.message,
        "ERR NX and XX, GT or LT options at the same time are not compatible",
      );
    }
    const e = await assertRejects(
      () => db.pexpire("k", 10, { gt: true, lt: true }),
      InvalidArgumentError,
    );
    assertEquals(e.message, "ERR GT and LT options at the same time are not compatible");
    await assertRejects(
      () => db.expireat("missing", 10, { nx: true, xx: true }),
      InvalidArgumentError,
    );
    await assertRejects(
      () => db.pexpireat("missing", 10, { gt: true, lt: true }),
      InvalidArgumentError,
    );
    assertNear(await db.ttl("k"), 100, 1);
  });

  t.case("expire: conflicting conditions are reported before a bad number", async (db) => {
    await db.set("k", "v");
    await assertRejects(() => db.expire("k", 1.5, { nx: true, xx: true }), InvalidArgumentError);
    await assertRejects(() => db.pexpire("k", 0.5, { gt: true, lt: true }), InvalidArgumentError);
    await assertRejects(
      () => db.expireat("missing", NaN, { nx: true, gt: true }),
      InvalidArgumentError,
    );
    await assertRejects(() => db.expireat("missing", 1.5), NotIntegerError);
    assertEquals(await db.ttl("k"), -1);
  });

  /* ---------------------------------------------------------------- PERSIST */

  t.case("persist: removes an expiry", async (db) => {
    assertEquals(await db.persist("missing"), 0);
    await db.set("k", "v");
    assertEquals(await db.persist("k"), 0);
    await db.expire("k", 100);
    assertEquals(await db.persist("k"), 1);
    assertEquals(await db.ttl("k"), -1);
    assertEquals(await db.persist("k"), 0);
    assertEquals(await db.get("k"), "v");
  });

  /* ---------------------------------------------------------------- what writes do to a TTL */

  t.case("set clears the TTL; KEEPTTL keeps it", async (db) => {
    await withTtl(db, "k", "v", 100);
    await db.set("k", "w");
    assertEquals(await db.ttl("k"), -1);
    await withTtl(db, "k", "v", 100);
    await db.set("k", "w", { keepttl: true });
    assertNear(await db.ttl("k"), 100, 1);
    assertEquals(await db.get("k"), "w");
    await db.set("k", "x", { keepttl: true, xx: true });
    assertNear(await db.ttl("k"), 100, 1);
    await db.set("new", "v", { keepttl: true });
    assertEquals(await db.ttl("new"), -1);
    await db.set("k", "y", { xx: true });
    assertEquals(await db.ttl("k"), -1);
    await withTtl(db, "k", "v", 100);
    assertEquals(await db.set("k", "z", { get: true }), "v");
    assertEquals(await db.ttl("k"), -1);
    await withTtl(db, "k", "v", 100);
    assertEquals(await db.set("k", "z", { get: true, keepttl: true }), "v");
    assertNear(await db.ttl("k"), 100, 1);
  });

  t.case("set: a refused NX keeps the TTL; a new TTL replaces the old", async (db) => {
    await withTtl(db, "k", "v", 100);
    assertEquals(await db.set("k", "w", { nx: true }), null);
    assertNear(await db.ttl("k"), 100, 1);
    await db.set("k", "w", { ex: 500 });
    assertNear(await db.ttl("k"), 500, 1);
    await db.set("k", "w", { px: 2000 });
    assertNear(await db.pttl("k"), 2000, 100);
  });

  t.case("mset clears TTLs; msetnx does nothing to existing keys", async (db) => {
    await withTtl(db, "a", "1", 100);
    await withTtl(db, "b", "2", 100);
    await db.mset({ a: "10", c: "30" });
    assertEquals(await db.ttl("a"), -1);
    assertEquals(await db.msetnx({ b: "20", d: "40" }), 0);
    assertNear(await db.ttl("b"), 100, 1);
    assertEquals(await db.get("b"), "2");
  });

  t.case("in-place changes keep the TTL", async (db) => {
    await withTtl(db, "n", "1", 100);
    await db.incr("n");
    await db.incrby("n", 5);
    await db.decr("n");
    await db.decrby("n", 2);
    assertNear(await db.ttl("n"), 100, 1);
    assertEquals(await db.get("n"), "4");
    await db.incrbyfloat("n", 0.5);
    assertNear(await db.ttl("n"), 100, 1);
    await withTtl(db, "s", "abc", 100);
    await db.append("s", "def");
    assertNear(await db.ttl("s"), 100, 1);
    await db.setrange("s", 1, "X");
    assertNear(await db.ttl("s"), 100, 1);
    assertEquals(await db.get("s"), "aXcdef");
    await db.getrange("s", 0, 1);
    await db.strlen("s");
    await db.get("s");
    assertNear(await db.ttl("s"), 100, 1);
  });

  t.case("getex: PERSIST removes, no option keeps, EX replaces", async (db) => {
    await withTtl(db, "k", "v", 100);
    assertEquals(await db.getex("k"), "v");
    assertNear(await db.ttl("k"), 100, 1);
    assertEquals(await db.getex("k", { ex: 300 }), "v");
    assertNear(await db.ttl("k"), 300, 1);
    assertEquals(await db.getex("k", { persist: true }), "v");
    assertEquals(await db.ttl("k"), -1);
  });

  t.case("getdel and del: a re-created key has no TTL", async (db) => {
    await withTtl(db, "k", "v", 100);
    assertEquals(await db.getdel("k"), "v");
    await db.set("k", "w");
    assertEquals(await db.ttl("k"), -1);
    await withTtl(db, "j", "v", 100);
    await db.del("j");
    await db.incr("j");
    assertEquals(await db.ttl("j"), -1);
    await withTtl(db, "a", "v", 100);
    await db.del("a");
    await db.append("a", "x");
    assertEquals(await db.ttl("a"), -1);
  });

  t.case("rename carries the TTL; the destination's TTL is replaced", async (db) => {
    await withTtl(db, "a", "1", 100);
    assertEquals(await db.rename("a", "b"), "OK");
    assertNear(await db.ttl("b"), 100, 1);
    assertEquals(await db.ttl("a"), -2);
    await db.set("c", "3");
    await withTtl(db, "d", "4", 500);
    await db.rename("c", "d");
    assertEquals(await db.ttl("d"), -1);
    assertEquals(await db.get("d"), "3");
    await withTtl(db, "e", "5", 200);
    assertEquals(await db.renamenx("e", "f"), 1);
    assertNear(await db.ttl("f"), 200, 1);
    const at = nowSec() + 3000;
    await db.expireat("f", at);
    await db.rename("f", "g");
    assertEquals(await db.expiretime("g"), at);
  });

  t.case("copy carries the TTL; replace gives the source's TTL", async (db) => {
    await withTtl(db, "a", "1", 100);
    assertEquals(await db.copy("a", "b"), 1);
    assertNear(await db.ttl("b"), 100, 1);
    assertNear(await db.ttl("a"), 100, 1);
    await db.set("c", "3");
    await withTtl(db, "d", "4", 500);
    assertEquals(await db.copy("c", "d", { replace: true }), 1);
    assertEquals(await db.ttl("d"), -1);
    assertEquals(await db.copy("a", "d", { replace: true }), 1);
    assertNear(await db.ttl("d"), 100, 1);
    await db.persist("b");
    assertNear(await db.ttl("a"), 100, 1);
  });

  /* ---------------------------------------------------------------- keys that really expire */

  t.case("expiry: an expired key is gone for every command", async (db) => {
    const names = [
      "get",
      "exists",
      "ttl",
      "type",
      "strlen",
      "incr",
      "append",
      "setnx",
      "renamenx",
      "copy",
      "rename",
      "getdel",
      "persist",
      "expire",
      "mget",
      "getrange",
      "getex",
      "keys",
    ];
    await db.set("live", "v");
    for (const n of names) await db.set(n, "old", { px: 40 });
    await db.pexpire("live", 100_000);
    await sleep(120);
    assertEquals(await db.get("get"), null);
    assertEquals(await db.getBytes("get"), null);
    assertEquals(await db.exists("exists"), 0);
    assertEquals(await db.ttl("ttl"), -2);
    assertEquals(await db.pttl("ttl"), -2);
    assertEquals(await db.type("type"), "none");
    assertEquals(await db.strlen("strlen"), 0);
    assertEquals(await db.incr("incr"), 1);
    assertEquals(await db.ttl("incr"), -1);
    assertEquals(await db.append("append", "new"), 3);
    assertEquals(await db.get("append"), "new");
    assertEquals(await db.set("setnx", "new", { nx: true }), "OK");
    assertEquals(await db.ttl("setnx"), -1);
    assertEquals(await db.renamenx("live", "renamenx"), 1);
    assertEquals(await db.get("renamenx"), "v");
    assertEquals(await db.copy("renamenx", "copy"), 1);
    assertEquals(await db.get("copy"), "v");
    await assertRejects(() => db.rename("rename", "x"), NoSuchKeyError);
    assertEquals(await db.getdel("getdel"), null);
    assertEquals(await db.persist("persist"), 0);
    assertEquals(await db.expire("expire", 100), 0);
    assertEquals(await db.mget("mget", "copy"), [null, "v"]);
    assertEquals(await db.getrange("getrange", 0, -1), "");
    assertEquals(await db.getex("getex", { persist: true }), null);
    assertSameSet(await db.keys("*"), ["incr", "append", "setnx", "renamenx", "copy"]);
    assertSameSet(await scanAll(db), ["incr", "append", "setnx", "renamenx", "copy"]);
  });

  t.case("expiry: set XX and GET on an expired key see no key", async (db) => {
    await db.set("a", "old", { px: 30 });
    await db.set("b", "old", { px: 30 });
    await db.set("c", "old", { px: 30 });
    await sleep(100);
    assertEquals(await db.set("a", "new", { xx: true }), null);
    assertEquals(await db.exists("a"), 0);
    assertEquals(await db.set("b", "new", { get: true }), null);
    assertEquals(await db.get("b"), "new");
    assertEquals(await db.ttl("b"), -1);
    assertEquals(await db.msetnx({ c: "new" }), 1);
    assertEquals(await db.get("c"), "new");
  });

  t.case("expiry: a key expires when its time comes, not before", async (db) => {
    const t0 = Date.now();
    await db.set("k", "v", { px: 300 });
    await sleep(50);
    assertEquals(await db.get("k"), "v");
    assertNear(await db.pttl("k"), 300 - (Date.now() - t0), 100);
    await sleep(400);
    assertEquals(await db.get("k"), null);
    assertEquals(await db.pttl("k"), -2);
  });
}
