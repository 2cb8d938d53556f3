import path from 'node:path';
import { LRUCache } from 'lru-cache';
import { AppError } from '../../shared/errors';
import { type Snapshot, listLog, loadSnapshot } from './delta-log';
import type { AddAction } from './delta-actions';
import { type DataSlice, outputFields, parseStats, readDataFile, readDataSlice } from './delta-scan';
import { physicalName } from './column-mapping';
import { dropParquetHandles } from './parquet-io';
import { type DeltaType, type Row, coerceValue, compareValues, keyString } from './delta-types';
import { type KeyIndexEntry, readKeyIndex } from './data-files';
import { versionAtTime } from './time-travel';

/**
 * Point and range lookups ("value of key K as of version/time T"): resolve the version, prune
 * files by key statistics, pick the row group from the key index in `_retrace_index/`, and read
 * only that row group and the requested columns. Snapshots, key bounds and decoded row groups
 * are cached (all immutable per version / per file), so repeated lookups stay in memory.
 */
export interface LookupOptions {
  readonly keyColumn: string;
  readonly key: unknown;
  readonly version?: number;
  /** Epoch ms; the version current at that time is used. */
  readonly asOf?: number;
  readonly columns?: readonly string[];
}

export interface LookupResult {
  readonly version: number;
  readonly rows: Row[];
  /** What the lookup had to decode (0 row groups on a cache hit): shows the pruning worked. */
  readonly read?: { files: number; rowGroups: number; cached: number };
}

interface FileBounds { readonly file: AddAction; readonly min: unknown; readonly max: unknown }
/** A decoded row group (or file) with a key → row-index map built on first use. */
interface CachedSlice { readonly slice: DataSlice; byKey?: Map<string, number[]> }

/**
 * Every cache here is bounded by bytes (lru-cache `maxSize`), not by entries: a decoded row
 * group of a 128-float embedding column is ~2 MB where one of a narrow table is ~50 KB, so an
 * entry count that is safe for one runs a worker out of memory with the other. Sizes are
 * estimates of what an entry keeps alive: Arrow buffers as they are, JS values by a per-value
 * allowance.
 */
export interface LookupCacheLimits { readonly sliceBytes: number; readonly metadataBytes: number }
export const DEFAULT_CACHE_LIMITS: LookupCacheLimits = { sliceBytes: 256 * 1024 * 1024, metadataBytes: 64 * 1024 * 1024 };
const PER_VALUE = 48; // a boxed JS value, its slot and map overhead, roughly

function sliceBytes(c: CachedSlice): number {
  let bytes = 0;
  for (const batch of c.slice.table.batches) bytes += batch.data.byteLength;
  // The converted key column and the key → rows map built for lookups.
  return bytes + c.slice.numRows * PER_VALUE * 2 + 1;
}

function snapshotBytes(s: Snapshot): number {
  let bytes = s.metadata.schemaString.length * 2 + 1024;
  for (const f of [...s.files, ...s.tombstones]) bytes += 256 + f.path.length * 2 + ((f as AddAction).stats?.length ?? 0) * 2;
  return bytes;
}

function makeCaches(limits: LookupCacheLimits) {
  return {
    // Snapshots and file bounds are immutable per version: many versions can stay resident.
    snapshots: new LRUCache<string, Snapshot>({ maxSize: limits.metadataBytes / 2, sizeCalculation: snapshotBytes }),
    bounds: new LRUCache<string, FileBounds[]>({ maxSize: limits.metadataBytes / 4, sizeCalculation: (b) => b.length * PER_VALUE * 4 + 1 }),
    keyIndex: new LRUCache<string, { entry: KeyIndexEntry | null }>({ maxSize: limits.metadataBytes / 4, sizeCalculation: (e) => (e.entry?.rowGroups.length ?? 0) * PER_VALUE * 3 + PER_VALUE }),
    slices: new LRUCache<string, CachedSlice>({ maxSize: limits.sliceBytes, sizeCalculation: sliceBytes }),
  };
}

let caches = makeCaches(DEFAULT_CACHE_LIMITS);

