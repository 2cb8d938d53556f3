/*
 * The log: one record per line, one write(2) per record (see interposer.h for the format).
 * No malloc on the record path (stack buffers), and the log descriptor is checked (fstat dev/ino)
 * before each write so a program that closed it and reused the number never gets records in its
 * own files.
 */
#include "interposer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

__thread int rt_in_hook __attribute__((tls_model("initial-exec")));

static int log_fd = -1;
static dev_t log_dev;
static ino_t log_ino;
static char log_path[PATH_MAX];
static char preload_entry[PATH_MAX + 16]; /* "LD_PRELOAD=..." as it was at start */
static char log_entry[PATH_MAX + 32];     /* "RETRACE_PRELOAD_LOG=..." */
static volatile int init_state;            /* 0 none, 1 running, 2 done */
static long (*libc_syscall)(long, ...);
/*
 * Caches that keep system calls off the record path: the pid (reset in a forked child), the
 * current directory (dropped by the chdir wrappers) and whether the log descriptor may have been
 * closed or replaced (set by the close/dup wrappers; without them — no syscall user dispatch to
 * catch raw closes — every record checks the descriptor with fstat).
 */
static pid_t cached_pid;
static char cached_cwd[PATH_MAX];
static volatile int cwd_valid;
static volatile int log_fd_trusted;

const char *rt_log_path(void) { return log_path; }
const char *rt_preload_entry(void) { return preload_entry; }
const char *rt_log_entry(void) { return log_entry; }

/*
 * System calls this library makes for itself go through libc's syscall(3) (found with RTLD_NEXT,
 * since this library exports its own `syscall`): libc's code is the range syscall user dispatch
 * lets through, so our own calls are never trapped.
 */
long rt_sys(long nr, long a, long b, long c, long d, long e, long f) {
  if (!libc_syscall) libc_syscall = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
  if (!libc_syscall) {
    errno = ENOSYS;
    return -1;
  }
  return libc_syscall(nr, a, b, c, d, e, f);
}

static int open_log(void) {
  int fd = (int)rt_sys(SYS_openat, AT_FDCWD, (long)log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600, 0, 0);
  if (fd < 0) return -1;
  /* Out of the way of programs that dup2 onto low numbers. */
  int high = fcntl(fd, F_DUPFD_CLOEXEC, 737);
  if (high >= 0) {
    close(fd);
    fd = high;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return -1;
  }
  log_dev = st.st_dev;
  log_ino = st.st_ino;
  return fd;
}

static void emit_exec_record(void);
static void emit_initial_loads(void);

