import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffDataFile } from './data-diff';

const b = (s: string) => Buffer.from(s);

test('JSON: changed, added and removed values by key path, in order', () => {
  const d = diffDataFile(
    'metrics.json',
    b('{"accuracy": 0.912, "params": {"lr": 0.1, "layers": [64, 32]}, "note": "x"}'),
    b('{"accuracy": 0.915, "params": {"lr": 0.1, "layers": [64, 16]}, "at": "2026-01-05T06:00:00Z"}'),
  );
  assert.deepEqual(d, {
    total: 4,
    changes: [
      { key: 'accuracy', change: 'changed', before: '0.912', after: '0.915' },
      { key: 'params.layers[1]', change: 'changed', before: '32', after: '16' },
      { key: 'note', change: 'removed', before: 'x', after: null },
      { key: 'at', change: 'added', before: null, after: '2026-01-05T06:00:00Z' },
    ],
  });
});

test('JSON lines by line, CSV by row and header column (a byte-order mark is not a column name)', () => {
  assert.deepEqual(diffDataFile('h.jsonl', b('{"loss":1}\n{"loss":0.5}\n'), b('{"loss":1}\n{"loss":0.4}\n')), {
    total: 1,
    changes: [{ key: 'line 2 · loss', change: 'changed', before: '0.5', after: '0.4' }],
  });
  assert.deepEqual(diffDataFile('t.csv', b('\uFEFFid,score\n1,0.5\n2,"0,7"\n'), b('id,score\n1,0.5\n2,"0,8"\n3,0.1\n')), {
    total: 3,
    changes: [
      { key: 'row 2 · score', change: 'changed', before: '0,7', after: '0,8' },
      { key: 'row 3 · id', change: 'added', before: null, after: '3' },
      { key: 'row 3 · score', change: 'added', before: null, after: '0.1' },
    ],
  });
});

test('only the first N changes are listed, the total counts all; unreadable files say why', () => {
  const many = (k: number) => b(JSON.stringify(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`m${i}`, i * k]))));
  const d = diffDataFile('m.json', many(1), many(2), 5);
  assert.ok('changes' in d);
  assert.equal(d.changes.length, 5);
  assert.equal(d.total, 29, 'm0 is 0 either way');
  const bad = diffDataFile('m.json', b('{'), b('{}'));
  assert.ok('note' in bad && /could not be compared/.test(bad.note));
  assert.ok('note' in diffDataFile('model.pkl', b('a'), b('b')));
});
