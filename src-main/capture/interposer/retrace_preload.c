/*
 * retrace_preload.so — LD_PRELOAD file-operation recorder for `retrace run`.
 *
 * Loaded into a dynamically linked process (and, through LD_PRELOAD kept in the environment,
 * into every dynamically linked program it executes), it wraps the libc file functions that
 * change or read files, forwards each call to the real function (dlsym(RTLD_NEXT, ...)) and,
 * when the call succeeded, appends one line to the log named by RETRACE_PRELOAD_LOG:
 *
 *   pid \t time_us \t op \t flags \t path [\t path2] \n
 *
 *   op     open | trunc | unlink | rmdir | mkdir | rename | link | exec
 *   flags  for open: letters r w c x t a d (read, write, create, exclusive, truncate, append,
 *          directory/O_PATH); "-" otherwise
 *   path   absolute: relative paths are joined to getcwd(), *at paths to /proc/self/fd/<dirfd>;
 *          '\\', '\t' and '\n' are escaped as \\\\, \\t, \\n. The reader normalises "." and "..".
 *   rename has path = new name, path2 = old name.
 *
 * Each record is one write(2) on an O_APPEND descriptor, so records from concurrent processes
 * and threads never interleave. No malloc on the record path (stack buffers, raw syscalls), a
 * thread-local guard against recursion (a wrapped function called from inside libc or from this
 * library), and the log descriptor is checked (fstat dev/ino) before each write so a program
 * that closed it and reused the number never gets records in its own files.
 *
 * Exec records are written by the new image itself (constructor, path from AT_EXECFN): that sees
 * every successful exec, including those libc makes internally (posix_spawn, system, popen).
 * The exec wrappers only make sure LD_PRELOAD and RETRACE_PRELOAD_LOG survive an explicit
 * environment. Not seen: statically linked programs, raw syscalls (Go), io_uring.
 */
/* Over 400 lines because the recorder is one translation unit: every wrapper shares the static
 * guard, the log descriptor and the record writer, and the build compiles one file into one .so. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))
#define LOG_ENV "RETRACE_PRELOAD_LOG"
#define REC_MAX (2 * PATH_MAX * 2 + 256)

extern char **environ;

/* ---- state ------------------------------------------------------------------------------ */

static __thread int in_hook __attribute__((tls_model("initial-exec")));
static int log_fd = -1;
static dev_t log_dev;
static ino_t log_ino;
static char log_path[PATH_MAX];
static char preload_entry[PATH_MAX + 16]; /* "LD_PRELOAD=..." as it was at start */
static char log_entry[PATH_MAX + 32];     /* "RETRACE_PRELOAD_LOG=..." */
static volatile int init_state;            /* 0 none, 1 running, 2 done */

#define REAL(name) real_##name
#define DECLARE_REAL(ret, name, ...) static ret (*real_##name)(__VA_ARGS__)

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
DECLARE_REAL(int, execve, const char *, char *const[], char *const[]);
DECLARE_REAL(int, execvpe, const char *, char *const[], char *const[]);
DECLARE_REAL(int, fexecve, int, char *const[], char *const[]);
DECLARE_REAL(int, posix_spawn, pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *, char *const[], char *const[]);
DECLARE_REAL(int, posix_spawnp, pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *, char *const[], char *const[]);

static void *next_sym(const char *name) {
  return dlsym(RTLD_NEXT, name);
}

#define RESOLVE(name) (real_##name ? real_##name : (real_##name = next_sym(#name)))

/* ---- log ---------------------------------------------------------------------------------- */

