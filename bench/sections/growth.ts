/**
 * The "Growth without stalls" section of bench/RESULTS.md, from
 * `bench/results/growth-<runtime>.json` (written by bench/growth.bench.ts).
 *
 * @module
 */

import {
  fmtBytes,
  fmtNs,
  type GrowthEvent,
  type GrowthResult,
  type GrowthSystem,
  readResults,
  type SlowSet,
} from "../support/big-results.ts";
import { count } from "../support/big-data.ts";
import type { Chart, LineChart, Section, SectionFn, Target } from "../support/section.ts";

/** The size the target is stated at. */
const TARGET_KEYS = 10_000_000;
/** The target: no insert slower than this, ns. */
const TARGET_NS = 1e6;

const RUNTIME_NAMES: Record<string, string> = { deno: "Deno", bun: "Bun" };

function rtName(r: GrowthResult): string {
  return `${RUNTIME_NAMES[r.runtime] ?? r.runtime} ${r.runtimeVersion}`;
}

/** The slowest insert while the thread was running, or a dash for old files. */
function running(s: GrowthSystem): string {
  if (s.maxRunningNs === undefined) return "—";
  return `${fmtNs(s.maxRunningNs)} (${count(s.maxRunningAt)})`;
}

function summaryTable(r: GrowthResult): string {
  const rows = [
    "| system | inserts | p50 | p90 | p99 | p99.9 | p99.99 | **max** (at key count) | > 100 µs | " +
    "> 1 ms | max while running (at) | > 1 ms while running | sum of all |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const s of r.systems) {
    rows.push(
      `| ${s.label} | ${count(s.keys)} | ${fmtNs(s.p50Ns)} | ${fmtNs(s.p90Ns)} | ` +
        `${fmtNs(s.p99Ns)} | ${fmtNs(s.p999Ns)} | ${fmtNs(s.p9999Ns)} | ` +
        `**${fmtNs(s.maxNs)}** (${count(s.top[0]?.at ?? 0)}) | ${count(s.over100us)} | ` +
        `${count(s.over1ms)} | ${running(s)} | ${s.over1msRunning ?? "—"} | ` +
        `${fmtNs(s.totalMs * 1e6)} |`,
    );
  }
  return rows.join("\n");
}

/** What changed in the index table or the committed memory during `t`'s block. */
function cause(s: GrowthSystem, t: SlowSet, every: number): string {
  if (s.events.length === 0) return "";
  const blockEnd = Math.min(s.keys, (Math.floor(t.at / every) + 1) * every);
  const i = s.events.findIndex((e) => e.at === blockEnd);
  if (i <= 0) return "";
  const e: GrowthEvent = s.events[i];
  const prev: GrowthEvent = s.events[i - 1];
  const what: string[] = [];
  if (e.buckets !== prev.buckets) {
    what.push(`table ${count(prev.buckets)} → ${count(e.buckets)} buckets`);
  }
  if (e.rehashing && !prev.rehashing) what.push("rehash started");
  if (!e.rehashing && prev.rehashing) what.push("rehash finished");
  if (e.committedBytes !== prev.committedBytes) {
    what.push(`committed +${fmtBytes(e.committedBytes - prev.committedBytes)}`);
  }
  return what.join(", ");
}

function topTable(r: GrowthResult, s: GrowthSystem): string {
  const every = r.settings.eventEvery;
  const withEvents = s.events.length > 0;
  const rows = [
    `| # | keys before | latency | CPU / wall of its ${count(every)} inserts |` +
    (withEvents ? ` changed during those ${count(every)} inserts |` : ""),
    `| ---: | ---: | ---: | ---: |${withEvents ? " --- |" : ""}`,
  ];
  s.top.forEach((t, k) => {
    const share = t.blockCpuNs !== undefined && t.blockWallNs !== undefined && t.blockWallNs > 0
      ? `${fmtNs(t.blockCpuNs)} / ${fmtNs(t.blockWallNs)} (${
        Math.round((100 * t.blockCpuNs) / t.blockWallNs)
      }%)`
      : "—";
    rows.push(
      `| ${k + 1} | ${count(t.at)} | ${fmtNs(t.ns)} | ${share} |` +
        (withEvents ? ` ${cause(s, t, every) || "—"} |` : ""),
    );
  });
  return rows.join("\n");
}

