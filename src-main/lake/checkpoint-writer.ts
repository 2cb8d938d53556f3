import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  Bool, type DataType, Field, Int32, Int64, List, Map_, RecordBatch, Schema, Struct, Table, Utf8, makeData, vectorFromArray,
} from 'apache-arrow';
import { type Snapshot, logDir } from './delta-log';
import { encodeParquet } from './parquet-io';

/**
 * Classic V1 checkpoints (PROTOCOL.md §Checkpoints): one Parquet row per action, one nullable
 * struct column per action type. Written to a temp name and renamed, so a reader never sees a
 * half-written checkpoint; `_last_checkpoint` is a hint readers may ignore, so it is rewritten
 * the same way and never trusted by our own reader.
 */
const F = (name: string, type: DataType): Field => new Field(name, type, true);
const stringMap = (): Map_ => new Map_(new Field('key_value', new Struct([new Field('key', new Utf8(), false), F('value', new Utf8())]), false));
const stringList = (): List => new List(F('element', new Utf8()));
const dvType = (): Struct => new Struct([
  F('storageType', new Utf8()), F('pathOrInlineDv', new Utf8()), F('offset', new Int32()), F('sizeInBytes', new Int32()), F('cardinality', new Int64()),
]);

const TXN = new Struct([F('appId', new Utf8()), F('version', new Int64()), F('lastUpdated', new Int64())]);
const ADD = new Struct([
  F('path', new Utf8()), F('partitionValues', stringMap()), F('size', new Int64()), F('modificationTime', new Int64()),
  F('dataChange', new Bool()), F('stats', new Utf8()), F('tags', stringMap()), F('deletionVector', dvType()),
]);
const REMOVE = new Struct([
  F('path', new Utf8()), F('deletionTimestamp', new Int64()), F('dataChange', new Bool()), F('extendedFileMetadata', new Bool()),
  F('partitionValues', stringMap()), F('size', new Int64()), F('deletionVector', dvType()),
]);
const METADATA = new Struct([
  F('id', new Utf8()), F('name', new Utf8()), F('description', new Utf8()),
  F('format', new Struct([F('provider', new Utf8()), F('options', stringMap())])),
  F('schemaString', new Utf8()), F('partitionColumns', stringList()), F('configuration', stringMap()), F('createdTime', new Int64()),
]);
const PROTOCOL = new Struct([F('minReaderVersion', new Int32()), F('minWriterVersion', new Int32()), F('readerFeatures', stringList()), F('writerFeatures', stringList())]);

const big = (v: number | null | undefined): bigint | null => (v === null || v === undefined ? null : BigInt(v));
const toMap = (o: Record<string, string | null> | null | undefined): Map<string, string | null> | null => (o ? new Map(Object.entries(o)) : null);
const dv = (d: Snapshot['files'][number]['deletionVector']): unknown => (d ? { ...d, offset: d.offset ?? null, cardinality: BigInt(d.cardinality) } : null);

/** Builds the checkpoint table of a snapshot. */
export function checkpointTable(snap: Snapshot): Table {
  type R = { txn?: unknown; add?: unknown; remove?: unknown; metaData?: unknown; protocol?: unknown };
  const rows: R[] = [];
  const p = snap.protocol;
  rows.push({ protocol: {
    minReaderVersion: p.minReaderVersion, minWriterVersion: p.minWriterVersion,
    readerFeatures: p.minReaderVersion >= 3 ? [...(p.readerFeatures ?? [])] : null,
    writerFeatures: p.minWriterVersion >= 7 ? [...(p.writerFeatures ?? [])] : null,
  } });
  const m = snap.metadata;
  rows.push({ metaData: {
    id: m.id, name: m.name ?? null, description: null,
    format: { provider: m.format?.provider ?? 'parquet', options: toMap(m.format?.options ?? {}) },
    schemaString: m.schemaString, partitionColumns: [...m.partitionColumns], configuration: toMap(m.configuration ?? {}), createdTime: big(m.createdTime),
  } });
  for (const [appId, version] of snap.txns) rows.push({ txn: { appId, version: BigInt(version), lastUpdated: null } });
  for (const a of snap.files) {
    rows.push({ add: {
      path: a.path, partitionValues: toMap(a.partitionValues), size: big(a.size), modificationTime: big(a.modificationTime),
      dataChange: false, stats: a.stats ?? null, tags: toMap(a.tags ?? null), deletionVector: dv(a.deletionVector),
    } });
  }
  for (const r of snap.tombstones) {
    rows.push({ remove: {
      path: r.path, deletionTimestamp: big(r.deletionTimestamp), dataChange: false, extendedFileMetadata: r.partitionValues ? true : null,
      partitionValues: toMap(r.partitionValues ?? null), size: big(r.size), deletionVector: dv(r.deletionVector),
    } });
  }
  const columns: [string, Struct][] = [['txn', TXN], ['add', ADD], ['remove', REMOVE], ['metaData', METADATA], ['protocol', PROTOCOL]];
  const fields = columns.map(([n, t]) => F(n, t));
  const children = columns.map(([n, t]) => vectorFromArray(rows.map((r) => (r[n as keyof R] ?? null)) as never, t).data[0]!);
  const data = makeData({ type: new Struct(fields), length: rows.length, nullCount: 0, children });
  return new Table([new RecordBatch(new Schema(fields), data)]);
}

/** Writes `<version>.checkpoint.parquet` and `_last_checkpoint` for a snapshot. */
export function writeCheckpoint(snap: Snapshot): void {
  const dir = logDir(snap.tableDir);
  const table = checkpointTable(snap);
  const name = `${String(snap.version).padStart(20, '0')}.checkpoint.parquet`;
  const tmpDir = path.join(dir, '.tmp');
  fs.mkdirSync(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, `${randomUUID()}.checkpoint.parquet`);
  fs.writeFileSync(tmp, encodeParquet(table));
  fs.renameSync(tmp, path.join(dir, name));
  const hint = path.join(tmpDir, `${randomUUID()}.last_checkpoint`);
  fs.writeFileSync(hint, JSON.stringify({ version: snap.version, size: table.numRows, numOfAddFiles: snap.files.length }));
  fs.renameSync(hint, path.join(dir, '_last_checkpoint'));
}
