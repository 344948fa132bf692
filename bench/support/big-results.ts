/**
 * The shapes of the JSON files the large suites write to `bench/results/`
 * (`restart-<runtime>.json`, `growth-<runtime>.json`,
 * `memory-<runtime>.json`), shared by the suites that write them and the
 * sections (`bench/sections/`) that read them. Times are in milliseconds
 * unless a name says otherwise; all raw figures, no formatting.
 *
 * @module
 */

import { readFileSync } from "node:fs";

/** What every result file starts with. */
export interface ResultHead {
  suite: string;
  runtime: string;
  runtimeVersion: string;
  /** ISO date of the run. */
  date: string;
  /** Wall time of the whole suite, seconds. */
  wallSeconds: number;
  /** Versions of the other systems (`lmdb`, `sqlite`, `redis-server`, …). */
  versions: Record<string, string>;
}

/* ---- restart ----------------------------------------------------------------------------- */

/** Median, minimum and maximum of a few runs. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** One child process's figures (see `bench/support/big-restart-child.ts`). */
export interface RestartRun {
  /** Spawn to exit, as the parent saw it (includes the runtime's start-up). */
  wallMs: number;
  loadMs: number;
  /** Open / attach alone (null for the rebuilds). */
  openMs: number | null;
  firstReadMs: number;
  allDataMs: number;
  getsMs: number;
  rssBytes: number;
}

/** One system at one size. */
export interface RestartSystem {
  id: string;
  label: string;
  /** How the child got its data back. */
  detail: string;
  /** True when the child rebuilds a `Map` (all data loaded before the first read). */
  rebuild: boolean;
  runs: RestartRun[];
  wallMs: Spread;
  loadMs: Spread;
  openMs: Spread | null;
  firstReadMs: Spread;
  allDataMs: Spread;
  getsMs: Spread;
  rssBytes: Spread;
}

/** How one store was filled. */
export interface RestartPopulate {
  id: string;
  /** Time spent in this store's writes (generation of the data excluded). */
  ms: number;
  /** Bytes the store takes (memory for shmdict, disk for the files). */
  bytes: number;
  /** What `bytes` counts. */
  bytesNote: string;
}

/** One data-set size. */
export interface RestartSize {
  n: number;
  /** Index of the key each child reads first. */
  probe: number;
  populate: RestartPopulate[];
  /** Time to generate the keys and values (shared by all stores). */
  generateMs: number;
  /** `noop` first (the process start cost), then the systems. */
  systems: RestartSystem[];
}

/** `bench/results/restart-<runtime>.json`. */
export interface RestartResult extends ResultHead {
  suite: "restart";
  settings: {
    sizes: number[];
    runs: number;
    /** Runs of the rebuilding systems at sizes of at least `bigSize`. */
    rebuildRunsBig: number;
    bigSize: number;
    keyBytes: number;
    valueBytes: number;
    childGets: number;
    jsonFormat: string;
    dir: string;
    warmup: string;
  };
  sizes: RestartSize[];
}

/* ---- growth ------------------------------------------------------------------------------ */

/** A histogram bucket: latencies in `[lowNs, highNs)`. */
export interface HistBucket {
  lowNs: number;
  highNs: number;
  count: number;
}

/** One slow insert. */
export interface SlowSet {
  /** Keys in the store before this insert (its 0-based index). */
  at: number;
  ns: number;
  /** Sum of the latencies of its block of 1,024 inserts (aligned), ns. */
  blockWallNs?: number;
  /**
   * The main thread's CPU time over that block, ns (the clock is named in
   * the settings). Much less than `blockWallNs`: the thread was not running
   * for most of the stall (descheduled by the OS on a busy machine, or
   * waiting).
   */
  blockCpuNs?: number;
}

/** Figures of one window of consecutive inserts. */
export interface GrowthWindow {
  /** Keys in the store at the window's end. */
  end: number;
  maxNs: number;
  p99Ns: number;
  meanNs: number;
}

/** A change of the store's shape seen between inserts (shmdict only). */
export interface GrowthEvent {
  /** Keys in the store when the change was seen. */
  at: number;
  buckets: number;
  rehashing: boolean;
  committedBytes: number;
}

