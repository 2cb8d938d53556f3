import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { registerTableCommand } from './table';
import { copyTable, ext, tempDir } from '../../lake/lake.test-support';

/** Runs `retrace table …` in-process and captures stdout. */
async function run(args: string[], warnings: string[] = []): Promise<string> {
  const program = new Command('retrace').exitOverride();
  let captured = '';
  registerTableCommand(program, { write: async (text) => { captured += text; }, warn: (text) => { warnings.push(text); } });
  await program.parseAsync(args, { from: 'user' });
  return captured;
}

const jsonl = (text: string): Record<string, unknown>[] => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

test('table write / read / history / changes round trip (DESIGN §8 shapes)', async () => {
  const root = tempDir();
  try {
    const dir = path.join(root, 'features');
    fs.writeFileSync(path.join(root, 'v0.csv'), 'user,score,at\nu1,1.5,2024-01-01T00:00:00Z\nu2,2.5,2024-01-02T00:00:00Z\n');
    fs.writeFileSync(path.join(root, 'v1.jsonl'), '{"user":"u2","score":9,"at":"2024-02-01T00:00:00Z"}\n{"user":"u3","score":3,"at":"2024-02-02T00:00:00Z"}\n');
    fs.writeFileSync(path.join(root, 'del.csv'), 'user\nu1\n');
    const w0 = JSON.parse(await run(['table', 'write', dir, '--input', path.join(root, 'v0.csv')]));
    assert.equal(w0.version, 0);
    await run(['table', 'write', dir, '--input', path.join(root, 'v1.jsonl'), '--key', 'user', '--mode', 'upsert']);
    await run(['table', 'write', dir, '--input', path.join(root, 'del.csv'), '--key', 'user', '--mode', 'delete']);

    const latest = jsonl(await run(['table', 'read', dir]));
    assert.deepEqual(latest.map((r) => `${r.user}:${r.score}`).sort(), ['u2:9', 'u3:3']);
    assert.equal(latest.find((r) => r.user === 'u3')!.at, '2024-02-02T00:00:00.000Z');
    const v0 = jsonl(await run(['table', 'read', dir, '--version', '0', '--where', 'user=u1', '--columns', 'score']));
    assert.deepEqual(v0, [{ score: 1.5 }]);
    const csv = await run(['table', 'read', dir, '--version', '1', '--format', 'csv', '--columns', 'user,score']);
    // One CSV writer for the project (shared/csv.ts): RFC 4180 records ending in CRLF.
    assert.ok(csv.endsWith('\r\n') && !/[^\r]\n/.test(csv), JSON.stringify(csv));
    assert.deepEqual(csv.split('\r\n').filter(Boolean).sort(), ['u1,1.5', 'u2,9', 'u3,3', 'user,score']);
    const asOf = jsonl(await run(['table', 'read', dir, '--as-of', String(Date.now() + 60_000)]));
    assert.equal(asOf.length, 2);

    const history = JSON.parse(await run(['table', 'history', dir, '--json']));
    assert.deepEqual(history.map((h: Record<string, unknown>) => [h.version, h.operation, h.rowsInserted, h.rowsUpdated, h.rowsDeleted]),
      [[0, 'CREATE TABLE', 2, 0, 0], [1, 'MERGE', 1, 1, 0], [2, 'DELETE', 0, 0, 1]]);
    assert.ok(!Number.isNaN(Date.parse(history[0].timestamp)));

    const changes = jsonl(await run(['table', 'changes', dir, '--from', '1', '--to', '2']));
    assert.deepEqual(changes.map((c) => `${c._commit_version}:${c._change_type}:${c.user}`).sort(),
      ['1:insert:u3', '1:update_postimage:u2', '1:update_preimage:u2', '2:delete:u1']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('table read of a Hudi table and bad input', async () => {
  const rows = jsonl(await run(['table', 'read', ext('hudi-rs/cow/v6_nonpartitioned'), '--columns', 'id,name']));
  assert.deepEqual(rows.map((r) => r.name).sort(), ['Alice', 'Bob', 'Carol', 'Diana']);
  await assert.rejects(run(['table', 'read', ext('delta/snapshot-data0'), '--format', 'xml']), /--format must be one of/);
  await assert.rejects(run(['table', 'read', ext('delta/snapshot-data0'), '--where', 'nope']), /COL=VALUE/);
  await assert.rejects(run(['table', 'read', ext('delta/deltalog-invalid-protocol-version')]), /reader version 99/);
  await assert.rejects(run(['table', 'write', ext('delta/snapshot-data0'), '--input', 'x.csv', '--mode', 'merge']), /--mode must be one of/);
});

test('table write --schema with nested columns, alter --rename/--drop, info, and changes by time', async () => {
  const root = tempDir();
  try {
    const dir = path.join(root, 'emb');
    fs.writeFileSync(path.join(root, 'schema.json'), JSON.stringify({ type: 'struct', fields: [
      { name: 'id', type: 'long', nullable: false, metadata: {} },
      { name: 'emb', type: { type: 'array', elementType: 'float', containsNull: false }, nullable: true, metadata: {} },
      { name: 'tags', type: { type: 'map', keyType: 'string', valueType: 'long', valueContainsNull: true }, nullable: true, metadata: {} },
      { name: 'note', type: 'string', nullable: true, metadata: {} },
    ] }));
    fs.writeFileSync(path.join(root, 'a.jsonl'), '{"id":1,"emb":[0.5,1],"tags":{"x":1},"note":"a"}\n{"id":2,"emb":[2,0],"tags":{},"note":null}\n');
    await run(['table', 'write', dir, '--input', path.join(root, 'a.jsonl'), '--schema', path.join(root, 'schema.json')]);
    assert.deepEqual(jsonl(await run(['table', 'read', dir])).sort((a, b) => Number(a.id) - Number(b.id)), [
      { id: 1, emb: [0.5, 1], tags: { x: 1 }, note: 'a' }, { id: 2, emb: [2, 0], tags: {}, note: null },
    ]);
    fs.writeFileSync(path.join(root, 'bad.jsonl'), '{"id":3,"emb":"[0.1,0.2]"}\n');
    await assert.rejects(run(['table', 'write', dir, '--input', path.join(root, 'bad.jsonl')]),
      /^AppError: Row 1 of the input, column "emb": the table holds array<float> but the value is a string \("\[0.1,0.2\]"\)\.$/);

    const altered = JSON.parse(await run(['table', 'alter', dir, '--rename', 'note=comment', '--drop', 'tags']));
    assert.deepEqual(altered, { version: 1, operation: 'RENAME COLUMN, DROP COLUMNS', columnMappingEnabled: true });
    assert.deepEqual(Object.keys(jsonl(await run(['table', 'read', dir]))[0]!), ['id', 'emb', 'comment']);
    assert.deepEqual(Object.keys(jsonl(await run(['table', 'read', dir, '--version', '0']))[0]!), ['id', 'emb', 'tags', 'note']);
    await assert.rejects(run(['table', 'alter', dir, '--rename', 'comment']), /--rename "comment" must look like OLD=NEW/);
    await assert.rejects(run(['table', 'alter', dir]), /Nothing to change: give --rename OLD=NEW or --drop COL\./);

    const info = JSON.parse(await run(['table', 'info', dir, '--json']));
    assert.equal(info.summary, 'Delta · reader 3 / writer 7 · columnMapping');
    assert.deepEqual(info.schema.map((n: { name: string; type: string }) => `${n.name}:${n.type}`), ['id:long', 'emb:array<float>', 'comment:string']);
    const text = await run(['table', 'info', dir]);
    assert.match(text, /^Delta · reader 3 \/ writer 7 · columnMapping\n/);
    assert.match(text, /comment: string \(stored as note\)/);

    const changes = jsonl(await run(['table', 'changes', dir, '--from-time', '1970-01-01T00:00:00Z']));
    assert.deepEqual(changes.map((c) => `${c._commit_version}:${c._change_type}:${c.id}`).sort(), ['0:insert:1', '0:insert:2']);
    await assert.rejects(run(['table', 'changes', dir]), /Give either --from or --from-time\./);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('table vacuum lists, then removes, what no retained version reads; read warns about a damaged log', async () => {
  const root = tempDir();
  try {
    const dir = path.join(root, 'v');
    fs.writeFileSync(path.join(root, 'a.csv'), 'id,v\n1,a\n2,b\n');
    fs.writeFileSync(path.join(root, 'b.csv'), 'id,v\n1,z\n');
    await run(['table', 'write', dir, '--input', path.join(root, 'a.csv'), '--key', 'id']);
    await run(['table', 'write', dir, '--input', path.join(root, 'b.csv'), '--key', 'id', '--mode', 'upsert']);
    const dry = JSON.parse(await run(['table', 'vacuum', dir, '--retain', '0', '--dry-run', '--json']));
    assert.equal(dry.dryRun, true);
    assert.equal(dry.removed.filter((f: string) => f.endsWith('.parquet') && !f.startsWith('_change_data')).length, 1, JSON.stringify(dry.removed));
    const text = await run(['table', 'vacuum', dir, '--retain', '0']);
    assert.match(text, /^removed .*\.parquet$/m);
    assert.match(text, /versions 1 and later stay readable\.$/m);
    assert.deepEqual(jsonl(await run(['table', 'read', dir])).map((r) => `${r.id}${r.v}`).sort(), ['1z', '2b']);
    await assert.rejects(run(['table', 'vacuum', dir, '--retain', 'soon']), /--retain takes a number of hours, not "soon"\./);

    // A checkpoint-free table whose first commit was deleted is an error naming the file.
    fs.rmSync(path.join(dir, '_delta_log', '00000000000000000000.json'));
    await assert.rejects(run(['table', 'read', dir]), /commit file .*00000000000000000000\.json is missing/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('table read warns on stderr when a checkpoint covers a damaged commit', async () => {
  const dir = copyTable('delta-rs/simple_table_with_checkpoint');
  try {
    fs.writeFileSync(path.join(dir, '_delta_log', '00000000000000000003.json'), 'garbage');
    const warnings: string[] = [];
    const rows = jsonl(await run(['table', 'read', dir], warnings));
    assert.ok(rows.length > 0);
    assert.deepEqual(warnings, [`Commit file ${path.join(dir, '_delta_log', '00000000000000000003.json')} is damaged (line 1 is not JSON); version 10 is still readable from the checkpoint at version 10.`]);
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test('Hudi through the same commands: merge-on-read, read-optimised, history and changes between instants', async () => {
  const dir = ext('hudi-rs/mor/v6_simplekeygen_nonhivestyle_overwritetable');
  const history = JSON.parse(await run(['table', 'history', dir, '--json']));
  assert.deepEqual(history.map((h: Record<string, unknown>) => [h.version, h.instant]), [[0, '20250121000647668'], [1, '20250121000656060'], [2, '20250121000702475']]);
  const changes = jsonl(await run(['table', 'changes', dir, '--from', '20250121000647668', '--to', '20250121000656060']));
  assert.deepEqual(changes.map((c) => `${c._commit_version}:${c._change_type}:${c.id}:${c.name}:${c.isActive}`).sort(), [
    '20250121000656060:insert:4:Diana:true', '20250121000656060:update_postimage:1:Alice:false',
  ]);
  const mor = ext('hudi-rs/mor/v6_nonpartitioned');
  const merged = jsonl(await run(['table', 'read', mor, '--columns', 'id,isActive', '--where', 'id=1']));
  const ro = jsonl(await run(['table', 'read', mor, '--columns', 'id,isActive', '--where', 'id=1', '--read-optimized']));
  assert.deepEqual([merged, ro], [[{ id: 1, isActive: false }], [{ id: 1, isActive: true }]]);
  const asOfDay = jsonl(await run(['table', 'read', ext('hudi-rs/cow/v6_simplekeygen_nonhivestyle'), '--as-of', '20240418172802262', '--columns', 'id']));
  assert.deepEqual(asOfDay.map((r) => r.id).sort(), [1, 2, 3]);
});
