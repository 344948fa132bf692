/*
 * internal.h — the segment's layout and the private interfaces between the
 * C files. Nothing here is exported from the library.
 *
 * Segment layout (byte offsets from the segment base):
 *
 *   0            struct seg_hdr: identity, lock, allocator and keyspace state,
 *                read-version stripes                         (SEG_HDR_BYTES)
 *   SEG_HDR_BYTES   the undo journal: journal_cap bytes reserved (a quarter of
 *                the heap's size, 4 MiB to 4 GiB), committed up to jcommitted
 *   heap_start   the heap: blocks of 16-byte units, up to `top`; everything
 *                above `top` is the wilderness, committed up to `committed`
 *   reserve      end of the mapping (header + journal + the size asked for)
 *
 * Offsets inside the segment are 32-bit counts of 16-byte units ("unit
 * offsets"), so a segment spans at most 64 GiB. Unit offset 0 is the header,
 * so 0 doubles as the null offset.
 */
#ifndef SHMD_INTERNAL_H
#define SHMD_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "shmdict.h"

#define SEG_MAGIC 0x31544349444d4853ull /* "SHMDICT1" little endian */
#define SEG_VERSION 2u /* 2: containers may be packed (entry.enc) */
#define SEG_ENDIAN 0x01020304u
#define SEG_HDR_BYTES 65536u
#define UNIT 16u
#define UNIT_SHIFT 4

#define NSTRIPES 4096u            /* read-version stripes, a power of two */
#define STRIPE_MASK (NSTRIPES - 1u)
#define TABLE_MIN_LOG2 12u        /* index tables never shrink below NSTRIPES buckets */
#define NBINS 90u                 /* allocator free-list bins */
#define SMALL_BINS 64u            /* exact-size bins for blocks of 1..64 units */
#define LOCK_BLOB 128u            /* room for the platform's process-shared lock */

/* Allocator state: journaled like everything else in the segment. */
struct alloc_state {
  uint32_t top;                  /* unit offset of the wilderness */
  uint32_t top_prev;             /* size in units of the block just below top, 0 if none */
  uint64_t live_units;           /* units in allocated blocks */
  uint64_t free_units;           /* units in free blocks below top */
  uint64_t bitmap[2];            /* bit b set <=> bins[b] non-empty */
  uint32_t bins[NBINS];          /* heads of the doubly linked free lists */
};

/* Keyspace state (see keyspace.c). */
struct ks_state {
  uint32_t tab[2];               /* unit offsets of the bucket arrays */
  uint32_t log2[2];              /* log2 of their bucket counts */
  int64_t rehashidx;             /* next table-0 bucket to move, -1 if not rehashing */
  uint64_t count;                /* keys */
  uint64_t expires;              /* keys with a deadline */
  uint64_t expire_cursor;        /* next table-0 bucket for active expiry */
  uint64_t expired_total;        /* keys removed by expiry, ever */
  uint32_t garbage;              /* deleted container trees still to free (tree.c) */
  uint32_t pad;
};

struct seg_hdr {
  _Atomic uint64_t magic;        /* SEG_MAGIC, stored last at creation */
  uint32_t version;
  uint32_t endian;
  uint32_t lock_abi;
  uint32_t hdr_bytes;
  uint64_t reserve;              /* bytes mapped, the segment's maximum size */
  _Atomic uint64_t committed;    /* bytes committed; monotonic, not journaled */
  uint64_t journal_cap;          /* bytes of journal area after the header */
  uint32_t heap_start;           /* unit offset of the first heap block */
  uint32_t pad0;
  uint64_t seed;                 /* hash seed, random per segment */
  _Atomic uint32_t corrupt;      /* sticky: set once a check fails, fails closed */
  _Atomic uint32_t recoveries;   /* dead writers rolled back */
  _Atomic uint32_t push_seq;     /* bumped after every list push (blocking pops wait on it) */
  _Atomic uint32_t push_waiters; /* processes waiting on push_seq */
  _Atomic uint64_t jused;        /* bytes of journal records in use; 0 = committed */
  _Atomic uint64_t jcommitted;   /* bytes of the journal area committed; monotonic */
  _Alignas(64) uint8_t lock[LOCK_BLOB];
  _Alignas(64) struct alloc_state al;
  _Alignas(64) struct ks_state ks;
  _Alignas(64) _Atomic uint32_t meta_seq; /* odd while index tables change */
  _Alignas(64) _Atomic uint32_t stripes[NSTRIPES];
};

