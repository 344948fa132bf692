/*
 * keyspace.c — the key index: a chained hash table with incremental rehash,
 * expiry, and a SCAN cursor that survives rehashing.
 *
 * Layout. A table is a heap block holding 2^log2 u32 buckets; a bucket holds
 * the unit offset of the first entry of its chain (0 = empty). An entry is one
 * heap block: a 32-byte header (next, low 32 bits of the hash, type, key and
 * value lengths, deadline) followed by the key and, for strings, the value. A
 * lookup of a resident key touches the bucket and the entry: two cache misses.
 *
 * Incremental rehash. When the table fills (keys >= buckets) a table twice as
 * large is allocated — without clearing it — and every write command moves a
 * few buckets (at most 4 non-empty ones, visiting at most 40 empty ones), so no
 * single command pays for the whole table. During the move, the table holding
 * a key is decided by its table-0 bucket index i = hash & mask0: buckets below
 * `rehashidx` have been moved, so the key lives in table 1, else in table 0.
 * New keys follow the same rule, which is why table 1 needs no clearing up
 * front: the buckets fed by old bucket i are cleared when i is moved. Tables
 * shrink the same way (to a quarter full) when keys fall below an eighth of
 * the buckets, never below 2^TABLE_MIN_LOG2 buckets.
 *
 * Read stripes. Tables are never smaller than NSTRIPES buckets, so all the
 * entries of a bucket share the stripe hash & STRIPE_MASK; a writer makes that
 * stripe odd before touching the chain, and a lock-free reader validates it
 * (api.c). Starting and finishing a rehash changes the table pointers and
 * bumps meta_seq instead.
 *
 * SCAN. The cursor is a table-0 bucket index advanced in reversed-bit order
 * (the high bits increment first), so that growing or shrinking the table
 * between calls never skips a bucket's keys; while rehashing, each call visits
 * the bucket in the smaller table and every bucket of the larger table that
 * folds onto it.
 *
 * Expiry. A key past its deadline is invisible to readers, removed lazily by
 * any writer that looks it up, and actively: each write command samples up to
 * 8 buckets from a rotating cursor and removes what has expired there.
 *
 * Bounds. Every offset read from the segment is checked (ks_entry, tab_get);
 * every chain walk is bounded by the key count, so a cycle cannot hang a
 * reader. Under the lock a violation marks the segment corrupt; in a lock-free
 * read it means "retry" until the read validates.
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

#define LD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define REHASH_STEP 4u
#define EXPIRE_BUCKETS 8u
#define EXPIRE_MAX_DEL 20u

static inline uint64_t rd64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}
static inline uint64_t rd32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}
static inline uint64_t mix(uint64_t a, uint64_t b) {
  __uint128_t r = (__uint128_t)a * b;
  return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* A seeded 64-bit hash built on the 128-bit multiply-fold: 16 bytes per round,
 * short keys read with overlapping loads. */
uint64_t ks_hash(const struct dict *d, const uint8_t *p, uint32_t len) {
  const uint64_t k0 = 0x9e3779b97f4a7c15ull, k1 = 0xbf58476d1ce4e5b9ull;
  const uint64_t k2 = 0x94d049bb133111ebull, k3 = 0x2545f4914f6cdd1dull;
  uint64_t s = d->hdr->seed ^ k0;
  uint64_t a = 0, b = 0;
  if (len <= 16) {
    if (len >= 8) {
      a = rd64(p);
      b = rd64(p + len - 8);
    } else if (len >= 4) {
      a = rd32(p);
      b = rd32(p + len - 4);
    } else if (len > 0) {
      a = ((uint64_t)p[0] << 16) | ((uint64_t)p[len >> 1] << 8) | p[len - 1];
    }
  } else {
    uint32_t i = len;
    while (i > 16) {
      s = mix(rd64(p) ^ k1, rd64(p + 8) ^ s);
      p += 16;
      i -= 16;
    }
    a = rd64(p + i - 16);
    b = rd64(p + i - 8);
  }
  return mix(mix(a ^ k1, b ^ s) ^ len, k2 ^ k3);
}

static int ks_corrupt(const struct dict *d, const char *what) {
  atomic_store(&d->hdr->corrupt, 1);
  return shmd_err(SHMD_E_CORRUPT, "index corrupt: %s", what);
}

/* The entry at off if at least `need` bytes of it lie inside its block and the
 * committed heap; NULL otherwise. */
