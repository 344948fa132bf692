/*
 * t_list.c — lists, through container.c. In a tree, an implicit treap
 * (tree.c) ordered by position only, so a push or pop at either end, LINDEX,
 * LSET and LINSERT at a known position are O(log n), LRANGE is O(log n + k),
 * and LTRIM cuts both ends in O(log n) (the cut parts are freed lazily).
 * Packed (pack.c, at most 128 elements of at most 64 bytes), every one of
 * them is a walk and a move of at most one block.
 *
 * Pushes set d->pushed; w_end bumps the dictionary's push sequence after the
 * commit and wakes, with a futex on the shared mapping, any process blocked
 * in a blocking pop (shmd_wait).
 */
#include <stdlib.h>

#include "internal.h"

#define LD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define ELEM_ROOM 8192u

static int wrong_args(void) { return shmd_err(SHMD_E_INVAL, "ERR wrong number of arguments"); }

static int elem_eq(const struct elem *e, const struct arg *a) {
  return e->kl == a->n && memcmp(e->k, a->p, a->n) == 0;
}

/* Normalise a Redis index (negative from the end); -1 if outside. */
static int64_t norm_index(int64_t i, uint64_t n) {
  if (i < 0) i += (int64_t)n;
  return (i < 0 || (uint64_t)i >= n) ? -1 : i;
}

static void emit_elem(struct xctx *x, const struct elem *e, void *arg) {
  (void)arg;
  rw_str(&x->w, e->k, e->kl);
}

static uint64_t len_of(struct xctx *x, const struct cref *c, int *bad) {
  struct cview v = c_view(x, c);
  uint64_t n = 0;
  if (c->e && cv_len(&v, &n)) *bad = 1;
  return n;
}

/* ---- LPUSH / RPUSH / LPUSHX / RPUSHX ---- */

int x_push(struct xctx *x) {
  struct dict *d = x->d;
  if (x->nargs < 2) return wrong_args();
  struct cref c;
  int rc = c_open(x, x->key, x->klen, SHMD_T_LIST, !(x->flags & SHMD_F_X), &c);
  if (rc) return rc;
  if (!c.e) {
    rw_int(&x->w, 0);
    return SHMD_OK;
  }
  int left = x->op == SHMD_OP_LPUSH, bad = 0;
  uint64_t n = len_of(x, &c, &bad);
  if (bad) return ks_corrupt_entry(d);
  for (uint32_t i = 1; i < x->nargs; i++) {
    if (!j_room(d, ELEM_ROOM)) return j_fail(d, "this push");
    if ((rc = cw_insert_at(x, &c, left ? 0 : n, x->args[i].p, x->args[i].n))) return rc;
    n++;
  }
  d->pushed = 1;
  rw_int(&x->w, (double)n);
  return c_done(x, &c);
}

/* ---- LPOP / RPOP ---- */

int x_pop(struct xctx *x) {
  struct dict *d = x->d;
  if (x->nargs != 1 || x->nnums > 1) return wrong_args();
  int64_t count = 1;
  int rc;
  if (x->nnums && (rc = num_int(x, 0, &count))) return rc;
  if (count < 0) return shmd_err(SHMD_E_INVAL, "ERR value is out of range, must be positive");
  struct cref c;
  if ((rc = c_open(x, x->key, x->klen, SHMD_T_LIST, 0, &c))) return rc;
  if (!c.e) {
    rw_tag(&x->w, 'n');
    return SHMD_OK;
  }
  int bad = 0;
  uint64_t n = len_of(x, &c, &bad);
  if (bad) return ks_corrupt_entry(d);
  uint64_t k = (uint64_t)count < n ? (uint64_t)count : n;
  int left = x->op == SHMD_OP_LPOP;
  if (x->nnums) rw_arr(&x->w, (uint32_t)k);
  if ((rc = cw_cut(x, &c, left ? 0 : n - k, k, !left, emit_elem, NULL))) return rc;
  return c_done(x, &c);
}

/* ---- LRANGE / LINDEX ---- */

