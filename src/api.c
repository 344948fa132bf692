/*
 * api.c — the library's front door: handles, error messages, argument checks,
 * the lock-free read protocol, and the segment-level commands (open, close,
 * drop, list, info, check, dbsize, flushall).
 *
 * Handles are small integers indexing a process-local table of open
 * dictionaries, so the FFI boundary never carries a pointer to C memory.
 *
 * Lock-free reads (read_op): a reader loads meta_seq and the stripe of its
 * key's hash (both even when no writer is inside), runs the read, then checks
 * with acquire ordering that neither changed. The read itself follows offsets
 * optimistically, so every offset and length it meets is bounds-checked and
 * every chain walk bounded; an inconsistency it meets is R_RETRY, a reason to
 * try again, not corruption. After 64 failed tries (a writer keeps hitting the
 * stripe, or died inside it) the reader takes the lock, which also repairs
 * after a dead writer, and reads under it; an inconsistency seen under the
 * lock is real corruption and marks the segment.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

static _Thread_local char g_msg[512];
static _Thread_local int g_msg_len;

int shmd_err(int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(g_msg, sizeof g_msg, fmt, ap);
  va_end(ap);
  g_msg_len = n < 0 ? 0 : (n >= (int)sizeof g_msg ? (int)sizeof g_msg - 1 : n);
  return code;
}

SHMD_API int32_t shmd_abi_version(void) { return SHMD_ABI_VERSION; }

SHMD_API int32_t shmd_last_error(uint8_t *out, uint32_t cap) {
  uint32_t n = (uint32_t)g_msg_len;
  if (out) memcpy(out, g_msg, n < cap ? n : cap);
  return (int32_t)n;
}

/* ---- handles ---- */

static struct dict *g_handles[SHMD_MAX_HANDLES];
static atomic_flag g_handles_lock = ATOMIC_FLAG_INIT;

static void handles_lock(void) {
  unsigned spins = 0;
  while (atomic_flag_test_and_set_explicit(&g_handles_lock, memory_order_acquire))
    os_pause(spins++);
}
static void handles_unlock(void) {
  atomic_flag_clear_explicit(&g_handles_lock, memory_order_release);
}

struct dict *api_dict(int32_t h) {
  if (h < 0 || h >= SHMD_MAX_HANDLES || !g_handles[h]) {
    shmd_err(SHMD_E_HANDLE, "bad or closed dictionary handle %d", (int)h);
    return NULL;
  }
  return g_handles[h];
}

/* ---- argument checks ---- */

int chk_bytes(const uint8_t *p, uint32_t n, uint32_t max, const char *what) {
  if (!p && n) return shmd_err(SHMD_E_INVAL, "%s: NULL pointer with length %u", what, n);
  if (n > max)
    return shmd_err(SHMD_E_TOOBIG, "%s of %u bytes is larger than the limit of %u bytes", what,
                    n, max);
  return SHMD_OK;
}

int chk_out(const uint8_t *out, uint32_t cap) {
  if (!out && cap) return shmd_err(SHMD_E_INVAL, "output buffer: NULL pointer with capacity");
  return SHMD_OK;
}

int chk_i64(double v, int64_t *out) {
  if (!isfinite(v) || v != floor(v) || v < -9223372036854775808.0 || v >= 9223372036854775808.0)
    return shmd_err(SHMD_E_NOTINT, "ERR value is not an integer or out of range");
  *out = (int64_t)v;
  return SHMD_OK;
}

/* Validate an argv buffer of n items. pairs 0: every item is a key (at most
 * SHMD_MAX_KEY bytes); 1: key, value, key, value...; 2: the first item is a
 * key and the rest are values (at most SHMD_MAX_VALUE bytes). */
int argv_check(const uint8_t *buf, uint32_t len, uint32_t *n_out, int pairs) {
  if (!buf || len < 4) return shmd_err(SHMD_E_INVAL, "argv buffer too short");
  uint32_t n;
  memcpy(&n, buf, 4);
  uint64_t at = 4;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t l;
    if (at + 4 > len) return shmd_err(SHMD_E_INVAL, "argv buffer truncated at item %u", i);
    memcpy(&l, buf + at, 4);
    uint32_t max = pairs == 0 || (pairs == 1 && (i & 1) == 0) || (pairs == 2 && i == 0)
                       ? SHMD_MAX_KEY
                       : SHMD_MAX_VALUE;
    if (l > max)
      return shmd_err(SHMD_E_TOOBIG, "argument %u of %u bytes is larger than the limit of %u", i,
                      l, max);
    at += 4 + (uint64_t)l;
    if (at > len) return shmd_err(SHMD_E_INVAL, "argv buffer truncated at item %u", i);
  }
  if (n == 0 || (pairs == 1 && (n & 1)))
    return shmd_err(SHMD_E_INVAL, "ERR wrong number of arguments");
  *n_out = n;
  return SHMD_OK;
}

