import fs from 'node:fs';
import path from 'node:path';
import type { ClassifiedOp } from './footprint';
import type { IgnoreRules } from './ignore-rules';

/**
 * Capture without strace: list the workspace before and after the command and diff. It sees
 * creates, modifies and deletes of files that exist at one end of the run, never reads and never
 * temp files — so runs captured this way are marked partial.
 */
export type WorkspaceListing = Map<string, { size: number; mtimeMs: number; ino: number }>;

/** Folders never descended into: they are either ours or not the user's artifacts. */
const SKIP_DIRS = new Set(['.retrace', '.git', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.mypy_cache', '.pytest_cache']);

/**
 * Every non-folder entry below `root` that the capture looks at (our own and tool folders, and
 * ignored paths, left out), in directory order; `visit` returns true to stop early.
 */
function walkWorkspace(root: string, rules: IgnoreRules, visit: (abs: string, e: fs.Dirent) => boolean | void): void {
  let stopped = false;
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (stopped) return;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !rules.ignores(abs + '/')) walk(abs);
      } else if (visit(abs, e) === true) stopped = true;
    }
  };
  walk(path.resolve(root));
}

export function listWorkspace(root: string, rules: IgnoreRules, limit = 200_000): WorkspaceListing {
  const out: WorkspaceListing = new Map();
  walkWorkspace(root, rules, (abs, e) => {
    if (e.isFile() && !rules.ignores(abs)) {
      try {
        const st = fs.statSync(abs);
        out.set(abs, { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino });
      } catch {
        // vanished while listing
      }
    }
    return out.size >= limit;
  });
  return out;
}

export function diffListings(before: WorkspaceListing, after: WorkspaceListing, atMs: number): ClassifiedOp[] {
  const ops: ClassifiedOp[] = [];
  for (const [p, a] of after) {
    const b = before.get(p);
    if (!b) ops.push({ path: p, op: 'CREATE', atMs });
    else if (b.size !== a.size || b.mtimeMs !== a.mtimeMs || b.ino !== a.ino) ops.push({ path: p, op: 'MODIFY', atMs });
  }
  for (const p of before.keys()) if (!after.has(p)) ops.push({ path: p, op: 'DELETE', atMs });
  return ops.sort((x, y) => x.path.localeCompare(y.path));
}

/**
 * The names of the workspace's files (and symlinks) before a run, without stat: what strace
 * cannot tell — whether a rename replaced an existing file — is answered from it.
 */
export function listNames(root: string, rules: IgnoreRules, limit = 500_000): Set<string> {
  const out = new Set<string>();
  walkWorkspace(root, rules, (abs) => {
    out.add(abs);
    return out.size >= limit;
  });
  return out;
}

/**
 * Files of the workspace born or modified after `markerMs` that `known` does not mention: what a
 * run did where no tracer looks (io_uring). Deletions and reads stay unknown, so such a run is
 * still partial.
 */
export function changedSince(root: string, markerMs: number, rules: IgnoreRules, known: readonly ClassifiedOp[]): ClassifiedOp[] {
  const seen = new Set(known.map((o) => o.path));
  const out: ClassifiedOp[] = [];
  walkWorkspace(root, rules, (abs, e) => {
    if (!e.isFile() || seen.has(abs) || rules.ignores(abs)) return;
    try {
      const st = fs.statSync(abs);
      if (st.birthtimeMs >= markerMs) out.push({ path: abs, op: 'CREATE', atMs: st.birthtimeMs });
      else if (st.mtimeMs >= markerMs) out.push({ path: abs, op: 'MODIFY', atMs: st.mtimeMs });
    } catch {
      // vanished while listing
    }
  });
  return out;
}
