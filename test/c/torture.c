/*
 * torture.c — SIGKILL torture with real processes.
 *
 *   torture [--kills N] [--seconds S] [--min-kills N] [--writers W] [--readers R]
 *           [--gap-us U] [--seed X] [--reader-kills PCT] [--reader-nice N] [--quiet]
 *
 * Without arguments (as `zig build test` runs it) it does a short smoke run
 * (300 kills or 30 s, at least 50). scripts/test.sh runs the CI size as its
 * own stage (scripts/torture.sh --ci: 10,000 kills, at most 240 s) and
 * `npm run torture -- --kills 100000` the long mode.
 *
 * One dictionary, W >= 4 writer processes, R >= 4 reader processes, and this
 * process as the killer: after a random pause (0..gap-us) it SIGKILLs a writer
 * — the lock's owner (40% of the time, when a writer holds it), a writer inside
 * a call (30%), or any — now and then a second one right after (which may die
 * while recovering after the first), and now and then a reader; it reaps each
 * victim and forks a new incarnation in its place.
 *
 * Keys are partitioned: writer w owns t:w:s<i> (40 strings), t:w:c<i> (8
 * counters), t:w:e<i> (16 volatile keys, PX of 1-30 ms: lazy and active
 * expiry), t:w:h<i> (6 hashes of up to 64 fields: HSET, HDEL, DEL; readers
 * HGETALL them) and t:w:b<i> (1,200 bulk keys, filled by MSETs in even seconds and
 * drained by DELs in odd ones, so the index keeps growing past 4,096 buckets
 * and shrinking back: rehash steps under the kills); every writer also
 * increments one shared counter. String values are self-checking: a sequence
 * of chunks [A5 w key:u16 seq:u32 len:u32 fnv:u32] + a pattern, one chunk per
 * SET/MSET, one more per APPEND; 16 bytes to 30 KB, strings up to 32 KiB.
 *
 * The log of acknowledged writes lives outside the segment, in a shared
 * anonymous mapping made before the first fork (it survives every death).
 * Per key it holds two state slots (exists, length, FNV-64 of the value, TTL
 * flag, last chunk / integer) and one word (generation << 2 | cur << 1 |
 * pending): slot[cur] is the state after the last ACKNOWLEDGED write; before a
 * command the writer fills slot[!cur] with the state the command will produce
 * and sets pending; after the call returned, one store flips cur and clears
 * pending. Whatever instruction a writer dies at, the key must hold exactly
 * slot[cur], or slot[!cur] when pending (the one write in flight). Multi-key
 * commands (MSET, DEL of several keys) also record their sequence number, so a
 * half-applied MSET is caught.
 *
 * Checks:
 *  - every new incarnation first verifies its whole partition exactly against
 *    the log (so every kill is followed by an exact check), then adopts it;
 *  - every command's reply is checked against the writer's model (SET GET and
 *    GETDEL return the old value, INCRBY the new one, DEL the count, ...);
 *  - readers (lock-free get/ttl/strlen/exists/type) check every value: chunks
 *    well-formed, of the right key, never from the future; and when the log
 *    word did not move during the read, exactly equal to the logged state;
 *  - the shared counter stays between the acknowledged and the issued incrs;
 *  - shmd_check every 500 ms and at the end; at the end every partition is
 *    verified exactly, KEYS lists nothing else, DBSIZE matches;
 *  - hangs: after every kill some writer must complete, within 5 s, a write
 *    it began after the kill (measured: kill -> end of that write), and every
 *    live process must make progress at least every 5 s;
 *  - recovery time: a write during which SHMD_INFO_RECOVERIES rose is timed;
 *    p50/p99/max are printed, as is the kill -> next write latency. (Both
 *    include the time the victim takes to die and the scheduler: on a loaded
 *    machine with 2 CPUs and 9 busy processes they are milliseconds, while
 *    rolling back a journal takes microseconds: test_recovery prints that.)
 *
 * Readers run at nice +5 (--reader-nice) so that a killed writer gets a CPU to
 * die on quickly; this only speeds the kills up.
 *
 * Output ends with the project's `N passed, N failed` line.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pthread.h>

#include "internal.h" /* only to find the writer lock's owner, to aim some kills */

#define NW_MAX 16
#define NR_MAX 16
#define NSKEYS 40                  /* string keys per writer: t:w:s<i> */
#define NCKEYS 8                   /* counters: t:w:c<i> */
#define NEKEYS 16                  /* volatile keys (TTL of a few ms): t:w:e<i> */
#define NHKEYS 6                   /* hashes of up to NFIELDS fields: t:w:h<i> */
#define NFIELDS 64
#define NBKEYS 1200                /* bulk keys, filled and drained in phases: t:w:b<i> */
#define K_C NSKEYS                 /* first counter index */
#define K_E (K_C + NCKEYS)         /* first volatile index */
#define K_H (K_E + NEKEYS)         /* first hash index */
#define K_B (K_H + NHKEYS)         /* first bulk index */
#define NKEYS (K_B + NBKEYS)
#define MAXK 16                    /* keys per multi-key command */
#define PHASE_NS 1000000000LL      /* bulk keys: fill for a second, drain for a second */
#define MAXV (32u * 1024u)         /* longest string a writer builds */
#define NSAMPLES (1u << 21)
#define HANG_NS 5000000000LL

/* ------------------------------------------------------------------------ */
/* shared state (anonymous shared mapping, outside the segment)             */

struct keylog {
  _Atomic uint64_t word;           /* gen << 2 | cur << 1 | pending */
  _Atomic uint64_t slot[2][4];     /* seq, fnv64, len | exists << 32 | ttl << 33, last/ival */
};

struct wlog {
  struct keylog k[NKEYS];
  _Atomic uint64_t seq;            /* last sequence number issued (all incarnations) */
  _Atomic uint64_t group;          /* sequence number of a multi-key command in flight */
  _Atomic uint64_t shared;         /* acked incrs of the shared counter << 1 | pending */
  _Atomic uint64_t shared_unsure;  /* incrs in flight at a death (applied or not) */
  _Atomic int64_t heartbeat;       /* last progress, ns */
  _Atomic uint64_t ops;            /* acknowledged commands */
  _Atomic uint64_t incarnations;
  _Atomic int in_call;             /* inside a shmd_* call that writes */
  _Atomic int pid;
};

struct rstat {
  _Atomic int64_t heartbeat;
  _Atomic uint64_t reads, exact, weak;
  _Atomic int pid;
};

enum { F_LOST, F_TORN, F_REPLY, F_ERROR, F_CHECK, F_HANG, F_ATOMIC, F_CRASH, F_COUNT };
static const char *fname[F_COUNT] = {"lost or never-written state after a death",
                                     "torn or never-written value seen by a reader",
                                     "wrong reply to a command",
                                     "unexpected error status",
                                     "shmd_check failure",
                                     "hang (no progress within 5 s)",
                                     "multi-key command half applied",
                                     "process died of something other than our SIGKILL"};

struct shared {
  struct wlog w[NW_MAX];
  struct rstat r[NR_MAX];
  _Atomic int stop;
  _Atomic int64_t kill_ns;         /* when the last kill was sent */
  _Atomic int64_t progress;        /* end of the first acked write begun after it (0 = none yet) */
  _Atomic uint64_t failures[F_COUNT];
  _Atomic uint32_t messages;
  _Atomic uint64_t nrec;           /* recovery samples */
  _Atomic uint32_t rec_us[NSAMPLES];
};

static struct shared *S;
static char g_name[64];
static int g_nw = 4, g_nr = 4, g_quiet, g_reader_nice = 5;

