import fs from 'node:fs';
import path from 'node:path';
import { deltaTypeOfArrow, vectorToValues } from './arrow-read';
import type { Row } from './delta-types';
import { type HudiBlock, readHudiLogFile } from './hudi-log';
import { type HudiInstant, type HudiTable, commitMetadata, hudiTimeline, padInstant } from './hudi-timeline';
import { readParquetSlice } from './parquet-io';

/**
 * Hudi reader, copy-on-write and merge-on-read (notes/table-formats.md §2, hudi-rs). A snapshot
 * as of an instant takes, per file group not replaced by a completed `replacecommit`, its latest
 * file slice: the newest base file written by a completed instant, plus (merge-on-read) the log
 * files written on top of it. Log blocks count only when their instant is completed and not
 * rolled back; their records are merged with the base file's by record key, keeping the record
 * with the larger ordering (precombine) value, ties going to the later commit; a delete removes
 * a key unless the record it meets is newer. Read-optimised reads take base files only.
 */

interface BaseFile { readonly fileId: string; readonly partition: string; readonly instant: string; readonly path: string }
interface LogFile { readonly fileId: string; readonly partition: string; readonly instant: string; readonly version: number; readonly token: string; readonly path: string }
export interface HudiFileSlice {
  readonly fileId: string;
  readonly partition: string;
  /** The base file; absent for a group that so far exists only in log files. */
  readonly base?: BaseFile;
  readonly logs: LogFile[];
}

const BASE_RE = /^(.+)_([^_]+)_(\d+)\.parquet$/;
const LOG_RE = /^\.(.+)_(\d+)\.log\.(\d+)_(.+)$/;

function listDataFiles(dir: string): { bases: BaseFile[]; logs: LogFile[] } {
  const bases: BaseFile[] = [], logs: LogFile[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) { if (!e.name.startsWith('.')) walk(r); continue; } // .hoodie holds the metadata table
      let m: RegExpExecArray | null;
      if ((m = LOG_RE.exec(e.name))) logs.push({ fileId: m[1]!, partition: rel, instant: m[2]!, version: Number(m[3]), token: m[4]!, path: path.join(dir, r) });
      else if (!e.name.startsWith('.') && (m = BASE_RE.exec(e.name))) bases.push({ fileId: m[1]!, partition: rel, instant: m[3]!, path: path.join(dir, r) });
    }
  };
  walk('');
  return { bases, logs };
}

/** What is visible as of an instant: completed data instants ≤ T and the groups they replaced. */
async function visibility(table: HudiTable, asOf?: string): Promise<{ completed: Set<string>; replaced: Set<string>; completion: Map<string, string> }> {
  const visible = table.timeline.filter((i) => asOf === undefined || i.instant <= asOf);
  const replaced = new Set<string>();
  for (const i of visible.filter((x) => x.action === 'replacecommit')) {
    const meta = await commitMetadata(table, i);
    const byPartition = (meta.partitionToReplaceFileIds ?? {}) as Record<string, string[]>;
    for (const [partition, ids] of Object.entries(byPartition)) for (const id of ids ?? []) replaced.add(`${partition}/${id}`);
  }
  return { completed: new Set(visible.map((i) => i.instant)), replaced, completion: new Map(visible.map((i) => [i.instant, i.completed ?? i.instant])) };
}

/** The latest file slice of every live file group as of `asOf` (default: latest). */
export async function hudiFileSlices(table: HudiTable, asOf?: string): Promise<HudiFileSlice[]> {
  const { completed, replaced, completion } = await visibility(table, asOf);
  const { bases, logs } = listDataFiles(table.dir);
  const groups = new Map<string, { base?: BaseFile; logs: LogFile[]; fileId: string; partition: string }>();
  for (const f of bases) {
    if (!completed.has(f.instant)) continue; // written by an inflight, failed, rolled-back or later instant
    const key = `${f.partition}/${f.fileId}`;
    const g = groups.get(key) ?? { fileId: f.fileId, partition: f.partition, logs: [] };
    if (!g.base || g.base.instant < f.instant) g.base = f;
    groups.set(key, g);
  }
  const v8 = table.tableVersion >= 8;
  for (const l of logs) {
    const key = `${l.partition}/${l.fileId}`;
    const g = groups.get(key) ?? { fileId: l.fileId, partition: l.partition, logs: [] };
    groups.set(key, g);
    // Version 6 names a log after its base file's instant; 8+ after the deltacommit that wrote
    // it, which belongs to the newest base written before that deltacommit completed.
    const at = v8 ? completion.get(l.instant) : l.instant;
    if (at === undefined) continue;
    if (!g.base ? true : v8 ? g.base.instant <= at : g.base.instant === l.instant) g.logs.push(l);
  }
  const out: HudiFileSlice[] = [];
  for (const [key, g] of groups) {
    if (replaced.has(key) || (!g.base && g.logs.length === 0)) continue;
    g.logs.sort((a, b) => (a.instant !== b.instant ? (a.instant < b.instant ? -1 : 1) : a.version - b.version || a.token.localeCompare(b.token)));
    out.push({ fileId: g.fileId, partition: g.partition, logs: g.logs, ...(g.base ? { base: g.base } : {}) });
  }
  return out.sort((a, b) => `${a.partition}/${a.fileId}`.localeCompare(`${b.partition}/${b.fileId}`));
}

