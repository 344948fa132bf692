/*
 * test_security.c — squatting and permission scenarios on /dev/shm.
 *
 * (test_segment.c already covers: umask 000 gives 0600, mode 0644 refused,
 * wrong magic/version/lock ABI/byte order/heap top refused, bad names. This
 * file adds what it does not.)
 *
 *  - 0600 under every umask (000, 002, 022, 077, 777), owned by the creator;
 *  - every single group/other permission bit refused; 0700 accepted;
 *  - a name pre-created by ANOTHER user (root: chown to nobody), empty or
 *    holding a perfectly valid segment image: refused with SHMD_E_SEGMENT by
 *    open and by open-with-create, SHMD_E_EXISTS with EXCL, not listed, left
 *    untouched; given back to us, the same image opens;
 *  - the other side: a process running as nobody can neither open, create
 *    over, list nor drop our segment;
 *  - a symlink at /dev/shm/shmdict.<name> to a segment of ours, to a file of
 *    ours elsewhere, or dangling: refused, and the target is neither opened,
 *    changed nor created (shm_open itself refuses to follow: checked too);
 *  - a directory or a FIFO at the path: refused, no hang;
 *  - a segment truncated below its reserve, or to a few bytes, or sized but
 *    never initialised (creator died): refused, never SIGBUS.
 *
 * Squatting by another user needs root (CI runs as root); otherwise those
 * parts are skipped with a message.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tcheck.h"
#include "tutil.h"

#define NOBODY 65534

static char prefix[64];

static int op(const char *n, uint32_t flags) {
  return shmd_open((const uint8_t *)n, (uint32_t)strlen(n), flags, 0, 4.0 * 1024 * 1024);
}
static void path_of(char *buf, size_t cap, const char *name) {
  snprintf(buf, cap, "/dev/shm/shmdict.%s", name);
}
static void nm(char *buf, size_t cap, const char *what) { snprintf(buf, cap, "%s-%s", prefix, what); }
static int drop(const char *n) { return shmd_drop((const uint8_t *)n, (uint32_t)strlen(n)); }

/* FNV of a whole file, with its size and owner: to see that it was untouched. */
static uint64_t file_sig(const char *path) {
  int fd = open(path, O_RDONLY | O_NOFOLLOW);
  if (fd < 0) return 0;
  struct stat st;
  fstat(fd, &st);
  uint64_t h = 1469598103934665603ull ^ (uint64_t)st.st_size ^ ((uint64_t)st.st_uid << 40) ^
               ((uint64_t)st.st_mode << 20);
  static uint8_t b[65536];
  ssize_t n;
  while ((n = read(fd, b, sizeof b)) > 0)
    for (ssize_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
  close(fd);
  return h;
}

static int listed(const char *name) {
  static uint8_t list[1 << 16];
  int n = shmd_list(list, sizeof list);
  return n > 0 && memmem(list, (size_t)n, name, strlen(name) + 1) != NULL;
}

static void note_code(const char *what, int rc) {
  uint8_t e[256];
  int n = shmd_last_error(e, sizeof e);
  printf("   %s: status %d (%.*s)\n", what, rc, n > 256 ? 256 : n, (const char *)e);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  snprintf(prefix, sizeof prefix, "csec-%d", (int)getpid());
  int root = geteuid() == 0;
  char n1[96], p1[160];

  TEST("0600 under every umask, owned by the creator");
  mode_t masks[] = {0, 002, 022, 077, 0777};
  for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++) {
    char n[96], p[160];
    snprintf(n, sizeof n, "%s-umask%o", prefix, (unsigned)masks[i]);
    path_of(p, sizeof p, n);
    drop(n);
    mode_t old = umask(masks[i]);
    int h = op(n, SHMD_O_CREATE | SHMD_O_EXCL);
    umask(old);
    CHECK(h >= 0);
    struct stat st;
    CHECK(lstat(p, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0600 &&
          st.st_uid == geteuid());
    if (h >= 0) {
      CHECK(tset(h, "k", "v") == SHMD_OK);
      shmd_close(h);
    }
    CHECK(op(n, 0) >= 0); /* and it attaches */
    drop(n);
  }

  TEST("every group/other permission bit is refused; 0700 is not");
  nm(n1, sizeof n1, "perm");
  path_of(p1, sizeof p1, n1);
  drop(n1);
  int h = op(n1, SHMD_O_CREATE);
  CHECK(h >= 0);
  shmd_close(h);
  mode_t bits[] = {0640, 0620, 0610, 0604, 0602, 0601, 0666};
  for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
    CHECK(chmod(p1, bits[i]) == 0);
    int r = op(n1, 0);
    CHECK(r == SHMD_E_SEGMENT);
    CHECK(op(n1, SHMD_O_CREATE) == SHMD_E_SEGMENT);
    if (r >= 0) shmd_close(r);
  }
  CHECK(chmod(p1, 0700) == 0);
  CHECK((h = op(n1, 0)) >= 0);
  if (h >= 0) shmd_close(h);
  CHECK(chmod(p1, 0600) == 0);

  TEST("a name pre-created by another user is refused");
  if (!root) {
    printf("SKIP squatting by another user: needs root to chown a file to nobody\n");
  } else {
    /* an empty file owned by nobody, mode 0600 */
    char n2[96], p2[160];
    nm(n2, sizeof n2, "squat");
    path_of(p2, sizeof p2, n2);
    drop(n2);
    int fd = open(p2, O_CREAT | O_EXCL | O_RDWR, 0600);
    CHECK(fd >= 0 && fchown(fd, NOBODY, NOBODY) == 0);
    close(fd);
    uint64_t sig = file_sig(p2);
    CHECK(op(n2, 0) == SHMD_E_SEGMENT);
    CHECK(op(n2, SHMD_O_CREATE) == SHMD_E_SEGMENT);
    CHECK(op(n2, SHMD_O_CREATE | SHMD_O_EXCL) == SHMD_E_EXISTS);
    CHECK(op(n2, SHMD_O_READONLY) == SHMD_E_SEGMENT);
    CHECK(!listed(n2));
    CHECK(file_sig(p2) == sig);
    unlink(p2);
    /* a valid segment image, handed to nobody */
    h = op(n1, 0);
    CHECK(h >= 0 && tset(h, "secret", "ours") == SHMD_OK);
    shmd_close(h);
    CHECK(chown(p1, NOBODY, NOBODY) == 0);
    sig = file_sig(p1);
    CHECK(op(n1, 0) == SHMD_E_SEGMENT);
    CHECK(op(n1, SHMD_O_CREATE) == SHMD_E_SEGMENT);
    CHECK(op(n1, SHMD_O_READONLY) == SHMD_E_SEGMENT);
    CHECK(!listed(n1));
    CHECK(file_sig(p1) == sig);
    /* owned by us again: the very same bytes open */
    CHECK(chown(p1, geteuid(), getegid()) == 0);
    CHECK((h = op(n1, 0)) >= 0);
    uint8_t out[16];
    CHECK(h >= 0 && shmd_get(h, (const uint8_t *)"secret", 6, out, sizeof out) == 4);
    if (h >= 0) shmd_close(h);
    CHECK(listed(n1));
  }

  TEST("another user cannot open, create over, list or drop our segment");
  if (!root) {
    printf("SKIP the other user's side: needs root to become nobody\n");
  } else {
    uint64_t sig = file_sig(p1);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      int bad = 0;
      if (setgid(NOBODY) != 0 || setuid(NOBODY) != 0) _exit(100);
      if (op(n1, 0) != SHMD_E_SEGMENT) bad |= 1;
      if (op(n1, SHMD_O_READONLY) != SHMD_E_SEGMENT) bad |= 2;
      if (op(n1, SHMD_O_CREATE) != SHMD_E_SEGMENT) bad |= 4;
      if (listed(n1)) bad |= 8;
      if (drop(n1) >= 0) bad |= 16; /* /dev/shm is sticky: EPERM */
      _exit(bad);
    }
    int st;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
      printf("   the child as nobody: status 0x%x (bits: 1 open, 2 read-only, 4 create, 8 listed, "
             "16 dropped, 100 setuid failed)\n", st);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CHECK(file_sig(p1) == sig);
    CHECK((h = op(n1, 0)) >= 0);
    if (h >= 0) shmd_close(h);
  }

  TEST("a symlink at the segment's path is refused; its target is left alone");
  {
    char nl[96], pl[160], other[160];
    nm(nl, sizeof nl, "link");
    path_of(pl, sizeof pl, nl);
    drop(nl);
    unlink(pl);
    /* 1. to a valid segment of ours */
    CHECK(symlink(p1, pl) == 0);
    uint64_t sig = file_sig(p1);
    int r = op(nl, 0);
    note_code("symlink to a segment of ours, attach", r);
    CHECK(r == SHMD_E_SEGMENT);
    CHECK(op(nl, SHMD_O_CREATE) == SHMD_E_SEGMENT);
    CHECK(op(nl, SHMD_O_READONLY) == SHMD_E_SEGMENT);
    CHECK(op(nl, SHMD_O_CREATE | SHMD_O_EXCL) == SHMD_E_EXISTS);
    CHECK(file_sig(p1) == sig);
    /* shm_open itself does not follow it (O_NOFOLLOW) */
    char shmname[160];
    snprintf(shmname, sizeof shmname, "/shmdict.%s", nl);
    errno = 0;
    int fd = shm_open(shmname, O_RDWR, 0);
    CHECK(fd < 0 && errno == ELOOP);
    if (fd >= 0) close(fd);
    unlink(pl);
    /* 2. to a copy of that segment outside /dev/shm */
    snprintf(other, sizeof other, "/tmp/%s-copy", prefix);
    {
      char cmd[512];
      snprintf(cmd, sizeof cmd, "cp '%s' '%s' && chmod 600 '%s'", p1, other, other);
      CHECK(system(cmd) == 0);
    }
    CHECK(symlink(other, pl) == 0);
    uint64_t sig2 = file_sig(other);
    CHECK(op(nl, 0) < 0);
    CHECK(op(nl, SHMD_O_CREATE) < 0);
    CHECK(file_sig(other) == sig2);
    unlink(pl);
    unlink(other);
    /* 3. dangling: create must not create the target */
    CHECK(symlink(other, pl) == 0);
    r = op(nl, SHMD_O_CREATE);
    note_code("dangling symlink, create", r);
    CHECK(r < 0);
    CHECK(access(other, F_OK) != 0);
    CHECK(op(nl, 0) < 0);
    unlink(pl);
    CHECK(!listed(nl));
  }

  TEST("a directory or a FIFO at the path is refused, without hanging");
  {
    char nd[96], pd[160];
    nm(nd, sizeof nd, "dir");
    path_of(pd, sizeof pd, nd);
    CHECK(mkdir(pd, 0700) == 0);
    int r = op(nd, 0);
    note_code("directory, attach", r);
    CHECK(r < 0 && r != SHMD_E_NOENT);
    CHECK(op(nd, SHMD_O_CREATE) < 0);
    rmdir(pd);
    CHECK(mkfifo(pd, 0600) == 0);
    CHECK(op(nd, 0) == SHMD_E_SEGMENT);
    CHECK(op(nd, SHMD_O_CREATE) == SHMD_E_SEGMENT);
    unlink(pd);
  }

  TEST("truncated, tiny or never-initialised segments are refused, never SIGBUS");
  {
    h = op(n1, 0);
    CHECK(h >= 0);
    if (h >= 0) shmd_close(h);
    struct stat st;
    CHECK(stat(p1, &st) == 0);
    CHECK(truncate(p1, st.st_size / 2) == 0);
    CHECK(op(n1, 0) == SHMD_E_SEGMENT);
    CHECK(op(n1, SHMD_O_CREATE) == SHMD_E_SEGMENT);
    CHECK(truncate(p1, 100) == 0);
    CHECK(op(n1, 0) == SHMD_E_SEGMENT);
    CHECK(truncate(p1, 0) == 0);
    CHECK(truncate(p1, st.st_size) == 0); /* right size, all zeros: no magic */
    int r = op(n1, 0);                   /* waits for a creator, then gives up */
    note_code("sized but never initialised", r);
    CHECK(r == SHMD_E_SEGMENT);
    drop(n1);
  }

  return tdone("test_security");
}
