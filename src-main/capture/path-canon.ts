import fs from 'node:fs';
import path from 'node:path';
import type { RawOp } from './syscall-ops';

/**
 * One name per file: the folder part of every recorded path is resolved through symlinks
 * (`out/r.txt` with `out -> real_out` becomes `real_out/r.txt`), so a file written through a
 * linked folder and deleted through its real one is one artifact. The last segment is kept as
 * is: an unlink or rename acts on the link itself, and opens already arrive resolved (the kernel
 * tells both tracers what a descriptor refers to). Folders that no longer exist resolve as far
 * up as they still do.
 */
export class PathCanon {
  private readonly dirs = new Map<string, string>();

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
