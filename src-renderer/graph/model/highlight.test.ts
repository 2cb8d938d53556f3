import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineageHighlight } from './highlight';
import { buildViewGraph } from './view-graph';
import { chainGraph } from './graph-fixtures.test-support';

const all = { up: null, down: null };

test('selecting a dataset lights its whole upstream and downstream, in two sets', () => {
  const v = buildViewGraph(chainGraph(), { hiddenKinds: [], groups: null, focus: null, budget: 5000 });
  const h = lineageHighlight(v, 'artifact:file/data/staged/a.parquet', all)!;
  assert.deepEqual([...h.up].sort(), ['artifact:file/data/raw/a.csv', 'job:ns/ingest']);
  assert.deepEqual([...h.down].sort(), ['artifact:file/Models/m/1', 'job:ns/train']);
  assert.ok(h.upEdges.has('job:ns/ingest|artifact:file/data/staged/a.parquet|writes'));
  assert.ok(h.downEdges.has('job:ns/train|artifact:file/Models/m/1|writes'));
  // The sibling staged file is neither upstream nor downstream of it.
  assert.ok(!h.up.has('artifact:file/data/staged/b.parquet') && !h.down.has('artifact:file/data/staged/b.parquet'));
  assert.ok(!h.upEdges.has('job:ns/ingest|artifact:file/data/staged/b.parquet|writes'));
});

test('depth limits the walk; the model traces back to its sources in full', () => {
  const v = buildViewGraph(chainGraph(), { hiddenKinds: [], groups: null, focus: null, budget: 5000 });
  const one = lineageHighlight(v, 'artifact:file/Models/m/1', { up: 1, down: null })!;
  assert.deepEqual([...one.up], ['job:ns/train']);
  const full = lineageHighlight(v, 'artifact:file/Models/m/1', all)!;
  assert.deepEqual([...full.up].sort(), [
    'artifact:file/data/raw/a.csv', 'artifact:file/data/staged/a.parquet', 'artifact:file/data/staged/b.parquet', 'code:abc', 'job:ns/ingest', 'job:ns/train',
  ]);
  assert.equal(full.down.size, 0);
});

test('a path through a closed group lights the group and the aggregated edges', () => {
  const v = buildViewGraph(chainGraph(), { hiddenKinds: [], groups: { base: 'expanded', except: ['group:dir:data/staged'] }, focus: null, budget: 5000 });
  const h = lineageHighlight(v, 'artifact:file/Models/m/1', all)!;
  assert.ok(h.up.has('group:dir:data/staged'));
  assert.ok(h.upEdges.has('agg:job:ns/ingest|group:dir:data/staged'));
  assert.ok(h.upEdges.has('agg:group:dir:data/staged|job:ns/train'));
});
