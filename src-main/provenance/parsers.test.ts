// The Hopsworks row parsers and the line entry point, field by field. Expected records and
// reasons are written out by hand from notes/hopsworks-provenance.md §2.2 (the two tables' columns
// and their meanings) and from the sentence rules in records.ts (missing / wrong type / empty).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProvenanceLine, parseProvenanceValue } from './parse-line';
import type { ParseResult } from './records';

const T = 1_700_000_000_000; // 2023-11-14T22:13:20Z in epoch ms
const line = (o: Record<string, unknown>) => parseProvenanceLine(JSON.stringify(o));
const reason = (r: ParseResult) => (r.ok ? `accepted: ${JSON.stringify(r)}` : r.reason);
const ALL_OPS = 'CREATE, DELETE, ACCESS_DATA, MODIFY_DATA, METADATA, XATTR_ADD, XATTR_UPDATE, XATTR_DELETE, OTHER';
const ALL_STATES = 'SUBMITTED, RUNNING, FINISHED, KILLED, FAILED, UNKNOWN';

test('a file-operation row becomes a file_op record with every column read', () => {
  const r = line({
    inode_operation: 'ACCESS_DATA', io_timestamp: T, path: '/Projects/demo/Resources/train.csv',
    io_app_id: 'application_1_0001', io_user_name: 'meb10000', inode_id: 42, io_logical_time: 7,
  });
  assert.deepEqual(r, {
    ok: true,
    warnings: [],
    record: {
      kind: 'file_op', appId: 'application_1_0001', path: '/Projects/demo/Resources/train.csv', rawOp: 'ACCESS_DATA',
      op: 'READ', at: T, user: 'meb10000', inodeId: 42, logicalTime: 7,
    },
  });
});

test('each Hopsworks operation maps to its access kind; metadata and xattr changes are OTHER', () => {
  const expected: Record<string, string> = {
    CREATE: 'CREATE', DELETE: 'DELETE', ACCESS_DATA: 'READ', MODIFY_DATA: 'MODIFY', METADATA: 'OTHER',
    XATTR_ADD: 'OTHER', XATTR_UPDATE: 'OTHER', XATTR_DELETE: 'OTHER', OTHER: 'OTHER',
  };
  for (const [rawOp, op] of Object.entries(expected)) {
    const r = line({ inode_operation: rawOp, io_timestamp: T, path: '/p', io_app_id: 'a' });
    assert.ok(r.ok && r.record.kind === 'file_op', rawOp);
    assert.equal(r.record.op, op, rawOp);
    assert.equal(r.record.rawOp, rawOp);
  }
});

test('a file-operation row without usable optional columns gets nulls, not wrong values', () => {
  const r = line({ inode_operation: 'CREATE', io_timestamp: T, path: '/p', io_app_id: 'a', io_user_name: '', inode_id: '42', io_logical_time: '7' });
  assert.ok(r.ok && r.record.kind === 'file_op');
  assert.equal(r.record.user, null, 'an empty user name is no user');
  assert.equal(r.record.inodeId, null, 'an inode id must be a number');
  assert.equal(r.record.logicalTime, null, 'a logical time must be a number');
  const bare = line({ inode_operation: 'CREATE', io_timestamp: T, path: '/p', io_app_id: 'a' });
  assert.ok(bare.ok && bare.record.kind === 'file_op');
  assert.deepEqual([bare.record.user, bare.record.inodeId, bare.record.logicalTime], [null, null, null]);
});

test('the application of a file operation: a string or number id; none, notls, empty or missing mean no application', () => {
  const app = (io_app_id: unknown) => {
    const r = line({ inode_operation: 'CREATE', io_timestamp: T, path: '/p', ...(io_app_id === undefined ? {} : { io_app_id }) });
    assert.ok(r.ok && r.record.kind === 'file_op');
    return [r.record.appId, r.warnings];
  };
  assert.deepEqual(app('application_9_0002'), ['application_9_0002', []]);
  assert.deepEqual(app(17), ['17', []]);
  for (const none of ['none', 'notls', '', undefined, true]) assert.deepEqual(app(none), [null, ['unattributed_file_op']], String(none));
});

