/*
 * os_windows.c — the platform layer for Windows.
 *
 * A shared mapping on Windows disappears when its last handle closes, so a
 * dictionary there is always file-backed: %LOCALAPPDATA%\shmdict\<name>, opened
 * with sharing for read, write and delete (so DROP can unlink it while others
 * have it open), marked sparse and sized to the reserve; the view maps the whole
 * file. The writer lock is a named mutex, Local\shmdict.<name>: when its owner
 * dies the next waiter gets WAIT_ABANDONED, which is our "owner died" signal.
 *
 * Status: this file is cross-compiled in CI (`zig build cross`) but has not yet
 * been run on Windows; see docs/ARCHITECTURE.md.
 */
#if defined(_WIN32)

#define WIN32_LEAN_AND_MEAN
#include <stdio.h>
#include <windows.h>
#include <winioctl.h>

#include "internal.h"

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

static int dir_path(char *buf, size_t cap) {
  char base[MAX_PATH];
  DWORD n = GetEnvironmentVariableA("LOCALAPPDATA", base, sizeof base);
  if (n == 0 || n >= sizeof base) n = GetTempPathA(sizeof base, base);
  if (n == 0 || n >= sizeof base) return shmd_err(SHMD_E_SYS, "no LOCALAPPDATA or TEMP directory");
  snprintf(buf, cap, "%s\\shmdict", base);
  CreateDirectoryA(buf, NULL);
  return SHMD_OK;
}

static int file_path(char *buf, size_t cap, const char *name) {
  char dir[MAX_PATH + 16];
  int rc = dir_path(dir, sizeof dir);
  if (rc) return rc;
  snprintf(buf, cap, "%s\\%s", dir, name);
  return SHMD_OK;
}

static int win_err(const char *what, const char *name) {
  DWORD e = GetLastError();
  if (e == ERROR_DISK_FULL || e == ERROR_HANDLE_DISK_FULL)
    return shmd_err(SHMD_E_FULL, "%s %s: disk full", what, name);
  if (e == ERROR_ACCESS_DENIED) return shmd_err(SHMD_E_SEGMENT, "%s %s: access denied", what, name);
  return shmd_err(SHMD_E_SYS, "%s %s: Windows error %lu", what, name, (unsigned long)e);
}

int os_create(const char *name, uint64_t reserve, intptr_t *fd_out) {
  char path[MAX_PATH + 256];
  int rc = file_path(path, sizeof path, name);
  if (rc) return rc;
  HANDLE f = CreateFileA(path, GENERIC_READ | GENERIC_WRITE,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, CREATE_NEW,
                         FILE_ATTRIBUTE_NORMAL, NULL);
  if (f == INVALID_HANDLE_VALUE) {
    if (GetLastError() == ERROR_FILE_EXISTS) return SHMD_E_EXISTS;
    return win_err("cannot create segment", name);
  }
  DWORD ret;
  DeviceIoControl(f, FSCTL_SET_SPARSE, NULL, 0, NULL, 0, &ret, NULL);
  LARGE_INTEGER size;
  size.QuadPart = (LONGLONG)reserve;
  if (!SetFilePointerEx(f, size, NULL, FILE_BEGIN) || !SetEndOfFile(f)) {
    rc = win_err("cannot size segment", name);
    CloseHandle(f);
    DeleteFileA(path);
    return rc;
  }
  *fd_out = (intptr_t)f;
  return SHMD_OK;
}

int os_attach(const char *name, intptr_t *fd_out, uint64_t *size_out) {
  char path[MAX_PATH + 256];
  int rc = file_path(path, sizeof path, name);
  if (rc) return rc;
  HANDLE f = CreateFileA(path, GENERIC_READ | GENERIC_WRITE,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                         OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
  if (f == INVALID_HANDLE_VALUE) {
    DWORD e = GetLastError();
    if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND) return SHMD_E_NOENT;
    return win_err("cannot open segment", name);
  }
  BY_HANDLE_FILE_INFORMATION info;
  if (!GetFileInformationByHandle(f, &info) ||
      (info.dwFileAttributes & (FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_DIRECTORY))) {
    CloseHandle(f);
    return shmd_err(SHMD_E_SEGMENT, "segment %s refused: not a regular file", name);
  }
  *fd_out = (intptr_t)f;
  *size_out = ((uint64_t)info.nFileSizeHigh << 32) | info.nFileSizeLow;
  return SHMD_OK;
}

int os_map(intptr_t fd, uint64_t len, uint8_t **base_out) {
  HANDLE m = CreateFileMappingA((HANDLE)fd, NULL, PAGE_READWRITE, (DWORD)(len >> 32),
                                (DWORD)len, NULL);
  if (!m) return shmd_err(SHMD_E_SYS, "CreateFileMapping failed: %lu", (unsigned long)GetLastError());
  void *p = MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, (SIZE_T)len);
  CloseHandle(m);
  if (!p) return shmd_err(SHMD_E_SYS, "MapViewOfFile failed: %lu", (unsigned long)GetLastError());
  *base_out = p;
  return SHMD_OK;
}

