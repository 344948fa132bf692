/**
 * shmdict through its public API (`lib/mod.ts`), on a private segment that is
 * dropped when the benchmark ends.
 *
 * @module
 */

import process from "node:process";
import { drop, open } from "../../lib/mod.ts";
import type { Dataset } from "../support/data.ts";
import { type System, witness } from "./types.ts";

/** Opens a fresh dictionary and loads the data set into it. */
export function createShmdict(data: Dataset, batch = 1000): System {
  const name = `bench-core-${process.pid}`;
  drop(name);
  const db = open(name, { size: "512MiB" });
  const { keys, values, alt, counters, order, mask } = data;
  for (let i = 0; i < data.n; i++) {
    db.set(keys[i], values[i]);
    db.set(counters[i], "0");
  }
  const w = witness();
  const target = new Uint8Array(256);
  let c = 0;
  let gen = 0;
  return {
    id: "shmdict",
    label: "shmdict",
    detail: `\`open(name, { size: "512MiB" })\`; \`get\`, \`getBytes\`, ` +
      "`getInto(key, reusedBuffer)`, `set`, `incr`",
    async: false,
    batch,
    w,
    versions: {},
    one: {
      get: (k) => db.get(k),
      getBytes: (k) => db.getBytes(k),
      set: (k, v) => db.set(k, v),
      incr: (k) => db.incr(k),
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
          s += db.getBytes(keys[order[c]])!.length;
          c = (c + 1) & mask;
        }
        w.sum = s;
      },
      getInto() {
        let s = 0;
        for (let j = 0; j < batch; j++) {
          s += db.getInto(keys[order[c]], target)!;
          c = (c + 1) & mask;
        }
        w.sum = s;
      },
      set() {
        const src = (gen++ & 1) === 0 ? alt : values;
        let i = 0;
        for (let j = 0; j < batch; j++) {
          i = order[c];
          db.set(keys[i], src[i]);
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
          r = db.incr(counters[i]);
          c = (c + 1) & mask;
        }
        w.last = i;
        w.lastInt = r;
      },
    },
    close() {
      db.close();
      drop(name);
    },
  };
}
