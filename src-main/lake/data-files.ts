import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { rowsToArrow } from './arrow-write';
import { type ColumnMappingMode, physicalName } from './column-mapping';
import { writeDataFile } from './delta-commit';
import type { AddAction, CdcAction } from './delta-actions';
import { type Data, type Table as ArrowTable, Type } from 'apache-arrow';
import {
  type DeltaField, type DeltaType, type Row, compareValues, daysToDate, microsToIso, normalizeBigInt, serializePartitionValue,
} from './delta-types';
import { encodeParquet } from './parquet-io';
import { encodeInPool, poolSize } from './parquet-pool';

/**
 * Writing data files: rows are grouped by partition, sorted by key (tight key ranges make both
 * the Delta `stats` and our key index prune well), split into files, and each file gets its
 * per-file stats (PROTOCOL.md §Per-file Statistics) computed from the rows before writing.
 */
export const KEY_INDEX_DIR = '_retrace_index';
const STATS_COLUMNS = 32; // delta.dataSkippingNumIndexedCols default
const STRING_PREFIX = 32; // Spark truncates string bounds to 32 characters

export interface FileLayout {
  readonly fields: readonly DeltaField[];
  /** Column mapping of the table: data files, stats and partition values use physical names. */
  readonly mode: ColumnMappingMode;
  readonly partitionColumns: readonly string[];
  readonly keyColumns: readonly string[];
  readonly rowsPerFile: number;
  /** Rows per row group; with `rowGroupBytes`, the most a row group may hold. */
  readonly rowGroupRows: number;
  /**
   * Row groups of about this many bytes (Arrow size) instead of a fixed row count: a point lookup
   * decodes one row group, and a row of a 128-float embedding is ~60× one of a narrow table.
   */
  readonly rowGroupBytes?: number;
  /** Hears of every file before it is written (write-journal.ts). */
  readonly journal?: { record(relPath: string): void };
}

/** Per-row-group key bounds of one data file, kept in `_retrace_index/` (ignored by other engines). */
export interface KeyIndexEntry {
  readonly column: string;
  readonly rowGroups: readonly { rows: number; min: unknown; max: unknown }[];
}

const STATS_TYPES = new Set(['long', 'integer', 'short', 'byte', 'float', 'double', 'string', 'date', 'timestamp', 'timestamp_ntz', 'boolean']);

/** min/max/nulls of a fixed-width Arrow column, straight from its typed array (no per-value parsing). */
function typedBounds(data: Data): { min: number | bigint | null; max: number | bigint | null; nulls: number } | null {
  const values = data.values as unknown;
  if (!(ArrayBuffer.isView(values)) || values instanceof Uint8Array || data.type.typeId === Type.Decimal) return null;
  const arr = values as unknown as ArrayLike<number | bigint>;
  const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
  let min: number | bigint | null = null, max: number | bigint | null = null;
  for (let i = 0; i < data.length; i++) {
    if (bitmap && ((bitmap[i >> 3]! >> (i & 7)) & 1) === 0) continue;
    const v = arr[i]!;
    if (typeof v === 'number' && Number.isNaN(v)) continue;
    if (min === null || v < min) min = v;
    if (max === null || v > max) max = v;
  }
  return { min, max, nulls: data.nullCount };
}

