import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnLineageDto } from '../../../shared/columns-dto';
import { columnPathClasses, columnPathOf } from './column-path';
import { chainGraph } from './graph-fixtures.test-support';
import { buildViewGraph } from './view-graph';

const open = { hiddenKinds: [], groups: null, focus: null, budget: 5000 } as const;
const RAW = 'artifact:file/data/raw/a.csv';
const A = 'artifact:file/data/staged/a.parquet';
const B = 'artifact:file/data/staged/b.parquet';
const MODEL = 'artifact:file/Models/m/1';
const DIRECT = [{ type: 'DIRECT', subtype: 'IDENTITY' }] as const;

/** staged/a.parquet#x comes from raw/a.csv#x and feeds Models/m/1#score (worked out by hand on chainGraph). */
function walks(): { up: ColumnLineageDto; down: ColumnLineageDto } {
  const base = { dataset: 'data/staged/a.parquet', column: 'x', id: 'column:file/data/staged/a.parquet#x', node: A, snapshot: null, depth: null, directOnly: false };
  const up: ColumnLineageDto = {
    ...base, direction: 'upstream',
    columns: [{ dataset: 'data/raw/a.csv', column: 'x', node: RAW, id: 'column:file/data/raw/a.csv#x', kind: 'dataset', depth: 1, transformations: DIRECT }],
    edges: [{ source: 'column:file/data/raw/a.csv#x', target: base.id, transformations: DIRECT }],
    nodes: [A, RAW],
  };
  const down: ColumnLineageDto = {
    ...base, direction: 'downstream',
    columns: [{ dataset: 'Models/m/1', column: 'score', node: MODEL, id: 'column:file/Models/m/1#score', kind: 'model', depth: 1, transformations: [{ type: 'INDIRECT', subtype: 'FILTER' }] }],
    edges: [{ source: base.id, target: 'column:file/Models/m/1#score', transformations: [{ type: 'INDIRECT', subtype: 'FILTER' }] }],
    nodes: [A, MODEL],
  };
  return { up, down };
}

test('the node-level path: each side\'s nodes without the column\'s own, and the node pairs its column edges join', () => {
  const { up, down } = walks();
  const p = columnPathOf(up, down);
  assert.equal(p.node, A);
  assert.deepEqual(p.up, [RAW]);
  assert.deepEqual(p.down, [MODEL]);
  assert.deepEqual(p.upHops, [{ source: RAW, target: A }]);
  assert.deepEqual(p.downHops, [{ source: A, target: MODEL }]);
});

test('the path lights the datasets and the stages between them in the two lineage colours, not their other neighbours', () => {
  const v = buildViewGraph(chainGraph(), open);
  const { up, down } = walks();
  const cls = columnPathClasses(columnPathOf(up, down), v);
  assert.equal(cls.get(A), 'ov-on');
  assert.equal(cls.get(RAW), 'ov-impact-up');
  assert.equal(cls.get('job:ns/ingest'), 'ov-impact-up', 'the stage that carried the column');
  assert.equal(cls.get('job:ns/train'), 'ov-impact-down');
  assert.equal(cls.get(MODEL), 'ov-impact-down');
  assert.equal(cls.has(B), false, 'a sibling output of the same stage is not on the path');
  assert.equal(cls.has('code:abc'), false);
  const edgeClass = (s: string, t: string) => cls.get(v.edges.find((e) => e.source === s && e.target === t)!.id);
  assert.equal(edgeClass(RAW, 'job:ns/ingest'), 'ov-impact-up');
  assert.equal(edgeClass('job:ns/ingest', A), 'ov-impact-up');
  assert.equal(edgeClass(A, 'job:ns/train'), 'ov-impact-down');
  assert.equal(edgeClass('job:ns/train', MODEL), 'ov-impact-down');
  assert.equal(edgeClass('job:ns/ingest', B), undefined);
  assert.equal(edgeClass(B, 'job:ns/train'), undefined);
  assert.equal(edgeClass('code:abc', 'job:ns/train'), undefined);
});

test('a column inside a closed group marks the group; nodes the view does not draw are skipped', () => {
  const v = buildViewGraph(chainGraph(), { ...open, groups: { base: 'expanded', except: ['group:dir:data/staged'] } });
  const { up, down } = walks();
  const cls = columnPathClasses(columnPathOf(up, down), v);
  assert.equal(cls.get('group:dir:data/staged'), 'ov-on');
  assert.equal(cls.get(RAW), 'ov-impact-up');
  const hidden = buildViewGraph(chainGraph(), { ...open, hiddenKinds: ['model'] });
  const cls2 = columnPathClasses(columnPathOf(up, down), hidden);
  assert.equal(cls2.has(MODEL), false);
  assert.equal(cls2.get(RAW), 'ov-impact-up');
});
