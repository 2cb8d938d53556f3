import assert from 'node:assert/strict';
import { test } from 'node:test';
import { globToRegExp } from '../../shared/glob';
import { ArtifactClassifier, DEFAULT_ARTIFACT_RULES, normalisePath } from './naming';
import { parseIsoTime } from './time';

test('Hopsworks naming conventions and ML defaults give artifact kinds and roll-ups', () => {
  const c = new ArtifactClassifier(DEFAULT_ARTIFACT_RULES);
  const k = (p: string) => {
    const r = c.classify(p);
    return r.rollup ? `${r.rollup.kind}@${r.rollup.path}` : r.kind;
  };
  assert.equal(k('/Projects/p/Models/mnist/3/saved_model.pb'), 'model@/Projects/p/Models/mnist/3');
  assert.equal(k('/Projects/p/Models/mnist'), 'file'); // one level only: not a model version yet
  assert.equal(k('/Projects/p/p_Training_Datasets/td_1/part-0'), 'training_dataset@/Projects/p/p_Training_Datasets/td_1');
  assert.equal(k('/Projects/p/p_Training_Datasets/code/x.py'), 'code'); // resource folder excluded
  assert.equal(k('/apps/hive/warehouse/p_featurestore.db/sales_1/part-0.parquet'), 'feature_group@/apps/hive/warehouse/p_featurestore.db/sales_1');
  assert.equal(k('/Projects/p/Experiments/application_1_0001_1/model.h5'), 'experiment@/Projects/p/Experiments/application_1_0001_1');
  assert.equal(k('tables/orders/_delta_log/00000000000000000000.json'), 'dataset@tables/orders');
  assert.equal(k('tables/trips/.hoodie/20240101000000000.commit'), 'dataset@tables/trips');
  assert.equal(k('tables/.hoodie_like/x.csv'), 'dataset'); // only the exact `.hoodie` marks a Hudi table
  assert.equal(k('out/model.safetensors'), 'model');
  assert.equal(k('data/train.parquet'), 'dataset');
  assert.equal(k('requirements.txt'), 'environment');
  assert.equal(k('src/train.py'), 'code');
  assert.equal(k('notes.txt'), 'file');
  // The artifact folder named by itself (a captured table op names the table folder).
  assert.equal(k('Churn_featurestore.db/customer_features_1'), 'feature_group');
  assert.equal(k('/Projects/p/Models/mnist/3'), 'model');
  assert.equal(k('/Projects/p/p_Training_Datasets/code'), 'file');
});

test('globs and paths', () => {
  assert.ok(globToRegExp('**/*.{csv,parquet}').test('a/b/c.parquet'));
  assert.ok(globToRegExp('**/*.{csv,parquet}').test('c.csv'));
  assert.ok(!globToRegExp('data/*.csv').test('data/x/y.csv'));
  assert.equal(normalisePath('/a/./b//c/../d/'), '/a/b/d');
  assert.equal(normalisePath('a\\b\\..\\c'), 'a/c');
});

test('event times: zones, fractions, zone-less assumed UTC, garbage refused', () => {
  assert.deepEqual(parseIsoTime('2020-12-28T19:51:01.641499Z'), { ms: Date.UTC(2020, 11, 28, 19, 51, 1, 641), assumedUtc: false });
  assert.deepEqual(parseIsoTime('2020-12-28T19:51:01.641499'), { ms: Date.UTC(2020, 11, 28, 19, 51, 1, 641), assumedUtc: true });
  assert.equal(parseIsoTime('2020-12-28T19:52:00.001+10:00')!.ms, Date.UTC(2020, 11, 28, 9, 52, 0, 1));
  assert.equal(parseIsoTime('2024-10-16T16:53:08.979438987Z')!.ms, Date.UTC(2024, 9, 16, 16, 53, 8, 979));
  assert.equal(parseIsoTime('{{RUN_START_TIME}}'), null);
  assert.equal(parseIsoTime('2020-13-45T99:99:99Z'), null);
});
