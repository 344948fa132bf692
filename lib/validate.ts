/**
 * Argument checks shared by `open`/`drop` and the `Dict` commands. Every
 * argument is checked here, in TypeScript, before C sees it (C checks again),
 * and a bad one raises the typed error the spec names.
 *
 * @module
 */

import { SHMD_MAX_NAME, SHMD_MAX_RESERVE, SHMD_MIN_RESERVE } from "../ffi/symbols.ts";
import { InvalidArgumentError, NotFloatError, NotIntegerError } from "./errors.ts";

/** Largest magnitude accepted for integer arguments (doubles are exact to here). */
const MAX_INT = 2 ** 53;

/** A short description of a value's JavaScript type, for error messages. */
export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") {
    const ctor = (v as { constructor?: { name?: unknown } }).constructor;
    return typeof ctor?.name === "string" && ctor.name !== "" ? `a ${ctor.name}` : "an object";
  }
  return `a ${typeof v}`;
}

/**
 * An options argument: `undefined` (no options) or a plain object.
 * @throws {InvalidArgumentError} for anything else
 */
export function optionsObject(
  opts: unknown,
  what: string,
): Record<string, unknown> | undefined {
  if (opts === undefined) return undefined;
  if (typeof opts !== "object" || opts === null || Array.isArray(opts)) {
    throw new InvalidArgumentError(
      `ERR ${what} options must be an object, not ${typeName(opts)}`,
    );
  }
  return opts as Record<string, unknown>;
}

/**
 * A boolean option: `undefined` is `false`.
 * @throws {InvalidArgumentError} for a non-boolean
 */
export function boolOption(v: unknown, name: string): boolean {
  if (v === undefined || v === false) return false;
  if (v === true) return true;
  throw new InvalidArgumentError(
    `ERR option '${name}' must be a boolean, not ${typeName(v)}`,
  );
}

/**
 * An integer argument, as Redis parses one: a number that is a finite
 * integer of magnitude at most 2^53.
 * @throws {InvalidArgumentError} for a non-number
 * @throws {NotIntegerError} for 1.5, NaN, ±Infinity or beyond ±2^53
 */
export function integer(v: unknown, name: string): number {
  if (typeof v !== "number") {
    throw new InvalidArgumentError(
      `ERR ${name} must be a number, not ${typeName(v)}`,
    );
  }
  if (!Number.isInteger(v) || v > MAX_INT || v < -MAX_INT) {
    throw new NotIntegerError();
  }
  return v;
}

/** Multipliers of the size units accepted by {@link parseSize}. */
const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/**
 * Parses a size in bytes: a non-negative integer, or a string such as
 * `"256MiB"`, `"1GiB"`, `"512KiB"` (powers of 1024) or `"64KB"`, `"10MB"`,
 * `"1GB"` (powers of 1000), or plain digits. Units are case-insensitive and
 * may follow a space; a fractional count is rounded down to whole bytes.
 *
 * @example
 * ```ts
 * import { parseSize } from "@shm/dict";
 * parseSize("256MiB"); // 268435456
 * parseSize("64KB");   // 64000
 * parseSize(4096);     // 4096
 * ```
 *
 * @throws {InvalidArgumentError} for an unreadable size or a wrong type
 * @throws {NotIntegerError} for a number that is not an integer
 */
