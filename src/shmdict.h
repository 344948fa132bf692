/*
 * shmdict.h — the public C API of shmdict, an in-process Redis in shared memory.
 *
 * Introduction
 * ------------
 * A dictionary lives in one named shared-memory segment (POSIX shared memory on
 * Linux and macOS: /dev/shm/shmdict.<name>). Every process that opens the same
 * name maps the same memory and runs Redis-like commands on it directly: there
 * is no server. The data outlives the processes that wrote it, until the
 * segment is dropped or the machine reboots.
 *
 * Inside the segment everything refers to everything else by offset, never by
 * pointer, so each process may map the segment at a different address. The
 * segment reserves its maximum size at creation (a sparse object) and commits
 * memory (posix_fallocate) as the allocator's high-water mark rises, so a full
 * /dev/shm is reported as SHMD_E_FULL, never as SIGBUS.
 *
 * Writers serialize on one robust process-shared mutex and record the old
 * contents of every word they change in an undo journal inside the segment;
 * when a writer dies holding the lock, the next one rolls the journal back, so
 * every command is all-or-nothing. Readers (GET and friends) take no lock:
 * they validate against version counters striped by key hash and retry.
 *
 * The boundary is flat so that FFI layers (Deno.dlopen, bun:ffi) bind it
 * cheaply: every function takes scalars and (pointer, length) pairs and returns
 * an int32_t. Nothing allocated by the library is ever handed to the caller.
 *
 * Conventions
 * -----------
 *  - A dictionary is named by a small integer handle returned by shmd_open().
 *  - Keys and values are byte strings: (const uint8_t *ptr, uint32_t len).
 *    A NULL pointer is allowed only with a zero length.
 *  - Results that are byte strings are copied into a caller's buffer
 *    (uint8_t *out, uint32_t cap). Such a function returns the full length of
 *    the result. If that length is greater than cap, NOTHING was done (not even
 *    for a command that would have modified the dictionary) and nothing was
 *    copied: grow the buffer to at least the returned length and call again.
 *  - Numeric results that do not fit an int32_t (counters, TTLs, cursors) are
 *    written as one IEEE double into out[0..8] (unaligned, native endian);
 *    such functions require cap >= 8. Integers beyond 2^53 lose precision
 *    there; the value stored in the dictionary stays exact.
 *  - Numeric arguments that Redis takes as 64-bit integers are passed as
 *    double and must be finite integers in range, else SHMD_E_NOTINT or
 *    SHMD_E_INVAL.
 *  - Variadic key lists are passed as an "argv" buffer:
 *    [uint32 n][uint32 len_1][bytes_1]...[uint32 len_n][bytes_n], native
 *    endian, no padding.
 *  - Replies that are lists of strings are written in the same framing:
 *    [uint32 n] then for each item [int32 len][bytes], where len -1 is nil.
 *  - Negative results are status codes (below). SHMD_NIL (-1) is not an error:
 *    it means "no such key" or "condition not met" (Redis's nil reply).
 *    Errors are <= -2; shmd_last_error() gives the detailed message.
 *
 * Limits
 * ------
 *  - name: 1..200 bytes of [A-Za-z0-9._-], not starting with '.'.
 *  - key: at most SHMD_MAX_KEY bytes; value: at most SHMD_MAX_VALUE bytes.
 *  - size (the heap's reserve): SHMD_MIN_RESERVE .. SHMD_MAX_RESERVE bytes. The
 *    segment also reserves room for the undo journal (a quarter of the size,
 *    4 MiB to 4 GiB), committed only as large commands need it: one command's
 *    undo records must fit there, else it fails whole with SHMD_E_TOOBIG.
 *  - at most SHMD_MAX_HANDLES dictionaries open at once per process.
 *
 * Thread safety: the library is safe to call from several threads; the last
 * error message is kept per thread.
 */
#ifndef SHMDICT_H
#define SHMDICT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define SHMD_API __declspec(dllexport)
#else
#define SHMD_API __attribute__((visibility("default")))
#endif

