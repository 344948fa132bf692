/*
 * t_keys.c — the generic key commands: DEL/UNLINK, EXISTS, TYPE, RENAME(NX),
 * COPY, EXPIRE and its variants, TTL and its variants, PERSIST, SCAN, KEYS.
 *
 * Single-key reads (EXISTS, TYPE, TTL) run lock-free through read_op. Commands
 * that take many keys check for journal room before each key so that a huge
 * DEL fails whole (SHMD_E_TOOBIG) rather than half done. RENAME and COPY look
 * keys up again after every change to the index, since a deletion can free the
 * entry that held a previously found link.
 */
#include <math.h>

#include "internal.h"

#define LD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

SHMD_API int32_t shmd_del(int32_t h, const uint8_t *argv, uint32_t argv_len) {
  D_OR_RETURN(h);
  uint32_t n;
  int rc = argv_check(argv, argv_len, &n, 0);
  if (rc || (rc = w_begin(d))) return rc;
  int64_t now = os_now_ms();
  uint64_t at = 4;
  int32_t removed = 0;
  struct lookahead la;
  la_init(&la, d, argv, n, 1);
  for (uint32_t i = 0; i < n; i++) {
    la_next(&la, d, argv);
    uint32_t klen, *link, off;
    const uint8_t *key = argv_item(argv, &at, &klen);
    if (!j_room(d, 4096)) return w_end(d, j_fail(d, "this DEL"));
    rc = ks_find_live(d, key, klen, ks_hash(d, key, klen), &link, &off, now);
    if (rc) return w_end(d, rc);
    if (off) {
      ks_delete(d, link, off);
      removed++;
    }
  }
  return w_end(d, removed);
}

struct key_ctx {
  const uint8_t *key;
  uint32_t klen;
  uint64_t h;
  uint32_t flags;
  double result;
};

static int type_fn(const struct dict *d, void *vc) {
  struct key_ctx *c = vc;
  struct entry *e;
  uint32_t vlen;
  int rc = ks_read_find(d, c->key, c->klen, c->h, &e, &vlen);
  if (rc) return rc;
  return e ? LD(e->type) : SHMD_T_NONE;
}

SHMD_API int32_t shmd_exists(int32_t h, const uint8_t *argv, uint32_t argv_len) {
  D_OR_RETURN(h);
  uint32_t n;
  int rc = argv_check(argv, argv_len, &n, 0);
  if (rc) return rc;
  uint64_t at = 4;
  int32_t found = 0;
  struct lookahead la;
  la_init(&la, d, argv, n, 1);
  for (uint32_t i = 0; i < n; i++) {
    la_next(&la, d, argv);
    struct key_ctx c = {0};
    c.key = argv_item(argv, &at, &c.klen);
    c.h = ks_hash(d, c.key, c.klen);
    rc = read_op(d, c.h, type_fn, &c);
    if (rc < 0) return rc;
    found += rc != SHMD_T_NONE;
  }
  return found;
}

SHMD_API int32_t shmd_type(int32_t h, const uint8_t *key, uint32_t klen) {
  D_OR_RETURN(h);
  int rc = chk_bytes(key, klen, SHMD_MAX_KEY, "key");
  if (rc) return rc;
  struct key_ctx c = {key, klen, ks_hash(d, key, klen), 0, 0};
  return read_op(d, c.h, type_fn, &c);
}

/* ---- RENAME / COPY ---- */

/* Make a new entry for key dst holding a copy of entry src's value. For a
 * container the copy holds the same encoding and roots: RENAME moves the
 * trees or the packed block that way; COPY then deep-copies them (deep). */
static int clone_entry(struct dict *d, struct entry *src, const uint8_t *dst, uint32_t dlen,
                       uint64_t dh, uint32_t *neu, int deep) {
  int rc = ks_new_entry(d, dst, dlen, dh, src->type, src->vlen, neu);
  if (rc) return rc;
  struct entry *en = (struct entry *)blk_data(d, *neu);
  en->vlen = src->vlen;
  en->voff = src->voff;
  en->enc = src->enc;
  en->expire = src->expire;
  memcpy(entry_val(en), entry_val(src), src->vlen);
  if (deep && src->type != SHMD_T_STRING) return c_copy(d, src, en);
  return SHMD_OK;
}

