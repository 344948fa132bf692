/*
 * test_pack.c — the compact encoding of small containers (pack.c):
 *
 *  - the memory it saves: a 10-field hash, a 10-member set and a 10-member
 *    sorted set take at most half the heap bytes they take as treaps;
 *  - the bounds: 128 elements stay packed, the 129th converts; an element of
 *    64 bytes stays packed, 65 converts (hash fields and values, set and
 *    sorted-set members, list elements; in HSET, HINCRBYFLOAT, LSET, LINSERT,
 *    LMOVE, SMOVE, *STORE); conversion is one way; COPY and RENAME keep it;
 *  - the same answers from both encodings: a randomized differential runs the
 *    same commands on a packed container and on a treap with the same content
 *    (kept a treap by re-converting it whenever it is recreated), comparing
 *    every reply (order-free for hashes and sets) and the whole content.
 */
#include <math.h>
#include <stdlib.h>

#include "internal.h"
#include "tcheck.h"
#include "texec.h"
#include "tutil.h"

static int H;

/* The encoding of key k: ENC_PACK, ENC_TREE, or -1 when absent. */
static int enc_of(const char *k) {
  struct dict *d = api_dict(H);
  struct entry *e;
  uint32_t vl, kl = (uint32_t)strlen(k);
  if (ks_read_find(d, (const uint8_t *)k, kl, ks_hash(d, (const uint8_t *)k, kl), &e, &vl) || !e)
    return -1;
  return e->enc;
}

static double used_bytes(void) {
  double v[SHMD_INFO_COUNT];
  shmd_info(H, (uint8_t *)v, sizeof v);
  return v[SHMD_INFO_USED];
}

/* Run op with args[0..na) and nums; the reply rendered as text (texec.h). */
static char *XV(uint32_t op, uint32_t flags, const double *nums, int nn, char **args, int na) {
  static uint8_t argv[1 << 16], out[1 << 16];
  uint32_t at = 4, n = (uint32_t)na;
  memcpy(argv, &n, 4);
  for (int i = 0; i < na; i++) {
    uint32_t l = (uint32_t)strlen(args[i]);
    memcpy(argv + at, &l, 4);
    memcpy(argv + at + 4, args[i], l);
    at += 4 + l;
  }
  int rc = shmd_exec(H, op, argv, at, nums, (uint32_t)nn, flags, out, sizeof out);
  if (rc < 0) {
    snprintf(tx_text, sizeof tx_text, "E%d", rc);
  } else {
    char *o = tx_text;
    tx_render(out, &o, tx_text + sizeof tx_text);
  }
  return strdup(tx_text);
}

/* Add n elements "<prefix><i>" (hash: value "v<i>"; zset: score i) to k. */
static void fill(int type, const char *k, const char *prefix, int from, int n) {
  for (int i = from; i < from + n; i++) {
    char m[64], v[64];
    snprintf(m, sizeof m, "%s%d", prefix, i);
    snprintf(v, sizeof v, "val:%04d", i); /* 8 bytes for i < 10000 */
    if (type == SHMD_T_HASH) X(H, SHMD_OP_HSET, 0, 0, k, m, v, NULL);
    if (type == SHMD_T_SET) X(H, SHMD_OP_SADD, 0, 0, k, m, NULL);
    if (type == SHMD_T_ZSET) X(H, SHMD_OP_ZADD, 0, 1, (double)i, k, m, NULL);
    if (type == SHMD_T_LIST) X(H, SHMD_OP_RPUSH, 0, 0, k, m, NULL);
  }
}

/* Make k's container a treap with the same content (one way: pad it past the
 * bound, then take the padding out again). */
