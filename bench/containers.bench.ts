/**
 * The containers benchmark: hashes, lists, sets and sorted sets on shmdict
 * and, in the same process run, on Redis on loopback (one command per round
 * trip, and pipelined ×100); then `blpop` wake-up latency across processes.
 *
 * ```sh
 * node_modules/.bin/deno run -A bench/containers.bench.ts
 * node_modules/.bin/bun bench/containers.bench.ts
 * BENCH_REDIS_PORT=6390 BENCH_ONLY=shmdict,zrange … # see support/env.ts
 * ```
 *
 * `npm run bench` (scripts/bench.sh) runs this under both runtimes after the
 * core benchmark; bench/report.ts turns `bench/results/containers-<runtime>.json`
 * into the "Containers" section of bench/RESULTS.md.
 *
 * Operations (every system, same keys, same random order):
 *
 * - reads, timed for `BENCH_TIME` per round as core.bench.ts does:
 *   `hget` of a random field of a 10,000-field hash (100-byte values);
 *   `sismember` of a random one of 10,000 names against a set holding the
 *   5,000 even-numbered ones (half hits, half misses); `zrank` of a random
 *   member of a 1,000-member sorted set; `zrange 0 9` of that set;
 * - writes, a fixed number of calls per round (so the structures they grow
 *   stay bounded), each inserting something new: `hset` of a new field,
 *   `sadd` of a new member, `zadd` of a new member; `lpush` of a 100-byte
 *   element onto a queue that `rpop` then drains (FIFO: LPUSH + RPOP). The
 *   new keys are deleted after each round.
 *
 * Every system is checked before it is timed, and every timed task after it
 * ran (replies of the last batch against what they must be, the sizes of the
 * structures written); a failure is reported, not timed, and the run exits 1.
 *
 * `blpop` latency: this process opens a dictionary (or a Redis connection)
 * and spawns a waiter process (the other runtime, then this one) that loops
 * `rpush ready` + `blpop q`; for each round this process waits for `ready`,
 * sleeps 2 ms so the waiter is parked in `blpop`, then `rpush`es the time
 * (`performance.timeOrigin + performance.now()`, CLOCK_REALTIME at sub-µs
 * resolution in both runtimes) to `q`; the waiter subtracts it from its own
 * clock when `blpop` resolves.
 *
 * @module
 */

import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { drop, open } from "../lib/mod.ts";
import type { Dict } from "../lib/mod.ts";
import { connectRedis, pipelineReplies, redisVersion } from "./support/big-redis.ts";
import { makeDataset, ORDER_LENGTH } from "./support/data.ts";
import {
  env,
  envNumber,
  exit,
  packageVersion,
  progress,
  redisPortSetting,
  type Runtime,
  runtime,
  runtimeVersion,
  selector,
  timingSettings,
  write,
  writeResult,
} from "./support/env.ts";
import { addRound, measureRound, mops, roundLine, Sampler, type Stats } from "./support/measure.ts";
import { PIPELINE } from "./systems/redis.ts";

/** The operations, in the order they run. */
export const CONTAINER_OPS = [
  "hset",
  "hget",
  "lpush",
  "rpop",
  "sadd",
  "sismember",
  "zadd",
  "zrank",
  "zrange",
] as const;
/** One operation of this benchmark. */
export type ContainerOp = typeof CONTAINER_OPS[number];

/** Writes: run for a fixed number of calls per round, not for a time. */
const FIXED: ReadonlySet<ContainerOp> = new Set(["hset", "lpush", "rpop", "sadd", "zadd"]);

/** All system ids, in table order. */
const SYSTEM_IDS = ["shmdict", "redis", "redis-p100"];

/** Fields of the hash, names probed in the set. */
const N = 10_000;
/** Members of the sorted set. */
const Z = 1_000;
/** Members `zrange` returns (`ZRANGE key 0 RANGE-1`). */
const RANGE = 10;
/** Timed calls per round of a write, per system (plus tinybench's 4 warmup calls). */
const CALLS: Record<string, number> = { shmdict: 200, redis: 40, "redis-p100": 40 };
/** Warmup calls tinybench makes with `warmupTime: 0`. */
const WARMUP_CALLS = 4;
/** Rounds of the blpop latency test (after {@link BLPOP_WARMUP} untimed ones). */
const BLPOP_ROUNDS_DEFAULT = 500;
const BLPOP_WARMUP = 20;
/** Pause between the waiter's `ready` and the push, ms. */
const BLPOP_GAP_MS = 2;

