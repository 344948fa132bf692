/**
 * Conformance: the sorted-set commands — ZADD with every NX/XX/GT/LT/CH/INCR combination and
 * their errors, ZINCRBY, ZSCORE/ZMSCORE (float scores, ±inf, -0), ZREM, ZCARD, ZCOUNT and
 * ZLEXCOUNT (exclusive bounds, ±inf, `-`/`+`), ZRANK/ZREVRANK (ties by member), ZRANGE by rank,
 * BYSCORE, BYLEX, REV, LIMIT and WITHSCORES, ZRANGEBYSCORE/ZREVRANGEBYSCORE, ZREMRANGEBYRANK/
 * ZREMRANGEBYSCORE, ZPOPMIN/ZPOPMAX, ZRANDMEMBER (counts, WITHSCORES), ZSCAN, binary members
 * in byte order, and a sorted set that disappears when emptied.
 *
 * Scores are numbers in both views (Redis's replies are parsed); a score Redis prints with 17
 * digits parses back to the same double. WRONGTYPE and generic commands are in `types.ts`.
 *
 * @module
 */

import { InvalidArgumentError, NotFloatError, type ZAddArgs } from "../../lib/mod.ts";
import type { View } from "./view.ts";
import {
  assert,
  assertEquals,
  assertGone,
  assertRejects,
  assertSameMembers,
  assertSameSet,
  pairsOf,
  sortedPairs,
  type Tester,
  zscanAll,
} from "./tester.ts";

/** Adds `a`=1, `b`=2, ... for the letters given, one call. */
async function letters(db: View, key: string, s = "abcdefg"): Promise<void> {
  const args: (number | string)[] = [];
  [...s].forEach((c, i) => args.push(i + 1, c));
  await db.zadd(key, ...args as ZAddArgs);
}

/** A member with its score. */
type ScoredMember = [string, number];

/** `[member, score]` pairs for members `prefix0..` with scores `0..`. */
function scoredRange(n: number, prefix = "m"): ScoredMember[] {
  return Array.from({ length: n }, (_, i) => [`${prefix}${i}`, i] as ScoredMember);
}

/** A flat WITHSCORES / ZPOPMIN reply as `[member, score]` pairs. */
async function ws(reply: Promise<(string | number)[]>): Promise<ScoredMember[]> {
  return pairsOf<number>(await reply);
}

