/**
 * What the table views of the explorer ask beyond reading pages (issue 13 §8): how many rows
 * each version holds, which column is the table's key, "the row with key K as of time T" with
 * the commit it came from, and the net difference between two versions (rows added, removed and
 * changed, with the changed cells named). Built on the commit store's own reader (log replay,
 * key-index lookups, the change feed); this file only combines them.
 */
import { AppError } from '../../shared/errors';
import { type ChangeRow, firstVersionAtOrAfter, lastVersionAtOrBefore, readChanges } from './changes';
import type { AddAction } from './delta-actions';
import { listLog, loadSnapshot, readCommit } from './delta-log';
import { physicalName } from './column-mapping';
import { parseStats } from './delta-scan';
import { type Row, keyString } from './delta-types';
import { readKeyIndex } from './data-files';
import { lookupKey } from './lookup';
import { versionAtTime, versionTimestamp } from './time-travel';

/** Rows in the table after each commit still in the log, from file statistics; null from the first commit whose files lack a row count. */
export async function rowCountsByVersion(dir: string): Promise<Map<number, number | null>> {
  const listing = listLog(dir);
  const versions = [...listing.commits.keys()].sort((a, b) => a - b);
  const out = new Map<number, number | null>();
  if (versions.length === 0) return out;
  const records = (a: AddAction): number | null => {
    const n = parseStats(a)?.numRecords;
    if (typeof n !== 'number') return null;
    const dv = a.deletionVector as { cardinality?: number } | null | undefined;
    return n - (dv?.cardinality ?? 0);
  };
  // Live files and their rows; a log that starts after version 0 starts from the snapshot before.
  const live = new Map<string, number | null>();
  if (versions[0]! > 0) for (const f of (await loadSnapshot(dir, versions[0]! - 1, listing)).files) live.set(decodeURIComponent(f.path), records(f));
  for (const v of versions) {
    for (const a of readCommit(dir, v)) {
      if (a.remove) live.delete(decodeURIComponent(a.remove.path));
      if (a.add) live.set(decodeURIComponent(a.add.path), records(a.add));
    }
    let total: number | null = 0;
    for (const n of live.values()) total = n === null || total === null ? null : total + n;
    out.set(v, total);
  }
  return out;
}

/**
 * The table's key columns, as far as the log tells: Retrace's upsert and delete commits name
 * them (`key match on ["id"]`), else the key index Retrace writes beside the data files. Empty
 * when neither says (a table written by another engine): rows are then matched whole.
 */
export async function tableKeyColumns(dir: string): Promise<string[]> {
  const listing = listLog(dir);
  for (const v of [...listing.commits.keys()].sort((a, b) => b - a)) {
    const info = readCommit(dir, v).find((a) => a.commitInfo)?.commitInfo;
    const predicate = (info?.operationParameters as { predicate?: unknown } | undefined)?.predicate;
    const m = typeof predicate === 'string' ? / on (\[.*\])$/.exec(predicate) : null;
    if (m) {
      try {
        const cols = JSON.parse(m[1]!) as unknown;
        if (Array.isArray(cols) && cols.length > 0 && cols.every((c) => typeof c === 'string')) return cols as string[];
      } catch {
        // not Retrace's predicate: look further back
      }
    }
  }
  const snap = await loadSnapshot(dir, undefined, listing);
  for (const f of snap.files.slice(0, 8)) {
    const index = readKeyIndex(dir, f.path);
    // The index names the column as stored (its physical name under column mapping).
    const field = index && snap.schema.fields.find((x) => physicalName(x, snap.columnMapping) === index.column);
    if (field) return [field.name];
  }
  return [];
}

export interface CommitRef { readonly version: number; readonly timestamp: string; readonly operation: string }

/** One commit's time (as time travel sees it) and operation. */
export function commitRef(dir: string, version: number): CommitRef {
  const info = readCommit(dir, version).find((a) => a.commitInfo)?.commitInfo;
  return { version, timestamp: new Date(versionTimestamp(dir, version)).toISOString(), operation: String(info?.operation ?? 'UNKNOWN') };
}

export interface ValueAsOf {
  readonly version: number;
  readonly commit: CommitRef;
  readonly rows: Row[];
  /** Set when `asOf` is before the first commit: the answer is then the first version's (as `table read --as-of` does). */
  readonly beforeFirstCommit: boolean;
}

