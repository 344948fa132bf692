/*
 * lock.c — the frame of every write command, and recovery after a writer died.
 *
 * w_begin takes the robust writer lock. If the previous owner died holding it
 * (the platform reports EOWNERDEAD), or if a journal is left non-empty, the
 * segment is recovered before anything else: the undo journal is rolled back
 * (journal.c), read-version stripes left odd by the dead writer are made even
 * again, and only then is the lock marked consistent. A process killed during
 * recovery leaves the lock inconsistent, so the next locker recovers again.
 *
 * Read-version stripes (seqlock counters) let readers run without the lock:
 * before a writer changes anything reachable from a key's bucket it makes the
 * key's stripe odd (w_stripe); w_end makes every touched stripe even again
 * after the change is complete. Changes to the index tables themselves (start
 * and end of a rehash, FLUSHALL) make the global meta_seq odd instead (w_meta).
 * A command that touches more stripes than it can remember falls back to
 * meta_seq.
 *
 * w_end commits (one store) or, when the command failed, rolls its own changes
 * back, so a failed command leaves no trace.
 *
 * Transactions (shmd_txn_begin/end) hold the lock across many commands: each
 * command's w_begin then only marks a savepoint, its w_end rolls back to that
 * savepoint on failure (Redis: a failed command does not abort the others),
 * and only txn_end commits all of them with one store — or rolls all of them
 * back. A process that dies inside a transaction loses the whole transaction.
 */
#include "internal.h"

static void stripes_even(struct dict *d) {
  struct seg_hdr *h = d->hdr;
  for (uint32_t i = 0; i < NSTRIPES; i++) {
    uint32_t v = atomic_load_explicit(&h->stripes[i], memory_order_relaxed);
    if (v & 1) atomic_store_explicit(&h->stripes[i], v + 1, memory_order_release);
  }
  uint32_t m = atomic_load_explicit(&h->meta_seq, memory_order_relaxed);
  if (m & 1) atomic_store_explicit(&h->meta_seq, m + 1, memory_order_release);
}

void recover(struct dict *d) {
  j_rollback(d);
  stripes_even(d);
  atomic_fetch_add(&d->hdr->recoveries, 1);
}

/* Take the lock (repairing after a dead owner). Used by writers and by readers
 * that fall back to the lock. */
/* The dictionary whose transaction this thread holds open, if any: locking the
 * same dictionary through another handle would wait for ourselves forever. */
static _Thread_local struct dict *g_txn;
static _Thread_local uint32_t g_txn_pid; /* a forked child inherits g_txn but not the lock */

int x_lock(struct dict *d) {
  struct seg_hdr *h = d->hdr;
  if (d->txn) return SHMD_OK; /* this handle already holds the lock */
  if (g_txn && g_txn_pid == os_pid() && strcmp(g_txn->name, d->name) == 0)
    return shmd_err(SHMD_E_INVAL,
                    "a transaction on another handle of dictionary %s holds its lock in this "
                    "thread: use that handle inside the transaction",
                    d->name);
  int r = os_lock(d);
  if (r < 0) return r;
  if (r == 1 || atomic_load_explicit(&h->jused, memory_order_acquire) != 0) {
    recover(d);
    if (r == 1) os_lock_consistent(d);
  }
  if (atomic_load(&h->corrupt)) {
    os_unlock(d);
    return shmd_err(SHMD_E_CORRUPT, "dictionary %s is marked corrupt", d->name);
  }
  return SHMD_OK;
}

void x_unlock(struct dict *d) {
  if (!d->txn) os_unlock(d);
}

/* Journal room every command must find before it starts: its maintenance and
 * one key's change; loops over many keys ask for more as they go. */
#define CMD_ROOM 65536u
#define TXN_CMD_ROOM CMD_ROOM

int w_begin(struct dict *d) {
  if (d->oflags & SHMD_O_READONLY)
    return shmd_err(SHMD_E_READONLY, "dictionary %s was opened read-only", d->name);
  if (d->txn) {
    if (!j_room(d, TXN_CMD_ROOM)) return j_fail(d, "this transaction");
    d->save_used = atomic_load_explicit(&d->hdr->jused, memory_order_relaxed);
    d->save_pending = d->npending;
    ks_grow_step(d); /* a transaction of many inserts must keep a table doubling moving */
    return SHMD_OK;
  }
  if (atomic_load_explicit(&d->hdr->corrupt, memory_order_relaxed))
    return shmd_err(SHMD_E_CORRUPT, "dictionary %s is marked corrupt", d->name);
  int rc = x_lock(d);
  if (rc != SHMD_OK) return rc;
  d->ntouched = 0;
  d->meta_odd = 0;
  d->jfull = 0;
  d->npending = 0;
  if (!j_room(d, CMD_ROOM)) {
    os_unlock(d);
    return j_fail(d, "a command");
  }
  ks_maintain(d);
  return SHMD_OK;
}