struct entry *ks_entry(const struct dict *d, uint32_t off, uint64_t need) {
  if (need > ((uint64_t)1 << 36) || !in_heap(d, off, 8 + need)) return NULL;
  uint32_t sz = LD(*(uint32_t *)unit_ptr(d, off)) & 0x7fffffffu;
  if (((uint64_t)sz << UNIT_SHIFT) < (uint64_t)8 + need) return NULL;
  return (struct entry *)blk_data(d, off);
}

/* The whole entry at off — header, key and value within their limits and
 * inside the block — or NULL. */
struct entry *ks_entry_full(const struct dict *d, uint32_t off) {
  struct entry *e = ks_entry(d, off, ENTRY_HDR);
  if (!e) return NULL;
  uint32_t kl = LD(e->klen), vl = LD(e->vlen);
  if (kl > SHMD_MAX_KEY || vl > SHMD_MAX_VALUE) return NULL;
  return ks_entry(d, off, (uint64_t)ENTRY_HDR + kl + vl);
}

struct tabref {
  uint32_t *b;
  uint64_t mask;
};

static int tab_get(const struct dict *d, int t, struct tabref *r) {
  const struct ks_state *ks = &d->hdr->ks;
  uint32_t off = LD(ks->tab[t]), lg = LD(ks->log2[t]);
  if (!off || lg > 31 || lg < TABLE_MIN_LOG2) return 0;
  uint64_t n = 1ull << lg;
  if (!in_heap(d, off, 8 + n * 4)) return 0;
  r->b = (uint32_t *)blk_data(d, off);
  r->mask = n - 1;
  return 1;
}

/* The bucket that holds (or would hold) a key of hash h; NULL if the tables
 * are inconsistent. */
static uint32_t *slot_for(const struct dict *d, uint64_t h) {
  struct tabref t0, t1;
  if (!tab_get(d, 0, &t0)) return NULL;
  int64_t r = LD(d->hdr->ks.rehashidx);
  uint64_t i = h & t0.mask;
  if (r >= 0 && i < (uint64_t)r) {
    if (!tab_get(d, 1, &t1) || (uint64_t)r > t0.mask + 1) return NULL;
    return t1.b + (h & t1.mask);
  }
  return t0.b + i;
}

/* Ask for every cache line of the first 192 bytes of the block at off at once
 * (three or four lines, as the block starts in its line): an entry's header,
 * key and a value of up to ~150 bytes then arrive together, not one miss after
 * another. Never faults, whatever off is. A macro, not a function: GCC's
 * link-time optimiser deems a function of nothing but prefetches free of
 * effects and deletes its calls. */
#define PREFETCH_ENTRY(d, off)                                \
  do {                                                        \
    const uint8_t *pf_ = unit_ptr((d), (off));                \
    __builtin_prefetch(pf_);                                  \
    __builtin_prefetch(pf_ + 64);                             \
    __builtin_prefetch(pf_ + 128);                            \
    __builtin_prefetch(pf_ + 191);                            \
  } while (0)

/* Start loading into the cache what a lookup of hash h will read: its bucket,
 * and the lines of the entry at the head of its chain. Reads the bucket without
 * the lock and checks only that it lies in the heap: a torn or stale value
 * costs a useless prefetch (which never faults), nothing else. The caller goes
 * on with other work while the lines arrive (the CPU runs ahead of the loads). */
void ks_prefetch(const struct dict *d, uint64_t h) {
  uint32_t *slot = slot_for(d, h);
  if (!slot) return;
  uint32_t off = LD(*slot);
  if (off && in_heap(d, off, 8 + ENTRY_HDR)) PREFETCH_ENTRY(d, off);
}

/* Commands over many keys look PF_AHEAD keys ahead: each key's bucket and
 * head entry are prefetched (ks_prefetch) while the keys before it are served,
 * so the cache misses of several keys are in flight at once instead of one
 * after another. */
#define PF_AHEAD 4u

/* Prefetch one more key of the argv buffer, if any is left. */
void la_next(struct lookahead *la, const struct dict *d, const uint8_t *argv) {
  if (!la->left) return;
  la->left--;
  uint32_t klen, vlen;
  const uint8_t *key = argv_item(argv, &la->at, &klen);
  if (la->stride == 2) argv_item(argv, &la->at, &vlen);
  ks_prefetch(d, ks_hash(d, key, klen));
}