/** @defgroup version Version */
/** ABI version of this header. The FFI layers refuse a library whose
 *  shmd_abi_version() differs from the one they were written for. */
#define SHMD_ABI_VERSION 2

/** @defgroup limits Limits */
#define SHMD_MAX_KEY (64u * 1024u)                 /**< largest key, bytes */
#define SHMD_MAX_VALUE (512u * 1024u * 1024u)      /**< largest value, bytes */
#define SHMD_MAX_NAME 200u                         /**< longest name, bytes */
#define SHMD_MIN_RESERVE (1024.0 * 1024.0)         /**< smallest segment: 1 MiB */
#define SHMD_MAX_RESERVE (56.0 * 1024.0 * 1024.0 * 1024.0) /**< largest: 56 GiB */
#define SHMD_DEFAULT_RESERVE (1024.0 * 1024.0 * 1024.0)    /**< default: 1 GiB */
#define SHMD_MAX_HANDLES 1024

/** @defgroup status Status codes */
#define SHMD_OK 0            /**< success ("OK") */
#define SHMD_NIL (-1)        /**< no such key / condition not met (nil) */
#define SHMD_E_INVAL (-2)    /**< invalid argument (syntax, range, combination) */
#define SHMD_E_FULL (-3)     /**< the segment (or /dev/shm) is full */
#define SHMD_E_WRONGTYPE (-4) /**< operation against a key holding the wrong kind of value */
#define SHMD_E_NOTINT (-5)   /**< value is not an integer or out of range */
#define SHMD_E_NOTFLOAT (-6) /**< value is not a valid float */
#define SHMD_E_OVERFLOW (-7) /**< increment or decrement would overflow */
#define SHMD_E_SEGMENT (-8)  /**< bad magic, version, lock ABI, size or permissions */
#define SHMD_E_EXISTS (-9)   /**< segment exists and exclusive creation was asked */
#define SHMD_E_NOENT (-10)   /**< no such segment, or (RENAME) no such key */
#define SHMD_E_READONLY (-11) /**< write command on a handle opened read-only */
#define SHMD_E_CORRUPT (-12) /**< the segment failed a consistency check; fails closed */
#define SHMD_E_HANDLE (-13)  /**< bad or closed handle */
#define SHMD_E_SYS (-14)     /**< operating-system error (message has errno text) */
#define SHMD_E_TOOBIG (-15)  /**< key, value or command larger than the limits */
#define SHMD_E_BUSY (-16)    /**< too many handles open */

/** @defgroup types Value types, as returned by shmd_type() */
#define SHMD_T_NONE 0
#define SHMD_T_STRING 1
#define SHMD_T_LIST 2
#define SHMD_T_SET 3
#define SHMD_T_ZSET 4
#define SHMD_T_HASH 5

/** In shmd_scan's type argument: a MATCH pattern is given (even an empty one). */
#define SHMD_SCAN_MATCH 0x100u

/** @defgroup openflags Flags for shmd_open() */
#define SHMD_O_CREATE 1u     /**< create the segment if it does not exist */
#define SHMD_O_EXCL 2u       /**< with CREATE: fail with SHMD_E_EXISTS if it exists */
#define SHMD_O_READONLY 4u   /**< refuse write commands on this handle */

/** @defgroup setflags Flags for shmd_set() and shmd_getex() */
#define SHMD_SET_NX 1u       /**< only set if the key does not exist */
#define SHMD_SET_XX 2u       /**< only set if the key exists */
#define SHMD_SET_GET 4u      /**< return the old value */
#define SHMD_SET_KEEPTTL 8u  /**< keep the key's time to live */
#define SHMD_TTL_EX 16u      /**< ttl argument: seconds from now */
#define SHMD_TTL_PX 32u      /**< ttl argument: milliseconds from now */
#define SHMD_TTL_EXAT 64u    /**< ttl argument: unix time in seconds */
#define SHMD_TTL_PXAT 128u   /**< ttl argument: unix time in milliseconds */
#define SHMD_TTL_PERSIST 256u /**< (GETEX) remove the time to live */

