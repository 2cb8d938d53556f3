import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GraphChangedDto } from '../../shared/dto';
import { AppError } from '../../shared/errors';
import { openDb } from '../db/open-db';
import { appendLineageEvent } from './http-intake';
import { ingestOnce } from './ingest';
import { startTailer } from './tailer';
import { count, tempWorkspace } from './temp-workspace.test-support';

const event = (i: number, type = 'START') => JSON.stringify({
  eventType: type, eventTime: new Date(Date.UTC(2026, 0, 1) + i).toISOString(), producer: 'p',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json', run: { runId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` },
  job: { namespace: 'ns', name: `job${i % 7}` }, inputs: [{ namespace: 'file', name: `in/${i % 13}.csv` }], outputs: [{ namespace: 'file', name: `out/${i}.parquet` }],
});

/**
 * Waits for a condition. Every limit passed here is a hang guard, generous enough for a loaded
 * machine: it stops a test that would otherwise wait forever, and measures nothing.
 */
async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

test('the tailer keeps up with a concurrent appender writing partial lines: every event exactly once', async () => {
  const ws = tempWorkspace();
  const batches: GraphChangedDto[] = [];
  const tailer = startTailer({ paths: ws.paths, db: ws.db, onBatch: (s) => batches.push(s), pollIntervalMs: 50 });
  try {
    const file = path.join(ws.paths.logsDir, 'live.jsonl');
    const N = 3000;
    let text = '';
    for (let i = 0; i < N; i++) text += event(i) + '\n';
    // Append in random-size pieces, often cutting a line in two, while the tailer reads.
    let pos = 0;
    while (pos < text.length) {
      const n = 1 + Math.floor(Math.random() * 20_000);
      fs.appendFileSync(file, text.slice(pos, pos + n));
      pos += n;
      await sleep(Math.random() < 0.3 ? 2 : 0);
    }
    await until(() => count(ws.db, 'events') === N, 20_000);
    await sleep(150);
    assert.equal(count(ws.db, 'events'), N);
    assert.equal(count(ws.db, 'runs'), N);
    assert.equal(count(ws.db, 'prov_rejected'), 0);
    assert.ok(batches.length >= 1);
    assert.equal(batches.reduce((s, b) => s + b.newRuns, 0), N);
    assert.ok(batches.every((b) => !Number.isNaN(Date.parse(b.at))));
    // Truncation while tailing: the file starts over with new content.
    fs.writeFileSync(file, event(N) + '\n');
    await until(() => count(ws.db, 'events') === N + 1, 5000);
  } finally {
    tailer.dispose();
    ws.dispose();
  }
});

test('a line appended to a tailed log becomes visible to a lineage query without another call', async () => {
  const ws = tempWorkspace();
  const tailer = startTailer({ paths: ws.paths, db: ws.db, onBatch: () => {} });
  try {
    const file = path.join(ws.paths.logsDir, 'fresh.jsonl');
    fs.writeFileSync(file, '');
    await sleep(50);
    const q = ws.db.prepare("SELECT count(*) FROM accesses x JOIN runs r ON r.id = x.run_id WHERE r.run_uuid = ?").pluck();
    for (let i = 0; i < 5; i++) {
      const line = event(i);
      const runId = (JSON.parse(line) as { run: { runId: string } }).run.runId;
      fs.appendFileSync(file, line + '\n');
      // A hang guard, not a latency goal: freshness (p95 ≤ 250 ms) is measured by `retrace bench ingest`.
      await until(() => (q.get(runId) as number) === 2, 10_000);
    }
  } finally {
    tailer.dispose();
    ws.dispose();
  }
});

test('HTTP intake appends one line per event; the tailer ingests it; invalid bodies are refused', async () => {
  const ws = tempWorkspace();
  const tailer = startTailer({ paths: ws.paths, db: ws.db, onBatch: () => {}, pollIntervalMs: 50 });
  try {
    assert.deepEqual(appendLineageEvent(ws.paths, JSON.parse(event(1))), { accepted: true });
    assert.deepEqual(appendLineageEvent(ws.paths, JSON.parse(event(1, 'COMPLETE'))), { accepted: true });
    assert.throws(() => appendLineageEvent(ws.paths, { eventType: 'START', job: { name: 'x' } }),
      (e: unknown) => e instanceof AppError && e.code === 'INVALID_ARGUMENT' && /eventTime/.test(e.message));
    assert.throws(() => appendLineageEvent(ws.paths, [1, 2]), (e: unknown) => e instanceof AppError && e.code === 'INVALID_ARGUMENT');
    const text = fs.readFileSync(path.join(ws.paths.logsDir, 'http-intake.jsonl'), 'utf8');
    assert.equal(text.split('\n').length, 3);
    await until(() => count(ws.db, 'events') === 2, 5000);
    assert.equal(ws.db.prepare('SELECT state FROM runs').pluck().get(), 'COMPLETE');
  } finally {
    tailer.dispose();
    ws.dispose();
  }
});

test('a second process ingesting the same logs meanwhile: the tailer notices, reopens, and nothing is doubled', async () => {
  const ws = tempWorkspace();
  const other = openDb(ws.paths.dbFile);
  const errors: AppError[] = [];
  const tailer = startTailer({ paths: ws.paths, db: ws.db, onBatch: () => {}, onError: (e) => errors.push(e), pollIntervalMs: 50 });
  try {
    const file = path.join(ws.paths.logsDir, 'shared.jsonl');
    const write = (from: number, to: number) => {
      let t = '';
      for (let i = from; i < to; i++) t += event(i) + '\n';
      fs.appendFileSync(file, t);
    };
    write(0, 100);
    await until(() => count(ws.db, 'events') === 100, 5000);
    write(100, 200);
    // Before the tailer wakes up, another connection (as another process would) ingests them.
    assert.equal(ingestOnce({ paths: ws.paths, db: other }).events, 100);
    write(200, 300);
    await until(() => count(ws.db, 'events') === 300, 5000);
    await sleep(200);
    assert.equal(count(ws.db, 'events'), 300);
    assert.equal(count(ws.db, 'runs'), 300);
    assert.equal(ws.db.prepare('SELECT count(DISTINCT hash) FROM events').pluck().get(), 300);
    // Detected as a conflict before writing (not as a failed write).
    assert.deepEqual(errors, []);
  } finally {
    tailer.dispose();
    other.close();
    ws.dispose();
  }
});
