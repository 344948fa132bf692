/*
 * tree.c — the one balanced tree every container is built on: a treap (a
 * binary search tree that is also a heap on random priorities) whose nodes
 * count their subtrees, so that rank and select are O(log n) expected.
 *
 * Two flavours share the code:
 *  - keyed trees order nodes by (ord, bytes): ord is a 64-bit number compared
 *    first (a 52-bit hash for hashes, sets and the member index of sorted
 *    sets; a score, compared as a double, for the score order of sorted sets),
 *    then the node's bytes (memcmp, shorter first);
 *  - implicit trees (lists) order nodes by position only.
 *
 * Every operation is split and merge: insert = split, merge, merge; erase =
 * two splits and a merge. They recurse at most TREE_MAX_DEPTH levels; a deeper
 * tree (impossible for a sane treap of any size that fits a segment, with
 * overwhelming probability) or any out-of-bounds node makes the operation fail
 * with SHMD_E_CORRUPT, marking the segment.
 *
 * A node is one heap block: 32 bytes of header (left, right, subtree count,
 * priority, ord, key length, value length), then the key bytes, then the
 * value bytes. Every change to a node that existed before the command goes
 * through the journal (tset32), so trees are all-or-nothing under a crash like
 * everything else. Readers walk trees without the lock: every node they meet
 * is bounds-checked (tn_get) and every walk is bounded.
 */
#include <stdio.h>

#include "internal.h"

#define LD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

static uint64_t g_prio = 0;

static uint32_t next_prio(void) {
  if (!g_prio) g_prio = os_random64() | 1;
  g_prio ^= g_prio << 13;
  g_prio ^= g_prio >> 7;
  g_prio ^= g_prio << 17;
  return (uint32_t)(g_prio >> 16);
}

static int t_bad(struct dict *d) {
  atomic_store(&d->hdr->corrupt, 1);
  return shmd_err(SHMD_E_CORRUPT, "container tree corrupt in dictionary %s", d->name);
}

/* The node at off if it lies wholly inside its block; NULL otherwise. */
struct tnode *tn_get(const struct dict *d, uint32_t off) {
  if (!in_heap(d, off, 8 + TNODE_HDR)) return NULL;
  struct tnode *n = (struct tnode *)blk_data(d, off);
  uint64_t need = (uint64_t)TNODE_HDR + LD(n->klen) + LD(n->vlen);
  uint32_t sz = LD(*(uint32_t *)unit_ptr(d, off)) & 0x7fffffffu;
  if (need > ((uint64_t)sz << UNIT_SHIFT) - 8 || !in_heap(d, off, 8 + need)) return NULL;
  return n;
}

static void tset32(struct dict *d, uint32_t *p, uint32_t v) {
  if (*p != v) j_set32(d, p, v);
}

static uint32_t cnt_of(struct dict *d, uint32_t off) {
  if (!off) return 0;
  struct tnode *n = tn_get(d, off);
  if (!n) {
    t_bad(d); /* fails the command (w_end sees the sticky flag) and every later one */
    return 0;
  }
  return n->cnt;
}

static void fix(struct dict *d, struct tnode *n) {
  tset32(d, &n->cnt, 1 + cnt_of(d, n->l) + cnt_of(d, n->r));
}

/* Compare a search key with node n: <0, 0, >0. */
int tn_cmp(const struct tkey *k, const struct tnode *n) {
  if (k->score_order) {
    double a, b;
    memcpy(&a, &k->ord, 8);
    memcpy(&b, &n->ord, 8);
    if (a < b) return -1;
    if (a > b) return 1;
  } else if (k->ord != n->ord) {
    return k->ord < n->ord ? -1 : 1;
  }
  uint32_t nl = n->klen, m = k->len < nl ? k->len : nl;
  int c = memcmp(k->bytes, tn_key(n), m);
  if (c) return c;
  return k->len < nl ? -1 : k->len > nl ? 1 : 0;
}

/* ---- split and merge (recursive, depth-bounded) ---- */

