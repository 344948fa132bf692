/*
 * alloc.c — the allocator inside the segment.
 *
 * The heap is a run of blocks measured in 16-byte units, from heap_start up to
 * `top`; above top lies the wilderness, committed on demand (segment.c). Every
 * block starts with an 8-byte header:
 *
 *   u32 size   size in units, header included; bit 31 set when the block is free
 *   u32 prev   size in units of the block physically before it (0 for the first)
 *
 * so both neighbours of a block are found in O(1) (boundary tags). The payload
 * of a block starts 8 bytes after its unit offset. A free block keeps two u32
 * links (next, prev) of a doubly linked free list in its payload, so the
 * smallest block is one unit.
 *
 * Free lists: 64 exact-size bins for blocks of 1..64 units (small blocks: a
 * request is served from its exact bin in O(1)), then one bin per power of two
 * for larger blocks (first fit within the bin, then the head of any larger
 * bin). A bitmap of non-empty bins finds the next candidate bin in O(1).
 *
 * Invariants (checked by al_check):
 *  - the blocks tile [heap_start, top) exactly; each `prev` matches;
 *  - no two free blocks are adjacent (free coalesces both ways), and the block
 *    below top is never free (it merges into the wilderness);
 *  - every free block is on exactly the list of its size's bin; bitmap bits
 *    mirror non-empty bins; live_units and free_units add up.
 *
 * Every change to a header, a link, a bin or a counter is recorded in the undo
 * journal first, so an allocation or free interrupted by a crash is undone
 * along with the command that made it.
 *
 * The caller fills a new block's payload without journaling. That is safe for
 * memory that was free before the command began (only its free-list links
 * matter, and al_alloc journals them), but not for memory this same command
 * freed: its old contents are live again if the command is undone. So frees
 * are deferred: al_free only queues the block, and al_flush_frees releases the
 * queue when the command has made its last allocation (w_end, before commit).
 * FLUSHALL, which resets the whole heap and then allocates, journals the new
 * table it writes over the old heap (keyspace.c). Every offset read from the segment is
 * checked against the heap bounds; a violation marks the segment corrupt.
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

#define FREE_BIT 0x80000000u
#define SIZE_MASK 0x7fffffffu
#define BIN_SCAN_MAX 64u

struct bh {
  uint32_t size;
  uint32_t prev;
};
struct links {
  uint32_t next;
  uint32_t prev;
};

static struct bh *bh(struct dict *d, uint32_t off) { return (struct bh *)unit_ptr(d, off); }
static struct links *lk(struct dict *d, uint32_t off) {
  return (struct links *)(unit_ptr(d, off) + 8);
}

static int corrupt(struct dict *d, const char *what, uint32_t off) {
  atomic_store(&d->hdr->corrupt, 1);
  return shmd_err(SHMD_E_CORRUPT, "allocator corrupt: %s at unit %u", what, off);
}

/* A block at off with a sane header lying inside [heap_start, top). */
static int blk_ok(struct dict *d, uint32_t off) {
  uint32_t top = heap_top(d);
  if (off < d->heap_start || off >= top) return 0;
  uint32_t sz = bh(d, off)->size & SIZE_MASK;
  return sz != 0 && (uint64_t)off + sz <= top;
}

static uint32_t bin_of(uint32_t units) {
  if (units <= SMALL_BINS) return units - 1;
  uint32_t lg = 31u - (uint32_t)__builtin_clz(units);
  return SMALL_BINS + lg - 6;
}

static void bit_set(struct dict *d, uint32_t b, int on) {
  uint64_t *w = &d->hdr->al.bitmap[b >> 6];
  uint64_t v = on ? (*w | (1ull << (b & 63))) : (*w & ~(1ull << (b & 63)));
  if (v != *w) j_set64(d, w, v);
}

static void push(struct dict *d, uint32_t off, uint32_t units) {
  struct alloc_state *a = &d->hdr->al;
  uint32_t b = bin_of(units);
  uint32_t head = a->bins[b];
  if (head && !blk_ok(d, head)) {
    corrupt(d, "bin head", head);
    return;
  }
  struct links *l = lk(d, off);
  j_save(d, l, sizeof *l);
  l->next = head;
  l->prev = 0;
  if (head) j_set32(d, &lk(d, head)->prev, off);
  j_set32(d, &a->bins[b], off);
  bit_set(d, b, 1);
  j_set64(d, &a->free_units, a->free_units + units);
}

