/*
 * pack.c — the compact encoding of small containers (what Redis's listpack
 * is to Redis): the whole container is ONE heap block holding its elements
 * packed one after another, with no per-element node, header or block.
 *
 * A container is packed while it holds at most PACK_MAX_ELEMS elements and
 * every field, member, value and list element is at most PACK_MAX_BYTES long
 * (Redis's defaults: 128 entries, 64 bytes). The write that would break either
 * bound first converts it to the treap encoding (tree.c), once and for good,
 * as Redis does; container.c decides when.
 *
 * Block payload (after the allocator's 8-byte block header):
 *
 *   struct pack   n (elements, 1..128), type (SHMD_T_* of the container),
 *                 used (bytes of elements that follow)
 *   elements      back to back, each one of
 *                   list, set : [kl u8][k]
 *                   hash      : [kl u8][vl u8][k][v]
 *                   sorted set: [score f64, native order][kl u8][k]
 *
 * Order: a list by position; a sorted set by (score, member) — scores
 * compared as doubles, ties by the member's bytes, as the score tree orders
 * them; hashes and sets in insertion order (an insert appends). Packed hashes,
 * sets and sorted sets are scanned in one call (HSCAN/SSCAN/ZSCAN return every
 * element with cursor 0, as Redis does for its compact encodings), so no
 * cursor ever points into a packed container's order; and since conversion is
 * one way, a scan started on a treap never meets a packed container of the same
 * lifetime.
 *
 * Every access is O(n) in the block (n <= 128 elements of <= 130 bytes: at most
 * 16.3 KiB), the same bound Redis accepts for listpacks. A lookup walks the
 * elements comparing lengths first; nothing is allocated per element.
 *
 * Writes (pk_splice): one primitive replaces a byte range of the elements with
 * new bytes, changing the count. In place when the block has room (and is not
 * more than about twice too large): the header and every byte the move
 * writes (from the splice point to the new end) are saved in the undo journal
 * first, then moved. Otherwise a new block is allocated
 * and filled (a fresh block needs no journal: on rollback the allocator's own
 * records free it again), the old block is freed (deferred to the command's
 * end) and the new root is returned for the caller to store through the
 * journal. Either way a crash at any journaled write leaves the block exactly
 * as before the command once rolled back. Growing allocates an eighth more
 * than needed, so appends do not reallocate every time.
 *
 * Lock-free readers (pk_open, pk_elem) trust nothing: the header is checked
 * against the block's size tag and the committed heap, every length is read
 * once and checked against PACK_MAX_BYTES and the bytes left in the block, and
 * a walk never takes more steps than the header's count (<= 128). A torn or
 * corrupt block is R_RETRY (a reader retries; a writer under the lock marks
 * the segment corrupt), never an out-of-bounds read.
 */
#include <math.h>
#include <stdio.h>

#include "internal.h"

#define LD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
/* the longest element: a hash field and value of PACK_MAX_BYTES each */
#define PACK_ELEM_MAX (2u + 2u * PACK_MAX_BYTES)
#define PACK_MAX_USED (PACK_MAX_ELEMS * PACK_ELEM_MAX)

static uint32_t ehdr(uint8_t type) {
  return type == SHMD_T_HASH ? 2u : type == SHMD_T_ZSET ? 9u : 1u;
}

static int p_bad(struct dict *d) {
  atomic_store(&d->hdr->corrupt, 1);
  return shmd_err(SHMD_E_CORRUPT, "packed container corrupt in dictionary %s", d->name);
}

/* Open the packed block at off for reading: header sane, elements inside the
 * block and the committed heap. 0 or R_RETRY. */
int pk_open(const struct dict *d, uint32_t off, uint8_t type, struct pview *pv) {
  if (!in_heap(d, off, 8 + PACK_HDR)) return R_RETRY;
  uint32_t units = LD(*(uint32_t *)unit_ptr(d, off)) & 0x7fffffffu;
  const struct pack *h = (const struct pack *)blk_data(d, off);
  uint32_t n = LD(h->n), used = LD(h->used);
  if (LD(h->type) != type || n == 0 || n > PACK_MAX_ELEMS || used > PACK_MAX_USED ||
      used < n * ehdr(type))
    return R_RETRY;
  if (8u + PACK_HDR + used > (uint64_t)units << UNIT_SHIFT || !in_heap(d, off, 8 + PACK_HDR + used))
    return R_RETRY;
  pv->p = (const uint8_t *)(h + 1);
  pv->used = used;
  pv->n = n;
  pv->type = type;
  return 0;
}