static void make_tree(int type, const char *k) {
  if (enc_of(k) != ENC_PACK) return;
  fill(type, k, "\x01pad", 0, PACK_MAX_ELEMS + 1);
  for (int i = 0; i <= (int)PACK_MAX_ELEMS; i++) {
    char m[64];
    snprintf(m, sizeof m, "\x01pad%d", i);
    if (type == SHMD_T_HASH) X(H, SHMD_OP_HDEL, 0, 0, k, m, NULL);
    if (type == SHMD_T_SET) X(H, SHMD_OP_SREM, 0, 0, k, m, NULL);
    if (type == SHMD_T_ZSET) X(H, SHMD_OP_ZREM, 0, 0, k, m, NULL);
  }
  if (type == SHMD_T_LIST) X(H, SHMD_OP_RPOP, 0, 1, (double)(PACK_MAX_ELEMS + 1), k, NULL);
}

/* ---- order-free comparison of replies ---- */

static int scmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* An array reply "a[x,y,...]" (no nested arrays, items without ',') with its
 * items grouped by `group` and sorted; other replies unchanged. */
static char *canon(const char *r, int group) {
  size_t n = strlen(r);
  if (group < 1 || n < 3 || strncmp(r, "a[", 2) != 0 || strstr(r + 2, "a[")) return strdup(r);
  char *body = strndup(r + 2, n - 3);
  char **items = calloc(n + 1, sizeof *items);
  int cnt = 0;
  for (char *t = body, *save = NULL; (t = strtok_r(t, ",", &save)); t = NULL) items[cnt++] = t;
  char **groups = calloc((size_t)cnt + 1, sizeof *groups);
  int g = 0;
  for (int i = 0; i + group <= cnt; i += group) {
    size_t len = 2;
    for (int j = 0; j < group; j++) len += strlen(items[i + j]) + 1;
    groups[g] = calloc(len, 1);
    for (int j = 0; j < group; j++) {
      if (j) strcat(groups[g], "|");
      strcat(groups[g], items[i + j]);
    }
    g++;
  }
  qsort(groups, (size_t)g, sizeof *groups, scmp);
  size_t total = 8;
  for (int i = 0; i < g; i++) total += strlen(groups[i]) + 1;
  char *s = calloc(total, 1);
  strcat(s, "a[");
  for (int i = 0; i < g; i++) {
    if (i) strcat(s, ",");
    strcat(s, groups[i]);
    free(groups[i]);
  }
  strcat(s, "]");
  free(groups);
  free(items);
  free(body);
  return s;
}

/* The whole content of k, order-free for hashes and sets. */
static char *content(int type, const char *k) {
  char *a[1] = {(char *)k};
  double all[2] = {0, -1};
  if (type == SHMD_T_HASH) {
    char *r = XV(SHMD_OP_HGETALL, 0, NULL, 0, a, 1), *c = canon(r, 2);
    free(r);
    return c;
  }
  if (type == SHMD_T_SET) {
    char *r = XV(SHMD_OP_SMEMBERS, 0, NULL, 0, a, 1), *c = canon(r, 1);
    free(r);
    return c;
  }
  if (type == SHMD_T_ZSET) return XV(SHMD_OP_ZRANGE, SHMD_F_WITHSCORES, all, 2, a, 1);
  return XV(SHMD_OP_LRANGE, 0, all, 2, a, 1);
}

/* Every item a full SCAN-family iteration returns, sorted and de-duplicated. */
static char *scan_all(uint32_t op, const char *k, int group) {
  char *acc = strdup("");
  double cur = 0;
  for (int rounds = 0; rounds < 1000; rounds++) {
    double nums[2] = {cur, 3};
    char *a[1] = {(char *)k};
    char *r = XV(op, 0, nums, 2, a, 1);
    if (strncmp(r, "a[i:", 4) != 0) {
      free(acc);
      return r;
    }
    cur = strtod(r + 4, NULL);
    char *items = strstr(r + 4, "a[");
    if (items && strlen(items) > 3) {
      items[strlen(items) - 1] = 0; /* the outer ']' */
      char *inner = strndup(items + 2, strlen(items) - 3);
      char *joined = malloc(strlen(acc) + strlen(inner) + 2);
      sprintf(joined, "%s%s%s", acc, *acc ? "," : "", inner);
      free(acc);
      free(inner);
      acc = joined;
    }
    free(r);
    if (cur == 0) break;
  }
  char *wrapped = malloc(strlen(acc) + 4);
  sprintf(wrapped, "a[%s]", acc);
  free(acc);
  char *c = canon(wrapped, group);
  free(wrapped);
  return c;
}

