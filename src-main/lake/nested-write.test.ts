import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { listLog, loadSnapshot } from './delta-log';
import type { DeltaField, Row } from './delta-types';
import { writeTable } from './delta-writer';
import { readInputFile, readSchemaFile } from './input';
import { writeTableFromFile } from './table-api';
import { duckRows, rowsAt, tempDir } from './lake.test-support';
import { lookupKey } from './lookup';
import { readParquetLayout } from './parquet-io';

// Writing nested values (issue 18, "Writer"): embeddings as arrays of floats, structs and maps,
// in the standard Parquet layouts another engine (DuckDB here) reads back to the same values.

function withTemp(fn: (root: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const root = tempDir();
    try { await fn(root); } finally { fs.rmSync(root, { recursive: true, force: true }); }
  };
}

const SCHEMA = {
  type: 'struct', fields: [
    { name: 'id', type: 'long', nullable: false, metadata: {} },
    { name: 'emb', type: { type: 'array', elementType: 'float', containsNull: true }, nullable: true, metadata: {} },
    { name: 'tags', type: { type: 'array', elementType: 'string', containsNull: true }, nullable: true, metadata: {} },
    { name: 'meta', type: { type: 'struct', fields: [
      { name: 'a', type: 'long', nullable: true, metadata: {} },
      { name: 'b', type: { type: 'struct', fields: [
        { name: 'c', type: 'string', nullable: true, metadata: {} },
        { name: 'd', type: { type: 'array', elementType: 'double', containsNull: true }, nullable: true, metadata: {} },
      ] }, nullable: true, metadata: {} },
    ] }, nullable: true, metadata: {} },
    { name: 'attrs', type: { type: 'map', keyType: 'string', valueType: 'long', valueContainsNull: true }, nullable: true, metadata: {} },
    { name: 'nested', type: { type: 'map', keyType: 'string', valueType: { type: 'array', elementType: { type: 'struct', fields: [{ name: 'x', type: 'long', nullable: true, metadata: {} }] }, containsNull: true }, valueContainsNull: true }, nullable: true, metadata: {} },
  ],
};

// Nulls at each level: a null column, a null element, a null struct field, a null map value, empty lists and maps.
// The floats are exact in float32, so the JSON text survives the round trip unchanged.
const ROWS: Row[] = [
  { id: 1, emb: [0.5, -1.25, 3], tags: ['a', 'b'], meta: { a: 1, b: { c: 'x', d: [1.5, null] } }, attrs: { k: 1, j: null }, nested: { p: [{ x: 1 }, null] } },
  { id: 2, emb: null, tags: [], meta: { a: null, b: null }, attrs: {}, nested: { q: [] } },
  { id: 3, emb: [], tags: [null], meta: null, attrs: null, nested: null },
];

const byId = (rows: Row[]): Row[] => [...rows].sort((a, b) => Number(a.id) - Number(b.id));

async function duckJson(dir: string): Promise<Row[]> {
  const snap = await loadSnapshot(dir);
  const files = snap.files.map((f) => `'${path.join(dir, decodeURIComponent(f.path))}'`).join(', ');
  return byId((await duckRows(`SELECT to_json(t) AS j FROM read_parquet([${files}]) t`)).map((r) => JSON.parse(String(r.j)) as Row));
}

test('nested round trip: JSONL with arrays, structs, maps and nulls at each level → write → read; DuckDB reads the same', withTemp(async (root) => {
  const dir = path.join(root, 't');
  fs.writeFileSync(path.join(root, 'schema.json'), JSON.stringify(SCHEMA));
  fs.writeFileSync(path.join(root, 'in.jsonl'), ROWS.map((r) => JSON.stringify(r)).join('\n') + '\n');
  await writeTableFromFile(dir, path.join(root, 'in.jsonl'), { mode: 'append', schema: readSchemaFile(path.join(root, 'schema.json')) });
  assert.deepEqual(byId(await rowsAt(dir)), ROWS);
  assert.deepEqual(await duckJson(dir), ROWS);
  // The files use the standard layouts: list → list.element, map → key_value.key/value.
  const snap = await loadSnapshot(dir);
  const file = path.join(dir, decodeURIComponent(snap.files[0]!.path));
  const paths = (await duckRows(`SELECT path_in_schema AS p FROM parquet_metadata('${file}')`)).map((r) => String(r.p));
  assert.ok(paths.includes('emb, list, element'), paths.join(' | '));
  assert.ok(paths.includes('attrs, key_value, key') && paths.includes('attrs, key_value, value'), paths.join(' | '));
}));

