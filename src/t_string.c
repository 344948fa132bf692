/*
 * t_string.c — the string commands: GET, SET and its options, MGET, MSET(NX),
 * GETDEL, GETEX, GETRANGE, SETRANGE, APPEND, STRLEN, INCRBY, INCRBYFLOAT.
 *
 * A string lives inside its key's entry, right after the key. A write that
 * fits the entry's block (and does not leave most of it unused) is done in
 * place: the stripe is made odd, the old bytes it overwrites are journaled,
 * and bytes past the old length need no journal (nothing could reach them).
 * Otherwise a new entry is built and swapped into the chain, and the old one
 * freed (keyspace.c). Strings that grow (APPEND, SETRANGE) get a quarter of
 * slack so that repeated appends are amortised O(1).
 *
 * Semantics follow Redis 7, including its error texts, its rules for ranges,
 * and its formatting of INCRBYFLOAT results (%.17Lf without trailing zeros).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

#define LD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

static uint8_t *val_of(struct entry *e) { return entry_val(e); }

/* In-place writes journal the bytes they overwrite; past this many, building a
 * new entry (which needs no journal for its payload) is the cheaper undo. */
#define INPLACE_MAX 4096u

/* Write `vlen` bytes into the string of entry at off (same key) in place, if
 * the block fits the new length without wasting more than half of it and the
 * overwritten bytes are few enough to journal. */
static int fits_in_place(struct dict *d, uint32_t off, struct entry *e, uint64_t vlen) {
  uint64_t cap = al_capacity(d, off);
  uint64_t need = (uint64_t)ENTRY_HDR + e->klen + vlen;
  uint64_t over = e->vlen < vlen ? e->vlen : vlen;
  return e->type == SHMD_T_STRING && need <= cap && cap <= 2 * need + 128 && over <= INPLACE_MAX;
}

/* Set key (found at link/off, or absent when off is 0) to a string value with
 * the given deadline. */
static int str_put(struct dict *d, const uint8_t *key, uint32_t klen, uint64_t h, uint32_t *link,
                   uint32_t off, const uint8_t *val, uint32_t vlen, int64_t expire) {
  if (off) {
    struct entry *e = (struct entry *)blk_data(d, off);
    if (fits_in_place(d, off, e, vlen)) {
      w_stripe(d, e->hash);
      if (e->expire != expire) ks_set_expire(d, e, expire);
      j_save(d, &e->vlen, 4);
      j_save(d, val_of(e), e->vlen < vlen ? e->vlen : vlen);
      e->vlen = vlen;
      memcpy(val_of(e), val, vlen);
      return SHMD_OK;
    }
  }
  uint32_t neu;
  int rc = ks_new_entry(d, key, klen, h, SHMD_T_STRING, vlen, &neu);
  if (rc) return rc;
  struct entry *en = (struct entry *)blk_data(d, neu);
  en->vlen = vlen;
  en->expire = expire;
  memcpy(val_of(en), val, vlen);
  if (off) {
    ks_replace(d, link, off, neu);
    return SHMD_OK;
  }
  return ks_link(d, neu, h);
}

/* Absolute deadline in unix ms for a SHMD_TTL_* flag and its argument. */
static int deadline(uint32_t tf, double ttl, const char *cmd, int64_t *when) {
  int64_t v;
  if (chk_i64(ttl, &v)) return SHMD_E_NOTINT;
  int secs = (tf & (SHMD_TTL_EX | SHMD_TTL_EXAT)) != 0;
  if (v <= 0 || (secs && v > INT64_MAX / 1000))
    return shmd_err(SHMD_E_INVAL, "ERR invalid expire time in '%s' command", cmd);
  int64_t ms = secs ? v * 1000 : v;
  if (tf & (SHMD_TTL_EX | SHMD_TTL_PX)) {
    int64_t now = os_now_ms();
    if (ms > INT64_MAX - now)
      return shmd_err(SHMD_E_INVAL, "ERR invalid expire time in '%s' command", cmd);
    ms += now;
  }
  *when = ms;
  return SHMD_OK;
}

