import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Command } from 'commander';
import { AppError } from '../../shared/errors';
import { registerTableCommand } from '../../src-main/cli/commands/table';
import { writeTable } from '../../src-main/lake/delta-writer';
import type { DeltaField } from '../../src-main/lake/delta-types';
import { ingestOnce } from '../../src-main/provenance/ingest';
import { openHarness, TRANSPORTS, type Harness, type TransportName } from '../api-clients.test-support';
import { minute, RUN } from '../explore-workspace.test-support';

/**
 * The explorer's table questions over every transport, on a real Delta table written by the
 * commit store inside the workspace, and four captured-style runs whose OpenLineage events name
 * the versions they wrote:
 *
 *   version  written at  by run        what
 *   0        10:00:30    R1 load      CREATE TABLE: id 1 (a, 10), 2 (b, 20), 3 (c, 30)
 *   1        10:02:30    R2 fix       MERGE on id: 2 → qty 25, insert 4 (d, 40)
 *   2        10:04:30    R3 prune     DELETE id 1
 *   3        10:06:30    R4 refresh   MERGE on id: 3 with the same values, 4 → qty 41
 *
 * Snapshots: 1 R1 ended, 2 v0, 3 R2, 4 v1, 5 R3, 6 v2, 7 R4, 8 v3.
 */
const TABLE = 'Shop_featurestore.db/orders_1';
const FIELDS: DeltaField[] = [{ name: 'id', type: 'long', nullable: false }, { name: 'name', type: 'string', nullable: true }, { name: 'qty', type: 'long', nullable: true }];
const row = (id: number, name: string, qty: number) => ({ id, name, qty });