/** The key counts at which the index table started to grow. */
function doublings(s: GrowthSystem): string {
  const starts: string[] = [];
  for (let i = 1; i < s.events.length; i++) {
    const e = s.events[i];
    const p = s.events[i - 1];
    if ((e.rehashing && !p.rehashing) || (e.buckets > p.buckets && !p.rehashing)) {
      starts.push(`${count(e.at)} (${count(p.buckets)} buckets)`);
    }
  }
  return starts.join(", ");
}

function charts(results: GrowthResult[]): Chart[] {
  const pct: LineChart = {
    kind: "line",
    file: "growth-percentiles.svg",
    title: "Insert latency while growing to 10 M keys: percentile curve",
    xLabel: "1 / (1 − percentile): 10 = p90, 100 = p99, 10⁴ = p99.99, last point = max",
    yLabel: "µs",
    logX: true,
    logY: true,
    series: [],
  };
  const win: LineChart = {
    kind: "line",
    file: "growth-window-max.svg",
    title: "Slowest insert in each window of 100,000 inserts",
    xLabel: "keys in the store (millions)",
    yLabel: "µs",
    logY: true,
    series: [],
  };
  for (const r of results) {
    for (const s of r.systems) {
      const label = `${s.label} (${r.runtime})`;
      pct.series.push({
        label,
        points: s.percentiles.map(([x, ns]) => [x, Math.max(ns, 1) / 1000]),
      });
      win.series.push({
        label,
        points: s.windows.map((w) => [w.end / 1e6, Math.max(w.maxNs, 1) / 1000]),
      });
    }
  }
  return [pct, win];
}

function figureOf(s: GrowthSystem): string {
  return `max ${fmtNs(s.maxNs)} at ${count(s.top[0]?.at ?? 0)} keys; ` +
    `${count(s.over1ms)} inserts over 1 ms` +
    (s.maxRunningNs !== undefined
      ? ` (while the thread was running: max ${fmtNs(s.maxRunningNs)}, ` +
        `${count(s.over1msRunning)} over 1 ms)`
      : "") +
    (s.keys < TARGET_KEYS ? ` (only ${count(s.keys, true)} keys)` : "");
}

/**
 * The target is about the library ("incremental rehash and allocator growth
 * never pause"), so it is judged on the byte API, where the benchmark
 * allocates nothing per insert and no garbage collection of the runtime can
 * land inside a timed call; the string API's figure is shown next to it.
 */
function target(results: GrowthResult[]): Target {
  return {
    target: `shmdict: every insert < 1 ms while growing to ${count(TARGET_KEYS, true)} keys ` +
      "(judged on the byte API; the string API's figure, which includes the runtime's garbage " +
      "collection, follows)",
    results: results.map((r) => {
      const b = r.systems.find((x) => x.id === "shmdict-bytes");
      const s = r.systems.find((x) => x.id === "shmdict");
      if (b === undefined) return { runtime: r.runtime, pass: false, figure: "not run" };
      return {
        runtime: r.runtime,
        pass: b.keys >= TARGET_KEYS && b.maxNs < TARGET_NS,
        figure: `bytes: ${figureOf(b)}` + (s ? `; strings: ${figureOf(s)}` : ""),
      };
    }),
  };
}

/**
 * Builds the "Growth without stalls" section from the growth suite's results.
 * @param resultsDir `bench/results/`, absolute, ending in `/`
 * @returns the section, or `null` when neither runtime's results exist
 */