static int open_log(void) {
  int fd = (int)syscall(SYS_openat, AT_FDCWD, log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return -1;
  /* Out of the way of programs that dup2 onto low numbers. */
  int high = fcntl(fd, F_DUPFD_CLOEXEC, 737);
  if (high >= 0) {
    syscall(SYS_close, fd);
    fd = high;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    syscall(SYS_close, fd);
    return -1;
  }
  log_dev = st.st_dev;
  log_ino = st.st_ino;
  return fd;
}

static void emit_exec_record(void);

static void init(void) {
  int expected = 0;
  if (!__atomic_compare_exchange_n(&init_state, &expected, 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) return;
  const char *lp = getenv(LOG_ENV);
  if (lp && *lp && strlen(lp) < sizeof log_path) {
    strcpy(log_path, lp);
    snprintf(log_entry, sizeof log_entry, "%s=%s", LOG_ENV, lp);
    const char *pre = getenv("LD_PRELOAD");
    if (pre && strlen(pre) < PATH_MAX) snprintf(preload_entry, sizeof preload_entry, "LD_PRELOAD=%s", pre);
    log_fd = open_log();
  }
  __atomic_store_n(&init_state, 2, __ATOMIC_RELEASE);
  if (log_fd >= 0) emit_exec_record();
}

__attribute__((constructor)) static void retrace_preload_init(void) {
  in_hook++;
  init();
  in_hook--;
}

/* Returns a descriptor that is still the log (reopened if the program closed or reused it). */
static int current_log_fd(void) {
  if (__atomic_load_n(&init_state, __ATOMIC_ACQUIRE) == 0) init();
  if (__atomic_load_n(&init_state, __ATOMIC_ACQUIRE) != 2 || log_path[0] == 0) return -1;
  int fd = __atomic_load_n(&log_fd, __ATOMIC_RELAXED);
  if (fd >= 0) {
    struct stat st;
    if (fstat(fd, &st) == 0 && st.st_dev == log_dev && st.st_ino == log_ino) return fd;
  }
  int fresh = open_log();
  if (fresh >= 0) __atomic_store_n(&log_fd, fresh, __ATOMIC_RELAXED);
  return fresh;
}

typedef struct {
  char buf[REC_MAX];
  size_t len;
  int overflow;
} rec_t;

static void put(rec_t *r, const char *s, size_t n) {
  if (r->len + n >= sizeof r->buf) {
    r->overflow = 1;
    return;
  }
  memcpy(r->buf + r->len, s, n);
  r->len += n;
}

static void put_str(rec_t *r, const char *s) {
  put(r, s, strlen(s));
}

static void put_escaped(rec_t *r, const char *s) {
  for (; *s; s++) {
    char c = *s;
    if (c == '\\') put(r, "\\\\", 2);
    else if (c == '\t') put(r, "\\t", 2);
    else if (c == '\n') put(r, "\\n", 2);
    else put(r, &c, 1);
  }
}

static void put_uint(rec_t *r, unsigned long long v) {
  char tmp[24];
  int i = sizeof tmp;
  do {
    tmp[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v && i > 0);
  put(r, tmp + i, sizeof tmp - (size_t)i);
}

/* Writes the directory `dirfd` stands for (the cwd for AT_FDCWD) into `out`. */
static int dir_of(int dirfd, char *out, size_t size) {
  if (dirfd == AT_FDCWD) {
    if (syscall(SYS_getcwd, out, size) < 0) return -1;
    return 0;
  }
  if (dirfd < 0) return -1;
  char link[40] = "/proc/self/fd/";
  char digits[12];
  int i = sizeof digits;
  unsigned v = (unsigned)dirfd;
  digits[--i] = 0;
  do {
    digits[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v && i > 0);
  strcat(link, digits + i);
  ssize_t n = readlink(link, out, size - 1);
  if (n < 0) return -1;
  out[n] = 0;
  return 0;
}

/* Appends the absolute form of (dirfd, path), escaped. */
static void put_path(rec_t *r, int dirfd, const char *p) {
  if (!p) p = "";
  if (p[0] != '/') {
    char base[PATH_MAX];
    if (dir_of(dirfd, base, sizeof base) == 0) {
      put_escaped(r, base);
      if (!(base[0] == '/' && base[1] == 0)) put(r, "/", 1);
    }
  }
  put_escaped(r, p);
}

/* The path an open descriptor refers to (ftruncate, mkstemp). */
static void put_fd_path(rec_t *r, int fd) {
  char target[PATH_MAX];
  if (dir_of(fd, target, sizeof target) == 0) put_escaped(r, target);
}

static void begin(rec_t *r, const char *op, const char *flags) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  r->len = 0;
  r->overflow = 0;
  put_uint(r, (unsigned long long)getpid());
  put(r, "\t", 1);
  put_uint(r, (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)(ts.tv_nsec / 1000));
  put(r, "\t", 1);
  put_str(r, op);
  put(r, "\t", 1);
  put_str(r, flags);
  put(r, "\t", 1);
}

static void finish(rec_t *r, int fd) {
  if (r->overflow) return; /* a path longer than PATH_MAX cannot have succeeded anyway */
  r->buf[r->len++] = '\n';
  ssize_t w;
  do w = write(fd, r->buf, r->len);
  while (w < 0 && errno == EINTR);
}

/* ---- records ------------------------------------------------------------------------------ */

static void flags_of_open(int flags, char *out) {
  int acc = flags & O_ACCMODE;
  char *p = out;
  if (acc != O_WRONLY) *p++ = 'r';
  if (acc == O_WRONLY || acc == O_RDWR) *p++ = 'w';
#ifdef O_TMPFILE
  int tmpfile = (flags & O_TMPFILE) == O_TMPFILE;
#else
  int tmpfile = 0;
#endif
  if ((flags & O_CREAT) || tmpfile) *p++ = 'c';
  if (flags & O_EXCL) *p++ = 'x';
  if (flags & O_TRUNC) *p++ = 't';
  if (flags & O_APPEND) *p++ = 'a';
  if (((flags & O_DIRECTORY) && !tmpfile) || (flags & O_PATH)) *p++ = 'd';
  if (p == out) *p++ = '-';
  *p = 0;
}

static void flags_of_fopen(const char *mode, char *out) {
  int plus = mode && strchr(mode, '+') != NULL;
  int excl = mode && strchr(mode, 'x') != NULL;
  char *p = out;
  switch (mode ? mode[0] : 'r') {
    case 'w':
      if (plus) *p++ = 'r';
      *p++ = 'w';
      *p++ = 'c';
      if (excl) *p++ = 'x';
      *p++ = 't';
      break;
    case 'a':
      if (plus) *p++ = 'r';
      *p++ = 'w';
      *p++ = 'c';
      *p++ = 'a';
      break;
    default:
      *p++ = 'r';
      if (plus) *p++ = 'w';
      break;
  }
  *p = 0;
}

static void log_open(int dirfd, const char *path, int flags) {
  int fd = current_log_fd();
  if (fd < 0) return;
  char fl[12];
  flags_of_open(flags, fl);
  rec_t r;
  begin(&r, "open", fl);
  put_path(&r, dirfd, path);
  finish(&r, fd);
}

static void log_fopen(const char *path, const char *mode) {
  int fd = current_log_fd();
  if (fd < 0) return;
  char fl[12];
  flags_of_fopen(mode, fl);
  rec_t r;
  begin(&r, "open", fl);
  put_path(&r, AT_FDCWD, path);
  finish(&r, fd);
}

static void log_fd_op(const char *op, const char *flags, int target_fd) {
  int fd = current_log_fd();
  if (fd < 0) return;
  rec_t r;
  begin(&r, op, flags);
  put_fd_path(&r, target_fd);
  finish(&r, fd);
}

static void log_path_op(const char *op, int dirfd, const char *path) {
  int fd = current_log_fd();
  if (fd < 0) return;
  rec_t r;
  begin(&r, op, "-");
  put_path(&r, dirfd, path);
  finish(&r, fd);
}

static void log_rename(int olddirfd, const char *oldp, int newdirfd, const char *newp) {
  int fd = current_log_fd();
  if (fd < 0) return;
  rec_t r;
  begin(&r, "rename", "-");
  put_path(&r, newdirfd, newp);
  put(&r, "\t", 1);
  put_path(&r, olddirfd, oldp);
  finish(&r, fd);
}

static void emit_exec_record(void) {
  const char *fn = (const char *)getauxval(AT_EXECFN);
  if (!fn) return;
  rec_t r;
  begin(&r, "exec", "-");
  put_path(&r, AT_FDCWD, fn);
  if (log_fd >= 0) finish(&r, log_fd);
}

/* ---- wrappers ----------------------------------------------------------------------------- */

/* Fallback while dlsym itself is running (it may open files): straight to the kernel. */
static int raw_openat(int dirfd, const char *path, int flags, mode_t mode) {
  return (int)syscall(SYS_openat, dirfd, path, flags, mode);
}

static int needs_mode(int flags) {
#ifdef O_TMPFILE
  return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
#else
  return flags & O_CREAT;
#endif
}

#define GET_MODE(flags, last)            \
  mode_t mode = 0;                       \
  if (needs_mode(flags)) {               \
    va_list ap;                          \
    va_start(ap, last);                  \
    mode = (mode_t)va_arg(ap, unsigned); \
    va_end(ap);                          \
  }

/* Runs `call` (an expression using real_<name>), then logs when it succeeded. */
#define HOOKED(result_type, ok_expr, call, record) \
  do {                                            \
    in_hook++;                                    \
    result_type res_ = (call);                    \
    if (in_hook == 1 && (ok_expr)) {              \
      int saved_ = errno;                         \
      record;                                     \
      errno = saved_;                             \
    }                                             \
    in_hook--;                                    \
    return res_;                                  \
  } while (0)

#define OPEN_LIKE(name, dirfd, path, flags, mode)                                              \
  do {                                                                                         \
    if (!RESOLVE(name)) return raw_openat(dirfd, path, flags, mode);                           \
    HOOKED(int, res_ >= 0, real_##name(path, flags, mode), log_open(dirfd, path, flags));      \
  } while (0)

#define OPENAT_LIKE(name, dirfd, path, flags, mode)                                            \
  do {                                                                                         \
    if (!RESOLVE(name)) return raw_openat(dirfd, path, flags, mode);                           \
    HOOKED(int, res_ >= 0, real_##name(dirfd, path, flags, mode), log_open(dirfd, path, flags)); \
  } while (0)

EXPORT int open(const char *path, int flags, ...) {
  GET_MODE(flags, flags);
  OPEN_LIKE(open, AT_FDCWD, path, flags, mode);
}

EXPORT int open64(const char *path, int flags, ...) {
  GET_MODE(flags, flags);
  OPEN_LIKE(open64, AT_FDCWD, path, flags, mode);
}

EXPORT int openat(int dirfd, const char *path, int flags, ...) {
  GET_MODE(flags, flags);
  OPENAT_LIKE(openat, dirfd, path, flags, mode);
}

EXPORT int openat64(int dirfd, const char *path, int flags, ...) {
  GET_MODE(flags, flags);
  OPENAT_LIKE(openat64, dirfd, path, flags, mode);
}

EXPORT int __open_2(const char *path, int flags) {
  if (!RESOLVE(__open_2)) return raw_openat(AT_FDCWD, path, flags, 0);
  HOOKED(int, res_ >= 0, real___open_2(path, flags), log_open(AT_FDCWD, path, flags));
}

EXPORT int __open64_2(const char *path, int flags) {
  if (!RESOLVE(__open64_2)) return raw_openat(AT_FDCWD, path, flags, 0);
  HOOKED(int, res_ >= 0, real___open64_2(path, flags), log_open(AT_FDCWD, path, flags));
}

EXPORT int __openat_2(int dirfd, const char *path, int flags) {
  if (!RESOLVE(__openat_2)) return raw_openat(dirfd, path, flags, 0);
  HOOKED(int, res_ >= 0, real___openat_2(dirfd, path, flags), log_open(dirfd, path, flags));
}

EXPORT int __openat64_2(int dirfd, const char *path, int flags) {
  if (!RESOLVE(__openat64_2)) return raw_openat(dirfd, path, flags, 0);
  HOOKED(int, res_ >= 0, real___openat64_2(dirfd, path, flags), log_open(dirfd, path, flags));
}

EXPORT int creat(const char *path, mode_t mode) {
  const int flags = O_WRONLY | O_CREAT | O_TRUNC;
  if (!RESOLVE(creat)) return raw_openat(AT_FDCWD, path, flags, mode);
  HOOKED(int, res_ >= 0, real_creat(path, mode), log_open(AT_FDCWD, path, flags));
}

EXPORT int creat64(const char *path, mode_t mode) {
  const int flags = O_WRONLY | O_CREAT | O_TRUNC;
  if (!RESOLVE(creat64)) return raw_openat(AT_FDCWD, path, flags, mode);
  HOOKED(int, res_ >= 0, real_creat64(path, mode), log_open(AT_FDCWD, path, flags));
}

EXPORT FILE *fopen(const char *path, const char *mode) {
  if (!RESOLVE(fopen)) return NULL;
  HOOKED(FILE *, res_ != NULL, real_fopen(path, mode), log_fopen(path, mode));
}

EXPORT FILE *fopen64(const char *path, const char *mode) {
  if (!RESOLVE(fopen64)) return NULL;
  HOOKED(FILE *, res_ != NULL, real_fopen64(path, mode), log_fopen(path, mode));
}

/* freopen(NULL, mode, f) changes the mode of the same file: no new path, nothing to record. */
EXPORT FILE *freopen(const char *path, const char *mode, FILE *stream) {
  if (!RESOLVE(freopen)) return NULL;
  HOOKED(FILE *, res_ != NULL && path != NULL, real_freopen(path, mode, stream), log_fopen(path, mode));
}

EXPORT FILE *freopen64(const char *path, const char *mode, FILE *stream) {
  if (!RESOLVE(freopen64)) return NULL;
  HOOKED(FILE *, res_ != NULL && path != NULL, real_freopen64(path, mode, stream), log_fopen(path, mode));
}

/* mkstemp and friends create a new file (O_CREAT|O_EXCL): record it under its final name. */
#define MKSTEMP_LIKE(name, ...)                                                                   \
  do {                                                                                            \
    if (!RESOLVE(name)) {                                                                         \
      errno = ENOSYS;                                                                             \
      return -1;                                                                                  \
    }                                                                                             \
    HOOKED(int, res_ >= 0, real_##name(__VA_ARGS__), log_fd_op("open", "rwcx", res_));           \
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

EXPORT int rename(const char *oldp, const char *newp) {
  SIMPLE(rename, oldp, newp) log_rename(AT_FDCWD, oldp, AT_FDCWD, newp));
}

EXPORT int renameat(int od, const char *oldp, int nd, const char *newp) {
  SIMPLE(renameat, od, oldp, nd, newp) log_rename(od, oldp, nd, newp));
}

/* RENAME_EXCHANGE swaps two existing files: both exist afterwards, as before. */
EXPORT int renameat2(int od, const char *oldp, int nd, const char *newp, unsigned int flags) {
  SIMPLE(renameat2, od, oldp, nd, newp, flags) if (!(flags & 2u /* RENAME_EXCHANGE */)) log_rename(od, oldp, nd, newp));
}

EXPORT int unlink(const char *p) {
  SIMPLE(unlink, p) log_path_op("unlink", AT_FDCWD, p));
}

EXPORT int unlinkat(int dirfd, const char *p, int flags) {
  SIMPLE(unlinkat, dirfd, p, flags) log_path_op((flags & AT_REMOVEDIR) ? "rmdir" : "unlink", dirfd, p));
}

/* remove() is unlink or rmdir inside libc (internal calls, not interposable). */
EXPORT int remove(const char *p) {
  if (!RESOLVE(remove)) {
    errno = ENOSYS;
    return -1;
  }
  struct stat st;
  int is_dir = lstat(p, &st) == 0 && S_ISDIR(st.st_mode);
  HOOKED(int, res_ == 0, real_remove(p), log_path_op(is_dir ? "rmdir" : "unlink", AT_FDCWD, p));
}

EXPORT int mkdir(const char *p, mode_t mode) {
  SIMPLE(mkdir, p, mode) log_path_op("mkdir", AT_FDCWD, p));
}

EXPORT int mkdirat(int dirfd, const char *p, mode_t mode) {
  SIMPLE(mkdirat, dirfd, p, mode) log_path_op("mkdir", dirfd, p));
}

