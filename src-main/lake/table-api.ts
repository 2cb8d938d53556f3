import { AppError } from '../../shared/errors';
import type { TableCommitDto } from '../../shared/table-dto';
import { type ChangeRow, readChanges } from './changes';
import { listLog, loadSnapshot, readCommit } from './delta-log';
import type { Action } from './delta-actions';
import { type EqualsFilter, outputFields, parseStats, scanSnapshot } from './delta-scan';
import type { DeltaField, Row } from './delta-types';
import { type WriteMode, type WriteResult, writeTable } from './delta-writer';
import { readInputFile } from './input';
import { resolveVersion } from './lookup';
import { versionTimestamp } from './time-travel';
import { hudiHistory, instantToIso, readHudiSnapshot, timeToInstant } from './hudi';
import { hudiTimeline } from './hudi-timeline';
import { tableFormat, tableInfo } from './table-info';

/**
 * The table views the app and the CLI share (DESIGN §5): history, a page of rows, the diff of two
 * versions, writing a file, for Delta and Hudi tables alike. Every function takes plain arguments
 * and returns JSON-safe values (timestamps as ISO strings, 64-bit integers as numbers when exact,
 * else strings). They run in the calling thread; `lake-client.ts` runs them in a worker.
 */

/** One row of `tableHistory`: a commit with its row counts (from Spark-named operationMetrics); the API's TableCommitDto. */
export type CommitSummary = TableCommitDto;

function countsOf(actions: readonly Action[]): Pick<CommitSummary, 'rowsInserted' | 'rowsUpdated' | 'rowsDeleted'> {
  const info = actions.find((a) => a.commitInfo)?.commitInfo;
  const m = info?.operationMetrics ?? {};
  const n = (k: string): number | undefined => (m[k] === undefined ? undefined : Number(m[k]));
  const op = String(info?.operation ?? '');
  if (op === 'MERGE') return { rowsInserted: n('numTargetRowsInserted') ?? 0, rowsUpdated: n('numTargetRowsUpdated') ?? 0, rowsDeleted: n('numTargetRowsDeleted') ?? 0 };
  if (op === 'UPDATE') return { rowsInserted: 0, rowsUpdated: n('numUpdatedRows') ?? 0, rowsDeleted: 0 };
  if (op === 'DELETE') return { rowsInserted: 0, rowsUpdated: 0, rowsDeleted: n('numDeletedRows') ?? 0 };
  if (n('numOutputRows') !== undefined) return { rowsInserted: n('numOutputRows')!, rowsUpdated: 0, rowsDeleted: n('numDeletedRows') ?? 0 };
  // No metrics (e.g. some delta-rs commits): count rows of the data files added and removed.
  let ins = 0, del = 0;
  for (const a of actions) {
    if (a.add?.dataChange) ins += parseStats(a.add)?.numRecords ?? 0;
    if (a.remove?.dataChange) del += parseStats(a.remove as unknown as Parameters<typeof parseStats>[0])?.numRecords ?? 0;
  }
  return { rowsInserted: ins, rowsUpdated: 0, rowsDeleted: del };
}

/** Commits still in the log, oldest first, with row counts per commit. */
export function tableHistory(dir: string): CommitSummary[] {
  const listing = listLog(dir);
  return [...listing.commits.keys()].sort((a, b) => a - b).map((version) => {
    let actions: Action[];
    try {
      actions = readCommit(dir, version);
    } catch {
      // A damaged commit is listed as such; reading around it is the reader's business.
      return { version, timestamp: new Date(versionTimestamp(dir, version, listing)).toISOString(), operation: 'UNREADABLE', rowsInserted: 0, rowsUpdated: 0, rowsDeleted: 0 };
    }
    return {
      version,
      timestamp: new Date(versionTimestamp(dir, version, listing)).toISOString(),
      operation: String(actions.find((a) => a.commitInfo)?.commitInfo?.operation ?? 'UNKNOWN'),
      ...countsOf(actions),
    };
  });
}

export interface PageRequest {
  readonly version?: number;
  /** ISO-8601 or epoch ms. */
  readonly asOf?: string | number;
  readonly offset?: number;
  readonly limit?: number;
  readonly columns?: readonly string[];
  readonly where?: readonly EqualsFilter[];
}

export interface TablePage {
  readonly version: number;
  readonly format: 'delta' | 'hudi';
  /** Hudi: the instant read. */
  readonly instant?: string;
  readonly warnings: readonly string[];
  readonly columns: { name: string; type: unknown }[];
  readonly partitionColumns: readonly string[];
  readonly rows: Row[];
  readonly offset: number;
  /** True when rows beyond this page exist. */
  readonly hasMore: boolean;
}

export function parseAsOf(asOf: string | number): number {
  const t = typeof asOf === 'number' ? asOf : /^\d+$/.test(asOf) ? Number(asOf) : Date.parse(asOf);
  if (Number.isNaN(t)) throw new AppError('INVALID_ARGUMENT', `"${String(asOf)}" is neither an ISO-8601 time nor epoch milliseconds.`);
  return t;
}

