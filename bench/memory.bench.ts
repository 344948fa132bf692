/**
 * Memory per element: how many bytes shmdict's segment uses per string key,
 * hash field and sorted-set member, against Redis holding the same data.
 *
 * ```sh
 * node_modules/.bin/deno run -A bench/memory.bench.ts
 * node_modules/.bin/bun bench/memory.bench.ts
 * BENCH_REDIS_PORT=6390 BENCH_MEMORY_ELEMENTS=100000 …
 * ```
 *
 * Data sets, 1 M elements each (`BENCH_MEMORY_ELEMENTS`):
 *
 * | id | shape |
 * | --- | --- |
 * | `strings` | 1 M keys `key:00000001` (12 bytes) → 100-byte values |
 * | `hash-small` | 10,000 hashes of 100 fields: fields `fld:00000001` (12 bytes), 40-byte values |
 * | `hash-big` | one hash of 1 M such fields |
 * | `zset-small` | 10,000 sorted sets of 100 members `mem:00000001` (12 bytes), integer scores |
 * | `zset-big` | one sorted set of 1 M such members |
 *
 * Both shapes of each container are realistic, and Redis stores them
 * differently: a hash or sorted set of at most 128 entries with values of at
 * most 64 bytes is a compact listpack, a larger one a hash table (hashes) or
 * skiplist plus hash table (sorted sets). Hash values are 40 bytes and scores
 * integers (a leaderboard's) so that the small shapes qualify.
 *
 * How: shmdict: a fresh dictionary per data set; `info().usedBytes` (bytes of
 * the segment's heap in live blocks: entries, containers, index table) before
 * and after loading, the difference divided by the elements; the heap's and
 * the committed memory's growth are recorded too. Redis (through ioredis on
 * 127.0.0.1:`BENCH_REDIS_PORT`; skipped without it): `FLUSHALL SYNC`, then
 * `INFO memory` `used_memory` (bytes its allocator handed out) before and
 * after loading, and `OBJECT ENCODING` of one key. Loading: shmdict `set` per
 * key (see bench/restart.bench.ts on `mset`), `hset` / `zadd` of 100 (small)
 * or 1,000 (big) fields per call; Redis pipelined `MSET` / `HSET` / `ZADD` of
 * the same batches. Checks: key counts, field and member counts, sampled
 * values and scores read back.
 *
 * The figures depend only on the C library (or Redis), not on the runtime;
 * both runtimes run the suite so that each records its own.
 *
 * Writes `bench/results/memory-<runtime>.json` ({@link MemoryResult}).
 *
 * @module
 */

import process from "node:process";
import type { Redis } from "ioredis";
import { type Dict, drop, open } from "../lib/mod.ts";
import {
  BIG_VALUE_BYTES,
  bigKey,
  bigValue,
  count,
  spread,
  ValueMaker,
} from "./support/big-data.ts";
import { connectRedis, redisInfoNumber, redisVersion } from "./support/big-redis.ts";
import type { MemoryCell, MemoryDataset, MemoryResult } from "./support/big-results.ts";
import {
  envNumber,
  exit,
  packageVersion,
  progress,
  redisPortSetting,
  runSuite,
  selector,
  suiteHead,
  writeSuiteResult,
} from "./support/env.ts";
import { Progress } from "./support/progress.ts";

/** Entries per small hash or sorted set. */
const SMALL = 100;
/** Fields or members per `hset` / `zadd` call into a big container. */
const BIG_BATCH = 1000;
/** Bytes of a hash field's value. */
const FIELD_VALUE_BYTES = 40;
/** Bytes of keys, fields and members. */
const NAME_BYTES = 12;

const fieldValues = new ValueMaker(FIELD_VALUE_BYTES, "h");

/** The i-th field name (12 bytes). */
function field(i: number): string {
  return bigKey(i, "fld:");
}

/** The i-th member name (12 bytes). */
function member(i: number): string {
  return bigKey(i, "mem:");
}

