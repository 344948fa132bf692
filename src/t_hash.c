/*
 * t_hash.c — hashes, and what hashes, sets and sorted sets share: listing all
 * elements, counting them, random elements, and the SCAN-family cursor.
 *
 * Elements are reached through container.c, whatever the encoding. A hash in
 * trees is one keyed tree (tree.c) ordered by (52-bit hash of the field,
 * field); each node holds the field and its value. A set is the same tree
 * without values; a sorted set's member index (its second tree) is the same
 * tree holding each member's score as an 8-byte value. Packed (pack.c), the
 * elements sit in one block in insertion order (sorted sets: score order).
 *
 * HSCAN/SSCAN/ZSCAN of a tree walk that hash order: the cursor is the 52-bit
 * hash of the next element to visit, so an element present for the whole scan
 * is returned at least once whatever is inserted or deleted between calls (an
 * insertion can only land before or after the cursor; nothing moves). A call
 * never stops between two elements of equal hash, so none is skipped at a
 * boundary. A packed container is scanned whole in one call, cursor 0 next
 * (as Redis does for its compact encodings): at most 128 elements.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

#define LD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define ELEM_ROOM 8192u /* journal room one element's change needs */

static uint64_t g_rand;

uint64_t x_random(void) {
  if (!g_rand) g_rand = os_random64() | 1;
  g_rand ^= g_rand << 13;
  g_rand ^= g_rand >> 7;
  g_rand ^= g_rand << 17;
  return g_rand;
}

static int room(struct dict *d) {
  if (j_room(d, ELEM_ROOM)) return SHMD_OK;
  return j_fail(d, "this command");
}

static int wrong_args(void) { return shmd_err(SHMD_E_INVAL, "ERR wrong number of arguments"); }

/* ---- HSET / HSETNX ---- */

int x_hset(struct xctx *x) {
  struct dict *d = x->d;
  int nx = x->op == SHMD_OP_HSETNX;
  if (x->nargs < 3 || (x->nargs - 1) % 2 || (nx && x->nargs != 3)) return wrong_args();
  for (uint32_t i = 1; i < x->nargs; i += 2)
    if (x->args[i + 1].n > SHMD_MAX_VALUE) return shmd_err(SHMD_E_TOOBIG, "value too large");
  struct cref c;
  int rc = c_open(x, x->key, x->klen, SHMD_T_HASH, 1, &c);
  if (rc) return rc;
  uint32_t added = 0;
  for (uint32_t i = 1; i < x->nargs; i += 2) {
    if ((rc = room(d))) return rc;
    const struct arg *f = &x->args[i], *v = &x->args[i + 1];
    int a;
    if ((rc = cw_put(x, &c, f->p, f->n, v->p, v->n, nx, &a))) return rc;
    added += (uint32_t)a;
  }
  if ((rc = c_done(x, &c))) return rc;
  rw_int(&x->w, added);
  return SHMD_OK;
}

/* ---- HGET / HMGET / HEXISTS / HSTRLEN ---- */

int x_hget(struct xctx *x) {
  struct cview v;
  int rc = c_read(x, x->key, x->klen, SHMD_T_HASH, &v);
  if (rc < 0) return rc;
  int multi = x->op == SHMD_OP_HMGET;
  if (x->nargs < 2 || (!multi && x->nargs != 2)) return wrong_args();
  if (multi) rw_arr(&x->w, x->nargs - 1);
  for (uint32_t i = 1; i < x->nargs; i++) {
    struct elem e;
    int found = cv_find(&v, x->args[i].p, x->args[i].n, &e);
    if (found < 0) return found;
    if (x->op == SHMD_OP_HEXISTS)
      rw_int(&x->w, found);
    else if (x->op == SHMD_OP_HSTRLEN)
      rw_int(&x->w, found ? e.vl : 0);
    else if (found)
      rw_str(&x->w, e.v, e.vl);
    else
      rw_tag(&x->w, 'n');
  }
  return SHMD_OK;
}

/* ---- HGETALL / HKEYS / HVALS / SMEMBERS ---- */

