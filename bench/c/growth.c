/*
 * growth.c — growth without stalls, in C (no FFI, no JavaScript, no garbage
 * collector): SET 0 → N keys (default 10,000,000; env GROWTH_KEYS) of 12 bytes
 * with 100-byte values into a fresh dictionary, timing every call. Prints the
 * latency percentiles, the maximum, how many calls took over 1 ms, and the
 * slowest calls with the key count at which they happened, so a stall at a
 * table doubling or a memory commit shows where it is. Each call is timed on
 * the wall clock and in thread CPU time: on a shared machine a call can wait
 * for a CPU (wall much larger than CPU), which is not a stall of the library. `zig build bench`
 * builds and runs it (the run without the journal is skipped: it measures
 * nothing new here).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "shmdict.h"

#define TOP 12

#if defined(SHMD_BENCH_NO_JOURNAL)
int main(void) { return 0; }
#else

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static uint64_t cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int main(void) {
  const char *env = getenv("GROWTH_KEYS");
  long n = env ? atol(env) : 10000000L;
  if (n < 1000 || n > 100000000L) n = 10000000L;
  char name[64];
  snprintf(name, sizeof name, "bench-growth-%d", (int)getpid());
  int h = shmd_open((const uint8_t *)name, (uint32_t)strlen(name), SHMD_O_CREATE, 0,
                    (double)n * 400.0 + 64.0 * 1024 * 1024);
  if (h < 0) {
    fprintf(stderr, "growth: open failed (%d)\n", h);
    return 1;
  }
  uint32_t *lat = malloc((size_t)n * sizeof *lat);
  uint32_t *cpu = malloc((size_t)n * sizeof *cpu);
  uint32_t top_ns[TOP] = {0}, top_cpu[TOP] = {0};
  long top_at[TOP] = {0};
  if (!lat || !cpu) return 1;
  char key[16], v[100];
  memset(v, 'v', sizeof v);
  uint8_t o[8];
  uint64_t t_all = now_ns();
  for (long i = 0; i < n; i++) {
    snprintf(key, sizeof key, "key:%08ld", i);
    v[0] = (char)i;
    uint64_t c0 = cpu_ns(), t0 = now_ns();
    int rc = shmd_set(h, (const uint8_t *)key, 12, (const uint8_t *)v, 100, 0, 0, o, 0);
    uint64_t dt = now_ns() - t0, dc = cpu_ns() - c0;
    if (rc) {
      fprintf(stderr, "growth: set %ld failed (%d)\n", i, rc);
      return 1;
    }
    uint32_t d32 = dt > UINT32_MAX ? UINT32_MAX : (uint32_t)dt;
    lat[i] = d32;
    cpu[i] = dc > UINT32_MAX ? UINT32_MAX : (uint32_t)dc;
    if (d32 > top_ns[TOP - 1]) { /* keep the slowest calls, sorted, with their position */
      int j = TOP - 1;
      while (j > 0 && top_ns[j - 1] < d32) {
        top_ns[j] = top_ns[j - 1];
        top_at[j] = top_at[j - 1];
        top_cpu[j] = top_cpu[j - 1];
        j--;
      }
      top_ns[j] = d32;
      top_at[j] = i;
      top_cpu[j] = cpu[i];
    }
  }
  double secs = (double)(now_ns() - t_all) / 1e9;
  long over = 0, over_cpu = 0;
  for (long i = 0; i < n; i++) over += lat[i] > 1000000u, over_cpu += cpu[i] > 1000000u;
  qsort(lat, (size_t)n, sizeof *lat, cmp_u32);
  qsort(cpu, (size_t)n, sizeof *cpu, cmp_u32);
  const double qs[] = {0.5, 0.9, 0.99, 0.999, 0.9999, 0.99999};
  printf("C growth (no FFI, no JS): SET 0 -> %ld keys, 12-byte keys, 100-byte values, %.1f s\n", n,
         secs);
  printf("latency of one SET   wall clock   thread CPU time (wall minus CPU = waiting for a CPU)\n");
  for (size_t q = 0; q < sizeof qs / sizeof qs[0]; q++) {
    long at = (long)(qs[q] * (double)(n - 1));
    printf("p%-8g %12.1f us %12.1f us\n", qs[q] * 100, lat[at] / 1000.0, cpu[at] / 1000.0);
  }
  printf("max       %12.1f us %12.1f us\n", lat[n - 1] / 1000.0, cpu[n - 1] / 1000.0);
  printf("calls over 1 ms: %ld (wall), %ld (CPU)\n", over, over_cpu);
  printf("slowest calls (wall us / CPU us @ keys already present):");
  for (int j = 0; j < TOP && top_ns[j]; j++)
    printf(" %.0f/%.0f@%ld", top_ns[j] / 1000.0, top_cpu[j] / 1000.0, top_at[j]);
  printf("\n");
  shmd_close(h);
  shmd_drop((const uint8_t *)name, (uint32_t)strlen(name));
  free(lat);
  free(cpu);
  return 0;
}
#endif
