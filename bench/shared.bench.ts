/**
 * Shared configuration: four worker processes that each need the same large
 * read-only data set. How much memory do they take between them when each
 * holds its own `Map`, and when they all open one shmdict dictionary?
 *
 * ```sh
 * node_modules/.bin/deno run -A bench/shared.bench.ts
 * node_modules/.bin/bun bench/shared.bench.ts
 * SHARED_KEYS=16384 node_modules/.bin/deno run -A bench/shared.bench.ts   # a quick try
 * ```
 *
 * The data set: `SHARED_KEYS` (default 262,144) keys of 12 bytes
 * (`cfg:00000001` …) with `SHARED_VALUE_BYTES` (default 4,096) bytes of ASCII
 * each, 1 GiB of values by default: a configuration of a quarter of a million
 * 4 KiB documents. The parent generates it once, streaming, into a fresh
 * dictionary (`open(name, { size })`, then closes it, so the parent maps
 * nothing) and into an NDJSON file (`["key","value"]` per line, in
 * `BENCH_DIR` or the OS temp dir), then runs three scenarios one after the
 * other, each with `SHARED_WORKERS` (default 4) child processes of the same
 * runtime, all alive at once when measured:
 *
 * | scenario | each worker |
 * | --- | --- |
 * | `idle` | starts and does nothing: the runtime's own memory |
 * | `shmdict` | opens the dictionary (`readonly`), `get`s every key once and checks its length and head |
 * | `map` | reads the file in 16 MiB chunks, `JSON.parse`s each line into a `Map`, checks the count and every length |
 *
 * Each worker then runs a full garbage collection (Bun's `Bun.gc(true)`,
 * V8's `gc()` under `--expose-gc`: the figures are the live data, not the
 * garbage a loader left behind, which is the favourable case for `Map`) and
 * says it is ready; the parent waits 300 ms and reads every worker's
 * `/proc/<pid>/smaps_rollup` and, for shmdict, the segment's entries in
 * `/proc/<pid>/smaps`.
 *
 * PSS splits a shared page among the processes that map it, so the workers'
 * PSS adds up to what they take between them; but pages of the segment that
 * no worker has mapped (committed, not yet touched) are in nobody's PSS, so the
 * total adds the segment's allocated size (its tmpfs blocks) in place of the
 * workers' shares of it: the segment is counted exactly once. The net figure
 * subtracts the idle scenario (the runtimes themselves) and is given as a
 * multiple of the data size (keys + values).
 *
 * Heap: under Deno each `map` worker runs with
 * `--v8-flags=--max-old-space-size=<SHARED_HEAP_MB>` (default 4 × the data
 * size, at least 2,048 MiB; V8's default here is about 4 GiB); Bun (JSC) has
 * no heap limit to raise.
 *
 * Writes `bench/results/shared-<runtime>.json`.
 *
 * @module
 */

