import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columnHistories, diffSchemas, type SchemaState } from './schema-diff';

const state = (cols: [string, string | null, string?][], inputs: Record<string, string[]> = {}): SchemaState => ({
  names: cols.map((c) => c[0]),
  types: new Map(cols.map((c) => [c[0], c[1]])),
  physical: new Map(cols.filter((c) => c[2]).map((c) => [c[0], c[2]!])),
  inputs: new Map(Object.entries(inputs).map(([k, v]) => [k, new Set(v)])),
});

test('a Delta column-mapping rename keeps the physical name; a type change is reported beside it', () => {
  // Physical names as Delta writes them in column-mapping mode "name" (col-<uuid>).
  const a = state([['id', 'long', 'col-5f422f40-de70-45b2-88ab-1d5c90e94db1'], ['amount', 'integer', 'col-a8b4c3d2-0000-4000-8000-000000000001']]);
  const b = state([['id', 'long', 'col-5f422f40-de70-45b2-88ab-1d5c90e94db1'], ['total', 'long', 'col-a8b4c3d2-0000-4000-8000-000000000001'], ['note', 'string', 'col-new']]);
  assert.deepEqual(diffSchemas(a, b), {
    added: [{ name: 'note', type: 'string', physicalName: 'col-new' }], dropped: [],
    renamed: [{ from: 'amount', to: 'total', type: 'long', by: 'column-mapping' }],
    typeChanged: [{ column: 'total', from: 'integer', to: 'long' }],
  });
});

test('a rename by lineage needs mostly the same DIRECT inputs; otherwise it is a drop and an add', () => {
  const a = state([['k', 'string'], ['spend', 'double'], ['n', 'int']], { spend: ['s1|spend', 's2|spend'], n: ['s1|n'] });
  const b = state([['k', 'string'], ['spend_total', 'double'], ['m', 'int']], { spend_total: ['s1|spend', 's2|spend', 's3|spend'], m: ['s9|x'] });
  assert.deepEqual(diffSchemas(a, b), {
    added: [{ name: 'm', type: 'int' }], dropped: [{ name: 'n', type: 'int' }],
    renamed: [{ from: 'spend', to: 'spend_total', type: 'double', by: 'lineage' }], typeChanged: [],
  });
});

test('column histories follow a column through its renames, and keep what was dropped', () => {
  const p = (snapshot: number, s: SchemaState) => ({ snapshot, at: `2026-01-0${snapshot}T00:00:00.000Z`, state: s });
  const h = columnHistories([
    p(1, state([['a', 'int'], ['b', 'int']], { b: ['x|b'] })),
    p(2, state([['a', 'long'], ['c', 'int']], { c: ['x|b'] })),
    p(3, state([['c', 'int']], { c: ['x|b'] })),
  ]);
  assert.deepEqual(h.current.get('c')!.map((e) => [e.change, e.snapshot, e.column, e.from ?? '']), [['appeared', 1, 'b', ''], ['renamed', 2, 'c', 'b']]);
  assert.deepEqual(h.dropped.get('a')!.map((e) => [e.change, e.snapshot, e.from ?? '', e.to ?? '']), [['appeared', 1, '', ''], ['type_changed', 2, 'int', 'long'], ['dropped', 3, '', '']]);
  assert.deepEqual([...h.current.keys()], ['c']);
});
