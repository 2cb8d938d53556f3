/**
 * Whether the logs hold lines the metadata DB has not read yet: a log file it does not know,
 * or one whose size or identity changed since the last pass. No file is read and nothing is
 * written, so a query can afford to ask before answering.
 */
import fs from 'node:fs';
import type { ReadableDb } from '../db/open-db';
import type { WorkspacePaths } from '../workspace/workspace-paths';
import { sourcesOf } from './ingest';

export interface PendingLogs {
  /** Log files with bytes not yet read (new, grown, rewritten or rotated). */
  readonly files: readonly string[];
  /** How many of their bytes are new (a rewritten file counts whole). */
  readonly bytes: number;
}

/** `db` null: there is no DB yet, so every log file is pending. */
export function pendingLogs(db: ReadableDb | null, paths: WorkspacePaths): PendingLogs {
  const known = new Map<string, { dev: number; ino: number; size: number; offset: number }>();
  if (db) {
    for (const r of db.prepare('SELECT path, dev, ino, size, offset FROM prov_sources').all() as { path: string; dev: number; ino: number; size: number; offset: number }[]) {
      known.set(r.path, r);
    }
  }
  const files: string[] = [];
  let bytes = 0;
  for (const spec of sourcesOf(paths, [], [...known.keys()])) {
    let st: fs.Stats;
    try {
      st = fs.statSync(spec.path);
    } catch {
      continue;
    }
    const k = known.get(spec.path);
    // The recorded size, not the read offset: a last line still waiting for its newline leaves
    // the offset behind the size until it is complete, and is not new input by itself.
    if (k && k.dev === st.dev && k.ino === st.ino && k.size === st.size) continue;
    if (st.size === 0 && !k) continue;
    files.push(spec.path);
    bytes += k && k.dev === st.dev && k.ino === st.ino && st.size > k.offset ? st.size - k.offset : st.size;
  }
  return { files, bytes };
}
