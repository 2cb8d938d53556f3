/**
 * Rows of one hot table queued flat, `width` values a row, in one array for the whole batch
 * (no array per row: a batch queues hundreds of thousands of rows), and written as multi-row
 * INSERTs (one statement step per `BULK_ROWS` rows instead of per row).
 */
export class RowBuffer {
  values: unknown[] = [];
  constructor(readonly width: number) {}
  get count(): number {
    return this.values.length / this.width;
  }
}

/** Rows per multi-row INSERT (× ≤ 10 columns, well below SQLite's 32,766 parameters). */
export const BULK_ROWS = 64;
/** Tables queued as flat rows (see `RowBuffer`): their column lists. */
export const HOT_TABLES = {
  event: 'events (seq, source_id, line, byte_offset, hash, kind, event_type, event_time, run_id)',
  access: 'accesses (id, run_id, artifact_id, version_id, op, raw_op, origin, at, seq, renamed_from_id)',
  version: 'artifact_versions (id, artifact_id, version, version_kind, size, row_count, producing_run_id, created_at, seq)',
  run: `runs (id, run_uuid, origin, job_id, state, started_at, ended_at, last_event_at, user, host, parent_run_uuid,
    command, cwd, exit_code, error_message, code_version_id, environment_id, facets, first_seq, last_seq, end_seq)`,
  artifact: 'artifacts (id, namespace, name, path, kind, tags, rollup_id, current_version_id, facets, first_seq)',
  code: 'code_versions (id, hash, git_sha, repo_url, url, path, branch, dirty_diff_hash, files)',
  ending: 'run_endings (seq, run_id, state, at, event_seq)',
  search: 'prov_search (rowid, name, path, job, command, user, tags, facets)',
} as const;
export type HotTable = keyof typeof HOT_TABLES;
export const HOT_WIDTH: Record<HotTable, number> = { event: 9, access: 10, version: 9, run: 21, artifact: 10, code: 9, ending: 5, search: 8 };
/**
 * Multi-row INSERTs only where keys are appended in order. A multi-row statement needs a
 * statement journal: with a random-key index (versions, runs, artifacts, code) every row
 * journals another page, which spilled to a temp file and cost more than it saved; and for
 * FTS5 every statement savepoint flushes its pending terms into a new segment.
 */
export const MULTI_ROW = new Set<HotTable>(['event', 'access', 'ending']);
export const valuesList = (table: HotTable, rows: number): string =>
  `INSERT INTO ${HOT_TABLES[table]} VALUES ${Array.from({ length: rows }, () => `(${Array(HOT_WIDTH[table]).fill('?').join(',')})`).join(',')}`;
/** Offsets of `size` and `row_count` in a queued `artifact_versions` row. */
export const VERSION_SIZE = 4;
export const VERSION_ROW_COUNT = 5;
