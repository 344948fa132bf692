/*
 * fuzz_segment.c — libFuzzer target: hostile segment images and the commands
 * that run on them.
 *
 * What it checks. DESIGN.md: "everything shared is untrusted input". Whatever
 * bytes a peer leaves in the segment, every call into the library must end in
 * a status code (success, SHMD_E_SEGMENT at attach, SHMD_E_CORRUPT, any other
 * documented error) — never a crash, a sanitizer report, a hang, an
 * undocumented status, or a writer lock left held. And when the fuzzer changed
 * nothing, commands on a valid segment must leave it valid (shmd_check empty,
 * no SHMD_E_CORRUPT).
 *
 * Base images. Once per process the target builds, through the library itself,
 * a few valid segments (a 1 MiB heap; the file also holds the header and the
 * journal area) and keeps a copy of each:
 *
 *   IMG_STABLE   ~3,500 strings of many sizes (1 B .. 70 KB), some with a far
 *                deadline, some already expired, many deleted (so the
 *                allocator has free blocks in small and large bins); hashes,
 *                sets, sorted sets and lists of 6 (packed) and 150 (treaps)
 *                elements; a deleted 300-field hash still on the garbage
 *                list; the index grew past
 *                4096 keys and finished its rehash to 8192 buckets
 *   IMG_REHASH   the same history stopped half-way through that rehash
 *                (two tables, rehashidx > 0)
 *   IMG_DIED     IMG_REHASH after a writer was SIGKILLed in the middle of an
 *                MSET (a crash point of journal.c): the journal holds records
 *                and the robust mutex says its owner died, so the first lock
 *                runs recovery (rollback) on whatever the fuzzer made of them
 *   IMG_SMALL    a few dozen keys and containers, one table, free blocks
 *
 * The hash seed comes from getentropy(); the build links with
 * -Wl,--wrap=getentropy and __wrap_getentropy below returns a constant, so the
 * images — and therefore every input's meaning — are identical in every
 * process (a crash found by one process reproduces in another).
 *
 * Input format (every read past the end yields zeros, so any byte string is a
 * valid input):
 *
 *   u8 config        image = config & 3; config & 0x1c == 0x1c: open read-only
 *   then ops until the input ends, at most MAX_OPS:
 *     u8 op          op < 0x40: a mutation, kind op % 9 (below)
 *                    else     : a command, COMMANDS[op % NCMD], with arguments
 *
 * Mutations before the first command patch the image before it is attached
 * (what shmd_open's validation sees); mutations after a command patch the live
 * segment between two commands (a peer scribbling on a segment already open,
 * which open-time validation cannot catch). Mutation kinds, each choosing a
 * target and a "smart" value (0, all ones, sign bits, off-by-one of the
 * current value, a bit flip, the offset of another entry, block, free block,
 * tree node or of the target itself — cycles —, heap start, heap top, past the
 * committed end, lengths that wrap 32-bit sums, literal bytes from the input):
 *
 *   0 header field   allocator state (top, top_prev, counters, bitmap, bins),
 *                    keyspace state (tables, log2, rehashidx, counts, expiry
 *                    cursor, garbage list), identity fields, committed,
 *                    journal_cap, jused, corrupt flag, meta_seq, read stripes
 *   1 index bucket   of table 0 or 1, often the bucket of a key the commands use
 *   2 entry field    next, hash, type, flags, klen, expire, vlen, voff, key or
 *                    value bytes, container roots, block tags — often of an
 *                    entry the commands use
 *   3 block header   size / prev tags and free-list links of free blocks, of
 *                    the blocks next to used entries, of the index tables
 *   4 tree node      children, subtree count, priority, order key, lengths,
 *                    key bytes, block tags of the containers' treap nodes;
 *                    of a packed container (the 6-element ones), the block's
 *                    header (count, type, used) and its first element bytes
 *   5 journal        record heads, trailers, bodies, jused and jcommitted
 *   6 raw bytes      1..8 literal bytes anywhere in the header, the journal
 *                    records or the committed heap
 *   7 forged record  append a valid-looking undo record (target = any of 0-4)
 *                    and bump jused, so the next lock "rolls back" the fuzzer's
 *                    bytes into place
 *   8 clone          copy an entry header (or a whole entry) over another
 *
 * Deliberately NOT mutated: the magic number (a wrong magic is refused before
 * anything else is read; covered by the C tests) and the lock blob
 * (offsetof(struct seg_hdr, lock), LOCK_BLOB bytes): a peer that scribbles on
 * the mutex can always block everyone, which no check can prevent. Forged
 * journal records do not target those bytes either, for the same reason.
 *
 * Commands: the string and key commands, SCAN/KEYS, INFO, CHECK, FLUSHALL
 * (rarely), every container op of shmd_exec (with fields, members, numbers and
 * flags from small tables), transactions (MULTI = shmd_txn_begin, EXEC/DISCARD
 * = shmd_txn_end), and REOPEN (close, then attach again: open-time validation
 * of a segment scribbled on while open). They use keys from a pool of 43 per
 * image: live keys of every kind (small, big, numeric, with a deadline,
 * expired, heads of long chains, keys moved / not yet moved by the rehash,
 * containers), deleted keys and never-seen keys.
 *
 * Checked after every call: the status is a documented one (>= SHMD_E_BUSY);
 * the writer lock is held by this thread exactly while a transaction is open.
 * Output buffers of capacity cap end at the end of a heap block, so a write
 * past cap is an ASan report.
 *
 * Reproducibility: the images are the same in every process, but treap
 * priorities of new nodes and the picks of SPOP / *RANDMEMBER / HRANDFIELD
 * come from process-wide generators in the library, which advance with every
 * input; an input whose crash depends on them may need a few replays.
 *
 * Per input: create /dev/shm/shmdict.fuzz-<pid> (0600, O_EXCL), size it to the
 * reserve, map it, copy the image's non-zero pages through that second
 * mapping, apply the pre-open mutations, shmd_open (attach), run the ops,
 * shmd_check, shmd_close, unmap, shm_unlink. Seeds: test/fuzz/make_corpus.py
 * (it mirrors this format). Running, reproducing: test/fuzz/README.md.
 *
 * Reproduce a crash:  zig-out/fuzz/fuzz_segment <crash-file>
 * Print what an input does: FUZZ_TRACE=1 zig-out/fuzz/fuzz_segment <file>
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sanitizer/common_interface_defs.h>

#include "internal.h"

#define SEG_SIZE (1u << 20) /* heap bytes asked for: SHMD_MIN_RESERVE, small and fast */
#define PAGE 4096u
#define NPOOL 43u
#define MAX_OPS 96u
#define OUTMAX (256u << 10)
#define FAR_DEADLINE 4102444800000ll /* 2100-01-01, unix ms */
#define LOCK_OFF ((uint64_t)offsetof(struct seg_hdr, lock))

extern long shmd_crash_countdown; /* journal.c */

/* ---- a fixed hash seed (see the header comment) ---- */

int __wrap_getentropy(void *buf, size_t len);
int __wrap_getentropy(void *buf, size_t len) {
  uint8_t *p = buf;
  for (size_t i = 0; i < len; i++) p[i] = (uint8_t)(0x5a + 37 * i);
  return 0;
}

/* ---- diagnostics ---- */

static int g_trace;

static void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void trace(const char *fmt, ...) {
  if (!g_trace) return;
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
}

static void unlink_own(void);
static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "fuzz_segment: ");
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  char msg[200];
  int n = shmd_last_error((uint8_t *)msg, sizeof msg - 1);
  if (n > 0) fprintf(stderr, "fuzz_segment: last library error: %.*s\n", n, msg);
  unlink_own();
  abort();
}

/* ---- the base images ---- */

enum { IMG_STABLE, IMG_REHASH, IMG_DIED, IMG_SMALL, NIMG };
static const char *const IMG_NAMES[NIMG] = {"stable", "rehash", "died", "small"};

struct image {
  uint8_t *bytes;               /* g_reserve bytes */
  uint64_t committed;           /* committed bytes (<= g_reserve) */
  uint32_t *pages;              /* indexes of its non-zero pages */
  uint32_t npages;
  uint32_t heap_start, top, committed_units;
  uint64_t jcap, jused;
  uint32_t tab[2], mask[2];     /* bucket arrays (unit offsets) and masks */
  uint32_t *blocks, nblocks;    /* every block below top, in heap order */
  uint32_t *frees, nfrees;      /* the free ones */
  uint32_t *entries, nentries;  /* the live ones that are not tables */
  uint32_t *nodes, nnodes;      /* tree nodes of the pool's containers */
  char pool[NPOOL][80];         /* command keys */
  uint32_t pool_len[NPOOL];
  uint32_t pool_entry[NPOOL];   /* unit offset of the key's entry, 0 if absent */
  uint32_t pool_bucket[NPOOL][2];
};

static struct image g_img[NIMG];
static uint8_t *g_out;           /* OUTMAX bytes; replies end at its last byte */
static char g_name[64];          /* dictionary name of this process's segment */
static uint64_t g_reserve;       /* bytes of a segment file (header + journal + heap) */

static uint32_t blk_size(const uint8_t *img, uint32_t off) {
  uint32_t v;
  memcpy(&v, img + ((uint64_t)off << UNIT_SHIFT), 4);
  return v;
}

/* A process-local view of a segment file. */
struct seg_file {
  int fd;
  uint8_t *view;
};

