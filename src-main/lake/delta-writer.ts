import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { writeCheckpoint } from './checkpoint-writer';
import { tryCommit } from './delta-commit';
import { type Snapshot, listLog, loadSnapshot, readCommit } from './delta-log';
import type { Action, AddAction } from './delta-actions';
import { MAX_ID_KEY, assignColumnMapping, columnMappingMode, maxFieldId } from './column-mapping';
import { conformValue } from './conform';
import { type DeltaField, type Row, keyString } from './delta-types';
import { type FileLayout, writeRows } from './data-files';
import { planDelete, planUpsert, type Plan } from './write-plans';
import { fileMayMatch } from './delta-scan';
import { openWriteJournal, recoverAbandonedWrites } from './write-journal';

/**
 * The Delta writer: create, append, overwrite, upsert and delete by key, committed by
 * put-if-absent with optimistic concurrency (notes/table-formats.md §1.7). Tables we create use
 * protocol (1, 7) with change data feed and in-commit timestamps, so other engines can read them
 * and timestamp travel survives copying the folder.
 */
export type WriteMode = 'append' | 'overwrite' | 'upsert' | 'delete';

export interface WriteRequest {
  readonly mode: WriteMode;
  /** Rows to write (columns they lack are written as null); for `delete`, rows carrying the keys to delete. */
  readonly rows: readonly Row[];
  /** Schema of the rows (required to create a table; else the table's schema is used). */
  readonly fields?: readonly DeltaField[];
  /** Key columns (required for upsert and delete). */
  readonly keyColumns?: readonly string[];
  /** Partition columns of a new table. */
  readonly partitionColumns?: readonly string[];
  /** When a concurrent commit touched the same files: fail (default) or plan again on the new snapshot. */
  readonly onConflict?: 'fail' | 'replan';
  readonly rowsPerFile?: number;
  readonly rowGroupRows?: number;
  /**
   * Plan on this version instead of the latest (what the caller read): a commit that landed in
   * between is checked for conflicts like any concurrent one.
   */
  readonly readVersion?: number;
  /** Clock (ms); injectable for tests. */
  readonly now?: () => number;
}

export interface WriteResult {
  readonly version: number;
  readonly operation: string;
  readonly rowsInserted: number;
  readonly rowsUpdated: number;
  readonly rowsDeleted: number;
  readonly filesAdded: number;
  readonly filesRemoved: number;
  /** Commits lost to concurrent writers before this one won. */
  readonly retries: number;
}

const SUPPORTED_WRITER_FEATURES = new Set([
  'appendOnly', 'invariants', 'changeDataFeed', 'inCommitTimestamp', 'timestampNtz', 'deletionVectors', 'vacuumProtocolCheck',
  'columnMapping', 'typeWidening', 'typeWidening-preview',
]);
const MAX_ATTEMPTS = 200;
export const CHECKPOINT_INTERVAL = 10;

export function checkWritable(snap: Snapshot, mode: WriteMode): void {
  const p = snap.protocol;
  if (p.minWriterVersion > 7 || p.minWriterVersion === 5 || p.minWriterVersion === 6) {
    throw new AppError('UNSUPPORTED', `Table ${snap.tableDir} needs Delta writer version ${p.minWriterVersion}, which Retrace cannot write.`);
  }
  for (const f of p.minWriterVersion === 7 ? p.writerFeatures ?? [] : []) {
    if (!SUPPORTED_WRITER_FEATURES.has(f)) throw new AppError('UNSUPPORTED', `Table ${snap.tableDir} uses writer feature "${f}", which Retrace cannot write yet.`);
  }
  // Legacy writer versions imply features without naming them; what they would make us enforce
  // shows in the schema's field metadata.
  const enforced = fieldsWithMetadata(snap.schema.fields, ['delta.invariants', 'delta.generationExpression', 'delta.identity.start']);
  if (enforced) throw new AppError('UNSUPPORTED', `Table ${snap.tableDir} has ${enforced}, which Retrace cannot enforce, so it will not write to it.`);
  const conf = snap.metadata.configuration ?? {};
  if (Object.keys(conf).some((k) => k.startsWith('delta.constraints.'))) {
    throw new AppError('UNSUPPORTED', `Table ${snap.tableDir} has CHECK constraints, which Retrace cannot enforce, so it will not write to it.`);
  }
  if (conf['delta.appendOnly'] === 'true' && mode !== 'append') {
    throw new AppError('INVALID_ARGUMENT', `Table ${snap.tableDir} is append-only (delta.appendOnly=true); ${mode} is not allowed.`);
  }
}

