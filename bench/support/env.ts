/**
 * What every benchmark needs to know about where it runs: the runtime, its
 * version, settings from the environment, where to write results, and how to
 * print progress. Written once for Deno and Bun (only `node:` modules).
 *
 * Settings (environment variables, all optional):
 *
 * | variable | meaning | default |
 * | --- | --- | --- |
 * | `BENCH_TIME` | time budget per task and round, ms | `300` |
 * | `BENCH_WARMUP` | warmup budget per task and round, ms | `100` |
 * | `BENCH_ROUNDS` | rounds: sweeps over every task, pooled | `3` |
 * | `BENCH_CLOCK` | `cpu` (process CPU time) or `wall`; Redis is always `wall` | `cpu` |
 * | `BENCH_ONLY` | comma-separated system ids and/or operations to run | all |
 * | `BENCH_REDIS_PORT` | port of a Redis on 127.0.0.1 that may be written to | Redis skipped |
 * | `BENCH_DIR` | directory for the lmdb-js and SQLite files | the OS temp dir |
 *
 * @module
 */

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** The JavaScript runtimes the benchmarks run under. */
export type Runtime = "deno" | "bun";

/** The running runtime. */
export const runtime: Runtime = "Bun" in globalThis ? "bun" : "deno";

/** The running runtime's version, e.g. `2.9.6`. */
export const runtimeVersion: string =
  (process.versions as Record<string, string | undefined>)[runtime] ?? "unknown";

/** An environment variable, or `undefined` when unset or empty. */
export function env(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v === "" ? undefined : v;
}

/** A positive number from the environment, or `fallback`. */
export function envNumber(name: string, fallback: number): number {
  const v = env(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`${name} must be a positive number, not ${JSON.stringify(v)}`);
  }
  return n;
}

/**
 * `BENCH_ONLY` as a predicate: true for every name when unset, otherwise for
 * the names it lists. A system or an operation is run when it is selected
 * (a list naming only systems runs all their operations, and vice versa).
 */
export function selector(systems: readonly string[], ops: readonly string[]): {
  system(id: string): boolean;
  op(name: string): boolean;
} {
  const only = env("BENCH_ONLY")?.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (only === undefined || only.length === 0) return { system: () => true, op: () => true };
  for (const name of only) {
    if (!systems.includes(name) && !ops.includes(name)) {
      throw new Error(
        `BENCH_ONLY: unknown name ${JSON.stringify(name)} ` +
          `(systems: ${systems.join(", ")}; operations: ${ops.join(", ")})`,
      );
    }
  }
  const someSystem = only.some((s) => systems.includes(s));
  const someOp = only.some((s) => ops.includes(s));
  return {
    system: (id) => !someSystem || only.includes(id),
    op: (name) => !someOp || only.includes(name),
  };
}

/** Prints a progress line, `==> <runtime>: <text>`. */
export function progress(text: string): void {
  console.log(`==> ${runtime}: ${text}`);
}

/** Writes part of a line (no newline) to stdout. */
export function write(text: string): void {
  process.stdout.write(text);
}

