/* tutil.h — helpers shared by the C tests: a unique dictionary name, argv
 * framing, and running shmd_check. */
#ifndef TUTIL_H
#define TUTIL_H
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "shmdict.h"

static inline void tname(char *buf, size_t cap, const char *what) {
  snprintf(buf, cap, "ctest-%s-%d", what, (int)getpid());
}

static inline int topen(const char *name, double size) {
  shmd_drop((const uint8_t *)name, (uint32_t)strlen(name));
  return shmd_open((const uint8_t *)name, (uint32_t)strlen(name), SHMD_O_CREATE, 0, size);
}

/* One-key argv buffer. */
static inline uint32_t targv1(uint8_t *buf, const char *key, uint32_t klen) {
  uint32_t n = 1;
  memcpy(buf, &n, 4);
  memcpy(buf + 4, &klen, 4);
  memcpy(buf + 8, key, klen);
  return 8 + klen;
}

static inline int tset(int h, const char *k, const char *v) {
  uint8_t out[8];
  return shmd_set(h, (const uint8_t *)k, (uint32_t)strlen(k), (const uint8_t *)v,
                  (uint32_t)strlen(v), 0, 0, out, 0);
}

static inline int tdel(int h, const char *k) {
  uint8_t av[SHMD_MAX_KEY + 8];
  return shmd_del(h, av, targv1(av, k, (uint32_t)strlen(k)));
}

/* 1 when shmd_check reports nothing; prints the report otherwise. */
static inline int tconsistent(int h) {
  static char rep[65536];
  int n = shmd_check(h, (uint8_t *)rep, sizeof rep);
  if (n != 0) printf("check(%d): %.*s\n", n, n > 0 ? n : 0, rep);
  return n == 0;
}
#endif
