/*
 * test_readers.c — lock-free readers during writes never see a torn value or
 * a value that was never written, and concurrent INCRs are exact.
 *
 * Three writer processes and three reader processes share one dictionary for
 * about two seconds. All writers write the same keys:
 *
 *  - "v:<i>": self-checking values of every size from 1 byte to 200 KB:
 *    under 16 bytes, n copies of one letter where n follows from the letter;
 *    from 16 bytes, chunks [A5 writer seq:u32 len:u32 fnv:u32 pad] + pattern.
 *    Written by SET (in place and not), SET GET, MSET, APPEND (a chunk more),
 *    GETDEL and DEL.
 *  - "r:<i>": arrays of 64-byte self-checking records, rewritten one record
 *    at a time by SETRANGE (the in-place, journaled path) or whole by SET
 *    (a SETRANGE racing with a shorter SET pads with zeros: all-zero records
 *    are legal).
 *  - "ctr": INCR by every writer; each counts its acknowledged INCRs.
 *
 * Readers loop over GET, GETRANGE (one record), STRLEN and MGET and check
 * every answer: each chunk and record well-formed, and no sequence number a
 * writer has not yet issued (a value from nowhere); the counter never goes
 * back and never passes what was issued. At the end the counter equals the
 * acknowledged INCRs exactly and shmd_check is clean.
 */
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "tcheck.h"
#include "tutil.h"

#define NW 3
#define NR 3
#define NV 24 /* v: keys */
#define NREC 16 /* r: keys */
#define RUN_NS 2000000000LL
#define BUFCAP (1u << 20)

struct shared {
  _Atomic uint64_t issued[NW]; /* highest seq a writer may have written */
  _Atomic uint64_t incr_acked[NW];
  _Atomic uint64_t incr_issued[NW];
  _Atomic int stop;
  _Atomic uint64_t reads, checked_bytes, bad, zero_records;
  char first_bad[512];
  _Atomic int bad_lock;
};
static struct shared *S;

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static uint64_t rs;
static uint32_t rn(uint32_t n) {
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return (uint32_t)(rs % n);
}

