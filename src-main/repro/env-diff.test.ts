import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeChange, diffPackages, summarizeChanges } from './env-diff';
import { compareVersions } from './version-compare';

test('versions order numerically, with pre- and post-releases in place', () => {
  const ordered = ['0.9', '1.0.dev1', '1.0a1', '1.0b2', '1.0rc1', '1.0', '1.0.post1', '1.1', '1.9', '1.10', '2.0.0', '10.0'];
  for (let i = 0; i + 1 < ordered.length; i++) {
    assert.equal(compareVersions(ordered[i]!, ordered[i + 1]!), -1, `${ordered[i]} < ${ordered[i + 1]}`);
    assert.equal(compareVersions(ordered[i + 1]!, ordered[i]!), 1);
  }
  assert.equal(compareVersions('1.26.4', '1.26.4'), 0);
  assert.equal(compareVersions('v2.1.0', '2.0.9'), 1);
  assert.equal(compareVersions('1.0.0-beta.2', '1.0.0'), -1, 'SemVer pre-release');
});

test('package diff: added, removed, upgraded, downgraded; pip-style names', () => {
  const before = [
    { name: 'numpy', version: '1.26.4' },
    { name: 'scikit_learn', version: '1.4.0' },
    { name: 'pandas', version: '2.2.1' },
    { name: 'requests', version: '2.31.0' },
  ];
  const after = [
    { name: 'numpy', version: '2.1.0' },
    { name: 'Scikit-Learn', version: '1.3.2' },
    { name: 'requests', version: '2.31.0' },
    { name: 'churnlib', version: '0.2.0' },
  ];
  const d = diffPackages(before, after);
  assert.deepEqual(d, [
    { kind: 'added', name: 'churnlib', to: '0.2.0' },
    { kind: 'upgraded', name: 'numpy', from: '1.26.4', to: '2.1.0' },
    { kind: 'removed', name: 'pandas', from: '2.2.1' },
    { kind: 'downgraded', name: 'scikit_learn', from: '1.4.0', to: '1.3.2' },
  ]);
  assert.equal(describeChange(d[1]!), 'numpy 1.26.4 → 2.1.0');
  assert.equal(summarizeChanges(d, 2), 'churnlib added (0.2.0), numpy 1.26.4 → 2.1.0 and 2 more');
  assert.deepEqual(diffPackages(before, before), []);
});
