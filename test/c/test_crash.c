/*
 * test_crash.c — exhaustive crash points. For every kind of write command
 * (including a rehash step, allocator split and merge, lazy and active expiry,
 * FLUSHALL), a child process runs the command with shmd_crash_countdown = k and
 * dies by SIGKILL right before its k-th journaled change, for k = 1, 2, ...
 * until the command completes. After each death the next writer recovers the
 * segment; the check must pass and the dictionary must hold exactly the state
 * from before the command (a command that died was never committed), down to
 * each container's encoding. When the child finally completes, the state must
 * be the one the command produces.
 *
 * The container commands run twice: on small containers (packed, pack.c) and
 * on the same content as treaps; then commands at and across the packed
 * bounds (127 -> 128 -> 129 elements, an element growing past 64 bytes, moves
 * between a packed and a treap container, a transaction that converts).
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include "internal.h"
#include "tcheck.h"
#include "texec.h"
#include "tutil.h"

extern long shmd_crash_countdown;

static int H;
static char big[3000];

/* The encoding of a container key (ENC_PACK or ENC_TREE), -1 if absent. */
static int enc_of(const uint8_t *k, uint32_t kl) {
  struct dict *d = api_dict(H);
  struct entry *e;
  uint32_t vl;
  if (ks_read_find(d, k, kl, ks_hash(d, k, kl), &e, &vl) || !e) return -1;
  return e->enc;
}
static int enc_s(const char *k) { return enc_of((const uint8_t *)k, (uint32_t)strlen(k)); }

/* A canonical text of the whole dictionary: sorted "key=value@deadline" lines
 * (a container's value: its type, encoding and whole content). */
static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static char *snapshot(void) {
  static uint8_t kb[1 << 20];
  int n = shmd_keys(H, (const uint8_t *)"*", 1, kb, sizeof kb);
  if (n < 4) return strdup("?");
  uint32_t cnt;
  memcpy(&cnt, kb, 4);
  char **lines = calloc(cnt + 1, sizeof *lines);
  uint32_t at = 4;
  size_t total = 1;
  for (uint32_t i = 0; i < cnt; i++) {
    int32_t l;
    memcpy(&l, kb + at, 4);
    const uint8_t *k = kb + at + 4;
    at += 4 + (uint32_t)l;
    static uint8_t v[1 << 16];
    int vl = shmd_get(H, k, (uint32_t)l, v, sizeof v);
    if (vl == SHMD_E_WRONGTYPE) { /* a container: its whole content, in tree order */
      char kz[256];
      snprintf(kz, sizeof kz, "%.*s", l, (const char *)k);
      int t = shmd_type(H, k, (uint32_t)l);
      const char *r = t == SHMD_T_HASH   ? X(H, SHMD_OP_HGETALL, 0, 0, kz, NULL)
                      : t == SHMD_T_SET  ? X(H, SHMD_OP_SMEMBERS, 0, 0, kz, NULL)
                      : t == SHMD_T_ZSET ? X(H, SHMD_OP_ZRANGE, SHMD_F_WITHSCORES, 2, 0.0, -1.0, kz, NULL)
                                         : X(H, SHMD_OP_LRANGE, 0, 2, 0.0, -1.0, kz, NULL);
      vl = snprintf((char *)v, sizeof v, "%d/enc%d%s", t, enc_of(k, (uint32_t)l), r);
    }
    double dl = 0;
    shmd_ttl(H, k, (uint32_t)l, SHMD_TTLQ_MS | SHMD_TTLQ_AT, (uint8_t *)&dl, 8);
    size_t sz = (size_t)l + (vl > 0 ? (size_t)vl : 0) + 64;
    lines[i] = malloc(sz);
    int w = snprintf(lines[i], sz, "%.*s=%d:", l, (const char *)k, vl);
    if (vl > 0) memcpy(lines[i] + w, v, (size_t)vl), w += vl;
    snprintf(lines[i] + w, sz - (size_t)w, "@%.0f", dl);
    total += strlen(lines[i]) + 1;
  }
  qsort(lines, cnt, sizeof *lines, cmp);
  char *s = malloc(total + 32);
  s[0] = 0;
  for (uint32_t i = 0; i < cnt; i++) {
    strcat(s, lines[i]);
    strcat(s, "\n");
    free(lines[i]);
  }
  free(lines);
  return s;
}

