#!/usr/bin/env python3
"""Write the seed corpus of fuzz_segment (test/fuzz/corpus/*.bin).

Each seed is a small program in the input format described at the top of
fuzz_segment.c: a config byte (which base image, read-only or not), then
mutations (op < 0x40) and commands (op >= 0x40), each followed by its argument
bytes. The constants below mirror that file (the command enum, the key pool,
the argument order of every command); keep them in step when it changes.
Seeds only need to be good starting points: any byte string is a valid input.

    python3 test/fuzz/make_corpus.py          # rewrites test/fuzz/corpus/
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")

IMG_STABLE, IMG_REHASH, IMG_DIED, IMG_SMALL = 0, 1, 2, 3
READONLY = 0x1C

# Commands: the C enum; an op byte >= 0x40 runs command op % NCMD.
(C_GET, C_SET, C_MSET, C_MGET, C_DEL, C_GETDEL, C_GETEX, C_GETRANGE, C_SETRANGE, C_APPEND,
 C_STRLEN, C_INCRBY, C_INCRBYFLOAT, C_EXISTS, C_TYPE, C_RENAME, C_COPY, C_EXPIRE, C_TTL,
 C_PERSIST, C_SCAN, C_KEYS, C_DBSIZE, C_INFO, C_FLUSHALL, C_CHECK, C_REOPEN, C_SET2, C_GET2,
 C_DEL2, C_MULTI, C_EXEC, C_CEXEC, C_CEXEC2, C_CEXEC3, C_CEXEC4) = range(36)
NCMD = 36
# Mutations: an op byte < 0x40 applies mutation kind op % 9.
M_HDR, M_BUCKET, M_ENTRY, M_BLOCK, M_NODE, M_JOURNAL, M_RAW, M_FORGE, M_CLONE = range(9)
# shmd_exec ops (OPS[] of fuzz_segment.c, in order) and container arguments (ITEMS[]).
OPS = ["HSET", "HSETNX", "HGET", "HMGET", "HGETALL", "HDEL", "HEXISTS", "HLEN", "HKEYS", "HVALS",
       "HSTRLEN", "HINCRBY", "HINCRBYFLOAT", "HRANDFIELD", "HSCAN", "LPUSH", "RPUSH", "LPOP",
       "RPOP", "LLEN", "LRANGE", "LINDEX", "LSET", "LINSERT", "LREM", "LTRIM", "LPOS", "LMOVE",
       "SADD", "SREM", "SMEMBERS", "SISMEMBER", "SMISMEMBER", "SCARD", "SPOP", "SRANDMEMBER",
       "SMOVE", "SINTER", "SUNION", "SDIFF", "SINTERCARD", "SINTERSTORE", "SUNIONSTORE",
       "SDIFFSTORE", "SSCAN", "ZADD", "ZINCRBY", "ZSCORE", "ZMSCORE", "ZREM", "ZCARD", "ZCOUNT",
       "ZLEXCOUNT", "ZRANK", "ZRANGE", "ZREMRANGEBYRANK", "ZREMRANGEBYSCORE", "ZPOPMIN",
       "ZPOPMAX", "ZRANDMEMBER", "ZSCAN", "UNKNOWN"]
ITEMS = ["f0", "f1", "f5", "f149", "f39", "m0", "m3", "m149", "e0", "e8", "x", "", "[m1", "(m5",
         "-", "+", "1.5", "10", "abc", "f*", "*", "g7"]
NUMS = [0, 1, -1, 2, 3, 10, -10, 0.5, 1e18, -1e18, 1e300, 149, -150, 7]
NPOOL = 43

# Key pool indexes (fuzz_segment.c, analyse()).
K = dict(s0=0, s1=1, s3=2, chain0=3, chain1=4, chain2=5, n0=6, n5=7, f1=8, b0=9, b2=10, b5=11,
         b9=12, t0=13, t7=14, t23=15, x0=16, x3=17, x5=18, del_s2=19, del_s7=20, del_b1=21,
         del_b4=22, new_a=23, new_b=24, c=25, empty=26, long=27, s100=28, s2000=29, s4000=30,
         s4150=31, h0=32, h1=33, S0=34, S1=35, z0=36, z1=37, l0=38, l1=39, del_h2=40, h_new=41,
         l_new=42)

FULL = 7  # outbuf selector: capacity OUTMAX
SMALL = 1  # outbuf selector: 8 bytes
# SCAN reads one outbuf selector per call until its cursor comes back to 0; bytes it
# does not read are ops. 94 selects OUTMAX (94 & 7 = 6) and, read as an op, is DBSIZE
# (94 % NCMD = C_DBSIZE): harmless.
SCAN_OUT = 94

# HFIELDS of fuzz_segment.c, in order (a header mutation picks HFIELDS[s % len] with s >= 56).
HFIELDS = ["version", "endian", "lock_abi", "hdr_bytes", "reserve", "committed", "journal_cap",
           "heap_start", "pad0", "seed", "corrupt", "recoveries", "jused", "jcommitted",
           "al.top", "al.top_prev", "al.live_units", "al.free_units", "al.bitmap[0]",
           "al.bitmap[1]", "al.top", "al.top_prev", "ks.tab[0]", "ks.tab[1]", "ks.log2[0]",
           "ks.log2[1]", "ks.rehashidx", "ks.count", "ks.expires", "ks.expire_cursor",
           "ks.expired_total", "ks.tab[0]", "ks.log2[0]", "ks.rehashidx", "ks.count", "meta_seq",
           "ks.garbage"]


def u8(v):
    return bytes([v & 0xFF])


def u16(v):
    return struct.pack("<H", v & 0xFFFF)


def u32(v):
    return struct.pack("<I", v & 0xFFFFFFFF)


def _check_scan_out():
    assert SCAN_OUT % NCMD == C_DBSIZE and SCAN_OUT & 7 >= 5


def cmd(c, *args):
    op = next(o for o in range(0x40, 256) if o % NCMD == c)
    return u8(op) + b"".join(args)


def key(name):
    return u8(K[name])


# value(): a selector < 40 picks a number string, >= 48 a filler of length VLENS[sel % 14].
VLENS = [0, 1, 3, 8, 12, 20, 40, 100, 600, 4000, 4097, 5000, 20000, 300000]


def vlen(n):
    """A filler value of n bytes (n in VLENS)."""
    return u8(56 + VLENS.index(n))


def vnum(i):
    """A number string: "0", "42", "-7", INT64_MAX, INT64_MIN, "3.5", "1e3", "abc", ...."""
    return u8(i)


# ---- commands ----
def get(k, out=FULL):
    return cmd(C_GET, key(k), u8(out))


def set_(k, v=12, flags=0, ttl=None, out=FULL):
    b = cmd(C_SET, key(k), vlen(v), u8(flags))
    if (flags >> 4) & 7 >= 4:
        b += u8(ttl if ttl is not None else 1)
    return b + u8(out)


def mset(pairs, nx=0):
    b = cmd(C_MSET, u8(len(pairs) - 1))
    for k, v in pairs:
        b += key(k) + vlen(v)
    return b + u8(nx)


def mget(keys, out=FULL):
    return cmd(C_MGET, u8(len(keys) - 1), *[key(k) for k in keys], u8(out))


def del_(keys):
    return cmd(C_DEL, u8(len(keys) - 1), *[key(k) for k in keys])


def getdel(k, out=FULL):
    return cmd(C_GETDEL, key(k), u8(out))


def getex(k, f=1, ttl=5, out=FULL):
    """f: 0 none, 1 EX, 2 PX, 3 EXAT, 4 PXAT, 5 PERSIST (a TTL selector follows 1-4)."""
    return cmd(C_GETEX, key(k), u8(f), u8(ttl) if f in (1, 2, 3, 4) else b"", u8(out))


def getrange(k, s=0, e=0xFFFF, out=FULL):
    return cmd(C_GETRANGE, key(k), u16(s), u16(e), u8(out))


def setrange(k, off=2, v=12):
    """off: OFFS[off & 7] = 0, 1, 5, 100, 4000, 70000, 600000, 2^29-1."""
    return cmd(C_SETRANGE, key(k), u8(off), vlen(v))


def append(k, v=40):
    return cmd(C_APPEND, key(k), vlen(v))


def strlen(k):
    return cmd(C_STRLEN, key(k))


def incrby(k, by=0, out=FULL):
    return cmd(C_INCRBY, key(k), u8(out), u8(by))


def incrbyfloat(k, by=1, out=FULL):
    return cmd(C_INCRBYFLOAT, key(k), u8(by), u8(out))


def exists(keys):
    return cmd(C_EXISTS, u8(len(keys) - 1), *[key(k) for k in keys])


def type_(k):
    return cmd(C_TYPE, key(k))


def rename(a, b, nx=0):
    return cmd(C_RENAME, key(a), key(b), u8(nx))


def copy(a, b, replace=1):
    return cmd(C_COPY, key(a), key(b), u8(replace))


def expire(k, f=0x80):
    return cmd(C_EXPIRE, key(k), u8(f))


def ttl(k, flags=1, out=FULL):
    return cmd(C_TTL, key(k), u8(out), u8(flags))


def persist(k):
    return cmd(C_PERSIST, key(k))


def scan(count_sel=3, pattern=1, type_=0, calls=12):
    return cmd(C_SCAN, u8(count_sel | (pattern << 2)), u8(type_), u8(0)) + u8(SCAN_OUT) * calls


def keys(pattern=1, out=FULL):
    return cmd(C_KEYS, u8(pattern), u8(out))


def check(out=FULL):
    return cmd(C_CHECK, u8(out))


def info(out=FULL):
    return cmd(C_INFO, u8(out))


def dbsize():
    return cmd(C_DBSIZE)


def flushall():
    return cmd(C_FLUSHALL, u8(0))


def reopen():
    return cmd(C_REOPEN)


def cexec(op, key_, items=(), nums=(), flags=0, out=FULL, zadd_auto=False):
    """A container command: items are ITEMS strings or ("key", pool-name); nums index NUMS."""
    b = cmd(C_CEXEC, u8(OPS.index(op)), u8(len(items)), u8(len(nums)), key(key_))
    for it in items:
        if isinstance(it, tuple):
            b += u8(next(s for s in range(0x80, 256) if s % NPOOL == K[it[1]]))
        else:
            b += u8(ITEMS.index(it))
    if op == "ZADD":
        b += u8(0 if zadd_auto else 1)  # 0: one score per member
    n = len(items) if (op == "ZADD" and zadd_auto) else len(nums)
    for i in range(n):
        b += u8(NUMS.index(nums[i]) if i < len(nums) else 1)
    if flags & 1 or flags > 0xff:
        raise ValueError("flags: only the low byte's bits 1-7 here")
    return b + u8(flags) + u8(out)


def multi():
    return cmd(C_MULTI)


def exec_(commit=1):
    return cmd(C_EXEC, u8(commit))


# ---- mutations (kinds 0..7) and values (val32 selectors, fuzz_segment.c) ----
V_ZERO, V_ONES, V_SELF, V_TOP, V_WRAP, V_POOL_ENTRY, V_FREE, V_INC = 0, 2, 16, 12, 21, 18, 19, 5
V_NODE = 27  # + u16: a tree node


def v32(sel, *extra):
    return u8(sel) + b"".join(u8(e) for e in extra)


def m_hdr_field(name, value):
    """A header field by name (value: val32 selector bytes, or val64 ones for 8-byte fields)."""
    i = HFIELDS.index(name)
    s = next(s for s in range(56, 256) if s % len(HFIELDS) == i)
    return u8(M_HDR) + u8(s) + value


def m_bin(b, value):
    return u8(M_HDR) + u8(1) + u8(b) + value


def m_stripe(i, value):
    return u8(M_HDR) + u8(40) + u16(i) + value


def m_bucket(pool_key, table, value):
    return u8(M_BUCKET) + u8(table) + u8(1 | (K[pool_key] << 1)) + value


def pool_sel(pool_key, low_bits=1):
    """A selector byte s with s & 3 != 0 and (s >> 2) % NPOOL == the key's index."""
    s = low_bits | (K[pool_key] << 2)
    assert s < 256
    return u8(s)


