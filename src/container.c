/*
 * container.c — a key's container and its elements, whatever the encoding.
 *
 * A container key is an ordinary index entry whose type is not SHMD_T_STRING,
 * whose `enc` byte names the encoding and whose 8-byte value holds two unit
 * offsets ("roots"):
 *
 *   ENC_PACK  roots[0] is one packed block (pack.c), roots[1] is 0
 *   ENC_TREE  roots[0] is the element treap (tree.c): hash fields, set
 *             members, list elements, sorted-set members in score order;
 *             roots[1] is a sorted set's member index (hash order, holding
 *             each member's score)
 *
 * roots[0] == 0 means empty, and an emptied container is deleted (c_done), as
 * in Redis. A new container starts packed; a write that would take it past
 * PACK_MAX_ELEMS elements or store an element longer than PACK_MAX_BYTES
 * converts it to trees first (c_convert), one way.
 *
 * The commands (t_hash.c, t_set.c, t_zset.c, t_list.c) see elements only
 * through this file, so each command is written once for both encodings:
 *
 *   reads, lock-free safe (R_RETRY on anything inconsistent):
 *     cv_len      element count
 *     cv_find     a hash field, set member or sorted-set member by its bytes
 *     cv_at       the element at a position of the container's order
 *     cv_seek / ci_next   iterate from a position
 *     cv_zrank    how many sorted-set elements order before (score, member)
 *   writes, under the lock, journaled:
 *     cw_put / cw_del     a hash field or set member, by its bytes
 *     cw_zput / cw_zdel   a sorted-set member (both trees, or the block)
 *     cw_insert_at        a list element
 *     cw_cut              remove a run of positions, handing each element to
 *                         a callback first (pops, trims, ranges)
 *
 * "Order" is the treap's in-order for trees and the block's order for packed
 * containers: the same for lists and sorted sets; for hashes and sets it is
 * hash order in a tree and insertion order in a block (no command depends on
 * either, and SCAN's cursor is handled in t_hash.c).
 */
#include <stdlib.h>

#include "internal.h"

#define LD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define ELEM_ROOM 8192u

uint64_t zs_bits(double s) {
  uint64_t b;
  if (s == 0) s = 0; /* one zero: -0 sorts and prints as 0 */
  memcpy(&b, &s, 8);
  return b;
}

/* ---- finding a key's container ---- */

/* Find key's container of `type` for a write (making its stripe odd); with
 * `create`, make an empty (packed) one when the key is absent. c->e is NULL
 * when the key is absent and not created. */
int c_open(struct xctx *x, const uint8_t *key, uint32_t klen, uint8_t type, int create,
           struct cref *c) {
  struct dict *d = x->d;
  c->key = key;
  c->klen = klen;
  c->h = ks_hash(d, key, klen);
  c->e = NULL;
  c->enc = c->saved_enc = ENC_PACK;
  memset(c->roots, 0, sizeof c->roots);
  memset(c->saved, 0, sizeof c->saved);
  uint32_t *link, off;
  int rc = ks_find_live(d, key, klen, c->h, &link, &off, x->now);
  if (rc) return rc;
  if (off) {
    struct entry *e = (struct entry *)blk_data(d, off);
    if (e->type != type) return WRONGTYPE();
    if (e->vlen != 8 || e->enc > ENC_PACK) return ks_corrupt_entry(d);
    w_stripe(d, e->hash);
    c->e = e;
    c->enc = c->saved_enc = e->enc;
    memcpy(c->roots, entry_val(e), 8);
    memcpy(c->saved, c->roots, 8);
    if (c->enc == ENC_PACK && c->roots[1]) return ks_corrupt_entry(d);
    return SHMD_OK;
  }
  if (!create) return SHMD_OK;
  rc = ks_new_entry(d, key, klen, c->h, type, 8, &off);
  if (rc) return rc;
  struct entry *e = (struct entry *)blk_data(d, off);
  e->vlen = 8;
  e->enc = ENC_PACK;
  memset(entry_val(e), 0, 8);
  rc = ks_link(d, off, c->h);
  if (rc) return rc;
  c->e = e;
  return SHMD_OK;
}

/* After a write: store a changed encoding and roots in the entry, and delete
 * the key if its container emptied (as Redis does). Every write op ends with
 * it. */
