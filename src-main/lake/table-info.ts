import fs from 'node:fs';
import path from 'node:path';
import type { SchemaNodeDto, TableInfoDto } from '../../shared/table-dto';
import { deltaTypeOfArrow } from './arrow-read';
import { physicalName } from './column-mapping';
import { describeType } from './conform';
import { loadSnapshot } from './delta-log';
import { parseStats } from './delta-scan';
import type { DeltaField, DeltaType } from './delta-types';
import { hudiFileSlices } from './hudi';
import { hudiTimeline } from './hudi-timeline';
import { readParquetLayout } from './parquet-io';

/**
 * What a table is, for the app's inspector and `retrace table info`: format, protocol and
 * features ("Delta · reader 3 / writer 7 · deletionVectors, columnMapping"), the schema as a
 * tree (nested types open up), partitioning and size.
 */
export function tableFormat(dir: string): 'delta' | 'hudi' | null {
  if (fs.existsSync(path.join(dir, '_delta_log'))) return 'delta';
  if (fs.existsSync(path.join(dir, '.hoodie', 'hoodie.properties'))) return 'hudi';
  return null;
}

/** Features that legacy protocol versions imply (PROTOCOL.md §Table Features). */
const IMPLIED_READER: Record<number, string[]> = { 2: ['columnMapping'] };
const IMPLIED_WRITER: [number, string][] = [[2, 'appendOnly'], [2, 'invariants'], [3, 'checkConstraints'], [4, 'changeDataFeed'], [4, 'generatedColumns'], [5, 'columnMapping'], [6, 'identityColumns']];

export function schemaTree(fields: readonly DeltaField[], mode: 'none' | 'name' | 'id' = 'none'): SchemaNodeDto[] {
  const node = (name: string, type: DeltaType, nullable: boolean, field?: DeltaField): SchemaNodeDto => {
    const base = { name, type: describeType(type), nullable, ...(field && mode !== 'none' && physicalName(field, mode) !== name ? { physicalName: physicalName(field, mode) } : {}) };
    if (typeof type === 'string') return { ...base, kind: type === 'variant' ? 'variant' : 'primitive' };
    if (type.type === 'struct') return { ...base, kind: 'struct', children: type.fields.map((f) => node(f.name, f.type, f.nullable !== false, f)) };
    if (type.type === 'array') {
      const numeric = typeof type.elementType === 'string' && ['float', 'double', 'integer', 'long', 'short', 'byte'].includes(type.elementType);
      return { ...base, kind: 'array', ...(numeric ? { vector: true } : {}), children: [node('element', type.elementType, type.containsNull !== false)] };
    }
    return { ...base, kind: 'map', children: [node('key', type.keyType, false), node('value', type.valueType, type.valueContainsNull !== false)] };
  };
  return fields.map((f) => node(f.name, f.type, f.nullable !== false, f));
}

async function deltaInfo(dir: string, version?: number): Promise<TableInfoDto> {
  const snap = await loadSnapshot(dir, version);
  const p = snap.protocol;
  const reader = p.minReaderVersion >= 3 ? [...(p.readerFeatures ?? [])] : IMPLIED_READER[p.minReaderVersion] ?? [];
  const writer = p.minWriterVersion >= 7 ? [...(p.writerFeatures ?? [])] : IMPLIED_WRITER.filter(([v]) => v <= p.minWriterVersion).map(([, f]) => f);
  const shown = reader.length > 0 ? reader : writer;
  let numRecords: number | null = 0, sizeBytes = 0;
  for (const f of snap.files) {
    sizeBytes += f.size ?? 0;
    const n = parseStats(f)?.numRecords;
    numRecords = numRecords === null || n === undefined ? null : numRecords + n;
  }
  return {
    format: 'delta',
    summary: `Delta · reader ${p.minReaderVersion} / writer ${p.minWriterVersion}${shown.length ? ` · ${shown.join(', ')}` : ''}`,
    version: snap.version,
    protocol: { readerVersion: p.minReaderVersion, writerVersion: p.minWriterVersion },
    readerFeatures: reader, writerFeatures: writer,
    columnMapping: snap.columnMapping,
    partitionColumns: [...snap.metadata.partitionColumns],
    schema: schemaTree(snap.schema.fields, snap.columnMapping),
    numFiles: snap.files.length, sizeBytes,
    // Deletion vectors hide rows the stats still count.
    numRecords: snap.files.some((f) => f.deletionVector) ? null : numRecords,
    warnings: [...snap.warnings],
  };
}

async function hudiInfo(dir: string): Promise<TableInfoDto> {
  const table = hudiTimeline(dir);
  const slices = await hudiFileSlices(table);
  const props = table.properties;
  const mor = table.tableType === 'MERGE_ON_READ';
  const recordKey = (props['hoodie.table.recordkey.fields'] ?? '').split(',').filter(Boolean);
  const ordering = (props['hoodie.table.ordering.fields'] ?? props['hoodie.table.precombine.field'])?.split(',')[0];
  const partitions = (props['hoodie.table.partition.fields'] ?? '').split(',').filter(Boolean);
  const sample = slices.find((s) => s.base)?.base;
  const fields: DeltaField[] = sample
    ? (await readParquetLayout(sample.path)).fields.map((f) => ({ name: f.name, type: deltaTypeOfArrow(f.type, `Column "${f.name}"`), nullable: f.nullable }))
    : [];
  let sizeBytes = 0;
  for (const s of slices) for (const f of [...(s.base ? [s.base] : []), ...s.logs]) sizeBytes += fs.statSync(f.path).size;
  const latest = table.timeline.at(-1);
  const details = [mor ? 'merge-on-read' : 'copy-on-write', `table version ${table.tableVersion}`, ...(recordKey.length ? [`record key ${recordKey.join(', ')}`] : []), ...(ordering ? [`ordering ${ordering}`] : [])];
  return {
    format: 'hudi',
    summary: `Hudi · ${details.join(' · ')}`,
    version: table.timeline.length > 0 ? table.timeline.length - 1 : null,
    ...(latest ? { instant: latest.instant } : {}),
    readerFeatures: [], writerFeatures: [],
    hudi: { tableType: table.tableType, tableVersion: table.tableVersion, recordKey, ...(ordering ? { orderingField: ordering } : {}) },
    columnMapping: 'none',
    partitionColumns: partitions,
    schema: schemaTree(fields),
    numFiles: slices.reduce((n, s) => n + (s.base ? 1 : 0) + s.logs.length, 0), sizeBytes, numRecords: null,
    warnings: [],
  };
}

/** Format, features, schema tree and size of the table in `dir` (Delta: at `version`, default latest). */
export async function tableInfo(dir: string, version?: number): Promise<TableInfoDto> {
  const format = tableFormat(dir);
  if (format === 'hudi') return hudiInfo(dir);
  return deltaInfo(dir, version);
}
