/*
 * journal.c — the undo journal that makes every command all-or-nothing.
 *
 * Before a writer changes any byte of the segment that a committed state can
 * reach (index buckets, entries, allocator headers and free lists, header
 * fields), it appends a record holding the old bytes:
 *
 *   [u64 (offset << 16) | length] [old bytes, padded to 8] [u64 record size]
 *
 * then publishes the record by storing the new `jused` with release order,
 * and only then (a compiler barrier keeps the store in place) makes the change.
 * Bytes of a block allocated during the same command need no record: if the
 * command is undone, the allocator's own records free the block again.
 *
 * Commit is one atomic store, jused = 0. Rollback walks the records from the
 * newest to the oldest (the trailing size makes the walk backwards possible)
 * and copies the old bytes back, then stores jused = 0. Rolling back twice is
 * the same as rolling back once, so a process killed during recovery is
 * recovered again by the next one.
 *
 * Bound: a command's records must fit the journal area (reserve/256, between
 * 256 KiB and 64 MiB). Commands that loop over many keys check for room
 * (j_room) before each key, and every deferred free reserves the room its
 * records will take (jreserve), so a command too large fails with
 * SHMD_E_TOOBIG, undone, before it changes anything it could not undo. A
 * record that still does not fit would leave a change unrecorded: that cannot
 * happen within those bounds, so it marks the segment corrupt (fail closed).
 */
#include "internal.h"

#define J_REC_MAX 65535u

/* Crash points, for tests: when shmd_crash_countdown (a process-local global,
 * 0 = off) reaches zero at a journaled write, the process kills itself right
 * before making that change, or (during a rollback) before restoring a record.
 * test/c/test_crash.c walks every point of every command type this way. The cost when off is one predictable branch. */
long shmd_crash_countdown = 0;
static void crash_point(void) {
  if (__builtin_expect(shmd_crash_countdown > 0, 0) && --shmd_crash_countdown == 0)
    os_die();
}

static uint8_t *j_area(struct dict *d) { return d->base + SEG_HDR_BYTES; }

static void j_save_one(struct dict *d, uint8_t *p, uint32_t n) {
#if defined(SHMD_BENCH_NO_JOURNAL)
  /* benchmark builds only (zig build bench): measure what recording costs */
  (void)d, (void)p, (void)n;
  return;
#endif
  struct seg_hdr *h = d->hdr;
  uint64_t used = atomic_load_explicit(&h->jused, memory_order_relaxed);
  uint64_t body = ((uint64_t)n + 7) & ~7ull;
  uint64_t rec = 16 + body;
  uint64_t have = atomic_load_explicit(&h->jcommitted, memory_order_relaxed);
  if (have > d->jcap) have = d->jcap; /* never trust the segment past our own bound */
  if (used > have || rec > have - used) {
    d->jfull = 1;
    atomic_store(&h->corrupt, 1);
    shmd_err(SHMD_E_CORRUPT, "undo journal overflow: a change could not be recorded");
    return;
  }
  uint8_t *r = j_area(d) + used;
  uint64_t head = ((uint64_t)(p - d->base) << 16) | n;
  memcpy(r, &head, 8);
  memcpy(r + 8, p, n);
  memcpy(r + 8 + body, &rec, 8);
  atomic_store_explicit(&h->jused, used + rec, memory_order_release);
  atomic_signal_fence(memory_order_seq_cst);
  crash_point();
}

/* Record the n old bytes at p, which the caller is about to change. */
void j_save(struct dict *d, void *p, uint32_t n) {
  uint8_t *q = p;
  while (n > J_REC_MAX) {
    j_save_one(d, q, J_REC_MAX);
    q += J_REC_MAX;
    n -= J_REC_MAX;
  }
  if (n) j_save_one(d, q, n);
}

void j_set32(struct dict *d, uint32_t *p, uint32_t v) {
  j_save_one(d, (uint8_t *)p, 4);
  *p = v;
}