/* Next item of a validated argv buffer; *at starts at 4. */
const uint8_t *argv_item(const uint8_t *buf, uint64_t *at, uint32_t *len) {
  memcpy(len, buf + *at, 4);
  const uint8_t *p = buf + *at + 4;
  *at += 4 + (uint64_t)*len;
  return p;
}

/* ---- lock-free reads ---- */

int read_op(struct dict *d, uint64_t h, read_fn fn, void *ctx) {
  struct seg_hdr *H = d->hdr;
  if (atomic_load_explicit(&H->corrupt, memory_order_relaxed))
    return shmd_err(SHMD_E_CORRUPT, "dictionary %s is marked corrupt", d->name);
  if (d->txn) {
    /* We hold the lock: read directly (our own odd stripes would spin). */
    int rc = fn(d, ctx);
    return rc == R_RETRY ? shmd_err(SHMD_E_CORRUPT, "dictionary %s failed a bounds check", d->name)
                         : rc;
  }
  _Atomic uint32_t *st = &H->stripes[h & STRIPE_MASK];
  for (unsigned t = 0; t < 64; t++) {
    uint32_t m = atomic_load_explicit(&H->meta_seq, memory_order_acquire);
    uint32_t s = atomic_load_explicit(st, memory_order_acquire);
    if (!((m | s) & 1)) {
      int rc = fn(d, ctx);
      atomic_thread_fence(memory_order_acquire);
      if (rc != R_RETRY && atomic_load_explicit(st, memory_order_relaxed) == s &&
          atomic_load_explicit(&H->meta_seq, memory_order_relaxed) == m)
        return rc;
    }
    os_pause(t);
  }
  int rc = x_lock(d);
  if (rc) return rc;
  rc = fn(d, ctx);
  x_unlock(d);
  if (rc == R_RETRY) {
    atomic_store(&H->corrupt, 1);
    rc = shmd_err(SHMD_E_CORRUPT, "dictionary %s failed a bounds check; marked corrupt", d->name);
  }
  return rc;
}

