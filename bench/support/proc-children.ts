/**
 * Child processes of the running runtime for the multi-process suites
 * (`shared.bench.ts`, `scaling.bench.ts`), written once for Deno and Bun.
 *
 * A suite starts itself again in child mode (`<script> child <args...>`)
 * through {@link startChild}. A child talks to its parent in lines on stdout:
 * lines starting with `@` are messages (`@<kind> <payload>`, see
 * {@link send}), any other line is passed through to the parent's console.
 * The parent ends a child by closing its stdin ({@link ChildProcess.end});
 * a child waits for that with {@link untilStdinEnds}, so that a child whose
 * parent died goes away too.
 *
 * @module
 */

import { type ChildProcessByStdio, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import process from "node:process";
import type { Readable, Writable } from "node:stream";
import { runtime } from "./env.ts";

/** How to start a child. */
export interface ChildOptions {
  /** Pin it to this CPU with taskset (when taskset exists and there are 2+ CPUs). */
  cpu?: number;
  /** Deno: V8's old-generation limit, MiB (`--max-old-space-size`). Bun/JSC has none. */
  heapMb?: number;
  /** Deno: expose `gc()` (`--expose-gc`); Bun always has `Bun.gc`. */
  exposeGc?: boolean;
}

/** A message from a child: `@<kind> <payload>`. */
export interface Message {
  /** What the message is (`ready`, `progress`, …). */
  kind: string;
  /** The rest of the line. */
  payload: string;
}

/** A running child. */
export interface ChildProcess {
  /** Its process id (taskset execs the runtime, so this is the runtime's pid). */
  readonly pid: number;
  /** Resolves with the exit code (`null` when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** The next message of `kind` (messages of other kinds go to `onMessage`). */
  next(kind: string, timeoutMs: number): Promise<string>;
  /** Called for every message nobody waits for. */
  onMessage: (m: Message) => void;
  /** Writes a line to the child's stdin (read there with {@link stdinLines}). */
  tell(line: string): void;
  /** Closes the child's stdin: the child's cue to finish. */
  end(): void;
  /** Sends SIGKILL (for cleanup after a failure). */
  kill(): void;
}

const TASKSET = ["/usr/bin/taskset", "/bin/taskset"].find((f) => existsSync(f));

/** True when children can be pinned to CPUs (taskset exists, 2+ CPUs, `BENCH_PIN` ≠ `0`). */
export const canPin: boolean = TASKSET !== undefined && os.cpus().length >= 2 &&
  process.env.BENCH_PIN !== "0";

/** The command line that runs `script` under the running runtime. */
export function runtimeArgv(script: string, args: string[], opts: ChildOptions): string[] {
  if (runtime === "bun") return [process.execPath, script, ...args];
  const v8: string[] = [];
  if (opts.heapMb !== undefined) v8.push(`--max-old-space-size=${Math.ceil(opts.heapMb)}`);
  if (opts.exposeGc) v8.push("--expose-gc");
  const flags = v8.length > 0 ? [`--v8-flags=${v8.join(",")}`] : [];
  return [process.execPath, "run", "-A", ...flags, script, ...args];
}

/** Starts `script child <args...>` under the running runtime. */
export function startChild(script: string, args: string[], opts: ChildOptions = {}): ChildProcess {
  let argv = runtimeArgv(script, ["child", ...args], opts);
  if (opts.cpu !== undefined && canPin) argv = [TASKSET!, "-c", String(opts.cpu), ...argv];
  const p: ChildProcessByStdio<Writable, Readable, null> = spawn(argv[0], argv.slice(1), {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const waiting = new Map<string, { resolve: (s: string) => void; timer: number }>();
  const queued: Message[] = [];
  let failure: Error | null = null;
  const exited = new Promise<number | null>((resolve) => {
    p.on("error", (err: Error) => {
      failure = err;
      resolve(null);
    });
    p.on("close", (code: number | null) => resolve(code));
  });
  const child: ChildProcess = {
    pid: p.pid ?? -1,
    exited,
    onMessage: (m) => queued.push(m),
    next(kind, timeoutMs) {
      const i = queued.findIndex((m) => m.kind === kind);
      if (i >= 0) return Promise.resolve(queued.splice(i, 1)[0].payload);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(kind);
          reject(new Error(`child ${p.pid}: no @${kind} within ${timeoutMs} ms`));
        }, timeoutMs) as unknown as number;
        waiting.set(kind, { resolve, timer });
        exited.then((code) => {
          if (!waiting.has(kind)) return;
          clearTimeout(timer);
          waiting.delete(kind);
          const why = failure ? failure.message : `exit code ${code}`;
          reject(new Error(`child ${p.pid} ended before @${kind} (${why})`));
        });
      });
    },
    tell(line) {
      p.stdin.write(line + "\n");
    },
    end() {
      p.stdin.end();
    },
    kill() {
      if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
    },
  };
  let rest = "";
  p.stdout.setEncoding("utf8");
  p.stdout.on("data", (chunk: string) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.startsWith("@")) {
        console.log(line);
        continue;
      }
      const sp = line.indexOf(" ");
      const m = sp < 0
        ? { kind: line.slice(1), payload: "" }
        : { kind: line.slice(1, sp), payload: line.slice(sp + 1) };
      const w = waiting.get(m.kind);
      if (w !== undefined) {
        waiting.delete(m.kind);
        clearTimeout(w.timer);
        w.resolve(m.payload);
      } else child.onMessage(m);
    }
  });
  return child;
}

/** In a child: sends `@<kind> <payload>` to the parent. */
export function send(kind: string, payload: string | number | object = ""): void {
  const text = typeof payload === "object" ? JSON.stringify(payload) : String(payload);
  process.stdout.write(`@${kind} ${text}\n`);
}

/** In a child: resolves when the parent closes our stdin (or dies). */
export function untilStdinEnds(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.on("data", () => {});
    process.stdin.on("end", () => resolve());
    process.stdin.on("close", () => resolve());
    process.stdin.resume();
  });
}

/** In a child: the lines the parent writes to our stdin, until it closes it. */
export async function* stdinLines(): AsyncGenerator<string> {
  const queue: string[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  let rest = "";
  const poke = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk: string) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    queue.push(...lines);
    poke();
  });
  const finish = (): void => {
    ended = true;
    poke();
  };
  process.stdin.on("end", finish);
  process.stdin.on("close", finish);
  process.stdin.resume();
  for (;;) {
    if (queue.length > 0) {
      yield queue.shift()!;
      continue;
    }
    if (ended) return;
    await new Promise<void>((resolve) => wake = resolve);
  }
}

/** Runs a full garbage collection when the runtime lets us (Bun; Deno with `--expose-gc`). */
export function fullGc(): void {
  const g = globalThis as { Bun?: { gc(force: boolean): void }; gc?: () => void };
  if (g.Bun !== undefined) g.Bun.gc(true);
  else g.gc?.();
}

/** Sleeps `ms` without keeping the CPU busy. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
