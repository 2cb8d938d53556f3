import { AppError } from '../../shared/errors';
import { loadDeletionVector } from './deletion-vectors';
import { type LogListing, type Snapshot, listLog, loadSnapshot, readCommit } from './delta-log';
import type { Action, AddAction } from './delta-actions';
import { readDataFile } from './delta-scan';
import { columnMappingMode } from './column-mapping';
import { type DeltaField, type Row, keyString, parseSchemaString } from './delta-types';
import { rawCommitTimestamp } from './time-travel';

/**
 * Row-level changes between versions (PROTOCOL.md §Change Data Files). Per version: if it has
 * `cdc` actions, read only those files; otherwise derive the changes from its adds and removes —
 * by key when the caller names one (updates become pre/post images), else by whole-row identity,
 * so rows a copy-on-write rewrite merely copied never show up as changes.
 */
export type ChangeType = 'insert' | 'update_preimage' | 'update_postimage' | 'delete';
export interface ChangeRow extends Row {
  _change_type: ChangeType;
  _commit_version: number;
  /** ISO-8601 UTC */
  _commit_timestamp: string;
}

export interface ChangesOptions {
  /** Key columns used to pair deleted and inserted rows into updates when there is no CDF. */
  readonly keyColumns?: readonly string[];
  readonly columns?: readonly string[];
}

/** The commit time the change feed reports: in-commit timestamp, else commitInfo.timestamp, else mtime. */
export function changeFeedTimestamp(tableDir: string, version: number, actions: readonly Action[]): number {
  const info = actions.find((a) => a.commitInfo)?.commitInfo;
  if (typeof info?.inCommitTimestamp === 'number') return info.inCommitTimestamp;
  if (typeof info?.timestamp === 'number') return info.timestamp;
  return rawCommitTimestamp(tableDir, version);
}

/** The first version whose change-feed time is ≥ `timestampMs` (for "changes since T"). */
export function firstVersionAtOrAfter(tableDir: string, timestampMs: number, listing: LogListing = listLog(tableDir)): number {
  const versions = [...listing.commits.keys()].sort((a, b) => a - b);
  for (const v of versions) if (changeFeedTimestamp(tableDir, v, readCommit(tableDir, v)) >= timestampMs) return v;
  throw new AppError('NOT_FOUND', `Table ${tableDir} has no commit at or after ${new Date(timestampMs).toISOString()}.`);
}

/** The last version whose change-feed time is ≤ `timestampMs` (for "changes until T"). */
export function lastVersionAtOrBefore(tableDir: string, timestampMs: number, listing: LogListing = listLog(tableDir)): number {
  const versions = [...listing.commits.keys()].sort((a, b) => b - a);
  for (const v of versions) if (changeFeedTimestamp(tableDir, v, readCommit(tableDir, v)) <= timestampMs) return v;
  throw new AppError('NOT_FOUND', `Table ${tableDir} has no commit at or before ${new Date(timestampMs).toISOString()}.`);
}

function hivePartitionValues(p: string): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const seg of decodeURIComponent(p).split('/').slice(0, -1)) {
    const eq = seg.indexOf('=');
    if (eq > 0) {
      const v = decodeURIComponent(seg.slice(eq + 1));
      out[seg.slice(0, eq)] = v === '__HIVE_DEFAULT_PARTITION__' ? null : v;
    }
  }
  return out;
}

const asAdd = (p: string, partitionValues: Record<string, string | null> | null | undefined): AddAction => ({
  path: p, partitionValues: partitionValues ?? hivePartitionValues(p), size: 0, modificationTime: 0, dataChange: true,
});

