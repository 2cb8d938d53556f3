import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { AppError } from '../../shared/errors';
import { CORE_MIGRATIONS } from './migrations';
import { appliedMigrations, openDb } from './open-db';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-db-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a new DB is created in WAL mode with every migration applied once', () => {
  const file = path.join(dir, '.retrace', 'retrace.db');
  const db = openDb(file);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.deepEqual(appliedMigrations(db).map((m) => m.id), CORE_MIGRATIONS.map((m) => m.id));
  db.close();
  const again = openDb(file);
  assert.equal(appliedMigrations(again).length, CORE_MIGRATIONS.length, 're-opening applies nothing twice');
  again.close();
  assert.ok(fs.existsSync(file));
});

test('extra migrations continue the sequence; a failing one leaves the schema as it was', () => {
  const file = path.join(dir, 'x.db');
  const next = CORE_MIGRATIONS.length + 1;
  openDb(file, { migrations: [{ id: next, name: 'ok', sql: 'CREATE TABLE t1 (a INTEGER)' }] }).close();
  assert.throws(
    () => openDb(file, { migrations: [{ id: next, name: 'ok', sql: 'CREATE TABLE t1 (a INTEGER)' }, { id: next + 1, name: 'broken', sql: 'CREATE TABLE t2 (a INTEGER); SELECT nope FROM nowhere' }] }),
    (e: unknown) => e instanceof AppError,
  );
  const db = openDb(file, { migrations: [{ id: next, name: 'ok', sql: 'CREATE TABLE t1 (a INTEGER)' }] });
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((r) => r.name);
  assert.ok(tables.includes('t1'));
  assert.ok(!tables.includes('t2'), 'the failed migration rolled back whole');
  db.close();
});

test('a migration out of order is refused', () => {
  assert.throws(() => openDb(path.join(dir, 'y.db'), { migrations: [{ id: 99, name: 'gap', sql: 'SELECT 1' }] }), /has id 99/);
});

test('a DB written by a newer Retrace is refused with advice', () => {
  const file = path.join(dir, 'z.db');
  openDb(file, { migrations: [{ id: CORE_MIGRATIONS.length + 1, name: 'future', sql: 'SELECT 1' }] }).close();
  assert.throws(() => openDb(file), (e: unknown) => e instanceof AppError && e.code === 'STORE_CORRUPT' && /--rebuild/.test(e.message));
});

test('a file that is not a database is STORE_CORRUPT, and it is not overwritten', () => {
  const file = path.join(dir, 'garbage.db');
  fs.writeFileSync(file, 'this is not sqlite'.repeat(100));
  assert.throws(() => openDb(file), (e: unknown) => e instanceof AppError && e.code === 'STORE_CORRUPT');
  assert.equal(fs.readFileSync(file, 'utf8'), 'this is not sqlite'.repeat(100));
});
