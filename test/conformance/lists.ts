/**
 * Conformance: the list commands — LPUSH/RPUSH/LPUSHX/RPUSHX, LPOP/RPOP with and without a
 * count, LLEN, LRANGE/LINDEX with negative and out-of-range indexes, LSET, LINSERT, LREM,
 * LTRIM, LPOS (RANK, COUNT, MAXLEN), LMOVE (also on the same list), the blocking
 * BLPOP/BRPOP/BLMOVE (ready data, timeouts, a push from another client waking the waiter),
 * empty, binary and large elements, and a list that disappears when emptied.
 *
 * WRONGTYPE and the generic commands on lists are in `types.ts`.
 *
 * @module
 */

import { InvalidArgumentError, NoSuchKeyError } from "../../lib/mod.ts";
import type { View } from "./view.ts";
import { assert, assertEquals, assertGone, assertRejects, sleep, type Tester } from "./tester.ts";

/** `["e0", "e1", ...]`. */
const elems = (n: number, prefix = "e"): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** What LRANGE start stop returns for `list`, computed as Redis defines it. */
function rangeOf(list: readonly string[], start: number, stop: number): string[] {
  const n = list.length;
  if (start < 0) start = Math.max(0, n + start);
  if (stop < 0) stop = n + stop;
  if (stop >= n) stop = n - 1;
  if (start > stop || start >= n) return [];
  return list.slice(start, stop + 1);
}

/** Another client of the same database, closed after `fn`. */
async function withOther<T>(db: View, fn: (other: View) => Promise<T>): Promise<T> {
  const other = await db.other();
  try {
    return await fn(other);
  } finally {
    await other.close();
  }
}