static int set(const char *k, const void *v, uint32_t vl, uint32_t flags, double ttl) {
  uint8_t out[8];
  return shmd_set(H, (const uint8_t *)k, (uint32_t)strlen(k), v, vl, flags, ttl, out, 0);
}
static int sets(const char *k, const char *v) { return set(k, v, (uint32_t)strlen(v), 0, 0); }

static uint32_t argv_of(uint8_t *buf, const char **items, uint32_t n) {
  uint32_t at = 4;
  memcpy(buf, &n, 4);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t l = (uint32_t)strlen(items[i]);
    memcpy(buf + at, &l, 4);
    memcpy(buf + at + 4, items[i], l);
    at += 4 + l;
  }
  return at;
}

/* ---- the commands ---- */
static uint8_t ob[8192];
static void c_set_new(void) { sets("new-key", "fresh value"); }
static void c_set_inplace(void) { sets("s1", "same-size!"); }
static void c_set_grow(void) { set("s1", big, sizeof big, 0, 0); }
static void c_set_ex(void) { set("s2", "v", 1, SHMD_TTL_EX, 100); }
static void c_set_get(void) { shmd_set(H, (const uint8_t *)"s1", 2, (const uint8_t *)"x", 1, SHMD_SET_GET, 0, ob, sizeof ob); }
static void c_del(void) { tdel(H, "s1"); }
static void c_del_many(void) {
  const char *k[] = {"a0", "a1", "a2", "a3", "s1"};
  uint8_t b[256];
  shmd_del(H, b, argv_of(b, k, 5));
}
static void c_mset(void) {
  const char *k[] = {"m1", "v1", "s1", "v2", "m3", "v3"};
  uint8_t b[256];
  shmd_mset(H, b, argv_of(b, k, 6), 0);
}
/* s1 moves to a bigger block; m2 then reuses s1's old block in the same command */
static void c_mset_reuse(void) {
  static char v300[301];
  memset(v300, 'r', 300);
  const char *k[] = {"s1", v300, "m2", "short val!"};
  uint8_t b[512];
  shmd_mset(H, b, argv_of(b, k, 4), 0);
}
static void c_msetnx(void) {
  const char *k[] = {"n1", "v1", "n2", "v2"};
  uint8_t b[256];
  shmd_mset(H, b, argv_of(b, k, 4), 1);
}
static void c_append_inplace(void) { shmd_append(H, (const uint8_t *)"s1", 2, (const uint8_t *)"+", 1); }
static void c_append_grow(void) { shmd_append(H, (const uint8_t *)"s1", 2, (const uint8_t *)big, 500); }
static void c_setrange(void) { shmd_setrange(H, (const uint8_t *)"s1", 2, 40, (const uint8_t *)"xyz", 3); }
static void c_incr(void) { shmd_incrby(H, (const uint8_t *)"cnt", 3, 7, ob, 8); }
static void c_incrbyfloat(void) { shmd_incrbyfloat(H, (const uint8_t *)"flt", 3, (const uint8_t *)"0.5", 3, ob, sizeof ob); }
static void c_getdel(void) { shmd_getdel(H, (const uint8_t *)"s1", 2, ob, sizeof ob); }
static void c_getex(void) { shmd_getex(H, (const uint8_t *)"s1", 2, SHMD_TTL_PX, 100000, ob, sizeof ob); }
static void c_expire(void) { shmd_expire(H, (const uint8_t *)"s1", 2, 50, 0); }
static void c_expire_past(void) { shmd_expire(H, (const uint8_t *)"s1", 2, -1, 0); }
static void c_persist(void) { shmd_persist(H, (const uint8_t *)"ttl1", 4); }
static void c_rename(void) { shmd_rename(H, (const uint8_t *)"s1", 2, (const uint8_t *)"a1", 2, 0); }
static void c_copy_cmd(void) { shmd_copy(H, (const uint8_t *)"s1", 2, (const uint8_t *)"cp", 2, 1); }
static void c_flushall(void) { shmd_flushall(H); }