static int ttl_flags(uint32_t flags, uint32_t *tf) {
  *tf = flags & (SHMD_TTL_EX | SHMD_TTL_PX | SHMD_TTL_EXAT | SHMD_TTL_PXAT);
  if (*tf & (*tf - 1)) return shmd_err(SHMD_E_INVAL, "ERR syntax error");
  return SHMD_OK;
}

/* ---- GET ---- */

struct get_ctx {
  const uint8_t *key;
  uint32_t klen;
  uint64_t h;
  uint8_t *out;
  uint32_t cap;
  int64_t start, end; /* GETRANGE */
  int found;
};

static int get_fn(const struct dict *d, void *vc) {
  struct get_ctx *c = vc;
  struct entry *e;
  uint32_t vlen;
  int rc = ks_read_find(d, c->key, c->klen, c->h, &e, &vlen);
  if (rc) return rc;
  c->found = e != NULL;
  if (!e) return SHMD_NIL;
  if (LD(e->type) != SHMD_T_STRING) return WRONGTYPE();
  if (vlen <= c->cap) memcpy(c->out, (uint8_t *)(e + 1) + c->klen, vlen);
  return (int)vlen;
}

SHMD_API int32_t shmd_get(int32_t h, const uint8_t *key, uint32_t klen, uint8_t *out,
                          uint32_t cap) {
  D_OR_RETURN(h);
  int rc = chk_bytes(key, klen, SHMD_MAX_KEY, "key");
  if (rc || (rc = chk_out(out, cap))) return rc;
  struct get_ctx c = {key, klen, ks_hash(d, key, klen), out, cap, 0, 0, 0};
  rc = read_op(d, c.h, get_fn, &c);
  count_hit(d, c.found);
  return rc;
}

SHMD_API int32_t shmd_prefetch(int32_t h, const uint8_t *key, uint32_t klen) {
  D_OR_RETURN(h);
  int rc = chk_bytes(key, klen, SHMD_MAX_KEY, "key");
  if (rc) return rc;
  ks_prefetch(d, ks_hash(d, key, klen));
  return SHMD_OK;
}

/* ---- SET ---- */

#define SET_FLAGS                                                                          \
  (SHMD_SET_NX | SHMD_SET_XX | SHMD_SET_GET | SHMD_SET_KEEPTTL | SHMD_TTL_EX | SHMD_TTL_PX | \
   SHMD_TTL_EXAT | SHMD_TTL_PXAT)

SHMD_API int32_t shmd_set(int32_t h, const uint8_t *key, uint32_t klen, const uint8_t *val,
                          uint32_t vlen, uint32_t flags, double ttl, uint8_t *out,
                          uint32_t cap) {
  D_OR_RETURN(h);
  int rc = chk_bytes(key, klen, SHMD_MAX_KEY, "key");
  if (rc || (rc = chk_bytes(val, vlen, SHMD_MAX_VALUE, "value")) || (rc = chk_out(out, cap)))
    return rc;
  uint32_t tf;
  if (flags & ~SET_FLAGS) return shmd_err(SHMD_E_INVAL, "unknown SET flags 0x%x", flags);
  if ((rc = ttl_flags(flags, &tf))) return rc;
  if ((tf && (flags & SHMD_SET_KEEPTTL)) || ((flags & SHMD_SET_NX) && (flags & SHMD_SET_XX)))
    return shmd_err(SHMD_E_INVAL, "ERR syntax error");
  int64_t when = 0;
  if (tf && (rc = deadline(tf, ttl, "set", &when))) return rc;
  uint64_t hh = ks_hash(d, key, klen);
  if ((rc = w_begin(d))) return rc;
  int64_t now = tf ? os_now_ms() : 0; /* 0: the lookup reads the clock if it must */
  uint32_t *link, off;
  rc = ks_find_live(d, key, klen, hh, &link, &off, now);
  if (rc) return w_end(d, rc);
  struct entry *e = off ? (struct entry *)blk_data(d, off) : NULL;
  int32_t res = SHMD_OK;
  if (flags & SHMD_SET_GET) {
    if (e && e->type != SHMD_T_STRING) return w_end(d, WRONGTYPE());
    if (e && e->vlen > cap) return w_end(d, (int)e->vlen);
    res = e ? (int)e->vlen : SHMD_NIL;
    if (e) memcpy(out, val_of(e), e->vlen);
  }
  if (((flags & SHMD_SET_NX) && e) || ((flags & SHMD_SET_XX) && !e))
    return w_end(d, (flags & SHMD_SET_GET) ? res : SHMD_NIL);
  int64_t exp = tf ? when : ((flags & SHMD_SET_KEEPTTL) && e ? e->expire : 0);
  if (tf && when <= now) {
    /* A deadline already past: the key is set and expires at once. */
    if (e) ks_delete(d, link, off);
    return w_end(d, res);
  }
  rc = str_put(d, key, klen, hh, link, off, val, vlen, exp);
  return w_end(d, rc ? rc : res);
}

