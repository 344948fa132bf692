/* Memory: a small dictionary fills up with DictFullError, a failed write leaves nothing
 * half-done, deletes make room again, and set/delete churn of many times the segment's
 * size never fills it (freed memory is reused, fragmentation stays bounded). check()
 * must find the segment consistent after every phase. */

import { DictError, DictFullError, drop, open } from "../lib/mod.ts";
import type { Dict } from "../lib/mod.ts";
import { assert, assertEquals, test } from "./harness.ts";

const SIZE = 2 * 1024 * 1024;

function uniqueName(): string {
  return `t-${crypto.randomUUID().slice(0, 8)}`;
}

async function withSmallDict(fn: (db: Dict) => void | Promise<void>): Promise<void> {
  const name = uniqueName();
  const db = open(name, { size: "2MiB" });
  try {
    assertEquals(db.info().reservedBytes, SIZE);
    await fn(db);
  } finally {
    db.close();
    drop(name);
  }
}

/** Runs fn, which must throw DictFullError; returns the error. */
function expectFull(fn: () => unknown, what: string): DictFullError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert(err !== undefined, `${what}: did not throw`);
  assert(
    err instanceof DictFullError,
    `${what}: expected DictFullError, got ${(err as Error)?.constructor?.name}: ${
      (err as Error)?.message
    }`,
  );
  assert(err instanceof DictError, `${what}: not a DictError`);
  assertEquals((err as DictFullError).code, "FULL");
  return err as DictFullError;
}

/** Sets key → 1 KiB values until the dictionary is full; returns how many fit. */
function fill(db: Dict, prefix: string, valueSize: number): number {
  const value = "v".repeat(valueSize);
  for (let i = 0;; i++) {
    assert(i < SIZE, "the dictionary never filled up");
    try {
      db.set(`${prefix}${i}`, value);
    } catch (e) {
      assert(e instanceof DictFullError, `set ${prefix}${i}: ${e}`);
      return i;
    }
  }
}

function assertConsistent(db: Dict, phase: string): void {
  assertEquals(db.check(), [], `check() after ${phase}`);
}

test("memory: fill until DictFullError; the failed write leaves nothing half-done", () =>
  withSmallDict((db) => {
    const n = fill(db, "k", 1024);
    assert(n > 500, `only ${n} 1 KiB values fit in 2 MiB`);
    assert(n < 2048, `${n} 1 KiB values fit in 2 MiB`);
    assertEquals(db.dbsize(), n);
    assertEquals(db.exists(`k${n}`), 0);
    assertEquals(db.get(`k${n - 1}`), "v".repeat(1024));
    assertConsistent(db, "filling");

    const info = db.info();
    assert(info.committedBytes <= info.reservedBytes, "committed beyond reserved");

    // Every kind of write that needs memory fails cleanly now.
    const big = "x".repeat(64 * 1024);
    expectFull(() => db.set("new", big), "set new");
    assertEquals(db.exists("new"), 0);
    expectFull(() => db.set("k0", big), "overwrite k0");
    assertEquals(db.get("k0"), "v".repeat(1024));
    expectFull(() => db.append("k1", big), "append k1");
    assertEquals(db.strlen("k1"), 1024);
    expectFull(() => db.setrange("k2", 2000, big), "setrange k2");
    assertEquals(db.strlen("k2"), 1024);
    expectFull(() => db.mset({ m1: big, m2: big, m3: big }), "mset");
    assertEquals(db.exists("m1", "m2", "m3"), 0);
    expectFull(() => db.msetnx({ n1: big, n2: big }), "msetnx");
    assertEquals(db.exists("n1", "n2"), 0);
    expectFull(
      () => db.set("huge", new Uint8Array(4 * 1024 * 1024)),
      "set bigger than the segment",
    );
    assertEquals(db.exists("huge"), 0);

    assertEquals(db.dbsize(), n);
    const after = db.info();
    assertEquals(after.usedBytes, info.usedBytes, "a failed write leaked memory");
    assertEquals(after.keys, n);
    assertConsistent(db, "failed writes");
  }));