test('the issue\'s example: {"id":1,"emb":[0.1,0.2,0.3],"meta":{"a":1}} is inferred as array and struct, never strings', withTemp(async (root) => {
  const dir = path.join(root, 'nt');
  fs.writeFileSync(path.join(root, 'n.jsonl'), '{"id":1,"emb":[0.1,0.2,0.3],"meta":{"a":1}}\n{"id":2,"emb":[1,0,0],"meta":{"a":null,"b":"x"}}\n');
  const input = await readInputFile(path.join(root, 'n.jsonl'));
  assert.deepEqual(input.fields.map((f) => [f.name, f.type]), [
    ['id', 'long'],
    ['emb', { type: 'array', elementType: 'double', containsNull: true }],
    ['meta', { type: 'struct', fields: [{ name: 'a', type: 'long', nullable: true }, { name: 'b', type: 'string', nullable: true }] }],
  ]);
  await writeTableFromFile(dir, path.join(root, 'n.jsonl'), { mode: 'append' });
  assert.deepEqual(byId(await rowsAt(dir)), [
    { id: 1, emb: [0.1, 0.2, 0.3], meta: { a: 1, b: null } },
    { id: 2, emb: [1, 0, 0], meta: { a: null, b: 'x' } },
  ]);
  // Rows that disagree on a nested type are refused at inference, naming both rows.
  fs.writeFileSync(path.join(root, 'bad.jsonl'), '{"id":1,"emb":[0.1]}\n{"id":2}\n{"id":3,"emb":"[0.1]"}\n');
  await assert.rejects(readInputFile(path.join(root, 'bad.jsonl')), (e: AppError) => e.code === 'INVALID_ARGUMENT'
    && e.message === `Column "emb" of ${path.join(root, 'bad.jsonl')} holds array<double> in row 1 but string in row 3; give the table a schema (--schema) or make the rows agree.`);
}));