import { closeSync, existsSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { type Dict, drop, open } from "../lib/mod.ts";
import {
  type ChildProcess,
  fullGc,
  send,
  sleep,
  startChild,
  untilStdinEnds,
} from "./support/proc-children.ts";
import { xorshift32 } from "./support/data.ts";
import {
  env,
  envNumber,
  exit,
  machineInfo,
  runtime,
  runtimeVersion,
  writeResult,
} from "./support/env.ts";
import {
  allocatedBytes,
  formatBytes,
  readMapping,
  readRollup,
  type Rollup,
} from "./support/proc-memory.ts";
import { Progress } from "./support/progress.ts";
import { median, sum } from "./support/proc-stats.ts";

/** The scenarios, in the order they run. */
export type Scenario = "idle" | "shmdict" | "map";

/** One worker, measured while all of its scenario's workers were alive. */
export interface WorkerResult {
  /** Its process id. */
  pid: number;
  /** Its `smaps_rollup`, bytes. */
  mem: Rollup;
  /** The segment's mappings in this worker (shmdict only), bytes. */
  segment: { size: number; rss: number; pss: number } | null;
  /** Time from start to ready (load, check, GC), ms. */
  loadMs: number;
  /** Keys it holds or read. */
  keys: number;
  /** Its JS heap in use after the GC, bytes (as the runtime reports it). */
  heapUsed: number;
}

/** One scenario's figures. */
export interface ScenarioResult {
  /** The scenario. */
  scenario: Scenario;
  /** Its workers. */
  workers: WorkerResult[];
  /** Σ PSS of the workers. */
  pssSum: number;
  /** Σ of the workers' PSS shares of the segment (0 without one). */
  segmentPssSum: number;
  /** pssSum − segmentPssSum + the segment's allocated bytes: the segment counted once. */
  total: number;
  /** total − the idle scenario's total. */
  net: number;
  /** net ÷ the data size. */
  copies: number;
  /** Wall time from the first spawn to the last worker ready, ms. */
  loadMs: number;
}

/** What `bench/results/shared-<runtime>.json` holds. */
export interface SharedResult {
  /** The suite. */
  suite: "shared";
  /** The runtime it ran under. */
  runtime: string;
  /** Its version. */
  runtimeVersion: string;
  /** When it ran (ISO 8601). */
  date: string;
  /** The machine, and its load average at the end. */
  machine: { cpus: number; cpuModel: string; memBytes: number; kernel: string; loadavg: number[] };
  /** The data set and the workers. */
  settings: {
    /** Keys in the data set. */
    keys: number;
    /** Bytes per key. */
    keyBytes: number;
    /** Bytes per value. */
    valueBytes: number;
    /** Worker processes per scenario. */
    workers: number;
    /** Deno's `--max-old-space-size` for the `map` workers, MiB (null under Bun). */
    heapMb: number | null;
    /** Where the NDJSON file was written. */
    fileDir: string;
  };
  /** Keys + values, bytes. */
  dataBytes: number;
  /** The NDJSON file, bytes. */
  fileBytes: number;
  /** The segment after loading: its tmpfs blocks and the dictionary's own accounting. */
  segment: { allocated: number; committed: number; used: number; reserved: number };
  /** Parent's time to generate and load both copies, ms. */
  generateMs: number;
  /** The scenarios that completed. */
  scenarios: ScenarioResult[];
  /** The map total ÷ the shmdict total. */
  mapOverShmdict: number;
  /** Every check passed. */
  ok: boolean;
  /** The failed checks. */
  errors: string[];
}

const SELF = fileURLToPath(import.meta.url);
const KEY_BYTES = 12;
/** Characters values are made of: no quote or backslash, so JSON needs no escapes. */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function keyOf(i: number): string {
  return `cfg:${String(i + 1).padStart(8, "0")}`;
}
function headOf(i: number): string {
  return `v${i + 1}:`;
}

/** A pool of pseudo-random characters that values are cut from (1 MiB + one value). */
function makePool(valueBytes: number): string {
  const rnd = xorshift32(0x5eed);
  const n = (1 << 20) + valueBytes;
  const parts: string[] = [];
  for (let i = 0; i < n; i += 8192) {
    const codes: number[] = [];
    for (let j = i; j < Math.min(n, i + 8192); j++) codes.push(ALPHABET.charCodeAt(rnd() & 63));
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join("");
}

/** Value `i`: its head then `valueBytes - head` characters of the pool from a per-key offset. */
function valueOf(pool: string, i: number, valueBytes: number): string {
  const head = headOf(i);
  const off = Math.imul(i + 1, 2654435761) >>> 12;
  return head + pool.slice(off, off + valueBytes - head.length);
}

/* ---------------------------------------------------------------------------- */
/* the workers                                                                    */

/** Keeps what a worker loaded reachable until it exits. */
let held: unknown = null;

function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}

/** `@progress <n>` at most every 250 ms. */
function progressSender(): (n: number) => void {
  let last = 0;
  return (n) => {
    const now = performance.now();
    if (now - last < 250) return;
    last = now;
    send("progress", n);
  };
}

function workShmdict(name: string, n: number, valueBytes: number): number {
  const db: Dict = open(name, { create: false, readonly: true });
  held = db;
  const tell = progressSender();
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const v = db.get(keyOf(i));
    if (v === null || v.length !== valueBytes || !v.startsWith(headOf(i))) bad++;
    if ((i & 1023) === 0) tell(i);
  }
  if (bad > 0) throw new Error(`${bad} keys read back wrong`);
  return n;
}