async function readBaseFile(file: string): Promise<Row[]> {
  const { table } = await readParquetSlice(file);
  const fields = table.schema.fields;
  const cols = fields.map((f) => vectorToValues(table.getChild(f.name)!, deltaTypeOfArrow(f.type, `Column "${f.name}" of ${file}`)));
  return Array.from({ length: table.numRows }, (_, i) => Object.fromEntries(fields.map((f, k) => [f.name, cols[k]![i]])));
}

const cmp = (a: unknown, b: unknown): number => {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) return BigInt(a) < BigInt(b) ? -1 : 1;
  return String(a) < String(b) ? -1 : 1;
};

/** Merges a slice's base rows with its log blocks (hudi-rs `RecordMerger`, OverwriteWithLatest). */
function mergeSlice(base: Row[], blocks: HudiBlock[], orderingField: string | undefined, metaFields: boolean): Row[] {
  const rows = [...base];
  for (const b of blocks) if (b.kind === 'data') rows.push(...b.rows);
  if (!metaFields || rows.some((r) => r._hoodie_record_key == null)) return rows; // no record keys: append-only (as hudi-rs)
  const ordering = (r: Row): unknown => (orderingField ? r[orderingField] : null);
  const newer = (a: Row, b: Row): boolean => {
    const o = cmp(ordering(a), ordering(b));
    return o !== 0 ? o > 0 : cmp(a._hoodie_commit_seqno, b._hoodie_commit_seqno) > 0;
  };
  const latest = new Map<string, Row>();
  for (const r of rows) {
    const key = String(r._hoodie_record_key);
    const prev = latest.get(key);
    if (!prev || newer(r, prev)) latest.set(key, r);
  }
  for (const b of blocks) {
    if (b.kind !== 'delete') continue;
    for (const d of b.keys) {
      const r = latest.get(d.key);
      if (!r) continue;
      const zero = d.ordering === null || d.ordering === undefined || d.ordering === 0;
      // A delete without an ordering value wins over anything its commit follows.
      const wins = zero ? cmp(b.instant, r._hoodie_commit_time) > 0
        : cmp(d.ordering, ordering(r)) > 0 || (cmp(d.ordering, ordering(r)) === 0 && cmp(b.instant, r._hoodie_commit_time) > 0);
      if (wins) latest.delete(d.key);
    }
  }
  return [...latest.values()];
}

async function readSlice(table: HudiTable, slice: HudiFileSlice, completed: ReadonlySet<string>, readOptimized: boolean): Promise<Row[]> {
  const base = slice.base ? await readBaseFile(slice.base.path) : [];
  if (readOptimized || slice.logs.length === 0) return base;
  const blocks: HudiBlock[] = [];
  for (const l of slice.logs) blocks.push(...(await readHudiLogFile(l.path)));
  const rolledBack = new Set(blocks.filter((b) => b.kind === 'rollback').map((b) => (b as { target: string }).target));
  // Blocks of instants that never completed (failed, rolled back) or come after T do not count.
  const valid = blocks.filter((b) => b.kind !== 'rollback' && completed.has(b.instant) && !rolledBack.has(b.instant));
  const orderingField = (table.properties['hoodie.table.ordering.fields'] ?? table.properties['hoodie.table.precombine.field'])?.split(',')[0];
  return mergeSlice(base, valid, orderingField, table.properties['hoodie.populate.meta.fields'] !== 'false');
}

export interface HudiReadOptions {
  /** Instant time `yyyyMMddHHmmssSSS` (or a prefix such as `yyyyMMdd`); default latest. */
  readonly asOf?: string;
  readonly columns?: readonly string[];
  /** Keep only rows of these partitions (prunes file slices before reading). */
  readonly partitions?: readonly string[];
  /** Base files only: what compaction has produced, without the log files on top (Hudi's read-optimised query). */
  readonly readOptimized?: boolean;
}

const project = (rows: Row[], columns?: readonly string[]): Row[] => (columns ? rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))) : rows);