/* Key names. */
const H = "bc:hash";
const HN = "bc:hash:new";
const L = "bc:list";
const S = "bc:set";
const SN = "bc:set:new";
const ZK = "bc:zset";
const ZN = "bc:zset:new";
const ALL_KEYS = [H, S, ZK];
for (const id of ["shmdict", "redis", "redis-p100"]) {
  for (const k of [HN, L, SN, ZN]) ALL_KEYS.push(`${k}:${id}`);
}

/** One measured (or failed) cell of the table. */
export interface ContainerRow extends Partial<Stats> {
  op: ContainerOp;
  system: string;
  error?: string;
}

/** A system as recorded in the JSON. */
export interface ContainerSystemInfo {
  id: string;
  label: string;
  detail: string;
  batch: number;
  /** Timed calls per round of a write. */
  writeCalls: number;
  check: string;
}

/** One blpop latency measurement: µs from `rpush` to `blpop` resolving. */
export interface BlpopRow {
  system: string;
  pusher: Runtime;
  waiter: Runtime;
  rounds: number;
  p50?: number;
  p90?: number;
  p99?: number;
  max?: number;
  min?: number;
  mean?: number;
  error?: string;
}

/** What `bench/results/containers-<runtime>.json` holds. */
export interface ContainersResult {
  suite: "containers";
  runtime: Runtime;
  runtimeVersion: string;
  date: string;
  settings: {
    hashFields: number;
    setProbes: number;
    zsetMembers: number;
    zrange: number;
    valueBytes: number;
    timeMs: number;
    warmupMs: number;
    rounds: number;
    clock: string;
    redisPort: number | null;
    blpopRounds: number;
    blpopGapMs: number;
  };
  versions: Record<string, string>;
  systems: ContainerSystemInfo[];
  rows: ContainerRow[];
  blpop: BlpopRow[];
}

/* ---- the data ------------------------------------------------------------------------ */

const data = makeDataset(N);
const { values, order, mask } = data;
/** Hash fields and set names: `key:00000001`… */
const names = data.keys;
/** Sorted-set members `key:00000001`…, member i with score i (so rank i). */
const zmembers = names.slice(0, Z);
/** `order` mapped onto the sorted set. */
const zorder = new Uint32Array(ORDER_LENGTH);
for (let i = 0; i < ORDER_LENGTH; i++) zorder[i] = order[i] % Z;
const ZRANGE_WANT = zmembers.slice(0, RANGE).join(",");
/** Fresh names for the writes, enough for the largest round. */
const FRESH_COUNT = Math.max(...Object.values(CALLS)) * 1000 + WARMUP_CALLS * 1000 + 1000;
const fresh: string[] = new Array(FRESH_COUNT);
for (let i = 0; i < FRESH_COUNT; i++) fresh[i] = `new:${String(i).padStart(8, "0")}`;

/* ---- the systems ------------------------------------------------------------------- */

/** What the last batch saw (checked after each task). */
interface Witness {
  /** Sum of the replies (counts, lengths, ranks), or the last reply for `lpush`. */
  sum: number;
  /** The order cursor at the start of the batch. */
  start: number;
  /** Index of the last item written or read. */
  last: number;
  /** The last string reply. */
  lastValue: string;
}

/** Cursors shared by the timed loops of one system. */
interface State {
  /** Position in `order`. */
  c: number;
  /** Fresh names used in this round's write task. */
  f: number;
  /** Elements pushed onto / popped from the queue. */
  push: number;
  pop: number;
}

/** Untimed commands for checks and setup. */
interface One {
  hget(k: string, f: string): Promise<string | null>;
  hset(k: string, f: string, v: string): Promise<number>;
  hlen(k: string): Promise<number>;
  lpush(k: string, ...v: string[]): Promise<number>;
  rpop(k: string): Promise<string | null>;
  llen(k: string): Promise<number>;
  sadd(k: string, m: string): Promise<number>;
  sismember(k: string, m: string): Promise<number>;
  scard(k: string): Promise<number>;
  zadd(k: string, s: number, m: string): Promise<number>;
  zrank(k: string, m: string): Promise<number | null>;
  zrange(k: string, a: number, b: number): Promise<string[]>;
  zcard(k: string): Promise<number>;
  del(...k: string[]): Promise<number>;
}

/** The keys a system's writes use (Redis and Redis ×100 share one server). */
interface WriteKeys {
  hn: string;
  l: string;
  sn: string;
  zn: string;
}

function writeKeys(id: string): WriteKeys {
  return { hn: `${HN}:${id}`, l: `${L}:${id}`, sn: `${SN}:${id}`, zn: `${ZN}:${id}` };
}

interface Sys {
  id: string;
  k: WriteKeys;
  label: string;
  detail: string;
  async: boolean;
  batch: number;
  writeCalls: number;
  w: Witness;
  st: State;
  one: One;
  ops: Record<ContainerOp, () => void | Promise<void>>;
  versions: Record<string, string>;
  close(): Promise<void> | void;
}

