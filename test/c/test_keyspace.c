/*
 * test_keyspace.c — the key index: inserts that grow the table through
 * incremental rehash and deletes that shrink it, with every key found at every
 * step; the consistency check after each phase; SCAN returning every key that
 * is present for the whole scan while other keys are inserted and deleted
 * (forcing rehash) between its calls; lazy and active expiry.
 */
#include <stdlib.h>
#include <time.h>

#include "internal.h"
#include "tcheck.h"
#include "tutil.h"

static int get(int h, const char *k, char *out, uint32_t cap) {
  return shmd_get(h, (const uint8_t *)k, (uint32_t)strlen(k), (uint8_t *)out, cap);
}

int main(void) {
  char name[64], k[64], v[64], out[256];
  tname(name, sizeof name, "ks");
  int h = topen(name, 256.0 * 1024 * 1024);
  CHECK(h >= 0);
  struct dict *d = api_dict(h);
  const int N = 60000;

  TEST("inserts through several incremental rehashes");
  int bad = 0, saw_rehash = 0;
  for (int i = 0; i < N; i++) {
    snprintf(k, sizeof k, "key:%d", i);
    snprintf(v, sizeof v, "value-%d", i);
    if (tset(h, k, v) != SHMD_OK) bad++;
    if (d->hdr->ks.rehashidx >= 0) {
      saw_rehash++;
      if (saw_rehash % 500 == 1) {
        /* mid-rehash: every key so far is found */
        for (int j = 0; j <= i; j += 97) {
          snprintf(k, sizeof k, "key:%d", j);
          snprintf(v, sizeof v, "value-%d", j);
          int n = get(h, k, out, sizeof out);
          if (n != (int)strlen(v) || memcmp(out, v, (size_t)n) != 0) bad++;
        }
        CHECK(tconsistent(h));
      }
    }
  }
  CHECK(bad == 0);
  CHECK(saw_rehash > 0);
  CHECK(shmd_dbsize(h) == N);
  CHECK(d->hdr->ks.log2[0] >= 15);
  CHECK(tconsistent(h));

  TEST("SCAN returns every stable key across rehash");
  /* keys "key:*" stay; "tmp:*" come and go between SCAN calls */
  uint8_t *seen = calloc((size_t)N, 1);
  static uint8_t sbuf[1 << 20];
  double cursor = 0;
  int calls = 0, tmp = 0;
  do {
    int n = shmd_scan(h, cursor, NULL, 0, 100, 0, sbuf, sizeof sbuf);
    CHECK(n > 0);
    memcpy(&cursor, sbuf, 8);
    uint32_t cnt;
    memcpy(&cnt, sbuf + 8, 4);
    uint32_t at = 12;
    for (uint32_t i = 0; i < cnt; i++) {
      int32_t l;
      memcpy(&l, sbuf + at, 4);
      char *s = (char *)sbuf + at + 4;
      if (l > 4 && memcmp(s, "key:", 4) == 0) {
        char num[16] = {0};
        memcpy(num, s + 4, (size_t)(l - 4 < 15 ? l - 4 : 15));
        int idx = atoi(num);
        if (idx >= 0 && idx < N) seen[idx] = 1; else { printf("odd key %.*s l=%d\n", l, s, l); bad++; }
      }
      at += 4 + (uint32_t)l;
    }
    /* churn: thousands of inserts then deletes force grow and shrink */
    if (calls % 40 == 10)
      for (int j = 0; j < 30000; j++) {
        snprintf(k, sizeof k, "tmp:%d", tmp++);
        tset(h, k, "x");
      }
    if (calls % 40 == 30)
      for (int j = tmp - 30000; j < tmp; j++) {
        snprintf(k, sizeof k, "tmp:%d", j);
        tdel(h, k);
      }
    calls++;
  } while (cursor != 0 && calls < 100000);
  int missing = 0;
  for (int i = 0; i < N; i++) missing += !seen[i];
  CHECK(missing == 0);
  CHECK(cursor == 0);
  free(seen);
  CHECK(tconsistent(h));

  TEST("deletes shrink the table; every survivor is found");
  uint32_t grown_log2 = d->hdr->ks.log2[0];
  for (int i = 0; i < N; i++) {
    if (i % 10 == 0) continue;
    snprintf(k, sizeof k, "key:%d", i);
    if (tdel(h, k) != 1) bad++;
  }
  for (int j = 0; j < tmp; j++) {
    snprintf(k, sizeof k, "tmp:%d", j);
    tdel(h, k);
  }
  for (int i = 0; i < 20000; i++) tset(h, "churn", "x"); /* drive rehash steps */
  tdel(h, "churn");
  CHECK(bad == 0);
  CHECK(shmd_dbsize(h) == N / 10);
  CHECK(d->hdr->ks.log2[0] < grown_log2);
  for (int i = 0; i < N; i += 10) {
    snprintf(k, sizeof k, "key:%d", i);
    if (get(h, k, out, sizeof out) <= 0) bad++;
  }
  CHECK(bad == 0);
  CHECK(tconsistent(h));

  TEST("KEYS with a pattern");
  static uint8_t kbuf[1 << 20];
  int n = shmd_keys(h, (const uint8_t *)"key:1?0", 7, kbuf, sizeof kbuf);
  uint32_t cnt;
  memcpy(&cnt, kbuf, 4);
  CHECK(n > 4);
  CHECK(cnt == 10); /* key:100, key:110, ... key:190: only multiples of 10 survive */

  TEST("expiry: lazy for readers, active for writers");
  uint8_t o8[8];
  CHECK(shmd_set(h, (const uint8_t *)"ttl", 3, (const uint8_t *)"v", 1, SHMD_TTL_PX, 30, o8, 0) ==
        SHMD_OK);
  for (int i = 0; i < 200; i++) {
    snprintf(k, sizeof k, "exp:%d", i);
    shmd_set(h, (const uint8_t *)k, (uint32_t)strlen(k), (const uint8_t *)"v", 1, SHMD_TTL_PX, 30,
             o8, 0);
  }
  CHECK(get(h, "ttl", out, sizeof out) == 1);
  struct timespec ts = {0, 60 * 1000000L};
  nanosleep(&ts, NULL);
  CHECK(get(h, "ttl", out, sizeof out) == SHMD_NIL);
  uint64_t expired_before = d->hdr->ks.expired_total;
  for (int i = 0; i < 3000; i++) tset(h, "driver", "x"); /* writes run active expiry */
  CHECK(d->hdr->ks.expired_total > expired_before);
  CHECK(d->hdr->ks.expires < 201);
  CHECK(tconsistent(h));

  TEST("shmd_prefetch: a hint that checks its arguments and changes nothing");
  CHECK(shmd_prefetch(h, (const uint8_t *)"key:10", 6) == SHMD_OK);  /* present */
  CHECK(shmd_prefetch(h, (const uint8_t *)"nothing", 7) == SHMD_OK); /* absent */
  CHECK(shmd_prefetch(h, (const uint8_t *)"", 0) == SHMD_OK);        /* the empty key */
  CHECK(shmd_prefetch(h, NULL, 3) == SHMD_E_INVAL);
  static uint8_t longkey[SHMD_MAX_KEY + 1];
  CHECK(shmd_prefetch(h, longkey, SHMD_MAX_KEY + 1) == SHMD_E_TOOBIG);
  CHECK(shmd_prefetch(-1, (const uint8_t *)"k", 1) == SHMD_E_HANDLE);
  CHECK(shmd_prefetch(SHMD_MAX_HANDLES, (const uint8_t *)"k", 1) == SHMD_E_HANDLE);
  /* mid-rehash too: grow until a rehash is under way, prefetching as it goes */
  int rehash_seen = 0;
  for (int i = 0; i < 200000 && !rehash_seen; i++) {
    snprintf(k, sizeof k, "grow:%d", i);
    if (shmd_prefetch(h, (const uint8_t *)k, (uint32_t)strlen(k)) != SHMD_OK) bad++;
    if (tset(h, k, "v") != SHMD_OK) bad++;
    rehash_seen = d->hdr->ks.rehashidx >= 0;
  }
  CHECK(rehash_seen);
  CHECK(bad == 0);
  uint64_t keys_before = (uint64_t)shmd_dbsize(h);
  uint32_t seq_before = d->hdr->meta_seq;
  for (int i = 0; i < 1000; i++) {
    snprintf(k, sizeof k, "grow:%d", i);
    if (shmd_prefetch(h, (const uint8_t *)k, (uint32_t)strlen(k)) != SHMD_OK) bad++;
  }
  CHECK(bad == 0);
  CHECK((uint64_t)shmd_dbsize(h) == keys_before);
  CHECK(d->hdr->meta_seq == seq_before);
  CHECK(d->hdr->ks.rehashidx >= 0); /* a hint moves no bucket */
  CHECK(tconsistent(h));

  TEST("MGET, EXISTS, DEL over many keys (they prefetch keys ahead) during a rehash");
  {
    /* grow:0..1999 and 10 absent keys, interleaved: every 200th item is absent */
    static uint8_t av[4 + 2010 * 24], mout[4 + 2010 * 8];
    uint32_t cnt = 0, at = 4;
    for (int i = 0; i < 2010; i++) {
      if (i % 201 == 200) snprintf(k, sizeof k, "absent:%d", i);
      else snprintf(k, sizeof k, "grow:%d", i - i / 201);
      uint32_t l = (uint32_t)strlen(k);
      memcpy(av + at, &l, 4);
      memcpy(av + at + 4, k, l);
      at += 4 + l;
      cnt++;
    }
    memcpy(av, &cnt, 4);
    int64_t rh = d->hdr->ks.rehashidx;
    CHECK(rh >= 0);
    int len = shmd_mget(h, av, at, mout, sizeof mout);
    CHECK(len > 0 && (size_t)len <= sizeof mout);
    uint32_t got = 0, nils = 0, pos = 4;
    int wrong = 0;
    for (uint32_t i = 0; i < cnt && len > 0; i++) {
      int32_t l;
      memcpy(&l, mout + pos, 4);
      pos += 4;
      int absent = i % 201 == 200;
      if (l < 0) nils++;
      else {
        got++;
        if (absent || l != 1 || mout[pos] != 'v') wrong++;
        pos += (uint32_t)l;
      }
      if (absent && l >= 0) wrong++;
    }
    CHECK(got == 2000 && nils == 10 && wrong == 0);
    CHECK(shmd_exists(h, av, at) == 2000);
    CHECK(shmd_del(h, av, at) == 2000);
    CHECK(shmd_exists(h, av, at) == 0);
    CHECK((uint64_t)shmd_dbsize(h) == keys_before - 2000);
    CHECK(tconsistent(h));
  }

  shmd_close(h);
  CHECK(shmd_prefetch(h, (const uint8_t *)"k", 1) == SHMD_E_HANDLE); /* closed */
  shmd_drop((const uint8_t *)name, (uint32_t)strlen(name));

  /* One command (or one transaction) inserting many keys must keep table
   * doublings moving: maintenance runs once per command, so without steps
   * inside MSET and inside a transaction the table stayed half-moved at 4,096
   * buckets and every chain grew. */
  for (int mode = 0; mode < 2; mode++) {
    TEST(mode == 0 ? "one MSET of 50,000 keys grows the table" :
                     "one transaction of 50,000 SETs grows the table");
    tname(name, sizeof name, "ksbig");
    h = topen(name, 256.0 * 1024 * 1024);
    CHECK(h >= 0);
    d = api_dict(h);
    enum { BIG = 50000 };
    if (mode == 0) {
      uint8_t *av = malloc((size_t)BIG * 40 + 8);
      uint32_t at = 4, cnt = 2 * BIG;
      memcpy(av, &cnt, 4);
      for (int i = 0; i < BIG; i++) {
        uint32_t kl = (uint32_t)snprintf(k, sizeof k, "big:%d", i), vl = 1;
        memcpy(av + at, &kl, 4), memcpy(av + at + 4, k, kl), at += 4 + kl;
        memcpy(av + at, &vl, 4), av[at + 4] = 'v', at += 5;
      }
      CHECK(shmd_mset(h, av, at, 0) == SHMD_OK);
      free(av);
    } else {
      CHECK(shmd_txn_begin(h) == SHMD_OK);
      int fails = 0;
      for (int i = 0; i < BIG; i++) {
        snprintf(k, sizeof k, "big:%d", i);
        fails += tset(h, k, "v") != SHMD_OK;
      }
      CHECK(fails == 0);
      CHECK(shmd_txn_end(h, 1) == SHMD_OK);
    }
    CHECK(shmd_dbsize(h) == BIG);
    /* doublings at 4,096, 8,192, 16,384 and 32,768 keys, each finished well
     * before the next at 4 buckets per inserted key */
    CHECK(d->hdr->ks.log2[0] >= 16);
    CHECK(d->hdr->ks.rehashidx < 0);
    int missing = 0;
    for (int i = 0; i < BIG; i += 7) {
      snprintf(k, sizeof k, "big:%d", i);
      missing += get(h, k, out, sizeof out) != 1;
    }
    CHECK(missing == 0);
    CHECK(tconsistent(h));
    shmd_close(h);
    shmd_drop((const uint8_t *)name, (uint32_t)strlen(name));
  }
  return tdone("test_keyspace");
}
