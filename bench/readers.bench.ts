/**
 * Readers in real processes: how `get` scales from one reader process to two,
 * and what one writer running flat out costs a reader.
 *
 * ```sh
 * node_modules/.bin/deno run -A bench/readers.bench.ts
 * node_modules/.bin/bun bench/readers.bench.ts
 * ```
 *
 * The parent loads 10,000 keys of 12 bytes with 100-byte values (and 10,000
 * "other" keys) into a fresh dictionary and starts six child processes of the
 * same runtime (this file in child mode), each pinned to a CPU with taskset:
 * reader A (CPU 0), reader B (CPU 1), and writers on other keys and on the
 * readers' keys, one of each per CPU. The children stay up; the parent then
 * runs short phases (`READERS_PHASE_MS`, default 400 ms) in which only some of
 * them work while the others sleep, cycling through every scenario
 * `READERS_CYCLES` times (default 15):
 *
 * | phase | who works (CPU) |
 * | --- | --- |
 * | `r1@0`, `r1@1` | reader A (0); reader B (1) |
 * | `r2` | readers A (0) and B (1) |
 * | `r1w1-other@0`, `@1` | reader A (0) + the other-keys writer on CPU 1; reader B (1) + the one on CPU 0 |
 * | `r1w1-same@0`, `@1` | the same with the writers `set`ting the very keys the readers read |
 * | `w1` | one writer alone (other keys) |
 *
 * The phases of one cycle are a few seconds apart, so a ratio taken within a
 * cycle compares like with like even when the machine's speed drifts (the two
 * CPUs of a virtual machine can run at different, changing speeds); the
 * reported ratio is the median over the cycles. Control and results go
 * through the dictionary itself (keys `ctl` and `res:<child>`); idle children
 * sleep.
 *
 * Targets (issue 3): 2 readers ≥ 1.8 × one reader on 2 cores (`r2` against
 * the mean of `r1@0` and `r1@1`); a reader loses < 20% while one writer runs
 * flat out (the `r1w1-other` pair against the `r1` pair).
 *
 * Readers check every value they read (its length) and, at the end, a sample
 * of whole values. Results go to `bench/results/readers-<runtime>.json`; once
 * both runtimes have run, `bench/READERS.md` is written from the two files.
 * On a shared machine, run it when nothing else is busy (or, as root, raise
 * the priority of its session first: `echo -19 > /proc/self/autogroup`): every
 * phase records the CPU share each child got, and READERS.md shows the least.
 *
 * @module
 */

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { type Dict, drop, open } from "../lib/mod.ts";
import { shuffled } from "./support/data.ts";
import { machineInfo, type Runtime, runtime, runtimeVersion } from "./support/env.ts";

const NKEYS = 10_000;
const VLEN = 100;
const PHASE_MS = Number(process.env.READERS_PHASE_MS ?? 400);
const CYCLES = Number(process.env.READERS_CYCLES ?? 15);