function witness(): Witness {
  return { sum: 0, start: 0, last: -1, lastValue: "" };
}

function state(): State {
  return { c: 0, f: 0, push: 0, pop: 0 };
}

/** Loads the structures the reads and checks use. */
async function load(one: One): Promise<void> {
  await one.del(...ALL_KEYS);
  for (let i = 0; i < N; i++) await one.hset(H, names[i], values[i]);
  for (let i = 0; i < N; i += 2) await one.sadd(S, names[i]);
  for (let i = 0; i < Z; i++) await one.zadd(ZK, i, zmembers[i]);
}

function createShmdict(batch: number): Sys {
  const name = `bench-containers-${process.pid}`;
  drop(name);
  const db: Dict = open(name, { size: "256MiB" });
  const w = witness();
  const st = state();
  const k = writeKeys("shmdict");
  const { hn, l, sn, zn } = k;
  const one: One = {
    hget: (k, f) => Promise.resolve(db.hget(k, f)),
    hset: (k, f, v) => Promise.resolve(db.hset(k, f, v)),
    hlen: (k) => Promise.resolve(db.hlen(k)),
    lpush: (k, ...v) => Promise.resolve(db.lpush(k, ...v)),
    rpop: (k) => Promise.resolve(db.rpop(k)),
    llen: (k) => Promise.resolve(db.llen(k)),
    sadd: (k, m) => Promise.resolve(db.sadd(k, m)),
    sismember: (k, m) => Promise.resolve(db.sismember(k, m)),
    scard: (k) => Promise.resolve(db.scard(k)),
    zadd: (k, s, m) => Promise.resolve(db.zadd(k, s, m)),
    zrank: (k, m) => Promise.resolve(db.zrank(k, m)),
    zrange: (k, a, b) => Promise.resolve(db.zrange(k, a, b)),
    zcard: (k) => Promise.resolve(db.zcard(k)),
    del: (...k) => Promise.resolve(db.del(...k)),
  };
  return {
    id: "shmdict",
    k,
    label: "shmdict",
    detail: '`open(name, { size: "256MiB" })`; `db.hset(key, field, value)`, `db.hget`, ' +
      "`db.lpush`, `db.rpop`, `db.sadd`, `db.sismember`, `db.zadd(key, score, member)`, " +
      "`db.zrank`, `db.zrange(key, 0, 9)`",
    async: false,
    batch,
    writeCalls: CALLS.shmdict,
    w,
    st,
    one,
    versions: {},
    ops: {
      hset() {
        let s = 0;
        let i = 0;
        for (let j = 0; j < batch; j++) {
          i = st.f++;
          s += db.hset(hn, fresh[i], values[i % N]);
        }
        w.sum = s;
        w.last = i;
      },
      hget() {
        w.start = st.c;
        let s = 0;
        let i = 0;
        let v = "";
        for (let j = 0; j < batch; j++) {
          i = order[st.c];
          v = db.hget(H, names[i])!;
          s += v.length;
          st.c = (st.c + 1) & mask;
        }
        w.sum = s;
        w.last = i;
        w.lastValue = v;
      },
      lpush() {
        let n = 0;
        for (let j = 0; j < batch; j++) {
          n = db.lpush(l, values[st.push % N]);
          st.push++;
        }
        w.sum = n;
      },
      rpop() {
        let s = 0;
        let v = "";
        for (let j = 0; j < batch; j++) {
          v = db.rpop(l)!;
          s += v.length;
          st.pop++;
        }
        w.sum = s;
        w.lastValue = v;
      },
      sadd() {
        let s = 0;
        for (let j = 0; j < batch; j++) s += db.sadd(sn, fresh[st.f++]);
        w.sum = s;
      },
      sismember() {
        w.start = st.c;
        let s = 0;
        for (let j = 0; j < batch; j++) {
          s += db.sismember(S, names[order[st.c]]);
          st.c = (st.c + 1) & mask;
        }
        w.sum = s;
      },
      zadd() {
        let s = 0;
        for (let j = 0; j < batch; j++) {
          const i = st.f++;
          s += db.zadd(zn, i, fresh[i]);
        }
        w.sum = s;
      },
      zrank() {
        w.start = st.c;
        let s = 0;
        for (let j = 0; j < batch; j++) {
          s += db.zrank(ZK, zmembers[zorder[st.c]])!;
          st.c = (st.c + 1) & mask;
        }
        w.sum = s;
      },
      zrange() {
        let s = 0;
        let a: string[] = [];
        for (let j = 0; j < batch; j++) {
          a = db.zrange(ZK, 0, RANGE - 1);
          s += a.length;
        }
        w.sum = s;
        w.lastValue = a.join(",");
      },
    },
    close() {
      db.close();
      drop(name);
    },
  };
}

