import { AppError } from '../../shared/errors';
import type { Snapshot } from './delta-log';
import type { Action, AddAction } from './delta-actions';
import { fileMayMatch, parseStats, readDataFile } from './delta-scan';
import { type DeltaField, type DeltaType, type Row, coerceValue, compareValues, keyString } from './delta-types';
import { physicalName } from './column-mapping';
import { type FileLayout, writeChangeRows, writeRows } from './data-files';

/**
 * Copy-on-write plans for upsert and delete by key: only files whose key statistics may hold one
 * of the keys are read, and only those that really hold one are rewritten. Metrics use Spark's
 * names (MERGE / DELETE) so `DESCRIBE HISTORY` elsewhere shows the same numbers.
 */
export interface Plan {
  readonly operation: string;
  readonly parameters: Record<string, string>;
  readonly metrics: Record<string, string>;
  readonly counts: { rowsInserted: number; rowsUpdated: number; rowsDeleted: number; filesAdded: number; filesRemoved: number };
  readonly actions: Action[];
  /** Files this commit wrote (deleted again if the commit is abandoned). */
  readonly writtenPaths: string[];
  /** Files this commit removes (a concurrent remove of any of them is a conflict). */
  readonly removedPaths: string[];
  readonly blindAppend: boolean;
  readonly newMetadata: boolean;
}

type KeyFn = (r: Row) => string;

function keyFunction(layout: FileLayout): KeyFn {
  const cols = layout.keyColumns.map((c) => ({ c, t: layout.fields.find((f) => f.name === c)!.type }));
  return (r) => cols.map(({ c, t }) => keyString(coerceValue(r[c], t, c))).join('\u0001');
}

/** Files whose stats (or partition values) may hold any of the given key rows. */
export function candidateFiles(snap: Snapshot, layout: FileLayout, keyRows: readonly Row[]): AddAction[] {
  const [only] = layout.keyColumns;
  const field = layout.fields.find((f) => f.name === only)!;
  if (layout.keyColumns.length === 1 && !layout.partitionColumns.includes(only!) && typeof field.type === 'string') {
    // One key column: binary-search the sorted keys against each file's [min, max].
    const t = field.type as DeltaType;
    const keys = keyRows.map((r) => coerceValue(r[only!], t, only!)).filter((v) => v !== null).sort((a, b) => compareValues(a, b, t));
    const stored = physicalName(field, snap.columnMapping);
    return snap.files.filter((f) => {
      const stats = parseStats(f);
      const min = stats?.minValues?.[stored], max = stats?.maxValues?.[stored];
      if (min === undefined || max === undefined || min === null || max === null) return true;
      let lo = 0, hi = keys.length;
      const cmin = coerceValue(min, t, only!);
      while (lo < hi) { const mid = (lo + hi) >> 1; if (compareValues(keys[mid], cmin, t) < 0) lo = mid + 1; else hi = mid; }
      return lo < keys.length && compareValues(keys[lo], coerceValue(max, t, only!), t) <= 0;
    });
  }
  return snap.files.filter((f) => keyRows.some((r) => fileMayMatch(snap, f, layout.keyColumns.map((c) => ({ column: c, value: r[c] })))));
}

function removeAction(f: AddAction, now: number): Action {
  return { remove: { path: f.path, deletionTimestamp: now, dataChange: true, extendedFileMetadata: true, partitionValues: f.partitionValues, size: f.size, ...(f.deletionVector ? { deletionVector: f.deletionVector } : {}) } as never };
}

const cdfOn = (snap: Snapshot): boolean => snap.metadata.configuration?.['delta.enableChangeDataFeed'] === 'true';
const tagged = (rows: readonly Row[], type: string): Row[] => rows.map((r) => ({ ...r, _change_type: type }));