/* ---- the randomized differential ---- */

static uint64_t g_seed = 88172645463325252ull;
static uint32_t rnd(uint32_t n) {
  g_seed ^= g_seed << 13;
  g_seed ^= g_seed >> 7;
  g_seed ^= g_seed << 17;
  return (uint32_t)(g_seed % n);
}

static const char *MEMBERS[] = {"a", "b", "c", "dd", "ee", "f", "gg", "hhh", "i", "j", "kk", ""};
#define NMEM (int)(sizeof MEMBERS / sizeof MEMBERS[0])
static char *rmember(void) { return (char *)MEMBERS[rnd(NMEM)]; }
static char *rvalue(void) {
  static char buf[8][80];
  static int k;
  char *b = buf[k++ & 7];
  int n = rnd(5) == 0 ? (int)rnd(64) + 1 : (int)rnd(8);
  if (rnd(10) == 0) {
    snprintf(b, 80, "%d", (int)rnd(100) - 50);
    return b;
  }
  for (int i = 0; i < n; i++) b[i] = (char)('p' + rnd(10));
  b[n] = 0;
  return b;
}
static double rscore(void) {
  static const double S[] = {-2, -1, 0, 0.5, 1, 1, 2, 3, INFINITY, -INFINITY};
  return S[rnd(10)];
}

struct op_res {
  char *r;
  int group; /* 0: compare exactly; n: order-free in groups of n */
};