/** @defgroup expflags Flags for shmd_expire() */
#define SHMD_EXP_MS 1u       /**< the argument is in milliseconds (else seconds) */
#define SHMD_EXP_AT 2u       /**< the argument is an absolute unix time */
#define SHMD_EXP_NX 4u       /**< only if the key has no expiry */
#define SHMD_EXP_XX 8u       /**< only if the key has an expiry */
#define SHMD_EXP_GT 16u      /**< only if the new expiry is greater */
#define SHMD_EXP_LT 32u      /**< only if the new expiry is less */

/** @defgroup ttlflags Flags for shmd_ttl() */
#define SHMD_TTLQ_MS 1u      /**< report milliseconds (PTTL) */
#define SHMD_TTLQ_AT 2u      /**< report the absolute deadline (EXPIRETIME) */

/** @defgroup info Indexes of the doubles written by shmd_info() */
#define SHMD_INFO_KEYS 0         /**< keys in the dictionary (DBSIZE) */
#define SHMD_INFO_EXPIRES 1      /**< keys with a time to live */
#define SHMD_INFO_USED 2         /**< bytes of the heap in live blocks */
#define SHMD_INFO_COMMITTED 3    /**< bytes of the heap committed (backed by memory) */
#define SHMD_INFO_RESERVED 4     /**< bytes reserved for the heap (the size asked for) */
#define SHMD_INFO_HITS 5         /**< lookups that found a key (this process) */
#define SHMD_INFO_MISSES 6       /**< lookups that found no key (this process) */
#define SHMD_INFO_EXPIRED 7      /**< keys removed because their TTL passed (all processes) */
#define SHMD_INFO_BUCKETS 8      /**< buckets in the main index table */
#define SHMD_INFO_REHASHING 9    /**< 1 while an incremental rehash is under way */
#define SHMD_INFO_RECOVERIES 10  /**< times a dead writer's command was rolled back */
#define SHMD_INFO_HEAP 11        /**< bytes between heap start and heap top */
#define SHMD_INFO_FREE 12        /**< bytes in free blocks below the heap top */
#define SHMD_INFO_COUNT 13

/* ------------------------------------------------------------------------ */
/** @defgroup lib Library */

/** ABI version of the loaded library (compare with SHMD_ABI_VERSION). */
SHMD_API int32_t shmd_abi_version(void);

/** Copy the calling thread's last error message into out.
 * @param[out] out  buffer for the message (not NUL-terminated), may be NULL if cap is 0
 * @param[in]  cap  its capacity
 * @return the message length (which may exceed cap: the copy is truncated). */
SHMD_API int32_t shmd_last_error(uint8_t *out, uint32_t cap);

/* ------------------------------------------------------------------------ */
/** @defgroup seg Segments */

/** Open (and with SHMD_O_CREATE create) the dictionary called name.
 * @param[in] name, name_len  the dictionary's name (see Limits)
 * @param[in] flags    SHMD_O_* flags
 * @param[in] mode     permission bits for a new segment; only 0600 is accepted today
 *                     (0 means 0600): segments are private to their owner
 * @param[in] reserve  maximum heap size in bytes for a new segment (0 = default);
 *                     ignored when attaching
 * @return a handle >= 0, or SHMD_E_INVAL (bad name/flags/size), SHMD_E_NOENT (no
 *         such segment and no CREATE), SHMD_E_EXISTS (EXCL), SHMD_E_SEGMENT
 *         (foreign, corrupt header, wrong version/ABI, wrong owner or permissions),
 *         SHMD_E_FULL (no room in /dev/shm), SHMD_E_BUSY, SHMD_E_SYS. */
SHMD_API int32_t shmd_open(const uint8_t *name, uint32_t name_len, uint32_t flags,
                           uint32_t mode, double reserve);

/** Close a handle. The data stays in the segment. @return SHMD_OK or SHMD_E_HANDLE. */
SHMD_API int32_t shmd_close(int32_t h);

/** Unlink the dictionary's segment. Processes that have it open keep working on
 * it; the memory is released when the last one closes it.
 * @return 1 if removed, 0 if there was no such dictionary, or an error. */
