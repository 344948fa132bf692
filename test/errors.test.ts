/* Bad input: every wrong argument gets the right typed error and leaves the dictionary
 * untouched (a sentinel key, the key set and dbsize are compared before and after). */

import * as fs from "node:fs";
import {
  ClosedError,
  DictError,
  drop,
  InvalidArgumentError,
  list,
  NotFloatError,
  NotIntegerError,
  open,
  SegmentError,
} from "../lib/mod.ts";
import type { Dict } from "../lib/mod.ts";
import { assert, assertEquals, assertThrows, test } from "./harness.ts";

type OpenOptions = NonNullable<Parameters<typeof open>[1]>;
// deno-lint-ignore no-explicit-any
type Any = any;

function uniqueName(): string {
  return `t-${crypto.randomUUID().slice(0, 8)}`;
}

const shmPath = (name: string): string => `/dev/shm/shmdict.${name}`;

/** A dictionary holding a sentinel key with a TTL, a counter and a binary value. */
async function withDict(
  fn: (db: Dict, name: string) => void | Promise<void>,
  options?: OpenOptions,
): Promise<void> {
  const name = uniqueName();
  const db = open(name, options);
  try {
    db.set("sentinel", "keep me", { ex: 1000 });
    db.set("counter", "10");
    db.set("float", "1.5");
    db.set("bin", new Uint8Array([0, 255]));
    await fn(db, name);
  } finally {
    db.close();
    drop(name);
  }
}

interface Snapshot {
  dbsize: number;
  entries: string;
  sentinelDeadline: number;
}

function snapshot(db: Dict): Snapshot {
  const keys = db.keys("*").sort();
  const values = db.mget(...keys);
  return {
    dbsize: db.dbsize(),
    entries: JSON.stringify(keys.map((k, i) => [k, values[i]])),
    sentinelDeadline: db.pexpiretime("sentinel"),
  };
}

/** fn must throw ErrorClass (and code, when given) and change nothing. */
function rejects(
  db: Dict,
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  ErrorClass: new (...args: any[]) => Error,
  code?: string,
  what = String(fn),
): void {
  const before = snapshot(db);
  let err: unknown = undefined;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert(err !== undefined, `${what}: did not throw`);
  assert(
    err instanceof ErrorClass,
    `${what}: expected ${ErrorClass.name}, got ${(err as Error)?.constructor?.name}: ${
      (err as Error)?.message
    }`,
  );
  assert(err instanceof DictError, `${what}: not a DictError`);
  assertEquals(typeof (err as DictError).code, "string", `${what}: code`);
  if (code !== undefined) assertEquals((err as DictError).code, code, `${what}: code`);
  assert((err as Error).message.length > 0, `${what}: empty message`);
  assertEquals(snapshot(db), before, `${what}: the dictionary changed`);
}

// ---------------------------------------------------------------- wrong JS types

test("errors: keys that are not string or Uint8Array", () =>
  withDict((db) => {
    const badKeys: unknown[] = [
      123,
      null,
      undefined,
      true,
      {},
      ["a"],
      Symbol("k"),
      123n,
      new Uint16Array([1, 2]),
      new ArrayBuffer(4),
      new DataView(new ArrayBuffer(2)),
    ];
    for (const k of badKeys) {
      const key = k as Any;
      const what = `key ${typeof k === "symbol" ? "symbol" : Object.prototype.toString.call(k)}`;
      rejects(db, () => db.get(key), InvalidArgumentError, undefined, `get ${what}`);
      rejects(db, () => db.set(key, "v"), InvalidArgumentError, undefined, `set ${what}`);
      rejects(db, () => db.del("counter", key), InvalidArgumentError, undefined, `del ${what}`);
      rejects(db, () => db.exists(key), InvalidArgumentError, undefined, `exists ${what}`);
      rejects(db, () => db.mget("sentinel", key), InvalidArgumentError, undefined, `mget ${what}`);
      rejects(db, () => db.incr(key), InvalidArgumentError, undefined, `incr ${what}`);
      rejects(db, () => db.expire(key, 10), InvalidArgumentError, undefined, `expire ${what}`);
      rejects(
        db,
        () => db.rename("counter", key),
        InvalidArgumentError,
        undefined,
        `rename ${what}`,
      );
      rejects(db, () => db.getBytes(key), InvalidArgumentError, undefined, `getBytes ${what}`);
    }
  }));