def m_entry(pool_key, field, value):
    """field: 0 next, 1 hash, 2 type, 5 klen, 6 expire, 7 vlen, 8 voff, 15 block tag,
    16/17 container roots."""
    return u8(M_ENTRY) + pool_sel(pool_key) + u8(field) + value


def m_block_free(i, word, value):
    return u8(M_BLOCK) + u8(0) + u16(i) + u8(word) + value


def m_block_after(pool_key, word, value):
    return u8(M_BLOCK) + u8(2) + key(pool_key) + u8(word) + value


def m_node(i, field, value):
    """Tree node i of the pool's containers; field: 0 l, 1 r, 2 cnt, 3 prio, 4 ord, 5 klen,
    6 vlen, 10 a key byte, 11/12 block tags."""
    return u8(M_NODE) + u16(i) + u8(field) + value


def m_journal_used(value):
    return u8(M_JOURNAL) + u8(0) + value


def m_raw(where, off, data):
    """where: 0 the header, 1 the journal records, 2 the heap; off within that region."""
    return u8(M_RAW) + u8(where) + u32(off) + u8(len(data) - 1) + data


def m_forge_entry(pool_key, field, value):
    """A forged undo record that writes an entry field at the next recovery."""
    return u8(M_FORGE) + u8(2) + pool_sel(pool_key) + u8(field) + u8(0) + value


