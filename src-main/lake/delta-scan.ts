import type { Field as ArrowField, Table as ArrowTable } from 'apache-arrow';
import { AppError } from '../../shared/errors';
import { childIndex, vectorToValues } from './arrow-read';
import { physicalName } from './column-mapping';
import { loadDeletionVector } from './deletion-vectors';
import { type Snapshot, dataFilePath } from './delta-log';
import type { AddAction } from './delta-actions';
import { type DeltaField, type DeltaType, type Row, coerceValue, compareValues, keyString, parsePartitionValue, toMicros } from './delta-types';
import { type ParquetSlice, readParquetSlice } from './parquet-io';
import { decodeFileInPool, poolSize } from './parquet-pool';
import { readInt96Columns } from './int96';

/**
 * Reads the rows of a snapshot: prunes files by partition values and `stats`, reads only the
 * needed columns (and row groups when the caller knows them) with parquet-wasm, applies deletion
 * vectors, and fills columns missing from older files with null (schema evolution).
 */
export interface EqualsFilter { readonly column: string; readonly value: unknown }

export interface ScanOptions {
  readonly columns?: readonly string[];
  readonly where?: readonly EqualsFilter[];
  /** Scan these files instead of all live files (e.g. after key-index pruning). */
  readonly files?: readonly AddAction[];
  /** Row groups per file path, when an index already knows where the rows are. */
  readonly rowGroups?: ReadonlyMap<string, readonly number[]>;
}

export function outputFields(snapshot: Snapshot, columns?: readonly string[]): DeltaField[] {
  const fields = snapshot.schema.fields;
  if (!columns) return [...fields];
  return columns.map((c) => {
    const f = fields.find((x) => x.name === c);
    if (!f) throw new AppError('INVALID_ARGUMENT', `Column "${c}" does not exist in table ${snapshot.tableDir} at version ${snapshot.version}.`);
    return f;
  });
}

export interface FileStats {
  numRecords?: number;
  minValues?: Record<string, unknown>;
  maxValues?: Record<string, unknown>;
  nullCount?: Record<string, unknown>;
}

export function parseStats(add: AddAction): FileStats | null {
  if (!add.stats) return null;
  try {
    return JSON.parse(add.stats) as FileStats;
  } catch {
    return null;
  }
}

/** False only when the file certainly holds no row with `column = value`. */
export function fileMayMatch(snapshot: Snapshot, add: AddAction, where: readonly EqualsFilter[]): boolean {
  const partitionColumns = snapshot.metadata.partitionColumns;
  const stats = parseStats(add);
  for (const { column, value } of where) {
    const field = snapshot.schema.fields.find((f) => f.name === column);
    if (!field) continue;
    const wanted = coerceValue(value, field.type, column);
    const stored = physicalName(field, snapshot.columnMapping);
    if (partitionColumns.includes(column)) {
      if (keyString(parsePartitionValue(add.partitionValues[stored] ?? add.partitionValues[column], field.type)) !== keyString(wanted)) return false;
      continue;
    }
    if (!stats || typeof field.type !== 'string' || field.type === 'binary' || field.type === 'variant') continue;
    if (wanted === null) {
      if (stats.nullCount && stats.nullCount[stored] === 0) return false;
      continue;
    }
    const min = stats.minValues?.[stored], max = stats.maxValues?.[stored];
    if (min === undefined || max === undefined || min === null || max === null) continue;
    try {
      if (compareValues(wanted, coerceValue(min, field.type, column), field.type) < 0) return false;
      const upper = coerceValue(max, field.type, column);
      if (field.type === 'timestamp' || field.type === 'timestamp_ntz') {
        // Writers truncate timestamp bounds to milliseconds, so the true max may be up to 999 µs above.
        if (toMicros(wanted) > toMicros(upper) + 999n) return false;
      } else if (compareValues(wanted, upper, field.type) > 0) return false;
    } catch {
      // Bounds we cannot interpret never prune.
    }
  }
  return true;
}

/**
 * One data file (or some of its row groups) decoded to Arrow, with values converted to JS only
 * when asked: a point lookup converts the key column, then just the matching rows.
 */