/* ---- MGET / MSET ---- */

SHMD_API int32_t shmd_mget(int32_t h, const uint8_t *argv, uint32_t argv_len, uint8_t *out,
                           uint32_t cap) {
  D_OR_RETURN(h);
  uint32_t n;
  int rc = argv_check(argv, argv_len, &n, 0);
  if (rc || (rc = chk_out(out, cap))) return rc;
  if ((rc = x_lock(d))) return rc;
  uint64_t at = 4, len = 4;
  struct lookahead la;
  la_init(&la, d, argv, n, 1);
  for (uint32_t i = 0; i < n; i++) {
    la_next(&la, d, argv);
    uint32_t klen;
    const uint8_t *key = argv_item(argv, &at, &klen);
    struct entry *e;
    uint32_t vlen;
    rc = ks_read_find(d, key, klen, ks_hash(d, key, klen), &e, &vlen);
    if (rc) {
      x_unlock(d);
      atomic_store(&d->hdr->corrupt, 1);
      return shmd_err(SHMD_E_CORRUPT, "dictionary %s failed a bounds check", d->name);
    }
    int32_t l = (e && e->type == SHMD_T_STRING) ? (int32_t)vlen : -1;
    count_hit(d, e != NULL);
    if (len + 4 + (l > 0 ? l : 0) <= cap) {
      memcpy(out + len, &l, 4);
      if (l > 0) memcpy(out + len + 4, val_of(e), (size_t)l);
    }
    len += 4 + (uint64_t)(l > 0 ? l : 0);
  }
  x_unlock(d);
  if (len > INT32_MAX) return shmd_err(SHMD_E_TOOBIG, "MGET reply too large");
  if (len <= cap) memcpy(out, &n, 4);
  return (int32_t)len;
}

SHMD_API int32_t shmd_mset(int32_t h, const uint8_t *argv, uint32_t argv_len, uint32_t nx) {
  D_OR_RETURN(h);
  uint32_t n;
  int rc = argv_check(argv, argv_len, &n, 1);
  if (rc) return rc;
  if ((rc = w_begin(d))) return rc;
  int64_t now = os_now_ms();
  uint64_t at = 4;
  uint32_t *link, off, klen, vlen;
  if (nx) {
    for (uint32_t i = 0; i < n; i += 2) {
      const uint8_t *key = argv_item(argv, &at, &klen);
      argv_item(argv, &at, &vlen);
      rc = ks_find_live(d, key, klen, ks_hash(d, key, klen), &link, &off, now);
      if (rc || off) return w_end(d, rc ? rc : 0);
    }
    at = 4;
  }
  struct lookahead la;
  la_init(&la, d, argv, n / 2, 2);
  for (uint32_t i = 0; i < n; i += 2) {
    la_next(&la, d, argv);
    const uint8_t *key = argv_item(argv, &at, &klen);
    const uint8_t *val = argv_item(argv, &at, &vlen);
    if (!j_room(d, 8192)) return w_end(d, j_fail(d, "this MSET"));
    ks_grow_step(d); /* a big MSET must keep a table doubling moving */
    uint64_t hh = ks_hash(d, key, klen);
    rc = ks_find_live(d, key, klen, hh, &link, &off, now);
    if (!rc) rc = str_put(d, key, klen, hh, link, off, val, vlen, 0);
    if (rc) return w_end(d, rc);
  }
  return w_end(d, nx ? 1 : SHMD_OK);
}

