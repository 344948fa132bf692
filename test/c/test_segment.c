/*
 * test_segment.c — segments: names, create/attach/exclusive/missing, refusal
 * of foreign or damaged headers and of squatted or widened permissions, mode
 * 0600 under any umask, drop while attached, read-only handles, and the
 * robust lock: a process killed while holding the lock mid-command neither
 * blocks the next writer nor leaves a half-done change.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "internal.h"
#include "tcheck.h"
#include "tutil.h"

static int op(const char *n, uint32_t flags) {
  return shmd_open((const uint8_t *)n, (uint32_t)strlen(n), flags, 0, 4.0 * 1024 * 1024);
}

/* Map the raw segment file to damage its header. */
static uint8_t *raw(const char *name, int *fd, size_t len) {
  char p[256];
  snprintf(p, sizeof p, "/shmdict.%s", name);
  *fd = shm_open(p, O_RDWR, 0);
  if (*fd < 0) return NULL;
  void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
  return m == MAP_FAILED ? NULL : m;
}

int main(void) {
  char name[64], path[128];
  uint8_t out[64];
  tname(name, sizeof name, "seg");
  snprintf(path, sizeof path, "/dev/shm/shmdict.%s", name);
  shmd_drop((const uint8_t *)name, (uint32_t)strlen(name));

  TEST("names are validated");
  const char *bad[] = {"", ".hidden", "a/b", "../x", "a b", "x\n"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) CHECK(op(bad[i], SHMD_O_CREATE) == SHMD_E_INVAL);
  char longname[300];
  memset(longname, 'a', 201);
  longname[201] = 0;
  CHECK(op(longname, SHMD_O_CREATE) == SHMD_E_INVAL);
  longname[200] = 0;
  int hl = op(longname, SHMD_O_CREATE);
  CHECK(hl >= 0);
  shmd_close(hl);
  CHECK(shmd_drop((const uint8_t *)longname, 200) == 1);

  TEST("create, attach, exclusive, missing");
  CHECK(op(name, 0) == SHMD_E_NOENT);
  mode_t old = umask(0);
  int h1 = op(name, SHMD_O_CREATE);
  umask(old);
  CHECK(h1 >= 0);
  struct stat st;
  CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
  CHECK(op(name, SHMD_O_CREATE | SHMD_O_EXCL) == SHMD_E_EXISTS);
  int h2 = op(name, 0);
  CHECK(h2 >= 0 && h2 != h1);
  CHECK(tset(h1, "k", "v1") == SHMD_OK);
  CHECK(shmd_get(h2, (const uint8_t *)"k", 1, out, sizeof out) == 2 && memcmp(out, "v1", 2) == 0);
  CHECK(shmd_close(h2) == SHMD_OK);
  CHECK(shmd_close(h2) == SHMD_E_HANDLE);
  CHECK(shmd_get(h2, (const uint8_t *)"k", 1, out, sizeof out) == SHMD_E_HANDLE);
  static uint8_t list[1 << 16];
  int ll = shmd_list(list, sizeof list);
  CHECK(ll > 0 && memmem(list, (size_t)ll, name, strlen(name) + 1) != NULL);

  TEST("read-only handles refuse writes");
  int hr = op(name, SHMD_O_READONLY);
  CHECK(hr >= 0);
  CHECK(tset(hr, "k", "v2") == SHMD_E_READONLY);
  CHECK(shmd_get(hr, (const uint8_t *)"k", 1, out, sizeof out) == 2);
  shmd_close(hr);

  TEST("damaged headers are refused");
  int fd;
  uint8_t *m = raw(name, &fd, SEG_HDR_BYTES);
  CHECK(m != NULL);
  struct seg_hdr *hd = (struct seg_hdr *)m;
  uint32_t v = hd->version;
  hd->version = 99;
  CHECK(op(name, 0) == SHMD_E_SEGMENT);
  hd->version = v;
  uint32_t abi = hd->lock_abi;
  hd->lock_abi ^= 0x10000;
  CHECK(op(name, 0) == SHMD_E_SEGMENT);
  hd->lock_abi = abi;
  hd->endian = 0x04030201;
  CHECK(op(name, 0) == SHMD_E_SEGMENT);
  hd->endian = SEG_ENDIAN;
  uint64_t mg = hd->magic;
  hd->magic = 0x4141414141414141ull;
  CHECK(op(name, 0) == SHMD_E_SEGMENT);
  hd->magic = mg;
  uint32_t top = hd->al.top;
  hd->al.top = 0xfffffff0u;
  CHECK(op(name, 0) == SHMD_E_SEGMENT);
  hd->al.top = top;
  int h3 = op(name, 0);
  CHECK(h3 >= 0);
  shmd_close(h3);
  munmap(m, SEG_HDR_BYTES);
  close(fd);

  TEST("widened permissions are refused");
  CHECK(chmod(path, 0644) == 0);
  CHECK(op(name, 0) == SHMD_E_SEGMENT);
  CHECK(chmod(path, 0600) == 0);
  CHECK((h3 = op(name, 0)) >= 0);
  shmd_close(h3);

  TEST("a dropped dictionary keeps working for those attached");
  CHECK(shmd_drop((const uint8_t *)name, (uint32_t)strlen(name)) == 1);
  CHECK(shmd_drop((const uint8_t *)name, (uint32_t)strlen(name)) == 0);
  CHECK(op(name, 0) == SHMD_E_NOENT);
  CHECK(tset(h1, "k2", "still") == SHMD_OK);
  CHECK(shmd_get(h1, (const uint8_t *)"k2", 2, out, sizeof out) == 5);
  shmd_close(h1);

  TEST("a full segment is SHMD_E_FULL and the dictionary still works");
  h1 = op(name, SHMD_O_CREATE); /* 4 MiB */
  static uint8_t big[65536];
  char k[32];
  int i, rc = SHMD_OK;
  for (i = 0; i < 1000 && rc == SHMD_OK; i++) {
    snprintf(k, sizeof k, "big:%d", i);
    rc = shmd_set(h1, (const uint8_t *)k, (uint32_t)strlen(k), big, sizeof big, 0, 0, out, 0);
  }
  CHECK(rc == SHMD_E_FULL);
  CHECK(shmd_dbsize(h1) == i - 1);
  CHECK(tconsistent(h1));
  CHECK(tdel(h1, "big:0") == 1);
  CHECK(shmd_set(h1, (const uint8_t *)"again", 5, big, sizeof big, 0, 0, out, 0) == SHMD_OK);
  CHECK(tconsistent(h1));

  TEST("a writer killed holding the lock mid-command is rolled back");
  for (int round = 0; round < 20; round++) {
    int before = shmd_dbsize(h1);
    pid_t pid = fork();
    if (pid == 0) {
      struct dict *d = api_dict(h1);
      w_begin(d);
      /* half a command: unlink an entry and allocate, then die */
      uint32_t *link, off, neu;
      uint64_t hh = ks_hash(d, (const uint8_t *)"again", 5);
      ks_lookup(d, (const uint8_t *)"again", 5, hh, &link, &off);
      if (off) ks_unlink_free(d, link, off);
      al_alloc(d, 1000 + (uint64_t)round * 100, &neu);
      raise(SIGKILL);
      _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    CHECK(tset(h1, "after", "ok") == SHMD_OK); /* does not block */
    CHECK(shmd_dbsize(h1) == before + (round == 0 ? 1 : 0));
    CHECK(shmd_get(h1, (const uint8_t *)"again", 5, out, 0) == (int)sizeof big);
    CHECK(tconsistent(h1));
  }
  uint8_t info[SHMD_INFO_COUNT * 8];
  shmd_info(h1, info, sizeof info);
  double rec;
  memcpy(&rec, info + SHMD_INFO_RECOVERIES * 8, 8);
  CHECK(rec == 20);

  TEST("random SIGKILLs during writes never corrupt");
  for (int round = 0; round < 30; round++) {
    pid_t pid = fork();
    if (pid == 0) {
      char kk[32], vv[200];
      for (unsigned j = 0;; j++) {
        snprintf(kk, sizeof kk, "r:%u", j % 5000);
        memset(vv, 'a' + (int)(j % 26), 1 + j % 199);
        if (j % 3 == 2)
          tdel(h1, kk);
        else
          shmd_set(h1, (const uint8_t *)kk, (uint32_t)strlen(kk), (const uint8_t *)vv,
                   1 + j % 199, 0, 0, out, 0);
      }
    }
    struct timespec ts = {0, (long)(1 + (round * 7919) % 20) * 1000000L};
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    CHECK(tset(h1, "after", "ok") == SHMD_OK);
    CHECK(tconsistent(h1));
  }

  shmd_close(h1);
  shmd_drop((const uint8_t *)name, (uint32_t)strlen(name));
  return tdone("test_segment");
}
