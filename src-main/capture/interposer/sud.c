/*
 * Raw system calls: the ones that bypass libc's file functions.
 *
 * rt_dispatch_syscall performs and records the file-related system calls; it serves both the
 * syscall(3) wrapper (wrappers.c) and the SIGSYS handler below.
 *
 * Syscall user dispatch (Linux ≥ 5.11, x86-64 and aarch64): a system call made by an instruction
 * outside libc's code (inline assembly, a private syscall stub, the dynamic loader, the vDSO's
 * fallback) is not executed but raises SIGSYS; the handler performs it through libc — recording
 * it when it touches files — and returns its result. Calls made through libc, which is all that
 * ordinary programs make, run at full speed. The mechanism is per thread and dropped by fork and
 * exec, so it is switched on in the constructor, in every thread this library starts
 * (pthread_create) and in every forked child (pthread_atfork). Calls that cannot be performed
 * from a signal handler (clone, fork, vfork, rt_sigreturn) switch it off for their thread and run
 * natively. A program's own SIGSYS handler is kept and called for every SIGSYS that is not ours.
 * Where the kernel lacks it, a `nosud` record makes the run partial.
 */
#include "interposer.h"

#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif
#include <unistd.h>

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_OFF 0
#define PR_SYS_DISPATCH_ON 1
#endif
#ifndef SYSCALL_DISPATCH_FILTER_BLOCK
#define SYSCALL_DISPATCH_FILTER_ALLOW 0
#define SYSCALL_DISPATCH_FILTER_BLOCK 1
#endif
#ifndef SYS_USER_DISPATCH
#define SYS_USER_DISPATCH 2
#endif

#if defined(__x86_64__) || defined(__aarch64__)
#define SUD_SUPPORTED 1
#else
#define SUD_SUPPORTED 0
#endif

/* ---- syscall user dispatch -------------------------------------------------------------------- */

static volatile char selector = SYSCALL_DISPATCH_FILTER_BLOCK;
static unsigned long libc_lo, libc_hi, ld_lo, ld_hi;
static int sud_on;
static struct sigaction user_sigsys; /* the program's own SIGSYS disposition */
static __thread unsigned long busy_traps __attribute__((tls_model("initial-exec")));
static int (*real_sigaction)(int, const struct sigaction *, struct sigaction *);

struct range_query {
  unsigned long addr, lo, hi;
};

static int range_cb(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  struct range_query *q = data;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X)) continue;
    unsigned long lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
    if (q->addr >= lo && q->addr < hi) {
      q->lo = lo;
      q->hi = hi;
      return 1;
    }
  }
  return 0;
}

/* The executable segment holding `addr` (libc's syscall function, the loader's entry). */
static int code_range(unsigned long addr, unsigned long *lo, unsigned long *hi) {
  struct range_query q = {addr, 0, 0};
  if (!dl_iterate_phdr(range_cb, &q)) return -1;
  *lo = q.lo;
  *hi = q.hi;
  return 0;
}

static int enable_for_thread(void) {
  if (!sud_on) return -1;
  return prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, libc_lo, libc_hi - libc_lo, &selector);
}

static void disable_for_thread(void) { prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0); }

static void chain_user_sigsys(int sig, siginfo_t *si, void *ctx) {
  if (user_sigsys.sa_flags & SA_SIGINFO) {
    if (user_sigsys.sa_sigaction) user_sigsys.sa_sigaction(sig, si, ctx);
    return;
  }
  if (user_sigsys.sa_handler == SIG_IGN) return;
  if (user_sigsys.sa_handler != SIG_DFL && user_sigsys.sa_handler) {
    user_sigsys.sa_handler(sig);
    return;
  }
  /* Default action: die of SIGSYS as the program would have. */
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  real_sigaction(SIGSYS, &dfl, NULL);
  raise(SIGSYS);
}

static long kernel_ret(long r) { return r == -1 ? -errno : r; }

