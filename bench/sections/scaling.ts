/**
 * The report section on scaling across processes: readers from one and two
 * processes and with a writer running flat out (`bench/readers.bench.ts`,
 * `readers-<runtime>.json`), and `incr` on one hot key from one and two
 * processes (`bench/scaling.bench.ts`, `scaling-<runtime>.json`).
 *
 * @module
 */

import type { Report as ReadersReport } from "../readers.bench.ts";
import type { PhaseId, ScalingResult } from "../scaling.bench.ts";
import type { BarChart, Section, SectionFn, Target } from "../support/section.ts";
import { type Loaded, loadResults, M, pct, table } from "../support/section-util.ts";
import { median, quartiles } from "../support/proc-stats.ts";

/** The contents of `readers-<runtime>.json`. */
type ReadersResult = ReadersReport;

const SCALING_TARGET = 1.8;
const WRITER_COST_TARGET = 0.2;

/** `a–b` of the quartiles of `xs`, formatted by `f`. */
function iqr(xs: number[], f: (x: number) => string): string {
  const [lo, hi] = quartiles(xs);
  return `${f(lo)}–${f(hi)}`;
}

/** Per cycle: the mean of two phases' reader rates. */
function pairMean(r: ReadersResult, a: string, b: string): number[] {
  const pa = r.phases.find((p) => p.id === a)?.readers ?? [];
  const pb = r.phases.find((p) => p.id === b)?.readers ?? [];
  return pa.map((x, i) => (x + (pb[i] ?? x)) / 2);
}

/** What both parts' results have: the runtime version. */
type Run = Loaded<{ runtimeVersion: string }>;
/** A table or chart row: [table label, chart label, per-cycle rates]. */
type RateRow<R> = [string, string, (r: R) => number[]];

/** The table of per-cycle rates: the median over the cycles (quartiles), a column per run. */
function rateTable<R extends { runtimeVersion: string }>(
  head: string[],
  rows: RateRow<R>[],
  runs: Loaded<R>[],
): string[] {
  return table(
    head,
    rows.map(([label, , f]) => [
      label,
      ...runs.map(({ result: r }) => `${M(median(f(r)))} (${iqr(f(r), M)})`),
    ]),
  );
}

/** The bar chart of the same rows: the median over the cycles, M ops/s, a bar per run. */
function rateChart<R extends { runtimeVersion: string }>(
  file: string,
  title: string,
  rows: RateRow<R>[],
  runs: Loaded<R>[],
): BarChart {
  return {
    kind: "bar",
    file,
    title,
    unit: "M ops/s",
    groups: rows.map(([, label, f]) => ({
      label,
      bars: runs.map(({ runtime, result: r }) => ({
        label: `${runtime} ${r.runtimeVersion}`,
        value: median(f(r)) / 1e6,
      })),
    })),
  };
}

/** `1.23 × (1.10–1.30)`: a ratio and the quartiles of its per-cycle values. */
function ratioCell(ratio: number, cycles: number[]): string {
  return `${ratio.toFixed(2)} × (${iqr(cycles, (x) => x.toFixed(2))})`;
}

/** The header row: the first column's title, then `<runtime> <version>` per run. */
function runHead(first: string, runs: Run[]): string[] {
  return [first, ...runs.map((x) => `${x.runtime} ${x.result.runtimeVersion}`)];
}