SHMD_API int32_t shmd_drop(const uint8_t *name, uint32_t name_len);

/** List the dictionaries of this machine (the current user's segments).
 * @param[out] out  names separated by NUL bytes
 * @return the number of bytes the whole list needs (see the buffer convention). */
SHMD_API int32_t shmd_list(uint8_t *out, uint32_t cap);

/* ------------------------------------------------------------------------ */
/** @defgroup str String commands */

/** GET. @return the value's length, SHMD_NIL, SHMD_E_WRONGTYPE. Lock-free. */
SHMD_API int32_t shmd_get(int32_t h, const uint8_t *key, uint32_t klen, uint8_t *out,
                          uint32_t cap);

/** SET with all its options.
 * @param[in] flags  SHMD_SET_* and at most one SHMD_TTL_EX/PX/EXAT/PXAT
 * @param[in] ttl    the TTL argument for the chosen SHMD_TTL_* flag (integer > 0)
 * @return without SHMD_SET_GET: SHMD_OK, or SHMD_NIL when NX/XX blocked the write;
 *         with SHMD_SET_GET: the old value's length copied to out, or SHMD_NIL if
 *         there was none (SHMD_E_WRONGTYPE if it was not a string); errors. */
SHMD_API int32_t shmd_set(int32_t h, const uint8_t *key, uint32_t klen, const uint8_t *val,
                          uint32_t vlen, uint32_t flags, double ttl, uint8_t *out,
                          uint32_t cap);

/** A hint, not a command: start loading into the cache what a command on key
 * will read first (its index bucket and the entry at the head of its chain). A
 * caller with other work to do before its command on the key (encoding a long
 * value, say) calls this first, so that those cache misses overlap that work.
 * Reads without the lock and changes nothing; a bucket read while a writer
 * changes it costs a useless prefetch, never a fault.
 * @return SHMD_OK, or an error for a bad handle or key. Lock-free. */
SHMD_API int32_t shmd_prefetch(int32_t h, const uint8_t *key, uint32_t klen);

/** MGET: reply framed as a list (nil for missing or non-string keys).
 * @return the reply's length in bytes. */
SHMD_API int32_t shmd_mget(int32_t h, const uint8_t *argv, uint32_t argv_len, uint8_t *out,
                           uint32_t cap);

/** MSET (nx = 0) or MSETNX (nx = 1); argv holds key, value, key, value, ...
 * @return SHMD_OK for MSET; 1 or 0 for MSETNX. All-or-nothing. */
SHMD_API int32_t shmd_mset(int32_t h, const uint8_t *argv, uint32_t argv_len, uint32_t nx);

/** GETDEL. @return the old value's length or SHMD_NIL. */
SHMD_API int32_t shmd_getdel(int32_t h, const uint8_t *key, uint32_t klen, uint8_t *out,
                             uint32_t cap);

/** GETEX: GET and change the TTL (SHMD_TTL_* flags; 0 leaves it alone).
 * @return the value's length or SHMD_NIL. */
SHMD_API int32_t shmd_getex(int32_t h, const uint8_t *key, uint32_t klen, uint32_t flags,
                            double ttl, uint8_t *out, uint32_t cap);

/** GETRANGE with Redis's index rules. @return the substring's length. */
SHMD_API int32_t shmd_getrange(int32_t h, const uint8_t *key, uint32_t klen, double start,
                               double end, uint8_t *out, uint32_t cap);

/** SETRANGE (zero-pads; an empty val on a missing key creates nothing).
 * @return the string's new length; SHMD_E_TOOBIG past SHMD_MAX_VALUE. */
SHMD_API int32_t shmd_setrange(int32_t h, const uint8_t *key, uint32_t klen, double offset,
                               const uint8_t *val, uint32_t vlen);

/** APPEND. @return the string's new length; SHMD_E_TOOBIG past SHMD_MAX_VALUE. */
SHMD_API int32_t shmd_append(int32_t h, const uint8_t *key, uint32_t klen, const uint8_t *val,
                             uint32_t vlen);

