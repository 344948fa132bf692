/**
 * A nanosecond clock cheap enough to read around every single operation, for
 * latency recordings of millions of operations (`bench/growth.bench.ts`).
 *
 * - Bun: `Bun.nanoseconds()` (~60 ns a read).
 * - Deno: `clock_gettime(CLOCK_MONOTONIC)` from the C library through
 *   `Deno.dlopen` (~70 ns a read). Deno's `performance.now()` resolves finer
 *   than a microsecond too, but costs ~170 ns a read, which would be counted
 *   in every latency; it is the fallback when the C library cannot be opened.
 *
 * @module
 */

import process from "node:process";

/** A clock: a reading in nanoseconds from an arbitrary origin. */
export interface Clock {
  /** What it reads. */
  readonly name: string;
  /** The reading, ns (a double: exact below 2^53 ns, 104 days). */
  readonly now: () => number;
}

/** `Bun.nanoseconds`, when running under Bun. */
function bunClock(): Clock | null {
  const bun = (globalThis as { Bun?: { nanoseconds(): number } }).Bun;
  if (bun === undefined) return null;
  return { name: "Bun.nanoseconds()", now: () => bun.nanoseconds() };
}

/** `clock_gettime(CLOCK_MONOTONIC)` through Deno's FFI, on Linux. */
function denoClock(): Clock | null {
  if (!("Deno" in globalThis) || Deno.build.os !== "linux") return null;
  let lib;
  try {
    lib = Deno.dlopen(
      "libc.so.6",
      {
        clock_gettime: { parameters: ["i32", "buffer"], result: "i32" },
      } as const,
    );
  } catch {
    return null; /* not glibc: fall back to performance.now() */
  }
  const fn = lib.symbols.clock_gettime;
  const ts = new Uint32Array(4); /* struct timespec: tv_sec (64 bits), tv_nsec */
  const CLOCK_MONOTONIC = 1;
  if (fn(CLOCK_MONOTONIC, ts) !== 0) return null;
  return {
    name: "clock_gettime(CLOCK_MONOTONIC) via Deno.dlopen",
    now: () => {
      fn(CLOCK_MONOTONIC, ts);
      return (ts[0] + ts[1] * 4294967296) * 1e9 + ts[2];
    },
  };
}

/** The cheapest fine clock of the running runtime. */
export function fineClock(): Clock {
  return bunClock() ?? denoClock() ?? {
    name: "performance.now()",
    now: () => performance.now() * 1e6,
  };
}

/** `clock_gettime(clock_id, ts)` wrapped to return nanoseconds. */
function fromTimespec(call: (ts: Uint32Array) => unknown): () => number {
  const ts = new Uint32Array(4); /* struct timespec: tv_sec (64 bits), tv_nsec */
  return () => {
    call(ts);
    return (ts[0] + ts[1] * 4294967296) * 1e9 + ts[2];
  };
}

/** The `bun:ffi` functions used here. */
interface BunFfi {
  dlopen(
    path: string,
    symbols: { clock_gettime: { args: string[]; returns: string } },
  ): { symbols: { clock_gettime(id: number, ts: number): number } };
  ptr(view: ArrayBufferView): number;
}

/**
 * The calling thread's CPU time, ns: `clock_gettime(CLOCK_THREAD_CPUTIME_ID)`
 * through the runtime's FFI (Linux, glibc), else the whole process's CPU time
 * (`process.cpuUsage()`, all threads, µs resolution). Read between blocks of
 * timed operations, it tells a stall the thread spent working from one it
 * spent descheduled or waiting. A few hundred ns a read.
 */
export async function threadCpuClock(): Promise<Clock> {
  const CLOCK_THREAD_CPUTIME_ID = 3;
  try {
    if ("Bun" in globalThis && process.platform === "linux") {
      const name = "bun:ffi"; /* in a variable: Deno's checker must not resolve it */
      const ffi = (await import(name)) as BunFfi;
      const lib = ffi.dlopen("libc.so.6", {
        clock_gettime: { args: ["i32", "ptr"], returns: "i32" },
      });
      const fn = lib.symbols.clock_gettime;
      const now = fromTimespec((ts) => fn(CLOCK_THREAD_CPUTIME_ID, ffi.ptr(ts)));
      now();
      return { name: "clock_gettime(CLOCK_THREAD_CPUTIME_ID) via bun:ffi", now };
    }
    if ("Deno" in globalThis && Deno.build.os === "linux") {
      const lib = Deno.dlopen(
        "libc.so.6",
        {
          clock_gettime: { parameters: ["i32", "buffer"], result: "i32" },
        } as const,
      );
      const fn = lib.symbols.clock_gettime;
      const now = fromTimespec((ts) => fn(CLOCK_THREAD_CPUTIME_ID, ts));
      now();
      return { name: "clock_gettime(CLOCK_THREAD_CPUTIME_ID) via Deno.dlopen", now };
    }
  } catch {
    /* no glibc or no FFI: fall back to the process's CPU time */
  }
  return {
    name: "process.cpuUsage() (user + system, all threads)",
    now: () => {
      const u = process.cpuUsage();
      return (u.user + u.system) * 1000;
    },
  };
}

/** What a clock costs and resolves, from `samples` back-to-back reads. */
export function calibrate(
  now: () => number,
  samples = 200_000,
): { readNs: number; stepNs: number } {
  const d = new Float64Array(samples);
  let prev = now();
  for (let i = 0; i < samples; i++) {
    const t = now();
    d[i] = t - prev;
    prev = t;
  }
  d.sort();
  let step = Infinity;
  for (const x of d) {
    if (x > 0) {
      step = x;
      break;
    }
  }
  return { readNs: d[samples >> 1], stepNs: step };
}
