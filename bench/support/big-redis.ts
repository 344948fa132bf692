/**
 * A connection to the benchmark's private Redis (`BENCH_REDIS_PORT`, started
 * by scripts/bench.sh), for every suite that uses Redis (the systems of
 * `bench/systems/redis.ts` and `support/mixed-systems.ts`, the containers,
 * growth and memory suites). It fails loudly: no retries, no quiet
 * reconnection, so a lost server fails the run instead of skewing it.
 *
 * @module
 */

import type { Redis } from "ioredis";

/** Connects to 127.0.0.1:`port`. @throws {Error} naming the port when it cannot. */
export async function connectRedis(port: number): Promise<Redis> {
  /* Loaded here, not at the top: ioredis declares a subclass of String, which
   * under V8 turns String.prototype into a dictionary for the rest of the
   * process and slows every `s.charCodeAt(i)` several times over (lmdb-js's
   * `get` lost about 25% under Deno). Suites time the in-process systems
   * before they connect to Redis. */
  const { Redis: Client } = await import("ioredis");
  const r = new Client({
    host: "127.0.0.1",
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null, /* a lost connection fails the run, never reconnects quietly */
  });
  let lastError: Error | null = null;
  r.on("error", (err: Error) => lastError = err);
  try {
    await r.connect();
  } catch (err) {
    r.disconnect();
    throw new Error(
      `cannot connect to Redis on 127.0.0.1:${port}: ${(lastError ?? err as Error).message}`,
    );
  }
  return r;
}

/** A field of `INFO <section>` as a number. @throws {Error} when absent. */
export async function redisInfoNumber(r: Redis, section: string, field: string): Promise<number> {
  const text = await r.info(section);
  const m = new RegExp(`^${field}:(\\S+)`, "m").exec(text);
  if (m === null) throw new Error(`INFO ${section} has no ${field}`);
  return Number(m[1]);
}

/** The server's version (`redis_version`). */
export async function redisVersion(r: Redis): Promise<string> {
  const text = await r.info("server");
  return /redis_version:(\S+)/.exec(text)?.[1] ?? "unknown";
}

/**
 * The replies of an executed pipeline (`await pipeline.exec()`), in command
 * order. @throws {Error} the first command's error, or when `res` is null.
 */
export function pipelineReplies(res: [Error | null, unknown][] | null): unknown[] {
  if (res === null) throw new Error("pipeline returned null");
  return res.map(([err, v]) => {
    if (err) throw err;
    return v;
  });
}