/* ---- GETDEL / GETEX ---- */

SHMD_API int32_t shmd_getdel(int32_t h, const uint8_t *key, uint32_t klen, uint8_t *out,
                             uint32_t cap) {
  D_OR_RETURN(h);
  int rc = chk_bytes(key, klen, SHMD_MAX_KEY, "key");
  if (rc || (rc = chk_out(out, cap))) return rc;
  uint64_t hh = ks_hash(d, key, klen);
  if ((rc = w_begin(d))) return rc;
  uint32_t *link, off;
  rc = ks_find_live(d, key, klen, hh, &link, &off, os_now_ms());
  if (rc || !off) return w_end(d, rc ? rc : SHMD_NIL);
  struct entry *e = (struct entry *)blk_data(d, off);
  if (e->type != SHMD_T_STRING) return w_end(d, WRONGTYPE());
  int32_t len = (int32_t)e->vlen;
  if ((uint32_t)len > cap) return w_end(d, len);
  memcpy(out, val_of(e), (size_t)len);
  ks_delete(d, link, off);
  return w_end(d, len);
}

SHMD_API int32_t shmd_getex(int32_t h, const uint8_t *key, uint32_t klen, uint32_t flags,
                            double ttl, uint8_t *out, uint32_t cap) {
  D_OR_RETURN(h);
  int rc = chk_bytes(key, klen, SHMD_MAX_KEY, "key");
  if (rc || (rc = chk_out(out, cap))) return rc;
  uint32_t tf;
  if (flags & ~(SHMD_TTL_EX | SHMD_TTL_PX | SHMD_TTL_EXAT | SHMD_TTL_PXAT | SHMD_TTL_PERSIST))
    return shmd_err(SHMD_E_INVAL, "unknown GETEX flags 0x%x", flags);
  if ((rc = ttl_flags(flags, &tf))) return rc;
  if (tf && (flags & SHMD_TTL_PERSIST)) return shmd_err(SHMD_E_INVAL, "ERR syntax error");
  uint64_t hh = ks_hash(d, key, klen);
  if ((rc = w_begin(d))) return rc;
  uint32_t *link, off;
  int64_t now = os_now_ms();
  rc = ks_find_live(d, key, klen, hh, &link, &off, now);
  count_hit(d, off != 0);
  if (rc || !off) return w_end(d, rc ? rc : SHMD_NIL);
  struct entry *e = (struct entry *)blk_data(d, off);
  if (e->type != SHMD_T_STRING) return w_end(d, WRONGTYPE());
  /* as Redis: syntax, then the key, then its type, then the expiry's value */
  int64_t when = 0;
  if (tf && (rc = deadline(tf, ttl, "getex", &when))) return w_end(d, rc);
  int32_t len = (int32_t)e->vlen;
  if ((uint32_t)len > cap) return w_end(d, len);
  memcpy(out, val_of(e), (size_t)len);
  if (tf && when <= now)
    ks_delete(d, link, off);
  else if (tf)
    ks_set_expire(d, e, when);
  else if ((flags & SHMD_TTL_PERSIST) && e->expire)
    ks_set_expire(d, e, 0);
  return w_end(d, len);
}

/* ---- GETRANGE / STRLEN ---- */

static int getrange_fn(const struct dict *d, void *vc) {
  struct get_ctx *c = vc;
  struct entry *e;
  uint32_t vlen;
  int rc = ks_read_find(d, c->key, c->klen, c->h, &e, &vlen);
  if (rc) return rc;
  if (!e) return 0;
  if (LD(e->type) != SHMD_T_STRING) return WRONGTYPE();
  int64_t start = c->start, end = c->end, len = vlen;
  if (start < 0 && end < 0 && start > end) return 0;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (len == 0 || start > end) return 0;
  uint32_t n = (uint32_t)(end - start + 1);
  if (n <= c->cap) memcpy(c->out, (uint8_t *)(e + 1) + c->klen + start, n);
  return (int)n;
}