/** The lists suite. */
export function listsSuite(t: Tester): void {
  /* ---------------------------------------------------------------- pushes */

  t.case("lpush/rpush: order of several elements, lengths returned", async (db) => {
    assertEquals(await db.lpush("l", "a", "b", "c"), 3);
    assertEquals(await db.lrange("l", 0, -1), ["c", "b", "a"]);
    assertEquals(await db.rpush("l", "x", "y"), 5);
    assertEquals(await db.lrange("l", 0, -1), ["c", "b", "a", "x", "y"]);
    assertEquals(await db.lpush("l", "z"), 6);
    assertEquals(await db.lrange("l", 0, -1), ["z", "c", "b", "a", "x", "y"]);
    assertEquals(await db.llen("l"), 6);
    assertEquals(await db.type("l"), "list");
    assertEquals(await db.rpush("r", "1", "2", "3"), 3);
    assertEquals(await db.lrange("r", 0, -1), ["1", "2", "3"]);
  });

  t.case("lpushx/rpushx: only onto an existing list", async (db) => {
    assertEquals(await db.lpushx("l", "a"), 0);
    assertEquals(await db.rpushx("l", "a", "b"), 0);
    await assertGone(db, "l");
    await db.rpush("l", "m");
    assertEquals(await db.lpushx("l", "a", "b"), 3);
    assertEquals(await db.rpushx("l", "y", "z"), 5);
    assertEquals(await db.lrange("l", 0, -1), ["b", "a", "m", "y", "z"]);
  });

  t.case("push: duplicates, empty, UTF-8 and binary elements", async (db) => {
    const bin = new Uint8Array([0xff, 0, 0xfe]);
    assertEquals(await db.rpush("l", "", "a", "a", "é😀", bin, "a\0b"), 6);
    assertEquals(await db.lrange("l", 0, -1), ["", "a", "a", "é😀", "\ufffd\0\ufffd", "a\0b"]);
    assertEquals(await db.lindex("l", 0), "");
    assertEquals(await db.lpos("l", bin), 4);
    assertEquals(await db.lpos("l", "a\0b"), 5);
    assertEquals(await db.lpos("l", "a\0"), null);
    assertEquals(await db.lrem("l", 0, bin), 1);
    assertEquals(await db.llen("l"), 5);
  });

  t.case("push: a 1 MiB element and 10,000 small ones", async (db) => {
    const big = "x".repeat(1024 * 1024);
    assertEquals(await db.rpush("l", "first", big, "last"), 3);
    assertEquals((await db.lindex("l", 1))?.length, 1024 * 1024);
    assertEquals(await db.lpop("l"), "first");
    assertEquals((await db.lpop("l"))?.length, 1024 * 1024);
    assertEquals(await db.lrange("l", 0, -1), ["last"]);
    const many = elems(10_000);
    for (let i = 0; i < many.length; i += 1000) {
      await db.rpush("m", ...many.slice(i, i + 1000));
    }
    assertEquals(await db.llen("m"), 10_000);
    assertEquals(await db.lindex("m", 5000), "e5000");
    assertEquals(await db.lindex("m", -1), "e9999");
    assertEquals(await db.lrange("m", 4998, 5001), ["e4998", "e4999", "e5000", "e5001"]);
    assertEquals(await db.lrange("m", -3, -1), ["e9997", "e9998", "e9999"]);
    assertEquals(await db.lrange("m", 0, -1), many);
    assertEquals(await db.lpos("m", "e7777"), 7777);
  });

  /* ---------------------------------------------------------------- pops */

  t.case("lpop/rpop: one element; null on a missing key", async (db) => {
    assertEquals(await db.lpop("l"), null);
    assertEquals(await db.rpop("l"), null);
    await db.rpush("l", "a", "b", "c");
    assertEquals(await db.lpop("l"), "a");
    assertEquals(await db.rpop("l"), "c");
    assertEquals(await db.llen("l"), 1);
    assertEquals(await db.rpop("l"), "b");
    await assertGone(db, "l");
    assertEquals(await db.lpop("l"), null);
  });

  t.case("lpop/rpop count: up to count; a missing key is null, count 0 empty", async (db) => {
    assertEquals(await db.lpop("l", 2), null);
    assertEquals(await db.rpop("l", 0), null);
    await db.rpush("l", "a", "b", "c", "d", "e");
    assertEquals(await db.lpop("l", 2), ["a", "b"]);
    assertEquals(await db.rpop("l", 2), ["e", "d"]);
    assertEquals(await db.lpop("l", 0), []);
    assertEquals(await db.rpop("l", 0), []);
    assertEquals(await db.lpop("l", 1), ["c"]);
    await assertGone(db, "l");
    await db.rpush("l", "x", "y");
    assertEquals(await db.rpop("l", 100), ["y", "x"]);
    await assertGone(db, "l");
  });

  t.case("lpop/rpop: a negative count is an error", async (db) => {
    await db.rpush("l", "a");
    await assertRejects(() => db.lpop("l", -1), InvalidArgumentError);
    await assertRejects(() => db.rpop("l", -5), InvalidArgumentError);
    assertEquals(await db.lrange("l", 0, -1), ["a"]);
  });

  /* ---------------------------------------------------------------- LRANGE / LINDEX */

  t.case("lrange: every start/stop from -8 to 8 on a 5-element list", async (db) => {
    const list = ["a", "b", "c", "d", "e"];
    await db.rpush("l", ...list);
    const checks: [number, number, string[], string[]][] = [];
    for (let start = -8; start <= 8; start += 2) {
      for (let stop = -8; stop <= 8; stop += 2) {
        checks.push([start, stop, await db.lrange("l", start, stop), rangeOf(list, start, stop)]);
      }
    }
    for (const [start, stop, got, want] of checks) {
      assertEquals(got, want, `LRANGE l ${start} ${stop}`);
    }
  });

  t.case("lrange: edges", async (db) => {
    assertEquals(await db.lrange("missing", 0, -1), []);
    await db.rpush("l", "a", "b", "c");
    assertEquals(await db.lrange("l", 0, 0), ["a"]);
    assertEquals(await db.lrange("l", -1, -1), ["c"]);
    assertEquals(await db.lrange("l", 2, 1), []);
    assertEquals(await db.lrange("l", 3, 10), []);
    assertEquals(await db.lrange("l", -100, 100), ["a", "b", "c"]);
    assertEquals(await db.lrange("l", -100, -4), []);
    assertEquals(await db.lrange("l", 1, -1), ["b", "c"]);
    assertEquals(await db.lrange("l", 0, 2 ** 53), ["a", "b", "c"]);
    assertEquals(await db.lrange("l", -(2 ** 53), 0), ["a"]);
  });

  t.case("lindex: positive, negative and out-of-range indexes", async (db) => {
    assertEquals(await db.lindex("missing", 0), null);
    await db.rpush("l", "a", "b", "c");
    assertEquals(await db.lindex("l", 0), "a");
    assertEquals(await db.lindex("l", 2), "c");
    assertEquals(await db.lindex("l", 3), null);
    assertEquals(await db.lindex("l", -1), "c");
    assertEquals(await db.lindex("l", -3), "a");
    assertEquals(await db.lindex("l", -4), null);
    assertEquals(await db.lindex("l", 2 ** 53), null);
  });

  /* ---------------------------------------------------------------- LSET */

  t.case("lset: replaces by index; errors for a missing key or a bad index", async (db) => {
    await assertRejects(() => db.lset("missing", 0, "x"), NoSuchKeyError);
    assertEquals(await db.exists("missing"), 0);
    await db.rpush("l", "a", "b", "c");
    assertEquals(await db.lset("l", 0, "A"), "OK");
    assertEquals(await db.lset("l", -1, "C"), "OK");
    assertEquals(await db.lset("l", 1, ""), "OK");
    assertEquals(await db.lrange("l", 0, -1), ["A", "", "C"]);
    await assertRejects(() => db.lset("l", 3, "x"), InvalidArgumentError);
    await assertRejects(() => db.lset("l", -4, "x"), InvalidArgumentError);
    assertEquals(await db.lset("l", 1, "y".repeat(10_000)), "OK");
    assertEquals((await db.lindex("l", 1))?.length, 10_000);
    assertEquals(await db.llen("l"), 3);
  });

  /* ---------------------------------------------------------------- LINSERT */

  t.case("linsert: before/after the first match; -1 without a pivot, 0 on no key", async (db) => {
    assertEquals(await db.linsert("missing", "BEFORE", "a", "x"), 0);
    assertEquals(await db.exists("missing"), 0);
    await db.rpush("l", "a", "b", "a");
    assertEquals(await db.linsert("l", "BEFORE", "a", "x"), 4);
    assertEquals(await db.lrange("l", 0, -1), ["x", "a", "b", "a"]);
    assertEquals(await db.linsert("l", "AFTER", "a", "y"), 5);
    assertEquals(await db.lrange("l", 0, -1), ["x", "a", "y", "b", "a"]);
    assertEquals(await db.linsert("l", "AFTER", "b", "z"), 6);
    assertEquals(await db.linsert("l", "BEFORE", "nope", "z"), -1);
    assertEquals(await db.linsert("l", "AFTER", "a", ""), 7);
    assertEquals(await db.lrange("l", 0, -1), ["x", "a", "", "y", "b", "z", "a"]);
    assertEquals(await db.linsert("l", "AFTER", "a", "a"), 8);
    assertEquals(await db.lrange("l", 0, 3), ["x", "a", "a", ""]);
  });

  /* ---------------------------------------------------------------- LREM */

  t.case("lrem: count > 0 from the head, < 0 from the tail, 0 all", async (db) => {
    assertEquals(await db.lrem("missing", 0, "a"), 0);
    await db.rpush("l", "a", "b", "a", "c", "a", "b", "a");
    assertEquals(await db.lrem("l", 2, "a"), 2);
    assertEquals(await db.lrange("l", 0, -1), ["b", "c", "a", "b", "a"]);
    assertEquals(await db.lrem("l", -1, "b"), 1);
    assertEquals(await db.lrange("l", 0, -1), ["b", "c", "a", "a"]);
    assertEquals(await db.lrem("l", 0, "a"), 2);
    assertEquals(await db.lrange("l", 0, -1), ["b", "c"]);
    assertEquals(await db.lrem("l", 5, "nope"), 0);
    assertEquals(await db.lrem("l", -100, "c"), 1);
    assertEquals(await db.lrem("l", 1, "b"), 1);
    await assertGone(db, "l");
  });

  t.case("lrem: many copies over a long list", async (db) => {
    const list = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? "x" : `e${i}`));
    await db.rpush("l", ...list);
    assertEquals(await db.lrem("l", -10, "x"), 10);
    assertEquals(await db.llen("l"), 990);
    assertEquals(await db.lindex("l", -1), "e998");
    assertEquals(await db.lrem("l", 0, "x"), 324);
    assertEquals(await db.lpos("l", "x"), null);
    assertEquals(await db.llen("l"), 666);
  });

  /* ---------------------------------------------------------------- LTRIM */

  t.case("ltrim: keeps a range; an empty range removes the key", async (db) => {
    assertEquals(await db.ltrim("missing", 0, 1), "OK");
    await db.rpush("l", "a", "b", "c", "d", "e");
    assertEquals(await db.ltrim("l", 1, -2), "OK");
    assertEquals(await db.lrange("l", 0, -1), ["b", "c", "d"]);
    assertEquals(await db.ltrim("l", -2, 100), "OK");
    assertEquals(await db.lrange("l", 0, -1), ["c", "d"]);
    assertEquals(await db.ltrim("l", 0, 0), "OK");
    assertEquals(await db.lrange("l", 0, -1), ["c"]);
    assertEquals(await db.ltrim("l", 1, 0), "OK");
    await assertGone(db, "l");
    await db.rpush("m", "a", "b");
    assertEquals(await db.ltrim("m", 5, 10), "OK");
    await assertGone(db, "m");
    await db.rpush("n", "a", "b");
    assertEquals(await db.ltrim("n", -100, -3), "OK");
    await assertGone(db, "n");
  });

  t.case("ltrim: every start/stop from -6 to 6 on a 4-element list", async (db) => {
    const list = ["a", "b", "c", "d"];
    for (let start = -6; start <= 6; start += 3) {
      for (let stop = -6; stop <= 6; stop += 3) {
        await db.del("l");
        await db.rpush("l", ...list);
        await db.ltrim("l", start, stop);
        assertEquals(await db.lrange("l", 0, -1), rangeOf(list, start, stop), `${start} ${stop}`);
      }
    }
  });

  /* ---------------------------------------------------------------- LPOS */

  t.case("lpos: first match, RANK forwards and backwards", async (db) => {
    assertEquals(await db.lpos("missing", "a"), null);
    await db.rpush("l", "a", "b", "c", "1", "2", "3", "c", "c");
    assertEquals(await db.lpos("l", "a"), 0);
    assertEquals(await db.lpos("l", "c"), 2);
    assertEquals(await db.lpos("l", "z"), null);
    assertEquals(await db.lpos("l", "c", { rank: 1 }), 2);
    assertEquals(await db.lpos("l", "c", { rank: 2 }), 6);
    assertEquals(await db.lpos("l", "c", { rank: 3 }), 7);
    assertEquals(await db.lpos("l", "c", { rank: 4 }), null);
    assertEquals(await db.lpos("l", "c", { rank: -1 }), 7);
    assertEquals(await db.lpos("l", "c", { rank: -3 }), 2);
    assertEquals(await db.lpos("l", "c", { rank: -4 }), null);
  });

  t.case("lpos: COUNT (0 = all) and MAXLEN", async (db) => {
    assertEquals(await db.lpos("missing", "a", { count: 0 }), []);
    assertEquals(await db.lpos("missing", "a", { count: 2 }), []);
    await db.rpush("l", "a", "b", "c", "1", "2", "3", "c", "c");
    assertEquals(await db.lpos("l", "c", { count: 2 }), [2, 6]);
    assertEquals(await db.lpos("l", "c", { count: 0 }), [2, 6, 7]);
    assertEquals(await db.lpos("l", "c", { count: 10 }), [2, 6, 7]);
    assertEquals(await db.lpos("l", "z", { count: 0 }), []);
    assertEquals(await db.lpos("l", "c", { count: 0, rank: 2 }), [6, 7]);
    assertEquals(await db.lpos("l", "c", { count: 0, rank: -1 }), [7, 6, 2]);
    assertEquals(await db.lpos("l", "c", { count: 2, rank: -2 }), [6, 2]);
    assertEquals(await db.lpos("l", "c", { maxlen: 2 }), null);
    assertEquals(await db.lpos("l", "c", { maxlen: 3 }), 2);
    assertEquals(await db.lpos("l", "c", { count: 0, maxlen: 7 }), [2, 6]);
    assertEquals(await db.lpos("l", "c", { count: 0, maxlen: 0 }), [2, 6, 7]);
    assertEquals(await db.lpos("l", "c", { count: 0, rank: -1, maxlen: 2 }), [7, 6]);
    assertEquals(await db.lpos("l", "a", { rank: -1, maxlen: 7 }), null);
  });

  t.case("lpos: RANK 0 and negative COUNT / MAXLEN are errors", async (db) => {
    await db.rpush("l", "a");
    await assertRejects(() => db.lpos("l", "a", { rank: 0 }), InvalidArgumentError);
    await assertRejects(() => db.lpos("l", "a", { count: -1 }), InvalidArgumentError);
    await assertRejects(() => db.lpos("l", "a", { maxlen: -1 }), InvalidArgumentError);
    await assertRejects(() => db.lpos("missing", "a", { rank: 0 }), InvalidArgumentError);
  });

  /* ---------------------------------------------------------------- LMOVE */

  t.case("lmove: all four directions between two lists", async (db) => {
    await db.rpush("src", "a", "b", "c", "d");
    await db.rpush("dst", "x");
    assertEquals(await db.lmove("src", "dst", "LEFT", "LEFT"), "a");
    assertEquals(await db.lmove("src", "dst", "LEFT", "RIGHT"), "b");
    assertEquals(await db.lmove("src", "dst", "RIGHT", "LEFT"), "d");
    assertEquals(await db.lmove("src", "dst", "RIGHT", "RIGHT"), "c");
    assertEquals(await db.lrange("dst", 0, -1), ["d", "a", "x", "b", "c"]);
    await assertGone(db, "src");
    assertEquals(await db.lmove("src", "dst", "LEFT", "LEFT"), null);
    assertEquals(await db.llen("dst"), 5);
  });

  t.case("lmove: creates the destination; the same list rotates", async (db) => {
    await db.rpush("l", "a", "b", "c");
    assertEquals(await db.lmove("l", "new", "RIGHT", "LEFT"), "c");
    assertEquals(await db.lrange("new", 0, -1), ["c"]);
    assertEquals(await db.type("new"), "list");
    await db.rpush("l", "c");
    assertEquals(await db.lmove("l", "l", "LEFT", "RIGHT"), "a");
    assertEquals(await db.lrange("l", 0, -1), ["b", "c", "a"]);
    assertEquals(await db.lmove("l", "l", "RIGHT", "LEFT"), "a");
    assertEquals(await db.lrange("l", 0, -1), ["a", "b", "c"]);
    assertEquals(await db.lmove("l", "l", "LEFT", "LEFT"), "a");
    assertEquals(await db.lmove("l", "l", "RIGHT", "RIGHT"), "c");
    assertEquals(await db.lrange("l", 0, -1), ["a", "b", "c"]);
    await db.rpush("one", "x");
    assertEquals(await db.lmove("one", "one", "LEFT", "RIGHT"), "x");
    assertEquals(await db.lrange("one", 0, -1), ["x"]);
    assertEquals(await db.lmove("none", "none", "LEFT", "RIGHT"), null);
    await assertGone(db, "none");
  });

  /* ---------------------------------------------------------------- blocking */

  t.case("blpop/brpop: data already there is returned at once", async (db) => {
    await db.rpush("l", "a", "b", "c");
    assertEquals(await db.blpop("l", 1), ["l", "a"]);
    assertEquals(await db.brpop("l", 1), ["l", "c"]);
    assertEquals(await db.blpop("missing", "l", 1), ["l", "b"]);
    await assertGone(db, "l");
    await db.rpush("a", "1");
    await db.rpush("b", "2");
    assertEquals(await db.blpop("b", "a", 1), ["b", "2"]);
    assertEquals(await db.brpop("b", "a", 0), ["a", "1"]);
    await assertGone(db, "a");
  });

  t.case("blpop/brpop/blmove: time out with null on empty keys", async (db) => {
    const t0 = Date.now();
    assertEquals(await db.blpop("l", 0.1), null);
    assertEquals(await db.brpop("l", "m", 0.1), null);
    assertEquals(await db.blmove("l", "m", "LEFT", "RIGHT", 0.1), null);
    const ms = Date.now() - t0;
    assert(ms >= 250 && ms < 5000, `three 100 ms timeouts took ${ms} ms`);
    assertEquals(await db.exists("l", "m"), 0);
  });

  t.case("blpop/brpop/blmove: negative timeouts are errors", async (db) => {
    await assertRejects(() => db.blpop("l", -1), InvalidArgumentError);
    await assertRejects(() => db.brpop("l", -0.5), InvalidArgumentError);
    await assertRejects(() => db.blmove("l", "m", "LEFT", "LEFT", -1), InvalidArgumentError);
  });

  t.case("blmove: moves at once when data is there; same list", async (db) => {
    await db.rpush("l", "a", "b");
    assertEquals(await db.blmove("l", "m", "RIGHT", "LEFT", 1), "b");
    assertEquals(await db.blmove("l", "l", "LEFT", "RIGHT", 1), "a");
    assertEquals(await db.lrange("l", 0, -1), ["a"]);
    assertEquals(await db.lrange("m", 0, -1), ["b"]);
  });

  t.case("blpop: a push from another client wakes the waiter", async (db) => {
    await withOther(db, async (other) => {
      const waiting = db.blpop("q1", "q2", 5);
      await sleep(50);
      assertEquals(await other.rpush("q2", "hello", "world"), 2);
      assertEquals(await waiting, ["q2", "hello"]);
      assertEquals(await db.lrange("q2", 0, -1), ["world"]);
    });
  }, { timeout: 15_000 });

  t.case("brpop/blmove: woken by another client's push", async (db) => {
    await withOther(db, async (other) => {
      const r = db.brpop("q", 5);
      await sleep(50);
      await other.lpush("q", "x", "y");
      assertEquals(await r, ["q", "x"]);
      const m = db.blmove("src", "dst", "LEFT", "LEFT", 5);
      await sleep(50);
      await other.rpush("src", "moved");
      assertEquals(await m, "moved");
      assertEquals(await db.lrange("dst", 0, -1), ["moved"]);
      await assertGone(db, "src");
    });
  }, { timeout: 15_000 });

  t.case("blpop: a push onto another key does not satisfy it; it times out", async (db) => {
    await withOther(db, async (other) => {
      const waiting = db.blpop("wanted", 0.3);
      await sleep(50);
      await other.rpush("other", "x");
      assertEquals(await waiting, null);
      assertEquals(await db.lrange("other", 0, -1), ["x"]);
    });
  }, { timeout: 15_000 });
}