/* containers */
static void c_hset(void) { X(H, SHMD_OP_HSET, 0, 0, "h", "f1", "new", "fx", "added", NULL); }
static void c_hdel(void) { X(H, SHMD_OP_HDEL, 0, 0, "h", "f2", "f3", NULL); }
static void c_hincr(void) { X(H, SHMD_OP_HINCRBY, 0, 1, 3.0, "h", "n", NULL); }
static void c_hdel_all(void) { X(H, SHMD_OP_HDEL, 0, 0, "h", "f1", "f2", "f3", "f4", "n", NULL); }
static void c_sadd(void) { X(H, SHMD_OP_SADD, 0, 0, "s", "x", "y", "m1", NULL); }
static void c_srem(void) { X(H, SHMD_OP_SREM, 0, 0, "s", "m1", "m4", NULL); }
static void c_spop(void) { X(H, SHMD_OP_SPOP, 0, 1, 2.0, "s", NULL); }
static void c_smove(void) { X(H, SHMD_OP_SMOVE, 0, 0, "s", "s2", "m2", NULL); }
static void c_sstore(void) { X(H, SHMD_OP_SUNIONSTORE, 0, 0, "s", "s", "s2", NULL); }
static void c_zadd(void) { X(H, SHMD_OP_ZADD, 0, 2, 9.0, 0.5, "z", "a", "new", NULL); }
static void c_zincr(void) { X(H, SHMD_OP_ZINCRBY, 0, 1, 10.0, "z", "b", NULL); }
static void c_zrem(void) { X(H, SHMD_OP_ZREM, 0, 0, "z", "c", NULL); }
static void c_zpop(void) { X(H, SHMD_OP_ZPOPMIN, 0, 1, 2.0, "z", NULL); }
static void c_zremrange(void) { X(H, SHMD_OP_ZREMRANGEBYSCORE, 0, 2, 2.0, 4.0, "z", NULL); }
static void c_lpush(void) { X(H, SHMD_OP_LPUSH, 0, 0, "l", "p1", "p2", NULL); }
static void c_rpop(void) { X(H, SHMD_OP_RPOP, 0, 1, 2.0, "l", NULL); }
static void c_lrem(void) { X(H, SHMD_OP_LREM, 0, 1, 0.0, "l", "e2", NULL); }
static void c_ltrim(void) { X(H, SHMD_OP_LTRIM, 0, 2, 1.0, 2.0, "l", NULL); }
static void c_lmove(void) { X(H, SHMD_OP_LMOVE, SHMD_F_FROM_RIGHT, 0, "l", "l2", NULL); }
static void c_linsert(void) { X(H, SHMD_OP_LINSERT, SHMD_F_BEFORE, 0, "l", "e3", "ins", NULL); }
static void c_lset(void) { X(H, SHMD_OP_LSET, 0, 1, 1.0, "l", "set", NULL); }
static void c_del_cont(void) {
  const char *k[] = {"h", "z", "l"};
  uint8_t b[256];
  shmd_del(H, b, argv_of(b, k, 3));
}
static void c_copy_cont(void) { shmd_copy(H, (const uint8_t *)"z", 1, (const uint8_t *)"z2", 2, 0); }
static void c_rename_cont(void) { shmd_rename(H, (const uint8_t *)"h", 1, (const uint8_t *)"s1", 2, 0); }
static void c_txn(void) {
  shmd_txn_begin(H);
  X(H, SHMD_OP_HSET, 0, 0, "h", "t", "x", NULL);
  X(H, SHMD_OP_LPUSH, 0, 0, "s", "wrongtype", NULL); /* fails alone */
  X(H, SHMD_OP_ZADD, 0, 1, 7.0, "z", "t", NULL);
  tdel(H, "s1");
  shmd_txn_end(H, 1);
}