/* Start a lookahead over nkeys keys of a validated argv buffer, `stride` items
 * per key (1: keys; 2: key-value pairs), and prefetch the first PF_AHEAD. */
void la_init(struct lookahead *la, const struct dict *d, const uint8_t *argv, uint32_t nkeys,
             uint32_t stride) {
  la->at = 4;
  la->left = nkeys;
  la->stride = stride;
  for (uint32_t i = 0; i < PF_AHEAD; i++) la_next(la, d, argv);
}

/* Walk a chain for key; *link receives the link that points at the match (or
 * the chain's last link). Returns 0 or R_RETRY on an inconsistency. */
static int chain_find(const struct dict *d, uint32_t *slot, const uint8_t *key, uint32_t klen,
                      uint32_t hlo, uint32_t **link, uint32_t *off_out) {
  uint32_t *l = slot;
  uint64_t bound = chain_bound(d, LD(d->hdr->ks.count));
  for (uint64_t n = 0;; n++) {
    uint32_t off = LD(*l);
    if (!off) {
      *off_out = 0;
      *link = l;
      return 0;
    }
    PREFETCH_ENTRY(d, off); /* before its offset is checked: a prefetch never faults */
    struct entry *e = ks_entry(d, off, ENTRY_HDR);
    if (!e || n > bound) return R_RETRY;
    if (LD(e->hash) == hlo && LD(e->klen) == klen) {
      if (!ks_entry(d, off, (uint64_t)ENTRY_HDR + klen)) return R_RETRY;
      if (memcmp(entry_key(e), key, klen) == 0) {
        *off_out = off;
        *link = l;
        return 0;
      }
    }
    l = &e->next;
  }
}

/* Locked lookup (expired keys included). *off_out = 0 when absent. */
int ks_lookup(struct dict *d, const uint8_t *key, uint32_t klen, uint64_t h, uint32_t **link_out,
              uint32_t *off_out) {
  uint32_t *slot = slot_for(d, h);
  if (!slot) return ks_corrupt(d, "bad table");
  if (chain_find(d, slot, key, klen, (uint32_t)h, link_out, off_out))
    return ks_corrupt(d, "bad chain");
  if (*off_out) {
    if (!ks_entry_full(d, *off_out)) return ks_corrupt(d, "bad entry");
  }
  return SHMD_OK;
}

/* Locked lookup that removes the key first if its deadline has passed (now 0:
 * read the clock only if the key has a deadline). */
int ks_find_live(struct dict *d, const uint8_t *key, uint32_t klen, uint64_t h,
                 uint32_t **link_out, uint32_t *off_out, int64_t now) {
  int rc = ks_lookup(d, key, klen, h, link_out, off_out);
  if (rc || !*off_out) return rc;
  struct entry *e = (struct entry *)blk_data(d, *off_out);
  if (e->expire && e->expire <= (now ? now : os_now_ms())) {
    ks_delete(d, *link_out, *off_out);
    j_set64(d, &d->hdr->ks.expired_total, d->hdr->ks.expired_total + 1);
    *off_out = 0;
  }
  return SHMD_OK;
}

/* Lock-free (or locked) read of one key: on success *e_out is the entry with
 * *vlen_out its validated value length, or NULL when the key is absent or
 * expired. Returns 0 or R_RETRY. */
int ks_read_find(const struct dict *d, const uint8_t *key, uint32_t klen, uint64_t h,
                 struct entry **e_out, uint32_t *vlen_out) {
  uint32_t *slot = slot_for(d, h);
  if (!slot) return R_RETRY;
  uint32_t *link, off;
  int rc = chain_find(d, slot, key, klen, (uint32_t)h, &link, &off);
  if (rc) return rc;
  *e_out = NULL;
  if (!off) return 0;
  struct entry *e = (struct entry *)blk_data(d, off);
  uint32_t vlen = LD(e->vlen);
  if (vlen > SHMD_MAX_VALUE || !ks_entry(d, off, (uint64_t)ENTRY_HDR + klen + vlen)) return R_RETRY;
  int64_t exp = LD(e->expire);
  if (exp && exp <= os_now_ms()) return 0;
  *e_out = e;
  *vlen_out = vlen;
  return 0;
}