test("memory: deletes make room; writes succeed again", () =>
  withSmallDict((db) => {
    const n = fill(db, "k", 1024);
    // Reads still work on a full dictionary.
    assertEquals(db.get("k10"), "v".repeat(1024));
    // Delete every other key: half the space comes back.
    const victims: string[] = [];
    for (let i = 0; i < n; i += 2) victims.push(`k${i}`);
    assertEquals(db.del(...victims), victims.length);
    assertEquals(db.dbsize(), n - victims.length);
    assertConsistent(db, "deleting half");

    // The freed space holds about as many keys again.
    const refill = fill(db, "r", 1024);
    assert(
      refill >= victims.length * 0.8,
      `only ${refill} keys fit again after freeing ${victims.length}`,
    );
    assertEquals(db.dbsize(), n - victims.length + refill);
    assertConsistent(db, "refilling");

    // After flushall everything fits again.
    db.flushall();
    assertConsistent(db, "flushall");
    const again = fill(db, "a", 1024);
    assert(again >= n * 0.9, `after flushall ${again} keys fit, before ${n}`);
    assertConsistent(db, "filling after flushall");
  }));

test("memory: deleting a big value makes room for small ones and vice versa", () =>
  withSmallDict((db) => {
    const big = new Uint8Array(1024 * 1024).fill(7);
    db.set("big", big);
    const small = fill(db, "s", 512);
    assert(small > 100, `only ${small} small values fit beside 1 MiB`);
    db.del("big");
    const more = fill(db, "t", 512);
    assert(more > 1200, `deleting 1 MiB made room for only ${more} 512-byte values`);
    assertConsistent(db, "small after big");
    // Free all small values: one big value fits again (coalescing).
    const keys = db.keys("*");
    for (let i = 0; i < keys.length; i += 500) db.del(...keys.slice(i, i + 500));
    assertEquals(db.dbsize(), 0);
    assertEquals(db.set("big", big), "OK");
    assertEquals(db.strlen("big"), big.length);
    assertConsistent(db, "big after small");
  }));

test("memory: set/delete cycles of 10x the segment size never fill it", () =>
  withSmallDict((db) => {
    // Fixed-size churn: a ring of 200 live 1 KiB values.
    const value = "c".repeat(1024);
    let written = 0;
    let i = 0;
    while (written < 10 * SIZE) {
      db.set(`ring:${i}`, value);
      written += 1024;
      if (i >= 200) assertEquals(db.del(`ring:${i - 200}`), 1);
      i++;
    }
    assertEquals(db.dbsize(), 200);
    assertConsistent(db, "fixed-size churn");
    db.flushall();

    // Mixed sizes (16 B .. 16 KiB), live data kept under ~25% of the segment.
    let seed = 42;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const live = new Map<string, number>();
    let liveBytes = 0;
    written = 0;
    let k = 0;
    while (written < 10 * SIZE) {
      const len = 16 + Math.floor(rand() * rand() * 16 * 1024);
      const key = `mix:${k++}`;
      db.set(key, new Uint8Array(len).fill(k & 0xff));
      live.set(key, len);
      liveBytes += len;
      written += len;
      while (liveBytes > SIZE / 4) {
        // Delete a pseudo-random live key (not just the oldest: fragmentation).
        const keys = [...live.keys()];
        const victim = keys[Math.floor(rand() * Math.min(keys.length, 64))];
        assertEquals(db.del(victim), 1);
        liveBytes -= live.get(victim)!;
        live.delete(victim);
      }
      // Overwrites with a different size, and appends, also churn memory.
      if (k % 7 === 0) {
        const [some] = live.keys();
        const len2 = 16 + Math.floor(rand() * 2048);
        db.set(some, new Uint8Array(len2));
        liveBytes += len2 - live.get(some)!;
        live.set(some, len2);
        written += len2;
      }
    }
    assertEquals(db.dbsize(), live.size);
    for (const [key, len] of live) assertEquals(db.strlen(key), len, key);
    assertConsistent(db, "mixed-size churn");

    // Counters and TTL'd keys churn too.
    for (let j = 0; j < 20_000; j++) {
      db.incr(`ctr:${j % 100}`);
      db.set(`ttl:${j}`, "x".repeat(100), { px: 100_000 });
      if (j >= 100) db.del(`ttl:${j - 100}`);
    }
    assertConsistent(db, "counter churn");
  }));