_Static_assert(sizeof(struct seg_hdr) <= SEG_HDR_BYTES, "header too large");

/* An entry of the key index: one heap block holding header, key and value. */
struct entry {
  uint32_t next;                 /* unit offset of the next entry in the chain */
  uint32_t hash;                 /* low 32 bits of the key's hash */
  uint8_t type;                  /* SHMD_T_* */
  uint8_t enc;                   /* containers: ENC_TREE or ENC_PACK (pack.c) */
  uint16_t flags;
  uint32_t klen;
  int64_t expire;                /* unix ms deadline, 0 = none */
  uint32_t vlen;                 /* string value length */
  uint32_t voff;                 /* container root (unit offset), 0 for strings */
  /* key bytes follow, then the value */
};
#define ENTRY_HDR ((uint32_t)sizeof(struct entry))
_Static_assert(sizeof(struct entry) == 32, "entry header is 32 bytes");

/* A process-local open dictionary. */
struct dict {
  uint8_t *base;
  struct seg_hdr *hdr;
  uint64_t map_len;
  /* Copies of the header's fixed fields, validated at open: a peer that
   * scribbles on the header later cannot move these. */
  uint64_t jcap;                 /* journal bytes */
  uint32_t heap_start;           /* unit offset of the heap */
  uint64_t max_chain;            /* bound on any chain walk: entries that fit the heap */
  intptr_t fd;
  void *lock_handle;             /* platform lock object, where one is needed (Windows) */
  uint32_t oflags;
  uint64_t hits, misses;
  uint64_t ahead_failed;         /* committed size at which committing ahead last failed */
  _Atomic uint32_t waiting;      /* threads of this process inside shmd_wait on this handle */
  _Atomic uint32_t closing;      /* shmd_close has begun: waiters leave */
  /* write-command context, used only while holding the lock */
  uint32_t touched[32];
  uint32_t ntouched;
  int meta_odd;                  /* meta_seq made odd by this command */
  int jfull;                     /* the journal overflowed during this command */
  int jroom_code;                /* why j_room last said no: SHMD_E_TOOBIG or SHMD_E_FULL */
  uint32_t *pending;             /* blocks this command frees, released at its end */
  uint32_t npending, pending_cap;
  uint64_t jreserve;             /* journal bytes promised to the pending frees */
  int txn;                       /* inside shmd_txn_begin/end: the lock is held */
  int undo;                      /* w_end must undo this command but report success */
  int pushed;                    /* this command pushed to a list: wake blocked poppers */
  uint64_t save_used;            /* savepoint of the current command within a txn */
  uint32_t save_pending;
  char name[SHMD_MAX_NAME + 1];
};