struct sm {
  struct dict *d;
  const struct tkey *k; /* keyed split; NULL: split by position */
  uint64_t pos;         /* implicit split: the first `pos` nodes go left */
  int le;               /* keyed: nodes equal to the key go left */
  int err;
};

static void split(struct sm *s, uint32_t t, uint32_t *l, uint32_t *r, int depth) {
  if (!t) {
    *l = *r = 0;
    return;
  }
  struct tnode *n = depth < TREE_MAX_DEPTH ? tn_get(s->d, t) : NULL;
  if (!n) {
    s->err = t_bad(s->d);
    *l = *r = 0;
    return;
  }
  int go_left; /* does node t belong to the left part? */
  if (s->k) {
    int c = tn_cmp(s->k, n);
    go_left = s->le ? c >= 0 : c > 0;
  } else {
    uint64_t lc = cnt_of(s->d, n->l);
    go_left = lc < s->pos;
    if (go_left) s->pos -= lc + 1;
  }
  if (go_left) {
    uint32_t a, b;
    split(s, n->r, &a, &b, depth + 1);
    tset32(s->d, &n->r, a);
    fix(s->d, n);
    *l = t;
    *r = b;
  } else {
    uint32_t a, b;
    split(s, n->l, &a, &b, depth + 1);
    tset32(s->d, &n->l, b);
    fix(s->d, n);
    *l = a;
    *r = t;
  }
}

static uint32_t merge(struct sm *s, uint32_t a, uint32_t b, int depth) {
  if (!a) return b;
  if (!b) return a;
  struct tnode *na = depth < TREE_MAX_DEPTH ? tn_get(s->d, a) : NULL;
  struct tnode *nb = depth < TREE_MAX_DEPTH ? tn_get(s->d, b) : NULL;
  if (!na || !nb) {
    s->err = t_bad(s->d);
    return a;
  }
  if (na->prio > nb->prio) {
    tset32(s->d, &na->r, merge(s, na->r, b, depth + 1));
    fix(s->d, na);
    return a;
  }
  tset32(s->d, &nb->l, merge(s, a, nb->l, depth + 1));
  fix(s->d, nb);
  return b;
}

/* ---- node creation ---- */

int tn_new(struct dict *d, uint64_t ord, const uint8_t *key, uint32_t klen, const uint8_t *val,
           uint32_t vlen, uint32_t *off_out) {
  uint32_t off;
  int rc = al_alloc(d, (uint64_t)TNODE_HDR + klen + vlen, &off);
  if (rc) return rc;
  struct tnode *n = (struct tnode *)blk_data(d, off);
  n->l = n->r = 0;
  n->cnt = 1;
  n->prio = next_prio();
  n->ord = ord;
  n->klen = klen;
  n->vlen = vlen;
  if (klen) memcpy(tn_key(n), key, klen);
  if (vlen) memcpy(tn_val(n), val, vlen);
  *off_out = off;
  return SHMD_OK;
}

/* ---- keyed trees ---- */

/* Find the node equal to k. Returns 0 (with *off_out 0 when absent) or an
 * error; usable lock-free (then R_RETRY means "try again"). */
int tr_find(const struct dict *d, uint32_t root, const struct tkey *k, uint32_t *off_out) {
  uint32_t t = root;
  for (int depth = 0; t; depth++) {
    const struct tnode *n = depth < TREE_MAX_DEPTH ? tn_get(d, t) : NULL;
    if (!n) return R_RETRY;
    int c = tn_cmp(k, n);
    if (c == 0) {
      *off_out = t;
      return 0;
    }
    t = c < 0 ? LD(n->l) : LD(n->r);
  }
  *off_out = 0;
  return 0;
}

/* Insert node `off` (its key must be absent) into *root. */
/* Insert the single node off (l = r = 0) by descent and rotations: walk down
 * to its leaf position counting it into every subtree on the way, hang it
 * there, and rotate it up while its priority beats its parent's. This touches
 * one count per level and a few links, so it journals far less than a split
 * and two merges. k is its key (keyed trees) or NULL with pos its position. */