static void seg_file_create(const char *name, struct seg_file *sf) {
  char path[128];
  snprintf(path, sizeof path, "/shmdict.%s", name);
  shm_unlink(path);
  sf->fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (sf->fd < 0) die("shm_open %s: %s", path, strerror(errno));
  if (fchmod(sf->fd, 0600) != 0 || ftruncate(sf->fd, g_reserve) != 0)
    die("sizing %s: %s", path, strerror(errno));
  void *p = mmap(NULL, g_reserve, PROT_READ | PROT_WRITE, MAP_SHARED, sf->fd, 0);
  if (p == MAP_FAILED) die("mmap %s: %s", path, strerror(errno));
  sf->view = p;
}

static void seg_file_destroy(const char *name, struct seg_file *sf) {
  char path[128];
  snprintf(path, sizeof path, "/shmdict.%s", name);
  munmap(sf->view, g_reserve);
  close(sf->fd);
  shm_unlink(path);
}

static void image_write(const struct image *im, uint8_t *view) {
  for (uint32_t i = 0; i < im->npages; i++) {
    uint64_t at = (uint64_t)im->pages[i] * PAGE;
    memcpy(view + at, im->bytes + at, PAGE);
  }
}

/* ---- building the images through the library ---- */

static int32_t bset(int h, const char *k, const void *v, uint32_t vlen, uint32_t flags,
                    double ttl) {
  int32_t rc = shmd_set(h, (const uint8_t *)k, (uint32_t)strlen(k), v, vlen, flags, ttl, NULL, 0);
  if (rc != SHMD_OK) die("building: set %s: %d", k, rc);
  return rc;
}

static void bdel_many(int h, const char *const *keys, uint32_t n) {
  static uint8_t argv[1 << 16];
  uint32_t at = 4;
  memcpy(argv, &n, 4);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t l = (uint32_t)strlen(keys[i]);
    memcpy(argv + at, &l, 4);
    memcpy(argv + at + 4, keys[i], l);
    at += 4 + l;
  }
  int32_t rc = shmd_del(h, argv, at);
  if (rc < 0) die("building: del: %d", rc);
}

static double info_of(int h, int which) {
  uint8_t buf[SHMD_INFO_COUNT * 8];
  double v;
  shmd_info(h, buf, sizeof buf);
  memcpy(&v, buf + which * 8, 8);
  return v;
}

static const uint32_t BIG_SIZES[] = {100, 300, 700, 1500, 3000, 4097, 6000, 12000, 30000, 70000};
#define NBIG (sizeof BIG_SIZES / sizeof BIG_SIZES[0])

/* One container command while building: key, then n items; ZADD takes one
 * score per member (nums). */
static void bexec(int h, uint32_t op, const char *key, char (*items)[40], uint32_t n,
                  const double *nums, uint32_t nnums) {
  static uint8_t argv[1 << 17], out[1 << 16];
  uint32_t cnt = n + 1, at = 4, kl = (uint32_t)strlen(key);
  memcpy(argv, &cnt, 4);
  memcpy(argv + at, &kl, 4);
  memcpy(argv + at + 4, key, kl);
  at += 4 + kl;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t l = (uint32_t)strlen(items[i]);
    memcpy(argv + at, &l, 4);
    memcpy(argv + at + 4, items[i], l);
    at += 4 + l;
  }
  int32_t rc = shmd_exec(h, op, argv, at, nums, nnums, 0, out, sizeof out);
  if (rc < 0) die("building: exec op %u on %s: %d", op, key, rc);
}

/* Hashes, sets, sorted sets and lists of 6 and of `big` elements, one command
 * each (few write commands: IMG_REHASH stays mid-rehash). */
static void containers(int h, uint32_t big) {
  static char items[600][40];
  static double nums[300];
  const uint32_t sizes[2] = {6, big};
  for (uint32_t c = 0; c < 2; c++) {
    uint32_t n = sizes[c];
    char k[16];
    for (uint32_t i = 0; i < n; i++) {
      snprintf(items[2 * i], 40, "f%u", i);
      snprintf(items[2 * i + 1], 40, "%.*s", (int)(1 + (i * 13) % 38),
               "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv");
    }
    snprintf(k, sizeof k, "h:%u", c);
    bexec(h, SHMD_OP_HSET, k, items, 2 * n, NULL, 0);
    for (uint32_t i = 0; i < n; i++) {
      snprintf(items[i], 40, "m%u", i);
      nums[i] = (double)((int)(i % 7) - 3) * 1.5; /* ties: ordered by member */
    }
    snprintf(k, sizeof k, "S:%u", c);
    bexec(h, SHMD_OP_SADD, k, items, n, NULL, 0);
    snprintf(k, sizeof k, "z:%u", c);
    bexec(h, SHMD_OP_ZADD, k, items, n, nums, n);
    for (uint32_t i = 0; i < n; i++) snprintf(items[i], 40, "e%u", i % 9);
    snprintf(k, sizeof k, "l:%u", c);
    bexec(h, SHMD_OP_RPUSH, k, items, n, NULL, 0);
  }
}

/* A big hash deleted at once: its tree goes to the garbage list, which write
 * commands free a few nodes at a time. */
static void container_garbage(int h) {
  static char items[600][40];
  for (uint32_t i = 0; i < 300; i++) {
    snprintf(items[2 * i], 40, "g%u", i);
    snprintf(items[2 * i + 1], 40, "%u", i);
  }
  bexec(h, SHMD_OP_HSET, "h:2", items, 600, NULL, 0);
  const char *z[] = {"h:2"};
  bdel_many(h, z, 1);
}

/* Fill dictionary h: nsmall small strings, numbers, big strings, far
 * deadlines, containers, deletions, appends; finish the rehash unless
 * stop_rehash. Keys that are about to expire are added by finish_expired(). */
static void populate(int h, uint32_t nsmall, int stop_rehash) {
  static uint8_t val[70000];
  char k[64];
  for (uint32_t i = 0; i < sizeof val; i++) val[i] = (uint8_t)('A' + i % 23);
  for (uint32_t i = 0; i < nsmall; i++) {
    snprintf(k, sizeof k, "s:%u", i);
    memset(val, 'a' + (int)(i % 26), 16);
    bset(h, k, val, 1 + (i * 7) % 12, 0, 0);
  }
  for (uint32_t i = 0; i < 8; i++) {
    char num[32];
    snprintf(k, sizeof k, "n:%u", i);
    snprintf(num, sizeof num, "%d", (int)(i * 37) - 100);
    bset(h, k, num, (uint32_t)strlen(num), 0, 0);
    snprintf(k, sizeof k, "f:%u", i);
    snprintf(num, sizeof num, "%u.25", i);
    bset(h, k, num, (uint32_t)strlen(num), 0, 0);
  }
  for (uint32_t i = 0; i < 8; i++) val[i] = (uint8_t)('A' + i % 23);
  for (uint32_t i = 0; i < NBIG; i++) {
    snprintf(k, sizeof k, "b:%u", i);
    bset(h, k, val, BIG_SIZES[i], 0, 0);
  }
  for (uint32_t i = 0; i < 24; i++) {
    snprintf(k, sizeof k, "t:%u", i);
    bset(h, k, "ttl", 3, SHMD_TTL_PXAT, (double)(FAR_DEADLINE + i));
  }
  containers(h, nsmall > 1000 ? 150 : 40);
  /* Deletions in batches (few write commands: keeps IMG_REHASH mid-rehash). */
  static char names[1000][16];
  const char *list[200];
  uint32_t n = 0, batch = 0;
  for (uint32_t i = 2; i < nsmall && n < 1000; i += 5, n++) {
    snprintf(names[n], sizeof names[n], "s:%u", i);
    list[batch++] = names[n];
    if (batch == 200) {
      bdel_many(h, list, batch);
      batch = 0;
    }
  }
  const char *bigs[] = {"b:1", "b:4", "b:7"};
  for (uint32_t i = 0; i < 3; i++) list[batch++] = bigs[i];
  bdel_many(h, list, batch);
  /* Growth: appends and setrange rebuild entries with slack, freeing the old. */
  for (int i = 0; i < 3; i++) {
    int32_t rc = shmd_append(h, (const uint8_t *)"s:3", 3, val, 40 + (uint32_t)i * 100);
    if (rc < 0) die("building: append: %d", rc);
  }
  if (shmd_setrange(h, (const uint8_t *)"b:2", 3, 2000, (const uint8_t *)"XYZ", 3) < 0)
    die("building: setrange");
  if (!stop_rehash) {
    for (int i = 0; i < 5000 && info_of(h, SHMD_INFO_REHASHING) != 0; i++) {
      bset(h, "z:scratch", "1", 1, 0, 0);
      const char *z[] = {"z:scratch"};
      bdel_many(h, z, 1);
    }
    if (info_of(h, SHMD_INFO_REHASHING) != 0) die("building: rehash does not finish");
  }
  container_garbage(h);
}

/* Keys that expire 1 ms after being set: present in the image, expired when used. */
static void finish_expired(int h) {
  char k[32];
  for (uint32_t i = 0; i < 6; i++) {
    snprintf(k, sizeof k, "x:%u", i);
    bset(h, k, "gone", 4, SHMD_TTL_PX, 1);
  }
  struct timespec ts = {0, 5 * 1000000L};
  nanosleep(&ts, NULL);
}

