/* Real processes, Deno and Bun, on the list and transaction commands:
 *  - a BLPOP in one runtime is woken by an RPUSH from the other (both directions); the wake-up
 *    latency (pusher's clock just before the push → waiter's clock just after the pop) is
 *    printed, and only bounded generously here (timing goals belong in bench/);
 *  - four consumers (2 Deno + 2 Bun, BLPOP and BRPOP in a loop) and two producers (Deno and
 *    Bun) deliver every element exactly once: none lost, none twice;
 *  - multi().exec() and transaction(fn) from four processes (2 Deno + 2 Bun) never interleave.
 * Every wait is bounded so that a hang fails the test instead of blocking the run. */

import { drop, open } from "../lib/mod.ts";
import { assert, assertEquals, test } from "./harness.ts";
import {
  assertExit0,
  lastJson,
  runScript,
  type Runtime,
  type ScriptProcess,
  spawnScript,
  waitBounded,
} from "./procs.ts";

const fixture = (file: string): URL => new URL(`./fixtures/${file}`, import.meta.url);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function uniqueName(): string {
  return `t-${crypto.randomUUID().slice(0, 8)}`;
}

/** The q-quantile of sorted numbers. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const ROUNDS = 30;

for (const [waiterRt, pusherRt] of [["deno", "bun"], ["bun", "deno"]] as [Runtime, Runtime][]) {
  test(
    `multiprocess lists: blpop in ${waiterRt} is woken by rpush from ${pusherRt} (${ROUNDS} rounds)`,
    async () => {
      const name = uniqueName();
      const db = open(name);
      const procs: ScriptProcess[] = [];
      try {
        const waiter = spawnScript(waiterRt, fixture("list_waiter.ts"), [
          name,
          "w",
          "latency",
          "q",
          String(ROUNDS),
        ]);
        procs.push(waiter);
        const pusher = spawnScript(pusherRt, fixture("list_pusher.ts"), [
          name,
          "latency",
          "q",
          `w:${ROUNDS}`,
        ]);
        procs.push(pusher);
        const pr = await waitBounded(pusher, 60_000, `${pusherRt} pusher`);
        assertExit0(pr, `${pusherRt} pusher`);
        assertEquals(lastJson(pr).pushed, ROUNDS);
        const wr = await waitBounded(waiter, 30_000, `${waiterRt} waiter`);
        assertExit0(wr, `${waiterRt} waiter`);
        const rounds = lastJson(wr).rounds as { round: number; value: string; latencyMs: number }[];
        assertEquals(rounds.length, ROUNDS, "every round was received");
        rounds.forEach((r, i) => {
          assertEquals(r.round, i);
          assert(r.value !== null && r.value.startsWith(`${i}:`), `round ${i} got ${r.value}`);
        });
        const lat = rounds.map((r) => r.latencyMs).sort((a, b) => a - b);
        console.log(
          `    wake-up latency ${pusherRt} rpush → ${waiterRt} blpop over ${ROUNDS} rounds: ` +
            `min ${lat[0].toFixed(3)} ms, p50 ${quantile(lat, 0.5).toFixed(3)} ms, ` +
            `p90 ${quantile(lat, 0.9).toFixed(3)} ms, max ${lat[lat.length - 1].toFixed(3)} ms`,
        );
        /* Correctness, and a generous bound only: timing goals belong in bench/. */
        assert(lat[lat.length - 1] < 1000, `a wake-up took ${lat[lat.length - 1]} ms`);
        assert(lat[0] > -50, `clock skew? latency ${lat[0]} ms`);
        assertEquals(db.llen("q"), 0);
        assertEquals(db.check(), []);
      } finally {
        for (const p of procs) p.kill("SIGKILL");
        db.close();
        drop(name);
      }
    },
    { timeout: 120_000 },
  );
}

