/**
 * A JavaScript `Map`: the in-process ceiling (no sharing, no persistence, no
 * copy). Strings and counters live in one `Map<string, string | number>`;
 * `getBytes` and `getInto` read a second `Map<string, Uint8Array>` built at
 * load time, and copy the bytes out (`slice()` / `set()`), as shmdict must.
 *
 * @module
 */

import type { Dataset } from "../support/data.ts";
import { type System, witness } from "./types.ts";

/** Builds the maps. */
export function createMap(data: Dataset, batch = 1000): System {
  const { keys, values, alt, counters, order, mask } = data;
  const m = new Map<string, string | number>();
  const bytes = new Map<string, Uint8Array>();
  const enc = new TextEncoder();
  for (let i = 0; i < data.n; i++) {
    m.set(keys[i], values[i]);
    m.set(counters[i], 0);
    bytes.set(keys[i], enc.encode(values[i]));
  }
  const w = witness();
  const target = new Uint8Array(256);
  let c = 0;
  let gen = 0;
  /* Counters are numbers; a counter written by `set` as a string is parsed. */
  const incr = (k: string): number => {
    const cur = m.get(k);
    const v = (typeof cur === "number" ? cur : Number(cur ?? 0)) + 1;
    m.set(k, v);
    return v;
  };
  return {
    id: "map",
    label: "Map",
    detail: "`Map<string, string | number>`; bytes from a `Map<string, Uint8Array>` " +
      "(`getBytes` = `slice()`, `getInto` = `target.set()`); `incr` = get + 1 + set",
    async: false,
    batch,
    w,
    versions: {},
    one: {
      get: (k) => {
        const v = m.get(k);
        return v === undefined ? null : String(v);
      },
      getBytes: (k) => bytes.get(k)?.slice() ?? null,
      set: (k, v) => m.set(k, v),
      incr,
    },
    ops: {
      get() {
        let s = 0;
        for (let j = 0; j < batch; j++) {
          s += (m.get(keys[order[c]]) as string).length;
          c = (c + 1) & mask;
        }
        w.sum = s;
      },
      getBytes() {
        let s = 0;
        for (let j = 0; j < batch; j++) {
          s += bytes.get(keys[order[c]])!.slice().length;
          c = (c + 1) & mask;
        }
        w.sum = s;
      },
      getInto() {
        let s = 0;
        for (let j = 0; j < batch; j++) {
          const b = bytes.get(keys[order[c]])!;
          target.set(b);
          s += b.length;
          c = (c + 1) & mask;
        }
        w.sum = s;
      },
      set() {
        const src = (gen++ & 1) === 0 ? alt : values;
        let i = 0;
        for (let j = 0; j < batch; j++) {
          i = order[c];
          m.set(keys[i], src[i]);
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
    close() {
      m.clear();
      bytes.clear();
    },
  };
}
