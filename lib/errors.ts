/**
 * The error classes of `@shm/dict`: one hierarchy under {@link DictError},
 * each error with a stable `code`. Messages follow Redis's wording where Redis
 * has one, so code written against Redis error texts keeps working.
 *
 * @module
 */

import {
  SHMD_E_BUSY,
  SHMD_E_CORRUPT,
  SHMD_E_EXISTS,
  SHMD_E_FULL,
  SHMD_E_HANDLE,
  SHMD_E_INVAL,
  SHMD_E_NOENT,
  SHMD_E_NOTFLOAT,
  SHMD_E_NOTINT,
  SHMD_E_OVERFLOW,
  SHMD_E_READONLY,
  SHMD_E_SEGMENT,
  SHMD_E_SYS,
  SHMD_E_TOOBIG,
  SHMD_E_WRONGTYPE,
} from "../ffi/symbols.ts";

/** Base class of every error thrown by `@shm/dict`. */
export class DictError extends Error {
  /** A stable, machine-readable error code (e.g. `"WRONGTYPE"`). */
  readonly code: string;

  /**
   * Creates the error.
   * @param message human-readable description
   * @param code machine-readable code
   * @param options standard error options (`cause`)
   */
  constructor(message: string, code = "ERR", options?: ErrorOptions) {
    super(message, options);
    this.name = "DictError";
    this.code = code;
  }
}

/** The dictionary's segment (or the shared-memory file system) is full. */
export class DictFullError extends DictError {
  /**
   * Creates the error.
   * @param message description (the C side's detail when available)
   */
  constructor(message = "the dictionary is full") {
    super(message, "FULL");
    this.name = "DictFullError";
  }
}

/** An operation against a key holding the wrong kind of value. */
export class WrongTypeError extends DictError {
  /**
   * Creates the error.
   * @param message description; defaults to Redis's wording
   */
  constructor(
    message = "WRONGTYPE Operation against a key holding the wrong kind of value",
  ) {
    super(message, "WRONGTYPE");
    this.name = "WrongTypeError";
  }
}

/** A value or argument is not an integer, or out of range. */
export class NotIntegerError extends DictError {
  /**
   * Creates the error.
   * @param message description; defaults to Redis's wording
   */
  constructor(message = "ERR value is not an integer or out of range") {
    super(message, "NOTINT");
    this.name = "NotIntegerError";
  }
}

/** An increment or decrement would overflow a 64-bit integer. */
export class OverflowError extends DictError {
  /**
   * Creates the error.
   * @param message description; defaults to Redis's wording
   */
  constructor(message = "ERR increment or decrement would overflow") {
    super(message, "OVERFLOW");
    this.name = "OverflowError";
  }
}

/** A value or argument is not a valid (finite) float. */
export class NotFloatError extends DictError {
  /**
   * Creates the error.
   * @param message description; defaults to Redis's wording
   */
  constructor(message = "ERR value is not a valid float") {
    super(message, "NOTFLOAT");
    this.name = "NotFloatError";
  }
}

/** The codes of an {@link InvalidArgumentError}. */
export type InvalidArgumentCode = "INVAL" | "TOOBIG";

/**
 * An invalid argument: wrong type, bad syntax, out of range, or an impossible
 * combination of options (code `"INVAL"`); or a key, value or command over
 * the limits (code `"TOOBIG"`).
 */
export class InvalidArgumentError extends DictError {
  /** `"INVAL"` or `"TOOBIG"`. */
  declare readonly code: InvalidArgumentCode;

  /**
   * Creates the error.
   * @param message description (Redis's wording where it has one)
   * @param code `"INVAL"` (default) or `"TOOBIG"`
   */
  constructor(message = "ERR syntax error", code: InvalidArgumentCode = "INVAL") {
    super(message, code);
    this.name = "InvalidArgumentError";
  }
}

/** RENAME / RENAMENX of a key that does not exist. */
export class NoSuchKeyError extends DictError {
  /**
   * Creates the error.
   * @param message description; defaults to Redis's wording
   */
  constructor(message = "ERR no such key") {
    super(message, "NOKEY");
    this.name = "NoSuchKeyError";
  }
}