int ks_new_entry(struct dict *d, const uint8_t *key, uint32_t klen, uint64_t h, uint8_t type,
                 uint64_t vbytes, uint32_t *off_out) {
  uint32_t off;
  int rc = al_alloc(d, (uint64_t)ENTRY_HDR + klen + vbytes, &off);
  if (rc) return rc;
  struct entry *e = (struct entry *)blk_data(d, off);
  memset(e, 0, sizeof *e);
  e->hash = (uint32_t)h;
  e->type = type;
  e->klen = klen;
  memcpy(entry_key(e), key, klen);
  *off_out = off;
  return SHMD_OK;
}

static void rehash_start(struct dict *d, uint32_t lg) {
  struct ks_state *ks = &d->hdr->ks;
  if (ks->rehashidx >= 0 || lg == ks->log2[0]) return;
  uint32_t off;
  if (al_alloc(d, 4ull << lg, &off) != SHMD_OK) return; /* no room: keep longer chains */
  w_meta(d);
  j_set32(d, &ks->tab[1], off);
  j_set32(d, &ks->log2[1], lg);
  j_set64(d, (uint64_t *)&ks->rehashidx, 0);
}

/* Link a new entry (already filled) into its chain. */
int ks_link(struct dict *d, uint32_t off, uint64_t h) {
  struct ks_state *ks = &d->hdr->ks;
  struct entry *e = (struct entry *)blk_data(d, off);
  w_stripe(d, (uint32_t)h);
  uint32_t *slot = slot_for(d, h);
  if (!slot) return ks_corrupt(d, "bad table");
  e->next = *slot;
  j_set32(d, slot, off);
  j_set64(d, &ks->count, ks->count + 1);
  if (e->expire) j_set64(d, &ks->expires, ks->expires + 1);
  if (ks->log2[0] < 31 && ks->count >= (1ull << ks->log2[0])) rehash_start(d, ks->log2[0] + 1);
  return SHMD_OK;
}

/* Put the new entry neu where old was (same key) and free old with its value. */
void ks_replace(struct dict *d, uint32_t *link, uint32_t old, uint32_t neu) {
  struct ks_state *ks = &d->hdr->ks;
  struct entry *eo = (struct entry *)blk_data(d, old);
  struct entry *en = (struct entry *)blk_data(d, neu);
  w_stripe(d, eo->hash);
  en->next = eo->next;
  j_set32(d, link, neu);
  if (!eo->expire != !en->expire)
    j_set64(d, &ks->expires, en->expire ? ks->expires + 1 : ks->expires - 1);
  ks_free_value(d, eo);
  al_free(d, old);
}

/* Unlink the entry at off and free its block (not its container value). */
void ks_unlink_free(struct dict *d, uint32_t *link, uint32_t off) {
  struct ks_state *ks = &d->hdr->ks;
  struct entry *e = (struct entry *)blk_data(d, off);
  w_stripe(d, e->hash);
  j_set32(d, link, e->next);
  j_set64(d, &ks->count, ks->count - 1);
  if (e->expire) j_set64(d, &ks->expires, ks->expires - 1);
  al_free(d, off);
}

/* Delete a key: its value, then its entry. */
void ks_delete(struct dict *d, uint32_t *link, uint32_t off) {
  ks_free_value(d, (struct entry *)blk_data(d, off));
  ks_unlink_free(d, link, off);
}

/* Free what a value owns outside its entry: a container's trees (lazily, see
 * tree.c); strings live inside the entry. */
void ks_free_value(struct dict *d, struct entry *e) {
  if (e->type != SHMD_T_STRING) c_free(d, e);
}

void ks_set_expire(struct dict *d, struct entry *e, int64_t when) {
  struct ks_state *ks = &d->hdr->ks;
  w_stripe(d, e->hash);
  if (!e->expire != !when) j_set64(d, &ks->expires, when ? ks->expires + 1 : ks->expires - 1);
  j_set64(d, (uint64_t *)&e->expire, (uint64_t)when);
}