test('an emb given as a string where the table holds an array is refused with row, column and both types; the table is unchanged', withTemp(async (root) => {
  const dir = path.join(root, 't');
  fs.writeFileSync(path.join(root, 'schema.json'), JSON.stringify(SCHEMA));
  await writeTable(dir, { mode: 'append', rows: ROWS, fields: readSchemaFile(path.join(root, 'schema.json')) });
  const before = fs.readdirSync(dir, { recursive: true }).map(String).sort();
  fs.writeFileSync(path.join(root, 'more.jsonl'), '{"id":4,"emb":[1]}\n{"id":5,"emb":"[0.1,0.2,0.3]"}\n');
  await assert.rejects(writeTableFromFile(dir, path.join(root, 'more.jsonl'), { mode: 'append' }), (e: AppError) => e.code === 'INVALID_ARGUMENT'
    && e.message === 'Row 2 of the input, column "emb": the table holds array<float> but the value is a string ("[0.1,0.2,0.3]").');
  // Deeper: a struct where a long is expected, inside a map value inside an array element.
  await assert.rejects(writeTable(dir, { mode: 'append', rows: [{ id: 6, nested: { p: [{ x: { y: 1 } }] } }] }), (e: AppError) =>
    e.message === 'Row 1 of the input, column "nested["p"][0].x": the table holds long but the value is an object ({"y":1}).');
  await assert.rejects(writeTable(dir, { mode: 'append', rows: [{ id: 7, tags: 'a,b' }] }), /column "tags": the table holds array<string> but the value is a string \("a,b"\)/);
  await assert.rejects(writeTable(dir, { mode: 'append', rows: [{ id: 8, meta: { a: 1, z: 2 } }] }), /column "meta.z": .* field "z" is not in the table's struct/);
  assert.equal(listLog(dir).latest, 0);
  assert.deepEqual(fs.readdirSync(dir, { recursive: true }).map(String).sort(), before, 'nothing written');
}));

test('Parquet input with float lists and maps (written by DuckDB) keeps its types and values', withTemp(async (root) => {
  const src = path.join(root, 'src.parquet');
  await duckRows(`COPY (SELECT i::BIGINT AS id, [i * 0.5, -i]::FLOAT[] AS emb, MAP {'n': i}::MAP(VARCHAR, BIGINT) AS m, {'s': 'r' || i} AS st FROM range(3) r(i)) TO '${src}' (FORMAT parquet)`);
  const input = await readInputFile(src);
  const types = Object.fromEntries(input.fields.map((f) => [f.name, f.type]));
  assert.deepEqual(types.emb, { type: 'array', elementType: 'float', containsNull: true });
  assert.deepEqual(types.m, { type: 'map', keyType: 'string', valueType: 'long', valueContainsNull: true });
  const dir = path.join(root, 't');
  await writeTableFromFile(dir, src, { mode: 'append' });
  const expected = [0, 1, 2].map((i) => ({ id: i, emb: [i * 0.5, 0 - i], m: { n: i }, st: { s: `r${i}` } }));
  assert.deepEqual(byId(await rowsAt(dir)), expected);
  assert.deepEqual(await duckJson(dir), expected);
}));

test('typed-array embeddings (Float32Array) are written as they are and read back as arrays', withTemp(async (root) => {
  const dir = path.join(root, 'e');
  const fields: DeltaField[] = [{ name: 'id', type: 'long', nullable: false }, { name: 'emb', type: { type: 'array', elementType: 'float', containsNull: false }, nullable: true }];
  const rows = [0, 1, 2].map((i) => ({ id: i, emb: Float32Array.from({ length: 4 }, (_, k) => i + k / 4) }));
  await writeTable(dir, { mode: 'append', rows, fields });
  assert.deepEqual(byId(await rowsAt(dir)), rows.map((r) => ({ id: r.id, emb: Array.from(r.emb) })));
}));

test('row groups are sized by bytes unless fixed: ~1 MiB, so a lookup on an embedding table decodes ~1800 rows, not 8192', withTemp(async (root) => {
  const emb = path.join(root, 'emb'), narrow = path.join(root, 'narrow');
  const embFields: DeltaField[] = [{ name: 'id', type: 'long', nullable: false }, { name: 'emb', type: { type: 'array', elementType: 'float', containsNull: false }, nullable: true }];
  await writeTable(emb, { mode: 'append', rows: Array.from({ length: 5000 }, (_, id) => ({ id, emb: new Float32Array(128) })), fields: embFields, keyColumns: ['id'] });
  await writeTable(narrow, { mode: 'append', rows: Array.from({ length: 20_000 }, (_, id) => ({ id, x: id / 2 })), fields: [{ name: 'id', type: 'long', nullable: false }, { name: 'x', type: 'double', nullable: true }] });
  const groups = async (dir: string): Promise<number[]> => {
    const snap = await loadSnapshot(dir);
    return (await readParquetLayout(path.join(dir, decodeURIComponent(snap.files[0]!.path)))).rowGroupRows as number[];
  };
  // 128 floats + a long + a list offset ≈ 524 bytes a row: 1 MiB / 524 = 2001, down to a multiple of 256.
  assert.deepEqual(await groups(emb), [1792, 1792, 1416]);
  assert.deepEqual(await groups(narrow), [8192, 8192, 3616], 'narrow rows stay at the 8192-row cap');
  assert.deepEqual((await lookupKey(emb, { keyColumn: 'id', key: 4000 })).read, { files: 1, rowGroups: 1, cached: 0 });
}));