/* Put entry neu (key dst) in place of whatever dst holds. */
static int install(struct dict *d, const uint8_t *dst, uint32_t dlen, uint64_t dh, uint32_t neu,
                   int64_t now) {
  uint32_t *link, off;
  int rc = ks_find_live(d, dst, dlen, dh, &link, &off, now);
  if (rc) return rc;
  if (off) {
    ks_replace(d, link, off, neu);
    return SHMD_OK;
  }
  return ks_link(d, neu, dh);
}

SHMD_API int32_t shmd_rename(int32_t h, const uint8_t *src, uint32_t slen, const uint8_t *dst,
                             uint32_t dlen, uint32_t nx) {
  D_OR_RETURN(h);
  int rc = chk_bytes(src, slen, SHMD_MAX_KEY, "key");
  if (rc || (rc = chk_bytes(dst, dlen, SHMD_MAX_KEY, "key"))) return rc;
  uint64_t sh = ks_hash(d, src, slen), dh = ks_hash(d, dst, dlen);
  if ((rc = w_begin(d))) return rc;
  int64_t now = os_now_ms();
  uint32_t *link, off, *dlink, doff;
  rc = ks_find_live(d, src, slen, sh, &link, &off, now);
  if (rc) return w_end(d, rc);
  if (!off) return w_end(d, shmd_err(SHMD_E_NOENT, "ERR no such key"));
  if (slen == dlen && memcmp(src, dst, slen) == 0) return w_end(d, nx ? 0 : SHMD_OK);
  if (nx) {
    rc = ks_find_live(d, dst, dlen, dh, &dlink, &doff, now);
    if (rc || doff) return w_end(d, rc ? rc : 0);
  }
  uint32_t neu;
  rc = clone_entry(d, (struct entry *)blk_data(d, off), dst, dlen, dh, &neu, 0);
  if (rc || (rc = install(d, dst, dlen, dh, neu, now))) return w_end(d, rc);
  /* The value now belongs to neu: drop the old entry without its value. */
  rc = ks_lookup(d, src, slen, sh, &link, &off);
  if (rc || !off) return w_end(d, rc ? rc : shmd_err(SHMD_E_CORRUPT, "renamed key vanished"));
  ks_unlink_free(d, link, off);
  return w_end(d, nx ? 1 : SHMD_OK);
}

SHMD_API int32_t shmd_copy(int32_t h, const uint8_t *src, uint32_t slen, const uint8_t *dst,
                           uint32_t dlen, uint32_t replace) {
  D_OR_RETURN(h);
  int rc = chk_bytes(src, slen, SHMD_MAX_KEY, "key");
  if (rc || (rc = chk_bytes(dst, dlen, SHMD_MAX_KEY, "key"))) return rc;
  if (slen == dlen && memcmp(src, dst, slen) == 0)
    return shmd_err(SHMD_E_INVAL, "ERR source and destination objects are the same");
  uint64_t sh = ks_hash(d, src, slen), dh = ks_hash(d, dst, dlen);
  if ((rc = w_begin(d))) return rc;
  int64_t now = os_now_ms();
  uint32_t *link, off, *dlink, doff;
  rc = ks_find_live(d, src, slen, sh, &link, &off, now);
  if (rc || !off) return w_end(d, rc ? rc : 0);
  rc = ks_find_live(d, dst, dlen, dh, &dlink, &doff, now);
  if (rc || (doff && !replace)) return w_end(d, rc ? rc : 0);
  /* ks_find_live on dst may have removed an expired dst; src is still valid:
   * expiry only frees dst's own entry. Look src up again all the same. */
  if ((rc = ks_lookup(d, src, slen, sh, &link, &off))) return w_end(d, rc);
  uint32_t neu;
  rc = clone_entry(d, (struct entry *)blk_data(d, off), dst, dlen, dh, &neu, 1);
  if (rc || (rc = install(d, dst, dlen, dh, neu, now))) return w_end(d, rc);
  return w_end(d, 1);
}