/** The sorted-sets suite. */
export function zsetsSuite(t: Tester): void {
  /* ---------------------------------------------------------------- ZADD */

  t.case("zadd: adds, updates, counts new members only", async (db) => {
    assertEquals(await db.zadd("z", 1, "a"), 1);
    assertEquals(await db.zadd("z", 2, "b", 3, "c"), 2);
    assertEquals(await db.zadd("z", 10, "a", 4, "d"), 1);
    assertEquals(await db.zscore("z", "a"), 10);
    assertEquals(await db.zcard("z"), 4);
    assertEquals(await db.type("z"), "zset");
    assertEquals(await db.zrange("z", 0, -1), ["b", "c", "d", "a"]);
    assertEquals(await db.zadd("z", 10, "a"), 0);
  });

  t.case("zadd: the same member twice in one call: the last score, counted once", async (db) => {
    assertEquals(await db.zadd("z", 1, "a", 2, "a"), 1);
    assertEquals(await db.zscore("z", "a"), 2);
    /* Each pair is applied in turn: 2 → 5 → 2 changes the score twice. */
    assertEquals(await db.zadd("z", { ch: true }, 5, "a", 2, "a"), 2);
    assertEquals(await db.zscore("z", "a"), 2);
    assertEquals(await db.zadd("z", { ch: true }, 2, "a", 3, "a"), 1);
    assertEquals(await db.zadd("z", { ch: true, nx: true }, 7, "b", 8, "b"), 1);
    assertEquals(await db.zscore("z", "b"), 7);
    assertEquals(await db.zscore("z", "a"), 3);
  });

  t.case("zadd CH: counts changed scores too", async (db) => {
    await db.zadd("z", 1, "a", 2, "b");
    assertEquals(await db.zadd("z", { ch: true }, 1, "a", 3, "b", 4, "c"), 2);
    assertEquals(await db.zadd("z", { ch: true }, 1, "a"), 0);
    assertEquals(await db.zadd("z", { ch: true }, 1, "a", 3, "b"), 0);
  });

  t.case("zadd NX / XX: only new / only existing members", async (db) => {
    assertEquals(await db.zadd("z", { xx: true }, 1, "a"), 0);
    await assertGone(db, "z");
    await db.zadd("z", 1, "a");
    assertEquals(await db.zadd("z", { nx: true }, 5, "a", 2, "b"), 1);
    assertEquals(await db.zscore("z", "a"), 1);
    assertEquals(await db.zscore("z", "b"), 2);
    assertEquals(await db.zadd("z", { xx: true }, 5, "a", 3, "c"), 0);
    assertEquals(await db.zscore("z", "a"), 5);
    assertEquals(await db.zscore("z", "c"), null);
    assertEquals(await db.zadd("z", { xx: true, ch: true }, 6, "a", 3, "c"), 1);
    assertEquals(await db.zadd("z", { nx: true, ch: true }, 9, "a", 3, "c"), 1);
    assertEquals(await db.zscore("z", "a"), 6);
    assertEquals(await db.zcard("z"), 3);
  });

  t.case("zadd GT / LT: update only upwards / downwards; new members still added", async (db) => {
    await db.zadd("z", 5, "a");
    assertEquals(await db.zadd("z", { gt: true, ch: true }, 4, "a"), 0);
    assertEquals(await db.zscore("z", "a"), 5);
    assertEquals(await db.zadd("z", { gt: true, ch: true }, 6, "a"), 1);
    assertEquals(await db.zscore("z", "a"), 6);
    assertEquals(await db.zadd("z", { lt: true, ch: true }, 7, "a"), 0);
    assertEquals(await db.zadd("z", { lt: true, ch: true }, 2, "a"), 1);
    assertEquals(await db.zscore("z", "a"), 2);
    assertEquals(await db.zadd("z", { gt: true }, 1, "new"), 1);
    assertEquals(await db.zadd("z", { lt: true }, 100, "new2"), 1);
    assertEquals(await db.zadd("z", { gt: true, xx: true }, 100, "a", 1, "new3"), 0);
    assertEquals(await db.zscore("z", "a"), 100);
    assertEquals(await db.zscore("z", "new3"), null);
    assertEquals(await db.zadd("z", { lt: true, xx: true, ch: true }, 50, "a", 200, "new"), 1);
    assertEquals(await db.zadd("z", { gt: true }, 2, "a"), 0);
    assertEquals(await db.zscore("z", "a"), 50);
    assertEquals(await db.zadd("z", { gt: true, ch: true }, 50, "a"), 0);
  });

  t.case("zadd INCR: the new score, or null when a condition blocks it", async (db) => {
    assertEquals(await db.zadd("z", { incr: true }, 1.5, "a"), 1.5);
    assertEquals(await db.zadd("z", { incr: true }, 2, "a"), 3.5);
    assertEquals(await db.zadd("z", { incr: true, nx: true }, 1, "a"), null);
    assertEquals(await db.zadd("z", { incr: true, xx: true }, 1, "b"), null);
    assertEquals(await db.zscore("z", "b"), null);
    assertEquals(await db.zadd("z", { incr: true, xx: true }, 1, "a"), 4.5);
    assertEquals(await db.zadd("z", { incr: true, nx: true }, 7, "b"), 7);
    assertEquals(await db.zadd("z", { incr: true, gt: true }, -1, "a"), null);
    assertEquals(await db.zadd("z", { incr: true, gt: true }, 1, "a"), 5.5);
    assertEquals(await db.zadd("z", { incr: true, lt: true }, 1, "a"), null);
    assertEquals(await db.zadd("z", { incr: true, lt: true }, -0.5, "a"), 5);
    assertEquals(await db.zadd("z", { incr: true, ch: true }, 0, "a"), 5);
    assertEquals(await db.zscore("z", "a"), 5);
    assertEquals(await db.zadd("missing", { incr: true, xx: true }, 1, "a"), null);
    await assertGone(db, "missing");
  });

  t.case("zadd: incompatible options and bad arguments are errors", async (db) => {
    await db.zadd("z", 1, "a");
    const bad: [object, (number | string)[]][] = [
      [{ nx: true, xx: true }, [1, "a"]],
      [{ nx: true, gt: true }, [1, "a"]],
      [{ nx: true, lt: true }, [1, "a"]],
      [{ gt: true, lt: true }, [1, "a"]],
      [{ incr: true }, [1, "a", 2, "b"]],
    ];
    for (const [opts, args] of bad) {
      const zargs = [opts, ...args] as ZAddArgs;
      await assertRejects(() => db.zadd("z", ...zargs), InvalidArgumentError);
      await assertRejects(() => db.zadd("new", ...zargs), InvalidArgumentError);
    }
    await assertRejects(
      () => db.zadd("z", ...([1, "a", 2] as unknown as ZAddArgs)),
      InvalidArgumentError,
    );
    await assertRejects(() => db.zadd("z", ...([] as unknown as ZAddArgs)), InvalidArgumentError);
    await assertRejects(
      () => db.zadd("z", ...([{ nx: true }] as unknown as ZAddArgs)),
      InvalidArgumentError,
    );
    await assertRejects(() => db.zadd("z", NaN, "a"), NotFloatError);
    await assertRejects(() => db.zadd("z", 1, "b", NaN, "c"), NotFloatError);
    assertEquals(await ws(db.zrange("z", 0, -1, { withscores: true })), [["a", 1]]);
    await assertGone(db, "new");
  });

  t.case("zadd: scores: floats, negatives, ±inf, huge and tiny; -0 equals 0", async (db) => {
    const scores: [number, string][] = [
      [-Infinity, "ninf"],
      [-1e308, "nbig"],
      [-2.5, "neg"],
      [0, "zero"],
      [5e-324, "tiny"],
      [0.1, "tenth"],
      [1 / 3, "third"],
      [1, "one"],
      [2 ** 53 + 2, "big"],
      [1.7976931348623157e308, "max"],
      [Infinity, "inf"],
    ];
    await db.zadd("z", ...(scores.flatMap(([s, m]) => [s, m])) as ZAddArgs);
    assertEquals(await db.zrange("z", 0, -1), scores.map(([, m]) => m));
    for (const [s, m] of scores) assertEquals(await db.zscore("z", m), s, `score of ${m}`);
    assertEquals(
      await ws(db.zrange("z", 0, -1, { withscores: true })),
      scores.map(([s, m]) => [m, s] as ScoredMember),
    );
    assertEquals(await db.zadd("z", -0, "negzero"), 1);
    assertEquals(await db.zrank("z", "negzero"), 3);
    assertEquals(await db.zcount("z", 0, 0), 2);
    assertEquals(await db.zscore("z", "negzero"), 0);
  });

  t.case("zadd: scores as text, read as Redis reads them", async (db) => {
    assertEquals(await db.zadd("z", "1.5", "a", "-inf", "b", "+inf", "c", "1E1", "d"), 4);
    assertEquals(await db.zadd("z", ".5", "e", "5.", "f", "Infinity", "g", "-0", "h"), 4);
    assertEquals(await db.zscore("z", "a"), 1.5);
    assertEquals(await db.zscore("z", "b"), -Infinity);
    assertEquals(await db.zscore("z", "c"), Infinity);
    assertEquals(await db.zscore("z", "d"), 10);
    assertEquals(await db.zscore("z", "e"), 0.5);
    assertEquals(await db.zscore("z", "f"), 5);
    assertEquals(await db.zscore("z", "g"), Infinity);
    assertEquals(await db.zincrby("z", "2.5", "a"), 4);
    assertEquals(await db.zadd("z", { incr: true }, "-1", "a"), 3);
    for (const bad of ["abc", "", "1.5x", "nan", "--1", "1e"]) {
      await assertRejects(() => db.zadd("z", bad, "x"), NotFloatError);
      await assertRejects(() => db.zincrby("z", bad, "x"), NotFloatError);
    }
    assertEquals(await db.zscore("z", "x"), null);
    assertEquals(await db.zcard("z"), 8);
  });

  t.case("zadd: text scores: hex is read, a leading space or an overflow is not", async (db) => {
    /* Redis reads scores with strtod, then refuses leading spaces and ERANGE. */
    assertEquals(await db.zadd("z", "0x10", "hex"), 1);
    assertEquals(await db.zscore("z", "hex"), 16);
    await assertRejects(() => db.zadd("z", " 5", "sp"), NotFloatError);
    await assertRejects(() => db.zadd("z", "5 ", "sp"), NotFloatError);
    await assertRejects(() => db.zadd("z", "1e400", "big"), NotFloatError);
    await assertRejects(() => db.zincrby("z", "-1e400", "big"), NotFloatError);
    assertEquals(await db.zcard("z"), 1);
  });

  t.case("zadd: ties are ordered by member, byte by byte", async (db) => {
    const ms = ["b", "a", "A", "", "aa", "a\0", "é", "z", "B", "10", "9"];
    await db.zadd("z", ...(ms.flatMap((m) => [1, m])) as ZAddArgs);
    const want = ["", "10", "9", "A", "B", "a", "a\0", "aa", "b", "z", "é"];
    assertEquals(await db.zrange("z", 0, -1), want);
    for (let i = 0; i < want.length; i++) assertEquals(await db.zrank("z", want[i]), i);
    await db.zadd("bin", 0, new Uint8Array([0xff]), 0, new Uint8Array([0x00]), 0, "~");
    assertEquals(await db.zrange("bin", 0, -1), ["\0", "~", "\ufffd"]);
    assertEquals(await db.zrank("bin", new Uint8Array([0xff])), 2);
    assertEquals(await db.zscore("bin", new Uint8Array([0x00])), 0);
  });

  t.case("zadd: a score update moves the member", async (db) => {
    await letters(db, "z", "abcde");
    await db.zadd("z", 10, "a");
    assertEquals(await db.zrange("z", 0, -1), ["b", "c", "d", "e", "a"]);
    await db.zadd("z", 0, "e");
    assertEquals(await db.zrange("z", 0, -1), ["e", "b", "c", "d", "a"]);
    await db.zadd("z", 3, "e");
    assertEquals(await db.zrange("z", 0, -1), ["b", "c", "e", "d", "a"]);
    assertEquals(await db.zrank("z", "e"), 2);
    assertEquals(await db.zrevrank("z", "e"), 2);
  });

  /* ---------------------------------------------------------------- ZINCRBY */

  t.case("zincrby: creates, adds, floats add as doubles", async (db) => {
    assertEquals(await db.zincrby("z", 1, "a"), 1);
    assertEquals(await db.type("z"), "zset");
    assertEquals(await db.zincrby("z", 2.5, "a"), 3.5);
    assertEquals(await db.zincrby("z", -10, "a"), -6.5);
    assertEquals(await db.zincrby("z", 0.1, "b"), 0.1);
    assertEquals(await db.zincrby("z", 0.2, "b"), 0.1 + 0.2);
    assertEquals(await db.zscore("z", "b"), 0.30000000000000004);
    assertEquals(await db.zincrby("z", Infinity, "c"), Infinity);
    assertEquals(await db.zincrby("z", 1, "c"), Infinity);
    await assertRejects(() => db.zincrby("z", -Infinity, "c"), NotFloatError);
    assertEquals(await db.zscore("z", "c"), Infinity);
    await assertRejects(() => db.zincrby("z", NaN, "a"), NotFloatError);
    assertEquals(await db.zscore("z", "a"), -6.5);
  });

  /* ---------------------------------------------------------------- ZSCORE / ZMSCORE / ZREM / ZCARD */

  t.case("zscore/zmscore: missing members and keys are null", async (db) => {
    assertEquals(await db.zscore("missing", "a"), null);
    assertEquals(await db.zmscore("missing", "a", "b"), [null, null]);
    await db.zadd("z", 1.25, "a", -3, "b");
    assertEquals(await db.zscore("z", "a"), 1.25);
    assertEquals(await db.zscore("z", "x"), null);
    assertEquals(await db.zmscore("z", "b", "x", "a", "a"), [-3, null, 1.25, 1.25]);
    assertEquals(await db.zcard("missing"), 0);
    assertEquals(await db.zcard("z"), 2);
  });

  t.case("zrem: counts removed members; the last removes the key", async (db) => {
    assertEquals(await db.zrem("missing", "a"), 0);
    await letters(db, "z", "abc");
    assertEquals(await db.zrem("z", "a", "a", "x"), 1);
    assertEquals(await db.zrange("z", 0, -1), ["b", "c"]);
    await db.pexpire("z", 100_000);
    assertEquals(await db.zrem("z", "b", "c"), 2);
    await assertGone(db, "z");
    assertEquals(await db.pttl("z"), -2);
  });

  /* ---------------------------------------------------------------- ZCOUNT / ZLEXCOUNT */

  t.case("zcount: inclusive, exclusive, infinite bounds", async (db) => {
    assertEquals(await db.zcount("missing", "-inf", "+inf"), 0);
    await letters(db, "z"); /* a=1 ... g=7 */
    assertEquals(await db.zcount("z", "-inf", "+inf"), 7);
    assertEquals(await db.zcount("z", -Infinity, Infinity), 7);
    assertEquals(await db.zcount("z", 2, 4), 3);
    assertEquals(await db.zcount("z", "(2", 4), 2);
    assertEquals(await db.zcount("z", 2, "(4"), 2);
    assertEquals(await db.zcount("z", "(2", "(4"), 1);
    assertEquals(await db.zcount("z", "(2", "(3"), 0);
    assertEquals(await db.zcount("z", 4, 2), 0);
    assertEquals(await db.zcount("z", 4, 4), 1);
    assertEquals(await db.zcount("z", "(4", 4), 0);
    assertEquals(await db.zcount("z", "2.5", "3.5"), 1);
    assertEquals(await db.zcount("z", "-inf", "(1"), 0);
    assertEquals(await db.zcount("z", "(7", "+inf"), 0);
    assertEquals(await db.zcount("z", "(6.9", "inf"), 1);
    assertEquals(await db.zcount("z", "1e0", "7E0"), 7);
    assertEquals(await db.zcount("z", "(-inf", "(+inf"), 7);
  });

  t.case("zcount: bad bounds are errors", async (db) => {
    await letters(db, "z", "ab");
    for (const b of ["abc", "((1", "1x", "nan", "(nan", "1 ", "1,5"]) {
      await assertRejects(() => db.zcount("z", b, 5), InvalidArgumentError);
      await assertRejects(() => db.zcount("z", 0, b), InvalidArgumentError);
    }
  });

  t.case("zcount: bounds as strtod reads them: empty or a lone ( is 0, spaces, hex", async (db) => {
    await db.zadd("z", 0, "a", 1, "b");
    assertEquals(await db.zcount("z", " 1", 5), 1);
    assertEquals(await db.zcount("z", "(0x0", "0x10"), 1);
    assertEquals(await db.zcount("z", "", 5), 2);
    assertEquals(await db.zcount("z", 0, ""), 1);
    assertEquals(await db.zcount("z", "(", 5), 1);
    assertEquals(await db.zcount("z", 0, "("), 0);
    assertEquals(await db.zrangebyscore("z", "", ""), ["a"]);
  });

  t.case("zlexcount: [ and ( bounds, - and +", async (db) => {
    await db.zadd("z", 0, "a", 0, "b", 0, "c", 0, "d", 0, "e");
    assertEquals(await db.zlexcount("z", "-", "+"), 5);
    assertEquals(await db.zlexcount("z", "[b", "[d"), 3);
    assertEquals(await db.zlexcount("z", "(b", "[d"), 2);
    assertEquals(await db.zlexcount("z", "(b", "(d"), 1);
    assertEquals(await db.zlexcount("z", "[b", "(b"), 0);
    assertEquals(await db.zlexcount("z", "[d", "[b"), 0);
    assertEquals(await db.zlexcount("z", "-", "[c"), 3);
    assertEquals(await db.zlexcount("z", "(c", "+"), 2);
    assertEquals(await db.zlexcount("z", "[", "+"), 5);
    assertEquals(await db.zlexcount("z", "[aa", "[cc"), 2);
    assertEquals(await db.zlexcount("z", "+", "-"), 0);
    assertEquals(await db.zlexcount("missing", "-", "+"), 0);
    for (const b of ["a", "", "*", "{a"]) {
      await assertRejects(() => db.zlexcount("z", b, "+"), InvalidArgumentError);
      await assertRejects(() => db.zlexcount("z", "-", b), InvalidArgumentError);
    }
  });

  /* ---------------------------------------------------------------- ZRANK */

  t.case("zrank/zrevrank: positions, null for missing", async (db) => {
    assertEquals(await db.zrank("missing", "a"), null);
    assertEquals(await db.zrevrank("missing", "a"), null);
    await letters(db, "z", "abcd");
    assertEquals(await db.zrank("z", "a"), 0);
    assertEquals(await db.zrank("z", "d"), 3);
    assertEquals(await db.zrevrank("z", "a"), 3);
    assertEquals(await db.zrevrank("z", "d"), 0);
    assertEquals(await db.zrank("z", "x"), null);
    assertEquals(await db.zrevrank("z", "x"), null);
  });

  t.case("zrank: 2,000 members with scattered scores", async (db) => {
    const n = 2000;
    const args: (number | string)[] = [];
    for (let i = 0; i < n; i++) args.push((i * 7919) % n, `m${i}`);
    await db.zadd("z", ...args as ZAddArgs);
    assertEquals(await db.zcard("z"), n);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
      ((a * 7919) % n) - ((b * 7919) % n)
    );
    for (const r of [0, 1, 999, 1000, 1998, 1999]) {
      assertEquals(await db.zrank("z", `m${order[r]}`), r, `rank ${r}`);
      assertEquals(await db.zrevrank("z", `m${order[r]}`), n - 1 - r, `revrank ${r}`);
    }
    assertEquals(await db.zrange("z", 1000, 1002), [1000, 1001, 1002].map((r) => `m${order[r]}`));
    assertEquals(await db.zcount("z", 100, "(200"), 100);
  });

  /* ---------------------------------------------------------------- ZRANGE by rank */

  t.case("zrange: ranks, negative and out of range", async (db) => {
    assertEquals(await db.zrange("missing", 0, -1), []);
    await letters(db, "z", "abcde");
    assertEquals(await db.zrange("z", 0, -1), ["a", "b", "c", "d", "e"]);
    assertEquals(await db.zrange("z", 1, 3), ["b", "c", "d"]);
    assertEquals(await db.zrange("z", -2, -1), ["d", "e"]);
    assertEquals(await db.zrange("z", -100, 1), ["a", "b"]);
    assertEquals(await db.zrange("z", 3, 100), ["d", "e"]);
    assertEquals(await db.zrange("z", 3, 2), []);
    assertEquals(await db.zrange("z", 5, 10), []);
    assertEquals(await db.zrange("z", -100, -6), []);
    assertEquals(await db.zrange("z", 0, 0), ["a"]);
    assertEquals(await db.zrange("z", -1, -1), ["e"]);
  });

  t.case("zrange: REV and WITHSCORES", async (db) => {
    await letters(db, "z", "abcd");
    assertEquals(await db.zrange("z", 0, -1, { rev: true }), ["d", "c", "b", "a"]);
    assertEquals(await db.zrange("z", 0, 1, { rev: true }), ["d", "c"]);
    assertEquals(await db.zrange("z", -1, -1, { rev: true }), ["a"]);
    assertEquals(await ws(db.zrange("z", 0, 1, { withscores: true })), [["a", 1], ["b", 2]]);
    assertEquals(await ws(db.zrange("z", 0, 1, { rev: true, withscores: true })), [["d", 4], [
      "c",
      3,
    ]]);
    assertEquals(await ws(db.zrange("z", 5, 6, { withscores: true })), []);
  });

  t.case("zrange: LIMIT without BYSCORE/BYLEX, BYLEX with WITHSCORES are errors", async (db) => {
    await letters(db, "z", "abc");
    await assertRejects(
      () => db.zrange("z", 0, -1, { limit: { offset: 0, count: 1 } }),
      InvalidArgumentError,
    );
    await assertRejects(
      () => db.zrange("z", "-", "+", { bylex: true, withscores: true }),
      InvalidArgumentError,
    );
    await assertRejects(
      () => db.zrange("z", "-", "+", { bylex: true, byscore: true }),
      InvalidArgumentError,
    );
  });

  /* ---------------------------------------------------------------- ZRANGE BYSCORE */

  t.case("zrange BYSCORE: bounds, REV (max first), LIMIT, WITHSCORES", async (db) => {
    await letters(db, "z", "abcdef"); /* a=1 ... f=6 */
    assertEquals(await db.zrange("z", 2, 4, { byscore: true }), ["b", "c", "d"]);
    assertEquals(await db.zrange("z", "(2", 4, { byscore: true }), ["c", "d"]);
    assertEquals(await db.zrange("z", "-inf", "(3", { byscore: true }), ["a", "b"]);
    assertEquals(await db.zrange("z", 5, "+inf", { byscore: true }), ["e", "f"]);
    assertEquals(await db.zrange("z", 4, 2, { byscore: true }), []);
    assertEquals(await db.zrange("z", 4, 2, { byscore: true, rev: true }), ["d", "c", "b"]);
    assertEquals(await db.zrange("z", 2, 4, { byscore: true, rev: true }), []);
    assertEquals(await db.zrange("z", "+inf", "(4", { byscore: true, rev: true }), ["f", "e"]);
    assertEquals(
      await db.zrange("z", 1, 6, { byscore: true, limit: { offset: 1, count: 2 } }),
      ["b", "c"],
    );
    assertEquals(
      await db.zrange("z", 1, 6, { byscore: true, limit: { offset: 4, count: 10 } }),
      ["e", "f"],
    );
    assertEquals(
      await db.zrange("z", 1, 6, { byscore: true, limit: { offset: 2, count: -1 } }),
      ["c", "d", "e", "f"],
    );
    assertEquals(
      await db.zrange("z", 1, 6, { byscore: true, limit: { offset: 10, count: 1 } }),
      [],
    );
    assertEquals(
      await db.zrange("z", 1, 6, { byscore: true, limit: { offset: 1, count: 0 } }),
      [],
    );
    assertEquals(
      await db.zrange("z", 6, 1, { byscore: true, rev: true, limit: { offset: 1, count: 2 } }),
      ["e", "d"],
    );
    assertEquals(
      await ws(db.zrange("z", "(1", "(4", { byscore: true, withscores: true })),
      [["b", 2], ["c", 3]],
    );
    assertEquals(
      await ws(db.zrange("z", 3, 1, {
        byscore: true,
        rev: true,
        withscores: true,
        limit: { offset: 0, count: 2 },
      })),
      [["c", 3], ["b", 2]],
    );
  });

  t.case("zrange BYSCORE: a negative LIMIT offset gives nothing", async (db) => {
    await letters(db, "z", "abc");
    assertEquals(
      await db.zrange("z", "-inf", "+inf", { byscore: true, limit: { offset: -1, count: 2 } }),
      [],
    );
    assertEquals(
      await db.zrangebyscore("z", "-inf", "+inf", { limit: { offset: -1, count: 2 } }),
      [],
    );
  });

  t.case("zrange BYSCORE: ties at a bound are all in or all out", async (db) => {
    await db.zadd("z", 1, "a", 2, "b1", 2, "b2", 2, "b3", 3, "c");
    assertEquals(await db.zrange("z", 2, 2, { byscore: true }), ["b1", "b2", "b3"]);
    assertEquals(await db.zrange("z", "(2", 3, { byscore: true }), ["c"]);
    assertEquals(await db.zrange("z", 1, "(2", { byscore: true }), ["a"]);
    assertEquals(await db.zrange("z", 2, 2, { byscore: true, rev: true }), ["b3", "b2", "b1"]);
    assertEquals(await db.zcount("z", 2, 2), 3);
  });

  /* ---------------------------------------------------------------- ZRANGE BYLEX */

  t.case("zrange BYLEX: bounds, REV, LIMIT", async (db) => {
    await db.zadd("z", ...([..."abcdefg"].flatMap((c) => [0, c])) as ZAddArgs);
    assertEquals(await db.zrange("z", "-", "+", { bylex: true }), [..."abcdefg"]);
    assertEquals(await db.zrange("z", "[b", "[d", { bylex: true }), ["b", "c", "d"]);
    assertEquals(await db.zrange("z", "(b", "(d", { bylex: true }), ["c"]);
    assertEquals(await db.zrange("z", "[d", "[b", { bylex: true }), []);
    assertEquals(await db.zrange("z", "[d", "[b", { bylex: true, rev: true }), ["d", "c", "b"]);
    assertEquals(await db.zrange("z", "+", "-", { bylex: true, rev: true }), [..."gfedcba"]);
    assertEquals(await db.zrange("z", "-", "+", { bylex: true, rev: true }), []);
    assertEquals(await db.zrange("z", "(a", "(z", { bylex: true, rev: true }), []);
    assertEquals(
      await db.zrange("z", "-", "+", { bylex: true, limit: { offset: 2, count: 3 } }),
      ["c", "d", "e"],
    );
    assertEquals(
      await db.zrange("z", "+", "[c", { bylex: true, rev: true, limit: { offset: 1, count: 2 } }),
      ["f", "e"],
    );
    assertEquals(
      await db.zrange("z", "-", "+", { bylex: true, limit: { offset: 5, count: -1 } }),
      ["f", "g"],
    );
    assertEquals(await db.zrange("z", "[c", "+", { bylex: true }), ["c", "d", "e", "f", "g"]);
    assertEquals(await db.zrange("z", "[cc", "[e", { bylex: true }), ["d", "e"]);
    await assertRejects(() => db.zrange("z", "b", "[d", { bylex: true }), InvalidArgumentError);
    await assertRejects(() => db.zrange("z", "[b", "d", { bylex: true }), InvalidArgumentError);
  });

  t.case("zrange BYLEX: byte order, empty and binary members", async (db) => {
    await db.zadd("z", 0, "", 0, "a", 0, "a\0", 0, "ab", 0, "b", 0, "é", 0, new Uint8Array([0xff]));
    assertEquals(await db.zrange("z", "-", "+", { bylex: true }), [
      "",
      "a",
      "a\0",
      "ab",
      "b",
      "é",
      "\ufffd",
    ]);
    assertEquals(await db.zrange("z", "[", "(a\0", { bylex: true }), ["", "a"]);
    assertEquals(await db.zrange("z", "(a", "(b", { bylex: true }), ["a\0", "ab"]);
    assertEquals(await db.zrange("z", "(b", "+", { bylex: true }), ["é", "\ufffd"]);
    assertEquals(await db.zlexcount("z", "(", "+"), 6);
  });

  /* ---------------------------------------------------------------- ZRANGEBYSCORE / ZREVRANGEBYSCORE */

  t.case("zrangebyscore: ( bounds, ±inf, LIMIT, WITHSCORES", async (db) => {
    assertEquals(await db.zrangebyscore("missing", "-inf", "+inf"), []);
    await db.zadd("z", -Infinity, "ninf", 1, "a", 2.5, "b", 2.5, "c", 4, "d", Infinity, "inf");
    assertEquals(await db.zrangebyscore("z", "-inf", "+inf"), ["ninf", "a", "b", "c", "d", "inf"]);
    assertEquals(await db.zrangebyscore("z", "(-inf", "(+inf"), ["a", "b", "c", "d"]);
    assertEquals(await db.zrangebyscore("z", -Infinity, -Infinity), ["ninf"]);
    assertEquals(await db.zrangebyscore("z", 1, 2.5), ["a", "b", "c"]);
    assertEquals(await db.zrangebyscore("z", "(1", "(4"), ["b", "c"]);
    assertEquals(await db.zrangebyscore("z", "(2.5", 4), ["d"]);
    assertEquals(await db.zrangebyscore("z", 5, 1), []);
    assertEquals(
      await db.zrangebyscore("z", "-inf", "+inf", { limit: { offset: 1, count: 2 } }),
      ["a", "b"],
    );
    assertEquals(
      await ws(db.zrangebyscore("z", 1, 4, { withscores: true })),
      [["a", 1], ["b", 2.5], ["c", 2.5], ["d", 4]],
    );
    assertEquals(
      await ws(db.zrangebyscore("z", "-inf", "+inf", {
        withscores: true,
        limit: { offset: 4, count: 5 },
      })),
      [["d", 4], ["inf", Infinity]],
    );
    await assertRejects(() => db.zrangebyscore("z", "x", 1), InvalidArgumentError);
  });

  t.case("zrevrangebyscore: max first; ( bounds; LIMIT; WITHSCORES", async (db) => {
    await letters(db, "z", "abcde");
    assertEquals(await db.zrevrangebyscore("z", "+inf", "-inf"), ["e", "d", "c", "b", "a"]);
    assertEquals(await db.zrevrangebyscore("z", 4, 2), ["d", "c", "b"]);
    assertEquals(await db.zrevrangebyscore("z", "(4", "(2"), ["c"]);
    assertEquals(await db.zrevrangebyscore("z", 2, 4), []);
    assertEquals(
      await db.zrevrangebyscore("z", "+inf", "-inf", { limit: { offset: 1, count: 2 } }),
      ["d", "c"],
    );
    assertEquals(
      await ws(db.zrevrangebyscore("z", 3, "-inf", { withscores: true })),
      [["c", 3], ["b", 2], ["a", 1]],
    );
    assertEquals(await db.zrevrangebyscore("missing", "+inf", "-inf"), []);
  });

  /* ---------------------------------------------------------------- ZREMRANGEBY* */

  t.case("zremrangebyrank: ranks, negative; the key goes when emptied", async (db) => {
    assertEquals(await db.zremrangebyrank("missing", 0, -1), 0);
    await letters(db, "z", "abcdefg");
    assertEquals(await db.zremrangebyrank("z", 0, 1), 2);
    assertEquals(await db.zrange("z", 0, -1), ["c", "d", "e", "f", "g"]);
    assertEquals(await db.zremrangebyrank("z", -2, -1), 2);
    assertEquals(await db.zrange("z", 0, -1), ["c", "d", "e"]);
    assertEquals(await db.zremrangebyrank("z", 5, 10), 0);
    assertEquals(await db.zremrangebyrank("z", 2, 1), 0);
    assertEquals(await db.zremrangebyrank("z", -100, 0), 1);
    assertEquals(await db.zremrangebyrank("z", 0, 100), 2);
    await assertGone(db, "z");
  });

  t.case("zremrangebyscore: ( bounds and ±inf; the key goes when emptied", async (db) => {
    assertEquals(await db.zremrangebyscore("missing", "-inf", "+inf"), 0);
    await letters(db, "z", "abcdefg");
    assertEquals(await db.zremrangebyscore("z", "(1", 3), 2);
    assertEquals(await db.zrange("z", 0, -1), ["a", "d", "e", "f", "g"]);
    assertEquals(await db.zremrangebyscore("z", 6, "+inf"), 2);
    assertEquals(await db.zremrangebyscore("z", 5, 4), 0);
    assertEquals(await db.zremrangebyscore("z", "(4", "(5"), 0);
    assertEquals(await db.zrange("z", 0, -1), ["a", "d", "e"]);
    await assertRejects(() => db.zremrangebyscore("z", "x", 1), InvalidArgumentError);
    assertEquals(await db.zremrangebyscore("z", "-inf", "+inf"), 3);
    await assertGone(db, "z");
  });

  /* ---------------------------------------------------------------- ZPOPMIN / ZPOPMAX */

  t.case("zpopmin/zpopmax: one or count; the key goes when emptied", async (db) => {
    assertEquals(await ws(db.zpopmin("missing")), []);
    assertEquals(await ws(db.zpopmax("missing", 3)), []);
    await letters(db, "z", "abcde");
    assertEquals(await ws(db.zpopmin("z")), [["a", 1]]);
    assertEquals(await ws(db.zpopmax("z")), [["e", 5]]);
    assertEquals(await ws(db.zpopmin("z", 2)), [["b", 2], ["c", 3]]);
    assertEquals(await ws(db.zpopmin("z", 0)), []);
    assertEquals(await ws(db.zpopmax("z", 10)), [["d", 4]]);
    await assertGone(db, "z");
    await db.zadd("t", 1, "b", 1, "a", 1, "c");
    assertEquals(await ws(db.zpopmax("t", 2)), [["c", 1], ["b", 1]]);
    assertEquals(await ws(db.zpopmin("t", 1)), [["a", 1]]);
  });

  t.case("zpopmin/zpopmax: a negative count is an error", async (db) => {
    await db.zadd("z", 1, "a");
    await assertRejects(() => db.zpopmin("z", -1), InvalidArgumentError);
    await assertRejects(() => db.zpopmax("z", -1), InvalidArgumentError);
    assertEquals(await db.zcard("z"), 1);
  });

  /* ---------------------------------------------------------------- ZRANDMEMBER */

  t.case("zrandmember: one member; counts; WITHSCORES", async (db) => {
    assertEquals(await db.zrandmember("missing"), null);
    assertEquals(await db.zrandmember("missing", 3), []);
    assertEquals(await ws(db.zrandmember("missing", -3, { withscores: true })), []);
    const all = scoredRange(25);
    await db.zadd("z", ...(all.flatMap(([m, s]) => [s, m])) as ZAddArgs);
    const names = all.map(([m]) => m);
    const one = await db.zrandmember("z");
    assert(one !== null && names.includes(one), `zrandmember gave ${one}`);
    const five = await db.zrandmember("z", 5);
    assertEquals(five.length, 5);
    assertEquals(new Set(five).size, 5);
    assertSameSet(five.filter((m) => !names.includes(m)), []);
    assertSameMembers(await db.zrandmember("z", 25), names);
    assertSameMembers(await db.zrandmember("z", 100), names);
    const rep = await db.zrandmember("z", -60);
    assertEquals(rep.length, 60);
    assertSameSet(rep.filter((m) => !names.includes(m)), []);
    assertEquals(await db.zrandmember("z", 0), []);
    const seven = await ws(db.zrandmember("z", 7, { withscores: true }));
    assertEquals(seven.length, 7);
    assertEquals(new Set(seven.map(([m]) => m)).size, 7);
    for (const [m, s] of seven) assertEquals(s, Number(m.slice(1)), `score of ${m}`);
    assertEquals(
      sortedPairs(await ws(db.zrandmember("z", 25, { withscores: true }))),
      sortedPairs(all),
    );
    const wsRep = await ws(db.zrandmember("z", -30, { withscores: true }));
    assertEquals(wsRep.length, 30);
    for (const [m, s] of wsRep) assertEquals(s, Number(m.slice(1)), `score of ${m}`);
    await db.zadd("one", 2.5, "x");
    assertEquals(await db.zrandmember("one", -2, { withscores: true }), ["x", 2.5, "x", 2.5]);
    assertEquals(await db.zcard("z"), 25);
  });

  /* ---------------------------------------------------------------- ZSCAN */

  t.case("zscan: a full iteration returns every member with its score", async (db) => {
    assertEquals(await db.zscan("missing", 0), ["0", []]);
    await db.zadd("small", 1.5, "a", -2, "b");
    assertEquals(sortedPairs(await zscanAll(db, "small")), [["a", 1.5], ["b", -2]]);
    const all = scoredRange(600);
    await db.zadd("z", ...(all.flatMap(([m, s]) => [s, m])) as ZAddArgs);
    const got = new Map(await zscanAll(db, "z"));
    assertEquals(got.size, 600);
    assertEquals(sortedPairs([...got]), sortedPairs(all));
    assertEquals(new Map(await zscanAll(db, "z", { count: 4 })).size, 600);
    const matched = await zscanAll(db, "z", { match: "m59?" });
    assertEquals(sortedPairs(matched), sortedPairs(all.slice(590, 600)));
    await db.zadd("inf", Infinity, "p", -Infinity, "n");
    assertEquals(sortedPairs(await zscanAll(db, "inf")), [["n", -Infinity], ["p", Infinity]]);
  });

  t.case("zscan: members present throughout are returned despite changes", async (db) => {
    const all = scoredRange(400);
    await db.zadd("z", ...(all.flatMap(([m, s]) => [s, m])) as ZAddArgs);
    const seen = new Set<string>();
    let cursor = "0";
    let round = 0;
    do {
      const [next, items] = await db.zscan("z", cursor, { count: 10 });
      for (const [m] of pairsOf(items)) seen.add(m);
      await db.zadd("z", round + 0.5, `new${round}`, -round, `neg${round}`);
      if (round < 100) await db.zrem("z", `m${300 + round}`);
      await db.zincrby("z", 1000, `m${round % 300}`);
      cursor = next;
      round++;
    } while (cursor !== "0" && round < 10_000);
    assertEquals(cursor, "0");
    assertEquals(
      all.slice(0, 300).map(([m]) => m).filter((m) => !seen.has(m)),
      [],
      "members present throughout",
    );
  });

  t.case("zscan: bad cursors and counts are errors", async (db) => {
    await db.zadd("z", 1, "a");
    await assertRejects(() => db.zscan("z", "x"), InvalidArgumentError);
    await assertRejects(() => db.zscan("z", 0, { count: 0 }), InvalidArgumentError);
  });
}