def m_clone(a, b, whole=0):
    return u8(M_CLONE) + u8(1) + key(a) + u8(1) + key(b) + u8(whole)


TOUR = b"".join([
    get("s0"), get("b9"), get("x0"), get("t7"), get("new_a"),
    set_("new_a", 12), set_("s1", 20, flags=4), set_("b0", 600, flags=0x50, ttl=5),
    set_("n0", 0, flags=2), set_("s3", 100, flags=1), set_("x3", 3, flags=0x40 | 8),
    mset([("s0", 12), ("new_b", 20), ("b2", 4000)]), mget(["s0", "b9", "x0", "n0", "empty"]),
    del_(["s1", "del_s2", "x5"]), getdel("t0"), getex("t23", 5), getex("s4000", 2, 5),
    getrange("b5", 10, 40), setrange("b2", 4, 12), append("s3", 40), strlen("b9"),
    incrby("n5", 2), incrby("n0", 3),
    incrbyfloat("f1", 1), exists(["s0", "x0", "new_a"]), type_("b0"),
    rename("chain0", "new_a"), copy("chain1", "c"), expire("s100", 0x80 | 3),
    ttl("t7"), persist("t7"), scan(), keys(2), keys(5), dbsize(), info(), check(),
])

CONTAINER_TOUR = b"".join([
    cexec("HGET", "h1", ["f5"]), cexec("HSET", "h1", ["f5", "abc", "x", "10"]),
    cexec("HINCRBY", "h0", ["f0"], [3]), cexec("HDEL", "h1", ["f1", "f39"]),
    cexec("HGETALL", "h0"), cexec("HSCAN", "h1", [], [0, 10]), cexec("HRANDFIELD", "h1", [], [3]),
    cexec("SADD", "S1", ["x", "m0"]), cexec("SREM", "S1", ["m3"]), cexec("SPOP", "S0", [], [2]),
    cexec("SINTER", "S0", [("key", "S1")]),
    cexec("SUNIONSTORE", "h_new", [("key", "S0"), ("key", "S1")]),
    cexec("SMOVE", "S1", [("key", "S0"), "m149"]), cexec("SSCAN", "S1", [], [0, 10]),
    cexec("ZADD", "z1", ["m0", "x"], [1, 2], zadd_auto=True), cexec("ZINCRBY", "z0", ["m3"], [10]),
    cexec("ZRANGE", "z1", [], [0, -1]), cexec("ZRANK", "z1", ["m3"]), cexec("ZPOPMIN", "z0", [], [2]),
    cexec("ZREMRANGEBYSCORE", "z1", [], [-1, 1]), cexec("ZLEXCOUNT", "z1", ["-", "+"]),
    cexec("ZSCAN", "z1", [], [0, 10]), cexec("RPUSH", "l1", ["x", "abc"]), cexec("LPOP", "l1", [], [2]),
    cexec("LRANGE", "l1", [], [0, -1]), cexec("LINSERT", "l0", ["e0", "x"]), cexec("LREM", "l1", ["e8"], [0]),
    cexec("LTRIM", "l1", [], [2, -1]), cexec("LMOVE", "l1", [("key", "l_new")]), cexec("LPOS", "l1", ["e0"], [1, 0, 0]),
    cexec("LSET", "l0", ["abc"], [1]), type_("h1"), del_(["S0", "z0"]), copy("l1", "l_new"),
    rename("h1", "c"), scan(), check(),
])

