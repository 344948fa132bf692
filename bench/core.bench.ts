/**
 * The core benchmark: `get`, `getBytes`, `getInto`, `set` and `incr` on
 * 100,000 keys of 12 bytes with 100-byte values, for shmdict and, in the same
 * process run, a JavaScript `Map`, lmdb-js, SQLite and Redis on loopback
 * (one command per round trip, and pipelined ×100).
 *
 * ```sh
 * node_modules/.bin/deno run -A bench/core.bench.ts
 * node_modules/.bin/bun bench/core.bench.ts
 * BENCH_REDIS_PORT=6390 BENCH_ONLY=shmdict,lmdb,get BENCH_TIME=1000 … # see support/env.ts
 * ```
 *
 * `npm run bench` (scripts/bench.sh) starts a private Redis, runs this under
 * both runtimes and writes bench/RESULTS.md from the JSON each run leaves in
 * `bench/results/<runtime>.json`.
 *
 * Every system is checked before it is timed (values read back equal those
 * loaded, `set` then `get`, `incr` counts), and every timed task is checked
 * after it ran (the last batch returned the right number of bytes, the last
 * `set` is visible, the last `incr` reply is what `get` reads). A system that
 * fails a check is reported as failed, not timed, and the run exits with 1.
 *
 * @module
 */

import { tmpdir } from "node:os";
import { makeDataset, sampleIndexes } from "./support/data.ts";
import {
  env,
  exit,
  packageVersion,
  progress,
  redisPortSetting,
  runtime,
  runtimeVersion,
  selector,
  timingSettings,
  write,
  writeResult,
} from "./support/env.ts";
import {
  addRound,
  type Clock,
  measureRound,
  mops,
  roundLine,
  Sampler,
  type Stats,
} from "./support/measure.ts";
import { createLmdb } from "./systems/lmdb.ts";
import { createMap } from "./systems/map.ts";
import { createShmdict } from "./systems/shmdict.ts";
import { createSqlite } from "./systems/sqlite.ts";
import { type OpName, OPS, type System } from "./systems/types.ts";

/** Operations per timed call for the in-process systems. */
const BATCH = 1000;

/** All system ids, in table order. */
const SYSTEM_IDS = ["shmdict", "map", "lmdb", "sqlite", "redis", "redis-p100"];

/** One measured (or failed) cell of the table. */
export interface Row extends Partial<Stats> {
  op: OpName;
  system: string;
  /** Why there is no figure: the post-task check failed, or the task threw. */
  error?: string;
}

/** A system as recorded in the JSON. */
export interface SystemInfo {
  id: string;
  label: string;
  detail: string;
  batch: number;
  /** The clock its calls were timed with. */
  clock: Clock;
  /** `"ok"` or the failed check. */
  check: string;
}

/** What `bench/results/<runtime>.json` holds. */
export interface CoreResult {
  suite: "core";
  runtime: string;
  runtimeVersion: string;
  date: string;
  settings: {
    keys: number;
    valueBytes: number;
    batch: number;
    timeMs: number;
    warmupMs: number;
    rounds: number;
    clock: string;
    dir: string;
    redisPort: number | null;
  };
  versions: Record<string, string>;
  systems: SystemInfo[];
  rows: Row[];
}