/** A phrase naming the first field whose metadata holds one of `keys`, or null. */
function fieldsWithMetadata(fields: readonly DeltaField[], keys: readonly string[]): string | null {
  const words: Record<string, string> = { 'delta.invariants': 'a column invariant', 'delta.generationExpression': 'a generated column', 'delta.identity.start': 'an identity column' };
  for (const f of fields) {
    const key = keys.find((k) => f.metadata?.[k] !== undefined);
    if (key) return `${words[key]} ("${f.name}")`;
    if (typeof f.type === 'object' && f.type.type === 'struct') {
      const inner = fieldsWithMetadata(f.type.fields, keys);
      if (inner) return inner;
    }
  }
  return null;
}

function protocolAction(fields: readonly DeltaField[]): Action {
  const ntz = fields.some((f) => f.type === 'timestamp_ntz');
  return { protocol: ntz
    ? { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['timestampNtz'], writerFeatures: ['changeDataFeed', 'inCommitTimestamp', 'timestampNtz'] }
    : { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ['changeDataFeed', 'inCommitTimestamp'] } };
}

/** metaData for a new table, or the replacement of an existing one (same id and settings). */
function metadataAction(fields: readonly DeltaField[], partitionColumns: readonly string[], now: number, base?: Snapshot): Action {
  return { metaData: {
    id: base?.metadata.id ?? randomUUID(), format: { provider: 'parquet', options: {} },
    schemaString: JSON.stringify({ type: 'struct', fields: fields.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable !== false, metadata: f.metadata ?? {} })) }),
    partitionColumns: [...partitionColumns],
    configuration: base ? withMaxColumnId(base, fields) : { 'delta.enableChangeDataFeed': 'true', 'delta.enableInCommitTimestamps': 'true' },
    createdTime: base?.metadata.createdTime ?? now,
  } };
}

/** A column-mapped table records the highest field id it ever gave out. */
function withMaxColumnId(base: Snapshot, fields: readonly DeltaField[]): Record<string, string> {
  const conf = { ...(base.metadata.configuration ?? {}) };
  if (base.columnMapping !== 'none') conf[MAX_ID_KEY] = String(Math.max(Number(conf[MAX_ID_KEY] ?? 0), maxFieldId({ type: 'struct', fields })));
  return conf;
}

function tableExists(dir: string): boolean {
  try { listLog(dir); return true; } catch { return false; }
}

/** Previous commit's in-commit timestamp, if that commit has one. */
export function previousIct(dir: string, version: number): number | undefined {
  try {
    const ict = readCommit(dir, version)[0]?.commitInfo?.inCommitTimestamp;
    return typeof ict === 'number' ? ict : undefined;
  } catch {
    return undefined; // checkpoint-only history: no ICT to keep monotonic with
  }
}

function conformRows(rows: readonly Row[], fields: readonly DeltaField[], tableDir: string): Row[] {
  const names = new Set(fields.map((f) => f.name));
  return rows.map((r, index) => {
    let keys = 0;
    for (const k in r) {
      if (!names.has(k)) throw new AppError('INVALID_ARGUMENT', `Row ${index + 1} of the input has column "${k}", which does not exist in table ${tableDir}.`);
      keys++;
    }
    // Rows already in canonical shape are kept as they are (no copy for bulk writes).
    let out: Row | null = keys === fields.length ? null : {};
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const v = conformValue(r[f.name], f, index + 1);
      if (!out && v !== r[f.name]) {
        out = {};
        for (let j = 0; j < i; j++) out[fields[j]!.name] = r[fields[j]!.name];
      }
      if (out) out[f.name] = v;
    }
    return out ?? r;
  });
}