test("errors: values that are not string or Uint8Array", () =>
  withDict((db) => {
    const badValues: unknown[] = [
      42,
      null,
      undefined,
      false,
      { a: 1 },
      [1, 2],
      5n,
      new ArrayBuffer(3),
    ];
    for (const v of badValues) {
      const value = v as Any;
      const what = `value ${Object.prototype.toString.call(v)}`;
      rejects(db, () => db.set("new", value), InvalidArgumentError, undefined, `set ${what}`);
      rejects(db, () => db.set("sentinel", value), InvalidArgumentError, undefined, `set ${what}`);
      rejects(
        db,
        () => db.append("sentinel", value),
        InvalidArgumentError,
        undefined,
        `append ${what}`,
      );
      rejects(
        db,
        () => db.setrange("sentinel", 0, value),
        InvalidArgumentError,
        undefined,
        `setrange ${what}`,
      );
      // MSET is all-or-nothing: a bad value anywhere means no key is written.
      rejects(
        db,
        () => db.mset({ fresh1: "ok", fresh2: value }),
        InvalidArgumentError,
        undefined,
        `mset ${what}`,
      );
      rejects(
        db,
        () => db.mset([["fresh1", "ok"], ["fresh2", value]]),
        InvalidArgumentError,
        undefined,
        `mset[] ${what}`,
      );
      rejects(
        db,
        () => db.msetnx({ fresh1: "ok", fresh2: value }),
        InvalidArgumentError,
        undefined,
        `msetnx ${what}`,
      );
    }
  }));

test("errors: options that are not objects, and option values of the wrong type", () =>
  withDict((db) => {
    for (const opts of ["ex", 10, true, [10]]) {
      rejects(
        db,
        () => db.set("sentinel", "v", opts as Any),
        InvalidArgumentError,
        undefined,
        `set opts ${opts}`,
      );
      rejects(
        db,
        () => db.getex("sentinel", opts as Any),
        InvalidArgumentError,
        undefined,
        `getex opts ${opts}`,
      );
      rejects(
        db,
        () => db.expire("sentinel", 10, opts as Any),
        InvalidArgumentError,
        undefined,
        `expire opts ${opts}`,
      );
      rejects(
        db,
        () => db.scan(0, opts as Any),
        InvalidArgumentError,
        undefined,
        `scan opts ${opts}`,
      );
    }
    rejects(db, () => db.set("sentinel", "v", { ex: "10" } as Any), InvalidArgumentError);
    rejects(db, () => db.getex("sentinel", { ex: "10" } as Any), InvalidArgumentError);
    rejects(db, () => db.incrby("counter", "5" as Any), InvalidArgumentError);
    rejects(db, () => db.incrbyfloat("float", "1.5" as Any), InvalidArgumentError);
    rejects(db, () => db.expire("sentinel", "10" as Any), InvalidArgumentError);
    rejects(db, () => db.getrange("sentinel", "0" as Any, 2), InvalidArgumentError);
    rejects(db, () => db.setrange("sentinel", "0" as Any, "x"), InvalidArgumentError);
    rejects(db, () => db.keys(5 as Any), InvalidArgumentError);
    rejects(db, () => db.scan(0, { match: 5 } as Any), InvalidArgumentError);
    rejects(db, () => db.scan(0, { type: "nosuchtype" } as Any), InvalidArgumentError);
    rejects(db, () => db.mset(5 as Any), InvalidArgumentError);
    rejects(db, () => db.mset([["only-key"]] as Any), InvalidArgumentError);
    rejects(db, () => db.mset(["ab"] as Any), InvalidArgumentError);
    rejects(db, () => db.getInto("sentinel", [0, 0, 0] as Any), InvalidArgumentError);
    rejects(db, () => db.getInto("sentinel", new Uint16Array(100) as Any), InvalidArgumentError);
  }));

