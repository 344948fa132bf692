/**
 * Turns the JSON left in `bench/results/` by the benchmarks into
 * `bench/RESULTS.md` and the charts in `bench/charts/`: machine, versions,
 * date, one table of every target with PASS/FAIL, per runtime the table of
 * medians with their spread and the ratios, the containers against Redis,
 * "Where the nanoseconds go" from the profile runs, then one section per
 * module in `bench/sections/` (see `support/section.ts`).
 *
 * ```sh
 * node_modules/.bin/deno run -A bench/report.ts
 * ```
 *
 * Deno only (it formats the result with `deno fmt`).
 *
 * (`npm run bench` runs it last.) A missing result file is reported as
 * missing in the document, never silently skipped; a section module whose
 * suite has no results says "not run". A section module that throws (or
 * returns something that is not a section) is reported as failed in the
 * document, and the report exits with status 1 after writing it.
 *
 * Sections: every `bench/sections/<suite>.ts` is imported, in the order
 * {@link SECTION_ORDER} and then alphabetically; its default export gets the
 * absolute path of `bench/results/` and returns `{ title, markdown, charts,
 * targets }` or `null`. Its charts are rendered by `support/svg.ts` to
 * `bench/charts/<file>` and shown under its markdown; its targets join the
 * table at the top.
 *
 * Environment (for testing the report itself): `BENCH_SECTIONS_DIR` reads
 * the section modules from another directory; `BENCH_REPORT_DIR` writes
 * `RESULTS.md` and `charts/` to another directory.
 *
 * @module
 */

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { resolve } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CoreResult, Row } from "./core.bench.ts";
import type { ContainerRow, ContainersResult } from "./containers.bench.ts";
import type { ProfileResult, ProfileRow } from "./profile.bench.ts";
import type { Runtime } from "./support/env.ts";
import { mops } from "./support/measure.ts";
import type { BarChart, Chart, Section, SectionFn, Target } from "./support/section.ts";
import { renderChart } from "./support/svg.ts";
import { OPS } from "./systems/types.ts";

const RUNTIMES: readonly Runtime[] = ["deno", "bun"];

/** The targets of the core issue: shmdict op ≥ factor × lmdb-js op, same run. */
const TARGETS = [
  { op: "get", factor: 3, what: "`get` ≥ 3× lmdb-js `get`" },
  { op: "set", factor: 5, what: "`set` ≥ 5× lmdb-js `putSync` (noSync + useWritemap)" },
] as const;

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

function load<T>(file: string): T | null {
  const path = here(`./results/${file}`);
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) as T : null;
}

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: "utf8" }).trim();
}

/** The mount holding `path` (longest matching mount point) and its type. */
function mountOf(path: string): string {
  const mounts = readFileSync("/proc/mounts", "utf8").split("\n").map((l) => l.split(" "))
    .filter((f) => f.length > 2);
  let best: string[] | null = null;
  for (const m of mounts) {
    const mp = m[1];
    if (
      (path === mp || path.startsWith(mp.endsWith("/") ? mp : mp + "/")) &&
      (best === null || mp.length > best[1].length)
    ) best = m;
  }
  return best === null ? "unknown" : `${best[1]} (${best[2]})`;
}

/** The selected value of a transparent-huge-page setting, e.g. `never`. */
function thp(file: string): string {
  const path = `/sys/kernel/mm/transparent_hugepage/${file}`;
  if (!existsSync(path)) return "unavailable";
  const text = readFileSync(path, "utf8");
  return /\[([^\]]+)\]/.exec(text)?.[1] ?? text.trim();
}

function machine(): string[] {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? "unknown";
  const mhz = /^cpu MHz\s*:\s*(.+)$/m.exec(cpuinfo)?.[1];
  const cache = /^cache size\s*:\s*(.+)$/m.exec(cpuinfo)?.[1];
  const gib = (totalmem() / 2 ** 30).toFixed(1);
  return [
    `- CPU: ${model}${mhz ? `, ${Math.round(Number(mhz))} MHz` : ""}` +
    `${cache ? `, ${cache} cache` : ""}; \`nproc\` = ${sh("nproc", [])}`,
    `- Memory: ${gib} GiB; kernel ${release()}`,
    `- Load when the report was written: ${
      sh("cat", ["/proc/loadavg"]).split(" ").slice(0, 3).join(" ")
    } ` +
    "(1, 5, 15 min); the machine is shared, so only ratios from the same run are meaningful",
  ];
}

function pct(x: number): string {
  return `${x.toFixed(x < 10 ? 1 : 0)}%`;
}

function ratio(x: number): string {
  return `${x.toFixed(x < 10 ? 2 : 1)}×`;
}

function cellOf(res: CoreResult, op: string, system: string): Row | undefined {
  return res.rows.find((r) => r.op === op && r.system === system);
}

