/**
 * Writers in real processes: `incr` on one hot key from one process and from
 * two, and whether the final count is exact (no lost update). The reader side
 * of scaling is `readers.bench.ts`; `sections/scaling.ts` reports both.
 *
 * ```sh
 * node_modules/.bin/deno run -A bench/scaling.bench.ts
 * node_modules/.bin/bun bench/scaling.bench.ts
 * ```
 *
 * The parent creates a fresh dictionary and starts two child processes of the
 * same runtime (this file in child mode), pinned with taskset to CPU 0 and
 * CPU 1 when it can. The children stay up; the parent runs short phases
 * (`SCALING_PHASE_MS`, default 400 ms) in which some of them `incr` flat out
 * while the others sleep, cycling through every phase `SCALING_CYCLES` times
 * (default 15), in a different order each cycle:
 *
 * | phase | who increments what (CPU) |
 * | --- | --- |
 * | `hot1@0`, `hot1@1` | one process, the key `hot` (0; 1) |
 * | `hot2` | both processes, the same key `hot` |
 * | `own2` | both processes, each its own key (`own:0`, `own:1`) |
 *
 * A phase starts on a line the parent writes to each working child's stdin
 * (`phase <n> <start ms> <end ms> <mode>`); the child spins until the start,
 * increments in batches of 200 until the end, and answers on stdout with its
 * count, wall and CPU time, and how many replies were not greater than the
 * one before. Ratios are taken within a cycle (its phases are a second or two
 * apart: the two CPUs of a shared virtual machine change speed) and the
 * median over the cycles is reported, with the quartiles.
 *
 * Exactness: before and after every phase the parent reads the counters; the
 * increase must equal the sum of the increments the children report, phase by
 * phase, and at the end `hot` must equal all hot increments together.
 *
 * Writes `bench/results/scaling-<runtime>.json`.
 *
 * @module
 */

import os from "node:os";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { type Dict, drop, open } from "../lib/mod.ts";
import {
  canPin,
  type ChildProcess,
  send,
  startChild,
  stdinLines,
} from "./support/proc-children.ts";
import { shuffled } from "./support/data.ts";
import {
  envNumber,
  exit,
  machineInfo,
  runtime,
  runtimeVersion,
  writeResult,
} from "./support/env.ts";
import { Progress } from "./support/progress.ts";
import { median, quartiles, sum } from "./support/proc-stats.ts";

/** The phases of a cycle. */
export const PHASE_IDS = ["hot1@0", "hot1@1", "hot2", "own2"] as const;
/** A phase id. */
export type PhaseId = (typeof PHASE_IDS)[number];

/** One phase over the cycles. */
export interface ScalingPhase {
  /** The phase. */
  id: PhaseId;
  /** Increments per second, summed over the phase's processes, per cycle. */
  opsPerSec: number[];
  /** Least CPU share (CPU time ÷ wall time) of a working child, per cycle. */
  share: number[];
}

/** What `bench/results/scaling-<runtime>.json` holds. */
export interface ScalingResult {
  /** The suite. */
  suite: "scaling";
  /** The runtime it ran under. */
  runtime: string;
  /** Its version. */
  runtimeVersion: string;
  /** When it ran (ISO 8601). */
  date: string;
  /** The machine, and its load average at the end. */
  machine: { cpus: number; cpuModel: string; kernel: string; loadavg: number[] };
  /** Phase length (ms), cycles, whether children were pinned, increments between clock reads. */
  settings: { phaseMs: number; cycles: number; pinned: boolean; batch: number };
  /** Every phase over the cycles. */
  phases: ScalingPhase[];
  /** hot2 ÷ mean(hot1@0, hot1@1), per cycle. */
  hotScalingCycles: number[];
  /** own2 ÷ mean(hot1@0, hot1@1), per cycle. */
  ownScalingCycles: number[];
  /** Medians of the above. */
  hotScaling: number;
  /** Median of `ownScalingCycles`. */
  ownScaling: number;
  /** Median over the cycles of each phase's ops/s. */
  medians: Record<PhaseId, number>;
  /** Every phase's counter increase equalled the increments reported, and so did the total. */
  exact: boolean;
  /** Increments of `hot` over the whole run, and what the key held at the end. */
  hotTotal: number;
  /** What `hot` held at the end. */
  hotFinal: number;
  /** Phases whose count was wrong (`<phase>: counter +X, increments Y`). */
  mismatches: string[];
  /** Replies not greater than the one before, in any child (must be 0). */
  badReplies: number;
}

