import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GraphDto } from '../../shared/dto';
import { countByKind, shortLabel, toCyElements } from './elements';
import { layeredPositions } from './layered-layout';

const graph: GraphDto = {
  snapshot: null,
  nodes: [
    { id: 'a', kind: 'dataset', label: 'data/raw/2026/01/day1.csv' },
    { id: 'r', kind: 'run', label: 'train #1', state: 'FAIL' },
    { id: 'm', kind: 'model', label: 'models/m.pkl', stale: true },
  ],
  edges: [
    { id: 'a|r|reads', source: 'a', target: 'r', kind: 'reads' },
    { id: 'r|m|writes', source: 'r', target: 'm', kind: 'writes' },
    { id: 'r|ghost|writes', source: 'r', target: 'ghost', kind: 'writes' },
  ],
};

test('elements keep ids, carry state as classes, and drop dangling edges', () => {
  const els = toCyElements(graph);
  assert.deepEqual(els.map((e) => e.data.id), ['a', 'r', 'm', 'a|r|reads', 'r|m|writes']);
  assert.match(els[1]!.classes, /state-fail/);
  assert.match(els[2]!.classes, /is-stale/);
  assert.equal(els[0]!.data.label, '01/day1.csv');
  assert.deepEqual(countByKind(graph), { dataset: 1, run: 1, model: 1 });
});

test('long labels are shortened, short ones kept', () => {
  assert.equal(shortLabel({ label: 'x', kind: 'file' }), 'x');
  assert.equal(shortLabel({ label: 'a/b/c', kind: 'file' }), 'b/c');
  assert.ok(shortLabel({ label: 'y'.repeat(80), kind: 'file' }).length <= 31);
});

test('the layered layout puts every edge left to right on a DAG', () => {
  const ids = Array.from({ length: 300 }, (_, i) => `n${i}`);
  const edges: { source: string; target: string }[] = [];
  for (let i = 1; i < 300; i++) {
    edges.push({ source: `n${Math.floor(i / 2)}`, target: `n${i}` });
    if (i > 10) edges.push({ source: `n${i - 7}`, target: `n${i}` });
  }
  const pos = layeredPositions({ ids, edges });
  assert.equal(pos.size, 300);
  for (const e of edges) assert.ok(pos.get(e.source)!.x < pos.get(e.target)!.x, `${e.source}→${e.target}`);
  const spots = new Set([...pos.values()].map((p) => `${p.x},${p.y}`));
  assert.equal(spots.size, 300, 'no two nodes share a position');
});

test('the layered layout terminates on cycles and places every node', () => {
  const pos = layeredPositions({ ids: ['a', 'b', 'c'], edges: [{ source: 'a', target: 'b' }, { source: 'b', target: 'c' }, { source: 'c', target: 'a' }] });
  assert.equal(pos.size, 3);
});
