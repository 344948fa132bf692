/*
 * test_recovery.c — a process killed while it recovers after another one.
 *
 * One case: a first child runs a write command with shmd_crash_countdown = k
 * and dies (SIGKILL) right before its k-th journaled change, leaving the lock
 * and a journal of k records behind. A second child then takes the lock
 * (through a write, shmd_check, MGET, or a lock-free GET that falls back to
 * the lock), starts the rollback, and dies before restoring its m-th record
 * (the crash countdown also counts restored records). The journal must still
 * be whole (same jused, same bytes) and no recovery counted. Then this process
 * recovers (through a check or a write) and the dictionary must pass
 * shmd_check and hold exactly the state from before the first child's
 * command. Some cases chain three to five recoverers, each killed at its own
 * m, and some use m = k + 1 (the recovery completes; the recoverer then dies at
 * the first journaled change of its own command, if it has one).
 *
 * Every write command kind is used (including a rehash step, the start of a
 * rehash and of a shrink, active expiry, FLUSHALL, a big value), k walks all
 * of a command's journaled changes, and m takes 1, k, k + 1 and random
 * values in between: about 1,300 cases.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include "internal.h"
#include "tcheck.h"
#include "tutil.h"

extern long shmd_crash_countdown;

static int H;
static struct dict *D;
static uint8_t big[300000];
static uint8_t *vbuf;
#define VCAP (1u << 20)

/* ---- a canonical text of the whole dictionary ---- */

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static int cmpstr(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "key=len:fnv@deadline" lines, sorted; values are hashed, not copied. */
static char *snapshot(void) {
  static uint8_t kb[1 << 20];
  int n = shmd_keys(H, (const uint8_t *)"*", 1, kb, sizeof kb);
  if (n < 4 || n > (int)sizeof kb) return strdup("(keys failed)");
  uint32_t cnt, at = 4;
  memcpy(&cnt, kb, 4);
  char **lines = calloc(cnt + 1, sizeof *lines);
  size_t total = 1;
  for (uint32_t i = 0; i < cnt; i++) {
    int32_t l;
    memcpy(&l, kb + at, 4);
    const uint8_t *k = kb + at + 4;
    at += 4 + (uint32_t)l;
    int vl = shmd_get(H, k, (uint32_t)l, vbuf, VCAP);
    uint64_t hsh = 1469598103934665603ull;
    for (int j = 0; j < vl; j++) hsh = (hsh ^ vbuf[j]) * 1099511628211ull;
    double dl = 0;
    shmd_ttl(H, k, (uint32_t)l, SHMD_TTLQ_MS | SHMD_TTLQ_AT, (uint8_t *)&dl, 8);
    size_t sz = (size_t)l + 96;
    lines[i] = malloc(sz);
    snprintf(lines[i], sz, "%.*s=%d:%016llx@%.0f", l, (const char *)k, vl,
             (unsigned long long)hsh, dl);
    total += strlen(lines[i]) + 1;
  }
  qsort(lines, cnt, sizeof *lines, cmpstr);
  char *s = malloc(total + 64);
  size_t w = 0;
  for (uint32_t i = 0; i < cnt; i++) {
    size_t l = strlen(lines[i]);
    memcpy(s + w, lines[i], l);
    s[w + l] = '\n';
    w += l + 1;
    free(lines[i]);
  }
  s[w] = 0;
  free(lines);
  return s;
}

/* ---- helpers ---- */

static int set(const char *k, const void *v, uint32_t vl, uint32_t flags, double ttl) {
  uint8_t out[8];
  return shmd_set(H, (const uint8_t *)k, (uint32_t)strlen(k), v, vl, flags, ttl, out, 0);
}
static int sets(const char *k, const char *v) { return set(k, v, (uint32_t)strlen(v), 0, 0); }

static uint32_t argv_of(uint8_t *buf, const char **items, const uint32_t *lens, uint32_t n) {
  uint32_t at = 4;
  memcpy(buf, &n, 4);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t l = lens ? lens[i] : (uint32_t)strlen(items[i]);
    memcpy(buf + at, &l, 4);
    memcpy(buf + at + 4, items[i], l);
    at += 4 + l;
  }
  return at;
}

