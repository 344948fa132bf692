/*
 * t_zset.c — sorted sets.
 *
 * Elements are reached through container.c. In trees, two per key: the score
 * tree (root 0) orders members by (score, member) — scores compared as
 * doubles, ties broken by the member's bytes as Redis does — and counts
 * subtrees, so ZRANK, ZRANGE by rank and the bounds of a score or lex range
 * are O(log n); the member index (root 1) is a hash-ordered tree of members
 * holding each one's score, for ZSCORE and updates in O(log n) and for ZSCAN's
 * cursor. Packed (pack.c), one block in the same (score, member) order: every
 * rank, range and member lookup is a walk of at most 128 elements.
 *
 * Range bounds become rank intervals: "score >= min" is the rank of (min, ""),
 * "score > min" the rank of (nextafter(min, +inf), ""); lex bounds use the
 * score of the first member (Redis's lex commands assume equal scores).
 */
#include <math.h>
#include <stdlib.h>

#include "internal.h"

#define LD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define ELEM_ROOM 8192u

static int wrong_args(void) { return shmd_err(SHMD_E_INVAL, "ERR wrong number of arguments"); }

/* ---- ZADD / ZINCRBY ---- */

static int zadd_one(struct xctx *x, struct cref *c, double score, const struct arg *m, int *added,
                    int *changed, double *result, int *done) {
  uint32_t f = x->op == SHMD_OP_ZINCRBY ? SHMD_F_INCR : x->flags;
  struct cview v = c_view(x, c);
  struct elem e;
  int found = cv_find(&v, m->p, m->n, &e);
  if (found < 0) return ks_corrupt_entry(x->d);
  *done = 0;
  if (found) {
    double old = e.score;
    if (f & SHMD_F_NX) return SHMD_OK;
    double neu = (f & SHMD_F_INCR) ? old + score : score;
    if (isnan(neu)) return shmd_err(SHMD_E_NOTFLOAT, "ERR resulting score is not a number (NaN)");
    if (((f & SHMD_F_GT) && !(neu > old)) || ((f & SHMD_F_LT) && !(neu < old))) return SHMD_OK;
    *done = 1;
    *result = neu;
    if (neu == old) return SHMD_OK;
    int rc = cw_zput(x, c, m->p, m->n, neu, 1, old);
    if (rc) return rc;
    (*changed)++;
    return SHMD_OK;
  }
  if (f & SHMD_F_XX) return SHMD_OK;
  if (score == 0) score = 0;
  int rc = cw_zput(x, c, m->p, m->n, score, 0, 0);
  if (rc) return rc;
  (*added)++;
  *done = 1;
  *result = score;
  return SHMD_OK;
}
int x_zadd(struct xctx *x) {
  struct dict *d = x->d;
  uint32_t f = x->flags;
  int incr = x->op == SHMD_OP_ZINCRBY || (f & SHMD_F_INCR);
  if (x->nargs < 2 || x->nnums != x->nargs - 1) return wrong_args();
  if (x->op == SHMD_OP_ZADD) {
    if ((f & SHMD_F_NX) && (f & SHMD_F_XX))
      return shmd_err(SHMD_E_INVAL, "ERR XX and NX options at the same time are not compatible");
    if (((f & SHMD_F_GT) && (f & SHMD_F_LT)) || ((f & (SHMD_F_GT | SHMD_F_LT)) && (f & SHMD_F_NX)))
      return shmd_err(SHMD_E_INVAL,
                      "ERR GT, LT, and/or NX options at the same time are not compatible");
    if (incr && x->nargs != 2)
      return shmd_err(SHMD_E_INVAL, "ERR INCR option supports a single increment-element pair");
  } else if (x->nargs != 2) {
    return wrong_args();
  }
  struct cref c;
  int rc;
  /* XX on a missing key creates nothing */
  if ((rc = c_open(x, x->key, x->klen, SHMD_T_ZSET, !(f & SHMD_F_XX) || x->op == SHMD_OP_ZINCRBY,
                   &c)))
    return rc;
  int added = 0, changed = 0, done = 0;
  double result = 0;
  for (uint32_t i = 1; c.e && i < x->nargs; i++) {
    if (!j_room(d, ELEM_ROOM)) return j_fail(d, "this ZADD");
    if ((rc = zadd_one(x, &c, x->nums[i - 1], &x->args[i], &added, &changed, &result, &done)))
      return rc;
  }
  if ((rc = c_done(x, &c))) return rc;
  if (incr) {
    if (done)
      rw_dbl(&x->w, result);
    else
      rw_tag(&x->w, 'n');
  } else {
    rw_int(&x->w, added + ((f & SHMD_F_CH) ? changed : 0));
  }
  return SHMD_OK;
}

