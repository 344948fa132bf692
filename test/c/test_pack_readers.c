/*
 * test_pack_readers.c — lock-free readers of containers while writers change
 * them in place, convert them and delete them: no reader ever crashes, reads
 * out of bounds (the ASan build) or sees an element that was never written.
 *
 * Two writer processes and three reader processes share one dictionary for
 * about two seconds. Writers hammer a few hashes, sets, sorted sets and lists
 * whose sizes wander around the packed bound (128 elements) and whose
 * elements are sometimes longer than 64 bytes, so containers are packed,
 * spliced in place, moved to new blocks, converted to treaps, emptied,
 * deleted and recreated packed, over and over. Every element is
 * self-checking: "<tag><n>:" followed by filler whose letter follows from
 * the element's length (a hash value starts with its field; a sorted-set
 * score is the member's number). Readers run HGETALL, HGET, SMEMBERS,
 * SISMEMBER, ZRANGE WITHSCORES (checking the order too), ZSCORE, ZRANK,
 * LRANGE, LINDEX, HSCAN and the counts without the lock and check every
 * reply. At the end shmd_check is clean.
 */
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include "tcheck.h"
#include "tutil.h"

#define NW 2
#define NR 3
#define NK 4 /* keys of each type */
#define RUN_NS 2000000000LL

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

/* An element "<tag><n>:" + filler of total length len (>= the prefix). */
static uint32_t make_elem(char *buf, char tag, uint32_t n, uint32_t len) {
  int p = snprintf(buf, 32, "%c%u:", tag, n);
  if (len < (uint32_t)p) len = (uint32_t)p;
  for (uint32_t i = (uint32_t)p; i < len; i++) buf[i] = (char)('a' + len % 26);
  return len;
}

/* Is (s, n) a well-formed element of tag? Its number in *num. */
static int elem_ok(const uint8_t *s, uint32_t n, char tag, uint32_t *num) {
  if (n < 3 || s[0] != (uint8_t)tag) return 0;
  uint32_t i = 1, v = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0');
  if (i == 1 || i >= n || s[i] != ':') return 0;
  for (i++; i < n; i++)
    if (s[i] != (uint8_t)('a' + n % 26)) return 0;
  if (num) *num = v;
  return 1;
}

static int H;
static uint8_t out[1 << 20];

static int32_t ex(uint32_t op, uint32_t flags, const double *nums, uint32_t nn, char **a,
                  const uint32_t *al, uint32_t na) {
  static uint8_t argv[1 << 16];
  uint32_t at = 4;
  memcpy(argv, &na, 4);
  for (uint32_t i = 0; i < na; i++) {
    memcpy(argv + at, &al[i], 4);
    memcpy(argv + at + 4, a[i], al[i]);
    at += 4 + al[i];
  }
  return shmd_exec(H, op, argv, at, nums, nn, flags, out, sizeof out);
}

