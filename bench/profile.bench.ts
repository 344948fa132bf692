/**
 * Where the nanoseconds of a shmdict `get`, `set` and `incr` go, in the
 * running runtime: each layer timed alone on the data set of the core
 * benchmark (100,000 keys of 12 bytes, 100-byte values, random order).
 *
 * ```sh
 * node_modules/.bin/deno run -A bench/profile.bench.ts
 * node_modules/.bin/bun bench/profile.bench.ts
 * ```
 *
 * Layers, each measured over 1,000 operations per tinybench call:
 * - the loop itself (fetching the next random key string);
 * - an empty FFI call (`shmd_abi_version`);
 * - key encoding into a scratch buffer (`lib/codec.ts` `writeString`, and
 *   `TextEncoder.encodeInto` for comparison);
 * - the C call through the Native layer (`ffi/`) with the key already
 *   encoded: pre-encoded bytes are copied (3 words, also timed alone) into one
 *   scratch buffer whose pointer was computed once, as `Dict` does; for
 *   `set`, two pre-encoded values alternate; random keys, and one hot key
 *   (no cache misses);
 * - value decoding (`readString` via the `node:buffer` view, `TextDecoder`)
 *   and the `getBytes` copy (`slice`);
 * - value encoding (100 bytes);
 * - the public API call (`db.get`, `db.getInto`, `db.getBytes`, `db.set`,
 *   `db.incr`), and a `Map.get` on the same keys for the JS memory floor.
 *
 * Writes `bench/results/profile-<runtime>.json`; bench/report.ts turns it
 * into the "Where the nanoseconds go" section of bench/RESULTS.md.
 *
 * @module
 */

import process from "node:process";
import { native } from "../ffi/mod.ts";
import { readString, textView, writeString } from "../lib/codec.ts";
import { drop, open } from "../lib/mod.ts";
import { makeDataset } from "./support/data.ts";
import {
  env,
  envNumber,
  exit,
  progress,
  runtime,
  runtimeVersion,
  write,
  writeResult,
} from "./support/env.ts";
import { type BatchFn, measureRound, Sampler, type Stats } from "./support/measure.ts";

/** One profiled layer: its id, what it times, and the timed batch. */
type Task = [id: string, label: string, fn: BatchFn];

/** Operations per timed call. */
const BATCH = 1000;

/** One profiled layer. */
export interface ProfileRow extends Stats {
  /** Stable id used by the report. */
  id: string;
  /** What was timed. */
  label: string;
}

/** What `bench/results/profile-<runtime>.json` holds. */
export interface ProfileResult {
  suite: "profile";
  runtime: string;
  runtimeVersion: string;
  date: string;
  settings: {
    keys: number;
    valueBytes: number;
    batch: number;
    timeMs: number;
    rounds: number;
    clock: string;
  };
  rows: ProfileRow[];
}