void rt_init(void) {
  int expected = 0;
  if (!__atomic_compare_exchange_n(&init_state, &expected, 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) return;
  libc_syscall = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
  const char *lp = getenv(LOG_ENV);
  if (lp && *lp && strlen(lp) < sizeof log_path) {
    strcpy(log_path, lp);
    snprintf(log_entry, sizeof log_entry, "%s=%s", LOG_ENV, lp);
    const char *pre = getenv("LD_PRELOAD");
    if (pre && strlen(pre) < PATH_MAX) snprintf(preload_entry, sizeof preload_entry, "LD_PRELOAD=%s", pre);
    log_fd = open_log();
  }
  cached_pid = getpid();
  pthread_atfork(NULL, NULL, rt_after_fork_child);
  __atomic_store_n(&init_state, 2, __ATOMIC_RELEASE);
  if (log_fd >= 0) {
    emit_exec_record();
    emit_initial_loads();
    rt_sud_init();
  }
}

__attribute__((constructor)) static void retrace_preload_init(void) {
  rt_in_hook++;
  rt_init();
  rt_in_hook--;
}

void rt_after_fork_child(void) {
  cached_pid = getpid();
}

void rt_cwd_changed(void) { __atomic_store_n(&cwd_valid, 0, __ATOMIC_RELEASE); }

/* `fd` is being closed or replaced; -2: some range that may hold ours. */
void rt_fd_closing(int fd) {
  if (fd == -2 || fd == __atomic_load_n(&log_fd, __ATOMIC_RELAXED)) __atomic_store_n(&log_fd_trusted, 0, __ATOMIC_RELEASE);
}

void rt_trust_log_fd(int trusted) { __atomic_store_n(&log_fd_trusted, trusted, __ATOMIC_RELEASE); }

static int trust_enabled;
void rt_enable_fd_trust(void) { trust_enabled = 1; }

/* Returns a descriptor that is still the log (reopened if the program closed or reused it). */
int rt_log_fd(void) {
  if (__atomic_load_n(&init_state, __ATOMIC_ACQUIRE) == 0) rt_init();
  if (__atomic_load_n(&init_state, __ATOMIC_ACQUIRE) != 2 || log_path[0] == 0) return -1;
  int fd = __atomic_load_n(&log_fd, __ATOMIC_RELAXED);
  if (fd >= 0 && trust_enabled && __atomic_load_n(&log_fd_trusted, __ATOMIC_ACQUIRE)) return fd;
  if (fd >= 0) {
    struct stat st;
    if (fstat(fd, &st) == 0 && st.st_dev == log_dev && st.st_ino == log_ino) {
      rt_trust_log_fd(1);
      return fd;
    }
  }
  int fresh = open_log();
  if (fresh >= 0) {
    __atomic_store_n(&log_fd, fresh, __ATOMIC_RELAXED);
    rt_trust_log_fd(1);
  }
  return fresh;
}

void rt_put(rec_t *r, const char *s, size_t n) {
  if (r->len + n >= sizeof r->buf) {
    r->overflow = 1;
    return;
  }
  memcpy(r->buf + r->len, s, n);
  r->len += n;
}

static void put_str(rec_t *r, const char *s) { rt_put(r, s, strlen(s)); }

void rt_put_escaped(rec_t *r, const char *s) {
  for (; *s; s++) {
    char c = *s;
    if (c == '\\') rt_put(r, "\\\\", 2);
    else if (c == '\t') rt_put(r, "\\t", 2);
    else if (c == '\n') rt_put(r, "\\n", 2);
    else rt_put(r, &c, 1);
  }
}

static void put_uint(rec_t *r, unsigned long long v) {
  char tmp[24];
  int i = sizeof tmp;
  do {
    tmp[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v && i > 0);
  rt_put(r, tmp + i, sizeof tmp - (size_t)i);
}

/* The path an open descriptor refers to; 0 when it is a file system path (not pipe:[…] etc.). */
int rt_fd_target(int fd, char *out, size_t size) {
  char link[40] = "/proc/self/fd/";
  char digits[12];
  int i = sizeof digits;
  unsigned v = (unsigned)fd;
  if (fd < 0) return -1;
  digits[--i] = 0;
  do {
    digits[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v && i > 0);
  strcat(link, digits + i);
  ssize_t n = readlink(link, out, size - 1);
  if (n <= 0) return -1;
  out[n] = 0;
  return out[0] == '/' ? 0 : -1;
}

/* Writes the directory `dirfd` stands for (the cwd for AT_FDCWD) into `out`. */
static int dir_of(int dirfd, char *out, size_t size) {
  if (dirfd == AT_FDCWD) {
    if (__atomic_load_n(&cwd_valid, __ATOMIC_ACQUIRE) && strlen(cached_cwd) < size) {
      strcpy(out, cached_cwd);
      return 0;
    }
    if (!getcwd(out, size)) return -1;
    if (strlen(out) < sizeof cached_cwd) {
      strcpy(cached_cwd, out);
      __atomic_store_n(&cwd_valid, 1, __ATOMIC_RELEASE);
    }
    return 0;
  }
  return rt_fd_target(dirfd, out, size);
}

/* Appends the absolute form of (dirfd, path), escaped. */
void rt_put_path(rec_t *r, int dirfd, const char *p) {
  if (!p) p = "";
  if (p[0] != '/') {
    char base[PATH_MAX];
    if (dir_of(dirfd, base, sizeof base) == 0) {
      rt_put_escaped(r, base);
      if (!(base[0] == '/' && base[1] == 0)) rt_put(r, "/", 1);
    }
  }
  rt_put_escaped(r, p);
}

void rt_begin(rec_t *r, const char *op, const char *flags) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  r->len = 0;
  r->overflow = 0;
  put_uint(r, (unsigned long long)(cached_pid ? cached_pid : getpid()));
  rt_put(r, "\t", 1);
  put_uint(r, (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)(ts.tv_nsec / 1000));
  rt_put(r, "\t", 1);
  put_str(r, op);
  rt_put(r, "\t", 1);
  put_str(r, flags);
  rt_put(r, "\t", 1);
}

void rt_finish(rec_t *r, int fd) {
  if (r->overflow) return; /* a path longer than PATH_MAX cannot have succeeded anyway */
  r->buf[r->len++] = '\n';
  ssize_t w;
  do w = write(fd, r->buf, r->len);
  while (w < 0 && errno == EINTR);
}

/* Whether (dirfd, path) exists now; `follow` = through a final symlink, as open(2) does. */
int rt_exists_at(int dirfd, const char *path, int follow) {
  struct stat st;
  return fstatat(dirfd, path, &st, follow ? 0 : AT_SYMLINK_NOFOLLOW) == 0;
}

/* ---- records ------------------------------------------------------------------------------ */

static void flags_of_open(int flags, int existed, char *out) {
  int acc = flags & O_ACCMODE;
  char *p = out;
#ifdef O_TMPFILE
  int tmpfile = (flags & O_TMPFILE) == O_TMPFILE;
#else
  int tmpfile = 0;
#endif
  if (acc != O_WRONLY) *p++ = 'r';
  if (acc == O_WRONLY || acc == O_RDWR) *p++ = 'w';
  if ((flags & O_CREAT) || tmpfile) *p++ = 'c';
  if (flags & O_EXCL) *p++ = 'x';
  if (flags & O_TRUNC) *p++ = 't';
  if (flags & O_APPEND) *p++ = 'a';
  if (((flags & O_DIRECTORY) && !tmpfile) || (flags & O_PATH)) *p++ = 'd';
  if (tmpfile) *p++ = 'T';
  if (existed == 0) *p++ = 'n';
  if (existed == 1) *p++ = 'e';
  if (p == out) *p++ = '-';
  *p = 0;
}

void rt_record_path(const char *op, const char *flags, int dirfd, const char *path) {
  int fd = rt_log_fd();
  if (fd < 0) return;
  rec_t r;
  rt_begin(&r, op, flags);
  rt_put_path(&r, dirfd, path);
  rt_finish(&r, fd);
}

/*
 * An open: the path as the program named it, made absolute. Symlinks in it are resolved after
 * the run (path-canon.ts), where one stat per path is paid once rather than a readlink per call;
 * only names that are themselves descriptors (/proc/self/fd/N, /dev/fd/N) are resolved here.
 */
void rt_record_open(int dirfd, const char *path, int flags, int newfd, int existed) {
  int fd = rt_log_fd();
  if (fd < 0) return;
  char fl[16];
  flags_of_open(flags, existed, fl);
  rec_t r;
  rt_begin(&r, "open", fl);
  char resolved[PATH_MAX];
  if (path && (strncmp(path, "/proc/", 6) == 0 || strncmp(path, "/dev/fd/", 8) == 0) && newfd >= 0 && rt_fd_target(newfd, resolved, sizeof resolved) == 0) {
    rt_put_escaped(&r, resolved);
  } else {
    rt_put_path(&r, dirfd, path);
  }
  rt_finish(&r, fd);
}

/* An operation on an open descriptor (ftruncate, mkstemp): the path it refers to. */
void rt_record_fd(const char *op, const char *flags, int target) {
  int fd = rt_log_fd();
  if (fd < 0) return;
  char p[PATH_MAX];
  if (rt_fd_target(target, p, sizeof p) != 0) return;
  rec_t r;
  rt_begin(&r, op, flags);
  rt_put_escaped(&r, p);
  rt_finish(&r, fd);
}

void rt_record_two(const char *op, const char *flags, int newdir, const char *newp, int olddir, const char *oldp) {
  int fd = rt_log_fd();
  if (fd < 0) return;
  rec_t r;
  rt_begin(&r, op, flags);
  rt_put_path(&r, newdir, newp);
  if (oldp) {
    rt_put(&r, "\t", 1);
    rt_put_path(&r, olddir, oldp);
  }
  rt_finish(&r, fd);
}

void rt_record_load(const char *path) {
  /* linux-vdso.so.1 and other names without a folder are not files. The system's own libraries
   * are never part of a footprint (DEFAULT_IGNORED_PREFIXES in ignore-rules.ts): not worth a write
   * in every process start. */
  static const char *const system[] = {"/usr/", "/lib/", "/lib32/", "/lib64/", "/libx32/", "/etc/"};
  if (!path || !strchr(path, '/')) return;
  for (size_t i = 0; i < sizeof system / sizeof *system; i++)
    if (strncmp(path, system[i], strlen(system[i])) == 0) return;
  rt_record_path("load", "-", AT_FDCWD, path);
}

/* A note about the process (lost, uring, nosud): written at most once per process and kind. */
void rt_record_once(const char *op, const char *why, const char *path) {
  static int uring_done, nosud_done;
  if (strcmp(op, "uring") == 0) {
    if (__atomic_exchange_n(&uring_done, 1, __ATOMIC_RELAXED)) return;
  } else if (strcmp(op, "nosud") == 0) {
    if (__atomic_exchange_n(&nosud_done, 1, __ATOMIC_RELAXED)) return;
  }
  rt_record_path(op, why, AT_FDCWD, path ? path : "/");
}

static void emit_exec_record(void) {
  const char *fn = (const char *)getauxval(AT_EXECFN);
  if (!fn) return;
  rec_t r;
  rt_begin(&r, "exec", "-");
  rt_put_path(&r, AT_FDCWD, fn);
  if (log_fd >= 0) rt_finish(&r, log_fd);
}

/* The shared libraries the loader mapped before this constructor ran (later ones: sud.c). */
#include <link.h>
static int load_cb(struct dl_phdr_info *info, size_t size, void *self) {
  (void)size;
  if (info->dlpi_name && info->dlpi_name[0] && strcmp(info->dlpi_name, (const char *)self) != 0) rt_record_load(info->dlpi_name);
  return 0;
}

static void emit_initial_loads(void) {
  Dl_info me;
  const char *self = "";
  if (dladdr((void *)emit_initial_loads, &me) && me.dli_fname) self = me.dli_fname;
  dl_iterate_phdr(load_cb, (void *)self);
}
