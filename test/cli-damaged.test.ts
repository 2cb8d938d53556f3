/**
 * The real `retrace` command on damaged, locked, newer and read-only metadata DBs: one sentence
 * naming the file and what to do, no stack trace, and the damaged file's bytes unchanged.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { CORE_MIGRATIONS } from '../src-main/db/migrations';
import { openDb } from '../src-main/db/open-db';
import { ingestOnce } from '../src-main/provenance/ingest';
import { workspacePaths } from '../src-main/workspace/workspace-paths';
import { REPO_ROOT, retrace } from './cli.test-support';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/provenance/retrace-capture.jsonl');
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A workspace with one log and its DB ingested (4 events, 2 runs). */
function ingestedWorkspace(): { root: string; dbFile: string; log: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-damaged-'));
  const paths = workspacePaths(root);
  fs.mkdirSync(paths.logsDir, { recursive: true });
  const log = path.join(paths.logsDir, 'runs.jsonl');
  fs.copyFileSync(FIXTURE, log);
  const db = openDb(paths.dbFile);
  assert.equal(ingestOnce({ paths, db }).events, 4);
  db.close();
  return { root, dbFile: paths.dbFile, log };
}

/** One line on stderr, an `error:` sentence, and no stack frame. */
function oneSentence(stderr: string): string {
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, stderr);
  return lines[0]!;
}

test('a metadata DB that is not a database: one sentence, the file untouched, and --rebuild recovers', () => {
  const ws = ingestedWorkspace();
  try {
    // Deterministic garbage (the same bytes every run).
    fs.writeFileSync(ws.dbFile, crypto.createHash('sha512').update('not a db').digest().toString('hex').repeat(200));
    const before = sha(ws.dbFile);
    const expected = `error: The metadata DB ${ws.dbFile} is damaged (file is not a database); run \`retrace ingest --rebuild\` to recreate it from the logs.`;
    for (const args of [['graph'], ['ingest'], ['repro', 'some-run']]) {
      const r = retrace([...args, '-w', ws.root]);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(oneSentence(r.stderr), expected);
      assert.equal(sha(ws.dbFile), before, `${args.join(' ')} left the damaged file as it was`);
    }
    const rebuilt = retrace(['ingest', '-w', ws.root, '--rebuild', '--json']);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.equal(rebuilt.stderr, `Moved the unusable metadata DB aside to ${ws.dbFile}.damaged; rebuilding it from the logs.\n`);
    assert.equal(JSON.parse(rebuilt.stdout).events, 4);
    assert.equal(sha(`${ws.dbFile}.damaged`), before, 'the damaged file is kept aside, unchanged');
    assert.equal(retrace(['snapshots', '-w', ws.root, '--json']).code, 0);
  } finally {
    fs.rmSync(ws.root, { recursive: true, force: true });
  }
});

test('a metadata DB written by a newer Retrace: one sentence, the file untouched', () => {
  const ws = ingestedWorkspace();
  try {
    const db = openDb(ws.dbFile);
    const next = CORE_MIGRATIONS.length + 1;
    db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(next, 'column-lineage', '2027-01-01T00:00:00Z');
    db.close();
    const before = sha(ws.dbFile);
    for (const args of [['graph'], ['ingest']]) {
      const r = retrace([...args, '-w', ws.root]);
      assert.equal(r.code, 1);
      assert.equal(oneSentence(r.stderr), `error: The metadata DB ${ws.dbFile} has migration ${next} ("column-lineage"), which this version of Retrace does not know: a newer Retrace wrote it; run \`retrace ingest --rebuild\` to recreate it from the logs (or use that newer Retrace).`);
      assert.equal(sha(ws.dbFile), before);
    }
  } finally {
    fs.rmSync(ws.root, { recursive: true, force: true });
  }
});

