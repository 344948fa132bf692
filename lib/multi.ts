/**
 * `multi()` batches: commands queued on a chainable object and run together,
 * atomically, by `exec()` (see {@link Dict.multi}).
 *
 * The batch has one method per `Dict` command, with the same arguments; each
 * queues the command and returns the batch, whose type remembers the result
 * type of every command queued so far, so `exec()` returns a typed tuple.
 * The methods are installed on the batch's prototype from the list of `Dict`
 * commands, so a command added to `Dict` is a batch command too.
 *
 * @module
 */

import type { Dict } from "./dict.ts";
import { DictError, InvalidArgumentError } from "./errors.ts";

/** `Dict` members that are not commands and cannot be queued (the same
 * names as in {@link QueuedCommand}, checked below). */
export const NOT_QUEUED = [
  "name",
  "close",
  "multi",
  "transaction",
  "scanIterator",
  "check",
] as const;

/** The names of the `Dict` commands a {@link Multi} batch can queue. */
export type QueuedCommand = {
  [K in keyof Dict]: K extends "name" | "close" | "multi" | "transaction" | "scanIterator" | "check"
    ? never
    : K extends string ? (Dict[K] extends (...args: never[]) => unknown ? K : never)
    : never;
}[keyof Dict];

/**
 * What {@link MultiControl.exec} returns for a batch whose commands return `R`: each
 * command's result, or the `Error` it failed with.
 */
export type ExecResult<R extends unknown[]> = { -readonly [I in keyof R]: R[I] | Error };

/** The control methods of a {@link Multi} batch. */
export interface MultiControl<R extends unknown[]> {
  /**
   * Runs the queued commands in order, atomically: while the writer lock is
   * held, committed together (other processes see all of their effects or
   * none). A command that fails leaves its `Error` in its slot and is undone
   * alone; the others still apply, as Redis's EXEC does. A batch runs once.
   *
   * @returns one entry per queued command: its result, or its `Error`
   * @throws {DictError} code `"EXECABORT"`, having run nothing, when a
   *   command was queued with too few arguments (`cause`: its error)
   * @throws {InvalidArgumentError} if the batch already ran or was discarded
   * @throws {ClosedError} if the dictionary is closed (nothing ran)
   */
  exec(): ExecResult<R>;
  /**
   * Drops the queued commands without running them (Redis's DISCARD).
   *
   * @returns `"OK"`
   * @throws {InvalidArgumentError} if the batch already ran or was discarded
   */
  discard(): "OK";
  /** The number of commands queued. */
  readonly length: number;
}

/**
 * A batch of queued commands (see {@link Dict.multi}): every `Dict` command,
 * with the same arguments, returning the batch; plus {@link MultiControl}'s
 * `exec()`, `discard()` and `length`. `R` lists the result types of the
 * commands queued so far.
 */
export type Multi<R extends unknown[] = []> =
  & {
    [K in QueuedCommand]: Dict[K] extends (...args: infer A) => infer Out
      ? (...args: A) => Multi<[...R, Awaited<Out>]>
      : never;
  }
  & MultiControl<R>;

/** What a batch needs from its dictionary (its private powers, lent). */
export interface MultiHost {
  /** The names of the commands to offer. */
  readonly commands: readonly string[];
  /** The error Redis would give when queuing this command (its arity
   * check), or `null`: a batch holding one runs nothing. */
  check(name: string, args: readonly unknown[]): Error | null;
  /** Runs one command now (blocking pops without waiting). */
  run(name: string, args: unknown[]): unknown;
  /** Runs `fn` in a transaction (joining one already open) and commits. */
  atomically<T>(fn: () => T): T;
}

/** Queues a command on a batch (set in the class body, to reach `#queue`). */
let enqueue: (batch: Batch, name: string, args: unknown[]) => Batch;

class Batch {
  #host: MultiHost;
  #queue: [string, unknown[]][] | null = [];
  /* the first command refused when queued: exec() then runs nothing */
  #refused: Error | null = null;

  constructor(host: MultiHost) {
    this.#host = host;
  }

  static {
    enqueue = (batch, name, args) => {
      const q = batch.#queue;
      if (q === null) {
        throw new InvalidArgumentError(
          "ERR this multi() batch already ran or was discarded: start another with multi()",
        );
      }
      batch.#refused ??= batch.#host.check(name, args);
      q.push([name, args]);
      return batch;
    };
  }

  get length(): number {
    return this.#queue?.length ?? 0;
  }

  exec(): unknown[] {
    const q = this.#queue;
    if (q === null) throw new InvalidArgumentError("ERR EXEC without MULTI");
    this.#queue = null;
    if (this.#refused !== null) {
      throw new DictError(
        "EXECABORT Transaction discarded because of previous errors.",
        "EXECABORT",
        { cause: this.#refused },
      );
    }
    if (q.length === 0) return [];
    const host = this.#host;
    return host.atomically(() =>
      q.map(([name, args]) => {
        try {
          return host.run(name, args);
        } catch (err) {
          return err instanceof Error ? err : new DictError(String(err), "UNKNOWN");
        }
      })
    );
  }

  discard(): "OK" {
    if (this.#queue === null) throw new InvalidArgumentError("ERR DISCARD without MULTI");
    this.#queue = null;
    return "OK";
  }
}

let installed = false;

/**
 * A new, empty batch over `host`. The first call installs one queuing method
 * per command on the batch prototype.
 */
export function createMulti(host: MultiHost): Multi {
  if (!installed) {
    for (const name of host.commands) {
      Object.defineProperty(Batch.prototype, name, {
        value: function (this: Batch, ...args: unknown[]): Batch {
          return enqueue(this, name, args);
        },
        writable: true,
        configurable: true,
      });
    }
    installed = true;
  }
  return new Batch(host) as unknown as Multi;
}

/* Compile-time proof that NOT_QUEUED and QueuedCommand agree. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _notQueuedAgree: Same<
  Exclude<Extract<keyof Dict, string>, QueuedCommand>,
  (typeof NOT_QUEUED)[number]
> = true;
void _notQueuedAgree;