static int unlink_free(struct dict *d, uint32_t off, uint32_t units) {
  struct alloc_state *a = &d->hdr->al;
  uint32_t b = bin_of(units);
  struct links *l = lk(d, off);
  uint32_t n = l->next, p = l->prev;
  if ((n && !blk_ok(d, n)) || (p && !blk_ok(d, p))) return corrupt(d, "free-list link", off);
  if (p) {
    if (lk(d, p)->next != off) return corrupt(d, "free-list back link", p);
    j_set32(d, &lk(d, p)->next, n);
  } else {
    if (a->bins[b] != off) return corrupt(d, "free-list head", off);
    j_set32(d, &a->bins[b], n);
    if (!n) bit_set(d, b, 0);
  }
  if (n) j_set32(d, &lk(d, n)->prev, p);
  j_set64(d, &a->free_units, a->free_units - units);
  return SHMD_OK;
}

/* Set the `prev` tag of the block after [off, off+units), or top_prev. */
static void set_next_prev(struct dict *d, uint32_t off, uint32_t units) {
  struct alloc_state *a = &d->hdr->al;
  uint32_t nx = off + units;
  if (nx < a->top)
    j_set32(d, &bh(d, nx)->prev, units);
  else
    j_set32(d, &a->top_prev, units);
}

/* Take `units` from the free block at off of size sz (already unlinked). */
static void carve(struct dict *d, uint32_t off, uint32_t sz, uint32_t units) {
  struct alloc_state *a = &d->hdr->al;
  struct bh *b = bh(d, off);
  if (sz - units >= 1) {
    uint32_t rest = off + units, rsz = sz - units;
    struct bh *r = bh(d, rest);
    j_save(d, r, sizeof *r);
    r->size = rsz | FREE_BIT;
    r->prev = units;
    set_next_prev(d, rest, rsz);
    push(d, rest, rsz);
    sz = units;
  }
  j_set32(d, &b->size, sz);
  j_set64(d, &a->live_units, a->live_units + sz);
}

static uint32_t find_free(struct dict *d, uint32_t units, int *err) {
  struct alloc_state *a = &d->hdr->al;
  uint32_t b = bin_of(units);
  /* Large bins hold mixed sizes: first fit among the first few. */
  if (b >= SMALL_BINS || a->bins[b]) {
    uint32_t off = a->bins[b];
    for (uint32_t i = 0; off && i < BIN_SCAN_MAX; i++) {
      if (!blk_ok(d, off)) {
        *err = corrupt(d, "bin entry", off);
        return 0;
      }
      if (!(bh(d, off)->size & FREE_BIT)) {
        *err = corrupt(d, "a listed block is not free", off);
        return 0;
      }
      if ((bh(d, off)->size & SIZE_MASK) >= units) return off;
      off = lk(d, off)->next;
    }
  }
  for (uint32_t w = (b + 1) >> 6; w < 2; w++) {
    uint64_t bits = a->bitmap[w];
    if (w == (b + 1) >> 6) bits &= ~0ull << ((b + 1) & 63);
    if (bits) {
      uint32_t nb = (w << 6) + (uint32_t)__builtin_ctzll(bits);
      if (nb >= NBINS || !blk_ok(d, a->bins[nb]) || !(bh(d, a->bins[nb])->size & FREE_BIT)) {
        *err = corrupt(d, "bin head", nb);
        return 0;
      }
      return a->bins[nb];
    }
  }
  return 0;
}

/* Allocate a block whose payload holds at least `bytes`. On success *off_out is
 * its unit offset; the payload is uninitialised and the caller may write it
 * without journaling (it is unreachable until the caller links it). */
