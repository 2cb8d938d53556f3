import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../shared/errors';
import { readChanges } from './changes';
import { listLog, loadSnapshot, readCommit } from './delta-log';
import type { DeltaField, Row } from './delta-types';
import { writeTable } from './delta-writer';
import { lookupKey } from './lookup';
import { alterTable } from './table-alter';
import { vacuumTable } from './vacuum';
import { duckRows, rowsAt, tempDir } from './lake.test-support';
import { PENDING_DIR } from './write-journal';

// Column mapping on write (`table alter`), vacuum, and cleaning up after writes that fail or are
// killed (issues 16 and 18).

function withTemp(fn: (root: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const root = tempDir();
    try { await fn(root); } finally { fs.rmSync(root, { recursive: true, force: true }); }
  };
}

const byK = (rows: Row[]): Row[] => [...rows].sort((a, b) => Number(a.k) - Number(b.k));
const FIELDS: DeltaField[] = [{ name: 'k', type: 'long', nullable: false }, { name: 'v', type: 'string', nullable: true }, { name: 'w', type: 'double', nullable: true }];

test('rename and drop through column mapping: time travel shows the old names, the change feed each version\'s names', withTemp(async (root) => {
  const dir = path.join(root, 't');
  let clock = Date.parse('2024-03-01T00:00:00Z');
  const now = (): number => (clock += 1000);
  await writeTable(dir, { mode: 'append', rows: [{ k: 1, v: 'a', w: 0.5 }, { k: 2, v: 'b', w: 1.5 }], fields: FIELDS, keyColumns: ['k'], now }); // v0
  const renamed = await alterTable(dir, { rename: [['v', 'label']], now }); // v1
  assert.deepEqual(renamed, { version: 1, operation: 'RENAME COLUMN', columnMappingEnabled: true });
  const p = (await loadSnapshot(dir)).protocol;
  assert.deepEqual([p.minReaderVersion, p.minWriterVersion, p.readerFeatures, p.writerFeatures?.includes('columnMapping')], [3, 7, ['columnMapping'], true]);
  await writeTable(dir, { mode: 'upsert', rows: [{ k: 2, label: 'B', w: 2.5 }, { k: 3, label: 'c', w: null }], keyColumns: ['k'], now }); // v2
  await alterTable(dir, { drop: ['w'], now }); // v3
  await writeTable(dir, { mode: 'append', rows: [{ k: 4, label: 'd' }], now }); // v4

  assert.deepEqual(byK(await rowsAt(dir, 0)), [{ k: 1, v: 'a', w: 0.5 }, { k: 2, v: 'b', w: 1.5 }]);
  assert.deepEqual(byK(await rowsAt(dir, 1)), [{ k: 1, label: 'a', w: 0.5 }, { k: 2, label: 'b', w: 1.5 }]);
  assert.deepEqual(byK(await rowsAt(dir, 2)), [{ k: 1, label: 'a', w: 0.5 }, { k: 2, label: 'B', w: 2.5 }, { k: 3, label: 'c', w: null }]);
  assert.deepEqual(byK(await rowsAt(dir)), [{ k: 1, label: 'a' }, { k: 2, label: 'B' }, { k: 3, label: 'c' }, { k: 4, label: 'd' }]);
  // The files written after the rename store the column under its physical name ("v"), which
  // another engine sees; the log maps it to "label".
  const snap = await loadSnapshot(dir);
  const newest = snap.files.find((f) => readCommit(dir, 4).some((a) => a.add?.path === f.path))!;
  const duck = await duckRows(`SELECT * FROM read_parquet('${path.join(dir, decodeURIComponent(newest.path))}')`);
  assert.deepEqual(duck.map((r) => Object.keys(r).sort()), [['k', 'v']]);
  // Key lookups keep using the key index across the rename.
  assert.deepEqual((await lookupKey(dir, { keyColumn: 'k', key: 2 })).rows, [{ k: 2, label: 'B' }]);

  const changes = await readChanges(dir, 0, 4);
  const shape = (c: Row): string => `${c._commit_version}:${c._change_type}:${Object.keys(c).filter((x) => !x.startsWith('_')).sort().join(',')}`;
  assert.deepEqual(changes.map(shape).sort(), [
    '0:insert:k,v,w', '0:insert:k,v,w',
    '2:insert:k,label,w', '2:update_postimage:k,label,w', '2:update_preimage:k,label,w',
    '4:insert:k,label',
  ]);
  await assert.rejects(alterTable(dir, { rename: [['nope', 'x']] }), /Column "nope" does not exist/);
  await assert.rejects(alterTable(dir, { rename: [['k', 'label']] }), /already has a column "label"/);
}));

