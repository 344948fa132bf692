/**
 * Helpers for the report sections in `bench/sections/`: reading a suite's
 * result files for both runtimes, and formatting figures.
 *
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
import type { Runtime } from "./env.ts";

/** The runtimes, in the order the sections show them. */
export const RUNTIMES: readonly Runtime[] = ["deno", "bun"];

/** One runtime's result file, parsed. */
export interface Loaded<T> {
  /** The runtime. */
  runtime: Runtime;
  /** Its result file. */
  result: T;
}

/** Reads `<dir><prefix>-<runtime>.json` for each runtime that has one. */
export function loadResults<T>(dir: string, prefix: string): Loaded<T>[] {
  const out: Loaded<T>[] = [];
  for (const runtime of RUNTIMES) {
    const file = `${dir}${prefix}-${runtime}.json`;
    if (!existsSync(file)) continue;
    out.push({ runtime, result: JSON.parse(readFileSync(file, "utf8")) as T });
  }
  return out;
}

/** Operations per second → millions, two decimals (three below 1). */
export function M(opsPerSec: number): string {
  const m = opsPerSec / 1e6;
  return m >= 1 ? m.toFixed(2) : m.toFixed(3);
}

/** A fraction → `"12.3%"`. */
export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** `PASS` or `FAIL`. */
export function passFail(ok: boolean): string {
  return ok ? "PASS" : "FAIL";
}

/** A Markdown table from a header row and body rows. */
export function table(head: string[], rows: string[][]): string[] {
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
}
