/*
 * segment.c — create, attach and grow a segment.
 *
 * Creation: the creator makes the object with O_EXCL, sizes it to the full
 * reserve (a sparse object that costs nothing until committed), maps it,
 * commits the header and journal, builds an empty allocator and index, and
 * stores the magic number last with release ordering. An attacher that finds
 * the object before the magic appears waits (bounded) for the creator; one
 * that finds a wrong magic, version, byte order, lock ABI or size refuses the
 * segment with SHMD_E_SEGMENT.
 *
 * Growth: memory is committed (posix_fallocate) ahead of need, one bounded
 * step per write command (seg_commit_ahead, from ks_maintain), so no command
 * pays for committing much: posix_fallocate clears the pages it commits, and
 * one step of an eighth of a large segment once stalled a SET for tens of
 * milliseconds. The step is 256 KiB: measured on a 2-core VM, a 1 MiB step
 * took 230-350 µs on average and often over 0.5 ms, a 256 KiB step 50-65 µs.
 * The target keeps AHEAD_MIN (or 1/64 of the heap) committed beyond the heap
 * top, plus, once the key index is half full, the next (doubled) index table,
 * so the table's allocation at the doubling finds its memory committed. An
 * allocation larger than what is ahead still commits what it needs at once
 * (seg_commit). Never past the reserve.
 * `committed` only grows and is not journaled: extra committed memory after a
 * rollback is harmless.
 */
#include <stdio.h>
#include <time.h>

#include "internal.h"

#define COMMIT_STEP (256ull << 10) /* committed ahead by one write command, at most */
#define AHEAD_MIN (2ull << 20)    /* committed beyond the heap top, at least */
#define COMMIT_ALIGN (1ull << 16)

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

static void nap_ms(int ms) {
  struct timespec ts = {0, (long)ms * 1000000L};
  nanosleep(&ts, NULL);
}

int seg_commit(struct dict *d, uint64_t upto) {
  uint64_t have = seg_committed(d);
  if (upto <= have) return SHMD_OK;
  uint64_t reserve = d->map_len; /* validated at open; the header's copy may be scribbled */
  if (upto > reserve)
    return shmd_err(SHMD_E_FULL, "dictionary full: %llu bytes reserved, %llu needed",
                    (unsigned long long)reserve, (unsigned long long)upto);
  uint64_t want = align_up(upto, COMMIT_ALIGN);
  if (want > reserve) want = reserve;
  int rc = os_commit(d->fd, have, want);
  if (rc == SHMD_E_FULL && want > upto) {
    want = align_up(upto, 4096);
    if (want > reserve) want = reserve;
    rc = os_commit(d->fd, have, want);
  }
  if (rc != SHMD_OK) return rc;
  atomic_store_explicit(&d->hdr->committed, want, memory_order_release);
  return SHMD_OK;
}

void seg_commit_ahead(struct dict *d, uint64_t extra) {
  uint64_t top = (uint64_t)heap_top(d) << UNIT_SHIFT;
  if (!top) return;
  uint64_t ahead = top / 64 > AHEAD_MIN ? top / 64 : AHEAD_MIN;
  uint64_t target = top + ahead + extra, have = seg_committed(d);
  if (target > d->map_len) target = d->map_len;
  if (have >= target || have == d->ahead_failed) return;
  uint64_t want = align_up(have + COMMIT_STEP < target ? have + COMMIT_STEP : target, COMMIT_ALIGN);
  if (want > d->map_len) want = d->map_len;
  /* Best effort: when shared memory is full, the allocation that needs the
   * memory reports it. */
  if (os_commit(d->fd, have, want) == SHMD_OK)
    atomic_store_explicit(&d->hdr->committed, want, memory_order_release);
  else
    d->ahead_failed = have; /* do not try again until something else commits */
}

#define JOURNAL_FIRST (1ull << 20) /* journal bytes committed at creation */

/* Journal bytes reserved for a heap of `size` bytes. */
static uint64_t journal_for(uint64_t size) {
  uint64_t j = align_up(size / 4, COMMIT_ALIGN);
  if (j < (4ull << 20)) j = 4ull << 20;
  if (j > (4ull << 30)) j = 4ull << 30;
  return j;
}

static int seg_init(struct dict *d, uint64_t reserve) {
  struct seg_hdr *h = d->hdr;
  uint64_t jcap = d->jcap;
  uint64_t heap = align_up(SEG_HDR_BYTES + jcap, 4096);
  int rc = os_commit(d->fd, 0, SEG_HDR_BYTES + JOURNAL_FIRST);
  if (rc == SHMD_OK) rc = os_commit(d->fd, heap, heap + COMMIT_ALIGN);
  if (rc != SHMD_OK) return rc;
  atomic_store(&h->jcommitted, JOURNAL_FIRST);
  h->version = SEG_VERSION;
  h->endian = SEG_ENDIAN;
  h->lock_abi = os_lock_abi();
  h->hdr_bytes = SEG_HDR_BYTES;
  h->reserve = reserve;
  atomic_store(&h->committed, heap + COMMIT_ALIGN);
  h->journal_cap = jcap;
  h->heap_start = (uint32_t)(heap >> UNIT_SHIFT);
  h->seed = os_random64();
  h->al.top = h->heap_start;
  h->ks.rehashidx = -1;
  d->heap_start = h->heap_start;
  d->max_chain = (reserve >> UNIT_SHIFT) / 3 + 64;
  rc = os_lock_init(d);
  if (rc != SHMD_OK) return rc;
  rc = ks_init(d);
  if (rc != SHMD_OK) return rc;
  j_commit(d);
  atomic_store_explicit(&h->magic, SEG_MAGIC, memory_order_release);
  return SHMD_OK;
}

