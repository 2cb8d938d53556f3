import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localSearch } from './local-search';
import { node } from './graph-fixtures.test-support';

test('exact beats prefix beats segment start beats substring', () => {
  const nodes = [node('a', 'dataset', 'data/xtrain.csv'), node('b', 'job', 'train'), node('c', 'job', 'train_big'), node('d', 'dataset', 'data/train.csv')];
  assert.deepEqual(localSearch('train', nodes, null).map((h) => h.id), ['b', 'c', 'd', 'a']);
  assert.deepEqual(localSearch('  ', nodes, null), []);
});