const SELF = fileURLToPath(import.meta.url);
const BATCH = 200;

interface Phase {
  /** The phase. */
  id: PhaseId;
  who: number[];
  mode: "hot" | "own";
}
const PHASES: Phase[] = [
  { id: "hot1@0", who: [0], mode: "hot" },
  { id: "hot1@1", who: [1], mode: "hot" },
  { id: "hot2", who: [0, 1], mode: "hot" },
  { id: "own2", who: [0, 1], mode: "own" },
];

interface Report {
  phase: number;
  ops: number;
  ms: number;
  cpuMs: number;
  bad: number;
}

/* ---------------------------------------------------------------------------- */
/* the children                                                                   */

async function child(id: string, name: string): Promise<void> {
  const db: Dict = open(name, { create: false });
  send("ready");
  for await (const line of stdinLines()) {
    const [cmd, ph, st, en, mode] = line.split(" ");
    if (cmd !== "phase") continue;
    const key = mode === "hot" ? "hot" : `own:${id}`;
    const start = Number(st), end = Number(en);
    while (Date.now() < start) { /* every child starts at once */ }
    const c0 = process.cpuUsage();
    const t0 = Date.now();
    let now = t0, ops = 0, bad = 0, prev = 0;
    while (now < end) {
      for (let k = 0; k < BATCH; k++) {
        const r = db.incr(key);
        if (r <= prev) bad++;
        prev = r;
      }
      ops += BATCH;
      now = Date.now();
    }
    const c = process.cpuUsage(c0);
    const rep: Report = {
      phase: Number(ph),
      ops,
      ms: now - t0,
      cpuMs: (c.user + c.system) / 1000,
      bad,
    };
    send("res", rep);
  }
  db.close();
}

/* ---------------------------------------------------------------------------- */
/* the parent                                                                     */

