/* Real processes, Deno and Bun: data written by one runtime is read by the other after
 * the writer exited; four processes increment one key without losing an update; a TTL
 * ends a key for every process; a writer killed with SIGKILL (most likely holding the
 * lock) neither blocks the next writer nor leaves a half-done command behind.
 * Every wait is bounded so that a hang fails the test instead of blocking the run. */

import { drop, list, open } from "../lib/mod.ts";
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

for (const [writer, reader] of [["bun", "deno"], ["deno", "bun"]] as [Runtime, Runtime][]) {
  test(
    `multiprocess: a ${writer} writer, then a ${reader} reader after the writer exited`,
    async () => {
      const name = uniqueName();
      const count = 20_000;
      const tag = `${writer}-wrote`;
      try {
        const w = await runScript(writer, fixture("dict_writer.ts"), [name, String(count), tag], {
          timeout: 30_000,
        });
        assertExit0(w, `${writer} writer`);
        assertEquals(lastJson(w).wrote, count);
        // The writer has exited: no process has the dictionary open, it still exists.
        assert(list().includes(name), "the dictionary vanished with its writer");
        const r = await runScript(reader, fixture("dict_reader.ts"), [name, String(count), tag], {
          timeout: 30_000,
        });
        assertExit0(r, `${reader} reader`);
        assertEquals(lastJson(r), { ok: true, problems: [] });
        // And this process sees both.
        const db = open(name, { create: false });
        try {
          assertEquals(db.get("key:0"), `${tag}:0`);
          assertEquals(db.get(`key:${count - 1}`), `${tag}:${count - 1}`);
          assertEquals(db.get("counter"), String(count));
          assertEquals(db.get("reader-was-here"), tag);
          assertEquals(db.dbsize(), count + 4);
          assertEquals(db.check(), []);
        } finally {
          db.close();
        }
      } finally {
        drop(name);
      }
    },
    { timeout: 90_000 },
  );
}

test("multiprocess: 2 Deno + 2 Bun processes x 250,000 incr give exactly 1,000,000", async () => {
  const name = uniqueName();
  const db = open(name);
  try {
    db.set("other", "untouched");
    const runtimes: Runtime[] = ["deno", "bun", "deno", "bun"];
    const results = await Promise.all(
      runtimes.map((rt) =>
        runScript(rt, fixture("dict_incr.ts"), [name, "counter", "250000"], { timeout: 55_000 })
      ),
    );
    results.forEach((r, i) => {
      assertExit0(r, `${runtimes[i]} incr #${i}`);
      const out = lastJson(r);
      assertEquals(out.ok, true, `${runtimes[i]} saw a non-increasing result`);
      assert(
        (out.last as number) >= 250_000 && (out.last as number) <= 1_000_000,
        `last ${out.last}`,
      );
    });
    assertEquals(db.get("counter"), "1000000");
    // Exactly one process saw the final value.
    assertEquals(results.filter((r) => lastJson(r).last === 1_000_000).length, 1);
    assertEquals(db.get("other"), "untouched");
    assertEquals(db.dbsize(), 2);
    assertEquals(db.check(), []);
  } finally {
    db.close();
    drop(name);
  }
}, { timeout: 90_000 });

test("multiprocess: a key with a TTL disappears for every process", async () => {
  const name = uniqueName();
  const db = open(name);
  const watchers: [Runtime, ScriptProcess][] = [];
  try {
    for (const rt of ["deno", "bun"] as Runtime[]) {
      watchers.push([rt, spawnScript(rt, fixture("dict_ttl_watch.ts"), [name, "short", rt])]);
    }
    // Wait (bounded) until both watchers are attached and polling.
    const deadline = Date.now() + 20_000;
    while (db.exists("ready:deno", "ready:bun") < 2) {
      assert(
        Date.now() < deadline,
        `watchers never became ready: ${watchers.map(([, p]) => p.stderr).join("\n")}`,
      );
      await sleep(10);
    }
    db.set("short", "soon gone", { px: 1000 });
    db.set("long", "stays", { ex: 3600 });
    // This process sees it vanish as well, within 2 s of its deadline.
    const gone = Date.now() + 3_000;
    while (db.get("short") !== null && Date.now() < gone) await sleep(10);
    assertEquals(db.get("short"), null);
    for (const [rt, proc] of watchers) {
      const r = await waitBounded(proc, 15_000, `${rt} watcher`);
      assertExit0(r, `${rt} watcher`);
      const out = lastJson(r);
      assertEquals(out.saw, true, `${rt} never saw the key`);
      assertEquals(out.value, "soon gone");
      assertEquals(out.gone, true, `${rt} still saw the key`);
    }
    assertEquals(db.get("long"), "stays");
    assertEquals(db.check(), []);
  } finally {
    for (const [, p] of watchers) p.kill("SIGKILL");
    db.close();
    drop(name);
  }
}, { timeout: 60_000 });

test(
  "multiprocess: a writer killed with SIGKILL while writing does not block the next writer",
  async () => {
    const name = uniqueName();
    const nkeys = 2000;
    // 1 GiB reserved (sparse): its undo journal takes an MSET of 2000 keys in one command.
    const init = open(name, { size: "1GiB" });
    init.close();
    const minKills = 5;
    const maxKills = 16;
    let kills = 0;
    let recoveries = 0;
    const hammers: ScriptProcess[] = [];
    try {
      while (kills < maxKills && (kills < minKills || recoveries === 0)) {
        const rt: Runtime = kills % 2 === 0 ? "bun" : "deno";
        const hammer = spawnScript(rt, fixture("dict_hammer.ts"), [name, String(nkeys)]);
        hammers.push(hammer);
        await hammer.waitForOutput("started", 20_000);
        await sleep(Math.floor(Math.random() * 150));
        assert(hammer.kill("SIGKILL"), "could not signal the writer");
        const hr = await waitBounded(hammer, 10_000, `${rt} writer`);
        assertEquals(hr.signal, "SIGKILL", `the ${rt} writer ended on its own: ${hr.stderr}`);
        kills++;

        // The next writer (another process, alternating runtimes) must get through.
        const probeRt: Runtime = kills % 2 === 0 ? "bun" : "deno";
        const pr = await runScript(probeRt, fixture("dict_probe.ts"), [name, String(nkeys)], {
          timeout: 10_000,
        });
        assertExit0(pr, `${probeRt} probe after kill #${kills}`);
        const out = lastJson(pr);
        assertEquals(out.check, [], `check() after kill #${kills}`);
        const rounds = out.rounds as string[];
        assertEquals(
          rounds.length,
          1,
          `after kill #${kills} the h:* keys mix rounds ${rounds.slice(0, 5)}`,
        );
        assert(rounds[0] !== "null", `after kill #${kills} the h:* keys are missing`);
        assertEquals(out.copyOk, true, `after kill #${kills} big:copy is partial`);
        recoveries = out.recoveries as number;
      }
      assert(recoveries >= 1, `no kill out of ${kills} was recovered from (info().recoveries = 0)`);

      // And this process writes without waiting.
      const db = open(name, { create: false });
      try {
        db.set("parent", "ok");
        db.mset({ x: "1", y: "2" });
        assertEquals(db.incr("probe:count"), kills + 1);
        assertEquals(db.get("parent"), "ok");
        assertEquals(db.check(), []);
        assertEquals(db.info().recoveries, recoveries);
      } finally {
        db.close();
      }
    } finally {
      for (const h of hammers) h.kill("SIGKILL");
      drop(name);
    }
  },
  { timeout: 120_000 },
);