/* ---- ZSCORE / ZMSCORE ---- */

int x_zscore(struct xctx *x) {
  struct cview v;
  int rc = c_read(x, x->key, x->klen, SHMD_T_ZSET, &v);
  if (rc < 0) return rc;
  int multi = x->op == SHMD_OP_ZMSCORE;
  if (x->nargs < 2 || (!multi && x->nargs != 2)) return wrong_args();
  if (multi) rw_arr(&x->w, x->nargs - 1);
  for (uint32_t i = 1; i < x->nargs; i++) {
    struct elem e;
    int found = cv_find(&v, x->args[i].p, x->args[i].n, &e);
    if (found < 0) return found;
    if (found)
      rw_dbl(&x->w, e.score);
    else
      rw_tag(&x->w, 'n');
  }
  return SHMD_OK;
}

/* ---- ZREM ---- */

int x_zrem(struct xctx *x) {
  if (x->nargs < 2) return wrong_args();
  struct cref c;
  int rc = c_open(x, x->key, x->klen, SHMD_T_ZSET, 0, &c);
  if (rc) return rc;
  int removed = 0;
  for (uint32_t i = 1; c.e && i < x->nargs; i++) {
    if (!j_room(x->d, ELEM_ROOM)) return j_fail(x->d, "this ZREM");
    struct cview v = c_view(x, &c);
    struct elem e;
    int found = cv_find(&v, x->args[i].p, x->args[i].n, &e);
    if (found < 0) return ks_corrupt_entry(x->d);
    if (!found) continue;
    if ((rc = cw_zdel(x, &c, x->args[i].p, x->args[i].n, e.score))) return rc;
    removed++;
  }
  if ((rc = c_done(x, &c))) return rc;
  rw_int(&x->w, removed);
  return SHMD_OK;
}

/* ---- ranks and ranges ---- */

int x_zrank(struct xctx *x) {
  struct cview v;
  int rc = c_read(x, x->key, x->klen, SHMD_T_ZSET, &v);
  if (rc < 0) return rc;
  if (x->nargs != 2) return wrong_args();
  struct elem e;
  int found = cv_find(&v, x->args[1].p, x->args[1].n, &e);
  if (found < 0) return found;
  if (!found) {
    rw_tag(&x->w, 'n');
    return SHMD_OK;
  }
  double s = e.score;
  uint64_t rank, n;
  if ((rc = cv_len(&v, &n)) || (rc = cv_zrank(&v, s, x->args[1].p, x->args[1].n, &rank)))
    return rc;
  if (rank >= n) return R_RETRY;
  if (x->flags & SHMD_F_REV) rank = n - 1 - rank;
  if (x->flags & SHMD_F_WITHSCORES) {
    rw_arr(&x->w, 2);
    rw_int(&x->w, (double)rank);
    rw_dbl(&x->w, s);
  } else {
    rw_int(&x->w, (double)rank);
  }
  return SHMD_OK;
}

/* First rank with score >= min (> min when excl). */
static int score_lo(const struct cview *v, uint64_t n, double min, int excl, uint64_t *r) {
  if (excl && min == INFINITY) {
    *r = n;
    return 0;
  }
  return cv_zrank(v, excl ? nextafter(min, INFINITY) : min, (const uint8_t *)"", 0, r);
}

/* Number of members with score <= max (< max when excl). */
static int score_hi(const struct cview *v, uint64_t n, double max, int excl, uint64_t *r) {
  if (!excl && max == INFINITY) {
    *r = n;
    return 0;
  }
  return cv_zrank(v, excl ? max : nextafter(max, INFINITY), (const uint8_t *)"", 0, r);
}

/* A Redis lex bound: "-", "+", "[member" or "(member". kind: 0 "-", 1 "+",
 * 2 inclusive, 3 exclusive. */
static int lex_parse(const struct arg *a, int *kind) {
  if (a->n == 1 && a->p[0] == '-') *kind = 0;
  else if (a->n == 1 && a->p[0] == '+') *kind = 1;
  else if (a->n >= 1 && a->p[0] == '[') *kind = 2;
  else if (a->n >= 1 && a->p[0] == '(') *kind = 3;
  else return shmd_err(SHMD_E_INVAL, "ERR min or max not valid string range item");
  return SHMD_OK;
}

