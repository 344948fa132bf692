/**
 * A progress display for long benchmark steps, written once for Deno and Bun.
 * On a terminal it redraws one line (`\r`); in a log (CI, a pipe) it prints a
 * line at most every few seconds and at the end, so logs stay short.
 *
 * ```ts
 * const p = new Progress("populate 10,000,000 keys", 10_000_000);
 * for (let i = 0; i < n; i++) { ...; if ((i & 0xffff) === 0) p.update(i); }
 * p.done();
 * ```
 *
 * @module
 */

import process from "node:process";
import { runtime } from "./env.ts";

const tty = Boolean((process.stdout as { isTTY?: boolean }).isTTY);

/** A progress display for one step of known (or unknown, `total = 0`) size. */
export class Progress {
  private readonly start = performance.now();
  private last = 0;

  /** Starts a step called `what` of `total` units (0: unknown). */
  constructor(private readonly what: string, private readonly total = 0) {
    if (!tty) console.log(`==> ${runtime}: ${what} ...`);
  }

  /** Reports that `done` units are finished; cheap enough to call often. */
  update(done: number, note = ""): void {
    const now = performance.now();
    if (now - this.last < (tty ? 100 : 5000)) return;
    this.last = now;
    this.#show(done, note, false);
  }

  /** Ends the step, printing the elapsed time. */
  done(note = ""): void {
    this.#show(this.total, note, true);
  }

  #show(done: number, note: string, end: boolean): void {
    const secs = (performance.now() - this.start) / 1000;
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 0;
    let bar = "";
    if (this.total > 0) {
      const w = 24;
      const fill = Math.round(frac * w);
      bar = `[${"#".repeat(fill)}${".".repeat(w - fill)}] ${(frac * 100).toFixed(0).padStart(3)}% `;
    }
    const eta = !end && frac > 0.02 ? `, ~${Math.ceil(secs / frac - secs)} s left` : "";
    const text = `==> ${runtime}: ${this.what} ${bar}${secs.toFixed(1)} s${eta}${
      note ? ` ${note}` : ""
    }`;
    if (tty) process.stdout.write(`\r${text}\x1b[K${end ? "\n" : ""}`);
    else console.log(text);
  }
}
