/**
 * Child-process helpers for multi-process tests. Works under Deno and Bun (both implement
 * `node:child_process`). Children run with the repository's pinned runtimes:
 * `node_modules/.bin/deno` (as `deno run -A <script>`) and `node_modules/.bin/bun`
 * (as `bun run <script>`).
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { assertEquals } from "./harness.ts";

/** JavaScript runtime used to run a child script. */
export type Runtime = "deno" | "bun";

/** Both runtimes, handy for `for (const rt of RUNTIMES)` loops. */
export const RUNTIMES: readonly Runtime[] = ["deno", "bun"];

/** Signals a test may send to a child. */
export type Signal =
  | "SIGTERM"
  | "SIGKILL"
  | "SIGINT"
  | "SIGHUP"
  | "SIGQUIT"
  | "SIGUSR1"
  | "SIGUSR2"
  | "SIGSTOP"
  | "SIGCONT";

/** Options for {@link spawnScript} and {@link runScript}. */
export interface SpawnOptions {
  /** Working directory of the child (default: the parent's). */
  cwd?: string;
  /** Extra environment variables, added to the parent's environment. */
  env?: Record<string, string>;
  /** Extra runtime flags placed before the script (e.g. `--v8-flags=--expose-gc`). */
  runtimeArgs?: string[];
  /** Data written to the child's stdin, which is then closed. Default: stdin stays open. */
  stdin?: string | Uint8Array;
}

/** How a child ended and what it printed. */
export interface ProcResult {
  /** Exit code, or null if the child was ended by a signal. */
  code: number | null;
  /** Name of the signal that ended the child, or null. */
  signal: string | null;
  /** Everything the child wrote to stdout (UTF-8). */
  stdout: string;
  /** Everything the child wrote to stderr (UTF-8). */
  stderr: string;
}

