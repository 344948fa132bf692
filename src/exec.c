/*
 * exec.c — shmd_exec, the one entry point of the container commands: argument
 * parsing, the op table and the reply writer.
 *
 * Containers and their two encodings are container.c's business.
 *
 * Read-only ops run lock-free through read_op (api.c), writing their reply
 * into the caller's buffer on every try; write ops run in a w_begin/w_end
 * frame. A write whose reply does not fit the caller's buffer is undone and
 * reports the length needed, so "nothing was done" holds for every op.
 */
#include <math.h>
#include <stdlib.h>

#include "internal.h"

/* ---- the reply writer ---- */

static void rw_put(struct rw *w, const void *p, uint32_t n) {
  if (w->len + n <= w->cap) memcpy(w->out + w->len, p, n);
  w->len += n;
}
void rw_tag(struct rw *w, uint8_t tag) { rw_put(w, &tag, 1); }
void rw_int(struct rw *w, double v) {
  rw_tag(w, 'i');
  rw_put(w, &v, 8);
}
void rw_dbl(struct rw *w, double v) {
  rw_tag(w, 'd');
  rw_put(w, &v, 8);
}
void rw_str(struct rw *w, const uint8_t *p, uint32_t n) {
  rw_tag(w, 's');
  rw_put(w, &n, 4);
  rw_put(w, p, n);
}
uint64_t rw_arr(struct rw *w, uint32_t count) {
  uint64_t at = w->len;
  rw_tag(w, 'a');
  rw_put(w, &count, 4);
  return at;
}
void rw_arr_fix(struct rw *w, uint64_t at, uint32_t count) {
  if (at + 5 <= w->cap) memcpy(w->out + at + 1, &count, 4);
}

/* ---- the op table ---- */

struct op {
  uint32_t op;
  uint8_t type;    /* SHMD_T_* of the first key */
  uint8_t write;   /* 0: lock-free read; 1: write; 2: read of several keys, under the lock */
  xop_fn fn;
};

