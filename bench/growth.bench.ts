/**
 * Growth without stalls: the latency of EVERY insert while a fresh shmdict
 * dictionary grows from 0 to 10 M keys (12-byte keys, 100-byte values), and
 * the same for a JavaScript `Map` in the same run (optionally Redis `SET`, one
 * awaited command at a time, on fewer keys).
 *
 * ```sh
 * node_modules/.bin/deno run -A bench/growth.bench.ts
 * node_modules/.bin/bun bench/growth.bench.ts
 * BENCH_GROWTH_KEYS=1000000 BENCH_ONLY=shmdict …
 * BENCH_REDIS_PORT=6390 BENCH_GROWTH_REDIS_KEYS=200000 …  # add Redis
 * ```
 *
 * How: each in-process system first takes an untimed warm-up of 200,000
 * inserts (`BENCH_GROWTH_WARMUP`) into a copy that is thrown away, so that
 * the runtime's JIT and start-up garbage collection are done before the timed
 * run, which starts from empty. Keys and values are generated 4,096 at a time
 * (untimed), then every `set` is timed alone: `t1 = now(); set(); t2 = now()`,
 * the next interval starting at `t2`, so each figure holds one `set`, one
 * clock read and the loop's bookkeeping (the clock read's cost is recorded in the settings). The
 * clock is `Bun.nanoseconds()` under Bun and `clock_gettime(CLOCK_MONOTONIC)`
 * through `Deno.dlopen` under Deno (`support/big-clock.ts`: Deno's
 * `performance.now()` also resolves below a microsecond here but costs about
 * 170 ns a read; what it resolves is measured and recorded too). Wall time:
 * on a shared machine the OS may deschedule the process in the middle of a
 * `set`, which shows as an isolated slow insert at a random key count, not at
 * the same place in every run: so the main thread's CPU time
 * (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)` through the runtime's FFI) is
 * read around every block of 1,024 inserts, and each of the slowest inserts
 * carries its block's CPU time next to its wall time.
 *
 * shmdict: `open(name, { size })` with `size` reserved up front (4 GiB for
 * 10 M keys; memory is committed as the segment grows), then `set` per key.
 * Every 1,024 inserts (untimed) it reads `info()` and records when the index
 * table's bucket count, its rehashing flag or the committed memory changed,
 * so that each stall can be placed against a table doubling or a commit.
 *
 * Recorded: p50, p90, p99, p99.9, p99.99, max; counts above 100 µs and 1 ms;
 * the 20 slowest inserts with the key count at which each happened; a
 * percentile curve; max, p99 and mean per window of 100,000 inserts; a log
 * histogram. Correctness: every `set` must return `"OK"`; after the run the
 * key count must match and sampled keys must read back their values.
 *
 * Writes `bench/results/growth-<runtime>.json` ({@link GrowthResult}).
 *
 * @module
 */

import process from "node:process";
import type { Redis } from "ioredis";
import { type Dict, drop, open } from "../lib/mod.ts";
import { calibrate, fineClock, threadCpuClock } from "./support/big-clock.ts";
import {
  BIG_KEY_BYTES,
  BIG_VALUE_BYTES,
  bigKey,
  bigValue,
  count,
  fillChunk,
  quantile,
  spread,
} from "./support/big-data.ts";
import { connectRedis, redisVersion } from "./support/big-redis.ts";
import type {
  GrowthEvent,
  GrowthResult,
  GrowthSystem,
  GrowthWindow,
  HistBucket,
  SlowSet,
} from "./support/big-results.ts";
import {
  env,
  envNumber,
  exit,
  packageVersion,
  progress,
  redisPortSetting,
  runSuite,
  selector,
  suiteHead,
  writeSuiteResult,
} from "./support/env.ts";
import { Progress } from "./support/progress.ts";

/**
 * Keys generated (untimed) between runs of timed inserts: small, so the
 * harness's own fresh strings keep few young objects alive (with 65,536 per
 * chunk, Deno's scavenges took 1–6 ms and some landed inside a timed `set`).
 */