test("errors: mset and msetnx with no entries", () =>
  withDict((db) => {
    rejects(db, () => db.mset({}), InvalidArgumentError);
    rejects(db, () => db.mset([]), InvalidArgumentError);
    rejects(db, () => db.msetnx({}), InvalidArgumentError);
  }));

// ---------------------------------------------------------------- limits

test("errors: a key over 64 KiB is TOOBIG; exactly 64 KiB is fine", () =>
  withDict((db) => {
    const over = "k".repeat(64 * 1024 + 1);
    const overBytes = new Uint8Array(64 * 1024 + 1);
    rejects(db, () => db.set(over, "v"), InvalidArgumentError, "TOOBIG");
    rejects(db, () => db.set(overBytes, "v"), InvalidArgumentError, "TOOBIG");
    rejects(db, () => db.get(over), InvalidArgumentError, "TOOBIG");
    rejects(db, () => db.mset([["a", "b"], [over, "v"]]), InvalidArgumentError, "TOOBIG");
    rejects(db, () => db.incr(over), InvalidArgumentError, "TOOBIG");
    rejects(db, () => db.rename("sentinel", over), InvalidArgumentError, "TOOBIG");
    // Multi-byte characters count in bytes: 32,769 two-byte characters are over.
    rejects(db, () => db.set("é".repeat(32 * 1024 + 1), "v"), InvalidArgumentError, "TOOBIG");
    const max = "m".repeat(64 * 1024);
    assertEquals(db.set(max, "v"), "OK");
    assertEquals(db.get(max), "v");
    assertEquals(db.del(max), 1);
  }));

test("errors: growing a value past 512 MiB is TOOBIG", () =>
  withDict((db) => {
    rejects(db, () => db.setrange("bin", 512 * 1024 * 1024, "x"), InvalidArgumentError);
    rejects(db, () => db.setrange("fresh", 512 * 1024 * 1024 + 10, "x"), InvalidArgumentError);
  }));

test("errors: an MSET or DEL too large for one command is all-or-nothing", () =>
  withDict((db) => {
    // The undo journal of a 1 MiB dictionary is small: a huge MSET either succeeds whole
    // or is refused with TOOBIG having written nothing.
    const entries: [string, string][] = [["sentinel", "overwritten?"]];
    for (let i = 0; i < 50_000; i++) entries.push([`many:${i}`, "v"]);
    const before = snapshot(db);
    let err: unknown;
    try {
      assertEquals(db.mset(entries), "OK");
    } catch (e) {
      err = e;
    }
    if (err === undefined) {
      assertEquals(db.dbsize(), before.dbsize + 50_000);
      assertEquals(db.get("sentinel"), "overwritten?");
      assertEquals(db.get("many:49999"), "v");
      return;
    }
    assert(err instanceof InvalidArgumentError, `expected TOOBIG, got ${err}`);
    assertEquals(err.code, "TOOBIG");
    assertEquals(snapshot(db), before);
    assertEquals(db.exists("many:0", "many:49999"), 0);
    assertEquals(db.check(), []);
    // The same for DEL: fill with keys in small batches, then delete them all at once.
    const keys: string[] = [];
    for (let i = 0; i < 20_000; i++) keys.push(`d:${i}`);
    for (let i = 0; i < keys.length; i += 500) {
      db.mset(keys.slice(i, i + 500).map((k): [string, string] => [k, "x"]));
    }
    const size = db.dbsize();
    try {
      assertEquals(db.del(...keys), keys.length);
      assertEquals(db.dbsize(), size - keys.length);
    } catch (e) {
      assert(e instanceof InvalidArgumentError && e.code === "TOOBIG", `del: ${e}`);
      assertEquals(db.dbsize(), size);
      assertEquals(db.exists("d:0", "d:19999"), 2);
    }
    assertEquals(db.check(), []);
  }, { size: "8MiB" }));