static const struct op g_ops[] = {
    {SHMD_OP_HSET, SHMD_T_HASH, 1, x_hset},
    {SHMD_OP_HSETNX, SHMD_T_HASH, 1, x_hset},
    {SHMD_OP_HGET, SHMD_T_HASH, 0, x_hget},
    {SHMD_OP_HMGET, SHMD_T_HASH, 0, x_hget},
    {SHMD_OP_HGETALL, SHMD_T_HASH, 0, x_hall},
    {SHMD_OP_HKEYS, SHMD_T_HASH, 0, x_hall},
    {SHMD_OP_HVALS, SHMD_T_HASH, 0, x_hall},
    {SHMD_OP_HDEL, SHMD_T_HASH, 1, x_hdel},
    {SHMD_OP_HEXISTS, SHMD_T_HASH, 0, x_hget},
    {SHMD_OP_HLEN, SHMD_T_HASH, 0, x_hlen},
    {SHMD_OP_HSTRLEN, SHMD_T_HASH, 0, x_hget},
    {SHMD_OP_HINCRBY, SHMD_T_HASH, 1, x_hincr},
    {SHMD_OP_HINCRBYFLOAT, SHMD_T_HASH, 1, x_hincr},
    {SHMD_OP_HRANDFIELD, SHMD_T_HASH, 0, x_hrand},
    {SHMD_OP_HSCAN, SHMD_T_HASH, 0, x_scan},
    {SHMD_OP_SADD, SHMD_T_SET, 1, x_sadd},
    {SHMD_OP_SREM, SHMD_T_SET, 1, x_hdel},
    {SHMD_OP_SMEMBERS, SHMD_T_SET, 0, x_hall},
    {SHMD_OP_SISMEMBER, SHMD_T_SET, 0, x_sismember},
    {SHMD_OP_SMISMEMBER, SHMD_T_SET, 0, x_sismember},
    {SHMD_OP_SCARD, SHMD_T_SET, 0, x_hlen},
    {SHMD_OP_SPOP, SHMD_T_SET, 1, x_spop},
    {SHMD_OP_SRANDMEMBER, SHMD_T_SET, 0, x_hrand},
    {SHMD_OP_SMOVE, SHMD_T_SET, 1, x_smove},
    {SHMD_OP_SINTER, SHMD_T_SET, 2, x_salgebra},
    {SHMD_OP_SUNION, SHMD_T_SET, 2, x_salgebra},
    {SHMD_OP_SDIFF, SHMD_T_SET, 2, x_salgebra},
    {SHMD_OP_SINTERCARD, SHMD_T_SET, 2, x_salgebra},
    {SHMD_OP_SINTERSTORE, SHMD_T_SET, 1, x_sstore},
    {SHMD_OP_SUNIONSTORE, SHMD_T_SET, 1, x_sstore},
    {SHMD_OP_SDIFFSTORE, SHMD_T_SET, 1, x_sstore},
    {SHMD_OP_SSCAN, SHMD_T_SET, 0, x_scan},
    {SHMD_OP_ZADD, SHMD_T_ZSET, 1, x_zadd},
    {SHMD_OP_ZINCRBY, SHMD_T_ZSET, 1, x_zadd},
    {SHMD_OP_ZSCORE, SHMD_T_ZSET, 0, x_zscore},
    {SHMD_OP_ZMSCORE, SHMD_T_ZSET, 0, x_zscore},
    {SHMD_OP_ZREM, SHMD_T_ZSET, 1, x_zrem},
    {SHMD_OP_ZCARD, SHMD_T_ZSET, 0, x_hlen},
    {SHMD_OP_ZCOUNT, SHMD_T_ZSET, 0, x_zrange},
    {SHMD_OP_ZLEXCOUNT, SHMD_T_ZSET, 0, x_zrange},
    {SHMD_OP_ZRANK, SHMD_T_ZSET, 0, x_zrank},
    {SHMD_OP_ZRANGE, SHMD_T_ZSET, 0, x_zrange},
    {SHMD_OP_ZREMRANGEBYRANK, SHMD_T_ZSET, 1, x_zremrange},
    {SHMD_OP_ZREMRANGEBYSCORE, SHMD_T_ZSET, 1, x_zremrange},
    {SHMD_OP_ZPOPMIN, SHMD_T_ZSET, 1, x_zpop},
    {SHMD_OP_ZPOPMAX, SHMD_T_ZSET, 1, x_zpop},
    {SHMD_OP_ZRANDMEMBER, SHMD_T_ZSET, 0, x_hrand},
    {SHMD_OP_ZSCAN, SHMD_T_ZSET, 0, x_scan},
    {SHMD_OP_LPUSH, SHMD_T_LIST, 1, x_push},
    {SHMD_OP_RPUSH, SHMD_T_LIST, 1, x_push},
    {SHMD_OP_LPOP, SHMD_T_LIST, 1, x_pop},
    {SHMD_OP_RPOP, SHMD_T_LIST, 1, x_pop},
    {SHMD_OP_LLEN, SHMD_T_LIST, 0, x_hlen},
    {SHMD_OP_LRANGE, SHMD_T_LIST, 0, x_lrange},
    {SHMD_OP_LINDEX, SHMD_T_LIST, 0, x_lrange},
    {SHMD_OP_LSET, SHMD_T_LIST, 1, x_lset},
    {SHMD_OP_LINSERT, SHMD_T_LIST, 1, x_linsert},
    {SHMD_OP_LREM, SHMD_T_LIST, 1, x_lrem},
    {SHMD_OP_LTRIM, SHMD_T_LIST, 1, x_ltrim},
    {SHMD_OP_LPOS, SHMD_T_LIST, 0, x_lpos},
    {SHMD_OP_LMOVE, SHMD_T_LIST, 1, x_lmove},
};

static const struct op *find_op(uint32_t op) {
  for (size_t i = 0; i < sizeof g_ops / sizeof g_ops[0]; i++)
    if (g_ops[i].op == op) return &g_ops[i];
  return NULL;
}

/* How many leading arguments of op are keys (the rest are values). */
static uint32_t keys_of(uint32_t op, uint32_t n) {
  switch (op) {
    case SHMD_OP_SMOVE:
    case SHMD_OP_LMOVE: return 2;
    case SHMD_OP_SINTER: case SHMD_OP_SUNION: case SHMD_OP_SDIFF: case SHMD_OP_SINTERCARD:
    case SHMD_OP_SINTERSTORE: case SHMD_OP_SUNIONSTORE: case SHMD_OP_SDIFFSTORE: return n;
    default: return 1;
  }
}

