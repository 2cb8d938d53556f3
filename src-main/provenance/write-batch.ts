/**
 * One ingest batch as plain data, and the transaction that writes it. The store builds a
 * batch from what it folded; a `BatchSink` writes it in this thread or hands it to a writer
 * thread (batch-sink.ts). Either way the rows, the read offsets and the conflict check go into
 * one transaction (exactly-once), in the same order, so the DB comes out identical.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import type { WritableDb } from '../db/open-db';
import { type ColumnData, writeColumns } from '../db/row-writer';
import { ACCESSES, ARTIFACTS, CODE_VERSIONS, COLUMN_FACETS, COLUMN_TEXTS, EVENTS, RUN_ENDINGS, RUNS, SEARCH_DOCS, VERSIONS } from './hot-tables';

export interface SourceRow {
  readonly id: number;
  readonly path: string;
  readonly format: 'lines' | 'document';
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly offset: number;
  readonly nextLine: number;
  readonly lastEventAt: number | null;
  readonly headLength: number | null;
  readonly headHash: string | null;
  /** The offset this writer last saw committed (null: no row yet); anything else means another process ingested meanwhile. */
  readonly expectedOffset: number | null;
}

/** Parameter lists of the statements a batch runs besides the hot tables' inserts, in the order they run. */
export interface WriteBatch {
  readonly codes: ColumnData;
  readonly envs: readonly unknown[][];
  readonly packages: readonly unknown[][];
  readonly jobInserts: readonly unknown[][];
  readonly jobUpdates: readonly unknown[][];
  readonly runs: ColumnData;
  readonly runUpdates: readonly unknown[][];
  readonly artifacts: ColumnData;
  readonly artifactUpdates: readonly unknown[][];
  readonly versions: ColumnData;
  readonly versionStats: readonly unknown[][];
  readonly events: ColumnData;
  readonly accesses: ColumnData;
  readonly endings: ColumnData;
  /** Schema / column-lineage bodies new in this batch, and the facets that name them (column-facets.ts). */
  readonly columnTexts: ColumnData;
  readonly columnFacets: ColumnData;
  readonly rejected: readonly unknown[][];
  readonly warnings: readonly (readonly [string, number])[];
  readonly searchDeletes: readonly number[];
  readonly search: ColumnData;
  readonly sources: readonly SourceRow[];
}

/** The typed arrays a batch can hand over to another thread without copying. */
export function transferables(b: WriteBatch): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const d of [b.codes, b.runs, b.artifacts, b.versions, b.events, b.accesses, b.endings, b.columnTexts, b.columnFacets, b.search]) {
    for (const c of d.cols) if (c instanceof Float64Array) out.push(c.buffer as ArrayBuffer);
  }
  return out;
}

type Stmt = BetterSqlite3.Statement<unknown[], unknown>;

/** Writes batches into one DB connection (statements prepared once). */
export class BatchWriter {
  private readonly s: Record<string, Stmt>;

  constructor(private readonly db: WritableDb) {
    const p = (sql: string): Stmt => db.prepare(sql);
    this.s = {
      sourceGet: p('SELECT id, offset FROM prov_sources WHERE path = ?'),
      env: p('INSERT INTO environments (id, hash, os, arch, interpreter, interpreter_version, engine, engine_version, variables) VALUES (?,?,?,?,?,?,?,?,?)'),
      pkg: p('INSERT INTO environment_packages (environment_id, name, version) VALUES (?,?,?) ON CONFLICT DO NOTHING'),
      jobInsert: p('INSERT INTO jobs (id, namespace, name, facets) VALUES (?,?,?,?)'),
      jobUpdate: p('UPDATE jobs SET facets = ? WHERE id = ?'),
      runUpdate: p(`UPDATE runs SET job_id=?, state=?, started_at=?, ended_at=?, last_event_at=?, user=?, host=?, parent_run_uuid=?,
        command=?, cwd=?, exit_code=?, error_message=?, code_version_id=?, environment_id=?, facets=?, last_seq=?, end_seq=? WHERE id=?`),
      artUpdate: p('UPDATE artifacts SET kind=?, tags=?, rollup_id=?, current_version_id=?, facets=? WHERE id=?'),
      versionStats: p('UPDATE artifact_versions SET size = coalesce(?, size), row_count = coalesce(?, row_count) WHERE id = ?'),
      rejected: p('INSERT INTO prov_rejected (source_id, file, line, reason, excerpt) VALUES (?,?,?,?,?)'),
      warn: p('INSERT INTO prov_warnings (kind, count) VALUES (?, ?) ON CONFLICT(kind) DO UPDATE SET count = count + excluded.count'),
      ftsDelete: p('DELETE FROM prov_search WHERE rowid = ?'),
      source: p(`INSERT OR REPLACE INTO prov_sources (id, path, format, dev, ino, size, offset, next_line, last_event_at, head_length, head_hash)
        VALUES (?,?,?,?,?,?,?,?,?,?,?)`),
    };
  }

  /** One transaction; throws CONFLICT (and writes nothing) when another process moved an offset. */
  write(b: WriteBatch): void {
    const s = this.s;
    const db = this.db;
    db.transaction(() => {
      // Exactly-once holds for one writer. If another process (a second `retrace tail`, an
      // `ingest --rebuild`) moved an offset since we read it, our caches are stale: give up
      // this batch; the caller reopens the store from what is committed.
      for (const src of b.sources) {
        const row = s.sourceGet!.get(src.path) as { id: number; offset: number } | undefined;
        const now = row ? row.offset : null;
        if (now !== src.expectedOffset || (row && row.id !== src.id)) {
          throw new AppError('CONFLICT', `Another process is ingesting ${src.path} at the same time; this pass stopped and will resume from the committed offset.`);
        }
      }
      writeColumns(db, CODE_VERSIONS, b.codes);
      for (const r of b.envs) s.env!.run(r);
      for (const r of b.packages) s.pkg!.run(r);
      for (const r of b.jobInserts) s.jobInsert!.run(r);
      for (const r of b.jobUpdates) s.jobUpdate!.run(r);
      writeColumns(db, RUNS, b.runs);
      for (const r of b.runUpdates) s.runUpdate!.run(r);
      writeColumns(db, ARTIFACTS, b.artifacts);
      for (const r of b.artifactUpdates) s.artUpdate!.run(r);
      writeColumns(db, VERSIONS, b.versions);
      for (const r of b.versionStats) s.versionStats!.run(r);
      writeColumns(db, EVENTS, b.events);
      writeColumns(db, ACCESSES, b.accesses);
      writeColumns(db, RUN_ENDINGS, b.endings);
      writeColumns(db, COLUMN_TEXTS, b.columnTexts);
      writeColumns(db, COLUMN_FACETS, b.columnFacets);
      for (const r of b.rejected) s.rejected!.run(r);
      for (const [k, n] of b.warnings) s.warn!.run(k, n);
      // Each document is replaced (deleted, then inserted) once per batch; documents are independent.
      for (const d of b.searchDeletes) s.ftsDelete!.run(d);
      writeColumns(db, SEARCH_DOCS, b.search);
      for (const src of b.sources) {
        s.source!.run(src.id, src.path, src.format, src.dev, src.ino, src.size, src.offset, src.nextLine, src.lastEventAt, src.headLength, src.headHash);
      }
    })();
  }
}
