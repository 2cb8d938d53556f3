/*
 * What is about to run: the exec wrappers (exec.c) ask whether the program can load the recorder
 * — a dynamically linked ELF of our ABI — following #! lines and `/usr/bin/env NAME`, or why
 * not (static, Go, another ABI: hand it to strace; setuid/setgid or file capabilities: lost).
 */
#include "interposer.h"

#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

int rt_find_on_path(const char *file, char *out, size_t size) {
  const char *path = getenv("PATH");
  if (!path || !*path) path = "/bin:/usr/bin";
  while (*path) {
    const char *end = strchr(path, ':');
    size_t len = end ? (size_t)(end - path) : strlen(path);
    if (len + strlen(file) + 2 < size) {
      if (len == 0) snprintf(out, size, "%s", file);
      else snprintf(out, size, "%.*s/%s", (int)len, path, file);
      struct stat st;
      if (access(out, X_OK) == 0 && stat(out, &st) == 0 && S_ISREG(st.st_mode)) return 0;
    }
    if (!end) break;
    path = end + 1;
  }
  return -1;
}

/* The file exec will load: `file` itself when it names a path, else the first match on PATH. */
int rt_resolve_exec(const char *file, int search, char *out, size_t size) {
  if (!file || !*file) return -1;
  if (!search || strchr(file, '/')) {
    if (strlen(file) + 1 > size) return -1;
    strcpy(out, file);
    return 0;
  }
  return rt_find_on_path(file, out, size);
}

static int our_class = -1, our_machine = -1;

static void our_abi(void) {
  if (our_class >= 0) return;
  Dl_info me;
  if (dladdr((void *)our_abi, &me) && me.dli_fbase) {
    const unsigned char *ident = (const unsigned char *)me.dli_fbase;
    our_class = ident[EI_CLASS];
    our_machine = ((const ElfW(Ehdr) *)me.dli_fbase)->e_machine;
  } else {
    our_class = 0;
  }
}

static ssize_t pread_all(int fd, void *buf, size_t n, off_t off) {
  return (ssize_t)rt_sys(SYS_pread64, fd, (long)buf, (long)n, (long)off, 0, 0);
}

/* Section names include Go's build-id note or build info: a Go program. */
static int is_go(int fd, const ElfW(Ehdr) *eh) {
  if (eh->e_shoff == 0 || eh->e_shnum == 0 || eh->e_shnum > 4096 || eh->e_shstrndx >= eh->e_shnum || eh->e_shentsize != sizeof(ElfW(Shdr))) return 0;
  ElfW(Shdr) strsec;
  if (pread_all(fd, &strsec, sizeof strsec, (off_t)(eh->e_shoff + (ElfW(Off))eh->e_shstrndx * sizeof(ElfW(Shdr)))) != (ssize_t)sizeof strsec) return 0;
  char names[2048];
  size_t n = strsec.sh_size < sizeof names - 1 ? strsec.sh_size : sizeof names - 1;
  ssize_t got = pread_all(fd, names, n, (off_t)strsec.sh_offset);
  if (got <= 0) return 0;
  names[got] = 0;
  for (ssize_t i = 0; i < got; i += (ssize_t)strlen(names + i) + 1) {
    if (strcmp(names + i, ".note.go.buildid") == 0 || strcmp(names + i, ".go.buildinfo") == 0) return 1;
  }
  return 0;
}

/* A dynamically linked ELF of our ABI (preloadable), or why not. */
static int elf_kind(int fd, const unsigned char *head, char *why, size_t whysize) {
  our_abi();
  const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)head;
  if (our_class > 0 && (head[EI_CLASS] != our_class || eh->e_machine != our_machine)) {
    snprintf(why, whysize, "abi");
    return RUN_TRACED;
  }
  if (eh->e_phentsize != sizeof(ElfW(Phdr)) || eh->e_phnum == 0 || eh->e_phnum > 64) return RUN_PRELOADED;
  /* All program headers in one read (a few hundred bytes right after the ELF header). */
  ElfW(Phdr) ph[64];
  size_t want = eh->e_phnum * sizeof(ElfW(Phdr));
  if (pread_all(fd, ph, want, (off_t)eh->e_phoff) != (ssize_t)want) return RUN_PRELOADED;
  for (int i = 0; i < eh->e_phnum; i++) {
    if (ph[i].p_type == PT_INTERP) {
      if (!is_go(fd, eh)) return RUN_PRELOADED;
      snprintf(why, whysize, "go");
      return RUN_TRACED;
    }
  }
  snprintf(why, whysize, "static");
  return RUN_TRACED;
}

static int inspect_at(const char *file, char *why, size_t whysize, int depth) {
  int fd = (int)rt_sys(SYS_openat, AT_FDCWD, (long)file, O_RDONLY | O_CLOEXEC, 0, 0, 0);
  if (fd < 0) return RUN_PRELOADED; /* exec will fail by itself */
  int kind = RUN_PRELOADED;
  struct stat st;
  unsigned char head[256] __attribute__((aligned(8)));
  ssize_t n;
  if (fstat(fd, &st) != 0) goto done;
  if (((st.st_mode & S_ISUID) && st.st_uid != geteuid()) || ((st.st_mode & S_ISGID) && st.st_gid != getegid())) {
    snprintf(why, whysize, "setuid");
    kind = RUN_LOST;
    goto done;
  }
  if (fgetxattr(fd, "security.capability", NULL, 0) > 0) {
    snprintf(why, whysize, "setcap");
    kind = RUN_LOST;
    goto done;
  }
  n = pread_all(fd, head, sizeof head - 1, 0);
  if (n >= 2 && head[0] == '#' && head[1] == '!') {
    if (depth >= 4) goto done;
    head[n] = 0;
    char *line = (char *)head + 2;
    char *nl = strchr(line, '\n');
    if (nl) *nl = 0;
    char *argv_[8];
    int argc = 0;
    for (char *tok = strtok(line, " \t"); tok && argc < 8; tok = strtok(NULL, " \t")) argv_[argc++] = tok;
    if (argc == 0) goto done;
    char next[PATH_MAX];
    const char *base = strrchr(argv_[0], '/');
    base = base ? base + 1 : argv_[0];
    if (strcmp(base, "env") == 0) {
      for (int i = 1; i < argc; i++) {
        if (argv_[i][0] == '-' || strchr(argv_[i], '=')) continue;
        if (rt_find_on_path(argv_[i], next, sizeof next) == 0) {
          kind = inspect_at(next, why, whysize, depth + 1);
          goto done;
        }
        break;
      }
    }
    if (strlen(argv_[0]) < sizeof next) {
      strcpy(next, argv_[0]);
      kind = inspect_at(next, why, whysize, depth + 1);
    }
    goto done;
  }
  if (n < (ssize_t)sizeof(ElfW(Ehdr)) || memcmp(head, ELFMAG, SELFMAG) != 0) goto done;
  kind = elf_kind(fd, head, why, whysize);
done:
  close(fd);
  return kind;
}

int rt_inspect(const char *file, char *why, size_t whysize) { return inspect_at(file, why, whysize, 0); }