/** STRLEN. @return the length (0 if missing), or SHMD_E_WRONGTYPE. */
SHMD_API int32_t shmd_strlen(int32_t h, const uint8_t *key, uint32_t klen);

/** INCRBY / DECRBY (by negated) / INCR / DECR.
 * @return SHMD_OK with the new value as a double in out; SHMD_E_NOTINT,
 *         SHMD_E_OVERFLOW, SHMD_E_WRONGTYPE. */
SHMD_API int32_t shmd_incrby(int32_t h, const uint8_t *key, uint32_t klen, double by,
                             uint8_t *out, uint32_t cap);

/** INCRBYFLOAT. The increment is passed as decimal text (as a client sends it to
 * Redis, e.g. JavaScript's String(0.1) = "0.1") so that the long-double sum is
 * formatted exactly as Redis formats it.
 * @return the length of the new value's text, copied to out;
 *         SHMD_E_NOTFLOAT (value or increment not a valid float, or a result of
 *         NaN/Infinity), SHMD_E_WRONGTYPE. */
SHMD_API int32_t shmd_incrbyfloat(int32_t h, const uint8_t *key, uint32_t klen,
                                  const uint8_t *by, uint32_t bylen, uint8_t *out, uint32_t cap);

/* ------------------------------------------------------------------------ */
/** @defgroup keys Generic key commands */

/** DEL / UNLINK. @return how many of the argv keys were removed. */
SHMD_API int32_t shmd_del(int32_t h, const uint8_t *argv, uint32_t argv_len);

/** EXISTS. @return how many of the argv keys exist (a key named twice counts twice). */
SHMD_API int32_t shmd_exists(int32_t h, const uint8_t *argv, uint32_t argv_len);

/** TYPE. @return SHMD_T_*. */
SHMD_API int32_t shmd_type(int32_t h, const uint8_t *key, uint32_t klen);

/** RENAME (nx = 0) / RENAMENX (nx = 1). The TTL moves with the value.
 * @return SHMD_OK; for RENAMENX 1 or 0; SHMD_E_NOENT if src does not exist. */
SHMD_API int32_t shmd_rename(int32_t h, const uint8_t *src, uint32_t slen, const uint8_t *dst,
                             uint32_t dlen, uint32_t nx);

/** COPY src dst [REPLACE]. @return 1 if copied, 0 if not (missing src, or dst exists). */
SHMD_API int32_t shmd_copy(int32_t h, const uint8_t *src, uint32_t slen, const uint8_t *dst,
                           uint32_t dlen, uint32_t replace);

/** EXPIRE / PEXPIRE / EXPIREAT / PEXPIREAT with NX/XX/GT/LT (SHMD_EXP_* flags).
 * A deadline in the past deletes the key. @return 1 if set, 0 if not. */
SHMD_API int32_t shmd_expire(int32_t h, const uint8_t *key, uint32_t klen, double when,
                             uint32_t flags);

/** TTL / PTTL / EXPIRETIME / PEXPIRETIME (SHMD_TTLQ_* flags).
 * @return SHMD_OK with the answer as a double in out (-2 missing, -1 no expiry). */
SHMD_API int32_t shmd_ttl(int32_t h, const uint8_t *key, uint32_t klen, uint32_t flags,
                          uint8_t *out, uint32_t cap);

/** PERSIST. @return 1 if a TTL was removed, 0 otherwise. */
SHMD_API int32_t shmd_persist(int32_t h, const uint8_t *key, uint32_t klen);

/** SCAN. Redis's guarantee: a key present for the whole scan is returned at least
 * once, even across rehash.
 * @param[in] cursor  0 to start; the cursor returned by the previous call after
 * @param[in] pattern, plen  glob (MATCH); plen 0 = all, unless SHMD_SCAN_MATCH is set
 *                    in type (then it is the empty pattern, matching only the empty key)
 * @param[in] count   work hint (COUNT), >= 1
 * @param[in] type    SHMD_T_* filter, 0 = any; | SHMD_SCAN_MATCH when MATCH is given
 * @return the reply length: out holds [double next_cursor] then a framed list. */