EXPORT int rmdir(const char *p) {
  SIMPLE(rmdir, p) log_path_op("rmdir", AT_FDCWD, p));
}

EXPORT int truncate(const char *p, off_t len) {
  SIMPLE(truncate, p, len) log_path_op("trunc", AT_FDCWD, p));
}

EXPORT int truncate64(const char *p, off64_t len) {
  SIMPLE(truncate64, p, len) log_path_op("trunc", AT_FDCWD, p));
}

EXPORT int ftruncate(int fd, off_t len) {
  SIMPLE(ftruncate, fd, len) log_fd_op("trunc", "-", fd));
}

EXPORT int ftruncate64(int fd, off64_t len) {
  SIMPLE(ftruncate64, fd, len) log_fd_op("trunc", "-", fd));
}

EXPORT int link(const char *oldp, const char *newp) {
  SIMPLE(link, oldp, newp) log_path_op("link", AT_FDCWD, newp));
}

EXPORT int linkat(int od, const char *oldp, int nd, const char *newp, int flags) {
  SIMPLE(linkat, od, oldp, nd, newp, flags) log_path_op("link", nd, newp));
}

EXPORT int symlink(const char *target, const char *newp) {
  SIMPLE(symlink, target, newp) log_path_op("link", AT_FDCWD, newp));
}

