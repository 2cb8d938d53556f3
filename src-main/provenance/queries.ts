/**
 * Read-side queries the API needs from provenance (counts for the status bar, the rejected list).
 */
import type { ReadableDb } from '../db/open-db';

export interface ProvenanceCounts {
  readonly runs: number;
  readonly artifacts: number;
  readonly rejectedLines: number;
}

export function provenanceCounts(db: ReadableDb): ProvenanceCounts {
  const one = (sql: string) => (db.prepare(sql).pluck().get() as number) ?? 0;
  return {
    runs: one('SELECT count(*) FROM runs'),
    artifacts: one('SELECT count(*) FROM artifacts'),
    rejectedLines: one('SELECT count(*) FROM prov_rejected'),
  };
}

export interface RejectedLineDto {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
  /** The first characters of the line (control characters replaced), to recognise it. */
  readonly excerpt: string;
}

export interface RejectedPage {
  readonly total: number;
  readonly items: readonly RejectedLineDto[];
}

/** Rejected lines in the order they were read. */
export function listRejected(db: ReadableDb, page: { limit: number; offset: number }): RejectedPage {
  const limit = Math.max(0, Math.min(10_000, Math.floor(page.limit)));
  const offset = Math.max(0, Math.floor(page.offset));
  const items = db
    .prepare('SELECT file, line, reason, excerpt FROM prov_rejected ORDER BY id LIMIT ? OFFSET ?')
    .all(limit, offset) as RejectedLineDto[];
  const total = db.prepare('SELECT count(*) FROM prov_rejected').pluck().get() as number;
  return { total, items };
}