/* ------------------------------------------------------------------------ */
/* small helpers                                                            */

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_us(long us) {
  if (us <= 0) return;
  struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static uint64_t rng_state;
static uint64_t rnd(void) {
  uint64_t x = rng_state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  rng_state = x;
  return x * 0x2545F4914F6CDD1Dull;
}
static uint32_t rn(uint32_t n) { return (uint32_t)(rnd() % n); }
static void seed_rng(uint64_t s) {
  rng_state = s ^ 0x9E3779B97F4A7C15ull;
  if (!rng_state) rng_state = 1;
  for (int i = 0; i < 4; i++) rnd();
}

static void fail(int cat, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(int cat, const char *fmt, ...) {
  atomic_fetch_add(&S->failures[cat], 1);
  if (atomic_fetch_add(&S->messages, 1) >= 60) return;
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  uint8_t err[256];
  int el = shmd_last_error(err, sizeof err);
  if (el > (int)sizeof err) el = sizeof err;
  fprintf(stderr, "FAIL [%s] pid %d: %s (last error: %.*s)\n", fname[cat], (int)getpid(), buf,
          el, (const char *)err);
}

/* A 64-bit hash of a value, a word at a time (FNV-style). */
static uint64_t fnv64(const uint8_t *p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ull ^ n;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    h = (h ^ w) * 0x100000001b3ull;
    h ^= h >> 29;
  }
  for (; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}
static uint32_t fnv32(const uint8_t *p, size_t n, uint32_t h) {
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}
static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static uint16_t get16(const uint8_t *p) {
  uint16_t v;
  memcpy(&v, p, 2);
  return v;
}
static uint32_t get32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

static int is_counter(int i) { return i >= K_C && i < K_E; }
static int is_volatile(int i) { return i >= K_E && i < K_H; }
static int is_hash(int i) { return i >= K_H && i < K_B; }

static uint32_t keyname(char *buf, int w, int i) {
  int n = i < K_C   ? snprintf(buf, 32, "t:%d:s%d", w, i)
          : i < K_E ? snprintf(buf, 32, "t:%d:c%d", w, i - K_C)
          : i < K_H ? snprintf(buf, 32, "t:%d:e%d", w, i - K_E)
          : i < K_B ? snprintf(buf, 32, "t:%d:h%d", w, i - K_H)
                    : snprintf(buf, 32, "t:%d:b%d", w, i - K_B);
  return (uint32_t)n;
}
#define SHARED_KEY "t:shared"

/* A chunk of a self-checking string value (len >= 16). */
static void make_chunk(uint8_t *dst, int w, int key, uint32_t seq, uint32_t len) {
  dst[0] = 0xA5;
  dst[1] = (uint8_t)w;
  put16(dst + 2, (uint16_t)key);
  put32(dst + 4, seq);
  put32(dst + 8, len);
  for (uint32_t i = 16; i < len; i++) dst[i] = (uint8_t)(seq * 131u + i * 17u + (i >> 7));
  uint32_t c = fnv32(dst, 12, 2166136261u);
  put32(dst + 12, fnv32(dst + 16, len - 16, c));
}

/* Is v a well-formed value of key (w, key)? Sets *last to its last chunk's seq. */
static const char *parse_chunks(const uint8_t *v, uint32_t n, int w, int key, uint32_t *last) {
  uint32_t at = 0, prev = 0;
  if (n == 0) return "empty value";
  while (at < n) {
    if (n - at < 16) return "truncated chunk header";
    const uint8_t *c = v + at;
    if (c[0] != 0xA5) return "bad chunk magic";
    if (c[1] != w || get16(c + 2) != key) return "chunk of another key";
    uint32_t seq = get32(c + 4), len = get32(c + 8);
    if (len < 16 || len > n - at) return "bad chunk length";
    if (seq <= prev) return "chunk sequence numbers out of order";
    uint32_t h = fnv32(c, 12, 2166136261u);
    if (fnv32(c + 16, len - 16, h) != get32(c + 12)) return "chunk checksum mismatch";
    prev = seq;
    at += len;
  }
  *last = prev;
  return NULL;
}

static int parse_int(const uint8_t *s, int n, int64_t *out) {
  if (n <= 0 || n > 20) return 0;
  char buf[24];
  memcpy(buf, s, (size_t)n);
  buf[n] = 0;
  char *end;
  errno = 0;
  long long v = strtoll(buf, &end, 10);
  if (*end || errno) return 0;
  *out = v;
  return 1;
}

static double info_recoveries(int h) {
  double v[SHMD_INFO_COUNT];
  if (shmd_info(h, (uint8_t *)v, sizeof v) != (int)sizeof v) return -1;
  return v[SHMD_INFO_RECOVERIES];
}

static uint32_t argv_put(uint8_t *buf, uint32_t at, const void *p, uint32_t n) {
  put32(buf + at, n);
  memcpy(buf + at + 4, p, n);
  return at + 4 + n;
}

/* ------------------------------------------------------------------------ */
/* key states                                                               */

struct kst {
  uint64_t seq, hash;
  uint32_t len;
  int exists, ttl;
  uint64_t last; /* last chunk seq (strings) or the integer (counters) */
};

static void slot_load(struct keylog *kl, int s, struct kst *o) {
  uint64_t a[4];
  for (int j = 0; j < 4; j++) a[j] = atomic_load_explicit(&kl->slot[s][j], memory_order_relaxed);
  o->seq = a[0];
  o->hash = a[1];
  o->len = (uint32_t)a[2];
  o->exists = (int)((a[2] >> 32) & 1);
  o->ttl = (int)((a[2] >> 33) & 1);
  o->last = a[3];
}
static void slot_store(struct keylog *kl, int s, const struct kst *o) {
  atomic_store_explicit(&kl->slot[s][0], o->seq, memory_order_relaxed);
  atomic_store_explicit(&kl->slot[s][1], o->hash, memory_order_relaxed);
  atomic_store_explicit(&kl->slot[s][2],
                        o->len | ((uint64_t)(o->exists & 1) << 32) | ((uint64_t)(o->ttl & 1) << 33),
                        memory_order_relaxed);
  atomic_store_explicit(&kl->slot[s][3], o->last, memory_order_relaxed);
}
static int same_state(const struct kst *a, const struct kst *b) {
  if (a->exists != b->exists) return 0;
  if (!a->exists) return 1;
  return a->len == b->len && a->hash == b->hash && a->ttl == b->ttl;
}
static int same_value(const struct kst *a, const struct kst *b) {
  if (a->exists != b->exists) return 0;
  return !a->exists || (a->len == b->len && a->hash == b->hash);
}
/* Does what key i holds (x) agree with the logged state s? A volatile key may
 * also have expired. */
static int matches(int i, const struct kst *x, const struct kst *s) {
  if (is_volatile(i)) return !x->exists || (s->exists && same_value(x, s) && x->ttl);
  return same_state(x, s);
}

/* The writer's model of one of its keys. */
struct model {
  uint8_t *v;
  uint32_t len, cap;
  int exists, ttl;
  int64_t ival;
  uint32_t last;
};
static struct model M[NKEYS];

static void model_set(struct model *m, const uint8_t *v, uint32_t len) {
  if (len > m->cap) {
    m->cap = len + len / 2 + 64;
    m->v = realloc(m->v, m->cap);
  }
  memcpy(m->v, v, len);
  m->len = len;
}

/* ---- hashes: the model, a view (the model with a command's changes), and
 * the state of a view: the field count and a hash of the fields in index
 * order (the field of index j is "f<j>", two digits) ---- */
struct hview {
  const uint8_t *fv[NFIELDS];
  uint32_t fl[NFIELDS];
  uint8_t has[NFIELDS];
};
struct hmodel {
  uint8_t *fv[NFIELDS];
  uint32_t fl[NFIELDS], cap[NFIELDS];
  uint8_t has[NFIELDS];
};
static struct hmodel HM[NHKEYS];

static uint64_t fnv64c(uint64_t h, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}
static void hview_of(const struct hmodel *m, struct hview *v) {
  for (int j = 0; j < NFIELDS; j++) v->fv[j] = m->fv[j], v->fl[j] = m->fl[j], v->has[j] = m->has[j];
}
static void hstate(const struct hview *v, uint64_t seq, struct kst *o) {
  uint64_t h = 0xcbf29ce484222325ull;
  uint32_t n = 0;
  for (int j = 0; j < NFIELDS; j++) {
    if (!v->has[j]) continue;
    uint8_t hd[5];
    hd[0] = (uint8_t)j;
    put32(hd + 1, v->fl[j]);
    h = fnv64c(fnv64c(h, hd, 5), v->fv[j], v->fl[j]);
    n++;
  }
  memset(o, 0, sizeof *o);
  o->seq = seq;
  o->exists = n > 0;
  o->len = n;
  o->hash = n ? h : 0;
}
static void hmodel_set(struct hmodel *m, int j, const uint8_t *v, uint32_t n) {
  if (n > m->cap[j]) {
    m->cap[j] = n + 64;
    m->fv[j] = realloc(m->fv[j], m->cap[j]);
  }
  memcpy(m->fv[j], v, n);
  m->fl[j] = n;
  m->has[j] = 1;
}

/* HGETALL of hash key i of writer w into a view (pointing into buf): checks
 * every field name and value. Returns 0, 1 when there is no such hash (an
 * empty reply), or -1 with *why set. */
static int read_hash(int h, const char *k, uint32_t kl, int w, int i, uint8_t *buf, uint32_t cap,
                     struct hview *v, const char **why) {
  static uint8_t av[64];
  put32(av, 1);
  put32(av + 4, kl);
  memcpy(av + 8, k, kl);
  memset(v->has, 0, sizeof v->has);
  int n = shmd_exec(h, SHMD_OP_HGETALL, av, 8 + kl, NULL, 0, 0, buf, cap);
  if (n < 5 || n > (int)cap || buf[0] != 'a') {
    *why = "HGETALL failed";
    return n < 0 ? n : -1;
  }
  uint32_t cnt = get32(buf + 1), at = 5;
  if (cnt & 1) return *why = "odd HGETALL reply", -1;
  for (uint32_t q = 0; q < cnt; q += 2) {
    if (at + 5 > (uint32_t)n || buf[at] != 's') return *why = "bad HGETALL item", -1;
    uint32_t fl = get32(buf + at + 1);
    const uint8_t *f = buf + at + 5;
    at += 5 + fl;
    if (at + 5 > (uint32_t)n || buf[at] != 's') return *why = "bad HGETALL value", -1;
    uint32_t vl = get32(buf + at + 1);
    const uint8_t *val = buf + at + 5;
    at += 5 + vl;
    if (at > (uint32_t)n) return *why = "HGETALL reply overruns", -1;
    int j = (fl == 3 && f[0] == 'f' && f[1] >= '0' && f[1] <= '9' && f[2] >= '0' && f[2] <= '9')
                ? (f[1] - '0') * 10 + (f[2] - '0')
                : -1;
    if (j < 0 || j >= NFIELDS || v->has[j]) return *why = "a field nobody wrote", -1;
    uint32_t last;
    const char *bad = parse_chunks(val, vl, w, i, &last);
    if (bad) return *why = bad, -1;
    v->has[j] = 1, v->fv[j] = val, v->fl[j] = vl;
  }
  return cnt == 0 ? 1 : 0; /* 1: no fields (the key is gone) */
}

static void kst_of(const struct model *m, int i, uint64_t seq, struct kst *o) {
  o->seq = seq;
  o->exists = m->exists;
  o->ttl = m->exists ? m->ttl : 0;
  o->len = m->exists ? m->len : 0;
  o->hash = m->exists ? fnv64(m->v, m->len) : 0;
  o->last = is_counter(i) ? (uint64_t)m->ival : m->last;
}

/* ------------------------------------------------------------------------ */
/* exact verification of one writer's partition against its log            */

static uint8_t *g_buf; /* MAXV * 2 */
#define GBUF_CAP (MAXV * 2)

/* Read key i of writer w from the dictionary into a state (and the model). */
static int read_key(int h, int w, int i, struct kst *o, struct model *m) {
  char k[32];
  uint32_t kl = keyname(k, w, i);
  if (is_hash(i)) {
    int ty = shmd_type(h, (const uint8_t *)k, kl);
    memset(o, 0, sizeof *o);
    if (ty == SHMD_T_NONE) {
      if (m) memset(HM[i - K_H].has, 0, sizeof HM[i - K_H].has);
      return 0;
    }
    struct hview v;
    const char *why = NULL;
    /* (no writer of this partition runs now: TYPE and HGETALL must agree) */
    if (ty != SHMD_T_HASH || read_hash(h, k, kl, w, i, g_buf, GBUF_CAP, &v, &why) != 0) {
      fail(F_LOST, "%s: type %d: %s", k, ty, why ? why : "TYPE says hash, HGETALL finds nothing");
      return -1;
    }
    hstate(&v, 0, o);
    double t = 0;
    shmd_ttl(h, (const uint8_t *)k, kl, 0, (uint8_t *)&t, 8);
    if (t != -1) fail(F_LOST, "%s: a hash with ttl %g", k, t);
    if (m) {
      struct hmodel *hm = &HM[i - K_H];
      for (int j = 0; j < NFIELDS; j++) {
        hm->has[j] = 0;
        if (v.has[j]) hmodel_set(hm, j, v.fv[j], v.fl[j]);
      }
    }
    return 0;
  }
  int n = shmd_get(h, (const uint8_t *)k, kl, g_buf, GBUF_CAP);
  if (n < SHMD_NIL || n > (int)GBUF_CAP) {
    fail(F_ERROR, "get %s -> %d", k, n);
    return -1;
  }
  memset(o, 0, sizeof *o);
  double t = -2;
  int rc = n >= 0 ? shmd_ttl(h, (const uint8_t *)k, kl, 0, (uint8_t *)&t, 8) : SHMD_OK;
  if (rc != SHMD_OK) {
    fail(F_ERROR, "ttl %s -> %d", k, rc);
    return -1;
  }
  if (n >= 0 && t == -2 && is_volatile(i)) n = SHMD_NIL; /* expired in between */
  if (n == SHMD_NIL) {
    if (t != -2 && !is_volatile(i)) fail(F_LOST, "%s: get says missing, ttl says %g", k, t);
    if (m) m->exists = 0, m->len = 0, m->ttl = 0, m->ival = 0, m->last = 0;
    return 0;
  }
  o->exists = 1;
  o->len = (uint32_t)n;
  o->hash = fnv64(g_buf, (size_t)n);
  o->ttl = t >= 0;
  if (t == -2) fail(F_LOST, "%s: get found a value, ttl says missing", k);
  if (!is_counter(i)) {
    uint32_t last = 0;
    const char *why = parse_chunks(g_buf, (uint32_t)n, w, i, &last);
    if (why) fail(F_LOST, "%s holds a value that was never written: %s", k, why);
    o->last = last;
  } else {
    int64_t v = 0;
    if (!parse_int(g_buf, n, &v)) fail(F_LOST, "%s holds a non-integer", k);
    o->last = (uint64_t)v;
  }
  if (m) {
    model_set(m, g_buf, (uint32_t)n);
    m->exists = 1;
    m->ttl = o->ttl;
    m->last = (uint32_t)o->last;
    m->ival = (int64_t)o->last;
  }
  return 0;
}

/* Verify writer w's partition exactly; with adopt, make the log and the model
 * (of this new incarnation) agree with what is there. Returns mismatches. */
static int reconcile(int h, int w, int adopt) {
  struct wlog *L = &S->w[w];
  int bad = 0;
  uint64_t group = atomic_load(&L->group);
  int g_new = 0, g_old = 0;
  char gdesc[1024];
  int gl = 0;
  gdesc[0] = 0;
  for (int i = 0; i < NKEYS; i++) {
    struct keylog *kl = &L->k[i];
    uint64_t W = atomic_load_explicit(&kl->word, memory_order_acquire);
    int cur = (int)((W >> 1) & 1), pending = (int)(W & 1);
    struct kst A, P, X;
    slot_load(kl, cur, &A);
    if (pending) slot_load(kl, !cur, &P);
    if (read_key(h, w, i, &X, adopt ? &M[i] : NULL) != 0) {
      bad++;
      continue;
    }
    int is_a = matches(i, &X, &A), is_p = pending && matches(i, &X, &P);
    if (!is_a && !is_p) {
      char k[32];
      keyname(k, w, i);
      fail(F_LOST,
           "%s: holds exists=%d len=%u ttl=%d last=%llu; acknowledged (seq %llu) exists=%d "
           "len=%u ttl=%d last=%llu%s",
           k, X.exists, X.len, X.ttl, (unsigned long long)X.last, (unsigned long long)A.seq,
           A.exists, A.len, A.ttl, (unsigned long long)A.last,
           pending ? "; the write in flight differs too" : "");
      bad++;
    }
    /* half-applied multi-key command? */
    if (group) {
      int role = 0;
      if (!pending && A.seq == group) g_new++, role = 1; /* acknowledged: it completed */
      if (pending && P.seq == group && !same_state(&A, &P)) {
        if (is_p) g_new++, role = 2;
        else if (is_a) g_old++, role = 3;
      }
      if (role && gl < (int)sizeof gdesc - 200)
        gl += snprintf(gdesc + gl, sizeof gdesc - (size_t)gl,
                       " [key %d: %s; holds exists=%d len=%u last=%llu; acked exists=%d len=%u "
                       "last=%llu; in flight exists=%d len=%u last=%llu]",
                       i, role == 1 ? "acked" : role == 2 ? "new" : "old", X.exists, X.len,
                       (unsigned long long)X.last, A.exists, A.len, (unsigned long long)A.last,
                       pending ? P.exists : -1, pending ? P.len : 0,
                       (unsigned long long)(pending ? P.last : 0));
    }
    if (adopt) {
      /* keep the acknowledged sequence number when the state is that one (also
       * when the write in flight would have produced the same state), so that
       * a multi-key command is never taken as applied when it may not be */
      struct kst N = X;
      N.seq = is_a ? A.seq : is_p ? P.seq : atomic_load(&L->seq);
      /* write the state into the non-current slot, then flip to it */
      slot_store(kl, !cur, &N);
      atomic_store_explicit(&kl->word, (((W >> 2) + 1) << 2) | ((uint64_t)!cur << 1),
                            memory_order_release);
    }
  }
  if (group && g_new && g_old) {
    fail(F_ATOMIC, "writer %d: multi-key command seq %llu applied to %d keys, not to %d:%s", w,
         (unsigned long long)group, g_new, g_old, gdesc);
    bad++;
  }
  if (adopt) {
    atomic_store(&L->group, 0);
    uint64_t sh = atomic_load(&L->shared);
    if (sh & 1) {
      atomic_fetch_add(&L->shared_unsure, 1);
      atomic_store(&L->shared, sh & ~1ull);
    }
  }
  return bad;
}

/* ------------------------------------------------------------------------ */
/* writers                                                                  */

static uint8_t *w_val[MAXK]; /* scratch values for the keys of one command */
static uint8_t *w_argv;

static uint32_t rand_len(void) {
  uint32_t r = rn(100);
  if (r < 70) return 16 + rn(185);
  if (r < 90) return 200 + rn(1800);
  if (r < 98) return 2000 + rn(8000);
  return 10000 + rn(20000); /* < MAXV */
}

static void publish(struct keylog *kl, const struct kst *s) {
  uint64_t W = atomic_load_explicit(&kl->word, memory_order_relaxed);
  int cur = (int)((W >> 1) & 1);
  slot_store(kl, !cur, s);
  atomic_store_explicit(&kl->word, (((W >> 2) + 1) << 2) | ((uint64_t)cur << 1) | 1,
                        memory_order_release);
}
static void ack(struct keylog *kl) {
  uint64_t W = atomic_load_explicit(&kl->word, memory_order_relaxed);
  int cur = (int)((W >> 1) & 1);
  atomic_store_explicit(&kl->word, (((W >> 2) + 1) << 2) | ((uint64_t)!cur << 1),
                        memory_order_release);
}

/* An acknowledged write that began at t0: it counts as progress after the
 * last kill only if it began after it (so it had to get past the dead one). */
static void progress(struct wlog *L, int64_t t0) {
  int64_t t = now_ns();
  atomic_store(&L->heartbeat, t);
  atomic_fetch_add(&L->ops, 1);
  int64_t zero = 0;
  if (t0 > atomic_load(&S->kill_ns)) atomic_compare_exchange_strong(&S->progress, &zero, t);
}

static void rec_sample(int64_t ns) {
  uint64_t i = atomic_fetch_add(&S->nrec, 1);
  if (i < NSAMPLES) atomic_store(&S->rec_us[i], (uint32_t)(ns / 1000 > UINT32_MAX ? UINT32_MAX : ns / 1000));
}

static __attribute__((noreturn)) void writer(int w) {
  struct wlog *L = &S->w[w];
  seed_rng((uint64_t)now_ns() ^ ((uint64_t)getpid() << 32) ^ (uint64_t)w);
  atomic_store(&L->heartbeat, now_ns());
  int h = shmd_open((const uint8_t *)g_name, (uint32_t)strlen(g_name), 0, 0, 0);
  if (h < 0) {
    fail(F_ERROR, "writer %d cannot open: %d", w, h);
    _exit(3);
  }
  g_buf = malloc(GBUF_CAP);
  for (int j = 0; j < MAXK; j++) w_val[j] = malloc(MAXV + 64);
  w_argv = malloc(MAXK * (MAXV + 128) + 64);
  reconcile(h, w, 1);
  atomic_store(&L->heartbeat, now_ns());

  uint8_t out[16];
  char kn[MAXK][32];
  uint32_t kl[MAXK];
  int keys[MAXK];
  struct model nm[MAXK];
  memset(nm, 0, sizeof nm);
  uint32_t bcursor = rn(NBKEYS);
  for (;;) {
    uint64_t seq = atomic_load(&L->seq) + 1;
    atomic_store(&L->seq, seq);
    uint32_t s32 = (uint32_t)seq;
    uint32_t r = rn(1000);
    int nk = 1, bulk = 0;
    /* choose the keys */
    if (r < 60) {
      keys[0] = K_C + (int)rn(NCKEYS); /* counters */
    } else if (r < 100) {
      keys[0] = K_E + (int)rn(NEKEYS); /* volatile */
    } else if (r < 180) {
      /* bulk keys: every writer fills them in even seconds and drains them in
       * odd ones, so the key count swings across the index's grow and shrink
       * thresholds (4096 buckets at least) and rehashing never stops */
      int fill = ((now_ns() / PHASE_NS) & 1) == 0;
      int want = 8 + (int)rn(MAXK - 7);
      nk = 0;
      for (int q = 0; q < NBKEYS && nk < want; q++) {
        int i = K_B + (int)((bcursor + (uint32_t)q) % NBKEYS);
        if (M[i].exists != fill) keys[nk++] = i;
      }
      bcursor = (bcursor + rn(NBKEYS)) % NBKEYS;
      if (nk == 0) keys[0] = K_B + (int)rn(NBKEYS), nk = 1;
      bulk = fill ? 1 : 2;
    } else if (r < 240) {
      nk = 2 + (int)rn(3); /* MSET / DEL of several keys */
      for (int j = 0; j < nk; j++) {
      again:
        keys[j] = (int)rn(r < 210 ? K_C : K_E); /* MSET strings; DEL strings and counters */
        for (int q = 0; q < j; q++)
          if (keys[q] == keys[j]) goto again;
      }
    } else if (r < 280) {
      nk = 0; /* shared counter */
    } else if (r < 340) {
      nk = -1; /* a hash */
    } else {
      keys[0] = (int)rn(NSKEYS);
    }
    for (int j = 0; j < nk; j++) {
      kl[j] = keyname(kn[j], w, keys[j]);
      struct model *m = &M[keys[j]];
      nm[j].v = m->v, nm[j].len = m->len, nm[j].exists = m->exists, nm[j].ttl = m->ttl;
      nm[j].ival = m->ival, nm[j].last = m->last, nm[j].cap = 0;
    }

    if (nk == -1) {
      /* HSET of 1-4 fields, HDEL of 1-3, or DEL of the whole hash */
      int i = K_H + (int)rn(NHKEYS);
      struct hmodel *hm = &HM[i - K_H];
      struct hview v;
      hview_of(hm, &v);
      uint32_t kind = rn(10), nf = kind < 6 ? 1 + rn(4) : 1 + rn(3);
      int fields[4], nfields = 0, want = 0;
      if (kind == 9) nf = 0;
      for (uint32_t q = 0; q < nf; q++) {
        int j = (int)rn(NFIELDS), dup = 0;
        for (int z = 0; z < nfields; z++) dup |= fields[z] == j;
        if (dup) continue;
        fields[nfields++] = j;
      }
      char k[32];
      uint32_t klen = keyname(k, w, i), at = 4;
      put32(w_argv, 1 + (uint32_t)nfields * (kind < 6 ? 2 : 1));
      at = argv_put(w_argv, at, k, klen);
      uint32_t op = kind < 6 ? SHMD_OP_HSET : SHMD_OP_HDEL;
      for (int z = 0; z < nfields; z++) {
        int j = fields[z];
        char f[4];
        snprintf(f, sizeof f, "f%02d", j);
        at = argv_put(w_argv, at, f, 3);
        if (kind < 6) {
          uint32_t vl = 16 + rn(64);
          make_chunk(w_val[z], w, i, s32, vl);
          at = argv_put(w_argv, at, w_val[z], vl);
          want += !v.has[j];
          v.has[j] = 1, v.fv[j] = w_val[z], v.fl[j] = vl;
        } else {
          want += v.has[j];
          v.has[j] = 0;
        }
      }
      if (kind == 9) {
        for (int j = 0; j < NFIELDS; j++) want |= v.has[j], v.has[j] = 0;
        put32(w_argv, 1);
      }
      struct kst st;
      hstate(&v, seq, &st);
      publish(&L->k[i], &st);
      double r0 = info_recoveries(h);
      int64_t t0 = now_ns();
      atomic_store(&L->in_call, 1);
      int rc;
      double got = -1;
      if (kind == 9) {
        rc = shmd_del(h, w_argv, at);
        got = rc;
      } else {
        rc = shmd_exec(h, op, w_argv, at, NULL, 0, 0, out, sizeof out);
        if (rc == 9 && out[0] == 'i') memcpy(&got, out + 1, 8);
      }
      atomic_store(&L->in_call, 0);
      int64_t t1 = now_ns();
      if (info_recoveries(h) > r0) rec_sample(t1 - t0);
      if (rc < 0) fail(F_ERROR, "%s on %s -> %d", kind == 9 ? "DEL" : kind < 6 ? "HSET" : "HDEL", k, rc);
      else if (got != want)
        fail(F_REPLY, "%s on %s replied %g, expected %d", kind == 9 ? "DEL" : kind < 6 ? "HSET" : "HDEL", k,
             got, want);
      for (int j = 0; j < NFIELDS; j++) {
        if (!v.has[j]) hm->has[j] = 0;
        else if (v.fv[j] != hm->fv[j]) hmodel_set(hm, j, v.fv[j], v.fl[j]);
      }
      ack(&L->k[i]);
      progress(L, t0);
      continue;
    }
    if (nk == 0) {
      uint64_t sh = atomic_load(&L->shared);
      atomic_store(&L->shared, sh | 1);
      double r0 = info_recoveries(h);
      int64_t t0 = now_ns();
      atomic_store(&L->in_call, 1);
      int rc = shmd_incrby(h, (const uint8_t *)SHARED_KEY, sizeof SHARED_KEY - 1, 1, out, 8);
      atomic_store(&L->in_call, 0);
      int64_t t1 = now_ns();
      if (info_recoveries(h) > r0) rec_sample(t1 - t0);
      if (rc != SHMD_OK) fail(F_ERROR, "incr shared -> %d", rc);
      atomic_store(&L->shared, (sh & ~1ull) + 2);
      progress(L, t0);
      continue;
    }

    /* decide the command and the new states */
    enum { C_SET, C_SETEX, C_SETKEEP, C_SETNX, C_SETXX, C_SETGET, C_APPEND, C_DEL, C_GETDEL,
           C_MSET, C_EXPIRE, C_EXPIRE_PAST, C_PERSIST, C_GETEX_PERSIST, C_GETEX_EX, C_INCR,
           C_DELC, C_SETPX } cmd;
    int64_t by = 0;
    uint32_t vlen[MAXK] = {0};
    uint32_t px = 0;
    if (bulk) {
      cmd = bulk == 1 ? C_MSET : C_DEL;
    } else if (is_volatile(keys[0])) {
      cmd = C_SETPX;
      px = 1 + rn(30);
    } else if (is_counter(keys[0]) && nk == 1) {
      cmd = rn(20) == 0 ? C_DELC : (rn(15) == 0 ? C_EXPIRE : C_INCR);
      if (cmd == C_INCR) {
        do by = (int64_t)rn(16) - 5;
        while (by == 0);
      }
    } else if (nk > 1) {
      cmd = r < 210 ? C_MSET : C_DEL;
    } else {
      uint32_t c = rn(100);
      cmd = c < 30   ? C_SET
            : c < 35 ? C_SETEX
            : c < 40 ? C_SETKEEP
            : c < 45 ? C_SETNX
            : c < 48 ? C_SETXX
            : c < 53 ? C_SETGET
            : c < 71 ? C_APPEND
            : c < 77 ? C_DEL
            : c < 82 ? C_GETDEL
            : c < 87 ? C_EXPIRE
            : c < 89 ? C_EXPIRE_PAST
            : c < 94 ? C_PERSIST
            : c < 97 ? C_GETEX_PERSIST
                     : C_GETEX_EX;
    }
    /* new values */
    for (int j = 0; j < nk; j++) {
      struct model *o = &M[keys[j]], *n = &nm[j];
      switch (cmd) {
        case C_SET: case C_SETEX: case C_SETKEEP: case C_SETNX: case C_SETXX: case C_SETGET:
        case C_MSET: case C_SETPX: {
          int applies = !((cmd == C_SETNX && o->exists) || (cmd == C_SETXX && !o->exists));
          vlen[j] = bulk || cmd == C_SETPX ? 16 + rn(48) : rand_len();
          make_chunk(w_val[j], w, keys[j], s32, vlen[j]);
          if (applies) {
            n->v = w_val[j], n->len = vlen[j], n->exists = 1, n->last = s32;
            n->ttl = cmd == C_SETEX || cmd == C_SETPX ? 1 : (cmd == C_SETKEEP && o->exists) ? o->ttl : 0;
          }
          break;
        }
        case C_APPEND: {
          vlen[j] = 16 + rn(o->exists && o->len > 8000 ? 2000 : 600);
          if (o->exists && o->len + vlen[j] > MAXV) {
            cmd = C_SET; /* too long: start again */
            make_chunk(w_val[j], w, keys[j], s32, vlen[j]);
            n->v = w_val[j], n->len = vlen[j], n->exists = 1, n->last = s32, n->ttl = 0;
            break;
          }
          uint32_t base = o->exists ? o->len : 0;
          if (base) memcpy(w_val[j], o->v, base);
          make_chunk(w_val[j] + base, w, keys[j], s32, vlen[j]);
          n->v = w_val[j], n->len = base + vlen[j], n->exists = 1, n->last = s32;
          n->ttl = o->exists ? o->ttl : 0;
          break;
        }
        case C_DEL: case C_GETDEL: case C_DELC: case C_EXPIRE_PAST:
          n->exists = 0, n->len = 0, n->ttl = 0, n->ival = 0, n->last = 0;
          break;
        case C_EXPIRE: case C_GETEX_EX:
          if (o->exists) n->ttl = 1;
          break;
        case C_PERSIST: case C_GETEX_PERSIST:
          n->ttl = 0;
          break;
        case C_INCR: {
          int64_t v = (o->exists ? o->ival : 0) + by;
          char b[24];
          int l = snprintf(b, sizeof b, "%lld", (long long)v);
          memcpy(w_val[j], b, (size_t)l);
          n->v = w_val[j], n->len = (uint32_t)l, n->exists = 1, n->ival = v;
          n->ttl = o->exists ? o->ttl : 0;
          break;
        }
      }
    }
    /* log the write in flight */
    if (nk > 1) atomic_store(&L->group, seq);
    for (int j = 0; j < nk; j++) {
      struct kst s;
      kst_of(&nm[j], keys[j], seq, &s);
      publish(&L->k[keys[j]], &s);
    }

    double r0 = info_recoveries(h);
    int64_t t0 = now_ns();
    int rc = 0, want = 0, ok = 1;
    struct model *o = &M[keys[0]];
    atomic_store(&L->in_call, 1);
    const uint8_t *k0 = (const uint8_t *)kn[0];
    switch (cmd) {
      case C_SETPX:
        rc = shmd_set(h, k0, kl[0], w_val[0], vlen[0], SHMD_TTL_PX, px, out, 0);
        want = SHMD_OK;
        ok = rc == want;
        break;
      case C_SET: case C_SETEX: case C_SETKEEP: case C_SETNX: case C_SETXX: {
        uint32_t f = cmd == C_SETEX ? SHMD_TTL_EX : cmd == C_SETKEEP ? SHMD_SET_KEEPTTL
                     : cmd == C_SETNX ? SHMD_SET_NX : cmd == C_SETXX ? SHMD_SET_XX : 0;
        rc = shmd_set(h, k0, kl[0], w_val[0], vlen[0], f, cmd == C_SETEX ? 100000 : 0, out, 0);
        want = ((cmd == C_SETNX && o->exists) || (cmd == C_SETXX && !o->exists)) ? SHMD_NIL : SHMD_OK;
        ok = rc == want;
        break;
      }
      case C_SETGET: {
        rc = shmd_set(h, k0, kl[0], w_val[0], vlen[0], SHMD_SET_GET, 0, g_buf, GBUF_CAP);
        want = o->exists ? (int)o->len : SHMD_NIL;
        ok = rc == want && (!o->exists || memcmp(g_buf, o->v, o->len) == 0);
        break;
      }
      case C_APPEND:
        rc = shmd_append(h, k0, kl[0], w_val[0] + (o->exists ? o->len : 0), vlen[0]);
        want = (int)nm[0].len;
        ok = rc == want;
        break;
      case C_DEL: case C_DELC: {
        uint32_t at = 4;
        put32(w_argv, (uint32_t)nk);
        want = 0;
        for (int j = 0; j < nk; j++) {
          at = argv_put(w_argv, at, kn[j], kl[j]);
          want += M[keys[j]].exists;
        }
        rc = shmd_del(h, w_argv, at);
        ok = rc == want;
        break;
      }
      case C_MSET: {
        uint32_t at = 4;
        put32(w_argv, (uint32_t)nk * 2);
        for (int j = 0; j < nk; j++) {
          at = argv_put(w_argv, at, kn[j], kl[j]);
          at = argv_put(w_argv, at, w_val[j], vlen[j]);
        }
        rc = shmd_mset(h, w_argv, at, 0);
        want = SHMD_OK;
        ok = rc == want;
        break;
      }
      case C_GETDEL:
        rc = shmd_getdel(h, k0, kl[0], g_buf, GBUF_CAP);
        want = o->exists ? (int)o->len : SHMD_NIL;
        ok = rc == want && (!o->exists || memcmp(g_buf, o->v, o->len) == 0);
        break;
      case C_EXPIRE:
        rc = shmd_expire(h, k0, kl[0], 100000, 0);
        want = o->exists;
        ok = rc == want;
        break;
      case C_EXPIRE_PAST:
        rc = shmd_expire(h, k0, kl[0], -1, 0);
        want = o->exists;
        ok = rc == want;
        break;
      case C_PERSIST:
        rc = shmd_persist(h, k0, kl[0]);
        want = o->exists && o->ttl;
        ok = rc == want;
        break;
      case C_GETEX_PERSIST: case C_GETEX_EX:
        rc = shmd_getex(h, k0, kl[0], cmd == C_GETEX_EX ? SHMD_TTL_EX : SHMD_TTL_PERSIST,
                        cmd == C_GETEX_EX ? 100000 : 0, g_buf, GBUF_CAP);
        want = o->exists ? (int)o->len : SHMD_NIL;
        ok = rc == want && (!o->exists || memcmp(g_buf, o->v, o->len) == 0);
        break;
      case C_INCR: {
        double dv = 0;
        rc = shmd_incrby(h, k0, kl[0], (double)by, out, 8);
        memcpy(&dv, out, 8);
        want = SHMD_OK;
        ok = rc == want && dv == (double)nm[0].ival;
        break;
      }
    }
    atomic_store(&L->in_call, 0);
    int64_t t1 = now_ns();
    if (info_recoveries(h) > r0) rec_sample(t1 - t0);
    if (!ok) {
      if (rc < SHMD_NIL)
        fail(F_ERROR, "command %d on %s -> %d", (int)cmd, kn[0], rc);
      else
        fail(F_REPLY, "command %d on %s (and %d more) replied %d, expected %d (model: exists=%d len=%u)",
             (int)cmd, kn[0], nk - 1, rc, want, o->exists, o->len);
    }
    /* the model follows the reply we expect; adopt */
    for (int j = 0; j < nk; j++) {
      struct model *m = &M[keys[j]];
      if (nm[j].exists && nm[j].v != m->v) model_set(m, nm[j].v, nm[j].len);
      if (!nm[j].exists) m->len = 0;
      m->exists = nm[j].exists, m->ttl = nm[j].ttl, m->ival = nm[j].ival, m->last = nm[j].last;
    }
    for (int j = 0; j < nk; j++) ack(&L->k[keys[j]]);
    if (nk > 1) atomic_store(&L->group, 0);
    progress(L, t0);
  }
}

/* ------------------------------------------------------------------------ */
/* readers                                                                  */

/* A hash: HGETALL, every field checked; exactly the logged state when the
 * log did not move. */
static void reader_check_hash(int h, struct rstat *R, int w, int i) {
  struct keylog *kl = &S->w[w].k[i];
  char k[32];
  uint32_t klen = keyname(k, w, i);
  uint64_t W1 = atomic_load_explicit(&kl->word, memory_order_acquire);
  int cur = (int)((W1 >> 1) & 1), pending = (int)(W1 & 1);
  struct kst A, P, X;
  slot_load(kl, cur, &A);
  if (pending) slot_load(kl, !cur, &P);
  atomic_thread_fence(memory_order_acquire);
  int ty = shmd_type(h, (const uint8_t *)k, klen);
  struct hview v;
  const char *why = NULL;
  int rc = ty == SHMD_T_HASH ? read_hash(h, k, klen, w, i, g_buf, GBUF_CAP, &v, &why) : 0;
  atomic_thread_fence(memory_order_acquire);
  uint64_t W2 = atomic_load_explicit(&kl->word, memory_order_acquire);
  atomic_fetch_add(&R->reads, 1);
  if (ty != SHMD_T_NONE && ty != SHMD_T_HASH) {
    fail(F_TORN, "reader: %s has type %d", k, ty);
    return;
  }
  if (ty == SHMD_T_HASH && rc < 0) {
    if (rc == -1) fail(F_TORN, "reader: %s: %s", k, why);
    else fail(F_ERROR, "reader: HGETALL %s -> %d", k, rc);
    return;
  }
  /* (rc == 1: deleted between TYPE and HGETALL) */
  if (ty == SHMD_T_NONE || rc == 1) memset(&X, 0, sizeof X);
  else hstate(&v, 0, &X);
  if (W1 != W2) {
    atomic_fetch_add(&R->weak, 1);
    return;
  }
  atomic_fetch_add(&R->exact, 1);
  if (!same_value(&X, &A) && !(pending && same_value(&X, &P)))
    fail(F_TORN, "reader: hash %s holds %u fields (hash %016llx), logged %u%s", k, X.len,
         (unsigned long long)X.hash, A.len, pending ? " (or the write in flight)" : "");
}

static void reader_check_key(int h, struct rstat *R, int w, int i) {
  if (is_hash(i)) {
    reader_check_hash(h, R, w, i);
    return;
  }
  struct keylog *kl = &S->w[w].k[i];
  char k[32];
  uint32_t klen = keyname(k, w, i);
  uint64_t W1 = atomic_load_explicit(&kl->word, memory_order_acquire);
  int cur = (int)((W1 >> 1) & 1), pending = (int)(W1 & 1);
  struct kst A, P;
  slot_load(kl, cur, &A);
  if (pending) slot_load(kl, !cur, &P);
  atomic_thread_fence(memory_order_acquire);
  int n = shmd_get(h, (const uint8_t *)k, klen, g_buf, GBUF_CAP);
  double t = 0;
  int trc = shmd_ttl(h, (const uint8_t *)k, klen, 0, (uint8_t *)&t, 8);
  int sl = (rn(8) == 0) ? shmd_strlen(h, (const uint8_t *)k, klen) : -100;
  atomic_thread_fence(memory_order_acquire);
  uint64_t W2 = atomic_load_explicit(&kl->word, memory_order_acquire);
  uint64_t seqmax = atomic_load(&S->w[w].seq);
  if (n < SHMD_NIL || n > (int)GBUF_CAP || trc != SHMD_OK || (sl != -100 && sl < 0)) {
    fail(F_ERROR, "reader: get/ttl/strlen %s -> %d/%d/%d", k, n, trc, sl);
    return;
  }
  atomic_fetch_add(&R->reads, 1);
  struct kst X;
  memset(&X, 0, sizeof X);
  if (n >= 0) {
    X.exists = 1;
    X.len = (uint32_t)n;
    X.hash = fnv64(g_buf, (size_t)n);
    if (!is_counter(i)) {
      uint32_t last = 0;
      const char *why = parse_chunks(g_buf, (uint32_t)n, w, i, &last);
      if (why) {
        fail(F_TORN, "reader: %s (%d bytes): %s", k, n, why);
        return;
      }
      if (last > (uint32_t)seqmax)
        fail(F_TORN, "reader: %s holds chunk seq %u, but writer %d issued only %llu", k, last, w,
             (unsigned long long)seqmax);
    } else {
      int64_t v;
      if (!parse_int(g_buf, n, &v)) {
        fail(F_TORN, "reader: counter %s holds '%.*s'", k, n > 24 ? 24 : n, (const char *)g_buf);
        return;
      }
    }
  }
  if (W1 != W2) {
    atomic_fetch_add(&R->weak, 1);
    return;
  }
  /* The log did not move: the value must be exactly a logged state. */
  atomic_fetch_add(&R->exact, 1);
  int vol = is_volatile(i);
  int is_a = same_value(&X, &A) || (vol && !X.exists),
      is_p = pending && (same_value(&X, &P) || (vol && !X.exists));
  if (!is_a && !is_p) {
    fail(F_TORN,
         "reader: %s holds exists=%d len=%u, logged exists=%d len=%u seq %llu%s", k, X.exists,
         X.len, A.exists, A.len, (unsigned long long)A.seq, pending ? " (or the write in flight)" : "");
    return;
  }
  int ttl_ok = (t == -2) ? (vol || !A.exists || (pending && !P.exists))
                         : ((A.exists && A.ttl == (t >= 0)) || (pending && P.exists && P.ttl == (t >= 0)));
  if (!ttl_ok) fail(F_TORN, "reader: %s ttl %g does not match the log", k, t);
  if (sl != -100 && !vol) {
    int sl_ok = (sl == (int)(A.exists ? A.len : 0)) || (pending && sl == (int)(P.exists ? P.len : 0));
    if (!sl_ok) fail(F_TORN, "reader: %s strlen %d does not match the log", k, sl);
  }
}

static void reader_check_shared(int h, struct rstat *R, int64_t *last_seen) {
  uint64_t lo = 0, hi = 0;
  for (int w = 0; w < g_nw; w++) lo += atomic_load(&S->w[w].shared) >> 1;
  atomic_thread_fence(memory_order_acquire);
  int n = shmd_get(h, (const uint8_t *)SHARED_KEY, sizeof SHARED_KEY - 1, g_buf, GBUF_CAP);
  atomic_thread_fence(memory_order_acquire);
  for (int w = 0; w < g_nw; w++) {
    uint64_t s = atomic_load(&S->w[w].shared);
    hi += (s >> 1) + (s & 1) + atomic_load(&S->w[w].shared_unsure);
  }
  atomic_fetch_add(&R->reads, 1);
  int64_t v = 0;
  if (n == SHMD_NIL) {
    v = 0;
  } else if (n < 0 || !parse_int(g_buf, n, &v)) {
    fail(F_TORN, "reader: shared counter get -> %d", n);
    return;
  }
  if ((uint64_t)v < lo || (uint64_t)v > hi)
    fail(F_TORN, "reader: shared counter %lld outside [%llu, %llu]", (long long)v,
         (unsigned long long)lo, (unsigned long long)hi);
  if (v < *last_seen) fail(F_TORN, "reader: shared counter went back from %lld to %lld",
                           (long long)*last_seen, (long long)v);
  *last_seen = v;
}

static __attribute__((noreturn)) void reader(int r) {
  struct rstat *R = &S->r[r];
  seed_rng((uint64_t)now_ns() ^ ((uint64_t)getpid() << 20) ^ (uint64_t)r * 77);
  atomic_store(&R->heartbeat, now_ns());
  int h = shmd_open((const uint8_t *)g_name, (uint32_t)strlen(g_name), SHMD_O_READONLY, 0, 0);
  if (h < 0) {
    fail(F_ERROR, "reader %d cannot open: %d", r, h);
    _exit(3);
  }
  g_buf = malloc(GBUF_CAP);
  int64_t last_shared = 0;
  uint8_t av[64];
  while (!atomic_load(&S->stop)) {
    uint32_t x = rn(100);
    if (x < 5) {
      reader_check_shared(h, R, &last_shared);
    } else if (x < 8) {
      /* EXISTS and TYPE of a few keys: only the legal answers */
      int w = (int)rn((uint32_t)g_nw), i = (int)rn(NKEYS);
      char k[32];
      uint32_t kl = keyname(k, w, i);
      put32(av, 1);
      uint32_t at = argv_put(av, 4, k, kl);
      int e = shmd_exists(h, av, at);
      int ty = shmd_type(h, (const uint8_t *)k, kl);
      if (e < 0 || e > 1 || (ty != SHMD_T_NONE && ty != (is_hash(i) ? SHMD_T_HASH : SHMD_T_STRING)))
        fail(F_TORN, "reader: exists/type of %s -> %d/%d", k, e, ty);
    } else {
      /* mostly the string, counter and volatile keys; a bulk key now and then */
      int i = rn(4) ? (int)rn(K_B) : K_B + (int)rn(NBKEYS);
      reader_check_key(h, R, (int)rn((uint32_t)g_nw), i);
    }
    atomic_store_explicit(&R->heartbeat, now_ns(), memory_order_relaxed);
  }
  shmd_close(h);
  _exit(0);
}

/* ------------------------------------------------------------------------ */
/* the killer                                                               */

static pid_t spawn(int is_writer, int idx) {
  fflush(stdout);
  fflush(stderr);
  pid_t p = fork();
  if (p < 0) {
    perror("fork");
    exit(2);
  }
  if (p == 0) {
    if (is_writer) writer(idx);
    /* readers a little nicer, so that a killed writer gets a CPU to die on */
    if (g_reader_nice && nice(g_reader_nice) < 0) perror("nice");
    reader(idx);
  }
  if (is_writer) {
    atomic_store(&S->w[idx].pid, p);
    atomic_fetch_add(&S->w[idx].incarnations, 1);
    atomic_store(&S->w[idx].heartbeat, now_ns());
  } else {
    atomic_store(&S->r[idx].pid, p);
    atomic_store(&S->r[idx].heartbeat, now_ns());
  }
  return p;
}

/* Kill and reap; a child that was already dead of something else is a failure. */
static void kill_reap(pid_t p, const char *what, int idx) {
  kill(p, SIGKILL);
  int st;
  while (waitpid(p, &st, 0) < 0 && errno == EINTR) {
  }
  if (!(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL))
    fail(F_CRASH, "%s %d (pid %d) ended with %s %d before we killed it", what, idx, (int)p,
         WIFSIGNALED(st) ? "signal" : "exit status", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}
static void pct(const char *label, uint32_t *v, size_t n, double *p99_out) {
  if (n == 0) {
    printf("   %-34s no samples\n", label);
    if (p99_out) *p99_out = 0;
    return;
  }
  qsort(v, n, sizeof *v, cmp_u32);
  double p50 = v[n / 2] / 1000.0, p99 = v[(size_t)((double)(n - 1) * 0.99)] / 1000.0,
         mx = v[n - 1] / 1000.0;
  printf("   %-34s n=%zu  p50 %.3f ms  p99 %.3f ms  max %.3f ms\n", label, n, p50, p99, mx);
  if (p99_out) *p99_out = p99;
}

static int run_check(int h, const char *when) {
  static char rep[65536];
  int n = shmd_check(h, (uint8_t *)rep, sizeof rep);
  if (n != 0) {
    fail(F_CHECK, "shmd_check (%s) -> %d: %.*s", when, n, n > 0 ? (n > 2000 ? 2000 : n) : 0, rep);
    return 0;
  }
  return 1;
}

/* The pid of the writer lock's owner (glibc: the owner's TID, = pid for our
 * single-threaded children), or 0. Only used to aim kills. */
static int lock_owner(int h) {
#if defined(__GLIBC__)
  struct dict *d = api_dict(h);
  if (!d) return 0;
  pthread_mutex_t *m = (pthread_mutex_t *)(void *)d->hdr->lock;
  return __atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED);
#else
  (void)h;
  return 0;
#endif
}

static int t_pass, t_fail;
static void tcheck(int ok, const char *what) {
  if (ok) t_pass++;
  else {
    t_fail++;
    printf("FAIL torture: %s\n", what);
  }
}

int main(int argc, char **argv) {
  /* without arguments: the smoke run of `zig build test` */
  long kills_target = 300, min_kills = argc > 1 ? -1 : 50, gap_us = 3000, reader_kill_pct = 2;
  double seconds = 30;
  uint64_t seed = (uint64_t)time(NULL) ^ (uint64_t)getpid();
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--kills") && v) kills_target = atol(v), i++;
    else if (!strcmp(a, "--seconds") && v) seconds = atof(v), i++;
    else if (!strcmp(a, "--min-kills") && v) min_kills = atol(v), i++;
    else if (!strcmp(a, "--writers") && v) g_nw = atoi(v), i++;
    else if (!strcmp(a, "--readers") && v) g_nr = atoi(v), i++;
    else if (!strcmp(a, "--gap-us") && v) gap_us = atol(v), i++;
    else if (!strcmp(a, "--seed") && v) seed = strtoull(v, NULL, 0), i++;
    else if (!strcmp(a, "--reader-kills") && v) reader_kill_pct = atol(v), i++;
    else if (!strcmp(a, "--reader-nice") && v) g_reader_nice = atoi(v), i++;
    else if (!strcmp(a, "--quiet")) g_quiet = 1;
    else {
      fprintf(stderr,
              "usage: %s [--kills N] [--seconds S] [--min-kills N] [--writers W] [--readers R]"
              " [--gap-us U] [--seed X] [--reader-kills PCT] [--reader-nice N] [--quiet]\n",
              argv[0]);
      printf("0 passed, 1 failed\n");
      return 2;
    }
  }
  if (min_kills < 0) min_kills = kills_target;
  if (g_nw < 1 || g_nw > NW_MAX || g_nr < 0 || g_nr > NR_MAX) {
    fprintf(stderr, "writers 1..%d, readers 0..%d\n", NW_MAX, NR_MAX);
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  seed_rng(seed);
  const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
  printf("-- %s: %d writers, %d readers, target %ld kills (at least %ld) within %.0f s, seed %llu\n",
         prog, g_nw, g_nr, kills_target, min_kills, seconds, (unsigned long long)seed);

  S = mmap(NULL, sizeof *S, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (S == MAP_FAILED) {
    perror("mmap");
    return 2;
  }
  snprintf(g_name, sizeof g_name, "torture-%d", (int)getpid());
  shmd_drop((const uint8_t *)g_name, (uint32_t)strlen(g_name));
  int h = shmd_open((const uint8_t *)g_name, (uint32_t)strlen(g_name), SHMD_O_CREATE | SHMD_O_EXCL,
                    0, 256.0 * 1024 * 1024);
  if (h < 0) {
    printf("FAIL torture: cannot create the dictionary (%d)\n0 passed, 1 failed\n", h);
    return 1;
  }
  g_buf = malloc(GBUF_CAP);
  double rec0 = info_recoveries(h);

  pid_t wp[NW_MAX], rp[NR_MAX];
  for (int w = 0; w < g_nw; w++) wp[w] = spawn(1, w);
  for (int r = 0; r < g_nr; r++) rp[r] = spawn(0, r);

  size_t lat_cap = (size_t)kills_target + 16, nlat = 0;
  uint32_t *lat = malloc(lat_cap * sizeof *lat);
  long kills = 0, reader_kills = 0, double_kills = 0, checks = 0, owner_kills = 0;
  double last_buckets = 0, max_buckets = 0, max_keys = 0;
  long table_changes = 0, rehash_seen = 0;
  int64_t t_start = now_ns(), deadline = t_start + (int64_t)(seconds * 1e9);
  int64_t next_check = t_start + 500000000LL, next_report = t_start + 10000000000LL;
  int hung = 0;
  sleep_us(20000); /* let everyone start */

  while (kills < kills_target && now_ns() < deadline && !hung) {
    sleep_us((long)rn((uint32_t)gap_us + 1));
    /* kill one writer, sometimes a second right after (it may be recovering) */
    int burst = rn(100) < 10 ? 2 : 1;
    int64_t tk = 0;
    for (int b = 0; b < burst; b++) {
      if (b) sleep_us((long)rn(400));
      /* the victim: the lock's owner (40%), a writer inside a call (30%; holding or
       * waiting for the lock), or any writer */
      int v = (int)rn((uint32_t)g_nw);
      uint32_t how = rn(100);
      if (how < 40) {
        int o = lock_owner(h);
        for (int w = 0; w < g_nw; w++)
          if (o > 0 && wp[w] == o) v = w, owner_kills++;
      } else if (how < 70) {
        int cand[NW_MAX], nc = 0;
        for (int w = 0; w < g_nw; w++)
          if (atomic_load(&S->w[w].in_call)) cand[nc++] = w;
        if (nc) v = cand[rn((uint32_t)nc)];
      }
      tk = now_ns();
      atomic_store(&S->kill_ns, tk);
      atomic_store(&S->progress, 0);
      kill_reap(wp[v], "writer", v);
      wp[v] = spawn(1, v);
      kills++;
    }
    if (burst == 2) double_kills++;
    if (g_nr && rn(100) < (uint32_t)reader_kill_pct) {
      int v = (int)rn((uint32_t)g_nr);
      kill_reap(rp[v], "reader", v);
      rp[v] = spawn(0, v);
      reader_kills++;
    }
    /* every kill must be followed by a write within 5 s */
    int64_t pr;
    while ((pr = atomic_load(&S->progress)) == 0) {
      if (now_ns() - tk > HANG_NS) {
        fail(F_HANG, "no write completed within 5 s of kill #%ld", kills);
        hung = 1;
        break;
      }
      sleep_us(50);
    }
    if (!hung) {
      int64_t d = pr - tk;
      if (d < 0) d = 0;
      if (nlat < lat_cap) lat[nlat++] = (uint32_t)(d / 1000);
    }
    /* the index: count the grows and shrinks we see */
    {
      double inf[SHMD_INFO_COUNT];
      if (shmd_info(h, (uint8_t *)inf, sizeof inf) == (int)sizeof inf) {
        double b = inf[SHMD_INFO_BUCKETS];
        if (b != last_buckets && last_buckets > 0) table_changes++;
        last_buckets = b;
        if (b > max_buckets) max_buckets = b;
        if (inf[SHMD_INFO_KEYS] > max_keys) max_keys = inf[SHMD_INFO_KEYS];
        if (inf[SHMD_INFO_REHASHING] > 0) rehash_seen++;
      }
    }
    /* unexpected deaths (not ours) */
    int st;
    pid_t dp;
    while ((dp = waitpid(-1, &st, WNOHANG)) > 0) {
      fail(F_CRASH, "child %d died by itself (%s %d)", (int)dp, WIFSIGNALED(st) ? "signal" : "status",
           WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
      for (int w = 0; w < g_nw; w++)
        if (wp[w] == dp) wp[w] = spawn(1, w);
      for (int r = 0; r < g_nr; r++)
        if (rp[r] == dp) rp[r] = spawn(0, r);
    }
    int64_t t = now_ns();
    if (t >= next_check) {
      run_check(h, "periodic");
      checks++;
      /* watchdog: every live process progresses */
      for (int w = 0; w < g_nw; w++) {
        int64_t hb = atomic_load(&S->w[w].heartbeat);
        if (t - hb > HANG_NS) fail(F_HANG, "writer %d made no progress for %.1f s", w, (t - hb) / 1e9), hung = 1;
      }
      for (int r = 0; r < g_nr; r++) {
        int64_t hb = atomic_load(&S->r[r].heartbeat);
        if (t - hb > HANG_NS) fail(F_HANG, "reader %d made no progress for %.1f s", r, (t - hb) / 1e9), hung = 1;
      }
      next_check = now_ns() + 500000000LL;
    }
    if (!g_quiet && t >= next_report) {
      printf("   ... %.0f s: %ld kills\n", (t - t_start) / 1e9, kills);
      next_report = t + 10000000000LL;
    }
  }
  double elapsed = (now_ns() - t_start) / 1e9;

  /* stop: kill the writers wherever they are, let the readers finish */
  for (int w = 0; w < g_nw; w++) kill_reap(wp[w], "writer", w);
  atomic_store(&S->stop, 1);
  int64_t t_stop = now_ns();
  for (int r = 0; r < g_nr; r++) {
    int st;
    pid_t p;
    while ((p = waitpid(rp[r], &st, WNOHANG)) == 0 && now_ns() - t_stop < 2 * HANG_NS) sleep_us(1000);
    if (p == 0) {
      fail(F_HANG, "reader %d did not stop within 10 s", r);
      kill_reap(rp[r], "reader", r);
    } else if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
      fail(F_CRASH, "reader %d ended with %s %d", r, WIFSIGNALED(st) ? "signal" : "status",
           WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
    }
  }

  /* final verification */
  int final_bad = 0;
  for (int w = 0; w < g_nw; w++) final_bad += reconcile(h, w, 1);
  /* then the volatile keys go, so that the count is exact */
  for (int w = 0; w < g_nw; w++)
    for (int i = K_E; i < K_H; i++) {
      char k[32];
      uint8_t av[64];
      put32(av, 1);
      shmd_del(h, av, argv_put(av, 4, k, keyname(k, w, i)));
    }
  int expected_keys = 0;
  for (int w = 0; w < g_nw; w++)
    for (int i = 0; i < NKEYS; i++) {
      if (is_volatile(i)) continue;
      uint64_t W = atomic_load(&S->w[w].k[i].word);
      expected_keys += (int)((atomic_load(&S->w[w].k[i].slot[(W >> 1) & 1][2]) >> 32) & 1);
    }
  uint64_t lo = 0, hi = 0;
  for (int w = 0; w < g_nw; w++) {
    uint64_t s = atomic_load(&S->w[w].shared);
    lo += s >> 1;
    hi += (s >> 1) + (s & 1) + atomic_load(&S->w[w].shared_unsure);
  }
  int n = shmd_get(h, (const uint8_t *)SHARED_KEY, sizeof SHARED_KEY - 1, g_buf, GBUF_CAP);
  int64_t shared_v = 0;
  if (n >= 0) {
    expected_keys++;
    parse_int(g_buf, n, &shared_v);
  }
  int shared_ok = (uint64_t)shared_v >= lo && (uint64_t)shared_v <= hi;
  if (!shared_ok)
    fail(F_LOST, "shared counter %lld outside [acknowledged %llu, issued %llu]", (long long)shared_v,
         (unsigned long long)lo, (unsigned long long)hi);
  int dbsize = shmd_dbsize(h);
  /* KEYS lists exactly our keys */
  static uint8_t kb[1 << 20];
  int kn = shmd_keys(h, (const uint8_t *)"*", 1, kb, sizeof kb);
  int stray = 0, listed = 0;
  if (kn >= 4) {
    uint32_t cnt = get32(kb), at = 4;
    listed = (int)cnt;
    for (uint32_t i = 0; i < cnt; i++) {
      uint32_t l = get32(kb + at);
      const char *k = (const char *)kb + at + 4;
      at += 4 + l;
      int w, idx;
      char kind;
      char tmp[64];
      if (l >= sizeof tmp) {
        stray++;
        continue;
      }
      memcpy(tmp, k, l);
      tmp[l] = 0;
      if (strcmp(tmp, SHARED_KEY) == 0) continue;
      if (sscanf(tmp, "t:%d:%c%d", &w, &kind, &idx) != 3 || w < 0 || w >= g_nw || idx < 0 ||
          idx >= (kind == 's'   ? NSKEYS
                  : kind == 'c' ? NCKEYS
                  : kind == 'h' ? NHKEYS
                  : kind == 'b' ? NBKEYS
                                : 0)) {
        stray++;
        fail(F_LOST, "a key nobody wrote: %s", tmp);
      }
    }
  }
  if (dbsize != expected_keys) {
    for (int w = 0; w < g_nw; w++)
      for (int i = 0; i < NKEYS; i++) {
        if (is_volatile(i)) continue;
        uint64_t W = atomic_load(&S->w[w].k[i].word);
        int ex = (int)((atomic_load(&S->w[w].k[i].slot[(W >> 1) & 1][2]) >> 32) & 1);
        char k[32];
        uint32_t kl = keyname(k, w, i);
        uint8_t av[64];
        put32(av, 1);
        int e = shmd_exists(h, av, argv_put(av, 4, k, kl));
        if (e != ex) fail(F_LOST, "final: %s exists %d, the log says %d", k, e, ex);
      }
  }
  int final_check = run_check(h, "final");
  double recs = info_recoveries(h) - rec0;

  /* report */
  uint64_t ops = 0, reads = 0, exact = 0, weak = 0, inc = 0;
  for (int w = 0; w < g_nw; w++) ops += atomic_load(&S->w[w].ops), inc += atomic_load(&S->w[w].incarnations);
  for (int r = 0; r < g_nr; r++)
    reads += atomic_load(&S->r[r].reads), exact += atomic_load(&S->r[r].exact),
        weak += atomic_load(&S->r[r].weak);
  printf("   %.1f s: %ld writer kills (%.0f/s; %ld double kills, %ld aimed at the lock's owner), %ld "
         "reader kills, %llu writer incarnations\n",
         elapsed, kills, kills / (elapsed > 0 ? elapsed : 1), double_kills, owner_kills, reader_kills,
         (unsigned long long)inc);
  printf("   %.0f recoveries (kills that left a command or the lock behind), %llu acknowledged "
         "writes, %llu reads (%llu checked exactly against the log, %llu well-formed only)\n",
         recs, (unsigned long long)ops, (unsigned long long)reads, (unsigned long long)exact,
         (unsigned long long)weak);
  printf("   index: up to %.0f keys and %.0f buckets, %ld table size changes seen, rehashing at "
         "%ld of the kills\n",
         max_keys, max_buckets, table_changes, rehash_seen);
  printf("   %ld periodic checks; final: %d keys (expected %d, KEYS lists %d, %d stray), shared "
         "counter %lld in [%llu, %llu]\n",
         checks, dbsize, expected_keys, listed, stray, (long long)shared_v, (unsigned long long)lo,
         (unsigned long long)hi);
  uint64_t nrec = atomic_load(&S->nrec);
  if (nrec > NSAMPLES) nrec = NSAMPLES;
  uint32_t *rs = malloc((nrec + 1) * sizeof *rs);
  for (uint64_t i = 0; i < nrec; i++) rs[i] = atomic_load(&S->rec_us[i]);
  double p99_rec = 0, p99_lat = 0;
  pct("write that recovered (duration):", rs, nrec, &p99_rec);
  pct("kill -> next acknowledged write:", lat, nlat, &p99_lat);
  printf("   recovery p99: %.3f ms\n", p99_rec);
  for (int c = 0; c < F_COUNT; c++) {
    uint64_t f = atomic_load(&S->failures[c]);
    char what[160];
    snprintf(what, sizeof what, "%s: %llu", fname[c], (unsigned long long)f);
    tcheck(f == 0, what);
  }
  char what[160];
  snprintf(what, sizeof what, "kills %ld >= %ld", kills, min_kills);
  tcheck(kills >= min_kills, what);
  tcheck(final_bad == 0, "final state of every partition equals the log");
  tcheck(dbsize == expected_keys && stray == 0 && listed == dbsize, "no stray or missing keys");
  tcheck(shared_ok, "shared counter within its bounds");
  tcheck(final_check, "final shmd_check");
  tcheck(recs > 0 || kills == 0, "some kills needed a recovery");
  tcheck(exact > 0 || g_nr == 0, "readers checked values exactly");
  tcheck(!hung, "no hang");
  tcheck(table_changes > 0 || kills < 200, "the index grew and shrank under the kills");
  shmd_close(h);
  shmd_drop((const uint8_t *)g_name, (uint32_t)strlen(g_name));
  free(rs);
  free(lat);
  free(g_buf);
  for (int i = 0; i < NKEYS; i++) free(M[i].v);
  printf("%s: %d passed, %d failed\n", prog, t_pass, t_fail);
  printf("%d passed, %d failed\n", t_pass, t_fail);
  return t_fail ? 1 : 0;
}
