import assert from 'node:assert/strict';
import { AppError } from '../shared/errors';

/** The code and sentence a call was refused with; fails the test when the call succeeds or throws something else. */
export async function refusal(p: Promise<unknown>): Promise<[string, string]> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    return [err.code, err.message];
  }
  assert.fail('expected a refusal');
}