/** Writes one commit. Creates the table when it does not exist (except for `delete`). */
export async function writeTable(tableDir: string, req: WriteRequest): Promise<WriteResult> {
  const now = req.now ?? Date.now;
  if ((req.mode === 'upsert' || req.mode === 'delete') && !(req.keyColumns && req.keyColumns.length > 0)) {
    throw new AppError('INVALID_ARGUMENT', `Mode "${req.mode}" needs a key column (--key).`);
  }
  recoverAbandonedWrites(tableDir);
  let retries = 0;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const exists = tableExists(tableDir);
    if (!exists && req.mode === 'delete') throw new AppError('NOT_FOUND', `Table ${tableDir} does not exist, so there is nothing to delete.`);
    // The first attempt may plan on an older version the caller read (optimistic concurrency).
    const snap = exists ? await loadSnapshot(tableDir, attempt === 0 ? req.readVersion : undefined) : null;
    if (snap) checkWritable(snap, req.mode);
    const fields = schemaToWrite(snap, req);
    for (const k of req.keyColumns ?? []) {
      if (!fields.some((f) => f.name === k)) throw new AppError('INVALID_ARGUMENT', `Key column "${k}" does not exist in table ${tableDir}.`);
    }
    const partitionColumns = snap && req.mode !== 'overwrite' ? snap.metadata.partitionColumns : req.partitionColumns ?? snap?.metadata.partitionColumns ?? [];
    const rows = req.mode === 'delete' ? req.rows : conformRows(req.rows, fields, tableDir);
    const journal = openWriteJournal(tableDir, snap?.version ?? -1);
    const layout: FileLayout = {
      fields, partitionColumns, keyColumns: req.keyColumns ?? [], mode: snap ? columnMappingMode(snap.metadata) : 'none',
      // Unless the caller fixes the row count, row groups of ~1 MiB: narrow tables get 8192 rows,
      // an embedding table ~2000 (a point lookup decodes one row group).
      rowsPerFile: req.rowsPerFile ?? 131_072, rowGroupRows: req.rowGroupRows ?? 8192, ...(req.rowGroupRows ? {} : { rowGroupBytes: 1024 * 1024 }), journal,
    };
    try {
      const plan = await buildPlan(tableDir, snap, req, layout, rows, now());
      let version = snap ? snap.version + 1 : 0;
      for (;;) {
        const ts = now();
        const prev = snap && version > 0 ? previousIct(tableDir, version - 1) : undefined;
        const ictOn = !snap || snap.metadata.configuration?.['delta.enableInCommitTimestamps'] === 'true';
        const commitInfo = {
          timestamp: ts,
          ...(ictOn ? { inCommitTimestamp: Math.max(ts, (prev ?? 0) + 1) } : {}),
          operation: plan.operation, operationParameters: plan.parameters, operationMetrics: plan.metrics,
          readVersion: snap?.version ?? -1, isBlindAppend: plan.blindAppend, engineInfo: 'Retrace',
        };
        const header: Action[] = !snap ? [protocolAction(fields), metadataAction(fields, partitionColumns, ts)]
          : plan.newMetadata ? [metadataAction(fields, partitionColumns, ts, snap)] : [];
        const outcome = tryCommit(tableDir, version, [{ commitInfo }, ...header, ...plan.actions]);
        if (outcome.ok) {
          journal.committed();
          await maybeCheckpoint(tableDir, version);
          return { version, operation: plan.operation, ...plan.counts, retries };
        }
        retries++;
        // Another writer won `version`: see what it did before deciding to retry on top of it.
        const conflict = snap ? findConflict(snap, version, plan, req, rows) : 'the table was created concurrently';
        if (conflict) {
          journal.abandon();
          if (req.onConflict === 'replan') break;
          throw new AppError('CONFLICT', `Commit to table ${tableDir} lost to a concurrent commit at version ${version} that ${conflict}; nothing was written.`);
        }
        version++;
      }
    } catch (err) {
      journal.abandon(); // a failed write leaves no file behind
      throw err;
    }
  }
  throw new AppError('CONFLICT', `Table ${tableDir} kept changing under this write; gave up after ${MAX_ATTEMPTS} attempts.`);
}

/**
 * The schema rows are written with: the table's, or for a new table or an overwrite the one
 * given. Overwriting a column-mapped table keeps the physical name of every column that stays
 * (same name and type) and gives new columns new ones.
 */
function schemaToWrite(snap: Snapshot | null, req: WriteRequest): readonly DeltaField[] {
  if (snap && req.mode !== 'overwrite') return snap.schema.fields;
  const given = req.fields ?? snap?.schema.fields;
  if (!given) throw new AppError('INVALID_ARGUMENT', `A schema is needed to create table ${snap?.tableDir ?? 'here'}.`);
  if (!snap || snap.columnMapping === 'none' || given === snap.schema.fields) return given;
  const kept = given.map((f) => {
    const old = snap.schema.fields.find((o) => o.name === f.name && JSON.stringify(o.type) === JSON.stringify(f.type));
    return old ? { ...f, metadata: old.metadata ?? {} } : f;
  });
  const lastId = Number(snap.metadata.configuration?.[MAX_ID_KEY] ?? 0) || maxFieldId({ type: 'struct', fields: snap.schema.fields });
  return assignColumnMapping({ type: 'struct', fields: kept }, lastId, { keepNames: false, newName: () => `col-${randomUUID()}` }).schema.fields;
}