/** The rows whose `keyColumn` equals `key` in the version current at `asOfMs`, found through the key index. */
export async function valueAsOf(dir: string, keyColumn: string, key: string, asOfMs: number): Promise<ValueAsOf> {
  const version = versionAtTime(dir, asOfMs);
  const { rows } = await lookupKey(dir, { keyColumn, key, version });
  const commit = commitRef(dir, version);
  return { version, commit, rows, beforeFirstCommit: asOfMs < Date.parse(commit.timestamp) };
}

export interface RowChange {
  readonly change: 'added' | 'removed' | 'changed';
  /** The row's key values (null when the table has no key: rows are then matched whole). */
  readonly key: Row | null;
  readonly before: Row | null;
  readonly after: Row | null;
  /** For `changed`: the columns whose values differ. */
  readonly changedColumns: string[];
}

/**
 * The net difference between the state before the first change and after the last one, from
 * change rows in commit order: a row inserted and deleted again is no change; a row updated
 * twice is one change from its first to its last values. Matched by `key`, else whole rows.
 */
export function netRowChanges(changes: readonly ChangeRow[], key: readonly string[]): RowChange[] {
  const strip = (r: ChangeRow): Row => {
    const { _change_type: _t, _commit_version: _v, _commit_timestamp: _ts, ...row } = r;
    return row;
  };
  const identity = (r: Row) => (key.length ? key.map((k) => keyString(r[k])).join('\u0001') : JSON.stringify(Object.keys(r).sort().map((k) => [k, keyString(r[k])])));
  // Per identity: the state before the range (null = absent) and the state after it.
  const states = new Map<string, { first: Row | null; last: Row | null; order: number }>();
  let order = 0;
  for (const c of changes) {
    const row = strip(c);
    const id = identity(row);
    let s = states.get(id);
    const beforeKnown = c._change_type === 'delete' || c._change_type === 'update_preimage';
    if (!s) states.set(id, (s = { first: beforeKnown ? row : null, last: beforeKnown ? row : null, order: order++ }));
    if (c._change_type === 'insert' || c._change_type === 'update_postimage') s.last = row;
    else if (c._change_type === 'delete') s.last = null;
  }
  const out: (RowChange & { order: number })[] = [];
  for (const s of states.values()) {
    const keyOf = (r: Row) => (key.length ? Object.fromEntries(key.map((k) => [k, r[k]])) : null);
    if (s.first === null && s.last !== null) out.push({ change: 'added', key: keyOf(s.last), before: null, after: s.last, changedColumns: [], order: s.order });
    else if (s.first !== null && s.last === null) out.push({ change: 'removed', key: keyOf(s.first), before: s.first, after: null, changedColumns: [], order: s.order });
    else if (s.first !== null && s.last !== null) {
      const cols = [...new Set([...Object.keys(s.first), ...Object.keys(s.last)])].filter((c) => keyString(s.first![c]) !== keyString(s.last![c]));
      if (cols.length) out.push({ change: 'changed', key: keyOf(s.last), before: s.first, after: s.last, changedColumns: cols, order: s.order });
    }
  }
  return out.sort((a, b) => a.order - b.order).map(({ order: _o, ...r }) => r);
}

/**
 * Change-feed rows of the commits at or after `fromMs` and at or before `toMs` (empty when there
 * are none), commits chosen by their change-feed time as `retrace table changes --from-time
 * --to-time` chooses them.
 */
export async function changesBetweenTimes(dir: string, fromMs: number, toMs: number, keyColumns: readonly string[]): Promise<{ fromVersion: number | null; toVersion: number | null; changes: ChangeRow[] }> {
  if (fromMs > toMs) throw new AppError('INVALID_ARGUMENT', `The time range starts (${new Date(fromMs).toISOString()}) after it ends (${new Date(toMs).toISOString()}).`);
  const none = { fromVersion: null, toVersion: null, changes: [] };
  let fromVersion: number, toVersion: number;
  try {
    fromVersion = firstVersionAtOrAfter(dir, fromMs);
    toVersion = lastVersionAtOrBefore(dir, toMs);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return none;
    throw err;
  }
  if (fromVersion > toVersion) return none;
  return { fromVersion, toVersion, changes: await readChanges(dir, fromVersion, toVersion, keyColumns.length ? { keyColumns } : {}) };
}
