/**
 * The report section of `bench/shared.bench.ts`: the memory four worker
 * processes take between them when they share one shmdict dictionary, and
 * when each holds its own `Map` of the same data.
 *
 * @module
 */

import type { ScenarioResult, SharedResult } from "../shared.bench.ts";
import { formatBytes } from "../support/proc-memory.ts";
import type { BarChart, Section, SectionFn, Target } from "../support/section.ts";
import { loadResults, table } from "../support/section-util.ts";
import { median } from "../support/proc-stats.ts";

/** shmdict passes when its workers take at most this many copies of the data beyond the runtimes. */
const MAX_COPIES = 1.25;

const GiB = 2 ** 30;

const LABEL: Record<string, string> = {
  idle: "runtimes alone (idle workers)",
  shmdict: "shmdict (one shared dictionary)",
  map: "a `Map` in each worker",
};

/** Builds the section from `shared-<runtime>.json`, or null when neither runtime ran. */
const sharedSection: SectionFn = (dir: string): Section | null => {
  const runs = loadResults<SharedResult>(dir, "shared");
  if (runs.length === 0) return null;
  const first = runs[0].result;
  const s = first.settings;
  const L: string[] = [];
  L.push(
    `${s.workers} worker processes of the runtime each need the same read-only data set: ` +
      `${s.keys.toLocaleString("en")} keys of ${s.keyBytes} bytes with ` +
      `${s.valueBytes.toLocaleString("en")}-byte ASCII values, ${formatBytes(first.dataBytes)} ` +
      "(configuration documents). The parent writes it once " +
      "into a dictionary (then closes it: the parent maps nothing) and into an NDJSON file " +
      `(\`["key","value"]\` per line, ${formatBytes(first.fileBytes)}). Three scenarios run one ` +
      `after the other, each with ${s.workers} workers alive at once when measured:`,
  );
  L.push("");
  L.push(
    "- **runtimes alone**: the workers start and do nothing (what the runtime itself costs);",
    "- **shmdict**: each worker opens the dictionary (`readonly`) and `get`s every key once, " +
      "checking each value's length and head;",
    "- **Map**: each worker reads the file in 16 MiB chunks and `JSON.parse`s every line into " +
      "its own `Map`, as an application loads its configuration, then checks the count and " +
      "every length.",
  );
  L.push("");
  L.push(
    "Every worker then runs a full garbage collection (`Bun.gc(true)`; V8's `gc()` under " +
      "`--expose-gc`), so the figures are the live data rather than the garbage a loader leaves " +
      "behind (the favourable case for `Map`), and the parent reads each worker's " +
      "`/proc/<pid>/smaps_rollup` and, for shmdict, the segment's entries in `/proc/<pid>/smaps`.",
  );
  L.push("");
  L.push(
    "How shared memory is counted: proportional set size (PSS) divides each resident page among " +
      "the processes that map it, so a page of the segment mapped by four workers counts a " +
      "quarter in each, and the workers' PSS adds up to what they take between them. Pages of " +
      "the segment no worker maps (committed ahead of the heap's top, never touched) are in " +
      "nobody's PSS but still occupy memory (`Shmem` in `/proc/meminfo`). So the **total** is " +
      "the workers' summed PSS with their shares of the segment replaced by the segment's " +
      "allocated size (its tmpfs blocks): the segment counted exactly once. **Beyond the " +
      "runtimes** subtracts the idle scenario's total; **copies** divides that by the data size.",
  );
  const heap = runs.find((r) => r.result.settings.heapMb !== null)?.result.settings.heapMb;
  L.push("");
  L.push(
    "Heap limits: " +
      (heap !== undefined && heap !== null
        ? `under Deno the \`Map\` workers run with \`--v8-flags=--max-old-space-size=${heap}\` ` +
          "(MiB; V8's default on this machine is about 4 GiB); "
        : "") +
      "Bun (JavaScriptCore) has no heap limit to raise.",
  );

  const targets: Target[] = [{
    target:
      `${s.workers} workers sharing ${formatBytes(first.dataBytes)} of configuration through ` +
      `shmdict take ≈ 1 copy: total PSS (segment once) beyond the runtimes ≤ ${MAX_COPIES} × ` +
      "the data",
    results: [],
  }];
  const chart: BarChart = {
    kind: "bar",
    file: "shared-memory.svg",
    title: `Memory of ${s.workers} workers holding ${formatBytes(first.dataBytes)} of data ` +
      "(total PSS, segment counted once)",
    unit: "GiB",
    groups: [],
  };

  for (const { runtime, result: r } of runs) {
    const get = (id: string): ScenarioResult | undefined =>
      r.scenarios.find((x) => x.scenario === id);
    L.push("");
    L.push(`### ${runtime} ${r.runtimeVersion}`);
    L.push("");
    L.push(
      `${r.date}; ${r.machine.cpuModel}, ${r.machine.cpus} CPUs, ` +
        `${formatBytes(r.machine.memBytes)}; load average at the end ` +
        `${r.machine.loadavg.map((x) => x.toFixed(1)).join(" ")}. The segment after loading: ` +
        `${formatBytes(r.segment.allocated)} allocated in /dev/shm ` +
        `(${formatBytes(r.segment.used)} in live blocks; reserved ${
          formatBytes(r.segment.reserved)
        }).`,
    );
    if (!r.ok) L.push("", `**FAILED**: ${r.errors.join("; ")}`);
    L.push("");
    L.push(
      ...table(
        [
          "scenario",
          "Σ PSS",
          "of it, segment shares",
          "total (segment once)",
          "beyond the runtimes",
          "copies of the data",
          "PSS per worker: median (min–max)",
          "RSS per worker",
          "ready after",
        ],
        r.scenarios.map((x) => {
          const pss = x.workers.map((w) => w.mem.pss);
          return [
            LABEL[x.scenario] ?? x.scenario,
            formatBytes(x.pssSum),
            x.scenario === "shmdict" ? formatBytes(x.segmentPssSum) : "—",
            formatBytes(x.total),
            x.scenario === "idle" ? "—" : formatBytes(x.net),
            x.scenario === "idle" ? "—" : `${x.copies.toFixed(2)} ×`,
            `${formatBytes(median(pss))} (${formatBytes(Math.min(...pss))}–${
              formatBytes(Math.max(...pss))
            })`,
            formatBytes(median(x.workers.map((w) => w.mem.rss))),
            `${(x.loadMs / 1000).toFixed(1)} s`,
          ];
        }),
      ),
    );
    const sh = get("shmdict"), mp = get("map");
    if (sh !== undefined) {
      const seg = sh.workers.map((w) => w.segment).filter((x) => x !== null);
      L.push("");
      L.push(
        `With shmdict each worker has ${
          formatBytes(median(seg.map((x) => x.rss)))
        } of the segment resident (its RSS counts all of it) but is charged ` +
          `${
            formatBytes(median(seg.map((x) => x.pss)))
          } (PSS): one copy split ${s.workers} ways. ` +
          `Its own memory besides the segment: ${
            formatBytes(median(sh.workers.map((w) => w.mem.pss - (w.segment?.pss ?? 0))))
          } per worker (idle: ${
            formatBytes(median((get("idle")?.workers ?? []).map((w) => w.mem.pss)))
          }).` +
          (mp !== undefined
            ? ` The \`Map\` workers take ${r.mapOverShmdict.toFixed(2)} × the shmdict total; ` +
              `each holds ${
                formatBytes(median(mp.workers.map((w) => w.heapUsed)))
              } of live JS heap after its GC.`
            : ""),
      );
    }
    chart.groups.push({
      label: `${runtime} ${r.runtimeVersion}`,
      bars: [
        { label: "runtimes alone", value: get("idle") ? get("idle")!.total / GiB : null },
        { label: "shmdict", value: sh ? sh.total / GiB : null },
        { label: "Map per worker", value: mp ? mp.total / GiB : null },
      ],
    });
    targets[0].results.push(
      sh === undefined || !r.ok
        ? { runtime, pass: false, figure: `FAILED: ${r.errors.join("; ") || "no shmdict figures"}` }
        : {
          runtime,
          pass: sh.copies <= MAX_COPIES,
          figure: `${sh.copies.toFixed(2)} × (${formatBytes(sh.net)} beyond the runtimes; ` +
            `Map ${mp ? `${mp.copies.toFixed(2)} ×` : "—"})`,
        },
    );
  }
  L.push("");
  L.push(
    "Memory is not timing: these figures barely depend on a busy machine, but the `Map` " +
      "figures do depend on when the runtime last returned heap pages to the system.",
  );
  return {
    title: "Shared configuration: one copy for every worker",
    markdown: L.join("\n"),
    charts: [chart],
    targets,
  };
};

export default sharedSection;