/** Sets the byte limits (a worker that knows its memory budget; tests); empties the caches. */
export function configureLookupCaches(limits: Partial<LookupCacheLimits>): void {
  caches = makeCaches({ ...DEFAULT_CACHE_LIMITS, ...limits });
}

/** Estimated bytes held by the decoded row groups, and how many there are. */
export function lookupCacheUsage(): { sliceBytes: number; slices: number } {
  return { sliceBytes: caches.slices.calculatedSize, slices: caches.slices.size };
}

export async function cachedSnapshot(dir: string, version: number): Promise<Snapshot> {
  const key = `${path.resolve(dir)}@${version}`;
  let snap = caches.snapshots.get(key);
  if (!snap) { snap = await loadSnapshot(dir, version); caches.snapshots.set(key, snap); }
  return snap;
}

/** A file's key index with bounds already coerced to the key type (files are immutable). */
function cachedKeyIndex(tableDir: string, filePath: string, type: DeltaType): KeyIndexEntry | null {
  const k = `${tableDir}/${filePath}`;
  const hit = caches.keyIndex.get(k);
  if (hit) return hit.entry;
  const raw = readKeyIndex(tableDir, filePath);
  const entry = raw && { column: raw.column, rowGroups: raw.rowGroups.map((g) => ({ rows: g.rows, min: g.min == null ? null : coerceValue(g.min, type, raw.column), max: g.max == null ? null : coerceValue(g.max, type, raw.column) })) };
  caches.keyIndex.set(k, { entry });
  return entry;
}

/** The version a lookup reads: explicit, as of a time, or the latest. */
export function resolveVersion(dir: string, opts: { version?: number; asOf?: number }): number {
  if (opts.version !== undefined && opts.asOf !== undefined) throw new AppError('INVALID_ARGUMENT', 'Give either a version or a time, not both.');
  if (opts.version !== undefined) return opts.version;
  if (opts.asOf !== undefined) return versionAtTime(dir, opts.asOf);
  return listLog(dir).latest;
}

function fileBounds(snap: Snapshot, column: string, type: DeltaType): FileBounds[] {
  const key = `${snap.tableDir}@${snap.version}#${column}`;
  let bounds = caches.bounds.get(key);
  if (!bounds) {
    const field = snap.schema.fields.find((f) => f.name === column);
    const stored = field ? physicalName(field, snap.columnMapping) : column;
    bounds = snap.files.map((file) => {
      const s = parseStats(file);
      const min = s?.minValues?.[stored], max = s?.maxValues?.[stored];
      return { file, min: min == null ? null : coerceValue(min, type, column), max: max == null ? null : coerceValue(max, type, column) };
    });
    caches.bounds.set(key, bounds);
  }
  return bounds;
}

const mayHold = (b: { min: unknown; max: unknown }, key: unknown, type: DeltaType): boolean =>
  (b.min === null || compareValues(key, b.min, type) >= 0) && (b.max === null || compareValues(key, b.max, type) <= 0);

