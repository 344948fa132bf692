/*
 * tcheck.h — the smallest test harness: CHECK(cond) counts a passed or failed
 * assertion (printing the failing line), TEST(name) opens a named group, and
 * tdone() prints "N passed, N failed" (the project-wide closing line) and
 * returns the exit status.
 */
#ifndef TCHECK_H
#define TCHECK_H
#include <stdio.h>

static int t_pass, t_fail;
static const char *t_group = "";

#define TEST(name) (t_group = (name), printf("-- %s\n", t_group))
#define CHECK(cond)                                                                     \
  do {                                                                                  \
    if (cond) {                                                                         \
      t_pass++;                                                                         \
    } else {                                                                            \
      t_fail++;                                                                         \
      printf("FAIL %s: %s:%d: %s\n", t_group, __FILE__, __LINE__, #cond);               \
    }                                                                                   \
  } while (0)

static inline int tdone(const char *prog) {
  printf("%s: %d passed, %d failed\n", prog, t_pass, t_fail);
  printf("%d passed, %d failed\n", t_pass, t_fail);
  return t_fail ? 1 : 0;
}
#endif
