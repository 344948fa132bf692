/*
 * test_containers.c — hashes, sets, sorted sets and lists through shmd_exec:
 * each command's reply on known data, the key vanishing when its container
 * empties, WRONGTYPE across types, COPY/RENAME/DEL of containers, lazy freeing
 * of big deleted containers, and the consistency check after each group.
 */
#include <math.h>
#include <stdlib.h>

#include "internal.h"
#include "tcheck.h"
#include "texec.h"
#include "tutil.h"

#define E(x) #x

int main(void) {
  char name[64];
  tname(name, sizeof name, "cont");
  int h = topen(name, 64.0 * 1024 * 1024);
  CHECK(h >= 0);

  TEST("hashes");
  IS(X(h, SHMD_OP_HSET, 0, 0, "h", "f1", "v1", "f2", "v2", NULL), "i:2");
  IS(X(h, SHMD_OP_HSET, 0, 0, "h", "f1", "V1", "f3", "v3", NULL), "i:1");
  IS(X(h, SHMD_OP_HGET, 0, 0, "h", "f1", NULL), "s:V1");
  IS(X(h, SHMD_OP_HGET, 0, 0, "h", "nope", NULL), "n");
  IS(X(h, SHMD_OP_HGET, 0, 0, "missing", "f1", NULL), "n");
  IS(X(h, SHMD_OP_HMGET, 0, 0, "h", "f2", "x", "f3", NULL), "a[s:v2,n,s:v3]");
  IS(X(h, SHMD_OP_HLEN, 0, 0, "h", NULL), "i:3");
  IS(X(h, SHMD_OP_HSETNX, 0, 0, "h", "f1", "zzz", NULL), "i:0");
  IS(X(h, SHMD_OP_HEXISTS, 0, 0, "h", "f2", NULL), "i:1");
  IS(X(h, SHMD_OP_HSTRLEN, 0, 0, "h", "f3", NULL), "i:2");
  IS(X(h, SHMD_OP_HINCRBY, 0, 1, 5.0, "h", "n", NULL), "i:5");
  IS(X(h, SHMD_OP_HINCRBY, 0, 1, -7.0, "h", "n", NULL), "i:-2");
  IS(X(h, SHMD_OP_HINCRBY, 0, 1, 1.0, "h", "f1", NULL), "E" E(-5));
  IS(X(h, SHMD_OP_HINCRBYFLOAT, 0, 0, "h", "fl", "10.5", NULL), "s:10.5");
  IS(X(h, SHMD_OP_HINCRBYFLOAT, 0, 0, "h", "fl", "0.1", NULL), "s:10.6");
  IS(X(h, SHMD_OP_HDEL, 0, 0, "h", "f2", "nope", "n", "fl", NULL), "i:3");
  IS(X(h, SHMD_OP_HLEN, 0, 0, "h", NULL), "i:2");
  CHECK(strlen(X(h, SHMD_OP_HGETALL, 0, 0, "h", NULL)) == strlen("a[s:f1,s:V1,s:f3,s:v3]"));
  IS(X(h, SHMD_OP_HRANDFIELD, 0, 1, 5.0, "h", NULL), X(h, SHMD_OP_HRANDFIELD, 0, 1, 5.0, "h", NULL));
  CHECK(strncmp(X(h, SHMD_OP_HRANDFIELD, 0, 1, -5.0, "h", NULL), "a[", 2) == 0);
  IS(X(h, SHMD_OP_HDEL, 0, 0, "h", "f1", "f3", NULL), "i:2");
  CHECK(shmd_type(h, (const uint8_t *)"h", 1) == SHMD_T_NONE); /* emptied: gone */
  CHECK(tconsistent(h));

  TEST("wrong types");
  tset(h, "str", "x");
  IS(X(h, SHMD_OP_HGET, 0, 0, "str", "f", NULL), "E-4");
  IS(X(h, SHMD_OP_SADD, 0, 0, "str", "m", NULL), "E-4");
  IS(X(h, SHMD_OP_LPUSH, 0, 0, "str", "m", NULL), "E-4");
  IS(X(h, SHMD_OP_ZADD, 0, 1, 1.0, "str", "m", NULL), "E-4");
  X(h, SHMD_OP_SADD, 0, 0, "s", "a", NULL);
  uint8_t o8[8];
  CHECK(shmd_get(h, (const uint8_t *)"s", 1, o8, 8) == SHMD_E_WRONGTYPE);
  CHECK(shmd_type(h, (const uint8_t *)"s", 1) == SHMD_T_SET);

  TEST("sets");
  IS(X(h, SHMD_OP_SADD, 0, 0, "s", "a", "b", "c", "b", NULL), "i:2");
  IS(X(h, SHMD_OP_SCARD, 0, 0, "s", NULL), "i:3");
  IS(X(h, SHMD_OP_SISMEMBER, 0, 0, "s", "b", NULL), "i:1");
  IS(X(h, SHMD_OP_SMISMEMBER, 0, 0, "s", "a", "z", NULL), "a[i:1,i:0]");
  X(h, SHMD_OP_SADD, 0, 0, "t", "b", "c", "d", NULL);
  IS(X(h, SHMD_OP_SINTER, 0, 0, "s", "t", NULL), X(h, SHMD_OP_SINTER, 0, 0, "t", "s", NULL));
  CHECK(strlen(X(h, SHMD_OP_SINTER, 0, 0, "s", "t", NULL)) == strlen("a[s:b,s:c]"));
  IS(X(h, SHMD_OP_SUNION, 0, 0, "s", "t", "nope", NULL), "a[s:a,s:b,s:c,s:d]");
  IS(X(h, SHMD_OP_SDIFF, 0, 0, "s", "t", NULL), "a[s:a]");
  IS(X(h, SHMD_OP_SINTERCARD, 0, 1, 1.0, "s", "t", NULL), "i:1");
  IS(X(h, SHMD_OP_SUNIONSTORE, 0, 0, "u", "s", "t", NULL), "i:4");
  IS(X(h, SHMD_OP_SDIFFSTORE, 0, 0, "s", "s", "t", NULL), "i:1"); /* dst is a source */
  IS(X(h, SHMD_OP_SMEMBERS, 0, 0, "s", NULL), "a[s:a]");
  IS(X(h, SHMD_OP_SMOVE, 0, 0, "u", "s", "d", NULL), "i:1");
  IS(X(h, SHMD_OP_SMOVE, 0, 0, "u", "s", "d", NULL), "i:0");
  IS(X(h, SHMD_OP_SMOVE, 0, 0, "u", "str", "a", NULL), "E-4");
  IS(X(h, SHMD_OP_SREM, 0, 0, "s", "a", "d", NULL), "i:2");
  CHECK(shmd_type(h, (const uint8_t *)"s", 1) == SHMD_T_NONE);
  IS(X(h, SHMD_OP_SPOP, 0, 1, 10.0, "u", NULL), X(h, SHMD_OP_SMEMBERS, 0, 0, "nothing", NULL)[0] ? tx_text : "");
  CHECK(shmd_type(h, (const uint8_t *)"u", 1) == SHMD_T_NONE);
  CHECK(tconsistent(h));

  TEST("sorted sets");
  IS(X(h, SHMD_OP_ZADD, 0, 3, 1.0, 2.0, 3.0, "z", "a", "b", "c", NULL), "i:3");
  IS(X(h, SHMD_OP_ZADD, SHMD_F_CH, 2, 2.5, 4.0, "z", "a", "d", NULL), "i:2");
  IS(X(h, SHMD_OP_ZRANGE, SHMD_F_WITHSCORES, 2, 0.0, -1.0, "z", NULL),
     "a[s:b,d:2,s:a,d:2.5,s:c,d:3,s:d,d:4]");
  IS(X(h, SHMD_OP_ZRANGE, SHMD_F_REV, 2, 0.0, 1.0, "z", NULL), "a[s:d,s:c]");
  IS(X(h, SHMD_OP_ZSCORE, 0, 0, "z", "a", NULL), "d:2.5");
  IS(X(h, SHMD_OP_ZRANK, 0, 0, "z", "c", NULL), "i:2");
  IS(X(h, SHMD_OP_ZRANK, SHMD_F_REV, 0, "z", "c", NULL), "i:1");
  IS(X(h, SHMD_OP_ZCOUNT, SHMD_F_MIN_EXCL, 2, 2.0, 3.0, "z", NULL), "i:2");
  IS(X(h, SHMD_OP_ZRANGE, SHMD_F_BYSCORE, 4, -INFINITY, INFINITY, 1.0, 2.0, "z", NULL), "a[s:a,s:c]");
  IS(X(h, SHMD_OP_ZRANGE, SHMD_F_BYSCORE | SHMD_F_REV, 4, 3.0, 2.0, 0.0, -1.0, "z", NULL),
     "a[s:c,s:a,s:b]");
  IS(X(h, SHMD_OP_ZADD, SHMD_F_INCR, 1, 10.0, "z", "b", NULL), "d:12");
  IS(X(h, SHMD_OP_ZADD, SHMD_F_INCR | SHMD_F_NX, 1, 10.0, "z", "b", NULL), "n");
  IS(X(h, SHMD_OP_ZADD, SHMD_F_GT, 1, 1.0, "z", "b", NULL), "i:0");
  IS(X(h, SHMD_OP_ZSCORE, 0, 0, "z", "b", NULL), "d:12");
  IS(X(h, SHMD_OP_ZADD, SHMD_F_NX | SHMD_F_XX, 1, 1.0, "z", "b", NULL), "E-2");
  IS(X(h, SHMD_OP_ZINCRBY, 0, 1, -2.0, "z", "b", NULL), "d:10");
  IS(X(h, SHMD_OP_ZREM, 0, 0, "z", "b", "nope", NULL), "i:1");
  IS(X(h, SHMD_OP_ZPOPMIN, 0, 0, "z", NULL), "a[s:a,d:2.5]");
  IS(X(h, SHMD_OP_ZPOPMAX, 0, 1, 5.0, "z", NULL), "a[s:d,d:4,s:c,d:3]");
  CHECK(shmd_type(h, (const uint8_t *)"z", 1) == SHMD_T_NONE);
  IS(X(h, SHMD_OP_ZADD, 0, 5, 0.0, 0.0, 0.0, 0.0, 0.0, "lex", "a", "b", "c", "d", "e", NULL), "i:5");
  IS(X(h, SHMD_OP_ZLEXCOUNT, 0, 0, "lex", "[b", "(e", NULL), "i:3");
  IS(X(h, SHMD_OP_ZRANGE, SHMD_F_BYLEX, 2, 0.0, -1.0, "lex", "(a", "[c", NULL), "a[s:b,s:c]");
  IS(X(h, SHMD_OP_ZRANGE, SHMD_F_BYLEX | SHMD_F_REV, 2, 0.0, -1.0, "lex", "+", "[d", NULL), "a[s:e,s:d]");
  IS(X(h, SHMD_OP_ZREMRANGEBYRANK, 0, 2, 0.0, 1.0, "lex", NULL), "i:2");
  IS(X(h, SHMD_OP_ZREMRANGEBYSCORE, 0, 2, -1.0, 1.0, "lex", NULL), "i:3");
  CHECK(shmd_type(h, (const uint8_t *)"lex", 3) == SHMD_T_NONE);
  CHECK(tconsistent(h));

  TEST("lists");
  IS(X(h, SHMD_OP_RPUSH, 0, 0, "l", "a", "b", "c", NULL), "i:3");
  IS(X(h, SHMD_OP_LPUSH, 0, 0, "l", "z", NULL), "i:4");
  IS(X(h, SHMD_OP_LRANGE, 0, 2, 0.0, -1.0, "l", NULL), "a[s:z,s:a,s:b,s:c]");
  IS(X(h, SHMD_OP_LINDEX, 0, 1, -1.0, "l", NULL), "s:c");
  IS(X(h, SHMD_OP_LINDEX, 0, 1, 9.0, "l", NULL), "n");
  IS(X(h, SHMD_OP_LSET, 0, 1, 1.0, "l", "A", NULL), "o");
  IS(X(h, SHMD_OP_LSET, 0, 1, 9.0, "l", "A", NULL), "E-2");
  IS(X(h, SHMD_OP_LSET, 0, 1, 0.0, "nolist", "A", NULL), "E-10");
  IS(X(h, SHMD_OP_LINSERT, SHMD_F_BEFORE, 0, "l", "b", "B", NULL), "i:5");
  IS(X(h, SHMD_OP_LINSERT, 0, 0, "l", "nope", "B", NULL), "i:-1");
  IS(X(h, SHMD_OP_RPUSH, 0, 0, "l", "a", "a", NULL), "i:7");
  IS(X(h, SHMD_OP_LREM, 0, 1, -1.0, "l", "a", NULL), "i:1");
  IS(X(h, SHMD_OP_LRANGE, 0, 2, 0.0, -1.0, "l", NULL), "a[s:z,s:A,s:B,s:b,s:c,s:a]");
  IS(X(h, SHMD_OP_LPOS, 0, 3, 1.0, -1.0, 0.0, "l", "b", NULL), "i:3");
  IS(X(h, SHMD_OP_LPOS, 0, 3, 1.0, 0.0, 0.0, "l", "b", NULL), "a[i:3]");
  IS(X(h, SHMD_OP_LTRIM, 0, 2, 1.0, -2.0, "l", NULL), "o");
  IS(X(h, SHMD_OP_LRANGE, 0, 2, 0.0, -1.0, "l", NULL), "a[s:A,s:B,s:b,s:c]");
  IS(X(h, SHMD_OP_LPOP, 0, 1, 2.0, "l", NULL), "a[s:A,s:B]");
  IS(X(h, SHMD_OP_RPOP, 0, 0, "l", NULL), "s:c");
  IS(X(h, SHMD_OP_LMOVE, SHMD_F_TO_RIGHT, 0, "l", "l2", NULL), "s:b");
  CHECK(shmd_type(h, (const uint8_t *)"l", 1) == SHMD_T_NONE);
  IS(X(h, SHMD_OP_LRANGE, 0, 2, 0.0, -1.0, "l2", NULL), "a[s:b]");
  IS(X(h, SHMD_OP_LPUSH, SHMD_F_X, 0, "nolist", "x", NULL), "i:0");
  IS(X(h, SHMD_OP_LPOP, 0, 0, "nolist", NULL), "n");
  CHECK(tconsistent(h));

  TEST("big containers: COPY, RENAME, DEL (lazily freed)");
  for (int i = 0; i < 3000; i++) {
    char f[16];
    snprintf(f, sizeof f, "f%d", i);
    X(h, SHMD_OP_HSET, 0, 0, "big", f, "value", NULL);
    X(h, SHMD_OP_RPUSH, 0, 0, "biglist", f, NULL);
  }
  IS(X(h, SHMD_OP_HLEN, 0, 0, "big", NULL), "i:3000");
  CHECK(shmd_copy(h, (const uint8_t *)"big", 3, (const uint8_t *)"big2", 4, 0) == 1);
  CHECK(shmd_rename(h, (const uint8_t *)"big", 3, (const uint8_t *)"big3", 4, 0) == SHMD_OK);
  IS(X(h, SHMD_OP_HGET, 0, 0, "big3", "f2999", NULL), "s:value");
  IS(X(h, SHMD_OP_HGET, 0, 0, "big2", "f1234", NULL), "s:value");
  IS(X(h, SHMD_OP_LINDEX, 0, 1, 1500.0, "biglist", NULL), "s:f1500");
  CHECK(tconsistent(h));
  uint8_t av[64];
  CHECK(shmd_del(h, av, targv1(av, "big2", 4)) == 1);
  CHECK(shmd_del(h, av, targv1(av, "biglist", 7)) == 1);
  CHECK(api_dict(h)->hdr->ks.garbage != 0);
  CHECK(tconsistent(h)); /* garbage is reachable, not leaked */
  for (int i = 0; i < 2000; i++) tset(h, "drive", "x"); /* writes free garbage */
  CHECK(api_dict(h)->hdr->ks.garbage == 0);
  CHECK(tconsistent(h));

  shmd_close(h);
  shmd_drop((const uint8_t *)name, (uint32_t)strlen(name));
  return tdone("test_containers");
}