function readerPart(
  runs: Loaded<ReadersResult>[],
  L: string[],
  charts: BarChart[],
  targets: Target[],
): void {
  const r0 = runs[0].result;
  L.push("### Readers: one process, two, and with a writer running flat out");
  L.push("");
  L.push(
    "From `bench/readers.bench.ts`: six child processes stay up, pinned to the two CPUs " +
      "with taskset; readers `get` 10,000 keys of 12 bytes (100-byte values) in random order " +
      "and check every value; writers `set` 100-byte values flat out, either other keys or the " +
      "very keys the readers read. Short phases " +
      `(${r0.phaseMs} ms), in which only some children work, cycle through the scenarios ` +
      `${r0.cycles} times in a shuffled order; each ratio is taken within a cycle (its phases ` +
      "are seconds apart, and the two CPUs of this virtual machine change speed) and the median " +
      "over the cycles is reported with the quartiles. One reader is the mean of the reader on " +
      "CPU 0 alone and the reader on CPU 1 alone; a reader with a writer likewise (the writer " +
      "on the other CPU).",
  );
  L.push("");
  const head = runHead("scenario", runs);
  /* [table label, chart label, per-cycle reader rates] */
  const rows: RateRow<ReadersResult>[] = [
    ["1 reader", "1 reader", (r) => pairMean(r, "r1@0", "r1@1")],
    [
      "2 readers (one per CPU), together",
      "2 readers",
      (r) => r.phases.find((p) => p.id === "r2")!.readers,
    ],
    [
      "1 reader + 1 writer on other keys",
      "+ writer, other keys",
      (r) => pairMean(r, "r1w1-other@0", "r1w1-other@1"),
    ],
    [
      "1 reader + 1 writer on the same keys",
      "+ writer, same keys",
      (r) => pairMean(r, "r1w1-same@0", "r1w1-same@1"),
    ],
  ];
  L.push("Reader `get`s, million per second: median over the cycles (quartiles).");
  L.push("");
  L.push(...rateTable(head, rows, runs));
  L.push("");
  L.push(
    ...table(
      ["ratio (within a cycle)", ...head.slice(1)],
      [
        [
          "2 readers ÷ 1 reader",
          ...runs.map(({ result: r }) => ratioCell(r.scaling, r.scalingCycles)),
        ],
        [
          "a reader's loss to a writer on other keys",
          ...runs.map(({ result: r }) => `${pct(r.costOther)} (${iqr(r.costOtherCycles, pct)})`),
        ],
        [
          "a reader's loss to a writer on the same keys",
          ...runs.map(({ result: r }) => `${pct(r.costSame)} (${iqr(r.costSameCycles, pct)})`),
        ],
        [
          "least median CPU share of a working child",
          ...runs.map(({ result: r }) => r.minShare.toFixed(2)),
        ],
      ],
    ),
  );
  for (const { runtime, result: r } of runs) {
    L.push("");
    L.push(
      `- ${runtime}: ${r.date}; ${r.cpuModel}, ${r.cpus} CPUs; children ` +
        `${r.pinned ? "pinned" : "not pinned"}; load average at the end ` +
        `${r.loadavg.map((x) => x.toFixed(1)).join(" ")}`,
    );
  }
  charts.push(
    rateChart(
      "scaling-readers.svg",
      "Readers across processes: get throughput (median over cycles)",
      rows,
      runs,
    ),
  );
  targets.push({
    target: `2 reader processes ≥ ${SCALING_TARGET} × one on 2 cores`,
    results: runs.map(({ runtime, result: r }) => ({
      runtime,
      pass: r.scaling >= SCALING_TARGET,
      figure: `${r.scaling.toFixed(2)} × (quartiles ${iqr(r.scalingCycles, (x) => x.toFixed(2))})`,
    })),
  });
  targets.push({
    target: `a reader loses < ${pct(WRITER_COST_TARGET)} while one writer runs flat out`,
    results: runs.map(({ runtime, result: r }) => ({
      runtime,
      pass: r.costOther < WRITER_COST_TARGET,
      figure: `${pct(r.costOther)} (quartiles ${iqr(r.costOtherCycles, pct)})`,
    })),
  });
}

