import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../shared/errors';
import { writeTable } from '../../src-main/lake/delta-writer';
import type { DeltaField } from '../../src-main/lake/delta-types';
import { copyTable } from '../../src-main/lake/lake.test-support';
import { ingestOnce } from '../../src-main/provenance/ingest';
import { openHarness, TRANSPORTS, type Harness, type TransportName } from '../api-clients.test-support';
import { minute, RUN } from '../explore-workspace.test-support';

/**
 * Which folders the table methods open, over every transport: a Hudi table (upstream hudi-rs
 * `cow/v6_nonpartitioned`, expected values from its two commit files and the testdata README), a
 * Delta table that is the workspace folder itself, and artifacts that are not tables or lie
 * outside the workspace (refused before anything is read). One captured-style run names them all:
 *
 *   hudi/t        footprint op on hudi/t/.hoodie/20240418173551906.commit (rolled up to the table)
 *   <workspace>   output dataset named by its absolute path; a Delta table written at 10:00:30 and 10:02:30
 *   notes.txt     footprint op on a plain file
 *   <ws>-sibling  output dataset in a folder whose name starts with the workspace's
 *   /etc          output dataset outside the workspace
 */
const FIELDS: DeltaField[] = [{ name: 'id', type: 'long', nullable: false }, { name: 'name', type: 'string', nullable: true }];
const HUDI_FIRST = '20240418173550988';
const HUDI_SECOND = '20240418173551906';

async function buildWorkspace(root: string): Promise<void> {
  fs.mkdirSync(path.join(root, 'hudi'));
  copyTable('hudi-rs/cow/v6_nonpartitioned', path.join(root, 'hudi'));
  fs.renameSync(path.join(root, 'hudi', 'v6_nonpartitioned'), path.join(root, 'hudi', 't'));
  fs.writeFileSync(path.join(root, 'notes.txt'), 'not a table\n');
  fs.mkdirSync(`${root}-sibling/_delta_log`, { recursive: true });
  const at = (m: number) => () => Date.parse(minute(m));
  await writeTable(root, { mode: 'append', fields: FIELDS, keyColumns: ['id'], rows: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }], now: at(0.5) });
  await writeTable(root, { mode: 'upsert', keyColumns: ['id'], rows: [{ id: 2, name: 'B' }], now: at(2.5) });
  const base = { producer: 'https://github.com/retrace/retrace/0.1.0', schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent', job: { namespace: 'ns', name: 'tables' }, inputs: [] };
  const ops = [`hudi/t/.hoodie/${HUDI_SECOND}.commit`, 'notes.txt'].map((p) => ({ path: p, op: 'CREATE', at: minute(3.5), size: 10 }));
  const outputs = [root, `${root}-sibling`, '/etc'].map((name) => ({ namespace: 'file', name }));
  const lines = [
    { ...base, eventType: 'START', eventTime: minute(3), run: { runId: RUN(1), facets: {} }, outputs: [] },
    { ...base, eventType: 'COMPLETE', eventTime: minute(4), run: { runId: RUN(1), facets: { retrace_footprint: { _producer: 'p', _schemaURL: 's', ops } } }, outputs },
  ];
  fs.writeFileSync(path.join(root, '.retrace/logs/tables.jsonl'), lines.map((l) => JSON.stringify(l) + '\n').join(''));
}

const results = new Map<TransportName, unknown[]>();