static void snapshot(struct image *im, const uint8_t *view) {
  im->bytes = malloc(g_reserve);
  if (!im->bytes) die("out of memory");
  memcpy(im->bytes, view, g_reserve);
}

/* Walk the image's index for key (trusted data: the image was just built). */
static uint32_t image_find(const struct image *im, const char *key, uint32_t klen,
                           uint32_t bucket_out[2]) {
  struct dict fake;
  memset(&fake, 0, sizeof fake);
  fake.base = im->bytes;
  fake.hdr = (struct seg_hdr *)im->bytes;
  uint64_t h = ks_hash(&fake, (const uint8_t *)key, klen);
  const struct ks_state *ks = &fake.hdr->ks;
  bucket_out[0] = (uint32_t)(h & im->mask[0]);
  bucket_out[1] = (uint32_t)(h & im->mask[1]);
  int t = (ks->rehashidx >= 0 && (h & im->mask[0]) < (uint64_t)ks->rehashidx) ? 1 : 0;
  uint32_t off;
  memcpy(&off, im->bytes + ((uint64_t)im->tab[t] << UNIT_SHIFT) + 8 + 4 * bucket_out[t], 4);
  for (int n = 0; off && n < 10000; n++) {
    const struct entry *e = (const struct entry *)(im->bytes + ((uint64_t)off << UNIT_SHIFT) + 8);
    if (e->hash == (uint32_t)h && e->klen == klen && memcmp(e + 1, key, klen) == 0) return off;
    off = e->next;
  }
  return 0;
}

/* The keys of the heads of the three longest chains of table 0. */
static void long_chains(const struct image *im, char out[3][80]) {
  uint32_t best[3] = {0, 0, 0}, head[3] = {0, 0, 0};
  const struct ks_state *ks = &((const struct seg_hdr *)im->bytes)->ks;
  for (uint32_t j = 0; j <= im->mask[0]; j++) {
    if (ks->rehashidx >= 0 && j < (uint64_t)ks->rehashidx) continue;
    uint32_t off, len = 0, first;
    memcpy(&off, im->bytes + ((uint64_t)im->tab[0] << UNIT_SHIFT) + 8 + 4 * j, 4);
    first = off;
    for (; off && len < 1000; len++)
      off = ((const struct entry *)(im->bytes + ((uint64_t)off << UNIT_SHIFT) + 8))->next;
    for (int s = 0; s < 3; s++)
      if (len > best[s]) {
        for (int m = 2; m > s; m--) {
          best[m] = best[m - 1];
          head[m] = head[m - 1];
        }
        best[s] = len;
        head[s] = first;
        break;
      }
  }
  for (int s = 0; s < 3; s++) {
    out[s][0] = 0;
    if (!head[s]) continue;
    const struct entry *e = (const struct entry *)(im->bytes + ((uint64_t)head[s] << UNIT_SHIFT) + 8);
    uint32_t l = e->klen < 79 ? e->klen : 79;
    memcpy(out[s], e + 1, l);
    out[s][l] = 0;
  }
}

static void analyse(struct image *im) {
  const struct seg_hdr *H = (const struct seg_hdr *)im->bytes;
  im->committed = H->committed < g_reserve ? H->committed : g_reserve;
  im->committed_units = (uint32_t)(im->committed >> UNIT_SHIFT);
  im->heap_start = H->heap_start;
  im->top = H->al.top;
  im->jcap = H->journal_cap;
  im->jused = H->jused;
  for (int t = 0; t < 2; t++) {
    im->tab[t] = H->ks.tab[t];
    im->mask[t] = H->ks.tab[t] ? (1u << H->ks.log2[t]) - 1 : (1u << H->ks.log2[0]) - 1;
  }
  if (!im->tab[1]) im->tab[1] = im->tab[0];
  im->pages = malloc(sizeof(uint32_t) * (g_reserve / PAGE));
  im->blocks = malloc(sizeof(uint32_t) * (g_reserve >> UNIT_SHIFT));
  im->frees = malloc(sizeof(uint32_t) * (g_reserve >> UNIT_SHIFT));
  im->entries = malloc(sizeof(uint32_t) * (g_reserve >> UNIT_SHIFT));
  if (!im->pages || !im->blocks || !im->frees || !im->entries) die("out of memory");
  static const uint8_t zero[PAGE];
  im->npages = 0;
  for (uint32_t p = 0; p < g_reserve / PAGE; p++)
    if (memcmp(im->bytes + (uint64_t)p * PAGE, zero, PAGE) != 0) im->pages[im->npages++] = p;
  im->nblocks = im->nfrees = im->nentries = 0;
  for (uint32_t off = im->heap_start; off < im->top;) {
    uint32_t sz = blk_size(im->bytes, off);
    im->blocks[im->nblocks++] = off;
    if (sz & 0x80000000u)
      im->frees[im->nfrees++] = off;
    else if (off != H->ks.tab[0] && off != H->ks.tab[1])
      im->entries[im->nentries++] = off;
    sz &= 0x7fffffffu;
    if (sz == 0) die("image: a block of size 0");
    off += sz;
  }
  /* The key pool. */
  char chains[3][80];
  long_chains(im, chains);
  static const char *const fixed[NPOOL] = {
      "s:0",   "s:1",   "s:3",   NULL,    NULL,    NULL,    "n:0",   "n:5",
      "f:1",   "b:0",   "b:2",   "b:5",   "b:9",   "t:0",   "t:7",   "t:23",
      "x:0",   "x:3",   "x:5",   "s:2",   "s:7",   "b:1",   "b:4",   "new:a",
      "new:b", "c",     "",      "L",     "s:100", "s:2000", "s:4000", "s:4150",
      "h:0",   "h:1",   "S:0",   "S:1",   "z:0",   "z:1",   "l:0",   "l:1",
      "h:2",   "h:new", "l:new"};
  for (uint32_t i = 0; i < NPOOL; i++) {
    const char *k = fixed[i] ? fixed[i] : chains[i - 3];
    if (i == 27) {
      memset(im->pool[i], 'L', 64);
      im->pool[i][64] = 0;
    } else {
      snprintf(im->pool[i], sizeof im->pool[i], "%s", k);
    }
    im->pool_len[i] = (uint32_t)strlen(im->pool[i]);
    im->pool_entry[i] = image_find(im, im->pool[i], im->pool_len[i], im->pool_bucket[i]);
  }
  /* Tree nodes of the pool's containers (both roots), depth first; the block
   * of a packed container. */
  im->nodes = malloc(sizeof(uint32_t) * (g_reserve >> UNIT_SHIFT));
  if (!im->nodes) die("out of memory");
  im->nnodes = 0;
  for (uint32_t i = 0; i < NPOOL; i++) {
    if (!im->pool_entry[i]) continue;
    const struct entry *e =
        (const struct entry *)(im->bytes + ((uint64_t)im->pool_entry[i] << UNIT_SHIFT) + 8);
    if (e->type == SHMD_T_STRING || e->vlen != 8) continue;
    uint32_t roots[2], stack[256], sp = 0;
    memcpy(roots, (const uint8_t *)(e + 1) + e->klen, 8);
    if (e->enc == ENC_PACK) { /* one packed block: its header and elements are the targets */
      if (roots[0] && im->nnodes < (g_reserve >> UNIT_SHIFT)) im->nodes[im->nnodes++] = roots[0];
      continue;
    }
    for (int t = 0; t < 2; t++)
      if (roots[t]) stack[sp++] = roots[t];
    while (sp && im->nnodes < (g_reserve >> UNIT_SHIFT)) {
      uint32_t off = stack[--sp];
      const struct tnode *n = (const struct tnode *)(im->bytes + ((uint64_t)off << UNIT_SHIFT) + 8);
      im->nodes[im->nnodes++] = off;
      if (n->l && sp < 256) stack[sp++] = n->l;
      if (n->r && sp < 256) stack[sp++] = n->r;
    }
  }
}

static int build_segment(const char *name) {
  char n[64];
  snprintf(n, sizeof n, "%s", name);
  shmd_drop((const uint8_t *)n, (uint32_t)strlen(n));
  int h = shmd_open((const uint8_t *)n, (uint32_t)strlen(n), SHMD_O_CREATE | SHMD_O_EXCL, 0,
                    SEG_SIZE);
  if (h < 0) die("building: open %s: %d", n, h);
  /* The file's size: what the library makes of SEG_SIZE (header + journal + heap). */
  char path[128];
  struct stat st;
  snprintf(path, sizeof path, "/shmdict.%s", n);
  int fd = shm_open(path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0 || fstat(fd, &st) != 0) die("building: stat %s: %s", path, strerror(errno));
  close(fd);
  if (g_reserve && (uint64_t)st.st_size != g_reserve) die("building: segments of different sizes");
  g_reserve = (uint64_t)st.st_size;
  return h;
}

static void finish_segment(int h, const char *name, struct image *im, struct seg_file *sf) {
  uint8_t rep[512];
  int32_t n = shmd_check(h, rep, sizeof rep);
  if (n != 0) die("building %s: the image is not consistent: %.*s", name, n > 0 ? n : 0, rep);
  /* Map the same object to copy it (the library keeps its mapping private). */
  char path[128];
  snprintf(path, sizeof path, "/shmdict.%s", name);
  sf->fd = shm_open(path, O_RDWR | O_CLOEXEC, 0);
  if (sf->fd < 0) die("reopen %s: %s", path, strerror(errno));
  sf->view = mmap(NULL, g_reserve, PROT_READ | PROT_WRITE, MAP_SHARED, sf->fd, 0);
  if (sf->view == MAP_FAILED) die("mmap %s", path);
  snapshot(im, sf->view);
  shmd_close(h);
}