const growthSection: SectionFn = (resultsDir: string): Section | null => {
  const results = readResults<GrowthResult>(resultsDir, "growth");
  if (results.length === 0) return null;
  const first = results[0];
  const md: string[] = [];
  md.push(
    `A fresh dictionary grows from 0 to ${count(first.settings.keys)} keys ` +
      `(${first.settings.keyBytes}-byte keys, ${first.settings.valueBytes}-byte values), and ` +
      "**every** insert is timed alone; a JavaScript `Map` grows the same way in the same run" +
      (results.some((r) => r.systems.some((s) => s.id === "redis"))
        ? ", and Redis takes one awaited `SET` at a time (fewer keys: each is a round trip)."
        : ".") +
      (first.settings.warmupKeys
        ? ` Before its timed run, each system takes ${
          count(first.settings.warmupKeys)
        } untimed inserts into a copy that is then thrown away, so that the runtime has ` +
          "compiled the insert path and collected its start-up garbage; the timed run starts " +
          "from an empty dictionary (or `Map`) all the same."
        : "") +
      " Keys and values are generated " + count(first.settings.chunk) + " at a time between " +
      "timed inserts. Each latency holds one insert, one clock read and the loop's " +
      "bookkeeping. The time is wall time: on a busy machine the OS may stop the process in " +
      "the middle of an insert, so the slowest inserts list the main thread's CPU time over " +
      `their block of ${count(first.settings.eventEvery)} inserts (` +
      `${first.settings.cpuClock ?? "process CPU time"}): a share far below 100% means ` +
      "the thread was not running for most of the stall (descheduled or waiting), near 100% " +
      "that it was working. *While running*: only inserts whose block's CPU share is at " +
      `least ${Math.round(100 * (first.settings.runningShare ?? 0.5))}%, i.e. the stalls the ` +
      "process caused itself; the target is judged on the plain max all the same. For shmdict, `info()` is read (untimed) after every " +
      `${count(first.settings.eventEvery)} inserts to record when the index table grew, a ` +
      "rehash started or finished, and when committed memory grew, and each slow insert " +
      "shows what changed during its block.",
  );
  for (const r of results) {
    md.push("");
    md.push(`### ${rtName(r)}`);
    md.push("");
    md.push(
      `Run ${r.date.slice(0, 16).replace("T", " ")} UTC, ${Math.round(r.wallSeconds)} s in all. ` +
        `Clock: ${r.settings.clock}, ${r.settings.clockReadNs.toFixed(0)} ns a read, ` +
        `smallest step ${r.settings.clockStepNs.toFixed(0)} ns; \`performance.now()\` here ` +
        `resolves steps of ${r.settings.performanceNowStepNs.toFixed(0)} ns. ` +
        `shmdict segment: \`size: "${r.settings.segmentSize}"\` reserved.`,
    );
    md.push("");
    md.push(summaryTable(r));
    for (const s of r.systems) {
      md.push("");
      md.push(`The ${s.top.length} slowest inserts, ${s.label}:`);
      md.push("");
      md.push(topTable(r, s));
      if (s.events.length > 0) {
        let commits = 0;
        for (let i = 1; i < s.events.length; i++) {
          if (s.events[i].committedBytes !== s.events[i - 1].committedBytes) commits++;
        }
        const blocks = Math.ceil(s.keys / r.settings.eventEvery);
        md.push("");
        md.push(
          `Committed memory grew during ${count(commits)} of the ${count(blocks)} blocks of ` +
            `${count(r.settings.eventEvery)} inserts (${Math.round((100 * commits) / blocks)}%), ` +
            "so a commit next to a slow insert is not by itself its cause; a table change is rarer.",
        );
        const d = doublings(s);
        if (d !== "") {
          md.push("");
          md.push(`${s.label}'s index table started growing at these key counts: ${d}.`);
        }
      }
    }
  }
  md.push("");
  md.push("How each system inserts:");
  md.push("");
  for (const s of first.systems) md.push(`- ${s.label}: ${s.detail}`);
  return {
    title: "Growth without stalls",
    markdown: md.join("\n"),
    charts: charts(results),
    targets: [target(results)],
  };
};

export default growthSection;