int c_done(struct xctx *x, struct cref *c) {
  if (!c->e) return SHMD_OK;
  if (c->enc != c->saved_enc) {
    j_save(x->d, &c->e->enc, 1);
    c->e->enc = c->enc;
    c->saved_enc = c->enc;
  }
  if (memcmp(c->roots, c->saved, 8) != 0) {
    j_save(x->d, entry_val(c->e), 8);
    memcpy(entry_val(c->e), c->roots, 8);
    memcpy(c->saved, c->roots, 8);
  }
  if (c->roots[0]) return SHMD_OK;
  uint32_t *link, off;
  int rc = ks_lookup(x->d, c->key, c->klen, c->h, &link, &off);
  if (rc) return rc;
  if (off) ks_delete(x->d, link, off);
  c->e = NULL;
  return SHMD_OK;
}

/* Find key's container for a read, lock-free safe: 1 (v empty) when the key is
 * absent or expired, 0 when found; WRONGTYPE; R_RETRY. */
int c_read(struct xctx *x, const uint8_t *key, uint32_t klen, uint8_t type, struct cview *v) {
  struct entry *e;
  uint32_t vlen;
  v->d = x->d;
  v->type = type;
  v->enc = ENC_PACK;
  v->roots[0] = v->roots[1] = 0;
  uint64_t h = klen == x->klen && key == x->key ? x->h : ks_hash(x->d, key, klen);
  int rc = ks_read_find(x->d, key, klen, h, &e, &vlen);
  if (rc) return rc;
  if (!e) return 1; /* absent */
  if (LD(e->type) != type) return WRONGTYPE();
  uint8_t enc = LD(e->enc);
  if (vlen != 8 || enc > ENC_PACK) return R_RETRY;
  v->enc = enc;
  memcpy(v->roots, (uint8_t *)(e + 1) + klen, 8);
  return 0;
}

/* The view of a container opened for writing. */
struct cview c_view(const struct xctx *x, const struct cref *c) {
  struct cview v = {x->d, x->type, c->enc, {c->roots[0], c->roots[1]}};
  if (c->e) v.type = c->e->type;
  return v;
}

/* Free what a container value owns: a packed block at once (one block, freed
 * at the command's end); trees go to the garbage list (tree.c). */
void c_free(struct dict *d, struct entry *e) {
  if (e->type == SHMD_T_STRING || e->vlen != 8) return;
  uint32_t roots[2];
  memcpy(roots, entry_val(e), 8);
  if (e->enc == ENC_PACK) {
    struct pview pv;
    if (!roots[0]) return;
    if (pk_open(d, roots[0], e->type, &pv)) {
      ks_corrupt_entry(d); /* leak it rather than free something that is not a block */
      return;
    }
    al_free(d, roots[0]);
    return;
  }
  tr_free_all(d, roots[0]);
  tr_free_all(d, roots[1]);
}

/* Deep-copy src's container into the (fresh) entry dst, which already holds
 * src's encoding and roots. */
int c_copy(struct dict *d, struct entry *src, struct entry *dst) {
  uint32_t roots[2], out[2] = {0, 0};
  memcpy(roots, entry_val(src), 8);
  if (src->enc == ENC_PACK) {
    int rc = pk_copy(d, roots[0], &out[0]);
    if (rc) return rc;
    memcpy(entry_val(dst), out, 8);
    return SHMD_OK;
  }
  for (int t = 0; t < 2; t++) {
    struct titer it;
    uint32_t off;
    if (!roots[t]) continue;
    if (it_seek(&it, d, roots[t], 0)) return ks_corrupt_entry(d);
    uint64_t i = 0;
    while (1) {
      if (it_next(&it, &off)) return ks_corrupt_entry(d);
      if (!off) break;
      if (!j_room(d, 4096)) return j_fail(d, "COPY of this container");
      struct tnode *n = (struct tnode *)blk_data(d, off);
      uint32_t neu;
      int rc = tn_new(d, n->ord, tn_key(n), n->klen, tn_val(n), n->vlen, &neu);
      if (rc) return rc;
      /* appending in order: position i keeps the order of keyed trees too */
      rc = tr_insert_at(d, &out[t], i++, neu);
      if (rc) return rc;
    }
  }
  memcpy(entry_val(dst), out, 8);
  return SHMD_OK;
}

/* Convert c to trees (no-op if it is already). */
int c_convert(struct xctx *x, struct cref *c) {
  if (c->enc == ENC_TREE) return SHMD_OK;
  uint32_t roots[2];
  int rc = pk_to_tree(x->d, c->e ? c->e->type : x->type, c->roots[0], roots);
  if (rc) return rc;
  c->roots[0] = roots[0];
  c->roots[1] = roots[1];
  c->enc = ENC_TREE;
  return SHMD_OK;
}