function keyOf(i: number): string {
  return `key:${String(i).padStart(8, "0")}`; // 12 bytes
}
function otherKeyOf(i: number): string {
  return `oth:${String(i).padStart(8, "0")}`;
}
function valueOf(i: number, tag: string): string {
  const head = `${tag}:${i}:`;
  return head + "x".repeat(VLEN - head.length);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/* ---------------------------------------------------------------------------- */
/* the children                                                                   */

/** The six children: name, role, CPU, and which keys a writer writes. */
const CHILDREN = [
  { id: "A", role: "reader", cpu: 0, keys: "" },
  { id: "B", role: "reader", cpu: 1, keys: "" },
  { id: "WO0", role: "writer", cpu: 0, keys: "other" },
  { id: "WO1", role: "writer", cpu: 1, keys: "other" },
  { id: "WS0", role: "writer", cpu: 0, keys: "same" },
  { id: "WS1", role: "writer", cpu: 1, keys: "same" },
] as const;
type ChildId = (typeof CHILDREN)[number]["id"];

/**
 * Child mode: wait for phases in `ctl` ("<phase>:<start ms>:<end ms>:<ids,...>"
 * or "quit"); work from start to end when named; report
 * "<phase>:<ops>:<wall ms>:<cpu ms>:<bad>" in `res:<id>`.
 */
function child(id: ChildId, name: string): void {
  const me = CHILDREN.find((c) => c.id === id)!;
  const db = open(name, { create: false });
  const order = shuffled(NKEYS, 7 + id.charCodeAt(0) * 31 + id.length);
  const keys = order.map((i) => (me.keys === "other" ? otherKeyOf(i) : keyOf(i)));
  const vals = order.map((i) => valueOf(i, "w"));
  let i = 0;
  let bad = 0;
  let done = -1;
  db.set(`ready:${id}`, "1");
  for (;;) {
    const ctl = db.get("ctl") ?? "";
    if (ctl === "quit") break;
    const [ph, st, en, who] = ctl.split(":");
    const phase = Number(ph);
    if (!(phase > done) || !who?.split(",").includes(id)) {
      sleepMs(1);
      continue;
    }
    const start = Number(st), end = Number(en);
    while (Date.now() < start) { /* the phase starts for everyone at once */ }
    const c0 = process.cpuUsage();
    const t0 = Date.now();
    let ops = 0;
    let now = t0;
    while (now < end) {
      if (me.role === "reader") {
        for (let k = 0; k < 200; k++) {
          const v = db.get(keys[i]);
          if (v === null || v.length !== VLEN) bad++;
          if (++i === NKEYS) i = 0;
        }
      } else {
        for (let k = 0; k < 200; k++) {
          db.set(keys[i], vals[i]);
          if (++i === NKEYS) i = 0;
        }
      }
      ops += 200;
      now = Date.now();
    }
    const c = process.cpuUsage(c0);
    db.set(`res:${id}`, `${phase}:${ops}:${now - t0}:${(c.user + c.system) / 1000}:${bad}`);
    done = phase;
  }
  if (me.role === "reader") {
    for (let j = 0; j < 200; j++) {
      const v = db.get(keyOf(j));
      if (v !== valueOf(j, "l") && v !== valueOf(j, "w")) bad++;
    }
    db.set(`final:${id}`, String(bad));
  }
  db.close();
}

/* ---------------------------------------------------------------------------- */
/* the parent                                                                     */

const SELF = fileURLToPath(import.meta.url);
const TASKSET = ["/usr/bin/taskset", "/bin/taskset"].find((f) => existsSync(f));
const PIN = TASKSET !== undefined && os.cpus().length >= 2 && process.env.READERS_PIN !== "0";

interface Phase {
  id: string;
  who: ChildId[];
}
const PHASES: Phase[] = [
  { id: "r1@0", who: ["A"] },
  { id: "r1@1", who: ["B"] },
  { id: "r2", who: ["A", "B"] },
  { id: "r1w1-other@0", who: ["A", "WO1"] },
  { id: "r1w1-other@1", who: ["B", "WO0"] },
  { id: "r1w1-same@0", who: ["A", "WS1"] },
  { id: "r1w1-same@1", who: ["B", "WS0"] },
  { id: "w1", who: ["WO1"] },
];

interface Sample {
  ops: number;
  ms: number;
  cpuMs: number;
}

interface PhaseResult {
  id: string;
  /** Reader ops/s (sum over the phase's readers) of each cycle. */
  readers: number[];
  /** Writer ops/s of each cycle. */
  writer: number[];
  /** Smallest CPU share of a working child in each cycle. */
  share: number[];
}

/** The contents of `bench/results/readers-<runtime>.json` (read by `sections/scaling.ts`). */
export interface Report {
  runtime: Runtime;
  runtimeVersion: string;
  date: string;
  cpus: number;
  cpuModel: string;
  kernel: string;
  loadavg: number[];
  phaseMs: number;
  cycles: number;
  pinned: boolean;
  phases: PhaseResult[];
  /** r2 / mean(r1@0, r1@1) of each cycle. */
  scalingCycles: number[];
  /** 1 - (r1w1-other@0 + r1w1-other@1) / (r1@0 + r1@1) of each cycle. */
  costOtherCycles: number[];
  costSameCycles: number[];
  scaling: number;
  costOther: number;
  costSame: number;
  minShare: number;
  /** The parent's scheduler autogroup (Linux), e.g. "/autogroup-12 nice -19". */
  autogroup: string;
}

const median = (a: number[]): number => {
  const b = [...a].sort((x, y) => x - y);
  return b.length % 2 ? b[(b.length - 1) / 2] : (b[b.length / 2 - 1] + b[b.length / 2]) / 2;
};
const quartiles = (a: number[]): [number, number] => {
  const b = [...a].sort((x, y) => x - y);
  return [b[Math.floor((b.length - 1) / 4)], b[Math.ceil(((b.length - 1) * 3) / 4)]];
};

function autogroup(): string {
  try {
    return readFileSync("/proc/self/autogroup", "utf8").trim();
  } catch {
    return "";
  }
}

function resultsDir(): string {
  const dir = fileURLToPath(new URL("./results/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  return dir;
}

function startChild(id: ChildId, cpu: number, name: string): Promise<number | null> {
  const argv = runtime === "deno"
    ? ["run", "-A", SELF, "child", id, name]
    : [SELF, "child", id, name];
  const [cmd, args] = PIN
    ? [TASKSET!, ["-c", String(cpu), process.execPath, ...argv]]
    : [process.execPath, argv];
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"] });
    p.on("close", (code) => resolve(code));
  });
}

/** Wait (politely) until `ok()` or `ms` pass; false on timeout. */
async function until(ok: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

function parseRes(s: string | null): { phase: number; sample: Sample; bad: number } | null {
  if (!s) return null;
  const [ph, ops, ms, cpu, bad] = s.split(":").map(Number);
  return { phase: ph, sample: { ops, ms, cpuMs: cpu }, bad };
}

async function parent(): Promise<void> {
  const name = `bench-readers-${process.pid}`;
  drop(name);
  const db: Dict = open(name, { size: "64MiB" });
  for (let i = 0; i < NKEYS; i++) db.set(keyOf(i), valueOf(i, "l"));
  for (let i = 0; i < NKEYS; i++) db.set(otherKeyOf(i), valueOf(i, "l"));
  db.set("ctl", "-1:0:0:");
  console.log(
    `==> ${runtime} ${runtimeVersion}: ${NKEYS} keys × ${VLEN} B; ${CYCLES} cycles of ` +
      `${PHASES.length} phases × ${PHASE_MS} ms; ${os.cpus().length} CPUs` +
      `${PIN ? ", children pinned" : ""}; load ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}`,
  );
  const exits = CHILDREN.map((c) => startChild(c.id, c.cpu, name));
  if (!(await until(() => CHILDREN.every((c) => db.get(`ready:${c.id}`) === "1"), 60_000))) {
    throw new Error("the children did not start");
  }

  const samples = new Map<string, { readers: Sample[][]; writer: Sample[]; share: number[] }>();
  for (const p of PHASES) samples.set(p.id, { readers: [], writer: [], share: [] });
  let phaseNo = 0;
  let totalBad = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    // a different order each cycle, so that no phase always follows the same one
    const order = shuffled(PHASES.length, 1 + cycle * 977).map((i) => PHASES[i]);
    for (const p of order) {
      phaseNo++;
      const start = Date.now() + 60;
      db.set("ctl", `${phaseNo}:${start}:${start + PHASE_MS}:${p.who.join(",")}`);
      const got = new Map<ChildId, Sample>();
      const ok = await until(() => {
        for (const id of p.who) {
          if (got.has(id)) continue;
          const r = parseRes(db.get(`res:${id}`));
          if (r && r.phase === phaseNo) {
            got.set(id, r.sample);
            totalBad = Math.max(totalBad, r.bad);
          }
        }
        return got.size === p.who.length;
      }, PHASE_MS + 30_000);
      if (!ok) throw new Error(`phase ${p.id}: no answer from ${p.who.join(", ")}`);
      const s = samples.get(p.id)!;
      s.readers.push(p.who.filter((id) => id === "A" || id === "B").map((id) => got.get(id)!));
      const w = p.who.find((id) => id.startsWith("W"));
      s.writer.push(w ? got.get(w)! : { ops: 0, ms: 1, cpuMs: 0 });
      s.share.push(Math.min(...[...got.values()].map((x) => x.cpuMs / x.ms)));
    }
    const r1 = samples.get("r1@0")!.readers.at(-1)![0];
    const r2 = samples.get("r2")!.readers.at(-1)!;
    const rate = (x: Sample) => (x.ops * 1000) / x.ms;
    console.log(
      `    cycle ${String(cycle + 1).padStart(2)}: r1@0 ${(rate(r1) / 1e6).toFixed(2)} M/s, ` +
        `r2 ${((rate(r2[0]) + rate(r2[1])) / 1e6).toFixed(2)} M/s`,
    );
  }
  db.set("ctl", "quit");
  const codes = await Promise.all(exits);
  if (codes.some((c) => c !== 0)) throw new Error(`a child failed: exit codes ${codes.join(" ")}`);
  for (const c of CHILDREN) {
    if (c.role === "reader" && db.get(`final:${c.id}`) !== "0") totalBad++;
  }
  const check = db.check();
  db.close();
  drop(name);
  if (totalBad) throw new Error(`readers read ${totalBad} wrong values`);
  if (check.length) throw new Error(`check after the benchmark: ${check.join("; ")}`);

  const rate = (x: Sample) => (x.ops * 1000) / x.ms;
  const phases: PhaseResult[] = PHASES.map((p) => {
    const s = samples.get(p.id)!;
    return {
      id: p.id,
      readers: s.readers.map((rs) => rs.reduce((a, x) => a + rate(x), 0)),
      writer: s.writer.map(rate),
      share: s.share,
    };
  });
  const P = (id: string) => phases.find((p) => p.id === id)!;
  const idx = Array.from({ length: CYCLES }, (_, i) => i);
  const r1sum = (i: number) => P("r1@0").readers[i] + P("r1@1").readers[i];
  const scalingCycles = idx.map((i) => P("r2").readers[i] / (r1sum(i) / 2));
  const costOtherCycles = idx.map((i) =>
    1 - (P("r1w1-other@0").readers[i] + P("r1w1-other@1").readers[i]) / r1sum(i)
  );
  const costSameCycles = idx.map((i) =>
    1 - (P("r1w1-same@0").readers[i] + P("r1w1-same@1").readers[i]) / r1sum(i)
  );
  const report: Report = {
    runtime,
    runtimeVersion,
    date: new Date().toISOString(),
    ...machineInfo(),
    phaseMs: PHASE_MS,
    cycles: CYCLES,
    pinned: PIN,
    phases,
    scalingCycles,
    costOtherCycles,
    costSameCycles,
    scaling: median(scalingCycles),
    costOther: median(costOtherCycles),
    costSame: median(costSameCycles),
    minShare: Math.min(...phases.map((p) => median(p.share))),
    autogroup: autogroup(),
  };
  const file = `${resultsDir()}readers-${runtime}.json`;
  writeFileSync(file, JSON.stringify(report, null, 2) + "\n");
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const iqr = (a: number[], f: (x: number) => string) => {
    const [lo, hi] = quartiles(a);
    return `${f(lo)}..${f(hi)}`;
  };
  console.log(
    `==> ${runtime}: 2 readers = ${report.scaling.toFixed(2)} × one (target ≥ 1.8; quartiles ` +
      `${iqr(scalingCycles, (x) => x.toFixed(2))}); a writer on other keys costs a reader ` +
      `${pct(report.costOther)} (target < 20%; ${iqr(costOtherCycles, pct)}), on the same keys ` +
      `${pct(report.costSame)} (${iqr(costSameCycles, pct)}); least CPU share ` +
      `${report.minShare.toFixed(2)} → ${file}`,
  );
  writeMarkdown();
}

/* ---------------------------------------------------------------------------- */
/* bench/READERS.md from results/readers-*.json                                  */

function writeMarkdown(): void {
  const reports: Report[] = [];
  for (const rt of ["deno", "bun"]) {
    const f = `${resultsDir()}readers-${rt}.json`;
    if (!existsSync(f)) continue;
    const r = JSON.parse(readFileSync(f, "utf8")) as Report;
    if (r.scalingCycles) reports.push(r);
  }
  if (reports.length < 2) {
    console.log("==> READERS.md is written once both runtimes have run");
    return;
  }
  const M = (x: number) => (x / 1e6).toFixed(2);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const pass = (ok: boolean) => (ok ? "PASS" : "FAIL");
  const iqr = (a: number[], f: (x: number) => string) => {
    const [lo, hi] = quartiles(a);
    return `${f(lo)}–${f(hi)}`;
  };
  const L: string[] = [];
  const r0 = reports[0];
  L.push("# Readers in separate processes");
  L.push("");
  L.push(
    "Written by `bench/readers.bench.ts` (run it under Deno, then under Bun; the second run " +
      "writes this file). Six child processes of the runtime stay up, pinned to CPUs: readers A " +
      "(CPU 0) and B (CPU 1) `get` 10,000 keys of 12 bytes (100-byte values) in random order and " +
      "check what they read; writers (one per CPU on other keys, one per CPU on the readers' " +
      "keys) `set` 100-byte values flat out. Short phases, in which only some of them work, " +
      "cycle through the scenarios; a ratio is computed within each cycle (its phases are " +
      "seconds apart) and the median over the cycles is reported, with the quartiles.",
  );
  L.push("");
  L.push(`- Machine: ${r0.cpuModel}, ${r0.cpus} CPUs (a virtual machine), ${r0.kernel}`);
  for (const r of reports) {
    L.push(
      `- ${r.runtime} ${r.runtimeVersion}: ${r.date}; ${r.cycles} cycles of ${r.phases.length} ` +
        `phases × ${r.phaseMs} ms; children ${r.pinned ? "pinned with taskset" : "not pinned"}; ` +
        `least median CPU share of a working child ${r.minShare.toFixed(2)}; load average at the ` +
        `end ${r.loadavg.map((x) => x.toFixed(1)).join(" ")}` +
        (/nice -?[1-9]/.test(r.autogroup ?? "")
          ? `; run with its session's priority raised (${
            r.autogroup.replace(/^\S+ /, "autogroup ")
          }) because the machine was busy with other work`
          : ""),
    );
  }
  L.push("");
  L.push("## Targets (issue 3)");
  L.push("");
  L.push("| target | " + reports.map((r) => `${r.runtime} ${r.runtimeVersion}`).join(" | ") + " |");
  L.push("| --- | " + reports.map(() => "---").join(" | ") + " |");
  L.push(
    "| 2 reader processes ≥ 1.8 × one on 2 cores: `r2` / mean(`r1@0`, `r1@1`) | " +
      reports.map((r) =>
        `${r.scaling.toFixed(2)} × (${iqr(r.scalingCycles, (x) => x.toFixed(2))}) ` +
        pass(r.scaling >= 1.8)
      ).join(" | ") + " |",
  );
  L.push(
    "| a reader loses < 20% while one writer runs flat out (other keys) | " +
      reports.map((r) =>
        `${pct(r.costOther)} (${iqr(r.costOtherCycles, pct)}) ${pass(r.costOther < 0.2)}`
      )
        .join(" | ") +
      " |",
  );
  L.push(
    "| the same, the writer `set`ting the very keys the reader reads | " +
      reports.map((r) => `${pct(r.costSame)} (${iqr(r.costSameCycles, pct)})`).join(" | ") + " |",
  );
  L.push("");
  L.push("## Figures (million operations per second, median over the cycles)");
  L.push("");
  L.push(
    "| phase | who works (CPU) | " +
      reports.map((r) => `${r.runtime}: readers | writer | CPU share`).join(" | ") + " |",
  );
  L.push("| --- | --- | " + reports.map(() => "--- | --- | ---").join(" | ") + " |");
  const desc: Record<string, string> = {
    "r1@0": "reader A (0)",
    "r1@1": "reader B (1)",
    "r2": "readers A (0) and B (1)",
    "r1w1-other@0": "reader A (0) + writer on other keys (1)",
    "r1w1-other@1": "reader B (1) + writer on other keys (0)",
    "r1w1-same@0": "reader A (0) + writer on the same keys (1)",
    "r1w1-same@1": "reader B (1) + writer on the same keys (0)",
    "w1": "writer on other keys alone (1)",
  };
  for (const p of r0.phases) {
    const cells = reports.map((r) => {
      const x = r.phases.find((y) => y.id === p.id)!;
      const rd = p.id === "w1" ? "—" : M(median(x.readers));
      const wr = p.id.includes("w1") ? M(median(x.writer)) : "—";
      return `${rd} | ${wr} | ${median(x.share).toFixed(2)}`;
    });
    L.push(`| \`${p.id}\` | ${desc[p.id] ?? p.id} | ${cells.join(" | ")} |`);
  }
  L.push("");
  L.push("Per cycle, `r2` / mean(`r1`) and the reader's loss to a writer on other keys:");
  L.push("");
  for (const r of reports) {
    L.push(
      `- ${r.runtime}: ${r.scalingCycles.map((x) => x.toFixed(2)).join(" ")}; ` +
        r.costOtherCycles.map(pct).join(" "),
    );
  }
  L.push("");
  L.push("Notes:");
  L.push("");
  L.push(
    "- The two CPUs of this virtual machine do not run at a fixed speed (host cores shared with " +
      "other guests): a single reader's rate moves by up to 2× from second to second. Hence the " +
      "cycles of short phases, the single-reader and reader + writer figures taken on each CPU, " +
      "and ratios taken within a cycle.",
  );
  L.push(
    "- CPU share is the CPU time a child got over its phase's wall time (`process.cpuUsage`); " +
      "near 1 means it had its CPU to itself.",
  );
  L.push("");
  const out = fileURLToPath(new URL("./READERS.md", import.meta.url));
  writeFileSync(out, L.join("\n"));
  console.log(`==> wrote ${out}`);
}

/* ---------------------------------------------------------------------------- */

const argv = process.argv.slice(2);
if (argv[0] === "child") {
  child(argv[1] as ChildId, argv[2]);
  process.exit(0);
} else if (argv[0] === "--md") {
  writeMarkdown();
} else {
  await parent();
  process.exit(0);
}