/* Parse the element starting `at` bytes into the elements: fills e, returns
 * its size in bytes, or 0 when it does not fit (torn or corrupt). */
uint32_t pk_elem(const struct pview *pv, uint32_t at, struct elem *e) {
  uint32_t h = ehdr(pv->type);
  if (at >= pv->used || pv->used - at < h) return 0;
  const uint8_t *q = pv->p + at;
  uint32_t kl, vl = 0;
  double s = 0;
  if (pv->type == SHMD_T_HASH) {
    kl = __atomic_load_n(q, __ATOMIC_RELAXED);
    vl = __atomic_load_n(q + 1, __ATOMIC_RELAXED);
  } else if (pv->type == SHMD_T_ZSET) {
    memcpy(&s, q, 8);
    kl = __atomic_load_n(q + 8, __ATOMIC_RELAXED);
  } else {
    kl = __atomic_load_n(q, __ATOMIC_RELAXED);
  }
  if (kl > PACK_MAX_BYTES || vl > PACK_MAX_BYTES) return 0;
  uint32_t sz = h + kl + vl;
  if (pv->used - at < sz) return 0;
  e->k = q + h;
  e->kl = kl;
  e->v = q + h + kl;
  e->vl = vl;
  e->score = s;
  return sz;
}

/* The element whose field or member is (k, kl): 1 (e filled; its offset and
 * size in *at_out, *sz_out), 0 when absent, R_RETRY. The hot loop of every
 * lookup: it reads two length bytes per element and touches the bytes of an
 * element only when the length, first and last bytes match. */
int pk_search(const struct pview *pv, const uint8_t *k, uint32_t kl, struct elem *e,
              uint32_t *at_out, uint32_t *sz_out) {
  const uint8_t *p = pv->p;
  uint32_t h = ehdr(pv->type), used = pv->used, at = 0;
  uint32_t lat = pv->type == SHMD_T_ZSET ? 8u : 0u; /* where the length byte sits */
  int hash = pv->type == SHMD_T_HASH;
  for (uint32_t i = 0; i < pv->n; i++) {
    if (used - at < h) return R_RETRY;
    uint32_t l = __atomic_load_n(p + at + lat, __ATOMIC_RELAXED);
    uint32_t vl = hash ? __atomic_load_n(p + at + 1, __ATOMIC_RELAXED) : 0;
    if (l > PACK_MAX_BYTES || vl > PACK_MAX_BYTES) return R_RETRY;
    uint32_t sz = h + l + vl;
    if (used - at < sz) return R_RETRY;
    const uint8_t *q = p + at + h;
    if (l == kl && (kl == 0 || (q[0] == k[0] && q[kl - 1] == k[kl - 1] && memcmp(q, k, kl) == 0))) {
      if (pk_elem(pv, at, e) != sz) return R_RETRY;
      if (at_out) *at_out = at;
      if (sz_out) *sz_out = sz;
      return 1;
    }
    at += sz;
  }
  return 0;
}

/* The byte offset of element i (i == n: the end). 0 or R_RETRY. */
int pk_skip(const struct pview *pv, uint64_t i, uint32_t *at) {
  uint32_t a = 0;
  struct elem e;
  if (i > pv->n) return R_RETRY;
  for (uint64_t j = 0; j < i; j++) {
    uint32_t sz = pk_elem(pv, a, &e);
    if (!sz) return R_RETRY;
    a += sz;
  }
  *at = a;
  return 0;
}

/* Encode one element into buf (room for 2 + 2 * PACK_MAX_BYTES); its size. */
uint32_t pk_build(uint8_t type, const uint8_t *k, uint32_t kl, const uint8_t *v, uint32_t vl,
                  double score, uint8_t *buf) {
  uint32_t h = ehdr(type);
  if (type == SHMD_T_HASH) {
    buf[0] = (uint8_t)kl;
    buf[1] = (uint8_t)vl;
    if (vl) memcpy(buf + h + kl, v, vl);
  } else if (type == SHMD_T_ZSET) {
    memcpy(buf, &score, 8);
    buf[8] = (uint8_t)kl;
    vl = 0;
  } else {
    buf[0] = (uint8_t)kl;
    vl = 0;
  }
  if (kl) memcpy(buf + h, k, kl);
  return h + kl + vl;
}

