/**
 * Encoding keys and values into reusable scratch buffers, and decoding
 * replies out of them, without allocating typed arrays on the hot path.
 *
 * Strings are UTF-8. Measured on Deno 2.9 and Bun 1.4 (see DESIGN.md, "Speed
 * notes"): a plain loop is the fastest way to write a short ASCII string (a
 * typical key); beyond ~32 characters a `node:buffer` view's `utf8Write` is
 * 2-10x faster than the loop. It returns a number, so in Bun it allocates
 * nothing (Deno implements it with `encodeInto`, whose small result object
 * costs a few nanoseconds of young-generation GC per call: still far less
 * than the loop's extra time for long strings). A loop is the
 * fastest way to read up to ~8 ASCII bytes, the view's `utf8Slice` up to
 * about a kilobyte (2-3x faster than `TextDecoder` in both runtimes, with no
 * `subarray` view per call), one shared `TextDecoder` beyond.
 *
 * The views come from `node:buffer`, which Deno and Bun both provide; where
 * it lacks these methods, {@link textView} returns `null` and the portable
 * paths (`TextEncoder`, `TextDecoder`) are used.
 *
 * Integers inside replies and argv frames are native-endian.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { SegmentError } from "./errors.ts";

const encoder = new TextEncoder();
/* ignoreBOM: a value that starts with U+FEFF keeps it (binary safety). */
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * `String.prototype.charCodeAt`, taken once and called as `charCodeAt.call(s, i)`.
 *
 * V8 inlines `s.charCodeAt(i)` only while `String.prototype` keeps fast
 * properties, and a subclass of `String` declared anywhere in the process
 * (ioredis has one, in its RESP decoder) can turn it into a dictionary for
 * good: from then on each `s.charCodeAt(i)` is a generic call, and encoding a
 * 12-byte key cost 240-290 ns instead of 25-30 under Deno once ioredis was
 * loaded. The builtin called through `.call` is inlined either way (a few ns
 * slower per key than the method in a clean process). JavaScriptCore is not
 * affected.
 */
const charCodeAt = String.prototype.charCodeAt;

/** True on little-endian hosts (all supported targets today). */
const LITTLE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The number of bytes `s.slice(from)` takes in UTF-8, counting a lone
 * surrogate as U+FFFD (3 bytes), as `TextEncoder` does.
 */
export function utf8Length(s: string, from = 0): number {
  let n = 0;
  const len = s.length;
  for (let i = from; i < len; i++) {
    const c = charCodeAt.call(s, i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = charCodeAt.call(s, i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    } else n += 3;
  }
  return n;
}

/** Strings up to this many UTF-16 units are written by the ASCII loop. */
const SHORT_WRITE = 32;

/**
 * Writes `s` as UTF-8 into `buf` starting at byte `at`.
 *
 * @param view `textView(buf)`, or `null`
 * @returns the offset just past the last byte written; or, when `buf` is too
 *   small, the negated total size `buf` needs (`at` + the encoded length), in
 *   which case the bytes from `at` on are unspecified.
 */
export function writeString(
  s: string,
  buf: Uint8Array,
  view: TextView | null,
  at: number,
): number {
  const n = s.length;
  if (n <= SHORT_WRITE) {
    if (at + n > buf.length) return -(at + utf8Length(s));
    let i = 0;
    for (; i < n; i++) {
      const c = charCodeAt.call(s, i);
      if (c >= 0x80) break;
      buf[at + i] = c;
    }
    if (i === n) return at + n;
    /* Not pure ASCII: make sure the rest fits, then let TextEncoder do it. */
    const pos = at + i;
    if (pos + utf8Length(s, i) > buf.length) return -(at + utf8Length(s));
    return pos + encoder.encodeInto(s.substring(i), buf.subarray(pos)).written;
  }
  const room = buf.length - at;
  if (n > room) return -(at + utf8Length(s));
  /* At most 3 bytes per UTF-16 unit: if that fits, one call does it all. */
  if (view !== null && 3 * n <= room) return at + view.utf8Write(s, at, room);
  const { read, written } = encoder.encodeInto(s, at === 0 ? buf : buf.subarray(at));
  return read === n ? at + written : -(at + utf8Length(s));
}

/** Encodes a string into a fresh, exactly sized buffer (large values only). */
export function encodeString(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Fast UTF-8 access to one buffer: a `node:buffer` view of its memory. */
export interface TextView {
  /** Decodes bytes `start` to `end` of the underlying buffer. */
  utf8Slice(start: number, end: number): string;
  /** Encodes `s` at `offset`, at most `length` bytes (whole characters
   * only); returns the bytes written. */
  utf8Write(s: string, offset: number, length: number): number;
}

/**
 * A {@link TextView} of `buf`, sharing its memory; `null` where `node:buffer`
 * has no `utf8Slice` (then {@link readString} uses `TextDecoder`). Make one per
 * buffer, not per call.
 */
export function textView(buf: Uint8Array): TextView | null {
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.length) as unknown as Partial<
    TextView
  >;
  return typeof view.utf8Slice === "function" && typeof view.utf8Write === "function"
    ? view as TextView
    : null;
}

/** Longest byte run decoded by the ASCII loop. */
const SHORT_READ = 8;
/** Longest byte run decoded through a {@link TextView}. */
const VIEW_READ = 1024;

/**
 * Decodes `n` bytes of UTF-8 from `buf` at `at` (invalid sequences become
 * U+FFFD; a leading byte-order mark is kept).
 *
 * @param view `textView(buf)`, or `null`
 */
export function readString(
  buf: Uint8Array,
  view: TextView | null,
  at: number,
  n: number,
): string {
  if (n <= SHORT_READ) {
    let s = "";
    const end = at + n;
    let i = at;
    for (; i < end; i++) {
      const c = buf[i];
      if (c >= 0x80) break;
      s += String.fromCharCode(c);
    }
    if (i === end) return s;
  }
  if (view !== null && n <= VIEW_READ) return view.utf8Slice(at, at + n);
  return decoder.decode(buf.subarray(at, at + n));
}

/** Reads a native-endian `uint32` at `at`. */
export function readU32(buf: Uint8Array, at: number): number {
  return LITTLE
    ? (buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16) |
      (buf[at + 3] << 24)) >>> 0
    : ((buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) |
      buf[at + 3]) >>> 0;
}