void j_set64(struct dict *d, uint64_t *p, uint64_t v) {
  j_save_one(d, (uint8_t *)p, 8);
  *p = v;
}

/* Is there journal room for `bytes` more (beyond what pending frees reserved)?
 * Commits more of the journal area when needed; called before a command
 * changes anything it could not undo, so "no" is a clean failure. */
int j_room(struct dict *d, uint64_t bytes) {
  struct seg_hdr *h = d->hdr;
  uint64_t used = atomic_load_explicit(&h->jused, memory_order_relaxed);
  d->jroom_code = SHMD_E_TOOBIG;
  if (d->jfull || used > d->jcap || d->jreserve + bytes > d->jcap - used) return 0;
  uint64_t need = used + d->jreserve + bytes;
  uint64_t have = atomic_load_explicit(&h->jcommitted, memory_order_relaxed);
  if (have > d->jcap) have = d->jcap;
  if (need <= have) return 1;
  uint64_t want = (need + (need >> 1) + 0xffff) & ~0xffffull;
  if (want > d->jcap) want = d->jcap;
  if (os_commit(d->fd, SEG_HDR_BYTES + have, SEG_HDR_BYTES + want) != SHMD_OK) {
    d->jroom_code = SHMD_E_FULL; /* shared memory is full, not the command too large */
    return 0;
  }
  atomic_store_explicit(&h->jcommitted, want, memory_order_release);
  return 1;
}

/* The error for a "no" from j_room: the command is too large for the journal,
 * or shared memory is full. */
int j_fail(struct dict *d, const char *what) {
  if (d->jroom_code == SHMD_E_FULL)
    return shmd_err(SHMD_E_FULL, "shared memory is full: no room for the undo journal of %s", what);
  return shmd_err(SHMD_E_TOOBIG, "%s is too large for one command: split it", what);
}

void j_commit(struct dict *d) {
  atomic_signal_fence(memory_order_seq_cst);
  atomic_store_explicit(&d->hdr->jused, 0, memory_order_release);
}

/* Undo every recorded change, newest first. A record that points outside the
 * committed segment means the journal itself is corrupt: stop and fail closed. */
void j_rollback(struct dict *d) { j_rollback_to(d, 0); }

/* Undo the changes recorded after `mark` (a savepoint within a transaction). */
void j_rollback_to(struct dict *d, uint64_t mark) {
  struct seg_hdr *h = d->hdr;
  uint64_t used = atomic_load_explicit(&h->jused, memory_order_acquire);
  uint64_t committed = seg_committed(d);
  if (used > atomic_load(&h->jcommitted) || used > d->jcap || mark > used) goto corrupt;
  while (used > mark) {
    uint64_t rec, head;
    if (used < 16) goto corrupt;
    memcpy(&rec, j_area(d) + used - 8, 8);
    if (rec < 16 || rec > used || (rec & 7)) goto corrupt;
    uint8_t *r = j_area(d) + used - rec;
    memcpy(&head, r, 8);
    uint64_t off = head >> 16;
    uint32_t n = (uint32_t)(head & 0xffff);
    if (16 + (((uint64_t)n + 7) & ~7ull) != rec || off < offsetof(struct seg_hdr, al) ||
        off + n > committed)
      goto corrupt;
    /* The journal area itself and the magic are never journaled. */
    if (off < (uint64_t)SEG_HDR_BYTES + d->jcap && off + n > SEG_HDR_BYTES) goto corrupt;
    crash_point();
    memcpy(d->base + off, r + 8, n);
    used -= rec;
  }
  atomic_signal_fence(memory_order_seq_cst);
  atomic_store_explicit(&h->jused, used, memory_order_release);
  d->jfull = 0;
  return;
corrupt:
  atomic_store(&h->corrupt, 1);
  shmd_err(SHMD_E_CORRUPT, "the undo journal is corrupt");
}
