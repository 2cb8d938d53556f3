import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPlanDag, descendantsOf, type DagStage } from './rerun-dag';

const stage = (id: string, seq: number, reads: number[], writes: number[]): DagStage => ({ id, seq, reads: new Set(reads), writes: new Set(writes) });

test('a fork after a chain: order, levels, reduced arrows and the linking artifact', () => {
  // prep: 1 → 2; clean: 2 → 3; train: 3 → 4; report: 3 + 2 → 5. Given out of order on purpose.
  const dag = buildPlanDag([stage('report', 40, [3, 2], [5]), stage('train', 30, [3], [4]), stage('clean', 20, [2], [3]), stage('prep', 10, [1], [2])]);
  assert.deepEqual(dag.order, ['prep', 'clean', 'train', 'report']);
  assert.deepEqual(Object.fromEntries(dag.level), { prep: 0, clean: 1, train: 2, report: 2 });
  assert.deepEqual(dag.after.get('report'), ['clean'], 'report → prep is implied by report → clean → prep');
  assert.deepEqual([...dag.waitsFor.get('report')!].sort(), ['clean', 'prep']);
  assert.equal(dag.via.get('train')!.get('clean'), 3);
  assert.deepEqual([...descendantsOf(['clean'], dag.waitsFor)].sort(), ['report', 'train']);
  assert.deepEqual([...descendantsOf(['train'], dag.waitsFor)], []);
});

test('two writers of one artifact keep their order; independent stages keep the original order', () => {
  const dag = buildPlanDag([stage('late', 9, [], [7]), stage('early', 3, [], [7]), stage('other', 5, [], [8])]);
  assert.deepEqual(dag.order, ['early', 'other', 'late']);
  assert.deepEqual(dag.after.get('late'), ['early']);
});

test('a cycle across versions is cut at the stage that ran first', () => {
  // a reads what b writes and b reads what a writes: a ran first, so a goes first.
  const dag = buildPlanDag([stage('b', 2, [1], [2]), stage('a', 1, [2], [1])]);
  assert.deepEqual(dag.order, ['a', 'b']);
  assert.deepEqual([...dag.waitsFor.get('a')!], [], 'the wait that closed the cycle is dropped');
  assert.deepEqual([...dag.waitsFor.get('b')!], ['a']);
});