int x_lrange(struct xctx *x) {
  struct cview v;
  int rc = c_read(x, x->key, x->klen, SHMD_T_LIST, &v);
  if (rc < 0) return rc;
  uint64_t n;
  if ((rc = cv_len(&v, &n))) return rc;
  if (x->nargs != 1) return wrong_args();
  struct elem e;
  if (x->op == SHMD_OP_LINDEX) {
    int64_t i;
    if (x->nnums != 1) return wrong_args();
    if ((rc = num_int(x, 0, &i))) return rc;
    i = norm_index(i, n);
    int found = i >= 0 ? cv_at(&v, (uint64_t)i, &e) : 0;
    if (found < 0) return found;
    if (found)
      rw_str(&x->w, e.k, e.kl);
    else
      rw_tag(&x->w, 'n');
    return SHMD_OK;
  }
  int64_t start, stop, len = (int64_t)n;
  if (x->nnums != 2) return wrong_args();
  if ((rc = num_int(x, 0, &start)) || (rc = num_int(x, 1, &stop))) return rc;
  if (start < 0) start += len;
  if (stop < 0) stop += len;
  if (start < 0) start = 0;
  if (stop >= len) stop = len - 1;
  uint64_t take = (start > stop || start >= len) ? 0 : (uint64_t)(stop - start + 1);
  rw_arr(&x->w, (uint32_t)take);
  struct citer it;
  if (take && (rc = cv_seek(&it, &v, (uint64_t)start))) return rc;
  for (uint64_t i = 0; i < take; i++) {
    if ((rc = ci_next(&it, &e)) != 1) return rc < 0 ? rc : R_RETRY;
    rw_str(&x->w, e.k, e.kl);
  }
  return SHMD_OK;
}

/* ---- LSET / LINSERT ---- */

int x_lset(struct xctx *x) {
  if (x->nargs != 2 || x->nnums != 1) return wrong_args();
  int64_t i;
  int rc = num_int(x, 0, &i);
  if (rc) return rc;
  struct cref c;
  if ((rc = c_open(x, x->key, x->klen, SHMD_T_LIST, 0, &c))) return rc;
  if (!c.e) return shmd_err(SHMD_E_NOENT, "ERR no such key");
  int bad = 0;
  uint64_t n = len_of(x, &c, &bad);
  if (bad) return ks_corrupt_entry(x->d);
  i = norm_index(i, n);
  if (i < 0) return shmd_err(SHMD_E_INVAL, "ERR index out of range");
  if ((rc = cw_cut(x, &c, (uint64_t)i, 1, 0, NULL, NULL)) ||
      (rc = cw_insert_at(x, &c, (uint64_t)i, x->args[1].p, x->args[1].n)))
    return rc;
  rw_tag(&x->w, 'o');
  return c_done(x, &c);
}

/* Position of the first element equal to a (scanning from the head), -1 if
 * none, -2 if the list is broken. */
static int64_t find_elem(struct xctx *x, const struct cref *c, const struct arg *a) {
  struct cview v = c_view(x, c);
  struct citer it;
  struct elem e;
  if (cv_seek(&it, &v, 0)) return -2;
  for (int64_t i = 0;; i++) {
    int got = ci_next(&it, &e);
    if (got < 0) return -2;
    if (!got) return -1;
    if (elem_eq(&e, a)) return i;
  }
}

int x_linsert(struct xctx *x) {
  struct dict *d = x->d;
  if (x->nargs != 3) return wrong_args();
  struct cref c;
  int rc = c_open(x, x->key, x->klen, SHMD_T_LIST, 0, &c);
  if (rc) return rc;
  if (!c.e) {
    rw_int(&x->w, 0);
    return SHMD_OK;
  }
  int64_t at = find_elem(x, &c, &x->args[1]);
  if (at == -2) return ks_corrupt_entry(d);
  if (at < 0) {
    rw_int(&x->w, -1);
    return SHMD_OK;
  }
  uint64_t pos = (uint64_t)at + ((x->flags & SHMD_F_BEFORE) ? 0 : 1);
  if ((rc = cw_insert_at(x, &c, pos, x->args[2].p, x->args[2].n))) return rc;
  d->pushed = 1;
  int bad = 0;
  uint64_t n = len_of(x, &c, &bad);
  if (bad) return ks_corrupt_entry(d);
  rw_int(&x->w, (double)n);
  return c_done(x, &c);
}

/* ---- LREM ---- */

