import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BenchCase, type BenchMetric, nowMs, percentile } from '../bench-case';
import { openDb } from '../../db/open-db';
import type { BatchSink } from '../../provenance/batch-sink';
import { ingestOnce, sourcesOf } from '../../provenance/ingest';
import { IngestSession } from '../../provenance/session';
import { startTailer } from '../../provenance/tailer';
import { synthLines } from '../../provenance/synth';
import { ensureWorkspace } from '../../workspace/workspace-paths';

/**
 * Provenance ingest (issue 3): end-to-end events/s and file-ops/s from a JSON-lines log into
 * the metadata DB, beside the ceiling of merely reading and JSON.parse-ing the same file; and
 * freshness (a line appended to a tailed log → visible to a lineage query).
 */
const metric = (name: string, value: number, unit: string, goal?: string, met?: boolean, note?: string): BenchMetric =>
  ({ name, value: Math.round(value * 10) / 10, unit, ...(goal ? { goal } : {}), ...(met !== undefined ? { met } : {}), ...(note ? { note } : {}) });

const ingest: BenchCase = {
  name: 'ingest',
  description: 'provenance ingest: events/s and file-ops/s into SQLite vs the read+JSON.parse ceiling; tail freshness p95',
  async run(ctx) {
    const events = ctx.quick ? 20_000 : 200_000;
    const paths = ensureWorkspace(path.join(ctx.tmpDir, 'ingest-bench'));
    const file = path.join(paths.logsDir, 'bench.jsonl');
    ctx.log(`ingest: generating ${events} events`);
    const fd = fs.openSync(file, 'w');
    let bytes = 0;
    let chunk = '';
    for (const line of synthLines({ events })) {
      chunk += line + '\n';
      if (chunk.length > 1 << 20) {
        bytes += fs.writeSync(fd, chunk);
        chunk = '';
      }
    }
    bytes += fs.writeSync(fd, chunk);
    fs.closeSync(fd);

    ctx.log('ingest: parse ceiling (read + split + JSON.parse, same file)');
    const parseMs = parseCeiling(file);
    const parseRate = (events / parseMs) * 1000;

    ctx.log('ingest: end to end into the metadata DB');
    const db = openDb(paths.dbFile);
    const t0 = nowMs();
    // Peak RSS when half the log is in: flat memory means the second half adds little to it.
    let halfwayRss = NaN;
    const report = ingestOnce({ paths, db, onProgress: (p) => {
      if (Number.isNaN(halfwayRss) && p.events >= events / 2) halfwayRss = process.resourceUsage().maxRSS / 1024;
    } });
    const ingestMs = nowMs() - t0;
    db.close();
    const rate = (report.events / ingestMs) * 1000;
    const opsRate = (report.accesses / ingestMs) * 1000;
    const ratio = rate / parseRate;
    // Before the passes below, so that it measures generating and ingesting only.
    const peakRss = process.resourceUsage().maxRSS / 1024;

    ctx.log('ingest: the fold alone (same file, batches dropped instead of written)');
    const foldMs = foldOnly(path.join(ctx.tmpDir, 'fold-bench'), file);
    const foldRate = (report.events / foldMs) * 1000;

    ctx.log('ingest: freshness of a tailed log');
    const fresh = await freshness(path.join(ctx.tmpDir, 'fresh-bench'), ctx.quick ? 30 : 100);
    const p95 = percentile(fresh, 95);
    return [
      metric('ingest events/s', rate, 'events/s', '≥ 40000', rate >= 40_000, `${events} events, ${(bytes / events).toFixed(0)} B avg, ${report.accesses} accesses`),
      metric('ingest file-ops/s', opsRate, 'ops/s', undefined, undefined, 'reads/writes recorded (inputs, outputs, footprint and file ops)'),
      metric('parse ceiling', parseRate, 'events/s', undefined, undefined, 'fs.readSync 1 MiB + indexOf split + JSON.parse, no DB'),
      metric('ingest / parse ceiling', ratio * 100, '%', '≥ 50 %', ratio >= 0.5),
      metric('fold without writes', foldRate, 'events/s', undefined, undefined, 'read, parse and fold into entities, every batch dropped instead of written'),
      metric('fold without writes / parse ceiling', (foldRate / parseRate) * 100, '%', undefined, undefined, 'the most the ratio above could reach with a database that cost nothing'),
      metric('peak RSS', peakRss, 'MiB', undefined, undefined, `the whole bench process after generating and ingesting a ${(bytes / 2 ** 20).toFixed(0)} MiB log`),
      metric('peak RSS growth over the 2nd half', peakRss - halfwayRss, 'MiB', undefined, undefined, 'flat memory: close to 0 however long the log'),
      metric('freshness p95', p95, 'ms', '≤ 250 ms', p95 <= 250, `append → visible to a lineage query, ${fresh.length} samples, p50 ${percentile(fresh, 50).toFixed(1)} ms`),
    ];
  },
};

function parseCeiling(file: string): number {
  const t0 = nowMs();
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let pos = 0;
  let rest = '';
  let n = 0;
  for (;;) {
    const read = fs.readSync(fd, buf, 0, buf.length, pos);
    if (read === 0) break;
    pos += read;
    const text = rest + buf.toString('utf8', 0, read);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      if (nl > start) {
        JSON.parse(text.slice(start, nl));
        n++;
      }
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  fs.closeSync(fd);
  if (n === 0) throw new Error('the generated log is empty');
  return nowMs() - t0;
}

/**
 * Milliseconds for one pass over `log` (copied into a fresh workspace) whose batches are
 * dropped: what reading, parsing and folding cost without the database writes. It runs after
 * the real ingest, so it also gets the warmed-up JIT: an upper bound for ingest's rate.
 */
function foldOnly(root: string, log: string): number {
  const paths = ensureWorkspace(root);
  fs.linkSync(log, path.join(paths.logsDir, path.basename(log)));
  const db = openDb(paths.dbFile);
  const drop: BatchSink = { write() {}, drain() {}, close() {} };
  const session = new IngestSession(db, paths, { sink: drop });
  try {
    const t0 = nowMs();
    session.pass(sourcesOf(paths, [], []), { batchEvents: 10_000, settleMs: 1000 });
    return nowMs() - t0;
  } finally {
    session.close();
    db.close();
  }
}

async function freshness(root: string, samples: number): Promise<number[]> {
  const paths = ensureWorkspace(root);
  const db = openDb(paths.dbFile);
  const tailer = startTailer({ paths, db, onBatch: () => {} });
  const file = path.join(paths.logsDir, 'live.jsonl');
  fs.writeFileSync(file, '');
  const visible = db.prepare('SELECT count(*) FROM accesses x JOIN runs r ON r.id = x.run_id WHERE r.run_uuid = ?').pluck();
  const out: number[] = [];
  try {
    await sleep(100);
    for (let i = 0; i < samples; i++) {
      const runId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const line = JSON.stringify({ eventType: 'COMPLETE', eventTime: new Date().toISOString(), producer: 'bench', run: { runId },
        job: { namespace: 'bench', name: 'fresh' }, inputs: [{ namespace: 'file', name: `in/${i}.csv` }], outputs: [] });
      const t0 = nowMs();
      fs.appendFileSync(file, line + '\n');
      while ((visible.get(runId) as number) === 0) {
        if (nowMs() - t0 > 5000) throw new Error('an appended line did not become visible within 5 s');
        await sleep(1);
      }
      out.push(nowMs() - t0);
      await sleep(5);
    }
  } finally {
    tailer.dispose();
    db.close();
  }
  return out;
}

export default ingest;
