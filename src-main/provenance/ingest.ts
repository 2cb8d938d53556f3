/**
 * `ingestOnce`: one tail pass over the workspace's provenance logs (DESIGN §8 `retrace ingest`).
 */
import fs from 'node:fs';
import type { IngestProgressDto } from '../../shared/dto';
import { AppError } from '../../shared/errors';
import type { ReadableDb, WritableDb } from '../db/open-db';
import type { WorkspacePaths } from '../workspace/workspace-paths';
import { readProvenanceConfig } from './config';
import { provenanceCounts } from './queries';
import { PROVENANCE_TABLES } from '../db/metadata-schema';
import { IngestSession } from './session';
import { type SourceSpec, discoverSources } from './sources';

export interface IngestReport {
  /** Events accepted in this pass (duplicates and rejected lines excluded). */
  readonly events: number;
  /** Runs and artifacts in the DB after the pass. */
  readonly runs: number;
  readonly artifacts: number;
  /** Lines rejected in this pass, in reading order. */
  readonly rejected: readonly { file: string; line: number; reason: string }[];
  readonly duplicates: number;
  readonly newRuns: number;
  readonly newArtifacts: number;
  readonly newVersions: number;
  /** Reads and writes recorded (dataset inputs/outputs, footprint ops, file ops). */
  readonly accesses: number;
  readonly files: number;
  /** Accepted deviations from the spec in this pass, by kind. */
  readonly warnings: Readonly<Record<string, number>>;
  /** Bytes left unread because a last line has no newline yet (or a file is half-written). */
  readonly waiting: readonly { file: string; bytes: number }[];
  readonly rebuilt: boolean;
  readonly elapsedMs: number;
}

export interface IngestOnceOptions {
  readonly paths: WorkspacePaths;
  readonly db: WritableDb;
  /** Extra files, folders or globs, resolved against the workspace root. */
  readonly extraPaths?: readonly string[];
  /** Empty the provenance tables first and replay every source (the DB is a derived index). */
  readonly rebuild?: boolean;
  readonly onProgress?: (p: IngestProgressDto) => void;
  /** Events per transaction; large batches amortise index maintenance (notes/performance.md §1.2). */
  readonly batchEvents?: number;
  /**
   * Write batches on a writer thread while the next is read (`thread`), or in this thread
   * (`inline`). Default: a thread when more than 16 MiB wait to be read, else inline (a thread
   * costs its start-up, and a small pass is over before it pays off).
   */
  readonly writer?: 'inline' | 'thread';
}

const THREAD_BACKLOG_BYTES = 16 * 1024 * 1024;

export function ingestOnce(opts: IngestOnceOptions): IngestReport {
  const t0 = Date.now();
  const known = knownSourcePaths(opts.db);
  if (opts.rebuild) clearProvenance(opts.db);
  const specs = sourcesOf(opts.paths, opts.extraPaths ?? [], opts.rebuild ? known : []);
  const warningsBefore = warningCounts(opts.db);
  const totals = emptyPass();
  // A conflict means another process ingested meanwhile: reopen from the committed state.
  const writer = opts.writer ?? (backlogBytes(opts.db, specs) > THREAD_BACKLOG_BYTES ? 'thread' : 'inline');
  for (let attempt = 0; attempt < 5; attempt++) {
    const session = new IngestSession(opts.db, opts.paths, { writer });
    let t;
    try {
      t = session.pass(specs, {
        // A writer thread holds one batch while the next is built: smaller batches keep memory
        // lower (about 0.6 GiB instead of 1.1 GiB at the peak for 200k events).
        batchEvents: opts.batchEvents ?? (writer === 'thread' ? 10_000 : 50_000),
        settleMs: 1000,
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      });
    } finally {
      session.close();
    }
    for (const k of ['events', 'newRuns', 'newArtifacts', 'newVersions', 'accesses', 'duplicates'] as const) totals[k] += t[k];
    totals.rejectedLines.push(...t.rejectedLines);
    totals.waiting = t.waiting;
    totals.files = t.files;
    if (!t.conflict) break;
    if (attempt === 4) throw new AppError('CONFLICT', 'Another process keeps ingesting the same logs; stop it (or wait for it) and run `retrace ingest` again.');
  }
  const warningsAfter = warningCounts(opts.db);
  const warnings: Record<string, number> = {};
  for (const [k, n] of Object.entries(warningsAfter)) if (n - (warningsBefore[k] ?? 0) > 0) warnings[k] = n - (warningsBefore[k] ?? 0);
  const counts = provenanceCounts(opts.db);
  return {
    events: totals.events,
    runs: counts.runs,
    artifacts: counts.artifacts,
    rejected: totals.rejectedLines,
    duplicates: totals.duplicates,
    newRuns: totals.newRuns,
    newArtifacts: totals.newArtifacts,
    newVersions: totals.newVersions,
    accesses: totals.accesses,
    files: totals.files,
    warnings,
    waiting: totals.waiting,
    rebuilt: opts.rebuild === true,
    elapsedMs: Date.now() - t0,
  };
}

/** The sources of a pass: `.retrace/logs/`, config `logSources`, extra paths, and (rebuild) every file read before. */
export function sourcesOf(paths: WorkspacePaths, extra: readonly string[], previously: readonly string[]): SourceSpec[] {
  const config = readProvenanceConfig(paths);
  const found = discoverSources([paths.logsDir, ...config.logSources, ...extra, ...previously], paths.root);
  const seen = new Set<string>();
  return found.filter((s) => !seen.has(s.path) && seen.add(s.path));
}

function emptyPass() {
  return { events: 0, newRuns: 0, newArtifacts: 0, newVersions: 0, accesses: 0, duplicates: 0, files: 0,
    rejectedLines: [] as { file: string; line: number; reason: string }[], waiting: [] as { file: string; bytes: number }[] };
}

/** Bytes of the sources not read yet (a file whose identity changed counts whole, as it is read again). */
function backlogBytes(db: ReadableDb, specs: readonly SourceSpec[]): number {
  const offsets = new Map((db.prepare('SELECT path, offset FROM prov_sources').raw().all() as [string, number][]));
  let total = 0;
  for (const s of specs) {
    try {
      const size = fs.statSync(s.path).size;
      const read = offsets.get(s.path) ?? 0;
      total += size >= read ? size - read : size;
    } catch {
      // gone since discovery
    }
  }
  return total;
}

function knownSourcePaths(db: ReadableDb): string[] {
  return (db.prepare('SELECT path FROM prov_sources ORDER BY path').pluck().all() as string[]);
}

/** Rowids restart at 1 after the delete, so a rebuild reproduces the same rows exactly. */
export function clearProvenance(db: WritableDb): void {
  db.transaction(() => {
    for (const t of PROVENANCE_TABLES) db.exec(`DELETE FROM ${t}`);
  })();
}

function warningCounts(db: ReadableDb): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of db.prepare('SELECT kind, count FROM prov_warnings').all() as { kind: string; count: number }[]) out[r.kind] = r.count;
  return out;
}