export interface DataSlice {
  readonly numRows: number;
  /** JS values of one output column (converted once, then cached). */
  column(name: string): readonly unknown[];
  /** False for rows removed by the file's deletion vector. */
  isLive(i: number): boolean;
  row(i: number): Row;
  /** Raw Arrow data (columnar consumers; no conversion). Columns are under their stored names. */
  readonly table: ArrowTable;
  /** The column of `table` that holds a logical column (undefined: not in this file). */
  storedName(name: string): string | undefined;
}

export async function readDataSlice(
  snapshot: Snapshot, add: AddAction, fields: readonly DeltaField[], rowGroups?: readonly number[], window?: { readonly offset: number; readonly limit: number },
  /** The whole file already decoded (a prefetching scan). */
  preloaded?: ArrowTable,
): Promise<DataSlice> {
  const mode = snapshot.columnMapping;
  const partitionColumns = new Set(snapshot.metadata.partitionColumns);
  const dataFields = fields.filter((f) => !partitionColumns.has(f.name));
  const file = dataFilePath(snapshot.tableDir, add.path);
  // logical name → the file's column that stores it (physical name, or found by field id)
  const stored = new Map<string, string>();
  const select = (fileFields: readonly ArrowField[]): string[] => dataFields.flatMap((f) => {
    const k = childIndex(fileFields, f, mode);
    if (k < 0) return [];
    stored.set(f.name, fileFields[k]!.name);
    return [fileFields[k]!.name];
  });
  const slice: ParquetSlice = preloaded
    ? (select(preloaded.schema.fields), { table: preloaded, rowIndexOf: (i: number) => i, fileColumns: preloaded.schema.fields.map((f) => f.name) })
    : await readParquetSlice(file, { select, ...(rowGroups ? { rowGroups } : {}), ...(window ?? {}) });
  const n = slice.table.numRows;
  const int96 = dataFields.filter((f) => stored.has(f.name) && slice.table.getChild(stored.get(f.name)!)?.type.toString() === 'Timestamp<NANOSECOND>');
  // parquet-wasm decodes INT96 into int64 nanoseconds, which wraps for years after 2262.
  const int96Raw = int96.length > 0 ? await readInt96Columns(file, int96.map((f) => stored.get(f.name)!), rowGroups, window) : null;
  const int96Values = int96Raw && new Map(int96.map((f) => [f.name, int96Raw.get(stored.get(f.name)!)!]));
  const converted = new Map<string, readonly unknown[]>();
  const partitionValue = (f: DeltaField): unknown => parsePartitionValue(add.partitionValues?.[physicalName(f, mode)] ?? add.partitionValues?.[f.name], f.type as DeltaType);
  const column = (name: string): readonly unknown[] => {
    let values = converted.get(name);
    if (values) return values;
    const f = fields.find((x) => x.name === name);
    if (!f) throw new AppError('INTERNAL', `Column "${name}" was not read from ${file}.`);
    if (partitionColumns.has(name)) values = new Array<unknown>(n).fill(partitionValue(f));
    else {
      const vec = stored.has(name) ? slice.table.getChild(stored.get(name)!) : null;
      values = int96Values?.get(name) ?? (vec ? vectorToValues(vec, f.type, mode) : new Array<unknown>(n).fill(null));
    }
    converted.set(name, values);
    return values;
  };
  // One value without converting its whole column (a point lookup needs one row of thousands).
  const valueAt = (f: DeltaField, i: number): unknown => {
    const done = converted.get(f.name);
    if (done) return done[i];
    if (partitionColumns.has(f.name) || int96Values?.has(f.name)) return column(f.name)[i];
    const vec = stored.has(f.name) ? slice.table.getChild(stored.get(f.name)!) : null;
    return vec ? vectorToValues(vec.slice(i, i + 1), f.type, mode)[0] : null;
  };
  const deleted = add.deletionVector ? loadDeletionVector(snapshot.tableDir, add.deletionVector) : null;
  return {
    numRows: n,
    table: slice.table,
    storedName: (name) => stored.get(name),
    column,
    isLive: (i) => !deleted || !deleted.has(slice.rowIndexOf(i)),
    row: (i) => {
      const r: Row = {};
      for (const f of fields) r[f.name] = valueAt(f, i);
      return r;
    },
  };
}