/* IMG_DIED: a child attaches to a copy of IMG_REHASH and is killed in the
 * middle of an MSET; the segment keeps its journal and a dead-owner mutex. */
static void build_died(struct image *im, const struct image *from) {
  char name[64];
  snprintf(name, sizeof name, "fuzzimg-%d-died", (int)getpid());
  for (long k = 60; k >= 2; k /= 2) {
    struct seg_file sf;
    seg_file_create(name, &sf);
    image_write(from, sf.view);
    pid_t pid = fork();
    if (pid < 0) die("fork: %s", strerror(errno));
    if (pid == 0) {
      int h = shmd_open((const uint8_t *)name, (uint32_t)strlen(name), 0, 0, 0);
      if (h < 0) _exit(3);
      static uint8_t argv[40000];
      uint32_t at = 4, n = 0;
      const char *kv[][2] = {{"s:0", "replaced"}, {"new:a", NULL}, {"s:5", "x"}, {"b:2", "y"},
                             {"m:1", "z"}, {"t:0", "w"}};
      for (uint32_t i = 0; i < 6; i++) {
        uint32_t kl = (uint32_t)strlen(kv[i][0]);
        uint32_t vl = kv[i][1] ? (uint32_t)strlen(kv[i][1]) : 20000;
        memcpy(argv + at, &kl, 4);
        memcpy(argv + at + 4, kv[i][0], kl);
        at += 4 + kl;
        memcpy(argv + at, &vl, 4);
        if (kv[i][1])
          memcpy(argv + at + 4, kv[i][1], vl);
        else
          memset(argv + at + 4, 'q', vl);
        at += 4 + vl;
        n += 2;
      }
      memcpy(argv, &n, 4);
      shmd_crash_countdown = k;
      shmd_mset(h, argv, at, 0);
      _exit(0); /* the command finished before the k-th journaled write */
    }
    int st = 0;
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL &&
        ((const struct seg_hdr *)sf.view)->jused != 0) {
      snapshot(im, sf.view);
      seg_file_destroy(name, &sf);
      return;
    }
    seg_file_destroy(name, &sf);
  }
  die("building: could not kill a writer in the middle of a command");
}

static void build_images(void) {
  struct seg_file sf;
  char name[64];
  int pid = (int)getpid();

  snprintf(name, sizeof name, "fuzzimg-%d-stable", pid);
  int h = build_segment(name);
  populate(h, 4200, 0);
  finish_expired(h);
  finish_segment(h, name, &g_img[IMG_STABLE], &sf);
  seg_file_destroy(name, &sf);

  snprintf(name, sizeof name, "fuzzimg-%d-rehash", pid);
  h = build_segment(name);
  populate(h, 4200, 1);
  finish_expired(h);
  if (info_of(h, SHMD_INFO_REHASHING) == 0) die("building: the rehash image is not rehashing");
  finish_segment(h, name, &g_img[IMG_REHASH], &sf);
  seg_file_destroy(name, &sf);

  snprintf(name, sizeof name, "fuzzimg-%d-small", pid);
  h = build_segment(name);
  populate(h, 40, 0);
  finish_expired(h);
  finish_segment(h, name, &g_img[IMG_SMALL], &sf);
  seg_file_destroy(name, &sf);

  analyse(&g_img[IMG_STABLE]);
  analyse(&g_img[IMG_REHASH]);
  analyse(&g_img[IMG_SMALL]);
  build_died(&g_img[IMG_DIED], &g_img[IMG_REHASH]);
  analyse(&g_img[IMG_DIED]);
}

/* ---- reading the input ---- */

struct rd {
  const uint8_t *p;
  size_t n, i;
};

/* Little endian; each read is its own statement (the order of two calls in
 * one expression is unspecified in C). */
static uint8_t u8(struct rd *r) { return r->i < r->n ? r->p[r->i++] : 0; }
static uint16_t u16(struct rd *r) {
  uint16_t lo = u8(r);
  return (uint16_t)(lo | (uint16_t)(u8(r) << 8));
}
static uint32_t u32(struct rd *r) {
  uint32_t lo = u16(r);
  return lo | ((uint32_t)u16(r) << 16);
}
static uint64_t u64(struct rd *r) {
  uint64_t lo = u32(r);
  return lo | ((uint64_t)u32(r) << 32);
}

/* ---- one execution ---- */

struct run {
  const struct image *im;
  uint8_t *view;     /* our own mapping of the segment */
  int h;             /* library handle, or < 0 */
  int readonly;
  uint32_t nmut;     /* mutations applied */
  int in_txn;        /* inside shmd_txn_begin/end: the lock is held on purpose */
  int saw_corrupt;   /* some call returned SHMD_E_CORRUPT */
};

static int forbidden(uint64_t at) { return at < 8 || (at >= LOCK_OFF && at < LOCK_OFF + LOCK_BLOB); }

/* Write n bytes at byte offset `at` of the committed segment, skipping the
 * magic and the lock blob. */
static void poke(struct run *R, uint64_t at, const void *src, uint32_t n) {
  const uint8_t *s = src;
  for (uint32_t i = 0; i < n; i++)
    if (at + i < R->im->committed && !forbidden(at + i)) R->view[at + i] = s[i];
  R->nmut++;
}

static uint64_t peek(struct run *R, uint64_t at, uint32_t n) {
  uint64_t v = 0;
  if (at + n <= g_reserve) memcpy(&v, R->view + at, n);
  return v;
}

static uint32_t pick(struct rd *r, const uint32_t *list, uint32_t n) {
  return n ? list[u16(r) % n] : 0;
}

/* A 32-bit value for a field whose current value is cur, at a structure whose
 * unit offset is self. */
static uint32_t val32(struct rd *r, struct run *R, uint32_t cur, uint32_t self) {
  const struct image *im = R->im;
  uint8_t sel = u8(r);
  switch (sel % 30) {
  case 0: return 0;
  case 1: return 1;
  case 2: return 0xffffffffu;
  case 3: return 0x7fffffffu;
  case 4: return 0x80000000u;
  case 5: return cur + 1;
  case 6: return cur - 1;
  case 7: return cur ^ (1u << (u8(r) & 31));
  case 8: return cur | 0x80000000u;
  case 9: return cur & 0x7fffffffu;
  case 10: return im->heap_start;
  case 11: return im->heap_start - 1 - (u8(r) & 3);
  case 12: return im->top + (u8(r) & 15);
  case 13: return im->top - 1 - (u8(r) & 15);
  case 14: return im->committed_units - (u8(r) & 15);
  case 15: return im->committed_units + (u8(r) & 15);
  case 16: return self;
  case 17: return pick(r, im->entries, im->nentries);
  case 18: return im->pool_entry[u8(r) % NPOOL];
  case 19: return pick(r, im->frees, im->nfrees);
  case 20: return pick(r, im->blocks, im->nblocks);
  case 21: return 0u - ENTRY_HDR - (u8(r) & 63);           /* wraps ENTRY_HDR + len */
  case 22: return 0x80000000u - ENTRY_HDR - (u8(r) & 63);
  case 23: return cur + (u8(r) & 63) + 2;
  case 24: return cur - (u8(r) & 63) - 2;
  case 25: return cur * 2 + 1;
  case 26: return u8(r);
  case 27: return pick(r, im->nodes, im->nnodes);
  default: return u32(r);
  }
}

static uint64_t val64(struct rd *r, struct run *R, uint64_t cur, uint32_t self) {
  uint8_t sel = u8(r);
  int64_t now = os_now_ms();
  switch (sel % 20) {
  case 0: return 0;
  case 1: return 1;
  case 2: return ~0ull;
  case 3: return (uint64_t)INT64_MAX;
  case 4: return (uint64_t)INT64_MIN;
  case 5: return cur + 1;
  case 6: return cur - 1;
  case 7: return cur ^ (1ull << (u8(r) & 63));
  case 8: return (uint64_t)(now - 1 - (int64_t)u16(r));   /* a deadline just past */
  case 9: return (uint64_t)(now + 100000 + (int64_t)u16(r)); /* in the future */
  case 10: return cur + 8 * (uint64_t)(u8(r) & 31);
  case 11: return cur - 8 * (uint64_t)(u8(r) & 31);
  case 12: return R->im->jcap + (u8(r) & 31);
  case 13: return 8 * (uint64_t)(u8(r) & 63);
  case 14: return 0x100000000ull + (u8(r) & 63);
  case 15: return cur * 2 + 1;
  case 16: return (uint64_t)0 - 8 * (uint64_t)((u8(r) & 15) + 1);
  case 17: return val32(r, R, (uint32_t)cur, self);
  default: return u64(r);
  }
}

