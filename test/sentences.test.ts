/**
 * Every reproducibility and staleness sentence template, rendered with sample values — among
 * them the hard cases: two hashes that agree on their first 19 characters, git shas that agree
 * on seven — must read as English: brackets matched, no word twice in a row, no "undefined",
 * a full stop at the end, and on a "changed" line (`A → B`) the two sides differ.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REPRO_REASONS, REPRO_SENTENCES } from '../src-main/repro/sentences';
import { STALE_PARTS, STALE_SENTENCES } from '../src-main/lineage/read-models/stale-reasons';

const SHA_A = `sha256:${'ab'.repeat(6)}${'0'.repeat(52)}`;
const SHA_B = `sha256:${'ab'.repeat(6)}${'f'.repeat(52)}`;
const GIT_A = `f7abae1${'0'.repeat(33)}`;
const GIT_B = `f7abae1${'9'.repeat(33)}`;
const RUN = '3f2a9c1e-0000-4000-8000-000000000007';

/** One sample call per template; the test fails when a template has none. */
const REPRO_SAMPLES: { [K in keyof typeof REPRO_SENTENCES]: Parameters<(typeof REPRO_SENTENCES)[K]>[0][] } = {
  codeChanged: [{ reasons: [REPRO_REASONS.git({ recorded: GIT_A, now: GIT_B })] }],
  environmentChanged: [{ reasons: [REPRO_REASONS.python({ recorded: '3.11.7', now: '3.12.1' })] }],
  tableCommitsAfterPinned: [{ artifact: 'features_1', pinned: 3, now: 4 }, { artifact: 'features_1', pinned: 0, now: 7 }],
  inputChanged: [{ artifact: 'data/raw.csv', recorded: SHA_A, now: SHA_B }],
  inputMissingRead: [{ artifact: 'data/raw.csv', recorded: SHA_A }],
  inputMissing: [{ artifact: 'warehouse/orders' }],
  inputNewer: [{ artifact: 'data/raw.csv', recorded: SHA_A, now: SHA_B }, { artifact: 'data/raw.csv', recorded: `run:${RUN}`, now: 'run:3f2a9c1e-0000-4000-8000-000000000009' }],
  tableCommitsAfterRead: [{ artifact: 'features_1', read: '4', commits: 1 }, { artifact: 'features_1', read: '0', commits: 3 }],
  editedSinceRead: [{ artifact: 'train.py', code: true, recorded: SHA_A, now: SHA_B }, { artifact: 'data/raw.csv', code: false, recorded: SHA_A, now: SHA_B }],
  goneSinceRead: [{ artifact: 'data/raw.csv', recorded: SHA_A }, { artifact: 'big.bin', recorded: `sampled-sha256:${'c'.repeat(64)}` }],
  newerSinceRead: [{ artifact: 'data/raw.csv', recorded: SHA_A, now: SHA_B }],
};

const REPRO_REASON_SAMPLES: { [K in keyof typeof REPRO_REASONS]: Parameters<(typeof REPRO_REASONS)[K]>[0][] } = {
  git: [{ recorded: GIT_A, now: GIT_B }],
  uncommittedAppeared: [undefined as never],
  uncommittedChanged: [undefined as never],
  uncommittedGone: [undefined as never],
  codeFiles: [{ files: [{ path: 'train.py', change: 'modified' }] }, { files: ['a.py', 'b.py', 'c.py', 'd.py', 'e.py'].map((path) => ({ path, change: 'missing' as const })) }],
  os: [{ recorded: 'linux', now: 'darwin' }],
  arch: [{ recorded: 'x64', now: 'arm64' }],
  interpreterGone: [{ executable: '/usr/bin/python3.11' }],
  python: [{ recorded: '3.11.7', now: '3.12.1' }],
  packages: [{ changes: [{ kind: 'upgraded', name: 'numpy', from: '1.26.4', to: '2.1.0' }, { kind: 'added', name: 'churnlib', to: '0.2.0' }, { kind: 'removed', name: 'pandas', from: '2.2.1' }] }],
};

const STALE_SAMPLES: { [K in keyof typeof STALE_SENTENCES]: Parameters<(typeof STALE_SENTENCES)[K]>[0][] } = {
  inputNewer: [{ artifact: 'data/feat.parquet', read: SHA_A, current: SHA_B }, { artifact: 'Churn_featurestore.db/customer_features_1', read: '3', current: '4' }],
  inputDeleted: [{ artifact: 'data/raw.csv', read: SHA_A }],
  codeChanged: [{ stage: 'churn/train', run: RUN, parts: [STALE_PARTS.git({ from: GIT_A, to: GIT_B })] }, { stage: 'the stage', run: 'application_1767_0042', parts: [STALE_PARTS.uncommitted()] }],
  environmentChanged: [{ stage: 'churn/train', run: RUN, parts: [STALE_PARTS.packages({ packages: [{ name: 'numpy', from: null, to: '2.1.0' }] })] }],
};

