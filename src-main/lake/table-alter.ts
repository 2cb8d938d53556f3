import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { MAX_ID_KEY, MODE_KEY, assignColumnMapping, maxFieldId } from './column-mapping';
import { tryCommit } from './delta-commit';
import type { Action, ProtocolAction } from './delta-actions';
import { type Snapshot, loadSnapshot } from './delta-log';
import type { DeltaField } from './delta-types';
import { checkWritable, previousIct } from './delta-writer';

/**
 * `retrace table alter DIR --rename OLD=NEW --drop COL`: schema changes that rewrite no data,
 * through column mapping (PROTOCOL.md §Column Mapping). A table without column mapping is first
 * switched to mode `name` with each column's physical name set to its current name, so every
 * existing data file stays valid; a rename then changes only the logical name, and a drop only
 * removes the field from the schema. Older versions keep their own schema, so time travel to
 * before the change shows the old names and the dropped column.
 */
export interface AlterRequest {
  readonly rename?: readonly (readonly [string, string])[];
  readonly drop?: readonly string[];
  readonly now?: () => number;
}

export interface AlterResult { readonly version: number; readonly operation: string; readonly columnMappingEnabled: boolean }

/** Legacy protocol versions imply these writer features (PROTOCOL.md §Table Features). */
const IMPLIED_WRITER_FEATURES: readonly (readonly [number, string])[] = [
  [2, 'appendOnly'], [2, 'invariants'], [3, 'checkConstraints'], [4, 'changeDataFeed'], [4, 'generatedColumns'], [5, 'columnMapping'], [6, 'identityColumns'],
];

function withColumnMapping(p: ProtocolAction): ProtocolAction {
  const writer = p.minWriterVersion >= 7 ? [...(p.writerFeatures ?? [])] : IMPLIED_WRITER_FEATURES.filter(([v]) => v <= p.minWriterVersion).map(([, f]) => f);
  const reader = p.minReaderVersion >= 3 ? [...(p.readerFeatures ?? [])] : [];
  if (!writer.includes('columnMapping')) writer.push('columnMapping');
  if (!reader.includes('columnMapping')) reader.push('columnMapping');
  return { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: reader, writerFeatures: writer };
}

function plan(snap: Snapshot, req: AlterRequest): { fields: DeltaField[]; partitionColumns: string[]; operation: string; parameters: Record<string, string> } {
  let fields = [...snap.schema.fields];
  let partitionColumns = [...snap.metadata.partitionColumns];
  const has = (name: string): boolean => fields.some((f) => f.name === name);
  const ops: string[] = [];
  const parameters: Record<string, string> = {};
  for (const [from, to] of req.rename ?? []) {
    if (!has(from)) throw new AppError('INVALID_ARGUMENT', `Column "${from}" does not exist in table ${snap.tableDir}, so it cannot be renamed.`);
    if (has(to)) throw new AppError('INVALID_ARGUMENT', `Table ${snap.tableDir} already has a column "${to}".`);
    if (!/^[^,;{}()\n\t=]+$/.test(to)) throw new AppError('INVALID_ARGUMENT', `"${to}" is not a column name Delta allows (no , ; { } ( ) = or line breaks).`);
    fields = fields.map((f) => (f.name === from ? { ...f, name: to } : f));
    partitionColumns = partitionColumns.map((c) => (c === from ? to : c));
    ops.push('RENAME COLUMN');
    parameters.oldColumnPath = from;
    parameters.newColumnPath = to;
  }
  for (const name of req.drop ?? []) {
    if (!has(name)) throw new AppError('INVALID_ARGUMENT', `Column "${name}" does not exist in table ${snap.tableDir}, so it cannot be dropped.`);
    if (partitionColumns.includes(name)) throw new AppError('INVALID_ARGUMENT', `Column "${name}" partitions table ${snap.tableDir}; a partition column cannot be dropped.`);
    if (fields.length === 1) throw new AppError('INVALID_ARGUMENT', `Column "${name}" is the last column of table ${snap.tableDir}; a table needs at least one.`);
    fields = fields.filter((f) => f.name !== name);
    ops.push('DROP COLUMNS');
    parameters.columns = JSON.stringify([...(req.drop ?? [])]);
  }
  if (ops.length === 0) throw new AppError('INVALID_ARGUMENT', 'Nothing to change: give --rename OLD=NEW or --drop COL.');
  return { fields, partitionColumns, operation: [...new Set(ops)].join(', '), parameters };
}

export async function alterTable(tableDir: string, req: AlterRequest): Promise<AlterResult> {
  const now = req.now ?? Date.now;
  const snap = await loadSnapshot(tableDir);
  checkWritable(snap, 'append');
  const enabling = snap.columnMapping === 'none';
  // Switching on: physical names are today's names, so no data file changes.
  const mapped = enabling
    ? assignColumnMapping(snap.schema, Number(snap.metadata.configuration?.[MAX_ID_KEY] ?? 0), { keepNames: true, newName: () => `col-${randomUUID()}` })
    : { schema: snap.schema, maxId: maxFieldId(snap.schema) };
  const { fields, partitionColumns, operation, parameters } = plan({ ...snap, schema: mapped.schema }, req);
  const configuration = { ...(snap.metadata.configuration ?? {}) };
  if (enabling) configuration[MODE_KEY] = 'name';
  configuration[MAX_ID_KEY] = String(Math.max(Number(configuration[MAX_ID_KEY] ?? 0), mapped.maxId));
  const ts = now();
  const ictOn = configuration['delta.enableInCommitTimestamps'] === 'true';
  const ict = Math.max(ts, (previousIct(tableDir, snap.version) ?? 0) + 1);
  const actions: Action[] = [
    { commitInfo: { timestamp: ts, ...(ictOn ? { inCommitTimestamp: ict } : {}), operation, operationParameters: parameters, readVersion: snap.version, isBlindAppend: false, engineInfo: 'Retrace' } },
    ...(enabling ? [{ protocol: withColumnMapping(snap.protocol) }] : []),
    { metaData: {
      ...snap.metadata,
      schemaString: JSON.stringify({ type: 'struct', fields: fields.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable !== false, metadata: f.metadata ?? {} })) }),
      partitionColumns, configuration,
    } },
  ];
  const outcome = tryCommit(tableDir, snap.version + 1, actions);
  if (!outcome.ok) throw new AppError('CONFLICT', `Table ${tableDir} changed while altering it (version ${snap.version + 1} exists now); nothing was changed. Try again.`);
  return { version: outcome.version, operation, columnMappingEnabled: enabling };
}