/* ---- reads ---- */

/* The element held by tree node off: `index` for a sorted set's member index
 * (score in the value), else the element tree (a sorted set's score in ord). */
int c_node_elem(const struct dict *d, uint8_t type, uint32_t off, int index, struct elem *e) {
  const struct tnode *n = tn_get(d, off);
  if (!n) return R_RETRY;
  uint32_t kl = LD(n->klen), vl = LD(n->vlen);
  uint32_t units = LD(*(uint32_t *)unit_ptr(d, off)) & 0x7fffffffu;
  uint64_t need = (uint64_t)TNODE_HDR + kl + vl;
  if (need + 8 > (uint64_t)units << UNIT_SHIFT || !in_heap(d, off, 8 + need)) return R_RETRY;
  e->k = tn_key(n);
  e->kl = kl;
  e->v = tn_key(n) + kl;
  e->vl = vl;
  e->score = 0;
  if (type == SHMD_T_ZSET) {
    if (index) {
      if (vl != 8) return R_RETRY;
      memcpy(&e->score, e->v, 8);
    } else {
      uint64_t b = LD(n->ord);
      memcpy(&e->score, &b, 8);
    }
  }
  return 0;
}

int cv_len(const struct cview *v, uint64_t *n) {
  *n = 0;
  if (!v->roots[0]) return 0;
  if (v->enc == ENC_PACK) {
    struct pview pv;
    if (pk_open(v->d, v->roots[0], v->type, &pv)) return R_RETRY;
    *n = pv.n;
    return 0;
  }
  const struct tnode *t = tn_get(v->d, v->roots[0]);
  if (!t) return R_RETRY;
  *n = LD(t->cnt);
  return 0;
}

/* Packed: the element whose bytes are k (position *at, size *sz). 1, 0, R_RETRY. */
static int pk_find(const struct cview *v, const uint8_t *k, uint32_t kl, struct elem *e,
                   uint32_t *at_out, uint32_t *sz_out) {
  struct pview pv;
  if (!v->roots[0]) return 0;
  if (pk_open(v->d, v->roots[0], v->type, &pv)) return R_RETRY;
  return pk_search(&pv, k, kl, e, at_out, sz_out);
}

/* A hash field, set member or sorted-set member (with its score) by its
 * bytes: 1 found, 0 absent, R_RETRY. */
int cv_find(const struct cview *v, const uint8_t *k, uint32_t kl, struct elem *e) {
  if (v->enc == ENC_PACK) return pk_find(v, k, kl, e, NULL, NULL);
  int index = v->type == SHMD_T_ZSET;
  uint32_t root = v->roots[index], off = 0;
  if (!root) return 0;
  struct tkey key = {c_ord(v->d, k, kl), k, kl, 0};
  int rc = tr_find(v->d, root, &key, &off);
  if (rc) return rc;
  if (!off) return 0;
  if ((rc = c_node_elem(v->d, v->type, off, index, e))) return rc;
  return 1;
}

/* The element at position i: 1, 0 (past the end), R_RETRY. */
int cv_at(const struct cview *v, uint64_t i, struct elem *e) {
  if (!v->roots[0]) return 0;
  if (v->enc == ENC_PACK) {
    struct pview pv;
    uint32_t at;
    if (pk_open(v->d, v->roots[0], v->type, &pv)) return R_RETRY;
    if (i >= pv.n) return 0;
    if (pk_skip(&pv, i, &at)) return R_RETRY;
    return pk_elem(&pv, at, e) ? 1 : R_RETRY;
  }
  uint32_t off;
  int rc = tr_select(v->d, v->roots[0], i, &off);
  if (rc) return rc;
  if (!off) return 0;
  if ((rc = c_node_elem(v->d, v->type, off, 0, e))) return rc;
  return 1;
}

/* Position an iterator on element i. 0 or R_RETRY. */
int cv_seek(struct citer *it, const struct cview *v, uint64_t i) {
  it->v = *v;
  it->left = 0;
  it->at = 0;
  if (!v->roots[0]) {
    it->t.sp = 0;
    it->t.d = v->d;
    return 0;
  }
  if (v->enc == ENC_PACK) {
    if (pk_open(v->d, v->roots[0], v->type, &it->pv)) return R_RETRY;
    if (i >= it->pv.n) return 0;
    if (pk_skip(&it->pv, i, &it->at)) return R_RETRY;
    it->left = it->pv.n - (uint32_t)i;
    return 0;
  }
  return it_seek(&it->t, v->d, v->roots[0], i);
}