int x_lrem(struct xctx *x) {
  struct dict *d = x->d;
  if (x->nargs != 2 || x->nnums != 1) return wrong_args();
  int64_t count;
  int rc = num_int(x, 0, &count);
  if (rc) return rc;
  struct cref c;
  if ((rc = c_open(x, x->key, x->klen, SHMD_T_LIST, 0, &c))) return rc;
  int bad = 0;
  uint64_t n = len_of(x, &c, &bad);
  if (bad) return ks_corrupt_entry(d);
  uint64_t limit = count == 0 ? UINT64_MAX : (uint64_t)(count < 0 ? -count : count);
  /* gather matching positions, ascending */
  uint64_t *pos = NULL, np = 0, cap = 0;
  struct cview v = c_view(x, &c);
  struct citer it;
  struct elem e;
  if (n && cv_seek(&it, &v, 0)) return ks_corrupt_entry(d);
  for (uint64_t i = 0; i < n; i++) {
    if (ci_next(&it, &e) != 1) {
      free(pos);
      return ks_corrupt_entry(d);
    }
    if (!elem_eq(&e, &x->args[1])) continue;
    if (np == cap) {
      cap = cap ? cap * 2 : 16;
      uint64_t *p2 = realloc(pos, cap * sizeof *pos);
      if (!p2) {
        free(pos);
        return shmd_err(SHMD_E_SYS, "out of process memory");
      }
      pos = p2;
    }
    pos[np++] = i;
    if (count > 0 && np == limit) break;
  }
  /* from the tail: keep the last `limit` matches */
  uint64_t first = (count < 0 && np > limit) ? np - limit : 0;
  uint64_t removed = 0;
  for (uint64_t j = np; j > first; j--) { /* highest position first: lower ones stay valid */
    if (!j_room(d, ELEM_ROOM)) {
      free(pos);
      return j_fail(d, "this LREM");
    }
    if ((rc = cw_cut(x, &c, pos[j - 1], 1, 0, NULL, NULL))) {
      free(pos);
      return rc;
    }
    removed++;
  }
  free(pos);
  if ((rc = c_done(x, &c))) return rc;
  rw_int(&x->w, (double)removed);
  return SHMD_OK;
}

/* ---- LTRIM ---- */

int x_ltrim(struct xctx *x) {
  struct dict *d = x->d;
  if (x->nargs != 1 || x->nnums != 2) return wrong_args();
  int64_t start, stop;
  int rc;
  if ((rc = num_int(x, 0, &start)) || (rc = num_int(x, 1, &stop))) return rc;
  struct cref c;
  if ((rc = c_open(x, x->key, x->klen, SHMD_T_LIST, 0, &c))) return rc;
  if (c.e) {
    int bad = 0;
    int64_t len = (int64_t)len_of(x, &c, &bad);
    if (bad) return ks_corrupt_entry(d);
    if (start < 0) start += len;
    if (stop < 0) stop += len;
    if (start < 0) start = 0;
    if (start > stop || start >= len) {
      if ((rc = cw_cut(x, &c, 0, (uint64_t)len, 0, NULL, NULL))) return rc;
    } else {
      if (stop >= len) stop = len - 1;
      if ((rc = cw_cut(x, &c, (uint64_t)stop + 1, (uint64_t)(len - stop - 1), 0, NULL, NULL)))
        return rc;
      if ((rc = cw_cut(x, &c, 0, (uint64_t)start, 0, NULL, NULL))) return rc;
    }
  }
  if ((rc = c_done(x, &c))) return rc;
  rw_tag(&x->w, 'o');
  return SHMD_OK;
}

/* ---- LPOS ---- */