int al_alloc(struct dict *d, uint64_t bytes, uint32_t *off_out) {
  struct alloc_state *a = &d->hdr->al;
  uint64_t u64 = (bytes + 8 + UNIT - 1) >> UNIT_SHIFT;
  if (u64 > SIZE_MASK)
    return shmd_err(SHMD_E_TOOBIG, "allocation of %llu bytes is too large",
                    (unsigned long long)bytes);
  uint32_t units = u64 ? (uint32_t)u64 : 1;
  int err = SHMD_OK;
  uint32_t off = find_free(d, units, &err);
  if (err) return err;
  if (off) {
    uint32_t sz = bh(d, off)->size & SIZE_MASK;
    int rc = unlink_free(d, off, sz);
    if (rc) return rc;
    /* The caller writes the payload unjournaled; the free-list links in its
     * first 8 bytes must come back if this command is undone. */
    j_save(d, lk(d, off), sizeof(struct links));
    carve(d, off, sz, units);
    *off_out = off;
    return SHMD_OK;
  }
  if (!heap_top(d)) return corrupt(d, "heap top outside the heap", a->top);
  /* the boundary tag below top must agree, or top moved under a live block */
  if (a->top == d->heap_start ? a->top_prev != 0
                              : (a->top_prev == 0 || a->top_prev > a->top - d->heap_start ||
                                 (bh(d, a->top - a->top_prev)->size & SIZE_MASK) != a->top_prev))
    return corrupt(d, "heap top does not follow the last block", a->top);
  uint64_t end = (uint64_t)a->top + units;
  if ((end << UNIT_SHIFT) > d->map_len || end > 0xffffffffull)
    return shmd_err(SHMD_E_FULL, "dictionary %s is full (%llu bytes reserved)", d->name,
                    (unsigned long long)d->map_len);
  int rc = seg_commit(d, end << UNIT_SHIFT);
  if (rc != SHMD_OK) return rc;
  off = a->top;
  struct bh *b = bh(d, off);
  j_save(d, b, sizeof *b);
  b->size = units;
  b->prev = a->top_prev;
  j_set32(d, &a->top, (uint32_t)end);
  j_set32(d, &a->top_prev, units);
  j_set64(d, &a->live_units, a->live_units + units);
  *off_out = off;
  return SHMD_OK;
}

/* Journal bytes one free_now can write (headers, links, bins, counters). */
#define FREE_JOURNAL 512u

/* Queue the block at off to be freed when the command ends, reserving the
 * journal room the free will need. */
void al_free(struct dict *d, uint32_t off) {
  if (!j_room(d, FREE_JOURNAL)) {
    d->jfull = 1; /* too large for the journal: the command fails, undone */
    return;
  }
  d->jreserve += FREE_JOURNAL;
  if (d->npending == d->pending_cap) {
    uint32_t cap = d->pending_cap ? d->pending_cap * 2 : 64;
    uint32_t *p = realloc(d->pending, cap * sizeof *p);
    if (!p) {
      d->jfull = 1; /* fail the command: nothing may be half freed */
      return;
    }
    d->pending = p;
    d->pending_cap = cap;
  }
  d->pending[d->npending++] = off;
}

/* Free the block at off now, coalescing with free neighbours and the
 * wilderness. */
static void free_now(struct dict *d, uint32_t off) {
  struct alloc_state *a = &d->hdr->al;
  if (!blk_ok(d, off) || (bh(d, off)->size & FREE_BIT)) {
    corrupt(d, "free of a bad block", off);
    return;
  }
  uint32_t sz = bh(d, off)->size & SIZE_MASK;
  j_set64(d, &a->live_units, a->live_units - sz);
  uint32_t nx = off + sz;
  if (nx < a->top) {
    if (!blk_ok(d, nx)) {
      corrupt(d, "next block", nx);
      return;
    }
    uint32_t nsz = bh(d, nx)->size;
    if (nsz & FREE_BIT) {
      nsz &= SIZE_MASK;
      if (unlink_free(d, nx, nsz)) return;
      sz += nsz;
    }
  }
  uint32_t prev = bh(d, off)->prev;
  if (prev) {
    uint32_t p = off - prev;
    if (prev > off || !blk_ok(d, p) || (bh(d, p)->size & SIZE_MASK) != prev) {
      corrupt(d, "previous block", off);
      return;
    }
    if (bh(d, p)->size & FREE_BIT) {
      if (unlink_free(d, p, prev)) return;
      off = p;
      sz += prev;
    }
  }
  if (off + sz >= a->top) {
    /* Merge into the wilderness. */
    j_set32(d, &a->top_prev, bh(d, off)->prev);
    j_set32(d, &a->top, off);
    return;
  }
  j_set32(d, &bh(d, off)->size, sz | FREE_BIT);
  set_next_prev(d, off, sz);
  push(d, off, sz);
}

/* Release the blocks queued by this command (called by w_end). */
void al_flush_frees(struct dict *d) {
  d->jreserve = 0;
  for (uint32_t i = 0; i < d->npending && !atomic_load(&d->hdr->corrupt); i++)
    free_now(d, d->pending[i]);
  d->npending = 0;
}