/* Journal records in use, and a checksum of the journal bytes. */
static uint32_t journal_records(uint64_t *jused, uint64_t *sum) {
  uint64_t used = atomic_load(&D->hdr->jused);
  *jused = used;
  const uint8_t *j = D->base + SEG_HDR_BYTES;
  uint64_t h = 1469598103934665603ull;
  for (uint64_t i = 0; i < used; i++) h = (h ^ j[i]) * 1099511628211ull;
  *sum = h;
  uint32_t n = 0;
  while (used >= 16) {
    uint64_t rec;
    memcpy(&rec, j + used - 8, 8);
    if (rec < 16 || rec > used) return UINT32_MAX;
    used -= rec;
    n++;
  }
  return used == 0 ? n : UINT32_MAX;
}

static double recoveries(void) {
  double v[SHMD_INFO_COUNT];
  shmd_info(H, (uint8_t *)v, sizeof v);
  return v[SHMD_INFO_RECOVERIES];
}

/* ---- the commands (each run by the first child) ---- */

static uint8_t ob[400000];
static void c_set_new(void) { sets("new-key", "fresh value"); }
static void c_set_inplace(void) { sets("s1", "same-size!"); }
static void c_set_grow(void) { set("s1", big, 3000, 0, 0); }
static void c_set_shrink(void) { set("a3", "tiny", 4, 0, 0); }
static void c_set_ex(void) { set("s2", "v", 1, SHMD_TTL_EX, 100); }
static void c_set_keepttl(void) { set("ttl1", "kept", 4, SHMD_SET_KEEPTTL, 0); }
static void c_set_get(void) {
  shmd_set(H, (const uint8_t *)"s1", 2, (const uint8_t *)"x", 1, SHMD_SET_GET, 0, ob, sizeof ob);
}
static void c_set_huge(void) { set("huge", big, sizeof big, 0, 0); }
static void c_set_nx_new(void) { set("nx-new", "v", 1, SHMD_SET_NX, 0); }
static void c_del(void) { tdel(H, "s1"); }
static void c_del_many(void) {
  const char *k[] = {"a0", "a1", "a2", "a3", "s1", "nope"};
  uint8_t b[256];
  shmd_del(H, b, argv_of(b, k, NULL, 6));
}
static void c_mset(void) {
  const char *k[] = {"m1", "v1", "s1", "v2", "m3", "v3", "a5", "five"};
  uint8_t b[256];
  shmd_mset(H, b, argv_of(b, k, NULL, 8), 0);
}
static void c_mset_reuse(void) {
  static char v300[301];
  memset(v300, 'r', 300);
  const char *k[] = {"s1", v300, "m2", "short val!"};
  uint8_t b[512];
  shmd_mset(H, b, argv_of(b, k, NULL, 4), 0);
}
static void c_msetnx(void) {
  const char *k[] = {"n1", "v1", "n2", "v2"};
  uint8_t b[256];
  shmd_mset(H, b, argv_of(b, k, NULL, 4), 1);
}
static void c_append_inplace(void) {
  shmd_append(H, (const uint8_t *)"s1", 2, (const uint8_t *)"+", 1);
}
static void c_append_grow(void) { shmd_append(H, (const uint8_t *)"s1", 2, big, 700); }
static void c_append_new(void) { shmd_append(H, (const uint8_t *)"app", 3, big, 40); }
static void c_setrange(void) {
  shmd_setrange(H, (const uint8_t *)"s1", 2, 3, (const uint8_t *)"XYZ", 3);
}
static void c_setrange_pad(void) {
  shmd_setrange(H, (const uint8_t *)"s1", 2, 90, (const uint8_t *)"xyz", 3);
}
static void c_incr(void) { shmd_incrby(H, (const uint8_t *)"cnt", 3, 7, ob, 8); }
static void c_incr_new(void) { shmd_incrby(H, (const uint8_t *)"cnt-new", 7, -3, ob, 8); }
static void c_incrbyfloat(void) {
  shmd_incrbyfloat(H, (const uint8_t *)"flt", 3, (const uint8_t *)"0.5", 3, ob, sizeof ob);
}
static void c_getdel(void) { shmd_getdel(H, (const uint8_t *)"a2", 2, ob, sizeof ob); }
static void c_getex(void) {
  shmd_getex(H, (const uint8_t *)"s1", 2, SHMD_TTL_PX, 100000, ob, sizeof ob);
}
static void c_getex_persist(void) {
  shmd_getex(H, (const uint8_t *)"ttl1", 4, SHMD_TTL_PERSIST, 0, ob, sizeof ob);
}
static void c_expire(void) { shmd_expire(H, (const uint8_t *)"a1", 2, 50, 0); }
static void c_expire_past(void) { shmd_expire(H, (const uint8_t *)"a1", 2, -1, 0); }
static void c_persist(void) { shmd_persist(H, (const uint8_t *)"ttl1", 4); }
static void c_rename(void) { shmd_rename(H, (const uint8_t *)"s1", 2, (const uint8_t *)"a1", 2, 0); }
static void c_renamenx(void) {
  shmd_rename(H, (const uint8_t *)"a7", 2, (const uint8_t *)"fresh", 5, 1);
}
static void c_copy_cmd(void) { shmd_copy(H, (const uint8_t *)"a7", 2, (const uint8_t *)"s1", 2, 1); }
static void c_flushall(void) { shmd_flushall(H); }

