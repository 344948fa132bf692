/**
 * The conformance stage, for both runtimes:
 *
 * ```sh
 * node_modules/.bin/deno run -A test/conformance/run.ts [options]
 * node_modules/.bin/bun test/conformance/run.ts [options]
 * ```
 *
 * Starts a private `redis-server`, runs every suite of `suites.ts` against a shmdict `Dict`
 * and against Redis (each case on an empty database), then the randomized differential test
 * (same seeded commands on both, every reply compared), and ends with the harness's
 * `N passed, N failed` line. Exit status 1 if anything failed.
 *
 * Options (each also as an environment variable):
 *
 * | option | variable | meaning | default |
 * | --- | --- | --- | --- |
 * | `--commands N` | `CONFORMANCE_COMMANDS` | differential test length (0 skips it) | 20000 |
 * | `--seed S` | `CONFORMANCE_SEED` | differential test seed (printed on every run) | random |
 * | `--divergences N` | `CONFORMANCE_DIVERGENCES` | differential: go on to N divergences | 1 |
 * | `--only TEXT` | `CONFORMANCE_ONLY` | only the cases whose name has TEXT; no differential | all |
 * | `--servers S` | `CONFORMANCE_SERVERS` | `both`, `redis` or `shmdict`: whose cases run (one server: no differential) | both |
 *
 * Each divergence is printed with the command, both replies, and a short sequence of
 * commands that reproduces it from empty databases; with `--divergences N` both databases
 * are flushed after each one and the stream goes on.
 *
 * @module
 */

import process from "node:process";
import { drop, open } from "../../lib/mod.ts";
import { AssertionError, run, test } from "../harness.ts";
import { differential, type Outcome, showOp, showOutcome } from "./differential.ts";
import { RedisMissingError, type RedisServer, startRedis } from "./redis.ts";
import { SUITES } from "./suites.ts";
import { type CaseFn, type CaseOptions, counter, type Tester } from "./tester.ts";
import { DictView, RedisView, type View } from "./view.ts";

/** Minimum assertions the suite must make per server (the issue asks at least 400). */
const MIN_ASSERTIONS = 400;