/* One random command on key k (the other key of two-key commands is k2). */
static struct op_res random_op(int type, const char *k, const char *k2, uint32_t pick) {
  char *a[16];
  double nums[8];
  int na = 0, nn = 0, group = 0;
  uint32_t op = 0, flags = 0;
  a[na++] = (char *)k;
  if (type == SHMD_T_HASH) {
    switch (pick % 10) {
      case 0: case 1:
        op = SHMD_OP_HSET;
        for (int i = 1 + (int)rnd(3); i > 0; i--) a[na++] = rmember(), a[na++] = rvalue();
        break;
      case 2: op = SHMD_OP_HSETNX; a[na++] = rmember(); a[na++] = rvalue(); break;
      case 3: op = SHMD_OP_HDEL; a[na++] = rmember(); a[na++] = rmember(); break;
      case 4: op = SHMD_OP_HMGET; a[na++] = rmember(); a[na++] = rmember(); a[na++] = rmember(); break;
      case 5: op = SHMD_OP_HINCRBY; a[na++] = rmember(); nums[nn++] = (double)rnd(7) - 3; break;
      case 6: op = SHMD_OP_HINCRBYFLOAT; a[na++] = rmember(); a[na++] = rnd(2) ? "1.5" : "-0.25"; break;
      case 7: op = rnd(2) ? SHMD_OP_HSTRLEN : SHMD_OP_HEXISTS; a[na++] = rmember(); break;
      case 8: op = rnd(2) ? SHMD_OP_HKEYS : SHMD_OP_HVALS; group = 1; break;
      default: op = SHMD_OP_HLEN; break;
    }
  } else if (type == SHMD_T_SET) {
    switch (pick % 8) {
      case 0: case 1: op = SHMD_OP_SADD; a[na++] = rmember(); a[na++] = rmember(); break;
      case 2: op = SHMD_OP_SREM; a[na++] = rmember(); break;
      case 3: op = SHMD_OP_SMISMEMBER; a[na++] = rmember(); a[na++] = rmember(); break;
      case 4: op = SHMD_OP_SISMEMBER; a[na++] = rmember(); break;
      case 5: op = SHMD_OP_SCARD; break;
      case 6: op = SHMD_OP_SMOVE; a[na++] = (char *)k2; a[na++] = rmember(); break;
      default:
        op = rnd(2) ? SHMD_OP_SINTER : rnd(2) ? SHMD_OP_SUNION : SHMD_OP_SDIFF;
        a[na++] = (char *)k2;
        group = 1;
        break;
    }
  } else if (type == SHMD_T_ZSET) {
    static const uint32_t ZF[] = {0, SHMD_F_NX, SHMD_F_XX, SHMD_F_GT, SHMD_F_LT, SHMD_F_CH,
                                  SHMD_F_XX | SHMD_F_CH, SHMD_F_GT | SHMD_F_CH};
    static char *LEX[] = {"-", "+", "[b", "(b", "[dd", "(hhh", "[", "(kk"};
    switch (pick % 12) {
      case 0: case 1:
        op = SHMD_OP_ZADD;
        flags = ZF[rnd(8)];
        for (int i = 1 + (int)rnd(3); i > 0; i--) a[na++] = rmember(), nums[nn++] = rscore();
        break;
      case 2: op = SHMD_OP_ZINCRBY; a[na++] = rmember(); nums[nn++] = rnd(2) ? 1.5 : -1; break;
      case 3: op = SHMD_OP_ZREM; a[na++] = rmember(); a[na++] = rmember(); break;
      case 4: op = SHMD_OP_ZMSCORE; a[na++] = rmember(); a[na++] = rmember(); break;
      case 5:
        op = SHMD_OP_ZRANK;
        flags = (rnd(2) ? SHMD_F_REV : 0) | (rnd(2) ? SHMD_F_WITHSCORES : 0);
        a[na++] = rmember();
        break;
      case 6:
        op = SHMD_OP_ZRANGE;
        flags = (rnd(2) ? SHMD_F_REV : 0) | (rnd(2) ? SHMD_F_WITHSCORES : 0);
        nums[nn++] = (double)rnd(8) - 4;
        nums[nn++] = (double)rnd(8) - 4;
        break;
      case 7:
        op = SHMD_OP_ZRANGE;
        flags = SHMD_F_BYSCORE | (rnd(2) ? SHMD_F_REV : 0) | (rnd(2) ? SHMD_F_WITHSCORES : 0) |
                (rnd(2) ? SHMD_F_MIN_EXCL : 0) | (rnd(2) ? SHMD_F_MAX_EXCL : 0);
        nums[nn++] = rscore();
        nums[nn++] = rscore();
        nums[nn++] = (double)rnd(3);
        nums[nn++] = (double)rnd(5) - 1;
        break;
      case 8:
        op = rnd(2) ? SHMD_OP_ZRANGE : SHMD_OP_ZLEXCOUNT;
        if (op == SHMD_OP_ZRANGE) {
          flags = SHMD_F_BYLEX | (rnd(2) ? SHMD_F_REV : 0);
          nums[nn++] = 0;
          nums[nn++] = -1;
        }
        a[na++] = LEX[rnd(8)];
        a[na++] = LEX[rnd(8)];
        break;
      case 9:
        op = rnd(2) ? SHMD_OP_ZPOPMIN : SHMD_OP_ZPOPMAX;
        nums[nn++] = (double)rnd(3);
        break;
      case 10:
        op = rnd(2) ? SHMD_OP_ZREMRANGEBYRANK : SHMD_OP_ZREMRANGEBYSCORE;
        if (op == SHMD_OP_ZREMRANGEBYRANK) {
          nums[nn++] = (double)rnd(6) - 3;
          nums[nn++] = (double)rnd(6) - 3;
        } else {
          flags = rnd(2) ? SHMD_F_MIN_EXCL : 0;
          nums[nn++] = rscore();
          nums[nn++] = rscore();
        }
        break;
      default:
        op = rnd(2) ? SHMD_OP_ZCOUNT : SHMD_OP_ZCARD;
        if (op == SHMD_OP_ZCOUNT) nums[nn++] = rscore(), nums[nn++] = rscore();
        break;
    }
  } else {
    switch (pick % 12) {
      case 0: case 1:
        op = rnd(2) ? SHMD_OP_LPUSH : SHMD_OP_RPUSH;
        for (int i = 1 + (int)rnd(3); i > 0; i--) a[na++] = rnd(3) ? rmember() : rvalue();
        break;
      case 2:
        op = rnd(2) ? SHMD_OP_LPOP : SHMD_OP_RPOP;
        if (rnd(2)) nums[nn++] = (double)rnd(4);
        break;
      case 3:
        op = SHMD_OP_LINSERT;
        flags = rnd(2) ? SHMD_F_BEFORE : 0;
        a[na++] = rmember();
        a[na++] = rvalue();
        break;
      case 4: op = SHMD_OP_LREM; a[na++] = rmember(); nums[nn++] = (double)rnd(5) - 2; break;
      case 5: op = SHMD_OP_LTRIM; nums[nn++] = (double)rnd(4) - 1; nums[nn++] = (double)rnd(30) - 3; break;
      case 6: op = SHMD_OP_LSET; a[na++] = rvalue(); nums[nn++] = (double)rnd(8) - 4; break;
      case 7: op = SHMD_OP_LINDEX; nums[nn++] = (double)rnd(10) - 5; break;
      case 8:
        op = SHMD_OP_LPOS;
        a[na++] = rmember();
        nums[nn++] = rnd(2) ? 1 : -1 - (double)rnd(2);
        nums[nn++] = (double)rnd(3) - 1;
        nums[nn++] = (double)rnd(4);
        break;
      case 9:
        op = SHMD_OP_LMOVE;
        a[na++] = (char *)(rnd(3) ? k2 : k);
        flags = (rnd(2) ? SHMD_F_FROM_RIGHT : 0) | (rnd(2) ? SHMD_F_TO_RIGHT : 0);
        break;
      case 10: op = SHMD_OP_LRANGE; nums[nn++] = (double)rnd(6) - 3; nums[nn++] = (double)rnd(6) - 2; break;
      default: op = SHMD_OP_LLEN; break;
    }
  }
  struct op_res res = {XV(op, flags, nums, nn, a, na), group};
  return res;
}