/* Move up to `n` non-empty buckets (visiting at most 10n empty ones). */
static int rehash_step(struct dict *d, uint32_t n) {
  struct ks_state *ks = &d->hdr->ks;
  struct tabref t0, t1;
  if (ks->rehashidx < 0) return SHMD_OK;
  if (!tab_get(d, 0, &t0) || !tab_get(d, 1, &t1)) return ks_corrupt(d, "bad rehash tables");
  uint64_t size0 = t0.mask + 1, size1 = t1.mask + 1;
  uint32_t empty = n * 10;
  uint64_t bound = chain_bound(d, ks->count);
  while (n > 0) {
    uint64_t i = (uint64_t)ks->rehashidx;
    if (i >= size0) {
      uint32_t old = ks->tab[0];
      w_meta(d);
      j_set32(d, &ks->tab[0], ks->tab[1]);
      j_set32(d, &ks->log2[0], ks->log2[1]);
      j_set32(d, &ks->tab[1], 0);
      j_set32(d, &ks->log2[1], 0);
      j_set64(d, (uint64_t *)&ks->rehashidx, (uint64_t)-1);
      al_free(d, old);
      return SHMD_OK;
    }
    if (size1 > size0) {
      j_set32(d, &t1.b[i], 0);
      j_set32(d, &t1.b[i + size0], 0);
    } else if (i < size1) {
      j_set32(d, &t1.b[i], 0);
    }
    uint32_t off = t0.b[i];
    if (off) {
      w_stripe(d, (uint32_t)i);
      for (uint64_t k = 0; off; k++) {
        struct entry *e = ks_entry(d, off, ENTRY_HDR);
        if (!e || k > bound) return ks_corrupt(d, "bad chain while rehashing");
        uint32_t nxt = e->next;
        uint32_t *dst = &t1.b[e->hash & t1.mask];
        j_set32(d, &e->next, *dst);
        j_set32(d, dst, off);
        off = nxt;
      }
      j_set32(d, &t0.b[i], 0);
      n--;
    } else if (--empty == 0) {
      n = 0;
    }
    j_set64(d, (uint64_t *)&ks->rehashidx, i + 1);
  }
  return SHMD_OK;
}

/* Keep a rehash moving inside a command that inserts many keys (MSET, every
 * command of a transaction): ks_maintain runs once per command, and a table
 * that doubles while one command inserts 10,000 keys would otherwise stay
 * half-moved, its chains growing with every key. Call it only where no link
 * into a chain is held: it moves chains. */
void ks_grow_step(struct dict *d) {
  if (d->hdr->ks.rehashidx >= 0) rehash_step(d, REHASH_STEP);
}

static void active_expire(struct dict *d) {
  struct ks_state *ks = &d->hdr->ks;
  struct tabref t0;
  if (ks->expires == 0 || ks->rehashidx >= 0 || !tab_get(d, 0, &t0)) return;
  int64_t now = os_now_ms();
  uint32_t removed = 0;
  for (uint32_t k = 0; k < EXPIRE_BUCKETS && removed < EXPIRE_MAX_DEL; k++) {
    uint32_t *link = &t0.b[(ks->expire_cursor + k) & t0.mask];
    for (uint32_t n = 0; *link && n < 32 && removed < EXPIRE_MAX_DEL; n++) {
      uint32_t off = *link;
      struct entry *e = ks_entry_full(d, off);
      if (!e) {
        ks_corrupt(d, "bad chain while expiring");
        return;
      }
      if (e->expire && e->expire <= now) {
        ks_delete(d, link, off);
        removed++;
      } else {
        link = &e->next;
      }
    }
  }
  j_set64(d, &ks->expire_cursor, ks->expire_cursor + EXPIRE_BUCKETS);
  if (removed) j_set64(d, &ks->expired_total, ks->expired_total + removed);
}

/* Bounded background work done at the start of every write command. */
void ks_maintain(struct dict *d) {
  struct ks_state *ks = &d->hdr->ks;
  if (ks->log2[0] < TABLE_MIN_LOG2 || ks->log2[0] > 31) {
    ks_corrupt(d, "bad table size");
    return;
  }
  if (ks->garbage) gc_step(d, 16);
  /* Commit memory ahead, including the next table once this one is half full
   * (its allocation at the doubling must not commit 4 << log2 bytes at once). */
  uint64_t next_table = ks->rehashidx < 0 && ks->log2[0] < 31 && ks->count * 2 >= (1ull << ks->log2[0])
                            ? (8ull << ks->log2[0]) + 64
                            : 0;
  seg_commit_ahead(d, next_table);
  if (ks->rehashidx >= 0) {
    rehash_step(d, REHASH_STEP);
    return;
  }
  if (ks->log2[0] > TABLE_MIN_LOG2 && ks->count * 8 < (1ull << ks->log2[0])) {
    uint32_t lg = TABLE_MIN_LOG2;
    while (lg < 31 && (1ull << lg) < ks->count * 4) lg++;
    rehash_start(d, lg);
    return;
  }
  active_expire(d);
}

