import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { registerTableCommand } from './table';
import { ext, tempDir } from '../../lake/lake-test-helpers';

/** Runs `retrace table …` in-process and captures stdout. */
async function run(args: string[]): Promise<string> {
  const program = new Command('retrace').exitOverride();
  let captured = '';
  registerTableCommand(program, { write: async (text) => { captured += text; } });
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