/* ---- EXPIRE family ---- */

SHMD_API int32_t shmd_expire(int32_t h, const uint8_t *key, uint32_t klen, double when,
                             uint32_t flags) {
  D_OR_RETURN(h);
  int64_t v;
  int rc = chk_bytes(key, klen, SHMD_MAX_KEY, "key");
  if (rc) return rc;
  uint32_t known = SHMD_EXP_MS | SHMD_EXP_AT | SHMD_EXP_NX | SHMD_EXP_XX | SHMD_EXP_GT |
                   SHMD_EXP_LT;
  if (flags & ~known) return shmd_err(SHMD_E_INVAL, "unknown EXPIRE flags 0x%x", flags);
  if ((flags & SHMD_EXP_NX) && (flags & (SHMD_EXP_XX | SHMD_EXP_GT | SHMD_EXP_LT)))
    return shmd_err(SHMD_E_INVAL,
                    "ERR NX and XX, GT or LT options at the same time are not compatible");
  if ((flags & SHMD_EXP_GT) && (flags & SHMD_EXP_LT))
    return shmd_err(SHMD_E_INVAL, "ERR GT and LT options at the same time are not compatible");
  if ((rc = chk_i64(when, &v))) return rc; /* as Redis: options first, then the number */
  const char *cmd = (flags & SHMD_EXP_AT) ? ((flags & SHMD_EXP_MS) ? "pexpireat" : "expireat")
                                          : ((flags & SHMD_EXP_MS) ? "pexpire" : "expire");
  int64_t now = os_now_ms();
  if (!(flags & SHMD_EXP_MS)) {
    if (v > INT64_MAX / 1000 || v < INT64_MIN / 1000)
      return shmd_err(SHMD_E_INVAL, "ERR invalid expire time in '%s' command", cmd);
    v *= 1000;
  }
  if (!(flags & SHMD_EXP_AT)) {
    if ((v > 0 && v > INT64_MAX - now) || (v < 0 && v < INT64_MIN + now))
      return shmd_err(SHMD_E_INVAL, "ERR invalid expire time in '%s' command", cmd);
    v += now;
  }
  uint64_t hh = ks_hash(d, key, klen);
  if ((rc = w_begin(d))) return rc;
  uint32_t *link, off;
  now = os_now_ms();
  rc = ks_find_live(d, key, klen, hh, &link, &off, now);
  if (rc || !off) return w_end(d, rc ? rc : 0);
  struct entry *e = (struct entry *)blk_data(d, off);
  int64_t cur = e->expire;
  if ((flags & SHMD_EXP_NX) && cur) return w_end(d, 0);
  if ((flags & SHMD_EXP_XX) && !cur) return w_end(d, 0);
  if ((flags & SHMD_EXP_GT) && (!cur || v <= cur)) return w_end(d, 0);
  if ((flags & SHMD_EXP_LT) && cur && v >= cur) return w_end(d, 0);
  if (v <= now) {
    ks_delete(d, link, off);
    return w_end(d, 1);
  }
  if (v == 0) v = 1; /* 0 means "no deadline" in an entry */
  ks_set_expire(d, e, v);
  return w_end(d, 1);
}

static int ttl_fn(const struct dict *d, void *vc) {
  struct key_ctx *c = vc;
  struct entry *e;
  uint32_t vlen;
  int rc = ks_read_find(d, c->key, c->klen, c->h, &e, &vlen);
  if (rc) return rc;
  if (!e) {
    c->result = -2;
    return SHMD_OK;
  }
  int64_t exp = LD(e->expire);
  if (!exp) {
    c->result = -1;
    return SHMD_OK;
  }
  /* As Redis: the remaining (or absolute) ms, or seconds rounded to nearest. */
  int64_t left = (c->flags & SHMD_TTLQ_AT) ? exp : exp - os_now_ms();
  if (left < 0) left = 0;
  c->result = (c->flags & SHMD_TTLQ_MS) ? (double)left : (double)((left + 500) / 1000);
  return SHMD_OK;
}