async function readAsOf(table: HudiTable, asOf: string | undefined, opts: HudiReadOptions): Promise<Row[]> {
  const { completed } = await visibility(table, asOf);
  const slices = (await hudiFileSlices(table, asOf)).filter((s) => !opts.partitions || opts.partitions.includes(s.partition));
  const rows: Row[] = [];
  for (const s of slices) rows.push(...(await readSlice(table, s, completed, opts.readOptimized === true)));
  return rows;
}

/** Snapshot (time-travel) read of a Hudi table; merge-on-read slices are merged unless read-optimised. */
export async function readHudiSnapshot(dir: string, opts: HudiReadOptions = {}): Promise<Row[]> {
  const table = hudiTimeline(dir);
  return project(await readAsOf(table, opts.asOf === undefined ? undefined : padInstant(opts.asOf), opts), opts.columns);
}

/**
 * Rows written by commits in (start, end] (Hudi's incremental query, as hudi-rs runs it): each
 * file group's slice as of end, merged, keeping rows whose `_hoodie_commit_time` is in range.
 */
export async function readHudiIncremental(dir: string, start: string, end?: string, columns?: readonly string[]): Promise<Row[]> {
  const table = hudiTimeline(dir);
  const endT = end === undefined ? undefined : padInstant(end);
  const rows = (await readAsOf(table, endT, {})).filter((r) => {
    const t = String(r._hoodie_commit_time ?? '');
    return t > start && (endT === undefined || t <= endT);
  });
  return project(rows, columns);
}

/** One completed instant with its write stats (summed over `partitionToWriteStats`). */
export interface HudiCommitSummary {
  readonly instant: string;
  readonly action: string;
  readonly operationType: string | null;
  readonly rowsInserted: number;
  readonly rowsUpdated: number;
  readonly rowsDeleted: number;
  /** Raw write stats per partition (fileId, numWrites, numInserts, numUpdateWrites, prevCommit, …). */
  readonly partitions: Record<string, Record<string, unknown>[]>;
}

/** The timeline with per-commit row counts, oldest first (for the history view). */
export async function hudiHistory(dir: string): Promise<HudiCommitSummary[]> {
  const table = hudiTimeline(dir);
  const out: HudiCommitSummary[] = [];
  for (const i of table.timeline) out.push(await summarize(table, i));
  return out;
}

async function summarize(table: HudiTable, i: HudiInstant): Promise<HudiCommitSummary> {
  const meta = await commitMetadata(table, i);
  const partitions = (meta.partitionToWriteStats ?? {}) as Record<string, Record<string, unknown>[]>;
  let ins = 0, upd = 0, del = 0;
  for (const stats of Object.values(partitions)) {
    for (const s of stats ?? []) {
      ins += Number(s.numInserts ?? 0);
      upd += Number(s.numUpdateWrites ?? 0);
      del += Number(s.numDeletes ?? 0);
    }
  }
  const op = meta.operationType;
  return { instant: i.instant, action: i.action, operationType: typeof op === 'string' ? op : null, rowsInserted: ins, rowsUpdated: upd, rowsDeleted: del, partitions };
}

/**
 * `retrace table changes` on a Hudi table: the incremental query (start, end] with each row
 * labelled like Delta's change feed: `insert` when its key did not exist as of `start`, else
 * `update_postimage`; `_commit_version` is the instant that wrote it. Hudi's incremental query
 * does not report deletes, so neither does this.
 */
export async function hudiChanges(dir: string, start: string, end?: string): Promise<Row[]> {
  const table = hudiTimeline(dir);
  const before = table.timeline.some((i) => i.instant <= start) ? await readAsOf(table, start, {}) : [];
  const existed = new Set(before.map((r) => `${String(r._hoodie_partition_path)}\u0001${String(r._hoodie_record_key)}`));
  const rows = await readHudiIncremental(dir, start, end);
  const commitTimes = new Map(table.timeline.map((i) => [i.instant, i.completed ?? i.instant]));
  return rows.map((r) => {
    const instant = String(r._hoodie_commit_time);
    const key = `${String(r._hoodie_partition_path)}\u0001${String(r._hoodie_record_key)}`;
    return { ...r, _change_type: existed.has(key) ? 'update_postimage' : 'insert', _commit_version: instant, _commit_timestamp: instantToIso(commitTimes.get(instant) ?? instant) };
  }).sort((a, b) => String(a._commit_version).localeCompare(String(b._commit_version)));
}

/** `yyyyMMddHHmmssSSS` → ISO-8601 (read as UTC: Hudi writes instants in the writer's zone by default, which the table does not record). */
export function instantToIso(instant: string): string {
  const d = instant.padEnd(17, '0');
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(8, 10)}:${d.slice(10, 12)}:${d.slice(12, 14)}.${d.slice(14, 17)}Z`;
}

/** ISO-8601 or epoch ms → the instant string of that moment (UTC). */
export function timeToInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\D/g, '').slice(0, 17);
}
