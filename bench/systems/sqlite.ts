/**
 * SQLite through the runtime's built-in driver: `bun:sqlite` under Bun,
 * `node:sqlite` (`DatabaseSync`) under Deno. A file database in a temp
 * directory, one table `kv (k TEXT PRIMARY KEY, v) WITHOUT ROWID`, prepared
 * statements, autocommit (every write is its own transaction, as every
 * shmdict command is), and the pragmas in {@link PRAGMAS}.
 *
 * @module
 */

import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Dataset } from "../support/data.ts";
import { runtime } from "../support/env.ts";
import { openSqlite, sqliteVersion } from "../support/sqlite.ts";
import { type System, witness } from "./types.ts";

/** Pragmas applied after opening: WAL, no fsync, a page cache that holds the
 * whole database (~25 MB) so reads do not go through `read(2)`. */
export const PRAGMAS = [
  "journal_mode = WAL",
  "synchronous = OFF",
  "cache_size = -131072",
] as const;

type Row = { v: string | number } | null | undefined;
type BytesRow = { v: Uint8Array } | null | undefined;

/** Creates the database in a temp directory under `dir` and loads it. */
export async function createSqlite(data: Dataset, dir: string, batch = 1000): Promise<System> {
  const tmp = mkdtempSync(join(dir, "shmdict-bench-sqlite-"));
  const db = await openSqlite(join(tmp, "kv.db"), PRAGMAS);
  db.exec("CREATE TABLE kv (k TEXT PRIMARY KEY, v) WITHOUT ROWID");
  const put = db.prepare(
    "INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
  );
  const sel = db.prepare("SELECT v FROM kv WHERE k = ?");
  const selBytes = db.prepare("SELECT CAST(v AS BLOB) AS v FROM kv WHERE k = ?");
  const inc = db.prepare(
    "INSERT INTO kv (k, v) VALUES (?, 1) ON CONFLICT (k) DO UPDATE SET v = v + 1 RETURNING v",
  );
  const { keys, values, alt, counters, order, mask } = data;
  db.exec("BEGIN");
  for (let i = 0; i < data.n; i++) {
    put.run(keys[i], values[i]);
    put.run(counters[i], 0);
  }
  db.exec("COMMIT");
  const version = sqliteVersion(db);
  const w = witness();
  const target = new Uint8Array(256);
  let c = 0;
  let gen = 0;
  const driver = runtime === "bun" ? "bun:sqlite" : "node:sqlite DatabaseSync";
  return {
    id: "sqlite",
    label: "SQLite",
    detail: `${driver}; \`${PRAGMAS.map((p) => `PRAGMA ${p}`).join("; ")}\`; ` +
      "`kv (k TEXT PRIMARY KEY, v) WITHOUT ROWID`; prepared statements, autocommit; " +
      "`getBytes` = `SELECT CAST(v AS BLOB)`, `getInto` = that + `target.set()`; " +
      "`set` = `INSERT … ON CONFLICT DO UPDATE`; `incr` = upsert `v = v + 1 RETURNING v`",
    async: false,
    batch,
    w,
    versions: { sqlite: version },
    one: {
      get: (k) => {
        const r = sel.get(k) as Row;
        return r ? String(r.v) : null;
      },
      getBytes: (k) => (selBytes.get(k) as BytesRow)?.v ?? null,
      set: (k, v) => put.run(k, v),
      incr: (k) => (inc.get(k) as { v: number }).v,
    },
    ops: {
      get() {
        let s = 0;
        for (let j = 0; j < batch; j++) {
          s += (sel.get(keys[order[c]]) as { v: string }).v.length;
          c = (c + 1) & mask;
        }
        w.sum = s;
      },
      getBytes() {
        let s = 0;
        for (let j = 0; j < batch; j++) {
          s += (selBytes.get(keys[order[c]]) as { v: Uint8Array }).v.length;
          c = (c + 1) & mask;
        }
        w.sum = s;
      },
      getInto() {
        let s = 0;
        for (let j = 0; j < batch; j++) {
          const b = (selBytes.get(keys[order[c]]) as { v: Uint8Array }).v;
          target.set(b);
          s += b.length;
          c = (c + 1) & mask;
        }
        w.sum = s;
      },
      set() {
        const src = (gen++ & 1) === 0 ? alt : values;
        let i = 0;
        for (let j = 0; j < batch; j++) {
          i = order[c];
          put.run(keys[i], src[i]);
          c = (c + 1) & mask;
        }
        w.last = i;
        w.lastValue = src[i];
      },
      incr() {
        let i = 0;
        let r = 0;
        for (let j = 0; j < batch; j++) {
          i = order[c];
          r = (inc.get(counters[i]) as { v: number }).v;
          c = (c + 1) & mask;
        }
        w.last = i;
        w.lastInt = r;
      },
    },
    close() {
      db.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
