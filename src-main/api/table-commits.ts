import fs from 'node:fs';
import path from 'node:path';
import type { ReadableDb } from '../db/open-db';
import type { TableCommitSnapshot } from '../lineage/index-engine/snapshots';

/** A table's commits, oldest first (the commit store's `tableHistory`). */
export type TableHistoryReader = (dir: string) => readonly {
  version: number; timestamp: string; operation: string; rowsInserted: number; rowsUpdated: number; rowsDeleted: number;
}[];

const TABLES_SQL = "SELECT id, path FROM artifacts WHERE path IS NOT NULL AND rollup_id IS NULL AND kind <> 'file'";

function tableDirs(db: ReadableDb, workspaceRoot: string): { id: number; dir: string }[] {
  return (db.prepare(TABLES_SQL).all() as { id: number; path: string }[])
    .map((t) => ({ id: t.id, dir: path.isAbsolute(t.path) ? t.path : path.join(workspaceRoot, t.path) }));
}

/**
 * Whether the workspace's provenance names a Delta table that exists here. A one-shot command
 * loads the commit store (Parquet and Arrow included) only then: a workspace without tables
 * has no table commits to merge, and none can appear while the command runs.
 */
export function hasDeltaTables(db: ReadableDb, workspaceRoot: string): boolean {
  return tableDirs(db, workspaceRoot).some((t) => fs.existsSync(path.join(t.dir, '_delta_log')));
}

/**
 * Table commits as snapshots (DESIGN §4): every commit of every Delta table the workspace's
 * provenance knows becomes one. A commit a captured run made is placed at the event that
 * recorded that table version; a commit by an outside writer (Spark, delta-rs) at the last
 * event before its commit time. Histories are cached per table until its log grows.
 */
export function tableCommitSource(db: ReadableDb, workspaceRoot: string, tableHistory: TableHistoryReader): () => TableCommitSnapshot[] {
  const cache = new Map<string, { newest: string; commits: TableCommitSnapshot[] }>();
  const versionSeq = db.prepare('SELECT seq FROM artifact_versions WHERE artifact_id = ? AND version = ? ORDER BY seq LIMIT 1').pluck();
  const seqBefore = db.prepare('SELECT coalesce(max(seq), 0) FROM events WHERE event_time <= ?').pluck();
  return () => {
    const out: TableCommitSnapshot[] = [];
    for (const t of tableDirs(db, workspaceRoot)) {
      const dir = t.dir;
      const log = path.join(dir, '_delta_log');
      // Most artifacts are not tables: a failed readdir throws (with a stack) for each, an
      // existence check does not — 25,000 of them cost ~300 ms the other way.
      if (!fs.existsSync(log)) continue;
      let newest: string;
      try {
        newest = fs.readdirSync(log).filter((n) => n.endsWith('.json')).sort().at(-1) ?? '';
      } catch {
        continue; // not a Delta table (or not on this machine)
      }
      const hit = cache.get(dir);
      if (hit && hit.newest === newest) {
        out.push(...hit.commits);
        continue;
      }
      let commits: TableCommitSnapshot[];
      try {
        commits = tableHistory(dir).map((c) => {
          const at = Date.parse(c.timestamp);
          const seq = (versionSeq.get(t.id, String(c.version)) as number | undefined) ?? (seqBefore.get(at) as number);
          const table = { artifactId: t.id, version: c.version, operation: c.operation, rowsInserted: c.rowsInserted, rowsUpdated: c.rowsUpdated, rowsDeleted: c.rowsDeleted };
          return { at, eventSeq: seq, label: `${path.basename(dir)} v${c.version} (${c.operation})`, table };
        });
      } catch {
        continue; // a damaged or unsupported table must not break the snapshot list
      }
      cache.set(dir, { newest, commits });
      out.push(...commits);
    }
    return out;
  };
}
