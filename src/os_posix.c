/*
 * os_posix.c — the platform layer for Linux and macOS.
 *
 * Segments are POSIX shared-memory objects named "/shmdict.<name>" (on Linux,
 * files under /dev/shm). They are created O_CREAT|O_EXCL with mode 0600 and
 * fchmod'ed to 0600 whatever the umask; an attach refuses an object that is
 * not a regular file owned by the effective user with no group/other bits
 * (someone squatting on the name). Memory is committed with posix_fallocate
 * so that a full tmpfs is an error here, never a SIGBUS on first touch.
 *
 * The writer lock is a process-shared robust pthread mutex: when its owner
 * dies the kernel hands it to the next locker with EOWNERDEAD, which repairs
 * the segment and marks the mutex consistent. macOS has no robust mutexes; it
 * gets a plain process-shared mutex (see docs/ARCHITECTURE.md: its lock is not
 * yet recovered after a crash).
 */
#if !defined(_WIN32)

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#if defined(__APPLE__)
#include <sys/random.h>
#endif

#include "internal.h"

#define PREFIX "shmdict."

/* Robust mutexes: Linux (glibc and musl; PTHREAD_MUTEX_ROBUST is an enum there,
 * not a macro). macOS has none. */
#if defined(__linux__)
#define HAVE_ROBUST 1
#endif

_Static_assert(sizeof(pthread_mutex_t) <= LOCK_BLOB, "lock blob too small");

/* Accept 1..SHMD_MAX_NAME bytes of [A-Za-z0-9._-], not starting with '.'. */
int os_valid_name(const uint8_t *name, uint32_t len) {
  if (!name || len == 0 || len > SHMD_MAX_NAME || name[0] == '.') return 0;
  for (uint32_t i = 0; i < len; i++) {
    uint8_t c = name[i];
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '_' || c == '-';
    if (!ok) return 0;
  }
  return 1;
}

static void shm_path(char *buf, size_t cap, const char *name) {
  snprintf(buf, cap, "/" PREFIX "%s", name);
}

static int sys_err(const char *what, const char *name) {
  int e = errno;
  if (e == ENOSPC || e == ENOMEM)
    return shmd_err(SHMD_E_FULL, "%s %s: %s", what, name, strerror(e));
  if (e == EACCES || e == EPERM)
    return shmd_err(SHMD_E_SEGMENT, "%s %s: %s", what, name, strerror(e));
  return shmd_err(SHMD_E_SYS, "%s %s: %s", what, name, strerror(e));
}

int os_create(const char *name, uint64_t reserve, intptr_t *fd_out) {
  char path[SHMD_MAX_NAME + 16];
  shm_path(path, sizeof path, name);
  int fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return SHMD_E_EXISTS;
    return sys_err("cannot create segment", name);
  }
  if (fchmod(fd, 0600) != 0 || ftruncate(fd, (off_t)reserve) != 0) {
    int rc = sys_err("cannot size segment", name);
    close(fd);
    shm_unlink(path);
    return rc;
  }
  *fd_out = fd;
  return SHMD_OK;
}

int os_attach(const char *name, intptr_t *fd_out, uint64_t *size_out) {
  char path[SHMD_MAX_NAME + 16];
  shm_path(path, sizeof path, name);
  int fd = shm_open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0);
  if (fd < 0) {
    if (errno == ENOENT) return SHMD_E_NOENT;
    if (errno == ELOOP || errno == EISDIR || errno == EINVAL || errno == ENXIO)
      return shmd_err(SHMD_E_SEGMENT, "segment %s refused: not a regular file (%s)", name,
                      strerror(errno));
    return sys_err("cannot open segment", name);
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int rc = sys_err("cannot stat segment", name);
    close(fd);
    return rc;
  }
  if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
    close(fd);
    return shmd_err(SHMD_E_SEGMENT,
                    "segment %s refused: it must be a regular file owned by uid %u with mode "
                    "0600 (found uid %u, mode %03o)",
                    name, (unsigned)geteuid(), (unsigned)st.st_uid,
                    (unsigned)(st.st_mode & 0777));
  }
  *fd_out = fd;
  *size_out = (uint64_t)st.st_size;
  return SHMD_OK;
}

int os_map(intptr_t fd, uint64_t len, uint8_t **base_out) {
  void *p = mmap(NULL, (size_t)len, PROT_READ | PROT_WRITE, MAP_SHARED, (int)fd, 0);
  if (p == MAP_FAILED) return shmd_err(SHMD_E_SYS, "mmap of %llu bytes failed: %s",
                                       (unsigned long long)len, strerror(errno));
  *base_out = p;
  return SHMD_OK;
}

void os_unmap(uint8_t *base, uint64_t len) { munmap(base, (size_t)len); }

void os_close(intptr_t fd) { close((int)fd); }

int os_commit(intptr_t fd, uint64_t from, uint64_t to) {
  if (to <= from) return SHMD_OK;
#if defined(__APPLE__)
  (void)fd;
  return SHMD_OK;
#else
  int e = posix_fallocate((int)fd, (off_t)from, (off_t)(to - from));
  if (e == 0) return SHMD_OK;
  if (e == ENOSPC || e == ENOMEM || e == EFBIG)
    return shmd_err(SHMD_E_FULL, "no room to commit %llu bytes of shared memory: %s",
                    (unsigned long long)(to - from), strerror(e));
  return shmd_err(SHMD_E_SYS, "posix_fallocate failed: %s", strerror(e));
#endif
}

