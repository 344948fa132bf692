/**
 * The "Memory per element" section of bench/RESULTS.md, from
 * `bench/results/memory-<runtime>.json` (written by bench/memory.bench.ts).
 *
 * @module
 */

import {
  fmtBytes,
  type MemoryCell,
  type MemoryDataset,
  type MemoryResult,
  readResults,
} from "../support/big-results.ts";
import { count } from "../support/big-data.ts";
import type { BarChart, Section, SectionFn, Target } from "../support/section.ts";

const RUNTIME_NAMES: Record<string, string> = { deno: "Deno", bun: "Bun" };

/** The data sets with a target: shmdict ≤ Redis. */
const TARGETED: { id: string; words: string }[] = [
  { id: "strings", words: "string keys" },
  { id: "hash-small", words: "hash fields, small hashes" },
  { id: "hash-big", words: "hash fields, one big hash" },
];

function rtName(r: MemoryResult): string {
  return `${RUNTIME_NAMES[r.runtime] ?? r.runtime} ${r.runtimeVersion}`;
}

function cell(d: MemoryDataset, system: string): MemoryCell | undefined {
  return d.cells.find((c) => c.system === system);
}

function table(r: MemoryResult): string {
  const rows = [
    "| data set | payload B/element | **shmdict B/element** | segment heap growth | " +
    "Redis B/element | Redis encoding | shmdict ÷ Redis |",
    "| --- | ---: | ---: | ---: | ---: | --- | ---: |",
  ];
  for (const d of r.datasets) {
    const s = cell(d, "shmdict");
    const x = cell(d, "redis");
    const ratio = s !== undefined && x !== undefined
      ? (s.bytesPerElement / x.bytesPerElement).toFixed(2)
      : "—";
    rows.push(
      `| ${d.shape} | ${d.payloadBytes} | **${s ? s.bytesPerElement.toFixed(1) : "—"}** | ` +
        `${s ? fmtBytes(s.after - s.before) : "—"} | ` +
        `${x ? x.bytesPerElement.toFixed(1) : "—"} | ${x?.encoding ?? "—"} | ${ratio} |`,
    );
  }
  return rows.join("\n");
}

function chart(results: MemoryResult[]): BarChart {
  const ids = results[0].datasets.map((d) => d.id);
  return {
    kind: "bar",
    file: "memory-per-element.svg",
    title: `Bytes per element (${count(results[0].settings.elements, true)} elements a data set)`,
    unit: "bytes / element",
    groups: ids.map((id) => {
      const bars = [];
      for (const r of results) {
        const d = r.datasets.find((x) => x.id === id);
        bars.push({
          label: `shmdict (${r.runtime})`,
          value: d ? (cell(d, "shmdict")?.bytesPerElement ?? null) : null,
        });
      }
      const withRedis = results.find((r) => {
        const d = r.datasets.find((x) => x.id === id);
        return d !== undefined && cell(d, "redis") !== undefined;
      });
      const rd = withRedis?.datasets.find((x) => x.id === id);
      bars.push({
        label: "Redis",
        value: rd ? (cell(rd, "redis")?.bytesPerElement ?? null) : null,
      });
      return { label: results[0].datasets.find((d) => d.id === id)?.label ?? id, bars };
    }),
  };
}

function targets(results: MemoryResult[]): Target[] {
  return TARGETED.map(({ id, words }) => ({
    target: `memory: shmdict ≤ Redis bytes per element, ${words}`,
    results: results.map((r) => {
      const d = r.datasets.find((x) => x.id === id);
      const s = d && cell(d, "shmdict");
      const x = d && cell(d, "redis");
      if (s === undefined || x === undefined) {
        return {
          runtime: r.runtime,
          pass: false,
          figure: d === undefined ? "not run" : "Redis not measured",
        };
      }
      return {
        runtime: r.runtime,
        pass: s.bytesPerElement <= x.bytesPerElement,
        figure: `${s.bytesPerElement.toFixed(1)} B vs Redis ${x.bytesPerElement.toFixed(1)} B ` +
          `(${x.encoding ?? "?"})`,
      };
    }),
  }));
}

/**
 * Builds the "Memory per element" section from the memory suite's results.
 * @param resultsDir `bench/results/`, absolute, ending in `/`
 * @returns the section, or `null` when neither runtime's results exist
 */
const memorySection: SectionFn = (resultsDir: string): Section | null => {
  const results = readResults<MemoryResult>(resultsDir, "memory");
  if (results.length === 0) return null;
  const first = results[0];
  const cfg = results.find((r) => r.versions["redis-server"] !== undefined)?.versions ?? {};
  const lp = (k: string): string => cfg[`redis ${k}`] ?? "?";
  const md: string[] = [];
  md.push(
    `Each data set holds ${count(first.settings.elements)} elements (string keys, hash fields ` +
      "or sorted-set members) and is loaded into a fresh shmdict dictionary and into an " +
      "emptied Redis (`FLUSHALL SYNC`). shmdict's figure is the growth of " +
      `${first.settings.shmdictCounter} over the loading, per element; Redis's the growth ` +
      `of ${first.settings.redisCounter} (what its allocator handed out), per element. ` +
      "Both include the keys' index (hash table) and every per-entry header. *Payload* is " +
      "the bytes of the element's own data (key or field or member, and value; a score " +
      "counts 8).",
  );
  md.push("");
  md.push(
    "Hashes and sorted sets are measured in two realistic shapes: many small containers " +
      "(100 entries) and one big one. Redis stores a hash of at most " +
      `${lp("hash-max-listpack-entries")} fields with values of at most ` +
      `${lp("hash-max-listpack-value")} bytes, and a sorted set of at most ` +
      `${lp("zset-max-listpack-entries")} members of at most ${lp("zset-max-listpack-value")} ` +
      "bytes, as a compact *listpack*; larger ones as a hash table (hashes) or a skiplist " +
      "plus hash table (sorted sets). The hash values (40 bytes) and the integer scores " +
      "are chosen so that the small shapes qualify; the *Redis encoding* column shows " +
      "what Redis chose (`OBJECT ENCODING` of one key). Sizes of these figures depend on " +
      "the C library and Redis only, not on the runtime.",
  );
  for (const r of results) {
    md.push("");
    md.push(`### ${rtName(r)}`);
    md.push("");
    md.push(
      `Run ${r.date.slice(0, 16).replace("T", " ")} UTC, ${Math.round(r.wallSeconds)} s in all` +
        (r.versions["redis-server"]
          ? `; Redis ${r.versions["redis-server"]} (ioredis ${r.versions.ioredis ?? "?"}).`
          : "; Redis not measured (no `BENCH_REDIS_PORT`)."),
    );
    md.push("");
    md.push(table(r));
  }
  return {
    title: "Memory per element",
    markdown: md.join("\n"),
    charts: [chart(results)],
    targets: targets(results),
  };
};

export default memorySection;
