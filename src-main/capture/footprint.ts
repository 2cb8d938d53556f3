import fs from 'node:fs';
import type { RawOp } from './syscall-ops';

/**
 * From raw file operations to the footprint of DESIGN §3 (`retrace_footprint.ops`).
 *
 * Each path's operations are replayed in time order to learn two facts: did the path exist
 * before the run, and does it exist after it (asked of the file system at the end). Its class
 * follows from those and from whether its content changed:
 *   existed before and after   → MODIFY if the content changed (truncated, overwritten, replaced
 *                                by a rename, swapped by RENAME_EXCHANGE, deleted and written
 *                                again, or written through a descriptor and its mtime moved),
 *                                READ if the run read it first;
 *   existed before, not after  → DELETE (plus READ if it was read);
 *   new, exists after          → CREATE, or RENAME with `renamedFrom`;
 *   new, gone after            → CREATE and DELETE: a temp file.
 * Whether a path existed is known from the first operation that touched it (a read or an unlink
 * needs it; O_EXCL and link need it absent). Opens with O_CREAT and renames onto a name are
 * ambiguous: the interposer checks the path just before the call (`existed`, `replaced`); for
 * strace, `existedBefore` answers (a listing of the workspace taken before the run) and, outside
 * it, the file's birth time against a marker written just before the command started.
 * Hard links: names of one inode share content changes — a write through one name modifies
 * every other name the run touched.
 *
 * Op meanings for the footprint algebra: READ = accessed, CREATE = created, MODIFY = modified,
 * DELETE = deleted, RENAME = created under `path` by renaming `renamedFrom` (which gets its own
 * DELETE op). Executables and shared libraries (`exec`, `load`) are not data: they come back in
 * `code`.
 */
export type FootprintOpKind = 'READ' | 'CREATE' | 'MODIFY' | 'DELETE' | 'RENAME';

export interface FootprintOp {
  /** Workspace-relative POSIX path inside the workspace, absolute outside it. */
  path: string;
  op: FootprintOpKind;
  /** ISO time of the first such operation in the run. */
  at: string;
  hashAfter?: string;
  size?: number;
  renamedFrom?: string;
  /** Delta tables: the table version read or written (the op is on the table folder). */
  tableVersion?: number;
  kind?: 'file' | 'delta_table';
}

/** Per-path decision before hashing; paths are absolute here. */
export interface ClassifiedOp {
  path: string;
  op: FootprintOpKind;
  atMs: number;
  renamedFrom?: string;
  /** Size and mtime at the end of the run, for a regular file (saves the hasher a stat). */
  stat?: { size: number; mtimeMs: number };
}

export interface StatLike {
  isDirectory(): boolean;
  isFile?(): boolean;
  birthtimeMs: number;
  mtimeMs: number;
  size?: number;
  ino?: number;
  dev?: number;
  nlink?: number;
}

export interface ClassifyOptions {
  /** The kernel's file time just before the command started. */
  markerMs: number;
  /** lstat of a path at the end of the run (null: absent). Injectable for tests. */
  statPath?: (p: string) => StatLike | null;
  /** Whether a path existed before the run, where known without asking the tracer (strace). */
  existedBefore?: (p: string) => boolean | undefined;
}

export interface Classification {
  ops: ClassifiedOp[];
  /** Programs executed and shared libraries loaded, in first-seen order. */
  code: string[];
}

interface PathState {
  existedBefore?: boolean;
  exists?: boolean;
  readAt?: number;
  changedAt?: number;
  changedBy?: string;
  pendingWriteAt?: number;
  pendingReadable?: boolean;
  /** In-place content changes of whatever inode the name held (for hard-linked names). */
  truncAt?: number;
  wroteAt?: number;
  createdAt?: number;
  renamedFrom?: string;
  deletedAt?: number;
}

