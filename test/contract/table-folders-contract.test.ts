import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeTable } from '../../src-main/lake/delta-writer';
import type { DeltaField } from '../../src-main/lake/delta-types';
import { copyTable } from '../../src-main/lake/lake.test-support';
import { ingestOnce } from '../../src-main/provenance/ingest';
import { openHarness, TRANSPORTS, type Harness, type TransportName } from '../api-clients.test-support';
import { minute, RUN } from '../explore-workspace.test-support';
import { refusal as refusalOf } from '../refusal.test-support';

/**
 * Which folders the table methods open, over every transport: a Hudi table (upstream hudi-rs
 * `cow/v6_nonpartitioned`, expected values from its two commit files and the testdata README), a
 * Delta table that is the workspace folder itself, and artifacts that are not tables or lie
 * outside the workspace (refused before anything is read). One captured-style run names them all:
 *
 *   hudi/t        footprint op on hudi/t/.hoodie/20240418173551906.commit (rolled up to the table)
 *   <workspace>   output dataset named by its absolute path; a Delta table written at 10:00:30 and 10:02:30
 *   notes.txt     footprint op on a plain file
 *   plain         a Delta table written by two appends (10:00:12, 10:01:12): no key column anywhere
 *   pair          a Delta table: append (1,p,10), (1,q,20) at 10:00:18; upsert on (a, b) at 10:01:18: (1,q) → 21, insert (2,p,30)
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
  // plain: appends only, no key recorded anywhere. pair: keyed by (a, b) through an upsert.
  await writeTable(path.join(root, 'plain'), { mode: 'append', fields: FIELDS, rows: [{ id: 1, name: 'a' }], now: at(0.2) });
  await writeTable(path.join(root, 'plain'), { mode: 'append', rows: [{ id: 2, name: 'b' }], now: at(1.2) });
  const pairFields: DeltaField[] = [{ name: 'a', type: 'long', nullable: false }, { name: 'b', type: 'string', nullable: false }, { name: 'x', type: 'long', nullable: true }];
  await writeTable(path.join(root, 'pair'), { mode: 'append', fields: pairFields, rows: [{ a: 1, b: 'p', x: 10 }, { a: 1, b: 'q', x: 20 }], now: at(0.3) });
  await writeTable(path.join(root, 'pair'), { mode: 'upsert', keyColumns: ['a', 'b'], rows: [{ a: 1, b: 'q', x: 21 }, { a: 2, b: 'p', x: 30 }], now: at(1.3) });
  const base = { producer: 'https://github.com/retrace/retrace/0.1.0', schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent', job: { namespace: 'ns', name: 'tables' }, inputs: [] };
  const ops = [`hudi/t/.hoodie/${HUDI_SECOND}.commit`, 'notes.txt', 'plain/_delta_log/00000000000000000001.json', 'pair/_delta_log/00000000000000000001.json'].map((p) => ({ path: p, op: 'CREATE', at: minute(3.5), size: 10 }));
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

    test('key columns: a table that records none, or a composite one, needs the question to name it', async () => {
      assert.deepEqual(await refusalOf(h.client.tableValueAsOf({ artifact: 'plain', key: '1', asOf: minute(2) })), ['INVALID_ARGUMENT', 'plain records no key column; say which column the key is in (keyColumn).']);
      assert.deepEqual(await refusalOf(h.client.tableValueAsOf({ artifact: 'pair', key: '1', asOf: minute(2) })), ['INVALID_ARGUMENT', 'pair has a composite key (a, b); say which column the key is in (keyColumn).']);
      const named = await h.client.tableValueAsOf({ artifact: 'plain', key: '2', keyColumn: 'id', asOf: minute(2) });
      assert.deepEqual([named.version, named.row, named.command], [1, { id: 2, name: 'b' }, `retrace table read plain --as-of ${minute(2)} --where id=2`]);
      // Without a key the change feed's command names none.
      const c = await h.client.tableChangesBetween({ artifact: 'plain', fromTime: minute(0), toTime: minute(2) });
      assert.deepEqual([c.fromVersion, c.toVersion, c.total, c.command], [0, 1, 2, `retrace table changes plain --from-time ${minute(0)} --to-time ${minute(2)}`]);
      seen.push(named, c.command);
    });

    test('diffs and change lists are paged; a diff that does not go forward is empty', async () => {
      // pair v0 → v1: the feed holds (1,q) pre- and post-image and the insert of (2,p); net, (1,q) changed and (2,p) was added.
      const d = await h.client.diffTable({ artifact: 'pair', from: 0, to: 1 });
      assert.deepEqual([d.key, d.counts, d.changes.length, d.truncated, d.rowCounts], [['a', 'b'], { inserted: 1, updated: 1, deleted: 0 }, 3, false, { added: 1, removed: 0, changed: 1 }]);
      const one = await h.client.diffTable({ artifact: 'pair', from: 0, to: 1, limit: 1 });
      assert.deepEqual([one.changes.length, one.truncated, one.rows!.length, one.rowCounts], [1, true, 1, { added: 1, removed: 0, changed: 1 }]);
      const second = await h.client.diffTable({ artifact: 'pair', from: 0, to: 1, offset: 1 });
      assert.deepEqual(second.rows!.length, 1, 'the second of the two net rows');
      assert.notDeepEqual(second.rows![0], d.rows![0]);
      for (const [from, to] of [[1, 1], [1, 0]] as const) {
        assert.deepEqual(await h.client.diffTable({ artifact: 'pair', from, to }), {
          fromVersion: from, toVersion: to, counts: { inserted: 0, updated: 0, deleted: 0 }, changes: [], truncated: false, key: ['a', 'b'], rows: [], rowCounts: { added: 0, removed: 0, changed: 0 },
        });
      }
      const page = await h.client.tableChangesBetween({ artifact: 'pair', fromTime: minute(1), toTime: minute(2), offset: 1, limit: 1 });
      assert.deepEqual([page.total, page.offset, page.rows.length, page.counts], [3, 1, 1, { inserted: 1, updated: 1, deleted: 0 }]);
      seen.push(d.rowCounts, page.total);
    });

    test('artifacts that are not tables, or not inside the workspace, are refused with a sentence and nothing is read', async () => {
      const refusal = refusalOf;
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
  assert.ok(direct && direct.length === 9);
  for (const t of TRANSPORTS) assert.deepEqual(results.get(t), direct, `${t} differs from direct`);
});
