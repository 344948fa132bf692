/**
 * The systems of the mixed-workload benchmark (`bench/mixed.bench.ts`), each
 * loaded with the same keys and replaying the same pre-generated operation
 * sequence ({@link OpSequence}: reads and writes of Zipf-distributed keys).
 *
 * Every system writes its own loop (monomorphic call sites, as in a user's
 * code). A timed batch walks the sequence from the system's own cursor; a
 * write stores the key's loaded value or its alternative, switching every
 * batch so that no write stores what is already there. The loop fills a
 * witness (reads done, bytes read) that the benchmark checks after every
 * task. `replay` runs a stretch of the sequence the same way (pipelined for
 * `Redis ×100`) with given write values and returns what every read saw, for
 * the read-your-writes check.
 *
 * @module
 */

import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { open as openLmdb } from "lmdb";
import { drop, open as openShmdict } from "../../lib/mod.ts";
import { connectRedis, pipelineReplies, redisVersion } from "./big-redis.ts";
import { runtime } from "./env.ts";
import { Progress } from "./progress.ts";
import { openSqlite, sqliteVersion } from "./sqlite.ts";
import type { OpSequence } from "./zipf.ts";

/** The data every system is loaded with. */
export interface MixedData {
  /** Number of keys. */
  readonly n: number;
  /** The keys (12 ASCII bytes). */
  readonly keys: readonly string[];
  /** The value loaded for each key. */
  readonly values: readonly string[];
  /** A second value per key, of the same length. */
  readonly alt: readonly string[];
  /** The operation sequence. */
  readonly seq: OpSequence;
}

/** What the last timed batch did. */
export interface MixedWitness {
  /** Reads in the batch. */
  gets: number;
  /** Characters the reads returned. */
  bytes: number;
}

/** A loaded system. */
export interface MixedSystem {
  /** Short id (`BENCH_ONLY`, JSON). */
  readonly id: string;
  /** Name in tables. */
  readonly label: string;
  /** How it was opened and used. */
  readonly detail: string;
  /** True when `run` returns a promise. */
  readonly async: boolean;
  /** Operations per `run` call. */
  readonly batch: number;
  /** Version strings worth recording. */
  readonly versions: Record<string, string>;
  /** One timed batch. */
  run(): void | Promise<void>;
  /** Filled in by `run`. */
  readonly w: MixedWitness;
  /**
   * Runs `count` operations of the sequence from position `start`, writing
   * `valueFor(position)` for each write; returns what each read returned, in
   * order (null for a missing key).
   */
  replay(
    start: number,
    count: number,
    valueFor: (pos: number) => string,
  ): (string | null)[] | Promise<(string | null)[]>;
  /** Releases everything (segment, files, connection, keys). */
  close(): void | Promise<void>;
}

const MASK31 = 0x7fffffff;
const WRITE = 0x80000000;

/** Calls `put(i)` for every key with a progress display. */
function load(what: string, n: number, put: (i: number) => void): void {
  const p = new Progress(`loading ${what} (${n.toLocaleString("en")} keys)`, n);
  for (let i = 0; i < n; i++) {
    put(i);
    if ((i & 16383) === 16383) p.update(i + 1);
  }
  p.done();
}

/**
 * The `replay` of a synchronous system (untimed: the read-your-writes
 * check): runs `count` operations of the sequence from `start` through `set`
 * and `get`, writing `valueFor(position)`; returns what each read returned.
 */
function replaySync(
  data: MixedData,
  start: number,
  count: number,
  valueFor: (pos: number) => string,
  set: (key: string, value: string) => unknown,
  get: (key: string) => string | null,
): (string | null)[] {
  const { keys } = data;
  const { ops, mask } = data.seq;
  const out: (string | null)[] = [];
  for (let p = start; p < start + count; p++) {
    const op = ops[p & mask];
    if (op >= WRITE) set(keys[op & MASK31], valueFor(p));
    else out.push(get(keys[op]));
  }
  return out;
}