static int insert_rot(struct dict *d, uint32_t *root, uint32_t off, const struct tkey *k,
                      uint64_t pos) {
  uint32_t path[TREE_MAX_DEPTH];
  uint8_t right[TREE_MAX_DEPTH];
  struct tnode *n = (struct tnode *)blk_data(d, off);
  int depth = 0;
  for (uint32_t t = *root; t;) {
    struct tnode *nd = depth < TREE_MAX_DEPTH ? tn_get(d, t) : NULL;
    if (!nd) return t_bad(d);
    int go_right;
    if (k) {
      go_right = tn_cmp(k, nd) > 0;
    } else {
      uint64_t lc = cnt_of(d, nd->l);
      go_right = pos > lc;
      if (go_right) pos -= lc + 1;
    }
    path[depth] = t;
    right[depth++] = (uint8_t)go_right;
    t = go_right ? nd->r : nd->l;
  }
  for (int i = 0; i < depth; i++) {
    struct tnode *nd = (struct tnode *)blk_data(d, path[i]);
    tset32(d, &nd->cnt, nd->cnt + 1);
  }
  while (depth > 0) {
    struct tnode *p = (struct tnode *)blk_data(d, path[depth - 1]);
    if (p->prio >= n->prio) break;
    if (right[depth - 1]) { /* n is p's right child: rotate left */
      tset32(d, &p->r, n->l);
      tset32(d, &n->l, path[depth - 1]);
    } else {
      tset32(d, &p->l, n->r);
      tset32(d, &n->r, path[depth - 1]);
    }
    fix(d, p);
    fix(d, n);
    depth--;
  }
  if (depth == 0) {
    *root = off; /* roots live in the caller's memory; c_done stores them */
  } else {
    struct tnode *p = (struct tnode *)blk_data(d, path[depth - 1]);
    tset32(d, right[depth - 1] ? &p->r : &p->l, off);
  }
  return atomic_load(&d->hdr->corrupt) ? t_bad(d) : SHMD_OK;
}

int tr_insert(struct dict *d, uint32_t *root, uint32_t off, int score_order) {
  struct tnode *n = (struct tnode *)blk_data(d, off);
  struct tkey k = {n->ord, tn_key(n), n->klen, score_order};
  if (!n->l && !n->r) return insert_rot(d, root, off, &k, 0);
  struct sm s = {d, &k, 0, 0, 0};
  uint32_t l, r;
  split(&s, *root, &l, &r, 0);
  if (s.err) return s.err;
  uint32_t t = merge(&s, merge(&s, l, off, 0), r, 0);
  if (s.err) return s.err;
  *root = t; /* roots live in the caller's memory; c_done stores them */
  return SHMD_OK;
}

/* Remove the node equal to k from *root; *off_out is it (0 if absent). The
 * caller frees it. By descent and rotations: find the node, rotate it down
 * (the child of higher priority goes up) until it has at most one child,
 * splice it out, and recount the path from the bottom up. */