function workMap(file: string, n: number, valueBytes: number): number {
  const m = new Map<string, string>();
  held = m;
  const tell = progressSender();
  const fd = openSync(file, "r");
  const buf = new Uint8Array(16 << 20);
  const dec = new TextDecoder();
  let carry = new Uint8Array(0);
  try {
    for (;;) {
      const got = readSync(fd, buf, 0, buf.length, null);
      if (got === 0) break;
      let chunk = buf.subarray(0, got);
      if (carry.length > 0) {
        const joined = new Uint8Array(carry.length + got);
        joined.set(carry);
        joined.set(chunk, carry.length);
        chunk = joined;
      }
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
        const [k, v] = JSON.parse(dec.decode(chunk.subarray(start, nl))) as [string, string];
        m.set(k, v);
        start = nl + 1;
        if ((m.size & 1023) === 0) tell(m.size);
      }
      carry = chunk.slice(start);
    }
  } finally {
    closeSync(fd);
  }
  if (m.size !== n) throw new Error(`the map holds ${m.size} keys, not ${n}`);
  let bad = 0;
  for (const [, v] of m) if (v.length !== valueBytes) bad++;
  if (bad > 0) throw new Error(`${bad} values have the wrong length`);
  return m.size;
}

async function child(args: string[]): Promise<void> {
  const [scenario, name, file, nText, vText] = args;
  const n = Number(nText), valueBytes = Number(vText);
  const t0 = performance.now();
  let keys = 0;
  if (scenario === "shmdict") keys = workShmdict(name, n, valueBytes);
  else if (scenario === "map") keys = workMap(file, n, valueBytes);
  fullGc();
  fullGc();
  send("ready", { keys, loadMs: performance.now() - t0, heapUsed: heapUsed() });
  await untilStdinEnds();
  if (held !== null && typeof held === "object" && "close" in held) (held as Dict).close();
  held = null;
}

/* ---------------------------------------------------------------------------- */
/* the parent                                                                     */

interface Cleanup {
  children: ChildProcess[];
  name: string;
  file: string;
}

function cleanup(c: Cleanup): void {
  for (const ch of c.children) ch.kill();
  try {
    drop(c.name);
  } catch (err) {
    console.error(`drop(${c.name}): ${(err as Error).message}`);
  }
  rmSync(c.file, { force: true });
}

/** Generates the data set into the dictionary and the file. */
function generate(
  name: string,
  file: string,
  n: number,
  valueBytes: number,
): SharedResult["segment"] & { fileBytes: number } {
  const pool = makePool(valueBytes);
  const dataBytes = n * (KEY_BYTES + valueBytes);
  const db: Dict = open(name, {
    size: Math.ceil((dataBytes * 1.5 + (64 << 20)) / 2 ** 20) * 2 ** 20,
  });
  const fd = openSync(file, "w");
  const enc = new TextEncoder();
  const p = new Progress(
    `generating ${n.toLocaleString("en")} keys × ${valueBytes.toLocaleString("en")} B ` +
      `into the dictionary and ${file}`,
    n,
  );
  let fileBytes = 0;
  try {
    let lines: string[] = [];
    let pending = 0;
    const flush = (): void => {
      const bytes = enc.encode(lines.join(""));
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fileBytes += bytes.length;
      lines = [];
      pending = 0;
    };
    for (let i = 0; i < n; i++) {
      const k = keyOf(i), v = valueOf(pool, i, valueBytes);
      db.set(k, v);
      const line = `["${k}","${v}"]\n`;
      lines.push(line);
      pending += line.length;
      if (pending >= 8 << 20) flush();
      if ((i & 1023) === 1023) p.update(i + 1);
    }
    flush();
  } finally {
    closeSync(fd);
  }
  const info = db.info();
  if (info.keys !== n) throw new Error(`the dictionary holds ${info.keys} keys, not ${n}`);
  db.close();
  p.done(`(${formatBytes(info.usedBytes)} used in the segment, ${formatBytes(fileBytes)} file)`);
  return {
    allocated: allocatedBytes(`/dev/shm/shmdict.${name}`),
    committed: info.committedBytes,
    used: info.usedBytes,
    reserved: info.reservedBytes,
    fileBytes,
  };
}

