/* Blocking pops and close(), in one process (the cross-process cases are in
 * multiprocess_lists.test.ts):
 *  - close() while blpop/brpop/blmove wait forever rejects each with ClosedError;
 *  - the handle number is reused at once by the next open(), and a blocking call on the new
 *    handle is woken by a push as usual (a wait left over from the closed handle would steal
 *    the wake-up or touch a freed handle);
 *  - blocking calls with a timeout still time out with null, and a push wakes them.
 * Every wait is bounded so that a hang fails the test instead of blocking the run. */

import { ClosedError, drop, open } from "../lib/mod.ts";
import { assert, assertEquals, test } from "./harness.ts";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function uniqueName(): string {
  return `t-${crypto.randomUUID().slice(0, 8)}`;
}

/** `p` settled within `ms`, or a failure naming `what`. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

test("blocking: close() rejects every pending blocking call with ClosedError", async () => {
  const name = uniqueName();
  try {
    const db = open(name, { size: "4MiB" });
    const calls = [
      db.blpop("q1", 0),
      db.brpop("q2", "q3", 0),
      db.blmove("q4", "dst", "LEFT", "RIGHT", 0),
    ];
    const settled = Promise.allSettled(calls);
    await sleep(30); /* the native wait is running */
    db.close();
    const results = await within(settled, 5000, "blocking calls after close()");
    for (const r of results) {
      assertEquals(r.status, "rejected");
      assert(
        r.status === "rejected" && r.reason instanceof ClosedError,
        `expected ClosedError, got ${r.status === "rejected" ? r.reason : "a value"}`,
      );
    }
  } finally {
    drop(name);
  }
});

test("blocking: after close() during a wait, a new handle's blocking calls work", async () => {
  const name = uniqueName();
  try {
    for (let round = 0; round < 20; round++) {
      const a = open(name, { size: "4MiB" });
      const pending = a.blpop("q", 0).catch((e: unknown) => e);
      await sleep(round % 4 === 0 ? 0 : 5);
      a.close();
      assert((await within(pending, 5000, "blpop after close")) instanceof ClosedError);
      /* the next open usually takes the same handle number */
      const b = open(name, { size: "4MiB" });
      const pusher = open(name, { size: "4MiB" });
      const got = b.blpop("q", 0);
      await sleep(5);
      pusher.rpush("q", `v${round}`);
      assertEquals(await within(got, 5000, "blpop on the new handle"), ["q", `v${round}`]);
      pusher.close();
      b.close();
    }
  } finally {
    drop(name);
  }
});

test("blocking: a timeout gives null; a push before it wakes the call", async () => {
  const name = uniqueName();
  try {
    const db = open(name, { size: "4MiB" });
    const t0 = performance.now();
    assertEquals(await within(db.blpop("none", 0.05), 5000, "blpop with a timeout"), null);
    assert(performance.now() - t0 >= 45, "blpop returned before its timeout");
    const other = open(name, { size: "4MiB" });
    const got = db.brpop("w", 10);
    await sleep(10);
    other.rpush("w", "x");
    assertEquals(await within(got, 5000, "brpop woken by a push"), ["w", "x"]);
    other.close();
    db.close();
  } finally {
    drop(name);
  }
});