int tr_erase(struct dict *d, uint32_t *root, const struct tkey *k, uint32_t *off_out) {
  uint32_t path[TREE_MAX_DEPTH];
  uint8_t right[TREE_MAX_DEPTH];
  int depth = 0;
  uint32_t t = *root;
  struct tnode *tn = NULL;
  *off_out = 0;
  while (t) {
    tn = depth < TREE_MAX_DEPTH ? tn_get(d, t) : NULL;
    if (!tn) return t_bad(d);
    int c = tn_cmp(k, tn);
    if (c == 0) break;
    path[depth] = t;
    right[depth++] = (uint8_t)(c > 0);
    t = c > 0 ? tn->r : tn->l;
  }
  if (!t) return SHMD_OK; /* absent: nothing changed */
  while (tn->l && tn->r) {
    struct tnode *l = tn_get(d, tn->l), *r = tn_get(d, tn->r);
    if (!l || !r || depth >= TREE_MAX_DEPTH) return t_bad(d);
    uint32_t up;
    if (l->prio > r->prio) { /* rotate right: l goes up, t becomes its right child */
      up = tn->l;
      tset32(d, &tn->l, l->r);
      tset32(d, &l->r, t);
      right[depth] = 1;
    } else { /* rotate left: r goes up, t becomes its left child */
      up = tn->r;
      tset32(d, &tn->r, r->l);
      tset32(d, &r->l, t);
      right[depth] = 0;
    }
    if (depth == 0)
      *root = up;
    else
      tset32(d, right[depth - 1] ? &((struct tnode *)blk_data(d, path[depth - 1]))->r
                                 : &((struct tnode *)blk_data(d, path[depth - 1]))->l,
             up);
    path[depth++] = up;
  }
  uint32_t child = tn->l ? tn->l : tn->r;
  if (depth == 0)
    *root = child; /* roots live in the caller's memory; c_done stores them */
  else
    tset32(d, right[depth - 1] ? &((struct tnode *)blk_data(d, path[depth - 1]))->r
                               : &((struct tnode *)blk_data(d, path[depth - 1]))->l,
           child);
  tset32(d, &tn->l, 0);
  tset32(d, &tn->r, 0);
  tset32(d, &tn->cnt, 1);
  for (int i = depth - 1; i >= 0; i--) fix(d, (struct tnode *)blk_data(d, path[i]));
  *off_out = t;
  return atomic_load(&d->hdr->corrupt) ? t_bad(d) : SHMD_OK;
}

/* Number of nodes ordered before k. Lock-free safe. */
int tr_rank(const struct dict *d, uint32_t root, const struct tkey *k, uint64_t *rank_out) {
  uint64_t rank = 0;
  uint32_t t = root;
  for (int depth = 0; t; depth++) {
    const struct tnode *n = depth < TREE_MAX_DEPTH ? tn_get(d, t) : NULL;
    if (!n) return R_RETRY;
    int c = tn_cmp(k, n);
    if (c <= 0) {
      t = LD(n->l);
    } else {
      uint32_t l = LD(n->l);
      const struct tnode *ln = l ? tn_get(d, l) : NULL;
      if (l && !ln) return R_RETRY;
      rank += (ln ? LD(ln->cnt) : 0) + 1;
      t = LD(n->r);
    }
  }
  *rank_out = rank;
  return 0;
}

/* ---- by position (every tree) ---- */

/* The node at rank i (0-based) or 0. Lock-free safe. */
int tr_select(const struct dict *d, uint32_t root, uint64_t i, uint32_t *off_out) {
  uint32_t t = root;
  for (int depth = 0; t; depth++) {
    const struct tnode *n = depth < TREE_MAX_DEPTH ? tn_get(d, t) : NULL;
    if (!n) return R_RETRY;
    uint32_t l = LD(n->l);
    const struct tnode *ln = l ? tn_get(d, l) : NULL;
    if (l && !ln) return R_RETRY;
    uint64_t lc = ln ? LD(ln->cnt) : 0;
    if (i < lc) {
      t = l;
    } else if (i == lc) {
      *off_out = t;
      return 0;
    } else {
      i -= lc + 1;
      t = LD(n->r);
    }
  }
  *off_out = 0;
  return 0;
}

/* Insert node off at position i of an implicit tree (i == count appends). */
int tr_insert_at(struct dict *d, uint32_t *root, uint64_t i, uint32_t off) {
  struct tnode *n = (struct tnode *)blk_data(d, off);
  if (!n->l && !n->r) return insert_rot(d, root, off, NULL, i);
  struct sm s = {d, NULL, i, 0, 0};
  uint32_t l, r;
  split(&s, *root, &l, &r, 0);
  if (s.err) return s.err;
  uint32_t t = merge(&s, merge(&s, l, off, 0), r, 0);
  if (s.err) return s.err;
  *root = t; /* roots live in the caller's memory; c_done stores them */
  return SHMD_OK;
}

