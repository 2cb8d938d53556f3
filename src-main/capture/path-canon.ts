import fs from 'node:fs';
import path from 'node:path';
import type { RawOp } from './syscall-ops';

/**
 * One name per file: the folder part of every recorded path is resolved through symlinks
 * (`out/r.txt` with `out -> real_out` becomes `real_out/r.txt`), so a file written through a
 * linked folder and deleted through its real one is one artifact. The last segment is resolved
 * too for operations that follow it — open, truncate, exec — so a write through a link lands on
 * its target; an unlink or rename acts on the link itself and keeps it. (strace already reports
 * opens resolved; the interposer reports names as the program gave them.) Folders that no longer
 * exist resolve as far up as they still do. Every lstat is kept for the classifier.
 */
export class PathCanon {
  private readonly dirs = new Map<string, string>();
  private readonly stats = new Map<string, fs.Stats | null>();

  /** lstat, remembered: the classifier asks again for the same paths. */
  lstat(p: string): fs.Stats | null {
    let st = this.stats.get(p);
    if (st === undefined) {
      try {
        st = fs.lstatSync(p);
      } catch {
        st = null;
      }
      this.stats.set(p, st);
    }
    return st;
  }

  /** The file a path leads to, its last segment followed when it is a symlink. */
  target(p: string): string {
    const f = this.file(p);
    if (!this.lstat(f)?.isSymbolicLink()) return f;
    try {
      return fs.realpathSync(f);
    } catch {
      return f; // a dangling link: the name is all there is
    }
  }

  dir(d: string): string {
    let r = this.dirs.get(d);
    if (r !== undefined) return r;
    try {
      r = fs.realpathSync(d);
    } catch {
      const parent = path.dirname(d);
      r = parent === d ? d : path.join(this.dir(parent), path.basename(d));
    }
    this.dirs.set(d, r);
    return r;
  }

  file(p: string): string {
    const parent = path.dirname(p);
    return parent === p ? p : path.join(this.dir(parent), path.basename(p));
  }

  op(o: RawOp): RawOp {
    switch (o.kind) {
      case 'open': {
        const t = this.target(o.path);
        return t !== o.path && o.via === undefined ? { ...o, path: t, via: o.path } : { ...o, path: t };
      }
      case 'truncate':
      case 'exec':
      case 'load':
        return { ...o, path: this.target(o.path) };
      case 'rename':
        return { ...o, path: this.file(o.path), from: this.file(o.from) };
      case 'exchange':
        return { ...o, path: this.file(o.path), other: this.file(o.other) };
      case 'link':
        return o.from !== undefined ? { ...o, path: this.file(o.path), from: this.file(o.from) } : { ...o, path: this.file(o.path) };
      default:
        return { ...o, path: this.file(o.path) };
    }
  }
}
