/* Segments: open/attach/close/drop/list, create:false, readonly handles, the /dev/shm
 * file's permissions whatever the umask, and the size option. */

import * as fs from "node:fs";
import process from "node:process";
import {
  ClosedError,
  drop,
  InvalidArgumentError,
  list,
  open,
  ReadOnlyError,
  SegmentError,
} from "../lib/mod.ts";
import type { Dict } from "../lib/mod.ts";
import { assert, assertEquals, assertThrows, test } from "./harness.ts";

function uniqueName(): string {
  return `t-${crypto.randomUUID().slice(0, 8)}`;
}

const shmPath = (name: string): string => `/dev/shm/shmdict.${name}`;

/** Closes every handle given and drops the name, ignoring handles already closed. */
function cleanup(name: string, ...dicts: (Dict | undefined)[]): void {
  for (const d of dicts) d?.close();
  drop(name);
}

test("segment: two opens of one name in one process share the data", () => {
  const name = uniqueName();
  const a = open(name);
  const b = open(name);
  try {
    assertEquals(a.name, name);
    assertEquals(b.name, name);
    a.set("k", "from a");
    assertEquals(b.get("k"), "from a");
    b.incr("n");
    b.incr("n");
    assertEquals(a.get("n"), "2");
    b.set("t", "v", { ex: 100 });
    assert(a.ttl("t") > 0, "TTL not shared");
    assertEquals(a.dbsize(), 3);
    // Closing one handle leaves the other working.
    a.close();
    assertThrows(() => a.get("k"), ClosedError);
    assertEquals(b.get("k"), "from a");
    b.set("k2", "v2");
    assertEquals(b.dbsize(), 4);
  } finally {
    cleanup(name, a, b);
  }
});

test("segment: the data outlives every handle", () => {
  const name = uniqueName();
  try {
    const a = open(name);
    a.set("k", "v");
    a.set("bin", new Uint8Array([0, 1, 255]));
    a.close();
    assert(list().includes(name), "the segment disappeared when its last handle closed");
    const b = open(name, { create: false });
    assertEquals(b.get("k"), "v");
    assertEquals([...b.getBytes("bin")!], [0, 1, 255]);
    assertEquals(b.dbsize(), 2);
    b.close();
  } finally {
    drop(name);
  }
});

test("segment: create false attaches an existing dictionary, refuses a missing one", () => {
  const name = uniqueName();
  let b: Dict | undefined;
  const a = open(name);
  try {
    a.set("k", "v");
    b = open(name, { create: false });
    assertEquals(b.get("k"), "v");
    const missing = uniqueName();
    const err = assertThrows(() => open(missing, { create: false }), SegmentError);
    assertEquals(err.code, "NOENT");
    assert(!list().includes(missing), "create:false created a dictionary");
    assert(!fs.existsSync(shmPath(missing)), "create:false created a file");
  } finally {
    cleanup(name, a, b);
  }
});

test("segment: drop returns true then false; an attached Dict keeps working", () => {
  const name = uniqueName();
  const a = open(name);
  let c: Dict | undefined;
  try {
    a.set("k", "v");
    assert(list().includes(name), "list() lacks the name");
    assertEquals(drop(name), true);
    assertEquals(drop(name), false);
    assert(!list().includes(name), "list() still has the dropped name");
    assert(!fs.existsSync(shmPath(name)), "the file is still in /dev/shm");
    assertThrows(() => open(name, { create: false }), SegmentError);
    // The attached handle still reads and writes its (now unnamed) segment.
    assertEquals(a.get("k"), "v");
    a.set("k2", "v2");
    assertEquals(a.incr("n"), 1);
    assertEquals(a.dbsize(), 3);
    assertEquals(a.check(), []);
    // A new open of the name creates a new, empty dictionary.
    c = open(name);
    assertEquals(c.dbsize(), 0);
    c.set("other", "x");
    assertEquals(a.get("other"), null);
    assertEquals(a.dbsize(), 3);
  } finally {
    cleanup(name, a, c);
  }
  assertEquals(drop(name), false);
});

test("segment: drop of a name that never existed is false", () => {
  assertEquals(drop(uniqueName()), false);
});

