// The Delta log listing and replay on small logs written by hand, so every expected value follows
// from PROTOCOL.md (file names of commits and of classic, multi-part and v2 checkpoints; action
// reconciliation: a remove cancels the add of the same path and deletion vector, the latest txn
// version per appId wins) rather than from a table another tool wrote.
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { canonicalPath, commitFileName, dataFilePath, listLog, loadSnapshot, logDir, parseCommitText, readCommit } from './delta-log';
import { tryCommit, writeDataFile } from './delta-commit';

const SCHEMA = JSON.stringify({ type: 'struct', fields: [{ name: 'id', type: 'long', nullable: true, metadata: {} }] });
const protocol = { protocol: { minReaderVersion: 1, minWriterVersion: 2 } };
const metaData = (schemaString: string | null = SCHEMA) => ({
  metaData: { id: 't', format: { provider: 'parquet', options: {} }, schemaString, partitionColumns: [], configuration: {}, createdTime: 0 },
});
const add = (p: string) => ({ add: { path: p, partitionValues: {}, size: 10, modificationTime: 0, dataChange: true } });
const remove = (p: string) => ({ remove: { path: p, dataChange: true } });
const txn = (appId: string, version: number) => ({ txn: { appId, version } });

function tempTable(files: Record<string, string | object[]>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-delta-log-'));
  fs.mkdirSync(logDir(dir));
  for (const [name, body] of Object.entries(files)) {
    fs.writeFileSync(path.join(logDir(dir), name), typeof body === 'string' ? body : body.map((a) => JSON.stringify(a)).join('\n') + '\n');
  }
  return dir;
}
const withTable = (files: Record<string, string | object[]>, fn: (dir: string) => Promise<void> | void) => async () => {
  const dir = tempTable(files);
  try { await fn(dir); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
};
const is = (code: string, message: string) => (e: unknown) => {
  assert.ok(e instanceof AppError);
  assert.equal(e.code, code);
  assert.equal(e.message, message);
  return true;
};
const V = (v: number) => String(v).padStart(20, '0');
const U1 = '11111111-1111-1111-1111-111111111111', U2 = '22222222-2222-2222-2222-222222222222';

test('commit file names are the version in 20 digits', () => {
  assert.equal(commitFileName(0), '00000000000000000000.json');
  assert.equal(commitFileName(12), '00000000000000000012.json');
});

test('the listing: commits, classic, complete multi-part and v2 checkpoints; incomplete sets and other files ignored', withTable({
  [`${V(0)}.json`]: '', [`${V(1)}.json`]: '', [`${V(2)}.json`]: '', [`${V(3)}.json`]: '', [`${V(4)}.json`]: '',
  [`${V(1)}.checkpoint.0000000002.0000000002.parquet`]: '', [`${V(1)}.checkpoint.0000000001.0000000002.parquet`]: '',
  [`${V(2)}.checkpoint.parquet`]: '', [`${V(2)}.checkpoint.0000000001.0000000001.parquet`]: '', [`${V(2)}.checkpoint.${U1}.json`]: '',
  [`${V(3)}.checkpoint.0000000001.0000000003.parquet`]: '', [`${V(3)}.checkpoint.0000000002.0000000003.parquet`]: '',
  [`${V(4)}.checkpoint.${U2}.parquet`]: '', [`${V(4)}.checkpoint.${U1}.json`]: '',
  [`${V(5)}.crc`]: '', [`${V(6)}.json.tmp`]: '', '0000000000000000007.json': '', 'x.json': '', [`x${V(9)}.json`]: '',
  [`x${V(9)}.checkpoint.parquet`]: '', [`${V(9)}.checkpoint.parquet.crc`]: '', [`x${V(9)}.checkpoint.0000000001.0000000001.parquet`]: '',
  [`${V(9)}.checkpoint.0000000001.0000000001.parquet.crc`]: '', [`x${V(9)}.checkpoint.${U1}.json`]: '', [`${V(9)}.checkpoint.${U1}.json.crc`]: '',
}, (dir) => {
  const l = listLog(dir);
  assert.deepEqual([...l.commits].sort((a, b) => a[0] - b[0]), [0, 1, 2, 3, 4].map((v) => [v, `${V(v)}.json`]));
  assert.deepEqual([...l.checkpoints].sort((a, b) => a[0] - b[0]), [
    [1, [`${V(1)}.checkpoint.0000000001.0000000002.parquet`, `${V(1)}.checkpoint.0000000002.0000000002.parquet`]],
    [2, [`${V(2)}.checkpoint.parquet`]],
    // Two v2 checkpoints of one version and no hint: the first by name.
    [4, [`${V(4)}.checkpoint.${U1}.json`]],
  ]);
  assert.equal(l.latest, 4);
  assert.equal(l.hint, null);
}));

test('the _last_checkpoint hint picks among v2 checkpoints of its version only', withTable({
  [`${V(4)}.json`]: '', [`${V(4)}.checkpoint.${U1}.json`]: '', [`${V(4)}.checkpoint.${U2}.parquet`]: '',
  [`${V(6)}.checkpoint.${U1}.json`]: '', [`${V(6)}.checkpoint.${U2}.json`]: '',
  _last_checkpoint: JSON.stringify({ version: 4, size: 1, v2Checkpoint: { path: `${V(4)}.checkpoint.${U2}.parquet` } }),
}, (dir) => {
  const l = listLog(dir);
  assert.deepEqual(l.hint, { ok: true, version: 4, v2Path: `${V(4)}.checkpoint.${U2}.parquet` });
  assert.deepEqual(l.checkpoints.get(4), [`${V(4)}.checkpoint.${U2}.parquet`]);
  assert.deepEqual(l.checkpoints.get(6), [`${V(6)}.checkpoint.${U1}.json`], 'the hint names another version');
  assert.equal(l.latest, 6, 'a checkpoint newer than every commit is the latest version');
  fs.writeFileSync(path.join(logDir(dir), '_last_checkpoint'), JSON.stringify({ version: 4, v2Checkpoint: { path: `${V(4)}.checkpoint.gone.json` } }));
  assert.deepEqual(listLog(dir).checkpoints.get(4), [`${V(4)}.checkpoint.${U1}.json`], 'a hinted file that is not listed is not trusted');
}));

test('a folder that is no Delta table is refused by name', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-delta-log-'));
  try {
    assert.throws(() => listLog(dir), is('NOT_FOUND', `${dir} is not a Delta table (it has no _delta_log folder).`));
    fs.mkdirSync(logDir(dir));
    fs.writeFileSync(path.join(logDir(dir), `${V(0)}.crc`), '');
    assert.throws(() => listLog(dir), is('NOT_FOUND', `${dir} is not a Delta table (its _delta_log holds no commits).`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('commit text: blank lines skipped; a line that is not a JSON object is named by its number', () => {
  assert.deepEqual(parseCommitText('{"add":{"path":"a"}}\n\n  \n{"remove":{"path":"b"}}', 'f'), [{ add: { path: 'a' } }, { remove: { path: 'b' } }]);
  for (const bad of ['[1]', 'null', '5', '"add"', '{"add":']) {
    assert.throws(() => parseCommitText(`\n{"a":1}\n\n${bad}\n`, 'C.json'), is('STORE_CORRUPT', 'Commit file C.json is damaged: line 4 is not a JSON action.'), bad);
  }
  assert.throws(() => parseCommitText('[]', 'C.json'), (e: unknown) => e instanceof AppError && (e.details as { file?: string } | undefined)?.file === 'C.json');
});

test('reading a commit that does not exist names the version and the file', withTable({ [`${V(0)}.json`]: [protocol] }, (dir) => {
  assert.deepEqual(readCommit(dir, 0), [protocol]);
  assert.throws(() => readCommit(dir, 7), is('NOT_FOUND', `Version 7 of table ${dir} does not exist (no 00000000000000000007.json).`));
}));

test('log paths: file URIs and URI-encoded relative or absolute paths name one file', () => {
  assert.equal(canonicalPath('file:///tmp/a%20b.parquet'), '/tmp/a b.parquet');
  assert.equal(canonicalPath('FILE:/tmp/c.parquet'), '/tmp/c.parquet');
  assert.equal(canonicalPath('part%3D1/f%2B.parquet'), 'part=1/f+.parquet');
  assert.equal(canonicalPath('/abs/x.parquet'), '/abs/x.parquet');
  assert.equal(dataFilePath('/t', 'a%20b/c.parquet'), path.join('/t', 'a b/c.parquet'));
  assert.equal(dataFilePath('/t', '/abs/x%25.parquet'), '/abs/x%.parquet');
  assert.equal(dataFilePath('/t', 'File:///abs/y%20z.parquet'), '/abs/y z.parquet');
  // "file:" inside a relative name is part of the name, not a scheme.
  assert.equal(canonicalPath('dir/file:x.parquet'), 'dir/file:x.parquet');
  assert.equal(dataFilePath('/t', 'dir/file:x.parquet'), path.join('/t', 'dir/file:x.parquet'));
});

test('replay: a remove cancels the add of the same decoded path, a re-add clears the tombstone, the last txn per app wins', withTable({
  [`${V(0)}.json`]: [protocol, metaData(), add('a%20x.parquet'), add('b.parquet'), txn('other', 9)],
  [`${V(1)}.json`]: [remove('a x.parquet'), txn('app', 3), add('c.parquet')],
  [`${V(2)}.json`]: [add('a x.parquet'), remove('b.parquet'), txn('app', 4)],
}, async (dir) => {
  const v1 = await loadSnapshot(dir, 1);
  assert.equal(v1.version, 1);
  assert.equal(v1.tableDir, dir);
  assert.deepEqual(v1.files.map((f) => f.path), ['b.parquet', 'c.parquet']);
  assert.deepEqual(v1.tombstones.map((f) => f.path), ['a x.parquet']);
  assert.deepEqual([...v1.txns], [['other', 9], ['app', 3]]);
  assert.deepEqual(v1.schema.fields.map((f) => [f.name, f.type]), [['id', 'long']]);
  assert.equal(v1.columnMapping, 'none');
  assert.deepEqual(v1.protocol, protocol.protocol);
  assert.equal(v1.metadata.id, 't');
  assert.deepEqual(v1.warnings, []);
  const latest = await loadSnapshot(dir);
  assert.equal(latest.version, 2);
  assert.deepEqual(latest.files.map((f) => f.path), ['c.parquet', 'a x.parquet']);
  assert.deepEqual(latest.tombstones.map((f) => f.path), ['b.parquet']);
  assert.deepEqual([...latest.txns], [['other', 9], ['app', 4]]);
  const v0 = await loadSnapshot(dir, 0);
  assert.deepEqual(v0.files.map((f) => f.path), ['a%20x.parquet', 'b.parquet']);
  assert.deepEqual(v0.tombstones, []);
  await assert.rejects(loadSnapshot(dir, 3), is('NOT_FOUND', `Version 3 of table ${dir} does not exist (latest is 2).`));
  await assert.rejects(loadSnapshot(dir, -1), is('NOT_FOUND', `Version -1 of table ${dir} does not exist (latest is 2).`));
}));

test('replay: the same path with another deletion vector is another file', withTable({
  [`${V(0)}.json`]: [protocol, metaData(), add('d.parquet')],
  [`${V(1)}.json`]: [
    remove('d.parquet'),
    { add: { ...add('d.parquet').add, deletionVector: { storageType: 'i', pathOrInlineDv: 'wi5b=000010000siXQKl0rr91000f', offset: 1, sizeInBytes: 8, cardinality: 1 } } },
  ],
  [`${V(2)}.json`]: [{ remove: { path: 'd.parquet', dataChange: true, deletionVector: { storageType: 'i', pathOrInlineDv: 'other', offset: 1, sizeInBytes: 8, cardinality: 1 } } }],
}, async (dir) => {
  const v1 = await loadSnapshot(dir, 1);
  assert.deepEqual(v1.files.map((f) => f.deletionVector?.pathOrInlineDv ?? null), ['wi5b=000010000siXQKl0rr91000f']);
  const v2 = await loadSnapshot(dir, 2);
  assert.equal(v2.files.length, 1, 'a remove with a different deletion vector does not remove it');
}));

test('a log without protocol or metadata, or with metadata but no schema', async () => {
  await withTable({ [`${V(0)}.json`]: [metaData()] }, async (dir) => {
    await assert.rejects(loadSnapshot(dir), is('STORE_CORRUPT', `Table ${dir} is invalid at version 0: No protocol found.`));
  })();
  await withTable({ [`${V(0)}.json`]: [protocol, add('a')], [`${V(1)}.json`]: [add('b')] }, async (dir) => {
    await assert.rejects(loadSnapshot(dir), is('STORE_CORRUPT', `Table ${dir} is invalid at version 1: No metadata found.`));
  })();
  await withTable({ [`${V(0)}.json`]: [protocol, metaData(null)] }, async (dir) => {
    assert.deepEqual((await loadSnapshot(dir)).schema, { type: 'struct', fields: [] });
  })();
});

test('a damaged _last_checkpoint is reported with the snapshot, the listing is used', withTable({
  [`${V(0)}.json`]: [protocol, metaData()], _last_checkpoint: '{"size": 3}',
}, async (dir) => {
  const snap = await loadSnapshot(dir);
  assert.deepEqual(snap.warnings, [`${path.join(logDir(dir), '_last_checkpoint')} is damaged (it names no version); the log was listed instead.`]);
}));

test('missing leading commits without a checkpoint are damage, named by the commit before the oldest', withTable({
  [`${V(3)}.json`]: [protocol, metaData()], [`${V(4)}.json`]: [add('a')],
}, async (dir) => {
  const file = path.join(logDir(dir), `${V(2)}.json`);
  await assert.rejects(loadSnapshot(dir), is('STORE_CORRUPT',
    `Table ${dir} cannot be read at version 4: commit file ${file} is missing and no checkpoint covers it (versions are not contiguous: ([3, 4])).`));
  await assert.rejects(loadSnapshot(dir, 4), (e: unknown) => e instanceof AppError && (e.details as { file?: string } | undefined)?.file === file);
  await assert.rejects(loadSnapshot(dir, 3), is('STORE_CORRUPT',
    `Table ${dir} cannot be read at version 3: commit file ${file} is missing and no checkpoint covers it (versions are not contiguous: ([3])).`));
}));

test('a gap between commits names the first missing one', withTable({
  [`${V(0)}.json`]: [protocol, metaData()], [`${V(1)}.json`]: [add('a')], [`${V(4)}.json`]: [add('b')], [`${V(5)}.json`]: [add('c')],
}, async (dir) => {
  assert.equal((await loadSnapshot(dir, 1)).files.length, 1, 'versions before the gap read');
  await assert.rejects(loadSnapshot(dir, 5), is('STORE_CORRUPT',
    `Table ${dir} cannot be read at version 5: commit file ${path.join(logDir(dir), `${V(2)}.json`)} is missing and no checkpoint covers it (versions are not contiguous: ([0, 1, 4, 5])).`));
}));

test('commits removed because a later checkpoint covers them: older versions can no longer be reconstructed', withTable({
  [`${V(5)}.json`]: [protocol, metaData()], [`${V(6)}.json`]: [add('a')], [`${V(8)}.checkpoint.parquet`]: '',
}, async (dir) => {
  await assert.rejects(loadSnapshot(dir, 6), is('NOT_FOUND', `Version 6 of table ${dir} can no longer be reconstructed: its log was cleaned up before version 5.`));
}));

test('replay starts from the newest readable checkpoint at or before the version', withTable({
  [`${V(0)}.json`]: [protocol, metaData(), add('a')], [`${V(1)}.json`]: [add('b')], [`${V(2)}.json`]: [add('c')], [`${V(3)}.json`]: [add('d')],
  // Checkpoints that disagree with the commits on purpose, so the answer shows which one was read.
  [`${V(1)}.checkpoint.${U1}.json`]: [protocol, metaData(), add('cp1')],
  [`${V(2)}.checkpoint.${U1}.json`]: [protocol, metaData(), add('cp2'), { checkpointMetadata: { version: 2 } }],
}, async (dir) => {
  assert.deepEqual((await loadSnapshot(dir, 0)).files.map((f) => f.path), ['a']);
  assert.deepEqual((await loadSnapshot(dir, 1)).files.map((f) => f.path), ['cp1']);
  assert.deepEqual((await loadSnapshot(dir, 2)).files.map((f) => f.path), ['cp2']);
  assert.deepEqual((await loadSnapshot(dir, 3)).files.map((f) => f.path), ['cp2', 'd']);
  const cp2 = path.join(logDir(dir), `${V(2)}.checkpoint.${U1}.json`);
  fs.writeFileSync(cp2, 'not json\n');
  const older = await loadSnapshot(dir, 3);
  assert.deepEqual(older.files.map((f) => f.path), ['cp1', 'c', 'd']);
  assert.deepEqual(older.warnings, [`Checkpoint ${cp2} could not be read (line 1 is not JSON). An older checkpoint was used.`]);
  // Version 2 without its checkpoint: from checkpoint 1 and commit 2 once commit 2 is there, ...
  assert.deepEqual((await loadSnapshot(dir, 2)).files.map((f) => f.path), ['cp1', 'c']);
  // ... and the checkpoint's own failure once it is not.
  fs.rmSync(path.join(logDir(dir), `${V(2)}.json`));
  await assert.rejects(loadSnapshot(dir, 2), (e: unknown) => e instanceof AppError && e.message === `Checkpoint ${cp2} could not be read (line 1 is not JSON).`);
}));

test('a version after the last commit that only a newer checkpoint names: the missing commit is the one after the last', withTable({
  [`${V(0)}.json`]: [protocol, metaData()], [`${V(1)}.json`]: [add('a')], [`${V(3)}.checkpoint.${U1}.json`]: [protocol, metaData()],
}, async (dir) => {
  assert.equal(listLog(dir).latest, 3);
  await assert.rejects(loadSnapshot(dir, 2), is('STORE_CORRUPT',
    `Table ${dir} cannot be read at version 2: commit file ${path.join(logDir(dir), `${V(2)}.json`)} is missing and no checkpoint covers it (versions are not contiguous: ([0, 1])).`));
}));

test('a gap is named even when a newer checkpoint exists that does not cover it', withTable({
  [`${V(5)}.json`]: [protocol, metaData()], [`${V(6)}.json`]: [add('a')], [`${V(8)}.json`]: [add('b')],
  [`${V(10)}.checkpoint.${U1}.json`]: [protocol, metaData()],
}, async (dir) => {
  await assert.rejects(loadSnapshot(dir, 8), is('STORE_CORRUPT',
    `Table ${dir} cannot be read at version 8: commit file ${path.join(logDir(dir), `${V(7)}.json`)} is missing and no checkpoint covers it (versions are not contiguous: ([5, 6, 8])).`));
}));

test('a schema that is not a Delta struct is refused naming the table', withTable({
  [`${V(0)}.json`]: [protocol, metaData('{"type": "array"}')],
}, async (dir) => {
  await assert.rejects(loadSnapshot(dir), is('STORE_CORRUPT', `The schemaString in ${dir} metaData is not a valid Delta struct schema.`));
}));

test('a commit is put only if absent: the loser of a race is told, the winner\'s file is whole', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-delta-commit-'));
  try {
    assert.deepEqual(tryCommit(dir, 0, [protocol, add('a')]), { ok: true, version: 0 });
    assert.equal(fs.readFileSync(path.join(logDir(dir), `${V(0)}.json`), 'utf8'), `${JSON.stringify(protocol)}\n${JSON.stringify(add('a'))}\n`);
    assert.deepEqual(tryCommit(dir, 0, [add('b')]), { ok: false, reason: 'exists' });
    assert.equal(fs.readFileSync(path.join(logDir(dir), `${V(0)}.json`), 'utf8'), `${JSON.stringify(protocol)}\n${JSON.stringify(add('a'))}\n`, 'the winner is not replaced');
    assert.deepEqual(tryCommit(dir, 1, [add('b')]), { ok: true, version: 1 });
    assert.deepEqual(fs.readdirSync(path.join(logDir(dir), '.tmp')), [], 'no temp file is left behind');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a file system without hard links is refused by name, any other link failure is an IO error; neither leaves a temp file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-delta-commit-'));
  // The errors link(2) gives on such file systems (FAT, some network mounts), injected: this
  // machine's file system has hard links.
  const failWith = (code: string) => mock.method(fs, 'linkSync', () => {
    throw Object.assign(new Error(`${code}: link failed`), { code });
  });
  try {
    for (const code of ['EPERM', 'ENOTSUP', 'EXDEV']) {
      const m = failWith(code);
      try {
        assert.throws(() => tryCommit(dir, 0, [add('a')]), is('UNSUPPORTED', `The file system holding ${dir} has no hard links, which Retrace needs for safe concurrent commits.`), code);
      } finally {
        m.mock.restore();
      }
    }
    const m = failWith('EIO');
    try {
      const target = path.join(logDir(dir), `${V(0)}.json`);
      assert.throws(() => tryCommit(dir, 0, [add('a')]), is('IO', `Could not write commit ${target} (EIO: link failed).`));
    } finally {
      m.mock.restore();
    }
    assert.deepEqual(fs.readdirSync(path.join(logDir(dir), '.tmp')), []);
    assert.deepEqual(fs.readdirSync(logDir(dir)), ['.tmp'], 'no commit appeared');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a data file is announced to the journal first, then appears whole under its name', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-delta-data-'));
  try {
    const heard: string[] = [];
    writeDataFile(dir, 'p=1/part-0.parquet', Uint8Array.from([1, 2, 3]), {
      record: (rel) => heard.push(`${rel}:${fs.existsSync(path.join(dir, rel))}`),
    });
    assert.deepEqual(heard, ['p=1/part-0.parquet:false']);
    assert.deepEqual([...fs.readFileSync(path.join(dir, 'p=1/part-0.parquet'))], [1, 2, 3]);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'p=1')), ['part-0.parquet'], 'no temp file is left behind');
    writeDataFile(dir, 'top.parquet', Uint8Array.from([9]));
    assert.deepEqual([...fs.readFileSync(path.join(dir, 'top.parquet'))], [9]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