const STALE_PART_SAMPLES: { [K in keyof typeof STALE_PARTS]: Parameters<(typeof STALE_PARTS)[K]>[0][] } = {
  git: [{ from: GIT_A, to: GIT_B }],
  codeFiles: [{ files: [{ path: 'train.py', change: 'modified', from: SHA_A, to: SHA_B }, { path: 'util.py', change: 'added', from: null, to: SHA_B }, { path: 'old.py', change: 'removed', from: SHA_A, to: null }, { path: 'x.py', change: 'modified', from: SHA_A, to: SHA_B }] }],
  uncommitted: [undefined as never],
  codeVersion: [{ from: SHA_A, to: SHA_B }],
  interpreter: [{ from: 'python 3.11.7', to: 'python 3.12.1' }],
  os: [{ from: 'linux', to: 'darwin' }],
  arch: [{ from: 'x64', to: 'arm64' }],
  packages: [{ packages: [{ name: 'numpy', from: '1.26.4', to: '2.1.0' }, { name: 'scipy', from: '1.11.0', to: null }, { name: 'a', from: null, to: '1' }, { name: 'b', from: null, to: '1' }, { name: 'c', from: null, to: '1' }] }],
  environmentVersion: [{ from: SHA_A, to: SHA_B }],
};

/** What a reader would stumble over in a sentence, or null. */
function flaw(sentence: string): string | null {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  for (const ch of sentence) {
    if ('([{'.includes(ch)) stack.push(ch);
    else if (ch in pairs && stack.pop() !== pairs[ch]) return `unmatched ${ch}`;
  }
  if (stack.length) return `unclosed ${stack.join('')}`;
  const doubled = /\b(\w+)\s+\1\b/i.exec(sentence);
  if (doubled) return `doubled word "${doubled[1]}"`;
  if (/undefined|null|NaN|\[object/.test(sentence)) return 'a missing value';
  if (!/[^\s.,;:(]\.$/.test(sentence)) return 'does not end with one full stop after a word';
  if (/\s[.,;:)]|\(\s|\s{2}|\(\)/.test(sentence)) return 'stray space or empty brackets';
  // `→` ends a "changed" line's two sides: the short forms must differ.
  for (const m of sentence.matchAll(/([^\s(]+) → ([^\s,;)]+)/g)) {
    const before = m[1]!.replace(/[.,;:]$/, ''), after = m[2]!.replace(/[.,;:]$/, '');
    if (before === after) return `both sides of "${m[0]}" read the same`;
  }
  return null;
}

function renderAll<T extends Record<string, (p: never) => string>>(templates: T, samples: Record<keyof T, unknown[]>, wrap: (s: string) => string = (s) => s): string[] {
  assert.deepEqual(Object.keys(samples).sort(), Object.keys(templates).sort(), 'every template has samples');
  const out: string[] = [];
  for (const [name, fn] of Object.entries(templates)) {
    assert.ok(samples[name as keyof T]!.length > 0, `${name} has a sample`);
    for (const sample of samples[name as keyof T]!) out.push(`${name}: ${wrap((fn as (p: unknown) => string)(sample))}`);
  }
  return out;
}

test('every reproducibility sentence and reason reads as English, and changed lines differ on both sides', () => {
  const rendered = [
    ...renderAll(REPRO_SENTENCES, REPRO_SAMPLES),
    // Reasons appear inside "Code changed since the run: …" and "Environment changed since the run: …".
    ...renderAll(REPRO_REASONS, REPRO_REASON_SAMPLES, (r) => REPRO_SENTENCES.codeChanged({ reasons: [r] })),
  ];
  const bad = rendered.map((s) => [s, flaw(s.slice(s.indexOf(': ') + 2))]).filter(([, f]) => f !== null);
  assert.deepEqual(bad, []);
  assert.ok(rendered.some((s) => s.includes('git f7abae10 → f7abae19')), 'git shas that agree on seven characters get an eighth');
  assert.ok(rendered.some((s) => s.includes(`(${SHA_A.slice(0, 20)}… → ${SHA_B.slice(0, 20)}…)`)), 'hashes that agree on 12 digits are lengthened to 13');
});

test('every staleness sentence and part reads as English, and changed lines differ on both sides', () => {
  const rendered = [
    ...renderAll(STALE_SENTENCES, STALE_SAMPLES),
    ...renderAll(STALE_PARTS, STALE_PART_SAMPLES, (p) => STALE_SENTENCES.codeChanged({ stage: 'churn/train', run: RUN, parts: [p] })),
  ];
  const bad = rendered.map((s) => [s, flaw(s.slice(s.indexOf(': ') + 2))]).filter(([, f]) => f !== null);
  assert.deepEqual(bad, []);
  assert.ok(!rendered.some((s) => /changed since \(run/.test(s)), 'the old broken sentence is gone');
});

test('the checker itself catches the mistakes it is there for', () => {
  assert.equal(flaw('The environment of train changed since (run 3f2a9c1e.'), 'unclosed (');
  assert.equal(flaw('CODE CHANGED f7abae14… → f7abae14….'), 'both sides of "f7abae14… → f7abae14…." read the same');
  assert.equal(flaw('data.csv has has a newer version.'), 'doubled word "has"');
  assert.equal(flaw('data.csv changed'), 'does not end with one full stop after a word');
  assert.equal(flaw('data.csv changed: undefined.'), 'a missing value');
  assert.equal(flaw('Code changed since the run: train.py modified.'), null);
});