void count_hit(struct dict *d, int hit) {
  uint64_t *c = hit ? &d->hits : &d->misses;
  __atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

/* ---- segments ---- */

SHMD_API int32_t shmd_open(const uint8_t *name, uint32_t name_len, uint32_t flags,
                           uint32_t mode, double reserve) {
  if (!os_valid_name(name, name_len))
    return shmd_err(SHMD_E_INVAL,
                    "invalid dictionary name: use 1 to %u characters of A-Z a-z 0-9 . _ -, "
                    "not starting with '.'",
                    SHMD_MAX_NAME);
  if (flags & ~(SHMD_O_CREATE | SHMD_O_EXCL | SHMD_O_READONLY))
    return shmd_err(SHMD_E_INVAL, "unknown open flags 0x%x", flags);
  if (mode != 0 && mode != 0600)
    return shmd_err(SHMD_E_INVAL, "mode %o not supported: segments are private (0600)", mode);
  if (reserve == 0) reserve = SHMD_DEFAULT_RESERVE;
  if (!isfinite(reserve) || reserve < SHMD_MIN_RESERVE || reserve > SHMD_MAX_RESERVE)
    return shmd_err(SHMD_E_INVAL, "size must be between 1 MiB and 56 GiB");
  struct dict *d = calloc(1, sizeof *d);
  if (!d) return shmd_err(SHMD_E_SYS, "out of process memory");
  memcpy(d->name, name, name_len);
  d->name[name_len] = 0;
  d->fd = -1;
  d->oflags = flags;
  int rc = seg_open(d, d->name, flags, reserve);
  if (rc) {
    free(d);
    return rc;
  }
  handles_lock();
  int32_t h = -1;
  for (int32_t i = 0; i < SHMD_MAX_HANDLES; i++)
    if (!g_handles[i]) {
      g_handles[i] = d;
      h = i;
      break;
    }
  handles_unlock();
  if (h < 0) {
    seg_close(d);
    free(d);
    return shmd_err(SHMD_E_BUSY, "too many dictionaries open (%d)", SHMD_MAX_HANDLES);
  }
  return h;
}

SHMD_API int32_t shmd_close(int32_t h) {
  handles_lock();
  struct dict *d = (h >= 0 && h < SHMD_MAX_HANDLES) ? g_handles[h] : NULL;
  if (d) g_handles[h] = NULL;
  handles_unlock();
  if (!d) return shmd_err(SHMD_E_HANDLE, "bad or closed dictionary handle %d", (int)h);
  /* Threads blocked in shmd_wait on this handle (a blocking pop on another
   * thread) hold the mapping: make them leave before unmapping. The handle is
   * out of the table, so no new waiter can arrive; wake the futex until every
   * waiter has seen `closing` (one that was about to sleep is woken by the
   * next round). Other processes' waiters wake too, find nothing new and wait
   * again, as after any spurious wake-up. */
  atomic_store(&d->closing, 1);
  while (atomic_load(&d->waiting) != 0) {
    os_wake((uint32_t *)&d->hdr->push_seq);
    os_wait(&(uint32_t){0}, 0, 1.0); /* a 1 ms nap */
  }
  if (d->txn) txn_end(d, 0); /* closing inside a transaction abandons it */
  seg_close(d);
  free(d->pending);
  free(d);
  return SHMD_OK;
}

SHMD_API int32_t shmd_drop(const uint8_t *name, uint32_t name_len) {
  if (!os_valid_name(name, name_len)) return shmd_err(SHMD_E_INVAL, "invalid dictionary name");
  char n[SHMD_MAX_NAME + 1];
  memcpy(n, name, name_len);
  n[name_len] = 0;
  return os_unlink(n);
}

SHMD_API int32_t shmd_list(uint8_t *out, uint32_t cap) {
  int rc = chk_out(out, cap);
  return rc ? rc : os_list(out, cap);
}

SHMD_API int32_t shmd_txn_begin(int32_t h) {
  D_OR_RETURN(h);
  return txn_begin(d);
}

SHMD_API int32_t shmd_txn_end(int32_t h, uint32_t commit) {
  D_OR_RETURN(h);
  return txn_end(d, commit != 0);
}

SHMD_API int32_t shmd_push_seq(int32_t h) {
  D_OR_RETURN(h);
  return (int32_t)(atomic_load_explicit(&d->hdr->push_seq, memory_order_acquire) & 0x7fffffffu);
}

SHMD_API int32_t shmd_wait(int32_t h, int32_t seen, double timeout_ms) {
  if (isnan(timeout_ms)) return shmd_err(SHMD_E_INVAL, "timeout is not a number");
  /* Registered as a waiter under the handles lock, so shmd_close on another
   * thread cannot free the handle while this thread sleeps on its mapping. */
  handles_lock();
  struct dict *d = (h >= 0 && h < SHMD_MAX_HANDLES) ? g_handles[h] : NULL;
  if (d) atomic_fetch_add(&d->waiting, 1);
  handles_unlock();
  if (!d) return shmd_err(SHMD_E_HANDLE, "bad or closed dictionary handle %d", (int)h);
  struct seg_hdr *H = d->hdr;
  uint32_t *seq = (uint32_t *)&H->push_seq;
  double deadline = timeout_ms < 0 ? -1 : (double)os_now_ms() + timeout_ms;
  atomic_fetch_add(&H->push_waiters, 1);
  int rc = 0;
  for (;;) {
    uint32_t now_seq = atomic_load_explicit(&H->push_seq, memory_order_acquire);
    if ((int32_t)(now_seq & 0x7fffffffu) != seen) {
      rc = 1;
      break;
    }
    if (atomic_load(&d->closing)) {
      rc = shmd_err(SHMD_E_HANDLE, "dictionary handle %d was closed while waiting", (int)h);
      break;
    }
    double left = deadline < 0 ? -1 : deadline - (double)os_now_ms();
    if (deadline >= 0 && left <= 0) break;
    rc = os_wait(seq, now_seq, left);
    if (rc < 0) break;
  }
  atomic_fetch_sub(&H->push_waiters, 1);
  atomic_fetch_sub(&d->waiting, 1); /* last touch of d: shmd_close may free it now */
  return rc < 0 ? rc : rc > 0 ? 1 : 0;
}

SHMD_API int32_t shmd_dbsize(int32_t h) {
  struct dict *d = api_dict(h);
  if (!d) return SHMD_E_HANDLE;
  uint64_t n = __atomic_load_n(&d->hdr->ks.count, __ATOMIC_ACQUIRE);
  return n > INT32_MAX ? INT32_MAX : (int32_t)n;
}

SHMD_API int32_t shmd_flushall(int32_t h) {
  struct dict *d = api_dict(h);
  if (!d) return SHMD_E_HANDLE;
  int rc = w_begin(d);
  if (rc) return rc;
  return w_end(d, ks_flush(d));
}

SHMD_API int32_t shmd_info(int32_t h, uint8_t *out, uint32_t cap) {
  struct dict *d = api_dict(h);
  if (!d) return SHMD_E_HANDLE;
  int rc = chk_out(out, cap);
  if (rc) return rc;
  if (cap < SHMD_INFO_COUNT * 8) return SHMD_INFO_COUNT * 8;
  struct seg_hdr *H = d->hdr;
  double v[SHMD_INFO_COUNT];
  v[SHMD_INFO_KEYS] = (double)__atomic_load_n(&H->ks.count, __ATOMIC_RELAXED);
  v[SHMD_INFO_EXPIRES] = (double)__atomic_load_n(&H->ks.expires, __ATOMIC_RELAXED);
  v[SHMD_INFO_USED] = (double)(__atomic_load_n(&H->al.live_units, __ATOMIC_RELAXED) << UNIT_SHIFT);
  /* the heap: reserved is the size asked for, committed what of it is backed */
  uint64_t hs = (uint64_t)d->heap_start << UNIT_SHIFT;
  v[SHMD_INFO_COMMITTED] = (double)(seg_committed(d) - hs);
  v[SHMD_INFO_RESERVED] = (double)(d->map_len - hs);
  v[SHMD_INFO_HITS] = (double)d->hits;
  v[SHMD_INFO_MISSES] = (double)d->misses;
  v[SHMD_INFO_EXPIRED] = (double)__atomic_load_n(&H->ks.expired_total, __ATOMIC_RELAXED);
  v[SHMD_INFO_BUCKETS] = (double)(1ull << (__atomic_load_n(&H->ks.log2[0], __ATOMIC_RELAXED) & 31));
  v[SHMD_INFO_REHASHING] = __atomic_load_n(&H->ks.rehashidx, __ATOMIC_RELAXED) >= 0 ? 1 : 0;
  v[SHMD_INFO_RECOVERIES] = (double)atomic_load(&H->recoveries);
  uint64_t top = __atomic_load_n(&H->al.top, __ATOMIC_RELAXED);
  v[SHMD_INFO_HEAP] = (double)((top > d->heap_start ? top - d->heap_start : 0) << UNIT_SHIFT);
  v[SHMD_INFO_FREE] = (double)(__atomic_load_n(&H->al.free_units, __ATOMIC_RELAXED) << UNIT_SHIFT);
  memcpy(out, v, sizeof v);
  return SHMD_INFO_COUNT * 8;
}

#define REPORT_CAP 65536u

/* Append one line to a check report, never past its end. */
static void rep_add(char *rep, uint32_t *rlen, const char *fmt, ...) {
  if (*rlen >= REPORT_CAP - 1) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(rep + *rlen, REPORT_CAP - *rlen, fmt, ap);
  va_end(ap);
  if (n > 0) *rlen += (uint32_t)n < REPORT_CAP - *rlen ? (uint32_t)n : REPORT_CAP - 1 - *rlen;
}

SHMD_API int32_t shmd_check(int32_t h, uint8_t *out, uint32_t cap) {
  D_OR_RETURN(h);
  int rc = chk_out(out, cap);
  if (rc) return rc;
  struct seg_hdr *H = d->hdr;
  int locked = 0;
  if (!d->txn) {
    if (atomic_load(&H->corrupt)) {
      /* Report what is wrong even on a segment that fails closed. */
      rc = os_lock(d);
      if (rc < 0) return rc;
      if (rc == 1) os_lock_consistent(d);
    } else if ((rc = x_lock(d))) {
      return rc;
    }
    locked = 1;
  }
  char *rep = malloc(REPORT_CAP);
  uint32_t top = heap_top(d);
  uint8_t *mark = top ? calloc(((uint64_t)top - d->heap_start) / 8 + 1, 1) : NULL;
  uint32_t rlen = 0;
  if (!rep || (top && !mark)) {
    free(rep);
    free(mark);
    if (locked) os_unlock(d);
    return shmd_err(SHMD_E_SYS, "out of process memory for the check");
  }
  if (!top) {
    rep_add(rep, &rlen, "heap top %u outside the heap\n", H->al.top);
    atomic_store(&H->corrupt, 1);
  } else {
    ks_check(d, mark, top, rep, REPORT_CAP - 1, &rlen);
    al_check(d, mark, rep, REPORT_CAP - 1, &rlen);
  }
  if (!d->txn) {
    if (atomic_load(&H->jused) != 0) rep_add(rep, &rlen, "journal not empty\n");
    for (uint32_t i = 0; i < NSTRIPES; i++)
      if (atomic_load(&H->stripes[i]) & 1) {
        rep_add(rep, &rlen, "read stripe %u left odd\n", i);
        break;
      }
  }
  if (atomic_load(&H->corrupt)) rep_add(rep, &rlen, "segment is marked corrupt\n");
  if (locked) os_unlock(d);
  if (rlen <= cap) memcpy(out, rep, rlen);
  free(rep);
  free(mark);
  return (int32_t)rlen;
}