/** A page of rows of the table at a version (or time); stops reading once the page is full. */
export async function readTablePage(dir: string, req: PageRequest = {}): Promise<TablePage> {
  if (tableFormat(dir) === 'hudi') return readHudiPage(dir, req);
  const offset = req.offset ?? 0, limit = req.limit ?? 100;
  const version = resolveVersion(dir, { ...(req.version !== undefined ? { version: req.version } : {}), ...(req.asOf !== undefined ? { asOf: parseAsOf(req.asOf) } : {}) });
  const snap = await loadSnapshot(dir, version);
  const fields = outputFields(snap, req.columns);
  const rows: Row[] = [];
  let seen = 0, hasMore = false;
  for await (const batch of scanSnapshot(snap, { ...(req.columns ? { columns: req.columns } : {}), ...(req.where ? { where: req.where } : {}) })) {
    for (const r of batch) {
      if (seen++ < offset) continue;
      if (rows.length === limit) { hasMore = true; break; }
      rows.push(r);
    }
    if (hasMore) break;
  }
  return { version, format: 'delta', warnings: snap.warnings, columns: fields.map((f) => ({ name: f.name, type: f.type })), partitionColumns: snap.metadata.partitionColumns, rows, offset, hasMore };
}

/** Hudi: "version" N is the N-th completed instant of the timeline. */
async function readHudiPage(dir: string, req: PageRequest): Promise<TablePage> {
  const offset = req.offset ?? 0, limit = req.limit ?? 100;
  const timeline = hudiTimeline(dir).timeline;
  let index = timeline.length - 1;
  if (req.version !== undefined) {
    if (req.version >= timeline.length) throw new AppError('NOT_FOUND', `Hudi table ${dir} has ${timeline.length} completed instants; there is no version ${req.version}.`);
    index = req.version;
  } else if (req.asOf !== undefined) {
    const at = timeToInstant(parseAsOf(req.asOf));
    index = -1;
    timeline.forEach((i, k) => { if (i.instant <= at) index = k; });
  }
  const instant = timeline[index]?.instant;
  const all = index < 0 ? [] : (await readHudiSnapshot(dir, { ...(instant ? { asOf: instant } : {}) }))
    .filter((r) => (req.where ?? []).every((w) => String(r[w.column]) === String(w.value)));
  const picked = all.slice(offset, offset + limit).map((r) => (req.columns ? Object.fromEntries(req.columns.map((c) => [c, r[c] ?? null])) : r));
  const info = await tableInfo(dir);
  return {
    version: Math.max(index, 0), format: 'hudi', ...(instant ? { instant } : {}), warnings: [],
    columns: (req.columns ?? info.schema.map((n) => n.name)).map((name) => ({ name, type: info.schema.find((n) => n.name === name)?.type ?? 'string' })),
    partitionColumns: [...info.partitionColumns], rows: picked, offset, hasMore: all.length > offset + limit,
  };
}

/** Commits of a Delta table or completed instants of a Hudi table, oldest first. */
export async function tableHistoryOf(dir: string): Promise<CommitSummary[]> {
  if (tableFormat(dir) !== 'hudi') return tableHistory(dir);
  return (await hudiHistory(dir)).map((h, version) => ({
    version, instant: h.instant, timestamp: instantToIso(h.instant),
    operation: h.operationType ?? h.action, rowsInserted: h.rowsInserted, rowsUpdated: h.rowsUpdated, rowsDeleted: h.rowsDeleted,
  }));
}

export interface TableDiff {
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly counts: { inserted: number; updated: number; deleted: number };
  /** Change rows (row + _change_type, _commit_version, _commit_timestamp), at most `limit`. */
  readonly changes: ChangeRow[];
  readonly truncated: boolean;
}

/** What changed after `fromVersion` up to and including `toVersion`. */
export async function tableDiff(dir: string, fromVersion: number, toVersion: number, opts: { limit?: number; keyColumns?: readonly string[] } = {}): Promise<TableDiff> {
  if (toVersion <= fromVersion) return { fromVersion, toVersion, counts: { inserted: 0, updated: 0, deleted: 0 }, changes: [], truncated: false };
  const all = await readChanges(dir, fromVersion + 1, toVersion, opts.keyColumns ? { keyColumns: opts.keyColumns } : {});
  const limit = opts.limit ?? 1000;
  const count = (t: string): number => all.filter((c) => c._change_type === t).length;
  return {
    fromVersion, toVersion,
    counts: { inserted: count('insert'), updated: count('update_postimage'), deleted: count('delete') },
    changes: all.slice(0, limit), truncated: all.length > limit,
  };
}

/**
 * `retrace table write`: reads CSV / JSON lines / Parquet and commits it. Into an existing table
 * the input is read against the table's schema (CSV text is converted to the table's types, not
 * guessed), for a new table against `schema` when given, else an inferred one.
 */
export async function writeTableFromFile(dir: string, file: string, opts: { mode: WriteMode; keyColumns?: readonly string[]; timeOffsetMs?: number; schema?: readonly DeltaField[] }): Promise<WriteResult> {
  let tableSchema: readonly DeltaField[] | undefined;
  if (!opts.schema && opts.mode !== 'overwrite') {
    try { tableSchema = (await loadSnapshot(dir)).schema.fields; } catch { tableSchema = undefined; }
  }
  const schema = opts.schema ?? tableSchema;
  const input = await readInputFile(file, opts.mode === 'delete' ? undefined : schema);
  const offset = opts.timeOffsetMs ?? 0;
  return writeTable(dir, {
    mode: opts.mode,
    rows: input.rows,
    fields: input.fields,
    ...(opts.keyColumns ? { keyColumns: opts.keyColumns } : {}),
    ...(offset ? { now: () => Date.now() + offset } : {}),
  });
}