SHMD_API int32_t shmd_scan(int32_t h, double cursor, const uint8_t *pattern, uint32_t plen,
                           double count, uint32_t type, uint8_t *out, uint32_t cap);

/** KEYS pattern. @return the reply length: a framed list. */
SHMD_API int32_t shmd_keys(int32_t h, const uint8_t *pattern, uint32_t plen, uint8_t *out,
                           uint32_t cap);

/** Begin a transaction: take the writer lock and keep it until shmd_txn_end.
 * Every command on this handle until then joins the transaction: a command
 * that fails is undone alone (as in Redis, the others stand), and the whole
 * transaction becomes visible to other processes at once when it commits.
 * Readers of keys it touched wait for it; keep transactions short. A process
 * that dies inside a transaction loses the whole transaction (it is rolled
 * back by the next writer).
 * @return SHMD_OK; SHMD_E_INVAL if one is already open on this handle. */
SHMD_API int32_t shmd_txn_begin(int32_t h);

/** End the transaction: commit (commit != 0) or undo all of it; release the lock.
 * @return SHMD_OK; SHMD_E_INVAL without a transaction; SHMD_E_CORRUPT. */
SHMD_API int32_t shmd_txn_end(int32_t h, uint32_t commit);

/** DBSIZE. @return the number of keys. */
SHMD_API int32_t shmd_dbsize(int32_t h);

/** FLUSHALL: remove every key and return all memory to the allocator. */
SHMD_API int32_t shmd_flushall(int32_t h);

/** INFO: writes SHMD_INFO_COUNT doubles to out (indexes SHMD_INFO_*).
 * @return SHMD_INFO_COUNT * 8 (the bytes needed). */
SHMD_API int32_t shmd_info(int32_t h, uint8_t *out, uint32_t cap);

/** Verify every invariant of the segment under the lock: allocator accounting (no
 * overlap, no leak), index consistency and counts, expiry bookkeeping, journal empty.
 * @param[out] out  a report, one problem per line (empty when all is well)
 * @return the report's length (0 = consistent). */
SHMD_API int32_t shmd_check(int32_t h, uint8_t *out, uint32_t cap);

/* ------------------------------------------------------------------------ */
/** @defgroup containers Hashes, lists, sets, sorted sets: shmd_exec()
 *
 * The container commands share one entry point, so that the boundary stays
 * one symbol wide as commands are added:
 *
 *   shmd_exec(h, op, argv, argv_len, nums, nnums, flags, out, cap)
 *
 *  - op:    SHMD_OP_* below.
 *  - argv:  byte-string arguments in the argv framing; the first is always the
 *           key (for SMOVE/LMOVE: source then destination; for the multi-key
 *           set commands: the keys; for *STORE: destination then the keys).
 *  - nums:  numeric arguments (doubles) in the order each op lists below.
 *  - flags: SHMD_F_* options.
 *  - out:   the reply, in the reply encoding below. The function returns the
 *           reply's length in bytes; if that exceeds cap nothing was done (as
 *           everywhere) — grow and call again. Errors are negative statuses.
 *
 * Reply encoding (native endian, no padding), one value:
 *   'n'                      nil
 *   'o'                      OK (a status reply)
 *   'i' f64                  integer (as a double)
 *   'd' f64                  double (scores)
 *   's' u32 len, bytes       bulk string
 *   'a' u32 count, values    array of values
 * The first byte of out is always the tag of the top-level value.
 *
 * Ops and their arguments ("argv:" after the key, "nums:" in order):
 */
