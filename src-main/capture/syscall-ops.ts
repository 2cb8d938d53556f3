import path from 'node:path';
import type { SyscallRecord } from './strace-parse';

/**
 * Turns parsed syscalls into file operations on absolute paths. Keeps, per process, the current
 * directory and the open file descriptors, so relative paths and `*at(dirfd, …)` calls resolve
 * even where strace's `-y` annotation is missing (a process that already exited, an fd strace
 * could not read). The annotation wins when present: it is what the kernel saw.
 */
export type RawOp =
  | {
      readonly kind: 'open';
      readonly path: string;
      readonly at: number;
      readonly mode: OpenMode;
      /** The path the program named, when it differs from the resolved `path` (a symlink). */
      readonly via?: string;
      /** For O_CREAT opens without O_EXCL: whether the path existed just before (interposer only). */
      readonly existed?: boolean;
    }
  | { readonly kind: 'truncate' | 'delete' | 'exec' | 'load' | 'rmdir' | 'mkdir'; readonly path: string; readonly at: number }
  /** A new name: a hard link to `from` (the existing name, when known) or a symbolic link. */
  | { readonly kind: 'link'; readonly path: string; readonly at: number; readonly from?: string; readonly symbolic?: boolean }
  /** `replaced`: the new name existed and was replaced (interposer only; unknown under strace). */
  | { readonly kind: 'rename'; readonly path: string; readonly from: string; readonly at: number; readonly replaced?: boolean }
  /** renameat2(RENAME_EXCHANGE): the two names swapped their files. */
  | { readonly kind: 'exchange'; readonly path: string; readonly other: string; readonly at: number };

export interface OpenMode {
  readonly write: boolean;
  readonly read: boolean;
  readonly create: boolean;
  readonly exclusive: boolean;
  readonly truncate: boolean;
  readonly append: boolean;
  readonly directory: boolean;
  /** O_TMPFILE: an unnamed file in the folder `path`; it gets a name only through linkat. */
  readonly tmpfile?: boolean;
}

/**
 * What a tracer noticed about the run besides file operations: a subtree handed to strace
 * (`handoff`), a program no tracer could follow (`lost`), io_uring in use (`uring`), raw system
 * calls that could not be watched (`nosud`).
 */
export type TraceNote =
  | { readonly kind: 'handoff'; readonly pid: number; readonly cwd: string; readonly log: string; readonly program: string }
  | { readonly kind: 'lost'; readonly pid: number; readonly why: string; readonly path: string }
  | { readonly kind: 'uring'; readonly pid: number; readonly path: string }
  | { readonly kind: 'nosud'; readonly pid: number; readonly why: string };

/** The syscalls strace is asked to trace: file operations plus what cwd/fd tracking needs. */
export const TRACED_SYSCALLS = [
  'open', 'openat', 'openat2', 'creat',
  'rename', 'renameat', 'renameat2',
  'unlink', 'unlinkat', 'mkdir', 'mkdirat', 'rmdir',
  'truncate', 'ftruncate', 'execve', 'execveat',
  'chdir', 'fchdir', 'link', 'linkat', 'symlink', 'symlinkat',
  // Process creation: a child inherits its parent's cwd and fds.
  'clone', 'clone3', 'fork', 'vfork',
  // io_uring does file work inside the kernel: its set-up makes the run partial.
  'io_uring_setup',
] as const;

interface ProcState {
  cwd: string;
  fds: Map<number, string>;
}

export class SyscallOpsBuilder {
  private readonly procs = new Map<number, ProcState>();
  readonly ops: RawOp[] = [];

  constructor(private readonly initialCwd: string) {}

  readonly notes: TraceNote[] = [];

  private proc(pid: number): ProcState {
    let p = this.procs.get(pid);
    if (!p) {
      // First sight of a pid whose fork we have not seen yet (strace may print the child's first
      // call before the parent's clone returns): start from the run's cwd; -y annotations correct it.
      p = { cwd: this.initialCwd, fds: new Map() };
      this.procs.set(pid, p);
    }
    return p;
  }