/** The codes of a {@link SegmentError}. */
export type SegmentErrorCode =
  | "SEGMENT"
  | "NOENT"
  | "EXISTS"
  | "CORRUPT"
  | "SYS"
  | "BUSY";

/**
 * A problem with the shared-memory segment itself: not a shmdict segment or
 * of another version, owner or permissions (`"SEGMENT"`); no such dictionary
 * (`"NOENT"`); it already exists (`"EXISTS"`); it failed a consistency check
 * (`"CORRUPT"`); an operating-system error (`"SYS"`); too many dictionaries
 * open in this process (`"BUSY"`).
 */
export class SegmentError extends DictError {
  /** One of the {@link SegmentErrorCode}s. */
  declare readonly code: SegmentErrorCode;

  /**
   * Creates the error.
   * @param message description (the C side's detail)
   * @param code which segment problem
   */
  constructor(message: string, code: SegmentErrorCode = "SEGMENT") {
    super(message, code);
    this.name = "SegmentError";
  }
}

/** A write command on a dictionary opened with `readonly: true`. */
export class ReadOnlyError extends DictError {
  /**
   * Creates the error.
   * @param message description
   */
  constructor(
    message = "READONLY You can't write against a dictionary opened read-only",
  ) {
    super(message, "READONLY");
    this.name = "ReadOnlyError";
  }
}

/** Use of a dictionary after `close()`. */
export class ClosedError extends DictError {
  /**
   * Creates the error.
   * @param message description
   */
  constructor(message = "the dictionary is closed") {
    super(message, "CLOSED");
    this.name = "ClosedError";
  }
}

/** A C detail as a Redis-style message: prefixed with "ERR " unless it has it. */
function errText(detail: string, fallback: string): string {
  if (detail === "") return fallback;
  return detail.startsWith("ERR ") ? detail : `ERR ${detail}`;
}

/** The C detail if it is already in Redis's words ("ERR ..."), else `undefined`. */
function redisWords(detail: string): string | undefined {
  return detail.startsWith("ERR ") ? detail : undefined;
}

/**
 * Maps a negative C status to the matching error.
 *
 * @param status a status code `<= -2` returned by a `shmd_*` function
 * @param detail the C side's message (`shmd_last_error`), or `""`
 * @returns the error to throw
 */
export function statusError(status: number, detail: string): DictError {
  switch (status) {
    case SHMD_E_WRONGTYPE:
      return new WrongTypeError();
    case SHMD_E_NOTINT:
      return new NotIntegerError(redisWords(detail));
    case SHMD_E_NOTFLOAT:
      return new NotFloatError(redisWords(detail));
    case SHMD_E_OVERFLOW:
      return new OverflowError(redisWords(detail));
    case SHMD_E_INVAL:
      return new InvalidArgumentError(errText(detail, "ERR syntax error"));
    case SHMD_E_TOOBIG:
      return new InvalidArgumentError(
        errText(detail, "ERR key, value or command too large"),
        "TOOBIG",
      );
    case SHMD_E_FULL:
      return new DictFullError(detail || undefined);
    case SHMD_E_READONLY:
      return new ReadOnlyError(detail ? `READONLY ${detail}` : undefined);
    case SHMD_E_HANDLE:
      return new ClosedError();
    case SHMD_E_SEGMENT:
      return new SegmentError(detail || "not a usable shmdict segment");
    case SHMD_E_NOENT:
      return new SegmentError(detail || "no such dictionary", "NOENT");
    case SHMD_E_EXISTS:
      return new SegmentError(detail || "the dictionary already exists", "EXISTS");
    case SHMD_E_CORRUPT:
      return new SegmentError(
        detail || "the dictionary failed a consistency check",
        "CORRUPT",
      );
    case SHMD_E_SYS:
      return new SegmentError(detail || "operating-system error", "SYS");
    case SHMD_E_BUSY:
      return new SegmentError(
        detail || "too many dictionaries open in this process",
        "BUSY",
      );
    default:
      return new DictError(
        `unexpected status ${status} from the native library` +
          (detail ? `: ${detail}` : ""),
        "UNKNOWN",
      );
  }
}