static void writer(int w) {
  rs = 0x9e3779b97f4a7c15ull * (uint64_t)(w + 7);
  char kbuf[4][16], e1[128], e2[128];
  char *a[8];
  uint32_t al[8];
  int64_t end = now_ns() + RUN_NS;
  long writes = 0;
  while (now_ns() < end) {
    int type = (int)rn(4), k = (int)rn(NK);
    writes++;
    snprintf(kbuf[0], 16, "%c:%d", "hszl"[type], k);
    snprintf(kbuf[1], 16, "%c:%d", "hszl"[type], (k + 1) % NK);
    a[0] = kbuf[0];
    al[0] = (uint32_t)strlen(kbuf[0]);
    uint32_t n = rn(150), len = rn(10) == 0 ? 65 + rn(20) : 4 + rn(40);
    double num = (double)n;
    uint32_t r = rn(100);
    if (r < 2) { /* delete: the next write recreates it packed */
      tdel(H, kbuf[0]);
      continue;
    }
    a[1] = e1;
    if (type == 0) {
      al[1] = make_elem(e1, 'f', n, 4 + rn(20));
      al[2] = make_elem(e2, 'f', n, len); /* the value: its field's number */
      a[2] = e2;
      if (r < 60) ex(SHMD_OP_HSET, 0, NULL, 0, a, al, 3);
      else ex(SHMD_OP_HDEL, 0, NULL, 0, a, al, 2);
    } else if (type == 1) {
      al[1] = make_elem(e1, 'm', n, len);
      ex(r < 60 ? SHMD_OP_SADD : SHMD_OP_SREM, 0, NULL, 0, a, al, 2);
    } else if (type == 2) {
      al[1] = make_elem(e1, 'z', n, len);
      if (r < 60) ex(SHMD_OP_ZADD, 0, &num, 1, a, al, 2);
      else if (r < 90) ex(SHMD_OP_ZREM, 0, NULL, 0, a, al, 2);
      else ex(SHMD_OP_ZPOPMIN, 0, (double[]){3}, 1, a, al, 1);
    } else {
      al[1] = make_elem(e1, 'e', n, len);
      if (r < 45) ex(rn(2) ? SHMD_OP_LPUSH : SHMD_OP_RPUSH, 0, NULL, 0, a, al, 2);
      else if (r < 80) ex(rn(2) ? SHMD_OP_LPOP : SHMD_OP_RPOP, 0, NULL, 0, a, al, 1);
      else if (r < 85) ex(SHMD_OP_LSET, 0, (double[]){(double)rn(5)}, 1, a, al, 2);
      else if (r < 90) {
        a[2] = e2;
        al[2] = make_elem(e2, 'e', n + 1, len);
        ex(SHMD_OP_LINSERT, 0, NULL, 0, a, al, 3);
      } else if (r < 95) {
        a[1] = kbuf[1];
        al[1] = (uint32_t)strlen(kbuf[1]);
        ex(SHMD_OP_LMOVE, 0, NULL, 0, a, al, 2);
      } else {
        ex(SHMD_OP_LTRIM, 0, (double[]){(double)rn(3), 100}, 2, a, al, 1);
      }
    }
  }
  printf("   writer %d: %ld writes\n", w, writes);
  fflush(stdout);
}

/* ---- readers: parse and check a reply ---- */

static const uint8_t *rp, *rend;
static int fails;
static void fail(const char *what, const char *key) {
  if (fails++ < 10) printf("   reader: %s on %s\n", what, key);
}
static int tag(uint8_t t) {
  if (rp >= rend || *rp != t) return 0;
  rp++;
  return 1;
}
static int str(const uint8_t **s, uint32_t *n) {
  if (!tag('s') || rend - rp < 4) return 0;
  memcpy(n, rp, 4);
  rp += 4;
  if ((uint64_t)(rend - rp) < *n) return 0;
  *s = rp;
  rp += *n;
  return 1;
}
static int dbl(double *v) {
  if ((!tag('d') && !tag('i')) || rend - rp < 8) return 0;
  memcpy(v, rp, 8);
  rp += 8;
  return 1;
}
static int arr(uint32_t *n) {
  if (!tag('a') || rend - rp < 4) return 0;
  memcpy(n, rp, 4);
  rp += 4;
  return 1;
}

static void check_reply(int type, int op, int32_t rc, const char *key) {
  if (rc < 0) {
    if (rc != SHMD_E_WRONGTYPE) fail("error status", key);
    return;
  }
  rp = out;
  rend = out + rc;
  uint32_t n, sl, num, num2;
  const uint8_t *s, *s2;
  double d, prev = -INFINITY;
  const uint8_t *pm = NULL;
  uint32_t pml = 0;
  if (op == SHMD_OP_HLEN || op == SHMD_OP_ZRANK || op == SHMD_OP_LINDEX || op == SHMD_OP_ZSCORE ||
      op == SHMD_OP_HGET) {
    if (tag('n')) return;
    if (op == SHMD_OP_HGET || op == SHMD_OP_LINDEX) {
      if (!str(&s, &sl) || !elem_ok(s, sl, op == SHMD_OP_HGET ? 'f' : 'e', NULL)) fail("element", key);
    } else if (!dbl(&d) || d < 0 || d > 100000) {
      fail("number", key);
    }
    return;
  }
  if (op == SHMD_OP_HSCAN) {
    if (!arr(&n) || n != 2 || !dbl(&d)) return fail("scan reply", key);
  }
  if (!arr(&n)) return fail("array", key);
  for (uint32_t i = 0; i < n; i++) {
    if (!str(&s, &sl)) return fail("string", key);
    char t = type == 0 ? 'f' : type == 1 ? 'm' : type == 2 ? 'z' : 'e';
    if (!elem_ok(s, sl, t, &num)) return fail("element", key);
    if (type == 0 && (op == SHMD_OP_HGETALL || op == SHMD_OP_HSCAN)) {
      i++;
      if (!str(&s2, &sl) || !elem_ok(s2, sl, 'f', &num2) || num2 != num) return fail("value", key);
    }
    if (type == 2) {
      i++;
      if (!dbl(&d) || d != (double)num) return fail("score", key);
      if (d < prev || (d == prev && pm && memcmp(pm, s, pml < sl ? pml : sl) > 0))
        return fail("order", key);
      prev = d;
      pm = s;
      pml = sl;
    }
  }
  if (rp != rend) fail("trailing bytes", key);
}

