/*
 * t_list.c — lists: an implicit tree (tree.c) ordered by position only, so a
 * push or pop at either end, LINDEX, LSET and LINSERT at a known position are
 * O(log n), LRANGE is O(log n + k), and LTRIM cuts both ends in O(log n)
 * (the cut parts are freed lazily).
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

static int elem_eq(const struct tnode *t, const struct arg *a) {
  return LD(t->klen) == a->n && memcmp(tn_key(t), a->p, a->n) == 0;
}

/* Normalise a Redis index (negative from the end); -1 if outside. */
static int64_t norm_index(int64_t i, uint64_t n) {
  if (i < 0) i += (int64_t)n;
  return (i < 0 || (uint64_t)i >= n) ? -1 : i;
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
  int left = x->op == SHMD_OP_LPUSH;
  uint64_t n = c_count(d, c.roots[0]);
  for (uint32_t i = 1; i < x->nargs; i++) {
    if (!j_room(d, ELEM_ROOM)) return j_fail(d, "this push");
    uint32_t neu;
    if ((rc = tn_new(d, 0, x->args[i].p, x->args[i].n, NULL, 0, &neu))) return rc;
    if ((rc = tr_insert_at(d, &c.roots[0], left ? 0 : n, neu))) return rc;
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
  uint64_t n = c_count(d, c.roots[0]);
  uint64_t k = (uint64_t)count < n ? (uint64_t)count : n;
  int left = x->op == SHMD_OP_LPOP;
  uint32_t cut;
  if ((rc = tr_cut(d, &c.roots[0], left ? 0 : n - k, k, &cut))) return rc;
  if (x->nnums) rw_arr(&x->w, (uint32_t)k);
  for (uint64_t i = 0; i < k; i++) {
    uint32_t off;
    if ((rc = tr_select(d, cut, left ? i : k - 1 - i, &off)) || !off) return ks_corrupt_entry(d);
    struct tnode *t = (struct tnode *)blk_data(d, off);
    rw_str(&x->w, tn_key(t), t->klen);
  }
  tr_free_all(d, cut);
  return c_done(x, &c);
}

/* ---- LRANGE / LINDEX ---- */

int x_lrange(struct xctx *x) {
  uint32_t roots[2] = {0, 0};
  int rc = c_read(x, x->key, x->klen, SHMD_T_LIST, roots);
  if (rc < 0) return rc;
  uint64_t n = c_count(x->d, roots[0]);
  if (x->nargs != 1) return wrong_args();
  if (x->op == SHMD_OP_LINDEX) {
    int64_t i;
    if (x->nnums != 1) return wrong_args();
    if ((rc = num_int(x, 0, &i))) return rc;
    i = norm_index(i, n);
    uint32_t off = 0;
    if (i >= 0 && (rc = tr_select(x->d, roots[0], (uint64_t)i, &off))) return rc;
    const struct tnode *t = off ? tn_get(x->d, off) : NULL;
    if (off && !t) return R_RETRY;
    if (t)
      rw_str(&x->w, tn_key(t), LD(t->klen));
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
  struct titer it;
  if (take && (rc = it_seek(&it, x->d, roots[0], (uint64_t)start))) return rc;
  for (uint64_t i = 0; i < take; i++) {
    uint32_t off;
    if ((rc = it_next(&it, &off))) return rc;
    const struct tnode *t = off ? tn_get(x->d, off) : NULL;
    if (!t) return R_RETRY;
    rw_str(&x->w, tn_key(t), LD(t->klen));
  }
  return SHMD_OK;
}

/* ---- LSET / LINSERT ---- */

/* Replace the element at position i with a new node holding v. */
static int replace_at(struct dict *d, struct cref *c, uint64_t i, const struct arg *v) {
  uint32_t cut, neu;
  int rc = tr_cut(d, &c->roots[0], i, 1, &cut);
  if (rc) return rc;
  if (!cut) return ks_corrupt_entry(d);
  al_free(d, cut);
  if ((rc = tn_new(d, 0, v->p, v->n, NULL, 0, &neu))) return rc;
  return tr_insert_at(d, &c->roots[0], i, neu);
}

int x_lset(struct xctx *x) {
  if (x->nargs != 2 || x->nnums != 1) return wrong_args();
  int64_t i;
  int rc = num_int(x, 0, &i);
  if (rc) return rc;
  struct cref c;
  if ((rc = c_open(x, x->key, x->klen, SHMD_T_LIST, 0, &c))) return rc;
  if (!c.e) return shmd_err(SHMD_E_NOENT, "ERR no such key");
  i = norm_index(i, c_count(x->d, c.roots[0]));
  if (i < 0) return shmd_err(SHMD_E_INVAL, "ERR index out of range");
  if ((rc = replace_at(x->d, &c, (uint64_t)i, &x->args[1]))) return rc;
  rw_tag(&x->w, 'o');
  return c_done(x, &c);
}

/* Position of the first element equal to a (scanning from the head), or -1. */
static int64_t find_elem(struct dict *d, uint32_t root, const struct arg *a) {
  struct titer it;
  if (it_seek(&it, d, root, 0)) return -2;
  for (int64_t i = 0;; i++) {
    uint32_t off;
    if (it_next(&it, &off)) return -2;
    if (!off) return -1;
    if (elem_eq((struct tnode *)blk_data(d, off), a)) return i;
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
  int64_t at = find_elem(d, c.roots[0], &x->args[1]);
  if (at == -2) return ks_corrupt_entry(d);
  if (at < 0) {
    rw_int(&x->w, -1);
    return SHMD_OK;
  }
  uint32_t neu;
  if ((rc = tn_new(d, 0, x->args[2].p, x->args[2].n, NULL, 0, &neu))) return rc;
  uint64_t pos = (uint64_t)at + ((x->flags & SHMD_F_BEFORE) ? 0 : 1);
  if ((rc = tr_insert_at(d, &c.roots[0], pos, neu))) return rc;
  d->pushed = 1;
  rw_int(&x->w, (double)c_count(d, c.roots[0]));
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
  uint64_t n = c.e ? c_count(d, c.roots[0]) : 0;
  uint64_t limit = count == 0 ? UINT64_MAX : (uint64_t)(count < 0 ? -count : count);
  /* gather matching positions, ascending */
  uint64_t *pos = NULL, np = 0, cap = 0;
  struct titer it;
  if (n && it_seek(&it, d, c.roots[0], 0)) return ks_corrupt_entry(d);
  for (uint64_t i = 0; i < n; i++) {
    uint32_t off;
    if (it_next(&it, &off) || !off) {
      free(pos);
      return ks_corrupt_entry(d);
    }
    if (!elem_eq((struct tnode *)blk_data(d, off), &x->args[1])) continue;
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
    uint32_t cut;
    if ((rc = tr_cut(d, &c.roots[0], pos[j - 1], 1, &cut))) {
      free(pos);
      return rc;
    }
    if (cut) al_free(d, cut);
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
    int64_t len = (int64_t)c_count(d, c.roots[0]);
    if (start < 0) start += len;
    if (stop < 0) stop += len;
    if (start < 0) start = 0;
    uint32_t cut;
    if (start > stop || start >= len) {
      if ((rc = tr_cut(d, &c.roots[0], 0, (uint64_t)len, &cut))) return rc;
      tr_free_all(d, cut);
    } else {
      if (stop >= len) stop = len - 1;
      if ((rc = tr_cut(d, &c.roots[0], (uint64_t)stop + 1, (uint64_t)(len - stop - 1), &cut)))
        return rc;
      tr_free_all(d, cut);
      if ((rc = tr_cut(d, &c.roots[0], 0, (uint64_t)start, &cut))) return rc;
      tr_free_all(d, cut);
    }
  }
  if ((rc = c_done(x, &c))) return rc;
  rw_tag(&x->w, 'o');
  return SHMD_OK;
}

/* ---- LPOS ---- */

int x_lpos(struct xctx *x) {
  uint32_t roots[2] = {0, 0};
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
  if ((rc = c_read(x, x->key, x->klen, SHMD_T_LIST, roots)) < 0) return rc;
  int multi = count >= 0;
  uint64_t want = count <= 0 ? UINT64_MAX : (uint64_t)count;
  uint64_t n = c_count(x->d, roots[0]);
  uint64_t scan = maxlen == 0 || (uint64_t)maxlen > n ? n : (uint64_t)maxlen;
  uint64_t skip = (uint64_t)(rank < 0 ? -rank : rank) - 1;
  uint64_t found = 0;
  uint64_t arr = multi ? rw_arr(&x->w, 0) : 0;
  for (uint64_t j = 0; j < scan && found < want; j++) {
    uint64_t i = rank > 0 ? j : n - 1 - j;
    uint32_t off;
    if ((rc = tr_select(x->d, roots[0], i, &off))) return rc;
    const struct tnode *t = off ? tn_get(x->d, off) : NULL;
    if (!t) return R_RETRY;
    if (!elem_eq(t, &x->args[1])) continue;
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

int x_lmove(struct xctx *x) {
  struct dict *d = x->d;
  if (x->nargs != 2) return wrong_args();
  const struct arg *dst = &x->args[1];
  uint32_t tmp[2];
  struct xctx probe = *x;
  int rc;
  struct cref s, t;
  /* as Redis: the source (missing: nil; wrong type), then the destination's type */
  if ((rc = c_open(x, x->key, x->klen, SHMD_T_LIST, 0, &s))) return rc;
  if (!s.e) {
    rw_tag(&x->w, 'n');
    return SHMD_OK;
  }
  if ((rc = c_read(&probe, dst->p, dst->n, SHMD_T_LIST, tmp)) < 0) return rc;
  uint64_t n = c_count(d, s.roots[0]);
  uint32_t cut;
  if ((rc = tr_cut(d, &s.roots[0], (x->flags & SHMD_F_FROM_RIGHT) ? n - 1 : 0, 1, &cut))) return rc;
  if (!cut) return ks_corrupt_entry(d);
  struct tnode *node = (struct tnode *)blk_data(d, cut);
  rw_str(&x->w, tn_key(node), node->klen);
  int same = dst->n == x->klen && memcmp(dst->p, x->key, x->klen) == 0;
  if (!same && (rc = c_done(x, &s))) return rc;
  if (same) {
    t = s;
  } else if ((rc = c_open(x, dst->p, dst->n, SHMD_T_LIST, 1, &t))) {
    return rc;
  }
  uint64_t m = c_count(d, t.roots[0]);
  if ((rc = tr_insert_at(d, &t.roots[0], (x->flags & SHMD_F_TO_RIGHT) ? m : 0, cut))) return rc;
  d->pushed = 1;
  return c_done(x, &t);
}
