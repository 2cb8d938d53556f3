/*
 * Wrappers of the libc file functions: each forwards to the real function (dlsym RTLD_NEXT) and,
 * when the call succeeded, writes one record (log.c). Opens that may create a file check first
 * whether the path exists, so "created" and "overwritten" are told apart exactly; renames check
 * whether they replace an existing file.
 */
#include "interposer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DECLARE_REAL(ret, name, ...) static ret (*real_##name)(__VA_ARGS__)
#define RESOLVE(name) (real_##name ? real_##name : (real_##name = dlsym(RTLD_NEXT, #name)))

DECLARE_REAL(int, open, const char *, int, ...);
DECLARE_REAL(int, open64, const char *, int, ...);
DECLARE_REAL(int, openat, int, const char *, int, ...);
DECLARE_REAL(int, openat64, int, const char *, int, ...);
DECLARE_REAL(int, __open_2, const char *, int);
DECLARE_REAL(int, __open64_2, const char *, int);
DECLARE_REAL(int, __openat_2, int, const char *, int);
DECLARE_REAL(int, __openat64_2, int, const char *, int);
DECLARE_REAL(int, creat, const char *, mode_t);
DECLARE_REAL(int, creat64, const char *, mode_t);
DECLARE_REAL(FILE *, fopen, const char *, const char *);
DECLARE_REAL(FILE *, fopen64, const char *, const char *);
DECLARE_REAL(FILE *, freopen, const char *, const char *, FILE *);
DECLARE_REAL(FILE *, freopen64, const char *, const char *, FILE *);
DECLARE_REAL(int, mkstemp, char *);
DECLARE_REAL(int, mkstemp64, char *);
DECLARE_REAL(int, mkostemp, char *, int);
DECLARE_REAL(int, mkostemp64, char *, int);
DECLARE_REAL(int, mkstemps, char *, int);
DECLARE_REAL(int, mkostemps, char *, int, int);
DECLARE_REAL(int, rename, const char *, const char *);
DECLARE_REAL(int, renameat, int, const char *, int, const char *);
DECLARE_REAL(int, renameat2, int, const char *, int, const char *, unsigned int);
DECLARE_REAL(int, unlink, const char *);
DECLARE_REAL(int, unlinkat, int, const char *, int);
DECLARE_REAL(int, remove, const char *);
DECLARE_REAL(int, mkdir, const char *, mode_t);
DECLARE_REAL(int, mkdirat, int, const char *, mode_t);
DECLARE_REAL(int, rmdir, const char *);
DECLARE_REAL(int, truncate, const char *, off_t);
DECLARE_REAL(int, truncate64, const char *, off64_t);
DECLARE_REAL(int, ftruncate, int, off_t);
DECLARE_REAL(int, ftruncate64, int, off64_t);
DECLARE_REAL(int, link, const char *, const char *);
DECLARE_REAL(int, linkat, int, const char *, int, const char *, int);
DECLARE_REAL(int, symlink, const char *, const char *);
DECLARE_REAL(int, symlinkat, const char *, int, const char *);

/* Fallback while dlsym itself is running (it may open files): straight to the kernel. */
static int raw_openat(int dirfd, const char *path, int flags, mode_t mode) {
  return (int)rt_sys(SYS_openat, dirfd, (long)path, flags, mode, 0, 0);
}

static int needs_mode(int flags) {
#ifdef O_TMPFILE
  return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
#else
  return flags & O_CREAT;
#endif
}

/* -1: not asked (no O_CREAT, or O_EXCL decides it); else whether the path exists now. */
static int existed_before_open(int dirfd, const char *path, int flags) {
  if (rt_in_hook != 1 || !(flags & O_CREAT) || (flags & O_EXCL) || !path) return -1;
  return rt_exists_at(dirfd, path, 1);
}

#define GET_MODE(flags, last)            \
  mode_t mode = 0;                       \
  if (needs_mode(flags)) {               \
    va_list ap;                          \
    va_start(ap, last);                  \
    mode = (mode_t)va_arg(ap, unsigned); \
    va_end(ap);                          \
  }

/* Runs `call` (an expression using real_<name>), then records when it succeeded. */
#define HOOKED(result_type, ok_expr, call, record) \
  do {                                            \
    rt_in_hook++;                                 \
    result_type res_ = (call);                    \
    if (rt_in_hook == 1 && (ok_expr)) {           \
      int saved_ = errno;                         \
      record;                                     \
      errno = saved_;                             \
    }                                             \
    rt_in_hook--;                                 \
    return res_;                                  \
  } while (0)

