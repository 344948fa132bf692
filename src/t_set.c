/*
 * t_set.c — the set commands that are more than one tree lookup: SPOP, SMOVE,
 * and the algebra (SINTER, SUNION, SDIFF, SINTERCARD and their *STORE forms).
 *
 * The algebra reads several keys, which one read stripe cannot validate, so it
 * runs under the lock (the op table marks it). Results are gathered as
 * references into the segment (stable while the lock is held), sorted and
 * de-duplicated in process memory; the *STORE forms copy them out before
 * replacing the destination, which may be one of the sources; a result of
 * at most 128 small members is stored packed, like any small set.
 */
#include <stdlib.h>

#include "internal.h"

#define ELEM_ROOM 8192u

static int wrong_args(void) { return shmd_err(SHMD_E_INVAL, "ERR wrong number of arguments"); }

/* ---- SPOP ---- */

static void emit_member(struct xctx *x, const struct elem *e, void *arg) {
  (void)arg;
  rw_str(&x->w, e->k, e->kl);
}

int x_spop(struct xctx *x) {
  struct dict *d = x->d;
  if (x->nargs != 1 || x->nnums > 1) return wrong_args();
  int64_t count = 1;
  int rc;
  if (x->nnums && (rc = num_int(x, 0, &count))) return rc;
  if (count < 0) return shmd_err(SHMD_E_INVAL, "ERR value is out of range, must be positive");
  struct cref c;
  if ((rc = c_open(x, x->key, x->klen, SHMD_T_SET, 0, &c))) return rc;
  uint64_t n = 0;
  struct cview v = c_view(x, &c);
  if (c.e && cv_len(&v, &n)) return ks_corrupt_entry(d);
  if (!x->nnums && !n) {
    rw_tag(&x->w, 'n');
    return SHMD_OK;
  }
  uint64_t k = (uint64_t)count < n ? (uint64_t)count : n;
  if (x->nnums) rw_arr(&x->w, (uint32_t)k);
  for (uint64_t i = 0; i < k; i++) {
    if (!j_room(d, ELEM_ROOM)) return j_fail(d, "this SPOP");
    if ((rc = cw_cut(x, &c, x_random() % (n - i), 1, 0, emit_member, NULL))) return rc;
  }
  return c_done(x, &c);
}

/* ---- SMOVE ---- */

int x_smove(struct xctx *x) {
  if (x->nargs != 3) return wrong_args();
  const struct arg *dst = &x->args[1], *m = &x->args[2];
  struct cref s, t;
  int rc;
  /* as Redis: a missing source answers 0; then both types, before any change */
  if ((rc = c_open(x, x->key, x->klen, SHMD_T_SET, 0, &s))) return rc;
  if (!s.e) {
    rw_int(&x->w, 0);
    return SHMD_OK;
  }
  struct cview tmp, sv = c_view(x, &s);
  struct xctx probe = *x;
  if ((rc = c_read(&probe, dst->p, dst->n, SHMD_T_SET, &tmp)) < 0) return rc;
  struct elem e;
  int found = cv_find(&sv, m->p, m->n, &e);
  if (found < 0) return ks_corrupt_entry(x->d);
  if (!found) {
    rw_int(&x->w, 0);
    return SHMD_OK;
  }
  if (dst->n == x->klen && memcmp(dst->p, x->key, x->klen) == 0) {
    rw_int(&x->w, 1);
    return SHMD_OK;
  }
  int removed, added;
  if ((rc = cw_del(x, &s, m->p, m->n, &removed))) return rc;
  if ((rc = c_done(x, &s))) return rc;
  if ((rc = c_open(x, dst->p, dst->n, SHMD_T_SET, 1, &t))) return rc;
  if ((rc = cw_put(x, &t, m->p, m->n, NULL, 0, 0, &added))) return rc;
  rw_int(&x->w, 1);
  return c_done(x, &t);
}

/* ---- the algebra ---- */

struct ref {
  const uint8_t *p;
  uint32_t n;
};

static int ref_cmp(const void *a, const void *b) {
  const struct ref *x = a, *y = b;
  uint32_t m = x->n < y->n ? x->n : y->n;
  int c = memcmp(x->p, y->p, m);
  return c ? c : (x->n < y->n ? -1 : x->n > y->n);
}

struct refs {
  struct ref *v;
  uint64_t n, cap;
};

static int refs_push(struct refs *r, const uint8_t *p, uint32_t n) {
  if (r->n == r->cap) {
    uint64_t cap = r->cap ? r->cap * 2 : 64;
    struct ref *v = realloc(r->v, cap * sizeof *v);
    if (!v) return shmd_err(SHMD_E_SYS, "out of process memory");
    r->v = v;
    r->cap = cap;
  }
  r->v[r->n].p = p;
  r->v[r->n++].n = n;
  return SHMD_OK;
}

/* Every key named in args[from..]: missing keys are empty. */
static int views_of(struct xctx *x, uint32_t from, struct cview *v) {
  for (uint32_t i = from; i < x->nargs; i++) {
    int rc = c_read(x, x->args[i].p, x->args[i].n, SHMD_T_SET, &v[i - from]);
    if (rc < 0) return rc == R_RETRY ? ks_corrupt_entry(x->d) : rc;
  }
  return SHMD_OK;
}

static uint64_t len_of(const struct cview *v) {
  uint64_t n;
  return cv_len(v, &n) ? 0 : n;
}