/* The same random commands on a packed container (p, p2) and a treap (t, t2). */
static void differential(int type, const char *name, int steps) {
  char p[32], p2[32], t[32], t2[32];
  snprintf(p, sizeof p, "%s:p", name);
  snprintf(p2, sizeof p2, "%s:p2", name);
  snprintf(t, sizeof t, "%s:t", name);
  snprintf(t2, sizeof t2, "%s:t2", name);
  int mismatches = 0, packed_seen = 0, tree_seen = 0;
  for (int s = 0; s < steps && mismatches < 5; s++) {
    uint32_t pick = rnd(1000);
    uint64_t seed = g_seed;
    struct op_res a = random_op(type, p, p2, pick);
    g_seed = seed; /* the same choices for the treap */
    struct op_res b = random_op(type, t, t2, pick);
    char *ca = canon(a.r, a.group), *cb = canon(b.r, b.group);
    if (strcmp(ca, cb) != 0) {
      printf("   step %d: packed %s\n   step %d: treap  %s\n", s, a.r, s, b.r);
      mismatches++;
    }
    free(ca), free(cb), free(a.r), free(b.r);
    make_tree(type, t);
    make_tree(type, t2);
    packed_seen += enc_of(p) == ENC_PACK;
    tree_seen += enc_of(t) == ENC_TREE;
    const char *pairs[2][2] = {{p, t}, {p2, t2}};
    for (int i = 0; i < 2; i++) {
      char *x = content(type, pairs[i][0]), *y = content(type, pairs[i][1]);
      if (strcmp(x, y) != 0) {
        printf("   step %d: content differs:\n   packed %s\n   treap  %s\n", s, x, y);
        mismatches++;
      }
      free(x), free(y);
    }
    if (type != SHMD_T_LIST && s % 50 == 0) {
      uint32_t sop = type == SHMD_T_HASH ? SHMD_OP_HSCAN : type == SHMD_T_SET ? SHMD_OP_SSCAN
                                                                               : SHMD_OP_ZSCAN;
      char *x = scan_all(sop, p, type == SHMD_T_SET ? 1 : 2);
      char *y = scan_all(sop, t, type == SHMD_T_SET ? 1 : 2);
      if (strcmp(x, y) != 0) {
        printf("   step %d: scans differ:\n   packed %s\n   treap  %s\n", s, x, y);
        mismatches++;
      }
      free(x), free(y);
    }
  }
  printf("   %s: %d steps, packed at %d, treap at %d\n", name, steps, packed_seen, tree_seen);
  CHECK(mismatches == 0);
  CHECK(packed_seen > steps / 2 && tree_seen > steps / 2);
  CHECK(tconsistent(H));
}