export async function planUpsert(tableDir: string, snap: Snapshot, layout: FileLayout, rows: readonly Row[], now: number): Promise<Plan> {
  const keyOf = keyFunction(layout);
  const incoming = new Map<string, Row>();
  for (const r of rows) {
    for (const c of layout.keyColumns) if (r[c] === null || r[c] === undefined) throw new AppError('INVALID_ARGUMENT', `Key column "${c}" is empty in an input row.`);
    incoming.set(keyOf(r), r); // the last row for a key wins
  }
  const fields: readonly DeltaField[] = layout.fields;
  const found = new Set<string>();
  const pre: Row[] = [], post: Row[] = [];
  const removed: AddAction[] = [];
  const rewrites: Row[][] = [];
  let copied = 0;
  for (const file of candidateFiles(snap, layout, [...incoming.values()])) {
    const existing = await readDataFile(snap, file, fields);
    let hit = false;
    const out = existing.map((r) => {
      const next = incoming.get(keyOf(r));
      if (!next) return r;
      hit = true;
      found.add(keyOf(r));
      pre.push(r);
      post.push(next);
      return next;
    });
    if (!hit) continue;
    removed.push(file);
    rewrites.push(out);
    copied += existing.length;
  }
  copied -= pre.length;
  const inserts = [...incoming.entries()].filter(([k]) => !found.has(k)).map(([, r]) => r);
  const adds: AddAction[] = [], written: string[] = [];
  for (const group of [...rewrites, inserts]) {
    if (group.length === 0) continue;
    const w = await writeRows(tableDir, group, layout, now);
    adds.push(...w.adds);
    written.push(...w.paths);
  }
  const actions: Action[] = [...removed.map((f) => removeAction(f, now)), ...adds.map((add) => ({ add }))];
  if (cdfOn(snap) && pre.length > 0) {
    const c = writeChangeRows(tableDir, [...tagged(pre, 'update_preimage'), ...tagged(post, 'update_postimage'), ...tagged(inserts, 'insert')], layout);
    actions.push(...c.cdc.map((cdc) => ({ cdc })));
    written.push(...c.paths);
  }
  return {
    operation: 'MERGE',
    parameters: { predicate: `key match on ${JSON.stringify(layout.keyColumns)}`, matchedPredicates: '[{"actionType":"update"}]', notMatchedPredicates: '[{"actionType":"insert"}]' },
    metrics: {
      numSourceRows: String(rows.length), numTargetRowsInserted: String(inserts.length), numTargetRowsUpdated: String(pre.length),
      numTargetRowsDeleted: '0', numTargetRowsCopied: String(copied), numOutputRows: String(copied + pre.length + inserts.length),
      numTargetFilesAdded: String(adds.length), numTargetFilesRemoved: String(removed.length),
    },
    counts: { rowsInserted: inserts.length, rowsUpdated: pre.length, rowsDeleted: 0, filesAdded: adds.length, filesRemoved: removed.length },
    actions, writtenPaths: written, removedPaths: removed.map((f) => f.path), blindAppend: false, newMetadata: false,
  };
}

export async function planDelete(tableDir: string, snap: Snapshot, layout: FileLayout, keyRows: readonly Row[], now: number): Promise<Plan> {
  const keyOf = keyFunction(layout);
  const keys = new Set(keyRows.map(keyOf));
  const deleted: Row[] = [];
  const removed: AddAction[] = [];
  const adds: AddAction[] = [], written: string[] = [];
  let copied = 0;
  for (const file of candidateFiles(snap, layout, keyRows)) {
    const existing = await readDataFile(snap, file, layout.fields);
    const keep = existing.filter((r) => !keys.has(keyOf(r)));
    if (keep.length === existing.length) continue;
    deleted.push(...existing.filter((r) => keys.has(keyOf(r))));
    removed.push(file);
    copied += keep.length;
    if (keep.length > 0) {
      const w = await writeRows(tableDir, keep, layout, now);
      adds.push(...w.adds);
      written.push(...w.paths);
    }
  }
  const actions: Action[] = [...removed.map((f) => removeAction(f, now)), ...adds.map((add) => ({ add }))];
  let changeFiles = 0;
  if (cdfOn(snap) && deleted.length > 0) {
    const c = writeChangeRows(tableDir, tagged(deleted, 'delete'), layout);
    actions.push(...c.cdc.map((cdc) => ({ cdc })));
    written.push(...c.paths);
    changeFiles = c.cdc.length;
  }
  return {
    operation: 'DELETE',
    parameters: { predicate: `key in [${keys.size} keys] on ${JSON.stringify(layout.keyColumns)}` },
    metrics: {
      numDeletedRows: String(deleted.length), numCopiedRows: String(copied), numRemovedFiles: String(removed.length),
      numAddedFiles: String(adds.length), numAddedChangeFiles: String(changeFiles),
    },
    counts: { rowsInserted: 0, rowsUpdated: 0, rowsDeleted: deleted.length, filesAdded: adds.length, filesRemoved: removed.length },
    actions, writtenPaths: written, removedPaths: removed.map((f) => f.path), blindAppend: false, newMetadata: false,
  };
}