// ---------------------------------------------------------------- numbers

test("errors: NaN, Infinity, fractions and numbers beyond 2^53 where an integer is needed", () =>
  withDict((db) => {
    const bad = [1.5, -0.5, NaN, Infinity, -Infinity, 2 ** 53 + 2, -(2 ** 60)];
    for (const n of bad) {
      const w = `n=${n}`;
      rejects(db, () => db.incrby("counter", n), NotIntegerError, "NOTINT", `incrby ${w}`);
      rejects(db, () => db.decrby("counter", n), NotIntegerError, "NOTINT", `decrby ${w}`);
      rejects(db, () => db.incrby("fresh", n), NotIntegerError, "NOTINT", `incrby fresh ${w}`);
      rejects(db, () => db.expire("sentinel", n), NotIntegerError, undefined, `expire ${w}`);
      rejects(db, () => db.pexpire("sentinel", n), NotIntegerError, undefined, `pexpire ${w}`);
      rejects(db, () => db.expireat("sentinel", n), NotIntegerError, undefined, `expireat ${w}`);
      rejects(db, () => db.pexpireat("sentinel", n), NotIntegerError, undefined, `pexpireat ${w}`);
      rejects(db, () => db.getrange("sentinel", n, 3), NotIntegerError, undefined, `getrange ${w}`);
      rejects(
        db,
        () => db.getrange("sentinel", 0, n),
        NotIntegerError,
        undefined,
        `getrange end ${w}`,
      );
      rejects(
        db,
        () => db.setrange("sentinel", n, "x"),
        NotIntegerError,
        undefined,
        `setrange ${w}`,
      );
      rejects(
        db,
        () => db.set("sentinel", "v", { ex: n }),
        NotIntegerError,
        undefined,
        `set ex ${w}`,
      );
      rejects(db, () => db.set("fresh", "v", { px: n }), NotIntegerError, undefined, `set px ${w}`);
      rejects(
        db,
        () => db.set("fresh", "v", { exat: n }),
        NotIntegerError,
        undefined,
        `set exat ${w}`,
      );
      rejects(
        db,
        () => db.set("fresh", "v", { pxat: n }),
        NotIntegerError,
        undefined,
        `set pxat ${w}`,
      );
      rejects(db, () => db.getex("sentinel", { ex: n }), NotIntegerError, undefined, `getex ${w}`);
      // Redis says "invalid cursor"; the spec's rule for non-integers says NOTINT: either is typed.
      rejects(db, () => db.scan(n), DictError, undefined, `scan cursor ${w}`);
    }
  }));

test("errors: incrbyfloat with NaN or Infinity", () =>
  withDict((db) => {
    for (const n of [NaN, Infinity, -Infinity]) {
      rejects(db, () => db.incrbyfloat("float", n), NotFloatError, "NOTFLOAT", `float ${n}`);
      rejects(db, () => db.incrbyfloat("fresh", n), NotFloatError, "NOTFLOAT", `fresh ${n}`);
    }
  }));

test("errors: invalid SCAN cursor and count", () =>
  withDict((db) => {
    rejects(db, () => db.scan("abc"), InvalidArgumentError, undefined, "cursor abc");
    rejects(db, () => db.scan("-1"), InvalidArgumentError, undefined, "cursor -1");
    rejects(db, () => db.scan(-1), InvalidArgumentError, undefined, "cursor -1 (number)");
    rejects(db, () => db.scan(0, { count: 0 }), InvalidArgumentError, undefined, "count 0");
    rejects(db, () => db.scan(0, { count: -5 }), InvalidArgumentError, undefined, "count -5");
  }));

// ---------------------------------------------------------------- names and sizes

