import assert from 'node:assert/strict';
import { test } from 'node:test';
import { middleTruncate, shortLabel } from './labels';

test('labels keep the last two path segments, the folder giving way first', () => {
  assert.equal(shortLabel('data/raw/2026/day-01.csv'), '2026/day-01.csv');
  assert.equal(shortLabel('train'), 'train');
  assert.equal(shortLabel('Churn_Training_Datasets/churn_td_0'), '…ining_Datasets/churn_td_0');
  assert.equal(shortLabel('s3://bucket/x/y.parquet'), 'x/y.parquet');
});

test('middle truncation keeps both ends and the length limit', () => {
  const s = middleTruncate('application_1767225600_0001_1', 20);
  assert.equal(s.length, 20);
  assert.ok(s.startsWith('applicati') && s.endsWith('0_0001_1') && s.includes('…'));
  assert.equal(middleTruncate('short', 20), 'short');
});