function coreSection(res: CoreResult, rt: Runtime, charts: Chart[]): string[] {
  const out: string[] = [embed(charts, coreChart(res, rt)), ""];
  const systems = res.systems.filter((s) =>
    s.check === "ok" && res.rows.some((r) => r.system === s.id)
  );
  const ops = OPS.filter((op) => res.rows.some((r) => r.op === op));
  const label = (id: string): string => res.systems.find((s) => s.id === id)?.label ?? id;
  out.push(
    `Median M ops/s, and in parentheses the interquartile range over the timed calls ` +
      `(${res.settings.rounds} rounds × ${res.settings.timeMs} ms per task, each after ` +
      `${res.settings.warmupMs} ms of warmup; clock: ` +
      `${res.settings.clock === "cpu" ? "CPU time, Redis wall time" : "wall time"}; ` +
      `date ${res.date}). — = no such operation.`,
    "",
    `| operation | ${systems.map((s) => s.label).join(" | ")} |`,
    `| --- | ${systems.map(() => "---:").join(" | ")} |`,
  );
  for (const op of ops) {
    const cells = systems.map((s) => {
      const r = cellOf(res, op, s.id);
      if (r === undefined) return "—";
      if (r.opsPerSec === undefined) return "FAILED";
      const v = `${mops(r.opsPerSec)} (${mops(r.opsPerSecP75!)}–${mops(r.opsPerSecP25!)})`;
      return s.id === "shmdict" ? `**${v}**` : v;
    });
    out.push(`| \`${op}\` | ${cells.join(" | ")} |`);
  }
  const others = systems.filter((s) => s.id !== "shmdict");
  if (systems.some((s) => s.id === "shmdict") && others.length > 0) {
    out.push(
      "",
      "shmdict ÷ other, from the medians above (> 1: shmdict is faster):",
      "",
      `| operation | ${others.map((s) => s.label).join(" | ")} |`,
      `| --- | ${others.map(() => "---:").join(" | ")} |`,
    );
    for (const op of ops) {
      const mine = cellOf(res, op, "shmdict")?.opsPerSec;
      const cells = others.map((s) => {
        const theirs = cellOf(res, op, s.id)?.opsPerSec;
        return mine === undefined || theirs === undefined ? "—" : ratio(mine / theirs);
      });
      out.push(`| \`${op}\` | ${cells.join(" | ")} |`);
    }
  }
  out.push(
    "",
    "<details><summary>Every task: ns per operation, spread, margin of error, calls</summary>",
    "",
    "| operation | system | M ops/s (median) | ns/op (median) | p25–p75 M ops/s | mean M ops/s | ±rme | calls × ops | per round, M ops/s |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const op of ops) {
    for (const s of systems) {
      const r = cellOf(res, op, s.id);
      if (r === undefined) continue;
      if (r.opsPerSec === undefined) {
        out.push(`| \`${op}\` | ${label(s.id)} | FAILED: ${r.error} | | | | | | |`);
        continue;
      }
      out.push(
        `| \`${op}\` | ${label(s.id)} | ${mops(r.opsPerSec)} | ${r.nsPerOp!.toFixed(0)} | ` +
          `${mops(r.opsPerSecP75!)}–${mops(r.opsPerSecP25!)} | ${mops(r.opsPerSecMean!)} | ` +
          `${pct(r.rme!)} | ${r.samples} × ${r.batch} | ${
            (r.rounds ?? []).map(mops).join(" / ")
          } |`,
      );
    }
  }
  out.push("", "</details>");
  const failedChecks = res.systems.filter((s) => s.check !== "ok");
  const failedRows = res.rows.filter((r) => r.error !== undefined);
  if (failedChecks.length > 0 || failedRows.length > 0) {
    out.push("", "**Failures in this run:**", "");
    for (const s of failedChecks) out.push(`- ${s.label}: check failed, not timed: ${s.check}`);
    for (const r of failedRows) out.push(`- ${label(r.system)} \`${r.op}\`: ${r.error}`);
  }
  return out;
}

/* ---- the targets ----------------------------------------------------------------- */

/** One row of the targets table: what, which suite, and a cell per runtime column. */
interface TargetRow {
  target: string;
  suite: string;
  cells: Record<string, string>;
}

/** The core issue's targets: shmdict op ÷ lmdb-js op in the same run, per runtime. */
function coreTargets(core: Partial<Record<Runtime, CoreResult>>): TargetRow[] {
  return TARGETS.map((t) => {
    const cells: Record<string, string> = {};
    for (const rt of RUNTIMES) {
      const res = core[rt];
      const mine = res && cellOf(res, t.op, "shmdict")?.opsPerSec;
      const theirs = res && cellOf(res, t.op, "lmdb")?.opsPerSec;
      if (res === undefined || mine === undefined || theirs === undefined) {
        cells[rt] = "not measured";
        continue;
      }
      const x = mine / theirs;
      const a = cellOf(res, t.op, "shmdict")?.rounds ?? [];
      const b = cellOf(res, t.op, "lmdb")?.rounds ?? [];
      const perRound = a.map((m, i) => (b[i] ? ratio(m / b[i]) : "—")).join(" / ");
      cells[rt] = `${x >= t.factor ? "**PASS**" : "**FAIL**"} ${ratio(x)} ` +
        `(${mops(mine)} vs ${mops(theirs)} M ops/s; per round ${perRound})`;
    }
    return { target: t.what, suite: "core", cells };
  });
}

/** A section's targets as rows; a result per runtime (several are joined with `;`). */
function sectionTargets(suite: string, targets: Target[]): TargetRow[] {
  return targets.map((t) => {
    const cells: Record<string, string> = {};
    for (const r of t.results) {
      const cell = `${r.pass ? "**PASS**" : "**FAIL**"} ${r.figure}`;
      cells[r.runtime] = cells[r.runtime] === undefined ? cell : `${cells[r.runtime]}; ${cell}`;
    }
    return { target: t.target, suite, cells };
  });
}