  /** Resolves a path argument relative to a dirfd argument (or the cwd when there is none). */
  private resolve(p: ProcState, file: string, dirArg?: { raw: string; fdPath?: string }): string {
    if (path.isAbsolute(file)) return path.normalize(file);
    let base = p.cwd;
    if (dirArg) {
      if (dirArg.fdPath !== undefined) base = dirArg.fdPath;
      else if (dirArg.raw.trim() !== 'AT_FDCWD') base = p.fds.get(Number(dirArg.raw)) ?? p.cwd;
      if (dirArg.raw.trim() === 'AT_FDCWD' && dirArg.fdPath !== undefined) p.cwd = dirArg.fdPath;
    }
    return path.resolve(base, file);
  }

  push(rec: SyscallRecord): void {
    const p = this.proc(rec.pid);
    const a = rec.args;
    const ok = rec.errno === undefined && !(rec.ret < 0);
    const at = rec.atMs;
    const str = (i: number): string | undefined => a[i]?.str;
    switch (rec.name) {
      case 'clone':
      case 'clone3':
      case 'fork':
      case 'vfork': {
        if (ok && rec.ret > 0) {
          const child = this.procs.get(rec.ret);
          // A child seen before its parent's clone returned keeps what annotations taught it.
          if (!child) this.procs.set(rec.ret, { cwd: p.cwd, fds: new Map(p.fds) });
        }
        return;
      }
      case 'chdir': {
        const f = str(0);
        if (ok && f !== undefined) p.cwd = this.resolve(p, f);
        return;
      }
      case 'fchdir': {
        if (!ok) return;
        const d = a[0];
        const target = d?.fdPath ?? p.fds.get(Number(d?.raw));
        if (target) p.cwd = target;
        return;
      }
      case 'open':
      case 'creat':
      case 'openat':
      case 'openat2': {
        const withDir = rec.name === 'openat' || rec.name === 'openat2';
        const file = str(withDir ? 1 : 0);
        if (file === undefined) return;
        const resolved = rec.retPath ?? this.resolve(p, file, withDir ? a[0] : undefined);
        if (withDir) this.resolve(p, file, a[0]); // keeps cwd fresh from AT_FDCWD<...>
        if (!ok) return;
        const flagsText = rec.name === 'creat' ? 'O_WRONLY|O_CREAT|O_TRUNC' : (a[withDir ? 2 : 1]?.raw ?? 'O_RDONLY');
        const mode = parseOpenFlags(flagsText);
        // An O_TMPFILE descriptor names "/dir/#ino (deleted)": the file is the folder's until linked.
        const target = mode.tmpfile ? this.resolve(p, file, withDir ? a[0] : undefined) : resolved;
        p.fds.set(rec.ret, target);
        this.ops.push({ kind: 'open', path: target, at, mode });
        return;
      }
      case 'truncate':
      case 'ftruncate': {
        if (!ok) return;
        const target = rec.name === 'truncate' ? (str(0) !== undefined ? this.resolve(p, str(0)!) : undefined) : (a[0]?.fdPath ?? p.fds.get(Number(a[0]?.raw)));
        if (target) this.ops.push({ kind: 'truncate', path: target, at });
        return;
      }
      case 'unlink':
      case 'rmdir':
      case 'unlinkat': {
        const isAt = rec.name === 'unlinkat';
        const file = str(isAt ? 1 : 0);
        if (file === undefined || !ok) return;
        const target = this.resolve(p, file, isAt ? a[0] : undefined);
        const isDir = rec.name === 'rmdir' || (isAt && (a[2]?.raw ?? '').includes('AT_REMOVEDIR'));
        this.ops.push({ kind: isDir ? 'rmdir' : 'delete', path: target, at });
        return;
      }
      case 'mkdir':
      case 'mkdirat': {
        const isAt = rec.name === 'mkdirat';
        const file = str(isAt ? 1 : 0);
        if (file !== undefined && ok) this.ops.push({ kind: 'mkdir', path: this.resolve(p, file, isAt ? a[0] : undefined), at });
        return;
      }
      case 'rename':
      case 'renameat':
      case 'renameat2': {
        if (!ok) return;
        const isAt = rec.name !== 'rename';
        const from = str(isAt ? 1 : 0);
        const to = str(isAt ? 3 : 1);
        if (from === undefined || to === undefined) return;
        const fromPath = this.resolve(p, from, isAt ? a[0] : undefined);
        const toPath = this.resolve(p, to, isAt ? a[2] : undefined);
        if (rec.name === 'renameat2' && /RENAME_EXCHANGE/.test(a[4]?.raw ?? '')) this.ops.push({ kind: 'exchange', path: toPath, other: fromPath, at });
        else this.ops.push({ kind: 'rename', from: fromPath, path: toPath, at });
        return;
      }
      case 'link':
      case 'linkat':
      case 'symlink':
      case 'symlinkat': {
        if (!ok) return;
        // The new name is the last path argument: link(old,new), linkat(od,old,nd,new,f),
        // symlink(target,new), symlinkat(target,nd,new).
        const idx = rec.name === 'link' || rec.name === 'symlink' ? 1 : rec.name === 'linkat' ? 3 : 2;
        const dir = rec.name === 'linkat' ? a[2] : rec.name === 'symlinkat' ? a[1] : undefined;
        const file = str(idx);
        if (file === undefined) return;
        const symbolic = rec.name === 'symlink' || rec.name === 'symlinkat';
        // The existing name of a hard link: link(old,…), linkat(od, old, …); "" = the fd itself.
        let from: string | undefined;
        if (!symbolic) {
          const old = str(rec.name === 'link' ? 0 : 1);
          if (old) from = this.resolve(p, old, rec.name === 'linkat' ? a[0] : undefined);
          else if (rec.name === 'linkat') from = a[0]?.fdPath ?? p.fds.get(Number(a[0]?.raw));
        }
        this.ops.push({ kind: 'link', path: this.resolve(p, file, dir), at, ...(from !== undefined ? { from } : {}), ...(symbolic ? { symbolic } : {}) });
        return;
      }
      case 'execve':
      case 'execveat': {
        const file = str(rec.name === 'execve' ? 0 : 1);
        // execve's own return is printed only on failure in the new image; "= 0" or "?" both mean it ran.
        if (file === undefined || rec.errno !== undefined) return;
        const target = this.resolve(p, file, rec.name === 'execveat' ? a[0] : undefined);
        // exec closes O_CLOEXEC fds; dropping the table is safe because -y annotations cover reuse.
        p.fds.clear();
        this.ops.push({ kind: 'exec', path: target, at });
        return;
      }
      case 'io_uring_setup':
        if (ok) this.notes.push({ kind: 'uring', pid: rec.pid, path: '' });
        return;
      default:
        return;
    }
  }
}

/** Decodes the flags argument of open/openat (`O_WRONLY|O_CREAT|O_TRUNC`, or openat2's struct). */
export function parseOpenFlags(text: string): OpenMode {
  const has = (f: string): boolean => new RegExp(`\\b${f}\\b`).test(text);
  const write = has('O_WRONLY') || has('O_RDWR');
  return {
    write,
    read: !has('O_WRONLY'),
    create: has('O_CREAT'),
    exclusive: has('O_EXCL'),
    truncate: has('O_TRUNC'),
    append: has('O_APPEND'),
    directory: (has('O_DIRECTORY') && !has('O_TMPFILE')) || has('O_PATH'),
    tmpfile: has('O_TMPFILE'),
  };
}
