/**
 * Hot restart: how long a freshly started process takes to read its data
 * again, with shmdict (attach to the segment that outlived the writer) and
 * the alternatives a user would pick: lmdb-js (open the file, read in
 * place), SQLite (open and query in place, or SELECT everything into a
 * `Map`), and a JSON file rebuilt into a `Map`.
 *
 * ```sh
 * node_modules/.bin/deno run -A bench/restart.bench.ts
 * node_modules/.bin/bun bench/restart.bench.ts
 * BENCH_RESTART_SIZES=100000 BENCH_RESTART_RUNS=3 BENCH_ONLY=noop,shmdict,lmdb …
 * ```
 *
 * For each size (`BENCH_RESTART_SIZES`, default `1000000,10000000`), this
 * process fills every store in one pass over the data (keys `key:00000001`…,
 * 100-byte values, see `support/big-data.ts`), each by its fastest honest bulk
 * path, and closes them all. Then fresh child processes of the same runtime
 * (`support/big-restart-child.ts`) each get the data back one way and time,
 * from their own start of work: loading the system's code, then open /
 * attach / rebuild plus the first `get` (checked), then 1,000 random `get`s
 * (checked). A child that does nothing (`noop`) is timed from spawn to exit
 * as the process start cost, which the other figures do not include.
 *
 * Rounds: every round spawns one child per system in turn, so a burst of load
 * on a shared machine hits one round of every system; `BENCH_RESTART_RUNS`
 * rounds (default 5), the rebuilding systems only in the first 3 at sizes of
 * 5 M keys and more (each such child takes seconds). Before the first size's
 * rounds, one discarded child per cheap system warms the runtime's module
 * caches. Stores are filled per runtime (nothing is shared between the Deno
 * and the Bun run), in a temp directory under `BENCH_DIR` (default the OS
 * temp dir) removed at exit, as are the segments, even on failure.
 *
 * Writes `bench/results/restart-<runtime>.json` ({@link RestartResult}).
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { open as lmdbOpen, type RootDatabase } from "lmdb";
import { type Dict, drop, open } from "../lib/mod.ts";
import {
  BIG_KEY_BYTES,
  BIG_VALUE_BYTES,
  bigKey,
  bigValue,
  count,
  fillChunk,
} from "./support/big-data.ts";
import type {
  RestartPopulate,
  RestartResult,
  RestartRun,
  RestartSize,
  RestartSystem,
  Spread,
} from "./support/big-results.ts";
import {
  CHILD_GETS,
  type ChildReport,
  type ChildSystem,
  type ChildTask,
} from "./support/big-restart-child.ts";
import {
  JSON_LINE_ENTRIES,
  LMDB_OPTIONS,
  SQLITE_PRAGMAS,
  SQLITE_TABLE,
} from "./support/big-stores.ts";
import {
  env,
  envNumber,
  packageVersion,
  progress,
  runSuite,
  runtime,
  selector,
  suiteHead,
  writeSuiteResult,
} from "./support/env.ts";
import { Progress } from "./support/progress.ts";
import {
  type SqliteDatabase,
  sqliteDriver,
  sqliteOpener,
  sqliteVersion,
} from "./support/sqlite.ts";

/** The systems, in table order; `noop` is the process start cost. */
const SYSTEMS: { id: ChildSystem; label: string; rebuild: boolean; detail: string }[] = [
  {
    id: "noop",
    label: "process start (a child that does nothing)",
    rebuild: false,
    detail: "spawn to exit of a child that only reads its task and prints",
  },
  {
    id: "shmdict",
    label: "shmdict",
    rebuild: false,
    detail: "`open(name, { create: false })` (attach to the segment) + `get`",
  },
  {
    id: "lmdb",
    label: "lmdb-js",
    rebuild: false,
    detail: '`open({ path, noSync, useWritemap, encoding: "string" })` + `get`',
  },
  {
    id: "sqlite-query",
    label: "SQLite, queried in place",
    rebuild: false,
    detail: "open the file + prepared `SELECT v FROM kv WHERE k = ?`",
  },
  {
    id: "sqlite-map",
    label: "SQLite → Map",
    rebuild: true,
    detail: "open the file, read `SELECT k, v FROM kv WHERE k > ? ORDER BY k LIMIT 10000` " +
      "page after page (`all()`) into a `Map`",
  },
  {
    id: "json-map",
    label: "JSON lines → Map",
    rebuild: true,
    detail: `a JSON-lines file (each line an array of ${count(JSON_LINE_ENTRIES)} key/value ` +
      "pairs) read in 16 MiB chunks, each line `JSON.parse`d, pairs put into a `Map`",
  },
];