int ks_init(struct dict *d) {
  struct ks_state *ks = &d->hdr->ks;
  uint32_t off;
  int rc = al_alloc(d, 4ull << TABLE_MIN_LOG2, &off);
  if (rc) return rc;
  /* After FLUSHALL's reset this memory held live data: journal it. */
  j_save(d, blk_data(d, off), 4u << TABLE_MIN_LOG2);
  memset(blk_data(d, off), 0, 4ull << TABLE_MIN_LOG2);
  j_set32(d, &ks->tab[0], off);
  j_set32(d, &ks->log2[0], TABLE_MIN_LOG2);
  return SHMD_OK;
}

/* FLUSHALL: forget every block and start from an empty table. */
int ks_flush(struct dict *d) {
  struct ks_state *ks = &d->hdr->ks;
  w_meta(d);
  uint64_t expired = ks->expired_total;
  al_reset(d);
  j_save(d, ks, sizeof *ks);
  memset(ks, 0, sizeof *ks);
  ks->rehashidx = -1;
  ks->expired_total = expired;
  return ks_init(d);
}

/* ---- SCAN and KEYS ---- */

struct emitter {
  uint8_t *out;
  uint32_t cap;
  uint64_t len;   /* bytes the reply needs so far */
  uint32_t n;     /* items */
  uint64_t nat;   /* where the item count goes */
};

static void emit(struct emitter *em, const uint8_t *s, uint32_t n) {
  int32_t l = (int32_t)n;
  if (em->len + 4 + n <= em->cap) {
    memcpy(em->out + em->len, &l, 4);
    memcpy(em->out + em->len + 4, s, n);
  }
  em->len += 4 + (uint64_t)n;
  em->n++;
}

/* Emit the live keys of one bucket chain that match. */
static int emit_chain(struct dict *d, uint32_t off, const uint8_t *pat, uint32_t plen,
                      uint32_t type, int64_t now, struct emitter *em) {
  uint64_t bound = chain_bound(d, d->hdr->ks.count);
  for (uint64_t k = 0; off; k++) {
    struct entry *e = ks_entry_full(d, off);
    if (!e || k > bound) return ks_corrupt(d, "bad chain while scanning");
    int live = !(e->expire && e->expire <= now);
    if (live && (!type || e->type == type) &&
        (!pat || (plen == 1 && pat[0] == '*') || glob_match(pat, plen, entry_key(e), e->klen, 0)))
      emit(em, entry_key(e), e->klen);
    off = e->next;
  }
  return SHMD_OK;
}

static uint64_t rev64(uint64_t v) {
  v = ((v >> 1) & 0x5555555555555555ull) | ((v & 0x5555555555555555ull) << 1);
  v = ((v >> 2) & 0x3333333333333333ull) | ((v & 0x3333333333333333ull) << 2);
  v = ((v >> 4) & 0x0f0f0f0f0f0f0f0full) | ((v & 0x0f0f0f0f0f0f0f0full) << 4);
  v = ((v >> 8) & 0x00ff00ff00ff00ffull) | ((v & 0x00ff00ff00ff00ffull) << 8);
  v = ((v >> 16) & 0x0000ffff0000ffffull) | ((v & 0x0000ffff0000ffffull) << 16);
  return (v >> 32) | (v << 32);
}

static uint64_t cursor_next(uint64_t v, uint64_t mask) {
  v |= ~mask;
  v = rev64(v);
  v++;
  return rev64(v);
}

/* Has bucket j of table t been initialised (see the rehash rule above)? */
static int bucket_valid(const struct ks_state *ks, int t, uint64_t j, uint64_t mask0) {
  if (ks->rehashidx < 0 || t == 0) return 1;
  uint64_t r = (uint64_t)ks->rehashidx;
  if (ks->log2[1] > ks->log2[0]) return (j & mask0) < r;
  return j < r;
}

/* One SCAN call: visit buckets from `cursor` until `count` keys were emitted or
 * 10*count buckets visited, and write [double next][u32 n][items...] to out. */