async function main(): Promise<number> {
  const timeMs = envNumber("BENCH_TIME", 300);
  const warmupMs = envNumber("BENCH_WARMUP", 100);
  const rounds = envNumber("BENCH_ROUNDS", 3);
  const clock = env("BENCH_CLOCK") === "wall" ? "wall" : "cpu";
  progress(`profile, ${runtime} ${runtimeVersion}; building the data set`);
  const data = makeDataset();
  const { keys, values, alt, counters, order, mask, n: N, valueBytes: VB } = data;

  const name = `bench-profile-${process.pid}`;
  drop(name);
  const db = open(name, { size: "512MiB" });
  for (let i = 0; i < N; i++) {
    db.set(keys[i], values[i]);
    db.set(counters[i], "0");
  }

  /* A second handle on the same segment, for the Native layer. */
  const nat = native();
  const nameBytes = new TextEncoder().encode(name);
  const h = nat.shmd_open(nat.ptr(nameBytes), nameBytes.length, 0, 0, 0);
  if (h < 0) throw new Error(`shmd_open(${name}) failed: ${h}`);

  /* Every key and counter pre-encoded into flat arrays of 32-bit words; a raw
   * call copies its key (3 words) into one scratch buffer whose pointer was
   * computed once, as Dict does with its key scratch. Per-key pointer objects
   * would measure Deno's pointer unwrapping at random heap addresses instead. */
  const enc = new TextEncoder();
  const KL = enc.encode(keys[0]).length;
  if (KL % 4 !== 0) throw new Error(`keys must be a multiple of 4 bytes, not ${KL}`);
  const KW = KL / 4;
  const flatKeys = new Uint8Array(N * KL);
  const flatCtrs = new Uint8Array(N * KL);
  for (let i = 0; i < N; i++) {
    if (enc.encodeInto(keys[i], flatKeys.subarray(i * KL, (i + 1) * KL)).written !== KL) {
      throw new Error("keys must all have the same length");
    }
    enc.encodeInto(counters[i], flatCtrs.subarray(i * KL, (i + 1) * KL));
  }
  const keyWords = new Uint32Array(flatKeys.buffer);
  const ctrWords = new Uint32Array(flatCtrs.buffer);
  const kraw = new Uint8Array(new ArrayBuffer(256));
  const kw = new Uint32Array(kraw.buffer);
  const kp = nat.ptr(kraw);
  /** Copies pre-encoded key `i` of `words` into the key scratch. */
  const useKey = (words: Uint32Array, i: number): void => {
    for (let w = 0; w < KW; w++) kw[w] = words[i * KW + w];
  };
  /* Two values for raw writes, alternated, each in a buffer with a cached pointer. */
  const valA = enc.encode(values[0]);
  const valB = enc.encode(alt[0]);
  if (valA.length !== VB || valB.length !== VB) throw new Error("values must be ASCII");
  const vpA = nat.ptr(valA);
  const vpB = nat.ptr(valB);
  const out = new Uint8Array(new ArrayBuffer(4096));
  const op = nat.ptr(out);
  const outView = textView(out);
  const kbuf = new Uint8Array(new ArrayBuffer(256));
  const kView = textView(kbuf);
  const vbuf = new Uint8Array(new ArrayBuffer(4096));
  const vView = textView(vbuf);
  const vbp = nat.ptr(vbuf);
  const target = new Uint8Array(256);
  const decoder = new TextDecoder();
  const map = new Map<string, string>();
  for (let i = 0; i < N; i++) map.set(keys[i], values[i]);

  /* Checks: the Native layer sees what the API wrote. */
  {
    useKey(keyWords, 7);
    const r = nat.shmd_get(h, kp, KL, op, out.length);
    const got = r === VB ? readString(out, outView, 0, r) : `status ${r}`;
    if (got !== values[7]) throw new Error(`raw shmd_get(${keys[7]}) = ${got}`);
    useKey(keyWords, 0);
    const s = nat.shmd_set(h, kp, KL, vpB, VB, 0, 0, op, out.length);
    if (s !== 0 || db.get(keys[0]) !== alt[0]) throw new Error(`raw shmd_set: status ${s}`);
    useKey(ctrWords, 9);
    const n1 = nat.shmd_incrby(h, kp, KL, 1, op, out.length);
    if (n1 < 0 || db.get(counters[9]) !== "1") throw new Error(`raw shmd_incrby: status ${n1}`);
  }

  let c = 0;
  let sink = 0;
  let gen = 0;
  const hot = 4242;
  readString(out, outView, 0, VB); /* the out buffer holds a value from here on */
  useKey(keyWords, hot);
  nat.shmd_get(h, kp, KL, op, out.length);

  const tasks: Task[] = [
    ["loop", "loop alone: `keys[order[c]].length`", () => {
      let s = 0;
      for (let j = 0; j < BATCH; j++) {
        s += keys[order[c]].length;
        c = (c + 1) & mask;
      }
      sink += s;
    }],
    ["ffi-empty", "FFI: empty call `shmd_abi_version()`", () => {
      let s = 0;
      for (let j = 0; j < BATCH; j++) s += nat.shmd_abi_version();
      sink += s;
    }],
    ["key-copy", "JS: copy a pre-encoded key into the scratch (3 words)", () => {
      let s = 0;
      for (let j = 0; j < BATCH; j++) {
        useKey(keyWords, order[c]);
        s += kw[0];
        c = (c + 1) & mask;
      }
      sink += s;
    }],
    ["key-lib", "JS: key encode, lib `writeString` (12 B)", () => {
      let s = 0;
      for (let j = 0; j < BATCH; j++) {
        s += writeString(keys[order[c]], kbuf, kView, 0);
        c = (c + 1) & mask;
      }
      sink += s;
    }],
    ["key-lib-hot", "JS: key encode, lib `writeString`, one hot key", () => {
      let s = 0;
      const k = keys[hot];
      for (let j = 0; j < BATCH; j++) s += writeString(k, kbuf, kView, 0);
      sink += s;
    }],
    ["key-te", "JS: key encode, `TextEncoder.encodeInto` (12 B)", () => {
      let s = 0;
      for (let j = 0; j < BATCH; j++) {
        s += enc.encodeInto(keys[order[c]], kbuf).written;
        c = (c + 1) & mask;
      }
      sink += s;
    }],
    ["get-raw-hot", "FFI+C: `shmd_get`, one hot key", () => {
      let s = 0;
      useKey(keyWords, hot);
      for (let j = 0; j < BATCH; j++) s += nat.shmd_get(h, kp, KL, op, 4096);
      sink += s;
    }],
    ["get-raw", "FFI+C: `shmd_get`, random keys (+ key copy)", () => {
      let s = 0;
      for (let j = 0; j < BATCH; j++) {
        useKey(keyWords, order[c]);
        s += nat.shmd_get(h, kp, KL, op, 4096);
        c = (c + 1) & mask;
      }
      sink += s;
    }],
    ["get-raw-dec", "FFI+C: `shmd_get`, random keys (+ key copy), then `readString`", () => {
      let s = 0;
      for (let j = 0; j < BATCH; j++) {
        useKey(keyWords, order[c]);
        const n = nat.shmd_get(h, kp, KL, op, 4096);
        s += readString(out, outView, 0, n).length;
        c = (c + 1) & mask;
      }
      sink += s;
    }],
    ["dec-lib", "JS: value decode, lib `readString` (100 B)", () => {
      let s = 0;
      for (let j = 0; j < BATCH; j++) s += readString(out, outView, 0, VB).length;
      sink += s;
    }],
    ["dec-td", "JS: value decode, `TextDecoder` (100 B)", () => {
      let s = 0;
      for (let j = 0; j < BATCH; j++) s += decoder.decode(out.subarray(0, VB)).length;
      sink += s;
    }],
    ["copy", "JS: value copy, `out.slice(0, 100)`", () => {
      let s = 0;
      for (let j = 0; j < BATCH; j++) s += out.slice(0, VB).length;
      sink += s;
    }],
    ["map-get", "JS: `Map.get`, same random keys", () => {
      let s = 0;
      for (let j = 0; j < BATCH; j++) {
        s += map.get(keys[order[c]])!.length;
        c = (c + 1) & mask;
      }
      sink += s;
    }],
    ["api-get-hot", "API: `db.get(key)`, one hot key", () => {
      let s = 0;
      const k = keys[hot];
      for (let j = 0; j < BATCH; j++) s += db.get(k)!.length;
      sink += s;
    }],
    ["api-get", "API: `db.get(key)`", () => {
      let s = 0;
      for (let j = 0; j < BATCH; j++) {
        s += db.get(keys[order[c]])!.length;
        c = (c + 1) & mask;
      }
      sink += s;
    }],
    ["api-getinto", "API: `db.getInto(key, target)`", () => {
      let s = 0;
      for (let j = 0; j < BATCH; j++) {
        s += db.getInto(keys[order[c]], target)!;
        c = (c + 1) & mask;
      }
      sink += s;
    }],
    ["api-getbytes", "API: `db.getBytes(key)`", () => {
      let s = 0;
      for (let j = 0; j < BATCH; j++) {
        s += db.getBytes(keys[order[c]])!.length;
        c = (c + 1) & mask;
      }
      sink += s;
    }],
    ["val-lib", "JS: value encode, lib `writeString` (100 B)", () => {
      let s = 0;
      for (let j = 0; j < BATCH; j++) {
        s += writeString(values[order[c]], vbuf, vView, 0);
        c = (c + 1) & mask;
      }
      sink += s;
    }],
    ["val-lib-hot", "JS: value encode, lib `writeString`, one hot value", () => {
      let s = 0;
      const v = values[hot];
      for (let j = 0; j < BATCH; j++) s += writeString(v, vbuf, vView, 0);
      sink += s;
    }],
    ["val-te", "JS: value encode, `TextEncoder.encodeInto` (100 B)", () => {
      let s = 0;
      for (let j = 0; j < BATCH; j++) {
        s += enc.encodeInto(values[order[c]], vbuf).written;
        c = (c + 1) & mask;
      }
      sink += s;
    }],
    ["set-raw-hot", "FFI+C: `shmd_set`, one hot key", () => {
      let s = 0;
      useKey(keyWords, hot);
      for (let j = 0; j < BATCH; j++) {
        s += nat.shmd_set(h, kp, KL, (j & 1) === 0 ? vpA : vpB, VB, 0, 0, op, 4096);
      }
      sink += s;
    }],
    ["set-raw", "FFI+C: `shmd_set`, random keys (+ key copy)", () => {
      let s = 0;
      const vp = (gen++ & 1) === 0 ? vpA : vpB;
      for (let j = 0; j < BATCH; j++) {
        useKey(keyWords, order[c]);
        s += nat.shmd_set(h, kp, KL, vp, VB, 0, 0, op, 4096);
        c = (c + 1) & mask;
      }
      sink += s;
    }],
    [
      "set-raw-val",
      "JS+FFI+C: value `writeString`, then `shmd_set`, random keys (+ key copy)",
      () => {
        let s = 0;
        const src = (gen++ & 1) === 0 ? alt : values;
        for (let j = 0; j < BATCH; j++) {
          const i = order[c];
          const vl = writeString(src[i], vbuf, vView, 0);
          useKey(keyWords, i);
          s += nat.shmd_set(h, kp, KL, vbp, vl, 0, 0, op, 4096);
          c = (c + 1) & mask;
        }
        sink += s;
      },
    ],
    [
      "set-raw-val-pf",
      "JS+FFI+C: `shmd_prefetch`, value `writeString`, then `shmd_set`, random keys (+ key copy)",
      () => {
        let s = 0;
        const src = (gen++ & 1) === 0 ? alt : values;
        for (let j = 0; j < BATCH; j++) {
          const i = order[c];
          useKey(keyWords, i);
          nat.shmd_prefetch(h, kp, KL);
          const vl = writeString(src[i], vbuf, vView, 0);
          s += nat.shmd_set(h, kp, KL, vbp, vl, 0, 0, op, 4096);
          c = (c + 1) & mask;
        }
        sink += s;
      },
    ],
    ["api-set-hot", "API: `db.set(key, value)`, one hot key", () => {
      const k = keys[hot];
      const a = values[hot];
      const b = alt[hot];
      for (let j = 0; j < BATCH; j++) db.set(k, (j & 1) === 0 ? b : a);
    }],
    ["api-set", "API: `db.set(key, value)`", () => {
      const src = (gen++ & 1) === 0 ? alt : values;
      for (let j = 0; j < BATCH; j++) {
        const i = order[c];
        db.set(keys[i], src[i]);
        c = (c + 1) & mask;
      }
    }],
    ["incr-raw", "FFI+C: `shmd_incrby`, random counters (+ key copy)", () => {
      let s = 0;
      for (let j = 0; j < BATCH; j++) {
        useKey(ctrWords, order[c]);
        s += nat.shmd_incrby(h, kp, KL, 1, op, 4096);
        c = (c + 1) & mask;
      }
      sink += s;
    }],
    ["api-incr", "API: `db.incr(key)`", () => {
      let s = 0;
      for (let j = 0; j < BATCH; j++) {
        s += db.incr(counters[order[c]]);
        c = (c + 1) & mask;
      }
      sink += s;
    }],
  ];

  /** Times every task in each of `rounds` sweeps; one row per task. */
  const measure = async (list: Task[]): Promise<ProfileRow[]> => {
    const samplers = list.map(() => new Sampler(BATCH));
    for (let round = 1; round <= rounds; round++) {
      for (let t = 0; t < list.length; t++) {
        const [id, , fn] = list[t];
        write(`==> ${runtime}: profile ${round}/${rounds} ${id.padEnd(13)} `);
        const calls = await measureRound(id, fn, {
          batch: BATCH,
          async: false,
          time: timeMs,
          warmupTime: warmupMs,
          clock,
        });
        const st = samplers[t].add(calls);
        console.log(`${st.nsPerOp.toFixed(1).padStart(8)} ns/op  ±${st.rme.toFixed(1)}%`);
      }
    }
    return list.map(([id, label], t) => ({ id, label, ...samplers[t].stats() }));
  };
  const rows = await measure(tasks);
  /* Last, as it cannot be undone: loading ioredis (the core benchmark loads
   * it for its Redis rows) declares a subclass of String, and from then on V8
   * keeps String.prototype as a dictionary and stops inlining
   * `s.charCodeAt(i)`. Key encoding is timed again in that state, and so is
   * the method-call loop `writeString` used before it switched to
   * `charCodeAt.call`. */
  await import("ioredis");
  const methodLoop = (s: string, buf: Uint8Array): number => {
    const n = s.length;
    let i = 0;
    for (; i < n; i++) {
      const ch = s.charCodeAt(i);
      if (ch >= 0x80) break;
      buf[i] = ch;
    }
    return i;
  };
  const after: Task[] = [
    [
      "key-lib-hot-ioredis",
      "JS: key encode, lib `writeString`, one hot key, ioredis loaded",
      () => {
        let s = 0;
        const k = keys[hot];
        for (let j = 0; j < BATCH; j++) s += writeString(k, kbuf, kView, 0);
        sink += s;
      },
    ],
    [
      "key-method-hot-ioredis",
      "JS: key encode, an `s.charCodeAt(i)` loop, one hot key, ioredis loaded",
      () => {
        let s = 0;
        const k = keys[hot];
        for (let j = 0; j < BATCH; j++) s += methodLoop(k, kbuf);
        sink += s;
      },
    ],
  ];
  rows.push(...await measure(after));
  if (sink === 0) console.log("(sink is zero)");

  const result: ProfileResult = {
    suite: "profile",
    runtime,
    runtimeVersion,
    date: new Date().toISOString(),
    settings: { keys: N, valueBytes: VB, batch: BATCH, timeMs, rounds, clock },
    rows,
  };
  const path = writeResult(`profile-${runtime}.json`, result);
  console.log(`wrote ${path}`);

  nat.shmd_close(h);
  db.close();
  drop(name);
  return 0;
}

exit(await main());