export function classifyRawOps(raw: readonly RawOp[], opts: ClassifyOptions): Classification {
  const statPath = opts.statPath ?? defaultStat;
  const states = new Map<string, PathState>();
  const dirs = new Set<string>();
  const code: string[] = [];
  const codeSeen = new Set<string>();
  const state = (p: string): PathState => {
    let s = states.get(p);
    if (!s) states.set(p, (s = {}));
    return s;
  };
  // The first operation on a path tells whether it existed before the run.
  const reveal = (s: PathState, existed: boolean): void => {
    if (s.existedBefore === undefined && s.createdAt === undefined && s.deletedAt === undefined && s.changedAt === undefined) s.existedBefore = existed;
    s.exists = true;
  };
  // Whether the path exists right now, for an operation that does not say: the replay so far,
  // else the oracle, else its birth time (born after the marker = not there before).
  const existsNow = (p: string, s: PathState, told: boolean | undefined): boolean => {
    if (told !== undefined) return told;
    if (s.exists !== undefined) return s.exists;
    const known = opts.existedBefore?.(p);
    if (known !== undefined) return known;
    const st = statPath(p);
    return st !== null && st.birthtimeMs > 0 && st.birthtimeMs < opts.markerMs;
  };
  const change = (s: PathState, at: number, by?: string): void => {
    s.changedAt ??= at;
    if (by !== undefined) s.changedBy = by;
    s.exists = true;
  };
  const create = (s: PathState, at: number, renamedFrom?: string): void => {
    if (s.existedBefore === undefined && s.changedAt === undefined) s.existedBefore = false;
    if (s.existedBefore) change(s, at, renamedFrom);
    else {
      s.createdAt ??= at;
      s.renamedFrom = renamedFrom;
    }
    s.exists = true;
  };
  const remove = (s: PathState, at: number): void => {
    reveal(s, true);
    s.deletedAt = at;
    s.exists = false;
  };

  // Stable by time: ops of different processes (and strace subtrees) arrive interleaved.
  const ordered = raw.map((r, i) => ({ r, i })).sort((x, y) => x.r.at - y.r.at || x.i - y.i).map((x) => x.r);
  for (const r of ordered) {
    if (r.kind === 'mkdir' || r.kind === 'rmdir') {
      dirs.add(r.path);
      continue;
    }
    if (r.kind === 'exec' || r.kind === 'load') {
      if (!codeSeen.has(r.path)) {
        codeSeen.add(r.path);
        code.push(r.path);
      }
      continue;
    }
    const s = state(r.path);
    switch (r.kind) {
      case 'open': {
        const m = r.mode;
        if (m.directory || m.tmpfile) {
          dirs.add(r.path);
          break;
        }
        if (!m.write && !m.create) {
          reveal(s, true);
          if (s.createdAt === undefined && s.changedAt === undefined && s.pendingWriteAt === undefined) s.readAt ??= r.at;
          break;
        }
        if (m.write) s.wroteAt ??= r.at;
        if (m.truncate) s.truncAt ??= r.at;
        if (m.create && (m.exclusive || !existsNow(r.path, s, r.existed))) {
          create(s, r.at);
        } else {
          reveal(s, true);
          if (m.truncate) change(s, r.at);
          else if (s.createdAt === undefined) {
            s.pendingWriteAt ??= r.at;
            s.pendingReadable ||= m.read;
          }
        }
        break;
      }
      case 'truncate':
        reveal(s, true);
        change(s, r.at);
        s.truncAt ??= r.at;
        break;
      case 'delete':
        remove(s, r.at);
        break;
      case 'link':
        create(s, r.at);
        if (r.from !== undefined) reveal(state(r.from), true);
        break;
      case 'rename': {
        const from = state(r.from);
        const replaced = existsNow(r.path, s, r.replaced);
        remove(from, r.at);
        if (replaced) {
          reveal(s, true);
          change(s, r.at, r.from);
        } else create(s, r.at, r.from);
        break;
      }
      case 'exchange': {
        const other = state(r.other);
        reveal(s, true);
        reveal(other, true);
        change(s, r.at);
        change(other, r.at);
        break;
      }
    }
  }

  // The end of the run: what exists, and which names share an inode.
  const finals = new Map<string, StatLike | null>();
  for (const p of states.keys()) finals.set(p, dirs.has(p) ? null : statPath(p));
  const contentChanged = (p: string, s: PathState): boolean => {
    if (s.changedAt !== undefined) return true;
    const st = finals.get(p);
    return s.pendingWriteAt !== undefined && !!st && st.mtimeMs >= opts.markerMs;
  };
  // Inodes written in place through any name (renames and re-creations bring a new inode and
  // change no other name).
  const changedInodes = new Set<string>();
  const inodeOf = (st: StatLike | null | undefined): string | null =>
    st && st.ino !== undefined && st.dev !== undefined && (st.nlink ?? 1) > 1 ? `${st.dev}:${st.ino}` : null;
  for (const [p, s] of states) {
    const st = finals.get(p);
    const key = inodeOf(st);
    if (key && (s.truncAt !== undefined || (s.wroteAt !== undefined && !!st && st.mtimeMs >= opts.markerMs))) changedInodes.add(key);
  }

  const out: ClassifiedOp[] = [];
  for (const [p, s] of states) {
    if (dirs.has(p)) continue;
    const st = finals.get(p) ?? null;
    if (st?.isDirectory()) continue;
    const existsAfter = st !== null;
    const existedBefore = s.existedBefore ?? opts.existedBefore?.(p) ?? false;
    const firstAt = Math.min(...[s.readAt, s.changedAt, s.pendingWriteAt, s.createdAt, s.deletedAt].filter((x): x is number => x !== undefined));
    const fileStat = st && st.isFile?.() && st.size !== undefined ? { size: st.size, mtimeMs: st.mtimeMs } : undefined;
    const push = (op: FootprintOpKind, atMs: number, renamedFrom?: string): void => {
      out.push({ path: p, op, atMs: Number.isFinite(atMs) ? atMs : 0, ...(renamedFrom !== undefined ? { renamedFrom } : {}), ...(fileStat && op !== 'DELETE' ? { stat: fileStat } : {}) });
    };
    if (existedBefore) {
      const key = inodeOf(st);
      const changed = contentChanged(p, s) || (key !== null && changedInodes.has(key));
      if (s.readAt !== undefined) push('READ', s.readAt);
      if (!existsAfter) push('DELETE', s.deletedAt ?? firstAt);
      else if (changed) push('MODIFY', s.changedAt ?? s.pendingWriteAt ?? firstAt, s.changedBy);
      else if (s.readAt === undefined && s.pendingReadable) push('READ', s.pendingWriteAt ?? firstAt);
    } else if (s.createdAt !== undefined) {
      if (s.renamedFrom !== undefined) push('RENAME', s.createdAt, s.renamedFrom);
      else push('CREATE', s.createdAt);
      if (!existsAfter) push('DELETE', s.deletedAt ?? s.createdAt);
    }
  }
  return { ops: out, code };
}

