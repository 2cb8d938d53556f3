import path from 'node:path';
import type { SyscallRecord } from './strace-parse';

/**
 * Turns parsed syscalls into file operations on absolute paths. Keeps, per process, the current
 * directory and the open file descriptors, so relative paths and `*at(dirfd, …)` calls resolve
 * even where strace's `-y` annotation is missing (a process that already exited, an fd strace
 * could not read). The annotation wins when present: it is what the kernel saw.
 */
export type RawOp =
  | { readonly kind: 'open'; readonly path: string; readonly at: number; readonly mode: OpenMode }
  | { readonly kind: 'truncate' | 'delete' | 'link' | 'exec' | 'rmdir' | 'mkdir'; readonly path: string; readonly at: number }
  | { readonly kind: 'rename'; readonly path: string; readonly from: string; readonly at: number };

export interface OpenMode {
  readonly write: boolean;
  readonly read: boolean;
  readonly create: boolean;
  readonly exclusive: boolean;
  readonly truncate: boolean;
  readonly append: boolean;
  readonly directory: boolean;
}

/** The syscalls strace is asked to trace: file operations plus what cwd/fd tracking needs. */
export const TRACED_SYSCALLS = [
  'open', 'openat', 'openat2', 'creat',
  'rename', 'renameat', 'renameat2',
  'unlink', 'unlinkat', 'mkdir', 'mkdirat', 'rmdir',
  'truncate', 'ftruncate', 'execve', 'execveat',
  'chdir', 'fchdir', 'link', 'linkat', 'symlink', 'symlinkat',
  // Process creation: a child inherits its parent's cwd and fds.
  'clone', 'clone3', 'fork', 'vfork',
] as const;

interface ProcState {
  cwd: string;
  fds: Map<number, string>;
}

export class SyscallOpsBuilder {
  private readonly procs = new Map<number, ProcState>();
  readonly ops: RawOp[] = [];

  constructor(private readonly initialCwd: string) {}

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
        p.fds.set(rec.ret, resolved);
        const flagsText = rec.name === 'creat' ? 'O_WRONLY|O_CREAT|O_TRUNC' : (a[withDir ? 2 : 1]?.raw ?? 'O_RDONLY');
        this.ops.push({ kind: 'open', path: resolved, at, mode: parseOpenFlags(flagsText) });
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
        this.ops.push({
          kind: 'rename',
          from: this.resolve(p, from, isAt ? a[0] : undefined),
          path: this.resolve(p, to, isAt ? a[2] : undefined),
          at,
        });
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
        if (file !== undefined) this.ops.push({ kind: 'link', path: this.resolve(p, file, dir), at });
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
    create: has('O_CREAT') || has('O_TMPFILE'),
    exclusive: has('O_EXCL'),
    truncate: has('O_TRUNC'),
    append: has('O_APPEND'),
    directory: has('O_DIRECTORY') || has('O_PATH'),
  };
}