/** One system's insert latencies. */
export interface GrowthSystem {
  id: string;
  label: string;
  detail: string;
  keys: number;
  /** Sum of all insert latencies, ms. */
  totalMs: number;
  p50Ns: number;
  p90Ns: number;
  p99Ns: number;
  p999Ns: number;
  p9999Ns: number;
  maxNs: number;
  /**
   * The slowest insert in a block whose main thread was running (CPU time at
   * least `settings.runningShare` of the block's wall time), and where.
   */
  maxRunningNs: number;
  maxRunningAt: number;
  /** Inserts over 1 ms in such blocks. */
  over1msRunning: number;
  meanNs: number;
  over1ms: number;
  over100us: number;
  /** The slowest inserts, slowest first. */
  top: SlowSet[];
  /** [x = 1 / (1 − q), latency ns] for quantiles q up to 1 − 1/keys. */
  percentiles: [number, number][];
  windowKeys: number;
  windows: GrowthWindow[];
  histogram: HistBucket[];
  /** shmdict only: when the index table and the committed memory changed. */
  events: GrowthEvent[];
}

/** `bench/results/growth-<runtime>.json`. */
export interface GrowthResult extends ResultHead {
  suite: "growth";
  settings: {
    keys: number;
    keyBytes: number;
    valueBytes: number;
    segmentSize: string;
    windowKeys: number;
    chunk: number;
    clock: string;
    /** Median cost of one clock read, ns (included once in every latency). */
    clockReadNs: number;
    /** Smallest non-zero difference between two clock reads seen, ns. */
    clockStepNs: number;
    /** The CPU-time clock read around every block of inserts. */
    cpuClock: string;
    /** What `performance.now()` resolves here, ns (smallest step seen). */
    performanceNowStepNs: number;
    redisKeys: number;
    eventEvery: number;
    /** CPU share of a block's wall time from which its thread counts as running. */
    runningShare: number;
    /** Untimed inserts into a throwaway copy before each timed run (absent: none). */
    warmupKeys?: number;
  };
  systems: GrowthSystem[];
}

/* ---- memory ------------------------------------------------------------------------------ */

/** One data set in one system. */
export interface MemoryCell {
  system: string;
  /** Bytes before loading, after loading (the measured counter). */
  before: number;
  after: number;
  bytesPerElement: number;
  /** Other counters' differences, for the record. */
  extra: Record<string, number>;
  /** Encoding Redis reported for a sample key (`OBJECT ENCODING`). */
  encoding?: string;
}

/** One data set. */
export interface MemoryDataset {
  id: string;
  label: string;
  /** Its shape in words. */
  shape: string;
  elements: number;
  /** Payload bytes per element (key/field/member and value as stored). */
  payloadBytes: number;
  cells: MemoryCell[];
}

/** `bench/results/memory-<runtime>.json`. */
export interface MemoryResult extends ResultHead {
  suite: "memory";
  settings: {
    elements: number;
    redisPort: number | null;
    shmdictCounter: string;
    redisCounter: string;
  };
  datasets: MemoryDataset[];
}

/* ---- reading ----------------------------------------------------------------------------- */

/** The runtimes, in report order. */
export const RUNTIMES = ["deno", "bun"] as const;

/**
 * Reads `<dir><suite>-<runtime>.json` for each runtime that has one.
 * @returns the parsed files that exist and belong to `suite`
 */
export function readResults<T extends ResultHead>(dir: string, suite: string): T[] {
  const out: T[] = [];
  for (const rt of RUNTIMES) {
    let text: string;
    try {
      text = readFileSync(`${dir}${suite}-${rt}.json`, "utf8");
    } catch {
      continue; /* this runtime did not run the suite */
    }
    const r = JSON.parse(text) as T;
    if (r.suite === suite) out.push(r);
  }
  return out;
}

/** `0.0123` ms → `"12.3 µs"`, `1234` → `"1.23 s"`: 3 significant digits, a fitting unit. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return "n/a";
  /* pick the unit after rounding, so that 999.96 ms reads "1.00 s", not "1.00e+3 ms" */
  const r = Number(ms.toPrecision(3));
  if (r >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  if (r >= 1) return `${ms.toPrecision(3)} ms`;
  if (r >= 0.001) return `${(ms * 1000).toPrecision(3)} µs`;
  return `${(ms * 1e6).toPrecision(3)} ns`;
}

/** Nanoseconds, formatted as {@link fmtMs} does. */
export function fmtNs(ns: number): string {
  return fmtMs(ns / 1e6);
}

/** `1536` → `"1.5 KiB"`, binary units, 3 significant digits. */
export function fmtBytes(b: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let u = 0;
  let x = b;
  while (Math.abs(x) >= 1024 && u < units.length - 1) {
    x /= 1024;
    u++;
  }
  return u === 0 ? `${x} B` : `${x.toPrecision(3)} ${units[u]}`;
}
