import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { seededRandom } from '../../shared/seeded-random';
import { unifiedDiff } from './text-diff';

/**
 * GNU tools are the independent oracles: GNU patch must turn A into B with our hunks, and
 * `diff --minimal` must need exactly as many changed lines (a shortest edit script is not unique,
 * so the hunks themselves may differ).
 */
const hasTools = spawnSync('diff', ['--version']).status === 0 && spawnSync('patch', ['--version']).status === 0;

function check(a: string, b: string, patchText: string): { patched: string; minimal: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-textdiff-'));
  try {
    fs.writeFileSync(path.join(dir, 'a'), a);
    fs.writeFileSync(path.join(dir, 'b'), b);
    const d = spawnSync('diff', ['--minimal', '-u', 'a', 'b'], { cwd: dir, encoding: 'utf8' });
    const minimal = d.stdout.split('\n').slice(2).filter((l) => /^[-+]/.test(l)).length;
    fs.writeFileSync(path.join(dir, 'p.diff'), patchText);
    const r = spawnSync('patch', ['-s', '-o', 'out', 'a', 'p.diff'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    return { patched: fs.readFileSync(path.join(dir, 'out'), 'utf8'), minimal };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('unified diffs apply with GNU patch and are as short as diff --minimal, on random edits', { skip: !hasTools && 'diff or patch is not installed' }, () => {
  const rnd = seededRandom(42);
  for (let round = 0; round < 60; round++) {
    const a = Array.from({ length: 5 + Math.floor(rnd() * 40) }, () => `line ${Math.floor(rnd() * 12)}`);
    const b = a.flatMap((l) => {
      const r = rnd();
      return r < 0.1 ? [] : r < 0.2 ? [l, `new ${Math.floor(rnd() * 5)}`] : r < 0.3 ? [`changed ${l}`] : [l];
    });
    const at = a.join('\n') + '\n';
    const bt = b.join('\n') + '\n';
    const mine = unifiedDiff(at, bt, { a: 'a', b: 'b' })!;
    if (at === bt) continue;
    const { patched, minimal } = check(at, bt, mine.text);
    assert.equal(patched, bt, `round ${round}: the patch gives B`);
    assert.equal(mine.added + mine.removed, minimal, `round ${round}: a shortest edit script`);
  }
});

test('counts, identical texts, and giving up on wholesale rewrites', () => {
  assert.deepEqual(unifiedDiff('a\nb\n', 'a\nc\n', { a: 'x', b: 'x' }), { text: '--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n', added: 1, removed: 1 });
  assert.deepEqual(unifiedDiff('same\n', 'same\n', { a: 'x', b: 'x' }), { text: '', added: 0, removed: 0 });
  const many = (p: string) => Array.from({ length: 100 }, (_, i) => `${p}${i}`).join('\n');
  assert.equal(unifiedDiff(many('a'), many('b'), { a: 'x', b: 'x' }, { maxEdits: 50 }), null);
});