/**
 * The one targets table: a column per runtime (deno, bun, then any other
 * name a section used, such as `all`), "—" where a target has no figure.
 */
function targetsTable(rows: TargetRow[]): string[] {
  const cols: string[] = [...RUNTIMES];
  for (const r of rows) for (const c of Object.keys(r.cells)) if (!cols.includes(c)) cols.push(c);
  const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const out = [
    `| target | suite | ${cols.join(" | ")} |`,
    `| --- | --- | ${cols.map(() => "---").join(" | ")} |`,
  ];
  for (const r of rows) {
    out.push(
      `| ${cell(r.target)} | ${r.suite} | ${
        cols.map((c) => cell(r.cells[c] ?? "—")).join(" | ")
      } |`,
    );
  }
  const all = rows.flatMap((r) => Object.values(r.cells));
  const pass = all.filter((c) => c.startsWith("**PASS**")).length;
  const fail = all.filter((c) => c.startsWith("**FAIL**")).length;
  const none = all.length - pass - fail;
  out.push(
    "",
    `Met: ${pass}; not met: ${fail}${
      none > 0 ? `; without a figure (not run or failed): ${none}` : ""
    }. ` +
      "Ratios compare figures from the same run; the sections below have the details.",
  );
  return out;
}

/* ---- charts ------------------------------------------------------------------------- */

/** Adds `chart` to those the report writes and returns the Markdown that shows it. */
function embed(charts: Chart[], chart: Chart): string {
  charts.push(chart);
  return `![${chart.title.replace(/[[\]]/g, "")}](charts/${chart.file})`;
}

/** The operations the core chart shows (`getInto` is in the tables). */
const CHART_OPS = ["get", "getBytes", "set", "incr"] as const;

/** M ops/s of every system that passed its check, per operation, on a log scale. */
function coreChart(res: CoreResult, rt: Runtime): BarChart {
  const systems = res.systems.filter((s) =>
    s.check === "ok" && res.rows.some((r) => r.system === s.id)
  );
  return {
    kind: "bar",
    file: `core-${rt}.svg`,
    title: `${rt} ${res.runtimeVersion}: ${res.settings.keys.toLocaleString("en")} keys, ` +
      `${res.settings.valueBytes}-byte values, random order (higher is better)`,
    unit: "M ops/s, median",
    log: true,
    groups: CHART_OPS.filter((op) => res.rows.some((r) => r.op === op)).map((op) => ({
      label: op,
      bars: systems.map((s) => {
        const v = cellOf(res, op, s.id)?.opsPerSec;
        return { label: s.label, value: v === undefined ? null : v / 1e6 };
      }),
    })),
  };
}

/** Containers: shmdict, Redis one at a time and pipelined, per operation, log scale. */
function containersChart(r: ContainersResult, rt: Runtime): BarChart {
  const ids = ["shmdict", "redis", "redis-p100"].filter((id) =>
    r.rows.some((x) => x.system === id)
  );
  const label = (id: string): string => r.systems.find((s) => s.id === id)?.label ?? id;
  return {
    kind: "bar",
    file: `containers-${rt}.svg`,
    title: `${rt} ${r.runtimeVersion}: container commands, shmdict vs Redis (higher is better)`,
    unit: "M ops/s, median",
    log: true,
    groups: [...new Set(r.rows.map((x) => x.op))].map((op) => ({
      label: op,
      bars: ids.map((id) => {
        const v = r.rows.find((x) => x.op === op && x.system === id)?.opsPerSec;
        return { label: label(id), value: v === undefined ? null : v / 1e6 };
      }),
    })),
  };
}

/** `blpop` wake-up latency, p50 and p99, per pusher → waiter pair, log scale. */
function blpopChart(res: Partial<Record<Runtime, ContainersResult>>): BarChart {
  const groups: BarChart["groups"] = [];
  for (const rt of RUNTIMES) {
    for (const waiter of RUNTIMES) {
      const rows = (res[rt]?.blpop ?? []).filter((b) => b.pusher === rt && b.waiter === waiter);
      if (rows.length === 0) continue;
      const bars: BarChart["groups"][number]["bars"] = [];
      for (const system of ["shmdict", "redis"]) {
        const b = rows.find((x) => x.system === system);
        const name = system === "shmdict" ? "shmdict" : "Redis";
        bars.push({ label: `${name} p50`, value: b?.p50 ?? null });
        bars.push({ label: `${name} p99`, value: b?.p99 ?? null });
      }
      groups.push({ label: `${rt} → ${waiter}`, bars });
    }
  }
  return {
    kind: "bar",
    file: "blpop-latency.svg",
    title: "blpop wake-up latency across processes (lower is better)",
    unit: "µs",
    log: true,
    groups,
  };
}

/* ---- where the nanoseconds go ---------------------------------------------------- */

function ns(p: ProfileResult | null, id: string): number | undefined {
  return p?.rows.find((r: ProfileRow) => r.id === id)?.nsPerOp;
}

function fmtNs(x: number | undefined): string {
  return x === undefined ? "—" : x.toFixed(x < 100 ? 1 : 0);
}