/* Cut the nodes at positions [from, from + n) out of *root into *cut (a tree
 * of their own, in order). */
int tr_cut(struct dict *d, uint32_t *root, uint64_t from, uint64_t n, uint32_t *cut) {
  struct sm s = {d, NULL, from, 0, 0};
  uint32_t l, mr, m, r;
  split(&s, *root, &l, &mr, 0);
  s.pos = n;
  split(&s, mr, &m, &r, 0);
  if (s.err) return s.err;
  uint32_t t = merge(&s, l, r, 0);
  if (s.err) return s.err;
  *root = t; /* roots live in the caller's memory; c_done stores them */
  *cut = m;
  return SHMD_OK;
}

/* Cut out the nodes ordered in [lo, hi) by key (lo NULL: from the start; hi
 * NULL: to the end; lo_incl/hi_incl choose open or closed ends). */
int tr_cut_range(struct dict *d, uint32_t *root, const struct tkey *lo, int lo_incl,
                 const struct tkey *hi, int hi_incl, uint32_t *cut) {
  struct sm s = {d, NULL, 0, 0, 0};
  uint32_t l = 0, mr = *root, m, r = 0;
  if (lo) {
    s.k = lo;
    s.le = !lo_incl;
    split(&s, *root, &l, &mr, 0);
  }
  m = mr;
  if (hi) {
    s.k = hi;
    s.le = hi_incl;
    split(&s, mr, &m, &r, 0);
  }
  if (s.err) return s.err;
  uint32_t t = merge(&s, l, r, 0);
  if (s.err) return s.err;
  *root = t; /* roots live in the caller's memory; c_done stores them */
  *cut = m;
  return SHMD_OK;
}

/* ---- lazy freeing ----
 *
 * Deleting a container must not cost (or journal) one change per element, so
 * a deleted tree is only pushed onto the segment's garbage list (one
 * journaled word), and every write command frees a few garbage nodes (gc_step):
 * it pops a root, pushes its two subtrees, and frees the node. A garbage root
 * links to the next through its `cnt` field, which means nothing there. */

void tr_free_all(struct dict *d, uint32_t root) {
  if (!root) return;
  struct ks_state *ks = &d->hdr->ks;
  struct tnode *n = tn_get(d, root);
  if (!n) {
    t_bad(d);
    return;
  }
  tset32(d, &n->cnt, ks->garbage);
  j_set32(d, &ks->garbage, root);
}

void gc_step(struct dict *d, uint32_t nodes) {
  struct ks_state *ks = &d->hdr->ks;
  while (nodes-- > 0 && ks->garbage) {
    uint32_t g = ks->garbage;
    struct tnode *n = tn_get(d, g);
    if (!n) {
      t_bad(d);
      return;
    }
    uint32_t next = n->cnt, l = n->l, r = n->r;
    struct tnode *ln = l ? tn_get(d, l) : NULL, *rn = r ? tn_get(d, r) : NULL;
    if ((l && !ln) || (r && !rn)) {
      t_bad(d);
      return;
    }
    if (ln) {
      tset32(d, &ln->cnt, next);
      next = l;
    }
    if (rn) {
      tset32(d, &rn->cnt, next);
      next = r;
    }
    j_set32(d, &ks->garbage, next);
    al_free(d, g);
  }
}

/* ---- in-order iteration ---- */

/* Position it on the node of rank i. Lock-free safe. */
int it_seek(struct titer *it, const struct dict *d, uint32_t root, uint64_t i) {
  it->d = d;
  it->sp = 0;
  uint32_t t = root;
  while (t) {
    if (it->sp >= TREE_MAX_DEPTH) return R_RETRY;
    const struct tnode *n = tn_get(d, t);
    if (!n) return R_RETRY;
    uint32_t l = LD(n->l);
    const struct tnode *ln = l ? tn_get(d, l) : NULL;
    if (l && !ln) return R_RETRY;
    uint64_t lc = ln ? LD(ln->cnt) : 0;
    if (i < lc) {
      it->stack[it->sp++] = t;
      t = l;
    } else if (i == lc) {
      it->stack[it->sp++] = t;
      return 0;
    } else {
      i -= lc + 1;
      t = LD(n->r);
    }
  }
  it->sp = 0; /* past the end */
  return 0;
}

