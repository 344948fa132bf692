/**
 * Redis on loopback through ioredis (the same client in both runtimes), as
 * two systems sharing one connection and one loaded data set:
 *
 * - `redis`: one command at a time, each awaited (a full round trip per
 *   operation; 100 operations per timed call, as round trips dwarf any
 *   per-call overhead);
 * - `redis-p100`: pipelines of 100 commands, awaited per pipeline (1,000
 *   operations per timed call).
 *
 * Mapping: `get` → GET; `getBytes` → GET via `getBuffer`; `set` → SET;
 * `incr` → INCR; no `getInto` equivalent.
 *
 * @module
 */

import { connectRedis, pipelineReplies, redisVersion } from "../support/big-redis.ts";
import type { Dataset } from "../support/data.ts";
import { type Single, type System, witness } from "./types.ts";

/** Commands per pipeline. */
export const PIPELINE = 100;

/** Connects to 127.0.0.1:`port` and loads the data set (overwriting those keys). */
export async function createRedis(
  data: Dataset,
  port: number,
  version: string,
): Promise<[System, System]> {
  const r = await connectRedis(port);
  const { keys, values, alt, counters, order, mask } = data;
  for (let i = 0; i < data.n; i += 1000) {
    const args: string[] = [];
    for (let j = i; j < Math.min(data.n, i + 1000); j++) {
      args.push(keys[j], values[j], counters[j], "0");
    }
    await r.mset(...args);
  }
  const server = await redisVersion(r);
  const versions = { "redis-server": server, ioredis: version };
  const one: Single = {
    get: (k) => r.get(k),
    getBytes: (k) => r.getBuffer(k),
    set: (k, v) => r.set(k, v),
    incr: (k) => r.incr(k),
  };
  let open = 2;
  const close = async (): Promise<void> => {
    if (--open > 0) return;
    for (let i = 0; i < data.n; i += 1000) {
      await r.unlink(...keys.slice(i, i + 1000), ...counters.slice(i, i + 1000));
    }
    await r.quit();
  };

  const w1 = witness();
  const b1 = 100;
  let c1 = 0;
  let gen1 = 0;
  const single: System = {
    id: "redis",
    label: "Redis",
    detail: `redis-server ${server} on 127.0.0.1, ioredis ${version}; ` +
      "one command per round trip (`await r.get(k)`)",
    async: true,
    batch: b1,
    w: w1,
    versions,
    one,
    ops: {
      async get() {
        let s = 0;
        for (let j = 0; j < b1; j++) {
          s += (await r.get(keys[order[c1]]))!.length;
          c1 = (c1 + 1) & mask;
        }
        w1.sum = s;
      },
      async getBytes() {
        let s = 0;
        for (let j = 0; j < b1; j++) {
          s += (await r.getBuffer(keys[order[c1]]))!.length;
          c1 = (c1 + 1) & mask;
        }
        w1.sum = s;
      },
      async set() {
        const src = (gen1++ & 1) === 0 ? alt : values;
        let i = 0;
        for (let j = 0; j < b1; j++) {
          i = order[c1];
          await r.set(keys[i], src[i]);
          c1 = (c1 + 1) & mask;
        }
        w1.last = i;
        w1.lastValue = src[i];
      },
      async incr() {
        let i = 0;
        let n = 0;
        for (let j = 0; j < b1; j++) {
          i = order[c1];
          n = await r.incr(counters[i]);
          c1 = (c1 + 1) & mask;
        }
        w1.last = i;
        w1.lastInt = n;
      },
    },
    close,
  };

  const w2 = witness();
  const b2 = 1000;
  let c2 = 0;
  let gen2 = 0;
  const pipelined: System = {
    id: "redis-p100",
    label: `Redis ×${PIPELINE}`,
    detail: `the same server and client; pipelines of ${PIPELINE} commands ` +
      "(`r.pipeline()…exec()`), each awaited",
    async: true,
    batch: b2,
    w: w2,
    versions,
    one,
    ops: {
      async get() {
        let s = 0;
        for (let j = 0; j < b2; j += PIPELINE) {
          const p = r.pipeline();
          for (let q = 0; q < PIPELINE; q++) {
            p.get(keys[order[c2]]);
            c2 = (c2 + 1) & mask;
          }
          for (const v of pipelineReplies(await p.exec())) s += (v as string).length;
        }
        w2.sum = s;
      },
      async getBytes() {
        let s = 0;
        for (let j = 0; j < b2; j += PIPELINE) {
          const p = r.pipeline();
          for (let q = 0; q < PIPELINE; q++) {
            p.getBuffer(keys[order[c2]]);
            c2 = (c2 + 1) & mask;
          }
          for (const v of pipelineReplies(await p.exec())) s += (v as Uint8Array).length;
        }
        w2.sum = s;
      },
      async set() {
        const src = (gen2++ & 1) === 0 ? alt : values;
        let i = 0;
        for (let j = 0; j < b2; j += PIPELINE) {
          const p = r.pipeline();
          for (let q = 0; q < PIPELINE; q++) {
            i = order[c2];
            p.set(keys[i], src[i]);
            c2 = (c2 + 1) & mask;
          }
          pipelineReplies(await p.exec());
        }
        w2.last = i;
        w2.lastValue = src[i];
      },
      async incr() {
        let i = 0;
        let n = 0;
        for (let j = 0; j < b2; j += PIPELINE) {
          const p = r.pipeline();
          for (let q = 0; q < PIPELINE; q++) {
            i = order[c2];
            p.incr(counters[i]);
            c2 = (c2 + 1) & mask;
          }
          const res = pipelineReplies(await p.exec());
          n = res[res.length - 1] as number;
        }
        w2.last = i;
        w2.lastInt = n;
      },
    },
    close,
  };
  return [single, pipelined];
}
