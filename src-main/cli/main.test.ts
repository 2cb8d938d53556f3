import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../shared/errors';
import { reportFailure } from './main';

function report(err: unknown, debug = false): { code: number; text: string } {
  let text = '';
  const code = reportFailure(err, (t) => (text += t), debug);
  return { code, text };
}

test('an unexpected failure is one sentence without a stack; RETRACE_DEBUG=1 adds the stack', () => {
  const bug = new TypeError("Cannot read properties of undefined (reading 'runId')\nsecond line");
  assert.deepEqual(report(bug), {
    code: 1,
    text: "error: Retrace failed unexpectedly (TypeError: Cannot read properties of undefined (reading 'runId')); run it again with RETRACE_DEBUG=1 to see where, and please report it.\n",
  });
  const debug = report(bug, true).text.split('\n');
  assert.match(debug[0]!, /^TypeError: Cannot read properties of undefined/);
  assert.ok(debug.some((l) => /^\s+at /.test(l)), 'the stack follows');
  assert.match(debug.at(-2)!, /^error: Retrace failed unexpectedly/);
});

test('an AppError is its own sentence; a bad argument exits 2, anything else 1', () => {
  assert.deepEqual(report(new AppError('INVALID_ARGUMENT', 'Give either --snapshot or --as-of, not both.')), { code: 2, text: 'error: Give either --snapshot or --as-of, not both.\n' });
  assert.deepEqual(report(new AppError('NOT_FOUND', 'No run matches "x".')), { code: 1, text: 'error: No run matches "x".\n' });
  assert.equal(report(new AppError('NOT_FOUND', 'No run matches "x".'), true).text.split('\n')[0], 'AppError: No run matches "x".');
});