/* Rank of a lex bound: lo = first member inside, hi = one past the last. */
static int lex_rank(const struct cview *v, uint64_t n, const struct arg *a, int kind, int is_hi,
                    uint64_t *r) {
  if (kind == 0) {
    *r = 0;
    return 0;
  }
  if (kind == 1) {
    *r = n;
    return 0;
  }
  struct elem f, e;
  int rc = cv_at(v, 0, &f);
  if (rc <= 0) return rc ? rc : (*r = 0, 0);
  double fs = f.score;
  if ((rc = cv_zrank(v, fs, a->p + 1, a->n - 1, r))) return rc;
  if ((rc = cv_at(v, *r, &e)) < 0) return rc;
  int eq = rc == 1 && e.score == fs && e.kl == a->n - 1 && memcmp(e.k, a->p + 1, e.kl) == 0;
  /* inclusive hi and exclusive lo step past an equal member */
  if (eq && ((is_hi && kind == 2) || (!is_hi && kind == 3))) (*r)++;
  return 0;
}

/* Normalise a Redis start/stop pair over n elements to [lo, hi). */
static void rank_range(int64_t start, int64_t stop, uint64_t n, uint64_t *lo, uint64_t *hi) {
  int64_t len = (int64_t)n;
  if (start < 0) start += len;
  if (stop < 0) stop += len;
  if (start < 0) start = 0;
  if (stop >= len) stop = len - 1;
  if (start > stop || start >= len) {
    *lo = *hi = 0;
    return;
  }
  *lo = (uint64_t)start;
  *hi = (uint64_t)stop + 1;
}

static int emit_member(struct xctx *x, const struct cview *v, uint64_t rank, int with) {
  struct elem e;
  int rc = cv_at(v, rank, &e);
  if (rc != 1) return rc < 0 ? rc : R_RETRY;
  rw_str(&x->w, e.k, e.kl);
  if (with) rw_dbl(&x->w, e.score);
  return 0;
}

int x_zrange(struct xctx *x) {
  struct cview v;
  int rc = c_read(x, x->key, x->klen, SHMD_T_ZSET, &v);
  if (rc < 0) return rc;
  uint32_t f = x->flags;
  uint64_t n, lo = 0, hi = 0;
  if ((rc = cv_len(&v, &n))) return rc;
  int rev = (f & SHMD_F_REV) != 0, with = (f & SHMD_F_WITHSCORES) != 0;
  int64_t offset = 0, count = -1;
  int bylex = x->op == SHMD_OP_ZLEXCOUNT || (x->op == SHMD_OP_ZRANGE && (f & SHMD_F_BYLEX));
  int byscore = x->op == SHMD_OP_ZCOUNT || (x->op == SHMD_OP_ZRANGE && (f & SHMD_F_BYSCORE));
  if (bylex && byscore) return shmd_err(SHMD_E_INVAL, "ERR syntax error");
  if (bylex && with)
    return shmd_err(SHMD_E_INVAL,
                    "ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  if (byscore) {
    uint32_t need = x->op == SHMD_OP_ZCOUNT ? 2 : 4;
    if (x->nnums != need || x->nargs != 1) return wrong_args();
    double a = x->nums[0], b = x->nums[1];
    double min = rev && x->op == SHMD_OP_ZRANGE ? b : a, max = rev && x->op == SHMD_OP_ZRANGE ? a : b;
    if ((rc = score_lo(&v, n, min, (f & SHMD_F_MIN_EXCL) != 0, &lo))) return rc;
    if ((rc = score_hi(&v, n, max, (f & SHMD_F_MAX_EXCL) != 0, &hi))) return rc;
    if (need == 4 && ((rc = num_int(x, 2, &offset)) || (rc = num_int(x, 3, &count)))) return rc;
  } else if (bylex) {
    uint32_t need = x->op == SHMD_OP_ZLEXCOUNT ? 0 : 2;
    if (x->nargs != 3 || x->nnums != need) return wrong_args();
    const struct arg *amin = &x->args[rev && x->op == SHMD_OP_ZRANGE ? 2 : 1];
    const struct arg *amax = &x->args[rev && x->op == SHMD_OP_ZRANGE ? 1 : 2];
    int kmin, kmax;
    if ((rc = lex_parse(amin, &kmin)) || (rc = lex_parse(amax, &kmax))) return rc;
    if ((rc = lex_rank(&v, n, amin, kmin, 0, &lo))) return rc;
    if ((rc = lex_rank(&v, n, amax, kmax, 1, &hi))) return rc;
    if (need == 2 && ((rc = num_int(x, 0, &offset)) || (rc = num_int(x, 1, &count)))) return rc;
  } else {
    int64_t start, stop;
    if (x->nnums != 2 || x->nargs != 1) return wrong_args();
    if ((rc = num_int(x, 0, &start)) || (rc = num_int(x, 1, &stop))) return rc;
    rank_range(start, stop, n, &lo, &hi);
    if (rev && hi > lo) { /* ranks counted from the end */
      uint64_t l2 = n - hi;
      hi = n - lo;
      lo = l2;
    }
  }
  if (hi < lo || hi > n) hi = lo; /* empty (or a racing read: validated later) */
  if (x->op == SHMD_OP_ZCOUNT || x->op == SHMD_OP_ZLEXCOUNT) {
    rw_int(&x->w, (double)(hi - lo));
    return SHMD_OK;
  }
  if (offset < 0) hi = lo; /* as Redis: a negative offset selects nothing */
  uint64_t len = hi - lo;
  uint64_t skip = (uint64_t)offset < len ? (uint64_t)offset : len;
  uint64_t take = len - skip;
  if (count >= 0 && (uint64_t)count < take) take = (uint64_t)count;
  if (take > UINT32_MAX / 2) return R_RETRY;
  rw_arr(&x->w, (uint32_t)(with ? take * 2 : take));
  if (!rev) {
    struct citer it;
    if ((rc = cv_seek(&it, &v, lo + skip))) return rc;
    for (uint64_t i = 0; i < take; i++) {
      struct elem e;
      if ((rc = ci_next(&it, &e)) != 1) return rc < 0 ? rc : R_RETRY;
      rw_str(&x->w, e.k, e.kl);
      if (with) rw_dbl(&x->w, e.score);
    }
  } else {
    for (uint64_t i = 0; i < take; i++)
      if ((rc = emit_member(x, &v, hi - 1 - skip - i, with))) return rc;
  }
  return SHMD_OK;
}