static uint32_t fnv(const uint8_t *p, size_t n, uint32_t h) {
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static uint32_t get32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

static void bad(const char *fmt, const char *key, long a, long b) {
  atomic_fetch_add(&S->bad, 1);
  int z = 0;
  if (atomic_compare_exchange_strong(&S->bad_lock, &z, 1))
    snprintf(S->first_bad, sizeof S->first_bad, fmt, key, a, b);
}

/* ---- values ---- */

/* n bytes for writer w, sequence seq: a value in one of the two shapes. */
static void make_value(uint8_t *v, uint32_t n, int w, uint32_t seq) {
  if (n < 16) {
    /* n copies of the n-th letter, lower or upper case */
    memset(v, (seq & 1 ? 'a' : 'A') + (int)n - 1, n);
    return;
  }
  v[0] = 0xA5;
  v[1] = (uint8_t)w;
  put32(v + 2, seq);
  put32(v + 6, n);
  for (uint32_t i = 14; i < n; i++) v[i] = (uint8_t)(seq * 13u + i * 101u + (i >> 8));
  put32(v + 10, 0);
  uint32_t h = fnv(v, 10, 2166136261u);
  put32(v + 10, fnv(v + 14, n - 14, h));
}

/* Check a concatenation of values (one SET, then APPENDed chunks). */
static const char *check_value(const uint8_t *v, uint32_t n, uint32_t *bad_seq, int *bad_w) {
  if (n == 0) return "empty";
  uint32_t at = 0;
  if (v[0] != 0xA5) {
    /* a small value (then maybe APPENDed chunks) */
    uint32_t m = v[0] >= 'a' && v[0] <= 'o' ? (uint32_t)(v[0] - 'a') + 1
                 : v[0] >= 'A' && v[0] <= 'O' ? (uint32_t)(v[0] - 'A') + 1
                                              : 0;
    if (m == 0 || m > n) return "small value of the wrong length";
    for (uint32_t i = 1; i < m; i++)
      if (v[i] != v[0]) return "small value with mixed bytes";
    at = m;
  }
  while (at < n) {
    const uint8_t *c = v + at;
    if (n - at < 16) return "truncated chunk";
    if (c[0] != 0xA5 || c[1] >= NW) return "bad chunk header";
    uint32_t seq = get32(c + 2), len = get32(c + 6);
    if (len < 16 || len > n - at) return "bad chunk length";
    uint32_t h = fnv(c, 10, 2166136261u);
    if (fnv(c + 14, len - 14, h) != get32(c + 10)) return "chunk checksum mismatch";
    if (seq > (uint32_t)atomic_load(&S->issued[c[1]])) {
      *bad_seq = seq;
      *bad_w = c[1];
      return "a chunk no writer has written yet";
    }
    at += len;
  }
  return NULL;
}

/* A 64-byte record: [w][pad][seq:u32][index:u32][fnv:u32] + pattern. */
static void make_record(uint8_t *r, int w, uint32_t seq, uint32_t idx) {
  r[0] = (uint8_t)w;
  r[1] = 0x5A;
  memset(r + 2, 0, 2);
  put32(r + 4, seq);
  put32(r + 8, idx);
  for (int i = 16; i < 64; i++) r[i] = (uint8_t)(seq + (uint32_t)i * 3u + idx);
  put32(r + 12, fnv(r + 16, 48, fnv(r, 12, 2166136261u)));
}
static const char *check_record(const uint8_t *r, uint32_t idx) {
  static const uint8_t zero[64];
  /* SETRANGE past the end pads with zeros: a record nobody wrote yet */
  if (memcmp(r, zero, 64) == 0) {
    atomic_fetch_add_explicit(&S->zero_records, 1, memory_order_relaxed);
    return NULL;
  }
  if (r[0] >= NW || r[1] != 0x5A) return "bad record header";
  if (get32(r + 8) != idx) return "record at the wrong place";
  if (fnv(r + 16, 48, fnv(r, 12, 2166136261u)) != get32(r + 12)) return "record checksum mismatch";
  if (get32(r + 4) > (uint32_t)atomic_load(&S->issued[r[0]])) return "a record from the future";
  return NULL;
}

/* ---- writer ---- */

static void writer(int h, int w) {
  rs = 0x9E3779B97F4A7C15ull ^ ((uint64_t)w << 32) ^ (uint64_t)getpid();
  uint8_t *v = malloc(BUFCAP), *v2 = malloc(BUFCAP), *argv = malloc(3 * BUFCAP), *out = malloc(BUFCAP);
  uint8_t ob[8];
  uint32_t seq = 0;
  int64_t end = now_ns() + RUN_NS;
  while (now_ns() < end) {
    seq++;
    atomic_store(&S->issued[w], seq);
    char k[32], k2[32];
    uint32_t r = rn(100), n;
    int kidx = (int)rn(NV);
    snprintf(k, sizeof k, "v:%d", kidx);
    uint32_t kl = (uint32_t)strlen(k);
    /* sizes: mostly small, sometimes up to 200 KB */
    uint32_t sz = rn(10) < 7 ? 1 + rn(300) : rn(10) < 8 ? 300 + rn(5000) : 5000 + rn(200000);
    if (r < 25) {
      make_value(v, sz, w, seq);
      CHECK(shmd_set(h, (const uint8_t *)k, kl, v, sz, 0, 0, ob, 0) == SHMD_OK);
    } else if (r < 35) {
      n = sz < 16 ? 16 : sz;
      make_value(v, n, w, seq);
      int got = shmd_append(h, (const uint8_t *)k, kl, v, n);
      if (got > 400000) tdel(h, k);
      CHECK(got > 0 || got == SHMD_E_TOOBIG);
    } else if (r < 45) {
      make_value(v, sz, w, seq);
      int got = shmd_set(h, (const uint8_t *)k, kl, v, sz, SHMD_SET_GET, 0, out, BUFCAP);
      uint32_t bs = 0;
      int bw = 0;
      const char *why = got > 0 ? check_value(out, (uint32_t)got, &bs, &bw) : NULL;
      if (why) bad("SET GET %s returned a bad old value: %s", k, got, 0), (void)why;
      CHECK(got == SHMD_NIL || got > 0);
    } else if (r < 55) {
      /* MSET of two keys */
      snprintf(k2, sizeof k2, "v:%d", (kidx + 1 + (int)rn(NV - 1)) % NV);
      uint32_t sz2 = 1 + rn(2000);
      make_value(v, sz, w, seq);
      make_value(v2, sz2, w, seq);
      uint32_t at = 4, cnt = 4, l2 = (uint32_t)strlen(k2);
      put32(argv, cnt);
      put32(argv + at, kl), memcpy(argv + at + 4, k, kl), at += 4 + kl;
      put32(argv + at, sz), memcpy(argv + at + 4, v, sz), at += 4 + sz;
      put32(argv + at, l2), memcpy(argv + at + 4, k2, l2), at += 4 + l2;
      put32(argv + at, sz2), memcpy(argv + at + 4, v2, sz2), at += 4 + sz2;
      CHECK(shmd_mset(h, argv, at, 0) == SHMD_OK);
    } else if (r < 60) {
      int got = shmd_getdel(h, (const uint8_t *)k, kl, out, BUFCAP);
      uint32_t bs = 0;
      int bw = 0;
      if (got > 0 && check_value(out, (uint32_t)got, &bs, &bw)) bad("GETDEL %s returned a bad value (%ld bytes)", k, got, 0);
      CHECK(got == SHMD_NIL || got > 0);
    } else if (r < 62) {
      CHECK(tdel(h, k) >= 0);
    } else if (r < 85) {
      /* one record of an r: key, in place */
      int ri = (int)rn(NREC);
      snprintf(k, sizeof k, "r:%d", ri);
      kl = (uint32_t)strlen(k);
      int len = shmd_strlen(h, (const uint8_t *)k, kl);
      CHECK(len >= 0);
      uint32_t nrec = (uint32_t)len / 64;
      if (nrec == 0 || rn(20) == 0) {
        nrec = 1 + rn(64); /* the whole array again, up to 4 KiB */
        for (uint32_t j = 0; j < nrec; j++) make_record(v + 64 * j, w, seq, j);
        CHECK(shmd_set(h, (const uint8_t *)k, kl, v, 64 * nrec, 0, 0, ob, 0) == SHMD_OK);
      } else {
        uint32_t j = rn(nrec);
        make_record(v, w, seq, j);
        CHECK(shmd_setrange(h, (const uint8_t *)k, kl, 64.0 * j, v, 64) >= 64 * (int)(j + 1));
      }
    } else {
      atomic_fetch_add(&S->incr_issued[w], 1);
      int rc = shmd_incrby(h, (const uint8_t *)"ctr", 3, 1, ob, 8);
      CHECK(rc == SHMD_OK);
      if (rc == SHMD_OK) atomic_fetch_add(&S->incr_acked[w], 1);
    }
  }
  free(v), free(v2), free(argv), free(out);
}

/* ---- reader ---- */

static void reader(int h, int id) {
  rs = 0xD1B54A32D192ED03ull ^ ((uint64_t)id << 40) ^ (uint64_t)getpid();
  uint8_t *buf = malloc(BUFCAP), *mb = malloc(3 * BUFCAP);
  int64_t last_ctr = 0;
  uint64_t reads = 0, bytes = 0;
  while (!atomic_load(&S->stop)) {
    uint32_t r = rn(100);
    char k[32];
    uint32_t bs = 0;
    int bw = 0;
    if (r < 50) {
      snprintf(k, sizeof k, "v:%d", (int)rn(NV));
      int n = shmd_get(h, (const uint8_t *)k, (uint32_t)strlen(k), buf, BUFCAP);
      if (n < SHMD_NIL || n > (int)BUFCAP) bad("GET %s -> %ld", k, n, 0);
      const char *why = n > 0 ? check_value(buf, (uint32_t)n, &bs, &bw) : NULL;
      if (why) {
        char m[200];
        snprintf(m, sizeof m, "GET %%s (%%ld bytes): %s (seq %u of writer %d)", why, bs, bw);
        bad(m, k, n, 0);
      }
      if (n > 0) bytes += (uint64_t)n;
    } else if (r < 75) {
      snprintf(k, sizeof k, "r:%d", (int)rn(NREC));
      uint32_t kl = (uint32_t)strlen(k);
      if (rn(2)) {
        int n = shmd_get(h, (const uint8_t *)k, kl, buf, BUFCAP);
        if (n > 0 && n % 64) bad("GET %s: length %ld is not whole records", k, n, 0);
        for (int j = 0; n > 0 && j < n / 64; j++) {
          const char *why = check_record(buf + 64 * j, (uint32_t)j);
          if (why) bad("GET %s: record %ld bad", k, j, 0);
        }
        if (n > 0) bytes += (uint64_t)n;
      } else {
        int len = shmd_strlen(h, (const uint8_t *)k, kl);
        if (len < 0 || len % 64) bad("STRLEN %s = %ld", k, len, 0);
        if (len >= 64) {
          int j = (int)rn((uint32_t)len / 64);
          int n = shmd_getrange(h, (const uint8_t *)k, kl, 64.0 * j, 64.0 * j + 63, buf, BUFCAP);
          /* the key may have shrunk since STRLEN: then a shorter answer */
          if (n == 64 && check_record(buf, (uint32_t)j)) bad("GETRANGE %s record %ld bad", k, j, 0);
          if (n != 64 && n % 64) bad("GETRANGE %s -> %ld bytes", k, n, 0);
        }
      }
    } else if (r < 85) {
      /* MGET of three keys (under the lock) */
      char ks[3][16];
      uint32_t at = 4, cnt = 3;
      put32(mb, cnt);
      for (int j = 0; j < 3; j++) {
        snprintf(ks[j], sizeof ks[j], "v:%d", (int)rn(NV));
        uint32_t l = (uint32_t)strlen(ks[j]);
        put32(mb + at, l), memcpy(mb + at + 4, ks[j], l), at += 4 + l;
      }
      int n = shmd_mget(h, mb, at, buf, BUFCAP);
      if (n < 4 || n > (int)BUFCAP) continue; /* too big for the buffer: fine */
      uint32_t p = 4;
      for (int j = 0; j < 3; j++) {
        int32_t l;
        memcpy(&l, buf + p, 4);
        p += 4;
        if (l > 0) {
          if (check_value(buf + p, (uint32_t)l, &bs, &bw)) bad("MGET %s: bad value of %ld bytes", ks[j], l, 0);
          p += (uint32_t)l;
        }
      }
    } else {
      uint64_t lo = 0, hi = 0;
      for (int w = 0; w < NW; w++) lo += atomic_load(&S->incr_acked[w]);
      int n = shmd_get(h, (const uint8_t *)"ctr", 3, buf, 64);
      for (int w = 0; w < NW; w++) hi += atomic_load(&S->incr_issued[w]);
      int64_t v = 0;
      if (n > 0) {
        buf[n] = 0;
        v = strtoll((char *)buf, NULL, 10);
      }
      if ((uint64_t)v < lo || (uint64_t)v > hi || v < last_ctr) bad("ctr %s = %ld, last %ld", "", v, last_ctr);
      last_ctr = v;
    }
    reads++;
  }
  atomic_fetch_add(&S->reads, reads);
  atomic_fetch_add(&S->checked_bytes, bytes);
  free(buf), free(mb);
}

int main(void) {
  char name[64];
  setvbuf(stdout, NULL, _IOLBF, 0);
  tname(name, sizeof name, "readers");
  int h = topen(name, 256.0 * 1024 * 1024);
  CHECK(h >= 0);
  S = mmap(NULL, sizeof *S, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  CHECK(S != MAP_FAILED);

  TEST("writers of every size and command, lock-free readers checking everything");
  pid_t pw[NW], pr[NR];
  for (int r = 0; r < NR; r++) {
    fflush(stdout);
    if ((pr[r] = fork()) == 0) {
      int hh = shmd_open((const uint8_t *)name, (uint32_t)strlen(name), SHMD_O_READONLY, 0, 0);
      if (hh < 0) _exit(3);
      reader(hh, r);
      _exit(0);
    }
  }
  for (int w = 0; w < NW; w++) {
    fflush(stdout);
    if ((pw[w] = fork()) == 0) {
      int hh = shmd_open((const uint8_t *)name, (uint32_t)strlen(name), 0, 0, 0);
      if (hh < 0) _exit(3);
      writer(hh, w);
      /* the writer's own CHECK failures make it exit non-zero */
      _exit(t_fail ? 1 : 0);
    }
  }
  for (int w = 0; w < NW; w++) {
    int st;
    waitpid(pw[w], &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  }
  atomic_store(&S->stop, 1);
  for (int r = 0; r < NR; r++) {
    int st;
    waitpid(pr[r], &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  }
  uint64_t nbad = atomic_load(&S->bad);
  if (nbad) printf("   %llu bad reads; first: %s\n", (unsigned long long)nbad, S->first_bad);
  CHECK(nbad == 0);
  printf("   %llu reads checked (%.1f MB of values; %llu zero-padded records)\n",
         (unsigned long long)atomic_load(&S->reads), atomic_load(&S->checked_bytes) / 1e6,
         (unsigned long long)atomic_load(&S->zero_records));
  CHECK(atomic_load(&S->reads) > 1000);

  TEST("the counter is exact");
  uint64_t acked = 0;
  for (int w = 0; w < NW; w++) acked += atomic_load(&S->incr_acked[w]);
  uint8_t b[32];
  int n = shmd_get(h, (const uint8_t *)"ctr", 3, b, sizeof b - 1);
  CHECK(n > 0);
  b[n > 0 ? n : 0] = 0;
  printf("   ctr = %s, acknowledged INCRs = %llu\n", (char *)b, (unsigned long long)acked);
  CHECK(strtoull((char *)b, NULL, 10) == acked);
  CHECK(tconsistent(h));
  shmd_close(h);
  shmd_drop((const uint8_t *)name, (uint32_t)strlen(name));
  return tdone("test_readers");
}