int x_hall(struct xctx *x) {
  struct cview v;
  int rc = c_read(x, x->key, x->klen, x->type, &v);
  if (rc < 0) return rc;
  if (x->nargs != 1) return wrong_args();
  uint64_t n;
  if ((rc = cv_len(&v, &n))) return rc;
  int keys = x->op != SHMD_OP_HVALS, vals = x->op == SHMD_OP_HVALS || x->op == SHMD_OP_HGETALL;
  if (n > UINT32_MAX / 2) return R_RETRY;
  rw_arr(&x->w, (uint32_t)(n * (uint32_t)(keys + vals)));
  struct citer it;
  if ((rc = cv_seek(&it, &v, 0))) return rc;
  for (uint64_t i = 0; i < n; i++) {
    struct elem e;
    if ((rc = ci_next(&it, &e)) != 1) return rc < 0 ? rc : R_RETRY;
    if (keys) rw_str(&x->w, e.k, e.kl);
    if (vals) rw_str(&x->w, e.v, e.vl);
  }
  return SHMD_OK;
}

/* ---- HLEN / SCARD / ZCARD / LLEN ---- */

int x_hlen(struct xctx *x) {
  struct cview v;
  int rc = c_read(x, x->key, x->klen, x->type, &v);
  if (rc < 0) return rc;
  if (x->nargs != 1) return wrong_args();
  uint64_t n;
  if ((rc = cv_len(&v, &n))) return rc;
  rw_int(&x->w, (double)n);
  return SHMD_OK;
}

/* ---- HDEL / SREM ---- */

int x_hdel(struct xctx *x) {
  struct dict *d = x->d;
  if (x->nargs < 2) return wrong_args();
  struct cref c;
  int rc = c_open(x, x->key, x->klen, x->type, 0, &c);
  if (rc) return rc;
  uint32_t removed = 0;
  for (uint32_t i = 1; c.e && i < x->nargs; i++) {
    if ((rc = room(d))) return rc;
    int r;
    if ((rc = cw_del(x, &c, x->args[i].p, x->args[i].n, &r))) return rc;
    removed += (uint32_t)r;
  }
  if ((rc = c_done(x, &c))) return rc;
  rw_int(&x->w, removed);
  return SHMD_OK;
}

/* ---- HINCRBY / HINCRBYFLOAT ---- */

int x_hincr(struct xctx *x) {
  int flt = x->op == SHMD_OP_HINCRBYFLOAT;
  if (x->nargs != (flt ? 3u : 2u)) return wrong_args();
  int64_t by = 0;
  long double fby = 0;
  int rc;
  if (!flt && (rc = num_int(x, 0, &by))) return rc;
  if (flt && !str_parse_ld(x->args[2].p, x->args[2].n, &fby))
    return shmd_err(SHMD_E_NOTFLOAT, "ERR value is not a valid float");
  if (flt && (isnan(fby) || isinf(fby)))
    return shmd_err(SHMD_E_NOTFLOAT, "ERR value is NaN or Infinity");
  struct cref c;
  if ((rc = c_open(x, x->key, x->klen, SHMD_T_HASH, 1, &c))) return rc;
  struct cview cv = c_view(x, &c);
  struct elem e;
  int found = cv_find(&cv, x->args[1].p, x->args[1].n, &e);
  if (found < 0) return ks_corrupt_entry(x->d);
  char buf[5120];
  int len;
  if (!flt) {
    int64_t v = 0;
    if (found && !str_parse_i64(e.v, e.vl, &v))
      return shmd_err(SHMD_E_NOTINT, "ERR hash value is not an integer");
    if ((by < 0 && v < INT64_MIN - by) || (by > 0 && v > INT64_MAX - by))
      return shmd_err(SHMD_E_OVERFLOW, "ERR increment or decrement would overflow");
    v += by;
    len = snprintf(buf, sizeof buf, "%lld", (long long)v);
    rw_int(&x->w, (double)v);
  } else {
    long double v = 0;
    if (found && !str_parse_ld(e.v, e.vl, &v))
      return shmd_err(SHMD_E_NOTFLOAT, "ERR hash value is not a float");
    v += fby;
    if (isnan(v) || isinf(v))
      return shmd_err(SHMD_E_NOTFLOAT, "ERR increment would produce NaN or Infinity");
    len = str_fmt_ld(v, buf, sizeof buf);
    if (len <= 0) return shmd_err(SHMD_E_NOTFLOAT, "ERR value is not a valid float");
    rw_str(&x->w, (const uint8_t *)buf, (uint32_t)len);
  }
  int added;
  if ((rc = cw_put(x, &c, x->args[1].p, x->args[1].n, (const uint8_t *)buf, (uint32_t)len, 0,
                   &added)))
    return rc;
  return c_done(x, &c);
}