/** The i-th member's score: an integer below 10^6, fixed by i. */
function memberScore(i: number): number {
  return (Math.imul(i + 1, 2654435761) >>> 0) % 1_000_000;
}

/** A data set: how to load it into each system and check it. */
interface Spec {
  id: string;
  label: string;
  shape: string;
  payloadBytes: number;
  /** Container keys (0 for strings). */
  containers: number;
  loadShm(db: Dict, n: number, p: Progress): void;
  checkShm(db: Dict, n: number): void;
  loadRedis(r: Redis, n: number, p: Progress): Promise<void>;
  checkRedis(r: Redis, n: number): Promise<void>;
  /** A key whose Redis encoding is reported. */
  sampleKey: string;
}

function fail(what: string, got: unknown, want: unknown): never {
  throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

function expect(what: string, got: unknown, want: unknown): void {
  if (got !== want) fail(what, got, want);
}

/** Runs a pipeline; throws the first command error. */
async function execPipeline(p: ReturnType<Redis["pipeline"]>): Promise<void> {
  const res = await p.exec();
  if (res === null) throw new Error("pipeline was discarded");
  for (const [err] of res) if (err) throw err;
}

/** Container `c` of `per` elements covers elements `c * per … c * per + per - 1`. */
function containerSpec(kind: "hash" | "zset", small: boolean, elements: number): Spec {
  const per = small ? SMALL : elements;
  const batch = small ? SMALL : BIG_BATCH;
  const containers = small ? Math.ceil(elements / SMALL) : 1;
  const keyOf = (c: number): string => small ? bigKey(c, `${kind}:`) : `${kind}:big`;
  const isHash = kind === "hash";
  /** Arguments for elements [from, to): field, value, … or score, member, … */
  const args = (from: number, to: number): (string | number)[] => {
    const a: (string | number)[] = [];
    for (let i = from; i < to; i++) {
      if (isHash) a.push(field(i), fieldValues.value(i));
      else a.push(memberScore(i), member(i));
    }
    return a;
  };
  const sampleElements = (n: number): number[] => spread(n, 500);
  return {
    id: `${kind}-${small ? "small" : "big"}`,
    label: `${isHash ? "hash fields" : "sorted-set members"}, ` +
      (small ? `${count(containers)} keys × ${SMALL}` : `one key × ${count(elements, true)}`),
    shape: small
      ? `${count(containers)} ${isHash ? "hashes" : "sorted sets"} of ${SMALL} ` +
        (isHash
          ? `fields (12-byte field, ${FIELD_VALUE_BYTES}-byte value)`
          : "members (12-byte member, integer score)")
      : `one ${isHash ? "hash" : "sorted set"} of ${count(elements)} ` +
        (isHash
          ? `fields (12-byte field, ${FIELD_VALUE_BYTES}-byte value)`
          : "members (12-byte member, integer score)"),
    payloadBytes: isHash ? NAME_BYTES + FIELD_VALUE_BYTES : NAME_BYTES + 8,
    containers,
    sampleKey: keyOf(0),
    loadShm(db, n, p) {
      for (let from = 0; from < n; from += batch) {
        const to = Math.min(n, from + batch);
        const key = keyOf(Math.floor(from / per));
        const a = args(from, to);
        if (isHash) {
          const added = db.hset(key, ...(a as [string, string, ...string[]]));
          expect(`hset(${key}) added`, added, to - from);
        } else {
          const added = db.zadd(key, ...(a as [number, string, ...(string | number)[]]));
          expect(`zadd(${key}) added`, added, to - from);
        }
        p.update(to);
      }
    },
    checkShm(db, n) {
      expect("dbsize", db.dbsize(), containers);
      for (let c = 0; c < containers; c += Math.max(1, Math.floor(containers / 50))) {
        const len = isHash ? db.hlen(keyOf(c)) : db.zcard(keyOf(c));
        expect(`${isHash ? "hlen" : "zcard"}(${keyOf(c)})`, len, Math.min(per, n - c * per));
      }
      for (const i of sampleElements(n)) {
        const key = keyOf(Math.floor(i / per));
        if (isHash) {
          expect(`hget(${key}, ${field(i)})`, db.hget(key, field(i)), fieldValues.value(i));
        } else expect(`zscore(${key}, ${member(i)})`, db.zscore(key, member(i)), memberScore(i));
      }
    },
    async loadRedis(r, n, p) {
      let pipe = r.pipeline();
      let queued = 0;
      for (let from = 0; from < n; from += batch) {
        const to = Math.min(n, from + batch);
        const key = keyOf(Math.floor(from / per));
        const a = args(from, to);
        if (isHash) pipe.hset(key, ...(a as string[]));
        else pipe.zadd(key, ...(a as (string | number)[]));
        queued += to - from;
        if (queued >= 10_000 || to === n) {
          await execPipeline(pipe);
          pipe = r.pipeline();
          queued = 0;
          p.update(to);
        }
      }
    },
    async checkRedis(r, n) {
      expect("DBSIZE", await r.dbsize(), containers);
      for (let c = 0; c < containers; c += Math.max(1, Math.floor(containers / 50))) {
        const len = isHash ? await r.hlen(keyOf(c)) : await r.zcard(keyOf(c));
        expect(`${isHash ? "HLEN" : "ZCARD"} ${keyOf(c)}`, len, Math.min(per, n - c * per));
      }
      for (const i of sampleElements(n)) {
        const key = keyOf(Math.floor(i / per));
        if (isHash) {
          expect(`HGET ${key} ${field(i)}`, await r.hget(key, field(i)), fieldValues.value(i));
        } else {expect(
            `ZSCORE ${key} ${member(i)}`,
            Number(await r.zscore(key, member(i))),
            memberScore(i),
          );}
      }
    },
  };
}

function stringSpec(): Spec {
  return {
    id: "strings",
    label: "string keys",
    shape: `string keys of 12 bytes (\`key:00000001\`) → ${BIG_VALUE_BYTES}-byte values`,
    payloadBytes: NAME_BYTES + BIG_VALUE_BYTES,
    containers: 0,
    sampleKey: bigKey(0),
    loadShm(db, n, p) {
      for (let i = 0; i < n; i++) {
        db.set(bigKey(i), bigValue(i));
        if ((i & 0xffff) === 0) p.update(i);
      }
    },
    checkShm(db, n) {
      expect("dbsize", db.dbsize(), n);
      for (const i of spread(n, 500)) expect(`get(${bigKey(i)})`, db.get(bigKey(i)), bigValue(i));
    },
    async loadRedis(r, n, p) {
      for (let from = 0; from < n; from += 10_000) {
        const pipe = r.pipeline();
        for (let b = from; b < Math.min(n, from + 10_000); b += 1000) {
          const a: string[] = [];
          for (let i = b; i < Math.min(n, b + 1000); i++) a.push(bigKey(i), bigValue(i));
          pipe.mset(...a);
        }
        await execPipeline(pipe);
        p.update(Math.min(n, from + 10_000));
      }
    },
    async checkRedis(r, n) {
      expect("DBSIZE", await r.dbsize(), n);
      for (const i of spread(n, 500)) {
        expect(`GET ${bigKey(i)}`, await r.get(bigKey(i)), bigValue(i));
      }
    },
  };
}

/** Loads `spec` into a fresh dictionary and measures it. */
function measureShm(spec: Spec, n: number, name: string): MemoryCell {
  drop(name);
  const size = Math.max(512 * 2 ** 20, Math.ceil((n * 512) / 2 ** 20) * 2 ** 20);
  const db = open(name, { size });
  try {
    const before = db.info();
    const p = new Progress(`shmdict: ${spec.id}, ${count(n)} elements`, n);
    spec.loadShm(db, n, p);
    p.done();
    const after = db.info();
    spec.checkShm(db, n);
    return {
      system: "shmdict",
      before: before.usedBytes,
      after: after.usedBytes,
      bytesPerElement: (after.usedBytes - before.usedBytes) / n,
      extra: {
        heapBytes: after.heapBytes - before.heapBytes,
        committedBytes: after.committedBytes - before.committedBytes,
        freeBytes: after.freeBytes - before.freeBytes,
        buckets: after.buckets,
      },
    };
  } finally {
    db.close();
    drop(name);
  }
}

/** Loads `spec` into an emptied Redis and measures it. */
async function measureRedis(spec: Spec, n: number, r: Redis): Promise<MemoryCell> {
  await r.flushall("SYNC");
  const before = await redisInfoNumber(r, "memory", "used_memory");
  const beforeDataset = await redisInfoNumber(r, "memory", "used_memory_dataset");
  const p = new Progress(`Redis: ${spec.id}, ${count(n)} elements`, n);
  await spec.loadRedis(r, n, p);
  p.done();
  const after = await redisInfoNumber(r, "memory", "used_memory");
  const afterDataset = await redisInfoNumber(r, "memory", "used_memory_dataset");
  const encoding = String(await r.object("ENCODING", spec.sampleKey));
  await spec.checkRedis(r, n);
  await r.flushall("SYNC");
  return {
    system: "redis",
    before,
    after,
    bytesPerElement: (after - before) / n,
    extra: { usedMemoryDataset: afterDataset - beforeDataset },
    encoding,
  };
}

async function main(): Promise<number> {
  const started = performance.now();
  const n = Math.floor(envNumber("BENCH_MEMORY_ELEMENTS", 1_000_000));
  if (n % SMALL !== 0) throw new Error(`BENCH_MEMORY_ELEMENTS must be a multiple of ${SMALL}`);
  const redisPort = redisPortSetting();
  const specs = [
    stringSpec(),
    containerSpec("hash", true, n),
    containerSpec("hash", false, n),
    containerSpec("zset", true, n),
    containerSpec("zset", false, n),
  ];
  const pick = selector(["shmdict", "redis"], specs.map((s) => s.id));
  const name = `bench-memory-${process.pid}`;
  const onSignal = (): void => {
    drop(name);
    exit(130);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const versions: Record<string, string> = {};
  let r: Redis | null = null;
  if (pick.system("redis")) {
    if (redisPort === null) progress("Redis skipped: BENCH_REDIS_PORT is not set");
    else {
      r = await connectRedis(redisPort);
      versions["redis-server"] = await redisVersion(r);
      versions.ioredis = packageVersion("ioredis");
      const cfg = (await r.config(
        "GET",
        "*-max-listpack-*",
      )) as string[];
      for (let i = 0; i + 1 < cfg.length; i += 2) versions[`redis ${cfg[i]}`] = cfg[i + 1];
    }
  }
  progress(`memory: ${count(n)} elements per data set; Redis ${r === null ? "skipped" : "on"}`);
  const datasets: MemoryDataset[] = [];
  try {
    for (const spec of specs) {
      if (!pick.op(spec.id)) continue;
      const cells: MemoryCell[] = [];
      if (pick.system("shmdict")) cells.push(measureShm(spec, n, name));
      if (r !== null) cells.push(await measureRedis(spec, n, r));
      progress(
        `  ${spec.id}: ` +
          cells.map((c) => `${c.system} ${c.bytesPerElement.toFixed(1)} B/element`).join(", "),
      );
      datasets.push({
        id: spec.id,
        label: spec.label,
        shape: spec.shape,
        elements: n,
        payloadBytes: spec.payloadBytes,
        cells,
      });
    }
  } finally {
    if (r !== null) {
      await r.flushall("SYNC");
      r.disconnect();
    }
    drop(name);
  }

  const result: MemoryResult = {
    ...suiteHead("memory", started),
    versions,
    settings: {
      elements: n,
      redisPort,
      shmdictCounter: "info().usedBytes (bytes of the heap in live blocks)",
      redisCounter: "INFO memory used_memory",
    },
    datasets,
  };
  writeSuiteResult(result);
  return 0;
}

if (import.meta.main) await runSuite("memory", main);