#if SUD_SUPPORTED
static void on_sigsys(int sig, siginfo_t *si, void *ctx) {
  if (si->si_code != SYS_USER_DISPATCH) {
    chain_user_sigsys(sig, si, ctx);
    return;
  }
  int saved = errno;
  ucontext_t *uc = ctx;
  long nr = si->si_syscall;
  long a[6];
#if defined(__x86_64__)
  greg_t *g = uc->uc_mcontext.gregs;
  a[0] = g[REG_RDI], a[1] = g[REG_RSI], a[2] = g[REG_RDX], a[3] = g[REG_R10], a[4] = g[REG_R8], a[5] = g[REG_R9];
#define SET_RESULT(v) (g[REG_RAX] = (v))
#define REWIND() (g[REG_RIP] -= 2)
#else
  unsigned long long *x = uc->uc_mcontext.regs;
  for (int i = 0; i < 6; i++) a[i] = (long)x[i];
#define SET_RESULT(v) (x[0] = (unsigned long long)(v))
#define REWIND() (uc->uc_mcontext.pc -= 4)
#endif
  switch (nr) {
    /* Cannot run inside a handler (a new stack, or the handler's own frame): run natively. */
#ifdef SYS_fork
    case SYS_fork:
#endif
#ifdef SYS_vfork
    case SYS_vfork:
#endif
#ifdef SYS_clone3
    case SYS_clone3:
#endif
    case SYS_clone:
    case SYS_rt_sigreturn:
      disable_for_thread();
      REWIND();
      errno = saved;
      return;
    default:
      break;
  }
  unsigned long ip = (unsigned long)si->si_call_addr;
  int handled = 0;
  long r = rt_dispatch_syscall(nr, a, ip >= ld_lo && ip < ld_hi, &handled);
  if (!handled) {
    r = kernel_ret(rt_sys(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
    /* A hot loop of raw calls (a vDSO without a fast clock, a private stub) would pay a signal
     * per call: past this many, the thread runs natively and the run is marked partial. */
    if (++busy_traps > 100000) {
      disable_for_thread();
      rt_record_once("nosud", "busy", NULL);
    }
  }
  SET_RESULT(r);
  errno = saved;
}
#endif

static void atfork_child(void) { enable_for_thread(); }

void rt_sud_init(void) {
  const char *off = getenv(SUD_ENV);
  if (off && strcmp(off, "0") == 0) {
    rt_record_once("nosud", "off", NULL);
    return;
  }
#if !SUD_SUPPORTED
  rt_record_once("nosud", "arch", NULL);
#else
  real_sigaction = dlsym(RTLD_NEXT, "sigaction");
  void *libc_syscall = dlsym(RTLD_NEXT, "syscall");
  if (!real_sigaction || !libc_syscall || code_range((unsigned long)libc_syscall, &libc_lo, &libc_hi) != 0) {
    rt_record_once("nosud", "libc", NULL);
    return;
  }
  unsigned long base = getauxval(AT_BASE);
  if (base) {
    const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)base;
    code_range(base + eh->e_entry, &ld_lo, &ld_hi);
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  if (real_sigaction(SIGSYS, &sa, &user_sigsys) != 0) {
    rt_record_once("nosud", "signal", NULL);
    return;
  }
  sud_on = 1;
  if (enable_for_thread() != 0) {
    sud_on = 0;
    real_sigaction(SIGSYS, &user_sigsys, NULL);
    rt_record_once("nosud", "kernel", NULL);
    return;
  }
  pthread_atfork(NULL, NULL, atfork_child);
  /* Raw closes are seen now (trapped or through syscall(3)): the log descriptor can be trusted
   * between them instead of checked with fstat on every record. */
  rt_enable_fd_trust();
#endif
}

void rt_sud_thread_start(void) { enable_for_thread(); }

/* ---- threads and the program's own SIGSYS handler ---------------------------------------------- */

struct thread_start {
  void *(*fn)(void *);
  void *arg;
};

static void *thread_trampoline(void *p) {
  struct thread_start s = *(struct thread_start *)p;
  free(p);
  enable_for_thread();
  return s.fn(s.arg);
}

EXPORT int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg) {
  static int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
  if (!real) real = dlsym(RTLD_NEXT, "pthread_create");
  if (!real) return ENOSYS;
  if (!sud_on) return real(t, attr, fn, arg);
  struct thread_start *s = malloc(sizeof *s);
  if (!s) return real(t, attr, fn, arg);
  s->fn = fn;
  s->arg = arg;
  int r = real(t, attr, thread_trampoline, s);
  if (r != 0) free(s);
  return r;
}

EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
  if (!real_sigaction) real_sigaction = dlsym(RTLD_NEXT, "sigaction");
  if (sig != SIGSYS || !sud_on) return real_sigaction(sig, act, old);
  /* Ours stays installed; the program's is remembered and called for SIGSYS that is not ours. */
  struct sigaction prev = user_sigsys;
  if (act) user_sigsys = *act;
  if (old) *old = prev;
  return 0;
}