/** Sizes from which the rebuilding systems run only {@link REBUILD_RUNS_BIG} rounds. */
const BIG_SIZE = 5_000_000;
/** Rounds of the rebuilding systems at big sizes. */
const REBUILD_RUNS_BIG = 3;
/** Longest a child may take, ms. */
const CHILD_TIMEOUT_MS = 600_000;

const root = fileURLToPath(new URL("../", import.meta.url));
const childFile = fileURLToPath(new URL("./support/big-restart-child.ts", import.meta.url));

/** Everything to remove at exit. */
const cleanups: (() => void)[] = [];
let running: ChildProcess | null = null;

function cleanup(): void {
  running?.kill("SIGKILL");
  while (cleanups.length > 0) {
    try {
      cleanups.pop()!();
    } catch (err) {
      console.error(`cleanup: ${(err as Error).message}`);
    }
  }
}

function sizesSetting(): number[] {
  const raw = env("BENCH_RESTART_SIZES") ?? "1000000,10000000";
  const sizes = raw.split(",").map((s) => Number(s.trim().replace(/_/g, "")));
  for (const n of sizes) {
    if (!Number.isInteger(n) || n < 1000 || n > 99_999_999) {
      throw new Error(`BENCH_RESTART_SIZES: ${JSON.stringify(raw)} (integers 1000 … 99,999,999)`);
    }
  }
  return sizes;
}

function spreadOf(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  const median = s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  return { median, min: s[0], max: s[s.length - 1] };
}

