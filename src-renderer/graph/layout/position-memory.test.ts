import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPositionMemory } from './position-memory';

/** localStorage stand-in (the browser's own is not in Node); `full` makes writes throw as a full quota does. */
function storage() {
  const m = new Map<string, string>();
  const s = { full: false, getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => { if (s.full) throw new Error('QuotaExceededError'); m.set(k, v); }, removeItem: (k: string) => void m.delete(k), m };
  return s;
}
const flush = () => new Promise((r) => setTimeout(r, 450));

test('positions, viewport and direction survive a new page (a new memory over the same storage)', async () => {
  const st = storage();
  const a = createPositionMemory(st, '/ws');
  a.remember('job|all', new Map([['n1', { x: 1.24, y: -3 }]]));
  a.rememberViewport('job|all', { zoom: 0.9, pan: { x: 10, y: 20 } });
  a.rememberDirection('job|all', 'TB');
  await flush();
  const b = createPositionMemory(st, '/ws');
  assert.deepEqual(b.positions('job|all').get('n1'), { x: 1.2, y: -3 });
  assert.deepEqual(b.viewport('job|all'), { zoom: 0.9, pan: { x: 10, y: 20 } });
  assert.equal(b.direction('job|all'), 'TB');
  assert.equal(createPositionMemory(st, '/other').positions('job|all').size, 0, 'another workspace remembers nothing');
});

test('a full storage only costs persistence, never an error', async () => {
  const st = storage();
  st.full = true;
  const a = createPositionMemory(st, '/ws');
  a.remember('v', new Map([['n', { x: 1, y: 1 }]]));
  assert.deepEqual(a.positions('v').get('n'), { x: 1, y: 1 }, 'kept for this session');
  await flush();
});

test('old views are forgotten past the limit', async () => {
  const st = storage();
  const a = createPositionMemory(st, '/ws');
  for (let i = 0; i < 30; i++) a.remember(`v${i}`, new Map([['n', { x: i, y: i }]]));
  await flush();
  const kept = [...st.m.keys()].filter((k) => !k.endsWith(':index')).length;
  assert.equal(kept, 24);
});
