import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { StageDiffDto, VersionDiffDto } from '../../shared/version-diff-dto';
import { createCore, type Core } from '../api/create-core';
import { captureRun } from '../capture/capture-run';
import { buildDemoWorkspace } from '../demo/build-demo';
import { ingestOnce } from '../provenance/ingest';

/**
 * `retrace diff Models/churn/3 Models/churn/5` on the demo names exactly the differences the
 * demo's script (src-main/demo/build-demo.ts) puts between day 3 and day 6, and nothing else:
 *   - code: evaluate.py edited on day 6 (one line: `'positives': len(pos)` added to the metrics
 *     dict); train.py was changed *before* day 3, so both models ran the same train.py;
 *   - environment: fastmath 1.4.0 appears on PYTHONPATH from day 4, so every day-6 stage has it
 *     and no day-3 stage does; interpreter and OS are the machine's both times;
 *   - data: day 3's features read the staged days 1–3; day 6's read days 2–6 (day 1 was cleaned
 *     up, day 4 ingested on day 4, days 5 and 6 on day 6); days 2 and 3 are the same files;
 *     the feature table has one commit per features run (days 1, 2, 3, 4, 6 → v0…v4), so the
 *     training sets read v2 and v4, two commits apart;
 *   - stages: day 6's ingest read day 5's raw file as re-delivered by `redeliver`, a stage model 3's
 *     chain does not have; parameters differ only in the data they name (days, versions, paths).
 * The recorded demo (with its content store) is used, as the browser specs do.
 */
let ws: string;
let core: Core;
let d: VersionDiffDto;
const stage = (name: string): StageDiffDto => d.stages.find((s) => s.stage === name)!;

describe('version diff of the demo models 3 and 5', () => {
  before(async () => {
    ws = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-diff-')), 'demo');
    await buildDemoWorkspace(ws, { forceRecorded: true });
    core = createCore({ workspaceRoot: ws });
    ingestOnce({ paths: core.paths, db: core.db });
    d = await core.api.diffVersions({ a: { artifact: 'Models/churn/3' }, b: { artifact: 'Models/churn/5' } });
  });
  after(() => {
    core?.dispose();
    fs.rmSync(path.dirname(ws), { recursive: true, force: true });
  });

  test('the summary names the code edit, the package added and the changed input, upstream first', () => {
    assert.equal(
      d.summary,
      '4 stages differ: features (code: pipeline/features.py +0 −1; inputs data/staged/day-04.jsonl and 2 more added, data/staged/day-01.jsonl removed), training_set, train, evaluate (code: pipeline/evaluate.py +1 −1); every stage: fastmath added (1.4.0); only in Models/churn/5: redeliver',
    );
    assert.deepEqual(d.stages.map((s) => [s.stage, s.same]), [['features', false], ['training_set', false], ['train', false], ['evaluate', false]]);
  });

  test('code: evaluate.py differs by the one edited line, features.py by the dropped feature, with unified diffs', () => {
    const changed: Record<string, string[]> = { evaluate: ['pipeline/evaluate.py'], features: ['pipeline/features.py'] };
    for (const s of d.stages) assert.deepEqual(s.code.files.map((f) => f.path), changed[s.stage] ?? [], s.stage);
    const dropped = stage('features').code.files[0]!;
    assert.deepEqual([dropped.change, dropped.added, dropped.removed], ['changed', 0, 1]);
    assert.match(dropped.diff!, /^-.*days_active/m, 'the line that computed days_active is gone');
    const f = stage('evaluate').code.files[0]!;
    assert.deepEqual([f.change, f.added, f.removed], ['changed', 1, 1]);
    assert.match(f.diff!, /^-metrics = \{.*'test_rows': len\(rows\)\}$/m);
    assert.match(f.diff!, /^\+metrics = \{.*'test_rows': len\(rows\), 'positives': len\(pos\)\}$/m);
    assert.notEqual(stage('train').code.gitA, stage('train').code.gitB, 'the drop of days_active was committed between day 3 and day 6');
  });

  test('environment: fastmath 1.4.0 added on every stage, nothing else', () => {
    for (const s of d.stages) {
      assert.deepEqual(s.environment.packages, [{ kind: 'added', name: 'fastmath', to: '1.4.0' }], s.stage);
      assert.equal(s.environment.a.interpreter, s.environment.b.interpreter);
      assert.deepEqual([s.environment.a.os, s.environment.a.arch], [s.environment.b.os, s.environment.b.arch]);
    }
  });

  test('parameters: none differ beyond the data they name', () => {
    for (const s of d.stages) assert.deepEqual([s.parameters.args, s.parameters.configs], [[], []], s.stage);
    assert.deepEqual(stage('training_set').parameters.argvA?.slice(2), ['2', 'Churn_Training_Datasets/churn_td_2']);
    assert.deepEqual(stage('training_set').parameters.argvB?.slice(2), ['4', 'Churn_Training_Datasets/churn_td_4']);
  });

  test('data: the staged days features read differ; the training sets read the feature table two commits apart', () => {
    const roots = d.stages.flatMap((s) => s.inputs.filter((i) => i.cause === 'source').map((i) => [s.stage, i.change, i.artifact]));
    assert.deepEqual(roots, [
      ['features', 'only-a', 'data/staged/day-01.jsonl'],
      ['features', 'only-b', 'data/staged/day-04.jsonl'],
      ['features', 'only-b', 'data/staged/day-05.jsonl'],
      ['features', 'only-b', 'data/staged/day-06.jsonl'],
    ]);
    assert.equal(stage('features').sameInputs, 2, 'staged days 2 and 3');
    const table = stage('training_set').inputs.find((i) => i.artifact === 'Churn_featurestore.db/customer_features_1')!;
    assert.deepEqual([table.versionA, table.versionB, table.cause], ['v2', 'v4', 'upstream']);
    assert.deepEqual(table.table?.commits.map((c) => c.version), [3, 4]);
    // Derived data follows from the stages above and is shown as such.
    const train = stage('train').inputs;
    assert.deepEqual(train.map((i) => [i.artifactA, i.artifact, i.cause]), [['Churn_Training_Datasets/churn_td_2/train.csv', 'Churn_Training_Datasets/churn_td_4/train.csv', 'upstream']]);
  });

  test('stages on one side only, the metric files key by key, and both chains for the graph', () => {
    assert.deepEqual([d.onlyA, d.onlyB.map((o) => o.stage)], [[], ['redeliver']]);
    const m = d.outputs.find((o) => o.a === 'Models/churn/3/metrics.json')!;
    assert.equal(m.b, 'Models/churn/5/metrics.json');
    assert.ok(m.changes.some((c) => c.key === 'positives' && c.change === 'added'), 'the key evaluate.py added');
    assert.ok(d.chains.a.includes('artifact:file/Models/churn/3') && d.chains.b.includes('artifact:file/Models/churn/5'));
    assert.ok(d.chains.b.some((id) => id.startsWith('run:')) && d.chains.b.includes('job:churn-daily/redeliver'));
    assert.ok(!d.chains.a.includes('job:churn-daily/redeliver'));
  });

  test('versions to compare with: the sibling model folders', async () => {
    const choices = await core.api.listVersions({ artifact: 'Models/churn/3' });
    assert.deepEqual(choices.map((c) => c.artifact), ['Models/churn/1', 'Models/churn/2', 'Models/churn/3', 'Models/churn/4', 'Models/churn/5']);
  });
});