/* The next element: 1, 0 at the end, R_RETRY. */
int ci_next(struct citer *it, struct elem *e) {
  if (it->v.enc == ENC_PACK) {
    if (!it->left) return 0;
    uint32_t sz = pk_elem(&it->pv, it->at, e);
    if (!sz) return R_RETRY;
    it->at += sz;
    it->left--;
    return 1;
  }
  uint32_t off;
  int rc = it_next(&it->t, &off);
  if (rc) return rc;
  if (!off) return 0;
  if ((rc = c_node_elem(it->v.d, it->v.type, off, 0, e))) return rc;
  return 1;
}

/* Sorted sets: the number of elements ordered before (score, m). */
int cv_zrank(const struct cview *v, double score, const uint8_t *m, uint32_t ml, uint64_t *rank) {
  *rank = 0;
  if (!v->roots[0]) return 0;
  if (v->enc == ENC_TREE) {
    struct tkey k = {zs_bits(score), m, ml, 1};
    return tr_rank(v->d, v->roots[0], &k, rank);
  }
  struct pview pv;
  if (pk_open(v->d, v->roots[0], v->type, &pv)) return R_RETRY;
  uint32_t at = 0, i;
  for (i = 0; i < pv.n; i++) {
    struct elem e;
    uint32_t sz = pk_elem(&pv, at, &e);
    if (!sz) return R_RETRY;
    if (z_cmp(e.score, e.k, e.kl, score, m, ml) >= 0) break;
    at += sz;
  }
  *rank = i;
  return 0;
}

/* ---- writes (under the lock) ---- */

static int bad(struct xctx *x, int rc) { return rc == R_RETRY ? ks_corrupt_entry(x->d) : rc; }

static uint64_t count_of(struct xctx *x, struct cref *c) {
  struct cview v = c_view(x, c);
  uint64_t n;
  return cv_len(&v, &n) ? 0 : n;
}

/* Hashes (v) and sets (v NULL): add field or member k, or replace its value.
 * nx: leave an existing one alone. *added: 1 when k was new. */
int cw_put(struct xctx *x, struct cref *c, const uint8_t *k, uint32_t kl, const uint8_t *v,
           uint32_t vl, int nx, int *added) {
  struct dict *d = x->d;
  uint8_t type = c->e->type;
  int rc;
  *added = 0;
  if (c->enc == ENC_PACK && !pk_fits(kl, vl) && (rc = c_convert(x, c))) return rc;
  if (c->enc == ENC_PACK) {
    struct cview cv = c_view(x, c);
    struct elem e;
    uint32_t at = 0, sz = 0;
    uint8_t buf[2 + 2 * PACK_MAX_BYTES];
    int found = pk_find(&cv, k, kl, &e, &at, &sz);
    if (found < 0) return bad(x, found);
    if (found) {
      if (nx || type != SHMD_T_HASH) return SHMD_OK;
      if (e.vl == vl) { /* same length: overwrite the value in place */
        uint8_t *p = (uint8_t *)e.v;
        if (vl && memcmp(p, v, vl) != 0) {
          j_save(d, p, vl);
          memcpy(p, v, vl);
        }
        return SHMD_OK;
      }
      uint32_t n = pk_build(type, k, kl, v, vl, 0, buf);
      return pk_splice(d, &c->roots[0], type, at, sz, buf, n, 0);
    }
    if (count_of(x, c) < PACK_MAX_ELEMS) {
      struct pview pv;
      uint32_t end = 0;
      if (c->roots[0]) {
        if (pk_open(d, c->roots[0], type, &pv)) return ks_corrupt_entry(d);
        end = pv.used;
      }
      uint32_t n = pk_build(type, k, kl, v, vl, 0, buf);
      *added = 1;
      return pk_splice(d, &c->roots[0], type, end, 0, buf, n, 1);
    }
    if ((rc = c_convert(x, c))) return rc;
  }
  struct tkey key = {c_ord(d, k, kl), k, kl, 0};
  uint32_t off;
  if ((rc = tr_find(d, c->roots[0], &key, &off))) return bad(x, rc);
  if (off) {
    if (nx || type != SHMD_T_HASH) return SHMD_OK;
    struct tnode *n = (struct tnode *)blk_data(d, off);
    if (n->vlen == vl && vl <= 4096) {
      j_save(d, tn_val(n), vl);
      memcpy(tn_val(n), v, vl);
      return SHMD_OK;
    }
    uint32_t old;
    if ((rc = tr_erase(d, &c->roots[0], &key, &old))) return rc;
    al_free(d, old);
  } else {
    *added = 1;
  }
  uint32_t neu;
  if ((rc = tn_new(d, key.ord, k, kl, v, vl, &neu))) return rc;
  return tr_insert(d, &c->roots[0], neu, 0);
}