/** The absolute path of `bench/results/<file>`, creating the directory. */
export function resultPath(file: string): string {
  const dir = fileURLToPath(new URL("../results/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  return dir + file;
}

/** Writes `data` as JSON to `bench/results/<file>`; returns the path. */
export function writeResult(file: string, data: unknown): string {
  const path = resultPath(file);
  writeFileSync(path, JSON.stringify(data, null, 2) + "\n");
  return path;
}

/** `process.exit`, for scripts that must not wait for open handles. */
export function exit(code: number): never {
  process.exit(code);
}

/** The version in `node_modules/<name>/package.json`. */
export function packageVersion(name: string): string {
  const url = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
  const pkg = JSON.parse(readFileSync(fileURLToPath(url), "utf8")) as { version?: string };
  return pkg.version ?? "unknown";
}

/** The timing settings of the throughput suites (core, mixed, containers). */
export interface TimingSettings {
  /** `BENCH_TIME`: time budget per task and round, ms. */
  readonly timeMs: number;
  /** `BENCH_WARMUP`: warmup budget per task and round, ms. */
  readonly warmupMs: number;
  /** `BENCH_ROUNDS`, as given (a suite may round it down). */
  readonly rounds: number;
  /** `BENCH_CLOCK`: the clock of the in-process systems. */
  readonly clock: "cpu" | "wall";
}

/**
 * `BENCH_TIME`, `BENCH_WARMUP`, `BENCH_ROUNDS` and `BENCH_CLOCK`, with their
 * defaults. @throws {Error} when `BENCH_CLOCK` is neither `cpu` nor `wall`.
 */
export function timingSettings(): TimingSettings {
  const timeMs = envNumber("BENCH_TIME", 300);
  const warmupMs = envNumber("BENCH_WARMUP", 100);
  const rounds = envNumber("BENCH_ROUNDS", 3);
  const clock = env("BENCH_CLOCK") ?? "cpu";
  if (clock !== "cpu" && clock !== "wall") {
    throw new Error(`BENCH_CLOCK must be cpu or wall, not ${JSON.stringify(clock)}`);
  }
  return { timeMs, warmupMs, rounds, clock };
}

/** `BENCH_REDIS_PORT`, or null when unset (the suite then skips Redis). */
export function redisPortSetting(): number | null {
  return env("BENCH_REDIS_PORT") === undefined ? null : envNumber("BENCH_REDIS_PORT", 0);
}

/**
 * Runs a suite's `main` as the entry point and exits with the code it
 * returns; when it throws, prints `==> <runtime>: <name> benchmark FAILED:`
 * with the stack and exits with 1. `cleanup`, when given, runs before the
 * exit and on SIGINT / SIGTERM (which exit with 130).
 */
export async function runSuite(
  name: string,
  main: () => Promise<number>,
  cleanup?: () => void,
): Promise<never> {
  if (cleanup !== undefined) {
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      process.on(sig, () => {
        cleanup();
        exit(130);
      });
    }
  }
  let code = 1;
  try {
    code = await main();
  } catch (err) {
    console.error(`==> ${runtime}: ${name} benchmark FAILED: ${(err as Error).stack ?? err}`);
    code = 1;
  } finally {
    cleanup?.();
  }
  exit(code);
}

/** The machine a multi-process suite ran on, as its result records it. */
export interface MachineInfo {
  /** Logical CPUs. */
  cpus: number;
  /** The first CPU's model name. */
  cpuModel: string;
  /** Physical memory, bytes (only when asked for). */
  memBytes?: number;
  /** `<os type> <release>`. */
  kernel: string;
  /** The 1, 5 and 15 minute load averages at the time of the call. */
  loadavg: number[];
}

/** The machine now: CPUs, CPU model, physical memory, kernel, load. */
export function machineInfo(withMemory: true): MachineInfo & { memBytes: number };
/** The machine now: CPUs, CPU model, kernel, load. */
export function machineInfo(withMemory?: false): MachineInfo;
/** The machine now: CPUs, CPU model, kernel, load (and memory when `withMemory`). */
export function machineInfo(withMemory = false): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    ...(withMemory ? { memBytes: os.totalmem() } : {}),
    kernel: `${os.type()} ${os.release()}`,
    loadavg: os.loadavg(),
  };
}

/** The fields a large suite's result starts with (see `big-results.ts`'s `ResultHead`). */
export interface SuiteHead<S extends string> {
  suite: S;
  runtime: Runtime;
  runtimeVersion: string;
  /** ISO date, now. */
  date: string;
  /** Seconds since `started`. */
  wallSeconds: number;
}

/**
 * The head of a large suite's result (suite, runtime, its version, the date,
 * the wall time since `started`, a `performance.now()` reading), in the
 * order the result files list them.
 */
export function suiteHead<S extends string>(suite: S, started: number): SuiteHead<S> {
  return {
    suite,
    runtime,
    runtimeVersion,
    date: new Date().toISOString(),
    wallSeconds: (performance.now() - started) / 1000,
  };
}

/**
 * Writes a large suite's result to `bench/results/<suite>-<runtime>.json` and
 * prints the path and the wall time. @returns the path written
 */
export function writeSuiteResult(result: { suite: string; wallSeconds: number }): string {
  const path = writeResult(`${result.suite}-${runtime}.json`, result);
  progress(`wrote ${path} (${result.wallSeconds.toFixed(0)} s)`);
  return path;
}