async function runScenario(
  scenario: Scenario,
  c: Cleanup,
  settings: SharedResult["settings"],
  segPath: string,
): Promise<Omit<ScenarioResult, "net" | "copies">> {
  const { workers: w, keys: n, valueBytes } = settings;
  const heapMb = scenario === "map" && settings.heapMb !== null ? settings.heapMb : undefined;
  const p = new Progress(
    scenario === "idle"
      ? `idle: ${w} workers start`
      : `${scenario}: ${w} workers ${scenario === "map" ? "load" : "read"} ` +
        `${n.toLocaleString("en")} keys each`,
    scenario === "idle" ? 0 : w * n,
  );
  const t0 = performance.now();
  const started: ChildProcess[] = [];
  const done = new Array<number>(w).fill(0);
  for (let i = 0; i < w; i++) {
    const ch = startChild(SELF, [scenario, c.name, c.file, String(n), String(valueBytes)], {
      heapMb,
      exposeGc: true,
    });
    ch.onMessage = (m) => {
      if (m.kind !== "progress") return;
      done[i] = Number(m.payload);
      p.update(sum(done));
    };
    started.push(ch);
    c.children.push(ch);
  }
  const ready = await Promise.all(
    started.map(async (ch) =>
      JSON.parse(await ch.next("ready", 600_000)) as {
        /** Keys in the data set. */
        keys: number;
        loadMs: number;
        heapUsed: number;
      }
    ),
  );
  const loadMs = performance.now() - t0;
  p.done();
  await sleep(300);
  const workers: WorkerResult[] = started.map((ch, i) => ({
    pid: ch.pid,
    mem: readRollup(ch.pid),
    segment: scenario === "shmdict" ? readMapping(ch.pid, segPath) : null,
    loadMs: ready[i].loadMs,
    keys: ready[i].keys,
    heapUsed: ready[i].heapUsed,
  }));
  for (const ch of started) ch.end();
  const codes = await Promise.all(started.map((ch) => ch.exited));
  c.children.length = 0;
  if (codes.some((x) => x !== 0)) {
    throw new Error(`${scenario}: worker exit codes ${codes.join(" ")}`);
  }
  for (const wr of workers) {
    if (scenario !== "idle" && wr.keys !== n) {
      throw new Error(`${scenario}: worker ${wr.pid} holds ${wr.keys} keys, not ${n}`);
    }
  }
  const pssSum = sum(workers.map((x) => x.mem.pss));
  const segmentPssSum = sum(workers.map((x) => x.segment?.pss ?? 0));
  const segAllocated = scenario === "shmdict" && existsSync(segPath) ? allocatedBytes(segPath) : 0;
  return {
    scenario,
    workers,
    pssSum,
    segmentPssSum,
    total: pssSum - segmentPssSum + segAllocated,
    loadMs,
  };
}