/** Reads a native-endian `int32` at `at`. */
export function readI32(buf: Uint8Array, at: number): number {
  return readU32(buf, at) | 0;
}

/** Writes a native-endian `uint32` at `at`. */
export function writeU32(buf: Uint8Array, at: number, v: number): void {
  if (LITTLE) {
    buf[at] = v;
    buf[at + 1] = v >>> 8;
    buf[at + 2] = v >>> 16;
    buf[at + 3] = v >>> 24;
  } else {
    buf[at] = v >>> 24;
    buf[at + 1] = v >>> 16;
    buf[at + 2] = v >>> 8;
    buf[at + 3] = v;
  }
}

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

/** Reads a native-endian IEEE double at `at` (any alignment). */
export function readF64(buf: Uint8Array, at: number): number {
  for (let i = 0; i < 8; i++) f64Bytes[i] = buf[at + i];
  return f64[0];
}

function malformed(): SegmentError {
  return new SegmentError("malformed list reply from the native library", "CORRUPT");
}

/**
 * Decodes a framed list reply: `[uint32 n]` then, per item, `[int32 len][bytes]`
 * with `len` -1 for nil.
 *
 * @param end offset just past the reply; a frame running past it is an error
 * @throws {SegmentError} (code `"CORRUPT"`) on a malformed frame; never
 *   reads past `end`
 */
export function readList(
  buf: Uint8Array,
  view: TextView | null,
  at: number,
  end: number,
): (string | null)[] {
  if (at + 4 > end) throw malformed();
  const count = readU32(buf, at);
  at += 4;
  /* Each item needs at least 4 bytes: bound count before allocating. */
  if (count > (end - at) / 4) {
    throw malformed();
  }
  const items: (string | null)[] = new Array(count);
  for (let i = 0; i < count; i++) {
    if (at + 4 > end) throw malformed();
    const len = readI32(buf, at);
    at += 4;
    if (len < 0) {
      items[i] = null;
      continue;
    }
    if (at + len > end) throw malformed();
    items[i] = readString(buf, view, at, len);
    at += len;
  }
  return items;
}

/** A decoded `shmd_exec` reply: nil, `"OK"`, a number, a string or an array. */
export type Reply = null | "OK" | number | string | Reply[];

/* Reply tags ('n', 'o', 'i', 'd', 's', 'a'). */
const TAG_NIL = 0x6e;
const TAG_OK = 0x6f;
const TAG_INT = 0x69;
const TAG_DOUBLE = 0x64;
const TAG_STRING = 0x73;
const TAG_ARRAY = 0x61;

/** Where {@link readValue} stopped (module-level, to return one value). */
let replyAt = 0;

function malformedReply(): SegmentError {
  return new SegmentError("malformed reply from the native library", "CORRUPT");
}

/** Decodes the value at `at`, leaving the offset just past it in `replyAt`. */
function readValue(
  buf: Uint8Array,
  view: TextView | null,
  at: number,
  end: number,
  depth: number,
): Reply {
  if (at >= end) throw malformedReply();
  const tag = buf[at++];
  switch (tag) {
    case TAG_NIL:
      replyAt = at;
      return null;
    case TAG_OK:
      replyAt = at;
      return "OK";
    case TAG_INT:
    case TAG_DOUBLE:
      if (at + 8 > end) throw malformedReply();
      replyAt = at + 8;
      return readF64(buf, at);
    case TAG_STRING: {
      if (at + 4 > end) throw malformedReply();
      const len = readU32(buf, at);
      at += 4;
      if (len > end - at) throw malformedReply();
      replyAt = at + len;
      return readString(buf, view, at, len);
    }
    case TAG_ARRAY: {
      if (at + 4 > end || depth > 8) throw malformedReply();
      const count = readU32(buf, at);
      at += 4;
      /* Each value takes at least one byte: bound count before allocating. */
      if (count > end - at) throw malformedReply();
      const items: Reply[] = new Array(count);
      for (let i = 0; i < count; i++) {
        items[i] = readValue(buf, view, at, end, depth + 1);
        at = replyAt;
      }
      replyAt = at;
      return items;
    }
    default:
      throw malformedReply();
  }
}

/**
 * Decodes a `shmd_exec` reply (see `src/shmdict.h`): `'n'` → `null`, `'o'` →
 * `"OK"`, `'i'` and `'d'` → numbers (±Infinity for infinite scores), `'s'` →
 * a UTF-8 decoded string, `'a'` → an array of values.
 *
 * @param view `textView(buf)`, or `null`
 * @param end offset just past the reply
 * @throws {SegmentError} (code `"CORRUPT"`) on a malformed reply; never reads
 *   past `end`
 */
export function readReply(
  buf: Uint8Array,
  view: TextView | null,
  at: number,
  end: number,
): Reply {
  const v = readValue(buf, view, at, end, 0);
  if (replyAt !== end) throw malformedReply();
  return v;
}