SHMD_API int32_t shmd_getrange(int32_t h, const uint8_t *key, uint32_t klen, double start,
                               double end, uint8_t *out, uint32_t cap) {
  D_OR_RETURN(h);
  struct get_ctx c = {key, klen, 0, out, cap, 0, 0, 0};
  int rc = chk_bytes(key, klen, SHMD_MAX_KEY, "key");
  if (rc || (rc = chk_out(out, cap)) || (rc = chk_i64(start, &c.start)) ||
      (rc = chk_i64(end, &c.end)))
    return rc;
  c.h = ks_hash(d, key, klen);
  return read_op(d, c.h, getrange_fn, &c);
}

static int strlen_fn(const struct dict *d, void *vc) {
  struct get_ctx *c = vc;
  struct entry *e;
  uint32_t vlen;
  int rc = ks_read_find(d, c->key, c->klen, c->h, &e, &vlen);
  if (rc) return rc;
  if (!e) return 0;
  if (LD(e->type) != SHMD_T_STRING) return WRONGTYPE();
  return (int)vlen;
}

SHMD_API int32_t shmd_strlen(int32_t h, const uint8_t *key, uint32_t klen) {
  D_OR_RETURN(h);
  int rc = chk_bytes(key, klen, SHMD_MAX_KEY, "key");
  if (rc) return rc;
  struct get_ctx c = {key, klen, ks_hash(d, key, klen), NULL, 0, 0, 0, 0};
  return read_op(d, c.h, strlen_fn, &c);
}

/* ---- SETRANGE / APPEND ---- */

/* Write val at byte `at` of the key's string, zero-padding any gap; creates the
 * key when absent (unless `create` is 0 and val is empty). Returns the new
 * length. */
static int splice(struct dict *d, const uint8_t *key, uint32_t klen, uint64_t at,
                  const uint8_t *val, uint32_t vlen, int append) {
  uint64_t hh = ks_hash(d, key, klen);
  int rc = w_begin(d);
  if (rc) return rc;
  uint32_t *link, off;
  rc = ks_find_live(d, key, klen, hh, &link, &off, os_now_ms());
  if (rc) return w_end(d, rc);
  struct entry *e = off ? (struct entry *)blk_data(d, off) : NULL;
  if (e && e->type != SHMD_T_STRING) return w_end(d, WRONGTYPE());
  uint64_t old = e ? e->vlen : 0;
  if (append) at = old;
  if (vlen == 0 && (e || !append)) return w_end(d, (int)old);
  uint64_t nlen = at + vlen > old ? at + vlen : old;
  if (nlen > SHMD_MAX_VALUE)
    return w_end(d, shmd_err(SHMD_E_TOOBIG,
                             "ERR string exceeds maximum allowed size (proto-max-bulk-len)"));
  uint64_t over = at < old ? (at + vlen < old ? at + vlen : old) - at : 0;
  if (e && (uint64_t)ENTRY_HDR + klen + nlen <= al_capacity(d, off) && over <= INPLACE_MAX) {
    w_stripe(d, e->hash);
    if (at < old) j_save(d, val_of(e) + at, (uint32_t)((at + vlen < old ? at + vlen : old) - at));
    if (at > old) memset(val_of(e) + old, 0, at - old);
    memcpy(val_of(e) + at, val, vlen);
    j_set32(d, &e->vlen, (uint32_t)nlen);
    return w_end(d, (int)nlen);
  }
  uint64_t slack = e ? nlen / 4 : 0;
  if (nlen + slack > SHMD_MAX_VALUE) slack = SHMD_MAX_VALUE - nlen;
  uint32_t neu;
  rc = ks_new_entry(d, key, klen, hh, SHMD_T_STRING, nlen + slack, &neu);
  if (rc) return w_end(d, rc);
  struct entry *en = (struct entry *)blk_data(d, neu);
  uint8_t *nv = val_of(en);
  if (old) memcpy(nv, val_of(e), old);
  if (at > old) memset(nv + old, 0, at - old);
  memcpy(nv + at, val, vlen);
  en->vlen = (uint32_t)nlen;
  if (e) {
    en->expire = e->expire;
    ks_replace(d, link, off, neu);
  } else if ((rc = ks_link(d, neu, hh))) {
    return w_end(d, rc);
  }
  return w_end(d, (int)nlen);
}