test("segment: list contains every open dictionary's name and nothing else of ours", () => {
  const names = [uniqueName(), uniqueName(), uniqueName()];
  const dicts: Dict[] = [];
  try {
    for (const n of names) dicts.push(open(n, { size: "1MiB" }));
    const l = list();
    assert(Array.isArray(l), "list() is not an array");
    for (const n of names) assert(l.includes(n), `list() lacks ${n}`);
    for (const entry of l) {
      assertEquals(typeof entry, "string");
      assert(!entry.startsWith("shmdict."), `list() leaks the file prefix: ${entry}`);
    }
    // Every listed name is a file in /dev/shm.
    for (const n of names) assert(fs.existsSync(shmPath(n)), `${n} not in /dev/shm`);
    dicts[1].close();
    drop(names[1]);
    const l2 = list();
    assert(!l2.includes(names[1]), "dropped name still listed");
    assert(l2.includes(names[0]) && l2.includes(names[2]), "other names vanished");
  } finally {
    for (const d of dicts) d.close();
    for (const n of names) drop(n);
  }
});

test("segment: many dictionaries per process are independent", () => {
  const names = Array.from({ length: 20 }, uniqueName);
  const dicts: Dict[] = [];
  try {
    for (const n of names) dicts.push(open(n, { size: "1MiB" }));
    dicts.forEach((d, i) => {
      d.set("k", `value ${i}`);
      for (let j = 0; j <= i; j++) d.incr("n");
    });
    dicts.forEach((d, i) => {
      assertEquals(d.get("k"), `value ${i}`);
      assertEquals(d.get("n"), String(i + 1));
      assertEquals(d.dbsize(), 2);
    });
    dicts[5].flushall();
    assertEquals(dicts[5].dbsize(), 0);
    assertEquals(dicts[6].dbsize(), 2);
  } finally {
    for (const d of dicts) d.close();
    for (const n of names) drop(n);
  }
});

test("segment: readonly handles read but refuse every write", () => {
  const name = uniqueName();
  const w = open(name);
  let r: Dict | undefined;
  try {
    w.set("s", "hello", { ex: 1000 });
    w.set("n", "5");
    w.set("bin", new Uint8Array([0, 255]));
    r = open(name, { readonly: true });
    const ro = r;
    assertEquals(ro.get("s"), "hello");
    assertEquals(ro.mget("s", "n", "missing"), ["hello", "5", null]);
    assertEquals([...ro.getBytes("bin")!], [0, 255]);
    const buf = new Uint8Array(8);
    assertEquals(ro.getInto("s", buf), 5);
    assertEquals(ro.exists("s", "n"), 2);
    assertEquals(ro.type("s"), "string");
    assertEquals(ro.strlen("s"), 5);
    assertEquals(ro.getrange("s", 1, 3), "ell");
    assert(ro.ttl("s") > 0, "ttl");
    assert(ro.pttl("s") > 0, "pttl");
    assert(ro.expiretime("s") > 0, "expiretime");
    assertEquals(ro.keys("*").sort(), ["bin", "n", "s"]);
    assertEquals(new Set(ro.scanIterator()).size, 3);
    assertEquals(ro.dbsize(), 3);
    assertEquals(ro.info().keys, 3);
    assertEquals(ro.check(), []);

    const deadline = w.pexpiretime("s");
    const writes: [string, () => unknown][] = [
      ["set", () => ro.set("s", "x")],
      ["set new", () => ro.set("new", "x")],
      ["set nx", () => ro.set("new", "x", { nx: true })],
      ["mset", () => ro.mset({ a: "1" })],
      ["msetnx", () => ro.msetnx({ a: "1" })],
      ["del", () => ro.del("s")],
      ["unlink", () => ro.unlink("s")],
      ["getdel", () => ro.getdel("s")],
      ["getex ex", () => ro.getex("s", { ex: 5 })],
      ["getex persist", () => ro.getex("s", { persist: true })],
      ["setrange", () => ro.setrange("s", 0, "J")],
      ["append", () => ro.append("s", "!")],
      ["incr", () => ro.incr("n")],
      ["decr", () => ro.decr("n")],
      ["incrby", () => ro.incrby("n", 2)],
      ["decrby", () => ro.decrby("n", 2)],
      ["incrbyfloat", () => ro.incrbyfloat("n", 0.5)],
      ["rename", () => ro.rename("s", "s2")],
      ["renamenx", () => ro.renamenx("s", "s2")],
      ["copy", () => ro.copy("s", "s2")],
      ["expire", () => ro.expire("s", 5)],
      ["pexpire", () => ro.pexpire("n", 5000)],
      ["expireat", () => ro.expireat("s", 1)],
      ["pexpireat", () => ro.pexpireat("s", 1)],
      ["persist", () => ro.persist("s")],
      ["flushall", () => ro.flushall()],
    ];
    for (const [what, fn] of writes) {
      const err = assertThrows(fn, ReadOnlyError);
      assertEquals(err.code, "READONLY", what);
    }
    assertEquals(w.get("s"), "hello");
    assertEquals(w.get("n"), "5");
    assertEquals(w.pexpiretime("s"), deadline);
    assertEquals(w.dbsize(), 3);
    // Writes through the writable handle are visible through the readonly one.
    w.set("later", "seen");
    assertEquals(ro.get("later"), "seen");
  } finally {
    cleanup(name, w, r);
  }
});