/**
 * Splits an API call into measured parts; every part is `[label, ns | undefined]`.
 *
 * Each timed loop includes fetching its next random key: the API loop, the
 * key-encoding loop and the key-copy loop alike. So the native call alone is
 * `raw − key copy`, the key part is the whole encoding loop (key fetch
 * included), the value part of `set` is its loop minus the bare loop, and
 * the rest of the wrapper is what the API call costs beyond all of those.
 */
function parts(
  p: ProfileResult | null,
  kind: "get" | "set" | "incr",
): [string, number | undefined][] {
  const v = (id: string) => ns(p, id);
  const sub = (a?: number, ...b: (number | undefined)[]) =>
    a === undefined || b.some((x) => x === undefined)
      ? undefined
      : b.reduce<number>((s, x) => s - x!, a);
  const ffi = v("ffi-empty");
  const keyEnc = v("key-lib");
  const keyHot = v("key-lib-hot");
  const copy = v("key-copy");
  if (kind === "get") {
    const total = v("api-get");
    const apiHot = v("api-get-hot");
    const call = sub(v("get-raw"), copy);
    const callDec = sub(v("get-raw-dec"), copy);
    const hot = v("get-raw-hot");
    const dec = v("dec-lib");
    return [
      ["FFI call (an empty call)", ffi],
      ["C work on a cached key (hot `shmd_get` − empty call), 100 B copied out", sub(hot, ffi)],
      ["encoding the key (`writeString`, 12 B, a hot key)", keyHot],
      ["decoding the value (`readString`, 100 B)", dec],
      ["`Dict.get`'s own code (hot `db.get` − the four above)", sub(apiHot, hot, keyHot, dec)],
      ["= `db.get` of one hot key", apiHot],
      ["cache misses in C at random keys (random − hot `shmd_get`)", sub(call, hot)],
      ["first touch of the key string at random (random − hot key encoding)", sub(keyEnc, keyHot)],
      ["decoding right after a random `shmd_get`, beyond its cost alone", sub(callDec, call, dec)],
      [
        "other stalls at random keys (by difference)",
        sub(total, apiHot, sub(call, hot), sub(keyEnc, keyHot), sub(callDec, call, dec)),
      ],
      ["**= `db.get` at random keys**", total],
    ];
  }
  if (kind === "set") {
    const total = v("api-set");
    const apiHot = v("api-set-hot");
    const call = sub(v("set-raw"), copy);
    const hot = v("set-raw-hot");
    const valRand = sub(v("val-lib"), v("loop"));
    const valHot = v("val-lib-hot");
    /* What `shmd_prefetch` before the value's encoding saves (a negative part). */
    const hidden = sub(v("set-raw-val-pf"), v("set-raw-val"));
    return [
      ["FFI call (an empty call)", ffi],
      ["C work on a cached key (hot `shmd_set` − empty call): lock, journal, copy", sub(hot, ffi)],
      ["encoding the key (`writeString`, 12 B, a hot key)", keyHot],
      ["encoding the value (`writeString`, 100 B, a hot value)", valHot],
      ["`Dict.set`'s own code (hot `db.set` − the four above)", sub(apiHot, hot, keyHot, valHot)],
      ["= `db.set` of one hot key", apiHot],
      ["cache misses in C at random keys (random − hot `shmd_set`)", sub(call, hot)],
      ["first touch of the key string at random (random − hot key encoding)", sub(keyEnc, keyHot)],
      [
        "first touch of the value string at random (random − hot − bare loop)",
        sub(valRand, valHot),
      ],
      [
        "misses hidden behind the value's encoding by `shmd_prefetch` (with − without)",
        hidden,
      ],
      [
        "other stalls at random keys (by difference)",
        sub(total, apiHot, sub(call, hot), sub(keyEnc, keyHot), sub(valRand, valHot), hidden),
      ],
      ["**= `db.set` at random keys**", total],
    ];
  }
  const total = v("api-incr");
  const call = sub(v("incr-raw"), copy);
  return [
    ["FFI + C `shmd_incrby` at random counters", call],
    ["encoding the key (`writeString`, 12 B, a hot key)", keyHot],
    ["first touch of the key string at random (random − hot key encoding)", sub(keyEnc, keyHot)],
    ["rest of `Dict.incr` (reply decoding, checks; by difference)", sub(total, call, keyEnc)],
    ["**= `db.incr` at random keys**", total],
  ];
}