function defaultStat(p: string): StatLike | null {
  try {
    return fs.lstatSync(p);
  } catch {
    return null;
  }
}

export type FootprintClass = 'INPUT' | 'OUTPUT_MODIFIED' | 'OUTPUT_ADDED' | 'OUTPUT_REMOVED' | 'OUTPUT_TMP';

/**
 * The Hopsworks footprint algebra (DESIGN §4) over ops, per path. Used by tests and the bench to
 * check captures; the ingest side computes the same from the events.
 */
export function footprintClasses(ops: readonly { path: string; op: FootprintOpKind }[]): Record<FootprintClass, string[]> {
  const accessed = new Set<string>();
  const createdSet = new Set<string>();
  const modifiedSet = new Set<string>();
  const deletedSet = new Set<string>();
  for (const o of ops) {
    if (o.op === 'READ') accessed.add(o.path);
    else if (o.op === 'CREATE' || o.op === 'RENAME') createdSet.add(o.path);
    else if (o.op === 'MODIFY') modifiedSet.add(o.path);
    else if (o.op === 'DELETE') deletedSet.add(o.path);
  }
  const sorted = (s: Iterable<string>): string[] => [...s].sort();
  const minus = (a: Set<string>, ...bs: Set<string>[]): string[] => sorted([...a].filter((x) => !bs.some((b) => b.has(x))));
  return {
    INPUT: minus(accessed, createdSet),
    OUTPUT_MODIFIED: minus(modifiedSet, createdSet, deletedSet),
    OUTPUT_ADDED: minus(createdSet, deletedSet),
    OUTPUT_REMOVED: minus(deletedSet, createdSet),
    OUTPUT_TMP: sorted([...createdSet].filter((x) => deletedSet.has(x))),
  };
}