struct cmd {
  const char *name;
  void (*fn)(void);
};

static const struct cmd cmds[] = {
    {"set new key", c_set_new},
    {"set in place", c_set_inplace},
    {"set grows", c_set_grow},
    {"set shrinks", c_set_shrink},
    {"set ex", c_set_ex},
    {"set keepttl", c_set_keepttl},
    {"set get", c_set_get},
    {"set huge value", c_set_huge},
    {"set nx new key", c_set_nx_new},
    {"del", c_del},
    {"del many", c_del_many},
    {"mset", c_mset},
    {"mset reusing a block", c_mset_reuse},
    {"msetnx", c_msetnx},
    {"append in place", c_append_inplace},
    {"append grows", c_append_grow},
    {"append new key", c_append_new},
    {"setrange", c_setrange},
    {"setrange pads", c_setrange_pad},
    {"incrby", c_incr},
    {"incrby new key", c_incr_new},
    {"incrbyfloat", c_incrbyfloat},
    {"getdel", c_getdel},
    {"getex px", c_getex},
    {"getex persist", c_getex_persist},
    {"expire", c_expire},
    {"expire in the past", c_expire_past},
    {"persist", c_persist},
    {"rename", c_rename},
    {"renamenx", c_renamenx},
    {"copy replace", c_copy_cmd},
    {"flushall", c_flushall},
};

/* Base state: strings of many sizes, counters, deadlines, holes in the heap,
 * an anchor key nothing changes. */
static void base(int fill) {
  shmd_flushall(H);
  for (int i = 0; i < 8; i++) {
    char k[16];
    snprintf(k, sizeof k, "a%d", i);
    set(k, big, 100 + (uint32_t)i * 300, 0, 0);
  }
  tdel(H, "a4");
  tdel(H, "a6");
  sets("s1", "some value");
  sets("cnt", "41");
  sets("flt", "1.25");
  sets("anchor", "never changes");
  set("ttl1", "t", 1, SHMD_TTL_EX, 1000);
  for (int i = 0; i < fill; i++) {
    char k[24];
    snprintf(k, sizeof k, "fill:%d", i);
    sets(k, "f");
  }
}

/* ---- the recoverers (run by the second and later children) ---- */

static void via_write(void) {
  /* a write that changes nothing once done: NX on an existing key */
  set("anchor", "other", 5, SHMD_SET_NX, 0);
}
static void via_check(void) { tconsistent(H); }
static void via_mget(void) {
  const char *k[] = {"s1", "anchor"};
  uint8_t b[64];
  shmd_mget(H, b, argv_of(b, k, NULL, 2), ob, sizeof ob);
}
static void via_get(void) {
  /* lock-free; falls back to the lock (and recovers) when a stripe is odd */
  shmd_get(H, (const uint8_t *)"s1", 2, ob, sizeof ob);
  shmd_get(H, (const uint8_t *)"a1", 2, ob, sizeof ob);
  tdel(H, "no-such-key");
}
static void via_del(void) { tdel(H, "no-such-key"); }

static void (*const vias[])(void) = {via_write, via_check, via_mget, via_get, via_del};
static const char *via_names[] = {"write", "check", "mget", "get", "del"};
#define NVIAS 5

/* ---- one case ---- */