/* Write a value of size n (1, 2, 4 or 8) at byte offset `at`. */
static void poke_val(struct rd *r, struct run *R, uint64_t at, uint32_t n, uint32_t self) {
  uint64_t cur = peek(R, at, n), v;
  if (n == 8)
    v = val64(r, R, cur, self);
  else if (n == 4)
    v = val32(r, R, (uint32_t)cur, self);
  else if (u8(r) & 1)
    v = cur ^ (1u << (u8(r) % (8 * n)));
  else
    v = n == 1 ? u8(r) : u16(r);
  trace("  poke @%llu (%u bytes): %#llx -> %#llx\n", (unsigned long long)at, n,
        (unsigned long long)cur, (unsigned long long)v);
  poke(R, at, &v, n);
}

/* Header fields (the magic and the lock blob excluded). */
#define HF(f) {offsetof(struct seg_hdr, f), sizeof(((struct seg_hdr *)0)->f), #f}
static const struct hfield {
  uint32_t off, size;
  const char *name;
} HFIELDS[] = {
    HF(version), HF(endian), HF(lock_abi), HF(hdr_bytes), HF(reserve), HF(committed),
    HF(journal_cap), HF(heap_start), HF(pad0), HF(seed), HF(corrupt), HF(recoveries),
    HF(jused), HF(jcommitted), HF(al.top), HF(al.top_prev), HF(al.live_units), HF(al.free_units),
    HF(al.bitmap[0]), HF(al.bitmap[1]), HF(al.top), HF(al.top_prev), HF(ks.tab[0]),
    HF(ks.tab[1]), HF(ks.log2[0]), HF(ks.log2[1]), HF(ks.rehashidx), HF(ks.count),
    HF(ks.expires), HF(ks.expire_cursor), HF(ks.expired_total), HF(ks.tab[0]),
    HF(ks.log2[0]), HF(ks.rehashidx), HF(ks.count), HF(meta_seq), HF(ks.garbage),
};
#define NHFIELDS (sizeof HFIELDS / sizeof HFIELDS[0])

enum { T_HDR, T_BUCKET, T_ENTRY, T_BLOCK, T_NODE, T_JOURNAL, NTARGETS };

/* Choose a target of the given kind: byte offset, natural size, and the unit
 * offset of the structure it belongs to. */
static void pick_target(struct rd *r, struct run *R, int kind, uint64_t *at, uint32_t *size,
                        uint32_t *self) {
  const struct image *im = R->im;
  *self = 0;
  switch (kind) {
  case T_HDR: {
    uint8_t s = u8(r);
    if (s < 40) { /* a free-list bin, mostly a non-empty one */
      uint32_t b;
      const struct seg_hdr *H = (const struct seg_hdr *)im->bytes;
      b = u8(r) % NBINS;
      if (s & 1)
        for (uint32_t k = 0; k < NBINS; k++)
          if (H->al.bins[(b + k) % NBINS]) {
            b = (b + k) % NBINS;
            break;
          }
      *at = offsetof(struct seg_hdr, al.bins) + 4 * b;
      *size = 4;
    } else if (s < 56) { /* a read stripe */
      *at = offsetof(struct seg_hdr, stripes) + 4 * (u16(r) % NSTRIPES);
      *size = 4;
    } else {
      const struct hfield *f = &HFIELDS[s % NHFIELDS];
      *at = f->off;
      *size = f->size;
      trace("  header field %s\n", f->name);
    }
    return;
  }
  case T_BUCKET: {
    int t = u8(r) & 1;
    uint8_t s = u8(r);
    uint32_t j = (s & 1) ? im->pool_bucket[(s >> 1) % NPOOL][t] : (u16(r) & im->mask[t]);
    *at = ((uint64_t)im->tab[t] << UNIT_SHIFT) + 8 + 4 * (uint64_t)j;
    *size = 4;
    *self = im->tab[t];
    trace("  bucket %u of table %d\n", j, t);
    return;
  }
  case T_ENTRY: {
    uint8_t s = u8(r);
    uint32_t off = (s & 3) ? im->pool_entry[(s >> 2) % NPOOL] : pick(r, im->entries, im->nentries);
    if (!off) off = pick(r, im->entries, im->nentries);
    uint64_t base = ((uint64_t)off << UNIT_SHIFT) + 8;
    struct entry e;
    memcpy(&e, R->view + base, sizeof e);
    *self = off;
    static const struct {
      uint32_t off, size;
    } EF[] = {{0, 4}, {4, 4}, {8, 1}, {9, 1}, {10, 2}, {12, 4}, {16, 8},
              {24, 4}, {28, 4}, {0, 4}, {12, 4}, {24, 4}, {16, 8}};
    uint8_t f = u8(r) % 18;
    if (f >= 16) { /* a container root (the 8-byte value of a container entry) */
      uint32_t k = e.klen < 65536 ? e.klen : 0;
      *at = base + ENTRY_HDR + k + 4 * (uint64_t)(f - 16);
      *size = 4;
    } else if (f < 13) {
      *at = base + EF[f].off;
      *size = EF[f].size;
    } else if (f == 13) { /* a key byte */
      *at = base + ENTRY_HDR + (e.klen ? u8(r) % (e.klen < 256 ? e.klen : 256) : 0);
      *size = 1;
    } else if (f == 14) { /* a value byte */
      uint32_t k = e.klen < 65536 ? e.klen : 0;
      *at = base + ENTRY_HDR + k + (e.vlen ? u16(r) % (e.vlen < 65536 ? e.vlen : 65536) : 0);
      *size = 1;
    } else { /* the block's size or prev tag */
      *at = base - 8 + 4 * (u8(r) & 1);
      *size = 4;
    }
    trace("  entry at unit %u, field at +%llu\n", off, (unsigned long long)(*at - base));
    return;
  }
  case T_BLOCK: {
    uint8_t s = u8(r);
    uint32_t off;
    switch (s % 5) {
    case 0: off = pick(r, im->frees, im->nfrees); break;
    case 1: off = pick(r, im->blocks, im->nblocks); break;
    case 2: { /* the block after a pool key's entry */
      uint32_t e = im->pool_entry[u8(r) % NPOOL];
      off = e ? e + (blk_size(im->bytes, e) & 0x7fffffffu) : pick(r, im->frees, im->nfrees);
      break;
    }
    case 3: off = im->tab[u8(r) & 1]; break;
    default: off = pick(r, im->frees, im->nfrees); break;
    }
    if (!off) off = im->heap_start;
    *self = off;
    *at = ((uint64_t)off << UNIT_SHIFT) + 4 * (uint64_t)(u8(r) & 3);
    *size = 4;
    trace("  block at unit %u, word %llu\n", off, (unsigned long long)((*at & 15) / 4));
    return;
  }
  case T_NODE: { /* a container tree node, or a packed block (its header and elements) */
    uint32_t off = pick(r, im->nodes, im->nnodes);
    if (!off) off = pick(r, im->entries, im->nentries);
    uint64_t base = ((uint64_t)off << UNIT_SHIFT) + 8;
    struct tnode n;
    memcpy(&n, R->view + base, sizeof n);
    *self = off;
    static const struct {
      uint32_t off, size;
    } NF[] = {{0, 4}, {4, 4}, {8, 4}, {12, 4}, {16, 8}, {24, 4}, {28, 4}, {0, 4}, {4, 4}, {8, 4}};
    uint8_t f = u8(r) % 13;
    if (f < 10) {
      *at = base + NF[f].off;
      *size = NF[f].size;
    } else if (f == 10) { /* a key byte */
      *at = base + TNODE_HDR + (n.klen ? u8(r) % (n.klen < 256 ? n.klen : 256) : 0);
      *size = 1;
    } else { /* the block's size or prev tag */
      *at = base - 8 + 4 * (uint64_t)(f & 1);
      *size = 4;
    }
    trace("  tree node at unit %u, field at +%llu\n", off, (unsigned long long)(*at - base));
    return;
  }
  default: { /* T_JOURNAL */
    uint8_t s = u8(r);
    if (s < 32) {
      *at = offsetof(struct seg_hdr, jused);
    } else if (s < 48) {
      *at = offsetof(struct seg_hdr, jcommitted);
    } else {
      uint64_t span = im->jused + 64;
      *at = SEG_HDR_BYTES + 8 * (u16(r) % (span / 8));
    }
    *size = 8;
    trace("  journal word at %llu\n", (unsigned long long)*at);
    return;
  }
  }
}

