/**
 * lmdb-js (the `lmdb` npm package) in its fastest crash-safe mode: `noSync`
 * plus `useWritemap` (survives a process crash, not a power cut — the same
 * promise shmdict makes). One database for reads and writes, opened with
 * `encoding: "string"` so that values are stored as their UTF-8 bytes, as in
 * shmdict and Redis (it is also lmdb-js's fastest `get` for strings here;
 * the default MessagePack encoding measured slower).
 *
 * Mapping: `get` → `get`; `getBytes` → `getBinary` (a fresh `Buffer`);
 * `getInto` → `getBinaryFast` (a reused buffer, valid until the next read);
 * `set` → `putSync` (one write transaction per call); `incr` →
 * `transactionSync` around `get` + `putSync` (atomic, as INCR is).
 *
 * @module
 */

import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { open } from "lmdb";
import type { Dataset } from "../support/data.ts";
import { type System, witness } from "./types.ts";

/** Opens a fresh environment in a temp directory under `dir` and loads it. */
export function createLmdb(data: Dataset, dir: string, version: string, batch = 1000): System {
  const path = mkdtempSync(join(dir, "shmdict-bench-lmdb-"));
  const db = open<string, string>({ path, noSync: true, useWritemap: true, encoding: "string" });
  const { keys, values, alt, counters, order, mask } = data;
  db.transactionSync(() => {
    for (let i = 0; i < data.n; i++) {
      db.putSync(keys[i], values[i]);
      db.putSync(counters[i], "0");
    }
  });
  const w = witness();
  let c = 0;
  let gen = 0;
  const incr = (k: string): number =>
    db.transactionSync(() => {
      const v = Number(db.get(k) ?? "0") + 1;
      db.putSync(k, String(v));
      return v;
    });
  return {
    id: "lmdb",
    label: "lmdb-js",
    detail: '`open({ path, noSync: true, useWritemap: true, encoding: "string" })`; ' +
      "`get`, `getBinary`, `getBinaryFast`, `putSync`, " +
      "`incr` = `transactionSync(get + putSync)`",
    async: false,
    batch,
    w,
    versions: { lmdb: version },
    one: {
      get: (k) => db.get(k) ?? null,
      getBytes: (k) => db.getBinary(k) ?? null,
      set: (k, v) => db.putSync(k, v),
      incr,
    },
    ops: {
      get() {
        let s = 0;
        for (let j = 0; j < batch; j++) {
          s += db.get(keys[order[c]])!.length;
          c = (c + 1) & mask;
        }
        w.sum = s;
      },
      getBytes() {
        let s = 0;
        for (let j = 0; j < batch; j++) {
          s += db.getBinary(keys[order[c]])!.length;
          c = (c + 1) & mask;
        }
        w.sum = s;
      },
      getInto() {
        let s = 0;
        for (let j = 0; j < batch; j++) {
          s += db.getBinaryFast(keys[order[c]])!.length;
          c = (c + 1) & mask;
        }
        w.sum = s;
      },
      set() {
        const src = (gen++ & 1) === 0 ? alt : values;
        let i = 0;
        for (let j = 0; j < batch; j++) {
          i = order[c];
          db.putSync(keys[i], src[i]);
          c = (c + 1) & mask;
        }
        w.last = i;
        w.lastValue = src[i];
      },
      incr() {
        let i = 0;
        let r = 0;
        for (let j = 0; j < batch; j++) {
          i = order[c];
          r = incr(counters[i]);
          c = (c + 1) & mask;
        }
        w.last = i;
        w.lastInt = r;
      },
    },
    async close() {
      await db.close();
      rmSync(path, { recursive: true, force: true });
    },
  };
}