int ks_scan(struct dict *d, uint64_t cursor, const uint8_t *pat, uint32_t plen, uint64_t count,
            uint32_t type, int64_t now, uint8_t *out, uint32_t cap, uint64_t *next_out) {
  struct ks_state *ks = &d->hdr->ks;
  struct tabref t0, t1;
  struct emitter em = {out, cap, 12, 0, 8};
  if (!tab_get(d, 0, &t0)) return ks_corrupt(d, "bad table");
  int rehashing = ks->rehashidx >= 0;
  if (rehashing && !tab_get(d, 1, &t1)) return ks_corrupt(d, "bad table");
  uint64_t v = cursor;
  /* Redis visits at most 10*count buckets; our tables never shrink below
   * 2^TABLE_MIN_LOG2 buckets, so a sparse table gets enough buckets to expect
   * `count` keys, lest small dictionaries take many empty pages. */
  uint64_t budget = count * 10, size = t0.mask + 1;
  if (ks->count == 0) budget = 0;
  else if (count * size / ks->count > budget) budget = count * size / ks->count;
  if (budget == 0) {
    *next_out = 0;
    if (cap >= 12) {
      double z = 0;
      uint32_t n0 = 0;
      memcpy(out, &z, 8);
      memcpy(out + 8, &n0, 4);
    }
    return 12;
  }
  do {
    int rc;
    if (!rehashing) {
      rc = emit_chain(d, t0.b[v & t0.mask], pat, plen, type, now, &em);
      if (rc) return rc;
      v = cursor_next(v, t0.mask);
    } else {
      int small = t0.mask <= t1.mask ? 0 : 1;
      struct tabref *ts = small == 0 ? &t0 : &t1, *tl = small == 0 ? &t1 : &t0;
      uint64_t ms = ts->mask, ml = tl->mask;
      if (bucket_valid(ks, small, v & ms, t0.mask)) {
        rc = emit_chain(d, ts->b[v & ms], pat, plen, type, now, &em);
        if (rc) return rc;
      }
      do {
        if (bucket_valid(ks, 1 - small, v & ml, t0.mask)) {
          rc = emit_chain(d, tl->b[v & ml], pat, plen, type, now, &em);
          if (rc) return rc;
        }
        v = cursor_next(v, ml);
      } while (v & (ms ^ ml));
    }
  } while (v && --budget && em.n < count);
  *next_out = v;
  double nd = (double)v;
  if (em.len > INT32_MAX) return shmd_err(SHMD_E_TOOBIG, "reply too large");
  if (em.len <= cap) {
    memcpy(out, &nd, 8);
    memcpy(out + 8, &em.n, 4);
  }
  return (int)em.len;
}

/* KEYS: every live key matching the pattern, framed as a list. */
int ks_keys(struct dict *d, const uint8_t *pat, uint32_t plen, int64_t now, uint8_t *out,
            uint32_t cap) {
  struct ks_state *ks = &d->hdr->ks;
  struct emitter em = {out, cap, 4, 0, 0};
  struct tabref t;
  uint64_t mask0 = 0;
  for (int ti = 0; ti < 2; ti++) {
    if (ti == 1 && ks->rehashidx < 0) break;
    if (!tab_get(d, ti, &t)) return ks_corrupt(d, "bad table");
    if (ti == 0) mask0 = t.mask;
    for (uint64_t j = 0; j <= t.mask; j++) {
      if (!bucket_valid(ks, ti, j, mask0)) continue;
      int rc = emit_chain(d, t.b[j], pat, plen, 0, now, &em);
      if (rc) return rc;
    }
  }
  if (em.len > INT32_MAX) return shmd_err(SHMD_E_TOOBIG, "reply too large");
  if (em.len <= cap) memcpy(out, &em.n, 4);
  return (int)em.len;
}

/* ---- consistency check ---- */

#define KREPORT(...)                                                                   \
  do {                                                                                 \
    problems++;                                                                        \
    int n_ = snprintf(line, sizeof line, __VA_ARGS__);                                 \
    for (int i_ = 0; i_ < n_ && *rlen < cap; i_++) rep[(*rlen)++] = line[i_];          \
    if (*rlen < cap) rep[(*rlen)++] = '\n';                                            \
  } while (0)

/* Verify the index: every chain sane and acyclic, every entry in the bucket its
 * hash names and in the table the rehash rule names, counts and expiry counts
 * right. Marks every block the index reaches. */
