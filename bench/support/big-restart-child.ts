/**
 * The restarted process of `bench/restart.bench.ts`: a fresh process (same
 * runtime) that gets its data back one way and times it from its own start
 * of work, so that the runtime's start-up is not counted (the parent times a
 * child that does nothing, `noop`, for that).
 *
 * Its task comes as JSON in `BENCH_RESTART_CHILD` ({@link ChildTask}); it
 * prints one JSON line ({@link ChildReport}) and exits 0, or prints
 * `{ "error": … }` and exits 1 when anything is wrong (a value read back
 * differs, a count does not match).
 *
 * Phases, each timed with `performance.now()`:
 * 1. `loadMs`: import the system's module and load its native code
 *    (shmdict's library by `dlopen`, lmdb-js's addon, the SQLite driver);
 * 2. `firstReadMs`: open / attach / rebuild, then the first `get` of a key
 *    in the middle of the data, checked against its known value (`openMs`:
 *    the open / attach alone, for the systems read in place);
 * 3. `allDataMs`: until every key is readable (equal to `firstReadMs` for the
 *    stores read in place; for the rebuilds, the first read comes after the
 *    whole rebuild, so it is the same number too);
 * 4. `getsMs`: 1,000 more `get`s of random keys right after, checked (what a
 *    fresh mapping costs in page faults before it is warm).
 *
 * @module
 */

import process from "node:process";
import { BIG_VALUE_BYTES, bigKey, bigValue } from "./big-data.ts";
import { LMDB_OPTIONS, readJsonLines, SQLITE_PAGE_SQL } from "./big-stores.ts";
import { sqliteOpener } from "./sqlite.ts";
import { xorshift32 } from "./data.ts";

/** The systems a child can restart with. */
export type ChildSystem = "noop" | "shmdict" | "lmdb" | "sqlite-query" | "sqlite-map" | "json-map";

/** What the parent asks a child to do. */
export interface ChildTask {
  system: ChildSystem;
  /** Number of keys the store holds. */
  n: number;
  /** The shmdict name, or the path of the lmdb directory, SQLite or JSON file. */
  target: string;
  /** Index of the key read first. */
  probe: number;
}

/** What a child prints. */
export interface ChildReport {
  loadMs: number;
  /** Of `firstReadMs`, the open / attach alone (NaN for the rebuilds). */
  openMs: number;
  firstReadMs: number;
  allDataMs: number;
  getsMs: number;
  /** The child's resident set size at the end, bytes. */
  rssBytes: number;
}

/** Random `get`s after the first. */
export const CHILD_GETS = 1000;

function check(what: string, got: unknown, want: unknown): void {
  if (got !== want) {
    const show = (x: unknown): string => JSON.stringify(x)?.slice(0, 60) ?? String(x);
    throw new Error(`${what}: got ${show(got)}, want ${show(want)}`);
  }
}

/** Reads `CHILD_GETS` random keys with `get`, checking lengths and one value. */
function randomGets(n: number, get: (key: string) => string | null | undefined): void {
  const rnd = xorshift32(n);
  let last = 0;
  let bytes = 0;
  for (let j = 0; j < CHILD_GETS; j++) {
    last = rnd() % n;
    bytes += get(bigKey(last))?.length ?? 0;
  }
  check(`bytes of ${CHILD_GETS} random gets`, bytes, CHILD_GETS * BIG_VALUE_BYTES);
  check(`get(${bigKey(last)})`, get(bigKey(last)), bigValue(last));
}

async function run(task: ChildTask): Promise<ChildReport> {
  const t0 = performance.now();
  const { n, target, probe } = task;
  const key = bigKey(probe);
  const want = bigValue(probe);
  let tLoad = t0;
  let tOpen = NaN;
  let tFirst = t0;
  let tAll = t0;
  let tGets = t0;
  switch (task.system) {
    case "noop":
      break;
    case "shmdict": {
      const mod = await import("../../lib/mod.ts");
      const ffi = await import("../../ffi/mod.ts");
      ffi.native();
      tLoad = performance.now();
      const db = mod.open(target, { create: false });
      tOpen = performance.now();
      const v = db.get(key);
      tFirst = tAll = performance.now();
      check(`get(${key})`, v, want);
      const t = performance.now();
      randomGets(n, (k) => db.get(k));
      tGets = performance.now() - t + tAll;
      check("dbsize", db.dbsize(), n);
      db.close();
      break;
    }
    case "lmdb": {
      const { open } = await import("lmdb");
      tLoad = performance.now();
      const db = open<string, string>({ path: target, ...LMDB_OPTIONS });
      tOpen = performance.now();
      const v = db.get(key);
      tFirst = tAll = performance.now();
      check(`get(${key})`, v, want);
      const t = performance.now();
      randomGets(n, (k) => db.get(k));
      tGets = performance.now() - t + tAll;
      check("entryCount", (db.getStats() as { entryCount: number }).entryCount, n);
      await db.close();
      break;
    }
    case "sqlite-query": {
      const openDb = await sqliteOpener();
      tLoad = performance.now();
      const db = openDb(target);
      const sel = db.prepare("SELECT v FROM kv WHERE k = ?");
      tOpen = performance.now();
      const row = sel.get(key) as { v: string } | undefined;
      tFirst = tAll = performance.now();
      check(`SELECT v WHERE k = ${key}`, row?.v, want);
      const t = performance.now();
      randomGets(n, (k) => (sel.get(k) as { v: string } | undefined)?.v);
      tGets = performance.now() - t + tAll;
      db.close();
      break;
    }
    case "sqlite-map": {
      const openDb = await sqliteOpener();
      tLoad = performance.now();
      const db = openDb(target);
      const map = new Map<string, string>();
      const page = db.prepare(SQLITE_PAGE_SQL);
      let last = "";
      for (;;) {
        const rows = page.all(last) as { k: string; v: string }[];
        if (rows.length === 0) break;
        for (const row of rows) map.set(row.k, row.v);
        last = rows[rows.length - 1].k;
      }
      const v = map.get(key);
      tFirst = tAll = performance.now();
      check(`map.get(${key})`, v, want);
      check("map.size", map.size, n);
      const t = performance.now();
      randomGets(n, (k) => map.get(k));
      tGets = performance.now() - t + tAll;
      db.close();
      break;
    }
    case "json-map": {
      tLoad = performance.now();
      const map = new Map<string, string>();
      const pairs = readJsonLines(target, (k, v) => map.set(k, v));
      const v = map.get(key);
      tFirst = tAll = performance.now();
      check(`map.get(${key})`, v, want);
      check("pairs read", pairs, n);
      check("map.size", map.size, n);
      const t = performance.now();
      randomGets(n, (k) => map.get(k));
      tGets = performance.now() - t + tAll;
      break;
    }
    default:
      throw new Error(`unknown system ${JSON.stringify(task.system)}`);
  }
  return {
    loadMs: tLoad - t0,
    openMs: tOpen - tLoad,
    firstReadMs: tFirst - tLoad,
    allDataMs: tAll - tLoad,
    getsMs: tGets - tAll,
    rssBytes: process.memoryUsage().rss,
  };
}

if (import.meta.main) {
  try {
    const raw = process.env.BENCH_RESTART_CHILD;
    if (raw === undefined) throw new Error("BENCH_RESTART_CHILD is not set");
    const report = await run(JSON.parse(raw) as ChildTask);
    console.log(JSON.stringify(report));
    process.exit(0);
  } catch (err) {
    console.log(JSON.stringify({ error: (err as Error).stack ?? String(err) }));
    process.exit(1);
  }
}
