import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layeredLayout, type LayoutNode } from './layered';

const box = (id: string, width = 80, height = 26): LayoutNode => ({ id, width, height });

function overlaps(nodes: readonly LayoutNode[], pos: Map<string, { x: number; y: number }>): string[] {
  const bad: string[] = [];
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i]!;
      const b = nodes[j]!;
      const pa = pos.get(a.id)!;
      const pb = pos.get(b.id)!;
      if (Math.abs(pa.x - pb.x) < (a.width + b.width) / 2 && Math.abs(pa.y - pb.y) < (a.height + b.height) / 2) bad.push(`${a.id}/${b.id}`);
    }
  }
  return bad;
}

function dag(n: number) {
  const nodes = Array.from({ length: n }, (_, i) => box(`n${i}`, 40 + (i % 7) * 20));
  const edges: { source: string; target: string }[] = [];
  for (let i = 1; i < n; i++) {
    edges.push({ source: `n${Math.floor(i / 2)}`, target: `n${i}` });
    if (i > 10) edges.push({ source: `n${i - 7}`, target: `n${i}` });
  }
  return { nodes, edges };
}

test('left to right: every edge of a DAG points right, and no two boxes overlap', () => {
  const { nodes, edges } = dag(300);
  const pos = layeredLayout(nodes, edges, 'LR');
  assert.equal(pos.size, 300);
  for (const e of edges) assert.ok(pos.get(e.source)!.x < pos.get(e.target)!.x, `${e.source}→${e.target}`);
  assert.deepEqual(overlaps(nodes, pos), []);
});

test('top to bottom: every edge points down', () => {
  const { nodes, edges } = dag(120);
  const pos = layeredLayout(nodes, edges, 'TB');
  for (const e of edges) assert.ok(pos.get(e.source)!.y < pos.get(e.target)!.y, `${e.source}→${e.target}`);
  assert.deepEqual(overlaps(nodes, pos), []);
});

test('a stage that reads what it writes is drawn before what it writes', () => {
  const nodes = [box('artifact:t'), box('job:upsert'), box('artifact:in')];
  const edges = [
    { source: 'artifact:in', target: 'job:upsert' },
    { source: 'job:upsert', target: 'artifact:t' },
    { source: 'artifact:t', target: 'job:upsert' },
  ];
  const pos = layeredLayout(nodes, edges, 'LR');
  assert.ok(pos.get('artifact:in')!.x < pos.get('job:upsert')!.x);
  assert.ok(pos.get('job:upsert')!.x < pos.get('artifact:t')!.x);
});

test('closed groups: a folder group that teams read and write sits after them, with the models they make', () => {
  const nodes = [box('group:dir:Models'), box('group:ns:team1'), box('group:pipe:team2/daily'), box('group:dir:data'), box('artifact:file/raw.csv')];
  const edges = [
    { source: 'artifact:file/raw.csv', target: 'group:ns:team1' },
    { source: 'group:dir:data', target: 'group:ns:team1' },
    { source: 'group:ns:team1', target: 'group:dir:data' },
    { source: 'group:dir:data', target: 'group:pipe:team2/daily' },
    { source: 'group:pipe:team2/daily', target: 'group:dir:data' },
    { source: 'group:ns:team1', target: 'group:dir:Models' },
    { source: 'group:dir:Models', target: 'group:pipe:team2/daily' },
    { source: 'group:pipe:team2/daily', target: 'group:dir:Models' },
  ];
  const pos = layeredLayout(nodes, edges, 'LR');
  const x = (id: string) => pos.get(id)!.x;
  assert.ok(x('artifact:file/raw.csv') < x('group:ns:team1'));
  for (const team of ['group:ns:team1', 'group:pipe:team2/daily']) {
    assert.ok(x(team) < x('group:dir:data'), `${team} before data`);
    assert.ok(x(team) < x('group:dir:Models'), `${team} before Models`);
  }
});

test('cycles terminate and every node gets a place', () => {
  const nodes = ['a', 'b', 'c', 'd'].map((id) => box(id));
  const edges = [{ source: 'a', target: 'b' }, { source: 'b', target: 'c' }, { source: 'c', target: 'a' }, { source: 'c', target: 'd' }];
  const pos = layeredLayout(nodes, edges, 'LR');
  assert.equal(pos.size, 4);
  assert.deepEqual(overlaps(nodes, pos), []);
});

test('a long layer wraps into rows that stay within the band', () => {
  const nodes = [box('job:j'), ...Array.from({ length: 50 }, (_, i) => box(`f${i}`, 100))];
  const edges = nodes.slice(1).map((n) => ({ source: 'job:j', target: n.id }));
  const pos = layeredLayout(nodes, edges, 'TB', { maxAcross: 600 });
  const files = nodes.slice(1).map((n) => pos.get(n.id)!);
  const xs = files.map((p) => p.x);
  assert.ok(Math.max(...xs) - Math.min(...xs) + 100 <= 600, 'rows fit the band');
  assert.ok(new Set(files.map((p) => p.y)).size >= 9, '50 boxes of 116 px in 600 px make at least 9 rows');
  for (const p of files) assert.ok(p.y > pos.get('job:j')!.y);
  assert.deepEqual(overlaps(nodes, pos), []);
});

test('a source read late sits next to its consumer, not at the far left', () => {
  const nodes = ['a', 'j1', 'b', 'j2', 'c', 'late'].map((id) => box(id));
  const edges = [
    { source: 'a', target: 'j1' }, { source: 'j1', target: 'b' }, { source: 'b', target: 'j2' }, { source: 'j2', target: 'c' }, { source: 'late', target: 'j2' },
  ];
  const pos = layeredLayout(nodes, edges, 'LR');
  assert.equal(pos.get('late')!.x, pos.get('b')!.x);
});
