import fs from 'node:fs';
import path from 'node:path';
import avro from 'avsc';
import type { Field as ArrowField } from 'apache-arrow';
import { Type } from 'apache-arrow';
import { AppError } from '../../shared/errors';
import { vectorToValues } from './arrow-read';
import type { DeltaType, Row } from './delta-types';
import { readParquetSlice } from './parquet-io';

/**
 * Hudi copy-on-write reader (notes/table-formats.md §2): the timeline of completed instants
 * (table version 6: `.hoodie/<instant>.<action>` with JSON metadata; 8+: `.hoodie/timeline/
 * <requested>_<completed>.<action>` with Avro metadata), the latest base file per file group as
 * of an instant, file groups replaced by a completed `replacecommit` dropped, and incremental
 * reads filtered on `_hoodie_commit_time` in (start, end].
 */
export interface HudiInstant {
  /** Requested (instant) time, `yyyyMMddHHmmssSSS`; base files carry it in their names. */
  readonly instant: string;
  readonly action: string;
  /** Completion time (table version 8+ only). */
  readonly completed?: string;
  readonly file: string;
}

export interface HudiTable {
  readonly dir: string;
  readonly tableVersion: number;
  readonly properties: Record<string, string>;
  /** Completed data instants (commit, replacecommit, deltacommit), oldest first. */
  readonly timeline: HudiInstant[];
}

const DATA_ACTIONS = new Set(['commit', 'replacecommit', 'deltacommit']);

function readProperties(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('#') || !line.includes('=')) continue;
    const i = line.indexOf('=');
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim().replace(/\\:/g, ':');
  }
  return out;
}

export function hudiTimeline(dir: string): HudiTable {
  const props = path.join(dir, '.hoodie', 'hoodie.properties');
  if (!fs.existsSync(props)) throw new AppError('NOT_FOUND', `${dir} is not a Hudi table (no .hoodie/hoodie.properties).`);
  const properties = readProperties(props);
  const tableVersion = Number(properties['hoodie.table.version'] ?? '6');
  if (properties['hoodie.table.type'] && properties['hoodie.table.type'] !== 'COPY_ON_WRITE') {
    throw new AppError('UNSUPPORTED', `Hudi table ${dir} is ${properties['hoodie.table.type']}; Retrace reads only COPY_ON_WRITE tables.`);
  }
  const timelineDir = tableVersion >= 8 ? path.join(dir, '.hoodie', properties['hoodie.timeline.path'] ?? 'timeline') : path.join(dir, '.hoodie');
  const timeline: HudiInstant[] = [];
  for (const name of fs.existsSync(timelineDir) ? fs.readdirSync(timelineDir) : []) {
    // Completed instants have no state suffix (.requested / .inflight).
    const m = tableVersion >= 8 ? /^(\d+)_(\d+)\.([a-z]+)$/.exec(name) : /^(\d+)\.([a-z]+)$/.exec(name);
    if (!m) continue;
    const action = tableVersion >= 8 ? m[3]! : m[2]!;
    if (!DATA_ACTIONS.has(action)) continue;
    timeline.push({ instant: m[1]!, action, ...(tableVersion >= 8 ? { completed: m[2]! } : {}), file: path.join(timelineDir, name) });
  }
  timeline.sort((a, b) => (a.instant < b.instant ? -1 : a.instant > b.instant ? 1 : 0));
  return { dir, tableVersion, properties, timeline };
}

async function commitMetadata(table: HudiTable, instant: HudiInstant): Promise<Record<string, unknown>> {
  if (table.tableVersion < 8) {
    const text = fs.readFileSync(instant.file, 'utf8');
    return text.trim() === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  }
  return new Promise((resolve, reject) => {
    let record: Record<string, unknown> = {};
    avro.createFileDecoder(instant.file)
      .on('data', (r: Record<string, unknown>) => { record = r; })
      .on('error', (e: Error) => reject(new AppError('STORE_CORRUPT', `Hudi instant ${instant.file} is not valid Avro (${e.message}).`)))
      .on('end', () => resolve(record));
  });
}

interface BaseFile { readonly fileId: string; readonly partition: string; readonly instant: string; readonly path: string }

function listBaseFiles(dir: string): BaseFile[] {
  const out: BaseFile[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.parquet')) continue;
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, full);
    if (rel.split(path.sep).some((seg) => seg.startsWith('.'))) continue; // .hoodie (metadata table) and hidden dirs
    const m = /^(.+)_([^_]+)_(\d+)\.parquet$/.exec(entry.name);
    if (!m) continue;
    out.push({ fileId: m[1]!, partition: path.dirname(rel) === '.' ? '' : path.dirname(rel).split(path.sep).join('/'), instant: m[3]!, path: full });
  }
  return out;
}

