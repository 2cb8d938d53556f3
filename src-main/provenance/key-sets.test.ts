import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { DigestSet, FingerprintSet, isSha1Base64 } from './key-sets';

const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

test('a fingerprint set knows every key added, across many growths, and (almost surely) no other', () => {
  const set = new FingerprintSet(16);
  const n = 50_000;
  for (let i = 0; i < n; i++) set.add(uuid(i));
  assert.equal(set.size, n);
  for (let i = 0; i < n; i++) assert.ok(set.mightHave(uuid(i)), uuid(i));
  // 64-bit fingerprints: a false yes among 50k other keys would be a one in 10^10 event.
  let falseYes = 0;
  for (let i = n; i < 2 * n; i++) if (set.mightHave(uuid(i))) falseYes++;
  assert.equal(falseYes, 0);
  set.add(uuid(7));
  assert.equal(set.size, n, 'a key added twice is counted once');
  assert.equal(set.mightHave(''), false);
  set.add('');
  assert.ok(set.mightHave(''));
});

test('pairs are keyed by both parts and where the first one ends', () => {
  const set = new FingerprintSet();
  set.addPair('file', 'data/a.csv');
  set.addPair('ab', 'c');
  assert.ok(set.mightHavePair('file', 'data/a.csv'));
  assert.ok(set.mightHavePair('ab', 'c'));
  assert.equal(set.mightHavePair('a', 'bc'), false);
  assert.equal(set.mightHavePair('abc', ''), false);
  assert.equal(set.mightHavePair('hopsfs', 'data/a.csv'), false);
  assert.equal(set.mightHavePair('file', 'data/a.cs'), false);
  assert.equal(set.mightHave('filedata/a.csv'), false);
  // Non-ASCII names hash by code unit.
  set.addPair('file', 'données/é.csv');
  assert.ok(set.mightHavePair('file', 'données/é.csv'));
  assert.equal(set.mightHavePair('file', 'donnees/e.csv'), false);
});

test('a digest set answers exactly, also for digests that differ only in their last byte or share their first word', () => {
  const set = new DigestSet(16);
  const sha1 = (b: Buffer) => b.toString('base64');
  const digests = Array.from({ length: 20_000 }, (_, i) => crypto.hash('sha1', `line ${i}`, 'buffer'));
  for (const d of digests) assert.equal(set.add(sha1(d)), true);
  assert.equal(set.size, digests.length);
  for (const d of digests) assert.ok(set.has(sha1(d)));
  assert.equal(set.add(sha1(digests[3]!)), false);
  assert.equal(set.size, digests.length);

  const base = Buffer.from(digests[0]!);
  for (const at of [19, 18, 4, 0]) {
    const other = Buffer.from(base);
    other[at] = other[at]! ^ 1;
    assert.equal(set.has(sha1(other)), false, `byte ${at} differs`);
  }
  // Same first four bytes (same home slot), different rest: both kept, each found.
  const twin = Buffer.from(base);
  twin[10] = twin[10]! ^ 0xff;
  assert.equal(set.add(sha1(twin)), true);
  assert.ok(set.has(sha1(twin)));
  assert.ok(set.has(sha1(base)));
});

test('only the base64 text of a SHA-1 is a digest', () => {
  const good = crypto.hash('sha1', 'x', 'base64');
  assert.ok(isSha1Base64(good));
  const set = new DigestSet();
  for (const bad of ['', good.slice(0, 27), `${good.slice(0, 27)}A`, `${good.slice(0, 26)}B=`, `!${good.slice(1)}`, `é${good.slice(1)}`, crypto.hash('sha256', 'x', 'base64')]) {
    assert.equal(isSha1Base64(bad), false, bad);
    assert.throws(() => set.has(bad), /not the base64 text of a SHA-1 digest/, bad);
  }
});