SHMD_API int32_t shmd_setrange(int32_t h, const uint8_t *key, uint32_t klen, double offset,
                               const uint8_t *val, uint32_t vlen) {
  D_OR_RETURN(h);
  int64_t at;
  int rc = chk_bytes(key, klen, SHMD_MAX_KEY, "key");
  if (rc || (rc = chk_bytes(val, vlen, SHMD_MAX_VALUE, "value")) || (rc = chk_i64(offset, &at)))
    return rc;
  if (at < 0) return shmd_err(SHMD_E_INVAL, "ERR offset is out of range");
  /* the size limit is checked after the key's type (splice), as Redis does */
  return splice(d, key, klen, (uint64_t)at, val, vlen, 0);
}

SHMD_API int32_t shmd_append(int32_t h, const uint8_t *key, uint32_t klen, const uint8_t *val,
                             uint32_t vlen) {
  D_OR_RETURN(h);
  int rc = chk_bytes(key, klen, SHMD_MAX_KEY, "key");
  if (rc || (rc = chk_bytes(val, vlen, SHMD_MAX_VALUE, "value"))) return rc;
  return splice(d, key, klen, 0, val, vlen, 1);
}

/* ---- INCRBY / INCRBYFLOAT ---- */

/* Redis's strict integer syntax: optional '-', no leading zeros, no spaces,
 * no '+', within int64. */
int str_parse_i64(const uint8_t *s, uint32_t n, int64_t *out) {
  if (n == 0 || n > 20) return 0;
  if (n == 1 && s[0] == '0') {
    *out = 0;
    return 1;
  }
  uint32_t i = 0;
  int neg = s[0] == '-';
  if (neg) i = 1;
  if (i >= n || s[i] < '1' || s[i] > '9') return 0;
  uint64_t v = 0;
  for (; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return 0;
    if (v > (UINT64_MAX - 9) / 10) return 0;
    v = v * 10 + (uint64_t)(s[i] - '0');
  }
  if (neg) {
    if (v > (uint64_t)INT64_MAX + 1) return 0;
    *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
  } else {
    if (v > (uint64_t)INT64_MAX) return 0;
    *out = (int64_t)v;
  }
  return 1;
}

SHMD_API int32_t shmd_incrby(int32_t h, const uint8_t *key, uint32_t klen, double by,
                             uint8_t *out, uint32_t cap) {
  D_OR_RETURN(h);
  int64_t inc;
  int rc = chk_bytes(key, klen, SHMD_MAX_KEY, "key");
  if (rc || (rc = chk_out(out, cap)) || (rc = chk_i64(by, &inc))) return rc;
  if (cap < 8) return shmd_err(SHMD_E_INVAL, "INCRBY needs an output buffer of 8 bytes");
  uint64_t hh = ks_hash(d, key, klen);
  if ((rc = w_begin(d))) return rc;
  uint32_t *link, off;
  rc = ks_find_live(d, key, klen, hh, &link, &off, 0);
  if (rc) return w_end(d, rc);
  struct entry *e = off ? (struct entry *)blk_data(d, off) : NULL;
  int64_t v = 0;
  if (e) {
    if (e->type != SHMD_T_STRING) return w_end(d, WRONGTYPE());
    if (!str_parse_i64(val_of(e), e->vlen, &v))
      return w_end(d, shmd_err(SHMD_E_NOTINT, "ERR value is not an integer or out of range"));
  }
  if ((inc < 0 && v < INT64_MIN - inc) || (inc > 0 && v > INT64_MAX - inc))
    return w_end(d, shmd_err(SHMD_E_OVERFLOW, "ERR increment or decrement would overflow"));
  v += inc;
  char buf[24];
  int n = snprintf(buf, sizeof buf, "%lld", (long long)v);
  rc = str_put(d, key, klen, hh, link, off, (const uint8_t *)buf, (uint32_t)n,
               e ? e->expire : 0);
  if (rc) return w_end(d, rc);
  double dv = (double)v;
  memcpy(out, &dv, 8);
  return w_end(d, SHMD_OK);
}