for (const transport of TRANSPORTS) {
  describe(`table folders over ${transport}`, () => {
    let h: Harness;
    let root: string;
    const seen: unknown[] = [];
    before(async () => {
      h = await openHarness(transport);
      root = h.core.paths.root;
      await buildWorkspace(root);
      assert.deepEqual(ingestOnce({ paths: h.core.paths, db: h.core.db }).rejected, []);
      results.set(transport, seen);
    });
    after(async () => {
      await h.close();
      fs.rmSync(`${root}-sibling`, { recursive: true, force: true });
    });

    test('a Hudi table: its history is the timeline, one entry per completed commit, and a page names the instant it read', async () => {
      // Both commit files say operationType UPSERT; the first wrote 3 inserts, the second 1 insert and 1 update.
      const history = await h.client.getTableHistory({ artifact: 'hudi/t' });
      assert.deepEqual(history.map((c) => [c.version, c.instant, c.operation, c.rowsInserted, c.rowsUpdated, c.rowsDeleted]), [
        [0, HUDI_FIRST, 'UPSERT', 3, 0, 0],
        [1, HUDI_SECOND, 'UPSERT', 1, 1, 0],
      ]);
      const page = await h.client.readTablePage({ artifact: 'hudi/t' });
      assert.deepEqual([page.format, page.instant], ['hudi', HUDI_SECOND]);
      // hudi-rs test_non_partitioned: (1,Alice,false), (2,Bob,false), (3,Carol,true), (4,Diana,true).
      assert.deepEqual(page.rows.map((r) => [r.id, r.name, r.isActive]).sort((a, b) => Number(a[0]) - Number(b[0])), [[1, 'Alice', false], [2, 'Bob', false], [3, 'Carol', true], [4, 'Diana', true]]);
      assert.deepEqual(page.columns.filter((c) => ['id', 'name', 'isActive'].includes(c.name)).map((c) => [c.name, c.type]), [['id', 'integer'], ['name', 'string'], ['isActive', 'boolean']]);
      seen.push(history, page.instant);
    });

    test('the workspace folder itself as a Delta table: its commands name it "."', async () => {
      const history = await h.client.getTableHistory({ artifact: root });
      assert.deepEqual(history.map((c) => [c.version, c.operation, c.rowCount]), [[0, 'CREATE TABLE', 2], [1, 'MERGE', 2]]);
      const v = await h.client.tableValueAsOf({ artifact: root, key: '2', asOf: minute(3) });
      assert.deepEqual([v.version, v.row], [1, { id: 2, name: 'B' }]);
      assert.equal(v.command, `retrace table read . --as-of ${minute(3)} --where id=2`);
      const c = await h.client.tableChangesBetween({ artifact: root, fromTime: minute(0), toTime: minute(1) });
      assert.equal(c.command, `retrace table changes . --from-time ${minute(0)} --to-time ${minute(1)} --key id`);
      seen.push(v.command, c.command);
    });

    test('artifacts that are not tables, or not inside the workspace, are refused with a sentence and nothing is read', async () => {
      const refusal = async (p: Promise<unknown>): Promise<[string, string]> => {
        try {
          await p;
        } catch (err) {
          assert.ok(err instanceof AppError, String(err));
          return [err.code, err.message];
        }
        assert.fail('expected a refusal');
      };
      assert.deepEqual(await refusal(h.client.readTablePage({ artifact: 'notes.txt' })), ['NOT_FOUND', 'notes.txt is not a Delta or Hudi table (it has neither _delta_log nor .hoodie).']);
      // The sibling folder has a _delta_log, but its name only starts like the workspace's: outside.
      for (const outside of [`${root}-sibling`, '/etc']) {
        assert.deepEqual(await refusal(h.client.getTableInfo({ artifact: outside })), ['FORBIDDEN', `${outside} is not a table inside the workspace; previews stay inside ${root}.`]);
      }
      assert.deepEqual((await refusal(h.client.getTableHistory({ artifact: '/etc' })))[0], 'FORBIDDEN');
      seen.push((await refusal(h.client.readTablePage({ artifact: 'notes.txt' })))[0]);
    });
  });
}

test('every transport returned identical table-folder answers', () => {
  const direct = results.get('direct');
  assert.ok(direct && direct.length === 5);
  for (const t of TRANSPORTS) assert.deepEqual(results.get(t), direct, `${t} differs from direct`);
});
