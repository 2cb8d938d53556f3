import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toCell, toCells } from './cells';

test('lake values become JSON cells: bigints as numbers while exact, Dates as ISO, bytes as base64, NaN and infinities as text', () => {
  assert.deepEqual(toCells({
    small: 42n, negative: -7n, big: 9007199254740993n, edge: 9007199254740991n,
    at: new Date(Date.UTC(2026, 0, 1, 10, 0, 0, 5)), bytes: new Uint8Array([1, 2, 3]), empty: new Uint8Array([]),
    nan: Number.NaN, inf: Number.POSITIVE_INFINITY, ninf: Number.NEGATIVE_INFINITY, n: 1.5, zero: 0,
    s: 'text', t: true, f: false, nul: null, undef: undefined,
  }), {
    small: 42, negative: -7, big: '9007199254740993', edge: 9007199254740991,
    at: '2026-01-01T10:00:00.005Z', bytes: 'AQID', empty: '',
    nan: 'NaN', inf: 'Infinity', ninf: '-Infinity', n: 1.5, zero: 0,
    s: 'text', t: true, f: false, nul: null, undef: null,
  });
});

test('lists and structs are converted all the way down', () => {
  assert.deepEqual(toCell([1n, [new Uint8Array([255])], { x: 2n ** 64n, y: [null, Number.NaN] }]), [1, ['/w=='], { x: '18446744073709551616', y: [null, 'NaN'] }]);
  assert.deepEqual(toCell({}), {});
  assert.deepEqual(toCell([]), []);
});