static int seg_validate(struct dict *d, uint64_t size) {
  struct seg_hdr *h = d->hdr;
  const char *n = d->name;
  if (h->endian != SEG_ENDIAN)
    return shmd_err(SHMD_E_SEGMENT, "segment %s was written on a machine of other byte order", n);
  if (h->version != SEG_VERSION)
    return shmd_err(SHMD_E_SEGMENT, "segment %s has format version %u; this library reads %u", n,
                    h->version, SEG_VERSION);
  if (h->lock_abi != os_lock_abi())
    return shmd_err(SHMD_E_SEGMENT,
                    "segment %s was created by a library with another lock ABI (%08x, here %08x:"
                    " glibc and musl builds cannot share a segment)",
                    n, h->lock_abi, os_lock_abi());
  uint64_t committed = seg_committed(d);
  if (h->hdr_bytes != SEG_HDR_BYTES || h->reserve != size || committed > size ||
      h->journal_cap < 4096 || (uint64_t)SEG_HDR_BYTES + h->journal_cap > size ||
      atomic_load(&h->jcommitted) > h->journal_cap ||
      ((uint64_t)h->heap_start << UNIT_SHIFT) < SEG_HDR_BYTES + h->journal_cap ||
      ((uint64_t)h->heap_start << UNIT_SHIFT) > committed ||
      h->al.top < h->heap_start || ((uint64_t)h->al.top << UNIT_SHIFT) > committed ||
      atomic_load(&h->jused) > atomic_load(&h->jcommitted))
    return shmd_err(SHMD_E_SEGMENT, "segment %s has an inconsistent header (size %llu)", n,
                    (unsigned long long)size);
  d->jcap = h->journal_cap;
  d->heap_start = h->heap_start;
  d->max_chain = (size >> UNIT_SHIFT) / 3 + 64;
  return SHMD_OK;
}

static int seg_attach(struct dict *d, intptr_t fd, uint64_t size) {
  if (size < SEG_HDR_BYTES || size > (64ull << 30))
    return shmd_err(SHMD_E_SEGMENT, "segment %s has an impossible size %llu", d->name,
                    (unsigned long long)size);
  int rc = os_map(fd, size, &d->base);
  if (rc != SHMD_OK) return rc;
  d->fd = fd;
  d->map_len = size;
  d->hdr = (struct seg_hdr *)d->base;
  uint64_t magic = 0;
  for (int i = 0; i < 2000; i++) {
    magic = atomic_load_explicit(&d->hdr->magic, memory_order_acquire);
    if (magic != 0) break;
    nap_ms(1);
  }
  if (magic != SEG_MAGIC)
    rc = shmd_err(SHMD_E_SEGMENT, magic ? "segment %s is not a shmdict segment (bad magic)"
                                        : "segment %s was never initialised (its creator died?)",
                  d->name);
  else
    rc = seg_validate(d, size);
  if (rc != SHMD_OK) {
    os_unmap(d->base, size);
    d->base = NULL;
    d->hdr = NULL;
  }
  return rc;
}

int seg_open(struct dict *d, const char *name, uint32_t flags, double size_d) {
  uint64_t size = align_up((uint64_t)size_d, COMMIT_ALIGN);
  d->jcap = journal_for(size);
  uint64_t reserve = align_up(SEG_HDR_BYTES + d->jcap, 4096) + size;
  for (int attempt = 0; attempt < 50; attempt++) {
    intptr_t fd = -1;
    int rc;
    if (flags & SHMD_O_CREATE) {
      rc = os_create(name, reserve, &fd);
      if (rc == SHMD_OK) {
        rc = os_map(fd, reserve, &d->base);
        if (rc == SHMD_OK) {
          d->fd = fd;
          d->map_len = reserve;
          d->hdr = (struct seg_hdr *)d->base;
          rc = seg_init(d, reserve);
          if (rc == SHMD_OK) return SHMD_OK;
          os_unmap(d->base, reserve);
          d->base = NULL;
          d->hdr = NULL;
        }
        os_close(fd);
        os_unlink(name);
        return rc;
      }
      if (rc != SHMD_E_EXISTS) return rc;
      if (flags & SHMD_O_EXCL)
        return shmd_err(SHMD_E_EXISTS, "dictionary %s already exists", name);
    }
    uint64_t size = 0;
    rc = os_attach(name, &fd, &size);
    if (rc == SHMD_E_NOENT) {
      if (flags & SHMD_O_CREATE) continue; /* dropped between our two calls */
      return shmd_err(SHMD_E_NOENT, "dictionary %s does not exist", name);
    }
    if (rc != SHMD_OK) return rc;
    /* A creator may not have sized the object yet. */
    for (int i = 0; i < 2000 && size < SEG_HDR_BYTES; i++) {
      nap_ms(1);
      os_close(fd);
      rc = os_attach(name, &fd, &size);
      if (rc != SHMD_OK) break;
    }
    if (rc == SHMD_E_NOENT && (flags & SHMD_O_CREATE)) continue;
    if (rc != SHMD_OK) return rc;
    rc = seg_attach(d, fd, size);
    if (rc != SHMD_OK) os_close(fd);
    return rc;
  }
  return shmd_err(SHMD_E_SYS, "dictionary %s keeps disappearing while being opened", name);
}

void seg_close(struct dict *d) {
  os_lock_close(d);
  if (d->base) os_unmap(d->base, d->map_len);
  if (d->fd >= 0) os_close(d->fd);
  d->base = NULL;
  d->hdr = NULL;
  d->fd = -1;
}
