import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { writeTable } from '../lake/delta-writer';
import type { DeltaField } from '../lake/delta-types';
import { tempDir } from '../lake/lake.test-support';
import { alterTable } from '../lake/table-alter';
import { readTableSchema } from './table-schemas';

test('a table\'s columns for column lineage: nested types as one line, and the physical name once a rename set one apart', async () => {
  const root = tempDir();
  try {
    const dir = path.join(root, 't');
    const fields: DeltaField[] = [
      { name: 'id', type: 'long', nullable: false },
      { name: 'tags', type: { type: 'array', elementType: 'string', containsNull: true }, nullable: true },
      { name: 'm', type: { type: 'map', keyType: 'string', valueType: 'double', valueContainsNull: true }, nullable: true },
      { name: 's', type: { type: 'struct', fields: [{ name: 'a', type: 'integer', nullable: true }, { name: 'b', type: { type: 'array', elementType: 'long', containsNull: true }, nullable: true }] }, nullable: true },
    ];
    await writeTable(dir, { mode: 'append', rows: [{ id: 1 }], fields });
    await alterTable(dir, { rename: [['s', 'detail']] });
    const types = [['id', 'long'], ['tags', 'array<string>'], ['m', 'map<string, double>']];
    assert.deepEqual(await readTableSchema(dir, 0), [...types, ['s', 'struct<a: integer, b: array<long>>']].map(([name, type]) => ({ name, type })));
    // Column mapping keeps each existing column's name as its physical name: only the renamed one differs.
    assert.deepEqual(await readTableSchema(dir, 1), [...types.map(([name, type]) => ({ name, type })), { name: 'detail', type: 'struct<a: integer, b: array<long>>', physicalName: 's' }]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