/* Hashes and sets: remove field or member k; *removed 1 if it was there. */
int cw_del(struct xctx *x, struct cref *c, const uint8_t *k, uint32_t kl, int *removed) {
  struct dict *d = x->d;
  int rc;
  *removed = 0;
  if (c->enc == ENC_PACK) {
    struct cview cv = c_view(x, c);
    struct elem e;
    uint32_t at = 0, sz = 0;
    int found = pk_find(&cv, k, kl, &e, &at, &sz);
    if (found <= 0) return bad(x, found);
    *removed = 1;
    return pk_splice(d, &c->roots[0], cv.type, at, sz, NULL, 0, -1);
  }
  struct tkey key = {c_ord(d, k, kl), k, kl, 0};
  uint32_t off;
  if ((rc = tr_erase(d, &c->roots[0], &key, &off))) return rc;
  if (off) {
    al_free(d, off);
    *removed = 1;
  }
  return SHMD_OK;
}

/* Packed sorted set: insert (score, m) at its place. */
static int pk_zinsert(struct xctx *x, struct cref *c, const uint8_t *m, uint32_t ml, double score) {
  struct cview cv = c_view(x, c);
  uint64_t rank;
  uint32_t at = 0;
  int rc = cv_zrank(&cv, score, m, ml, &rank);
  if (rc) return bad(x, rc);
  if (c->roots[0]) {
    struct pview pv;
    if (pk_open(x->d, c->roots[0], SHMD_T_ZSET, &pv) || pk_skip(&pv, rank, &at))
      return ks_corrupt_entry(x->d);
  }
  uint8_t buf[2 + 2 * PACK_MAX_BYTES];
  uint32_t n = pk_build(SHMD_T_ZSET, m, ml, NULL, 0, score, buf);
  return pk_splice(x->d, &c->roots[0], SHMD_T_ZSET, at, 0, buf, n, 1);
}

/* Sorted sets: set member m's score (had: it exists with score old). */
int cw_zput(struct xctx *x, struct cref *c, const uint8_t *m, uint32_t ml, double score, int had,
            double old) {
  struct dict *d = x->d;
  int rc;
  if (score == 0) score = 0;
  if (c->enc == ENC_PACK &&
      (!pk_fits(ml, 0) || (!had && count_of(x, c) >= PACK_MAX_ELEMS)) && (rc = c_convert(x, c)))
    return rc;
  if (c->enc == ENC_PACK) {
    if (had && (rc = cw_zdel(x, c, m, ml, old))) return rc;
    return pk_zinsert(x, c, m, ml, score);
  }
  uint32_t sn;
  if (had) {
    struct tkey ok = {zs_bits(old), m, ml, 1};
    if ((rc = tr_erase(d, &c->roots[0], &ok, &sn))) return rc;
    if (!sn) return ks_corrupt_entry(d);
    al_free(d, sn);
  }
  if ((rc = tn_new(d, zs_bits(score), m, ml, NULL, 0, &sn))) return rc;
  if ((rc = tr_insert(d, &c->roots[0], sn, 1))) return rc;
  struct tkey ik = {c_ord(d, m, ml), m, ml, 0};
  if (had) {
    uint32_t inn;
    if ((rc = tr_find(d, c->roots[1], &ik, &inn))) return bad(x, rc);
    struct tnode *in = inn ? tn_get(d, inn) : NULL;
    if (!in || in->vlen != 8) return ks_corrupt_entry(d);
    j_save(d, tn_val(in), 8);
    memcpy(tn_val(in), &score, 8);
    return SHMD_OK;
  }
  uint32_t inn;
  if ((rc = tn_new(d, ik.ord, m, ml, (const uint8_t *)&score, 8, &inn))) return rc;
  return tr_insert(d, &c->roots[1], inn, 0);
}

