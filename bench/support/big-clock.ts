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