test('without a path the file path is built from the non-empty path parts, in the table column order', () => {
  const at = (o: Record<string, unknown>) => {
    const r = line({ inode_operation: 'CREATE', io_timestamp: T, io_app_id: 'a', ...o });
    assert.ok(r.ok && r.record.kind === 'file_op', reason(r));
    return r.record.path;
  };
  assert.equal(at({
    i_name: 'train.csv', i_parent_name: 'mnist', i_p2_name: 'raw', i_p1_name: 'Resources',
    dataset_name: 'data', project_name: 'demo',
  }), '/demo/data/Resources/raw/mnist/train.csv');
  assert.equal(at({ path: '', project_name: 'demo', i_p1_name: '', i_p2_name: 3, i_name: 'x' }), '/demo/x', 'empty and non-string parts are skipped');
  assert.equal(at({ path: '/given', project_name: 'demo', i_name: 'x' }), '/given', 'a path wins over the parts');
  assert.equal(
    reason(line({ inode_operation: 'CREATE', io_timestamp: T, io_app_id: 'a', path: '', i_name: '' })),
    'The row has no "path" and no path parts (project_name, dataset_name, i_name, …), so the file is unknown.',
  );
});

test('a file-operation row with a bad operation or time is rejected with a sentence naming the field', () => {
  const base = { io_timestamp: T, path: '/p', io_app_id: 'a' };
  assert.equal(reason(line({ ...base, inode_operation: 3 })), 'Field "inode_operation" must be a string, got number, so the operation is unknown.');
  assert.equal(reason(line({ ...base, inode_operation: null })), 'Field "inode_operation" must be a string, got null, so the operation is unknown.');
  assert.equal(reason(line({ ...base, inode_operation: 'RENAME' })), `Field "inode_operation" is "RENAME", not one of ${ALL_OPS}.`);
  // JSON of 50 x's is 52 characters with its quotes; the reason keeps the first 40.
  assert.equal(reason(line({ ...base, inode_operation: 'x'.repeat(50) })), `Field "inode_operation" is "${'x'.repeat(39)}, not one of ${ALL_OPS}.`);
  assert.equal(reason(line({ ...base, inode_operation: 'toString' })), `Field "inode_operation" is "toString", not one of ${ALL_OPS}.`);
  const then = 'so the operation cannot be placed in time.';
  const op = { inode_operation: 'CREATE', path: '/p' };
  assert.equal(reason(line(op)), `Field "io_timestamp" is missing, ${then}`);
  assert.equal(reason(line({ ...op, io_timestamp: true })), `Field "io_timestamp" must be epoch milliseconds (a number), got boolean, ${then}`);
  assert.equal(reason(line({ ...op, io_timestamp: null })), `Field "io_timestamp" must be epoch milliseconds (a number), got null, ${then}`);
  assert.equal(reason(line({ ...op, io_timestamp: 'yesterday' })), `Field "io_timestamp" is "yesterday", which is not epoch milliseconds, ${then}`);
  assert.equal(reason(line({ ...op, io_timestamp: -5 })), `Field "io_timestamp" is -5, which is not epoch milliseconds, ${then}`);
  assert.equal(reason(line({ ...op, io_timestamp: 'y'.repeat(60) })), `Field "io_timestamp" is "${'y'.repeat(39)}, which is not epoch milliseconds, ${then}`);
});

test('file-operation times in seconds, milliseconds or numeric strings all give epoch milliseconds', () => {
  const at = (io_timestamp: unknown) => {
    const r = line({ inode_operation: 'CREATE', io_timestamp, path: '/p', io_app_id: 'a' });
    assert.ok(r.ok && r.record.kind === 'file_op', reason(r));
    return r.record.at;
  };
  assert.equal(at(T), T);
  assert.equal(at(T / 1000), T, 'seconds');
  assert.equal(at(String(T + 123)), T + 123);
});

