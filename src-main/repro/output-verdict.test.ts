import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { FootprintOp } from '../capture/footprint';
import { sha256Text } from '../capture/hashing';
import { writeTable, type WriteRequest } from '../lake/delta-writer';
import type { Baseline } from './output-verdict';
import { judgeOutputs } from './output-verdict';

/**
 * Verdicts against real files and real Delta tables (written by the lake's own writer), with
 * the expected row counts worked out from the rows written.
 */
const fields: WriteRequest['fields'] = [{ name: 'id', type: 'long', nullable: false }, { name: 'score', type: 'double', nullable: true }];
const rows = [{ id: 1, score: 0.5 }, { id: 2, score: 0.7 }, { id: 3, score: 0.9 }];

async function withWorkspace(fn: (root: string) => Promise<void>): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-verdict-'));
  try {
    await fn(root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const table = (label: string, version: number): Baseline => ({ label, path: label, version: String(version), versionKind: 'dataset_version', table: true, content: null });
const tableOp = (p: string, v: number): FootprintOp => ({ path: p, op: 'MODIFY', at: '2026-01-01T00:00:00Z', kind: 'delta_table', tableVersion: v });

test('a Delta table re-written with the same rows is "same rows"; changed rows are counted', () =>
  withWorkspace(async (root) => {
    const dir = path.join(root, 'features');
    await writeTable(dir, { mode: 'append', rows, fields });
    await writeTable(dir, { mode: 'upsert', rows, keyColumns: ['id'] }); // v1: the same three rows again
    await writeTable(dir, { mode: 'upsert', rows: [{ id: 2, score: 0.75 }, { id: 4, score: 0.1 }], keyColumns: ['id'] }); // v2: one update, one insert
    const [same] = await judgeOutputs([table('features', 0)], [tableOp('features', 1)], root);
    assert.equal(same!.verdict, 'same-rows', JSON.stringify(same));
    assert.deepEqual([same!.before, same!.after], ['v0', 'v1']);
    const [changed] = await judgeOutputs([table('features', 1)], [tableOp('features', 2)], root);
    assert.equal(changed!.verdict, 'differs');
    assert.deepEqual(changed!.rows, { inserted: 1, updated: 1, deleted: 0 });
    const [missing] = await judgeOutputs([table('features', 1)], [], root);
    assert.equal(missing!.verdict, 'not-written');
  }));

test('files: identical hash is bit-for-bit, a changed JSON lists its values, an unknown new output is "new"', () =>
  withWorkspace(async (root) => {
    const before = Buffer.from('{"accuracy": 0.912, "n": 10}');
    const after = Buffer.from('{"accuracy": 0.915, "n": 10}');
    fs.writeFileSync(path.join(root, 'metrics.json'), after);
    fs.writeFileSync(path.join(root, 'same.txt'), 'x');
    fs.writeFileSync(path.join(root, 'extra.csv'), 'a\n');
    const base: Baseline[] = [
      { label: 'metrics.json', path: 'metrics.json', version: sha256Text(before), versionKind: 'hash', table: false, content: before },
      { label: 'same.txt', path: 'same.txt', version: sha256Text('x'), versionKind: 'hash', table: false, content: null },
    ];
    const ops: FootprintOp[] = [
      { path: 'metrics.json', op: 'MODIFY', at: '', hashAfter: sha256Text(after) },
      { path: 'same.txt', op: 'MODIFY', at: '', hashAfter: sha256Text('x') },
      { path: 'extra.csv', op: 'CREATE', at: '', hashAfter: sha256Text('a\n') },
      { path: 'tmp.json', op: 'CREATE', at: '' }, // created and deleted again: not on disk, not an output
    ];
    const out = await judgeOutputs(base, ops, root);
    assert.deepEqual(out.map((o) => [o.artifact, o.verdict]), [['metrics.json', 'differs'], ['same.txt', 'bit-for-bit'], ['extra.csv', 'new']]);
    assert.deepEqual(out[0]!.changes, [{ key: 'accuracy', change: 'changed', before: '0.912', after: '0.915' }]);
  }));