/* ---- HRANDFIELD / SRANDMEMBER / ZRANDMEMBER ---- */

static void emit_elem(struct xctx *x, const struct elem *e, int with) {
  rw_str(&x->w, e->k, e->kl);
  if (!with) return;
  if (x->type == SHMD_T_ZSET)
    rw_dbl(&x->w, e->score);
  else
    rw_str(&x->w, e->v, e->vl);
}

int x_hrand(struct xctx *x) {
  struct cview v;
  int rc = c_read(x, x->key, x->klen, x->type, &v);
  if (rc < 0) return rc;
  int with = (x->flags & (SHMD_F_WITHVALUES | SHMD_F_WITHSCORES)) != 0;
  if (x->type == SHMD_T_SET && with) return shmd_err(SHMD_E_INVAL, "ERR syntax error");
  uint64_t n;
  if ((rc = cv_len(&v, &n))) return rc;
  struct elem e;
  if (x->nnums == 0) {
    if (with) return shmd_err(SHMD_E_INVAL, "ERR syntax error");
    if (!n) {
      rw_tag(&x->w, 'n');
      return SHMD_OK;
    }
    if ((rc = cv_at(&v, x_random() % n, &e)) != 1) return rc < 0 ? rc : R_RETRY;
    emit_elem(x, &e, 0);
    return SHMD_OK;
  }
  int64_t count;
  if ((rc = num_int(x, 0, &count))) return rc;
  /* a positive count asks for at most the whole container; a negative one for
   * |count| picks, which must fit a reply */
  if (count < -(int64_t)(INT32_MAX / 4)) return shmd_err(SHMD_E_INVAL, "ERR value is out of range");
  if (count < 0) { /* repetitions allowed */
    uint64_t k = n ? (uint64_t)(-count) : 0;
    rw_arr(&x->w, (uint32_t)(with ? 2 * k : k));
    for (uint64_t i = 0; i < k; i++) {
      if ((rc = cv_at(&v, x_random() % n, &e)) != 1) return rc < 0 ? rc : R_RETRY;
      emit_elem(x, &e, with);
    }
    return SHMD_OK;
  }
  uint64_t k = (uint64_t)count < n ? (uint64_t)count : n;
  rw_arr(&x->w, (uint32_t)(with ? 2 * k : k));
  /* distinct: selection sampling (Knuth's algorithm S) in order */
  struct citer it;
  if ((rc = cv_seek(&it, &v, 0))) return rc;
  uint64_t need = k;
  for (uint64_t i = 0; i < n && need; i++) {
    if ((rc = ci_next(&it, &e)) != 1) return rc < 0 ? rc : R_RETRY;
    if (x_random() % (n - i) < need) {
      emit_elem(x, &e, with);
      need--;
    }
  }
  return need ? R_RETRY : SHMD_OK;
}

/* ---- HSCAN / SSCAN / ZSCAN ---- */

/* One element of a scan reply, if it matches the pattern. */
static uint32_t scan_emit(struct xctx *x, const struct arg *pat, const struct elem *e) {
  if (pat && !(pat->n == 1 && pat->p[0] == '*') && !glob_match(pat->p, pat->n, e->k, e->kl, 0))
    return 0;
  rw_str(&x->w, e->k, e->kl);
  if (x->type == SHMD_T_SET) return 1;
  if (x->type == SHMD_T_ZSET)
    rw_dbl(&x->w, e->score);
  else
    rw_str(&x->w, e->v, e->vl);
  return 2;
}

