/*
 * Exec: keep the recorder in explicit environments, and never let a program run unrecorded.
 *
 * Before every exec the program about to run is inspected (following #! lines, and
 * `/usr/bin/env NAME` to NAME on PATH): a dynamically linked ELF of our ABI loads this library
 * like its parent did. Anything else cannot be recorded from inside:
 *   - statically linked programs, Go programs (file I/O by raw system calls) and programs of
 *     another ABI (the loader would refuse a 64-bit library in a 32-bit process) are handed to
 *     `strace -D` — the process keeps its pid, its parent and its signals; the tracer runs as a
 *     detached grandchild and writes the subtree's calls to a log beside ours (`handoff` record);
 *   - setuid/setgid programs and programs with file capabilities: the loader ignores LD_PRELOAD
 *     for them and tracing would drop their privileges, so they run as they are and a `lost`
 *     record makes the run partial.
 * Exec records of preloaded programs are written by the new image itself (log.c constructor),
 * which also sees the execs libc makes internally (posix_spawn, system, popen).
 */
#include "interposer.h"

#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define DECLARE_REAL(ret, name, ...) static ret (*real_##name)(__VA_ARGS__)
#define RESOLVE(name) (real_##name ? real_##name : (real_##name = dlsym(RTLD_NEXT, #name)))

DECLARE_REAL(int, execve, const char *, char *const[], char *const[]);
DECLARE_REAL(int, execvpe, const char *, char *const[], char *const[]);
DECLARE_REAL(int, fexecve, int, char *const[], char *const[]);
DECLARE_REAL(int, execveat, int, const char *, char *const[], char *const[], int);
DECLARE_REAL(int, posix_spawn, pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *, char *const[], char *const[]);
DECLARE_REAL(int, posix_spawnp, pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *, char *const[], char *const[]);

/* ---- handing a subtree to strace ------------------------------------------------------------ */

static int already_traced(void) {
  char buf[2048];
  int fd = (int)rt_sys(SYS_openat, AT_FDCWD, (long)"/proc/self/status", O_RDONLY | O_CLOEXEC, 0, 0, 0);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = 0;
  const char *t = strstr(buf, "TracerPid:");
  return t && atoi(t + strlen("TracerPid:")) != 0;
}

/* The environment of the handed-off subtree: ours without this library in LD_PRELOAD (strace
 * records it, a second recorder would only repeat it). */
static char *const *env_without_us(char *const envp[], char **out, size_t room, char *merged, size_t merged_size) {
  const char *pe = rt_preload_entry();
  const char *ours = pe[0] ? pe + strlen("LD_PRELOAD=") : "";
  size_t k = 0;
  for (char *const *e = envp; e && *e && k + 1 < room; e++) {
    if (strncmp(*e, "LD_PRELOAD=", 11) == 0 && ours[0]) {
      const char *v = *e + 11;
      const char *hit = strstr(v, ours);
      if (hit) {
        /* Drop our entry, keep whatever else the user preloads. */
        size_t before = (size_t)(hit - v), olen = strlen(ours);
        snprintf(merged, merged_size, "LD_PRELOAD=%.*s%s", (int)before, v, hit + olen);
        int empty = 1;
        for (const char *c = merged + 11; *c; c++)
          if (*c != ' ' && *c != ':') empty = 0;
        if (!empty) out[k++] = merged;
        continue;
      }
    }
    out[k++] = *e;
  }
  out[k] = NULL;
  return out;
}

/* Splits the strace command template into argv slots; returns how many, 0 when unset. */
static size_t strace_template(char *buf, size_t size, char **slots, size_t room) {
  const char *t = getenv(STRACE_ENV);
  if (!t || !*t || strlen(t) >= size) return 0;
  strcpy(buf, t);
  size_t n = 0;
  for (char *tok = strtok(buf, "\t"); tok && n < room; tok = strtok(NULL, "\t")) slots[n++] = tok;
  return n;
}

static void log_name(char *out, size_t size) {
  const char *lp = rt_log_path();
  const char *slash = strrchr(lp, '/');
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  snprintf(out, size, "%.*s/strace.%d.%ld%09ld.log", slash ? (int)(slash - lp) : 1, slash ? lp : "/", (int)getpid(), (long)ts.tv_sec, ts.tv_nsec);
}

static void record_handoff(const char *program, const char *logfile) {
  int fd = rt_log_fd();
  if (fd < 0) return;
  rt_record_path("exec", "S", AT_FDCWD, program);
  rec_t r;
  rt_begin(&r, "handoff", "-");
  char cwd[PATH_MAX];
  rt_put_escaped(&r, getcwd(cwd, sizeof cwd) ? cwd : "/");
  rt_put(&r, "\t", 1);
  rt_put_escaped(&r, logfile);
  rt_put(&r, "\t", 1);
  rt_put_path(&r, AT_FDCWD, program);
  rt_finish(&r, fd);
}

