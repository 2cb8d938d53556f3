/*
 * retrace_preload.so — the LD_PRELOAD file-operation recorder of `retrace run`.
 *
 * Loaded into every dynamically linked process of a run (LD_PRELOAD stays in the environment of
 * everything it executes), it records file operations as lines in the log named by
 * RETRACE_PRELOAD_LOG:
 *
 *   pid \t time_us \t op \t flags \t path [\t path2] \n
 *
 *   op       open | trunc | unlink | rmdir | mkdir | rename | exchange | link | exec | load |
 *            handoff | lost | uring | nosud
 *   flags    open: letters r w c x t a d T (read, write, create, exclusive, truncate, append,
 *            directory/O_PATH, O_TMPFILE) plus n / e when an O_CREAT open without O_EXCL found the
 *            path new / existing; rename: o when it replaced an existing file; link: h (hard) or
 *            s (symbolic); exec: S when the program runs under strace (handoff); lost: why
 *            (setuid, setcap, or nostrace / traced / failed, then "/" and static, go or abi);
 *            otherwise "-"
 *   path     absolute, as the program named it (symlinks are resolved by the reader; a
 *            /proc/self/fd/N name by the recorder); rename/exchange: path = new
 *            name, path2 = old; link: path = new name, path2 = existing name (hard links);
 *            handoff: path = cwd, path2 = the strace log of the handed-off subtree, path3 =
 *            the program.
 *            '\\', '\t' and '\n' are escaped as \\\\, \\t, \\n.
 *
 * Each record is one write(2) on an O_APPEND descriptor, so records of concurrent processes and
 * threads never interleave. Records are written only for calls that succeeded.
 *
 * What a preloaded library cannot see by itself, and how it is covered:
 *   - statically linked programs, Go programs and programs of another ABI: the exec wrappers
 *     inspect the ELF file about to run and hand that subtree to `strace -D` (exec.c);
 *     setuid/setgid programs cannot be preloaded or traced without changing what they do: a
 *     `lost` record makes the run partial;
 *   - raw system calls: syscall(3) is wrapped, and instructions that enter the kernel from
 *     outside libc are caught with Linux syscall user dispatch (sud.c), which also sees the
 *     dynamic loader open the shared libraries it maps (`load` records);
 *   - io_uring does file work inside the kernel: its set-up is recorded (`uring`).
 */
#ifndef RETRACE_INTERPOSER_H
#define RETRACE_INTERPOSER_H

#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#define EXPORT __attribute__((visibility("default")))
#define LOG_ENV "RETRACE_PRELOAD_LOG"
/** Tab-separated argv prefix of the strace that takes over static subtrees (set by retrace run). */
#define STRACE_ENV "RETRACE_STRACE_CMD"
/** "0" turns syscall user dispatch off (for diagnosing a program that misbehaves under it). */
#define SUD_ENV "RETRACE_SUD"
#define REC_MAX (2 * PATH_MAX * 2 + 256)

/* Recursion guard: wrapped functions called from inside libc or from this library do not record. */
extern __thread int rt_in_hook __attribute__((tls_model("initial-exec")));

typedef struct {
  char buf[REC_MAX];
  size_t len;
  int overflow;
} rec_t;

/* log.c */
void rt_init(void);
int rt_log_fd(void);
const char *rt_log_path(void);
const char *rt_preload_entry(void);
const char *rt_log_entry(void);
long rt_sys(long nr, long a, long b, long c, long d, long e, long f);
void rt_begin(rec_t *r, const char *op, const char *flags);
void rt_put(rec_t *r, const char *s, size_t n);
void rt_put_escaped(rec_t *r, const char *s);
void rt_put_path(rec_t *r, int dirfd, const char *p);
int rt_fd_target(int fd, char *out, size_t size);
void rt_finish(rec_t *r, int fd);
int rt_exists_at(int dirfd, const char *path, int follow);
void rt_record_path(const char *op, const char *flags, int dirfd, const char *path);
void rt_record_open(int dirfd, const char *path, int flags, int fd, int existed);
void rt_record_fd(const char *op, const char *flags, int fd);
void rt_record_two(const char *op, const char *flags, int newdir, const char *newp, int olddir, const char *oldp);
void rt_record_load(const char *path);
void rt_record_once(const char *op, const char *why, const char *path);
void rt_after_fork_child(void);
void rt_cwd_changed(void);
void rt_fd_closing(int fd);
void rt_enable_fd_trust(void);

/* inspect.c */
enum { RUN_PRELOADED = 0, RUN_TRACED = 1, RUN_LOST = 2 };
int rt_find_on_path(const char *file, char *out, size_t size);
int rt_resolve_exec(const char *file, int search, char *out, size_t size);
/* RUN_PRELOADED, or RUN_TRACED / RUN_LOST with `why` (static, go, abi / setuid, setcap). */
int rt_inspect(const char *file, char *why, size_t whysize);

/* exec.c */
char *const *rt_fixed_env(char *const envp[], char **out, size_t room, char *merged, size_t merged_size);
size_t rt_env_count(char *const envp[]);
/* Before an exec of `file`: hands static/Go/foreign-ABI programs to strace (does not return when
 * that worked) and records programs no tracer can follow. `search` = look `file` up on PATH. */
void rt_before_exec(const char *file, int search, char *const argv[], char *const envp[]);
/* posix_spawn's counterpart: fills `argv_out`/`path_out` with the strace command when the
 * program must be handed off (returns 1), else 0. */
int rt_spawn_handoff(const char *file, int search, char *const argv[], char *const envp[], const char **path_out, char **argv_out, size_t room, char *logbuf, size_t logsize);

/* dispatch.c, sud.c */
void rt_sud_init(void);
void rt_sud_thread_start(void);
/* The file-related system calls: performs `nr` through libc and records it. Returns the kernel's
 * value (negative errno on failure). `from_loader`: the dynamic loader issued it. */
long rt_dispatch_syscall(long nr, const long a[6], int from_loader, int *handled);
int rt_sud_owns_sigsys(void);
int rt_sud_set_user_sigsys(const void *act, void *oldact);
int rt_sud_raw_sigaction(const long a[6], long *ret);

#endif
