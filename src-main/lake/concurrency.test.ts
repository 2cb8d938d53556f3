import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listLog, loadSnapshot, readCommit } from './delta-log';
import { readAllRows } from './delta-scan';
import { tempDir } from './lake.test-support';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WRITER = path.join(repoRoot, 'test/fixtures/lake/lake-writer-process.ts');

function startWriter(dir: string, id: string, count: number): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', WRITER, dir, id, String(count)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
}

function finished(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

/** Every commit file parses, versions are 0..latest, and the rows match what the commits say. */
async function assertConsistent(dir: string): Promise<{ version: number; rows: number }> {
  const listing = listLog(dir);
  const versions = [...listing.commits.keys()].sort((a, b) => a - b);
  assert.deepEqual(versions, versions.map((_, i) => i), 'versions are contiguous from 0');
  let expectedRows = 0;
  for (const v of versions) {
    const actions = readCommit(dir, v); // throws on a torn (partial) commit
    const m = actions[0]!.commitInfo!.operationMetrics!;
    expectedRows += Number(m.numOutputRows ?? 0) - Number(m.numTargetRowsCopied ?? 0) - Number(m.numTargetRowsUpdated ?? 0);
  }
  const snap = await loadSnapshot(dir);
  const rows = await readAllRows(snap, { columns: ['k'] });
  assert.equal(rows.length, expectedRows);
  assert.equal(new Set(rows.map((r) => r.k)).size, rows.length, 'no duplicate keys');
  return { version: snap.version, rows: rows.length };
}

test('two processes commit 50 times each: all 100 commits present, contiguous, nothing lost', { timeout: 120_000 }, async () => {
  const root = tempDir();
  const dir = path.join(root, 't');
  try {
    const [a, b] = await Promise.all([finished(startWriter(dir, 'A', 50)), finished(startWriter(dir, 'B', 50))]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const { version, rows } = await assertConsistent(dir);
    assert.equal(version, 99);
    assert.equal(rows, 100 * 100);
    const writers = (await readAllRows(await loadSnapshot(dir), { columns: ['writer', 'n'] }));
    for (const w of ['A', 'B']) {
      const ns = new Set(writers.filter((r) => r.writer === w).map((r) => r.n));
      assert.equal(ns.size, 50, `every commit of writer ${w} is visible`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('SIGKILL during writes, twenty times: the table always reads as a consistent version', { timeout: 120_000 }, async () => {
  const root = tempDir();
  const dir = path.join(root, 't');
  try {
    let lastVersion = -1;
    for (let round = 0; round < 20; round++) {
      const child = startWriter(dir, `R${round}`, 1000);
      const done = finished(child);
      // Kill after the first commit of this round at a random point of a later one.
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 120)));
      child.kill('SIGKILL');
      await done;
      const { version } = await assertConsistent(dir);
      assert.ok(version > lastVersion, `round ${round} committed something`);
      lastVersion = version;
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
