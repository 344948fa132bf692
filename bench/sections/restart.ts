/**
 * The "Hot restart" section of bench/RESULTS.md, from
 * `bench/results/restart-<runtime>.json` (written by bench/restart.bench.ts).
 *
 * @module
 */

import {
  fmtBytes,
  fmtMs,
  readResults,
  type RestartResult,
  type RestartSize,
  type RestartSystem,
  type Spread,
} from "../support/big-results.ts";
import { count } from "../support/big-data.ts";
import type { Chart, LineChart, Section, SectionFn, Target } from "../support/section.ts";

/** The size the target is stated at. */
const TARGET_KEYS = 10_000_000;
/** The target, ms. */
const TARGET_MS = 5;

const RUNTIME_NAMES: Record<string, string> = { deno: "Deno", bun: "Bun" };

function rtName(r: RestartResult): string {
  return `${RUNTIME_NAMES[r.runtime] ?? r.runtime} ${r.runtimeVersion}`;
}

function spread(s: Spread | null): string {
  if (s === null) return "—";
  if (s.min === s.max) return fmtMs(s.median);
  return `${fmtMs(s.median)} <sub>${fmtMs(s.min)}–${fmtMs(s.max)}</sub>`;
}

function sizeTable(size: RestartSize): string {
  const rows = [
    "| system | runs | load code | open / attach | **open + first read** | all data usable | " +
    "1,000 gets after | child spawn → exit | child RSS |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const s of size.systems) {
    if (s.id === "noop") {
      rows.push(
        `| ${s.label} | ${s.runs.length} | — | — | — | — | — | ${spread(s.wallMs)} | ` +
          `${fmtBytes(s.rssBytes.median)} |`,
      );
      continue;
    }
    rows.push(
      `| ${s.label} | ${s.runs.length} | ${spread(s.loadMs)} | ${spread(s.openMs)} | ` +
        `**${spread(s.firstReadMs)}** | ${spread(s.allDataMs)} | ${spread(s.getsMs)} | ` +
        `${spread(s.wallMs)} | ${fmtBytes(s.rssBytes.median)} |`,
    );
  }
  return rows.join("\n");
}

function populateTable(r: RestartResult): string {
  const ids = ["shmdict", "lmdb", "sqlite", "json"];
  const names: Record<string, string> = {
    shmdict: "shmdict (`set` per key)",
    lmdb: "lmdb-js (`putSync` in `transactionSync` per 10,000)",
    sqlite: "SQLite (one transaction, prepared `INSERT`)",
    json: "JSON lines (`JSON.stringify` per 10,000, `writeSync`)",
  };
  const rows = [
    `| store | ${r.sizes.map((s) => `${count(s.n, true)} keys: fill time, size`).join(" | ")} |`,
    `| --- | ${r.sizes.map(() => "---:").join(" | ")} |`,
  ];
  for (const id of ids) {
    const cells = r.sizes.map((s) => {
      const p = s.populate.find((x) => x.id === id);
      return p === undefined ? "—" : `${fmtMs(p.ms)}, ${fmtBytes(p.bytes)}`;
    });
    if (cells.every((c) => c === "—")) continue;
    rows.push(`| ${names[id]} | ${cells.join(" | ")} |`);
  }
  rows.push(
    `| (generating the data, shared) | ${r.sizes.map((s) => fmtMs(s.generateMs)).join(" | ")} |`,
  );
  return rows.join("\n");
}

function find(size: RestartSize, id: string): RestartSystem | undefined {
  return size.systems.find((s) => s.id === id);
}

function target(results: RestartResult[]): Target {
  return {
    target: `shmdict attach + first read < ${TARGET_MS} ms at ${count(TARGET_KEYS, true)} keys, ` +
      "independent of size",
    results: results.map((r) => {
      const sh = r.sizes.map((s) => ({ n: s.n, sys: find(s, "shmdict") }))
        .filter((x) => x.sys !== undefined);
      const at = sh.find((x) => x.n === TARGET_KEYS);
      const all = sh.map((x) => `${fmtMs(x.sys!.firstReadMs.median)} at ${count(x.n, true)}`)
        .join(", ");
      if (at === undefined) {
        return {
          runtime: r.runtime,
          pass: false,
          figure: `not measured at ${count(TARGET_KEYS, true)} keys (${all || "no shmdict runs"})`,
        };
      }
      return {
        runtime: r.runtime,
        pass: at.sys!.firstReadMs.median < TARGET_MS,
        figure: `${all} (median of ${at.sys!.runs.length} fresh processes)`,
      };
    }),
  };
}