export function parseSize(size: number | string): number {
  if (typeof size === "number") {
    const n = integer(size, "size");
    if (n < 0) throw new InvalidArgumentError("ERR size must not be negative");
    return n;
  }
  if (typeof size !== "string") {
    throw new InvalidArgumentError(
      `ERR size must be a number or a string, not ${typeName(size)}`,
    );
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(size);
  const unit = m === null ? undefined : UNITS[m[2].toLowerCase()];
  if (m === null || unit === undefined) {
    throw new InvalidArgumentError(
      `ERR invalid size "${size}": use bytes or a unit such as "256MiB", ` +
        `"1GiB", "512KiB" (powers of 1024) or "64KB", "1GB" (powers of 1000)`,
    );
  }
  const bytes = Math.floor(Number(m[1]) * unit);
  if (!Number.isSafeInteger(bytes)) {
    throw new InvalidArgumentError(`ERR size "${size}" is too large`);
  }
  return bytes;
}

/**
 * The segment reservation for `open`'s `size` option (0 = the C default).
 * @throws {InvalidArgumentError} outside 1 MiB .. 56 GiB
 */
export function reserveSize(size: unknown): number {
  if (size === undefined) return 0;
  const bytes = parseSize(size as number | string);
  if (bytes < SHMD_MIN_RESERVE || bytes > SHMD_MAX_RESERVE) {
    throw new InvalidArgumentError(
      `ERR size ${bytes} is out of range: a dictionary reserves ` +
        `between 1MiB and 56GiB`,
    );
  }
  return bytes;
}

const NAME = new RegExp(`^[A-Za-z0-9_-][A-Za-z0-9._-]{0,${SHMD_MAX_NAME - 1}}$`);

/**
 * A dictionary name: 1 to 200 characters of `A-Z a-z 0-9 . _ -`, not
 * starting with `.`.
 * @throws {InvalidArgumentError} otherwise
 */
export function checkName(name: unknown): string {
  if (typeof name !== "string") {
    throw new InvalidArgumentError(
      `ERR dictionary name must be a string, not ${typeName(name)}`,
    );
  }
  if (!NAME.test(name)) {
    throw new InvalidArgumentError(
      `ERR invalid dictionary name ${JSON.stringify(name.slice(0, 64))}: ` +
        `use 1 to ${SHMD_MAX_NAME} characters of A-Z a-z 0-9 . _ -, ` +
        `not starting with "."`,
    );
  }
  return name;
}

/** A decimal float as `strtod` reads one: `1`, `-2.5`, `.5`, `1e3`. */
const DEC_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** A hexadecimal float as `strtod` reads one: `0x1p3`, `-0x.8`, `0X1F`. */
const HEX_TEXT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
/** `strtod`'s spellings of infinity. */
const INF_TEXT = /^([+-]?)inf(?:inity)?$/i;
/** The characters C's `isspace` accepts, which `strtod` skips first. */
const LEADING_SPACE = /^[ \t\n\v\f\r]+/;

/**
 * The number `strtod` reads from the whole of `s` (no leading space), or NaN
 * when it would stop early or read NaN. Sets {@link floatRange} when the
 * text is finite but its value overflowed to ±Infinity or underflowed to 0
 * (strtod's ERANGE).
 */
function strtodFull(s: string): number {
  floatRange = false;
  if (DEC_TEXT.test(s)) {
    const x = Number(s);
    const digits = s.replace(/[eE].*$/, "");
    floatRange = !Number.isFinite(x) || (x === 0 && /[1-9]/.test(digits));
    return x;
  }
  const inf = INF_TEXT.exec(s);
  if (inf !== null) return inf[1] === "-" ? -Infinity : Infinity;
  const hex = HEX_TEXT.exec(s);
  if (hex === null || (hex[2] === "" && (hex[3] ?? "") === "")) return NaN;
  const frac = hex[3] ?? "";
  let x = 0;
  for (const c of hex[2] + frac) x = x * 16 + parseInt(c, 16);
  x *= 2 ** (Number(hex[4] ?? "0") - 4 * frac.length);
  floatRange = !Number.isFinite(x);
  return hex[1] === "-" ? -x : x;
}

/** Whether the last {@link strtodFull} hit strtod's ERANGE. */
let floatRange = false;

/**
 * A score or float increment (ZADD, ZINCRBY): a number (±Infinity allowed) or
 * a string as Redis reads one (`"1.5"`, `"-inf"`, `"+inf"`, `"0x1p3"`; no
 * spaces, no overflow).
 * @throws {InvalidArgumentError} for another type
 * @throws {NotFloatError} for NaN or unreadable text
 */
export function score(v: unknown, name: string): number {
  let x: number;
  if (typeof v === "number") x = v;
  else if (typeof v === "string") {
    x = strtodFull(v);
    if (floatRange) x = NaN;
  } else {
    throw new InvalidArgumentError(
      `ERR ${name} must be a number or a string, not ${typeName(v)}`,
    );
  }
  if (Number.isNaN(x)) throw new NotFloatError();
  return x;
}

/** Whether the last bound read by {@link scoreBound} was exclusive. */
export let boundExclusive = false;

/**
 * A score range bound (ZCOUNT, ZRANGEBYSCORE, ...): a number, `-Infinity` /
 * `Infinity`, or Redis's text: `"1.5"`, `"(1.5"` (exclusive), `"-inf"`,
 * `"+inf"`. Sets {@link boundExclusive}.
 * @throws {InvalidArgumentError} `"ERR min or max is not a float"` otherwise
 */
export function scoreBound(v: unknown): number {
  boundExclusive = false;
  let x = NaN;
  if (typeof v === "number") x = v;
  else if (typeof v === "string") {
    /* as Redis: strtod over the rest of the text, spaces first allowed,
     * and an empty number is 0 */
    let t = v;
    if (t.startsWith("(")) {
      boundExclusive = true;
      t = t.slice(1);
    }
    t = t.replace(LEADING_SPACE, "");
    x = t === "" ? 0 : strtodFull(t);
  } else if (v === undefined || v === null || typeof v === "object") {
    throw new InvalidArgumentError(
      `ERR min and max must be numbers or strings, not ${typeName(v)}`,
    );
  }
  if (Number.isNaN(x)) throw new InvalidArgumentError("ERR min or max is not a float");
  return x;
}

/**
 * A blocking command's timeout in seconds: a finite number >= 0 (0 waits
 * forever), fractions allowed.
 * @throws {InvalidArgumentError} with Redis's words otherwise
 */
export function timeoutSeconds(v: unknown): number {
  if (typeof v !== "number") {
    throw new InvalidArgumentError(
      `ERR timeout must be a number of seconds, not ${typeName(v)}`,
    );
  }
  if (!Number.isFinite(v)) {
    throw new InvalidArgumentError("ERR timeout is not a float or out of range");
  }
  if (v < 0) throw new InvalidArgumentError("ERR timeout is negative");
  return v;
}
