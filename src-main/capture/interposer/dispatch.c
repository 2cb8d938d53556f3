/*
 * File-related system calls made without libc's file functions — through syscall(3)
 * (wrappers.c) or trapped by syscall user dispatch (sud.c): performed through libc and recorded
 * like the wrapped functions' calls. Also what the record path caches depends on (chdir, close).
 */
#include "interposer.h"

#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct open_how_ {
  unsigned long long flags, mode, resolve;
};

static long kernel_ret(long r) { return r == -1 ? -errno : r; }

static long do_open(long nr, const long a[6], int dirfd, const char *path, int flags, int from_loader) {
  int existed = -1;
  if ((flags & O_CREAT) && !(flags & O_EXCL) && path) existed = rt_exists_at(dirfd, path, 1);
  long r = kernel_ret(rt_sys(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
  if (r >= 0) {
    /* The dynamic loader opens only what it maps: shared libraries (code, not data). */
    if (from_loader && (flags & O_ACCMODE) == O_RDONLY) {
      char p[PATH_MAX];
      if (rt_fd_target((int)r, p, sizeof p) == 0) rt_record_load(p);
    } else {
      rt_record_open(dirfd, path, flags, (int)r, existed);
    }
  }
  return r;
}

static long do_rename(long nr, const long a[6], int od, const char *oldp, int nd, const char *newp, unsigned flags) {
  int exchange = (flags & 2u) != 0, noreplace = (flags & 1u) != 0;
  int replaced = !exchange && !noreplace && newp ? rt_exists_at(nd, newp, 0) : 0;
  long r = kernel_ret(rt_sys(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
  if (r == 0) rt_record_two(exchange ? "exchange" : "rename", replaced ? "o" : "-", nd, newp, od, oldp);
  return r;
}

static long do_path(long nr, const long a[6], const char *op, const char *flags, int dirfd, const char *path) {
  long r = kernel_ret(rt_sys(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
  if (r == 0) rt_record_path(op, flags, dirfd, path);
  return r;
}

extern int execve(const char *, char *const[], char *const[]);
extern int execveat(int, const char *, char *const[], char *const[], int);

long rt_dispatch_syscall(long nr, const long a[6], int from_loader, int *handled) {
  *handled = 1;
  rt_in_hook++;
  long r;
  switch (nr) {
#ifdef SYS_open
    case SYS_open: r = do_open(nr, a, AT_FDCWD, (const char *)a[0], (int)a[1], from_loader); break;
#endif
#ifdef SYS_creat
    case SYS_creat: r = do_open(nr, a, AT_FDCWD, (const char *)a[0], O_WRONLY | O_CREAT | O_TRUNC, from_loader); break;
#endif
    case SYS_openat: r = do_open(nr, a, (int)a[0], (const char *)a[1], (int)a[2], from_loader); break;
#ifdef SYS_openat2
    case SYS_openat2: {
      const struct open_how_ *how = (const struct open_how_ *)a[2];
      r = do_open(nr, a, (int)a[0], (const char *)a[1], how ? (int)how->flags : 0, from_loader);
      break;
    }
#endif
#ifdef SYS_rename
    case SYS_rename: r = do_rename(nr, a, AT_FDCWD, (const char *)a[0], AT_FDCWD, (const char *)a[1], 0); break;
#endif
#ifdef SYS_renameat
    case SYS_renameat: r = do_rename(nr, a, (int)a[0], (const char *)a[1], (int)a[2], (const char *)a[3], 0); break;
#endif
#ifdef SYS_renameat2
    case SYS_renameat2: r = do_rename(nr, a, (int)a[0], (const char *)a[1], (int)a[2], (const char *)a[3], (unsigned)a[4]); break;
#endif
#ifdef SYS_unlink
    case SYS_unlink: r = do_path(nr, a, "unlink", "-", AT_FDCWD, (const char *)a[0]); break;
#endif
    case SYS_unlinkat: r = do_path(nr, a, (a[2] & AT_REMOVEDIR) ? "rmdir" : "unlink", "-", (int)a[0], (const char *)a[1]); break;
#ifdef SYS_rmdir
    case SYS_rmdir: r = do_path(nr, a, "rmdir", "-", AT_FDCWD, (const char *)a[0]); break;
#endif
#ifdef SYS_mkdir
    case SYS_mkdir: r = do_path(nr, a, "mkdir", "-", AT_FDCWD, (const char *)a[0]); break;
#endif
    case SYS_mkdirat: r = do_path(nr, a, "mkdir", "-", (int)a[0], (const char *)a[1]); break;
    case SYS_truncate: r = do_path(nr, a, "trunc", "-", AT_FDCWD, (const char *)a[0]); break;
    case SYS_ftruncate:
      r = kernel_ret(rt_sys(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
      if (r == 0) rt_record_fd("trunc", "-", (int)a[0]);
      break;
#ifdef SYS_link
    case SYS_link:
      r = kernel_ret(rt_sys(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
      if (r == 0) rt_record_two("link", "h", AT_FDCWD, (const char *)a[1], AT_FDCWD, (const char *)a[0]);
      break;
#endif
    case SYS_linkat:
      r = kernel_ret(rt_sys(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
      if (r == 0) rt_record_two("link", "h", (int)a[2], (const char *)a[3], (int)a[0], a[1] && *(const char *)a[1] ? (const char *)a[1] : NULL);
      break;
#ifdef SYS_symlink
    case SYS_symlink: r = do_path(nr, a, "link", "s", AT_FDCWD, (const char *)a[1]); break;
#endif
    case SYS_symlinkat: r = do_path(nr, a, "link", "s", (int)a[1], (const char *)a[2]); break;
    /* Raw execs go through the exec wrappers: a static program is handed to strace there too. */
    case SYS_execve:
      rt_in_hook--;
      r = kernel_ret(execve((const char *)a[0], (char *const *)a[1], (char *const *)a[2]));
      return r;
#ifdef SYS_execveat
    case SYS_execveat:
      rt_in_hook--;
      r = kernel_ret(execveat((int)a[0], (const char *)a[1], (char *const *)a[2], (char *const *)a[3], (int)a[4]));
      return r;
#endif
#ifdef SYS_io_uring_setup
    case SYS_io_uring_setup: {
      r = kernel_ret(rt_sys(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
      char exe[PATH_MAX];
      ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
      exe[n > 0 ? n : 0] = 0;
      if (r >= 0) rt_record_once("uring", "-", exe[0] ? exe : "/");
      break;
    }
#endif
    /* A SIGSYS handler installed without libc must not displace the one that watches raw calls. */
    case SYS_rt_sigaction:
      if (!rt_sud_raw_sigaction(a, &r)) {
        *handled = 0;
        r = 0;
      }
      break;
    /* Not file operations, but what the record path caches depends on them. */
    case SYS_chdir:
    case SYS_fchdir:
      r = kernel_ret(rt_sys(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
      rt_cwd_changed();
      break;
    case SYS_close:
    case SYS_dup3:
#ifdef SYS_dup2
    case SYS_dup2:
#endif
      rt_fd_closing((int)(nr == SYS_close ? a[0] : a[1]));
      *handled = 0;
      r = 0;
      break;
#ifdef SYS_close_range
    case SYS_close_range:
      rt_fd_closing(-2);
      *handled = 0;
      r = 0;
      break;
#endif
    default:
      *handled = 0;
      r = 0;
  }
  rt_in_hook--;
  return r;
}