const CHUNK = 4_096;
/** Inserts per window of the per-window figures. */
const WINDOW = 100_000;
/** Inserts between two (untimed) `info()` reads. */
const EVENT_EVERY = 1024;
/** The slowest inserts reported. */
const TOP = 20;
/**
 * A block of inserts counts as "running" when the main thread's CPU time is
 * at least this share of the block's summed latencies (else it was mostly
 * descheduled or waiting).
 */
const RUNNING_SHARE = 0.5;
/**
 * Inserts of the untimed warm-up pass each in-process system gets first (on
 * a dictionary or `Map` that is then thrown away): the runtime compiles the
 * insert loop and the library's call paths through its JIT tiers, and
 * collects its start-up garbage, before the timed run starts from empty.
 * Without it, short runs showed 1–5 ms stalls in the first 150,000 inserts
 * under both runtimes, at a different key count every run.
 */
const WARMUP = 200_000;
/** Histogram buckets per decade, from 10 ns. */
const HIST_PER_DECADE = 10;

const clock = fineClock();
const now = clock.now;
const cpuClock = await threadCpuClock();
const cpuNow = cpuClock.now;

/** log2 of {@link EVENT_EVERY}: inserts `i` and `j` share a block when `i >> BLOCK_SHIFT === j >> BLOCK_SHIFT`. */
const BLOCK_SHIFT = 10;

/**
 * Records insert latencies into `lat` (ns, index = keys before the insert)
 * and the main thread's CPU time per block of {@link EVENT_EVERY} inserts into
 * `cpu` (ns, index = block).
 */
type Filler = (lat: Float64Array, cpu: Float64Array, n: number) => Promise<GrowthEvent[]>;

