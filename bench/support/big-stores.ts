/**
 * The stores the restart benchmark fills in one process and reopens in
 * another: SQLite through the runtime's own driver, lmdb-js's options, and a
 * JSON-lines file (the SQLite driver itself is in `./sqlite.ts`). Shared by `bench/restart.bench.ts` (which writes them) and
 * `bench/support/big-restart-child.ts` (which reads them back). Every module a
 * store needs is imported dynamically, so that a child process loads only
 * what its system uses.
 *
 * @module
 */

import { closeSync, openSync, readSync } from "node:fs";

/** Pragmas of the SQLite database (as in `bench/systems/sqlite.ts`). */
export const SQLITE_PRAGMAS = [
  "journal_mode = WAL",
  "synchronous = OFF",
  "cache_size = -131072",
] as const;

/** The one table: keys and values as text, the key as primary key. */
export const SQLITE_TABLE = "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID";

/** Rows per page when SQLite is read into a `Map` (keyset pagination). */
export const SQLITE_PAGE = 10_000;

/** The page query: the next {@link SQLITE_PAGE} rows after a key, in key order. */
export const SQLITE_PAGE_SQL = `SELECT k, v FROM kv WHERE k > ? ORDER BY k LIMIT ${SQLITE_PAGE}`;

/** lmdb-js options, as in `bench/systems/lmdb.ts` (values as UTF-8 strings). */
export const LMDB_OPTIONS = { noSync: true, useWritemap: true, encoding: "string" } as const;

/** Entries per line of the JSON-lines file. */
export const JSON_LINE_ENTRIES = 10_000;

/** Bytes read per `read(2)` of the JSON-lines file. */
const READ_CHUNK = 16 << 20;

/**
 * Reads a JSON-lines file whose every line is a JSON array of alternating
 * keys and values (`["key:00000001","v…","key:00000002","v…",…]`), calling
 * `put(key, value)` for each pair in file order. The file is read in 16 MiB
 * chunks and each line parsed on its own, so no string ever comes near the
 * engines' maximum string length (about 512 MiB in V8) whatever the file's
 * size.
 *
 * @returns the number of pairs read
 * @throws {Error} on a line that is not an array of strings of even length,
 *   or a file that does not end with a newline
 */
export function readJsonLines(path: string, put: (key: string, value: string) => void): number {
  const fd = openSync(path, "r");
  const dec = new TextDecoder();
  let buf = new Uint8Array(READ_CHUNK);
  let have = 0;
  let pairs = 0;
  try {
    for (;;) {
      if (have === buf.length) {
        /* one line longer than the buffer: grow it */
        const bigger = new Uint8Array(buf.length * 2);
        bigger.set(buf);
        buf = bigger;
      }
      const got = readSync(fd, buf, have, buf.length - have, null);
      const end = have + got;
      const view = buf.subarray(0, end);
      let start = 0;
      for (;;) {
        const nl = view.indexOf(10, start);
        if (nl < 0) break;
        const line: unknown = JSON.parse(dec.decode(buf.subarray(start, nl)));
        if (!Array.isArray(line) || line.length % 2 !== 0) {
          throw new Error(`${path}: a line is not an array of key/value pairs`);
        }
        for (let j = 0; j < line.length; j += 2) put(line[j] as string, line[j + 1] as string);
        pairs += line.length / 2;
        start = nl + 1;
      }
      if (got === 0) {
        if (end > start) throw new Error(`${path}: ${end - start} bytes after the last newline`);
        return pairs;
      }
      buf.copyWithin(0, start, end);
      have = end - start;
    }
  } finally {
    closeSync(fd);
  }
}