/* End of one command inside a transaction: undo just this command on failure. */
static int w_end_in_txn(struct dict *d, int rc) {
  if (d->jfull && rc >= SHMD_NIL) rc = j_fail(d, "this command");
  if (rc < SHMD_NIL) {
    j_rollback_to(d, d->save_used);
    d->npending = d->save_pending;
    d->jreserve = (uint64_t)d->npending * 512u;
  }
  return rc;
}

static void stripes_release(struct dict *d) {
  struct seg_hdr *h = d->hdr;
  /* Only lock holders write stripes, so a plain store (no atomic RMW) will do. */
  for (uint32_t i = 0; i < d->ntouched; i++) {
    _Atomic uint32_t *st = &h->stripes[d->touched[i]];
    atomic_store_explicit(st, atomic_load_explicit(st, memory_order_relaxed) + 1,
                          memory_order_release);
  }
  if (d->meta_odd)
    atomic_store_explicit(&h->meta_seq, atomic_load_explicit(&h->meta_seq, memory_order_relaxed) + 1,
                          memory_order_release);
  d->ntouched = 0;
  d->meta_odd = 0;
}

int w_end(struct dict *d, int rc) {
  struct seg_hdr *h = d->hdr;
  int undo = d->undo;
  d->undo = 0;
  if (undo) {
    /* undo the command, but report rc (a reply too large for the buffer) */
    int r = d->txn ? w_end_in_txn(d, SHMD_E_INVAL) : w_end(d, SHMD_E_INVAL);
    return r == SHMD_E_INVAL ? rc : r;
  }
  if (d->txn) return w_end_in_txn(d, rc);
  if (rc >= SHMD_NIL && !d->jfull) al_flush_frees(d);
  d->npending = 0;
  if (atomic_load(&h->corrupt) && rc >= SHMD_NIL)
    rc = shmd_err(SHMD_E_CORRUPT, "dictionary %s is marked corrupt", d->name);
  if (d->jfull && rc >= SHMD_NIL) rc = j_fail(d, "this command");
  if (rc < SHMD_NIL)
    j_rollback(d);
  else
    j_commit(d);
  stripes_release(d);
  d->jfull = 0;
  d->jreserve = 0;
  int pushed = d->pushed && rc >= SHMD_NIL;
  d->pushed = 0;
  os_unlock(d);
  if (pushed) {
    atomic_fetch_add_explicit(&h->push_seq, 1, memory_order_release);
    if (atomic_load_explicit(&h->push_waiters, memory_order_acquire))
      os_wake((uint32_t *)&h->push_seq);
  }
  return rc;
}

int txn_begin(struct dict *d) {
  if (d->txn) return shmd_err(SHMD_E_INVAL, "ERR MULTI calls can not be nested");
  int rc = w_begin(d);
  if (rc) return rc;
  d->txn = 1;
  g_txn = d;
  g_txn_pid = os_pid();
  return SHMD_OK;
}

int txn_end(struct dict *d, int commit) {
  if (!d->txn) return shmd_err(SHMD_E_INVAL, "ERR EXEC without MULTI");
  d->txn = 0;
  if (g_txn == d) g_txn = NULL;
  if (commit) return w_end(d, SHMD_OK);
  w_end(d, SHMD_E_INVAL); /* any failure status: undo everything */
  return SHMD_OK;
}

void w_meta(struct dict *d) {
  if (d->meta_odd) return;
  d->meta_odd = 1;
  atomic_fetch_add_explicit(&d->hdr->meta_seq, 1, memory_order_relaxed);
  atomic_thread_fence(memory_order_release);
}

void w_stripe(struct dict *d, uint32_t hash) {
  uint32_t s = hash & STRIPE_MASK;
  for (uint32_t i = 0; i < d->ntouched; i++)
    if (d->touched[i] == s) return;
  if (d->ntouched == sizeof d->touched / sizeof d->touched[0]) {
    w_meta(d);
    return;
  }
  d->touched[d->ntouched++] = s;
  _Atomic uint32_t *st = &d->hdr->stripes[s];
  atomic_store_explicit(st, atomic_load_explicit(st, memory_order_relaxed) + 1,
                        memory_order_relaxed);
  atomic_thread_fence(memory_order_release);
}