/** The same command on a connection or a pipeline. */
// deno-lint-ignore no-explicit-any
type Target = any;
/** Issues one command of an operation (advancing the cursors); returns its promise or pipeline. */
type Issue = (x: Target) => unknown;
/** Folds one reply into the witness. */
type Fold = (v: unknown) => void;

async function createRedis(port: number, version: string): Promise<[Sys, Sys]> {
  const r = await connectRedis(port);
  const server = await redisVersion(r);
  const versions = { "redis-server": server, ioredis: version };
  const one: One = {
    hget: (k, f) => r.hget(k, f),
    hset: (k, f, v) => r.hset(k, f, v),
    hlen: (k) => r.hlen(k),
    lpush: (k, ...v) => r.lpush(k, ...v),
    rpop: (k) => r.rpop(k),
    llen: (k) => r.llen(k),
    sadd: (k, m) => r.sadd(k, m),
    sismember: (k, m) => r.sismember(k, m),
    scard: (k) => r.scard(k),
    zadd: (k, s, m) => r.zadd(k, s, m) as Promise<number>,
    zrank: (k, m) => r.zrank(k, m),
    zrange: (k, a, b) => r.zrange(k, String(a), String(b)),
    zcard: (k) => r.zcard(k),
    del: (...k) => r.del(...k),
  };
  /* Loading one command per round trip would take seconds: pipeline it. */
  {
    await r.del(...ALL_KEYS);
    const p = r.pipeline();
    for (let i = 0; i < N; i++) p.hset(H, names[i], values[i]);
    for (let i = 0; i < N; i += 2) p.sadd(S, names[i]);
    for (let i = 0; i < Z; i++) p.zadd(ZK, i, zmembers[i]);
    pipelineReplies(await p.exec());
  }
  let open = 2;
  const close = async (): Promise<void> => {
    if (--open > 0) return;
    await r.del(...ALL_KEYS);
    await r.quit();
  };

  const make = (pipelined: boolean): Sys => {
    const w = witness();
    const st = state();
    const id = pipelined ? "redis-p100" : "redis";
    const k = writeKeys(id);
    const { hn, l, sn, zn } = k;
    const batch = pipelined ? 1000 : 100;
    /** Runs `batch` commands: one per round trip, or in pipelines of PIPELINE. */
    const run = pipelined
      ? async (issue: Issue, fold: Fold): Promise<void> => {
        for (let j = 0; j < batch; j += PIPELINE) {
          const p = r.pipeline();
          for (let q = 0; q < PIPELINE; q++) issue(p);
          for (const v of pipelineReplies(await p.exec())) fold(v);
        }
      }
      : async (issue: Issue, fold: Fold): Promise<void> => {
        for (let j = 0; j < batch; j++) fold(await issue(r));
      };
    let s = 0;
    const add: Fold = (v) => s += v as number;
    const ops: Sys["ops"] = {
      async hset() {
        s = 0;
        await run((x) => {
          w.last = st.f++;
          return x.hset(hn, fresh[w.last], values[w.last % N]);
        }, add);
        w.sum = s;
      },
      async hget() {
        w.start = st.c;
        s = 0;
        await run((x) => {
          w.last = order[st.c];
          st.c = (st.c + 1) & mask;
          return x.hget(H, names[w.last]);
        }, (v) => {
          s += (v as string).length;
          w.lastValue = v as string;
        });
        w.sum = s;
      },
      async lpush() {
        await run((x) => x.lpush(l, values[st.push++ % N]), (v) => w.sum = v as number);
      },
      async rpop() {
        s = 0;
        await run((x) => {
          st.pop++;
          return x.rpop(l);
        }, (v) => {
          s += (v as string).length;
          w.lastValue = v as string;
        });
        w.sum = s;
      },
      async sadd() {
        s = 0;
        await run((x) => x.sadd(sn, fresh[st.f++]), add);
        w.sum = s;
      },
      async sismember() {
        w.start = st.c;
        s = 0;
        await run((x) => {
          const i = order[st.c];
          st.c = (st.c + 1) & mask;
          return x.sismember(S, names[i]);
        }, add);
        w.sum = s;
      },
      async zadd() {
        s = 0;
        await run((x) => {
          const i = st.f++;
          return x.zadd(zn, i, fresh[i]);
        }, add);
        w.sum = s;
      },
      async zrank() {
        w.start = st.c;
        s = 0;
        await run((x) => {
          const i = zorder[st.c];
          st.c = (st.c + 1) & mask;
          return x.zrank(ZK, zmembers[i]);
        }, add);
        w.sum = s;
      },
      async zrange() {
        s = 0;
        await run((x) => x.zrange(ZK, 0, RANGE - 1), (v) => {
          s += (v as string[]).length;
          w.lastValue = (v as string[]).join(",");
        });
        w.sum = s;
      },
    };
    return {
      id,
      k,
      label: pipelined ? `Redis ×${PIPELINE}` : "Redis",
      detail: pipelined
        ? `the same server and client; pipelines of ${PIPELINE} commands ` +
          "(`r.pipeline()…exec()`), each awaited"
        : `redis-server ${server} on 127.0.0.1, ioredis ${version}; one command per round ` +
          "trip (`await r.hget(key, field)`); HSET, HGET, LPUSH, RPOP, SADD, SISMEMBER, ZADD, " +
          "ZRANK, ZRANGE key 0 9",
      async: true,
      batch,
      writeCalls: CALLS[pipelined ? "redis-p100" : "redis"],
      w,
      st,
      one,
      ops,
      versions,
      close,
    };
  };
  return [make(false), make(true)];
}