test('an app-state row becomes an app_state record; -1 and 0 times mean "not yet"', () => {
  const r = line({
    id: 'application_1_0001', state: 'FINISHED', timestamp: T + 9000, name: 'train_mnist', user: 'meb10000',
    submit_time: T, start_time: T + 1000, finish_time: T + 9000,
  });
  assert.deepEqual(r, {
    ok: true,
    warnings: [],
    record: {
      kind: 'app_state', appId: 'application_1_0001', rawState: 'FINISHED', state: 'COMPLETE', at: T + 9000,
      name: 'train_mnist', user: 'meb10000', submitTime: T, startTime: T + 1000, finishTime: T + 9000,
    },
  });
  const early = line({ id: 'application_1_0001', state: 'RUNNING', timestamp: T, name: '', user: '', submit_time: T, start_time: 0, finish_time: -1 });
  assert.ok(early.ok && early.record.kind === 'app_state');
  assert.deepEqual(
    [early.record.name, early.record.user, early.record.submitTime, early.record.startTime, early.record.finishTime],
    [null, null, T, null, null],
  );
  const bare = line({ id: 'application_1_0001', state: 'RUNNING', timestamp: T });
  assert.ok(bare.ok && bare.record.kind === 'app_state');
  assert.deepEqual([bare.record.name, bare.record.user, bare.record.submitTime, bare.record.startTime, bare.record.finishTime], [null, null, null, null, null]);
});

test('each YARN application state maps to its run state', () => {
  const expected: Record<string, string> = {
    SUBMITTED: 'START', RUNNING: 'RUNNING', FINISHED: 'COMPLETE', KILLED: 'ABORT', FAILED: 'FAIL', UNKNOWN: 'OTHER',
  };
  for (const [rawState, state] of Object.entries(expected)) {
    const r = line({ id: 'app_1', state: rawState, timestamp: T });
    assert.ok(r.ok && r.record.kind === 'app_state', rawState);
    assert.deepEqual([r.record.rawState, r.record.state], [rawState, state]);
  }
});

test('an app-state row with a bad id, state or time is rejected with a sentence naming the field', () => {
  const then = 'so the app state belongs to no run.';
  // Without "id" the row is not an app state at all (it has no run either): OpenLineage says no.
  assert.equal(reason(line({ state: 'RUNNING', timestamp: T })), 'The object has none of "run", "job" or "dataset", so it is not an OpenLineage event.');
  assert.equal(reason(line({ id: 5, state: 'RUNNING', timestamp: T })), `Field "id" must be a string, got number, ${then}`);
  assert.equal(reason(line({ id: null, state: 'RUNNING', timestamp: T })), `Field "id" must be a string, got null, ${then}`);
  assert.equal(reason(line({ id: '', state: 'RUNNING', timestamp: T })), `Field "id" is empty, ${then}`);
  assert.equal(reason(line({ id: 'none', state: 'RUNNING', timestamp: T })), `Field "id" is "none", which names no application, ${then}`);
  assert.equal(reason(line({ id: 'notls', state: 'RUNNING', timestamp: T })), `Field "id" is "notls", which names no application, ${then}`);
  assert.equal(reason(line({ id: 'a', state: 2, timestamp: T })), 'Field "state" must be a string, got number, so the app state is unknown.');
  assert.equal(reason(line({ id: 'a', state: 'DONE', timestamp: T })), `Field "state" is "DONE", not one of ${ALL_STATES}.`);
  assert.equal(reason(line({ id: 'a', state: 's'.repeat(45), timestamp: T })), `Field "state" is "${'s'.repeat(39)}, not one of ${ALL_STATES}.`);
  assert.equal(reason(line({ id: 'a', state: 'constructor', timestamp: T })), `Field "state" is "constructor", not one of ${ALL_STATES}.`);
  assert.equal(reason(line({ id: 'a', state: 'RUNNING' })), 'Field "timestamp" is missing, so the app state cannot be placed in time.');
  assert.equal(reason(line({ id: 'a', state: 'RUNNING', timestamp: 'now' })), 'Field "timestamp" is "now", which is not epoch milliseconds, so the app state cannot be placed in time.');
});

test('which parser reads a row: inode_operation means a file operation; state and id without run or eventType an app state', () => {
  const fileOp = line({ inode_operation: 'CREATE', io_timestamp: T, path: '/p', io_app_id: 'a', state: 'RUNNING', id: 'a' });
  assert.ok(fileOp.ok && fileOp.record.kind === 'file_op');
  // An OpenLineage event that happens to carry "state" and "id" stays OpenLineage.
  const ol = line({
    eventType: 'START', eventTime: '2026-01-01T10:00:00Z', run: { runId: '00000000-0000-4000-8000-000000000001' },
    job: { namespace: 'ns', name: 'j' }, state: 'RUNNING', id: 'a',
  });
  assert.ok(ol.ok && ol.record.kind === 'ol_run', reason(ol));
  assert.equal(
    reason(line({ eventType: 'START', state: 'RUNNING', id: 'a', timestamp: T })),
    'The object has none of "run", "job" or "dataset", so it is not an OpenLineage event.',
  );
  assert.equal(
    reason(line({ run: 1, state: 'RUNNING', id: 'a', timestamp: T, eventTime: '2026-01-01T10:00:00Z' })),
    'Field "run" must be an object, got number, so the event cannot be placed in a run.',
  );
});

