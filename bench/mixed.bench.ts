/**
 * A mixed workload like YCSB's: 90% `get`, 10% `set`, keys drawn from a Zipf
 * distribution (s = 0.99) over 1,000,000 keys of 12 bytes with 100-byte
 * values, for shmdict and, in the same process run, a JavaScript `Map` (the
 * in-process ceiling), lmdb-js, SQLite and Redis on loopback (one command per
 * round trip, and pipelined ×100).
 *
 * ```sh
 * node_modules/.bin/deno run -A bench/mixed.bench.ts
 * node_modules/.bin/bun bench/mixed.bench.ts
 * BENCH_REDIS_PORT=6390 MIXED_KEYS=100000 BENCH_ONLY=shmdict,lmdb … # see below and support/env.ts
 * ```
 *
 * The operation sequence (support/zipf.ts) is generated once from a fixed
 * seed: 2^21 operations, each a key index (Zipf ranks scrambled over the key
 * space, as YCSB's scrambled Zipfian does) and a flag, 10% writes; every
 * system walks the same sequence from its start, in batches (1,000 operations
 * per timed call; Redis one at a time: 100). A write stores the key's loaded
 * value or an alternative of the same length, switching every batch.
 *
 * Timing is core.bench.ts's: tinybench through support/measure.ts, rounds
 * that sweep every system (so that ratios compare figures taken close
 * together), rounds pooled; in-process systems on the process CPU clock,
 * Redis on the wall clock (`BENCH_CLOCK`).
 *
 * Correctness, per system: before timing and again after it, a stretch of
 * 20,000 operations of the sequence (2,000 for Redis one at a time) is
 * replayed, the way the timed loop runs it (pipelined for Redis ×100), with
 * distinct values for every write; every read must return the value of the
 * latest write to that key in the stretch, or, for a key not yet written in
 * it, a 100-byte value of that key. After every timed task, the last batch's
 * reads must have returned 100 bytes each. A system failing a check is
 * reported as failed, never with a figure.
 *
 * Settings: `MIXED_KEYS` (default 1,000,000), `MIXED_ZIPF` (0.99),
 * `MIXED_WRITES` (0.1), and support/env.ts's `BENCH_TIME`, `BENCH_WARMUP`,
 * `BENCH_ROUNDS`, `BENCH_CLOCK`, `BENCH_ONLY` (system ids), `BENCH_DIR`,
 * `BENCH_REDIS_PORT`. Writes `bench/results/mixed-<runtime>.json`.
 *
 * @module
 */