#define SHMD_OP_HSET 1          /**< argv: field value ...; reply i (fields added) */
#define SHMD_OP_HSETNX 2        /**< argv: field value; i 1/0 */
#define SHMD_OP_HGET 3          /**< argv: field; s or n */
#define SHMD_OP_HMGET 4         /**< argv: field ...; a of s/n */
#define SHMD_OP_HGETALL 5       /**< a: field value field value ... */
#define SHMD_OP_HDEL 6          /**< argv: field ...; i */
#define SHMD_OP_HEXISTS 7       /**< argv: field; i */
#define SHMD_OP_HLEN 8          /**< i */
#define SHMD_OP_HKEYS 9         /**< a */
#define SHMD_OP_HVALS 10        /**< a */
#define SHMD_OP_HSTRLEN 11      /**< argv: field; i */
#define SHMD_OP_HINCRBY 12      /**< argv: field; nums: by; i */
#define SHMD_OP_HINCRBYFLOAT 13 /**< argv: field, increment as text; s (the new value) */
#define SHMD_OP_HRANDFIELD 14   /**< nums: [count] (absent: one field); F_WITHVALUES; s/n or a */
#define SHMD_OP_HSCAN 15        /**< argv: [pattern]; nums: cursor, count; a: [i next cursor
                                     (0: done), a items: field value ...] */

#define SHMD_OP_LPUSH 20        /**< argv: element ...; i (new length). F_X: only if it exists */
#define SHMD_OP_RPUSH 21        /**< as LPUSH */
#define SHMD_OP_LPOP 22         /**< nums: [count]; s/n, or with count a/n */
#define SHMD_OP_RPOP 23         /**< as LPOP */
#define SHMD_OP_LLEN 24         /**< i */
#define SHMD_OP_LRANGE 25       /**< nums: start, stop; a */
#define SHMD_OP_LINDEX 26       /**< nums: index; s/n */
#define SHMD_OP_LSET 27         /**< argv: element; nums: index; o (errors: NOKEY, range) */
#define SHMD_OP_LINSERT 28      /**< argv: pivot, element; F_BEFORE (else after); i (-1: no pivot) */
#define SHMD_OP_LREM 29         /**< argv: element; nums: count; i */
#define SHMD_OP_LTRIM 30        /**< nums: start, stop; o */
#define SHMD_OP_LPOS 31         /**< argv: element; nums: rank, count(-1: absent), maxlen; i/n or a */
#define SHMD_OP_LMOVE 32        /**< argv: src, dst; F_FROM_RIGHT, F_TO_RIGHT; s/n */

#define SHMD_OP_SADD 40         /**< argv: member ...; i */
#define SHMD_OP_SREM 41         /**< argv: member ...; i */
#define SHMD_OP_SMEMBERS 42     /**< a */
#define SHMD_OP_SISMEMBER 43    /**< argv: member; i */
#define SHMD_OP_SMISMEMBER 44   /**< argv: member ...; a of i */
#define SHMD_OP_SCARD 45        /**< i */
#define SHMD_OP_SPOP 46         /**< nums: [count]; s/n, or with count a */
#define SHMD_OP_SRANDMEMBER 47  /**< nums: [count]; s/n, or with count a */
#define SHMD_OP_SMOVE 48        /**< argv: src, dst, member; i */
#define SHMD_OP_SINTER 49       /**< argv: keys (all of argv); a */
#define SHMD_OP_SUNION 50       /**< argv: keys; a */
#define SHMD_OP_SDIFF 51        /**< argv: keys; a */
#define SHMD_OP_SINTERCARD 52   /**< argv: keys; nums: limit (0 = none); i */
#define SHMD_OP_SINTERSTORE 53  /**< argv: dst, keys; i */
#define SHMD_OP_SUNIONSTORE 54  /**< argv: dst, keys; i */
#define SHMD_OP_SDIFFSTORE 55   /**< argv: dst, keys; i */
#define SHMD_OP_SSCAN 56        /**< as HSCAN (items are members) */

#define SHMD_OP_ZADD 60         /**< argv: member ...; nums: score ... (one per member);
                                     F_NX F_XX F_GT F_LT F_CH F_INCR; i, or with F_INCR d/n */
