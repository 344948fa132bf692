/* texec.h — calling shmd_exec from C tests: X(h, op, flags, nums, args...) runs
 * one command and renders its reply as text ("i:3", "s:foo", "n", "o",
 * "d:1.5", "a[s:a,s:b]", or "E-4" for an error status). */
#ifndef TEXEC_H
#define TEXEC_H
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "shmdict.h"

static char tx_text[1 << 16];

static const uint8_t *tx_render(const uint8_t *p, char **o, char *end) {
  uint8_t tag = *p++;
  double v;
  uint32_t n;
  switch (tag) {
    case 'n': *o += snprintf(*o, (size_t)(end - *o), "n"); return p;
    case 'o': *o += snprintf(*o, (size_t)(end - *o), "o"); return p;
    case 'i': memcpy(&v, p, 8); *o += snprintf(*o, (size_t)(end - *o), "i:%.0f", v); return p + 8;
    case 'd': memcpy(&v, p, 8); *o += snprintf(*o, (size_t)(end - *o), "d:%.17g", v); return p + 8;
    case 's':
      memcpy(&n, p, 4);
      *o += snprintf(*o, (size_t)(end - *o), "s:%.*s", (int)n, (const char *)p + 4);
      return p + 4 + n;
    case 'a':
      memcpy(&n, p, 4);
      p += 4;
      *o += snprintf(*o, (size_t)(end - *o), "a[");
      for (uint32_t i = 0; i < n; i++) {
        if (i) *o += snprintf(*o, (size_t)(end - *o), ",");
        p = tx_render(p, o, end);
      }
      *o += snprintf(*o, (size_t)(end - *o), "]");
      return p;
    default: *o += snprintf(*o, (size_t)(end - *o), "?%c", tag); return p;
  }
}

/* nums: a count then that many doubles; args: a NULL-terminated list of strings. */
static const char *X(int h, uint32_t op, uint32_t flags, int nn, ...) {
  static uint8_t argv[1 << 16], out[1 << 16];
  double nums[16];
  va_list ap;
  va_start(ap, nn);
  for (int i = 0; i < nn; i++) nums[i] = va_arg(ap, double);
  uint32_t n = 0, at = 4;
  const char *s;
  while ((s = va_arg(ap, const char *)) != NULL) {
    uint32_t l = (uint32_t)strlen(s);
    memcpy(argv + at, &l, 4);
    memcpy(argv + at + 4, s, l);
    at += 4 + l;
    n++;
  }
  va_end(ap);
  memcpy(argv, &n, 4);
  int rc = shmd_exec(h, op, argv, at, nums, (uint32_t)nn, flags, out, sizeof out);
  if (rc < 0) {
    snprintf(tx_text, sizeof tx_text, "E%d", rc);
    return tx_text;
  }
  char *o = tx_text;
  tx_render(out, &o, tx_text + sizeof tx_text);
  return tx_text;
}
#define IS(expr, want) CHECK(strcmp((expr), (want)) == 0 || (printf("   got %s\n", tx_text), 0))
#endif
