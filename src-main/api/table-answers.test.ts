import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { writeTable } from '../lake/delta-writer';
import type { DeltaField } from '../lake/delta-types';
import { minute, RUN } from '../lineage/lineage-workspace.test-support';
import { ingestOnce } from '../provenance/ingest';
import { createCore } from './create-core';

/**
 * A table keyed by two columns, named by one run's footprint: pair v0 (10:00:18) holds (1,p,10)
 * and (1,q,20); v1 (10:01:18) is an upsert on (a, b): (1,q) → 21, insert (2,p,30).
 */
test('a Delta table\'s columns come from the table itself, and a change list keyed by two columns names both in its command', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-table-answers-'));
  const core = createCore({ workspaceRoot: root });
  try {
    const at = (m: number) => () => Date.parse(minute(m));
    const fields: DeltaField[] = [{ name: 'a', type: 'long', nullable: false }, { name: 'b', type: 'string', nullable: false }, { name: 'x', type: 'long', nullable: true }];
    await writeTable(path.join(root, 'pair'), { mode: 'append', fields, rows: [{ a: 1, b: 'p', x: 10 }, { a: 1, b: 'q', x: 20 }], now: at(0.3) });
    await writeTable(path.join(root, 'pair'), { mode: 'upsert', keyColumns: ['a', 'b'], rows: [{ a: 1, b: 'q', x: 21 }, { a: 2, b: 'p', x: 30 }], now: at(1.3) });
    const base = { producer: 'https://github.com/retrace/retrace/0.1.0', schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent', job: { namespace: 'ns', name: 'tables' }, inputs: [], outputs: [] };
    const ops = [{ path: 'pair/_delta_log/00000000000000000001.json', op: 'CREATE', at: minute(3.5), size: 10 }];
    const lines = [
      { ...base, eventType: 'START', eventTime: minute(3), run: { runId: RUN(1), facets: {} } },
      { ...base, eventType: 'COMPLETE', eventTime: minute(4), run: { runId: RUN(1), facets: { retrace_footprint: { _producer: 'p', _schemaURL: 's', ops } } } },
    ];
    fs.writeFileSync(path.join(core.paths.logsDir, 't.jsonl'), lines.map((l) => JSON.stringify(l) + '\n').join(''));
    ingestOnce({ paths: core.paths, db: core.db });

    const schema = await core.api.getDatasetSchema({ dataset: 'pair' });
    assert.deepEqual([schema.source, schema.tableVersion, schema.columns, schema.warnings], ['table', 1, [{ name: 'a', type: 'long' }, { name: 'b', type: 'string' }, { name: 'x', type: 'long' }], []]);
    const c = await core.api.tableChangesBetween({ artifact: 'pair', fromTime: minute(1), toTime: minute(2) });
    assert.deepEqual([c.fromVersion, c.toVersion, c.total], [1, 1, 3]);
    assert.equal(c.command, `retrace table changes pair --from-time ${minute(1)} --to-time ${minute(2)} --key a,b`);
    // v0 → v1's feed has three rows: a limit of three holds them all, a limit of two does not.
    assert.deepEqual([(await core.api.diffTable({ artifact: 'pair', from: 0, to: 1, limit: 3 })).truncated, (await core.api.diffTable({ artifact: 'pair', from: 0, to: 1, limit: 2 })).truncated], [false, true]);
  } finally {
    core.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