SHMD_API int32_t shmd_ttl(int32_t h, const uint8_t *key, uint32_t klen, uint32_t flags,
                          uint8_t *out, uint32_t cap) {
  D_OR_RETURN(h);
  int rc = chk_bytes(key, klen, SHMD_MAX_KEY, "key");
  if (rc || (rc = chk_out(out, cap))) return rc;
  if (cap < 8) return shmd_err(SHMD_E_INVAL, "TTL needs an output buffer of 8 bytes");
  if (flags & ~(SHMD_TTLQ_MS | SHMD_TTLQ_AT))
    return shmd_err(SHMD_E_INVAL, "unknown TTL flags 0x%x", flags);
  struct key_ctx c = {key, klen, ks_hash(d, key, klen), flags, 0};
  rc = read_op(d, c.h, ttl_fn, &c);
  if (rc) return rc;
  memcpy(out, &c.result, 8);
  return SHMD_OK;
}

SHMD_API int32_t shmd_persist(int32_t h, const uint8_t *key, uint32_t klen) {
  D_OR_RETURN(h);
  int rc = chk_bytes(key, klen, SHMD_MAX_KEY, "key");
  if (rc) return rc;
  uint64_t hh = ks_hash(d, key, klen);
  if ((rc = w_begin(d))) return rc;
  uint32_t *link, off;
  rc = ks_find_live(d, key, klen, hh, &link, &off, os_now_ms());
  if (rc || !off) return w_end(d, rc ? rc : 0);
  struct entry *e = (struct entry *)blk_data(d, off);
  if (!e->expire) return w_end(d, 0);
  ks_set_expire(d, e, 0);
  return w_end(d, 1);
}

/* ---- SCAN / KEYS ---- */

SHMD_API int32_t shmd_scan(int32_t h, double cursor, const uint8_t *pattern, uint32_t plen,
                           double count, uint32_t type, uint8_t *out, uint32_t cap) {
  D_OR_RETURN(h);
  int64_t cur, cnt;
  int rc = chk_bytes(pattern, plen, SHMD_MAX_KEY, "pattern");
  if (rc || (rc = chk_out(out, cap)) || (rc = chk_i64(cursor, &cur)) || (rc = chk_i64(count, &cnt)))
    return rc;
  if (cur < 0) return shmd_err(SHMD_E_INVAL, "ERR invalid cursor");
  if (cnt < 1) return shmd_err(SHMD_E_INVAL, "ERR syntax error");
  /* SHMD_SCAN_MATCH in type: a MATCH pattern is given (so that "" can be one) */
  int match = (type & SHMD_SCAN_MATCH) || plen > 0;
  type &= ~SHMD_SCAN_MATCH;
  if (type > SHMD_T_HASH) return shmd_err(SHMD_E_INVAL, "unknown type %u", type);
  if (match && !pattern) pattern = (const uint8_t *)"";
  if ((rc = x_lock(d))) return rc;
  uint64_t next;
  rc = ks_scan(d, (uint64_t)cur, match ? pattern : NULL, plen, (uint64_t)cnt, type, os_now_ms(),
               out, cap, &next);
  x_unlock(d);
  return rc;
}

SHMD_API int32_t shmd_keys(int32_t h, const uint8_t *pattern, uint32_t plen, uint8_t *out,
                           uint32_t cap) {
  D_OR_RETURN(h);
  int rc = chk_bytes(pattern, plen, SHMD_MAX_KEY, "pattern");
  if (rc || (rc = chk_out(out, cap))) return rc;
  if ((rc = x_lock(d))) return rc;
  rc = ks_keys(d, pattern ? pattern : (const uint8_t *)"", plen, os_now_ms(), out, cap);
  x_unlock(d);
  return rc;
}