EXPORT sighandler_t signal(int sig, sighandler_t handler) {
  static sighandler_t (*real)(int, sighandler_t);
  if (!real) real = dlsym(RTLD_NEXT, "signal");
  if (sig != SIGSYS || !sud_on) return real(sig, handler);
  sighandler_t prev = (user_sigsys.sa_flags & SA_SIGINFO) ? SIG_DFL : user_sigsys.sa_handler;
  memset(&user_sigsys, 0, sizeof user_sigsys);
  user_sigsys.sa_handler = handler;
  return prev;
}

int rt_sud_owns_sigsys(void) { return sud_on; }

#if defined(__x86_64__)
/* The kernel's struct sigaction on x86-64 (what a raw rt_sigaction passes). */
struct kernel_sigaction_ {
  void *handler;
  unsigned long flags;
  void *restorer;
  unsigned long mask;
};

/*
 * rt_sigaction(SIGSYS) made without libc (sandboxes install their SIGSYS handler this way):
 * remembered as the program's handler, like sigaction() above, so ours stays in place.
 * Returns 1 when it handled the call (result in *ret).
 */
int rt_sud_raw_sigaction(const long a[6], long *ret) {
  if (!sud_on || a[0] != SIGSYS || a[3] != (long)sizeof(unsigned long)) return 0;
  const struct kernel_sigaction_ *k = (const struct kernel_sigaction_ *)a[1];
  struct kernel_sigaction_ *old = (struct kernel_sigaction_ *)a[2];
  if (old) {
    memset(old, 0, sizeof *old);
    old->handler = (user_sigsys.sa_flags & SA_SIGINFO) ? (void *)user_sigsys.sa_sigaction : (void *)user_sigsys.sa_handler;
    old->flags = (unsigned long)user_sigsys.sa_flags;
    memcpy(&old->mask, &user_sigsys.sa_mask, sizeof old->mask);
  }
  if (k) {
    struct sigaction act;
    memset(&act, 0, sizeof act);
    if (k->flags & SA_SIGINFO) act.sa_sigaction = (void (*)(int, siginfo_t *, void *))k->handler;
    else act.sa_handler = (void (*)(int))k->handler;
    act.sa_flags = (int)k->flags & ~SA_RESTORER;
    memcpy(&act.sa_mask, &k->mask, sizeof k->mask);
    user_sigsys = act;
  }
  *ret = 0;
  return 1;
}
#else
int rt_sud_raw_sigaction(const long a[6], long *ret) {
  (void)a;
  (void)ret;
  return 0;
}
#endif
int rt_sud_set_user_sigsys(const void *act, void *oldact) { return sigaction(SIGSYS, act, oldact); }