static void mutate(struct rd *r, struct run *R, uint8_t op) {
  int kind = op % 9;
  uint64_t at;
  uint32_t size, self;
  trace("mutation %d%s\n", kind, R->h >= 0 ? " (live)" : " (image)");
  switch (kind) {
  case 0: case 1: case 2: case 3: case 4: case 5:
    pick_target(r, R, kind, &at, &size, &self);
    poke_val(r, R, at, size, self);
    return;
  case 6: { /* raw bytes: in the header, the journal records or the heap */
    const struct image *im = R->im;
    uint8_t where = u8(r) & 3;
    uint64_t heap = (uint64_t)im->heap_start << UNIT_SHIFT;
    uint64_t lo = where == 0 ? 0 : where == 1 ? SEG_HDR_BYTES : heap;
    uint64_t hi = where == 0 ? SEG_HDR_BYTES : where == 1 ? SEG_HDR_BYTES + im->jused + 4096
                                                          : im->committed;
    at = lo + u32(r) % (hi - lo);
    uint32_t n = 1 + u8(r) % 8;
    uint8_t b[8];
    for (uint32_t i = 0; i < n; i++) b[i] = u8(r);
    trace("  raw %u bytes @%llu\n", n, (unsigned long long)at);
    poke(R, at, b, n);
    return;
  }
  case 7: { /* a forged undo record, rolled back by the next lock */
    pick_target(r, R, u8(r) % T_JOURNAL, &at, &size, &self);
    if (u8(r) & 1) size = 1 + u8(r) % 24;
    for (uint64_t i = 0; i < size; i++)
      if (forbidden(at + i)) return;
    uint64_t used = peek(R, offsetof(struct seg_hdr, jused), 8);
    uint64_t body = ((uint64_t)size + 7) & ~7ull, rec = 16 + body;
    if (used > R->im->jcap || used + rec > R->im->jcap) used = 0;
    uint8_t buf[16 + 32];
    uint64_t head = (at << 16) | size;
    memcpy(buf, &head, 8);
    memset(buf + 8, 0, body);
    /* The body: a smart value for a natural field, else literal bytes. */
    uint64_t cur = peek(R, at, size <= 8 ? size : 8), v;
    if (size == 4 || size == 8) {
      v = size == 4 ? val32(r, R, (uint32_t)cur, self) : val64(r, R, cur, self);
      memcpy(buf + 8, &v, size);
    } else {
      for (uint32_t i = 0; i < size; i++) buf[8 + i] = u8(r);
    }
    memcpy(buf + 8 + body, &rec, 8);
    trace("  forged record @journal+%llu: %u bytes to %llu\n", (unsigned long long)used, size,
          (unsigned long long)at);
    poke(R, SEG_HDR_BYTES + used, buf, (uint32_t)rec);
    uint64_t nu = used + rec;
    poke(R, offsetof(struct seg_hdr, jused), &nu, 8);
    return;
  }
  default: { /* clone an entry header (or entry) over another */
    const struct image *im = R->im;
    uint32_t a = (u8(r) & 1) ? im->pool_entry[u8(r) % NPOOL] : pick(r, im->entries, im->nentries);
    uint32_t b = (u8(r) & 1) ? im->pool_entry[u8(r) % NPOOL] : pick(r, im->entries, im->nentries);
    if (!a || !b || a == b) return;
    uint32_t n = (u8(r) & 1) ? ENTRY_HDR + 8 : ENTRY_HDR;
    uint64_t src = ((uint64_t)a << UNIT_SHIFT) + 8, dst = ((uint64_t)b << UNIT_SHIFT) + 8;
    uint8_t buf[ENTRY_HDR + 8];
    memcpy(buf, R->view + src, n);
    trace("  clone entry %u over %u (%u bytes)\n", a, b, n);
    poke(R, dst, buf, n);
    return;
  }
  }
}

/* ---- commands ---- */

/* The writer lock must be held by this thread exactly while a transaction is
 * open (glibc's mutex records its owner's thread id). */
static void check_lock(struct run *R, const char *what) {
  const pthread_mutex_t *m = (const pthread_mutex_t *)(const void *)(R->view + LOCK_OFF);
  int mine = m->__data.__owner != 0 && m->__data.__owner == (int)gettid();
  if (mine && !R->in_txn) die("%s returned with the writer lock still held by this thread", what);
  if (!mine && R->in_txn) die("%s returned inside a transaction without the writer lock", what);
}

static int32_t done(struct run *R, const char *what, int32_t rc) {
  trace("  %s -> %d\n", what, rc);
  if (rc < SHMD_E_BUSY) die("%s returned %d, which is not a documented status", what, rc);
  if (rc == SHMD_E_CORRUPT) R->saw_corrupt = 1;
  check_lock(R, what);
  return rc;
}

static const uint32_t VLENS[] = {0, 1, 3, 8, 12, 20, 40, 100, 600, 4000, 4097, 5000, 20000, 300000};

/* A value: numbers, floats, or filler of a length from VLENS. */
static const uint8_t *value(struct rd *r, uint32_t *len) {
  static uint8_t fill[300000];
  static char num[32];
  static const char *const nums[] = {"0", "42", "-7", "9223372036854775807", "-9223372036854775808",
                                     "3.5", "1e3", "abc", " 1", "007"};
  uint8_t s = u8(r);
  if (s < 40) {
    const char *v = nums[s % 10];
    *len = (uint32_t)strlen(v);
    return (const uint8_t *)v;
  }
  if (s < 48) {
    *len = (uint32_t)snprintf(num, sizeof num, "%d", (int)(int16_t)u16(r));
    return (const uint8_t *)num;
  }
  *len = VLENS[s % (sizeof VLENS / sizeof VLENS[0])];
  memset(fill, 'a' + s % 26, *len < 64 ? *len : 64);
  return fill;
}

static const char *key(struct rd *r, struct run *R, uint32_t *len) {
  uint32_t i = u8(r) % NPOOL;
  *len = R->im->pool_len[i];
  return R->im->pool[i];
}

/* An output buffer of capacity cap whose end is the end of g_out, so that a
 * write past cap is a heap overflow ASan reports. */
static uint8_t *outbuf(struct rd *r, uint32_t *cap) {
  static const uint32_t CAPS[] = {0, 8, 12, 16, 100, OUTMAX, OUTMAX, OUTMAX};
  *cap = CAPS[u8(r) & 7];
  return g_out + (OUTMAX - *cap);
}

/* Build an argv buffer of n keys (pairs: key, value, ...). */
static uint32_t argv_of(struct rd *r, struct run *R, uint8_t *buf, uint32_t bufcap, uint32_t n,
                        int pairs) {
  uint32_t at = 4, items = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t kl, vl;
    const char *k = key(r, R, &kl);
    const uint8_t *v = pairs ? value(r, &vl) : NULL;
    if (!pairs) vl = 0;
    if (at + 8 + kl + vl > bufcap) break;
    memcpy(buf + at, &kl, 4);
    memcpy(buf + at + 4, k, kl);
    at += 4 + kl;
    items++;
    if (pairs) {
      memcpy(buf + at, &vl, 4);
      memcpy(buf + at + 4, v, vl);
      at += 4 + vl;
      items++;
    }
  }
  memcpy(buf, &items, 4);
  return at;
}

static double ttl_arg(struct rd *r, uint32_t tf) {
  uint8_t s = u8(r);
  int64_t now = os_now_ms();
  switch (s % 8) {
  case 0: return 1;
  case 1: return 1000;
  case 2: return 0;
  case 3: return -5;
  case 4: return (tf & SHMD_TTL_PXAT) ? (double)(now - 10) : (double)(now / 1000 - 1);
  case 5: return (tf & SHMD_TTL_PXAT) ? (double)(now + 60000) : (double)(now / 1000 + 60);
  case 6: return 9.3e18;
  default: return (double)u16(r);
  }
}

static const char *const PATTERNS[] = {"",   "*",      "s:1*",  "*9",  "?:*",   "[bt]:*",
                                       "*x*y*", "\\*", "n:[0-5]*", "*:*:*", "[^s]*", "L*L"};
#define NPATTERNS (sizeof PATTERNS / sizeof PATTERNS[0])

enum {
  C_GET, C_SET, C_MSET, C_MGET, C_DEL, C_GETDEL, C_GETEX, C_GETRANGE, C_SETRANGE, C_APPEND,
  C_STRLEN, C_INCRBY, C_INCRBYFLOAT, C_EXISTS, C_TYPE, C_RENAME, C_COPY, C_EXPIRE, C_TTL,
  C_PERSIST, C_SCAN, C_KEYS, C_DBSIZE, C_INFO, C_FLUSHALL, C_CHECK, C_REOPEN, C_SET2, C_GET2,
  C_DEL2, C_MULTI, C_EXEC, C_CEXEC, C_CEXEC2, C_CEXEC3, C_CEXEC4, NCMD
};

static const char *const CMD_NAMES[NCMD] = {
    "get",    "set",    "mset",   "mget",     "del",     "getdel",  "getex",   "getrange",
    "setrange", "append", "strlen", "incrby", "incrbyfloat", "exists", "type", "rename",
    "copy",   "expire", "ttl",    "persist",  "scan",    "keys",    "dbsize",  "info",
    "flushall", "check", "reopen", "set",    "get",      "del",     "multi",   "exec",
    "container", "container", "container", "container"};

static const uint32_t OPS[] = {
    SHMD_OP_HSET, SHMD_OP_HSETNX, SHMD_OP_HGET, SHMD_OP_HMGET, SHMD_OP_HGETALL, SHMD_OP_HDEL,
    SHMD_OP_HEXISTS, SHMD_OP_HLEN, SHMD_OP_HKEYS, SHMD_OP_HVALS, SHMD_OP_HSTRLEN, SHMD_OP_HINCRBY,
    SHMD_OP_HINCRBYFLOAT, SHMD_OP_HRANDFIELD, SHMD_OP_HSCAN, SHMD_OP_LPUSH, SHMD_OP_RPUSH,
    SHMD_OP_LPOP, SHMD_OP_RPOP, SHMD_OP_LLEN, SHMD_OP_LRANGE, SHMD_OP_LINDEX, SHMD_OP_LSET,
    SHMD_OP_LINSERT, SHMD_OP_LREM, SHMD_OP_LTRIM, SHMD_OP_LPOS, SHMD_OP_LMOVE, SHMD_OP_SADD,
    SHMD_OP_SREM, SHMD_OP_SMEMBERS, SHMD_OP_SISMEMBER, SHMD_OP_SMISMEMBER, SHMD_OP_SCARD,
    SHMD_OP_SPOP, SHMD_OP_SRANDMEMBER, SHMD_OP_SMOVE, SHMD_OP_SINTER, SHMD_OP_SUNION, SHMD_OP_SDIFF,
    SHMD_OP_SINTERCARD, SHMD_OP_SINTERSTORE, SHMD_OP_SUNIONSTORE, SHMD_OP_SDIFFSTORE, SHMD_OP_SSCAN,
    SHMD_OP_ZADD, SHMD_OP_ZINCRBY, SHMD_OP_ZSCORE, SHMD_OP_ZMSCORE, SHMD_OP_ZREM, SHMD_OP_ZCARD,
    SHMD_OP_ZCOUNT, SHMD_OP_ZLEXCOUNT, SHMD_OP_ZRANK, SHMD_OP_ZRANGE, SHMD_OP_ZREMRANGEBYRANK,
    SHMD_OP_ZREMRANGEBYSCORE, SHMD_OP_ZPOPMIN, SHMD_OP_ZPOPMAX, SHMD_OP_ZRANDMEMBER, SHMD_OP_ZSCAN,
    199 /* an unknown op */};