/* ---- ZREMRANGEBYRANK / ZREMRANGEBYSCORE / ZPOPMIN / ZPOPMAX ---- */

static void emit_scored(struct xctx *x, const struct elem *e, void *arg) {
  (void)arg;
  rw_str(&x->w, e->k, e->kl);
  rw_dbl(&x->w, e->score);
}

int x_zremrange(struct xctx *x) {
  if (x->nargs != 1 || x->nnums != 2) return wrong_args();
  struct cref c;
  int rc = c_open(x, x->key, x->klen, SHMD_T_ZSET, 0, &c);
  if (rc) return rc;
  uint64_t n = 0, lo = 0, hi = 0;
  struct cview v = c_view(x, &c);
  if (c.e && cv_len(&v, &n)) return ks_corrupt_entry(x->d);
  if (x->op == SHMD_OP_ZREMRANGEBYRANK) {
    int64_t start, stop;
    if ((rc = num_int(x, 0, &start)) || (rc = num_int(x, 1, &stop))) return rc;
    rank_range(start, stop, n, &lo, &hi);
  } else if (c.e) {
    if ((rc = score_lo(&v, n, x->nums[0], (x->flags & SHMD_F_MIN_EXCL) != 0, &lo)) ||
        (rc = score_hi(&v, n, x->nums[1], (x->flags & SHMD_F_MAX_EXCL) != 0, &hi)))
      return ks_corrupt_entry(x->d);
  }
  if (hi < lo) hi = lo;
  if (c.e && (rc = cw_cut(x, &c, lo, hi - lo, 0, NULL, NULL))) return rc;
  if ((rc = c_done(x, &c))) return rc;
  rw_int(&x->w, (double)(hi - lo));
  return SHMD_OK;
}

int x_zpop(struct xctx *x) {
  if (x->nargs != 1 || x->nnums > 1) return wrong_args();
  int64_t count = 1;
  int rc;
  if (x->nnums && (rc = num_int(x, 0, &count))) return rc;
  if (count < 0) return shmd_err(SHMD_E_INVAL, "ERR value is out of range, must be positive");
  struct cref c;
  if ((rc = c_open(x, x->key, x->klen, SHMD_T_ZSET, 0, &c))) return rc;
  uint64_t n = 0;
  struct cview v = c_view(x, &c);
  if (c.e && cv_len(&v, &n)) return ks_corrupt_entry(x->d);
  uint64_t k = (uint64_t)count < n ? (uint64_t)count : n;
  rw_arr(&x->w, (uint32_t)(2 * k));
  int max = x->op == SHMD_OP_ZPOPMAX;
  if (k && (rc = cw_cut(x, &c, max ? n - k : 0, k, max, emit_scored, NULL))) return rc;
  return c_done(x, &c);
}