/* Sorted sets: remove member m, known to have score s. */
int cw_zdel(struct xctx *x, struct cref *c, const uint8_t *m, uint32_t ml, double s) {
  struct dict *d = x->d;
  int rc;
  if (c->enc == ENC_PACK) {
    struct cview cv = c_view(x, c);
    struct elem e;
    uint32_t at = 0, sz = 0;
    int found = pk_find(&cv, m, ml, &e, &at, &sz);
    if (found <= 0) return found < 0 ? bad(x, found) : ks_corrupt_entry(d);
    return pk_splice(d, &c->roots[0], SHMD_T_ZSET, at, sz, NULL, 0, -1);
  }
  struct tkey sk = {zs_bits(s), m, ml, 1}, ik = {c_ord(d, m, ml), m, ml, 0};
  uint32_t a, b;
  if ((rc = tr_erase(d, &c->roots[0], &sk, &a))) return rc;
  if ((rc = tr_erase(d, &c->roots[1], &ik, &b))) return rc;
  if (!a || !b) return ks_corrupt_entry(d);
  al_free(d, a);
  al_free(d, b);
  return SHMD_OK;
}

/* Lists: insert k at position i (i == count appends). */
int cw_insert_at(struct xctx *x, struct cref *c, uint64_t i, const uint8_t *k, uint32_t kl) {
  struct dict *d = x->d;
  int rc;
  if (c->enc == ENC_PACK && (!pk_fits(kl, 0) || count_of(x, c) >= PACK_MAX_ELEMS) &&
      (rc = c_convert(x, c)))
    return rc;
  if (c->enc == ENC_PACK) {
    uint32_t at = 0;
    if (c->roots[0]) {
      struct pview pv;
      if (pk_open(d, c->roots[0], SHMD_T_LIST, &pv) || pk_skip(&pv, i, &at))
        return ks_corrupt_entry(d);
    }
    uint8_t buf[2 + 2 * PACK_MAX_BYTES];
    uint32_t n = pk_build(SHMD_T_LIST, k, kl, NULL, 0, 0, buf);
    return pk_splice(d, &c->roots[0], SHMD_T_LIST, at, 0, buf, n, 1);
  }
  uint32_t neu;
  if ((rc = tn_new(d, 0, k, kl, NULL, 0, &neu))) return rc;
  return tr_insert_at(d, &c->roots[0], i, neu);
}

/* Remove the elements at positions [from, from + n) (a sorted set's members
 * from both trees), calling emit (if any) on each first — in order, or
 * reversed with rev. Their bytes stay readable until the command ends. */
int cw_cut(struct xctx *x, struct cref *c, uint64_t from, uint64_t n, int rev, emit_fn emit,
           void *arg) {
  struct dict *d = x->d;
  uint8_t type = c->e ? c->e->type : x->type;
  int rc;
  if (!n) return SHMD_OK;
  if (c->enc == ENC_PACK) {
    struct pview pv;
    uint32_t at0, at, offs[PACK_MAX_ELEMS];
    struct elem e;
    if (!c->roots[0] || pk_open(d, c->roots[0], type, &pv) || from + n > pv.n ||
        pk_skip(&pv, from, &at0))
      return ks_corrupt_entry(d);
    at = at0;
    for (uint64_t i = 0; i < n; i++) {
      uint32_t sz = pk_elem(&pv, at, &e);
      if (!sz) return ks_corrupt_entry(d);
      offs[i] = at;
      at += sz;
    }
    for (uint64_t i = 0; emit && i < n; i++) {
      pk_elem(&pv, offs[rev ? n - 1 - i : i], &e);
      emit(x, &e, arg);
    }
    return pk_splice(d, &c->roots[0], type, at0, at - at0, NULL, 0, -(int)n);
  }
  uint32_t cut;
  if ((rc = tr_cut(d, &c->roots[0], from, n, &cut))) return rc;
  if (emit || type == SHMD_T_ZSET) {
    struct cview cv = {d, type, ENC_TREE, {cut, 0}};
    for (uint64_t i = 0; i < n; i++) {
      struct elem e;
      if (type == SHMD_T_ZSET && !j_room(d, ELEM_ROOM)) return j_fail(d, "this range");
      if ((rc = cv_at(&cv, rev ? n - 1 - i : i, &e)) != 1) return bad(x, rc ? rc : R_RETRY);
      if (emit) emit(x, &e, arg);
      if (type == SHMD_T_ZSET) {
        struct tkey ik = {c_ord(d, e.k, e.kl), e.k, e.kl, 0};
        uint32_t inn;
        if ((rc = tr_erase(d, &c->roots[1], &ik, &inn))) return rc;
        if (!inn) return ks_corrupt_entry(d);
        al_free(d, inn);
      }
    }
  }
  tr_free_all(d, cut);
  return SHMD_OK;
}
