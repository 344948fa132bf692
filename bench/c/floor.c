/*
 * floor.c — the C floor: get and set of 100,000 keys of 12 bytes with 100-byte
 * values, called directly (no FFI, no JavaScript), in the same random order as
 * bench/core.bench.ts, so the cost of the boundary and of the codecs is the
 * difference. Also the same calls on one hot key (the cost without cache
 * misses). Prints ns per operation; `zig build bench` builds and runs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "shmdict.h"

#define N 100000
#define ORDER 131072

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static char keys[N][16];
static uint32_t order[ORDER];

static double run(int h, int op, int hot, int rounds) {
  static uint8_t out[256];
  char v[100];
  memset(v, 'v', sizeof v);
  double best = 1e30;
  for (int r = 0; r < rounds; r++) {
    double t0 = now_ns();
    for (int i = 0; i < ORDER; i++) {
      const char *k = keys[hot ? 7 : order[i]];
      if (op == 0) {
        if (shmd_get(h, (const uint8_t *)k, 12, out, sizeof out) != 100) abort();
      } else {
        v[0] = (char)i;
        if (shmd_set(h, (const uint8_t *)k, 12, (const uint8_t *)v, 100, 0, 0, out, 0)) abort();
      }
    }
    double ns = (now_ns() - t0) / ORDER;
    if (ns < best) best = ns;
  }
  return best;
}

int main(void) {
  char name[64];
  snprintf(name, sizeof name, "bench-floor-%d", (int)getpid());
  int h = shmd_open((const uint8_t *)name, (uint32_t)strlen(name), SHMD_O_CREATE, 0,
                    512.0 * 1024 * 1024);
  if (h < 0) return 1;
  char v[100];
  memset(v, 'v', sizeof v);
  uint8_t o[8];
  for (int i = 0; i < N; i++) {
    snprintf(keys[i], sizeof keys[i], "key:%08d", i);
    shmd_set(h, (const uint8_t *)keys[i], 12, (const uint8_t *)v, 100, 0, 0, o, 0);
  }
  uint64_t s = 88172645463325252ull;
  for (int i = 0; i < ORDER; i++) {
    s ^= s << 13, s ^= s >> 7, s ^= s << 17;
    order[i] = (uint32_t)(s % N);
  }
#if defined(SHMD_BENCH_NO_JOURNAL)
  const char *variant = "WITHOUT the undo journal (unsafe; for comparison only)";
#else
  const char *variant = "with the undo journal";
#endif
  printf("C floor (no FFI, no JS) %s: 100,000 keys, 12-byte keys, 100-byte values; best of 5, ns/op\n", variant);
  printf("get random  %7.1f\n", run(h, 0, 0, 5));
  printf("get hot     %7.1f\n", run(h, 0, 1, 5));
  printf("set random  %7.1f\n", run(h, 1, 0, 5));
  printf("set hot     %7.1f\n", run(h, 1, 1, 5));
  shmd_close(h);
  shmd_drop((const uint8_t *)name, (uint32_t)strlen(name));
  return 0;
}