import { tmpdir } from "node:os";
import process from "node:process";
import { makeDataset } from "./support/data.ts";
import {
  env,
  envNumber,
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
import {
  createLmdb,
  createMap,
  createRedis,
  createShmdict,
  createSqlite,
  type MixedData,
  type MixedSystem,
} from "./support/mixed-systems.ts";
import { makeOpSequence, WRITE } from "./support/zipf.ts";

/** Operations per timed call for the in-process systems and Redis ×100. */
const BATCH = 1000;
/** All system ids, in table order. */
const SYSTEM_IDS = ["shmdict", "map", "lmdb", "sqlite", "redis", "redis-p100"];
/** log2 of the sequence length. */
const LOG2_SEQUENCE = 21;
/** The sequence's seed. */
const SEED = 0x2fe1d;

/** One system's figures (or why it has none). */
export interface MixedRow extends Partial<Stats> {
  /** Its system id. */
  system: string;
  /** Why there is no figure: a failed check, or the task threw. */
  error?: string;
}

/** A system as recorded in the JSON. */
export interface MixedSystemInfo {
  /** Short id (`BENCH_ONLY`). */
  id: string;
  /** Name in tables. */
  label: string;
  /** How it was opened and used. */
  detail: string;
  /** Operations per timed call. */
  batch: number;
  /** The clock its calls were timed with. */
  clock: Clock;
  /** `"ok"` or the failed check. */
  check: string;
  /** Seconds to load the data set. */
  loadSeconds: number;
}

/** What `bench/results/mixed-<runtime>.json` holds. */
export interface MixedResult {
  /** The suite. */
  suite: "mixed";
  /** The runtime it ran under. */
  runtime: string;
  /** Its version. */
  runtimeVersion: string;
  /** When it ran (ISO 8601). */
  date: string;
  /** The data set, the sequence and the timing settings. */
  settings: {
    keys: number;
    keyBytes: number;
    valueBytes: number;
    zipf: number;
    writeShare: number;
    sequenceLength: number;
    seed: number;
    /** Operations per timed call. */
    batch: number;
    timeMs: number;
    warmupMs: number;
    rounds: number;
    clock: string;
    dir: string;
    redisPort: number | null;
  };
  /** What the sequence holds: writes, and the traffic of the hottest keys. */
  sequence: { writes: number; topKeyShare: number; top1PctShare: number };
  /** Versions of the runtime and of every system. */
  versions: Record<string, string>;
  /** Every system tried, with its check. */
  systems: MixedSystemInfo[];
  /** The figures, one row per system that was timed. */
  rows: MixedRow[];
}

function fail(what: string, got: unknown, want: unknown): never {
  const show = (x: unknown): string => {
    const s = JSON.stringify(x);
    return s !== undefined && s.length > 60 ? `${s.slice(0, 60)}…` : String(s);
  };
  throw new Error(`${what}: got ${show(got)}, want ${show(want)}`);
}

/**
 * Read-your-writes over `count` operations from `start`: replays them with a
 * distinct value per write, then checks every read against the latest write
 * to its key in the stretch, or, before one, against the key's own 100 bytes.
 */
async function checkReplay(
  s: MixedSystem,
  data: MixedData,
  start: number,
  count: number,
  tag: string,
): Promise<void> {
  const width = data.values[0].length;
  const valueFor = (pos: number): string => {
    const i = data.seq.ops[pos & data.seq.mask] & 0x7fffffff;
    const head = `${tag}:${String(i).padStart(8, "0")}:${pos}:`;
    return head + ".".repeat(width - head.length);
  };
  const got = await s.replay(start, count, valueFor);
  const latest = new Map<number, string>();
  let r = 0;
  for (let p = start; p < start + count; p++) {
    const op = data.seq.ops[p & data.seq.mask];
    if (op >= WRITE) {
      latest.set(op & 0x7fffffff, valueFor(p));
      continue;
    }
    const v = got[r++];
    const want = latest.get(op);
    const k = data.keys[op];
    if (want !== undefined) {
      if (v !== want) fail(`get(${k}) at operation ${p}, after a set to it`, v, want);
    } else if (
      v === null || v.length !== width || v.slice(2, 10) !== String(op).padStart(8, "0")
    ) {
      fail(`get(${k}) at operation ${p}`, v, `a ${width}-byte value of key ${op}`);
    }
  }
  if (r !== got.length) fail("reads replayed", got.length, r);
}

async function main(): Promise<number> {
  const n = Math.floor(envNumber("MIXED_KEYS", 1_000_000));
  const zipf = envNumber("MIXED_ZIPF", 0.99);
  const writeShare = envNumber("MIXED_WRITES", 0.1);
  const timing = timingSettings();
  const { timeMs, warmupMs, clock: clockSetting } = timing;
  const rounds = Math.floor(timing.rounds);
  if (n > 99_999_999) throw new Error("MIXED_KEYS must fit 8 digits");
  const dir = env("BENCH_DIR") ?? tmpdir();
  const redisPort = redisPortSetting();
  selector(SYSTEM_IDS, []); /* fails early on an unknown BENCH_ONLY name */
  const versions: Record<string, string> = {
    [runtime]: runtimeVersion,
    tinybench: packageVersion("tinybench"),
  };

  progress(
    `mixed workload, ${runtime} ${runtimeVersion}: ${n.toLocaleString("en")} keys; ` +
      `building the data set and ${(2 ** LOG2_SEQUENCE).toLocaleString("en")} operations`,
  );
  const base = makeDataset(n);
  /* `mix:00000001`: 12 bytes, apart from core.bench.ts's `key:` keys in a shared Redis */
  const keys = base.keys.map((k) => `mix${k.slice(3)}`);
  const seq = makeOpSequence(n, zipf, writeShare, LOG2_SEQUENCE, SEED);
  const data: MixedData = { n, keys, values: base.values, alt: base.alt, seq };
  progress(
    `sequence: ${(seq.writes / seq.ops.length * 100).toFixed(1)}% writes; the hottest key gets ` +
      `${(seq.topShare * 100).toFixed(1)}% of the operations, the hottest 1% of keys ` +
      `${(seq.top1PctShare * 100).toFixed(1)}%`,
  );

  const systems: MixedSystem[] = [];
  const closeAll = async (): Promise<void> => {
    for (const s of systems.splice(0)) {
      try {
        await s.close();
      } catch (err) {
        console.error(`closing ${s.id}: ${(err as Error).message}`);
      }
    }
  };
  const onSignal = (): void => {
    void closeAll().finally(() => exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await run(data, systems, {
      n,
      zipf,
      writeShare,
      timeMs,
      warmupMs,
      rounds,
      clockSetting,
      dir,
      redisPort,
      versions,
    });
  } finally {
    await closeAll();
  }
}

interface RunSettings {
  n: number;
  zipf: number;
  writeShare: number;
  timeMs: number;
  warmupMs: number;
  rounds: number;
  clockSetting: "cpu" | "wall";
  dir: string;
  redisPort: number | null;
  /** Versions of the runtime and of every system. */
  versions: Record<string, string>;
}

/** Loads, checks and times every system (put in `systems`, closed by the caller). */
async function run(data: MixedData, systems: MixedSystem[], o: RunSettings): Promise<number> {
  const { n, zipf, writeShare, timeMs, warmupMs, rounds, clockSetting, dir, redisPort, versions } =
    o;
  const { seq } = data;
  const pick = selector(SYSTEM_IDS, []);
  const clockOf = (s: MixedSystem): Clock => s.async || clockSetting === "wall" ? "wall" : "cpu";
  const stretch = (s: MixedSystem): number => (s.id === "redis" ? 2000 : 20_000);

  /* ---- open, load and check every system ------------------------------------ */
  const infos: MixedSystemInfo[] = [];
  let failed = false;
  const add = async (
    id: string,
    make: () => MixedSystem | Promise<MixedSystem | MixedSystem[]>,
  ): Promise<void> => {
    if (!pick.system(id) && !(id === "redis" && pick.system("redis-p100"))) return;
    const t0 = performance.now();
    let made: MixedSystem | MixedSystem[];
    try {
      made = await make();
    } catch (err) {
      failed = true;
      const check = `could not be opened and loaded: ${(err as Error).message}`;
      progress(`${id}: FAILED: ${check}`);
      infos.push({ id, label: id, detail: "", batch: 0, clock: "wall", check, loadSeconds: 0 });
      return;
    }
    const loadSeconds = (performance.now() - t0) / 1000;
    for (const s of Array.isArray(made) ? made : [made]) {
      if (!pick.system(s.id)) {
        await s.close();
        continue;
      }
      Object.assign(versions, s.versions);
      let check = "ok";
      try {
        await checkReplay(s, data, 0, stretch(s), "a");
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
        loadSeconds,
      });
      if (check === "ok") systems.push(s);
      else await s.close();
    }
  };
  await add("shmdict", () => createShmdict(data, BATCH));
  await add("map", () => createMap(data, BATCH));
  const lmdbVersion = packageVersion("lmdb");
  await add("lmdb", () => createLmdb(data, dir, lmdbVersion, BATCH));
  await add("sqlite", () => createSqlite(data, dir, BATCH));

  /* ---- time every system, in rounds ------------------------------------------- */
  const samplers = new Map<string, Sampler>();
  const errors = new Map<string, string>();
  const timeRounds = async (list: MixedSystem[]): Promise<void> => {
    for (let round = 1; round <= rounds; round++) {
      for (const s of list) {
        if (errors.has(s.id)) continue;
        write(`==> ${runtime}: ${round}/${rounds} mixed ${s.label.padEnd(11)} `);
        try {
          const calls = await measureRound(`mixed ${s.id}`, () => s.run(), {
            batch: s.batch,
            async: s.async,
            time: timeMs,
            warmupTime: warmupMs,
            clock: clockOf(s),
          });
          if (!(s.w.gets > 0) || s.w.bytes !== s.w.gets * data.values[0].length) {
            fail("bytes read by the last batch", s.w.bytes, s.w.gets * data.values[0].length);
          }
          console.log(roundLine(addRound(samplers, s.id, s.batch, calls), s.batch));
        } catch (err) {
          failed = true;
          errors.set(s.id, (err as Error).message);
          console.log(`FAILED: ${(err as Error).message}`);
        }
      }
    }
  };
  await timeRounds(systems);
  /* Redis after the in-process systems (see bench/core.bench.ts: loading
   * ioredis slows `s.charCodeAt` in the whole process under V8). */
  if (redisPort !== null) {
    const first = systems.length;
    await add("redis", () => createRedis(data, redisPort, packageVersion("ioredis"), BATCH));
    await timeRounds(systems.slice(first));
  } else if (pick.system("redis") || pick.system("redis-p100")) {
    progress("Redis SKIPPED: BENCH_REDIS_PORT is not set (npm run bench starts one)");
  }
  /* ---- read-your-writes again, after the timed runs ----------------------------- */
  for (const s of systems) {
    if (errors.has(s.id)) continue;
    try {
      await checkReplay(s, data, 1 << 20, stretch(s), "b");
    } catch (err) {
      failed = true;
      errors.set(s.id, `after timing: ${(err as Error).message}`);
      progress(`${s.id}: CHECK FAILED after timing: ${(err as Error).message}`);
    }
  }
  const rows: MixedRow[] = [];
  for (const s of systems) {
    const error = errors.get(s.id);
    const sampler = samplers.get(s.id);
    if (error !== undefined) rows.push({ system: s.id, error });
    else if (sampler !== undefined) rows.push({ system: s.id, ...sampler.stats() });
  }

  /* ---- table ------------------------------------------------------------------- */
  const mine = rows.find((r) => r.system === "shmdict")?.opsPerSec;
  console.log(
    `\n${runtime} ${runtimeVersion}: mixed 90/10, Zipf ${zipf}, ${n.toLocaleString("en")} keys ` +
      `(median call of ${rounds} rounds × ${timeMs} ms)`,
  );
  console.log(
    "system".padEnd(12) + "M ops/s".padStart(10) + "p25–p75".padStart(18) +
      "shmdict ÷".padStart(11),
  );
  for (const r of rows) {
    const label = systems.find((s) => s.id === r.system)?.label ?? r.system;
    if (r.opsPerSec === undefined) {
      console.log(label.padEnd(12) + "FAILED".padStart(10));
      continue;
    }
    console.log(
      label.padEnd(12) + mops(r.opsPerSec).padStart(10) +
        `${mops(r.opsPerSecP75!)}–${mops(r.opsPerSecP25!)}`.padStart(18) +
        (mine === undefined ? "—" : `${(mine / r.opsPerSec).toFixed(2)}×`).padStart(11),
    );
  }

  const result: MixedResult = {
    suite: "mixed",
    runtime,
    runtimeVersion,
    date: new Date().toISOString(),
    /** The data set, the sequence and the timing settings. */
    settings: {
      keys: n,
      keyBytes: 12,
      valueBytes: data.values[0].length,
      zipf,
      writeShare,
      sequenceLength: seq.ops.length,
      seed: SEED,
      batch: BATCH,
      timeMs,
      warmupMs,
      rounds,
      clock: clockSetting,
      dir,
      redisPort,
    },
    sequence: { writes: seq.writes, topKeyShare: seq.topShare, top1PctShare: seq.top1PctShare },
    versions,
    systems: infos,
    rows,
  };
  console.log(`\nwrote ${writeResult(`mixed-${runtime}.json`, result)}`);
  return failed ? 1 : 0;
}

exit(await main());
