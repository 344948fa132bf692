/**
 * The conformance suites, in the order they run. Each is written once against the
 * {@link View} and runs unchanged against shmdict and against Redis.
 *
 * strings, keys and expire cover the core's string and key commands; hashes, lists, sets and
 * zsets one container each (lists includes the blocking pops, woken by another client);
 * types has WRONGTYPE for every command of every family on each other type, the order of
 * checks, and the generic commands on containers (TYPE, RENAME/COPY with TTL, EXPIRE, SCAN's
 * TYPE filter, emptied containers disappearing); transactions covers `multi()`/EXEC. Each
 * new command goes into `View` and both views in `view.ts`, a suite here, and the
 * differential test's command table (`differential.ts`).
 *
 * @module
 */

import { expireSuite } from "./expire.ts";
import { hashesSuite } from "./hashes.ts";
import { keysSuite } from "./keys.ts";
import { listsSuite } from "./lists.ts";
import { setsSuite } from "./sets.ts";
import { stringsSuite } from "./strings.ts";
import type { Suite } from "./tester.ts";
import { transactionsSuite } from "./transactions.ts";
import { typesSuite } from "./types.ts";
import { zsetsSuite } from "./zsets.ts";

/** `[name, suite]`, in running order. */
export const SUITES: readonly (readonly [string, Suite])[] = [
  ["strings", stringsSuite],
  ["keys", keysSuite],
  ["expire", expireSuite],
  ["hashes", hashesSuite],
  ["lists", listsSuite],
  ["sets", setsSuite],
  ["zsets", zsetsSuite],
  ["types", typesSuite],
  ["transactions", transactionsSuite],
];