/* ---- api.c: errors, handles, argument checks, lock-free reads ---- */
int shmd_err(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct dict *api_dict(int32_t h);
int chk_bytes(const uint8_t *p, uint32_t n, uint32_t max, const char *what);
int chk_out(const uint8_t *out, uint32_t cap);
int chk_i64(double v, int64_t *out);
int argv_check(const uint8_t *buf, uint32_t len, uint32_t *n_out, int pairs);
const uint8_t *argv_item(const uint8_t *buf, uint64_t *at, uint32_t *len);
typedef int (*read_fn)(const struct dict *d, void *ctx);
int read_op(struct dict *d, uint64_t h, read_fn fn, void *ctx);
void count_hit(struct dict *d, int hit);
#define WRONGTYPE() \
  shmd_err(SHMD_E_WRONGTYPE, "WRONGTYPE Operation against a key holding the wrong kind of value")
#define D_OR_RETURN(h)                  \
  struct dict *d = api_dict(h);         \
  if (!d) return SHMD_E_HANDLE

/* ---- platform (os_*.c) ---- */
int os_valid_name(const uint8_t *name, uint32_t len);
int os_create(const char *name, uint64_t reserve, intptr_t *fd_out);
int os_attach(const char *name, intptr_t *fd_out, uint64_t *size_out);
int os_map(intptr_t fd, uint64_t len, uint8_t **base_out);
void os_unmap(uint8_t *base, uint64_t len);
void os_close(intptr_t fd);
int os_commit(intptr_t fd, uint64_t from, uint64_t to);
int os_unlink(const char *name);
int os_list(uint8_t *out, uint32_t cap);
uint64_t os_random64(void);
uint32_t os_pid(void);
int64_t os_now_ms(void);
void os_pause(unsigned spins);
void os_die(void); /* end the process at once, as SIGKILL does (crash-point tests) */
/* Wait until *addr != val or timeout_ms (<0: forever) passes; wake every waiter. */
int os_wait(uint32_t *addr, uint32_t val, double timeout_ms);
void os_wake(uint32_t *addr);
uint32_t os_lock_abi(void);
int os_lock_init(struct dict *d);
/* Returns 0 locked, 1 locked and the previous owner died (caller repairs,
 * then calls os_lock_consistent), or an error status. */
int os_lock(struct dict *d);
void os_lock_consistent(struct dict *d);
void os_unlock(struct dict *d);
void os_lock_close(struct dict *d);

/* ---- segment.c ---- */
int seg_open(struct dict *d, const char *name, uint32_t flags, double reserve);
void seg_close(struct dict *d);
int seg_commit(struct dict *d, uint64_t upto);
/* One bounded step of committing memory ahead of the heap top (+ extra bytes). */
void seg_commit_ahead(struct dict *d, uint64_t extra);

/* ---- lock.c: a write command's frame ---- */
int w_begin(struct dict *d);
int w_end(struct dict *d, int rc);
int txn_begin(struct dict *d);
int txn_end(struct dict *d, int commit);
void w_stripe(struct dict *d, uint32_t hash);
void w_meta(struct dict *d);
void recover(struct dict *d);
int x_lock(struct dict *d);
void x_unlock(struct dict *d);

/* ---- journal.c ---- */
void j_save(struct dict *d, void *p, uint32_t n);
void j_set32(struct dict *d, uint32_t *p, uint32_t v);
void j_set64(struct dict *d, uint64_t *p, uint64_t v);
int j_room(struct dict *d, uint64_t bytes);
int j_fail(struct dict *d, const char *what);
void j_rollback_to(struct dict *d, uint64_t mark);
void j_commit(struct dict *d);
void j_rollback(struct dict *d);

/* ---- alloc.c ---- */
int al_alloc(struct dict *d, uint64_t bytes, uint32_t *off_out);
void al_free(struct dict *d, uint32_t off);
void al_flush_frees(struct dict *d);
void al_reset(struct dict *d);
uint64_t al_capacity(struct dict *d, uint32_t off);
int al_check(struct dict *d, uint8_t *mark, char *rep, uint32_t cap, uint32_t *rlen);

/* ---- keyspace.c ---- */
#define R_RETRY (-1000) /* internal: a lock-free read saw an inconsistent state */
uint64_t ks_hash(const struct dict *d, const uint8_t *key, uint32_t klen);
int ks_init(struct dict *d);
struct entry *ks_entry(const struct dict *d, uint32_t off, uint64_t need);
struct entry *ks_entry_full(const struct dict *d, uint32_t off);
void ks_prefetch(const struct dict *d, uint64_t h);
/* A prefetching cursor that runs a few keys ahead of a command's own walk over
 * an argv buffer (keyspace.c): la_init, then la_next once per key served. */
struct lookahead {
  uint64_t at;     /* argv cursor of the next key to prefetch */
  uint32_t left;   /* keys not prefetched yet */
  uint32_t stride; /* argv items per key: 1 (keys) or 2 (key, value) */
};
void la_init(struct lookahead *la, const struct dict *d, const uint8_t *argv, uint32_t nkeys,
             uint32_t stride);
void la_next(struct lookahead *la, const struct dict *d, const uint8_t *argv);
int ks_lookup(struct dict *d, const uint8_t *key, uint32_t klen, uint64_t h, uint32_t **link_out,
              uint32_t *off_out);
int ks_find_live(struct dict *d, const uint8_t *key, uint32_t klen, uint64_t h,
                 uint32_t **link_out, uint32_t *off_out, int64_t now);
int ks_read_find(const struct dict *d, const uint8_t *key, uint32_t klen, uint64_t h,
                 struct entry **e_out, uint32_t *vlen_out);
int ks_new_entry(struct dict *d, const uint8_t *key, uint32_t klen, uint64_t h, uint8_t type,
                 uint64_t vbytes, uint32_t *off_out);
int ks_link(struct dict *d, uint32_t off, uint64_t h);
void ks_replace(struct dict *d, uint32_t *link, uint32_t old, uint32_t neu);
void ks_unlink_free(struct dict *d, uint32_t *link, uint32_t off);
void ks_delete(struct dict *d, uint32_t *link, uint32_t off);
void ks_free_value(struct dict *d, struct entry *e);
void ks_set_expire(struct dict *d, struct entry *e, int64_t when);
void ks_maintain(struct dict *d);
void ks_grow_step(struct dict *d);
int ks_flush(struct dict *d);
int ks_scan(struct dict *d, uint64_t cursor, const uint8_t *pat, uint32_t plen, uint64_t count,
            uint32_t type, int64_t now, uint8_t *out, uint32_t cap, uint64_t *next_out);
int ks_keys(struct dict *d, const uint8_t *pat, uint32_t plen, int64_t now, uint8_t *out,
            uint32_t cap);
int ks_check(struct dict *d, uint8_t *mark, uint32_t top, char *rep, uint32_t cap, uint32_t *rlen);

/* ---- tree.c: the treap under every container ---- */
#define TREE_MAX_DEPTH 120
struct tnode {
  uint32_t l, r;                 /* children */
  uint32_t cnt;                  /* nodes in this subtree (garbage: next garbage root) */
  uint32_t prio;                 /* heap priority */
  uint64_t ord;                  /* order key: a 52-bit hash, or a score's bits */
  uint32_t klen, vlen;           /* key bytes, then value bytes, follow */
};
#define TNODE_HDR ((uint32_t)sizeof(struct tnode))
_Static_assert(sizeof(struct tnode) == 32, "tree node header is 32 bytes");
static inline uint8_t *tn_key(const struct tnode *n) { return (uint8_t *)(n + 1); }
static inline uint8_t *tn_val(const struct tnode *n) { return (uint8_t *)(n + 1) + n->klen; }
struct tkey {
  uint64_t ord;
  const uint8_t *bytes;
  uint32_t len;
  int score_order;               /* compare ord as a double */
};
struct titer {
  const struct dict *d;
  int sp;
  uint32_t stack[TREE_MAX_DEPTH];
};
struct tnode *tn_get(const struct dict *d, uint32_t off);
int tn_cmp(const struct tkey *k, const struct tnode *n);
int tn_new(struct dict *d, uint64_t ord, const uint8_t *key, uint32_t klen, const uint8_t *val,
           uint32_t vlen, uint32_t *off_out);
int tr_find(const struct dict *d, uint32_t root, const struct tkey *k, uint32_t *off_out);
int tr_insert(struct dict *d, uint32_t *root, uint32_t off, int score_order);
int tr_erase(struct dict *d, uint32_t *root, const struct tkey *k, uint32_t *off_out);
int tr_rank(const struct dict *d, uint32_t root, const struct tkey *k, uint64_t *rank_out);
int tr_select(const struct dict *d, uint32_t root, uint64_t i, uint32_t *off_out);
int tr_insert_at(struct dict *d, uint32_t *root, uint64_t i, uint32_t off);
int tr_cut(struct dict *d, uint32_t *root, uint64_t from, uint64_t n, uint32_t *cut);
int tr_cut_range(struct dict *d, uint32_t *root, const struct tkey *lo, int lo_incl,
                 const struct tkey *hi, int hi_incl, uint32_t *cut);
void tr_free_all(struct dict *d, uint32_t root);
void gc_step(struct dict *d, uint32_t nodes);
int it_seek(struct titer *it, const struct dict *d, uint32_t root, uint64_t i);
int it_next(struct titer *it, uint32_t *off_out);
int64_t tr_mark(struct dict *d, uint32_t root, uint8_t *mark, uint32_t top);
int64_t tr_check(struct dict *d, uint32_t root, int keyed, int score_order, uint8_t *mark,
                 uint32_t top, char *rep, uint32_t cap, uint32_t *rlen, int *problems);

/* ---- exec.c: shmd_exec, the op table, the reply writer ---- */
struct rw {
  uint8_t *out;
  uint32_t cap;
  uint64_t len;
};
void rw_tag(struct rw *w, uint8_t tag);
void rw_int(struct rw *w, double v);
void rw_dbl(struct rw *w, double v);
void rw_str(struct rw *w, const uint8_t *p, uint32_t n);
uint64_t rw_arr(struct rw *w, uint32_t count);
void rw_arr_fix(struct rw *w, uint64_t at, uint32_t count);
struct arg {
  const uint8_t *p;
  uint32_t n;
};
struct xctx;
typedef int (*xop_fn)(struct xctx *x);
struct xctx {
  struct dict *d;
  uint32_t op;
  uint8_t type;
  const struct arg *args;        /* args[0] is the key */
  uint32_t nargs;
  const double *nums;
  uint32_t nnums;
  uint32_t flags;
  const uint8_t *key;
  uint32_t klen;
  uint64_t h;
  int64_t now;
  xop_fn fn;
  struct rw w;
};
uint64_t c_ord(const struct dict *d, const uint8_t *p, uint32_t n);

/* ---- pack.c: the compact encoding of small containers ---- */
#define ENC_TREE 0u                /* treap(s), tree.c */
#define ENC_PACK 1u                /* one packed block */
#define PACK_MAX_ELEMS 128u        /* a packed container holds at most this many elements */
#define PACK_MAX_BYTES 64u         /* ... each field, member, value or list element at most this long */
#define PACK_HDR 8u
struct pack {                      /* a packed block's payload starts with this */
  uint16_t n;                      /* elements */
  uint8_t type;                    /* SHMD_T_* of the container */
  uint8_t pad;
  uint32_t used;                   /* bytes of elements after the header */
};
_Static_assert(sizeof(struct pack) == PACK_HDR, "packed header is 8 bytes");
/* One element as the commands see it: pointers into the segment (valid while
 * the command runs; a lock-free reader validates before trusting them). */
struct elem {
  const uint8_t *k;              /* field, member or list element */
  uint32_t kl;
  const uint8_t *v;              /* a hash field's value */
  uint32_t vl;
  double score;                  /* a sorted-set member's score */
};
/* A packed block opened for reading: bounds validated once. */
struct pview {
  const uint8_t *p;              /* first element */
  uint32_t used, n;
  uint8_t type;
};
/* Sorted-set element order: (score, member bytes, shorter first). */
static inline int z_cmp(double as, const uint8_t *am, uint32_t al, double bs, const uint8_t *bm,
                        uint32_t bl) {
  if (as < bs) return -1;
  if (as > bs) return 1;
  int c = memcmp(am, bm, al < bl ? al : bl);
  if (c) return c;
  return al < bl ? -1 : al > bl;
}
static inline int pk_fits(uint32_t kl, uint32_t vl) {
  return kl <= PACK_MAX_BYTES && vl <= PACK_MAX_BYTES;
}
int pk_open(const struct dict *d, uint32_t off, uint8_t type, struct pview *pv);
uint32_t pk_elem(const struct pview *pv, uint32_t at, struct elem *e);
int pk_skip(const struct pview *pv, uint64_t i, uint32_t *at);
int pk_search(const struct pview *pv, const uint8_t *k, uint32_t kl, struct elem *e,
              uint32_t *at_out, uint32_t *sz_out);
uint32_t pk_build(uint8_t type, const uint8_t *k, uint32_t kl, const uint8_t *v, uint32_t vl,
                  double score, uint8_t *buf);
int pk_splice(struct dict *d, uint32_t *root, uint8_t type, uint32_t at, uint32_t del,
              const uint8_t *ins, uint32_t ilen, int dn);
int pk_to_tree(struct dict *d, uint8_t type, uint32_t pack, uint32_t roots[2]);
int pk_copy(struct dict *d, uint32_t pack, uint32_t *out);
int64_t pk_check(struct dict *d, uint32_t off, uint8_t type, uint8_t *mark, uint32_t top,
                 char *rep, uint32_t cap, uint32_t *rlen, int *problems);

/* ---- container.c: a key's container, and its elements in either encoding ---- */
/* A container as a read sees it, copied out of its entry. */
struct cview {
  const struct dict *d;
  uint8_t type, enc;
  uint32_t roots[2];             /* tree: the two roots; packed: [0] the block */
};
struct citer {
  struct cview v;
  struct titer t;
  struct pview pv;
  uint32_t at, left;
};
struct cref {
  const uint8_t *key;
  uint32_t klen;
  uint64_t h;
  struct entry *e;               /* NULL: absent */
  uint32_t roots[2];             /* the roots, copied out (the entry's value follows
                                    the key, so it may be unaligned) */
  uint32_t saved[2];             /* the roots as stored; c_done writes changes back */
  uint8_t enc, saved_enc;
};
int c_open(struct xctx *x, const uint8_t *key, uint32_t klen, uint8_t type, int create,
           struct cref *c);
int c_done(struct xctx *x, struct cref *c);
int c_read(struct xctx *x, const uint8_t *key, uint32_t klen, uint8_t type, struct cview *v);
struct cview c_view(const struct xctx *x, const struct cref *c);
void c_free(struct dict *d, struct entry *e);
int c_copy(struct dict *d, struct entry *src, struct entry *dst);
/* reads (lock-free safe: R_RETRY on an inconsistency) */
int c_node_elem(const struct dict *d, uint8_t type, uint32_t off, int index, struct elem *e);
int cv_len(const struct cview *v, uint64_t *n);
int cv_find(const struct cview *v, const uint8_t *k, uint32_t kl, struct elem *e);
int cv_at(const struct cview *v, uint64_t i, struct elem *e);
int cv_seek(struct citer *it, const struct cview *v, uint64_t i);
int ci_next(struct citer *it, struct elem *e);
int cv_zrank(const struct cview *v, double score, const uint8_t *m, uint32_t ml, uint64_t *rank);
/* writes (under the lock) */
typedef void (*emit_fn)(struct xctx *x, const struct elem *e, void *arg);
int cw_put(struct xctx *x, struct cref *c, const uint8_t *k, uint32_t kl, const uint8_t *v,
           uint32_t vl, int nx, int *added);
int cw_del(struct xctx *x, struct cref *c, const uint8_t *k, uint32_t kl, int *removed);
int cw_zput(struct xctx *x, struct cref *c, const uint8_t *m, uint32_t ml, double score, int had,
            double old);
int cw_zdel(struct xctx *x, struct cref *c, const uint8_t *m, uint32_t ml, double score);
int cw_insert_at(struct xctx *x, struct cref *c, uint64_t i, const uint8_t *k, uint32_t kl);
int cw_cut(struct xctx *x, struct cref *c, uint64_t from, uint64_t n, int rev, emit_fn emit,
           void *arg);
int c_convert(struct xctx *x, struct cref *c);
uint64_t zs_bits(double s);
int num_int(const struct xctx *x, uint32_t i, int64_t *v);
int ks_corrupt_entry(struct dict *d);
uint64_t x_random(void);
int x_hset(struct xctx *x);
int x_hget(struct xctx *x);
int x_hall(struct xctx *x);
int x_hdel(struct xctx *x);
int x_hlen(struct xctx *x);
int x_hincr(struct xctx *x);
int x_hrand(struct xctx *x);
int x_scan(struct xctx *x);
int x_sadd(struct xctx *x);
int x_sismember(struct xctx *x);
int x_spop(struct xctx *x);
int x_smove(struct xctx *x);
int x_salgebra(struct xctx *x);
int x_sstore(struct xctx *x);
int x_zadd(struct xctx *x);
int x_zscore(struct xctx *x);
int x_zrem(struct xctx *x);
int x_zrank(struct xctx *x);
int x_zrange(struct xctx *x);
int x_zremrange(struct xctx *x);
int x_zpop(struct xctx *x);
int x_push(struct xctx *x);
int x_pop(struct xctx *x);
int x_lrange(struct xctx *x);
int x_lset(struct xctx *x);
int x_linsert(struct xctx *x);
int x_lrem(struct xctx *x);
int x_ltrim(struct xctx *x);
int x_lpos(struct xctx *x);
int x_lmove(struct xctx *x);
/* t_string.c parsers shared with hashes */
int str_parse_i64(const uint8_t *s, uint32_t n, int64_t *out);
int str_parse_ld(const uint8_t *s, uint32_t n, long double *out);
int str_fmt_ld(long double v, char *buf, uint32_t cap);

/* ---- glob.c ---- */
int glob_match(const uint8_t *pat, uint32_t plen, const uint8_t *s, uint32_t slen, int nocase);

/* ---- helpers ---- */
static inline uint8_t *unit_ptr(const struct dict *d, uint32_t off) {
  return d->base + ((uint64_t)off << UNIT_SHIFT);
}
/* Payload of the block at unit offset off (8 bytes past its header). */
static inline uint8_t *blk_data(const struct dict *d, uint32_t off) {
  return unit_ptr(d, off) + 8;
}
static inline uint8_t *entry_key(struct entry *e) { return (uint8_t *)(e + 1); }
static inline uint8_t *entry_val(struct entry *e) { return (uint8_t *)(e + 1) + e->klen; }
/* Committed bytes, never more than this process mapped. */
static inline uint64_t seg_committed(const struct dict *d) {
  uint64_t c = atomic_load_explicit(&d->hdr->committed, memory_order_acquire);
  return c < d->map_len ? c : d->map_len;
}
/* Is [off*16, off*16 + bytes) inside the committed heap? */
static inline int in_heap(const struct dict *d, uint32_t off, uint64_t bytes) {
  uint64_t at = (uint64_t)off << UNIT_SHIFT;
  return off >= d->heap_start && at + bytes <= seg_committed(d) && at + bytes >= at;
}
/* The heap top, if it is sane (inside the committed heap); 0 otherwise. */
static inline uint32_t heap_top(const struct dict *d) {
  uint32_t top = __atomic_load_n(&d->hdr->al.top, __ATOMIC_RELAXED);
  if (top < d->heap_start || ((uint64_t)top << UNIT_SHIFT) > seg_committed(d)) return 0;
  return top;
}
/* Mark unit `off` in a check bitmap covering [heap_start, top); 0 if outside. */
static inline int mark_unit(const struct dict *d, uint8_t *mark, uint32_t top, uint32_t off) {
  if (off < d->heap_start || off >= top) return 0;
  uint32_t bit = off - d->heap_start;
  mark[bit >> 3] |= (uint8_t)(1u << (bit & 7));
  return 1;
}
/* A bound for walking a chain of n entries (n read from shared memory). */
static inline uint64_t chain_bound(const struct dict *d, uint64_t n) {
  return n + 64 < d->max_chain ? n + 64 : d->max_chain;
}

#endif