/* Replace the bytes [at, at + del) of the elements of the packed block *root
 * (0: none yet) with the ilen bytes at ins (never inside the block), the
 * element count changing by dn. Stores the new block in *root when it moved
 * (0 when the container emptied); the caller stores *root through the journal
 * (c_done). Under the lock. */
int pk_splice(struct dict *d, uint32_t *root, uint8_t type, uint32_t at, uint32_t del,
              const uint8_t *ins, uint32_t ilen, int dn) {
  uint32_t off = *root, used = 0, n = 0;
  uint64_t cap = 0;
  struct pack *h = NULL;
  if (off) {
    struct pview pv;
    if (pk_open(d, off, type, &pv)) return p_bad(d);
    h = (struct pack *)blk_data(d, off);
    used = pv.used;
    n = pv.n;
    cap = al_capacity(d, off);
  }
  if (at > used || del > used - at || (int64_t)n + dn < 0 || (int64_t)n + dn > PACK_MAX_ELEMS ||
      (uint64_t)used - del + ilen > PACK_MAX_USED)
    return p_bad(d);
  uint32_t nused = used - del + ilen, nn = (uint32_t)((int64_t)n + dn);
  if (nn == 0) {
    if (nused) return p_bad(d);
    if (off) al_free(d, off);
    *root = 0;
    return SHMD_OK;
  }
  uint64_t need = PACK_HDR + (uint64_t)nused;
  /* every byte the move writes, [at, nused): even bytes past the current end
   * may be reachable from the committed state when an earlier splice of the
   * same command shortened the block */
  uint32_t end = nused;
  if (!j_room(d, 4096 + (uint64_t)end - at)) return j_fail(d, "this change");
  if (off && need <= cap && cap <= 2 * need + 128) { /* in place */
    uint8_t *p = (uint8_t *)(h + 1);
    j_save(d, h, PACK_HDR);
    if (end > at) j_save(d, p + at, end - at);
    memmove(p + at + ilen, p + at + del, used - at - del);
    if (ilen) memcpy(p + at, ins, ilen);
    h->used = nused;
    h->n = (uint16_t)nn;
    return SHMD_OK;
  }
  uint64_t want = need + (nused > used ? need / 8 : 0);
  uint32_t neu;
  int rc = al_alloc(d, want, &neu);
  if (rc) return rc;
  struct pack *g = (struct pack *)blk_data(d, neu);
  uint8_t *q = (uint8_t *)(g + 1);
  g->n = (uint16_t)nn;
  g->type = type;
  g->pad = 0;
  g->used = nused;
  if (off) memcpy(q, h + 1, at);
  if (ilen) memcpy(q + at, ins, ilen);
  if (off) memcpy(q + at + ilen, (uint8_t *)(h + 1) + at + del, used - at - del);
  if (off) al_free(d, off);
  *root = neu;
  return SHMD_OK;
}

/* Build the treap encoding of the packed block `pack` into roots (fresh
 * nodes: the element tree, and for a sorted set the member index) and free
 * the block. Under the lock; the caller stores the roots. */
