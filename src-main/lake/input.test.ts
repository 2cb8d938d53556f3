import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { csvDocument } from '../../shared/csv';
import { readInputFile } from './input';
import { tempDir } from './lake.test-support';

// CSV input through csv-parse (issue 20): each case is a bug the hand-written parser had.

function withFile(text: string | Buffer, fn: (file: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const root = tempDir();
    const file = path.join(root, 'in.csv');
    fs.writeFileSync(file, text);
    try { await fn(file); } finally { fs.rmSync(root, { recursive: true, force: true }); }
  };
}

test('an Excel export\'s byte-order mark does not end up in the first column name', withFile('\uFEFFid,name\r\n1,Ann\r\n2,Bo\r\n', async (file) => {
  const input = await readInputFile(file);
  assert.deepEqual(input.fields.map((f) => f.name), ['id', 'name']);
  assert.deepEqual(input.rows, [{ id: 1, name: 'Ann' }, { id: 2, name: 'Bo' }]);
}));

test('a stray quote inside an unquoted field is an error naming the line, not part of the value', withFile('id,name\n1,Ann\n2,Bo"b\n', async (file) => {
  await assert.rejects(readInputFile(file), (e: AppError) => e.code === 'INVALID_ARGUMENT' && e.message.startsWith(`Line 3 of ${file} is not valid CSV: a quote is found on field "name"`));
}));

test('a quoted field left open is an error naming the line', withFile('id,name\n1,"Ann\n', async (file) => {
  await assert.rejects(readInputFile(file), (e: AppError) => e.code === 'INVALID_ARGUMENT' && e.message.startsWith(`Line 2 of ${file} is not valid CSV`));
}));

test('a row with more fields than the header is an error naming the line', withFile('id,name\n1,Ann\n2,Bo,extra\n', async (file) => {
  await assert.rejects(readInputFile(file), (e: AppError) => e.code === 'INVALID_ARGUMENT' && /^Line 3 of .* is not valid CSV: columns length is 2, got 3/.test(e.message));
}));

test('what the CSV writer writes, the CSV reader reads back (quotes, commas, line breaks, empty = null)', async () => {
  const text = csvDocument(['id', 'note'], [[1, 'plain'], [2, 'a, "quoted" word'], [3, 'two\r\nlines'], [4, null]]);
  await withFile(text, async (file) => {
    const input = await readInputFile(file);
    assert.deepEqual(input.rows, [{ id: 1, note: 'plain' }, { id: 2, note: 'a, "quoted" word' }, { id: 3, note: 'two\r\nlines' }, { id: 4, note: null }]);
  })();
});