function fail(what: string, got: unknown, want: unknown): never {
  throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

/** Bytes a directory's or a file's blocks take on disk. */
function diskBytes(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.blocks * 512;
  let sum = 0;
  for (const f of readdirSync(path)) sum += diskBytes(join(path, f));
  return sum;
}

/** The stores of one size, open for writing. */
interface Stores {
  n: number;
  name: string;
  lmdbPath: string;
  sqlitePath: string;
  jsonPath: string;
  db: Dict | null;
  lmdb: RootDatabase<string, string> | null;
  sqlite: SqliteDatabase | null;
  jsonFd: number | null;
}

/** Fills every selected store with `n` keys in one pass; returns the timings. */
async function populate(
  n: number,
  dir: string,
  want: (id: string) => boolean,
): Promise<{ stores: Stores; populate: RestartPopulate[]; generateMs: number }> {
  const s: Stores = {
    n,
    name: `bench-restart-${process.pid}-${n}`,
    lmdbPath: join(dir, `lmdb-${n}`),
    sqlitePath: join(dir, `kv-${n}.db`),
    jsonPath: join(dir, `kv-${n}.jsonl`),
    db: null,
    lmdb: null,
    sqlite: null,
    jsonFd: null,
  };
  const ms: Record<string, number> = { shmdict: 0, lmdb: 0, sqlite: 0, json: 0 };
  cleanups.push(() => {
    s.db?.close();
    drop(s.name);
  });
  if (want("shmdict")) {
    drop(s.name);
    /* reserved, not committed: the segment commits memory as it grows */
    const size = Math.max(256 << 20, Math.ceil((n * 256) / (1 << 20)) * (1 << 20));
    s.db = open(s.name, { size });
  }
  if (want("lmdb")) {
    s.lmdb = lmdbOpen<string, string>({ path: s.lmdbPath, ...LMDB_OPTIONS });
  }
  const sqliteUsed = want("sqlite-query") || want("sqlite-map");
  if (sqliteUsed) {
    s.sqlite = (await sqliteOpener())(s.sqlitePath);
    for (const p of SQLITE_PRAGMAS) s.sqlite.exec(`PRAGMA ${p}`);
    s.sqlite.exec(SQLITE_TABLE);
  }
  if (want("json-map")) s.jsonFd = openSync(s.jsonPath, "w");

  const keys: string[] = new Array(JSON_LINE_ENTRIES);
  const values: string[] = new Array(JSON_LINE_ENTRIES);
  const flat: string[] = [];
  const insert = s.sqlite?.prepare("INSERT INTO kv (k, v) VALUES (?, ?)");
  let generateMs = 0;
  const p = new Progress(`populate ${count(n)} keys`, n);
  s.sqlite?.exec("BEGIN");
  for (let start = 0; start < n; start += JSON_LINE_ENTRIES) {
    let t = performance.now();
    const m = fillChunk(start, JSON_LINE_ENTRIES, n, keys, values);
    let t1 = performance.now();
    generateMs += t1 - t;
    const db = s.db;
    if (db !== null) {
      t = t1;
      /* one SET per key: MSET of a large chunk is one command, which moves
       * only a few buckets of a rehash, so the table cannot keep up */
      for (let j = 0; j < m; j++) db.set(keys[j], values[j]);
      t1 = performance.now();
      ms.shmdict += t1 - t;
    }
    const lmdb = s.lmdb;
    if (lmdb !== null) {
      t = t1;
      lmdb.transactionSync(() => {
        for (let j = 0; j < m; j++) lmdb.putSync(keys[j], values[j]);
      });
      t1 = performance.now();
      ms.lmdb += t1 - t;
    }
    if (insert !== undefined) {
      t = t1;
      for (let j = 0; j < m; j++) insert.run(keys[j], values[j]);
      t1 = performance.now();
      ms.sqlite += t1 - t;
    }
    if (s.jsonFd !== null) {
      t = t1;
      flat.length = 2 * m;
      for (let j = 0; j < m; j++) {
        flat[2 * j] = keys[j];
        flat[2 * j + 1] = values[j];
      }
      writeSync(s.jsonFd, JSON.stringify(flat) + "\n");
      t1 = performance.now();
      ms.json += t1 - t;
    }
    p.update(start + m);
  }
  if (s.sqlite !== null) {
    const t = performance.now();
    s.sqlite.exec("COMMIT");
    ms.sqlite += performance.now() - t;
  }
  p.done();
  const out: RestartPopulate[] = [];
  if (s.db !== null) {
    out.push({
      id: "shmdict",
      ms: ms.shmdict,
      bytes: s.db.info().committedBytes,
      bytesNote: "segment memory committed",
    });
  }
  if (s.lmdb !== null) {
    out.push({ id: "lmdb", ms: ms.lmdb, bytes: 0, bytesNote: "disk blocks of the environment" });
  }
  if (s.sqlite !== null) {
    out.push({ id: "sqlite", ms: ms.sqlite, bytes: 0, bytesNote: "disk blocks of the database" });
  }
  if (s.jsonFd !== null) {
    out.push({ id: "json", ms: ms.json, bytes: 0, bytesNote: "disk blocks of the file" });
  }
  return { stores: s, populate: out, generateMs };
}

/** Checks what every store holds, then closes them all (the writer goes away). */
async function checkAndClose(s: Stores, probe: number, pop: RestartPopulate[]): Promise<void> {
  const want = bigValue(probe);
  const key = bigKey(probe);
  if (s.db !== null) {
    if (s.db.dbsize() !== s.n) fail("shmdict dbsize", s.db.dbsize(), s.n);
    if (s.db.get(key) !== want) fail(`shmdict get(${key})`, s.db.get(key), want);
    s.db.close();
    s.db = null;
  }
  if (s.lmdb !== null) {
    const entries = (s.lmdb.getStats() as { entryCount: number }).entryCount;
    if (entries !== s.n) fail("lmdb entryCount", entries, s.n);
    if (s.lmdb.get(key) !== want) fail(`lmdb get(${key})`, s.lmdb.get(key), want);
    await s.lmdb.close();
    s.lmdb = null;
    pop.find((x) => x.id === "lmdb")!.bytes = diskBytes(s.lmdbPath);
  }
  if (s.sqlite !== null) {
    const rows = (s.sqlite.prepare("SELECT count(*) AS c FROM kv").get() as { c: number }).c;
    if (Number(rows) !== s.n) fail("sqlite count(*)", rows, s.n);
    const got = (s.sqlite.prepare("SELECT v FROM kv WHERE k = ?").get(key) as { v: string }).v;
    if (got !== want) fail(`sqlite SELECT ${key}`, got, want);
    s.sqlite.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    s.sqlite.close();
    s.sqlite = null;
    pop.find((x) => x.id === "sqlite")!.bytes = diskBytes(s.sqlitePath);
  }
  if (s.jsonFd !== null) {
    closeSync(s.jsonFd);
    s.jsonFd = null;
    pop.find((x) => x.id === "json")!.bytes = diskBytes(s.jsonPath);
  }
}

/** Removes the stores of one size. */
function removeStores(s: Stores): void {
  drop(s.name);
  rmSync(s.lmdbPath, { recursive: true, force: true });
  for (const f of [s.sqlitePath, `${s.sqlitePath}-wal`, `${s.sqlitePath}-shm`, s.jsonPath]) {
    rmSync(f, { force: true });
  }
}

/** Runs one child; resolves with its report and the wall time from spawn to exit. */
function runChild(task: ChildTask): Promise<RestartRun> {
  return new Promise((resolve, reject) => {
    const args = runtime === "deno" ? ["run", "-A", childFile] : [childFile];
    const t0 = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, BENCH_RESTART_CHILD: JSON.stringify(task) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    running = child;
    let out = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (d: string) => out += d);
    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS);
    child.on("error", (err) => {
      clearTimeout(timer);
      running = null;
      reject(err);
    });
    child.on("close", (code, signal) => {
      const wallMs = performance.now() - t0;
      clearTimeout(timer);
      running = null;
      const last = out.trim().split("\n").pop() ?? "";
      let rep: Partial<ChildReport> & { error?: string } = {};
      try {
        rep = JSON.parse(last || "{}") as Partial<ChildReport> & { error?: string };
      } catch {
        rep = { error: `unreadable output ${JSON.stringify(out.slice(0, 300))}` };
      }
      if (rep.error !== undefined || code !== 0 || rep.firstReadMs === undefined) {
        const why = rep.error ??
          `exit ${code ?? signal}, output ${JSON.stringify(out.slice(0, 300))}`;
        reject(new Error(`${task.system} child (${count(task.n)} keys): ${why}`));
        return;
      }
      resolve({
        wallMs,
        loadMs: rep.loadMs!,
        openMs: rep.openMs === undefined || rep.openMs === null || Number.isNaN(rep.openMs)
          ? null
          : rep.openMs,
        firstReadMs: rep.firstReadMs,
        allDataMs: rep.allDataMs!,
        getsMs: rep.getsMs!,
        rssBytes: rep.rssBytes!,
      });
    });
  });
}