/* ---------------------------------------------------------------------------- */

/** shmdict through its public API, on a private segment dropped by `close`. */
export function createShmdict(data: MixedData, batch: number): MixedSystem {
  const name = `bench-mixed-${process.pid}`;
  drop(name);
  const db = openShmdict(name, { size: "1GiB" });
  const { keys, values, alt } = data;
  const { ops, mask } = data.seq;
  load("shmdict", data.n, (i) => db.set(keys[i], values[i]));
  const w: MixedWitness = { gets: 0, bytes: 0 };
  let c = 0;
  let gen = 0;
  return {
    id: "shmdict",
    label: "shmdict",
    detail: '`open(name, { size: "1GiB" })`; `get`, `set`',
    async: false,
    batch,
    versions: {},
    w,
    run() {
      const src = (gen++ & 1) === 0 ? alt : values;
      let gets = 0, bytes = 0;
      for (let j = 0; j < batch; j++) {
        const op = ops[c];
        c = (c + 1) & mask;
        if (op >= WRITE) {
          const i = op & MASK31;
          db.set(keys[i], src[i]);
        } else {
          bytes += db.get(keys[op])!.length;
          gets++;
        }
      }
      w.gets = gets;
      w.bytes = bytes;
    },
    replay(start, count, valueFor) {
      return replaySync(data, start, count, valueFor, (k, v) => db.set(k, v), (k) => db.get(k));
    },
    close() {
      db.close();
      drop(name);
    },
  };
}

/** A JavaScript `Map<string, string>`: the in-process ceiling. */
export function createMap(data: MixedData, batch: number): MixedSystem {
  const m = new Map<string, string>();
  const { keys, values, alt } = data;
  const { ops, mask } = data.seq;
  load("Map", data.n, (i) => m.set(keys[i], values[i]));
  const w: MixedWitness = { gets: 0, bytes: 0 };
  let c = 0;
  let gen = 0;
  return {
    id: "map",
    label: "Map",
    detail: "`Map<string, string>`: `get`, `set`",
    async: false,
    batch,
    versions: {},
    w,
    run() {
      const src = (gen++ & 1) === 0 ? alt : values;
      let gets = 0, bytes = 0;
      for (let j = 0; j < batch; j++) {
        const op = ops[c];
        c = (c + 1) & mask;
        if (op >= WRITE) {
          const i = op & MASK31;
          m.set(keys[i], src[i]);
        } else {
          bytes += m.get(keys[op])!.length;
          gets++;
        }
      }
      w.gets = gets;
      w.bytes = bytes;
    },
    replay(start, count, valueFor) {
      return replaySync(
        data,
        start,
        count,
        valueFor,
        (k, v) => m.set(k, v),
        (k) => m.get(k) ?? null,
      );
    },
    close() {
      m.clear();
    },
  };
}