/** Another process holding the write lock of the DB until it is killed. */
function holdWriteLock(dbFile: string): Promise<ChildProcess> {
  const sqlite = createRequire(path.join(REPO_ROOT, 'package.json')).resolve('better-sqlite3');
  const script = `const D = require(${JSON.stringify(sqlite)}); const db = new D(${JSON.stringify(dbFile)}); db.exec('BEGIN IMMEDIATE'); console.log('LOCKED'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => { if (String(d).includes('LOCKED')) resolve(child); });
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
}

test('a metadata DB another process is writing: ingest says so; a query answers from what is committed', async () => {
  const ws = ingestedWorkspace();
  const holder = await holdWriteLock(ws.dbFile);
  try {
    const before = sha(ws.dbFile);
    // A new log line, so both commands want to write (the query reads new lines first).
    const more = fs.readFileSync(FIXTURE, 'utf8').split('\n')[0]!.replace(/"runId":"[^"]+"/, '"runId":"0190f3a0-0000-7000-8000-0000000000ff"');
    fs.appendFileSync(ws.log, more + '\n');
    const r = retrace(['ingest', '-w', ws.root]);
    assert.equal(r.code, 1);
    assert.equal(oneSentence(r.stderr), `error: The metadata DB ${ws.dbFile} is locked by another process writing to it (a \`retrace tail\`, \`serve\` or \`ingest\`); wait for it to finish or stop it, then run this again.`);
    const q = retrace(['snapshots', '-w', ws.root, '--json']);
    assert.equal(q.code, 0, q.stderr);
    assert.equal(q.stderr, `warning: another process is writing the metadata DB ${ws.dbFile}, so this answer may miss the newest log lines.\n`);
    assert.equal(JSON.parse(q.stdout).length, 2, 'the two run endings committed before');
    assert.equal(sha(ws.dbFile), before);
  } finally {
    holder.kill('SIGKILL');
    fs.rmSync(ws.root, { recursive: true, force: true });
  }
});

test('a read-only metadata DB: ingest says so; a query still answers and says what it leaves out', () => {
  const ws = ingestedWorkspace();
  const dotDir = path.dirname(ws.dbFile);
  const obeying = { obeyFileModes: true };
  try {
    fs.chmodSync(ws.root, 0o755);
    fs.chmodSync(ws.dbFile, 0o444);
    fs.chmodSync(dotDir, 0o777); // the folder stays writable: SQLite may create its -shm file there
    const before = sha(ws.dbFile);
    const q = retrace(['snapshots', '-w', ws.root, '--json'], obeying);
    assert.equal(q.code, 0, q.stderr);
    assert.equal(q.stderr, '');
    assert.equal(JSON.parse(q.stdout).length, 2);
    // A new log line: now ingest has something to write, and a query something it cannot read in.
    fs.appendFileSync(ws.log, fs.readFileSync(FIXTURE, 'utf8').split('\n')[0]!.replace(/"runId":"[^"]+"/, '"runId":"0190f3a0-0000-7000-8000-0000000000ee"') + '\n');
    const r = retrace(['ingest', '-w', ws.root], obeying);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(oneSentence(r.stderr), `error: The metadata DB ${ws.dbFile} is read-only for this user; make it and its folder writable (or run Retrace as their owner), then run this again.`);
    const stale = retrace(['snapshots', '-w', ws.root, '--json'], obeying);
    assert.equal(stale.code, 0, stale.stderr);
    assert.equal(stale.stderr, `warning: 1 log file(s) have lines the metadata DB ${ws.dbFile} has not read, and it is read-only here; this answer leaves them out.\n`);
    assert.equal(JSON.parse(stale.stdout).length, 2);
    // A read-only folder too: SQLite cannot create the -shm file it needs to read a WAL database.
    for (const f of fs.readdirSync(dotDir).filter((n) => /-(wal|shm)$/.test(n))) fs.rmSync(path.join(dotDir, f));
    fs.chmodSync(dotDir, 0o555);
    const locked = retrace(['graph', '-w', ws.root], obeying);
    assert.equal(locked.code, 1);
    assert.equal(oneSentence(locked.stderr), `error: The metadata DB ${ws.dbFile} cannot be read here: its folder is read-only, and SQLite must create retrace.db-shm beside it; make ${dotDir} writable, then run this again.`);
    assert.equal(sha(ws.dbFile), before);
  } finally {
    fs.chmodSync(dotDir, 0o755);
    fs.rmSync(ws.root, { recursive: true, force: true });
  }
});

test('a workspace folder that does not exist, or is a file, is named as such', () => {
  const missing = path.join(os.tmpdir(), `retrace-missing-${process.pid}`, 'ws');
  for (const args of [['ingest', '-w', missing], ['graph', '-w', missing], ['run', '-w', missing, '--', 'true'], ['serve', missing, '--no-open']]) {
    const r = retrace(args);
    assert.equal(r.code, 1, `${args[0]}: ${r.stderr}`);
    assert.equal(oneSentence(r.stderr), `error: The workspace folder ${missing} does not exist; name a folder that exists (an empty one is fine), or create it first.`);
  }
  assert.ok(!fs.existsSync(missing), 'nothing was created at the mistyped path');
  const file = path.join(os.tmpdir(), `retrace-file-${process.pid}`);
  fs.writeFileSync(file, 'x');
  try {
    const r = retrace(['graph', '-w', file]);
    assert.equal(r.code, 2);
    assert.equal(oneSentence(r.stderr), `error: The workspace ${file} is a file, not a folder; name the folder that holds (or will hold) .retrace/.`);
  } finally {
    fs.rmSync(file);
  }
});