test('renaming a partition column keeps its partition values readable', withTemp(async (root) => {
  const dir = path.join(root, 'p');
  const fields: DeltaField[] = [{ name: 'id', type: 'long', nullable: false }, { name: 'day', type: 'date', nullable: true }];
  await writeTable(dir, { mode: 'append', rows: [{ id: 1, day: '2024-01-01' }, { id: 2, day: '2024-01-02' }], fields, partitionColumns: ['day'] });
  await alterTable(dir, { rename: [['day', 'event_day']] });
  await writeTable(dir, { mode: 'append', rows: [{ id: 3, event_day: '2024-01-01' }] });
  assert.deepEqual((await loadSnapshot(dir)).metadata.partitionColumns, ['event_day']);
  assert.deepEqual((await rowsAt(dir)).map((r) => `${r.id}:${r.event_day}`).sort(), ['1:2024-01-01', '2:2024-01-02', '3:2024-01-01']);
  await assert.rejects(alterTable(dir, { drop: ['event_day'] }), /partition column cannot be dropped/);
}));

test('vacuum removes exactly the files no retained version reads; retained versions still read the same', withTemp(async (root) => {
  const dir = path.join(root, 'v');
  const T0 = Date.parse('2024-01-01T00:00:00Z'), HOUR = 3_600_000;
  let clock = T0;
  const at = (t: number) => (): number => t;
  const fields: DeltaField[] = [{ name: 'k', type: 'long', nullable: false }, { name: 'v', type: 'string', nullable: true }];
  await writeTable(dir, { mode: 'append', rows: Array.from({ length: 30 }, (_, k) => ({ k, v: `a${k}` })), fields, keyColumns: ['k'], rowsPerFile: 10, now: at(clock) }); // v0: 3 files
  await writeTable(dir, { mode: 'upsert', rows: [{ k: 5, v: 'b5' }], keyColumns: ['k'], rowsPerFile: 10, now: at((clock += HOUR)) }); // v1 rewrites file of 0..9
  await writeTable(dir, { mode: 'upsert', rows: [{ k: 15, v: 'b15' }], keyColumns: ['k'], rowsPerFile: 10, now: at((clock += HOUR)) }); // v2 rewrites 10..19
  await writeTable(dir, { mode: 'delete', rows: [{ k: 25 }], keyColumns: ['k'], rowsPerFile: 10, now: at((clock += HOUR)) }); // v3 rewrites 20..29
  // An old stray file no commit mentions, and a fresh one (maybe a write in progress).
  fs.writeFileSync(path.join(dir, 'part-stray-old.parquet'), 'x');
  fs.utimesSync(path.join(dir, 'part-stray-old.parquet'), new Date(T0), new Date(T0));
  fs.writeFileSync(path.join(dir, 'part-stray-new.parquet'), 'y');
  const rowsBefore = await Promise.all([1, 2, 3].map(async (v) => byK(await rowsAt(dir, v))));

  // Cutoff at T0 + 1.5 h: v1 was current then, so v1, v2 and v3 are retained and v0 is not.
  // Only v0 read the file v1 removed (with its key index); the old stray file goes too.
  const removedByV1 = readCommit(dir, 1).filter((a) => a.remove).map((a) => decodeURIComponent(a.remove!.path));
  assert.equal(removedByV1.length, 1);
  const expected = [...removedByV1, `_retrace_index/${removedByV1[0]}.json`, 'part-stray-old.parquet'].sort();
  const opts = { retainHours: 2, now: () => T0 + 3.5 * HOUR };
  const dry = await vacuumTable(dir, { ...opts, dryRun: true });
  assert.deepEqual(dry.removed, expected);
  assert.equal(dry.retainedFromVersion, 1);
  for (const f of expected) assert.ok(fs.existsSync(path.join(dir, f)), `dry run keeps ${f}`);
  const done = await vacuumTable(dir, opts);
  assert.deepEqual(done.removed, expected);
  for (const f of expected) assert.equal(fs.existsSync(path.join(dir, f)), false, `${f} removed`);
  assert.ok(fs.existsSync(path.join(dir, 'part-stray-new.parquet')), 'a young unknown file is kept');
  for (const [i, v] of [1, 2, 3].entries()) assert.deepEqual(byK(await rowsAt(dir, v)), rowsBefore[i], `v${v} reads as before`);
  await assert.rejects(rowsAt(dir, 0), (e: AppError) => e.code === 'NOT_FOUND' && /is missing/.test(e.message));
  // Every change-data file of the retained commits is still there.
  for (const v of [1, 2, 3]) for (const a of readCommit(dir, v)) if (a.cdc) assert.ok(fs.existsSync(path.join(dir, decodeURIComponent(a.cdc.path))));
  assert.deepEqual((await vacuumTable(dir, opts)).removed, [], 'a second vacuum finds nothing');
}));

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataFiles = (dir: string): string[] => fs.readdirSync(dir, { recursive: true }).map(String).filter((p) => p.endsWith('.parquet') && !p.startsWith('_delta_log')).sort();
const referenced = async (dir: string): Promise<string[]> => {
  const out = new Set<string>();
  for (let v = 0; v <= listLog(dir).latest; v++) for (const a of readCommit(dir, v)) if (a.add) out.add(decodeURIComponent(a.add.path));
  return [...out].sort();
};

