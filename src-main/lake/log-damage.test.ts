import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { commitFileName, loadSnapshot, logDir } from './delta-log';
import { copyTable, ext, range, sortedColumn } from './lake.test-support';

// A damaged log (issue 16): a missing or unparsable commit file, or a gap, is never read past
// silently. When a checkpoint still makes the version readable the read succeeds with a warning
// naming the file; otherwise it fails with a sentence naming the file. The damaged file is left
// exactly as it was.

function withCopy(rel: string, fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = copyTable(rel);
    try { await fn(dir); } finally { fs.rmSync(path.dirname(dir), { recursive: true, force: true }); }
  };
}

const GARBAGE = Buffer.from([0x9f, 0x00, 0x42, 0xff, 0x0a, 0x7b, 0x7d]);

test('a garbage commit covered by a checkpoint: latest reads with a warning, older versions fail naming it', withCopy('delta-rs/simple_table_with_checkpoint', async (dir) => {
  const file = path.join(logDir(dir), commitFileName(5));
  const expected = await sortedColumn(dir, 'version');
  fs.writeFileSync(file, GARBAGE);
  const snap = await loadSnapshot(dir);
  assert.equal(snap.version, 10);
  assert.deepEqual(snap.warnings, [`Commit file ${file} is damaged (line 1 is not JSON); version 10 is still readable from the checkpoint at version 10.`]);
  assert.deepEqual(await sortedColumn(dir, 'version'), expected);
  await assert.rejects(loadSnapshot(dir, 7), (e: AppError) => e.code === 'STORE_CORRUPT' && e.message === `Commit file ${file} is damaged: line 1 is not a JSON action.`);
  assert.deepEqual(fs.readFileSync(file), GARBAGE, 'the damaged file is untouched');
}));

test('a deleted commit covered by a checkpoint: a warning; a version that needs it: an error naming it', withCopy('delta-rs/simple_table_with_checkpoint', async (dir) => {
  const file = path.join(logDir(dir), commitFileName(4));
  fs.rmSync(file);
  const snap = await loadSnapshot(dir);
  assert.deepEqual(snap.warnings, [`Commit file ${file} is missing; version 10 is still readable from the checkpoint at version 10.`]);
  await assert.rejects(loadSnapshot(dir, 6), (e: AppError) => e.code === 'STORE_CORRUPT' && e.message.includes(`commit file ${file} is missing and no checkpoint covers it`));
}));

test('a garbage commit no checkpoint covers: the read fails naming the file', withCopy('delta-rs/simple_table', async (dir) => {
  const file = path.join(logDir(dir), commitFileName(3));
  fs.writeFileSync(file, '{"add": {"path": "x"');
  await assert.rejects(loadSnapshot(dir), (e: AppError) => e.code === 'STORE_CORRUPT' && e.message === `Commit file ${file} is damaged: line 1 is not a JSON action.`);
  assert.deepEqual(await sortedColumn(dir, 'id', 2), range(5, 10), 'versions before the damage still read');
}));

test('delta/versions-not-contiguous: the gap is an error naming the missing commit file', async () => {
  const dir = ext('delta/versions-not-contiguous');
  const missing = path.join(logDir(dir), commitFileName(1));
  await assert.rejects(loadSnapshot(dir), (e: AppError) => e.message.includes(`commit file ${missing} is missing`) && /versions are not contiguous: \(\[0, 2\]\)/.test(e.message));
});

test('a damaged checkpoint is skipped for an older replay, with a warning naming it', withCopy('delta-rs/simple_table_with_checkpoint', async (dir) => {
  const cp = path.join(logDir(dir), '00000000000000000010.checkpoint.parquet');
  fs.writeFileSync(cp, 'not parquet');
  const snap = await loadSnapshot(dir);
  assert.equal(snap.version, 10);
  assert.equal(snap.warnings.length, 1);
  assert.match(snap.warnings[0]!, new RegExp(`^Checkpoint ${cp.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} could not be read`));
}));

test('a damaged _last_checkpoint hint is reported and the listing used', withCopy('delta-rs/simple_table_with_checkpoint', async (dir) => {
  fs.writeFileSync(path.join(logDir(dir), '_last_checkpoint'), '{"version": ');
  const snap = await loadSnapshot(dir);
  assert.equal(snap.version, 10);
  assert.deepEqual(snap.warnings, [`${path.join(logDir(dir), '_last_checkpoint')} is damaged (it is not JSON); the log was listed instead.`]);
}));

test('a reader feature Retrace does not know is refused by name', withCopy('delta/basic-with-vacuum-protocol-check-feature', async (dir) => {
  const next = path.join(logDir(dir), commitFileName(2));
  fs.writeFileSync(next, `${JSON.stringify({ protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['catalogManaged'], writerFeatures: ['catalogManaged'] } })}\n`);
  await assert.rejects(loadSnapshot(dir), (e: AppError) => e.code === 'UNSUPPORTED' && e.message === `Table ${dir} uses reader feature "catalogManaged", which Retrace cannot read yet.`);
  assert.equal((await loadSnapshot(dir, 1)).version, 1, 'versions before the upgrade stay readable');
}));
