import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FootprintEntryDto } from '../../shared/lineage-dto';
import { buildFootprintTree } from './footprint-tree';

const e = (artifact: string, classes: FootprintEntryDto['classes']): FootprintEntryDto => ({ artifact, id: `artifact:file/${artifact}`, kind: 'file', classes, ops: [] });
// DESIGN §4's fixture, in folders: f1 CREATE+MODIFY (added), f2 CREATE (added), f3 MODIFY, f4 tmp, f5 DELETE, f6 READ.
const entries = [
  e('out/a/f1', ['OUTPUT_ADDED']), e('out/a/f2', ['OUTPUT_ADDED']), e('out/f3', ['OUTPUT_MODIFIED']),
  e('tmp/x/y/f4', ['OUTPUT_TMP']), e('old/f5', ['OUTPUT_REMOVED']), e('in/f6', ['INPUT']),
];

test('folders count the files below them per class; single-child chains are joined', () => {
  const t = buildFootprintTree(entries);
  assert.equal(t.files, 6);
  assert.deepEqual(t.counts, { INPUT: 1, OUTPUT_MODIFIED: 1, OUTPUT_ADDED: 2, OUTPUT_REMOVED: 1, OUTPUT_TMP: 1 });
  const out = t.children.find((c) => c.name === 'out')!;
  assert.deepEqual([out.files, out.counts.OUTPUT_ADDED, out.counts.OUTPUT_MODIFIED], [3, 2, 1]);
  assert.ok(t.children.some((c) => c.name === 'tmp/x/y'), 'tmp › x › y reads as one folder');
});

test('a class filter keeps only those files', () => {
  const t = buildFootprintTree(entries, new Set(['OUTPUT_ADDED']));
  assert.equal(t.files, 2);
  assert.deepEqual(t.children.map((c) => c.name), ['out/a']);
});
