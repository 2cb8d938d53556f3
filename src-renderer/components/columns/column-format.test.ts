import assert from 'node:assert/strict';
import { test } from 'node:test';
import { edgeKind, historyText, transformationText, visibleRange } from './column-format';

test('transformations read DIRECT first, in words', () => {
  assert.equal(transformationText([{ type: 'INDIRECT', subtype: 'GROUP_BY' }, { type: 'DIRECT', subtype: 'AGGREGATION' }]), 'aggregation · group by');
  assert.equal(transformationText([{ type: 'DIRECT' }]), 'direct');
  assert.equal(transformationText([{ type: 'DIRECT', subtype: 'MASKED', masking: true }]), 'masked (masked)');
  assert.equal(edgeKind([{ type: 'INDIRECT', subtype: 'JOIN' }]), 'indirect');
  assert.equal(edgeKind([{ type: 'INDIRECT', subtype: 'JOIN' }, { type: 'DIRECT' }]), 'direct');
});

test('a column\'s history reads as a sentence per change', () => {
  const at = '2026-01-01T00:00:00.000Z';
  assert.equal(historyText({ change: 'renamed', snapshot: 4, at, column: 'total_spend', from: 'spend', by: 'lineage' }), 'renamed from spend to total_spend · snapshot 4');
  assert.equal(historyText({ change: 'type_changed', snapshot: 7, at, column: 'n', from: 'int', to: 'long', tableVersion: 3 }), 'type int → long · snapshot 7 (table v3)');
  assert.equal(historyText({ change: 'appeared', snapshot: 1, at, column: 'a' }), 'appeared as a · snapshot 1');
});

test('a virtualised list draws only the rows in view, plus overscan, within bounds', () => {
  assert.deepEqual(visibleRange(0, 240, 24, 1000), [0, 18]);
  assert.deepEqual(visibleRange(24_000, 240, 24, 1000), [992, 1000]);
  assert.deepEqual(visibleRange(0, 240, 24, 3), [0, 3]);
});
