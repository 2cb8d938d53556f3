import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RETAIN_HOURS as VACUUM_DEFAULT } from '../../lake/vacuum';
import { DEFAULT_RETAIN_HOURS as CLI_DEFAULT } from './table-maintenance';

test('the CLI states the vacuum retention the commit store uses', () => {
  assert.equal(CLI_DEFAULT, VACUUM_DEFAULT);
});