async function parent(): Promise<number> {
  const n = Math.floor(envNumber("SHARED_KEYS", 262_144));
  const valueBytes = Math.floor(envNumber("SHARED_VALUE_BYTES", 4096));
  const workers = Math.floor(envNumber("SHARED_WORKERS", 4));
  if (valueBytes < 32) throw new Error("SHARED_VALUE_BYTES must be at least 32");
  const dataBytes = n * (KEY_BYTES + valueBytes);
  const heapMb = runtime === "deno"
    ? Math.floor(envNumber("SHARED_HEAP_MB", Math.max(2048, Math.ceil((4 * dataBytes) / 2 ** 20))))
    : null;
  const dir = env("BENCH_DIR") ?? tmpdir();
  const c: Cleanup = {
    children: [],
    name: `bench-shared-${process.pid}`,
    file: join(dir, `shmdict-bench-shared-${process.pid}.ndjson`),
  };
  const onSignal = (): void => {
    cleanup(c);
    exit(130);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const settings: SharedResult["settings"] = {
    keys: n,
    keyBytes: KEY_BYTES,
    valueBytes,
    workers,
    heapMb,
    fileDir: dir,
  };
  console.log(
    `==> ${runtime} ${runtimeVersion}: shared configuration, ${workers} workers × ` +
      `${n.toLocaleString("en")} keys × ${valueBytes.toLocaleString("en")} B ` +
      `(${formatBytes(dataBytes)})` +
      (heapMb !== null ? `; map workers' heap limit ${heapMb} MiB` : "") +
      `; load ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}`,
  );
  const errors: string[] = [];
  try {
    drop(c.name);
    const segPath = `/dev/shm/shmdict.${c.name}`;
    const t0 = performance.now();
    const gen = generate(c.name, c.file, n, valueBytes);
    const generateMs = performance.now() - t0;
    const scenarios: Omit<ScenarioResult, "net" | "copies">[] = [];
    for (const s of ["idle", "shmdict", "map"] as const) {
      try {
        scenarios.push(await runScenario(s, c, settings, segPath));
      } catch (err) {
        errors.push((err as Error).message);
        console.log(`==> ${runtime}: ${s}: FAILED: ${(err as Error).message}`);
        for (const ch of c.children) ch.kill();
        c.children.length = 0;
      }
      if (s === "shmdict") drop(c.name);
    }
    const idle = scenarios.find((s) => s.scenario === "idle")?.total ?? 0;
    const full: ScenarioResult[] = scenarios.map((s) => ({
      ...s,
      net: s.total - idle,
      copies: (s.total - idle) / dataBytes,
    }));
    const get = (id: Scenario): ScenarioResult | undefined => full.find((s) => s.scenario === id);
    const sh = get("shmdict"), mp = get("map");
    const result: SharedResult = {
      suite: "shared",
      runtime,
      runtimeVersion,
      date: new Date().toISOString(),
      machine: machineInfo(true),
      settings,
      dataBytes,
      fileBytes: gen.fileBytes,
      segment: {
        allocated: gen.allocated,
        committed: gen.committed,
        used: gen.used,
        reserved: gen.reserved,
      },
      generateMs,
      scenarios: full,
      mapOverShmdict: sh && mp ? mp.total / sh.total : NaN,
      ok: errors.length === 0,
      errors,
    };

    console.log(
      `\n${runtime} ${runtimeVersion}: ${workers} workers, data ${formatBytes(dataBytes)} ` +
        `(segment: ${formatBytes(gen.allocated)} allocated, ${formatBytes(gen.used)} used)`,
    );
    console.log(
      "scenario".padEnd(10) + "Σ PSS".padStart(12) + "seg. shares".padStart(13) +
        "total".padStart(12) + "net".padStart(12) + "copies".padStart(8) +
        "PSS/worker".padStart(12) + "RSS/worker".padStart(12) + "load s".padStart(8),
    );
    for (const s of full) {
      console.log(
        s.scenario.padEnd(10) + formatBytes(s.pssSum).padStart(12) +
          formatBytes(s.segmentPssSum).padStart(13) + formatBytes(s.total).padStart(12) +
          formatBytes(s.net).padStart(12) + s.copies.toFixed(2).padStart(8) +
          formatBytes(median(s.workers.map((x) => x.mem.pss))).padStart(12) +
          formatBytes(median(s.workers.map((x) => x.mem.rss))).padStart(12) +
          (s.loadMs / 1000).toFixed(1).padStart(8),
      );
    }
    if (sh && mp) {
      console.log(
        `\n${runtime}: shmdict ${
          sh.copies.toFixed(2)
        } copies of the data for ${workers} workers, ` +
          `Map ${mp.copies.toFixed(2)}; Map total ÷ shmdict total = ${
            result.mapOverShmdict.toFixed(2)
          }×`,
      );
    }
    console.log(`wrote ${writeResult(`shared-${runtime}.json`, result)}`);
  } catch (err) {
    errors.push((err as Error).message);
    console.log(`==> ${runtime}: FAILED: ${(err as Error).message}`);
  } finally {
    cleanup(c);
  }
  return errors.length === 0 ? 0 : 1;
}

const argv = process.argv.slice(2);
if (argv[0] === "child") {
  try {
    await child(argv.slice(1));
    exit(0);
  } catch (err) {
    console.error(`shared.bench.ts worker: ${(err as Error).message}`);
    exit(1);
  }
} else {
  exit(await parent());
}
