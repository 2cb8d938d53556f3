import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chainGraph } from '../graph/model/graph-fixtures.test-support';
import { buildViewGraph } from '../graph/model/view-graph';
import { overlayClasses } from './overlays';

const open = { hiddenKinds: [], groups: null, focus: null, budget: 5000 } as const;

test('a version diff colours what made A only, B only, and both, edges included', () => {
  const v = buildViewGraph(chainGraph(), open);
  // A was made from a.parquet, B from b.parquet; ingest, train and raw/a.csv made both.
  const shared = ['artifact:file/data/raw/a.csv', 'job:ns/ingest', 'job:ns/train'];
  const cls = overlayClasses({ kind: 'chains', of: 'artifact:file/Models/m/1', a: [...shared, 'artifact:file/data/staged/a.parquet'], b: [...shared, 'artifact:file/data/staged/b.parquet', 'artifact:file/Models/m/1'] }, v);
  assert.equal(cls.get('artifact:file/data/staged/a.parquet'), 'ov-chain-a');
  assert.equal(cls.get('artifact:file/data/staged/b.parquet'), 'ov-chain-b');
  assert.equal(cls.get('job:ns/ingest'), 'ov-chain-both');
  assert.equal(cls.get('artifact:file/Models/m/1'), 'ov-chain-b');
  assert.equal(cls.has('code:abc'), false, 'not on either chain: dimmed by the view');
  const edgeClass = (s: string, t: string) => cls.get(v.edges.find((e) => e.source === s && e.target === t)!.id);
  assert.equal(edgeClass('job:ns/ingest', 'artifact:file/data/staged/a.parquet'), 'ov-chain-a', 'an edge is on a chain when both its ends are');
  assert.equal(edgeClass('artifact:file/data/staged/b.parquet', 'job:ns/train'), 'ov-chain-b');
  assert.equal(edgeClass('artifact:file/data/raw/a.csv', 'job:ns/ingest'), 'ov-chain-both');
  assert.equal(edgeClass('code:abc', 'job:ns/train'), undefined);
});

test('a closed group holding nodes of both chains shows as shared', () => {
  const v = buildViewGraph(chainGraph(), { ...open, groups: { base: 'expanded', except: ['group:dir:data/staged'] } });
  const cls = overlayClasses({ kind: 'chains', of: 'x', a: ['artifact:file/data/staged/a.parquet'], b: ['artifact:file/data/staged/b.parquet'] }, v);
  assert.equal(cls.get('group:dir:data/staged'), 'ov-chain-both');
});