function nanosSection(prof: Partial<Record<Runtime, ProfileResult | null>>): string[] {
  const have = RUNTIMES.filter((rt) => prof[rt]);
  if (have.length === 0) return ["No profile results (bench/profile.bench.ts did not run)."];
  const out: string[] = [
    "Measured by `bench/profile.bench.ts`: each layer timed alone, 1,000 operations per " +
    "tinybench call, median ns per operation over all rounds (process CPU time, as the " +
    "core benchmark), on the same 100,000 keys in " +
    "the same random order as the core benchmark. Calls to `shmd_*` go straight through " +
    "the Native layer (`ffi/`): keys are encoded beforehand and copied into one scratch " +
    "buffer whose pointer was computed once, as `Dict` does (the copy is timed alone and " +
    'subtracted); `set` alternates two pre-encoded values. "Hot" means the same key (or ' +
    "value) every time, so nothing misses the cache; random minus hot is the price of " +
    "touching memory that is not in the cache (this VM exposes no hardware counters to " +
    "`perf`, so cache and TLB misses cannot be told apart here; " +
    `\`/sys/kernel/mm/transparent_hugepage/shmem_enabled\` is \`${thp("shmem_enabled")}\`, ` +
    `\`enabled\` is \`${thp("enabled")}\`).`,
    "",
    "Each table has two blocks: what a call costs when everything is in the cache (the " +
    "layers add up to the API call on one hot key), then what random keys add. Layers that " +
    "run back to back at random keys can cost more than each alone: the CPU overlaps the " +
    "misses of consecutive independent calls less when more work sits between them; the " +
    '"by difference" rows collect that. Parts are differences of medians, so they are ' +
    "approximate (a small negative part is noise).",
    "",
  ];
  for (const kind of ["get", "set", "incr"] as const) {
    const rows = RUNTIMES.map((rt) => parts(prof[rt] ?? null, kind));
    out.push(
      `| \`${kind}\`: where the time goes, ns | ${RUNTIMES.join(" | ")} |`,
      `| --- | ${RUNTIMES.map(() => "---:").join(" | ")} |`,
    );
    rows[0].forEach(([label], i) => {
      out.push(`| ${label} | ${rows.map((r) => fmtNs(r[i][1])).join(" | ")} |`);
    });
    out.push("");
  }
  out.push(
    "Every layer, alone:",
    "",
    `| layer | ${RUNTIMES.map((rt) => `${rt}, ns/op`).join(" | ")} |`,
    `| --- | ${RUNTIMES.map(() => "---:").join(" | ")} |`,
  );
  const first = prof[have[0]]!;
  for (const row of first.rows) {
    out.push(
      `| ${row.label} | ${RUNTIMES.map((rt) => fmtNs(ns(prof[rt] ?? null, row.id))).join(" | ")} |`,
    );
  }
  out.push("");
  for (const rt of have) {
    const g = parts(prof[rt]!, "get");
    const s = parts(prof[rt]!, "set");
    const share = (ps: [string, number | undefined][]) => {
      const total = ps[ps.length - 1][1];
      if (total === undefined) return "";
      return ps.slice(0, -1).filter(([l, x]) => !l.startsWith("=") && x !== undefined && x > 0)
        .sort((a, b) => b[1]! - a[1]!).slice(0, 3)
        .map(([l, x]) =>
          `${l.replace(/ \(.*\)$/, "").replace(/:.*$/, "")} ${pct((100 * x!) / total)}`
        )
        .join(", ");
    };
    out.push(
      `- ${rt}: the largest parts of \`get\` are ${share(g)}; of \`set\`, ${share(s)}. ` +
        `A \`Map.get\` on the same random keys takes ${fmtNs(ns(prof[rt]!, "map-get"))} ns: ` +
        "the floor that random memory access sets for any in-process store here.",
    );
  }
  return out;
}

/* ---- containers ------------------------------------------------------------------ */