/* Commands at and across the packed bounds (base_bounds() builds the keys). */
static char long65[66], long64[65];
static void c_hset_127_128(void) { X(H, SHMD_OP_HSET, 0, 0, "h127", "new", "v", NULL); }
static void c_hset_128_129(void) { X(H, SHMD_OP_HSET, 0, 0, "h128", "new", "v", NULL); }
static void c_hset_grow_value(void) { X(H, SHMD_OP_HSET, 0, 0, "h", "f2", long65, NULL); }
static void c_hset_64(void) { X(H, SHMD_OP_HSET, 0, 0, "h", long64, long64, NULL); }
static void c_sadd_128_129(void) { X(H, SHMD_OP_SADD, 0, 0, "s128", "new", NULL); }
static void c_zadd_128_129(void) { X(H, SHMD_OP_ZADD, 0, 1, 0.5, "z128", "new", NULL); }
static void c_zadd_long(void) { X(H, SHMD_OP_ZADD, 0, 1, 0.5, "z", long65, NULL); }
static void c_rpush_128_129(void) { X(H, SHMD_OP_RPUSH, 0, 0, "l128", "new", NULL); }
static void c_lset_long(void) { X(H, SHMD_OP_LSET, 0, 1, 2.0, "l", long65, NULL); }
static void c_lmove_full(void) { X(H, SHMD_OP_LMOVE, 0, 0, "l", "l128", NULL); }
static void c_lmove_to_tree(void) { X(H, SHMD_OP_LMOVE, 0, 0, "l", "l129", NULL); }
static void c_lmove_from_tree(void) { X(H, SHMD_OP_LMOVE, SHMD_F_FROM_RIGHT, 0, "l129", "l", NULL); }
static void c_smove_to_tree(void) { X(H, SHMD_OP_SMOVE, 0, 0, "s", "s129", "m1", NULL); }
static void c_smove_from_tree(void) { X(H, SHMD_OP_SMOVE, 0, 0, "s129", "s", "t7", NULL); }
static void c_sinterstore(void) { X(H, SHMD_OP_SINTERSTORE, 0, 0, "dst", "s", "s128", NULL); }
static void c_zpopmax_all(void) { X(H, SHMD_OP_ZPOPMAX, 0, 1, 9.0, "z", NULL); }
static void c_txn_convert(void) {
  shmd_txn_begin(H);
  X(H, SHMD_OP_HSET, 0, 0, "h128", "t1", "x", NULL); /* converts */
  X(H, SHMD_OP_RPUSH, 0, 0, "l", "t2", NULL);
  X(H, SHMD_OP_SREM, 0, 0, "s", "m1", "m2", NULL);
  X(H, SHMD_OP_ZADD, 0, 1, 7.0, "z", long65, NULL); /* converts */
  shmd_txn_end(H, 1);
}

struct cmd {
  const char *name;
  void (*fn)(void);
};

static const struct cmd bound_cmds[] = {
    {"hset 127 -> 128 fields", c_hset_127_128},   {"hset 128 -> 129 (converts)", c_hset_128_129},
    {"hset value past 64 B (converts)", c_hset_grow_value}, {"hset 64-byte field", c_hset_64},
    {"sadd 128 -> 129 (converts)", c_sadd_128_129}, {"zadd 128 -> 129 (converts)", c_zadd_128_129},
    {"zadd 65-byte member (converts)", c_zadd_long}, {"rpush 128 -> 129 (converts)", c_rpush_128_129},
    {"lset 65 bytes (converts)", c_lset_long},    {"lmove into 128 (converts)", c_lmove_full},
    {"lmove packed -> treap", c_lmove_to_tree},   {"lmove treap -> packed", c_lmove_from_tree},
    {"smove packed -> treap", c_smove_to_tree},   {"smove treap -> packed", c_smove_from_tree},
    {"sinterstore (packed result)", c_sinterstore}, {"zpopmax emptying", c_zpopmax_all},
    {"a transaction converting", c_txn_convert},
};

