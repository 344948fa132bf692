/**
 * Test entry point for both runtimes:
 *
 * ```sh
 * node_modules/.bin/deno run -A test/run.ts [filter...]
 * node_modules/.bin/bun test/run.ts [filter...]
 * ```
 *
 * Imports every `test/*.test.ts` file (sorted by name; with filters, only files whose
 * name contains one of them), runs the registered tests and exits with code 1 if any
 * failed. A file that fails to import counts as one failed test.
 *
 * @module
 */

import { readdirSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { run, test } from "./harness.ts";

/** Name and version of the running runtime, e.g. `deno 2.9.6` or `bun 1.4.5`. */
export function runtimeName(): string {
  const v = process.versions as Record<string, string | undefined>;
  if (v.deno) return `deno ${v.deno}`;
  if (v.bun) return `bun ${v.bun}`;
  return `node ${process.version}`;
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const dir = new URL("./", import.meta.url);
  const files = readdirSync(fileURLToPath(dir))
    .filter((f) => f.endsWith(".test.ts"))
    .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
    .sort();

  console.log(runtimeName());
  if (files.length === 0) {
    console.log(`no test files match ${JSON.stringify(filters)}`);
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
  for (const file of files) {
    try {
      await import(new URL(file, dir).href);
    } catch (err) {
      test(`${file}: import`, () => {
        throw err;
      });
    }
  }
  const { failed } = await run();
  process.exit(failed > 0 ? 1 : 0);
}

await main();