#define LD_CHARS 5120

/* Redis's long-double syntax: the whole text, no leading space, not NaN. */
int str_parse_ld(const uint8_t *s, uint32_t n, long double *out) {
  char buf[LD_CHARS];
  if (n == 0 || n >= sizeof buf || isspace(s[0])) return 0;
  memcpy(buf, s, n);
  buf[n] = 0;
  char *end;
  errno = 0;
  long double v = strtold(buf, &end);
  if (end != buf + n || isnan(v) || (errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || v == 0)))
    return 0;
  *out = v;
  return 1;
}

/* Redis's human formatting of a long double: %.17Lf without trailing zeros.
 * Returns the length, or 0 if it does not fit. */
int str_fmt_ld(long double v, char *buf, uint32_t cap) {
  int n = snprintf(buf, cap, "%.17Lf", v);
  if (n <= 0 || (uint32_t)n >= cap) return 0;
  if (memchr(buf, '.', (size_t)n)) {
    while (buf[n - 1] == '0') n--;
    if (buf[n - 1] == '.') n--;
  }
  if (n == 2 && buf[0] == '-' && buf[1] == '0') {
    buf[0] = '0';
    n = 1;
  }
  return n;
}

SHMD_API int32_t shmd_incrbyfloat(int32_t h, const uint8_t *key, uint32_t klen,
                                  const uint8_t *by, uint32_t bylen, uint8_t *out,
                                  uint32_t cap) {
  D_OR_RETURN(h);
  long double inc, v = 0;
  int rc = chk_bytes(key, klen, SHMD_MAX_KEY, "key");
  if (rc || (rc = chk_out(out, cap)) || (rc = chk_bytes(by, bylen, LD_CHARS, "increment")))
    return rc;
  uint64_t hh = ks_hash(d, key, klen);
  if ((rc = w_begin(d))) return rc;
  uint32_t *link, off;
  rc = ks_find_live(d, key, klen, hh, &link, &off, os_now_ms());
  if (rc) return w_end(d, rc);
  struct entry *e = off ? (struct entry *)blk_data(d, off) : NULL;
  /* as Redis: the key's type, its value, then the increment */
  if (e) {
    if (e->type != SHMD_T_STRING) return w_end(d, WRONGTYPE());
    if (!str_parse_ld(val_of(e), e->vlen, &v))
      return w_end(d, shmd_err(SHMD_E_NOTFLOAT, "ERR value is not a valid float"));
  }
  if (!str_parse_ld(by, bylen, &inc))
    return w_end(d, shmd_err(SHMD_E_NOTFLOAT, "ERR value is not a valid float"));
  v += inc;
  if (isnan(v) || isinf(v))
    return w_end(d, shmd_err(SHMD_E_NOTFLOAT, "ERR increment would produce NaN or Infinity"));
  char buf[LD_CHARS];
  int n = str_fmt_ld(v, buf, sizeof buf);
  if (n <= 0) return w_end(d, shmd_err(SHMD_E_NOTFLOAT, "ERR value is not a valid float"));
  if ((uint32_t)n > cap) return w_end(d, n);
  rc = str_put(d, key, klen, hh, link, off, (const uint8_t *)buf, (uint32_t)n,
               e ? e->expire : 0);
  if (rc) return w_end(d, rc);
  memcpy(out, buf, (size_t)n);
  return w_end(d, n);
}