function containersSection(
  res: Partial<Record<Runtime, ContainersResult>>,
  charts: Chart[],
): string[] {
  const have = RUNTIMES.filter((rt) => res[rt]);
  if (have.length === 0) {
    return ["No containers results (bench/containers.bench.ts did not run)."];
  }
  const any = res[have[0]]!;
  const st = any.settings;
  const out: string[] = [
    "`bench/containers.bench.ts`: shmdict and Redis on loopback (ioredis; one command per " +
    `round trip, and pipelines of 100) in the same process run. Reads: \`hget\` of a random ` +
    `field of a ${st.hashFields.toLocaleString("en")}-field hash (${st.valueBytes}-byte ` +
    `values); \`sismember\` of a random one of ${st.setProbes.toLocaleString("en")} names ` +
    "against a set holding half of them (half hits); `zrank` of a random member and " +
    `\`zrange 0 ${st.zrange - 1}\` of a ${st.zsetMembers.toLocaleString("en")}-member ` +
    "sorted set; timed for a time budget per round as the core benchmark. Writes insert " +
    "something new each time (`hset` a new field, `sadd` / `zadd` a new member, `lpush` a " +
    `${st.valueBytes}-byte element onto a queue that \`rpop\` then drains, FIFO) for a fixed ` +
    "number of calls per round (shmdict 200 × 1,000 ops, Redis 40 × 100, Redis ×100 40 × 1,000, " +
    "after 4 warmup calls), so the structures stay bounded; they are deleted after each " +
    "round. Every system is checked once per operation before timing, and every task after " +
    "it ran (the last batch's replies, the sizes written, FIFO order); a failure posts no " +
    `figure. Median M ops/s over ${st.rounds} rounds; clock: ` +
    `${st.clock === "cpu" ? "CPU time for shmdict, wall time for Redis" : "wall time"}.`,
    "",
  ];
  const label = (r: ContainersResult, id: string) =>
    r.systems.find((s) => s.id === id)?.label ?? id;
  for (const rt of have) {
    const r = res[rt]!;
    const cell = (op: string, id: string): ContainerRow | undefined =>
      r.rows.find((x) => x.op === op && x.system === id);
    const ids = ["shmdict", "redis", "redis-p100"].filter((id) =>
      r.rows.some((x) => x.system === id)
    );
    const fmt = (x: ContainerRow | undefined, bold: boolean) => {
      if (x === undefined) return "—";
      if (x.opsPerSec === undefined) return "FAILED";
      const v = `${mops(x.opsPerSec)} (${mops(x.opsPerSecP75!)}–${mops(x.opsPerSecP25!)})`;
      return bold ? `**${v}**` : v;
    };
    const ratioOf = (op: string, id: string) => {
      const a = cell(op, "shmdict")?.opsPerSec;
      const b = cell(op, id)?.opsPerSec;
      return a === undefined || b === undefined ? "—" : ratio(a / b);
    };
    out.push(
      `### ${rt} ${r.runtimeVersion}`,
      "",
      embed(charts, containersChart(r, rt)),
      "",
      "M ops/s, median (interquartile range in parentheses), and shmdict ÷ Redis " +
        "(> 1: shmdict is faster):",
      "",
      `| operation | ${ids.map((id) => label(r, id)).join(" | ")} | shmdict ÷ Redis | ` +
        `shmdict ÷ Redis ×100 |`,
      `| --- | ${ids.map(() => "---:").join(" | ")} | ---: | ---: |`,
    );
    /* The rows are in the benchmark's operation order. */
    for (const op of [...new Set(r.rows.map((x) => x.op))]) {
      const cells = ids.map((id) => fmt(cell(op, id), id === "shmdict"));
      out.push(
        `| \`${op}\` | ${cells.join(" | ")} | ${ratioOf(op, "redis")} | ` +
          `${ratioOf(op, "redis-p100")} |`,
      );
    }
    const failures = [
      ...r.systems.filter((s) => s.check !== "ok").map((s) =>
        `- ${s.label}: check failed, not timed: ${s.check}`
      ),
      ...r.rows.filter((x) => x.error !== undefined).map((x) =>
        `- ${label(r, x.system)} \`${x.op}\`: ${x.error}`
      ),
      ...r.blpop.filter((b) => b.error !== undefined).map((b) =>
        `- blpop ${b.system} (${b.pusher} → ${b.waiter}): ${b.error}`
      ),
    ];
    if (failures.length > 0) out.push("", "**Failures in this run:**", "", ...failures);
    out.push("");
  }
  out.push(
    "### `blpop` wake-up latency across processes",
    "",
    "A waiter process loops `rpush ready` + `blpop q`; the pusher (the benchmark process) " +
      `waits for \`ready\`, sleeps ${st.blpopGapMs} ms so the waiter is parked in \`blpop\`, ` +
      "then `rpush`es its clock to `q`; the waiter subtracts that from its own clock when " +
      "`blpop` resolves. Both read CLOCK_REALTIME as `performance.timeOrigin + " +
      "performance.now()` (sub-µs resolution in both runtimes). The waiter is the other " +
      "runtime, then the same one; for Redis both ends use ioredis on loopback. " +
      `${st.blpopRounds} timed rounds after 20 untimed ones; µs.`,
    "",
    embed(charts, blpopChart(res)),
    "",
    "| system | pusher → waiter | p50 | p90 | p99 | max | min | mean |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  const us = (x: number | undefined) => x === undefined ? "—" : x.toFixed(x < 100 ? 1 : 0);
  for (const system of ["shmdict", "redis"]) {
    for (const rt of have) {
      for (const b of res[rt]!.blpop.filter((x) => x.system === system)) {
        const name = system === "shmdict" ? "shmdict" : "Redis";
        if (b.error !== undefined) {
          out.push(`| ${name} | ${b.pusher} → ${b.waiter} | FAILED: ${b.error} | | | | | |`);
          continue;
        }
        const p50 = system === "shmdict" ? `**${us(b.p50)}**` : us(b.p50);
        out.push(
          `| ${name} | ${b.pusher} → ${b.waiter} | ${p50} | ${us(b.p90)} | ${us(b.p99)} | ` +
            `${us(b.max)} | ${us(b.min)} | ${us(b.mean)} |`,
        );
      }
    }
  }
  return out;
}

/* ---- section modules --------------------------------------------------------------- */

/** Suites in the order their sections appear; others follow alphabetically. */
export const SECTION_ORDER: readonly string[] = [
  "restart",
  "growth",
  "memory",
  "shared",
  "scaling",
  "mixed",
  "floor",
];

/** What became of one section module. */
type Loaded =
  | { suite: string; state: "ok"; section: Section }
  | { suite: string; state: "not run" }
  | { suite: string; state: "failed"; error: string };

/** The suites that have a module in `dir`, in report order. */
function sectionSuites(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const suites = readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => f.slice(0, -3));
  const rank = (s: string): number => {
    const i = SECTION_ORDER.indexOf(s);
    return i < 0 ? SECTION_ORDER.length : i;
  };
  return suites.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Throws unless `x` has the shape of a {@link Section} (modules are loaded at run time). */
function checkSection(x: unknown): Section {
  const o = x as Partial<Record<keyof Section, unknown>>;
  if (typeof x !== "object" || x === null) throw new Error("did not return an object or null");
  if (typeof o.title !== "string") throw new Error("`title` is not a string");
  if (typeof o.markdown !== "string") throw new Error("`markdown` is not a string");
  if (!Array.isArray(o.charts)) throw new Error("`charts` is not an array");
  if (!Array.isArray(o.targets)) throw new Error("`targets` is not an array");
  for (const c of o.charts as Partial<Chart>[]) {
    if (typeof c?.file !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*\.svg$/.test(c.file)) {
      throw new Error(`chart file ${JSON.stringify(c?.file)} is not a plain name ending in .svg`);
    }
    if (c.kind !== "bar" && c.kind !== "line") {
      throw new Error(`chart ${c.file}: kind ${JSON.stringify(c.kind)}`);
    }
  }
  for (const t of o.targets as Partial<Target>[]) {
    if (typeof t?.target !== "string" || !Array.isArray(t.results)) {
      throw new Error(`a target is not { target, results }: ${JSON.stringify(t)}`);
    }
  }
  return x as Section;
}

/** Imports `dir/<suite>.ts` and calls its default export with the results directory. */
async function loadSection(dir: string, suite: string, resultsDir: string): Promise<Loaded> {
  try {
    const mod = await import(pathToFileURL(resolve(dir, `${suite}.ts`)).href) as {
      default?: unknown;
    };
    if (typeof mod.default !== "function") throw new Error("no default export function");
    const out = await (mod.default as SectionFn)(resultsDir);
    if (out === null || out === undefined) return { suite, state: "not run" };
    return { suite, state: "ok", section: checkSection(out) };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { suite, state: "failed", error: error.split("\n")[0] };
  }
}

/** The Markdown of a loaded section: its heading, its body, its charts. */
function sectionMarkdown(l: Loaded, charts: Chart[]): string[] {
  if (l.state === "not run") {
    return [
      `## ${l.suite}`,
      "",
      `Not run: no results from \`bench/${l.suite}.bench.ts\` in bench/results/ ` +
      `(\`npm run bench -- ${l.suite}\` runs it).`,
    ];
  }
  if (l.state === "failed") {
    return [`## ${l.suite}`, "", `**FAILED**: bench/sections/${l.suite}.ts: ${l.error}`];
  }
  const out = [`## ${l.section.title}`, "", l.section.markdown.trim()];
  if (l.section.charts.length > 0) {
    out.push("", ...l.section.charts.flatMap((c) => [embed(charts, c), ""]));
  }
  return out;
}

/** Targets rows for a loaded section; one "not run" / "FAILED" row when it has none to give. */
function loadedTargets(l: Loaded): TargetRow[] {
  if (l.state === "ok") return sectionTargets(l.suite, l.section.targets);
  const what = l.state === "not run" ? "not run" : "**FAILED** (see its section)";
  const cells: Record<string, string> = {};
  for (const rt of RUNTIMES) cells[rt] = what;
  return [{ target: `the ${l.suite} suite's targets`, suite: l.suite, cells }];
}

/** Writes every chart to `dir`; two charts with one file name are an error. */
function writeCharts(dir: string, charts: Chart[]): void {
  const seen = new Set<string>();
  for (const c of charts) {
    if (seen.has(c.file)) throw new Error(`two charts are called ${c.file}`);
    seen.add(c.file);
  }
  mkdirSync(dir, { recursive: true });
  for (const c of charts) writeFileSync(`${dir}/${c.file}`, renderChart(c));
}

async function main(): Promise<void> {
  const charts: Chart[] = [];
  const core: Partial<Record<Runtime, CoreResult>> = {};
  const prof: Partial<Record<Runtime, ProfileResult | null>> = {};
  for (const rt of RUNTIMES) {
    const c = load<CoreResult>(`${rt}.json`);
    if (c) core[rt] = c;
    prof[rt] = load<ProfileResult>(`profile-${rt}.json`);
  }
  const containers: Partial<Record<Runtime, ContainersResult>> = {};
  for (const rt of RUNTIMES) {
    const c = load<ContainersResult>(`containers-${rt}.json`);
    if (c) containers[rt] = c;
  }
  const sectionsDir = process.env.BENCH_SECTIONS_DIR || here("./sections/");
  const outDir = process.env.BENCH_REPORT_DIR || here("./");
  const loaded: Loaded[] = [];
  for (const suite of sectionSuites(sectionsDir)) {
    loaded.push(await loadSection(sectionsDir, suite, here("./results/")));
  }
  const any = Object.values(core)[0];
  /* Runtimes first, then the rest in the order the runs recorded them. */
  const versions: Record<string, string> = {};
  for (const rt of RUNTIMES) {
    const v = core[rt]?.runtimeVersion ?? prof[rt]?.runtimeVersion;
    if (v) versions[rt] = v;
  }
  for (const rt of RUNTIMES) {
    const c = core[rt];
    if (!c) continue;
    for (const [k, v] of Object.entries(c.versions)) {
      if (k === "sqlite") versions[`SQLite (${rt})`] = v;
      else versions[k] = v;
    }
  }
  const md: string[] = [
    "# Benchmark results",
    "",
    "Written by `npm run bench` (scripts/bench.sh: every `bench/*.bench.ts` suite under Deno " +
    "and Bun, then `bench/report.ts`, which also draws the charts in `bench/charts/`). " +
    `Report written ${new Date().toISOString()}.`,
    "",
    "## Targets",
    "",
    ...targetsTable([...coreTargets(core), ...loaded.flatMap(loadedTargets)]),
    "",
    "## Machine",
    "",
    ...machine(),
    `- shmdict's segment: ${mountOf("/dev/shm")}; lmdb-js and SQLite files: ` +
    `${any ? `${any.settings.dir} on ${mountOf(any.settings.dir)}` : "unknown"}`,
    "",
    "## Versions",
    "",
    `| ${Object.keys(versions).join(" | ")} |`,
    `| ${Object.keys(versions).map(() => "---").join(" | ")} |`,
    `| ${Object.values(versions).join(" | ")} |`,
    "",
    "## Core: what was measured",
    "",
    "- 100,000 keys of 12 bytes (`key:00000001`…) with 100-byte ASCII values, plus 100,000 " +
    'counters (`ctr:…`, loaded as `"0"`) for `incr`; keys are read and written in one ' +
    "uniformly random order (131,072 indexes, walked cyclically), the same in every system " +
    "and runtime. `set` alternates between two values per key so that no write stores what " +
    "is already there.",
    "- Each tinybench call runs a batch of 1,000 operations (Redis one at a time: 100), so " +
    "tinybench's per-call overhead is not counted per operation; ops/s = batch ÷ call time. " +
    "Every task is measured in several rounds (each round sweeps all tasks); figures are the " +
    "median over the calls of all rounds, the spread is their interquartile range, `±rme` " +
    "the relative margin of error of the mean (95%), and the per-round medians are listed.",
    "- Clock: in-process systems are timed in process CPU time (`process.cpuUsage()`, user + " +
    "system, all threads; tinybench subtracts the cost of reading it). On this shared 2-core " +
    "machine other processes take the CPU for a 4–8 ms scheduler slice every few " +
    "milliseconds; on the wall clock a 1–2 ms batch is hit about every other time, which " +
    "makes the call times bimodal and the median flip between the two modes, and long " +
    "batches (lmdb-js, SQLite writes) are hit every time, which biases the ratios. CPU time " +
    "leaves that out and keeps what the runtime's helper threads spend (concurrent GC, JIT). " +
    "Redis waits on another process, so it is timed on the wall clock (`BENCH_CLOCK=wall` " +
    "times everything so).",
    "- All systems run in the same process, operation by operation (every system's `get`, " +
    "then every system's `getBytes`, …), so the ratios compare figures taken minutes apart " +
    "at most on this shared machine. Redis comes after the in-process systems: its client, " +
    "ioredis, declares a subclass of `String`, and under V8 that turns `String.prototype` " +
    "into a dictionary for the rest of the process, after which every `s.charCodeAt(i)` is " +
    "a generic call (lmdb-js's `get` lost about 25% under Deno with ioredis loaded; " +
    "shmdict's codec is immune, see the profile's last rows).",
    "- Correctness: before timing, every system is checked (100 sampled keys read back the " +
    "loaded value as string and bytes, a missing key is null, `set` then `get`, `incr`); after " +
    "every task, the last batch is checked (bytes returned, the last `set` visible, the last " +
    "`incr` reply equals what `get` reads). A failure is reported, not timed.",
    "",
    "How each system was used:",
    "",
  ];
  const ids: string[] = [];
  for (const rt of RUNTIMES) {
    for (const s of core[rt]?.systems ?? []) if (!ids.includes(s.id)) ids.push(s.id);
  }
  for (const id of ids) {
    const seen = new Set<string>();
    for (const rt of RUNTIMES) {
      const s = core[rt]?.systems.find((x) => x.id === id);
      if (s === undefined || seen.has(s.detail)) continue;
      seen.add(s.detail);
      md.push(`- **${s.label}**${id === "sqlite" ? ` (${rt})` : ""}: ${s.detail}`);
    }
  }
  for (const rt of RUNTIMES) {
    const c = core[rt];
    md.push("", `## ${rt}${c ? ` ${c.runtimeVersion}` : ""}`, "");
    if (!c) md.push(`No result: bench/results/${rt}.json is missing (the ${rt} run failed).`);
    else md.push(...coreSection(c, rt, charts));
  }
  md.push("", "## Containers", "", ...containersSection(containers, charts));
  md.push("", "## Where the nanoseconds go", "", ...nanosSection(prof));
  for (const l of loaded) md.push("", ...sectionMarkdown(l, charts));
  if (existsSync(here("./READERS.md"))) {
    md.push(
      "",
      "## Readers in separate processes",
      "",
      "`bench/readers.bench.ts` writes its own report: [READERS.md](READERS.md).",
    );
  }
  md.push("");
  writeCharts(resolve(outDir, "charts"), charts);
  const path = resolve(outDir, "RESULTS.md");
  writeFileSync(path, md.join("\n"));
  /* Keep the file as `deno fmt` (which covers bench/) wants it. */
  execFileSync(process.execPath, ["fmt", "--quiet", "--config", here("../deno.json"), path], {
    stdio: "inherit",
  });
  console.log(`wrote ${path} and ${charts.length} charts in ${resolve(outDir, "charts")}/`);
  const failed = loaded.filter((l) => l.state === "failed");
  for (const l of failed) {
    if (l.state === "failed") {
      console.error(`${resolve(sectionsDir, l.suite)}.ts failed: ${l.error}`);
    }
  }
  if (failed.length > 0) process.exit(1);
}

await main();