/** Rows whose `keyColumn` equals `key` in the resolved version. */
export async function lookupKey(dir: string, opts: LookupOptions): Promise<LookupResult> {
  const version = resolveVersion(dir, opts);
  const snap = await cachedSnapshot(dir, version);
  const field = snap.schema.fields.find((f) => f.name === opts.keyColumn);
  if (!field) throw new AppError('INVALID_ARGUMENT', `Column "${opts.keyColumn}" does not exist in table ${dir} at version ${version}.`);
  const type = field.type as DeltaType;
  const key = coerceValue(opts.key, type, opts.keyColumn);
  const wanted = keyString(key);
  const fields = outputFields(snap, opts.columns ? [...new Set([...opts.columns, opts.keyColumn])] : undefined);
  const partitioned = snap.metadata.partitionColumns.includes(opts.keyColumn);
  const fieldsKey = fields.map((f) => f.name).join(',');
  const rows: Row[] = [];
  const read = { files: 0, rowGroups: 0, cached: 0 };
  for (const b of fileBounds(snap, opts.keyColumn, type)) {
    if (!partitioned && !mayHold(b, key, type)) continue;
    const index = partitioned || b.file.deletionVector ? null : cachedKeyIndex(snap.tableDir, b.file.path, type);
    const groups = index && index.column === physicalName(field, snap.columnMapping)
      ? index.rowGroups.map((g, i) => ({ g, i })).filter(({ g }) => mayHold(g, key, type)).map(({ i }) => i)
      : undefined;
    if (groups && groups.length === 0) continue;
    // With a key index the file is ours: sorted by key, no deletion vector. Decode only the key
    // column of the row group, then only the matching rows of the other columns, so a cold lookup
    // on a wide (embedding) table does not decode megabytes to return one row.
    const narrow = groups !== undefined && fields.length > 1;
    const slicedFields = narrow ? [field] : fields;
    const cacheKey = `${snap.tableDir}/${b.file.path}#${groups?.join(',') ?? '*'}#${narrow ? `key:${field.name}` : fieldsKey}`;
    let cached = caches.slices.get(cacheKey);
    let decoded = false;
    if (!cached) {
      cached = { slice: await readDataSlice(snap, b.file, slicedFields, groups) };
      caches.slices.set(cacheKey, cached);
      decoded = true;
    }
    if (!cached.byKey) {
      const keys = cached.slice.column(opts.keyColumn);
      const byKey = new Map<string, number[]>();
      for (let i = 0; i < keys.length; i++) {
        if (!cached.slice.isLive(i)) continue;
        const k = keyString(keys[i]);
        const list = byKey.get(k);
        if (list) list.push(i); else byKey.set(k, [i]);
      }
      cached.byKey = byKey;
    }
    for (const i of cached.byKey.get(wanted) ?? []) {
      if (!narrow) { rows.push(cached.slice.row(i)); continue; }
      const rowKey = `${snap.tableDir}/${b.file.path}#${groups!.join(',')}#row${i}#${fieldsKey}`;
      let one = caches.slices.get(rowKey);
      if (!one) {
        one = { slice: await readDataSlice(snap, b.file, fields, groups, { offset: i, limit: 1 }) };
        caches.slices.set(rowKey, one);
        decoded = true;
      }
      rows.push(one.slice.row(0));
    }
    if (decoded) {
      read.files++;
      read.rowGroups += groups?.length ?? (index?.rowGroups.length ?? 1);
    } else read.cached++;
  }
  const columns = opts.columns;
  return { version, rows: columns ? rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]]))) : rows, read };
}

export interface RangeOptions {
  readonly column: string;
  readonly from: unknown;
  readonly to: unknown;
  readonly version?: number;
  readonly asOf?: number;
  readonly columns?: readonly string[];
}

/** Rows with `from <= column <= to` (e.g. an event-time range), pruned by file stats. */
export async function rowsInRange(dir: string, opts: RangeOptions): Promise<LookupResult> {
  const version = resolveVersion(dir, opts);
  const snap = await cachedSnapshot(dir, version);
  const field = snap.schema.fields.find((f) => f.name === opts.column);
  if (!field) throw new AppError('INVALID_ARGUMENT', `Column "${opts.column}" does not exist in table ${dir} at version ${version}.`);
  const type = field.type as DeltaType;
  const lo = coerceValue(opts.from, type, opts.column), hi = coerceValue(opts.to, type, opts.column);
  const fields = outputFields(snap, opts.columns ? [...new Set([...opts.columns, opts.column])] : undefined);
  const rows: Row[] = [];
  for (const b of fileBounds(snap, opts.column, type)) {
    if (b.max !== null && compareValues(b.max, lo, type) < 0) continue;
    if (b.min !== null && compareValues(b.min, hi, type) > 0) continue;
    for (const r of await readDataFile(snap, b.file, fields)) {
      const v = r[opts.column];
      if (v !== null && v !== undefined && compareValues(v, lo, type) >= 0 && compareValues(v, hi, type) <= 0) rows.push(r);
    }
  }
  const columns = opts.columns;
  return { version, rows: columns ? rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]]))) : rows };
}

/** Drops cached snapshots and row groups (tests, or memory pressure in a worker). */
export function clearLookupCaches(opts: { keepSnapshots?: boolean } = {}): void {
  if (!opts.keepSnapshots) {
    caches.snapshots.clear();
    caches.bounds.clear();
    dropParquetHandles();
  }
  caches.slices.clear();
  caches.keyIndex.clear();
}
