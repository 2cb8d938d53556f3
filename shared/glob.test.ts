import assert from 'node:assert/strict';
import { test } from 'node:test';
import { globBase, globToRegExp, isGlob } from './glob';

// Expected values worked out by hand from the glob syntax documented in glob.ts.
const CASES: [glob: string, path: string, matches: boolean][] = [
  ['**/*.{tmp,log}', 'a/b/x.tmp', true],
  ['**/*.{tmp,log}', 'run.log', true],
  ['**/*.{tmp,log}', '/ws/deep/.hidden.log', true],
  ['**/*.{tmp,log}', 'x.tmpl', false],
  ['**/*.{tmp,log}', 'log', false],
  ['data/*.csv', 'data/a.csv', true],
  ['data/*.csv', 'data/sub/a.csv', false],
  ['data/**/*.csv', 'data/sub/a.csv', true],
  ['data/**/*.csv', 'data/a.csv', true],
  ['**/.venv/**', '/home/u/p/.venv/lib/x.py', true],
  ['**/Models/*/*', 'Projects/demo/Models/churn/3', true],
  ['**/Models/*/*', 'Projects/demo/Models/churn', false],
  ['f?.txt', 'f1.txt', true],
  ['f?.txt', 'f12.txt', false],
  ['part-[0-9].parquet', 'part-7.parquet', true],
  ['part-[0-9].parquet', 'part-x.parquet', false],
];

for (const [glob, path, matches] of CASES) {
  test(`glob ${glob} ${matches ? 'matches' : 'does not match'} ${path}`, () => {
    assert.equal(globToRegExp(glob).test(path), matches);
  });
}

test('globs are told from plain paths, and a walk starts at their literal folder', () => {
  assert.equal(isGlob('logs/a.jsonl'), false);
  assert.equal(isGlob('logs/*.jsonl'), true);
  assert.equal(isGlob('logs/{a,b}.jsonl'), true);
  assert.equal(globBase('/srv/logs/**/*.jsonl'), '/srv/logs');
  assert.equal(globBase('/srv/{a,b}/x.jsonl'), '/srv');
});
