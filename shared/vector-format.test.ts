import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatVectorCell, isVectorCell, summarizeVector } from './vector-format';

test('a 128-dimension embedding is shown as its dimension, first values and norm', () => {
  // 128 values of 0.5: norm = sqrt(128 × 0.25) = sqrt(32) = 5.656854…
  const v = new Array(128).fill(0.5);
  v[1] = -0.03125; v[2] = 0.25;
  const norm = Math.sqrt(126 * 0.25 + 0.03125 ** 2 + 0.0625);
  assert.equal(formatVectorCell(v), `[128] 0.50, -0.03, 0.25 … ‖v‖ ${norm.toFixed(2)}`);
  assert.equal(formatVectorCell(new Array(128).fill(0.5)), '[128] 0.50, 0.50, 0.50 … ‖v‖ 5.66');
});

test('short vectors show every value and no ellipsis; whole numbers stay whole', () => {
  assert.equal(formatVectorCell([3, 4]), '[2] 3, 4 ‖v‖ 5.00');
  assert.equal(formatVectorCell([1, 0, 0], { digits: 3 }), '[3] 1, 0, 0 ‖v‖ 1.000');
});

test('a null element is shown as null and makes the norm unknown', () => {
  assert.equal(formatVectorCell([1, null, 2]), '[3] 1, null, 2 ‖v‖ n/a');
  assert.ok(Number.isNaN(summarizeVector([1, null]).norm));
});

test('what is not a vector is left to the caller', () => {
  for (const v of [[], ['a', 'b'], [{ x: 1 }], [null, null], 'abc', 5, null, { 0: 1 }]) {
    assert.equal(isVectorCell(v), false, JSON.stringify(v));
    assert.equal(formatVectorCell(v), null);
  }
});