/** A running child script, as returned by {@link spawnScript}. */
export interface ScriptProcess {
  /** OS process id of the child (the runtime process itself). */
  readonly pid: number;
  /** stdout received so far. */
  readonly stdout: string;
  /** stderr received so far. */
  readonly stderr: string;
  /** Resolves once the child has exited and its output streams are closed. */
  wait(): Promise<ProcResult>;
  /**
   * Sends a signal to the child (default SIGTERM).
   * @returns false if the child could not be signalled (e.g. it already exited)
   */
  kill(signal?: Signal): boolean;
  /**
   * Resolves with the stdout received so far as soon as it matches `pattern`; rejects if
   * the child exits first or after `timeoutMs` (default 30 s).
   */
  waitForOutput(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Writes to the child's stdin. */
  write(data: string | Uint8Array): void;
  /** Closes the child's stdin. */
  closeStdin(): void;
}

/**
 * Absolute path of the pinned binary of `runtime` in the repository's node_modules/.bin.
 *
 * @param runtime "deno" or "bun"
 */
export function runtimeBinary(runtime: Runtime): string {
  return fileURLToPath(new URL(`../node_modules/.bin/${runtime}`, import.meta.url));
}

/**
 * Starts `script` under `runtime` (Deno children get `-A`).
 *
 * @param runtime "deno" or "bun"
 * @param script path of the script (absolute, relative to the cwd, or a file: URL)
 * @param args arguments passed to the script
 * @param opts working directory, extra environment, runtime flags, stdin data
 * @returns a handle on the running child
 */
export function spawnScript(
  runtime: Runtime,
  script: string | URL,
  args: string[] = [],
  opts: SpawnOptions = {},
): ScriptProcess {
  const path = script instanceof URL ? fileURLToPath(script) : script;
  const argv = runtime === "deno"
    ? ["run", "-A", ...(opts.runtimeArgs ?? []), path, ...args]
    : ["run", ...(opts.runtimeArgs ?? []), path, ...args];
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" }, opts.env ?? {});

  const child: ChildProcess = spawn(runtimeBinary(runtime), argv, {
    cwd: opts.cwd,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });

  let stdout = "";
  let stderr = "";
  let exited = false;
  const watchers = new Set<() => void>();
  const notify = (): void => {
    for (const w of [...watchers]) w();
  };
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    stdout += chunk;
    notify();
  });
  child.stderr?.on("data", (chunk: string) => {
    stderr += chunk;
  });
  // Ignore EPIPE when the child exits without reading its stdin.
  child.stdin?.on("error", () => {});

  const done = new Promise<ProcResult>((resolve, reject) => {
    child.once("error", (err) => {
      exited = true;
      notify();
      reject(new Error(`cannot run ${runtime} ${path}: ${err.message}`, { cause: err }));
    });
    child.once("close", (code: number | null, signal: string | null) => {
      exited = true;
      notify();
      resolve({ code, signal, stdout, stderr });
    });
  });
  // Avoid unhandled-rejection noise if the caller never calls wait().
  done.catch(() => {});

  if (opts.stdin !== undefined) {
    child.stdin?.end(opts.stdin);
  }

  return {
    get pid(): number {
      return child.pid ?? -1;
    },
    get stdout(): string {
      return stdout;
    },
    get stderr(): string {
      return stderr;
    },
    wait: () => done,
    kill: (signal: Signal = "SIGTERM") => child.kill(signal),
    waitForOutput(pattern: string | RegExp, timeoutMs = 30_000): Promise<string> {
      const matches = (): boolean =>
        typeof pattern === "string" ? stdout.includes(pattern) : pattern.test(stdout);
      return new Promise<string>((resolve, reject) => {
        let timer: ReturnType<typeof setTimeout> | undefined = undefined;
        const check = (): void => {
          if (matches()) {
            finish();
            resolve(stdout);
          } else if (exited) {
            finish();
            reject(
              new Error(
                `${runtime} ${path} exited before printing ${String(pattern)}\n` +
                  `stdout: ${stdout}\nstderr: ${stderr}`,
              ),
            );
          }
        };
        const finish = (): void => {
          watchers.delete(check);
          clearTimeout(timer);
        };
        timer = setTimeout(() => {
          finish();
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${String(pattern)} from ` +
                `${runtime} ${path}\nstdout: ${stdout}\nstderr: ${stderr}`,
            ),
          );
        }, timeoutMs);
        watchers.add(check);
        check();
      });
    },
    write(data: string | Uint8Array): void {
      child.stdin?.write(data);
    },
    closeStdin(): void {
      child.stdin?.end();
    },
  };
}

/**
 * Runs `script` under `runtime` to completion. If it has not exited after
 * `opts.timeout` ms (default 60 s) it is killed with SIGKILL and the promise rejects.
 *
 * @param runtime "deno" or "bun"
 * @param script path of the script (absolute, relative to the cwd, or a file: URL)
 * @param args arguments passed to the script
 * @param opts as for {@link spawnScript}, plus `timeout` in milliseconds
 * @returns exit code, signal and output of the child
 */
export async function runScript(
  runtime: Runtime,
  script: string | URL,
  args: string[] = [],
  opts: SpawnOptions & { timeout?: number } = {},
): Promise<ProcResult> {
  const timeoutMs = opts.timeout ?? 60_000;
  const proc = spawnScript(runtime, script, args, { stdin: "", ...opts });
  let timer: ReturnType<typeof setTimeout> | undefined = undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(
        new Error(
          `${runtime} ${String(script)} timed out after ${timeoutMs} ms (killed)\n` +
            `stdout: ${proc.stdout}\nstderr: ${proc.stderr}`,
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([proc.wait(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits for a spawned child to exit; kills it with SIGKILL and throws after ms. */
export async function waitBounded(
  proc: ScriptProcess,
  ms: number,
  what: string,
): Promise<ProcResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(
        new Error(
          `${what} did not exit within ${ms} ms\nstdout: ${proc.stdout}\nstderr: ${proc.stderr}`,
        ),
      );
    }, ms);
  });
  try {
    return await Promise.race([proc.wait(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Asserts that a child exited with code 0, showing its output otherwise. */
export function assertExit0(r: ProcResult, what: string): void {
  assertEquals(
    r.code,
    0,
    `${what} exited with ${r.code ?? r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
  );
}

/** The last line of a child's stdout, parsed as JSON. */
export function lastJson(r: ProcResult): Record<string, unknown> {
  const lines = r.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}