describe('version diff: parameters and config files', () => {
  let dir: string;
  let c: Core;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-diff-params-'));
    fs.writeFileSync(path.join(dir, 'data.csv'), 'x,y\n1,2\n');
    const train = async (epochs: string, lr: string) => {
      fs.writeFileSync(path.join(dir, 'params.yaml'), `model:\n  lr: ${lr}\n  layers: 2\n`);
      const r = await captureRun({ argv: ['sh', '-c', 'cat params.yaml data.csv > model.txt; echo "$1" >> model.txt', 'train', epochs], workspaceRoot: dir, cwd: dir, stage: 'train', stdio: 'quiet', warn: () => undefined });
      assert.equal(r.exitCode, 0);
    };
    await train('3', '0.01');
    await train('5', '0.02');
    c = createCore({ workspaceRoot: dir });
    ingestOnce({ paths: c.paths, db: c.db });
  });
  after(() => {
    c?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('an argument and a YAML key that changed are parameters; the unchanged input is not a difference', async () => {
    const versions = (await c.api.listVersions({ artifact: 'model.txt' })).map((v) => v.version!);
    assert.equal(versions.length, 2);
    const diff = await c.api.diffVersions({ a: { artifact: 'model.txt', version: versions[0]! }, b: { artifact: 'model.txt', version: versions[1]! } });
    const s = diff.stages[0]!;
    assert.deepEqual(s.parameters.args, [{ position: 4, a: '3', b: '5' }]);
    assert.deepEqual(s.parameters.configs.map((x) => [x.file, x.changes]), [['params.yaml', [{ key: 'model.lr', change: 'changed', before: '0.01', after: '0.02' }]]]);
    assert.deepEqual([s.inputs, s.sameInputs], [[], 1]);
    assert.equal(diff.summary, '1 stage differs: train (param argv[4] 3 → 5; params.yaml model.lr 0.01 → 0.02)');
  });
});