test("errors: bad names for open and drop", () => {
  const before = new Set(list());
  const badNames: unknown[] = [
    "",
    "../x",
    "..",
    "a/b",
    "/abs",
    ".hidden",
    "x".repeat(201),
    "\0",
    "a\0b",
    "sp ace",
    "é",
    "star*",
    123,
    null,
    undefined,
  ];
  for (const name of badNames) {
    assertThrows(() => open(name as Any), InvalidArgumentError);
    assertThrows(() => open(name as Any, { create: false }), InvalidArgumentError);
    assertThrows(() => drop(name as Any), InvalidArgumentError);
  }
  assertEquals(new Set(list()), before);
  for (const name of badNames) {
    if (typeof name !== "string" || name.includes("\0")) continue;
    assert(
      !fs.existsSync(`/dev/shm/shmdict.${name}`),
      `open(${JSON.stringify(name)}) created a file`,
    );
  }
});

test("errors: a 200-character name is fine", () => {
  const name = `t${crypto.randomUUID().slice(0, 8)}`.padEnd(200, "z");
  const db = open(name, { size: "1MiB" });
  try {
    db.set("k", "v");
    assertEquals(db.get("k"), "v");
    assert(list().includes(name), "list() lacks the 200-character name");
  } finally {
    db.close();
    drop(name);
  }
});

test("errors: bad size options", () => {
  // Malformed strings, out-of-range sizes (minimum 1 MiB, maximum 56 GiB), wrong types.
  const invalid: unknown[] = [
    "abc",
    "",
    "10XB",
    "-1MiB",
    "MiB",
    "1.2.3MiB",
    "12 parsecs",
    -1,
    "256KiB",
    512 * 1024,
    "1023KiB",
    "128GiB",
    57 * 1024 ** 3,
    {},
    true,
  ];
  // Numbers that are not integers: InvalidArgumentError or NotIntegerError, both typed.
  const notInteger: unknown[] = [1024 * 1024 + 0.5, NaN, Infinity];
  for (
    const [sizes, ErrorClass] of [[invalid, InvalidArgumentError], [notInteger, DictError]] as const
  ) {
    for (const size of sizes) {
      const name = uniqueName();
      try {
        assertThrows(() => open(name, { size: size as Any }), ErrorClass);
        assert(!list().includes(name), `size ${String(size)} created ${name}`);
        assert(!fs.existsSync(shmPath(name)), `size ${String(size)} left a segment`);
      } finally {
        drop(name);
      }
    }
  }
});

test("errors: bad open options", () => {
  const name = uniqueName();
  try {
    assertThrows(() => open(name, "big" as Any), InvalidArgumentError);
    assertThrows(() => open(name, { mode: 0o644 }), InvalidArgumentError);
    assertThrows(() => open(name, { mode: 0o666 }), InvalidArgumentError);
    assertThrows(() => open(name, { mode: "0600" as Any }), InvalidArgumentError);
    assertThrows(() => open(name, { create: "yes" as Any }), InvalidArgumentError);
    assert(!fs.existsSync(shmPath(name)), "a bad option left a segment");
  } finally {
    drop(name);
  }
});

// ---------------------------------------------------------------- segments

test("errors: open with create false of a missing name is a SegmentError", () => {
  const name = uniqueName();
  let err: unknown;
  try {
    open(name, { create: false });
  } catch (e) {
    err = e;
  }
  assert(err instanceof SegmentError, `expected SegmentError, got ${err}`);
  assertEquals((err as SegmentError).code, "NOENT");
  assert(!fs.existsSync(shmPath(name)), "create:false created a segment");
});