function statsFor(fields: readonly DeltaField[], rows: readonly Row[], table: ArrowTable, mode: ColumnMappingMode): string {
  const minValues: Record<string, unknown> = {}, maxValues: Record<string, unknown> = {}, nullCount: Record<string, number> = {};
  for (const field of fields.slice(0, STATS_COLUMNS)) {
    const t = field.type;
    // Stats are keyed by physical name; values are read from rows by logical name.
    const f = { name: physicalName(field, mode) }, logical = field.name;
    if (typeof t !== 'string' || (!STATS_TYPES.has(t) && !t.startsWith('decimal'))) continue;
    const typed = t === 'boolean' || t === 'string' ? null : typedBounds(table.getChild(f.name)!.data[0]!);
    if (typed) {
      nullCount[f.name] = typed.nulls;
      if (typed.min === null || typed.max === null) continue;
      if (t === 'timestamp' || t === 'timestamp_ntz') {
        // Delta truncates timestamp bounds to milliseconds: floor the min, ceil the max.
        const lo = BigInt(typed.min), hi = BigInt(typed.max);
        const floor = lo - (((lo % 1000n) + 1000n) % 1000n);
        const ceil = hi % 1000n === 0n ? hi : hi - (((hi % 1000n) + 1000n) % 1000n) + 1000n;
        minValues[f.name] = microsToIso(floor, t === 'timestamp');
        maxValues[f.name] = microsToIso(ceil, t === 'timestamp');
      } else if (t === 'date') {
        minValues[f.name] = daysToDate(Number(typed.min));
        maxValues[f.name] = daysToDate(Number(typed.max));
      } else {
        minValues[f.name] = typeof typed.min === 'bigint' ? normalizeBigInt(typed.min) : typed.min;
        maxValues[f.name] = typeof typed.max === 'bigint' ? normalizeBigInt(typed.max) : typed.max;
      }
      continue;
    }
    let min: unknown = null, max: unknown = null, nulls = 0;
    for (const r of rows) {
      const v = r[logical];
      if (v === null || v === undefined) { nulls++; continue; }
      if (t === 'string') {
        if (min === null || (v as string) < (min as string)) min = v;
        if (max === null || (v as string) > (max as string)) max = v;
        continue;
      }
      if (min === null || compareValues(v, min, t) < 0) min = v;
      if (max === null || compareValues(v, max, t) > 0) max = v;
    }
    nullCount[f.name] = nulls;
    if (min === null || t === 'boolean') continue;
    if (t === 'string') {
      minValues[f.name] = String(min).slice(0, STRING_PREFIX);
      // A truncated maximum would be below the real one; leave it out rather than lie.
      if (String(max).length <= STRING_PREFIX) maxValues[f.name] = max;
      continue;
    }
    minValues[f.name] = min;
    maxValues[f.name] = max;
  }
  return JSON.stringify({ numRecords: rows.length, minValues, maxValues, nullCount, tightBounds: true });
}

/** Hive-style folders (`col=value/`), named by the keys of `values` (physical names). */
function partitionPath(values: Record<string, string | null>): string {
  return Object.keys(values).map((c) => {
    const v = values[c];
    return `${c}=${v === null || v === undefined ? '__HIVE_DEFAULT_PARTITION__' : encodeURIComponent(v)}`;
  }).join('/');
}

function sortByKey(rows: Row[], keyColumns: readonly string[], fields: readonly DeltaField[]): Row[] {
  if (keyColumns.length === 0) return rows;
  const types = keyColumns.map((k) => fields.find((f) => f.name === k)!.type as DeltaType);
  return rows.sort((a, b) => {
    for (let i = 0; i < keyColumns.length; i++) {
      const x = a[keyColumns[i]!], y = b[keyColumns[i]!];
      if (x === y) continue;
      if (x === null || x === undefined) return -1;
      if (y === null || y === undefined) return 1;
      const c = compareValues(x, y, types[i]!);
      if (c !== 0) return c;
    }
    return 0;
  });
}

/** Groups rows by their serialized partition values. */
function groupByPartition(rows: readonly Row[], layout: FileLayout): Map<string, { values: Record<string, string | null>; rows: Row[] }> {
  const groups = new Map<string, { values: Record<string, string | null>; rows: Row[] }>();
  if (layout.partitionColumns.length === 0) return groups.set('{}', { values: {}, rows: [...rows] });
  const parts = layout.partitionColumns.map((c) => {
    const f = layout.fields.find((x) => x.name === c)!;
    return { logical: c, stored: physicalName(f, layout.mode), type: f.type };
  });
  for (const r of rows) {
    const values: Record<string, string | null> = {};
    for (const p of parts) values[p.stored] = serializePartitionValue(r[p.logical], p.type);
    const k = JSON.stringify(values);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { values, rows: [] }));
    g.rows.push(r);
  }
  return groups;
}

export interface WrittenFiles { readonly adds: AddAction[]; readonly paths: string[] }

/** Rows per row group for one file: fixed, or sized by bytes (multiples of 256, at least 1024). */
function rowGroupRowsFor(table: ArrowTable, layout: FileLayout): number {
  if (!layout.rowGroupBytes || table.numRows === 0) return layout.rowGroupRows;
  let bytes = 0;
  for (const batch of table.batches) bytes += batch.data.byteLength;
  const rows = Math.floor(layout.rowGroupBytes / Math.max(1, bytes / table.numRows) / 256) * 256;
  return Math.min(layout.rowGroupRows, Math.max(1024, rows));
}

/** Below this many rows a commit is encoded in this thread: starting workers would cost more. */
const POOL_MIN_ROWS = 100_000;

/**
 * Writes rows as new data files; returns their `add` actions (with stats). A big commit's files
 * are encoded in the Parquet worker pool, a few at a time, while this thread builds the next
 * file's Arrow columns and statistics; files are written and listed in order either way.
 */