test("segment: the /dev/shm file is 0600 and ours, even with umask 0", () => {
  const name = uniqueName();
  const old = process.umask(0);
  let db: Dict | undefined;
  try {
    db = open(name, { size: "1MiB" });
  } finally {
    process.umask(old);
  }
  try {
    const st = fs.statSync(shmPath(name));
    assert(st.isFile(), "not a regular file");
    assertEquals((st.mode & 0o777).toString(8), "600");
    if (typeof process.getuid === "function") assertEquals(st.uid, process.getuid());
  } finally {
    cleanup(name, db);
  }
});

test("segment: mode 0o600 is accepted", () => {
  const name = uniqueName();
  const db = open(name, { mode: 0o600, size: "1MiB" });
  try {
    db.set("k", "v");
    assertEquals((fs.statSync(shmPath(name)).mode & 0o777).toString(8), "600");
  } finally {
    cleanup(name, db);
  }
});

test("segment: size option parsing", () => {
  const cases: [number | string | undefined, number][] = [
    [undefined, 1024 ** 3],
    ["1MiB", 1024 ** 2],
    ["2048KiB", 2 * 1024 ** 2],
    ["1GiB", 1024 ** 3],
    ["3MiB", 3 * 1024 ** 2],
    [5 * 1024 * 1024, 5 * 1024 * 1024],
    [1024 * 1024, 1024 * 1024],
  ];
  for (const [size, expected] of cases) {
    const name = uniqueName();
    const db = open(name, size === undefined ? undefined : { size });
    try {
      assertEquals(db.info().reservedBytes, expected, `size ${size}`);
      db.set("k", "v");
      assertEquals(db.get("k"), "v");
    } finally {
      cleanup(name, db);
    }
  }
  // Decimal units are powers of 1000 (the reservation may be rounded up to a page).
  const name = uniqueName();
  const db = open(name, { size: "64MB" });
  try {
    const r = db.info().reservedBytes;
    assert(r >= 64_000_000 && r < 64 * 1024 * 1024, `64MB reserved ${r}`);
  } finally {
    cleanup(name, db);
  }
  // Below the 1 MiB minimum.
  for (const size of ["256KiB", "1000KB", 1024 * 1024 - 1]) {
    const n = uniqueName();
    try {
      assertThrows(() => open(n, { size }), InvalidArgumentError);
      assert(!fs.existsSync(shmPath(n)), `size ${size} left a file`);
    } finally {
      drop(n);
    }
  }
});

test("segment: size is ignored when attaching", () => {
  const name = uniqueName();
  const a = open(name, { size: "4MiB" });
  let b: Dict | undefined;
  try {
    b = open(name, { size: "16MiB" });
    assertEquals(a.info().reservedBytes, 4 * 1024 * 1024);
    assertEquals(b.info().reservedBytes, 4 * 1024 * 1024);
  } finally {
    cleanup(name, a, b);
  }
});

test("segment: Symbol.dispose closes the handle", () => {
  const name = uniqueName();
  const db = open(name, { size: "1MiB" });
  try {
    db.set("k", "v");
    db[Symbol.dispose]();
    assertThrows(() => db.get("k"), ClosedError);
    db[Symbol.dispose]();
    db.close();
    const again = open(name, { create: false });
    assertEquals(again.get("k"), "v");
    again.close();
  } finally {
    drop(name);
  }
});

test("segment: reserving 1 GiB commits little", () => {
  const name = uniqueName();
  const db = open(name, { size: "1GiB" });
  try {
    db.set("k", "v");
    const info = db.info();
    assertEquals(info.reservedBytes, 1024 ** 3);
    assert(info.committedBytes < 64 * 1024 * 1024, `committed ${info.committedBytes}`);
    // The file's allocated blocks follow the committed size, not the reservation.
    const st = fs.statSync(shmPath(name));
    assert(st.blocks * 512 < 64 * 1024 * 1024, `/dev/shm file uses ${st.blocks * 512} bytes`);
  } finally {
    cleanup(name, db);
  }
});