async function buildWorkspace(root: string): Promise<void> {
  const dir = path.join(root, TABLE);
  const at = (m: number) => () => Date.parse(minute(m));
  await writeTable(dir, { mode: 'append', fields: FIELDS, keyColumns: ['id'], rows: [row(1, 'a', 10), row(2, 'b', 20), row(3, 'c', 30)], now: at(0.5) });
  await writeTable(dir, { mode: 'upsert', keyColumns: ['id'], rows: [row(2, 'b', 25), row(4, 'd', 40)], now: at(2.5) });
  await writeTable(dir, { mode: 'delete', keyColumns: ['id'], rows: [{ id: 1 }], now: at(4.5) });
  await writeTable(dir, { mode: 'upsert', keyColumns: ['id'], rows: [row(3, 'c', 30), row(4, 'd', 41)], now: at(6.5) });
  const base = { producer: 'https://github.com/retrace/retrace/0.1.0', schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent' };
  const lines = (['load', 'fix', 'prune', 'refresh'] as const).flatMap((job, v) => [
    { ...base, eventType: 'START', eventTime: minute(2 * v), run: { runId: RUN(v + 1) }, job: { namespace: 'shop', name: job }, inputs: [], outputs: [] },
    { ...base, eventType: 'COMPLETE', eventTime: minute(2 * v + 1), run: { runId: RUN(v + 1) }, job: { namespace: 'shop', name: job }, inputs: [],
      outputs: [{ namespace: 'file', name: TABLE, facets: { version: { _producer: 'p', _schemaURL: 's', datasetVersion: String(v) } } }] },
  ].map((e) => JSON.stringify(e)));
  fs.writeFileSync(path.join(root, '.retrace/logs/shop.jsonl'), lines.join('\n') + '\n');
}

const results = new Map<TransportName, unknown[]>();

for (const transport of TRANSPORTS) {
  describe(`table questions over ${transport}`, () => {
    let h: Harness;
    const seen: unknown[] = [];
    before(async () => {
      h = await openHarness(transport);
      await buildWorkspace(h.core.paths.root);
      const report = ingestOnce({ paths: h.core.paths, db: h.core.db });
      assert.deepEqual(report.rejected, []);
      results.set(transport, seen);
    });
    after(async () => h.close());

    test('history names each commit with its row counts and the rows in the table after it', async () => {
      const history = await h.client.getTableHistory({ artifact: TABLE });
      assert.deepEqual(history.map((c) => [c.version, c.timestamp, c.operation, c.rowsInserted, c.rowsUpdated, c.rowsDeleted, c.rowCount]), [
        [0, minute(0.5), 'CREATE TABLE', 3, 0, 0, 3],
        [1, minute(2.5), 'MERGE', 1, 1, 0, 4],
        [2, minute(4.5), 'DELETE', 0, 0, 1, 3],
        [3, minute(6.5), 'MERGE', 0, 2, 0, 3],
      ]);
      seen.push(history);
    });

    test('snapshot compare lists the table commits in the range with their row counts', async () => {
      const d = await h.client.diffSnapshots({ from: 2, to: 8 });
      assert.deepEqual(d.changes!.commits.map((c) => [c.table, c.id, c.version, c.operation, c.rowsInserted, c.rowsUpdated, c.rowsDeleted, c.snapshot, c.at]), [
        [TABLE, `artifact:file/${TABLE}`, 1, 'MERGE', 1, 1, 0, 4, minute(2.5)],
        [TABLE, `artifact:file/${TABLE}`, 2, 'DELETE', 0, 0, 1, 6, minute(4.5)],
        [TABLE, `artifact:file/${TABLE}`, 3, 'MERGE', 0, 2, 0, 8, minute(6.5)],
      ]);
      assert.deepEqual(d.changes!.runs.map((r) => r.run), [RUN(2), RUN(3), RUN(4)]);
      assert.deepEqual(d.changes!.versions.map((v) => [v.artifact, v.kind, v.before, v.after, v.beforeShort, v.afterShort]), [[TABLE, 'feature_group', '0', '3', '0', '3']]);
      const catalogue = await h.client.listCatalog({ what: 'artifacts', filter: 'delta' });
      assert.deepEqual((catalogue.rows as { artifact: string; format: string; version: string }[]).map((r) => [r.artifact, r.format, r.version]), [[TABLE, 'delta', '3']],
        'the catalogue calls the table Delta, and a filter for "delta" finds it');
      seen.push(d.changes);
    });

    test('diff of two chosen versions: net rows added, removed and changed, with the changed cells named', async () => {
      const d = await h.client.diffTable({ artifact: TABLE, from: 0, to: 3 });
      assert.deepEqual(d.key, ['id'], 'the key comes from the upsert commits');
      // id 2 changed (20 → 25), id 4 was added (its last value 41), id 1 was removed; id 3 was rewritten with the same values: no change.
      assert.deepEqual(d.rowCounts, { added: 1, removed: 1, changed: 1 });
      assert.deepEqual(d.rows, [
        { change: 'changed', key: { id: 2 }, before: row(2, 'b', 20), after: row(2, 'b', 25), changedColumns: ['qty'] },
        { change: 'added', key: { id: 4 }, before: null, after: row(4, 'd', 41), changedColumns: [] },
        { change: 'removed', key: { id: 1 }, before: row(1, 'a', 10), after: null, changedColumns: [] },
      ]);
      // The feed itself counts every commit's changes: the insert of 4, updates of 2, 3 and 4, the delete of 1.
      assert.deepEqual(d.counts, { inserted: 1, updated: 3, deleted: 1 });
      const one = await h.client.diffTable({ artifact: TABLE, from: 2, to: 3, limit: 1, offset: 0 });
      assert.deepEqual([one.rowCounts, one.rows!.length], [{ added: 0, removed: 0, changed: 1 }, 1]);
      seen.push(d);
    });

    test('value of key K as of time T: the row, the version and its commit, and the command that asks the same', async () => {
      const v = await h.client.tableValueAsOf({ artifact: TABLE, key: '2', asOf: minute(3) });
      assert.deepEqual(v, {
        table: TABLE, keyColumn: 'id', key: '2', asOf: minute(3), version: 1,
        commit: { version: 1, timestamp: minute(2.5), operation: 'MERGE' },
        row: row(2, 'b', 25), matches: 1, note: null,
        command: `retrace table read ${TABLE} --as-of ${minute(3)} --where id=2`,
      });
      assert.deepEqual((await h.client.tableValueAsOf({ artifact: TABLE, key: '2', asOf: String(Date.parse(minute(1))) })).row, row(2, 'b', 20));
      const gone = await h.client.tableValueAsOf({ artifact: TABLE, key: '1', asOf: minute(5) });
      assert.deepEqual([gone.version, gone.row, gone.matches], [2, null, 0]);
      const early = await h.client.tableValueAsOf({ artifact: TABLE, key: '3', keyColumn: 'id', asOf: minute(0) });
      assert.deepEqual([early.version, early.row], [0, row(3, 'c', 30)]);
      assert.match(early.note ?? '', /^2026-01-01T10:00:00\.000Z is before the table's first commit \(2026-01-01T10:00:30\.000Z\); /);
      seen.push(v, gone);
    });

    test('rows changed between T1 and T2: the change feed of the commits in that range', async () => {
      const c = await h.client.tableChangesBetween({ artifact: TABLE, fromTime: minute(2), toTime: minute(5) });
      assert.deepEqual([c.fromVersion, c.toVersion, c.counts, c.total, c.offset], [1, 2, { inserted: 1, updated: 1, deleted: 1 }, 4, 0]);
      const feed = c.rows.map((r) => [r._commit_version, r._change_type, r.id, r.qty]).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
      assert.deepEqual(feed, [[1, 'insert', 4, 40], [1, 'update_postimage', 2, 25], [1, 'update_preimage', 2, 20], [2, 'delete', 1, 10]]);
      assert.equal(c.command, `retrace table changes ${TABLE} --from-time ${minute(2)} --to-time ${minute(5)} --key id`);
      const none = await h.client.tableChangesBetween({ artifact: TABLE, fromTime: minute(7), toTime: minute(8) });
      assert.deepEqual([none.fromVersion, none.toVersion, none.rows, none.total], [null, null, [], 0]);
      await assert.rejects(h.client.tableChangesBetween({ artifact: TABLE, fromTime: minute(5), toTime: minute(2) }), { code: 'INVALID_ARGUMENT' });
      await assert.rejects(h.client.tableValueAsOf({ artifact: TABLE, key: '2', asOf: 'noon' }), (e) => e instanceof AppError && e.code === 'INVALID_ARGUMENT');
      seen.push(c);
    });
  });
}

test('every transport returned identical table answers', () => {
  const direct = results.get('direct');
  assert.ok(direct && direct.length > 0);
  for (const t of TRANSPORTS) assert.deepEqual(results.get(t), direct, `${t} differs from direct`);
});

test('the command shown with an answer prints the same row, run as `retrace table read`', async () => {
  const h = await openHarness('direct');
  try {
    await buildWorkspace(h.core.paths.root);
    ingestOnce({ paths: h.core.paths, db: h.core.db });
    const answer = await h.client.tableValueAsOf({ artifact: TABLE, key: '4', asOf: minute(7) });
    assert.deepEqual(answer.row, row(4, 'd', 41));
    // The command is meant for the workspace folder; here its table path is made absolute instead.
    const args = answer.command.split(' ').slice(1).map((a) => (a === TABLE ? path.join(h.core.paths.root, TABLE) : a));
    let out = '';
    const program = new Command('retrace').exitOverride();
    registerTableCommand(program, { write: async (text) => { out += text; } });
    for (const c of program.commands) c.exitOverride();
    await program.parseAsync(args, { from: 'user' });
    assert.deepEqual(out.trim().split('\n').map((l) => JSON.parse(l)), [answer.row]);
    // The changes answer against `retrace table changes` over the same versions.
    const changes = await h.client.tableChangesBetween({ artifact: TABLE, fromTime: minute(2), toTime: minute(5) });
    out = '';
    const p2 = new Command('retrace').exitOverride();
    registerTableCommand(p2, { write: async (text) => { out += text; } });
    for (const c of p2.commands) c.exitOverride();
    await p2.parseAsync(['table', 'changes', path.join(h.core.paths.root, TABLE), '--from', String(changes.fromVersion), '--to', String(changes.toVersion), '--key', 'id'], { from: 'user' });
    assert.deepEqual(out.trim().split('\n').map((l) => JSON.parse(l)), changes.rows);
  } finally {
    await h.close();
  }
});