EXPORT int symlinkat(const char *target, int nd, const char *newp) {
  SIMPLE(symlinkat, target, nd, newp) log_path_op("link", nd, newp));
}

/* ---- exec: keep the recorder in explicit environments ------------------------------------- */

static int has_entry(char *const envp[], const char *entry) {
  size_t n = strlen(entry);
  for (char *const *e = envp; e && *e; e++) {
    if (strncmp(*e, entry, n) == 0 && (*e)[n] == 0) return 1;
  }
  return 0;
}

static int is_var(const char *e, const char *name) {
  size_t n = strlen(name);
  return strncmp(e, name, n) == 0 && e[n] == '=';
}

/*
 * The environment to exec with: `envp` itself when it already carries our LD_PRELOAD and log
 * variables, else a copy in `out` (room for count+3 pointers) with them set. A program that
 * deliberately sets its own LD_PRELOAD keeps it; ours is put in front.
 */
static char *const *fixed_env(char *const envp[], char **out, size_t room, char *merged, size_t merged_size) {
  if (log_path[0] == 0 || preload_entry[0] == 0) return envp;
  if (has_entry(envp, preload_entry) && has_entry(envp, log_entry)) return envp;
  size_t k = 0;
  const char *ours = preload_entry + strlen("LD_PRELOAD=");
  int preload_set = 0;
  for (char *const *e = envp; e && *e && k + 3 < room; e++) {
    if (is_var(*e, LOG_ENV)) continue;
    if (is_var(*e, "LD_PRELOAD")) {
      const char *theirs = *e + strlen("LD_PRELOAD=");
      if (strstr(theirs, ours) != NULL) out[k++] = *e;
      else {
        snprintf(merged, merged_size, "LD_PRELOAD=%s %s", ours, theirs);
        out[k++] = merged;
      }
      preload_set = 1;
      continue;
    }
    out[k++] = *e;
  }
  if (!preload_set) out[k++] = preload_entry;
  out[k++] = log_entry;
  out[k] = NULL;
  return out;
}

