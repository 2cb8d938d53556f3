import fs from 'node:fs';
import path from 'node:path';
import type { ClassifiedOp } from './footprint';

/**
 * Delta tables touched by a run are one artifact with a version, not hundreds of loose Parquet
 * and `_delta_log` files. Ops under a folder holding `_delta_log/` collapse into ops on the table
 * folder: READ at the newest commit the run opened, and CREATE (commit 0 written) or MODIFY at
 * the table's version after the run.
 */
export interface TableOp {
  tableDir: string;
  op: 'READ' | 'CREATE' | 'MODIFY';
  atMs: number;
  version: number;
}

const COMMIT_FILE = /^(\d{20})\.(json|checkpoint\.parquet|checkpoint\.\d+\.\d+\.parquet)$/;

export function latestTableVersion(tableDir: string): number | null {
  let best: number | null = null;
  try {
    for (const name of fs.readdirSync(path.join(tableDir, '_delta_log'))) {
      const m = /^(\d{20})\.json$/.exec(name);
      if (m) best = Math.max(best ?? 0, Number(m[1]));
    }
  } catch {
    return null;
  }
  return best;
}

export function splitTableOps(ops: readonly ClassifiedOp[]): { fileOps: ClassifiedOp[]; tableOps: TableOp[] } {
  const rootCache = new Map<string, string | null>();
  const tableRootOfDir = (dir: string): string | null => {
    if (rootCache.has(dir)) return rootCache.get(dir)!;
    let found: string | null = null;
    if (fs.existsSync(path.join(dir, '_delta_log'))) found = dir;
    else {
      const parent = path.dirname(dir);
      // Partitioned tables keep data a few folders down; stop at the file system root.
      if (parent !== dir) found = tableRootOfDir(parent);
    }
    rootCache.set(dir, found);
    return found;
  };
  const tableOf = (p: string): string | null => {
    const i = p.indexOf('/_delta_log/');
    if (i >= 0) return p.slice(0, i);
    return tableRootOfDir(path.dirname(p));
  };

  const fileOps: ClassifiedOp[] = [];
  const groups = new Map<string, ClassifiedOp[]>();
  for (const o of ops) {
    const t = tableOf(o.path);
    if (t === null) fileOps.push(o);
    else groups.set(t, [...(groups.get(t) ?? []), o]);
  }
  const tableOps: TableOp[] = [];
  for (const [tableDir, list] of groups) {
    const latest = latestTableVersion(tableDir);
    const writes = list.filter((o) => o.op !== 'READ');
    const reads = list.filter((o) => o.op === 'READ');
    if (reads.length > 0) {
      const readVersions = reads.map((o) => COMMIT_FILE.exec(path.basename(o.path))).filter((m): m is RegExpExecArray => m !== null).map((m) => Number(m[1]));
      const version = readVersions.length > 0 ? Math.max(...readVersions) : (latest ?? 0);
      tableOps.push({ tableDir, op: 'READ', atMs: Math.min(...reads.map((o) => o.atMs)), version });
    }
    if (writes.length > 0) {
      const createdFirstCommit = writes.some((o) => (o.op === 'CREATE' || o.op === 'RENAME') && path.basename(o.path) === '00000000000000000000.json');
      tableOps.push({ tableDir, op: createdFirstCommit ? 'CREATE' : 'MODIFY', atMs: Math.min(...writes.map((o) => o.atMs)), version: latest ?? 0 });
    }
  }
  return { fileOps, tableOps };
}