/* ---- the bounds ---- */

static void bounds(int type, const char *k) {
  char big[PACK_MAX_BYTES + 2];
  fill(type, k, "m", 0, (int)PACK_MAX_ELEMS - 1);
  CHECK(enc_of(k) == ENC_PACK);
  fill(type, k, "m", (int)PACK_MAX_ELEMS - 1, 1); /* 128 */
  CHECK(enc_of(k) == ENC_PACK);
  fill(type, k, "m", (int)PACK_MAX_ELEMS, 1); /* 129 */
  CHECK(enc_of(k) == ENC_TREE);
  char *a[1] = {(char *)k};
  char *r = XV(type == SHMD_T_HASH ? SHMD_OP_HLEN : type == SHMD_T_SET ? SHMD_OP_SCARD
               : type == SHMD_T_ZSET ? SHMD_OP_ZCARD : SHMD_OP_LLEN, 0, NULL, 0, a, 1);
  CHECK(strcmp(r, "i:129") == 0);
  free(r);
  tdel(H, k);
  /* an element of 64 bytes stays packed; 65 converts */
  memset(big, 'q', sizeof big);
  big[PACK_MAX_BYTES] = 0;
  fill(type, k, "m", 0, 3);
  if (type == SHMD_T_HASH) X(H, SHMD_OP_HSET, 0, 0, k, big, big, NULL);
  if (type == SHMD_T_SET) X(H, SHMD_OP_SADD, 0, 0, k, big, NULL);
  if (type == SHMD_T_ZSET) X(H, SHMD_OP_ZADD, 0, 1, 1.0, k, big, NULL);
  if (type == SHMD_T_LIST) X(H, SHMD_OP_RPUSH, 0, 0, k, big, NULL);
  CHECK(enc_of(k) == ENC_PACK);
  big[PACK_MAX_BYTES] = 'q';
  big[PACK_MAX_BYTES + 1] = 0;
  if (type == SHMD_T_HASH) X(H, SHMD_OP_HSET, 0, 0, k, "m1", big, NULL); /* a value grows */
  if (type == SHMD_T_SET) X(H, SHMD_OP_SADD, 0, 0, k, big, NULL);
  if (type == SHMD_T_ZSET) X(H, SHMD_OP_ZADD, 0, 1, 1.0, k, big, NULL);
  if (type == SHMD_T_LIST) X(H, SHMD_OP_LSET, 0, 1, 1.0, k, big, NULL);
  CHECK(enc_of(k) == ENC_TREE);
  /* one way: emptied down to one element, still a treap */
  if (type == SHMD_T_HASH) X(H, SHMD_OP_HDEL, 0, 0, k, "m0", "m2", NULL);
  if (type == SHMD_T_SET) X(H, SHMD_OP_SREM, 0, 0, k, "m0", "m2", big, NULL);
  if (type == SHMD_T_ZSET) X(H, SHMD_OP_ZREM, 0, 0, k, "m0", "m2", big, NULL);
  if (type == SHMD_T_LIST) X(H, SHMD_OP_LTRIM, 0, 2, 0.0, 0.0, k, NULL);
  CHECK(enc_of(k) == ENC_TREE);
  CHECK(tconsistent(H));
  tdel(H, k);
}