static const struct cmd cmds[] = {
    {"set new key", c_set_new},         {"set in place", c_set_inplace},
    {"set grows (realloc)", c_set_grow}, {"set ex", c_set_ex},
    {"set get", c_set_get},             {"del (merge)", c_del},
    {"del many", c_del_many},           {"mset", c_mset},
    {"mset reusing a block", c_mset_reuse}, {"msetnx", c_msetnx},               {"append in place", c_append_inplace},
    {"append grows", c_append_grow},    {"setrange", c_setrange},
    {"incr", c_incr},                   {"incrbyfloat", c_incrbyfloat},
    {"getdel", c_getdel},               {"getex", c_getex},
    {"expire", c_expire},               {"expire in the past", c_expire_past},
    {"persist", c_persist},             {"rename", c_rename},
    {"copy", c_copy_cmd},                   {"flushall", c_flushall},
    {"hset", c_hset},                   {"hdel", c_hdel},
    {"hincrby", c_hincr},               {"hdel emptying the hash", c_hdel_all},
    {"sadd", c_sadd},                   {"srem", c_srem},
    {"spop", c_spop},                   {"smove", c_smove},
    {"sunionstore", c_sstore},          {"zadd", c_zadd},
    {"zincrby", c_zincr},               {"zrem", c_zrem},
    {"zpopmin", c_zpop},                {"zremrangebyscore", c_zremrange},
    {"lpush", c_lpush},                 {"rpop", c_rpop},
    {"lrem", c_lrem},                   {"ltrim", c_ltrim},
    {"lmove", c_lmove},                 {"linsert", c_linsert},
    {"lset", c_lset},                   {"del of containers", c_del_cont},
    {"copy of a sorted set", c_copy_cont}, {"rename of a hash", c_rename_cont},
    {"a transaction (exec)", c_txn},
};

/* Base state: a few strings, counters, keys with deadlines, fragmented heap. */
static void base(int extra) {
  shmd_flushall(H);
  for (int i = 0; i < 8; i++) {
    char k[16];
    snprintf(k, sizeof k, "a%d", i);
    set(k, big, 100 + (uint32_t)i * 300, 0, 0);
  }
  tdel(H, "a4"); /* free blocks between live ones: splits and merges */
  tdel(H, "a6");
  sets("s1", "some value");
  sets("cnt", "41");
  sets("flt", "1.25");
  set("ttl1", "t", 1, SHMD_TTL_EX, 1000);
  X(H, SHMD_OP_HSET, 0, 0, "h", "f1", "v1", "f2", "v2", "f3", "v3", "f4", "v4", "n", "5", NULL);
  X(H, SHMD_OP_SADD, 0, 0, "s", "m1", "m2", "m3", "m4", "m5", NULL);
  X(H, SHMD_OP_SADD, 0, 0, "s2", "m9", NULL);
  X(H, SHMD_OP_ZADD, 0, 5, 1.0, 2.0, 3.0, 4.0, 5.0, "z", "a", "b", "c", "d", "e", NULL);
  X(H, SHMD_OP_RPUSH, 0, 0, "l", "e1", "e2", "e3", "e2", "e5", NULL);
  for (int i = 0; i < extra; i++) {
    char k[24];
    snprintf(k, sizeof k, "fill:%d", i);
    sets(k, "f");
  }
}

/* Turn container k (of the base) into a treap with the same content: pad it
 * past the packed bounds, then remove the padding (conversion is one way). */
