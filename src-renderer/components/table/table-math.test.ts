import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCell, pairChanges, rowsByVersion } from './table-math';

test('rows per version follow inserts and deletes; updates keep the count', () => {
  const c = (version: number, i: number, u: number, d: number) => ({ version, timestamp: '', operation: 'WRITE', rowsInserted: i, rowsUpdated: u, rowsDeleted: d });
  assert.deepEqual([...rowsByVersion([c(1, 5, 0, 0), c(0, 10, 0, 0), c(2, 0, 3, 2)])], [[0, 10], [1, 15], [2, 13]]);
});

test('a change feed pairs into added, removed and changed rows with the differing cells', () => {
  const rows = pairChanges([
    { id: 1, spend: 10, _change_type: 'update_preimage', _commit_version: 3 },
    { id: 1, spend: 12, _change_type: 'update_postimage', _commit_version: 3 },
    { id: 2, spend: 5, _change_type: 'insert', _commit_version: 3 },
    { id: 3, spend: 1, _change_type: 'delete', _commit_version: 3 },
  ]);
  assert.deepEqual(rows.map((r) => r.kind), ['changed', 'added', 'removed']);
  assert.deepEqual([...rows[0]!.changed!], ['spend']);
  assert.deepEqual(rows[0]!.before, { id: 1, spend: 10 });
  assert.deepEqual(rows[1]!.row, { id: 2, spend: 5 });
});

test('an embedding shows its dimension, first values and norm', () => {
  assert.equal(formatCell([3, 4, 0, 0, 0, 0, 0, 0]), '[8] 3, 4, 0 … ‖v‖ 5.00');
  assert.equal(formatCell([1, 2]), '[1,2]', 'short arrays stay as they are');
  assert.equal(formatCell(null), '∅');
  assert.equal(formatCell(0.1 + 0.2), '0.3');
});
