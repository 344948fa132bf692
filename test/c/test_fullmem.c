/*
 * test_fullmem.c — a dictionary on a real, small, full tmpfs.
 *
 * As root, the test moves into a private mount namespace (unshare(CLONE_NEWNS),
 * mounts made private so nothing leaks to the host) and mounts an 8 MiB tmpfs
 * over /dev/shm, where the segments live. A dictionary that reserves 64 MiB
 * (a sparse object 8 times larger than the file system) then fills it:
 *
 *  - writes end with SHMD_E_FULL (DictFullError in TypeScript), never SIGBUS
 *    (memory is committed with posix_fallocate before it is touched);
 *  - on the full file system: every value reads back, in-place writes still
 *    work, growing writes, MSET, APPEND, INCR on a new key, a big DEL and
 *    a new dictionary all fail cleanly (or succeed), the check stays clean;
 *  - after deletes, writes succeed again;
 *  - another file eating the rest of the tmpfs: same story, and when it goes
 *    away the dictionary grows again;
 *  - a second process attached to the full dictionary reads and writes;
 *  - a DEL whose undo journal must grow while the tmpfs is full fails whole
 *    (or succeeds), and succeeds once there is room.
 *
 * Not root: the test says so and skips (CI runs as root).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tcheck.h"
#include "tutil.h"

#define TMPFS_BYTES (8u << 20)

static void on_fatal(int sig) {
  char msg[160];
  int n = snprintf(msg, sizeof msg, "FAIL test_fullmem: killed by signal %d (%s)\n%d passed, %d failed\n",
                   sig, sig == SIGBUS ? "SIGBUS" : "SIGSEGV", t_pass, t_fail + 1);
  if (write(1, msg, (size_t)n) < 0) _exit(3);
  _exit(2);
}

static const char *NAME = "fullmem";
static uint8_t val[70000];

/* The value stored under key i: its length and bytes follow from i. */
static uint32_t vlen_of(int i) { return 1000 + (uint32_t)i * 7919u % 60000u; }
static void fill_val(int i, uint32_t n) {
  for (uint32_t j = 0; j < n; j++) val[j] = (uint8_t)((uint32_t)i * 31u + j * 7u + (j >> 9));
}

static int kset(int h, int i, uint32_t n) {
  char k[32];
  uint8_t out[8];
  snprintf(k, sizeof k, "k:%d", i);
  fill_val(i, n);
  return shmd_set(h, (const uint8_t *)k, (uint32_t)strlen(k), val, n, 0, 0, out, 0);
}

/* 1 if key i holds exactly its value of length n. */
static int kcheck(int h, int i, uint32_t n) {
  static uint8_t got[70000];
  char k[32];
  snprintf(k, sizeof k, "k:%d", i);
  int r = shmd_get(h, (const uint8_t *)k, (uint32_t)strlen(k), got, sizeof got);
  if (r != (int)n) return 0;
  fill_val(i, n);
  return memcmp(got, val, n) == 0;
}

static double info(int h, int idx) {
  double v[SHMD_INFO_COUNT];
  shmd_info(h, (uint8_t *)v, sizeof v);
  return v[idx];
}

static uint64_t tmpfs_free(void) {
  struct statvfs s;
  if (statvfs("/dev/shm", &s) != 0) return 0;
  return (uint64_t)s.f_bavail * s.f_frsize;
}

/* Fill with keys from `from` until a write fails; returns the first index that
 * failed, with its status in *rc. */
static int fill(int h, int from, int *rc) {
  int i = from;
  for (; i < from + 100000; i++) {
    *rc = kset(h, i, vlen_of(i));
    if (*rc != SHMD_OK) break;
  }
  return i;
}