function sameBytes(a: Uint8Array | null, b: Uint8Array): boolean {
  if (a === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function fail(what: string, got: unknown, want: unknown): never {
  throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

/** Checks a freshly loaded system; throws on the first wrong answer. */
async function checkLoaded(s: System, data: ReturnType<typeof makeDataset>): Promise<void> {
  const enc = new TextEncoder();
  for (const i of sampleIndexes(data, 100)) {
    const k = data.keys[i];
    const v = await s.one.get(k);
    if (v !== data.values[i]) fail(`get(${k})`, v, data.values[i]);
    const b = await s.one.getBytes(k);
    if (!sameBytes(b, enc.encode(data.values[i]))) {
      fail(`getBytes(${k})`, b && Array.from(b.subarray(0, 16)), "the value's UTF-8 bytes");
    }
    const n = await s.one.get(data.counters[i]);
    if (n !== "0") fail(`get(${data.counters[i]})`, n, "0");
  }
  const missing = await s.one.get("nope:00000000");
  if (missing !== null) fail("get(missing)", missing, null);
  const k = `chk:${runtime}:${s.id}`;
  await s.one.set(k, "hello, world");
  const v = await s.one.get(k);
  if (v !== "hello, world") fail(`get after set(${k})`, v, "hello, world");
  const ck = `chk:${runtime}:${s.id}:n`;
  await s.one.set(ck, "41");
  const one = await s.one.incr(ck);
  if (one !== 42) fail(`incr(${ck}) after set 41`, one, 42);
}

/** Checks what the last timed batch left in the witness. */
async function checkTask(
  s: System,
  op: OpName,
  data: ReturnType<typeof makeDataset>,
): Promise<void> {
  const w = s.w;
  if (op === "get" || op === "getBytes" || op === "getInto") {
    const want = s.batch * data.valueBytes;
    if (w.sum !== want) fail(`${op}: bytes returned by the last batch`, w.sum, want);
  } else if (op === "set") {
    const k = data.keys[w.last];
    const v = await s.one.get(k);
    if (v !== w.lastValue) fail(`get(${k}) after the last set`, v, w.lastValue);
  } else {
    const k = data.counters[w.last];
    const v = await s.one.get(k);
    if (!(w.lastInt >= 1) || v !== String(w.lastInt)) {
      fail(`get(${k}) after the last incr`, v, String(w.lastInt));
    }
  }
}

async function main(): Promise<number> {
  const { timeMs, warmupMs, rounds, clock: clockSetting } = timingSettings();
  /* Systems that wait on another process (Redis) are always timed on the wall clock. */
  const clockOf = (s: System): Clock => s.async || clockSetting === "wall" ? "wall" : "cpu";
  const dir = env("BENCH_DIR") ?? tmpdir();
  const redisPort = redisPortSetting();
  const pick = selector(SYSTEM_IDS, OPS);
  const versions: Record<string, string> = {
    [runtime]: runtimeVersion,
    tinybench: packageVersion("tinybench"),
  };

  progress(`core benchmark, ${runtime} ${runtimeVersion}; building the data set`);
  const data = makeDataset();

  /* ---- open and load every system ------------------------------------------ */
  const systems: System[] = [];
  const infos: SystemInfo[] = [];
  let failed = false;
  const add = async (id: string, make: () => System | Promise<System | System[]>) => {
    if (!pick.system(id) && !(id === "redis" && pick.system("redis-p100"))) return;
    progress(`loading ${id} (${data.n.toLocaleString("en")} keys + counters)`);
    const t0 = performance.now();
    let made: System | System[];
    try {
      made = await make();
    } catch (err) {
      failed = true;
      const check = `could not be opened and loaded: ${(err as Error).message}`;
      progress(`${id}: FAILED: ${check}`);
      infos.push({ id, label: id, detail: "", batch: 0, clock: "wall", check });
      return;
    }
    for (const s of Array.isArray(made) ? made : [made]) {
      if (!pick.system(s.id)) {
        await s.close();
        continue;
      }
      Object.assign(versions, s.versions);
      let check = "ok";
      try {
        await checkLoaded(s, data);
      } catch (err) {
        check = (err as Error).message;
        failed = true;
        progress(`${s.id}: CHECK FAILED: ${check}`);
      }
      infos.push({
        id: s.id,
        label: s.label,
        detail: s.detail,
        batch: s.batch,
        clock: clockOf(s),
        check,
      });
      if (check === "ok") systems.push(s);
      else await s.close();
    }
    progress(`loaded ${id} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };
  await add("shmdict", () => createShmdict(data, BATCH));
  await add("map", () => createMap(data, BATCH));
  const lmdbVersion = packageVersion("lmdb");
  await add("lmdb", () => createLmdb(data, dir, lmdbVersion, BATCH));
  await add("sqlite", () => createSqlite(data, dir, BATCH));

  /* ---- time every operation of every system, in rounds ------------------------ */
  /* Each round sweeps operation by operation (every system's get, then every
   * system's getBytes, ...), so the figures a ratio compares are taken close
   * together; the rounds are pooled (see support/measure.ts). */
  const samplers = new Map<string, Sampler>();
  const errors = new Map<string, string>();
  const timeRounds = async (list: System[]): Promise<void> => {
    for (let round = 1; round <= rounds; round++) {
      for (const op of OPS) {
        if (!pick.op(op)) continue;
        for (const s of list) {
          const fn = s.ops[op];
          const key = `${op} ${s.id}`;
          if (fn === undefined || errors.has(key)) continue;
          write(`==> ${runtime}: ${round}/${rounds} ${op.padEnd(8)} ${s.label.padEnd(11)} `);
          try {
            const calls = await measureRound(key, fn, {
              batch: s.batch,
              async: s.async,
              time: timeMs,
              warmupTime: warmupMs,
              clock: clockOf(s),
            });
            await checkTask(s, op, data);
            console.log(roundLine(addRound(samplers, key, s.batch, calls), s.batch));
          } catch (err) {
            failed = true;
            const error = (err as Error).message;
            errors.set(key, error);
            console.log(`FAILED: ${error}`);
          }
        }
      }
    }
  };
  await timeRounds(systems);
  /* Redis after the in-process systems: its client, ioredis, declares a
   * subclass of String, which under V8 slows every `s.charCodeAt(i)` in the
   * process for good (lmdb-js's `get` lost about 25% under Deno; shmdict's
   * codec calls the builtin in a form V8 still inlines). Redis waits on a
   * round trip per call, so timing it after the others biases nothing. */
  if (redisPort !== null) {
    const first = systems.length;
    const { createRedis } = await import("./systems/redis.ts");
    await add("redis", () => createRedis(data, redisPort, packageVersion("ioredis")));
    await timeRounds(systems.slice(first));
  } else if (pick.system("redis") || pick.system("redis-p100")) {
    progress("Redis SKIPPED: BENCH_REDIS_PORT is not set (npm run bench starts one)");
  }
  const rows: Row[] = [];
  for (const op of OPS) {
    for (const s of systems) {
      const key = `${op} ${s.id}`;
      const error = errors.get(key);
      const sampler = samplers.get(key);
      if (error !== undefined) rows.push({ op, system: s.id, error });
      else if (sampler !== undefined) rows.push({ op, system: s.id, ...sampler.stats() });
    }
  }

  /* ---- tables ------------------------------------------------------------------ */
  const cols = systems.filter((s) => rows.some((r) => r.system === s.id));
  const cell = (op: OpName, id: string): Row | undefined =>
    rows.find((r) => r.op === op && r.system === id);
  const ops = OPS.filter((op) => rows.some((r) => r.op === op));
  if (ops.length === 0) console.log("\nnothing was measured");
  const width = 12;
  const line = (first: string, rest: string[]) =>
    console.log(first.padEnd(10) + rest.map((c) => c.padStart(width)).join(""));
  if (ops.length > 0) {
    console.log(
      `\n${runtime} ${runtimeVersion}: M ops/s (median call of ${rounds} rounds × ${timeMs} ms per task)`,
    );
    line("", cols.map((s) => s.label));
  }
  for (const op of ops) {
    line(
      op,
      cols.map((s) => {
        const r = cell(op, s.id);
        return r === undefined ? "—" : r.opsPerSec === undefined ? "FAILED" : mops(r.opsPerSec);
      }),
    );
  }
  const others = cols.filter((s) => s.id !== "shmdict");
  if (cols.some((s) => s.id === "shmdict") && others.length > 0) {
    console.log(`\n${runtime}: shmdict ÷ other (× faster when > 1)`);
    line("", others.map((s) => s.label));
    for (const op of ops) {
      const mine = cell(op, "shmdict")?.opsPerSec;
      line(
        op,
        others.map((s) => {
          const theirs = cell(op, s.id)?.opsPerSec;
          return mine === undefined || theirs === undefined
            ? "—"
            : `${(mine / theirs).toFixed(2)}×`;
        }),
      );
    }
  }

  const result: CoreResult = {
    suite: "core",
    runtime,
    runtimeVersion,
    date: new Date().toISOString(),
    settings: {
      keys: data.n,
      valueBytes: data.valueBytes,
      batch: BATCH,
      timeMs,
      warmupMs,
      rounds,
      clock: clockSetting,
      dir,
      redisPort,
    },
    versions,
    systems: infos,
    rows,
  };
  const path = writeResult(`${runtime}.json`, result);
  console.log(`\nwrote ${path}`);

  for (const s of systems) await s.close();
  return failed ? 1 : 0;
}

exit(await main());
