import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ingestOnce } from './ingest';
import { firstInvalidUtf8 } from './line-checks';
import { parseProvenanceLine } from './parse-line';
import { count, tempWorkspace } from './temp-workspace.test-support';

const event = (runId: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ eventType: 'START', eventTime: '2026-01-01T10:00:00Z', run: { runId }, job: { namespace: 'ns', name: 'j' }, ...extra });

test('a line that is not UTF-8 is rejected with its line and the offset of the first bad byte', () => {
  const ws = tempWorkspace();
  try {
    const good = event('00000000-0000-4000-8000-000000000001');
    // "é" is C3 A9; C3 followed by '"' is a lead byte without its continuation: not UTF-8.
    const before = Buffer.from('{"eventType":"START","eventTime":"2026-01-01T10:00:00Z","run":{"runId":"00000000-0000-4000-8000-000000000002"},"job":{"namespace":"ns","name":"j');
    const bad = Buffer.concat([before, Buffer.from([0xc3]), Buffer.from('"}}')]);
    const file = path.join(ws.paths.logsDir, 'mixed.jsonl');
    fs.writeFileSync(file, Buffer.concat([Buffer.from(good + '\n'), bad, Buffer.from('\n' + good.replace('01"', '03"') + '\n')]));
    const badAt = before.length;
    const lineStart = Buffer.byteLength(good) + 1;
    const r = ingestOnce({ paths: ws.paths, db: ws.db });
    assert.equal(r.events, 2, 'the lines around it are read');
    assert.deepEqual(r.rejected, [{
      file: '.retrace/logs/mixed.jsonl',
      line: 2,
      reason: `The line is not valid UTF-8 at byte offset ${lineStart + badAt} of the file (byte ${badAt + 1} of the line).`,
    }]);
    assert.equal(count(ws.db, 'prov_rejected'), 1);
  } finally {
    ws.dispose();
  }
});

test('a per-event JSON file that is not UTF-8 is rejected with the byte offset', () => {
  const ws = tempWorkspace();
  try {
    const text = Buffer.from(event('00000000-0000-4000-8000-000000000001'));
    const at = text.indexOf('"j"') + 1; // the "j" of the job name
    text[at] = 0xff; // never valid in UTF-8
    fs.writeFileSync(path.join(ws.paths.logsDir, 'one.json'), text);
    const r = ingestOnce({ paths: ws.paths, db: ws.db });
    assert.deepEqual(r.rejected, [{ file: '.retrace/logs/one.json', line: 1, reason: `The file is not valid UTF-8 at byte offset ${at}.` }]);
  } finally {
    ws.dispose();
  }
});

test('UTF-8 validity follows RFC 3629: overlong forms, surrogates and code points past U+10FFFF are invalid', () => {
  const b = (...xs: number[]) => Uint8Array.from(xs);
  assert.equal(firstInvalidUtf8(Buffer.from('plain ascii, é, 日本, 🙂')), -1);
  assert.equal(firstInvalidUtf8(b(0x61, 0xc0, 0xaf)), 1, 'C0 AF: an overlong "/"');
  assert.equal(firstInvalidUtf8(b(0xe0, 0x80, 0xaf)), 0, 'E0 80 AF: an overlong "/"');
  assert.equal(firstInvalidUtf8(b(0x61, 0x62, 0xed, 0xa0, 0x80)), 2, 'ED A0 80: the surrogate U+D800');
  assert.equal(firstInvalidUtf8(b(0xf4, 0x90, 0x80, 0x80)), 0, 'F4 90 80 80: U+110000');
  assert.equal(firstInvalidUtf8(b(0xf0, 0x9f, 0x99)), 0, 'a 4-byte sequence cut short');
  assert.equal(firstInvalidUtf8(b(0x80)), 0, 'a continuation byte alone');
  assert.equal(firstInvalidUtf8(b(0xf0, 0x9f, 0x99, 0x82)), -1, 'U+1F642');
});

test('a field of the wrong JSON type is named with the type expected and the type found', () => {
  const reason = (line: string) => {
    const r = parseProvenanceLine(line);
    assert.equal(r.ok, false, line);
    return r.ok ? '' : r.reason;
  };
  assert.equal(reason(event(42)), 'Field "run.runId" must be a string, got number, so the event cannot be placed in a run.');
  assert.equal(reason(event(null)), 'Field "run.runId" must be a string, got null, so the event cannot be placed in a run.');
  assert.equal(reason(event('')), 'Field "run.runId" is empty, so the event cannot be placed in a run.');
  assert.equal(reason(JSON.stringify({ eventType: 'START', eventTime: '2026-01-01T10:00:00Z', run: [], job: { name: 'j' } })),
    'Field "run" must be an object, got array, so the event cannot be placed in a run.');
  assert.equal(reason(event('r', { job: { name: 7 } })), 'Field "job.name" must be a string, got number, so the event has no job name.');
  assert.equal(reason(event('r', { job: 'j' })), 'Field "job" must be an object, got string, so the event has no job name.');
  assert.equal(reason(event('r', { eventType: 3 })), 'Field "eventType" must be a string, got number, so the run state is unknown.');
  assert.equal(reason(event('r', { eventTime: true })),
    'Field "eventTime" must be a string (ISO-8601) or epoch milliseconds, got boolean, so the event cannot be placed in time.');
  assert.equal(reason(JSON.stringify({ inode_operation: 5, io_timestamp: 1, path: '/p' })), 'Field "inode_operation" must be a string, got number, so the operation is unknown.');
  assert.equal(reason(JSON.stringify({ inode_operation: 'CREATE', io_timestamp: { t: 1 }, path: '/p' })),
    'Field "io_timestamp" must be epoch milliseconds (a number), got object, so the operation cannot be placed in time.');
  assert.equal(reason(JSON.stringify({ id: 12, state: 'RUNNING', timestamp: 1 })), 'Field "id" must be a string, got number, so the app state belongs to no run.');
  assert.equal(reason(JSON.stringify({ id: 'application_1', state: 2, timestamp: 1 })), 'Field "state" must be a string, got number, so the app state is unknown.');
});