#define MAX_TEMPLATE 48

/*
 * Builds `strace … -o LOG -- program argv[1..]` into `out` (room for argc + MAX_TEMPLATE + 4).
 * Returns the strace binary, or NULL (and writes a `lost` record) when there is none to use.
 */
static void record_lost(const char *reason, const char *kind, const char *program) {
  char flags[48];
  snprintf(flags, sizeof flags, "%s/%s", reason, kind);
  rt_record_path("lost", flags, AT_FDCWD, program);
}

static const char *build_handoff(const char *program, const char *kind, char *const argv[], char **out, size_t room, char *tbuf, size_t tsize, char *logfile, size_t logsize) {
  if (already_traced()) {
    record_lost("traced", kind, program);
    return NULL;
  }
  size_t n = strace_template(tbuf, tsize, out, MAX_TEMPLATE);
  if (n == 0) {
    record_lost("nostrace", kind, program);
    return NULL;
  }
  log_name(logfile, logsize);
  out[n++] = "-o";
  out[n++] = logfile;
  out[n++] = "--";
  out[n++] = (char *)program;
  for (char *const *a = argv && argv[0] ? argv + 1 : argv; a && *a && n + 1 < room; a++) out[n++] = *a;
  out[n] = NULL;
  record_handoff(program, logfile);
  return out[0];
}

static size_t argc_of(char *const argv[]) {
  size_t n = 0;
  for (char *const *a = argv; a && *a; a++) n++;
  return n;
}

size_t rt_env_count(char *const envp[]) {
  size_t n = 0;
  for (char *const *e = envp; e && *e; e++) n++;
  return n;
}

void rt_before_exec(const char *file, int search, char *const argv[], char *const envp[]) {
  if (rt_log_path()[0] == 0 || rt_in_hook > 1) return;
  /* A child between fork and exec has often just closed every descriptor but 0-2 (subprocess
   * modules do): check the log's before writing. */
  rt_fd_closing(-2);
  char program[PATH_MAX + 2];
  if (rt_resolve_exec(file, search, program + 2, sizeof program - 2) != 0) return;
  char why[32] = "";
  int kind = rt_inspect(program + 2, why, sizeof why);
  if (kind == RUN_PRELOADED) return;
  if (kind == RUN_LOST) {
    rt_record_path("lost", why, AT_FDCWD, program + 2);
    return;
  }
  /* strace looks a name without '/' up on PATH; exec would have used the current folder. */
  const char *prog = program + 2;
  if (!strchr(prog, '/')) {
    program[0] = '.';
    program[1] = '/';
    prog = program;
  }
  size_t room = argc_of(argv) + MAX_TEMPLATE + 5;
  if (room > 65536) return;
  char *nargv[room];
  char tbuf[2048], logfile[PATH_MAX];
  const char *strace = build_handoff(prog, why, argv, nargv, room, tbuf, sizeof tbuf, logfile, sizeof logfile);
  if (!strace) return;
  size_t envc = rt_env_count(envp) + 2;
  if (envc > 65536) return;
  char *nenv[envc];
  char merged[PATH_MAX * 2];
  if (!RESOLVE(execve)) return;
  real_execve(strace, nargv, env_without_us(envp, nenv, envc, merged, sizeof merged));
  /* strace could not be started: the program runs untraced, and the run says so. */
  record_lost("failed", why, prog);
}

int rt_spawn_handoff(const char *file, int search, char *const argv[], char *const envp[], const char **path_out, char **argv_out, size_t room, char *tbuf, size_t tsize) {
  (void)envp;
  if (rt_log_path()[0] == 0) return 0;
  rt_fd_closing(-2);
  static __thread char program[PATH_MAX + 2];
  static __thread char logfile[PATH_MAX];
  if (rt_resolve_exec(file, search, program + 2, sizeof program - 2) != 0) return 0;
  char why[32] = "";
  int kind = rt_inspect(program + 2, why, sizeof why);
  if (kind == RUN_PRELOADED) return 0;
  if (kind == RUN_LOST) {
    rt_record_path("lost", why, AT_FDCWD, program + 2);
    return 0;
  }
  const char *prog = program + 2;
  if (!strchr(prog, '/')) {
    program[0] = '.';
    program[1] = '/';
    prog = program;
  }
  const char *strace = build_handoff(prog, why, argv, argv_out, room, tbuf, tsize, logfile, sizeof logfile);
  if (!strace) return 0;
  *path_out = strace;
  return 1;
}