#define NOPS (sizeof OPS / sizeof OPS[0])

/* Container arguments: fields, members, elements of the images, lex bounds,
 * numbers as text, patterns, an empty string, a long value. */
static const char *const ITEMS[] = {"f0", "f1", "f5", "f149", "f39", "m0", "m3", "m149", "e0",
                                    "e8", "x", "",  "[m1", "(m5", "-",  "+",  "1.5", "10",
                                    "abc", "f*", "*", "g7"};
#define NITEMS (sizeof ITEMS / sizeof ITEMS[0])
static const double NUMS[] = {0, 1, -1, 2, 3, 10, -10, 0.5, 1e18, -1e18, 1e300, 149, -150, 7};
#define NNUMS (sizeof NUMS / sizeof NUMS[0])

static int attach(struct run *R) {
  uint32_t flags = R->readonly ? SHMD_O_READONLY : 0;
  R->h = shmd_open((const uint8_t *)g_name, (uint32_t)strlen(g_name), flags, 0, 0);
  trace("open -> %d\n", R->h);
  if (R->h < 0) {
    if (R->h != SHMD_E_SEGMENT && R->h != SHMD_E_CORRUPT)
      die("open of a mutated image returned %d (expected a handle or SHMD_E_SEGMENT)", R->h);
    if (R->nmut == 0) die("open of an unmutated image failed: %d", R->h);
    return 0;
  }
  check_lock(R, "open");
  return 1;
}

/* Run one command. Returns 0 when the handle is gone (a failed re-open). */
static int command(struct rd *r, struct run *R, uint8_t op) {
  int cmd = op % NCMD;
  int h = R->h;
  uint32_t kl, kl2, vl, cap;
  const char *k, *k2;
  const uint8_t *v;
  uint8_t *out;
  static uint8_t argv[1 << 20];
  trace("%s\n", CMD_NAMES[cmd]);
  switch (cmd) {
  case C_GET:
  case C_GET2:
    k = key(r, R, &kl);
    out = outbuf(r, &cap);
    /* the second form first runs the cache hint on the same key: it reads the
     * (possibly damaged) bucket without the lock and must only ever say OK */
    if (cmd == C_GET2) {
      int32_t pf = done(R, "prefetch", shmd_prefetch(h, (const uint8_t *)k, kl));
      if (pf != SHMD_OK && pf != SHMD_E_TOOBIG && pf != SHMD_E_HANDLE)
        die("prefetch returned %d", pf);
    }
    done(R, "get", shmd_get(h, (const uint8_t *)k, kl, out, cap));
    break;
  case C_SET:
  case C_SET2: {
    k = key(r, R, &kl);
    v = value(r, &vl);
    uint8_t f = u8(r);
    uint32_t flags = 0;
    if (f & 1) flags |= SHMD_SET_NX;
    if (f & 2) flags |= SHMD_SET_XX;
    if (f & 4) flags |= SHMD_SET_GET;
    if (f & 8) flags |= SHMD_SET_KEEPTTL;
    static const uint32_t TF[] = {0, 0, 0, 0, SHMD_TTL_EX, SHMD_TTL_PX, SHMD_TTL_EXAT,
                                  SHMD_TTL_PXAT};
    uint32_t tf = TF[(f >> 4) & 7];
    if (f & 0x80) flags &= ~(uint32_t)(SHMD_SET_NX | SHMD_SET_XX | SHMD_SET_KEEPTTL);
    flags |= tf;
    double ttl = tf ? ttl_arg(r, tf) : 0;
    out = outbuf(r, &cap);
    done(R, "set", shmd_set(h, (const uint8_t *)k, kl, v, vl, flags, ttl, out, cap));
    break;
  }
  case C_MSET: {
    uint32_t len = argv_of(r, R, argv, sizeof argv, 1 + u8(r) % 4, 1);
    done(R, "mset", shmd_mset(h, argv, len, u8(r) & 1));
    break;
  }
  case C_MGET: {
    uint32_t len = argv_of(r, R, argv, sizeof argv, 1 + u8(r) % 6, 0);
    out = outbuf(r, &cap);
    done(R, "mget", shmd_mget(h, argv, len, out, cap));
    break;
  }
  case C_DEL:
  case C_DEL2: {
    uint32_t len = argv_of(r, R, argv, sizeof argv, 1 + u8(r) % 4, 0);
    done(R, "del", shmd_del(h, argv, len));
    break;
  }
  case C_GETDEL:
    k = key(r, R, &kl);
    out = outbuf(r, &cap);
    done(R, "getdel", shmd_getdel(h, (const uint8_t *)k, kl, out, cap));
    break;
  case C_GETEX: {
    k = key(r, R, &kl);
    static const uint32_t GF[] = {0, SHMD_TTL_EX, SHMD_TTL_PX, SHMD_TTL_EXAT, SHMD_TTL_PXAT,
                                  SHMD_TTL_PERSIST, 0, SHMD_TTL_PX};
    uint32_t f = GF[u8(r) & 7];
    double ttl = f && f != SHMD_TTL_PERSIST ? ttl_arg(r, f) : 0;
    out = outbuf(r, &cap);
    done(R, "getex", shmd_getex(h, (const uint8_t *)k, kl, f, ttl, out, cap));
    break;
  }
  case C_GETRANGE: {
    k = key(r, R, &kl);
    double s = (double)(int16_t)u16(r), e = (double)(int16_t)u16(r);
    out = outbuf(r, &cap);
    done(R, "getrange", shmd_getrange(h, (const uint8_t *)k, kl, s, e, out, cap));
    break;
  }
  case C_SETRANGE: {
    k = key(r, R, &kl);
    static const double OFFS[] = {0, 1, 5, 100, 4000, 70000, 600000, 536870911};
    double o = OFFS[u8(r) & 7];
    v = value(r, &vl);
    done(R, "setrange", shmd_setrange(h, (const uint8_t *)k, kl, o, v, vl));
    break;
  }
  case C_APPEND:
    k = key(r, R, &kl);
    v = value(r, &vl);
    done(R, "append", shmd_append(h, (const uint8_t *)k, kl, v, vl));
    break;
  case C_STRLEN:
    k = key(r, R, &kl);
    done(R, "strlen", shmd_strlen(h, (const uint8_t *)k, kl));
    break;
  case C_INCRBY: {
    k = key(r, R, &kl);
    static const double BY[] = {1, -1, 100, 9.2e18, -9.2e18, 0, 0.5, 3};
    out = outbuf(r, &cap);
    done(R, "incrby", shmd_incrby(h, (const uint8_t *)k, kl, BY[u8(r) & 7], out, cap));
    break;
  }
  case C_INCRBYFLOAT: {
    k = key(r, R, &kl);
    static const char *const BYF[] = {"1", "0.1", "-2.5", "1e308", "abc", "inf", "5e-324", "-0"};
    const char *b = BYF[u8(r) & 7];
    out = outbuf(r, &cap);
    done(R, "incrbyfloat", shmd_incrbyfloat(h, (const uint8_t *)k, kl, (const uint8_t *)b,
                                            (uint32_t)strlen(b), out, cap));
    break;
  }
  case C_EXISTS: {
    uint32_t len = argv_of(r, R, argv, sizeof argv, 1 + u8(r) % 4, 0);
    done(R, "exists", shmd_exists(h, argv, len));
    break;
  }
  case C_TYPE:
    k = key(r, R, &kl);
    done(R, "type", shmd_type(h, (const uint8_t *)k, kl));
    break;
  case C_RENAME:
    k = key(r, R, &kl);
    k2 = key(r, R, &kl2);
    done(R, "rename", shmd_rename(h, (const uint8_t *)k, kl, (const uint8_t *)k2, kl2, u8(r) & 1));
    break;
  case C_COPY:
    k = key(r, R, &kl);
    k2 = key(r, R, &kl2);
    done(R, "copy", shmd_copy(h, (const uint8_t *)k, kl, (const uint8_t *)k2, kl2, u8(r) & 1));
    break;
  case C_EXPIRE: {
    k = key(r, R, &kl);
    uint8_t f = u8(r);
    uint32_t flags = f & (SHMD_EXP_MS | SHMD_EXP_AT);
    static const uint32_t COND[] = {0, 0, 0, 0, SHMD_EXP_NX, SHMD_EXP_XX, SHMD_EXP_GT, SHMD_EXP_LT};
    flags |= COND[(f >> 2) & 7];
    double when;
    int64_t now = os_now_ms();
    switch ((f >> 5) & 7) {
    case 0: when = 10; break;
    case 1: when = -1; break;
    case 2: when = 0; break;
    case 3: when = (flags & SHMD_EXP_MS) ? (double)(now - 5) : (double)(now / 1000 - 1); break;
    case 4: when = (flags & SHMD_EXP_MS) ? (double)(now + 50000) : (double)(now / 1000 + 50); break;
    case 5: when = 9.2e18; break;
    default: when = (double)u16(r); break;
    }
    done(R, "expire", shmd_expire(h, (const uint8_t *)k, kl, when, flags));
    break;
  }
  case C_TTL:
    k = key(r, R, &kl);
    out = outbuf(r, &cap);
    done(R, "ttl", shmd_ttl(h, (const uint8_t *)k, kl, u8(r) & 3, out, cap));
    break;
  case C_PERSIST:
    k = key(r, R, &kl);
    done(R, "persist", shmd_persist(h, (const uint8_t *)k, kl));
    break;
  case C_SCAN: {
    static const double COUNTS[] = {1, 10, 100, 1000};
    uint8_t s = u8(r);
    double count = COUNTS[s & 3];
    const char *pat = PATTERNS[(s >> 2) % NPATTERNS];
    uint32_t type = u8(r) % 7;
    double cursor = (u8(r) & 7) == 7 ? (double)u32(r) : 0;
    for (int calls = 0; calls < 64; calls++) {
      out = outbuf(r, &cap);
      if (cap < 12) cap = OUTMAX, out = g_out;
      int32_t rc = done(R, "scan", shmd_scan(h, cursor, (const uint8_t *)pat,
                                             (uint32_t)strlen(pat), count, type, out, cap));
      if (rc < 12 || (uint32_t)rc > cap) break;
      memcpy(&cursor, out, 8);
      if (cursor == 0) break;
    }
    break;
  }
  case C_KEYS: {
    const char *pat = PATTERNS[u8(r) % NPATTERNS];
    out = outbuf(r, &cap);
    done(R, "keys", shmd_keys(h, (const uint8_t *)pat, (uint32_t)strlen(pat), out, cap));
    break;
  }
  case C_DBSIZE:
    done(R, "dbsize", shmd_dbsize(h));
    break;
  case C_INFO:
    out = outbuf(r, &cap);
    done(R, "info", shmd_info(h, out, cap));
    break;
  case C_FLUSHALL:
    /* Rare: it erases what the other commands would work on. */
    if ((u8(r) & 7) == 0) done(R, "flushall", shmd_flushall(h));
    break;
  case C_CHECK:
    out = outbuf(r, &cap);
    done(R, "check", shmd_check(h, out, cap));
    break;
  case C_CEXEC:
  case C_CEXEC2:
  case C_CEXEC3:
  case C_CEXEC4: { /* a container command: op, key, items, numbers, flags */
    uint32_t op_ = OPS[u8(r) % NOPS];
    uint32_t items = u8(r) % 6, at = 4, n = 1, nn = u8(r) % 5;
    k = key(r, R, &kl);
    memcpy(argv + at, &kl, 4);
    memcpy(argv + at + 4, k, kl);
    at += 4 + kl;
    for (uint32_t i = 0; i < items; i++, n++) {
      uint8_t s = u8(r);
      const char *it;
      uint32_t il;
      if (s & 0x80) {
        it = R->im->pool[s % NPOOL]; /* another key (SMOVE, LMOVE, SINTER...) */
        il = R->im->pool_len[s % NPOOL];
      } else if ((s & 0x7f) == 0x7f) {
        it = (const char *)value(r, &il); /* a value of any size */
      } else {
        it = ITEMS[s % NITEMS];
        il = (uint32_t)strlen(it);
      }
      memcpy(argv + at, &il, 4);
      memcpy(argv + at + 4, it, il);
      at += 4 + il;
    }
    memcpy(argv, &n, 4);
    double nums[8];
    if (op_ == SHMD_OP_ZADD && !(u8(r) & 7)) nn = items; /* one score per member, mostly */
    if (nn > 8) nn = 8;
    for (uint32_t i = 0; i < nn; i++) nums[i] = NUMS[u8(r) % NNUMS];
    uint32_t flags = u8(r);
    if (flags & 1) flags = (flags << 8) | ((uint32_t)u8(r) << 1); /* rarer high flags */
    flags &= 0x1ffff;
    out = outbuf(r, &cap);
    char what[32];
    snprintf(what, sizeof what, "exec op %u", op_);
    done(R, what, shmd_exec(h, op_, argv, at, nums, nn, flags, out, cap));
    break;
  }
  case C_MULTI: {
    int32_t rc = shmd_txn_begin(h);
    if (rc == SHMD_OK) R->in_txn = 1;
    done(R, "txn_begin", rc);
    break;
  }
  case C_EXEC: { /* EXEC or DISCARD */
    uint32_t commit = u8(r) & 1;
    R->in_txn = 0; /* txn_end always leaves the transaction */
    done(R, commit ? "txn_end(commit)" : "txn_end(discard)", shmd_txn_end(h, commit));
    break;
  }
  default: /* C_REOPEN: attach again, validating whatever the segment holds now */
    R->in_txn = 0; /* closing abandons an open transaction */
    done(R, "close", shmd_close(h));
    R->h = -1;
    return attach(R);
  }
  return 1;
}