/* The current node (0 at the end); advances. Lock-free safe (R_RETRY). */
int it_next(struct titer *it, uint32_t *off_out) {
  if (it->sp == 0) {
    *off_out = 0;
    return 0;
  }
  uint32_t cur = it->stack[--it->sp];
  const struct tnode *n = tn_get(it->d, cur);
  if (!n) return R_RETRY;
  uint32_t t = LD(n->r);
  while (t) {
    if (it->sp >= TREE_MAX_DEPTH) return R_RETRY;
    const struct tnode *m = tn_get(it->d, t);
    if (!m) return R_RETRY;
    it->stack[it->sp++] = t;
    t = LD(m->l);
  }
  *off_out = cur;
  return 0;
}

/* Mark every node of a tree whose counts may not hold (garbage): depth-first
 * over the links. Returns the number of nodes, or -1 when a link is bad. */
int64_t tr_mark(struct dict *d, uint32_t root, uint8_t *mark, uint32_t top) {
  uint32_t stack[TREE_MAX_DEPTH + 1];
  int sp = 0;
  int64_t n = 0;
  if (root) stack[sp++] = root;
  while (sp > 0) {
    uint32_t t = stack[--sp];
    struct tnode *nd = tn_get(d, t);
    if (!nd || (uint64_t)n > d->max_chain || t < d->heap_start || t >= top) return -1;
    uint32_t bit = t - d->heap_start;
    if (mark[bit >> 3] & (1u << (bit & 7))) return -1; /* reached twice */
    mark_unit(d, mark, top, t);
    n++;
    if (nd->l) {
      if (sp >= TREE_MAX_DEPTH) return -1;
      stack[sp++] = nd->l;
    }
    if (nd->r) {
      if (sp >= TREE_MAX_DEPTH) return -1;
      stack[sp++] = nd->r;
    }
  }
  return n;
}

/* ---- a check of one tree, for shmd_check ---- */

/* Verify the tree: counts, heap order of priorities, key order, depth bound;
 * marks every node. Returns the number of nodes (or -1 when broken). */
int64_t tr_check(struct dict *d, uint32_t root, int keyed, int score_order, uint8_t *mark,
                 uint32_t top, char *rep, uint32_t cap, uint32_t *rlen, int *problems) {
  struct titer it;
  char line[160];
  if (it_seek(&it, d, root, 0) != 0) goto broken;
  uint64_t n = 0, total = root ? cnt_of(d, root) : 0;
  uint32_t prev = 0, off;
  while (1) {
    if (it_next(&it, &off) != 0) goto broken;
    if (!off) break;
    struct tnode *t = (struct tnode *)blk_data(d, off);
    if (t->cnt != 1 + cnt_of(d, t->l) + cnt_of(d, t->r)) goto broken;
    if ((t->l && ((struct tnode *)blk_data(d, t->l))->prio > t->prio) ||
        (t->r && ((struct tnode *)blk_data(d, t->r))->prio > t->prio))
      goto broken;
    if (keyed && prev) {
      struct tnode *p = (struct tnode *)blk_data(d, prev);
      struct tkey k = {p->ord, tn_key(p), p->klen, score_order};
      if (tn_cmp(&k, t) >= 0) goto broken;
    }
    if (!mark_unit(d, mark, top, off)) goto broken;
    prev = off;
    if (++n > total) goto broken;
  }
  if (n != total) goto broken;
  return (int64_t)n;
broken:
  (*problems)++;
  {
    int k = snprintf(line, sizeof line, "container tree at unit %u is broken\n", root);
    for (int i = 0; i < k && *rlen < cap; i++) rep[(*rlen)++] = line[i];
  }
  return -1;
}