int pk_to_tree(struct dict *d, uint8_t type, uint32_t pack, uint32_t roots[2]) {
  struct pview pv;
  roots[0] = roots[1] = 0;
  if (!pack) return SHMD_OK;
  if (pk_open(d, pack, type, &pv)) return p_bad(d);
  uint32_t at = 0;
  for (uint32_t i = 0; i < pv.n; i++) {
    struct elem e;
    uint32_t sz = pk_elem(&pv, at, &e), neu;
    if (!sz) return p_bad(d);
    at += sz;
    if (!j_room(d, 4096)) return j_fail(d, "this conversion");
    int rc;
    switch (type) {
      case SHMD_T_HASH:
        if ((rc = tn_new(d, c_ord(d, e.k, e.kl), e.k, e.kl, e.v, e.vl, &neu))) return rc;
        if ((rc = tr_insert(d, &roots[0], neu, 0))) return rc;
        break;
      case SHMD_T_SET:
        if ((rc = tn_new(d, c_ord(d, e.k, e.kl), e.k, e.kl, NULL, 0, &neu))) return rc;
        if ((rc = tr_insert(d, &roots[0], neu, 0))) return rc;
        break;
      case SHMD_T_ZSET:
        /* packed order is score order: append */
        if ((rc = tn_new(d, zs_bits(e.score), e.k, e.kl, NULL, 0, &neu))) return rc;
        if ((rc = tr_insert_at(d, &roots[0], i, neu))) return rc;
        if ((rc = tn_new(d, c_ord(d, e.k, e.kl), e.k, e.kl, (const uint8_t *)&e.score, 8, &neu)))
          return rc;
        if ((rc = tr_insert(d, &roots[1], neu, 0))) return rc;
        break;
      default:
        if ((rc = tn_new(d, 0, e.k, e.kl, NULL, 0, &neu))) return rc;
        if ((rc = tr_insert_at(d, &roots[0], i, neu))) return rc;
        break;
    }
  }
  if (at != pv.used) return p_bad(d);
  al_free(d, pack);
  return SHMD_OK;
}

/* A copy of the packed block `pack` (COPY). */
int pk_copy(struct dict *d, uint32_t pack, uint32_t *out) {
  struct pview pv;
  *out = 0;
  if (!pack) return SHMD_OK;
  const struct pack *h = (const struct pack *)blk_data(d, pack);
  if (pk_open(d, pack, h->type, &pv)) return p_bad(d);
  uint32_t neu;
  int rc = al_alloc(d, PACK_HDR + (uint64_t)pv.used, &neu);
  if (rc) return rc;
  memcpy(blk_data(d, neu), h, PACK_HDR + (size_t)pv.used);
  *out = neu;
  return SHMD_OK;
}

/* ---- the check ---- */

/* Verify the packed block at off fully — header, every element inside the
 * block and within the size bounds, the count, the order of a sorted set (no
 * NaN scores), no repeated member or field — and mark it. Returns the
 * element count, or -1 (reported) when broken. */
int64_t pk_check(struct dict *d, uint32_t off, uint8_t type, uint8_t *mark, uint32_t top,
                 char *rep, uint32_t cap, uint32_t *rlen, int *problems) {
  struct pview pv;
  const char *why = NULL;
  char line[160];
  if (!off) {
    why = "is empty (should have been deleted)";
    goto broken;
  }
  if (pk_open(d, off, type, &pv)) {
    why = "has a bad header, type or size";
    goto broken;
  }
  if (!mark_unit(d, mark, top, off)) {
    why = "lies outside the heap";
    goto broken;
  }
  uint32_t at = 0, offs[PACK_MAX_ELEMS];
  struct elem prev = {0}, e;
  for (uint32_t i = 0; i < pv.n; i++) {
    uint32_t sz = pk_elem(&pv, at, &e);
    if (!sz) {
      why = "has an element overrunning the block or the size bounds";
      goto broken;
    }
    offs[i] = at;
    at += sz;
    if (type == SHMD_T_ZSET) {
      if (isnan(e.score)) {
        why = "holds a NaN score";
        goto broken;
      }
      if (i && z_cmp(prev.score, prev.k, prev.kl, e.score, e.k, e.kl) >= 0) {
        why = "is out of order";
        goto broken;
      }
    }
    if (type != SHMD_T_LIST)
      for (uint32_t j = 0; j < i; j++) {
        struct elem o;
        pk_elem(&pv, offs[j], &o);
        if (o.kl == e.kl && memcmp(o.k, e.k, e.kl) == 0) {
          why = "holds an element twice";
          goto broken;
        }
      }
    prev = e;
  }
  if (at != pv.used) {
    why = "has a count that does not match its bytes";
    goto broken;
  }
  return pv.n;
broken:
  (*problems)++;
  {
    int k = snprintf(line, sizeof line, "packed container at unit %u %s\n", off, why);
    for (int i = 0; i < k && *rlen < cap; i++) rep[(*rlen)++] = line[i];
  }
  return -1;
}
