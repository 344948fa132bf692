/**
 * SQLite through the running runtime's built-in driver: `bun:sqlite` under
 * Bun, `node:sqlite` (`DatabaseSync`) under Deno. Shared by the SQLite
 * systems (`bench/systems/sqlite.ts`, `support/mixed-systems.ts`) and the
 * restart benchmark's stores (`support/big-stores.ts`, its child process).
 *
 * @module
 */

import { runtime } from "./env.ts";

/** The statement methods both SQLite drivers share. */
export interface SqliteStatement {
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/** The database methods both SQLite drivers share. */
export interface SqliteDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): SqliteStatement;
  close(): unknown;
}

/** The driver's name: `bun:sqlite` or `node:sqlite`. */
export const sqliteDriver: string = runtime === "bun" ? "bun:sqlite" : "node:sqlite";

/**
 * Loads the runtime's SQLite driver; returns a function that opens (creating)
 * a database file with it. Split in two so that a caller can time loading
 * the driver apart from opening a file.
 */
export async function sqliteOpener(): Promise<(path: string) => SqliteDatabase> {
  /* Module names in variables: neither runtime's checker should resolve the
   * other runtime's built-in module. */
  if (runtime === "bun") {
    const name = "bun:sqlite";
    const mod = (await import(name)) as { Database: new (path: string) => SqliteDatabase };
    return (path) => new mod.Database(path);
  }
  const name = "node:sqlite";
  const mod = (await import(name)) as { DatabaseSync: new (path: string) => SqliteDatabase };
  return (path) => new mod.DatabaseSync(path);
}

/**
 * Opens (creating) the database file `path` with the runtime's driver and
 * applies `pragmas` (each as `PRAGMA <p>`).
 */
export async function openSqlite(
  path: string,
  pragmas: readonly string[] = [],
): Promise<SqliteDatabase> {
  const db = (await sqliteOpener())(path);
  for (const p of pragmas) db.exec(`PRAGMA ${p}`);
  return db;
}

/** The SQLite version the driver links (`sqlite_version()`). */
export function sqliteVersion(db: SqliteDatabase): string {
  return String((db.prepare("SELECT sqlite_version() AS v").get() as { v: string }).v);
}
