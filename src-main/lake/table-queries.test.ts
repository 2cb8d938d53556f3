import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChangeRow } from './changes';
import { netRowChanges } from './table-queries';

const ch = (type: ChangeRow['_change_type'], v: number, row: Record<string, unknown>): ChangeRow => ({ ...row, _change_type: type, _commit_version: v, _commit_timestamp: '2026-01-01T00:00:00.000Z' });

test('net row changes by key: first state against last state, in the order rows first changed', () => {
  const feed = [
    ch('insert', 1, { id: 7, v: 'x' }),
    ch('update_preimage', 1, { id: 1, v: 'a' }), ch('update_postimage', 1, { id: 1, v: 'b' }),
    ch('update_preimage', 2, { id: 1, v: 'b' }), ch('update_postimage', 2, { id: 1, v: 'a' }), // back to where it was
    ch('delete', 2, { id: 7, v: 'x' }), // inserted and deleted again inside the range
    ch('update_preimage', 3, { id: 2, v: 'p' }), ch('update_postimage', 3, { id: 2, v: 'q' }),
    ch('update_preimage', 3, { id: 2, v: 'q' }), ch('update_postimage', 3, { id: 2, v: 'r' }),
    ch('delete', 3, { id: 3, v: 'z' }),
    ch('delete', 3, { id: 4, v: 'w' }), ch('insert', 3, { id: 4, v: 'w2' }),
  ];
  assert.deepEqual(netRowChanges(feed, ['id']), [
    { change: 'changed', key: { id: 2 }, before: { id: 2, v: 'p' }, after: { id: 2, v: 'r' }, changedColumns: ['v'] },
    { change: 'removed', key: { id: 3 }, before: { id: 3, v: 'z' }, after: null, changedColumns: [] },
    { change: 'changed', key: { id: 4 }, before: { id: 4, v: 'w' }, after: { id: 4, v: 'w2' }, changedColumns: ['v'] },
  ]);
});

test('without a key, rows are matched whole: a change is a removal and an addition', () => {
  const feed = [ch('delete', 1, { id: 1, v: 'a' }), ch('insert', 1, { id: 1, v: 'b' }), ch('insert', 2, { id: 9, v: 'n' }), ch('delete', 2, { id: 9, v: 'n' })];
  assert.deepEqual(netRowChanges(feed, []), [
    { change: 'removed', key: null, before: { id: 1, v: 'a' }, after: null, changedColumns: [] },
    { change: 'added', key: null, before: null, after: { id: 1, v: 'b' }, changedColumns: [] },
  ]);
});