test("errors: use after close is a ClosedError; close is idempotent", () => {
  const name = uniqueName();
  const db = open(name);
  const other = open(name);
  try {
    db.set("k", "v");
    db.close();
    db.close();
    const calls: [string, () => unknown][] = [
      ["get", () => db.get("k")],
      ["getBytes", () => db.getBytes("k")],
      ["getInto", () => db.getInto("k", new Uint8Array(10))],
      ["set", () => db.set("k", "w")],
      ["mget", () => db.mget("k")],
      ["mset", () => db.mset({ k: "w" })],
      ["incr", () => db.incr("n")],
      ["incrbyfloat", () => db.incrbyfloat("n", 1)],
      ["del", () => db.del("k")],
      ["exists", () => db.exists("k")],
      ["type", () => db.type("k")],
      ["expire", () => db.expire("k", 10)],
      ["ttl", () => db.ttl("k")],
      ["keys", () => db.keys("*")],
      ["scan", () => db.scan(0)],
      ["scanIterator", () => [...db.scanIterator()]],
      ["dbsize", () => db.dbsize()],
      ["flushall", () => db.flushall()],
      ["info", () => db.info()],
      ["check", () => db.check()],
    ];
    for (const [what, fn] of calls) {
      let err: unknown;
      try {
        fn();
      } catch (e) {
        err = e;
      }
      assert(err instanceof ClosedError, `${what} after close: got ${err}`);
      assert(err instanceof DictError, `${what}: ClosedError is not a DictError`);
      assertEquals((err as ClosedError).code, "CLOSED");
    }
    // The data and the other handle are untouched.
    assertEquals(other.get("k"), "v");
    assertEquals(other.dbsize(), 1);
  } finally {
    other.close();
    drop(name);
  }
});

test("errors: a segment with a garbage header is refused", () => {
  const name = uniqueName();
  const path = shmPath(name);
  try {
    const db = open(name, { size: "1MiB" });
    db.set("k", "v");
    db.close();
    assert(fs.existsSync(path), `${path} does not exist`);
    const fd = fs.openSync(path, "r+");
    try {
      fs.writeSync(fd, new TextEncoder().encode("this is not a shmdict segment!!!"), 0, 32, 0);
    } finally {
      fs.closeSync(fd);
    }
    let err: unknown;
    try {
      open(name).close();
    } catch (e) {
      err = e;
    }
    assert(err instanceof SegmentError, `expected SegmentError, got ${err}`);
    assertThrows(() => open(name, { create: false }), SegmentError);
    assertThrows(() => open(name, { readonly: true }), SegmentError);
    // Refusing must not repair or replace the segment behind our back.
    const head = new Uint8Array(32);
    const fd2 = fs.openSync(path, "r");
    try {
      fs.readSync(fd2, head, 0, 32, 0);
    } finally {
      fs.closeSync(fd2);
    }
    assertEquals(new TextDecoder().decode(head), "this is not a shmdict segment!!!");
    assertEquals(drop(name), true);
  } finally {
    fs.rmSync(path, { force: true });
  }
});

test("errors: a zero-filled or empty segment file is refused", () => {
  // (The library waits a moment for a creator that may still be initialising.)
  const name = uniqueName();
  const path = shmPath(name);
  try {
    fs.writeFileSync(path, new Uint8Array(1024 * 1024), { mode: 0o600 });
    fs.chmodSync(path, 0o600);
    assertThrows(() => open(name), SegmentError);
    fs.writeFileSync(path, new Uint8Array(0), { mode: 0o600 });
    assertThrows(() => open(name, { create: false }), SegmentError);
  } finally {
    fs.rmSync(path, { force: true });
  }
});

test("errors: a segment file with mode 0644 is refused", () => {
  const name = uniqueName();
  const path = shmPath(name);
  try {
    // A real segment whose permissions were widened.
    const db = open(name, { size: "1MiB" });
    db.set("k", "v");
    db.close();
    fs.chmodSync(path, 0o644);
    assertThrows(() => open(name), SegmentError);
    assertThrows(() => open(name, { create: false, readonly: true }), SegmentError);
    fs.chmodSync(path, 0o600);
    const again = open(name, { create: false });
    assertEquals(again.get("k"), "v");
    again.close();
    drop(name);

    // A squatter's file with mode 0644.
    fs.writeFileSync(path, new Uint8Array(4096));
    fs.chmodSync(path, 0o644);
    assertThrows(() => open(name), SegmentError);
    assertEquals(fs.statSync(path).size, 4096);
  } finally {
    fs.rmSync(path, { force: true });
  }
});
