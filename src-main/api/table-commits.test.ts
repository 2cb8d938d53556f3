import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { writeTable } from '../lake/delta-writer';
import { tableHistory } from '../lake/table-api';
import { lineageWorkspace, minute, RUN } from '../lineage/lineage-workspace.test-support';
import { hasDeltaTables, tableCommitSource } from './table-commits';

/**
 * Table commits as snapshots, on a workspace ingested from log lines:
 *
 *   seq  event                       what it says
 *   1    R1 START    10:00
 *   2    R1 COMPLETE 10:01           output tbl, version 0
 *   3    R2 START    10:03
 *   4    R2 COMPLETE 10:04           output notes.txt (a plain file), output broken (a damaged table)
 *
 * tbl has commits v0 at 10:00:30 (R1's, recorded at seq 2) and v1 at 10:02:30 (an outside
 * writer's: placed at the last event at or before it, seq 2).
 */
const base = { producer: 'https://github.com/retrace/retrace/0.1.0', schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent', job: { namespace: 'ns', name: 'j' }, inputs: [] };
const version = (v: string) => ({ version: { _producer: 'p', _schemaURL: 's', datasetVersion: v } });
const LINES = [
  { ...base, eventType: 'START', eventTime: minute(0), run: { runId: RUN(1) }, outputs: [] },
  { ...base, eventType: 'COMPLETE', eventTime: minute(1), run: { runId: RUN(1) }, outputs: [{ namespace: 'file', name: 'tbl', facets: version('0') }] },
  { ...base, eventType: 'START', eventTime: minute(3), run: { runId: RUN(2) }, outputs: [] },
  { ...base, eventType: 'COMPLETE', eventTime: minute(4), run: { runId: RUN(2) }, outputs: [{ namespace: 'file', name: 'notes.txt' }, { namespace: 'file', name: 'broken' }] },
].map((e) => JSON.stringify(e));

test('table commits become snapshots at the event that recorded them, or the last event before an outside commit', async () => {
  const ws = lineageWorkspace(LINES);
  try {
    const root = ws.paths.root;
    fs.writeFileSync(path.join(root, 'notes.txt'), 'text\n');
    assert.equal(hasDeltaTables(ws.db, root), false, 'a plain file is no table, and no table folder exists yet');
    const fields = [{ name: 'k', type: 'long' as const, nullable: false }];
    await writeTable(path.join(root, 'tbl'), { mode: 'append', rows: [{ k: 1 }], fields, now: () => Date.parse(minute(0.5)) });
    await writeTable(path.join(root, 'tbl'), { mode: 'append', rows: [{ k: 2 }], now: () => Date.parse(minute(2.5)) });
    fs.mkdirSync(path.join(root, 'broken', '_delta_log'), { recursive: true });
    fs.writeFileSync(path.join(root, 'broken', '_delta_log', '00000000000000000000.json'), 'not json\n');
    assert.equal(hasDeltaTables(ws.db, root), true);

    let reads = 0; // of tbl
    // The commit store's reader, except that it fails on the damaged table (as a reader of an
    // unsupported protocol would): that table is left out, never the whole list.
    const source = tableCommitSource(ws.db, root, (dir) => {
      if (path.basename(dir) === 'broken') throw new Error('unsupported table');
      reads++;
      return tableHistory(dir);
    });
    const summary = () => source().map((c) => [c.label, c.at, c.eventSeq, c.table?.version, c.table?.operation, c.table?.rowsInserted]);
    const expected = [
      ['tbl v0 (CREATE TABLE)', Date.parse(minute(0.5)), 2, 0, 'CREATE TABLE', 1],
      ['tbl v1 (WRITE)', Date.parse(minute(2.5)), 2, 1, 'WRITE', 1],
    ];
    assert.deepEqual(summary(), expected, 'the damaged table and the plain file are left out');
    assert.equal(reads, 1);
    assert.deepEqual(summary(), expected);
    assert.equal(reads, 1, 'an unchanged log is not read again');
    await writeTable(path.join(root, 'tbl'), { mode: 'append', rows: [{ k: 3 }], now: () => Date.parse(minute(5)) });
    assert.deepEqual(summary().at(-1), ['tbl v2 (WRITE)', Date.parse(minute(5)), 4, 2, 'WRITE', 1], 'a grown log is read again');
  } finally {
    ws.dispose();
  }
});