#define OPEN_BODY(name, dirfd, path, flags, call)                                                 \
  do {                                                                                            \
    if (!RESOLVE(name)) return raw_openat(dirfd, path, flags, mode);                              \
    rt_in_hook++;                                                                                 \
    int existed_ = existed_before_open(dirfd, path, flags);                                       \
    int res_ = (call);                                                                            \
    if (rt_in_hook == 1 && res_ >= 0) {                                                           \
      int saved_ = errno;                                                                         \
      rt_record_open(dirfd, path, flags, res_, existed_);                                         \
      errno = saved_;                                                                             \
    }                                                                                             \
    rt_in_hook--;                                                                                 \
    return res_;                                                                                  \
  } while (0)

EXPORT int open(const char *path, int flags, ...) {
  GET_MODE(flags, flags);
  OPEN_BODY(open, AT_FDCWD, path, flags, real_open(path, flags, mode));
}

EXPORT int open64(const char *path, int flags, ...) {
  GET_MODE(flags, flags);
  OPEN_BODY(open64, AT_FDCWD, path, flags, real_open64(path, flags, mode));
}

EXPORT int openat(int dirfd, const char *path, int flags, ...) {
  GET_MODE(flags, flags);
  OPEN_BODY(openat, dirfd, path, flags, real_openat(dirfd, path, flags, mode));
}

EXPORT int openat64(int dirfd, const char *path, int flags, ...) {
  GET_MODE(flags, flags);
  OPEN_BODY(openat64, dirfd, path, flags, real_openat64(dirfd, path, flags, mode));
}

EXPORT int __open_2(const char *path, int flags) {
  const mode_t mode = 0;
  OPEN_BODY(__open_2, AT_FDCWD, path, flags, real___open_2(path, flags));
}

EXPORT int __open64_2(const char *path, int flags) {
  const mode_t mode = 0;
  OPEN_BODY(__open64_2, AT_FDCWD, path, flags, real___open64_2(path, flags));
}

EXPORT int __openat_2(int dirfd, const char *path, int flags) {
  const mode_t mode = 0;
  OPEN_BODY(__openat_2, dirfd, path, flags, real___openat_2(dirfd, path, flags));
}

EXPORT int __openat64_2(int dirfd, const char *path, int flags) {
  const mode_t mode = 0;
  OPEN_BODY(__openat64_2, dirfd, path, flags, real___openat64_2(dirfd, path, flags));
}

EXPORT int creat(const char *path, mode_t mode) {
  const int flags = O_WRONLY | O_CREAT | O_TRUNC;
  OPEN_BODY(creat, AT_FDCWD, path, flags, real_creat(path, mode));
}

EXPORT int creat64(const char *path, mode_t mode) {
  const int flags = O_WRONLY | O_CREAT | O_TRUNC;
  OPEN_BODY(creat64, AT_FDCWD, path, flags, real_creat64(path, mode));
}

