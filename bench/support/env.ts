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