int os_unlink(const char *name) {
  char path[SHMD_MAX_NAME + 16];
  shm_path(path, sizeof path, name);
  if (shm_unlink(path) == 0) return 1;
  if (errno == ENOENT) return 0;
  return sys_err("cannot drop segment", name);
}

/* Names of this user's segments, NUL-separated. Linux only (/dev/shm). */
int os_list(uint8_t *out, uint32_t cap) {
  DIR *dir = opendir("/dev/shm");
  if (!dir) return 0;
  uint64_t need = 0;
  struct dirent *de;
  while ((de = readdir(dir)) != NULL) {
    const char *n = de->d_name;
    if (strncmp(n, PREFIX, sizeof PREFIX - 1) != 0) continue;
    n += sizeof PREFIX - 1;
    size_t len = strlen(n);
    if (!os_valid_name((const uint8_t *)n, (uint32_t)len)) continue;
    struct stat st;
    if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (!S_ISREG(st.st_mode) || st.st_uid != geteuid()) continue;
    if (need + len + 1 <= cap) {
      memcpy(out + need, n, len);
      out[need + len] = 0;
    }
    need += len + 1;
  }
  closedir(dir);
  if (need > INT32_MAX) return shmd_err(SHMD_E_TOOBIG, "list too long");
  return (int)need;
}

uint32_t os_pid(void) { return (uint32_t)getpid(); }

uint64_t os_random64(void) {
  uint64_t v = 0;
  if (getentropy(&v, sizeof v) != 0) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    v = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40);
  }
  return v;
}

int64_t os_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void os_pause(unsigned spins) {
  if (spins < 16) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  } else {
    sched_yield();
  }
}

void os_die(void) { raise(SIGKILL); }

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
/* A futex without FUTEX_PRIVATE_FLAG works across processes on a shared
 * mapping, whatever address each process maps it at. */
int os_wait(uint32_t *addr, uint32_t val, double timeout_ms) {
  struct timespec ts, *tp = NULL;
  if (timeout_ms >= 0) {
    ts.tv_sec = (time_t)(timeout_ms / 1000);
    ts.tv_nsec = (long)((timeout_ms - (double)ts.tv_sec * 1000) * 1e6);
    tp = &ts;
  }
  long r = syscall(SYS_futex, addr, FUTEX_WAIT, val, tp, NULL, 0);
  if (r == 0 || errno == EAGAIN || errno == EINTR) return 1;
  if (errno == ETIMEDOUT) return 0;
  return shmd_err(SHMD_E_SYS, "futex wait failed: %s", strerror(errno));
}
void os_wake(uint32_t *addr) { syscall(SYS_futex, addr, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0); }
#else
/* No cross-process futex here: poll every millisecond (macOS). */
int os_wait(uint32_t *addr, uint32_t val, double timeout_ms) {
  for (double waited = 0; timeout_ms < 0 || waited < timeout_ms; waited += 1) {
    if (__atomic_load_n(addr, __ATOMIC_ACQUIRE) != val) return 1;
    struct timespec ts = {0, 1000000L};
    nanosleep(&ts, NULL);
  }
  return 0;
}
void os_wake(uint32_t *addr) { (void)addr; }
#endif

uint32_t os_lock_abi(void) {
#if defined(__GLIBC__)
  uint32_t libc = 1;
#elif defined(__APPLE__)
  uint32_t libc = 3;
#else
  uint32_t libc = 2; /* musl */
#endif
  return (libc << 16) | (uint32_t)sizeof(pthread_mutex_t);
}

#define LOCKP(d) ((pthread_mutex_t *)(void *)(d)->hdr->lock)

int os_lock_init(struct dict *d) {
  pthread_mutexattr_t a;
  if (pthread_mutexattr_init(&a) != 0) return shmd_err(SHMD_E_SYS, "mutexattr_init failed");
  int e = pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
#if defined(HAVE_ROBUST)
  if (e == 0) e = pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
#endif
  if (e == 0) e = pthread_mutex_init(LOCKP(d), &a);
  pthread_mutexattr_destroy(&a);
  if (e != 0) return shmd_err(SHMD_E_SYS, "cannot initialise the lock: %s", strerror(e));
  return SHMD_OK;
}

int os_lock(struct dict *d) {
  int e = pthread_mutex_lock(LOCKP(d));
  if (e == 0) return 0;
#if defined(HAVE_ROBUST)
  if (e == EOWNERDEAD) return 1;
  if (e == ENOTRECOVERABLE)
    return shmd_err(SHMD_E_CORRUPT, "the writer lock is not recoverable");
#endif
  return shmd_err(SHMD_E_SYS, "cannot take the writer lock: %s", strerror(e));
}

void os_lock_consistent(struct dict *d) {
#if defined(HAVE_ROBUST)
  pthread_mutex_consistent(LOCKP(d));
#else
  (void)d;
#endif
}

void os_unlock(struct dict *d) { pthread_mutex_unlock(LOCKP(d)); }

void os_lock_close(struct dict *d) { (void)d; }

#endif /* !_WIN32 */