/* fopen's mode string as open(2) flags. */
static int flags_of_fopen(const char *mode) {
  int plus = mode && strchr(mode, '+') != NULL;
  int excl = mode && strchr(mode, 'x') != NULL;
  switch (mode ? mode[0] : 'r') {
    case 'w':
      return (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC | (excl ? O_EXCL : 0);
    case 'a':
      return (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND;
    default:
      return plus ? O_RDWR : O_RDONLY;
  }
}

#define FOPEN_BODY(name, path, mode, call)                                          \
  do {                                                                              \
    if (!RESOLVE(name)) return NULL;                                                \
    int flags_ = flags_of_fopen(mode);                                              \
    rt_in_hook++;                                                                   \
    int existed_ = path ? existed_before_open(AT_FDCWD, path, flags_) : -1;         \
    FILE *res_ = (call);                                                            \
    if (rt_in_hook == 1 && res_ != NULL && path != NULL) {                          \
      int saved_ = errno;                                                           \
      rt_record_open(AT_FDCWD, path, flags_, fileno(res_), existed_);               \
      errno = saved_;                                                               \
    }                                                                               \
    rt_in_hook--;                                                                   \
    return res_;                                                                    \
  } while (0)

EXPORT FILE *fopen(const char *path, const char *mode) { FOPEN_BODY(fopen, path, mode, real_fopen(path, mode)); }
EXPORT FILE *fopen64(const char *path, const char *mode) { FOPEN_BODY(fopen64, path, mode, real_fopen64(path, mode)); }
/* freopen(NULL, mode, f) changes the mode of the same file: no new path, nothing to record. */
EXPORT FILE *freopen(const char *path, const char *mode, FILE *stream) { FOPEN_BODY(freopen, path, mode, real_freopen(path, mode, stream)); }
EXPORT FILE *freopen64(const char *path, const char *mode, FILE *stream) { FOPEN_BODY(freopen64, path, mode, real_freopen64(path, mode, stream)); }

/* mkstemp and friends create a new file (O_CREAT|O_EXCL): record it under its final name. */
#define MKSTEMP_LIKE(name, ...)                                                                   \
  do {                                                                                            \
    if (!RESOLVE(name)) {                                                                         \
      errno = ENOSYS;                                                                             \
      return -1;                                                                                  \
    }                                                                                             \
    HOOKED(int, res_ >= 0, real_##name(__VA_ARGS__), rt_record_fd("open", "rwcx", res_));        \
  } while (0)

EXPORT int mkstemp(char *tmpl) { MKSTEMP_LIKE(mkstemp, tmpl); }
EXPORT int mkstemp64(char *tmpl) { MKSTEMP_LIKE(mkstemp64, tmpl); }
EXPORT int mkostemp(char *tmpl, int flags) { MKSTEMP_LIKE(mkostemp, tmpl, flags); }
EXPORT int mkostemp64(char *tmpl, int flags) { MKSTEMP_LIKE(mkostemp64, tmpl, flags); }
EXPORT int mkstemps(char *tmpl, int suffixlen) { MKSTEMP_LIKE(mkstemps, tmpl, suffixlen); }
EXPORT int mkostemps(char *tmpl, int suffixlen, int flags) { MKSTEMP_LIKE(mkostemps, tmpl, suffixlen, flags); }

#define SIMPLE(name, ...)    \
  if (!RESOLVE(name)) {      \
    errno = ENOSYS;          \
    return -1;               \
  }                          \
  HOOKED(int, res_ == 0, real_##name(__VA_ARGS__),

/* A rename that replaces an existing file modifies it; one onto a new name creates it. */
#define RENAME_BODY(name, od, oldp, nd, newp, exchange, noreplace, call)                                    \
  do {                                                                                                      \
    if (!RESOLVE(name)) {                                                                                   \
      errno = ENOSYS;                                                                                       \
      return -1;                                                                                            \
    }                                                                                                       \
    rt_in_hook++;                                                                                           \
    int replaced_ = rt_in_hook == 1 && !(exchange) && !(noreplace) ? rt_exists_at(nd, newp, 0) : 0;         \
    int res_ = (call);                                                                                      \
    if (rt_in_hook == 1 && res_ == 0) {                                                                     \
      int saved_ = errno;                                                                                   \
      rt_record_two((exchange) ? "exchange" : "rename", replaced_ ? "o" : "-", nd, newp, od, oldp);         \
      errno = saved_;                                                                                       \
    }                                                                                                       \
    rt_in_hook--;                                                                                           \
    return res_;                                                                                            \
  } while (0)

#define RENAME_EXCHANGE_FLAG 2u
#define RENAME_NOREPLACE_FLAG 1u

EXPORT int rename(const char *oldp, const char *newp) { RENAME_BODY(rename, AT_FDCWD, oldp, AT_FDCWD, newp, 0, 0, real_rename(oldp, newp)); }
EXPORT int renameat(int od, const char *oldp, int nd, const char *newp) { RENAME_BODY(renameat, od, oldp, nd, newp, 0, 0, real_renameat(od, oldp, nd, newp)); }
EXPORT int renameat2(int od, const char *oldp, int nd, const char *newp, unsigned int flags) {
  RENAME_BODY(renameat2, od, oldp, nd, newp, flags & RENAME_EXCHANGE_FLAG, flags & RENAME_NOREPLACE_FLAG, real_renameat2(od, oldp, nd, newp, flags));
}

EXPORT int unlink(const char *p) { SIMPLE(unlink, p) rt_record_path("unlink", "-", AT_FDCWD, p)); }
EXPORT int unlinkat(int dirfd, const char *p, int flags) { SIMPLE(unlinkat, dirfd, p, flags) rt_record_path((flags & AT_REMOVEDIR) ? "rmdir" : "unlink", "-", dirfd, p)); }

/* remove() is unlink or rmdir inside libc (internal calls, not interposable). */
EXPORT int remove(const char *p) {
  if (!RESOLVE(remove)) {
    errno = ENOSYS;
    return -1;
  }
  struct stat st;
  int is_dir = lstat(p, &st) == 0 && S_ISDIR(st.st_mode);
  HOOKED(int, res_ == 0, real_remove(p), rt_record_path(is_dir ? "rmdir" : "unlink", "-", AT_FDCWD, p));
}

EXPORT int mkdir(const char *p, mode_t mode) { SIMPLE(mkdir, p, mode) rt_record_path("mkdir", "-", AT_FDCWD, p)); }
EXPORT int mkdirat(int dirfd, const char *p, mode_t mode) { SIMPLE(mkdirat, dirfd, p, mode) rt_record_path("mkdir", "-", dirfd, p)); }
EXPORT int rmdir(const char *p) { SIMPLE(rmdir, p) rt_record_path("rmdir", "-", AT_FDCWD, p)); }
EXPORT int truncate(const char *p, off_t len) { SIMPLE(truncate, p, len) rt_record_path("trunc", "-", AT_FDCWD, p)); }
EXPORT int truncate64(const char *p, off64_t len) { SIMPLE(truncate64, p, len) rt_record_path("trunc", "-", AT_FDCWD, p)); }
EXPORT int ftruncate(int fd, off_t len) { SIMPLE(ftruncate, fd, len) rt_record_fd("trunc", "-", fd)); }
EXPORT int ftruncate64(int fd, off64_t len) { SIMPLE(ftruncate64, fd, len) rt_record_fd("trunc", "-", fd)); }

