import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { PROVENANCE_TABLES } from '../db/metadata-schema';
import { ingestOnce } from './ingest';
import { synthLines } from './synth';
import { FIXTURES, dumpProvenance, tempWorkspace } from './temp-workspace.test-support';

/** The same logs: synthetic OpenLineage with malformed and repeated lines, plus Hopsworks rows. */
function writeLogs(logsDir: string): void {
  const lines = [...synthLines({ events: 6000, seed: 5 })];
  for (let i = 0; i < lines.length; i += 89) lines.splice(i, 0, i % 2 ? '{"broken": ' : lines[Math.max(0, i - 3)]!);
  fs.writeFileSync(path.join(logsDir, 'a.jsonl'), lines.join('\n') + '\n');
  fs.copyFileSync(path.join(FIXTURES, 'hopsworks-file-ops.jsonl'), path.join(logsDir, 'b-hops.jsonl'));
}

test('batches written on a writer thread give the same DB, row for row, as batches written inline', () => {
  const inline = tempWorkspace();
  const threaded = tempWorkspace();
  try {
    writeLogs(inline.paths.logsDir);
    writeLogs(threaded.paths.logsDir);
    // Small batches, so many are in flight one after another.
    const a = ingestOnce({ paths: inline.paths, db: inline.db, writer: 'inline', batchEvents: 500 });
    const b = ingestOnce({ paths: threaded.paths, db: threaded.db, writer: 'thread', batchEvents: 500 });
    assert.ok(a.events > 5000 && a.rejected.length > 30 && a.duplicates > 30, `a meaningful mix: ${a.events}, ${a.rejected.length}, ${a.duplicates}`);
    const strip = (r: typeof a) => ({ ...r, elapsedMs: 0 });
    assert.deepEqual(strip(b), strip(a), 'the same report');
    const x = dumpProvenance(inline.db, PROVENANCE_TABLES.filter((t) => t !== 'prov_sources'));
    const y = dumpProvenance(threaded.db, PROVENANCE_TABLES.filter((t) => t !== 'prov_sources'));
    for (const t of Object.keys(x)) assert.deepEqual(y[t], x[t], `table ${t}`);
    // A rebuild on the thread reproduces the same rows and ids.
    ingestOnce({ paths: threaded.paths, db: threaded.db, writer: 'thread', rebuild: true, batchEvents: 700 });
    const z = dumpProvenance(threaded.db, PROVENANCE_TABLES.filter((t) => t !== 'prov_sources'));
    for (const t of Object.keys(x)) assert.deepEqual(z[t], x[t], `table ${t} after rebuild`);
  } finally {
    inline.dispose();
    threaded.dispose();
  }
});
