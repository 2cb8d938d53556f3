import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildViewGraph, type ViewOptions } from './view-graph';
import { chainGraph, edge, graphOf, node } from './graph-fixtures.test-support';

const open: ViewOptions = { hiddenKinds: [], groups: null, focus: null, budget: 5000 };

test('a graph within the budget is drawn whole, code edges pointing into the stage', () => {
  const v = buildViewGraph(chainGraph(), open);
  assert.equal(v.nodes.length, 7);
  assert.equal(v.edges.length, 7);
  assert.equal(v.summary.message, null);
  const code = v.edges.find((e) => e.kind === 'uses_code')!;
  assert.deepEqual([code.source, code.target], ['code:abc', 'job:ns/train']);
});

test('hidden kinds leave with their edges', () => {
  const v = buildViewGraph(chainGraph(), { ...open, hiddenKinds: ['code'] });
  assert.equal(v.nodes.some((n) => n.kind === 'code'), false);
  assert.equal(v.edges.length, 6);
});

test('a closed group stands for its members; edges into it are aggregated with a count', () => {
  const v = buildViewGraph(chainGraph(), { ...open, groups: { base: 'expanded', except: ['group:dir:data/staged'] } });
  const ids = v.nodes.map((n) => n.id);
  assert.ok(ids.includes('group:dir:data/staged'));
  assert.ok(!ids.includes('artifact:file/data/staged/a.parquet'));
  const into = v.edges.find((e) => e.source === 'job:ns/ingest' && e.target === 'group:dir:data/staged')!;
  const out = v.edges.find((e) => e.source === 'group:dir:data/staged' && e.target === 'job:ns/train')!;
  assert.deepEqual([into.kind, into.count, out.count], ['aggregate', 2, 2]);
  assert.equal(v.rep.get('artifact:file/data/staged/b.parquet'), 'group:dir:data/staged');
  assert.match(v.summary.message!, /^7 nodes grouped into 1 group — expand a group or focus a node$/);
});

test('an outer closed group hides the inner one', () => {
  const v = buildViewGraph(chainGraph(), { ...open, groups: { base: 'expanded', except: ['group:dir:data'] } });
  assert.equal(v.rep.get('artifact:file/data/staged/a.parquet'), 'group:dir:data');
  assert.equal(v.nodes.some((n) => n.id === 'group:dir:data/staged'), false);
  // ingest both reads from and writes into data/: two aggregated edges, one each way.
  assert.deepEqual(v.edges.filter((e) => e.kind === 'aggregate').map((e) => `${e.source}>${e.target}:${e.count}`).sort(), [
    'group:dir:data>job:ns/ingest:1', 'group:dir:data>job:ns/train:2', 'job:ns/ingest>group:dir:data:2',
  ]);
});

test('past the budget the view starts grouped and draws no more than the budget', () => {
  // 40 folders × 30 files, each file written by its own stage: 2,400 nodes, 1,200 edges.
  const nodes = [];
  const edges = [];
  for (let f = 0; f < 40; f++) {
    for (let i = 0; i < 30; i++) {
      const a = `artifact:file/d${f}/x${i}.csv`;
      const j = `job:team${f % 4}/team${f % 4}.job${f}_${i}`;
      nodes.push(node(a, 'dataset', `d${f}/x${i}.csv`), node(j, 'job', `team${f % 4}.job${f}_${i}`));
      edges.push(edge(j, a, 'writes'));
    }
  }
  const v = buildViewGraph(graphOf(nodes, edges), { ...open, budget: 1000 });
  assert.equal(v.groups.base, 'collapsed');
  assert.ok(v.nodes.length + v.edges.length <= 1000);
  assert.ok(v.summary.groupsDrawn > 0);
  assert.match(v.summary.message!, /^2,400 nodes grouped into \d+ groups — expand a group or focus a node$/);
  // Opening one group draws its members and leaves every other drawn node drawn.
  const g = v.nodes.find((n) => n.kind === 'group')!;
  const opened = buildViewGraph(graphOf(nodes, edges), { ...open, budget: 1000, groups: { base: 'collapsed', except: [...v.groups.except, g.id] } });
  const before = new Set(v.nodes.map((n) => n.id));
  before.delete(g.id);
  for (const id of before) assert.ok(opened.nodes.some((n) => n.id === id), `${id} still drawn`);
  assert.ok(opened.nodes.length > v.nodes.length);
});

test('focus shows the lineage to the chosen depth, with stubs counting what is one hop further', () => {
  const g = chainGraph();
  const f = buildViewGraph(g, { ...open, focus: { id: 'job:ns/ingest', up: 1, down: 1, extra: [] } });
  assert.deepEqual(f.nodes.filter((n) => n.kind !== 'stub').map((n) => n.id).sort(), [
    'artifact:file/data/raw/a.csv', 'artifact:file/data/staged/a.parquet', 'artifact:file/data/staged/b.parquet', 'job:ns/ingest',
  ]);
  // Both staged files feed train: one stub each, "+1 downstream".
  const stubs = f.nodes.filter((n) => n.kind === 'stub');
  assert.deepEqual(stubs.map((s) => s.label), ['+1 downstream', '+1 downstream']);
  const more = buildViewGraph(g, { ...open, focus: { id: 'job:ns/ingest', up: 1, down: 1, extra: ['d:artifact:file/data/staged/a.parquet'] } });
  assert.ok(more.nodes.some((n) => n.id === 'job:ns/train'));
  // train, reached going downstream, offers the next hop downstream (the model) — not its other
  // inputs upstream (the code), which would open sideways branches at every step.
  assert.deepEqual(more.nodes.filter((n) => n.stubOf?.id === 'job:ns/train').map((n) => n.label), ['+1 downstream']);
});