test('a line that is JSON but not an object is rejected naming what it is', () => {
  assert.equal(reason(parseProvenanceLine('[1, 2]')), 'The line is JSON but an array, not an object.');
  assert.equal(reason(parseProvenanceLine('null')), 'The line is JSON but null, not an object.');
  assert.equal(reason(parseProvenanceLine('42')), 'The line is JSON but a number, not an object.');
  assert.equal(reason(parseProvenanceLine('"text"')), 'The line is JSON but a string, not an object.');
  assert.equal(reason(parseProvenanceLine('true')), 'The line is JSON but a boolean, not an object.');
});

test('a line that is not JSON is rejected with the first sentence of the JSON error, printable and without its full stop', () => {
  const r = parseProvenanceLine('{"a": \u0001}\nsecond line');
  assert.equal(r.ok, false);
  assert.ok(!r.ok && 'reason' in r);
  assert.match(r.reason, /^The line is not valid JSON \(.+\)\.$/);
  assert.ok([...r.reason].every((c) => c.charCodeAt(0) >= 0x20), 'no control characters reach a terminal');
  assert.doesNotMatch(r.reason, /\.\)\.$/, 'one full stop at the end');
  assert.equal((r as { bug?: boolean }).bug, undefined, 'bad input is not a parser defect');
});

test('a parser that throws costs its line only, and the rejection is marked as a defect with the first line of the error', () => {
  const boom = (msg: unknown) => () => {
    throw msg;
  };
  assert.deepEqual(parseProvenanceValue({ a: 1 }, boom(new Error('boom.\nat somewhere'))), {
    ok: false,
    bug: true,
    reason: 'Retrace could not read this event because of a defect in its parser (boom); please report it with this line.',
  });
  // Only the full stop at the end goes, not one inside the sentence.
  const dotted = parseProvenanceValue({ a: 1 }, boom(new Error('version 1.2 is unknown.')));
  assert.ok(!dotted.ok);
  assert.equal(dotted.reason, 'Retrace could not read this event because of a defect in its parser (version 1.2 is unknown); please report it with this line.');
  // A thrown non-Error is printed as text, with control characters replaced and at most 120 characters.
  const long = `a\u0007b${'c'.repeat(200)}`;
  const r = parseProvenanceValue({ a: 1 }, boom(long));
  assert.ok(!r.ok);
  assert.equal(r.reason, `Retrace could not read this event because of a defect in its parser (a?b${'c'.repeat(117)}); please report it with this line.`);
  // The reader is not asked about values that are not objects.
  let asked = 0;
  const count = () => {
    asked++;
    return { ok: false as const, reason: 'no' };
  };
  assert.equal(reason(parseProvenanceValue([1], count)), 'The line is JSON but an array, not an object.');
  assert.equal(reason(parseProvenanceValue({}, count)), 'no');
  assert.equal(asked, 1);
});

test('with RETRACE_DEBUG=1 a parser defect also prints its stack to stderr, and only then', () => {
  const written: string[] = [];
  const write = process.stderr.write;
  const before = process.env.RETRACE_DEBUG;
  process.stderr.write = ((chunk: string) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    const err = new Error('kaputt');
    delete process.env.RETRACE_DEBUG;
    parseProvenanceValue({}, () => {
      throw err;
    });
    assert.deepEqual(written, []);
    process.env.RETRACE_DEBUG = '1';
    parseProvenanceValue({}, () => {
      throw err;
    });
    parseProvenanceValue({}, () => {
      throw 'plain';
    });
    assert.deepEqual(written, [`${err.stack}\n`, 'plain\n']);
  } finally {
    process.stderr.write = write;
    if (before === undefined) delete process.env.RETRACE_DEBUG;
    else process.env.RETRACE_DEBUG = before;
  }
});
