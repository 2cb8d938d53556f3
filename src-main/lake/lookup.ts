import path from 'node:path';
import { AppError } from '../../shared/errors';
import { type AddAction, type Snapshot, listLog, loadSnapshot } from './delta-log';
import { type DataSlice, outputFields, parseStats, readDataFile, readDataSlice } from './delta-scan';
import { physicalName } from './column-mapping';
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

class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly capacity: number) {}
  get(k: K): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) { this.map.delete(k); this.map.set(k, v); }
    return v;
  }
  set(k: K, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }
  clear(): void { this.map.clear(); }
}

interface FileBounds { readonly file: AddAction; readonly min: unknown; readonly max: unknown }
// A snapshot is small (one add action per live file), so many versions can stay resident.
const snapshots = new Lru<string, Snapshot>(512);
const boundsCache = new Lru<string, FileBounds[]>(512);
/** A decoded row group (or file) with a key → row-index map built on first use. */
interface CachedSlice { readonly slice: DataSlice; byKey?: Map<string, number[]> }
// Entries are decoded Arrow row groups (~4k rows × the requested columns), so a few thousand fit easily.
const sliceCache = new Lru<string, CachedSlice>(4096);

export async function cachedSnapshot(dir: string, version: number): Promise<Snapshot> {
  const key = `${path.resolve(dir)}@${version}`;
  let snap = snapshots.get(key);
  if (!snap) { snap = await loadSnapshot(dir, version); snapshots.set(key, snap); }
  return snap;
}

const keyIndexCache = new Lru<string, KeyIndexEntry | null>(8192);

/** A file's key index with bounds already coerced to the key type (files are immutable). */
function cachedKeyIndex(tableDir: string, filePath: string, type: DeltaType): KeyIndexEntry | null {
  const k = `${tableDir}/${filePath}`;
  let entry = keyIndexCache.get(k);
  if (entry === undefined) {
    const raw = readKeyIndex(tableDir, filePath);
    entry = raw && { column: raw.column, rowGroups: raw.rowGroups.map((g) => ({ rows: g.rows, min: g.min == null ? null : coerceValue(g.min, type, raw.column), max: g.max == null ? null : coerceValue(g.max, type, raw.column) })) };
    keyIndexCache.set(k, entry);
  }
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
  let bounds = boundsCache.get(key);
  if (!bounds) {
    const field = snap.schema.fields.find((f) => f.name === column);
    const stored = field ? physicalName(field, snap.columnMapping) : column;
    bounds = snap.files.map((file) => {
      const s = parseStats(file);
      const min = s?.minValues?.[stored], max = s?.maxValues?.[stored];
      return { file, min: min == null ? null : coerceValue(min, type, column), max: max == null ? null : coerceValue(max, type, column) };
    });
    boundsCache.set(key, bounds);
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
    const cacheKey = `${snap.tableDir}/${b.file.path}#${groups?.join(',') ?? '*'}#${fieldsKey}`;
    let cached = sliceCache.get(cacheKey);
    if (!cached) {
      cached = { slice: await readDataSlice(snap, b.file, fields, groups) };
      sliceCache.set(cacheKey, cached);
      read.files++;
      read.rowGroups += groups?.length ?? (index?.rowGroups.length ?? 1);
    } else read.cached++;
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
    for (const i of cached.byKey.get(wanted) ?? []) rows.push(cached.slice.row(i));
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
    snapshots.clear();
    boundsCache.clear();
  }
  sliceCache.clear();
  keyIndexCache.clear();
}