void os_unmap(uint8_t *base, uint64_t len) {
  (void)len;
  UnmapViewOfFile(base);
}

void os_close(intptr_t fd) { CloseHandle((HANDLE)fd); }

/* The file is sparse; NTFS allocates on first write. A full disk then raises
 * an in-page error: committing ahead with SetFileValidData needs a privilege,
 * so this is left open (docs/ARCHITECTURE.md). */
int os_commit(intptr_t fd, uint64_t from, uint64_t to) {
  (void)fd;
  (void)from;
  (void)to;
  return SHMD_OK;
}

int os_unlink(const char *name) {
  char path[MAX_PATH + 256];
  int rc = file_path(path, sizeof path, name);
  if (rc) return rc;
  if (DeleteFileA(path)) return 1;
  DWORD e = GetLastError();
  if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND) return 0;
  return win_err("cannot drop segment", name);
}

int os_list(uint8_t *out, uint32_t cap) {
  char dir[MAX_PATH + 16], pat[MAX_PATH + 32];
  if (dir_path(dir, sizeof dir)) return 0;
  snprintf(pat, sizeof pat, "%s\\*", dir);
  WIN32_FIND_DATAA fd;
  HANDLE it = FindFirstFileA(pat, &fd);
  if (it == INVALID_HANDLE_VALUE) return 0;
  uint64_t need = 0;
  do {
    if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) continue;
    size_t len = strlen(fd.cFileName);
    if (!os_valid_name((const uint8_t *)fd.cFileName, (uint32_t)len)) continue;
    if (need + len + 1 <= cap) {
      memcpy(out + need, fd.cFileName, len);
      out[need + len] = 0;
    }
    need += len + 1;
  } while (FindNextFileA(it, &fd));
  FindClose(it);
  return need > INT32_MAX ? shmd_err(SHMD_E_TOOBIG, "list too long") : (int)need;
}

uint32_t os_pid(void) { return (uint32_t)GetCurrentProcessId(); }

uint64_t os_random64(void) {
  LARGE_INTEGER c;
  QueryPerformanceCounter(&c);
  uint64_t v = (uint64_t)c.QuadPart ^ ((uint64_t)GetCurrentProcessId() << 32) ^
               (uint64_t)(uintptr_t)&c;
  v ^= v >> 33;
  v *= 0xff51afd7ed558ccdull;
  v ^= v >> 33;
  return v;
}

int64_t os_now_ms(void) {
  FILETIME ft;
  GetSystemTimeAsFileTime(&ft);
  uint64_t t = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
  return (int64_t)(t / 10000 - 11644473600000ull);
}

void os_pause(unsigned spins) {
  if (spins < 16)
    YieldProcessor();
  else
    SwitchToThread();
}

void os_die(void) { TerminateProcess(GetCurrentProcess(), 9); }

/* WaitOnAddress does not work across processes: poll every millisecond. */
int os_wait(uint32_t *addr, uint32_t val, double timeout_ms) {
  for (double waited = 0; timeout_ms < 0 || waited < timeout_ms; waited += 1) {
    if (InterlockedCompareExchange((volatile LONG *)addr, 0, 0) != (LONG)val) return 1;
    Sleep(1);
  }
  return 0;
}
void os_wake(uint32_t *addr) { (void)addr; }

uint32_t os_lock_abi(void) { return (4u << 16) | 8u; }

static HANDLE lock_handle(struct dict *d) {
  if (!d->lock_handle) {
    char n[SHMD_MAX_NAME + 32];
    snprintf(n, sizeof n, "Local\\shmdict.%s", d->name);
    d->lock_handle = CreateMutexA(NULL, FALSE, n);
  }
  return (HANDLE)d->lock_handle;
}

int os_lock_init(struct dict *d) {
  return lock_handle(d) ? SHMD_OK : shmd_err(SHMD_E_SYS, "cannot create the writer lock");
}

int os_lock(struct dict *d) {
  HANDLE m = lock_handle(d);
  if (!m) return shmd_err(SHMD_E_SYS, "cannot open the writer lock");
  DWORD r = WaitForSingleObject(m, INFINITE);
  if (r == WAIT_OBJECT_0) return 0;
  if (r == WAIT_ABANDONED) return 1;
  return shmd_err(SHMD_E_SYS, "cannot take the writer lock: %lu", (unsigned long)GetLastError());
}

void os_lock_consistent(struct dict *d) { (void)d; }

void os_unlock(struct dict *d) { ReleaseMutex((HANDLE)d->lock_handle); }

void os_lock_close(struct dict *d) {
  if (d->lock_handle) CloseHandle((HANDLE)d->lock_handle);
  d->lock_handle = NULL;
}

#endif /* _WIN32 */