/* ---- keeping LD_PRELOAD and the log variable in explicit environments ----------------------- */

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
char *const *rt_fixed_env(char *const envp[], char **out, size_t room, char *merged, size_t merged_size) {
  const char *log_entry = rt_log_entry();
  const char *preload_entry = rt_preload_entry();
  if (rt_log_path()[0] == 0 || preload_entry[0] == 0) return envp;
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
  if (!preload_set) out[k++] = (char *)preload_entry;
  out[k++] = (char *)log_entry;
  out[k] = NULL;
  return out;
}

#define WITH_FIXED_ENV(envp, fixed)                                                      \
  size_t room_ = rt_env_count(envp) + 3;                                                 \
  char *out_[room_ > 65536 ? 1 : room_];                                                 \
  char merged_[PATH_MAX * 2];                                                            \
  char *const *fixed = room_ > 65536 ? (envp) : rt_fixed_env(envp, out_, room_, merged_, sizeof merged_)

EXPORT int execve(const char *path, char *const argv[], char *const envp[]) {
  if (!RESOLVE(execve)) {
    errno = ENOSYS;
    return -1;
  }
  rt_before_exec(path, 0, argv, envp);
  WITH_FIXED_ENV(envp, env);
  return real_execve(path, argv, env);
}

EXPORT int execvpe(const char *file, char *const argv[], char *const envp[]) {
  if (!RESOLVE(execvpe)) {
    errno = ENOSYS;
    return -1;
  }
  rt_before_exec(file, 1, argv, envp);
  WITH_FIXED_ENV(envp, env);
  return real_execvpe(file, argv, env);
}

EXPORT int fexecve(int fd, char *const argv[], char *const envp[]) {
  if (!RESOLVE(fexecve)) {
    errno = ENOSYS;
    return -1;
  }
  char target[PATH_MAX];
  if (rt_fd_target(fd, target, sizeof target) == 0) rt_before_exec(target, 0, argv, envp);
  WITH_FIXED_ENV(envp, env);
  return real_fexecve(fd, argv, env);
}

EXPORT int execveat(int dirfd, const char *path, char *const argv[], char *const envp[], int flags) {
  if (!RESOLVE(execveat)) {
    errno = ENOSYS;
    return -1;
  }
  char target[PATH_MAX];
  /* path is never NULL (the prototype says so); "" with AT_EMPTY_PATH names dirfd itself. */
  if (*path == '/' || (*path && dirfd == AT_FDCWD)) rt_before_exec(path, 0, argv, envp);
  else if (!*path && rt_fd_target(dirfd, target, sizeof target) == 0) rt_before_exec(target, 0, argv, envp);
  WITH_FIXED_ENV(envp, env);
  return real_execveat(dirfd, path, argv, env, flags);
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
EXPORT int execv(const char *path, char *const argv[]) { return execve(path, argv, environ); }
EXPORT int execvp(const char *file, char *const argv[]) { return execvpe(file, argv, environ); }

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

#define SPAWN_BODY(name, file, search)                                                                     \
  do {                                                                                                     \
    if (!RESOLVE(name)) return ENOSYS;                                                                     \
    size_t hroom = argc_of(argv) + MAX_TEMPLATE + 5;                                                       \
    if (hroom <= 65536) {                                                                                  \
      char *hargv[hroom];                                                                                  \
      char tbuf[2048];                                                                                     \
      const char *strace = NULL;                                                                           \
      if (rt_spawn_handoff(file, search, argv, envp, &strace, hargv, hroom, tbuf, sizeof tbuf)) {         \
        size_t envc = rt_env_count(envp) + 2;                                                              \
        char *nenv[envc];                                                                                  \
        char merged[PATH_MAX * 2];                                                                         \
        int r = RESOLVE(posix_spawn) ? real_posix_spawn(pid, strace, fa, attr, hargv, env_without_us(envp, nenv, envc, merged, sizeof merged)) : ENOSYS; \
        if (r == 0) return 0;                                                                              \
        rt_record_path("lost", "failed/spawn", AT_FDCWD, file);                                            \
      }                                                                                                    \
    }                                                                                                      \
    WITH_FIXED_ENV(envp, env);                                                                             \
    return real_##name(pid, file, fa, attr, argv, env);                                                    \
  } while (0)

EXPORT int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr, char *const argv[], char *const envp[]) {
  SPAWN_BODY(posix_spawn, path, 0);
}

EXPORT int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr, char *const argv[], char *const envp[]) {
  SPAWN_BODY(posix_spawnp, file, 1);
}