int main(void) {
  char name[64];
  tname(name, sizeof name, "pack");
  H = topen(name, 64.0 * 1024 * 1024);
  CHECK(H >= 0);

  TEST("memory: 10 small elements take at most half the bytes of a treap");
  {
    const int types[3] = {SHMD_T_HASH, SHMD_T_SET, SHMD_T_ZSET};
    const char *names[3] = {"hash", "set", "zset"};
    for (int i = 0; i < 3; i++) {
      char kp[32], kt[32];
      snprintf(kp, sizeof kp, "mem:%s:p", names[i]);
      snprintf(kt, sizeof kt, "mem:%s:t", names[i]);
      double u0 = used_bytes();
      fill(types[i], kp, "field:0", 0, 10); /* 8-byte fields and members, 8-byte values */
      double packed = used_bytes() - u0;
      CHECK(enc_of(kp) == ENC_PACK);
      u0 = used_bytes();
      fill(types[i], kt, "field:0", 0, 10);
      make_tree(types[i], kt);
      double tree = used_bytes() - u0;
      CHECK(enc_of(kt) == ENC_TREE);
      char *x = content(types[i], kp), *y = content(types[i], kt);
      CHECK(strcmp(x, y) == 0);
      free(x), free(y);
      printf("   %-4s of 10: packed %4.0f bytes (%5.1f/element), treap %4.0f bytes (%5.1f/element), "
             "ratio %.2f\n",
             names[i], packed, packed / 10, tree, tree / 10, packed / tree);
      CHECK(packed * 2 <= tree);
    }
    CHECK(tconsistent(H));
  }

  TEST("bounds: 127, 128 packed; 129 a treap; 64-byte elements packed, 65 a treap; one way");
  bounds(SHMD_T_HASH, "b:hash");
  bounds(SHMD_T_SET, "b:set");
  bounds(SHMD_T_ZSET, "b:zset");
  bounds(SHMD_T_LIST, "b:list");
  {
    char big[80];
    memset(big, 'w', 70);
    big[70] = 0;
    X(H, SHMD_OP_HSET, 0, 0, "b:h", "f", "1", NULL);
    X(H, SHMD_OP_HINCRBYFLOAT, 0, 0, "b:h", "f", "1e60", NULL); /* a 61-byte result */
    CHECK(enc_of("b:h") == ENC_PACK);
    X(H, SHMD_OP_HINCRBYFLOAT, 0, 0, "b:h", "f", "1e70", NULL); /* 71 bytes */
    CHECK(enc_of("b:h") == ENC_TREE);
    X(H, SHMD_OP_RPUSH, 0, 0, "b:l", "a", "b", NULL);
    X(H, SHMD_OP_LINSERT, 0, 0, "b:l", "a", big, NULL);
    CHECK(enc_of("b:l") == ENC_TREE);
    IS(X(H, SHMD_OP_LINDEX, 0, 1, 1.0, "b:l", NULL), "s:wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww");
    /* LMOVE and SMOVE of a long element into a packed container convert it */
    X(H, SHMD_OP_RPUSH, 0, 0, "b:l2", "x", NULL);
    X(H, SHMD_OP_LMOVE, 0, 0, "b:l", "b:l2", NULL); /* moves "a" */
    CHECK(enc_of("b:l2") == ENC_PACK);
    X(H, SHMD_OP_LMOVE, 0, 0, "b:l", "b:l2", NULL); /* moves the long one */
    CHECK(enc_of("b:l2") == ENC_TREE);
    IS(X(H, SHMD_OP_LLEN, 0, 0, "b:l2", NULL), "i:3");
    X(H, SHMD_OP_SADD, 0, 0, "b:s", big, "y", NULL);
    X(H, SHMD_OP_SADD, 0, 0, "b:s2", "z", NULL);
    X(H, SHMD_OP_SMOVE, 0, 0, "b:s", "b:s2", big, NULL);
    CHECK(enc_of("b:s2") == ENC_TREE);
    /* *STORE: a small result packed, a large one a treap */
    fill(SHMD_T_SET, "b:s3", "m", 0, 100);
    fill(SHMD_T_SET, "b:s4", "m", 50, 100);
    CHECK(enc_of("b:s3") == ENC_PACK);
    IS(X(H, SHMD_OP_SINTERSTORE, 0, 0, "b:d", "b:s3", "b:s4", NULL), "i:50");
    CHECK(enc_of("b:d") == ENC_PACK);
    IS(X(H, SHMD_OP_SUNIONSTORE, 0, 0, "b:d", "b:s3", "b:s4", NULL), "i:150");
    CHECK(enc_of("b:d") == ENC_TREE);
    IS(X(H, SHMD_OP_SDIFFSTORE, 0, 0, "b:d", "b:s3", "b:s4", NULL), "i:50");
    CHECK(enc_of("b:d") == ENC_PACK);
    /* COPY and RENAME keep the encoding and the content */
    CHECK(shmd_copy(H, (const uint8_t *)"b:d", 3, (const uint8_t *)"b:d2", 4, 0) == 1);
    CHECK(enc_of("b:d2") == ENC_PACK);
    char *x = content(SHMD_T_SET, "b:d"), *y = content(SHMD_T_SET, "b:d2");
    CHECK(strcmp(x, y) == 0);
    free(y);
    CHECK(shmd_rename(H, (const uint8_t *)"b:d", 3, (const uint8_t *)"b:d3", 4, 0) == 0);
    CHECK(enc_of("b:d3") == ENC_PACK);
    y = content(SHMD_T_SET, "b:d3");
    CHECK(strcmp(x, y) == 0);
    free(x), free(y);
    X(H, SHMD_OP_SADD, 0, 0, "b:d2", "new", NULL); /* the copy is its own block */
    IS(X(H, SHMD_OP_SCARD, 0, 0, "b:d3", NULL), "i:50");
    CHECK(tconsistent(H));
    /* the 128 elements a packed container can hold, with 64-byte elements */
    char m[PACK_MAX_BYTES + 1];
    for (int i = 0; i < (int)PACK_MAX_ELEMS; i++) {
      char num[16];
      memset(m, 'a' + i % 26, PACK_MAX_BYTES);
      snprintf(num, sizeof num, "%06d", i);
      memcpy(m, num, 6);
      m[PACK_MAX_BYTES] = 0;
      X(H, SHMD_OP_HSET, 0, 0, "b:full", m, m, NULL);
    }
    CHECK(enc_of("b:full") == ENC_PACK);
    IS(X(H, SHMD_OP_HLEN, 0, 0, "b:full", NULL), "i:128");
    CHECK(tconsistent(H));
    shmd_flushall(H);
  }

  TEST("the same answers from both encodings (randomized differential)");
  differential(SHMD_T_HASH, "dh", 4000);
  differential(SHMD_T_SET, "ds", 4000);
  differential(SHMD_T_ZSET, "dz", 4000);
  differential(SHMD_T_LIST, "dl", 4000);

  shmd_close(H);
  shmd_drop((const uint8_t *)name, (uint32_t)strlen(name));
  return tdone("test_pack");
}
