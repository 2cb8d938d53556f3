import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layeredLayout, type LayoutNode } from './layered';
import { placeStable } from './placement';

const box = (id: string): LayoutNode => ({ id, width: 80, height: 26 });

test('known nodes keep their exact position; a new neighbour lands where the layout puts it relative to them', () => {
  const nodes = ['a', 'b', 'c'].map(box);
  const edges = [{ source: 'a', target: 'b' }, { source: 'b', target: 'c' }];
  const ideal = layeredLayout(nodes, edges, 'LR');
  // The user moved a and b somewhere else entirely.
  const known = new Map([['a', { x: 1000, y: 500 }], ['b', { x: 1200, y: 520 }]]);
  const pos = placeStable({ nodes, edges, ideal, known, blocks: [], direction: 'LR' });
  assert.deepEqual(pos.get('a'), { x: 1000, y: 500 });
  assert.deepEqual(pos.get('b'), { x: 1200, y: 520 });
  const c = pos.get('c')!;
  assert.equal(c.x, 1200 + ideal.get('c')!.x - ideal.get('b')!.x);
  assert.equal(c.y, 520 + ideal.get('c')!.y - ideal.get('b')!.y);
});

test('a new node that would land on a placed one moves along its layer until it is free', () => {
  const nodes = ['a', 'b', 'x'].map(box);
  const edges = [{ source: 'a', target: 'b' }, { source: 'a', target: 'x' }];
  const ideal = new Map([['a', { x: 0, y: 0 }], ['b', { x: 200, y: 0 }], ['x', { x: 200, y: 0 }]]);
  const known = new Map([['a', { x: 0, y: 0 }], ['b', { x: 200, y: 0 }]]);
  const pos = placeStable({ nodes, edges, ideal, known, blocks: [], direction: 'LR' });
  const x = pos.get('x')!;
  assert.equal(x.x, 200);
  assert.ok(Math.abs(x.y) >= 26 + 8, `moved clear of b (y=${x.y})`);
});

test('the members of a group just opened are laid out as a block around where the group stood', () => {
  const nodes = ['other', 'm1', 'm2', 'm3'].map(box);
  const edges = [{ source: 'm1', target: 'm2' }, { source: 'm2', target: 'm3' }];
  const ideal = layeredLayout(nodes, edges, 'LR');
  const known = new Map([['other', { x: -500, y: -500 }]]);
  const pos = placeStable({ nodes, edges, ideal, known, blocks: [{ at: { x: 300, y: 300 }, members: ['m1', 'm2', 'm3'] }], direction: 'LR' });
  const ms = ['m1', 'm2', 'm3'].map((m) => pos.get(m)!);
  const cx = ms.reduce((s, p) => s + p.x, 0) / 3;
  const cy = ms.reduce((s, p) => s + p.y, 0) / 3;
  assert.ok(Math.abs(cx - 300) < 1 && Math.abs(cy - 300) < 1, `block centred on the group (${cx}, ${cy})`);
  assert.deepEqual(pos.get('other'), { x: -500, y: -500 });
});

test('a new component with no placed neighbour goes below everything placed', () => {
  const nodes = ['a', 'b', 'p', 'q'].map(box);
  const edges = [{ source: 'a', target: 'b' }, { source: 'p', target: 'q' }];
  const ideal = layeredLayout(nodes, edges, 'LR');
  const known = new Map([['a', { x: 0, y: 0 }], ['b', { x: 200, y: 0 }]]);
  const pos = placeStable({ nodes, edges, ideal, known, blocks: [], direction: 'LR' });
  assert.ok(pos.get('p')!.y > 13 && pos.get('q')!.y > 13, 'below the placed row');
});