static long n_cases, n_chains, n_past, n_fail_report;
/* How long this process's recovering write took (the dead are already reaped). */
static uint32_t rec_ns[1 << 14];
static uint32_t n_rec, max_recs;

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Run fn in a child with the crash countdown at k; 1 if it was SIGKILLed. */
static int child(void (*fn)(void), long k, int *exited) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    shmd_crash_countdown = k;
    fn();
    _exit(0);
  }
  int st;
  waitpid(pid, &st, 0);
  *exited = WIFEXITED(st) && WEXITSTATUS(st) == 0;
  return WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
}

static void report(const char *cmd, long k, const long *ms, int nm, int via, const char *what) {
  if (n_fail_report++ > 20) return;
  printf("FAIL %s: k=%ld, recoverers killed at m =", cmd, k);
  for (int i = 0; i < nm; i++) printf(" %ld", ms[i]);
  printf(" (via %s): %s\n", via_names[via], what);
}

/* The case (cmd, k, ms[0..nm)). Returns 0 if the first child completed its
 * command before point k, 1 otherwise. */
static int one_case(const struct cmd *c, const char *before, long k, const long *ms, int nm,
                    int via, int parent_via) {
  int exited;
  int killed = child(c->fn, k, &exited);
  if (exited) return 0;
  n_cases++;
  if (!killed) {
    report(c->name, k, ms, 0, via, "the first child ended oddly");
    CHECK(0);
    return 1;
  }
  uint64_t jused, jsum;
  uint32_t recs = journal_records(&jused, &jsum);
  CHECK(recs == (uint32_t)k); /* one record per crash point */
  double rec0 = recoveries();
  for (int i = 0; i < nm; i++) {
    int done;
    int dead = child(vias[(via + i) % NVIAS], ms[i], &done);
    if (ms[i] <= (long)recs) {
      /* it must have died inside the rollback, leaving the journal whole */
      uint64_t j2, s2;
      uint32_t r2 = journal_records(&j2, &s2);
      int ok = dead && r2 == recs && j2 == jused && s2 == jsum && recoveries() == rec0;
      if (!ok) {
        /* a lock-free GET may see no odd stripe and never reach the lock;
         * then its DEL recovers, which is the same */
        report(c->name, k, ms, nm, via,
               !dead ? "the recoverer was not killed inside the rollback"
                     : "the journal changed although the rollback did not finish");
      }
      CHECK(ok);
    } else {
      CHECK(dead || done);
      n_past++;
    }
  }
  if (nm > 1) n_chains++;
  /* this process recovers */
  if (parent_via == 0) {
    CHECK(tconsistent(H));
  } else {
    int pending = atomic_load(&D->hdr->jused) != 0;
    int64_t t0 = now_ns();
    CHECK(set("anchor", "x", 1, SHMD_SET_NX, 0) == SHMD_NIL);
    int64_t t1 = now_ns();
    if (pending && n_rec < sizeof rec_ns / sizeof rec_ns[0]) {
      rec_ns[n_rec++] = (uint32_t)(t1 - t0);
      if (recs > max_recs) max_recs = recs;
    }
    CHECK(tconsistent(H));
  }
  CHECK(atomic_load(&D->hdr->jused) == 0);
  /* counted once by whoever finished it (twice when a recoverer that got past
   * the journal died in its own command) */
  double dr = recoveries() - rec0;
  CHECK(dr == 1 || (dr == 2 && ms[nm - 1] > (long)recs));
  char *now = snapshot();
  int same = strcmp(before, now) == 0;
  if (!same) report(c->name, k, ms, nm, via, "the state is not the state before the command");
  CHECK(same);
  free(now);
  return 1;
}

static uint64_t rs = 88172645463325252ull;
static uint32_t rnd(uint32_t n) {
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return (uint32_t)(rs % n);
}

/* Walk every crash point k of the command; for each, several cases. */
static long walk(const struct cmd *c) {
  char *before = snapshot();
  long cases0 = n_cases;
  for (long k = 1; k < 100000; k++) {
    /* two cases per point: m = 1 or k (the first or the last record restored
     * first), then a random m in between or k + 1; a chain now and then */
    long m_list[2] = {(k & 1) ? 1 : k, (k % 5 == 0) ? k + 1 : 1 + (long)rnd((uint32_t)k)};
    int completed = 0;
    for (int j = 0; j < 2 && !completed; j++) {
      long ms[1] = {m_list[j]};
      if (!one_case(c, before, k, ms, 1, (int)((k + j) % NVIAS), (int)((k + j) & 1)))
        completed = 1;
    }
    if (!completed && (k % 4 == 0 || k == 2)) {
      long ms[5];
      int nm = 3 + (int)rnd(3);
      for (int i = 0; i < nm; i++) ms[i] = 1 + (long)rnd((uint32_t)k);
      if (!one_case(c, before, k, ms, nm, (int)(k % NVIAS), 0)) completed = 1;
    }
    if (completed) break;
  }
  free(before);
  return n_cases - cases0;
}

