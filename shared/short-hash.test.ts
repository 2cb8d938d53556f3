import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shortHash, shortPair } from './short-hash';

test('short forms keep the scheme, shorten only hash-like values', () => {
  assert.equal(shortHash(`sha256:${'9f8e1a2b'.repeat(8)}`), 'sha256:9f8e1a2b…');
  assert.equal(shortHash('f7abae14c0ffee00112233445566778899aabbcc'), 'f7abae14…');
  assert.equal(shortHash('4'), '4', 'table versions stay whole');
  assert.equal(shortHash('1.26.4'), '1.26.4');
  assert.equal(shortHash('sha256:abc'), 'sha256:abc', 'too short to shorten');
});

test('a pair that agrees on its first characters is lengthened until the two differ', () => {
  const a = `f7abae14${'0'.repeat(32)}`;
  const b = `f7abae14${'0'.repeat(20)}9${'0'.repeat(11)}`;
  // They first differ at character 29 (index 28): both keep 29 characters.
  assert.deepEqual(shortPair(a, b), { before: `${a.slice(0, 29)}…`, after: `${b.slice(0, 29)}…` });
  assert.deepEqual(shortPair(`sha256:${'1'.repeat(64)}`, `sha256:${'2'.repeat(64)}`), { before: 'sha256:11111111…', after: 'sha256:22222222…' });
  // A value that is a prefix of the other is shown whole.
  assert.deepEqual(shortPair('abcdef0123456789', 'abcdef01234567890'), { before: 'abcdef0123456789', after: 'abcdef01234567890' });
  assert.deepEqual(shortPair('3', '4'), { before: '3', after: '4' });
  assert.deepEqual(shortPair('cafe0123456789ab', 'cafe0123456789ab'), { before: 'cafe0123…', after: 'cafe0123…' });
  // git style: seven characters, no ellipsis; the scheme can be left out.
  assert.deepEqual(shortPair('f7abae1c0ffee00112233445566778899aabbcc', 'f7abae2c0ffee00112233445566778899aabbcc', { digits: 7, mark: '' }), { before: 'f7abae1', after: 'f7abae2' });
  assert.deepEqual(shortPair(`sha256:${'ab'.repeat(10)}0${'0'.repeat(43)}`, `sha256:${'ab'.repeat(10)}1${'0'.repeat(43)}`, { scheme: false, mark: '' }),
    { before: `${'ab'.repeat(10)}0`, after: `${'ab'.repeat(10)}1` });
});
