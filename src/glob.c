/*
 * glob.c — Redis-style glob patterns for KEYS, SCAN MATCH and friends.
 *
 *   *        any run of bytes, also empty
 *   ?        exactly one byte
 *   [abc]    one byte of the set; [^abc] one byte not in it; [a-z] a range
 *            (reversed ranges are swapped; as in Redis, "x-]" is the range
 *            from x to ']', and an unclosed set runs to the end of the
 *            pattern); \ escapes inside and outside sets
 *
 * As in Redis, the empty string is matched only by the empty pattern (KEYS
 * and SCAN treat the pattern "*" as "everything" before matching, which is
 * how "*" reaches the empty key).
 *   \x       the byte x itself
 *
 * The matcher is iterative: on a mismatch it backtracks to the most recent
 * '*' and lets it swallow one more byte. Only the latest star needs to be
 * remembered (an earlier one could only re-try positions the latest covers),
 * so the time is O(len(pattern) * len(string)) and no recursion is used.
 */
#include <ctype.h>

#include "internal.h"

static int fold(int c, int nocase) { return nocase ? tolower(c) : c; }

/* Match one byte against the set starting after '[' at p[*pi]; advances *pi
 * past the closing ']' (or to the end of an unclosed set). */
static int set_match(const uint8_t *p, uint32_t plen, uint32_t *pi, uint8_t c, int nocase) {
  uint32_t i = *pi;
  int neg = 0, hit = 0;
  if (i < plen && p[i] == '^') {
    neg = 1;
    i++;
  }
  while (i < plen && p[i] != ']') {
    if (p[i] == '\\' && i + 1 < plen) {
      i++;
      if (fold(p[i], nocase) == fold(c, nocase)) hit = 1;
      i++;
    } else if (i + 2 < plen && p[i + 1] == '-') {
      int lo = fold(p[i], nocase), hi = fold(p[i + 2], nocase), x = fold(c, nocase);
      if (lo > hi) {
        int t = lo;
        lo = hi;
        hi = t;
      }
      if (x >= lo && x <= hi) hit = 1;
      i += 3;
    } else {
      if (fold(p[i], nocase) == fold(c, nocase)) hit = 1;
      i++;
    }
  }
  if (i < plen) i++; /* the ']' */
  *pi = i;
  return neg ? !hit : hit;
}

int glob_match(const uint8_t *p, uint32_t plen, const uint8_t *s, uint32_t slen, int nocase) {
  if (slen == 0) return plen == 0;
  uint32_t pi = 0, si = 0;
  uint32_t star_p = UINT32_MAX, star_s = 0;
  while (si < slen) {
    if (pi < plen) {
      uint8_t c = p[pi];
      if (c == '*') {
        while (pi < plen && p[pi] == '*') pi++;
        if (pi == plen) return 1;
        star_p = pi;
        star_s = si;
        continue;
      }
      if (c == '?') {
        pi++;
        si++;
        continue;
      }
      if (c == '[') {
        uint32_t q = pi + 1;
        if (set_match(p, plen, &q, s[si], nocase)) {
          pi = q;
          si++;
          continue;
        }
      } else {
        uint32_t adv = 1;
        if (c == '\\' && pi + 1 < plen) {
          c = p[pi + 1];
          adv = 2;
        }
        if (fold(c, nocase) == fold(s[si], nocase)) {
          pi += adv;
          si++;
          continue;
        }
      }
    }
    if (star_p == UINT32_MAX) return 0;
    pi = star_p;
    si = ++star_s;
  }
  while (pi < plen && p[pi] == '*') pi++;
  return pi == plen;
}