function charts(results: RestartResult[]): Chart[] {
  const line: LineChart = {
    kind: "line",
    file: "restart-first-read.svg",
    title: "Hot restart: a fresh process's open + first read (rebuilds: until all data is in)",
    xLabel: "keys",
    yLabel: "median (ms)",
    logX: true,
    logY: true,
    series: [],
  };
  for (const r of results) {
    const ids = r.sizes[0]?.systems.map((s) => s.id).filter((id) => id !== "noop") ?? [];
    for (const id of ids) {
      const points: [number, number][] = [];
      let label = id;
      for (const size of r.sizes) {
        const s = find(size, id);
        if (s === undefined) continue;
        label = s.label;
        points.push([size.n, Math.max(s.firstReadMs.median, 1e-3)]);
      }
      line.series.push({ label: `${label} (${r.runtime})`, points });
    }
  }
  const out: Chart[] = [line];
  const largest = Math.max(...results.flatMap((r) => r.sizes.map((s) => s.n)));
  const groups = results.map((r) => {
    const size = r.sizes.find((s) => s.n === largest);
    return {
      label: `${rtName(r)}, ${count(largest, true)} keys`,
      bars: (size?.systems ?? []).map((s) => ({
        label: s.id === "noop" ? "process start (spawn → exit)" : s.label,
        value: s.id === "noop" ? s.wallMs.median : s.firstReadMs.median,
      })),
    };
  }).filter((g) => g.bars.length > 0);
  if (groups.length > 0) {
    out.push({
      kind: "bar",
      file: "restart-largest.svg",
      title: `Hot restart at ${count(largest, true)} keys: open + first read (ms, log scale)`,
      unit: "ms",
      log: true,
      groups,
    });
  }
  return out;
}

/**
 * Builds the "Hot restart" section from the restart suite's results.
 * @param resultsDir `bench/results/`, absolute, ending in `/`
 * @returns the section, or `null` when neither runtime's results exist
 */
const restartSection: SectionFn = (resultsDir: string): Section | null => {
  const results = readResults<RestartResult>(resultsDir, "restart");
  if (results.length === 0) return null;
  const first = results[0];
  const md: string[] = [];
  md.push(
    `A process writes ${first.settings.sizes.map((n) => count(n, true)).join(" and ")} keys ` +
      `(${first.settings.keyBytes}-byte keys such as \`key:00000001\`, ` +
      `${first.settings.valueBytes}-byte values) into each store and closes it; then a fresh ` +
      "child process of the same runtime gets the data back and times, from its own start of " +
      "work: loading the system's code (*load code*: the module import and its native library " +
      "or addon), opening or attaching (*open / attach*), and the first `get` of a key in the " +
      "middle of the data, checked against its value (**open + first read**, which includes " +
      "open / attach). For the rebuilds (SQLite → `Map`, JSON → `Map`) the first read comes " +
      "after the whole rebuild, so *all data usable* equals it; for the stores read in place, " +
      "all data is usable at the first read. *1,000 gets after*: random `get`s right after " +
      "(checked), what a fresh mapping still costs in page faults. *Process start* is a child " +
      "that does nothing, timed from spawn to exit: it is not part of the other figures.",
  );
  md.push("");
  md.push(
    `Every figure is the median of ${first.settings.runs} child processes (the rebuilds: ` +
      `${first.settings.rebuildRunsBig} at ${count(first.settings.bigSize, true)} keys and ` +
      "more), with the fastest–slowest run in small type; each round starts one child per " +
      `system in turn. Warm-up: ${first.settings.warmup}. This is a process restart, not a ` +
      "reboot: the files are in the OS page cache, as shmdict's segment is in memory. JSON: " +
      `${first.settings.jsonFormat}, read in 16 MiB chunks, each line parsed on its own (a ` +
      "single JSON document of 10 M entries, ~1.2 GB, would exceed V8's maximum string " +
      "length of about 512 MiB). SQLite is read into the `Map` page by page " +
      "(`WHERE k > ? ORDER BY k LIMIT 10000`, `all()`), faster than row-by-row `iterate()` " +
      "with both drivers.",
  );
  for (const r of results) {
    md.push("");
    md.push(
      `### ${rtName(r)}`,
    );
    md.push("");
    md.push(
      `Run ${r.date.slice(0, 16).replace("T", " ")} UTC, ${Math.round(r.wallSeconds)} s in all; ` +
        `lmdb-js ${r.versions.lmdb ?? "?"}, SQLite ${r.versions.sqlite ?? "?"}.`,
    );
    for (const size of r.sizes) {
      md.push("");
      md.push(
        `**${count(size.n)} keys** (first read: \`key:${
          String(size.probe + 1).padStart(8, "0")
        }\`)`,
      );
      md.push("");
      md.push(sizeTable(size));
    }
    const sh = r.sizes.map((s) => find(s, "shmdict")).filter((s) => s !== undefined);
    if (sh.length >= 2) {
      const a = sh[0]!.firstReadMs.median;
      const b = sh[sh.length - 1]!.firstReadMs.median;
      md.push("");
      md.push(
        `shmdict's open + first read: ${fmtMs(a)} at ${count(r.sizes[0].n, true)} keys, ` +
          `${fmtMs(b)} at ${count(r.sizes[r.sizes.length - 1].n, true)} keys ` +
          `(×${(b / a).toFixed(2)} for ×${
            (r.sizes[r.sizes.length - 1].n / r.sizes[0].n).toFixed(0)
          } the data).`,
      );
    }
    md.push("");
    md.push("Filling the stores (one pass over the data, each store's own time):");
    md.push("");
    md.push(populateTable(r));
  }
  md.push("");
  md.push("How each system gets its data back:");
  md.push("");
  for (const s of first.sizes[0]?.systems ?? []) md.push(`- ${s.label}: ${s.detail}`);
  return {
    title: "Hot restart",
    markdown: md.join("\n"),
    charts: charts(results),
    targets: [target(results)],
  };
};

export default restartSection;