/* Forget every block (FLUSHALL); blocks queued for freeing are forgotten too. */
void al_reset(struct dict *d) {
  struct alloc_state *a = &d->hdr->al;
  j_save(d, a, sizeof *a);
  memset(a, 0, sizeof *a);
  a->top = d->heap_start;
  d->npending = 0;
  d->jreserve = 0;
}

uint64_t al_capacity(struct dict *d, uint32_t off) {
  return ((uint64_t)(bh(d, off)->size & SIZE_MASK) << UNIT_SHIFT) - 8;
}

#define REPORT(...)                                                                    \
  do {                                                                                 \
    problems++;                                                                        \
    int n_ = snprintf(line, sizeof line, __VA_ARGS__);                                 \
    if (n_ > 0) {                                                                      \
      for (int i_ = 0; i_ < n_ && *rlen < cap; i_++) rep[(*rlen)++] = line[i_];        \
      if (*rlen < cap) rep[(*rlen)++] = '\n';                                          \
    }                                                                                  \
  } while (0)

/* Walk the heap and the free lists; `mark` has one bit per heap unit, set by the
 * keyspace check for every block it reaches. Reports leaks (live, unreached),
 * dangling references (reached, free) and every broken invariant. */
int al_check(struct dict *d, uint8_t *mark, char *rep, uint32_t cap, uint32_t *rlen) {
  struct alloc_state *a = &d->hdr->al;
  uint32_t hs = d->heap_start;
  char line[160];
  int problems = 0;
  uint64_t live = 0, freeu = 0, nfree = 0, leaks = 0;
  uint32_t prev = 0;
  int prev_free = 0;
  if (((uint64_t)a->top << UNIT_SHIFT) > seg_committed(d))
    REPORT("heap top %u beyond committed memory", a->top);
  for (uint32_t off = hs; off < a->top;) {
    uint32_t sz = bh(d, off)->size & SIZE_MASK;
    int fr = (bh(d, off)->size & FREE_BIT) != 0;
    if (sz == 0 || (uint64_t)off + sz > a->top) {
      REPORT("block at unit %u has a bad size %u", off, sz);
      return problems;
    }
    if (bh(d, off)->prev != prev) REPORT("block at unit %u: prev tag %u, expected %u", off,
                                         bh(d, off)->prev, prev);
    uint32_t bit = off - hs;
    int reached = (mark[bit >> 3] >> (bit & 7)) & 1;
    if (fr) {
      if (prev_free) REPORT("adjacent free blocks at unit %u", off);
      if (reached) REPORT("block at unit %u is free but still referenced", off);
      freeu += sz;
      nfree++;
    } else {
      live += sz;
      if (!reached && leaks++ < 5) REPORT("block at unit %u (%u units) is leaked", off, sz);
    }
    prev_free = fr;
    prev = sz;
    off += sz;
  }
  if (leaks > 5) REPORT("... %llu leaked blocks in all", (unsigned long long)leaks);
  if (prev_free) REPORT("the block below the heap top is free");
  if (prev != a->top_prev) REPORT("top_prev %u, expected %u", a->top_prev, prev);
  if (live != a->live_units)
    REPORT("live units %llu, counted %llu", (unsigned long long)a->live_units,
           (unsigned long long)live);
  if (freeu != a->free_units)
    REPORT("free units %llu, counted %llu", (unsigned long long)a->free_units,
           (unsigned long long)freeu);
  uint64_t listed = 0;
  for (uint32_t b = 0; b < NBINS; b++) {
    int bit = (int)((a->bitmap[b >> 6] >> (b & 63)) & 1);
    if (bit != (a->bins[b] != 0)) REPORT("bitmap bit %u disagrees with its bin", b);
    uint32_t p = 0;
    for (uint32_t off = a->bins[b]; off; off = lk(d, off)->next) {
      if (!blk_ok(d, off) || !(bh(d, off)->size & FREE_BIT)) {
        REPORT("bin %u holds a block that is not free at unit %u", b, off);
        break;
      }
      if (bin_of(bh(d, off)->size & SIZE_MASK) != b) REPORT("block %u in the wrong bin %u", off, b);
      if (lk(d, off)->prev != p) REPORT("bad back link at unit %u", off);
      p = off;
      if (++listed > nfree) {
        REPORT("free lists hold more blocks than the heap (cycle?)");
        return problems;
      }
    }
  }
  if (listed != nfree)
    REPORT("%llu free blocks on lists, %llu in the heap", (unsigned long long)listed,
           (unsigned long long)nfree);
  return problems;
}
