import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDb } from '../db/open-db';
import { ingestOnce } from './ingest';
import { PROVENANCE_TABLES } from '../db/metadata-schema';
import { synthLines } from './synth';
import { FIXTURES, count, dumpProvenance, tempWorkspace } from './temp-workspace.test-support';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/provenance/ingest-child.ts');
const KILLS = 20;

/** Starts the child, waits until it has committed a batch, kills it with SIGKILL `delayMs` later. */
function killDuringIngest(root: string, delayMs: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, root, '50'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | null = null;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (timer === null && out.includes('PROGRESS')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0 && out.includes('DONE')) resolve('finished');
      else reject(new Error(`crash child exited with ${code}: ${err}`));
    });
  });
}

test('kill -9 up to twenty times during ingest, restart: counts are exact, nothing lost or doubled', { timeout: 150_000 }, async () => {
  const ws = tempWorkspace();
  try {
    const logs = ws.paths.logsDir;
    const lines = [...synthLines({ events: 30000, seed: 7 })];
    // Malformed lines and duplicates among the good ones, so rejections and dedup are exercised too.
    for (let i = 0; i < lines.length; i += 97) lines.splice(i, 0, i % 2 ? '{"broken": ' : lines[Math.max(0, i - 5)]!);
    fs.writeFileSync(path.join(logs, 'a.jsonl'), lines.slice(0, 17000).join('\n') + '\n');
    fs.writeFileSync(path.join(logs, 'b.jsonl'), lines.slice(17000).join('\n') + '\n');
    fs.copyFileSync(path.join(FIXTURES, 'hopsworks-file-ops.jsonl'), path.join(logs, 'c-hops.jsonl'));
    ws.db.close();

    const progress: number[] = [];
    for (let i = 0; i < KILLS; i++) {
      const outcome = await killDuringIngest(ws.paths.root, Math.floor(Math.random() * 150));
      const db = openDb(ws.paths.dbFile);
      const n = count(db, 'events');
      db.close();
      progress.push(n);
      // A fast machine may finish the log before the last kill; the kills so far are checked below.
      if (outcome === 'finished') break;
    }
    // Committed progress never goes backwards across crashes.
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]! >= progress[i - 1]!, `progress ${progress.join(',')}`);

    const db = openDb(ws.paths.dbFile);
    try {
      ingestOnce({ paths: ws.paths, db });
      const recovered = dumpProvenance(db, PROVENANCE_TABLES);
      const total = recovered.events!.length;
      assert.ok(new Set(progress.filter((n) => n > 0 && n < total)).size >= 8, `too few kills landed mid-ingest: ${progress.join(',')}`);
      // The reference: the same logs ingested without interruption.
      ingestOnce({ paths: ws.paths, db, rebuild: true });
      const clean = dumpProvenance(db, PROVENANCE_TABLES);
      for (const t of PROVENANCE_TABLES) assert.deepEqual(recovered[t], clean[t], `table ${t} differs after crashes`);
      assert.equal(new Set((recovered.events as unknown[][]).map((r) => r[4])).size, total, 'an event hash was stored twice');
    } finally {
      db.close();
    }
  } finally {
    ws.dispose();
  }
});
