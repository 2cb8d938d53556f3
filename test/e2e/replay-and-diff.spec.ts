import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { retrace } from '../cli.test-support';
import { openApp, selectBySearch, SHOTS, useDemoApp } from './demo-app.test-support';

/**
 * Issue 15's acceptance in the browser. A replay of the train stage's last run, from its
 * inspector: the plan names what comes back from where, it runs only when confirmed, and one
 * panel gives the verdict — the one `retrace replay` gives for the same run. And on the demo,
 * "what changed between model 3 and model 5"
 * — picked as two versions of the model — shows the same answer as `retrace diff`: the
 * evaluate.py edit with its diff, fastmath added on every stage, the staged days features read,
 * the feature table two commits apart, and the re-delivery stage only model 5's chain has.
 * Expected values come from the demo's script (see version-diff.test.ts), not from the view.
 */
const app = useDemoApp('diff');
const shots = SHOTS;


test('pick model 3 and model 5 and see code, environment and data differences along the whole chain', async () => {
  const page = await app.browser.newPage({ viewport: { width: 1500, height: 1000 }, colorScheme: 'dark' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.srv.url);
  await page.waitForFunction(() => /39\s*runs/.test(document.querySelector('[data-testid=counts]')?.textContent ?? ''), null, { timeout: 20_000 });

  await page.getByTestId('compare-versions').click();
  const view = page.getByTestId('version-diff');
  await view.getByTestId('diff-artifact').fill('Models/churn/3');
  await view.getByTestId('diff-artifact').press('Enter');
  await page.waitForFunction(() => (document.querySelector('[data-testid=diff-pick-b]') as HTMLSelectElement | null)?.options.length === 5, null, { timeout: 20_000 });
  assert.deepEqual(await view.getByTestId('diff-pick-a').locator('option').allInnerTexts(), ['Models/churn/1', 'Models/churn/2', 'Models/churn/3', 'Models/churn/4', 'Models/churn/5']);
  await view.getByTestId('diff-pick-a').selectOption({ label: 'Models/churn/3' });
  await view.getByTestId('diff-pick-b').selectOption({ label: 'Models/churn/5' });
  await view.getByTestId('diff-compare').click();
  await view.getByTestId('diff-summary').waitFor({ timeout: 30_000 });

  assert.equal(
    await view.getByTestId('diff-summary').innerText(),
    '4 stages differ: features (code: pipeline/features.py +0 −1; inputs data/staged/day-04.jsonl and 2 more added, data/staged/day-01.jsonl removed), training_set, train, evaluate (code: pipeline/evaluate.py +1 −1); every stage: fastmath added (1.4.0); only in Models/churn/5: redeliver',
  );
  const stages = view.getByTestId('diff-stage');
  assert.deepEqual(await stages.evaluateAll((els) => els.map((e) => e.getAttribute('data-stage'))), ['features', 'training_set', 'train', 'evaluate']);
  // Code: features (the dropped feature) and evaluate (the edited line), each with its unified diff.
  assert.equal(await view.getByTestId('diff-code').count(), 2);
  assert.match(await stages.nth(0).getByTestId('unified-diff').innerText(), /^-.*days_active/m);
  const evaluate = stages.nth(3);
  assert.match(await evaluate.getByTestId('unified-diff').innerText(), /^\+metrics = .*'positives': len\(pos\)\}$/m);
  // Environment: fastmath on every stage.
  for (let i = 0; i < 4; i++) assert.equal(await stages.nth(i).getByTestId('diff-environment').locator('.warn').innerText(), 'fastmath added (1.4.0)');
  // Data: the staged days, and the feature table two commits apart.
  const features = await stages.nth(0).getByTestId('diff-inputs').innerText();
  for (const day of ['day-04', 'day-05', 'day-06']) assert.match(features, new RegExp(`\\+ data/staged/${day}\\.jsonl only in B`));
  assert.match(features, /− data\/staged\/day-01\.jsonl only in A/);
  assert.match(await stages.nth(1).getByTestId('diff-inputs').innerText(), /Churn_featurestore\.db\/customer_features_1 v2 → v4 · follows from features\n2 commits between: v3 merge/);
  assert.equal(await view.getByTestId('diff-parameters').count(), 0, 'no parameter differs');
  assert.match(await view.getByTestId('diff-only').innerText(), /Only upstream of B: redeliver/);
  assert.match(await view.getByTestId('diff-outputs').innerText(), /Models\/churn\/5\/metrics\.json: .*positives added \(6\)/);
  await page.screenshot({ path: path.join(shots, 'version-diff.png') });

  // Each difference links to its node: the feature table is selected on the graph.
  await stages.nth(1).getByTestId('diff-inputs').getByRole('button', { name: 'Churn_featurestore.db/customer_features_1' }).click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=version-diff]'), null, { timeout: 5_000 });
  const selected = await page.evaluate(() => (window as unknown as { __retrace: { state(): Record<string, unknown> } }).__retrace.state().selectedId);
  assert.equal(selected, 'artifact:file/Churn_featurestore.db/customer_features_1');

  // Both chains on the graph: what made model 3 only, model 5 only, and both, with a legend.
  await page.getByTestId('compare-versions').click();
  await view.getByTestId('diff-artifact').fill('Models/churn/3');
  await view.getByTestId('diff-artifact').press('Enter');
  await page.waitForFunction(() => (document.querySelector('[data-testid=diff-pick-b]') as HTMLSelectElement | null)?.options.length === 5, null, { timeout: 20_000 });
  await view.getByTestId('diff-pick-a').selectOption({ label: 'Models/churn/3' });
  await view.getByTestId('diff-pick-b').selectOption({ label: 'Models/churn/5' });
  await view.getByTestId('diff-compare').click();
  await view.getByTestId('diff-show-chains').click();
  await page.waitForFunction(() => /made A only/.test(document.querySelector('[data-testid=canvas-legend]')?.textContent ?? ''), null, { timeout: 10_000 });
  const classOf = async () => page.evaluate(() => {
    const g = (window as unknown as { __retrace: { graph(): { elements: { id: string; classes: string[] }[] } | null } }).__retrace.graph();
    return Object.fromEntries((g?.elements ?? []).map((e) => [e.id, e.classes.filter((c) => c.startsWith('ov-chain')).join(' ')]));
  });
  await page.waitForFunction(() => {
    const g = (window as unknown as { __retrace: { graph(): { elements: { classes: string[] }[] } | null } }).__retrace.graph();
    return (g?.elements ?? []).some((e) => e.classes.includes('ov-chain-b'));
  }, null, { timeout: 10_000 });
  const cls = await classOf();
  // The stage drawn as one node ran for both; redeliver only made model 5's inputs.
  assert.equal(cls['job:churn-daily/features'], 'ov-chain-both');
  assert.equal(cls['job:churn-daily/redeliver'], 'ov-chain-b');
  await page.screenshot({ path: path.join(shots, 'version-chains.png') });
  await page.getByTestId('legend-clear').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=canvas-legend]')?.textContent?.includes('made A only'), null, { timeout: 5_000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('replay the last training run from its inspector: the plan, then the verdict in the same panel, as the CLI says', async () => {
  const page = await openApp(app, { width: 1500, height: 1000 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await selectBySearch(page, 'train', 'Stage');
  await page.getByTestId('replay-button').click();
  const panel = page.getByTestId('replay-panel');
  await panel.getByTestId('replay-plan').waitFor({ timeout: 20_000 });
  const argv = await panel.getByTestId('replay-argv').locator('code').allInnerTexts();
  assert.deepEqual(argv.slice(0, 2), ['python3', 'pipeline/train.py']);
  // The same plan from the CLI: the run the panel offers, and its inputs.
  const runs = JSON.parse(retrace(['graph', '--granularity', 'run', '--json', '-w', app.ws]).stdout) as { nodes: { id: string; kind: string; job?: string; startedAt?: string }[] };
  const last = runs.nodes.filter((n) => n.kind === 'run' && n.job === 'churn-daily/train').sort((a, b) => (a.startedAt! < b.startedAt! ? -1 : 1)).at(-1)!;
  const plan = JSON.parse(retrace(['replay', last.id.slice(4), '--dry-run', '--json', '-w', app.ws]).stdout) as { argv: string[]; inputs: { artifact: string }[] };
  assert.deepEqual(argv, plan.argv);
  const inputs = await panel.getByTestId('replay-inputs').locator('li').allInnerTexts();
  assert.equal(inputs.length, plan.inputs.length);
  for (const i of plan.inputs) assert.ok(inputs.some((t) => t.includes(i.artifact)), `${i.artifact} is listed`);
  await page.screenshot({ path: path.join(shots, 'replay-plan.png') });

  await panel.getByTestId('replay-confirm').click();
  await panel.getByTestId('replay-verdict').waitFor({ timeout: 60_000 });
  const verdict = await panel.getByTestId('replay-verdict').getAttribute('data-verdict');
  const cli = JSON.parse(retrace(['replay', last.id.slice(4), '--yes', '--json', '-w', app.ws]).stdout) as { verdict: { verdict: string } };
  assert.equal(verdict, cli.verdict.verdict);
  assert.equal(verdict, 'bit-for-bit', 'the demo trains deterministically');
  assert.match(await panel.getByTestId('replay-verdict').innerText(), /model\.json/);
  await page.screenshot({ path: path.join(shots, 'replay-verdict.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