/** Reads one data file into rows shaped by `fields` (deletion vectors applied). */
export async function readDataFile(snapshot: Snapshot, add: AddAction, fields: readonly DeltaField[], rowGroups?: readonly number[]): Promise<Row[]> {
  const slice = await readDataSlice(snapshot, add, fields, rowGroups);
  const cols = fields.map((f) => slice.column(f.name));
  const rows: Row[] = [];
  for (let i = 0; i < slice.numRows; i++) {
    if (!slice.isLive(i)) continue;
    const row: Row = {};
    for (let k = 0; k < fields.length; k++) row[fields[k]!.name] = cols[k]![i];
    rows.push(row);
  }
  return rows;
}

function rowMatches(row: Row, where: readonly { column: string; key: string }[]): boolean {
  for (const w of where) if (keyString(row[w.column]) !== w.key) return false;
  return true;
}

/** Streams the snapshot's rows file by file (callers may stop early). */
export async function* scanSnapshot(snapshot: Snapshot, opts: ScanOptions = {}): AsyncGenerator<Row[]> {
  const fields = outputFields(snapshot, opts.columns);
  const where = opts.where ?? [];
  const wanted = where.map((w) => {
    const f = snapshot.schema.fields.find((x) => x.name === w.column);
    if (!f) throw new AppError('INVALID_ARGUMENT', `Column "${w.column}" does not exist in table ${snapshot.tableDir} at version ${snapshot.version}.`);
    return { column: w.column, key: keyString(coerceValue(w.value, f.type, w.column)) };
  });
  // Filter columns must be read even when not shown.
  const readFields = [...fields];
  for (const w of where) if (!readFields.some((f) => f.name === w.column)) readFields.push(outputFields(snapshot, [w.column])[0]!);
  const files = (opts.files ?? snapshot.files).filter((f) => fileMayMatch(snapshot, f, where));
  for (const add of files) {
    let rows = await readDataFile(snapshot, add, readFields, opts.rowGroups?.get(add.path));
    if (wanted.length > 0) rows = rows.filter((r) => rowMatches(r, wanted));
    if (readFields.length !== fields.length) {
      rows = rows.map((r) => Object.fromEntries(fields.map((f) => [f.name, r[f.name]])));
    }
    if (rows.length > 0) yield rows;
  }
}

/** All rows of a snapshot (for small tables and tests; prefer scanSnapshot for big ones). */
export async function readAllRows(snapshot: Snapshot, opts: ScanOptions = {}): Promise<Row[]> {
  const out: Row[] = [];
  for await (const rows of scanSnapshot(snapshot, opts)) for (const r of rows) out.push(r);
  return out;
}

/**
 * Columnar scan: each live file decoded to Arrow (deletion vectors exposed via `isLive`), with no
 * per-value conversion — for bulk consumers (exports, aggregates) that do not need JSON rows.
 * Reading every column of a big version, files are decoded ahead in the Parquet worker pool, a
 * few at a time, while earlier ones are consumed.
 */
export async function* scanSlices(snapshot: Snapshot, opts: { columns?: readonly string[] } = {}): AsyncGenerator<{ add: AddAction; slice: DataSlice }> {
  const fields = outputFields(snapshot, opts.columns);
  const bytes = snapshot.files.reduce((s, f) => s + (f.size ?? 0), 0);
  if (opts.columns || snapshot.files.length < 2 || bytes < POOL_MIN_BYTES) {
    for (const add of snapshot.files) yield { add, slice: await readDataSlice(snapshot, add, fields) };
    return;
  }
  const ahead = poolSize() + 1;
  const decoding: Promise<ArrowTable>[] = [];
  const start = (k: number): void => {
    const add = snapshot.files[k];
    if (!add) return;
    const p = decodeFileInPool(dataFilePath(snapshot.tableDir, add.path));
    p.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
    decoding[k] = p;
  };
  for (let k = 0; k < ahead; k++) start(k);
  for (let k = 0; k < snapshot.files.length; k++) {
    const table = await decoding[k]!;
    delete decoding[k];
    start(k + ahead);
    const add = snapshot.files[k]!;
    yield { add, slice: await readDataSlice(snapshot, add, fields, undefined, undefined, table) };
  }
}

/** Below this much data a version is decoded in this thread: starting workers would cost more. */
const POOL_MIN_BYTES = 16 * 1024 * 1024;