/* ---- cleanup ---- */

/* A crash ends the process before it unlinks its segment. On a sanitizer
 * report the death callback removes it; segments of fuzz processes that died
 * otherwise (abort, timeout, SIGKILL) are removed by the next process. */
static void unlink_own(void) {
  char path[128];
  snprintf(path, sizeof path, "/shmdict.%s", g_name);
  shm_unlink(path);
}

static void remove_stale_segments(void) {
  DIR *dir = opendir("/dev/shm");
  if (!dir) return;
  struct dirent *de;
  while ((de = readdir(dir)) != NULL) {
    const char *n = de->d_name, *p;
    if (strncmp(n, "shmdict.fuzz-", 13) == 0)
      p = n + 13;
    else if (strncmp(n, "shmdict.fuzzimg-", 16) == 0)
      p = n + 16;
    else
      continue;
    char *end;
    long pid = strtol(p, &end, 10);
    if (end == p || pid <= 0 || (*end != 0 && *end != '-')) continue;
    if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue; /* alive (or not ours to judge) */
    char path[300];
    snprintf(path, sizeof path, "/%s", n);
    shm_unlink(path);
  }
  closedir(dir);
}

/* ---- libFuzzer entry points ---- */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  g_trace = getenv("FUZZ_TRACE") != NULL;
  snprintf(g_name, sizeof g_name, "fuzz-%d", (int)getpid());
  remove_stale_segments();
  __sanitizer_set_death_callback(unlink_own);
  g_out = malloc(OUTMAX);
  if (!g_out) die("out of memory");
  build_images();
  if (g_trace)
    for (int i = 0; i < NIMG; i++)
      fprintf(stderr, "image %s: %u blocks, %u free, %u live, %u tree nodes, top %u, jused %llu\n",
              IMG_NAMES[i], g_img[i].nblocks, g_img[i].nfrees, g_img[i].nentries,
              g_img[i].nnodes, g_img[i].top, (unsigned long long)g_img[i].jused);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct rd r = {data, size, 0};
  struct run R;
  memset(&R, 0, sizeof R);
  uint8_t cfg = u8(&r);
  R.im = &g_img[cfg & 3];
  R.readonly = (cfg & 0x1c) == 0x1c;
  R.h = -1;
  trace("image %s%s\n", IMG_NAMES[cfg & 3], R.readonly ? ", read-only" : "");

  struct seg_file sf;
  seg_file_create(g_name, &sf);
  R.view = sf.view;
  image_write(R.im, R.view);

  int alive = 1;
  for (uint32_t ops = 0; ops < MAX_OPS && r.i < r.n && alive; ops++) {
    uint8_t op = u8(&r);
    if (op < 0x40) {
      mutate(&r, &R, op);
      continue;
    }
    if (R.h < 0 && !attach(&R)) {
      alive = 0;
      break;
    }
    alive = command(&r, &R, op);
  }
  if (alive && R.h < 0) alive = attach(&R);
  if (R.h >= 0) {
    static char rep[65536];
    if (R.in_txn) { /* commit it: the journal is empty only outside a transaction */
      R.in_txn = 0;
      done(&R, "txn_end(commit)", shmd_txn_end(R.h, 1));
    }
    int32_t n = done(&R, "final check", shmd_check(R.h, (uint8_t *)rep, sizeof rep));
    if (R.nmut == 0 && (n != 0 || R.saw_corrupt))
      die("commands on an unmutated %s image left it inconsistent (check %d%s): %.*s",
          IMG_NAMES[cfg & 3], n, R.saw_corrupt ? ", a call returned SHMD_E_CORRUPT" : "",
          n > 0 ? n : 0, rep);
    if (g_trace && n > 0) fprintf(stderr, "check report:\n%.*s", n, rep);
    R.in_txn = 0;
    done(&R, "close", shmd_close(R.h));
  }
  seg_file_destroy(g_name, &sf);
  return 0;
}