int x_scan(struct xctx *x) {
  struct cview v;
  int rc = c_read(x, x->key, x->klen, x->type, &v);
  if (rc < 0) return rc;
  if (x->nargs > 2 || x->nnums != 2) return wrong_args();
  int64_t cursor, count;
  if ((rc = num_int(x, 0, &cursor)) || (rc = num_int(x, 1, &count))) return rc;
  if (cursor < 0) return shmd_err(SHMD_E_INVAL, "ERR invalid cursor");
  if (count < 1) return shmd_err(SHMD_E_INVAL, "ERR syntax error");
  const struct arg *pat = x->nargs == 2 ? &x->args[1] : NULL;
  /* reply: a [i cursor, a items]; the cursor is patched in at the end */
  rw_arr(&x->w, 2);
  uint64_t cur_at = x->w.len;
  rw_int(&x->w, 0);
  uint64_t items_at = rw_arr(&x->w, 0);
  uint32_t items = 0;
  uint64_t next = 0;
  struct elem e;
  if (v.enc == ENC_PACK) { /* the whole container, whatever the cursor */
    struct citer it;
    if ((rc = cv_seek(&it, &v, 0))) return rc;
    while ((rc = ci_next(&it, &e)) == 1) items += scan_emit(x, pat, &e);
    if (rc < 0) return rc;
  } else {
    int zset = x->type == SHMD_T_ZSET;
    uint32_t root = v.roots[zset ? 1 : 0];
    struct tkey start = {(uint64_t)cursor, (const uint8_t *)"", 0, 0};
    uint64_t rank = 0;
    if (root && (rc = tr_rank(x->d, root, &start, &rank))) return rc;
    struct titer it;
    if ((rc = it_seek(&it, x->d, root, rank))) return rc;
    uint64_t visited = 0, last_ord = 0;
    uint32_t off;
    while (1) {
      if ((rc = it_next(&it, &off))) return rc;
      if (!off) break;
      const struct tnode *t = tn_get(x->d, off);
      if (!t) return R_RETRY;
      uint64_t ord = LD(t->ord);
      if (visited >= (uint64_t)count && ord != last_ord) {
        next = ord;
        break;
      }
      visited++;
      last_ord = ord;
      if ((rc = c_node_elem(x->d, x->type, off, zset, &e))) return rc;
      items += scan_emit(x, pat, &e);
    }
  }
  rw_arr_fix(&x->w, items_at, items);
  if (cur_at + 9 <= x->w.cap) {
    double nd = (double)next;
    memcpy(x->w.out + cur_at + 1, &nd, 8);
  }
  return SHMD_OK;
}

/* ---- sets: SADD / SISMEMBER / SMISMEMBER (SREM is HDEL's code) ---- */

int x_sadd(struct xctx *x) {
  struct dict *d = x->d;
  if (x->nargs < 2) return wrong_args();
  struct cref c;
  int rc = c_open(x, x->key, x->klen, SHMD_T_SET, 1, &c);
  if (rc) return rc;
  uint32_t added = 0;
  for (uint32_t i = 1; i < x->nargs; i++) {
    if ((rc = room(d))) return rc;
    int a;
    if ((rc = cw_put(x, &c, x->args[i].p, x->args[i].n, NULL, 0, 0, &a))) return rc;
    added += (uint32_t)a;
  }
  if ((rc = c_done(x, &c))) return rc;
  rw_int(&x->w, added);
  return SHMD_OK;
}

int x_sismember(struct xctx *x) {
  struct cview v;
  int rc = c_read(x, x->key, x->klen, SHMD_T_SET, &v);
  if (rc < 0) return rc;
  int multi = x->op == SHMD_OP_SMISMEMBER;
  if (x->nargs < 2 || (!multi && x->nargs != 2)) return wrong_args();
  if (multi) rw_arr(&x->w, x->nargs - 1);
  for (uint32_t i = 1; i < x->nargs; i++) {
    struct elem e;
    int found = cv_find(&v, x->args[i].p, x->args[i].n, &e);
    if (found < 0) return found;
    rw_int(&x->w, found);
  }
  return SHMD_OK;
}