SEEDS = {
    # Every image, no mutation: the commands must leave it consistent.
    "tour-stable": u8(IMG_STABLE) + TOUR,
    "tour-rehash": u8(IMG_REHASH) + TOUR,
    "tour-died": u8(IMG_DIED) + TOUR,
    "tour-small": u8(IMG_SMALL) + TOUR,
    "readonly": u8(IMG_REHASH | READONLY) + get("s0") + set_("s0") + scan() + check(),
    "txn": u8(IMG_REHASH) + multi() + set_("new_a", 20) + incrby("n0") + del_(["s0"])
    + incrby("s0", 1) + exec_(1) + multi() + set_("s1", 100) + append("b0") + exec_(0) + check(),
    "flushall": u8(IMG_SMALL) + set_("new_a") + flushall() + set_("new_b", 100) + scan() + check(),
    "big-values": u8(IMG_STABLE) + set_("b9", 300000) + set_("new_a", 20000)
    + setrange("b0", 5, 12) + append("b9", 5000) + check(),
    # Header state, before open and while open.
    "hdr-log2": u8(IMG_STABLE) + m_hdr_field("ks.log2[0]", v32(V_INC)) + set_("new_a") + check(),
    "hdr-rehashidx": u8(IMG_REHASH) + m_hdr_field("ks.rehashidx", u8(10) + u8(9)) + get("s0")
    + set_("s4000") + check() + scan(),
    "hdr-top": u8(IMG_STABLE) + m_hdr_field("al.top", v32(V_TOP, 3)) + set_("new_a", 4000),
    "hdr-count": u8(IMG_SMALL) + m_hdr_field("ks.count", u8(0)) + del_(["s0", "s1"]) + check()
    + scan(),
    "hdr-bin": u8(IMG_STABLE) + m_bin(70, v32(V_POOL_ENTRY, K["s0"])) + set_("new_a", 4000)
    + check(),
    "hdr-stripe-live": u8(IMG_STABLE) + get("s0") + m_stripe(7, v32(V_INC)) + get("s0")
    + get("s1") + check(),
    "hdr-corrupt-live": u8(IMG_STABLE) + get("s0") + m_hdr_field("corrupt", v32(1)) + get("s0")
    + set_("s0") + check(),
    "hdr-seed": u8(IMG_SMALL) + m_hdr_field("seed", u8(7) + u8(3)) + get("s0") + check(),
    # Index: buckets and entries.
    "bucket-self": u8(IMG_STABLE) + m_bucket("s0", 0, v32(V_POOL_ENTRY, K["s1"])) + get("s0")
    + del_(["s0"]) + keys(1) + check(),
    "bucket-wild": u8(IMG_REHASH) + m_bucket("s4000", 1, v32(V_TOP, 2)) + get("s4000")
    + set_("s4000") + check(),
    "entry-cycle": u8(IMG_STABLE) + m_entry("chain0", 0, v32(V_SELF)) + get("chain1")
    + set_("chain2") + scan() + check(),
    "entry-klen-wrap": u8(IMG_STABLE) + m_entry("s0", 5, v32(V_WRAP, 0)) + get("s0")
    + keys(4) + check(),
    "entry-vlen-wrap": u8(IMG_STABLE) + m_entry("b0", 7, v32(V_WRAP, 5)) + get("b0")
    + getdel("b0") + append("b0") + check(),
    "entry-type": u8(IMG_SMALL) + m_entry("s0", 2, u8(0) + u8(9)) + get("s0") + set_("s0")
    + incrby("s0") + check(),
    "entry-expire-live": u8(IMG_STABLE) + get("t0")
    + m_entry("t0", 6, u8(8) + u16(5)) + get("t0") + set_("new_a") + check(),
    "entry-next-wild": u8(IMG_SMALL) + m_entry("s1", 0, v32(V_TOP, 1)) + get("s1") + keys(1)
    + check(),
    "entry-clone": u8(IMG_STABLE) + m_clone("s0", "s1", 1) + get("s0") + get("s1")
    + rename("s1", "new_a") + check(),
    # Allocator: block headers and free lists.
    "block-free-size": u8(IMG_STABLE) + m_block_free(3, 0, v32(V_INC)) + set_("new_a", 100)
    + set_("new_b", 4000) + check(),
    "block-after-prev": u8(IMG_STABLE) + m_block_after("s0", 1, v32(V_ZERO)) + del_(["s0"])
    + check(),
    "block-free-link": u8(IMG_STABLE) + m_block_free(5, 2, v32(V_FREE, 0, 9)) + set_("new_a", 12)
    + set_("new_b", 20) + check(),
    "block-live-reopen": u8(IMG_SMALL) + get("s0") + m_block_after("s0", 0, v32(8)) + reopen()
    + del_(["s0"]) + check(),
    # The journal: real records (the died image), jused, forged records.
    "journal-used": u8(IMG_DIED) + m_journal_used(u8(11) + u8(2)) + get("s0") + check(),
    "journal-forge": u8(IMG_STABLE) + m_forge_entry("s0", 7, v32(V_ONES)) + get("s0")
    + set_("s0") + check(),
    "journal-forge-live": u8(IMG_REHASH) + get("s0") + m_forge_entry("b9", 0, v32(V_SELF))
    + set_("new_a") + get("b9") + check(),
    "raw": u8(IMG_STABLE) + m_raw(2, 0x7000 * 16 + 8, b"\xff\xff\xff\x7f") + get("s0") + check(),
    "raw-journal": u8(IMG_DIED) + m_raw(1, 24, b"\x00\x10") + get("s0") + check(),
    # Containers: every kind on every image, then their nodes and roots mutated.
    "containers-tour": u8(IMG_STABLE) + CONTAINER_TOUR,
    "containers-small": u8(IMG_SMALL) + CONTAINER_TOUR,
    "containers-rehash-txn": u8(IMG_REHASH) + multi() + CONTAINER_TOUR + exec_(1),
    "node-child-cycle": u8(IMG_STABLE) + m_node(3, 0, v32(V_SELF)) + cexec("HGETALL", "h1")
    + cexec("HSET", "h1", ["f5", "x"]) + check(),
    "node-cnt": u8(IMG_STABLE) + m_node(40, 2, v32(V_ZERO)) + cexec("ZRANGE", "z1", nums=[0, -1])
    + cexec("LINDEX", "l1", nums=[10]) + cexec("SPOP", "S1", nums=[3]) + check(),
    "node-klen": u8(IMG_SMALL) + m_node(1, 5, v32(V_WRAP, 0)) + cexec("SMEMBERS", "S0")
    + cexec("HGET", "h0", ["f1"]) + check(),
    "node-wild": u8(IMG_STABLE) + m_node(7, 1, v32(V_TOP, 1)) + cexec("LRANGE", "l1", nums=[0, -1])
    + cexec("ZADD", "z1", ["m3"], [7]) + check(),
    "root-swap": u8(IMG_STABLE) + m_entry("z1", 16, v32(V_NODE, 9, 0)) + cexec("ZSCORE", "z1", ["m3"])
    + cexec("ZREM", "z1", ["m3"]) + check(),
    "garbage": u8(IMG_STABLE) + m_hdr_field("ks.garbage", v32(V_NODE, 5, 0)) + set_("new_a")
    + set_("new_b") + check(),
    # Packed containers (h0, S0, z0, l0 hold 6 elements: one packed block each; node 0 of the
    # nodes list is h0's block): every kind of command on them, 64-byte elements (the pool key
    # "long"), small and large *STORE results, COPY and RENAME; then the block's header and
    # element bytes mutated, and a packed root pointed elsewhere.
    "packed-tour": u8(IMG_SMALL) + b"".join([
        cexec("HSET", "h0", [("key", "long"), ("key", "long"), "f1", "abc"]),
        cexec("HINCRBYFLOAT", "h0", ["f0", "1.5"]), cexec("HGETALL", "h0"),
        cexec("HSCAN", "h0", ["f*"], [0, 1]), cexec("HDEL", "h0", ["f5", ("key", "long")]),
        cexec("SADD", "S0", [("key", "long"), "x"]), cexec("SMISMEMBER", "S0", ["x", "m3"]),
        cexec("SINTERSTORE", "h_new", [("key", "S0"), ("key", "S1")]),
        cexec("SUNIONSTORE", "h_new", [("key", "S0"), ("key", "S1")]),
        cexec("SMOVE", "S1", [("key", "S0"), "m3"]), cexec("SPOP", "S0", [], [3]),
        cexec("ZADD", "z0", [("key", "long"), "m0"], [0.5, 10], zadd_auto=True),
        cexec("ZRANGE", "z0", [], [0, -1]), cexec("ZRANK", "z0", ["m3"]),
        cexec("ZLEXCOUNT", "z0", ["[m1", "(m5"]), cexec("ZPOPMAX", "z0", [], [2]),
        cexec("ZSCAN", "z0", [], [0, 1]),
        cexec("LPUSH", "l0", [("key", "long"), "x"]), cexec("LINSERT", "l0", ["e0", "abc"]),
        cexec("LMOVE", "l0", [("key", "l1")]), cexec("LMOVE", "l1", [("key", "l0")]),
        cexec("LREM", "l0", ["e0"], [-1]), cexec("LTRIM", "l0", [], [1, -1]),
        cexec("LPOS", "l0", ["x"], [-1, 0, 0]), copy("h0", "h_new"), rename("z0", "c"),
        check(),
    ]),
    "packed-count": u8(IMG_STABLE) + m_node(0, 0, v32(V_INC)) + cexec("HGETALL", "h0")
    + cexec("HSET", "h0", ["x", "abc"]) + check(),
    "packed-used": u8(IMG_STABLE) + m_node(0, 1, v32(V_WRAP, 0)) + cexec("HGET", "h0", ["f1"])
    + cexec("HDEL", "h0", ["f1"]) + check(),
    "packed-bytes-live": u8(IMG_SMALL) + cexec("HGET", "h0", ["f0"]) + m_node(0, 4, v32(V_ONES))
    + cexec("HGETALL", "h0") + cexec("HSET", "h0", ["f0", "x"]) + check(),
    "packed-root": u8(IMG_STABLE) + m_entry("l0", 16, v32(V_NODE, 9, 0))
    + cexec("LRANGE", "l0", nums=[0, -1]) + cexec("RPUSH", "l0", ["x"]) + check(),
}


def main():
    _check_scan_out()
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".bin"):
            os.remove(os.path.join(OUT, f))
    for name, data in SEEDS.items():
        with open(os.path.join(OUT, name + ".bin"), "wb") as fh:
            fh.write(data)
    print("wrote %d seeds to %s" % (len(SEEDS), OUT))


if __name__ == "__main__":
    main()