static void treeify(int type, const char *k) {
  char m[32];
  for (int i = 0; i <= (int)PACK_MAX_ELEMS; i++) {
    snprintf(m, sizeof m, "pad%d", i);
    if (type == SHMD_T_HASH) X(H, SHMD_OP_HSET, 0, 0, k, m, "p", NULL);
    if (type == SHMD_T_SET) X(H, SHMD_OP_SADD, 0, 0, k, m, NULL);
    if (type == SHMD_T_ZSET) X(H, SHMD_OP_ZADD, 0, 1, 100.0, k, m, NULL);
    if (type == SHMD_T_LIST) X(H, SHMD_OP_RPUSH, 0, 0, k, m, NULL);
  }
  for (int i = 0; i <= (int)PACK_MAX_ELEMS; i++) {
    snprintf(m, sizeof m, "pad%d", i);
    if (type == SHMD_T_HASH) X(H, SHMD_OP_HDEL, 0, 0, k, m, NULL);
    if (type == SHMD_T_SET) X(H, SHMD_OP_SREM, 0, 0, k, m, NULL);
    if (type == SHMD_T_ZSET) X(H, SHMD_OP_ZREM, 0, 0, k, m, NULL);
  }
  if (type == SHMD_T_LIST) X(H, SHMD_OP_RPOP, 0, 1, (double)(PACK_MAX_ELEMS + 1), k, NULL);
}

static uint32_t d_garbage(void) { return api_dict(H)->hdr->ks.garbage; }

/* The base with every container a treap. */
static void base_tree(void) {
  base(0);
  treeify(SHMD_T_HASH, "h");
  treeify(SHMD_T_SET, "s");
  treeify(SHMD_T_SET, "s2");
  treeify(SHMD_T_ZSET, "z");
  treeify(SHMD_T_LIST, "l");
  while (d_garbage()) sets("drive", "x"); /* the padding freed */
}

/* The base plus containers at the packed bound: h127 (127 fields), h128, s128,
 * z128, l128 (128 elements, still packed); s129 and l129, treaps. */
static void base_bounds(void) {
  base(0);
  char m[32];
  for (int i = 0; i <= (int)PACK_MAX_ELEMS; i++) {
    snprintf(m, sizeof m, "t%d", i);
    X(H, SHMD_OP_SADD, 0, 0, "s129", m, NULL);
    X(H, SHMD_OP_RPUSH, 0, 0, "l129", m, NULL);
  }
  for (int i = 0; i < (int)PACK_MAX_ELEMS; i++) {
    snprintf(m, sizeof m, "m%d", i);
    if (i < (int)PACK_MAX_ELEMS - 1) X(H, SHMD_OP_HSET, 0, 0, "h127", m, "v", NULL);
    X(H, SHMD_OP_HSET, 0, 0, "h128", m, "v", NULL);
    X(H, SHMD_OP_SADD, 0, 0, "s128", m, NULL);
    X(H, SHMD_OP_ZADD, 0, 1, (double)(i % 5), "z128", m, NULL);
    X(H, SHMD_OP_RPUSH, 0, 0, "l128", m, NULL);
  }
}