int main(void) {
  char name[64];
  tname(name, sizeof name, "recovery");
  H = topen(name, 64.0 * 1024 * 1024);
  CHECK(H >= 0);
  D = api_dict(H);
  vbuf = malloc(VCAP);
  for (size_t i = 0; i < sizeof big; i++) big[i] = (uint8_t)('a' + i % 23);

  TEST("every command, every crash point, recoverers killed mid-rollback");
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
    base(0);
    long n = walk(&cmds[i]);
    printf("   %-24s %4ld cases\n", cmds[i].name, n);
    CHECK(n > 0);
  }

  TEST("rehash: the write that starts it, one that moves buckets, a shrink");
  base(0);
  uint64_t buckets = 1ull << D->hdr->ks.log2[0];
  for (uint64_t i = D->hdr->ks.count; i < buckets - 1; i++) {
    char k[32];
    snprintf(k, sizeof k, "fill:%llu", (unsigned long long)i);
    sets(k, "f");
  }
  CHECK(D->hdr->ks.rehashidx < 0);
  const struct cmd grow = {"set starting a rehash", c_set_new};
  printf("   %-24s %4ld cases\n", grow.name, walk(&grow));
  sets("new-key", "fresh value"); /* now rehashing */
  CHECK(D->hdr->ks.rehashidx >= 0);
  const struct cmd step = {"write moving buckets", c_incr};
  printf("   %-24s %4ld cases\n", step.name, walk(&step));
  while (D->hdr->ks.rehashidx >= 0) sets("drive", "x");
  CHECK(D->hdr->ks.log2[0] > TABLE_MIN_LOG2);
  /* drop below an eighth of the buckets: the next write starts a shrink */
  uint64_t b2 = 1ull << D->hdr->ks.log2[0];
  for (uint64_t i = 0; D->hdr->ks.count * 8 >= b2 && i < b2; i++) {
    char k[32];
    snprintf(k, sizeof k, "fill:%llu", (unsigned long long)i);
    tdel(H, k);
  }
  CHECK(D->hdr->ks.rehashidx < 0);
  const struct cmd shrink = {"write starting a shrink", c_incr};
  printf("   %-24s %4ld cases\n", shrink.name, walk(&shrink));

  TEST("active expiry inside a write");
  base(0);
  for (int i = 0; i < 50; i++) {
    char k[24];
    snprintf(k, sizeof k, "e:%d", i);
    set(k, "v", 1, SHMD_TTL_PX, 1);
  }
  struct timespec ts = {0, 5 * 1000000L};
  nanosleep(&ts, NULL);
  D->hdr->ks.expire_cursor =
      ks_hash(D, (const uint8_t *)"e:0", 3) & ((1ull << D->hdr->ks.log2[0]) - 1);
  const struct cmd ae = {"write with active expiry", c_incr};
  printf("   %-24s %4ld cases\n", ae.name, walk(&ae));

  printf("   %ld cases in all (%ld with a chain of recoverers, %ld recoverers past the journal)\n",
         n_cases, n_chains, n_past);
  if (n_rec) {
    qsort(rec_ns, n_rec, sizeof rec_ns[0], cmp_u32);
    printf("   a write that recovers a dead command (journal of 1-%d records): p50 %.1f us, p99 "
           "%.1f us, max %.1f us (%u samples)\n",
           (int)max_recs, rec_ns[n_rec / 2] / 1e3, rec_ns[(n_rec - 1) * 99 / 100] / 1e3, rec_ns[n_rec - 1] / 1e3,
           n_rec);
  }
  CHECK(n_cases >= 1000);
  CHECK(tconsistent(H));
  shmd_close(H);
  shmd_drop((const uint8_t *)name, (uint32_t)strlen(name));
  free(vbuf);
  return tdone("test_recovery");
}