async function parent(): Promise<number> {
  const phaseMs = envNumber("SCALING_PHASE_MS", 400);
  const cycles = Math.floor(envNumber("SCALING_CYCLES", 15));
  const name = `bench-scaling-${process.pid}`;
  const children: ChildProcess[] = [];
  const cleanup = (): void => {
    for (const ch of children) ch.kill();
    drop(name);
  };
  const onSignal = (): void => {
    cleanup();
    exit(130);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  console.log(
    `==> ${runtime} ${runtimeVersion}: incr on one hot key from 1 and 2 processes; ` +
      `${cycles} cycles of ${PHASES.length} phases × ${phaseMs} ms; ${os.cpus().length} CPUs` +
      `${canPin ? ", children pinned" : ""}; load ${
        os.loadavg().map((x) => x.toFixed(1)).join(" ")
      }`,
  );
  drop(name);
  const db: Dict = open(name, { size: "16MiB" });
  try {
    db.set("hot", "0");
    db.set("own:0", "0");
    db.set("own:1", "0");
    for (const cpu of [0, 1]) children.push(startChild(SELF, [String(cpu), name], { cpu }));
    await Promise.all(children.map((ch) => ch.next("ready", 60_000)));

    const perPhase = new Map<PhaseId, { ops: number[]; share: number[] }>();
    for (const p of PHASES) perPhase.set(p.id, { ops: [], share: [] });
    const mismatches: string[] = [];
    let badReplies = 0;
    let hotTotal = 0;
    let phaseNo = 0;
    const counter = (k: string): number => Number(db.get(k));
    const prog = new Progress(`${cycles} cycles`, cycles);
    for (let cycle = 0; cycle < cycles; cycle++) {
      for (const i of shuffled(PHASES.length, 1 + cycle * 977)) {
        const p = PHASES[i];
        phaseNo++;
        const keys = p.mode === "hot" ? ["hot"] : p.who.map((w) => `own:${w}`);
        const before = keys.map(counter);
        const start = Date.now() + 50;
        for (const w of p.who) {
          children[w].tell(`phase ${phaseNo} ${start} ${start + phaseMs} ${p.mode}`);
        }
        const reps = await Promise.all(
          p.who.map(async (w) =>
            JSON.parse(await children[w].next("res", phaseMs + 30_000)) as Report
          ),
        );
        if (reps.some((r) => r.phase !== phaseNo)) {
          throw new Error(`phase ${p.id}: answers out of step`);
        }
        badReplies += sum(reps.map((r) => r.bad));
        const after = keys.map(counter);
        /* hot: one counter for all; own: one counter per child, in `who` order */
        const want = p.mode === "hot" ? [sum(reps.map((r) => r.ops))] : reps.map((r) => r.ops);
        keys.forEach((k, j) => {
          if (after[j] - before[j] !== want[j]) {
            mismatches.push(
              `${p.id} (cycle ${cycle + 1}) ${k}: counter +${after[j] - before[j]}, increments ${
                want[j]
              }`,
            );
          }
        });
        if (p.mode === "hot") hotTotal += want[0];
        const s = perPhase.get(p.id)!;
        s.ops.push(sum(reps.map((r) => (r.ops * 1000) / r.ms)));
        s.share.push(Math.min(...reps.map((r) => r.cpuMs / r.ms)));
      }
      const m = (id: PhaseId): string => (perPhase.get(id)!.ops.at(-1)! / 1e6).toFixed(2);
      if (cycle + 1 < cycles) {
        prog.update(cycle + 1, `hot1@0 ${m("hot1@0")}, hot2 ${m("hot2")} M/s`);
      }
    }
    prog.done();
    for (const ch of children) ch.end();
    const codes = await Promise.all(children.map((ch) => ch.exited));
    children.length = 0;
    if (codes.some((c) => c !== 0)) {
      throw new Error(`a child failed: exit codes ${codes.join(" ")}`);
    }
    const hotFinal = counter("hot");
    if (hotFinal !== hotTotal) {
      mismatches.push(`hot at the end: ${hotFinal}, increments ${hotTotal}`);
    }
    const check = db.check();
    if (check.length > 0) throw new Error(`check after the benchmark: ${check.join("; ")}`);

    const phases: ScalingPhase[] = PHASES.map((p) => ({
      id: p.id,
      opsPerSec: perPhase.get(p.id)!.ops,
      share: perPhase.get(p.id)!.share,
    }));
    const P = (id: PhaseId): number[] => perPhase.get(id)!.ops;
    const idx = Array.from({ length: cycles }, (_, i) => i);
    const one = (i: number): number => (P("hot1@0")[i] + P("hot1@1")[i]) / 2;
    const hotScalingCycles = idx.map((i) => P("hot2")[i] / one(i));
    const ownScalingCycles = idx.map((i) => P("own2")[i] / one(i));
    const medians = Object.fromEntries(PHASE_IDS.map((id) => [id, median(P(id))])) as Record<
      PhaseId,
      number
    >;
    const result: ScalingResult = {
      suite: "scaling",
      runtime,
      runtimeVersion,
      date: new Date().toISOString(),
      machine: machineInfo(),
      settings: { phaseMs, cycles, pinned: canPin, batch: BATCH },
      phases,
      hotScalingCycles,
      ownScalingCycles,
      hotScaling: median(hotScalingCycles),
      ownScaling: median(ownScalingCycles),
      medians,
      exact: mismatches.length === 0 && badReplies === 0,
      hotTotal,
      hotFinal,
      mismatches,
      badReplies,
    };
    const q = (a: number[]): string => quartiles(a).map((x) => x.toFixed(2)).join("–");
    const M = (x: number): string => (x / 1e6).toFixed(2);
    console.log(
      `\n${runtime} ${runtimeVersion}: incr, M ops/s (median of ${cycles} cycles)\n` +
        PHASES.map((p) => `  ${p.id.padEnd(7)} ${M(medians[p.id]).padStart(6)}`).join("\n") +
        `\n${runtime}: 2 processes on one hot key = ${result.hotScaling.toFixed(2)} × one ` +
        `(quartiles ${q(hotScalingCycles)}); on their own keys ${result.ownScaling.toFixed(2)} × ` +
        `(${q(ownScalingCycles)}); hot = ${hotFinal.toLocaleString("en")} after ` +
        `${hotTotal.toLocaleString("en")} increments: ${result.exact ? "exact" : "NOT EXACT"}`,
    );
    for (const m of mismatches) console.log(`  MISMATCH ${m}`);
    console.log(`wrote ${writeResult(`scaling-${runtime}.json`, result)}`);
    return result.exact ? 0 : 1;
  } catch (err) {
    console.log(`==> ${runtime}: FAILED: ${(err as Error).message}`);
    return 1;
  } finally {
    db.close();
    cleanup();
  }
}

const argv = process.argv.slice(2);
if (argv[0] === "child") {
  try {
    await child(argv[1], argv[2]);
    exit(0);
  } catch (err) {
    console.error(`scaling.bench.ts child: ${(err as Error).message}`);
    exit(1);
  }
} else {
  exit(await parent());
}