#define SHMD_OP_ZINCRBY 61      /**< argv: member; nums: by; d */
#define SHMD_OP_ZSCORE 62       /**< argv: member; d/n */
#define SHMD_OP_ZMSCORE 63      /**< argv: member ...; a of d/n */
#define SHMD_OP_ZREM 64         /**< argv: member ...; i */
#define SHMD_OP_ZCARD 65        /**< i */
#define SHMD_OP_ZCOUNT 66       /**< nums: min, max; F_MIN_EXCL F_MAX_EXCL; i */
#define SHMD_OP_ZLEXCOUNT 67    /**< argv: min, max as Redis lex bounds ("[a" "(a" "-" "+"); i */
#define SHMD_OP_ZRANK 68        /**< argv: member; F_REV, F_WITHSCORES; i/n, or a [i, d] */
#define SHMD_OP_ZRANGE 69       /**< by rank: nums: start, stop; by score (F_BYSCORE): nums: min,
                                     max, offset, count(-1 all), F_MIN_EXCL F_MAX_EXCL; by lex
                                     (F_BYLEX): argv: min, max; nums: offset, count; F_REV (min and
                                     max are then given as Redis does: max first), F_WITHSCORES:
                                     a of member [score] ... */
#define SHMD_OP_ZREMRANGEBYRANK 70  /**< nums: start, stop; i */
#define SHMD_OP_ZREMRANGEBYSCORE 71 /**< nums: min, max; F_MIN_EXCL F_MAX_EXCL; i */
#define SHMD_OP_ZPOPMIN 72      /**< nums: [count]; a: member score ... */
#define SHMD_OP_ZPOPMAX 73      /**< as ZPOPMIN */
#define SHMD_OP_ZRANDMEMBER 74  /**< nums: [count]; F_WITHSCORES; s/n, or a */
#define SHMD_OP_ZSCAN 75        /**< as HSCAN: items are member (s), score (d) ... */

/** Flags for shmd_exec(). */
#define SHMD_F_X 1u             /**< LPUSHX/RPUSHX: only when the list exists */
#define SHMD_F_WITHVALUES 2u
#define SHMD_F_WITHSCORES 4u
#define SHMD_F_BEFORE 8u
#define SHMD_F_FROM_RIGHT 16u
#define SHMD_F_TO_RIGHT 32u
#define SHMD_F_NX 64u
#define SHMD_F_XX 128u
#define SHMD_F_GT 256u
#define SHMD_F_LT 512u
#define SHMD_F_CH 1024u
#define SHMD_F_INCR 2048u
#define SHMD_F_MIN_EXCL 4096u
#define SHMD_F_MAX_EXCL 8192u
#define SHMD_F_REV 16384u
#define SHMD_F_BYSCORE 32768u
#define SHMD_F_BYLEX 65536u

/** Run one container command (see the group's introduction).
 * @return the reply's length in bytes, or an error: SHMD_E_WRONGTYPE,
 *         SHMD_E_NOTINT, SHMD_E_NOTFLOAT, SHMD_E_OVERFLOW, SHMD_E_INVAL (syntax,
 *         ranges), SHMD_E_NOENT (LSET on a missing key: "ERR no such key"),
 *         SHMD_E_FULL, SHMD_E_TOOBIG. */
SHMD_API int32_t shmd_exec(int32_t h, uint32_t op, const uint8_t *argv, uint32_t argv_len,
                           const double *nums, uint32_t nnums, uint32_t flags, uint8_t *out,
                           uint32_t cap);

/** The list-push sequence: it changes after every push to any list of the
 * dictionary. A blocking pop reads it, tries to pop, and when there was
 * nothing waits for it to change (shmd_wait).
 * @return the sequence (a 31-bit counter; compare for equality). */
SHMD_API int32_t shmd_push_seq(int32_t h);

/** Wait (blocking the calling thread) until the push sequence differs from
 * `seen`, or `timeout_ms` passes (0 = return at once, < 0 = forever). On Linux a
 * futex on the shared mapping, woken by pushes from any process.
 * @return 1 if the sequence moved, 0 on timeout, or an error. */
SHMD_API int32_t shmd_wait(int32_t h, int32_t seen, double timeout_ms);

#ifdef __cplusplus
}
#endif
#endif /* SHMDICT_H */
