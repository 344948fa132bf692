/*
 * test_alloc.c — the allocator against a model: random allocations and frees
 * of mixed sizes, each block filled with its own byte pattern; afterwards every
 * live block still holds its pattern (no overlap), al_check finds the heap
 * consistent, and freeing everything returns the heap to where it started (no
 * leak). Also: a command that allocates and then fails leaves no trace.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "tcheck.h"

#define SLOTS 2000

static uint64_t rng = 0x12345678abcdefull;
static uint32_t rnd(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)rng;
}

static int alloc_check(struct dict *d) {
  uint64_t units = (uint64_t)d->hdr->al.top - d->hdr->heap_start;
  uint8_t *mark = calloc(units / 8 + 1, 1);
  /* mark every allocated block as reached: only structure is checked here */
  char rep[4096];
  uint32_t rlen = 0;
  for (uint32_t off = d->hdr->heap_start; off < d->hdr->al.top;) {
    uint32_t sz = *(uint32_t *)unit_ptr(d, off);
    if (!(sz & 0x80000000u)) {
      uint32_t bit = off - d->hdr->heap_start;
      mark[bit >> 3] |= (uint8_t)(1u << (bit & 7));
    }
    sz &= 0x7fffffffu;
    if (!sz) break;
    off += sz;
  }
  int problems = al_check(d, mark, rep, sizeof rep, &rlen);
  if (problems) printf("%.*s", (int)rlen, rep);
  free(mark);
  return problems;
}

int main(void) {
  char name[64];
  snprintf(name, sizeof name, "ctest-alloc-%d", (int)getpid());
  shmd_drop((const uint8_t *)name, (uint32_t)strlen(name));
  int h = shmd_open((const uint8_t *)name, (uint32_t)strlen(name), SHMD_O_CREATE, 0,
                    64.0 * 1024 * 1024);
  CHECK(h >= 0);
  struct dict *d = api_dict(h);
  uint32_t start_top = d->hdr->al.top;
  uint64_t start_live = d->hdr->al.live_units;

  TEST("random alloc/free against a model");
  static uint32_t off[SLOTS], len[SLOTS];
  int overlap = 0, fails = 0;
  for (int round = 0; round < 40; round++) {
    CHECK(w_begin(d) == SHMD_OK);
    for (int k = 0; k < 500; k++) {
      uint32_t i = rnd() % SLOTS;
      if (off[i]) {
        uint8_t *p = blk_data(d, off[i]);
        for (uint32_t b = 0; b < len[i]; b++)
          if (p[b] != (uint8_t)i) overlap++;
        al_free(d, off[i]);
        off[i] = 0;
      } else {
        uint32_t r = rnd();
        len[i] = (r & 3) == 0 ? 1 + r % 20000 : 1 + r % 600;
        if (al_alloc(d, len[i], &off[i]) != SHMD_OK) {
          fails++;
          off[i] = 0;
          continue;
        }
        if (al_capacity(d, off[i]) < len[i]) fails++;
        memset(blk_data(d, off[i]), (uint8_t)i, len[i]);
      }
    }
    CHECK(w_end(d, SHMD_OK) == SHMD_OK);
    if (round % 10 == 9) CHECK(alloc_check(d) == 0);
  }
  CHECK(fails == 0);
  CHECK(overlap == 0);
  for (uint32_t i = 0; i < SLOTS; i++)
    if (off[i]) {
      uint8_t *p = blk_data(d, off[i]);
      for (uint32_t b = 0; b < len[i]; b++)
        if (p[b] != (uint8_t)i) overlap++;
    }
  CHECK(overlap == 0);

  TEST("freeing everything returns the heap (no leak)");
  CHECK(w_begin(d) == SHMD_OK);
  for (uint32_t i = 0; i < SLOTS; i++)
    if (off[i]) {
      al_free(d, off[i]);
      off[i] = 0;
    }
  CHECK(w_end(d, SHMD_OK) == SHMD_OK);
  CHECK(alloc_check(d) == 0);
  CHECK(d->hdr->al.top == start_top);
  CHECK(d->hdr->al.live_units == start_live);
  CHECK(d->hdr->al.free_units == 0);

  TEST("freed memory is reused, by the next command");
  CHECK(w_begin(d) == SHMD_OK);
  uint32_t a, b, c;
  CHECK(al_alloc(d, 1000, &a) == SHMD_OK);
  CHECK(al_alloc(d, 100, &b) == SHMD_OK); /* keeps a away from the top */
  CHECK(w_end(d, SHMD_OK) == SHMD_OK);
  CHECK(w_begin(d) == SHMD_OK);
  al_free(d, a);
  CHECK(al_alloc(d, 500, &c) == SHMD_OK);
  CHECK(c != a); /* not within the command that freed it */
  al_free(d, c);
  CHECK(w_end(d, SHMD_OK) == SHMD_OK);
  CHECK(w_begin(d) == SHMD_OK);
  CHECK(al_alloc(d, 500, &c) == SHMD_OK);
  CHECK(c == a); /* carved from the freed block */
  al_free(d, c);
  al_free(d, b);
  CHECK(w_end(d, SHMD_OK) == SHMD_OK);
  CHECK(d->hdr->al.top == start_top);

  TEST("a failed command is rolled back");
  struct alloc_state before = d->hdr->al;
  CHECK(w_begin(d) == SHMD_OK);
  for (int k = 0; k < 50; k++) CHECK(al_alloc(d, 100 + k * 37, &a) == SHMD_OK);
  CHECK(w_end(d, SHMD_E_FULL) == SHMD_E_FULL);
  CHECK(memcmp(&before, &d->hdr->al, sizeof before) == 0);
  CHECK(alloc_check(d) == 0);

  TEST("the reserve bounds the heap: SHMD_E_FULL, never a signal");
  CHECK(w_begin(d) == SHMD_OK);
  int rc = SHMD_OK;
  int n = 0;
  while ((rc = al_alloc(d, 1 << 20, &a)) == SHMD_OK) n++;
  CHECK(rc == SHMD_E_FULL);
  CHECK(n > 50 && n < 64);
  CHECK(w_end(d, rc) == SHMD_E_FULL);
  CHECK(d->hdr->al.top == start_top);
  CHECK(alloc_check(d) == 0);

  shmd_close(h);
  shmd_drop((const uint8_t *)name, (uint32_t)strlen(name));
  return tdone("test_alloc");
}