static int read_fn_adapter(const struct dict *d, void *ctx) {
  struct xctx *x = ctx;
  (void)d;
  x->w.len = 0;
  return x->fn(x);
}

#define ARGS_STACK 32

SHMD_API int32_t shmd_exec(int32_t h, uint32_t op, const uint8_t *argv, uint32_t argv_len,
                           const double *nums, uint32_t nnums, uint32_t flags, uint8_t *out,
                           uint32_t cap) {
  D_OR_RETURN(h);
  const struct op *o = find_op(op);
  if (!o) return shmd_err(SHMD_E_INVAL, "unknown op %u", op);
  uint32_t n;
  int rc = argv_check(argv, argv_len, &n, 2);
  if (rc || (rc = chk_out(out, cap))) return rc;
  if (!nums && nnums) return shmd_err(SHMD_E_INVAL, "nums: NULL pointer with a count");
  for (uint32_t i = 0; i < nnums; i++)
    if (isnan(nums[i])) return shmd_err(SHMD_E_NOTFLOAT, "ERR value is not a valid float");
  struct arg stack_args[ARGS_STACK];
  struct arg *args = n <= ARGS_STACK ? stack_args : malloc(n * sizeof *args);
  if (!args) return shmd_err(SHMD_E_SYS, "out of process memory");
  uint64_t at = 4;
  for (uint32_t i = 0; i < n; i++) args[i].p = argv_item(argv, &at, &args[i].n);
  for (uint32_t i = 1; i < keys_of(op, n) && i < n; i++)
    if (args[i].n > SHMD_MAX_KEY) {
      if (args != stack_args) free(args);
      return shmd_err(SHMD_E_TOOBIG, "key of %u bytes is larger than the limit of %u", args[i].n,
                      SHMD_MAX_KEY);
    }
  struct xctx x;
  memset(&x, 0, sizeof x);
  x.d = d;
  x.op = op;
  x.type = o->type;
  x.args = args;
  x.nargs = n;
  x.nums = nums;
  x.nnums = nnums;
  x.flags = flags;
  x.key = args[0].p;
  x.klen = args[0].n;
  x.h = ks_hash(d, x.key, x.klen);
  x.fn = o->fn;
  x.w.out = out;
  x.w.cap = cap;
  if (o->write == 0) {
    x.now = os_now_ms();
    rc = read_op(d, x.h, read_fn_adapter, &x);
  } else if (o->write == 2) {
    x.now = os_now_ms();
    if ((rc = x_lock(d)) == SHMD_OK) {
      rc = o->fn(&x);
      if (rc == R_RETRY) rc = ks_corrupt_entry(d); /* under the lock: real damage */
      x_unlock(d);
    }
  } else if ((rc = w_begin(d)) == SHMD_OK) {
    x.now = os_now_ms();
    rc = o->fn(&x);
    if (rc == R_RETRY) rc = ks_corrupt_entry(d); /* under the lock: real damage */
    if (rc >= 0 && x.w.len > cap) {
      d->undo = 1; /* the reply does not fit: undo, report the size */
      rc = SHMD_OK;
    }
    rc = w_end(d, rc);
  }
  if (args != stack_args) free(args);
  if (rc < 0) return rc;
  if (x.w.len > INT32_MAX) return shmd_err(SHMD_E_TOOBIG, "reply too large");
  return (int32_t)x.w.len;
}

/* ---- helpers for the ops ---- */

/* A 52-bit order hash of a field or member (never 0, so that 0 can mean
 * "start" in SCAN cursors). */
uint64_t c_ord(const struct dict *d, const uint8_t *p, uint32_t n) {
  uint64_t h = ks_hash(d, p, n) >> 12;
  return h ? h : 1;
}

int num_int(const struct xctx *x, uint32_t i, int64_t *v) {
  if (i >= x->nnums) return shmd_err(SHMD_E_INVAL, "ERR wrong number of arguments");
  return chk_i64(x->nums[i], v);
}

/* The checks shared by every container: a tree node's value as an integer. */
int ks_corrupt_entry(struct dict *d) {
  atomic_store(&d->hdr->corrupt, 1);
  return shmd_err(SHMD_E_CORRUPT, "container entry corrupt in dictionary %s", d->name);
}