/** The base files of the latest slice per live file group as of `asOf` (default: latest). */
export async function hudiFileSlices(table: HudiTable, asOf?: string): Promise<BaseFile[]> {
  const visible = table.timeline.filter((i) => asOf === undefined || i.instant <= asOf);
  const completed = new Set(visible.map((i) => i.instant));
  const replaced = new Set<string>();
  for (const i of visible.filter((x) => x.action === 'replacecommit')) {
    const meta = await commitMetadata(table, i);
    const byPartition = (meta.partitionToReplaceFileIds ?? {}) as Record<string, string[]>;
    for (const [partition, ids] of Object.entries(byPartition)) for (const id of ids ?? []) replaced.add(`${partition}/${id}`);
  }
  const latest = new Map<string, BaseFile>();
  for (const f of listBaseFiles(table.dir)) {
    if (!completed.has(f.instant)) continue; // written by an inflight, failed or later instant
    const group = `${f.partition}/${f.fileId}`;
    if (replaced.has(group)) continue;
    const prev = latest.get(group);
    if (!prev || prev.instant < f.instant) latest.set(group, f);
  }
  return [...latest.values()].sort((a, b) => a.path.localeCompare(b.path));
}

function lenientType(f: ArrowField): DeltaType {
  const t = f.type as { typeId: Type; bitWidth?: number; timezone?: string | null; precision?: number; scale?: number };
  switch (t.typeId) {
    case Type.Int: return t.bitWidth === 64 ? 'long' : 'integer';
    case Type.Float: return 'double';
    case Type.Bool: return 'boolean';
    case Type.Binary: case Type.LargeBinary: case Type.FixedSizeBinary: return 'binary';
    case Type.Date: return 'date';
    case Type.Timestamp: return t.timezone ? 'timestamp' : 'timestamp_ntz';
    case Type.Decimal: return `decimal(${t.precision},${t.scale})`;
    default: return 'string';
  }
}

async function readBaseFile(file: BaseFile, columns?: readonly string[]): Promise<Row[]> {
  const { table } = await readParquetSlice(file.path, columns ? { columns } : {});
  const fields = table.schema.fields;
  const cols = fields.map((f) => vectorToValues(table.getChild(f.name)!, lenientType(f)));
  const rows: Row[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const r: Row = {};
    fields.forEach((f, k) => { r[f.name] = cols[k]![i]; });
    rows.push(r);
  }
  return rows;
}

export interface HudiReadOptions {
  /** Instant time `yyyyMMddHHmmssSSS` (or a prefix such as `yyyyMMdd`); default latest. */
  readonly asOf?: string;
  readonly columns?: readonly string[];
  /** Keep only rows of these partitions (prunes file slices before reading). */
  readonly partitions?: readonly string[];
}

const padInstant = (t: string): string => t.padEnd(17, '9');

/** Snapshot (time-travel) read of a Hudi COW table. */
export async function readHudiSnapshot(dir: string, opts: HudiReadOptions = {}): Promise<Row[]> {
  const table = hudiTimeline(dir);
  const slices = (await hudiFileSlices(table, opts.asOf === undefined ? undefined : padInstant(opts.asOf)))
    .filter((s) => !opts.partitions || opts.partitions.includes(s.partition));
  const rows: Row[] = [];
  for (const s of slices) rows.push(...(await readBaseFile(s, opts.columns)));
  return rows;
}

/** Rows written by commits in (start, end], read from each file group's slice as of end. */
export async function readHudiIncremental(dir: string, start: string, end?: string, columns?: readonly string[]): Promise<Row[]> {
  const table = hudiTimeline(dir);
  const endT = end === undefined ? undefined : padInstant(end);
  const cols = columns ? [...new Set([...columns, '_hoodie_commit_time'])] : undefined;
  const out: Row[] = [];
  for (const s of await hudiFileSlices(table, endT)) {
    if (s.instant <= start) continue; // the slice predates the range, so none of its rows are in it
    for (const r of await readBaseFile(s, cols)) {
      const t = String(r._hoodie_commit_time ?? '');
      if (t > start && (endT === undefined || t <= endT)) out.push(r);
    }
  }
  return out;
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
  for (const i of table.timeline) {
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
    out.push({ instant: i.instant, action: i.action, operationType: typeof op === 'string' ? op : null, rowsInserted: ins, rowsUpdated: upd, rowsDeleted: del, partitions });
  }
  return out;
}