static size_t env_count(char *const envp[]) {
  size_t n = 0;
  for (char *const *e = envp; e && *e; e++) n++;
  return n;
}

#define WITH_FIXED_ENV(envp, fixed)                                                      \
  size_t room_ = env_count(envp) + 3;                                                    \
  char *out_[room_ > 65536 ? 1 : room_];                                                 \
  char merged_[PATH_MAX * 2];                                                            \
  char *const *fixed = room_ > 65536 ? (envp) : fixed_env(envp, out_, room_, merged_, sizeof merged_)

EXPORT int execve(const char *path, char *const argv[], char *const envp[]) {
  if (!RESOLVE(execve)) {
    errno = ENOSYS;
    return -1;
  }
  WITH_FIXED_ENV(envp, env);
  return real_execve(path, argv, env);
}

EXPORT int execvpe(const char *file, char *const argv[], char *const envp[]) {
  if (!RESOLVE(execvpe)) {
    errno = ENOSYS;
    return -1;
  }
  WITH_FIXED_ENV(envp, env);
  return real_execvpe(file, argv, env);
}

EXPORT int fexecve(int fd, char *const argv[], char *const envp[]) {
  if (!RESOLVE(fexecve)) {
    errno = ENOSYS;
    return -1;
  }
  WITH_FIXED_ENV(envp, env);
  return real_fexecve(fd, argv, env);
}

