import fs from 'node:fs';
import type { RawOp } from './syscall-ops';

/**
 * From raw file operations to the footprint of DESIGN §3 (`retrace_footprint.ops`).
 *
 * strace cannot tell whether `open(O_CREAT)` created a file or overwrote one, so such opens stay
 * "pending" and are decided after the run by the file's birth time against a marker file written
 * just before the command started (same kernel clock): born after the marker = CREATE, else
 * MODIFY. Write-mode opens without O_TRUNC are MODIFY only if the file's mtime moved. Known
 * limits: a pre-existing file overwritten *and then deleted* in the run reads as a temp file; on
 * file systems without birth times a pending create counts as CREATE.
 *
 * Op meanings for the footprint algebra: READ = accessed, CREATE = created, MODIFY = modified,
 * DELETE = deleted, RENAME = created under `path` by renaming `renamedFrom` (which gets its own
 * DELETE op).
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
}

interface PathState {
  existedKnown: boolean;
  createdInRun: boolean;
  deletedNow: boolean;
  ops: { op: FootprintOpKind | 'PENDING_CREATE' | 'PENDING_MODIFY'; atMs: number; renamedFrom?: string; readable?: boolean }[];
}

export interface StatLike {
  isDirectory(): boolean;
  birthtimeMs: number;
  mtimeMs: number;
}

/** `statPath` is injectable so the decision rules are testable without a clock race. */
export function classifyRawOps(
  raw: readonly RawOp[],
  markerMs: number,
  statPath: (p: string) => StatLike | null = defaultStat,
): ClassifiedOp[] {
  const states = new Map<string, PathState>();
  const dirs = new Set<string>();
  const state = (p: string): PathState => {
    let s = states.get(p);
    if (!s) states.set(p, (s = { existedKnown: false, createdInRun: false, deletedNow: false, ops: [] }));
    return s;
  };
  const add = (s: PathState, op: PathState['ops'][number]): void => {
    if (!s.ops.some((o) => o.op === op.op)) s.ops.push(op);
  };
  const created = (s: PathState, atMs: number, renamedFrom?: string): void => {
    add(s, renamedFrom !== undefined ? { op: 'RENAME', atMs, renamedFrom } : { op: 'CREATE', atMs });
    s.createdInRun = true;
    s.deletedNow = false;
  };
  const modified = (s: PathState, atMs: number): void => {
    if (!s.createdInRun) add(s, { op: 'MODIFY', atMs });
    s.existedKnown = true;
  };

  for (const r of raw) {
    if (r.kind === 'mkdir' || r.kind === 'rmdir') {
      dirs.add(r.path);
      continue;
    }
    const s = state(r.path);
    switch (r.kind) {
      case 'exec':
        add(s, { op: 'READ', atMs: r.at });
        s.existedKnown = true;
        break;
      case 'open': {
        const m = r.mode;
        if (m.directory) {
          dirs.add(r.path);
          break;
        }
        if (!m.write && !m.create) {
          add(s, { op: 'READ', atMs: r.at });
          if (!s.createdInRun) s.existedKnown = true;
        } else if (m.create && (m.exclusive || s.deletedNow)) {
          created(s, r.at);
        } else if (m.create && !s.existedKnown && !s.createdInRun) {
          add(s, { op: 'PENDING_CREATE', atMs: r.at });
          s.createdInRun = true; // provisional: later opens of the same path are not new creates
        } else if (m.truncate) {
          modified(s, r.at);
        } else if (!s.createdInRun) {
          add(s, { op: 'PENDING_MODIFY', atMs: r.at, readable: m.read });
        }
        break;
      }
      case 'truncate':
        modified(s, r.at);
        break;
      case 'delete':
        add(s, { op: 'DELETE', atMs: r.at });
        s.deletedNow = true;
        break;
      case 'link':
        created(s, r.at);
        break;
      case 'rename': {
        const from = state(r.from);
        add(from, { op: 'DELETE', atMs: r.at });
        from.deletedNow = true;
        if (s.existedKnown && !s.createdInRun) {
          // Atomic replace of a file the run had already seen: an overwrite, not a new artifact.
          add(s, { op: 'MODIFY', atMs: r.at, renamedFrom: r.from });
        } else created(s, r.at, r.from);
        break;
      }
    }
  }

  const out: ClassifiedOp[] = [];
  const emitted = new Set<string>();
  for (const [p, s] of states) {
    if (dirs.has(p)) continue;
    const st = statPath(p);
    if (st?.isDirectory()) continue;
    for (const o of s.ops) {
      let op: FootprintOpKind | null;
      if (o.op === 'PENDING_CREATE') {
        if (!st) op = 'CREATE';
        else if (st.birthtimeMs > 0) op = st.birthtimeMs >= markerMs ? 'CREATE' : 'MODIFY';
        else op = 'CREATE';
      } else if (o.op === 'PENDING_MODIFY') {
        op = !st || st.mtimeMs >= markerMs ? 'MODIFY' : o.readable ? 'READ' : null;
      } else op = o.op;
      if (op === null || emitted.has(`${op} ${p}`)) continue;
      emitted.add(`${op} ${p}`);
      out.push({ path: p, op, atMs: o.atMs, ...(o.renamedFrom !== undefined ? { renamedFrom: o.renamedFrom } : {}) });
    }
  }
  return out;
}

function defaultStat(p: string): StatLike | null {
  try {
    return fs.statSync(p);
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