int x_lpos(struct xctx *x) {
  struct cview v;
  int rc;
  if (x->nargs != 2 || x->nnums != 3) return wrong_args();
  int64_t rank, count, maxlen;
  if ((rc = num_int(x, 0, &rank)) || (rc = num_int(x, 1, &count)) ||
      (rc = num_int(x, 2, &maxlen)))
    return rc;
  if (rank == 0 || rank == INT64_MIN)
    return shmd_err(SHMD_E_INVAL,
                    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the "
                    "second ... or use negative to start from the end of the list");
  if (count < -1) return shmd_err(SHMD_E_INVAL, "ERR COUNT can't be negative");
  if (maxlen < 0) return shmd_err(SHMD_E_INVAL, "ERR MAXLEN can't be negative");
  /* as Redis: the arguments, then the key */
  if ((rc = c_read(x, x->key, x->klen, SHMD_T_LIST, &v)) < 0) return rc;
  int multi = count >= 0;
  uint64_t want = count <= 0 ? UINT64_MAX : (uint64_t)count;
  uint64_t n;
  if ((rc = cv_len(&v, &n))) return rc;
  uint64_t scan = maxlen == 0 || (uint64_t)maxlen > n ? n : (uint64_t)maxlen;
  uint64_t skip = (uint64_t)(rank < 0 ? -rank : rank) - 1;
  uint64_t found = 0;
  uint64_t arr = multi ? rw_arr(&x->w, 0) : 0;
  struct citer it;
  if (rank > 0 && (rc = cv_seek(&it, &v, 0))) return rc;
  for (uint64_t j = 0; j < scan && found < want; j++) {
    uint64_t i = rank > 0 ? j : n - 1 - j;
    struct elem e;
    if ((rc = rank > 0 ? ci_next(&it, &e) : cv_at(&v, i, &e)) != 1) return rc < 0 ? rc : R_RETRY;
    if (!elem_eq(&e, &x->args[1])) continue;
    if (skip) {
      skip--;
      continue;
    }
    rw_int(&x->w, (double)i);
    found++;
    if (!multi) return SHMD_OK;
  }
  if (multi)
    rw_arr_fix(&x->w, arr, (uint32_t)found);
  else
    rw_tag(&x->w, 'n');
  return SHMD_OK;
}

/* ---- LMOVE ---- */

/* The element LMOVE moves, copied out of the source (a packed source moves
 * its bytes when the element goes). */
struct grab {
  uint8_t *p;
  uint32_t n;
  int oom;
  uint8_t buf[2 * PACK_MAX_BYTES];
};

static void grab_elem(struct xctx *x, const struct elem *e, void *arg) {
  struct grab *g = arg;
  rw_str(&x->w, e->k, e->kl);
  g->n = e->kl;
  g->p = e->kl <= sizeof g->buf ? g->buf : malloc(e->kl);
  if (!g->p) {
    g->oom = 1;
    return;
  }
  memcpy(g->p, e->k, e->kl);
}

int x_lmove(struct xctx *x) {
  struct dict *d = x->d;
  if (x->nargs != 2) return wrong_args();
  const struct arg *dst = &x->args[1];
  struct cview tmp;
  struct xctx probe = *x;
  int rc;
  struct cref s, t;
  /* as Redis: the source (missing: nil; wrong type), then the destination's type */
  if ((rc = c_open(x, x->key, x->klen, SHMD_T_LIST, 0, &s))) return rc;
  if (!s.e) {
    rw_tag(&x->w, 'n');
    return SHMD_OK;
  }
  if ((rc = c_read(&probe, dst->p, dst->n, SHMD_T_LIST, &tmp)) < 0) return rc;
  int bad = 0;
  uint64_t n = len_of(x, &s, &bad);
  if (bad || !n) return ks_corrupt_entry(d);
  struct grab g = {NULL, 0, 0, {0}};
  rc = cw_cut(x, &s, (x->flags & SHMD_F_FROM_RIGHT) ? n - 1 : 0, 1, 0, grab_elem, &g);
  if (!rc && (g.oom || !g.p)) rc = shmd_err(SHMD_E_SYS, "out of process memory");
  int same = dst->n == x->klen && memcmp(dst->p, x->key, x->klen) == 0;
  if (!rc && !same) rc = c_done(x, &s);
  if (!rc) {
    if (same)
      t = s;
    else
      rc = c_open(x, dst->p, dst->n, SHMD_T_LIST, 1, &t);
  }
  if (!rc) {
    uint64_t m = len_of(x, &t, &bad);
    if (bad) rc = ks_corrupt_entry(d);
    if (!rc) rc = cw_insert_at(x, &t, (x->flags & SHMD_F_TO_RIGHT) ? m : 0, g.p, g.n);
  }
  if (g.p && g.p != g.buf) free(g.p);
  if (rc) return rc;
  d->pushed = 1;
  return c_done(x, &t);
}
