import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ancestry, buildGroupTree } from './groups';
import { chainGraph, edge, graphOf, node } from './graph-fixtures.test-support';

test('jobs group by namespace and pipeline; artifacts by folder; one-node groups dissolve', () => {
  const g = chainGraph();
  const t = buildGroupTree(g.nodes, g.edges);
  // ns holds only the pipeline group, so the two merge into one group named "ns › daily".
  const pipe = t.groups.get('group:pipe:ns/daily');
  assert.ok(pipe, 'the pipeline group exists');
  assert.equal(pipe.label, 'ns › daily');
  assert.deepEqual(pipe.members.sort(), ['job:ns/ingest', 'job:ns/train']);
  assert.equal(t.groups.has('group:ns:ns'), false, 'the namespace merged into its only child');
  // data/ holds raw (1 file, dissolved) and staged (2 files): data stays, staged is its child.
  const data = t.groups.get('group:dir:data')!;
  assert.deepEqual(data.members, ['artifact:file/data/raw/a.csv']);
  assert.deepEqual(data.children, ['group:dir:data/staged']);
  assert.equal(data.size, 3);
  assert.deepEqual(data.kinds, { dataset: 3 });
  // Models/m holds one version: no group at all; the model and the code version stay on top.
  assert.ok(t.rootNodes.includes('artifact:file/Models/m/1'));
  assert.ok(t.rootNodes.includes('code:abc'));
  assert.deepEqual(ancestry(t, 'artifact:file/data/staged/b.parquet'), ['group:dir:data', 'group:dir:data/staged']);
});

test('dotted job names group by prefix without repeating the namespace', () => {
  const nodes = ['team3.etl.load', 'team3.etl.clean', 'team3.train'].map((n) => node(`job:team3/${n}`, 'job', n));
  nodes.push(node('job:team4/team4.a', 'job', 'team4.a'), node('job:team4/team4.b', 'job', 'team4.b'));
  const t = buildGroupTree(nodes, []);
  assert.deepEqual([...t.rootGroups].sort(), ['group:ns:team3', 'group:ns:team4']);
  const team3 = t.groups.get('group:ns:team3')!;
  assert.deepEqual(team3.members, ['job:team3/team3.train']);
  assert.deepEqual(team3.children, ['group:dot:team3||team3.etl']);
  assert.equal(t.groups.get('group:dot:team3||team3.etl')!.size, 2);
});

test('a URL-like dataset name groups under its scheme and authority', () => {
  const nodes = [node('artifact:s3://b/x/1.parquet', 'dataset', 's3://b/x/1.parquet'), node('artifact:s3://b/x/2.parquet', 'dataset', 's3://b/x/2.parquet')];
  const t = buildGroupTree(nodes, []);
  const [only] = t.rootGroups;
  assert.equal(only, 'group:dir:s3://b/x');
  assert.equal(t.groups.get(only!)!.label, 's3://b/x');
});

test('runs group under their stage (instance_of), code versions under one kind group', () => {
  const nodes = [node('job:ns/a', 'job', 'a'), node('run:1', 'run', 'a #1'), node('run:2', 'run', 'a #2'), node('code:x', 'code', 'a.py @ x'), node('code:y', 'code', 'a.py @ y')];
  const edges = [edge('run:1', 'job:ns/a', 'instance_of'), edge('run:2', 'job:ns/a', 'instance_of')];
  const t = buildGroupTree(graphOf(nodes, edges).nodes, edges);
  assert.deepEqual(t.groups.get('group:runs:ns/a')?.members, ['run:1', 'run:2']);
  assert.deepEqual(t.groups.get('group:kind:code')?.members, ['code:x', 'code:y']);
});