/* Compute op over the sets args[from..] into r (distinct members), stopping
 * at `limit` members when limit > 0. */
static int compute(struct xctx *x, uint32_t op, uint32_t from, uint64_t limit, struct refs *r) {
  struct dict *d = x->d;
  uint32_t nk = x->nargs - from;
  struct cview *v = calloc(nk ? nk : 1, sizeof *v);
  if (!v) return shmd_err(SHMD_E_SYS, "out of process memory");
  int rc = views_of(x, from, v);
  if (rc) goto out;
  uint32_t lead = 0; /* SINTER: walk the smallest set */
  if (op == SHMD_OP_SINTER)
    for (uint32_t i = 1; i < nk; i++)
      if (len_of(&v[i]) < len_of(&v[lead])) lead = i;
  for (uint32_t s = 0; s < nk; s++) {
    if (op != SHMD_OP_SUNION && s != lead) continue; /* SDIFF: lead is set 0 */
    struct citer it;
    struct elem e, o_e;
    if (cv_seek(&it, &v[s], 0)) goto bad;
    while (1) {
      int got = ci_next(&it, &e);
      if (got < 0) goto bad;
      if (!got) break;
      int keep = 1;
      /* SINTER: in every other set; SDIFF (walking set 0): in none of the others */
      for (uint32_t o = 0; keep && op != SHMD_OP_SUNION && o < nk; o++) {
        if (o == s) continue;
        int in = cv_find(&v[o], e.k, e.kl, &o_e);
        if (in < 0) goto bad;
        keep = op == SHMD_OP_SINTER ? in : !in;
      }
      if (keep && (rc = refs_push(r, e.k, e.kl))) goto out;
      if (limit && r->n >= limit && op != SHMD_OP_SUNION) goto out;
    }
    if (op == SHMD_OP_SDIFF) break;
  }
  if (op == SHMD_OP_SUNION && r->n > 1) {
    qsort(r->v, r->n, sizeof *r->v, ref_cmp);
    uint64_t w = 1;
    for (uint64_t i = 1; i < r->n; i++)
      if (ref_cmp(&r->v[i], &r->v[w - 1]) != 0) r->v[w++] = r->v[i];
    r->n = w;
  }
  goto out;
bad:
  rc = ks_corrupt_entry(d);
out:
  free(v);
  return rc;
}

int x_salgebra(struct xctx *x) {
  int rc = SHMD_OK;
  struct refs r = {0};
  uint64_t limit = 0;
  uint32_t op = x->op == SHMD_OP_SINTERCARD ? SHMD_OP_SINTER : x->op;
  if (x->op == SHMD_OP_SINTERCARD) {
    int64_t l = 0;
    if (x->nnums && (rc = num_int(x, 0, &l))) goto out;
    if (l < 0) {
      rc = shmd_err(SHMD_E_INVAL, "ERR LIMIT can't be negative");
      goto out;
    }
    limit = (uint64_t)l;
  }
  if ((rc = compute(x, op, 0, limit, &r))) goto out;
  if (x->op == SHMD_OP_SINTERCARD) {
    rw_int(&x->w, (double)(limit && r.n > limit ? limit : r.n));
  } else {
    rw_arr(&x->w, (uint32_t)r.n);
    for (uint64_t i = 0; i < r.n; i++) rw_str(&x->w, r.v[i].p, r.v[i].n);
  }
out:
  free(r.v);
  return rc;
}

int x_sstore(struct xctx *x) {
  struct dict *d = x->d;
  if (x->nargs < 2) return wrong_args();
  uint32_t op = x->op == SHMD_OP_SINTERSTORE   ? SHMD_OP_SINTER
                : x->op == SHMD_OP_SUNIONSTORE ? SHMD_OP_SUNION
                                               : SHMD_OP_SDIFF;
  struct refs r = {0};
  int rc = compute(x, op, 1, 0, &r);
  uint8_t *copy = NULL;
  if (rc) goto out;
  /* copy the members out: the destination may be one of the sources */
  uint64_t total = 0;
  for (uint64_t i = 0; i < r.n; i++) total += r.v[i].n;
  copy = malloc(total ? total : 1);
  if (!copy) {
    rc = shmd_err(SHMD_E_SYS, "out of process memory");
    goto out;
  }
  uint64_t at = 0;
  for (uint64_t i = 0; i < r.n; i++) {
    memcpy(copy + at, r.v[i].p, r.v[i].n);
    r.v[i].p = copy + at;
    at += r.v[i].n;
  }
  /* the destination is replaced whatever it held */
  const struct arg *dst = &x->args[0];
  uint64_t dh = ks_hash(d, dst->p, dst->n);
  uint32_t *link, off;
  if ((rc = ks_find_live(d, dst->p, dst->n, dh, &link, &off, x->now))) goto out;
  if (off) ks_delete(d, link, off);
  if (r.n) {
    struct cref c;
    if ((rc = c_open(x, dst->p, dst->n, SHMD_T_SET, 1, &c))) goto out;
    for (uint64_t i = 0; i < r.n; i++) {
      if (!j_room(d, ELEM_ROOM)) {
        rc = j_fail(d, "this result");
        goto out;
      }
      int added;
      if ((rc = cw_put(x, &c, r.v[i].p, r.v[i].n, NULL, 0, 0, &added))) goto out;
    }
    if ((rc = c_done(x, &c))) goto out;
  }
  rw_int(&x->w, (double)r.n);
out:
  free(copy);
  free(r.v);
  return rc;
}