/* ---- checks ------------------------------------------------------------------------------ */

function fail(what: string, got: unknown, want: unknown): never {
  throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

function expect(what: string, got: unknown, want: unknown): void {
  if (got !== want) fail(what, got, want);
}

/** Checks a freshly loaded system, every operation once; throws on the first wrong answer. */
async function checkLoaded(s: Sys): Promise<void> {
  const o = s.one;
  const { hn, l, sn, zn } = s.k;
  for (const i of [0, 1, 4999, N - 1]) {
    expect(`hget(${H}, ${names[i]})`, await o.hget(H, names[i]), values[i]);
    expect(`sismember(${S}, ${names[i]})`, await o.sismember(S, names[i]), i % 2 === 0 ? 1 : 0);
  }
  expect("hget(missing field)", await o.hget(H, "nope"), null);
  expect(`hlen(${H})`, await o.hlen(H), N);
  expect(`scard(${S})`, await o.scard(S), N / 2);
  expect(`zcard(${ZK})`, await o.zcard(ZK), Z);
  for (const i of [0, 1, 500, Z - 1]) {
    expect(`zrank(${ZK}, ${zmembers[i]})`, await o.zrank(ZK, zmembers[i]), i);
  }
  expect("zrank(missing member)", await o.zrank(ZK, "nope"), null);
  expect(
    `zrange(${ZK}, 0, ${RANGE - 1})`,
    (await o.zrange(ZK, 0, RANGE - 1)).join(","),
    ZRANGE_WANT,
  );
  expect("hset(new field)", await o.hset(hn, "a", "1"), 1);
  expect("hset(same field)", await o.hset(hn, "a", "2"), 0);
  expect("hget after hset", await o.hget(hn, "a"), "2");
  expect("sadd(new member)", await o.sadd(sn, "a"), 1);
  expect("sadd(same member)", await o.sadd(sn, "a"), 0);
  expect("zadd(new member)", await o.zadd(zn, 1, "a"), 1);
  expect("zadd(same member)", await o.zadd(zn, 2, "a"), 0);
  expect("zrank after zadd", await o.zrank(zn, "a"), 0);
  expect("lpush a", await o.lpush(l, "a"), 1);
  expect("lpush b", await o.lpush(l, "b"), 2);
  expect("rpop (FIFO)", await o.rpop(l), "a");
  expect("rpop (FIFO)", await o.rpop(l), "b");
  expect("rpop (empty)", await o.rpop(l), null);
  await o.del(hn, sn, zn, l);
}

/** Prepares a task's round (untimed). */
async function before(s: Sys, op: ContainerOp): Promise<void> {
  const { l } = s.k;
  s.st.f = 0;
  if (op === "rpop") {
    /* Top the queue up to what the round will pop, plus a margin. */
    const need = (s.writeCalls + WARMUP_CALLS * 2) * s.batch;
    let have = await s.one.llen(l);
    expect("llen before rpop", have, s.st.push - s.st.pop);
    while (have < need) {
      const chunk: string[] = [];
      for (let j = 0; j < 1000 && have + chunk.length < need; j++) {
        chunk.push(values[(s.st.push + chunk.length) % N]);
      }
      await s.one.lpush(l, ...chunk);
      s.st.push += chunk.length;
      have += chunk.length;
    }
  }
}

/** Checks what the last timed batch left, and cleans up after writes. */
async function checkTask(s: Sys, op: ContainerOp): Promise<void> {
  const { w, st, one, batch } = s;
  const { hn, l, sn, zn } = s.k;
  const span = (f: (i: number) => number): number => {
    let x = 0;
    for (let j = 0; j < batch; j++) x += f((w.start + j) & mask);
    return x;
  };
  switch (op) {
    case "hset":
      expect("hset replies of the last batch (new fields)", w.sum, batch);
      expect(`hget(${hn}, last field)`, await one.hget(hn, fresh[w.last]), values[w.last % N]);
      expect(`hlen(${hn})`, await one.hlen(hn), st.f);
      await one.del(hn);
      break;
    case "hget":
      expect("bytes returned by the last batch", w.sum, batch * data.valueBytes);
      expect("the last hget", w.lastValue, values[w.last]);
      break;
    case "lpush":
      expect("the last lpush reply (queue length)", w.sum, st.push - st.pop);
      expect(`llen(${l})`, await one.llen(l), st.push - st.pop);
      break;
    case "rpop":
      expect("bytes popped by the last batch", w.sum, batch * data.valueBytes);
      expect("the last rpop (FIFO order)", w.lastValue, values[(st.pop - 1) % N]);
      expect(`llen(${l})`, await one.llen(l), st.push - st.pop);
      await one.del(l);
      st.push = st.pop = 0;
      break;
    case "sadd":
      expect("sadd replies of the last batch (new members)", w.sum, batch);
      expect(`scard(${sn})`, await one.scard(sn), st.f);
      await one.del(sn);
      break;
    case "sismember":
      expect("hits in the last batch", w.sum, span((c) => (order[c] % 2 === 0 ? 1 : 0)));
      break;
    case "zadd":
      expect("zadd replies of the last batch (new members)", w.sum, batch);
      expect(`zcard(${zn})`, await one.zcard(zn), st.f);
      expect("zrank of the last member", await one.zrank(zn, fresh[st.f - 1]), st.f - 1);
      await one.del(zn);
      break;
    case "zrank":
      expect("sum of the ranks of the last batch", w.sum, span((c) => zorder[c]));
      break;
    case "zrange":
      expect("members returned by the last batch", w.sum, batch * RANGE);
      expect("the last zrange", w.lastValue, ZRANGE_WANT);
      break;
  }
}

/* ---- blpop latency ------------------------------------------------------------------ */

const here = fileURLToPath(import.meta.url);
const root = fileURLToPath(new URL("../", import.meta.url));
const READY = "bc:blpop:ready";
const Q = "bc:blpop:q";

/** CLOCK_REALTIME in ms, sub-µs resolution, comparable across processes. */
function now(): number {
  return performance.timeOrigin + performance.now();
}

/** The two list commands the latency test needs, on shmdict or Redis. */
interface Queue {
  rpush(k: string, v: string): Promise<unknown>;
  blpop(k: string, timeout: number): Promise<[string, string] | null>;
  del(...k: string[]): Promise<unknown>;
  close(): Promise<void> | void;
}

async function openQueue(system: string, target: string): Promise<Queue> {
  if (system === "shmdict") {
    const db = open(target, { size: "16MiB" });
    return {
      rpush: (k, v) => Promise.resolve(db.rpush(k, v)),
      blpop: (k, t) => db.blpop(k, t),
      del: (...k) => Promise.resolve(db.del(...k)),
      close: () => db.close(),
    };
  }
  const r = await connectRedis(Number(target));
  return {
    rpush: (k, v) => r.rpush(k, v),
    blpop: (k, t) => r.blpop(k, t) as Promise<[string, string] | null>,
    del: (...k) => r.del(...k),
    close: async () => {
      await r.quit();
    },
  };
}

/** The waiter process: `rpush ready`, `blpop q`, latency; prints the latencies (µs) as JSON. */
async function waiter(): Promise<number> {
  const system = env("BENCH_BLPOP_SYSTEM")!;
  const total = envNumber("BENCH_BLPOP_TOTAL", 1);
  const q = await openQueue(system, env("BENCH_BLPOP_TARGET")!);
  const lat: number[] = [];
  try {
    for (let i = 0; i < total; i++) {
      await q.rpush(READY, String(i));
      const got = await q.blpop(Q, 10);
      const t = now();
      if (got === null) throw new Error(`round ${i}: blpop timed out after 10 s`);
      const [idx, stamp] = got[1].split(" ");
      if (got[0] !== Q || Number(idx) !== i) {
        throw new Error(`round ${i}: blpop returned ${JSON.stringify(got)}`);
      }
      lat.push((t - Number(stamp)) * 1000);
    }
    console.log(JSON.stringify({ lat }));
    return 0;
  } catch (err) {
    console.log(JSON.stringify({ error: (err as Error).message }));
    return 1;
  } finally {
    await q.close();
  }
}

function quantile(sorted: readonly number[], p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** This process pushes; a `waiterRt` process waits. */
async function blpopLatency(
  system: string,
  target: string,
  waiterRt: Runtime,
  rounds: number,
): Promise<BlpopRow> {
  const row: BlpopRow = { system, pusher: runtime, waiter: waiterRt, rounds };
  const total = rounds + BLPOP_WARMUP;
  const q = await openQueue(system, target);
  await q.del(READY, Q);
  const bin = `${root}node_modules/.bin/${waiterRt}`;
  const args = waiterRt === "deno" ? ["run", "-A", here] : [here];
  const child = spawn(bin, args, {
    env: {
      ...process.env,
      BENCH_BLPOP_ROLE: "waiter",
      BENCH_BLPOP_SYSTEM: system,
      BENCH_BLPOP_TARGET: target,
      BENCH_BLPOP_TOTAL: String(total),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (d: string) => out += d);
  const exited = new Promise<number | null>((res) => child.on("close", (code) => res(code)));
  try {
    for (let i = 0; i < total; i++) {
      const ready = await q.blpop(READY, 30);
      if (ready === null) throw new Error(`round ${i}: the waiter did not become ready in 30 s`);
      await new Promise((res) => setTimeout(res, BLPOP_GAP_MS));
      await q.rpush(Q, `${i} ${now()}`);
    }
    const code = await exited;
    const last = out.trim().split("\n").pop() ?? "";
    const res = JSON.parse(last || "{}") as { lat?: number[]; error?: string };
    if (res.error !== undefined) throw new Error(`waiter: ${res.error}`);
    if (code !== 0 || res.lat === undefined || res.lat.length !== total) {
      throw new Error(`waiter exited with ${code}, output ${JSON.stringify(out.slice(0, 200))}`);
    }
    const lat = res.lat.slice(BLPOP_WARMUP).sort((a, b) => a - b);
    row.p50 = quantile(lat, 0.5);
    row.p90 = quantile(lat, 0.9);
    row.p99 = quantile(lat, 0.99);
    row.max = lat[lat.length - 1];
    row.min = lat[0];
    row.mean = lat.reduce((s, x) => s + x, 0) / lat.length;
  } catch (err) {
    row.error = (err as Error).message;
    child.kill();
  } finally {
    await q.del(READY, Q);
    await q.close();
  }
  return row;
}

/* ---- main -------------------------------------------------------------------------------------- */

async function main(): Promise<number> {
  const { timeMs, warmupMs, rounds, clock: clockSetting } = timingSettings();
  const blpopRounds = envNumber("BENCH_BLPOP_ROUNDS", BLPOP_ROUNDS_DEFAULT);
  const redisPort = redisPortSetting();
  const pick = selector([...SYSTEM_IDS, "blpop"], CONTAINER_OPS);
  const versions: Record<string, string> = {
    [runtime]: runtimeVersion,
    tinybench: packageVersion("tinybench"),
  };
  progress(`containers benchmark, ${runtime} ${runtimeVersion}`);

  const systems: Sys[] = [];
  const infos: ContainerSystemInfo[] = [];
  let failed = false;
  const add = async (id: string, make: () => Sys | Promise<Sys | Sys[]>) => {
    if (!pick.system(id) && !(id === "redis" && pick.system("redis-p100"))) return;
    progress(`loading ${id}`);
    let made: Sys | Sys[];
    try {
      made = await make();
    } catch (err) {
      failed = true;
      const check = `could not be opened and loaded: ${(err as Error).message}`;
      progress(`${id}: FAILED: ${check}`);
      infos.push({ id, label: id, detail: "", batch: 0, writeCalls: 0, check });
      return;
    }
    for (const s of Array.isArray(made) ? made : [made]) {
      if (!pick.system(s.id)) {
        await s.close();
        continue;
      }
      Object.assign(versions, s.versions);
      let check = "ok";
      try {
        await checkLoaded(s);
      } catch (err) {
        check = (err as Error).message;
        failed = true;
        progress(`${s.id}: CHECK FAILED: ${check}`);
      }
      const { label, detail, batch, writeCalls } = s;
      infos.push({ id: s.id, label, detail, batch, writeCalls, check });
      if (check === "ok") systems.push(s);
      else await s.close();
    }
  };
  await add("shmdict", async () => {
    const s = createShmdict(1000);
    await load(s.one);
    return s;
  });
  if (redisPort !== null) {
    await add("redis", () => createRedis(redisPort, packageVersion("ioredis")));
  } else if (pick.system("redis") || pick.system("redis-p100")) {
    progress("Redis SKIPPED: BENCH_REDIS_PORT is not set (npm run bench starts one)");
  }

  /* ---- throughput, in rounds, operation by operation (as core.bench.ts) ---- */
  const samplers = new Map<string, Sampler>();
  const errors = new Map<string, string>();
  for (let round = 1; round <= rounds; round++) {
    for (const op of CONTAINER_OPS) {
      if (!pick.op(op)) continue;
      for (const s of systems) {
        const key = `${op} ${s.id}`;
        if (errors.has(key)) continue;
        write(`==> ${runtime}: ${round}/${rounds} ${op.padEnd(10)} ${s.label.padEnd(11)} `);
        try {
          await before(s, op);
          const fixed = FIXED.has(op);
          const calls = await measureRound(key, s.ops[op], {
            batch: s.batch,
            async: s.async,
            /* Writes: exactly writeCalls timed calls after 4 warmup calls. */
            time: fixed ? 0 : timeMs,
            warmupTime: fixed ? 0 : warmupMs,
            iterations: fixed ? s.writeCalls : undefined,
            clock: s.async || clockSetting === "wall" ? "wall" : "cpu",
          });
          await checkTask(s, op);
          console.log(roundLine(addRound(samplers, key, s.batch, calls), s.batch, false));
        } catch (err) {
          failed = true;
          const error = (err as Error).message;
          errors.set(key, error);
          console.log(`FAILED: ${error}`);
        }
      }
    }
  }
  const rows: ContainerRow[] = [];
  for (const op of CONTAINER_OPS) {
    for (const s of systems) {
      const key = `${op} ${s.id}`;
      const error = errors.get(key);
      const sampler = samplers.get(key);
      if (error !== undefined) rows.push({ op, system: s.id, error });
      else if (sampler !== undefined) rows.push({ op, system: s.id, ...sampler.stats() });
    }
  }
  for (const s of systems) await s.close();

  /* ---- blpop wake-up latency across processes ---- */
  const blpop: BlpopRow[] = [];
  if (pick.system("blpop") || !env("BENCH_ONLY")?.split(",").some((x) => SYSTEM_IDS.includes(x))) {
    const other: Runtime = runtime === "deno" ? "bun" : "deno";
    const targets: [string, string][] = [["shmdict", `bench-blpop-${process.pid}`]];
    if (redisPort !== null) targets.push(["redis", String(redisPort)]);
    for (const [system, target] of targets) {
      for (const w of [other, runtime]) {
        write(`==> ${runtime}: blpop ${system.padEnd(8)} ${runtime} pusher → ${w} waiter `);
        if (system === "shmdict") drop(target);
        const row = await blpopLatency(system, target, w, blpopRounds);
        if (system === "shmdict") drop(target);
        blpop.push(row);
        if (row.error !== undefined) {
          failed = true;
          console.log(`FAILED: ${row.error}`);
        } else {
          console.log(
            `p50 ${row.p50!.toFixed(1)} µs  p99 ${row.p99!.toFixed(1)} µs  ` +
              `max ${row.max!.toFixed(1)} µs  (${row.rounds} rounds)`,
          );
        }
      }
    }
  }

  /* ---- summary ---- */
  const cell = (op: string, id: string) => rows.find((r) => r.op === op && r.system === id);
  const cols = SYSTEM_IDS.filter((id) => rows.some((r) => r.system === id));
  console.log(`\n${runtime} ${runtimeVersion}: M ops/s (median call)`);
  console.log("".padEnd(11) + cols.map((c) => c.padStart(12)).join("") + "  shm÷R  shm÷R×100");
  for (const op of CONTAINER_OPS) {
    if (!rows.some((r) => r.op === op)) continue;
    const v = cols.map((id) => cell(op, id)?.opsPerSec);
    const shm = cell(op, "shmdict")?.opsPerSec;
    const ratio = (id: string) => {
      const x = cell(op, id)?.opsPerSec;
      return shm === undefined || x === undefined ? "—" : `${(shm / x).toFixed(1)}×`;
    };
    console.log(
      op.padEnd(11) + v.map((x) => (x === undefined ? "FAILED" : mops(x)).padStart(12)).join("") +
        ratio("redis").padStart(7) + ratio("redis-p100").padStart(11),
    );
  }

  const result: ContainersResult = {
    suite: "containers",
    runtime,
    runtimeVersion,
    date: new Date().toISOString(),
    settings: {
      hashFields: N,
      setProbes: N,
      zsetMembers: Z,
      zrange: RANGE,
      valueBytes: data.valueBytes,
      timeMs,
      warmupMs,
      rounds,
      clock: clockSetting,
      redisPort,
      blpopRounds,
      blpopGapMs: BLPOP_GAP_MS,
    },
    versions,
    systems: infos,
    rows,
    blpop,
  };
  console.log(`\nwrote ${writeResult(`containers-${runtime}.json`, result)}`);
  return failed ? 1 : 0;
}

exit(env("BENCH_BLPOP_ROLE") === "waiter" ? await waiter() : await main());