#define COLLECT_ARGS(arg, args)                           \
  va_list ap;                                             \
  size_t n = 1;                                           \
  va_start(ap, arg);                                      \
  while (va_arg(ap, const char *) != NULL) n++;           \
  va_end(ap);                                             \
  const char *args[n + 1];                                \
  va_start(ap, arg);                                      \
  args[0] = arg;                                          \
  for (size_t i = 1; i <= n; i++) args[i] = va_arg(ap, const char *)

EXPORT int execle(const char *path, const char *arg, ...) {
  COLLECT_ARGS(arg, args);
  char *const *envp = va_arg(ap, char *const *);
  va_end(ap);
  return execve(path, (char *const *)args, envp);
}

/* The environ-using variants: a program may have unset LD_PRELOAD in its own environment. */
EXPORT int execv(const char *path, char *const argv[]) {
  return execve(path, argv, environ);
}

EXPORT int execvp(const char *file, char *const argv[]) {
  return execvpe(file, argv, environ);
}

EXPORT int execl(const char *path, const char *arg, ...) {
  COLLECT_ARGS(arg, args);
  va_end(ap);
  return execve(path, (char *const *)args, environ);
}

EXPORT int execlp(const char *file, const char *arg, ...) {
  COLLECT_ARGS(arg, args);
  va_end(ap);
  return execvpe(file, (char *const *)args, environ);
}

EXPORT int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr, char *const argv[], char *const envp[]) {
  if (!RESOLVE(posix_spawn)) return ENOSYS;
  WITH_FIXED_ENV(envp, env);
  return real_posix_spawn(pid, path, fa, attr, argv, env);
}

EXPORT int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr, char *const argv[], char *const envp[]) {
  if (!RESOLVE(posix_spawnp)) return ENOSYS;
  WITH_FIXED_ENV(envp, env);
  return real_posix_spawnp(pid, file, fa, attr, argv, env);
}