test(
  "multiprocess lists: 4 waiters (2 Deno + 2 Bun) and 2 pushers deliver each element exactly once",
  async () => {
    const name = uniqueName();
    const db = open(name);
    const procs: ScriptProcess[] = [];
    const perPusher = 1500;
    try {
      const waiterRts: Runtime[] = ["deno", "bun", "deno", "bun"];
      const waiters = waiterRts.map((rt, i) => {
        const p = spawnScript(rt, fixture("list_waiter.ts"), [name, String(i), "drain", "jobs"]);
        procs.push(p);
        return p;
      });
      /* Wait until every waiter is up (each pushes its id onto "ready" before it blocks). */
      const deadline = Date.now() + 30_000;
      while (db.llen("ready") < waiters.length) {
        assert(
          Date.now() < deadline,
          `waiters never became ready: ${waiters.map((w) => w.stderr).join("\n")}`,
        );
        await sleep(10);
      }
      await sleep(100);
      const pushers = (["deno", "bun"] as Runtime[]).map((rt, i) =>
        runScript(
          rt,
          fixture("list_pusher.ts"),
          [name, "bulk", "jobs", String(perPusher), `p${i}`],
          {
            timeout: 60_000,
          },
        )
      );
      const pushed = await Promise.all(pushers);
      pushed.forEach((r, i) => {
        assertExit0(r, `pusher ${i}`);
        assertEquals(lastJson(r).pushed, perPusher);
      });
      /* One STOP per waiter, after every element. */
      db.rpush("jobs", ...waiters.map(() => "STOP"));
      const results = await Promise.all(
        waiters.map((w, i) => waitBounded(w, 60_000, `${waiterRts[i]} waiter ${i}`)),
      );
      const all: string[] = [];
      results.forEach((r, i) => {
        assertExit0(r, `${waiterRts[i]} waiter ${i}`);
        const out = lastJson(r);
        assertEquals(out.timedOut, false);
        all.push(...(out.received as string[]));
      });
      const counts = results.map((r) => (lastJson(r).received as string[]).length);
      console.log(
        `    ${all.length} elements over 4 waiters (${
          waiterRts.map((rt, i) => `${rt}: ${counts[i]}`).join(", ")
        })`,
      );
      const expected: string[] = [];
      for (const p of ["p0", "p1"]) for (let i = 0; i < perPusher; i++) expected.push(`${p}:${i}`);
      const seen = new Map<string, number>();
      for (const e of all) seen.set(e, (seen.get(e) ?? 0) + 1);
      const dup = [...seen].filter(([, n]) => n > 1).map(([e]) => e);
      const missing = expected.filter((e) => !seen.has(e));
      const unknown = [...seen.keys()].filter((e) => !expected.includes(e));
      assertEquals(dup, [], "elements delivered twice");
      assertEquals(missing, [], "elements never delivered");
      assertEquals(unknown, [], "elements nobody pushed");
      assertEquals(all.length, 2 * perPusher);
      /* Each pusher's elements arrive in its order on each waiter (one list, FIFO via BLPOP
       * for even waiters; BRPOP takes from the tail, so only check the BLPOP ones). */
      results.forEach((r, i) => {
        if (i % 2 === 1) return;
        const got = lastJson(r).received as string[];
        for (const p of ["p0", "p1"]) {
          const idx = got.filter((e) => e.startsWith(`${p}:`)).map((e) => Number(e.split(":")[1]));
          assert(idx.every((v, j) => j === 0 || v > idx[j - 1]), `waiter ${i}: ${p} out of order`);
        }
      });
      assertEquals(db.exists("jobs"), 0);
      assertEquals(db.check(), []);
    } finally {
      for (const p of procs) p.kill("SIGKILL");
      db.close();
      drop(name);
    }
  },
  { timeout: 180_000 },
);

test(
  "multiprocess lists: multi().exec() and transaction(fn) from 4 processes never interleave",
  async () => {
    const name = uniqueName();
    const db = open(name);
    const n = 2000;
    try {
      const runtimes: Runtime[] = ["deno", "bun", "deno", "bun"];
      const results = await Promise.all(
        runtimes.map((rt, i) =>
          runScript(rt, fixture("dict_multi.ts"), [name, `${rt}${i}`, String(n)], {
            timeout: 90_000,
          })
        ),
      );
      results.forEach((r, i) => {
        assertExit0(r, `${runtimes[i]} #${i}`);
        const out = lastJson(r);
        assertEquals(out.ok, true, `exec() replies of #${i}: ${JSON.stringify(out.problems)}`);
        assertEquals(out.execs, n);
      });
      const total = 4 * n;
      assertEquals(db.get("counter"), String(total));
      assertEquals(db.get("tcounter"), String(total));
      /* multi(): the log is a sequence of pairs "id, id". */
      const log = db.lrange("log", 0, -1);
      assertEquals(log.length, 2 * total);
      let broken = -1;
      for (let i = 0; i < log.length; i += 2) {
        if (log[i] !== log[i + 1]) {
          broken = i;
          break;
        }
      }
      assertEquals(broken, -1, `interleaved at ${broken}: ${log.slice(broken, broken + 4)}`);
      const perId = new Map<string, number>();
      for (const id of log) perId.set(id, (perId.get(id) ?? 0) + 1);
      assertEquals([...perId.values()], [2 * n, 2 * n, 2 * n, 2 * n]);
      /* transaction(fn): pairs "id:a", "id:c" where c runs 1, 2, ... in log order. */
      const tlog = db.lrange("tlog", 0, -1);
      assertEquals(tlog.length, 2 * total);
      let bad = -1;
      for (let i = 0; i < tlog.length; i += 2) {
        const [ida, a] = tlog[i].split(":");
        const [idc, c] = tlog[i + 1].split(":");
        if (ida !== idc || a !== "a" || Number(c) !== i / 2 + 1) {
          bad = i;
          break;
        }
      }
      assertEquals(bad, -1, `transaction(fn) interleaved at ${bad}: ${tlog.slice(bad, bad + 4)}`);
      console.log(`    ${total} multi() and ${total} transaction() runs, none interleaved`);
      assertEquals(db.check(), []);
    } finally {
      db.close();
      drop(name);
    }
  },
  { timeout: 180_000 },
);