static int all_present(int h, int from, int to, int step) {
  for (int i = from; i < to; i += step)
    if (!kcheck(h, i, vlen_of(i))) {
      printf("   key k:%d does not read back\n", i);
      return 0;
    }
  return 1;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (geteuid() != 0) {
    printf("SKIP test_fullmem: needs root to mount a small tmpfs over /dev/shm in a private mount "
           "namespace (CI runs as root)\n");
    return tdone("test_fullmem");
  }
  TEST("an 8 MiB tmpfs over /dev/shm in a private mount namespace");
  int ns = unshare(CLONE_NEWNS);
  if (ns != 0) printf("   unshare(CLONE_NEWNS): %s\n", strerror(errno));
  CHECK(ns == 0);
  CHECK(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0);
  int mr = mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=8m,mode=1777");
  if (mr != 0) printf("   mount tmpfs on /dev/shm: %s\n", strerror(errno));
  CHECK(mr == 0);
  struct statvfs sv;
  CHECK(statvfs("/dev/shm", &sv) == 0 && (uint64_t)sv.f_blocks * sv.f_frsize == TMPFS_BYTES);
  if (t_fail) return tdone("test_fullmem");

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_fatal;
  sigaction(SIGBUS, &sa, NULL);
  sigaction(SIGSEGV, &sa, NULL);

  TEST("a 64 MiB dictionary on it is a sparse object");
  int h = topen(NAME, 64.0 * 1024 * 1024);
  CHECK(h >= 0);
  CHECK(info(h, SHMD_INFO_RESERVED) >= 64.0 * 1024 * 1024);
  CHECK(tmpfs_free() > TMPFS_BYTES / 2);

  TEST("filling it ends with SHMD_E_FULL, not SIGBUS");
  int rc;
  int n1 = fill(h, 0, &rc);
  printf("   %d values (%.1f MiB committed) before: status %d, %llu KiB left in the tmpfs\n", n1,
         info(h, SHMD_INFO_COMMITTED) / 1048576.0, rc, (unsigned long long)(tmpfs_free() >> 10));
  CHECK(rc == SHMD_E_FULL);
  CHECK(n1 > 50);
  CHECK(tmpfs_free() < (1u << 20));
  CHECK(shmd_dbsize(h) == n1);
  CHECK(tconsistent(h));

  TEST("the full dictionary still works");
  CHECK(all_present(h, 0, n1, 1));
  /* same size: in place, no new memory */
  CHECK(kset(h, 0, vlen_of(0)) == SHMD_OK);
  CHECK(kcheck(h, 0, vlen_of(0)));
  /* growing writes of every size: OK or FULL, never a crash */
  int fulls = 0;
  for (uint32_t sz = 1; sz <= 65536; sz *= 2) {
    rc = kset(h, 100000 + (int)sz, sz);
    CHECK(rc == SHMD_OK || rc == SHMD_E_FULL);
    fulls += rc == SHMD_E_FULL;
  }
  CHECK(fulls > 0);
  uint8_t out[64];
  for (int i = 0; i < 200; i++) {
    rc = shmd_append(h, (const uint8_t *)"k:1", 3, val, 4000);
    if (rc < 0) break;
  }
  CHECK(rc == SHMD_E_FULL);
  rc = shmd_incrby(h, (const uint8_t *)"counter", 7, 5, out, 8);
  CHECK(rc == SHMD_OK || rc == SHMD_E_FULL);
  {
    /* MSET of many values: all or nothing */
    static uint8_t argv[8 * (4 + 16 + 4 + 30000) + 4];
    uint32_t n = 16, at = 4;
    memcpy(argv, &n, 4);
    int before = shmd_dbsize(h);
    for (uint32_t j = 0; j < n / 2; j++) {
      char k[16];
      uint32_t kl = (uint32_t)snprintf(k, sizeof k, "ms:%u", j), vl = 30000;
      memcpy(argv + at, &kl, 4), memcpy(argv + at + 4, k, kl), at += 4 + kl;
      memcpy(argv + at, &vl, 4), memcpy(argv + at + 4, val, vl), at += 4 + vl;
    }
    rc = shmd_mset(h, argv, at, 0);
    CHECK(rc == SHMD_E_FULL);
    CHECK(shmd_dbsize(h) == before);
  }
  CHECK(tconsistent(h));
  /* a new dictionary cannot be created on the full tmpfs, and leaves nothing */
  int h2 = shmd_open((const uint8_t *)"fullmem2", 8, SHMD_O_CREATE, 0, 4.0 * 1024 * 1024);
  CHECK(h2 == SHMD_E_FULL);
  CHECK(access("/dev/shm/shmdict.fullmem2", F_OK) != 0);
  if (h2 >= 0) shmd_close(h2);
  /* another process attaches, reads and deletes */
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    int hc = shmd_open((const uint8_t *)NAME, (uint32_t)strlen(NAME), 0, 0, 0);
    int ok = hc >= 0 && kcheck(hc, 3, vlen_of(3)) && tdel(hc, "k:3") == 1;
    _exit(ok ? 0 : 1);
  }
  int st;
  waitpid(pid, &st, 0);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);

  TEST("after deletes, writes succeed again");
  for (int i = 0; i < n1; i += 2) {
    char k[32];
    snprintf(k, sizeof k, "k:%d", i);
    tdel(h, k);
  }
  CHECK(tconsistent(h));
  CHECK(all_present(h, 5, n1, 2));
  int n2 = fill(h, 200000, &rc);
  printf("   %d more values after deleting half\n", n2 - 200000);
  CHECK(n2 - 200000 > 10);
  CHECK(rc == SHMD_E_FULL);
  CHECK(all_present(h, 200000, n2, 1));
  CHECK(all_present(h, 5, n1, 2));
  CHECK(tconsistent(h));

  TEST("another file eats the tmpfs: FULL, then growth again when it goes");
  /* a fresh dictionary (FLUSHALL keeps what was committed), then a plain file
   * takes all the rest but 1 MiB... */
  shmd_close(h);
  CHECK(shmd_drop((const uint8_t *)NAME, (uint32_t)strlen(NAME)) == 1);
  h = topen(NAME, 64.0 * 1024 * 1024);
  CHECK(h >= 0);
  int fd = open("/dev/shm/filler", O_CREAT | O_RDWR | O_TRUNC, 0600);
  CHECK(fd >= 0);
  static uint8_t blk[65536];
  memset(blk, 'f', sizeof blk);
  uint64_t filler = 0;
  while (tmpfs_free() > (1u << 20) + sizeof blk) {
    ssize_t w = write(fd, blk, sizeof blk);
    if (w <= 0) break;
    filler += (uint64_t)w;
  }
  printf("   filler file: %llu KiB; tmpfs free: %llu KiB\n", (unsigned long long)(filler >> 10),
         (unsigned long long)(tmpfs_free() >> 10));
  CHECK(filler > (4u << 20));
  /* ... which the dictionary fills; then the file takes the last pages */
  int n3 = fill(h, 300000, &rc);
  CHECK(rc == SHMD_E_FULL);
  for (;;) {
    ssize_t w = write(fd, blk, 4096);
    if (w <= 0) break;
    filler += (uint64_t)w;
  }
  CHECK(tmpfs_free() == 0);
  /* memory the dictionary committed ahead of need is used up first, then FULL */
  int n3b = fill(h, 350000, &rc);
  CHECK(rc == SHMD_E_FULL);
  CHECK(n3 > 300000);
  CHECK(all_present(h, 300000, n3, 1));
  CHECK(all_present(h, 350000, n3b, 1));
  for (int i = 350000; i < n3b; i++) {
    char k[32];
    snprintf(k, sizeof k, "k:%d", i);
    CHECK(tdel(h, k) == 1);
  }
  double committed = info(h, SHMD_INFO_COMMITTED);
  /* a big DEL needs journal room it may not be able to commit: whatever it
   * answers, the dictionary stays consistent and the keys are gone or there */
  {
    int cnt = n3 - 300000;
    uint8_t *argv = malloc((size_t)cnt * 32 + 8);
    uint32_t at = 4, n = (uint32_t)cnt;
    memcpy(argv, &n, 4);
    for (int i = 300000; i < n3; i++) {
      char k[32];
      uint32_t kl = (uint32_t)snprintf(k, sizeof k, "k:%d", i);
      memcpy(argv + at, &kl, 4), memcpy(argv + at + 4, k, kl), at += 4 + kl;
    }
    rc = shmd_del(h, argv, at);
    printf("   DEL of %d keys on the full tmpfs: %d\n", cnt, rc);
    CHECK(rc == cnt || rc == SHMD_E_FULL);
    CHECK(tconsistent(h));
    if (rc == cnt) CHECK(shmd_dbsize(h) == 0);
    else CHECK(all_present(h, 300000, n3, 1));
    free(argv);
  }
  CHECK(ftruncate(fd, 0) == 0);
  int n4 = fill(h, 400000, &rc);
  printf("   %d values before the filler went, %d after; committed %.1f -> %.1f MiB\n", n3 - 300000,
         n4 - 400000, committed / 1048576.0, info(h, SHMD_INFO_COMMITTED) / 1048576.0);
  CHECK(rc == SHMD_E_FULL);
  CHECK(info(h, SHMD_INFO_COMMITTED) > committed);
  CHECK(all_present(h, 400000, n4, 1));
  CHECK(tconsistent(h));

  TEST("a command whose journal must grow on a full tmpfs");
  /* 4,000 small keys; then the tmpfs is filled to the last page; a DEL of all
   * of them needs more journal (about 2.5 MiB) than was committed at creation
   * (1 MiB) */
  shmd_close(h);
  CHECK(shmd_drop((const uint8_t *)NAME, (uint32_t)strlen(NAME)) == 1);
  h = topen(NAME, 64.0 * 1024 * 1024);
  CHECK(h >= 0);
  enum { NSMALL = 4000 };
  uint8_t *argv = malloc((size_t)NSMALL * 24 + 8);
  uint32_t at = 4, nn = NSMALL;
  memcpy(argv, &nn, 4);
  int made = 0;
  for (int i = 0; i < NSMALL; i++) {
    char k[24];
    uint32_t kl = (uint32_t)snprintf(k, sizeof k, "small:%d", i);
    if (tset(h, k, "v") == SHMD_OK) made++;
    memcpy(argv + at, &kl, 4), memcpy(argv + at + 4, k, kl), at += 4 + kl;
  }
  CHECK(made == NSMALL);
  for (;;) {
    ssize_t w = write(fd, blk, 4096);
    if (w <= 0) break;
  }
  CHECK(tmpfs_free() == 0);
  rc = shmd_del(h, argv, at);
  uint8_t em[200];
  int eml = rc < 0 ? shmd_last_error(em, sizeof em) : 0;
  printf("   DEL of %d keys with the tmpfs full: %d %.*s\n", NSMALL, rc, eml > 200 ? 200 : eml,
         (const char *)em);
  /* SHMD_E_FULL: the command is within the limits (it succeeds once there is
   * room); shared memory is what is missing. */
  CHECK(rc == NSMALL || rc == SHMD_E_FULL);
  CHECK(tconsistent(h));
  CHECK(shmd_dbsize(h) == (rc == NSMALL ? 0 : NSMALL));
  if (rc != NSMALL) {
    CHECK(tset(h, "small:0", "w") == SHMD_OK); /* in place: still writable */
    CHECK(ftruncate(fd, 0) == 0);             /* room again */
    rc = shmd_del(h, argv, at);
    CHECK(rc == NSMALL);
    CHECK(shmd_dbsize(h) == 0);
    CHECK(tconsistent(h));
  }
  free(argv);
  close(fd);
  unlink("/dev/shm/filler");

  shmd_close(h);
  CHECK(shmd_drop((const uint8_t *)NAME, (uint32_t)strlen(NAME)) == 1);
  return tdone("test_fullmem");
}