function targetOf(s: Stores, id: ChildSystem): string {
  switch (id) {
    case "shmdict":
      return s.name;
    case "lmdb":
      return s.lmdbPath;
    case "sqlite-query":
    case "sqlite-map":
      return s.sqlitePath;
    case "json-map":
      return s.jsonPath;
    default:
      return "";
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const sizes = sizesSetting();
  const runs = Math.floor(envNumber("BENCH_RESTART_RUNS", 5));
  const pick = selector(SYSTEMS.map((s) => s.id), []);
  const systems = SYSTEMS.filter((s) => s.id === "noop" || pick.system(s.id));
  const want = (id: string): boolean => systems.some((s) => s.id === id);
  const base = env("BENCH_DIR") ?? tmpdir();
  const dir = mkdtempSync(join(base, "shmdict-bench-restart-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const versions: Record<string, string> = { lmdb: packageVersion("lmdb") };
  {
    const db = (await sqliteOpener())(":memory:");
    versions.sqlite = `${sqliteVersion(db)} (${sqliteDriver})`;
    db.close();
  }
  progress(
    `restart: sizes ${sizes.map((n) => count(n)).join(", ")}; ${runs} rounds; ` +
      `systems ${systems.map((s) => s.id).join(", ")}; files in ${dir}`,
  );

  const results: RestartSize[] = [];
  let warmed = false;
  for (const n of sizes) {
    const probe = Math.floor(n / 2) + 12_345 < n ? Math.floor(n / 2) + 12_345 : n - 1;
    const { stores, populate: pop, generateMs } = await populate(n, dir, want);
    try {
      await checkAndClose(stores, probe, pop);
      for (const x of pop) {
        progress(
          `  ${x.id}: filled in ${(x.ms / 1000).toFixed(1)} s, ` +
            `${(x.bytes / 2 ** 20).toFixed(0)} MiB (${x.bytesNote})`,
        );
      }
      if (!warmed) {
        const cheap = systems.filter((s) => !s.rebuild);
        const w = new Progress("warm-up children (discarded)", cheap.length);
        for (const [i, sys] of cheap.entries()) {
          await runChild({ system: sys.id, n, target: targetOf(stores, sys.id), probe });
          w.update(i + 1);
        }
        w.done();
        warmed = true;
      }
      const rebuildRuns = n >= BIG_SIZE ? Math.min(runs, REBUILD_RUNS_BIG) : runs;
      const perSys = new Map<ChildSystem, RestartRun[]>(systems.map((s) => [s.id, []]));
      const total = systems.reduce((sum, s) => sum + (s.rebuild ? rebuildRuns : runs), 0);
      const p = new Progress(`child processes at ${count(n)} keys`, total);
      let done = 0;
      for (let r = 0; r < runs; r++) {
        for (const sys of systems) {
          if (sys.rebuild && r >= rebuildRuns) continue;
          const run = await runChild({
            system: sys.id,
            n,
            target: targetOf(stores, sys.id),
            probe,
          });
          perSys.get(sys.id)!.push(run);
          p.update(++done, `${sys.id} ${run.firstReadMs.toFixed(2)} ms`);
        }
      }
      p.done();
      const rows: RestartSystem[] = systems.map((sys) => {
        const rs = perSys.get(sys.id)!;
        return {
          id: sys.id,
          label: sys.label,
          detail: sys.detail,
          rebuild: sys.rebuild,
          runs: rs,
          wallMs: spreadOf(rs.map((x) => x.wallMs)),
          loadMs: spreadOf(rs.map((x) => x.loadMs)),
          openMs: rs.every((x) => x.openMs !== null) ? spreadOf(rs.map((x) => x.openMs!)) : null,
          firstReadMs: spreadOf(rs.map((x) => x.firstReadMs)),
          allDataMs: spreadOf(rs.map((x) => x.allDataMs)),
          getsMs: spreadOf(rs.map((x) => x.getsMs)),
          rssBytes: spreadOf(rs.map((x) => x.rssBytes)),
        };
      });
      for (const row of rows) {
        progress(
          `  ${count(n)} ${row.id.padEnd(12)} first read ${row.firstReadMs.median.toFixed(3)} ms ` +
            `(load ${row.loadMs.median.toFixed(1)} ms, child wall ${
              row.wallMs.median.toFixed(0)
            } ms)`,
        );
      }
      results.push({ n, probe, populate: pop, generateMs, systems: rows });
    } finally {
      removeStores(stores);
    }
  }

  const result: RestartResult = {
    ...suiteHead("restart", started),
    versions,
    settings: {
      sizes,
      runs,
      rebuildRunsBig: REBUILD_RUNS_BIG,
      bigSize: BIG_SIZE,
      keyBytes: BIG_KEY_BYTES,
      valueBytes: BIG_VALUE_BYTES,
      childGets: CHILD_GETS,
      jsonFormat: `JSON lines, each an array of ${
        count(JSON_LINE_ENTRIES)
      } alternating keys and values`,
      dir: base,
      warmup: "one discarded child per in-place system before the first size",
    },
    sizes: results,
  };
  writeSuiteResult(result);
  return 0;
}

if (import.meta.main) await runSuite("restart", main, cleanup);
