/**
 * Timing batched tasks with tinybench and turning the call times into
 * per-operation figures.
 *
 * Each task call performs a whole batch of operations (usually 1,000):
 * tinybench's per-call overhead (tens of nanoseconds plus a timer read)
 * would otherwise be counted in every operation.
 *
 * A task is measured in several rounds (a {@link Sampler} collects them):
 * the benchmarks sweep every task once per round, so that a burst of load
 * from a neighbour on this shared machine hits one round of every system
 * rather than all rounds of one system. The figures come from the call times
 * of all rounds pooled: `opsPerSec = batch / median call time`, the 25th and
 * 75th percentiles as the spread, the relative margin of error of the mean
 * (95%), and each round's median to show drift.
 *
 * @module
 */

import process from "node:process";
import { Bench } from "tinybench";

/**
 * Which clock times a call:
 * - `"cpu"`: the process's CPU time (user + system, all threads, from
 *   `process.cpuUsage()`): excludes the time the OS gives other processes,
 *   which on this shared 2-core machine otherwise stalls a call for 4–8 ms
 *   (a scheduler slice) every few milliseconds, and includes work the
 *   runtime's helper threads do for the call (concurrent GC, JIT);
 * - `"wall"`: elapsed time (`performance.now()`), for work that waits on
 *   another process (Redis).
 */
export type Clock = "cpu" | "wall";

/** The process's CPU time in ms (microsecond resolution). */
export function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** A batch of operations: one tinybench task call. */
export type BatchFn = () => void | Promise<void>;

/** How long to measure one round of a task. */
export interface MeasureOptions {
  /** Operations performed by one call of the task. */
  batch: number;
  /** True when the task returns a promise. */
  async: boolean;
  /** Time budget, ms. */
  time: number;
  /** Warmup budget, ms. */
  warmupTime: number;
  /** Minimum number of calls (default 16). */
  iterations?: number;
  /** The clock (default `"wall"`). */
  clock?: Clock;
}

/** Per-operation figures of one task. */
export interface Stats {
  /** Median throughput: operations per second at the median call. */
  opsPerSec: number;
  /** Median time per operation, ns. */
  nsPerOp: number;
  /** Throughput at the 75th-percentile (slower) call. */
  opsPerSecP75: number;
  /** Throughput at the 25th-percentile (faster) call. */
  opsPerSecP25: number;
  /** Mean throughput (batch / mean call time). */
  opsPerSecMean: number;
  /** Relative margin of error of the mean call time (95%), percent. */
  rme: number;
  /** Number of timed calls, all rounds. */
  samples: number;
  /** Operations per call. */
  batch: number;
  /** Each round's median throughput, in round order. */
  rounds: number[];
}

/** Linear-interpolated quantile of ascending `sorted`. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Runs `fn` under tinybench once (warmup, then timed calls).
 * @returns the call times, ms, ascending
 * @throws whatever `fn` throws (the task is run with `throws: true`)
 */
export async function measureRound(
  name: string,
  fn: BatchFn,
  opts: MeasureOptions,
): Promise<number[]> {
  const cpu = opts.clock === "cpu";
  const bench = new Bench({
    time: opts.time,
    warmupTime: opts.warmupTime,
    iterations: opts.iterations ?? 16,
    warmupIterations: 4,
    retainSamples: true,
    throws: true,
    /* The CPU clock costs ~1–2 µs a read: tinybench calibrates and subtracts it. */
    ...(cpu ? { now: cpuNow, subtractTimerOverhead: true } : {}),
  });
  bench.add(name, fn, { async: opts.async });
  await bench.run();
  const result = bench.tasks[0].result;
  if (result.state !== "completed") {
    const why = result.state === "errored" ? `: ${result.error.message}` : "";
    throw new Error(`task ${name} did not complete (${result.state})${why}`);
  }
  const lat = result.latency;
  return lat.samples ? [...lat.samples].sort((a, b) => a - b) : [lat.p50];
}

/** Figures from call times (ms) of `batch` operations each. */
export function summarize(callsMs: readonly number[], batch: number, rounds: number[]): Stats {
  const sorted = [...callsMs].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((s, x) => s + x, 0) / n;
  const sd = n > 1 ? Math.sqrt(sorted.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : 0;
  const perSec = (ms: number): number => (batch * 1000) / ms;
  const p50 = quantile(sorted, 0.5);
  return {
    opsPerSec: perSec(p50),
    nsPerOp: (p50 * 1e6) / batch,
    opsPerSecP75: perSec(quantile(sorted, 0.75)),
    opsPerSecP25: perSec(quantile(sorted, 0.25)),
    opsPerSecMean: perSec(mean),
    rme: n > 1 ? (100 * 1.96 * sd) / Math.sqrt(n) / mean : 0,
    samples: n,
    batch,
    rounds,
  };
}

/** Collects the rounds of one task. */
export class Sampler {
  readonly #batch: number;
  readonly #calls: number[] = [];
  readonly #rounds: number[] = [];

  /** @param batch operations per call */
  constructor(batch: number) {
    this.#batch = batch;
  }

  /** Adds one round's call times (ms); returns that round's figures. */
  add(callsMs: readonly number[]): Stats {
    const round = summarize(callsMs, this.#batch, []);
    this.#calls.push(...callsMs);
    this.#rounds.push(round.opsPerSec);
    return round;
  }

  /** Figures of all rounds so far. */
  stats(): Stats {
    return summarize(this.#calls, this.#batch, [...this.#rounds]);
  }
}

/** `12.3456e6` → `"12.35"` (millions, two decimals; three below 1). */
export function mops(opsPerSec: number): string {
  const m = opsPerSec / 1e6;
  return m >= 1 ? m.toFixed(2) : m >= 0.01 ? m.toFixed(3) : m.toFixed(4);
}

/**
 * Adds one round's call times to the task's sampler in `samplers` (made on
 * first use, with `batch` operations per call); returns that round's figures.
 */
export function addRound(
  samplers: Map<string, Sampler>,
  key: string,
  batch: number,
  callsMs: readonly number[],
): Stats {
  let sampler = samplers.get(key);
  if (sampler === undefined) samplers.set(key, sampler = new Sampler(batch));
  return sampler.add(callsMs);
}

/**
 * One round's figures as printed after a task: M ops/s, ns/op, the
 * p25–p75 range, then `±<rme>%` when `rme` is true, and the samples.
 */
export function roundLine(st: Stats, batch: number, rme = true): string {
  return `${mops(st.opsPerSec).padStart(8)} M ops/s  ${st.nsPerOp.toFixed(0).padStart(6)} ns/op  ` +
    `p25–p75 ${mops(st.opsPerSecP75)}–${mops(st.opsPerSecP25)}  ` +
    (rme ? `±${st.rme.toFixed(1)}%  ` : "") + `(${st.samples} × ${batch})`;
}
