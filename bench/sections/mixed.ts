/**
 * The report section of `bench/mixed.bench.ts`: a YCSB-like mixed workload
 * (90% `get`, 10% `set`, Zipf-distributed keys) on shmdict, a `Map`, lmdb-js,
 * SQLite and Redis.
 *
 * @module
 */

import type { MixedResult, MixedRow } from "../mixed.bench.ts";
import type { BarChart, Section, SectionFn, Target } from "../support/section.ts";
import { loadResults, M, table } from "../support/section-util.ts";

/** Builds the section from `mixed-<runtime>.json`, or null when neither runtime ran. */
const mixedSection: SectionFn = (dir: string): Section | null => {
  const runs = loadResults<MixedResult>(dir, "mixed");
  if (runs.length === 0) return null;
  const r0 = runs[0].result;
  const s = r0.settings;
  const L: string[] = [];
  L.push(
    `${pct(1 - s.writeShare)} \`get\`, ${pct(s.writeShare)} \`set\` over ` +
      `${s.keys.toLocaleString("en")} keys of ${s.keyBytes} bytes with ${s.valueBytes}-byte ` +
      `values, keys drawn from a Zipf distribution with s = ${s.zipf} (YCSB's "zipfian"; ranks ` +
      "scrambled over the key space by a seeded permutation, as YCSB's scrambled generator does, " +
      "so the hot keys are not neighbours). The sequence of " +
      `${s.sequenceLength.toLocaleString("en")} operations is generated once from a fixed seed ` +
      "(exact inverse-CDF draws) and every system walks the same sequence from its start: the " +
      `hottest key gets ${pct(r0.sequence.topKeyShare)} of the operations, the hottest 1% of ` +
      `the keys ${pct(r0.sequence.top1PctShare)}. A \`set\` stores the key's value or an ` +
      "alternative of the same length, switching every batch, so no write stores what is " +
      "already there.",
  );
  L.push("");
  L.push(
    `Timing as in the core benchmark: tinybench, ${s.batch.toLocaleString("en")} operations ` +
      "per timed call (Redis one at a time: 100), rounds that sweep every system so that the " +
      `ratios compare figures taken close together (${s.rounds} rounds × ${s.timeMs} ms per ` +
      `system, pooled); in-process systems on the process ${s.clock} clock, Redis on the wall ` +
      "clock (its time is spent waiting for the server). Figures per operation: the median " +
      "call, the 25th–75th percentiles as the spread, and the margin of error of the mean.",
  );
  L.push("");
  L.push(
    "Correctness, per system, before timing and again after it: a stretch of 20,000 operations " +
      "of the sequence (2,000 for Redis one at a time) is replayed the way the timed loop runs " +
      "it (pipelined for Redis ×100) with a distinct value for every `set`; every `get` must " +
      "return the value of the latest `set` to its key in the stretch or, before one, a " +
      `${s.valueBytes}-byte value of that key. After every timed task, the last batch's reads ` +
      `must have returned ${s.valueBytes} bytes each. A system failing a check has no figure.`,
  );

  const target: Target = {
    target: "mixed 90/10 Zipf workload: every system's reads see the writes before them " +
      "(read-your-writes, before and after timing)",
    results: [],
  };
  const chart: BarChart = {
    kind: "bar",
    file: "mixed.svg",
    title: `Mixed workload: ${pct(1 - s.writeShare)} get / ${pct(s.writeShare)} set, ` +
      `Zipf ${s.zipf}, ${s.keys.toLocaleString("en")} keys (log scale)`,
    unit: "M ops/s",
    log: true,
    groups: [],
  };
  for (const { runtime, result: r } of runs) {
    const mine = r.rows.find((x) => x.system === "shmdict")?.opsPerSec;
    const label = (id: string): string => r.systems.find((x) => x.id === id)?.label ?? id;
    L.push("");
    L.push(`### ${runtime} ${r.runtimeVersion}`);
    L.push("");
    L.push(
      `${r.date}; ` +
        Object.entries(r.versions).filter(([k]) => k !== runtime).map(([k, v]) => `${k} ${v}`)
          .join(", ") +
        (r.settings.redisPort === null ? "; Redis not run (no `BENCH_REDIS_PORT`)" : ""),
    );
    L.push("");
    const rowOf = (x: MixedRow): string[] => {
      if (x.opsPerSec === undefined) {
        return [label(x.system), "**FAILED**", "—", "—", "—", "—"];
      }
      return [
        label(x.system),
        M(x.opsPerSec),
        `${M(x.opsPerSecP75!)}–${M(x.opsPerSecP25!)}`,
        `±${x.rme!.toFixed(1)}%`,
        x.nsPerOp!.toFixed(0),
        mine === undefined ? "—" : `${(mine / x.opsPerSec).toFixed(2)} ×`,
      ];
    };
    L.push(
      ...table(
        ["system", "M ops/s (median)", "p25–p75", "± mean", "ns/op", "shmdict ÷ it"],
        r.rows.map(rowOf),
      ),
    );
    const failedChecks = r.systems.filter((x) => x.check !== "ok");
    const failedRows = r.rows.filter((x) => x.error !== undefined);
    for (const x of failedChecks) L.push("", `- ${x.label}: **check failed**: ${x.check}`);
    for (const x of failedRows) L.push("", `- ${label(x.system)}: **failed**: ${x.error}`);
    L.push("");
    L.push("How each system was used:");
    L.push("");
    for (const x of r.systems) {
      if (x.detail !== "") {
        L.push(`- ${x.label}: ${x.detail}; loaded in ${x.loadSeconds.toFixed(1)} s`);
      }
    }
    chart.groups.push({
      label: `${runtime} ${r.runtimeVersion}`,
      bars: r.systems.map((x) => {
        const row = r.rows.find((y) => y.system === x.id);
        return { label: x.label, value: row?.opsPerSec === undefined ? null : row.opsPerSec / 1e6 };
      }),
    });
    const ok = failedChecks.length === 0 && failedRows.length === 0 && r.rows.length > 0;
    target.results.push({
      runtime,
      pass: ok,
      figure: ok
        ? `${r.rows.length} system${r.rows.length === 1 ? "" : "s"} checked; shmdict ${
          mine === undefined ? "—" : M(mine)
        } M ops/s`
        : [...failedChecks.map((x) => x.label), ...failedRows.map((x) => label(x.system))]
          .join(", ") + " failed",
    });
  }
  L.push("");
  L.push(
    "Only same-run ratios mean much (on a virtual machine whose CPUs change speed); a ratio " +
      "against Redis compares this process's CPU time with elapsed time, since Redis works in " +
      "another process. lmdb-js `putSync` and SQLite autocommit pay a write transaction per " +
      "`set`; shmdict pays its writer lock and journal per `set`, as every command is atomic " +
      "and crash-safe on its own.",
  );
  return {
    title: "Mixed workload: 90% get / 10% set, Zipf keys",
    markdown: L.join("\n"),
    charts: [chart],
    targets: [target],
  };
};

/** A fraction → `"90%"` (no decimals when whole). */
function pct(x: number): string {
  const p = x * 100;
  return `${Number.isInteger(Math.round(p * 10) / 10) ? p.toFixed(0) : p.toFixed(1)}%`;
}

export default mixedSection;