function fail(what: string, got: unknown, want: unknown): never {
  throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

/** shmdict: a fresh dictionary, one `set` per key. */
function shmdictFiller(name: string, size: number): { fill: Filler; close: () => void } {
  let db: Dict | null = null;
  return {
    fill(lat, cpu, n) {
      drop(name);
      db = open(name, { size });
      const d = db;
      const keys: string[] = new Array(CHUNK);
      const values: string[] = new Array(CHUNK);
      const events: GrowthEvent[] = [];
      let info = d.info();
      events.push({
        at: 0,
        buckets: info.buckets,
        rehashing: info.rehashing,
        committedBytes: info.committedBytes,
      });
      const p = new Progress(`shmdict: ${count(n)} inserts, each timed`, n);
      for (let start = 0; start < n; start += CHUNK) {
        const m = fillChunk(start, CHUNK, n, keys, values);
        let c0 = cpuNow();
        let t = now();
        for (let j = 0; j < m; j++) {
          const ok = d.set(keys[j], values[j]);
          const t1 = now();
          lat[start + j] = t1 - t;
          t = t1;
          if (ok !== "OK") fail(`set(${keys[j]})`, ok, "OK");
          if ((j & (EVENT_EVERY - 1)) === EVENT_EVERY - 1 || j === m - 1) {
            const c1 = cpuNow();
            cpu[(start + j) >> BLOCK_SHIFT] = c1 - c0;
            const i2 = d.info();
            if (
              i2.buckets !== info.buckets || i2.rehashing !== info.rehashing ||
              i2.committedBytes !== info.committedBytes
            ) {
              events.push({
                at: start + j + 1,
                buckets: i2.buckets,
                rehashing: i2.rehashing,
                committedBytes: i2.committedBytes,
              });
            }
            info = i2;
            c0 = cpuNow();
            t = now();
          }
        }
        p.update(start + m);
      }
      p.done();
      const last = d.info();
      events.push({
        at: n,
        buckets: last.buckets,
        rehashing: last.rehashing,
        committedBytes: last.committedBytes,
      });
      if (d.dbsize() !== n) fail("dbsize after the inserts", d.dbsize(), n);
      for (const i of spread(n, 1000)) {
        if (d.get(bigKey(i)) !== bigValue(i)) {
          fail(`get(${bigKey(i)})`, d.get(bigKey(i)), bigValue(i));
        }
      }
      return Promise.resolve(events);
    },
    close() {
      db?.close();
      db = null;
      drop(name);
    },
  };
}

/**
 * shmdict through its byte API: one reused key buffer and one reused value
 * buffer, patched in place (the index's digits) before every timed `set`, so
 * the JavaScript side allocates nothing per insert and no garbage collection
 * can land inside a timed call: what remains is the library's own latency.
 * Each insert is timed alone (`t0 = now(); set(); t1 = now()`).
 */
function shmdictBytesFiller(name: string, size: number): { fill: Filler; close: () => void } {
  let db: Dict | null = null;
  return {
    fill(lat, cpu, n) {
      drop(name);
      db = open(name, { size });
      const d = db;
      const key = new TextEncoder().encode(bigKey(0));
      const value = new TextEncoder().encode(bigValue(0));
      const kd = key.length - 8, vd = 0; /* where the 8 digits go */
      const put = (buf: Uint8Array, at: number, i: number): void => {
        for (let j = 7; j >= 0; j--) {
          buf[at + j] = 48 + (i % 10);
          i = Math.floor(i / 10);
        }
      };
      const p = new Progress(`shmdict (bytes): ${count(n)} inserts, each timed`, n);
      let c0 = cpuNow();
      for (let i = 0; i < n; i++) {
        put(key, kd, i + 1);
        put(value, vd, i);
        const t0 = now();
        const ok = d.set(key, value);
        lat[i] = now() - t0;
        if (ok !== "OK") fail(`set(#${i})`, ok, "OK");
        if ((i & (EVENT_EVERY - 1)) === EVENT_EVERY - 1 || i === n - 1) {
          const c1 = cpuNow();
          cpu[i >> BLOCK_SHIFT] = c1 - c0;
          if ((i & 0xffff) === 0xffff) p.update(i + 1);
          c0 = cpuNow();
        }
      }
      p.done();
      if (d.dbsize() !== n) fail("dbsize after the inserts", d.dbsize(), n);
      for (const i of spread(n, 1000)) {
        put(key, kd, i + 1);
        put(value, vd, i);
        const got = d.getBytes(key);
        if (got === null || got.length !== value.length || got.some((b, j) => b !== value[j])) {
          fail(`getBytes(#${i})`, got === null ? null : got.length, value.length);
        }
      }
      return Promise.resolve([]);
    },
    close() {
      db?.close();
      db = null;
      drop(name);
    },
  };
}

/** A JavaScript `Map`, one `set` per key. */
function mapFiller(): { fill: Filler; close: () => void } {
  let map: Map<string, string> | null = null;
  return {
    fill(lat, cpu, n) {
      map = new Map();
      const mp = map;
      const keys: string[] = new Array(CHUNK);
      const values: string[] = new Array(CHUNK);
      const p = new Progress(`Map: ${count(n)} inserts, each timed`, n);
      for (let start = 0; start < n; start += CHUNK) {
        const m = fillChunk(start, CHUNK, n, keys, values);
        let c0 = cpuNow();
        let t = now();
        for (let j = 0; j < m; j++) {
          mp.set(keys[j], values[j]);
          const t1 = now();
          lat[start + j] = t1 - t;
          t = t1;
          if ((j & (EVENT_EVERY - 1)) === EVENT_EVERY - 1 || j === m - 1) {
            cpu[(start + j) >> BLOCK_SHIFT] = cpuNow() - c0;
            c0 = cpuNow();
            t = now();
          }
        }
        p.update(start + m);
      }
      p.done();
      if (mp.size !== n) fail("map.size after the inserts", mp.size, n);
      for (const i of spread(n, 1000)) {
        if (mp.get(bigKey(i)) !== bigValue(i)) {
          fail(`map.get(${bigKey(i)})`, mp.get(bigKey(i)), bigValue(i));
        }
      }
      return Promise.resolve([]);
    },
    close() {
      map = null;
    },
  };
}

/** Redis: one awaited `SET` per key after a `FLUSHALL`. */
function redisFiller(r: Redis): { fill: Filler; close: () => Promise<void> } {
  return {
    async fill(lat, cpu, n) {
      await r.flushall("SYNC");
      const keys: string[] = new Array(CHUNK);
      const values: string[] = new Array(CHUNK);
      const p = new Progress(`Redis: ${count(n)} SETs, one at a time, each timed`, n);
      for (let start = 0; start < n; start += CHUNK) {
        const m = fillChunk(start, CHUNK, n, keys, values);
        let c0 = cpuNow();
        let t = now();
        for (let j = 0; j < m; j++) {
          const ok = await r.set(keys[j], values[j]);
          const t1 = now();
          lat[start + j] = t1 - t;
          t = t1;
          if (ok !== "OK") fail(`SET ${keys[j]}`, ok, "OK");
          if ((j & (EVENT_EVERY - 1)) === EVENT_EVERY - 1 || j === m - 1) {
            cpu[(start + j) >> BLOCK_SHIFT] = cpuNow() - c0;
            c0 = cpuNow();
            t = now();
          }
        }
        p.update(start + m);
      }
      p.done();
      const size = await r.dbsize();
      if (size !== n) fail("DBSIZE after the SETs", size, n);
      for (const i of spread(n, 200)) {
        const v = await r.get(bigKey(i));
        if (v !== bigValue(i)) fail(`GET ${bigKey(i)}`, v, bigValue(i));
      }
      return [];
    },
    async close() {
      await r.flushall("SYNC");
      r.disconnect();
    },
  };
}

/** The figures of one recording. */
function analyze(
  id: string,
  label: string,
  detail: string,
  lat: Float64Array,
  cpu: Float64Array,
  n: number,
  events: GrowthEvent[],
): GrowthSystem {
  const rec = lat.subarray(0, n);
  const sorted = Float64Array.from(rec).sort();
  let sum = 0;
  let over1ms = 0;
  let over100us = 0;
  for (let i = 0; i < n; i++) {
    const x = rec[i];
    sum += x;
    if (x > 1e6) over1ms++;
    if (x > 1e5) over100us++;
  }
  /* blocks whose main thread ran at least RUNNING_SHARE of their wall time */
  const blocks = (n + (1 << BLOCK_SHIFT) - 1) >> BLOCK_SHIFT;
  const blockWall = new Float64Array(blocks);
  for (let i = 0; i < n; i++) blockWall[i >> BLOCK_SHIFT] += rec[i];
  let maxRunningNs = 0;
  let maxRunningAt = 0;
  let over1msRunning = 0;
  for (let i = 0; i < n; i++) {
    const b = i >> BLOCK_SHIFT;
    if (cpu[b] < RUNNING_SHARE * blockWall[b]) continue;
    const x = rec[i];
    if (x > maxRunningNs) {
      maxRunningNs = x;
      maxRunningAt = i;
    }
    if (x > 1e6) over1msRunning++;
  }
  /* the slowest TOP: everything at or above the TOP-th largest latency */
  const cut = sorted[Math.max(0, n - TOP)];
  const top: SlowSet[] = [];
  for (let i = 0; i < n; i++) if (rec[i] >= cut) top.push({ at: i, ns: rec[i] });
  top.sort((a, b) => b.ns - a.ns || a.at - b.at);
  top.length = Math.min(top.length, TOP);
  for (const t of top) {
    t.blockWallNs = blockWall[t.at >> BLOCK_SHIFT];
    t.blockCpuNs = cpu[t.at >> BLOCK_SHIFT];
  }
  /* percentile curve: x = 1 / (1 - q), four points a decade, then the max */
  const percentiles: [number, number][] = [];
  for (let k = 0;; k++) {
    const x = 10 ** (k / 4);
    if (x > n) break;
    percentiles.push([x, quantile(sorted, 1 - 1 / x)]);
  }
  percentiles.push([n, sorted[n - 1]]);
  const windows: GrowthWindow[] = [];
  for (let s = 0; s < n; s += WINDOW) {
    const w = Float64Array.from(rec.subarray(s, Math.min(n, s + WINDOW))).sort();
    let ws = 0;
    for (const x of w) ws += x;
    windows.push({
      end: s + w.length,
      maxNs: w[w.length - 1],
      p99Ns: quantile(w, 0.99),
      meanNs: ws / w.length,
    });
  }
  const histogram: HistBucket[] = [];
  {
    let b = 0;
    let lo = 10;
    let hi = 10 * 10 ** (1 / HIST_PER_DECADE);
    let c = 0;
    let i = 0;
    while (i < n && sorted[i] < lo) {
      c++;
      i++;
    }
    if (c > 0) histogram.push({ lowNs: 0, highNs: lo, count: c });
    while (i < n) {
      if (!Number.isFinite(hi)) throw new Error(`${id}: a latency is not a finite number`);
      c = 0;
      while (i < n && sorted[i] < hi) {
        c++;
        i++;
      }
      if (c > 0) histogram.push({ lowNs: lo, highNs: hi, count: c });
      b++;
      lo = hi;
      hi = 10 * 10 ** ((b + 1) / HIST_PER_DECADE);
    }
  }
  return {
    id,
    label,
    detail,
    keys: n,
    totalMs: sum / 1e6,
    p50Ns: quantile(sorted, 0.5),
    p90Ns: quantile(sorted, 0.9),
    p99Ns: quantile(sorted, 0.99),
    p999Ns: quantile(sorted, 0.999),
    p9999Ns: quantile(sorted, 0.9999),
    maxNs: sorted[n - 1],
    maxRunningNs,
    maxRunningAt,
    over1msRunning,
    meanNs: sum / n,
    over1ms,
    over100us,
    top,
    percentiles,
    windowKeys: WINDOW,
    windows,
    histogram,
    events,
  };
}

function us(ns: number): string {
  return `${(ns / 1000).toFixed(ns < 10_000 ? 2 : 0)} µs`;
}

async function main(): Promise<number> {
  const started = performance.now();
  const n = Math.floor(envNumber("BENCH_GROWTH_KEYS", 10_000_000));
  if (n > 99_999_999) throw new Error("BENCH_GROWTH_KEYS: at most 99,999,999");
  const redisPort = redisPortSetting();
  const redisKeys = Math.floor(Number(env("BENCH_GROWTH_REDIS_KEYS") ?? "0"));
  const warmupKeys = Math.floor(envNumber("BENCH_GROWTH_WARMUP", WARMUP));
  const pick = selector(["shmdict", "shmdict-bytes", "map", "redis"], []);
  const size = Math.max(4 * 2 ** 30, Math.ceil((n * 400) / 2 ** 30) * 2 ** 30);
  const sizeText = `${size / 2 ** 30}GiB`;
  const name = `bench-growth-${process.pid}`;

  const cal = calibrate(now);
  const perf = calibrate(() => performance.now() * 1e6);
  progress(
    `growth: ${count(n)} inserts; clock ${clock.name}: ${cal.readNs.toFixed(0)} ns a read, ` +
      `steps of ${cal.stepNs.toFixed(0)} ns; performance.now() steps of ${
        perf.stepNs.toFixed(0)
      } ns ` +
      `(${perf.readNs.toFixed(0)} ns a read)`,
  );

  const versions: Record<string, string> = {};
  const systems: GrowthSystem[] = [];
  const lat = new Float64Array(Math.max(n, redisKeys));
  const cpu = new Float64Array((Math.max(n, redisKeys) >> BLOCK_SHIFT) + 1);
  const cleanups: (() => void | Promise<void>)[] = [];
  const onSignal = (): void => {
    drop(name);
    exit(130);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    /* Fill one in-process system, analyze its latencies, report a line. */
    const runInProcess = async (
      id: string,
      label: string,
      how: string,
      f: { fill: Filler; close: () => void },
    ): Promise<void> => {
      cleanups.push(f.close);
      const warm = Math.min(n, warmupKeys);
      if (warm > 0) {
        progress(`  ${label}: warm-up, ${count(warm)} untimed inserts into a throwaway copy`);
        await f.fill(lat, cpu, warm);
        f.close();
      }
      const events = await f.fill(lat, cpu, n);
      f.close();
      const s = analyze(id, label, how, lat, cpu, n, events);
      systems.push(s);
      progress(
        `  ${label}: p50 ${us(s.p50Ns)}, p99.99 ${us(s.p9999Ns)}, max ${us(s.maxNs)} ` +
          `at ${count(s.top[0].at)} keys; ${s.over1ms} inserts over 1 ms`,
      );
    };
    if (pick.system("shmdict")) {
      await runInProcess(
        "shmdict",
        "shmdict",
        `\`open(name, { size: "${sizeText}" })\`, then \`set(key, value)\` per key`,
        shmdictFiller(name, size),
      );
    }
    if (pick.system("shmdict-bytes")) {
      await runInProcess(
        "shmdict-bytes",
        "shmdict (bytes)",
        "the same with a reused `Uint8Array` key and value (no allocation per insert, so no " +
          "garbage collection inside a timed call), each insert timed alone",
        shmdictBytesFiller(name, size),
      );
    }
    if (pick.system("map")) {
      await runInProcess(
        "map",
        "Map",
        "`new Map()`, then `map.set(key, value)` per key",
        mapFiller(),
      );
    }
    if (pick.system("redis") && redisKeys > 0) {
      if (redisPort === null) {
        progress("Redis skipped: BENCH_REDIS_PORT is not set");
      } else {
        const r = await connectRedis(redisPort);
        versions["redis-server"] = await redisVersion(r);
        versions.ioredis = packageVersion("ioredis");
        const f = redisFiller(r);
        cleanups.push(f.close);
        const events = await f.fill(lat, cpu, redisKeys);
        const s = analyze(
          "redis",
          "Redis",
          "ioredis, `await r.set(key, value)` one at a time over loopback",
          lat,
          cpu,
          redisKeys,
          events,
        );
        systems.push(s);
        progress(`  Redis: p50 ${us(s.p50Ns)}, p99.99 ${us(s.p9999Ns)}, max ${us(s.maxNs)}`);
      }
    } else if (pick.system("redis") && redisKeys === 0 && env("BENCH_ONLY") !== undefined) {
      progress("Redis skipped: set BENCH_GROWTH_REDIS_KEYS (e.g. 1000000) to include it");
    }
  } finally {
    for (const c of cleanups.reverse()) await c();
  }

  const result: GrowthResult = {
    ...suiteHead("growth", started),
    versions,
    settings: {
      keys: n,
      keyBytes: BIG_KEY_BYTES,
      valueBytes: BIG_VALUE_BYTES,
      segmentSize: sizeText,
      windowKeys: WINDOW,
      chunk: CHUNK,
      clock: clock.name,
      clockReadNs: cal.readNs,
      clockStepNs: cal.stepNs,
      cpuClock: cpuClock.name,
      performanceNowStepNs: perf.stepNs,
      redisKeys: systems.some((s) => s.id === "redis") ? redisKeys : 0,
      eventEvery: EVENT_EVERY,
      runningShare: RUNNING_SHARE,
      warmupKeys,
    },
    systems,
  };
  writeSuiteResult(result);
  return 0;
}

if (import.meta.main) await runSuite("growth", main);
