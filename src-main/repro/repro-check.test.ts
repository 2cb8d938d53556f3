import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { captureRun } from '../capture/capture-run';
import { openDb, type WritableDb } from '../db/open-db';
import { ingestOnce } from '../provenance/ingest';
import { workspacePaths } from '../workspace/workspace-paths';
import { liveState } from './current-state';
import { checkReproducibility } from './repro-check';

/**
 * Real runs, real changes: a stage is captured (strace, or the scan where strace is missing),
 * ingested, then its code, data and environment are changed on disk, and each axis must say so.
 */
let ws: string;
let db: WritableDb;
const quiet = { warn: () => {}, stdio: 'quiet' as const };
const git = (...args: string[]) => spawnSync('git', args, { cwd: ws, encoding: 'utf8' });
const runIdOf = (uuid: string) => (db.prepare('SELECT id FROM runs WHERE run_uuid = ?').get(uuid) as { id: number }).id;

before(() => {
  ws = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-repro-'));
  fs.writeFileSync(path.join(ws, 'train.py'), "import json\nrows = open('data.csv').read().splitlines()\njson.dump({'n': len(rows)}, open('model.json', 'w'))\n");
  fs.writeFileSync(path.join(ws, 'data.csv'), 'a\n1\n2\n');
  fs.writeFileSync(path.join(ws, '.gitignore'), '.retrace/\nmodel.json\nvendor/\n');
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'first');
  db = openDb(workspacePaths(ws).dbFile);
});
after(() => {
  db.close();
  fs.rmSync(ws, { recursive: true, force: true });
});

test('an unchanged setup is reproducible on all three axes, then each change is named', async () => {
  const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
  assert.ok(python, 'python3 is installed');
  const env = { ...process.env, PYTHONPATH: '' };
  const first = await captureRun({ argv: [python, 'train.py'], workspaceRoot: ws, cwd: ws, stage: 'train', env, ...quiet });
  assert.equal(first.exitCode, 0);
  ingestOnce({ paths: workspacePaths(ws), db });
  const id = runIdOf(first.runId);

  const clean = await checkReproducibility(db, id, liveState(ws));
  assert.deepEqual(clean.axes, { code: 'same', data: 'same', environment: 'same' }, JSON.stringify(clean.warnings));
  assert.deepEqual(clean.command, { argv: [python, 'train.py'], cwd: '.' });

  // Code: a committed edit of the script. Data: the input rewritten. Environment: the stage's
  // next run gets a package through a .dist-info folder on PYTHONPATH.
  fs.appendFileSync(path.join(ws, 'train.py'), '# tuned\n');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', 'tune');
  fs.writeFileSync(path.join(ws, 'data.csv'), 'a\n1\n2\n3\n');
  fs.mkdirSync(path.join(ws, 'vendor/fastmath-1.4.0.dist-info'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'vendor/fastmath-1.4.0.dist-info/METADATA'), 'Metadata-Version: 2.1\nName: fastmath\nVersion: 1.4.0\n');
  const second = await captureRun({ argv: [python, 'train.py'], workspaceRoot: ws, cwd: ws, stage: 'train', env: { ...env, PYTHONPATH: path.join(ws, 'vendor') }, ...quiet });
  assert.equal(second.exitCode, 0);
  ingestOnce({ paths: workspacePaths(ws), db });

  const changed = await checkReproducibility(db, id, liveState(ws));
  assert.deepEqual(changed.axes, { code: 'changed', data: 'changed', environment: 'changed' });
  const byCode = Object.fromEntries(changed.warnings.map((w) => [w.code, w.message]));
  assert.match(byCode.CODE_CHANGED ?? '', /git [0-9a-f]{7} → [0-9a-f]{7}.*train\.py modified/);
  assert.match(byCode.INPUT_DATA_CHANGED ?? '', /^data\.csv changed since the run \(sha256:/);
  assert.match(byCode.ENVIRONMENT_CHANGED ?? '', /fastmath added \(1\.4\.0\)/);
  // What differs is carried in full: the file with both hashes, the git commits, the packages.
  const codeDetails = changed.warnings.find((w) => w.code === 'CODE_CHANGED')!.details as { files: { path: string; change: string; recorded: string; now: string }[]; gitSha: { recorded: string; now: string } };
  const trainPy = codeDetails.files.find((f) => f.path === 'train.py')!;
  assert.equal(trainPy.change, 'modified');
  assert.match(trainPy.recorded, /^sha256:[0-9a-f]{64}$/);
  assert.match(trainPy.now, /^sha256:[0-9a-f]{64}$/);
  assert.notEqual(trainPy.recorded, trainPy.now);
  assert.match(codeDetails.gitSha.now, /^[0-9a-f]{40}$/);

  // The newest run matches today's setup exactly.
  const latest = await checkReproducibility(db, runIdOf(second.runId), liveState(ws));
  assert.deepEqual(latest.axes, { code: 'same', data: 'same', environment: 'same' }, JSON.stringify(latest.warnings));

  // A missing input is INPUT_MISSING, not a crash.
  fs.rmSync(path.join(ws, 'data.csv'));
  const missing = await checkReproducibility(db, id, liveState(ws));
  assert.ok(missing.warnings.some((w) => w.code === 'INPUT_MISSING' && /^data\.csv no longer exists/.test(w.message)));
});