function incrPart(
  runs: Loaded<ScalingResult>[],
  L: string[],
  charts: BarChart[],
  targets: Target[],
): void {
  const s0 = runs[0].result.settings;
  L.push("### Writers: `incr` on one hot key from one process and from two");
  L.push("");
  L.push(
    "From `bench/scaling.bench.ts`: two child processes stay up, " +
      `${s0.pinned ? "pinned to CPU 0 and CPU 1 with taskset" : "not pinned"}; in short ` +
      `phases (${s0.phaseMs} ms, ${s0.cycles} cycles in a shuffled order) one of them or both ` +
      "call `incr` flat out on the key `hot` (and, for comparison, both on a key of their own, " +
      "which still takes the one writer lock of the dictionary). One process is the mean of " +
      "the process on CPU 0 alone and the process on CPU 1 alone. Exactness: the parent reads " +
      "the counter before and after every phase; the increase must equal the increments the " +
      "children report, and at the end the key must hold all of them, with every reply greater " +
      "than the child's previous one.",
  );
  L.push("");
  const head = runHead("scenario", runs);
  const phase = (r: ScalingResult, id: PhaseId): number[] =>
    r.phases.find((p) => p.id === id)?.opsPerSec ?? [];
  const one = (r: ScalingResult): number[] => {
    const b = phase(r, "hot1@1");
    return phase(r, "hot1@0").map((x, i) => (x + (b[i] ?? x)) / 2);
  };
  /* [table label, chart label, per-cycle rates] */
  const rows: RateRow<ScalingResult>[] = [
    ["1 process, one hot key", "1 process", one],
    ["2 processes, the same hot key (together)", "2, one hot key", (r) => phase(r, "hot2")],
    ["2 processes, a key each (together)", "2, a key each", (r) => phase(r, "own2")],
  ];
  L.push("`incr` per second, million: median over the cycles (quartiles).");
  L.push("");
  L.push(...rateTable(head, rows, runs));
  L.push("");
  L.push(
    ...table(
      ["", ...head.slice(1)],
      [
        [
          "2 processes on the hot key ÷ 1 process",
          ...runs.map(({ result: r }) => ratioCell(r.hotScaling, r.hotScalingCycles)),
        ],
        [
          "2 processes on their own keys ÷ 1 process",
          ...runs.map(({ result: r }) => ratioCell(r.ownScaling, r.ownScalingCycles)),
        ],
        [
          "final count of `hot`",
          ...runs.map(({ result: r }) =>
            `${r.hotFinal.toLocaleString("en")} of ${r.hotTotal.toLocaleString("en")} ` +
            `increments: ${r.exact ? "exact" : "**NOT EXACT**"}`
          ),
        ],
        [
          "CPU share of a working child, median: 1 process / 2 on the hot key / 2 on own keys",
          ...runs.map(({ result: r }) => {
            const sh = (id: PhaseId): number =>
              median(r.phases.find((p) => p.id === id)?.share ?? []);
            return [Math.min(sh("hot1@0"), sh("hot1@1")), sh("hot2"), sh("own2")]
              .map((x) => x.toFixed(2)).join(" / ");
          }),
        ],
      ],
    ),
  );
  for (const { runtime, result: r } of runs) {
    L.push("");
    L.push(
      `- ${runtime}: ${r.date}; ${r.machine.cpuModel}, ${r.machine.cpus} CPUs; load average ` +
        `at the end ${r.machine.loadavg.map((x) => x.toFixed(1)).join(" ")}` +
        (r.mismatches.length > 0 ? `; mismatches: ${r.mismatches.join("; ")}` : ""),
    );
  }
  L.push("");
  L.push(
    "Every write command takes the dictionary's one writer lock, so two writers do not add " +
      "throughput; on one hot key they also pass the lock's and the key's cache lines back and " +
      "forth between the CPUs, which is what the ratio below 1 measures. A writer waiting for " +
      "the lock sleeps in the kernel, so the CPU share of two writers is low by design (alone, a " +
      "child's share near 1 says it had its CPU to itself). What must hold is that no increment " +
      "is lost.",
  );
  charts.push(
    rateChart("scaling-incr.svg", "incr across processes (median over cycles)", rows, runs),
  );
  targets.push({
    target: "`incr` on one hot key from 2 processes: the final count is exact (no lost update)",
    results: runs.map(({ runtime, result: r }) => ({
      runtime,
      pass: r.exact,
      figure: `${r.hotTotal.toLocaleString("en")} increments, ` +
        `${r.hotFinal.toLocaleString("en")} counted; ${M(median(phase(r, "hot2")))} M/s from ` +
        `2 processes (${r.hotScaling.toFixed(2)} × one)`,
    })),
  });
}

/** Builds the section from `readers-<runtime>.json` and `scaling-<runtime>.json`. */
const scalingSection: SectionFn = (dir: string): Section | null => {
  const readers = loadResults<ReadersResult>(dir, "readers").filter((x) =>
    Array.isArray(x.result.scalingCycles)
  );
  const incr = loadResults<ScalingResult>(dir, "scaling");
  if (readers.length === 0 && incr.length === 0) return null;
  const L: string[] = [];
  const charts: BarChart[] = [];
  const targets: Target[] = [];
  L.push(
    "Many processes on one dictionary, on this 2-CPU machine: reads scale with processes " +
      "(a single-key read takes no lock: it validates a version counter instead), writes are " +
      "serialized by the dictionary's one writer lock and must lose nothing.",
  );
  L.push("");
  if (readers.length > 0) readerPart(readers, L, charts, targets);
  else L.push("Readers: not run (no `readers-<runtime>.json`).");
  L.push("");
  if (incr.length > 0) incrPart(incr, L, charts, targets);
  else L.push("Hot-key `incr`: not run (no `scaling-<runtime>.json`).");
  return { title: "Scaling across processes", markdown: L.join("\n"), charts, targets };
};

export default scalingSection;