static void reader(int id) {
  rs = 0x2545f4914f6cdd1dull * (uint64_t)(id + 3);
  char kb[16], e1[128];
  char *a[4];
  uint32_t al[4];
  int64_t end = now_ns() + RUN_NS;
  long reads = 0;
  while (now_ns() < end) {
    int type = (int)rn(4), k = (int)rn(NK);
    reads++;
    snprintf(kb, 16, "%c:%d", "hszl"[type], k);
    a[0] = kb;
    al[0] = (uint32_t)strlen(kb);
    a[1] = e1;
    uint32_t n = rn(150), r = rn(4);
    int32_t rc;
    if (type == 0) {
      int ops[4] = {SHMD_OP_HGETALL, SHMD_OP_HLEN, SHMD_OP_HSCAN, SHMD_OP_HGETALL};
      if (r == 3) { /* HGET of a field: fields are "f<n>:" + filler, try a short one */
        al[1] = make_elem(e1, 'f', n, 4 + rn(20));
        rc = ex(SHMD_OP_HGET, 0, NULL, 0, a, al, 2);
        check_reply(0, SHMD_OP_HGET, rc, kb);
        continue;
      }
      double sc[2] = {0, 5};
      rc = ex((uint32_t)ops[r], 0, sc, ops[r] == SHMD_OP_HSCAN ? 2 : 0, a, al, 1);
      check_reply(0, ops[r], rc, kb);
    } else if (type == 1) {
      rc = ex(SHMD_OP_SMEMBERS, 0, NULL, 0, a, al, 1);
      check_reply(1, SHMD_OP_SMEMBERS, rc, kb);
    } else if (type == 2) {
      double all[2] = {0, -1};
      if (r < 2) {
        rc = ex(SHMD_OP_ZRANGE, SHMD_F_WITHSCORES, all, 2, a, al, 1);
        check_reply(2, SHMD_OP_ZRANGE, rc, kb);
      } else {
        al[1] = make_elem(e1, 'z', n, 4 + rn(40));
        rc = ex(r == 2 ? SHMD_OP_ZSCORE : SHMD_OP_ZRANK, 0, NULL, 0, a, al, 2);
        check_reply(2, r == 2 ? SHMD_OP_ZSCORE : SHMD_OP_ZRANK, rc, kb);
      }
    } else {
      if (r < 2) {
        double all[2] = {0, -1};
        rc = ex(SHMD_OP_LRANGE, 0, all, 2, a, al, 1);
        check_reply(3, SHMD_OP_LRANGE, rc, kb);
      } else {
        double i = (double)rn(140) - 5;
        rc = ex(SHMD_OP_LINDEX, 0, &i, 1, a, al, 1);
        check_reply(3, SHMD_OP_LINDEX, rc, kb);
      }
    }
  }
  printf("   reader %d: %ld reads, %d bad replies\n", id, reads, fails);
  fflush(stdout);
  _exit(fails ? 1 : 0);
}

int main(void) {
  char name[64];
  tname(name, sizeof name, "pkrd");
  H = topen(name, 64.0 * 1024 * 1024);
  CHECK(H >= 0);
  TEST("lock-free readers of containers being spliced, converted and deleted");
  pid_t pids[NW + NR];
  fflush(stdout);
  for (int i = 0; i < NW + NR; i++) {
    pids[i] = fork();
    if (pids[i] == 0) {
      H = shmd_open((const uint8_t *)name, (uint32_t)strlen(name), 0, 0, 0);
      if (H < 0) _exit(2);
      if (i < NW) {
        writer(i);
        _exit(0);
      }
      reader(i);
    }
  }
  int ok = 1;
  for (int i = 0; i < NW + NR; i++) {
    int st;
    waitpid(pids[i], &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
      printf("   process %d ended with status %d\n", i, st);
      ok = 0;
    }
  }
  CHECK(ok);
  CHECK(tconsistent(H));
  shmd_close(H);
  shmd_drop((const uint8_t *)name, (uint32_t)strlen(name));
  return tdone("test_pack_readers");
}