async function buildPlan(tableDir: string, snap: Snapshot | null, req: WriteRequest, layout: FileLayout, rows: readonly Row[], now: number): Promise<Plan> {
  if (req.mode === 'upsert' && snap) return planUpsert(tableDir, snap, layout, rows, now);
  if (req.mode === 'delete' && snap) return planDelete(tableDir, snap, layout, rows, now);
  const written = await writeRows(tableDir, rows, layout, now);
  const overwrite = req.mode === 'overwrite' && snap !== null;
  const removed = overwrite ? snap!.files : [];
  const removedRows = removed.reduce((s, f) => s + numRecords(f), 0);
  const shape = (fields: readonly DeltaField[]): string => JSON.stringify(fields.map((f) => [f.name, f.type, f.nullable !== false]));
  const schemaChanged = overwrite && (shape(layout.fields) !== shape(snap!.schema.fields)
    || JSON.stringify(layout.partitionColumns) !== JSON.stringify(snap!.metadata.partitionColumns));
  return {
    operation: snap ? 'WRITE' : 'CREATE TABLE',
    parameters: { mode: overwrite ? 'Overwrite' : snap ? 'Append' : 'ErrorIfExists', partitionBy: JSON.stringify(layout.partitionColumns) },
    metrics: { numFiles: String(written.adds.length), numOutputRows: String(rows.length), ...(overwrite ? { numRemovedFiles: String(removed.length), numDeletedRows: String(removedRows) } : {}) },
    counts: { rowsInserted: rows.length, rowsUpdated: 0, rowsDeleted: removedRows, filesAdded: written.adds.length, filesRemoved: removed.length },
    actions: [...removed.map((f) => removeOf(f, now)), ...written.adds.map((add) => ({ add }))],
    writtenPaths: written.paths, removedPaths: removed.map((f) => f.path), blindAppend: !overwrite, newMetadata: schemaChanged,
  };
}

function removeOf(f: AddAction, now: number): Action {
  return { remove: { path: f.path, deletionTimestamp: now, dataChange: true, partitionValues: f.partitionValues, size: f.size, ...(f.deletionVector ? { deletionVector: f.deletionVector } : {}) } };
}

export function numRecords(f: AddAction): number {
  try { return (JSON.parse(f.stats ?? '{}') as { numRecords?: number }).numRecords ?? 0; } catch { return 0; }
}

/** Why the commits that beat us at `from`.. make our plan invalid, or null when it still holds. */
function findConflict(snap: Snapshot, from: number, plan: Plan, req: WriteRequest, rows: readonly Row[]): string | null {
  const latest = listLog(snap.tableDir).latest;
  const ours = new Set(plan.removedPaths.map((p) => decodeURIComponent(p)));
  for (let v = from; v <= latest; v++) {
    for (const a of readCommit(snap.tableDir, v)) {
      if (a.metaData || a.protocol) return 'changed the table schema or protocol';
      if (a.remove && ours.has(decodeURIComponent(a.remove.path))) return `rewrote the same file ${a.remove.path}`;
      if (req.mode === 'overwrite' && (a.add || a.remove)) return 'changed data this overwrite replaces';
      if (a.add && (req.mode === 'upsert' || req.mode === 'delete') && addMayHoldKeys(snap, a.add, req.keyColumns!, rows)) {
        return `added file ${a.add.path} that may hold the same keys`;
      }
    }
  }
  return null;
}

function addMayHoldKeys(snap: Snapshot, add: AddAction, keyColumns: readonly string[], rows: readonly Row[]): boolean {
  const seen = new Set<string>();
  for (const r of rows) {
    const where = keyColumns.map((c) => ({ column: c, value: r[c] }));
    const k = where.map((w) => keyString(w.value)).join('\u0001');
    if (seen.has(k)) continue;
    seen.add(k);
    if (fileMayMatch(snap, add, where)) return true;
  }
  return false;
}

async function maybeCheckpoint(tableDir: string, version: number): Promise<void> {
  if (version === 0 || version % CHECKPOINT_INTERVAL !== 0) return;
  try {
    writeCheckpoint(await loadSnapshot(tableDir, version));
  } catch {
    // A checkpoint is an optimisation: failing to write one must not fail the committed write.
  }
}
