import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AgingMap, AgingPairMap } from './aging-cache';

test('an aging map keeps what is used in every generation, forgets what is not, and stays within about twice its limit', () => {
  const m = new AgingMap<number>(100);
  m.set('hot', 1);
  for (let gen = 0; gen < 20; gen++) {
    for (let i = 0; i < 150; i++) m.set(`cold-${gen}-${i}`, i);
    assert.equal(m.get('hot'), 1, `generation ${gen}`);
    m.age();
    assert.ok(m.size <= 2 * 151, `size ${m.size}`);
  }
  assert.equal(m.get('cold-19-5'), 5, 'the last generation is still there');
  assert.equal(m.get('cold-0-5'), undefined, 'an old one is forgotten');
  const small = new AgingMap<number>(10);
  small.set('a', 1);
  small.age();
  assert.equal(small.get('a'), 1, 'no new generation while the current one is within its limit');
});

test('an aging pair map promotes a pair found in the previous generation, so the next aging keeps it', () => {
  const m = new AgingPairMap<string>(2);
  m.set('file', 'a.csv', 'A');
  m.set('file', 'b.csv', 'B');
  m.set('hopsfs', 'a.csv', 'H');
  m.age(); // all three move to the previous generation
  assert.equal(m.size, 3);
  assert.equal(m.get('file', 'a.csv'), 'A'); // promoted
  for (const n of ['x', 'y', 'z']) m.set('file', n, n);
  m.age(); // drops b.csv and hopsfs a.csv, never used since
  assert.equal(m.get('file', 'a.csv'), 'A');
  assert.equal(m.get('file', 'b.csv'), undefined);
  assert.equal(m.get('hopsfs', 'a.csv'), undefined);
  assert.equal(m.get('file', 'x'), 'x');
});
