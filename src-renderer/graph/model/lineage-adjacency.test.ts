import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildAdjacency, walk, walkFrom } from './lineage-adjacency';

// a → j1 → b → j2 → c, and d → j2 (reads and writes as the lineage flows).
const ids = ['a', 'j1', 'b', 'j2', 'c', 'd'];
const adj = buildAdjacency(ids, [
  { source: 'a', target: 'j1', kind: 'reads' },
  { source: 'j1', target: 'b', kind: 'writes' },
  { source: 'b', target: 'j2', kind: 'reads' },
  { source: 'd', target: 'j2', kind: 'reads' },
  { source: 'j2', target: 'c', kind: 'writes' },
]);

test('a walk from several starts gives each node its hops from the nearest start, starts left out', () => {
  assert.deepEqual([...walkFrom(adj, ['a', 'b'], 'down', null)].sort(), [['c', 2], ['j1', 1], ['j2', 1]]);
  assert.deepEqual([...walkFrom(adj, ['a', 'd'], 'down', 1)].sort(), [['j1', 1], ['j2', 1]]);
  assert.deepEqual([...walkFrom(adj, ['c', 'missing'], 'up', null).keys()].sort(), ['a', 'b', 'd', 'j1', 'j2']);
});

test('it reaches what the walks from each start reach together, within the same depth', () => {
  for (const depth of [1, 2, 3, null]) {
    const union = new Set([...walk(adj, 'a', 'down', depth).keys(), ...walk(adj, 'd', 'down', depth).keys()]);
    assert.deepEqual(new Set(walkFrom(adj, ['a', 'd'], 'down', depth).keys()), union, `depth ${depth}`);
  }
});