int ks_check(struct dict *d, uint8_t *mark, uint32_t top, char *rep, uint32_t cap,
             uint32_t *rlen) {
  struct ks_state *ks = &d->hdr->ks;
  char line[160];
  int problems = 0;
  uint64_t keys = 0, expires = 0;
  struct tabref t;
  uint64_t mask0 = 0;
  if (ks->log2[0] > 31 || ks->log2[1] > 31) {
    KREPORT("bad table sizes");
    return problems;
  }
  if (ks->rehashidx >= 0 && (uint64_t)ks->rehashidx > (1ull << ks->log2[0]))
    KREPORT("rehash index %lld beyond table 0", (long long)ks->rehashidx);
  for (int ti = 0; ti < 2; ti++) {
    if (ti == 1 && ks->rehashidx < 0) {
      if (ks->tab[1]) KREPORT("table 1 set while not rehashing");
      break;
    }
    if (!tab_get(d, ti, &t)) {
      KREPORT("table %d is out of bounds", ti);
      return problems;
    }
    if (!mark_unit(d, mark, top, ks->tab[ti])) {
      KREPORT("table %d lies outside the heap", ti);
      return problems;
    }
    if (ti == 0) mask0 = t.mask;
    for (uint64_t j = 0; j <= t.mask; j++) {
      if (!bucket_valid(ks, ti, j, mask0)) continue;
      uint32_t off = t.b[j];
      for (uint64_t k = 0; off; k++) {
        struct entry *e = ks_entry(d, off, ENTRY_HDR);
        if (!e || k > chain_bound(d, ks->count)) {
          KREPORT("table %d bucket %llu: bad or cyclic chain", ti, (unsigned long long)j);
          break;
        }
        if (!ks_entry_full(d, off)) {
          KREPORT("entry at unit %u overruns its block or the limits", off);
          break;
        }
        if (!mark_unit(d, mark, top, off)) {
          KREPORT("entry at unit %u lies outside the heap", off);
          break;
        }
        uint64_t h = ks_hash(d, entry_key(e), e->klen);
        if ((uint32_t)h != e->hash) KREPORT("entry at unit %u has a wrong hash", off);
        if ((e->hash & t.mask) != j) KREPORT("entry at unit %u is in the wrong bucket", off);
        int want_t = (ks->rehashidx >= 0 && (e->hash & mask0) < (uint64_t)ks->rehashidx) ? 1 : 0;
        if (want_t != ti) KREPORT("entry at unit %u is in the wrong table", off);
        if (e->type < SHMD_T_STRING || e->type > SHMD_T_HASH)
          KREPORT("entry at unit %u has a bad type %u", off, e->type);
        keys++;
        if (e->expire) expires++;
        if (e->type != SHMD_T_STRING) {
          uint32_t roots[2];
          if (e->vlen != 8) {
            KREPORT("container at unit %u has a bad value", off);
          } else {
            memcpy(roots, entry_val(e), 8);
            int keyed = e->type != SHMD_T_LIST, zset = e->type == SHMD_T_ZSET;
            if (e->enc == ENC_PACK) {
              pk_check(d, roots[0], e->type, mark, top, rep, cap, rlen, &problems);
              if (roots[1]) KREPORT("packed container at unit %u has a second root", off);
              off = e->next;
              continue;
            }
            if (e->enc != ENC_TREE) KREPORT("container at unit %u has a bad encoding %u", off, e->enc);
            int64_t a = tr_check(d, roots[0], keyed, zset, mark, top, rep, cap, rlen, &problems);
            int64_t b =
                zset ? tr_check(d, roots[1], 1, 0, mark, top, rep, cap, rlen, &problems) : 0;
            if (a == 0) KREPORT("container at unit %u is empty (should have been deleted)", off);
            if (zset && a >= 0 && b >= 0 && a != b)
              KREPORT("sorted set at unit %u: %lld by score, %lld by member", off, (long long)a,
                      (long long)b);
            if (!zset && roots[1]) KREPORT("container at unit %u has a stray second tree", off);
          }
        }
        off = e->next;
      }
    }
  }
  if (keys != ks->count)
    KREPORT("key count %llu, counted %llu", (unsigned long long)ks->count,
            (unsigned long long)keys);
  /* deleted containers still being freed */
  uint64_t groots = 0;
  for (uint32_t g = ks->garbage; g; groots++) {
    struct tnode *n = tn_get(d, g);
    if (!n || groots > d->max_chain || tr_mark(d, g, mark, top) < 0) {
      KREPORT("garbage list broken at unit %u", g);
      break;
    }
    g = n->cnt;
  }
  if (expires != ks->expires)
    KREPORT("expiring-key count %llu, counted %llu", (unsigned long long)ks->expires,
            (unsigned long long)expires);
  return problems;
}
