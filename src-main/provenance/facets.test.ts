/**
 * Reading the facets Retrace understands into column values (facets.ts), one function at a
 * time, on facets written out by hand from the OpenLineage spec and DESIGN §3. Expected values
 * are worked out here, never taken from the code under test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  codeInfo, commandInfo, datasetVersion, environmentInfo, errorMessage, facetText, footprintOps, lifecycleOp, outputStats,
  ownerFromJob, parentRunId, previousIdentifier, sha1, sha1Base64, tagsOf,
} from './facets';

test('sha1 in hex and base64: the digests of "abc" from FIPS 180-1', () => {
  assert.equal(sha1('abc'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  assert.equal(sha1Base64('abc'), 'qZk+NkcGgWq6PiVxeFDCbJzQ2J0=');
});

test('parent run, error message: the id or message when it is a non-empty string, else null', () => {
  assert.equal(parentRunId({ parent: { run: { runId: 'r-1' }, job: { namespace: 'n', name: 'j' } } }), 'r-1');
  assert.equal(parentRunId({ parent: { run: { runId: '' } } }), null);
  assert.equal(parentRunId({ parent: { run: { runId: 7 } } }), null);
  assert.equal(parentRunId({ parent: { run: 'r-1' } }), null);
  assert.equal(parentRunId({}), null);
  assert.equal(errorMessage({ errorMessage: { message: 'boom', programmingLanguage: 'python' } }), 'boom');
  assert.equal(errorMessage({ errorMessage: { message: '' } }), null);
  assert.equal(errorMessage({ errorMessage: 'boom' }), null);
});

test('retrace_command: argv only when every element is a string; cwd and an integer exit code', () => {
  assert.deepEqual(commandInfo({ retrace_command: { argv: ['python', 'train.py'], cwd: '/ws', exitCode: 3 } }), { argv: ['python', 'train.py'], cwd: '/ws', exitCode: 3 });
  assert.deepEqual(commandInfo({ retrace_command: { argv: ['python', 1], cwd: '', exitCode: 1.5 } }), { argv: null, cwd: null, exitCode: null });
  assert.deepEqual(commandInfo({ retrace_command: { argv: 'python train.py' } }), { argv: null, cwd: null, exitCode: null });
  assert.equal(commandInfo({ retrace_command: ['python'] }), null);
  assert.equal(commandInfo({}), null);
});

test('environment: fields from retrace_environment, processing_engine and Spark properties', () => {
  const env = environmentInfo({
    retrace_environment: {
      user: 'ada', host: 'box', os: 'linux', arch: 'x64', interpreter: { name: 'python', version: '3.12.1' },
      packages: [{ name: 'pandas', version: '2.2.2' }, { name: 'numpy' }, { version: '1' }, 'scipy'],
      env: { PYTHONHASHSEED: '0', THREADS: 4 },
    },
    processing_engine: { name: 'spark', version: '3.5.1' },
    'environment-properties': { 'environment-properties': { 'spark.master': 'local[2]', cores: 2 } },
  })!;
  assert.equal(env.user, 'ada');
  assert.equal(env.host, 'box');
  assert.equal(env.os, 'linux');
  assert.equal(env.arch, 'x64');
  assert.equal(env.interpreter, 'python');
  assert.equal(env.interpreterVersion, '3.12.1');
  assert.equal(env.engine, 'spark');
  assert.equal(env.engineVersion, '3.5.1');
  // Only string values; Spark's properties join the variables.
  assert.deepEqual(env.variables, { PYTHONHASHSEED: '0', 'spark.master': 'local[2]' });
  // Sorted by name; a package without a version keeps an empty one; nameless entries dropped.
  assert.deepEqual(env.packages, [{ name: 'numpy', version: '' }, { name: 'pandas', version: '2.2.2' }]);
  assert.match(env.hash, /^[0-9a-f]{40}$/);
});

test('environment: the interpreter as two flat fields, variables as a name/value list', () => {
  const env = environmentInfo({ retrace_environment: { interpreter: 'python', interpreterVersion: '3.11.7',
    variables: [{ name: 'A', value: '1' }, { name: 'B', value: 2 }, { value: 'x' }] } })!;
  assert.equal(env.interpreter, 'python');
  assert.equal(env.interpreterVersion, '3.11.7');
  assert.deepEqual(env.variables, { A: '1' });
  assert.equal(env.engine, null);
  assert.deepEqual(env.packages, []);
  assert.equal(environmentInfo({ retrace_environment: { environmentVariables: { C: '3' } } })!.variables.C, '3');
});

test('environment: packages sorted by name whatever order they came in', () => {
  const names = (list: string[]) => environmentInfo({ retrace_environment: { packages: list.map((name) => ({ name, version: '1' })) } })!.packages.map((p) => p.name);
  assert.deepEqual(names(['torch', 'numpy', 'scipy', 'pandas', 'arrow']), ['arrow', 'numpy', 'pandas', 'scipy', 'torch']);
  assert.deepEqual(names(['c', 'a', 'd', 'b']), ['a', 'b', 'c', 'd']);
});

test('environment identity: content only — not user or host, not the order packages were listed in', () => {
  const base = { os: 'linux', packages: [{ name: 'a', version: '1' }, { name: 'b', version: '2' }] };
  const h = (r: Record<string, unknown>) => environmentInfo({ retrace_environment: r })!.hash;
  const same = h(base);
  assert.equal(h({ ...base, user: 'someone', host: 'elsewhere' }), same);
  assert.equal(h({ ...base, packages: [...base.packages].reverse() }), same);
  assert.notEqual(h({ ...base, packages: [{ name: 'a', version: '1' }, { name: 'b', version: '3' }] }), same);
  assert.notEqual(h({ ...base, os: 'darwin' }), same);
  assert.notEqual(h({ ...base, env: { X: '1' } }), same);
  assert.notEqual(environmentInfo({ retrace_environment: base, processing_engine: { name: 'spark' } })!.hash, same);
});

test('environment: none of the three facets (or only malformed ones) is no environment', () => {
  assert.equal(environmentInfo({}), null);
  assert.equal(environmentInfo({ retrace_environment: 'linux', processing_engine: 3, 'environment-properties': [] }), null);
  assert.notEqual(environmentInfo({ processing_engine: { name: 'spark' } }), null);
  assert.notEqual(environmentInfo({ 'environment-properties': {} }), null);
});

test('code: git location from sourceCodeLocation, files and dirty diff from retrace_code', () => {
  const c = codeInfo({
    sourceCodeLocation: { type: 'git', url: 'https://example.com/r.git', repoUrl: 'git@example.com:r.git', path: 'src', version: 'abc123', branch: 'main' },
    retrace_code: { dirtyDiffHash: 'sha256:dd', files: [{ path: 'train.py', hash: 'sha256:1' }, { path: 'x.py' }, { hash: 'h' }] },
  })!;
  assert.deepEqual({ ...c, hash: undefined }, {
    gitSha: 'abc123', repoUrl: 'git@example.com:r.git', url: 'https://example.com/r.git', path: 'src', branch: 'main',
    dirtyDiffHash: 'sha256:dd', files: [{ path: 'train.py', hash: 'sha256:1' }, { path: 'x.py', hash: '' }], hash: undefined,
  });
  const only = (f: Record<string, unknown>) => codeInfo(f)!.hash;
  assert.notEqual(only({ sourceCodeLocation: { version: 'a' } }), only({ sourceCodeLocation: { version: 'b' } }));
  assert.equal(only({ sourceCodeLocation: { version: 'a' } }), only({ sourceCodeLocation: { version: 'a', type: 'git' } }));
  assert.notEqual(only({ retrace_code: { files: [{ path: 'a', hash: '1' }] } }), only({ retrace_code: { files: [{ path: 'a', hash: '2' }] } }));
  assert.equal(codeInfo({}), null);
  assert.equal(codeInfo({ sourceCodeLocation: 'git', retrace_code: null }), null);
  assert.deepEqual(codeInfo({ retrace_code: { files: 'train.py' } })!.files, []);
});

test('owner: the first owner with a name, from the ownership job facet', () => {
  assert.equal(ownerFromJob({ ownership: { owners: [{ type: 'team' }, { name: '' }, { name: 'ada', type: 'person' }, { name: 'bob' }] } }), 'ada');
  assert.equal(ownerFromJob({ ownership: { owners: 'ada' } }), null);
  assert.equal(ownerFromJob({}), null);
});

test('footprint ops: valid ones kept with times, hashes and sizes; the others counted', () => {
  const fp = footprintOps({ retrace_footprint: { ops: [
    { path: 'data/a.csv', op: 'READ', at: '2026-01-01T00:00:01.500Z' },
    { path: 'data/b.csv', op: 'CREATE', at: 1767225600, hashAfter: 'sha256:bb', size: 10 },
    { path: 'data/c.csv', op: 'RENAME', renamedFrom: 'data/old.csv', size: 2.5, hashAfter: '' },
    { path: 'data/d.csv', op: 'MODIFY', at: 'yesterday' },
    { path: 'data/e.csv', op: 'DELETE', at: '1767225600000' }, // a time as text must be ISO-8601
    { path: '', op: 'READ' },
    { path: 'data/f.csv', op: 'OTHER' },
    { op: 'READ' },
    'data/g.csv',
  ] } })!;
  assert.equal(fp.invalid, 4);
  assert.deepEqual(fp.ops, [
    { path: 'data/a.csv', op: 'READ', at: Date.UTC(2026, 0, 1, 0, 0, 1, 500), hashAfter: null, size: null, renamedFrom: null },
    // 1767225600 s is 2026-01-01T00:00:00Z.
    { path: 'data/b.csv', op: 'CREATE', at: Date.UTC(2026, 0, 1), hashAfter: 'sha256:bb', size: 10, renamedFrom: null },
    { path: 'data/c.csv', op: 'RENAME', at: null, hashAfter: null, size: null, renamedFrom: 'data/old.csv' },
    { path: 'data/d.csv', op: 'MODIFY', at: null, hashAfter: null, size: null, renamedFrom: null },
    { path: 'data/e.csv', op: 'DELETE', at: null, hashAfter: null, size: null, renamedFrom: null },
  ]);
  assert.deepEqual(footprintOps({ retrace_footprint: { ops: 'none' } }), { ops: [], invalid: 0 });
  assert.equal(footprintOps({ retrace_footprint: [] }), null);
  assert.equal(footprintOps({}), null);
});

test('lifecycle state change → op, and the previous identifier of a rename', () => {
  const op = (s: unknown) => lifecycleOp({ lifecycleStateChange: { lifecycleStateChange: s } });
  assert.deepEqual(['CREATE', 'OVERWRITE', 'TRUNCATE', 'ALTER', 'DROP', 'RENAME', 'create', 'UNKNOWN', 3].map(op),
    ['CREATE', 'MODIFY', 'MODIFY', 'MODIFY', 'DELETE', 'RENAME', null, null, null]);
  assert.equal(lifecycleOp({}), null);
  const prev = (p: unknown) => previousIdentifier({ lifecycleStateChange: { lifecycleStateChange: 'RENAME', previousIdentifier: p } });
  assert.deepEqual(prev({ namespace: 'db', name: 'old' }), { namespace: 'db', name: 'old' });
  assert.equal(prev({ namespace: 'db' }), null);
  assert.equal(prev({ name: 'old' }), null);
  assert.equal(prev({ namespace: '', name: 'old' }), null);
  assert.equal(previousIdentifier({}), null);
});

test('dataset version (a number becomes its text) and output statistics (integers only)', () => {
  assert.equal(datasetVersion({ version: { datasetVersion: '7' } }), '7');
  assert.equal(datasetVersion({ version: { datasetVersion: 12 } }), '12');
  assert.equal(datasetVersion({ version: { datasetVersion: '' } }), null);
  assert.equal(datasetVersion({ version: '7' }), null);
  assert.deepEqual(outputStats({ outputStatistics: { rowCount: 120, size: 4096 } }), { size: 4096, rowCount: 120 });
  assert.deepEqual(outputStats({ outputStatistics: { rowCount: 1.5, size: '4096' } }), { size: null, rowCount: null });
  assert.deepEqual(outputStats({}), { size: null, rowCount: null });
});

test('tags: "key:value", or the key alone when there is no value; keyless tags dropped', () => {
  assert.deepEqual(tagsOf({ tags: { tags: [{ key: 'team', value: 'risk' }, { key: 'pii' }, { key: 'tier', value: 2 }, { value: 'x' }, { key: '' }, 'loose'] } }),
    ['team:risk', 'pii', 'tier:2']);
  assert.deepEqual(tagsOf({ tags: { tags: 'team:risk' } }), []);
  assert.deepEqual(tagsOf({}), []);
});

test('facet text: string leaves in order, without producer, schema URL or footprint paths', () => {
  const text = facetText({
    documentation: { _producer: 'https://p', _schemaURL: 'https://s', description: 'churn features' },
    retrace_footprint: { ops: [{ path: 'data/secret.csv' }] },
    owners: [{ name: 'ada' }, { name: 'bob' }],
    n: 3,
  });
  assert.equal(text, 'churn features ada bob');
});

test('facet text: strings over 200 characters and leaves deeper than 6 levels are left out; the whole is cut at the limit', () => {
  assert.equal(facetText({ a: 'x'.repeat(201), b: 'y'.repeat(200) }), 'y'.repeat(200));
  // depth: facets 0 → a 1 → b 2 → c 3 → d 4 → e 5 → f 6 (kept) → g 7 (dropped)
  assert.equal(facetText({ a: { b: { c: { d: { e: { f: 'six' } } } } } }), 'six');
  assert.equal(facetText({ a: { b: { c: { d: { e: { f: { g: 'seven' } } } } } } }), '');
  assert.equal(facetText({ a: [['deep']] }), 'deep');
  // An array is a level too: facets 0 → a's list 1 → … → the fifth list 5 → its string 6.
  assert.equal(facetText({ a: [[[[['six']]]]] }), 'six');
  assert.equal(facetText({ a: [[[[[['seven']]]]]] }), '');
  assert.equal(facetText({ a: 'abcdef', b: 'ghi' }, 4), 'abcd');
  // Each leaf counts its length and a space; the walk stops once that reaches the limit.
  assert.equal(facetText({ a: 'abcd', b: 'efgh' }, 5), 'abcd');
  assert.equal(facetText({ a: 'abcd', b: 'efgh' }, 6), 'abcd e');
  assert.equal(facetText({ a: 'ab', b: 'cd' }, 10), 'ab cd');
});