/** Changes of versions `fromVersion..toVersion`, both inclusive (Delta's table_changes). */
export async function readChanges(tableDir: string, fromVersion: number, toVersion: number, opts: ChangesOptions = {}): Promise<ChangeRow[]> {
  if (fromVersion > toVersion) throw new AppError('INVALID_ARGUMENT', `startVersion must be <= endVersion (got ${fromVersion} > ${toVersion}).`);
  const listing = listLog(tableDir);
  const inRange = [...listing.commits.keys()].filter((v) => v >= fromVersion && v <= toVersion);
  if (inRange.length === 0) throw new AppError('NOT_FOUND', `Table ${tableDir}: no log files found in the requested version range ${fromVersion}..${toVersion}.`);
  // Each version's rows carry the names and columns of that version's schema (a rename or a
  // dropped column under column mapping shows up where it happened, not before).
  let snapshot = await loadSnapshot(tableDir, fromVersion, listing);
  const out: ChangeRow[] = [];
  for (let v = fromVersion; v <= Math.min(toVersion, listing.latest); v++) {
    const actions = readCommit(tableDir, v);
    const meta = actions.find((a) => a.metaData)?.metaData;
    if (meta && v > fromVersion) {
      const schema = parseSchemaString(meta.schemaString, `${tableDir} version ${v}`);
      snapshot = { ...snapshot, version: v, metadata: meta, schema, columnMapping: columnMappingMode(meta) };
    }
    const fields = snapshot.schema.fields.filter((f) => !opts.columns || opts.columns.includes(f.name));
    const ts = new Date(changeFeedTimestamp(tableDir, v, actions)).toISOString();
    const tag = (rows: Row[], type: ChangeType): void => {
      for (const r of rows) out.push({ ...r, _change_type: type, _commit_version: v, _commit_timestamp: ts });
    };
    const cdc = actions.filter((a) => a.cdc).map((a) => a.cdc!);
    if (cdc.length > 0) {
      const cdcFields: DeltaField[] = [...fields, { name: '_change_type', type: 'string', nullable: true }];
      for (const c of cdc) {
        for (const r of await readDataFile(snapshot, asAdd(c.path, c.partitionValues), cdcFields)) {
          const type = r._change_type as ChangeType;
          delete r._change_type;
          tag([r], type);
        }
      }
      continue;
    }
    await deriveChanges(snapshot, actions, fields, opts.keyColumns ?? [], tag);
  }
  return out;
}

async function deriveChanges(
  snapshot: Snapshot, actions: readonly Action[], fields: readonly DeltaField[], keyColumns: readonly string[],
  tag: (rows: Row[], type: ChangeType) => void,
): Promise<void> {
  const adds = actions.filter((a) => a.add?.dataChange).map((a) => a.add!);
  const removes = actions.filter((a) => a.remove?.dataChange).map((a) => a.remove!);
  const addedRows: Row[] = [];
  const removedRows: Row[] = [];
  const removedByPath = new Map(removes.map((r) => [decodeURIComponent(r.path), r]));
  for (const add of adds) {
    const old = removedByPath.get(decodeURIComponent(add.path));
    if (old && add.deletionVector) {
      // Same file, new deletion vector: the newly deleted row indexes are the change.
      const before = old.deletionVector ? loadDeletionVector(snapshot.tableDir, old.deletionVector) : new Set<number>();
      const after = loadDeletionVector(snapshot.tableDir, add.deletionVector);
      const all = await readDataFile(snapshot, { ...add, deletionVector: null }, fields);
      removedRows.push(...all.filter((_, i) => after.has(i) && !before.has(i)));
      removedByPath.delete(decodeURIComponent(add.path));
      continue;
    }
    addedRows.push(...(await readDataFile(snapshot, add, fields)));
  }
  for (const rem of removedByPath.values()) {
    removedRows.push(...(await readDataFile(snapshot, { ...asAdd(rem.path, rem.partitionValues), deletionVector: rem.deletionVector ?? null }, fields)));
  }
  const rowKey = (r: Row): string => JSON.stringify(fields.map((f) => r[f.name] ?? null));
  // Rows present before and after unchanged were only copied by a rewrite.
  const removedCount = new Map<string, number>();
  for (const r of removedRows) removedCount.set(rowKey(r), (removedCount.get(rowKey(r)) ?? 0) + 1);
  const inserted: Row[] = [];
  for (const r of addedRows) {
    const k = rowKey(r), n = removedCount.get(k) ?? 0;
    if (n > 0) removedCount.set(k, n - 1); else inserted.push(r);
  }
  const deleted: Row[] = [];
  for (const r of removedRows) {
    const k = rowKey(r), n = removedCount.get(k) ?? 0;
    if (n > 0) { deleted.push(r); removedCount.set(k, n - 1); }
  }
  if (keyColumns.length === 0) {
    tag(deleted, 'delete');
    tag(inserted, 'insert');
    return;
  }
  const keyOf = (r: Row): string => keyColumns.map((c) => keyString(r[c])).join('\u0001');
  const deletedByKey = new Map(deleted.map((r) => [keyOf(r), r]));
  for (const r of inserted) {
    const before = deletedByKey.get(keyOf(r));
    if (before) {
      tag([before], 'update_preimage');
      tag([r], 'update_postimage');
      deletedByKey.delete(keyOf(r));
    } else tag([r], 'insert');
  }
  tag([...deletedByKey.values()], 'delete');
}