function option(name: string, env: string): string | undefined {
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}` && i + 1 < argv.length) return argv[i + 1];
    if (argv[i].startsWith(`--${name}=`)) return argv[i].slice(name.length + 3);
  }
  const v = process.env[env];
  return v === undefined || v === "" ? undefined : v;
}

function intOption(name: string, env: string, fallback: number): number {
  const v = option(name, env);
  if (v === undefined) return fallback;
  const n = Number(v.replaceAll("_", ""));
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new Error(`--${name} (${env}) must be a non-negative integer, not ${JSON.stringify(v)}`);
  }
  return n;
}

function runtimeName(): string {
  const v = process.versions as Record<string, string | undefined>;
  if (v.deno) return `deno ${v.deno}`;
  if (v.bun) return `bun ${v.bun}`;
  return `node ${process.version}`;
}

/** Per-server tallies of the suite. */
interface Tally {
  cases: number;
  failed: number;
  assertions: number;
}

/** Registers every case of every suite for one view. */
function register(view: View, only: string | undefined, tally: Tally): void {
  for (const [suiteName, suite] of SUITES) {
    const names = new Set<string>();
    const tester: Tester = {
      case(name: string, fn: CaseFn, options?: CaseOptions): void {
        if (names.has(name)) throw new Error(`duplicate case "${suiteName}: ${name}"`);
        names.add(name);
        const full = `${view.server} ${suiteName}: ${name}`;
        if (only !== undefined && !`${suiteName}: ${name}`.includes(only)) return;
        tally.cases++;
        test(full, async () => {
          const before = counter.assertions;
          try {
            await view.flushall();
            await fn(view);
            if (view instanceof DictView) {
              const problems = view.db.check();
              if (problems.length > 0) {
                throw new AssertionError(`check() after the case:\n${problems.join("\n")}`);
              }
            }
          } catch (err) {
            tally.failed++;
            throw err;
          } finally {
            tally.assertions += counter.assertions - before;
          }
        }, options);
      },
    };
    suite(tester);
  }
}

async function main(): Promise<number> {
  console.log(runtimeName());
  const commands = intOption("commands", "CONFORMANCE_COMMANDS", 20_000);
  const seed = intOption("seed", "CONFORMANCE_SEED", Math.floor(Math.random() * 2 ** 32)) >>> 0;
  const only = option("only", "CONFORMANCE_ONLY");
  const maxDivergences = Math.max(1, intOption("divergences", "CONFORMANCE_DIVERGENCES", 1));
  const servers = option("servers", "CONFORMANCE_SERVERS") ?? "both";
  if (!["both", "redis", "shmdict"].includes(servers)) {
    throw new Error(`--servers must be both, redis or shmdict, not ${JSON.stringify(servers)}`);
  }

  let server: RedisServer;
  try {
    server = await startRedis();
  } catch (err) {
    console.log(err instanceof RedisMissingError ? err.message : `cannot start Redis: ${err}`);
    console.log("0 passed, 1 failed");
    return 1;
  }
  const name = `conformance-${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`;
  let dictView: DictView | null = null;
  let redisView: RedisView | null = null;
  try {
    const db = open(name, { size: "1GiB" });
    dictView = new DictView(db, () => {
      db.close();
      drop(name);
    }, () => open(name, { create: false }));
    redisView = await RedisView.connect({ host: server.host, port: server.port });
    console.log(
      `redis-server ${await redisView
        .version()} on ${server.host}:${server.port} (${server.path}); ` +
        `shmdict dictionary "${name}"`,
    );

    const tallies = new Map<string, Tally>();
    for (const view of [dictView, redisView] as View[]) {
      if (servers !== "both" && view.server !== servers) continue;
      const tally: Tally = { cases: 0, failed: 0, assertions: 0 };
      tallies.set(view.server, tally);
      register(view, only, tally);
    }

    if (only === undefined && servers === "both") {
      test("conformance: both servers made the same checks", () => {
        const [d, r] = [tallies.get("shmdict")!, tallies.get("redis")!];
        console.log(
          `    shmdict: ${d.cases} cases, ${d.assertions} assertions, ${d.failed} failed; ` +
            `redis: ${r.cases} cases, ${r.assertions} assertions, ${r.failed} failed`,
        );
        if (d.failed === 0 && r.failed === 0 && d.assertions !== r.assertions) {
          throw new AssertionError(
            `the servers made different numbers of checks: ${d.assertions} vs ${r.assertions}`,
          );
        }
        if (d.failed === 0 && d.assertions < MIN_ASSERTIONS) {
          throw new AssertionError(`only ${d.assertions} assertions, want >= ${MIN_ASSERTIONS}`);
        }
      });
    }

    if (servers !== "both") {
      test(`conformance: ${servers} alone`, () => {
        const t = tallies.get(servers)!;
        console.log(
          `    ${servers}: ${t.cases} cases, ${t.assertions} assertions, ${t.failed} failed`,
        );
      });
    }

    if (commands > 0 && only === undefined && servers === "both") {
      const a = dictView;
      const b = redisView;
      test(`differential: ${commands} random commands, seed ${seed}`, async () => {
        console.log(
          `    seed ${seed} (reproduce: --seed ${seed} --commands ${commands}, ` +
            `or CONFORMANCE_SEED=${seed})`,
        );
        const r = await differential(a, b, {
          seed,
          commands,
          maxDivergences,
          log: (l) => console.log(`    ${l}`),
        });
        const rate = Math.round(r.commands / (r.ms / 1000));
        console.log(
          `    ${r.commands} commands in ${(r.ms / 1000).toFixed(1)} s (${rate}/s on both servers)`,
        );
        for (const [text, n] of [...r.wording].sort()) {
          console.log(`    same error, other words (${n}×): ${text}`);
        }
        if (r.divergences.length > 1) {
          /* Group by command and kinds of reply, with the shortest reproduction of each. */
          const kind = (o: Outcome): string =>
            o.ok
              ? (o.value === null ? "null" : Array.isArray(o.value) ? "list" : typeof o.value)
              : o.error;
          const groups = new Map<string, { n: number; shortest: string[] }>();
          for (const d of r.divergences) {
            const sig = `${d.op.cmd}: shmdict ${kind(d.a)} | redis ${kind(d.b)}`;
            const repro = (d.reduced ?? [d.op]).map(showOp);
            const g = groups.get(sig);
            if (g === undefined) groups.set(sig, { n: 1, shortest: repro });
            else {
              g.n++;
              if (repro.length < g.shortest.length) g.shortest = repro;
            }
          }
          console.log(`    ${r.divergences.length} divergences, ${groups.size} kinds:`);
          for (const [sig, g] of [...groups].sort((x, y) => y[1].n - x[1].n)) {
            console.log(`    ${g.n}× ${sig}`);
            for (const line of g.shortest) console.log(`        ${line}`);
          }
        }
        const d = a.db.check();
        if (d.length > 0) throw new AssertionError(`check() after the run:\n${d.join("\n")}`);
        if (r.divergence !== null) {
          const { index, op } = r.divergence;
          const more = r.divergences.length > 1 ? ` (and ${r.divergences.length - 1} more)` : "";
          throw new AssertionError(
            `seed ${seed}: command #${index} ${showOp(op)} diverged: ` +
              `shmdict ${showOutcome(r.divergence.a)} vs redis ${showOutcome(r.divergence.b)}` +
              more,
          );
        }
      }, { timeout: 120_000 + commands * 5 });
    }

    const { failed } = await run();
    return failed > 0 ? 1 : 0;
  } finally {
    await redisView?.close();
    await dictView?.close();
    await server.stop();
  }
}

let status: number;
try {
  status = await main();
} catch (err) {
  console.log(`conformance run failed: ${err instanceof Error ? err.stack ?? err.message : err}`);
  console.log("0 passed, 1 failed");
  status = 1;
}
process.exit(status);