test('a write that fails after writing data files removes them: no orphan Parquet file', withTemp(async (root) => {
  const dir = path.join(root, 'f');
  await writeTable(dir, { mode: 'append', rows: [{ k: 1, v: 'a' }], fields: [{ name: 'k', type: 'long', nullable: false }, { name: 'v', type: 'string', nullable: true }] });
  const before = dataFiles(dir);
  // The commit cannot be written (its temp folder is a file), after the data files were.
  fs.writeFileSync(path.join(dir, '_delta_log', '.tmp-blocker'), '');
  fs.rmSync(path.join(dir, '_delta_log', '.tmp'), { recursive: true, force: true });
  fs.renameSync(path.join(dir, '_delta_log', '.tmp-blocker'), path.join(dir, '_delta_log', '.tmp'));
  await assert.rejects(writeTable(dir, { mode: 'append', rows: Array.from({ length: 50 }, (_, k) => ({ k, v: 'x' })), rowsPerFile: 10 }));
  assert.deepEqual(dataFiles(dir), before);
  assert.equal(fs.existsSync(path.join(dir, PENDING_DIR)), false);
}));

test('a table write killed after writing data files: the next write removes its files, and keeps what was committed', { timeout: 60_000 }, withTemp(async (root) => {
  const dir = path.join(root, 'k');
  // The child writes its data files, then waits (as if killed before the commit).
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/fixtures/lake/lake-stalled-writer.ts'), dir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => { if (String(d).includes('files written')) resolve(); });
    child.on('exit', (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
  });
  const committed = await referenced(dir);
  const orphans = dataFiles(dir).filter((f) => !committed.includes(f));
  assert.equal(orphans.length, 3, `the stalled write left its three files: ${dataFiles(dir).join(', ')}`);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  await writeTable(dir, { mode: 'append', rows: [{ k: 99, v: 'after' }] });
  assert.deepEqual(dataFiles(dir), await referenced(dir), 'every data file on disk is referenced by the log');
  assert.equal((await rowsAt(dir)).length, 2, 'the first commit and the new one');
}));