export async function writeRows(tableDir: string, rows: readonly Row[], layout: FileLayout, now: number): Promise<WrittenFiles> {
  const dataFields = layout.fields.filter((f) => !layout.partitionColumns.includes(f.name));
  const adds: AddAction[] = [], paths: string[] = [];
  const pooled = rows.length >= POOL_MIN_ROWS && rows.length > layout.rowsPerFile;
  const inFlight: { bytes: Promise<Uint8Array>; finish(bytes: Uint8Array): void }[] = [];
  const drain = async (keep: number): Promise<void> => {
    while (inFlight.length > keep) {
      const next = inFlight.shift()!;
      next.finish(await next.bytes);
    }
  };
  const [key] = layout.keyColumns;
  const indexed = layout.keyColumns.length === 1 && !layout.partitionColumns.includes(key!);
  try {
    for (const group of groupByPartition(rows, layout).values()) {
      const sorted = sortByKey(group.rows, layout.keyColumns, layout.fields);
      for (let start = 0; start < sorted.length; start += layout.rowsPerFile) {
        const chunk = sorted.slice(start, start + layout.rowsPerFile);
        const name = `part-00000-${randomUUID()}.c000.snappy.parquet`;
        const dir = partitionPath(group.values);
        const rel = dir ? `${dir}/${name}` : name;
        const table = rowsToArrow(dataFields, chunk, { mode: layout.mode });
        const stats = statsFor(dataFields, chunk, table, layout.mode);
        const groupRows = rowGroupRowsFor(table, layout);
        const finish = (bytes: Uint8Array): void => {
          writeDataFile(tableDir, rel, bytes, layout.journal);
          paths.push(rel);
          if (indexed) writeKeyIndex(tableDir, name, physicalName(layout.fields.find((f) => f.name === key)!, layout.mode), key!, chunk, groupRows, layout.journal);
          adds.push({
            path: rel.split('/').map(encodeURIComponent).join('/'), partitionValues: group.values, size: bytes.length,
            modificationTime: now, dataChange: true, stats,
          });
        };
        if (!pooled) { finish(encodeParquet(table, { rowGroupRows: groupRows })); continue; }
        inFlight.push({ bytes: encodeInPool(table, { rowGroupRows: groupRows }), finish });
        await drain(poolSize() * 2);
      }
    }
    await drain(0);
  } catch (err) {
    // Let every encode still running settle before the caller cleans up what was written.
    await Promise.allSettled(inFlight.map((x) => x.bytes));
    throw err;
  }
  return { adds, paths };
}

/** Writes change-data rows (`_change_type` included) to `_change_data/`; returns `cdc` actions. */
export function writeChangeRows(tableDir: string, rows: readonly Row[], layout: FileLayout): { cdc: CdcAction[]; paths: string[] } {
  if (rows.length === 0) return { cdc: [], paths: [] };
  const fields = [...layout.fields.filter((f) => !layout.partitionColumns.includes(f.name)), { name: '_change_type', type: 'string', nullable: true }];
  const cdc: CdcAction[] = [], paths: string[] = [];
  for (const group of groupByPartition(rows, layout).values()) {
    const dir = partitionPath(group.values);
    const rel = `_change_data/${dir ? `${dir}/` : ''}cdc-00000-${randomUUID()}.c000.snappy.parquet`;
    const bytes = encodeParquet(rowsToArrow(fields, group.rows, { mode: layout.mode }));
    writeDataFile(tableDir, rel, bytes, layout.journal);
    paths.push(rel);
    cdc.push({ path: rel.split('/').map(encodeURIComponent).join('/'), partitionValues: group.values, size: bytes.length, dataChange: false } as CdcAction);
  }
  return { cdc, paths };
}

/** The index names the key by physical name, so it survives a rename under column mapping. */
function writeKeyIndex(tableDir: string, fileName: string, column: string, logical: string, sortedRows: readonly Row[], rowGroupRows: number, journal?: FileLayout['journal']): void {
  const rowGroups: KeyIndexEntry['rowGroups'][number][] = [];
  for (let s = 0; s < sortedRows.length; s += rowGroupRows) {
    const e = Math.min(sortedRows.length, s + rowGroupRows);
    rowGroups.push({ rows: e - s, min: sortedRows[s]![logical] ?? null, max: sortedRows[e - 1]![logical] ?? null });
  }
  const entry: KeyIndexEntry = { column, rowGroups };
  writeDataFile(tableDir, `${KEY_INDEX_DIR}/${fileName}.json`, Buffer.from(JSON.stringify(entry)), journal);
}

/** The key index of a data file, or null when it has none (files written by other engines). */
export function readKeyIndex(tableDir: string, dataPath: string): KeyIndexEntry | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(tableDir, KEY_INDEX_DIR, `${path.basename(decodeURIComponent(dataPath))}.json`), 'utf8')) as KeyIndexEntry;
  } catch {
    return null;
  }
}