/* Crash the command at every journaled change; returns the points walked. */
static int walk(const char *name, void (*fn)(void)) {
  char *before = snapshot();
  int points = 0;
  for (long k = 1; k < 100000; k++) {
    pid_t pid = fork();
    if (pid == 0) {
      shmd_crash_countdown = k;
      fn();
      _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    if (WIFEXITED(st)) break; /* the command completed before point k */
    points++;
    if (!(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)) {
      printf("FAIL %s: child ended oddly at point %ld\n", name, k);
      CHECK(0);
      break;
    }
    int ok = tconsistent(H);
    char *now = snapshot();
    int same = strcmp(before, now) == 0;
    if (!ok || !same) {
      printf("FAIL %s: after a crash at point %ld: %s\n", name, k,
             !ok ? "check failed" : "state is not the state before the command");
      CHECK(0);
      free(now);
      break;
    }
    CHECK(1);
    free(now);
  }
  free(before);
  CHECK(tconsistent(H));
  return points;
}

int main(void) {
  char name[64];
  tname(name, sizeof name, "crash");
  H = topen(name, 64.0 * 1024 * 1024);
  CHECK(H >= 0);
  struct dict *d = api_dict(H);
  memset(big, 'b', sizeof big);

  memset(long65, 'L', 65);
  memset(long64, 'S', 64);

  TEST("every crash point of every command (containers packed)");
  int total = 0;
  base(0);
  CHECK(enc_s("h") == ENC_PACK && enc_s("s") == ENC_PACK && enc_s("z") == ENC_PACK &&
        enc_s("l") == ENC_PACK);
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
    base(0);
    int p = walk(cmds[i].name, cmds[i].fn);
    printf("   %-22s %3d crash points\n", cmds[i].name, p);
    CHECK(p > 0);
    total += p;
  }

  TEST("every crash point of every container command (containers treaps)");
  base_tree();
  CHECK(enc_s("h") == ENC_TREE && enc_s("s") == ENC_TREE && enc_s("z") == ENC_TREE &&
        enc_s("l") == ENC_TREE);
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
    static int from = -1;
    if (cmds[i].fn == c_hset) from = (int)i;
    if (from < 0) continue;
    base_tree();
    int p = walk(cmds[i].name, cmds[i].fn);
    printf("   %-22s %3d crash points\n", cmds[i].name, p);
    CHECK(p > 0);
    total += p;
  }

  TEST("every crash point at and across the packed bounds");
  base_bounds();
  CHECK(enc_s("h127") == ENC_PACK && enc_s("h128") == ENC_PACK && enc_s("l128") == ENC_PACK &&
        enc_s("s129") == ENC_TREE && enc_s("l129") == ENC_TREE);
  for (size_t i = 0; i < sizeof bound_cmds / sizeof bound_cmds[0]; i++) {
    base_bounds();
    int p = walk(bound_cmds[i].name, bound_cmds[i].fn);
    printf("   %-32s %5d crash points\n", bound_cmds[i].name, p);
    CHECK(p > 0);
    total += p;
  }
  CHECK(enc_s("h127") == ENC_PACK && enc_s("h128") == ENC_TREE && enc_s("z") == ENC_TREE);

  TEST("a write that starts a rehash, and one that moves buckets");
  base(0);
  uint64_t buckets = 1ull << d->hdr->ks.log2[0];
  for (uint64_t i = d->hdr->ks.count; i < buckets - 1; i++) {
    char k[24];
    snprintf(k, sizeof k, "fill:%llu", (unsigned long long)i);
    sets(k, "f");
  }
  CHECK(d->hdr->ks.rehashidx < 0);
  total += walk("set starting a rehash", c_set_new);
  CHECK(d->hdr->ks.rehashidx >= 0);
  total += walk("set during a rehash", c_set_inplace);
  total += walk("mset during a rehash (it moves buckets per key)", c_mset);
  while (d->hdr->ks.rehashidx >= 0) sets("drive", "x");
  total += walk("set after a rehash", c_incr);

  TEST("active expiry inside a write");
  base(0);
  for (int i = 0; i < 50; i++) {
    char k[24];
    snprintf(k, sizeof k, "e:%d", i);
    set(k, "v", 1, SHMD_TTL_PX, 1);
  }
  struct timespec ts = {0, 5 * 1000000L};
  nanosleep(&ts, NULL);
  /* aim the active-expiry cursor at the bucket of an expired key */
  d->hdr->ks.expire_cursor = ks_hash(d, (const uint8_t *)"e:0", 3) & ((1ull << d->hdr->ks.log2[0]) - 1);
  uint64_t exp_before = d->hdr->ks.expires;
  total += walk("write with active expiry", c_incr);
  CHECK(d->hdr->ks.expires < exp_before);

  printf("   %d crash points in all\n", total);
  CHECK(total > 300);
  shmd_close(H);
  shmd_drop((const uint8_t *)name, (uint32_t)strlen(name));
  return tdone("test_crash");
}