/** lmdb-js, `noSync` + `useWritemap`, string encoding; `get` and `putSync`. */
export function createLmdb(
  data: MixedData,
  dir: string,
  version: string,
  batch: number,
): MixedSystem {
  const path = mkdtempSync(join(dir, "shmdict-bench-mixed-lmdb-"));
  const db = openLmdb<string, string>({
    path,
    noSync: true,
    useWritemap: true,
    encoding: "string",
    mapSize: 2 * 1024 ** 3,
  });
  const { keys, values, alt } = data;
  const { ops, mask } = data.seq;
  db.transactionSync(() => load("lmdb-js", data.n, (i) => db.putSync(keys[i], values[i])));
  const w: MixedWitness = { gets: 0, bytes: 0 };
  let c = 0;
  let gen = 0;
  return {
    id: "lmdb",
    label: "lmdb-js",
    detail: '`open({ path, noSync: true, useWritemap: true, encoding: "string" })`; ' +
      "`get`, `putSync` (one write transaction per `set`)",
    async: false,
    batch,
    versions: { lmdb: version },
    w,
    run() {
      const src = (gen++ & 1) === 0 ? alt : values;
      let gets = 0, bytes = 0;
      for (let j = 0; j < batch; j++) {
        const op = ops[c];
        c = (c + 1) & mask;
        if (op >= WRITE) {
          const i = op & MASK31;
          db.putSync(keys[i], src[i]);
        } else {
          bytes += db.get(keys[op])!.length;
          gets++;
        }
      }
      w.gets = gets;
      w.bytes = bytes;
    },
    replay(start, count, valueFor) {
      return replaySync(
        data,
        start,
        count,
        valueFor,
        (k, v) => db.putSync(k, v),
        (k) => db.get(k) ?? null,
      );
    },
    async close() {
      await db.close();
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** SQLite pragmas of the mixed benchmark: WAL, no fsync, a page cache that
 * holds the whole database (~150 MB for 1 M keys). */
export const SQLITE_PRAGMAS = [
  "journal_mode = WAL",
  "synchronous = OFF",
  "cache_size = -262144",
] as const;

/** SQLite (bun:sqlite / node:sqlite), a file database, prepared statements, autocommit. */
export async function createSqlite(
  data: MixedData,
  dir: string,
  batch: number,
): Promise<MixedSystem> {
  const tmp = mkdtempSync(join(dir, "shmdict-bench-mixed-sqlite-"));
  const db = await openSqlite(join(tmp, "kv.db"), SQLITE_PRAGMAS);
  db.exec("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID");
  const put = db.prepare(
    "INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
  );
  const sel = db.prepare("SELECT v FROM kv WHERE k = ?");
  const { keys, values, alt } = data;
  const { ops, mask } = data.seq;
  db.exec("BEGIN");
  load("SQLite", data.n, (i) => put.run(keys[i], values[i]));
  db.exec("COMMIT");
  const version = sqliteVersion(db);
  const w: MixedWitness = { gets: 0, bytes: 0 };
  let c = 0;
  let gen = 0;
  const driver = runtime === "bun" ? "bun:sqlite" : "node:sqlite DatabaseSync";
  return {
    id: "sqlite",
    label: "SQLite",
    detail: `${driver}; \`${SQLITE_PRAGMAS.map((p) => `PRAGMA ${p}`).join("; ")}\`; ` +
      "`kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID`; prepared `SELECT v … WHERE k = ?` and " +
      "`INSERT … ON CONFLICT DO UPDATE`, autocommit (one transaction per `set`)",
    async: false,
    batch,
    versions: { sqlite: version },
    w,
    run() {
      const src = (gen++ & 1) === 0 ? alt : values;
      let gets = 0, bytes = 0;
      for (let j = 0; j < batch; j++) {
        const op = ops[c];
        c = (c + 1) & mask;
        if (op >= WRITE) {
          const i = op & MASK31;
          put.run(keys[i], src[i]);
        } else {
          bytes += (sel.get(keys[op]) as { v: string }).v.length;
          gets++;
        }
      }
      w.gets = gets;
      w.bytes = bytes;
    },
    replay(start, count, valueFor) {
      return replaySync(
        data,
        start,
        count,
        valueFor,
        (k, v) => put.run(k, v),
        (k) => (sel.get(k) as { v: string } | null | undefined)?.v ?? null,
      );
    },
    close() {
      db.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Commands per pipeline of `Redis ×100`. */
export const PIPELINE = 100;

/**
 * Redis on 127.0.0.1:`port` through ioredis, as two systems on one connection
 * and one loaded data set: one command per round trip (100 operations per
 * timed call) and pipelines of {@link PIPELINE} (1,000 per call).
 */
export async function createRedis(
  data: MixedData,
  port: number,
  version: string,
  batch: number,
): Promise<[MixedSystem, MixedSystem]> {
  const r = await connectRedis(port);
  const { keys, values, alt } = data;
  const { ops, mask } = data.seq;
  const p = new Progress(`loading Redis (${data.n.toLocaleString("en")} keys)`, data.n);
  for (let i = 0; i < data.n; i += 1000) {
    const args: string[] = [];
    for (let j = i; j < Math.min(data.n, i + 1000); j++) args.push(keys[j], values[j]);
    await r.mset(...args);
    p.update(i);
  }
  p.done();
  const server = await redisVersion(r);
  const versions = { "redis-server": server, ioredis: version };
  let users = 2;
  const close = async (): Promise<void> => {
    if (--users > 0) return;
    for (let i = 0; i < data.n; i += 1000) await r.unlink(...keys.slice(i, i + 1000));
    await r.quit();
  };

  const w1: MixedWitness = { gets: 0, bytes: 0 };
  const b1 = 100;
  let c1 = 0;
  let gen1 = 0;
  const single: MixedSystem = {
    id: "redis",
    label: "Redis",
    detail: `redis-server ${server} on 127.0.0.1, ioredis ${version}; ` +
      "one command per round trip (`await r.get(k)`, `await r.set(k, v)`)",
    async: true,
    batch: b1,
    versions,
    w: w1,
    async run() {
      const src = (gen1++ & 1) === 0 ? alt : values;
      let gets = 0, bytes = 0;
      for (let j = 0; j < b1; j++) {
        const op = ops[c1];
        c1 = (c1 + 1) & mask;
        if (op >= WRITE) {
          const i = op & MASK31;
          await r.set(keys[i], src[i]);
        } else {
          bytes += (await r.get(keys[op]))!.length;
          gets++;
        }
      }
      w1.gets = gets;
      w1.bytes = bytes;
    },
    async replay(start, count, valueFor) {
      const out: (string | null)[] = [];
      for (let p = start; p < start + count; p++) {
        const op = ops[p & mask];
        if (op >= WRITE) await r.set(keys[op & MASK31], valueFor(p));
        else out.push(await r.get(keys[op]));
      }
      return out;
    },
    close,
  };

  const w2: MixedWitness = { gets: 0, bytes: 0 };
  let c2 = 0;
  let gen2 = 0;
  const isGet = new Uint8Array(PIPELINE);
  const pipelined: MixedSystem = {
    id: "redis-p100",
    label: `Redis ×${PIPELINE}`,
    detail: `the same server and client; pipelines of ${PIPELINE} mixed GET/SET ` +
      "(`r.pipeline()…exec()`), each awaited",
    async: true,
    batch,
    versions,
    w: w2,
    async run() {
      const src = (gen2++ & 1) === 0 ? alt : values;
      let gets = 0, bytes = 0;
      for (let j = 0; j < batch; j += PIPELINE) {
        const pl = r.pipeline();
        for (let q = 0; q < PIPELINE; q++) {
          const op = ops[c2];
          c2 = (c2 + 1) & mask;
          if (op >= WRITE) {
            const i = op & MASK31;
            pl.set(keys[i], src[i]);
            isGet[q] = 0;
          } else {
            pl.get(keys[op]);
            isGet[q] = 1;
          }
        }
        const res = pipelineReplies(await pl.exec());
        for (let q = 0; q < PIPELINE; q++) {
          if (isGet[q] === 1) {
            bytes += (res[q] as string).length;
            gets++;
          }
        }
      }
      w2.gets = gets;
      w2.bytes = bytes;
    },
    async replay(start, count, valueFor) {
      const out: (string | null)[] = [];
      for (let s = start; s < start + count; s += PIPELINE) {
        const pl = r.pipeline();
        const reads: number[] = [];
        const end = Math.min(start + count, s + PIPELINE);
        for (let p = s; p < end; p++) {
          const op = ops[p & mask];
          if (op >= WRITE) pl.set(keys[op & MASK31], valueFor(p));
          else {
            reads.push(p - s);
            pl.get(keys[op]);
          }
        }
        const res = pipelineReplies(await pl.exec());
        for (const q of reads) out.push(res[q] as string | null);
      }
      return out;
    },
    close,
  };
  return [single, pipelined];
}
