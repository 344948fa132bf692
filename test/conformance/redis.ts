/**
 * Starts a private `redis-server` for the conformance suite and stops it afterwards.
 *
 * The server is Debian's `redis-server` (installed by `scripts/setup.sh`), listening on
 * 127.0.0.1 on a free port, with no persistence (`--save '' --appendonly no`) and its own
 * temporary directory. Works unchanged under Deno and Bun (`node:` modules only).
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import process from "node:process";

/** A running Redis server. */
export interface RedisServer {
  /** Always `127.0.0.1`. */
  readonly host: string;
  /** The TCP port it listens on. */
  readonly port: number;
  /** The executable that was started. */
  readonly path: string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s), waits for it, removes its directory. */
  stop(): Promise<void>;
}

/** Options of {@link startRedis}. */
export interface StartOptions {
  /** Milliseconds to wait for the first PONG (default 10,000). */
  timeout?: number;
}

/** Thrown when no `redis-server` executable can be found. */
export class RedisMissingError extends Error {
  /** @param where where it was looked for */
  constructor(where = "$PATH, /usr/bin, /usr/sbin, /usr/local/bin") {
    super(
      `redis-server was not found (looked in ${where}): ` +
        "run `bash scripts/setup.sh` to install it (Debian package redis-server)",
    );
    this.name = "RedisMissingError";
  }
}

/**
 * The `redis-server` executable (`$REDIS_SERVER` if set, else the first on `$PATH` or in the
 * usual directories), or throws {@link RedisMissingError}.
 */
export function findRedisServer(): string {
  const override = process.env.REDIS_SERVER;
  const dirs = [
    ...(process.env.PATH ?? "").split(delimiter).filter((d) => d !== ""),
    "/usr/bin",
    "/usr/sbin",
    "/usr/local/bin",
  ];
  const candidates = override ? [override] : dirs.map((d) => join(d, "redis-server"));
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      /* next */
    }
  }
  throw new RedisMissingError(override ? `REDIS_SERVER=${override}` : undefined);
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : 0;
      srv.close(() => port > 0 ? resolve(port) : reject(new Error("no free port")));
    });
  });
}

/** Sends one PING; resolves true on `+PONG`, false on any failure within `ms`. */
function ping(port: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    let reply = "";
    const sock = createConnection({ host: "127.0.0.1", port });
    const finish = (ok: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), ms);
    sock.on("connect", () => sock.write("PING\r\n"));
    sock.on("data", (d: Uint8Array) => {
      reply += new TextDecoder().decode(d);
      if (reply.includes("\r\n")) finish(reply.startsWith("+PONG"));
    });
    sock.on("error", () => finish(false));
    sock.on("close", () => finish(false));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits for a child to exit; resolves false if it has not within `ms`. */
function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Starts one attempt on `port`; rejects with the server's output if it does not answer. */
async function attempt(path: string, port: number, timeout: number): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), "shmdict-redis-"));
  const child = spawn(path, [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    dir,
    "--daemonize",
    "no",
    "--logfile",
    "",
    "--databases",
    "1",
  ], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (d: Uint8Array): void => {
    if (output.length < 16_384) output += new TextDecoder().decode(d);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let spawnError: Error | null = null;
  child.on("error", (err) => {
    spawnError = err;
  });
  /* If this process dies first, do not leave the server behind. */
  const onExit = (): void => {
    child.kill("SIGKILL");
  };
  process.on("exit", onExit);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.off("exit", onExit);
    child.kill("SIGTERM");
    if (!(await waitExit(child, 5000))) {
      child.kill("SIGKILL");
      await waitExit(child, 5000);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (spawnError !== null || child.exitCode !== null || child.signalCode !== null) break;
    if (await ping(port, 500)) {
      return { host: "127.0.0.1", port, path, stop };
    }
    await sleep(20);
  }
  await stop();
  const why = spawnError !== null
    ? `could not be started: ${(spawnError as Error).message}`
    : child.exitCode !== null || child.signalCode !== null
    ? `exited (${child.exitCode ?? child.signalCode})`
    : `did not answer PING within ${timeout} ms`;
  throw new Error(`${path} on port ${port} ${why}\n${output.trim()}`);
}

/**
 * Starts a `redis-server` on 127.0.0.1 on a free port, with no persistence, and waits until
 * it answers PING. Tries three ports in case another process takes the free one first.
 *
 * @param options the start-up timeout
 * @returns the running server; call `stop()` when done
 * @throws {RedisMissingError} when `redis-server` is not installed
 */
export async function startRedis(options: StartOptions = {}): Promise<RedisServer> {
  const path = findRedisServer();
  const timeout = options.timeout ?? 10_000;
  let last: unknown;
  for (let i = 0; i < 3; i++) {
    try {
      return await attempt(path, await freePort(), timeout);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}