/* Hard links keep the existing name as path2: one inode, seen under both names. */
EXPORT int link(const char *oldp, const char *newp) { SIMPLE(link, oldp, newp) rt_record_two("link", "h", AT_FDCWD, newp, AT_FDCWD, oldp)); }
EXPORT int linkat(int od, const char *oldp, int nd, const char *newp, int flags) {
  /* linkat(fd, "", …, AT_EMPTY_PATH) names the file by its descriptor. */
  SIMPLE(linkat, od, oldp, nd, newp, flags) rt_record_two("link", "h", nd, newp, od, *oldp ? oldp : NULL));
}
EXPORT int symlink(const char *target, const char *newp) { SIMPLE(symlink, target, newp) rt_record_path("link", "s", AT_FDCWD, newp)); }
EXPORT int symlinkat(const char *target, int nd, const char *newp) { SIMPLE(symlinkat, target, nd, newp) rt_record_path("link", "s", nd, newp)); }

/* ---- what the record path caches: the current directory, the log descriptor ------------- */

DECLARE_REAL(int, chdir, const char *);
DECLARE_REAL(int, fchdir, int);
DECLARE_REAL(int, close, int);
DECLARE_REAL(int, dup2, int, int);
DECLARE_REAL(int, dup3, int, int, int);
DECLARE_REAL(int, close_range, unsigned int, unsigned int, int);
DECLARE_REAL(void, closefrom, int);

EXPORT int chdir(const char *p) {
  if (!RESOLVE(chdir)) {
    errno = ENOSYS;
    return -1;
  }
  int r = real_chdir(p);
  rt_cwd_changed();
  return r;
}

EXPORT int fchdir(int fd) {
  if (!RESOLVE(fchdir)) {
    errno = ENOSYS;
    return -1;
  }
  int r = real_fchdir(fd);
  rt_cwd_changed();
  return r;
}

/* A program may close or replace any descriptor, ours included: the next record reopens the log. */
EXPORT int close(int fd) {
  rt_fd_closing(fd);
  if (!RESOLVE(close)) return (int)rt_sys(SYS_close, fd, 0, 0, 0, 0, 0);
  return real_close(fd);
}

EXPORT int dup2(int oldfd, int newfd) {
  rt_fd_closing(newfd);
  if (!RESOLVE(dup2)) {
    errno = ENOSYS;
    return -1;
  }
  return real_dup2(oldfd, newfd);
}

EXPORT int dup3(int oldfd, int newfd, int flags) {
  rt_fd_closing(newfd);
  if (!RESOLVE(dup3)) {
    errno = ENOSYS;
    return -1;
  }
  return real_dup3(oldfd, newfd, flags);
}

EXPORT int close_range(unsigned int first, unsigned int last, int flags) {
  rt_fd_closing(-2);
  if (!RESOLVE(close_range)) return (int)rt_sys(SYS_close_range, first, last, flags, 0, 0, 0);
  return real_close_range(first, last, flags);
}

EXPORT void closefrom(int lowfd) {
  rt_fd_closing(-2);
  if (RESOLVE(closefrom)) real_closefrom(lowfd);
}

/*
 * syscall(3): programs use it for calls libc has no wrapper for (openat2) or to bypass libc.
 * File-related numbers are performed and recorded by rt_dispatch_syscall (sud.c); the rest pass.
 */
EXPORT long syscall(long nr, ...) {
  va_list ap;
  long a[6];
  va_start(ap, nr);
  for (int i = 0; i < 6; i++) a[i] = va_arg(ap, long);
  va_end(ap);
  if (rt_in_hook == 0) {
    int handled = 0;
    long r = rt_dispatch_syscall(nr, a, 0, &handled);
    if (handled) {
      if (r < 0 && r > -4096) {
        errno = (int)-r;
        return -1;
      }
      return r;
    }
  }
  return rt_sys(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
