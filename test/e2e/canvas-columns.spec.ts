import assert from 'node:assert/strict';
import path from 'node:path';
import { before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { retrace } from '../cli.test-support';
import { openApp, selectBySearch, SHOTS, useDemoApp } from './demo-app.test-support';

/**
 * Columns on the canvas (issue 19) on the demo: a dataset node expands into its columns, a
 * clicked column's path is drawn across the graph and equals `retrace columns … --upstream /
 * --downstream`, nothing else moves, one click collapses, and the time slider shows the columns
 * as they were (before the feature table's rename). Screenshots go to test-results/.
 */
interface Element { id: string; kind: string; mx: number; my: number; classes: string[] }
interface ColumnsReadout {
  expanded: { node: string; dataset: string; state: string; total: number | null; count: number | null; shown: string[] }[];
  path: { dataset: string; column: string; node: string; up: string[]; down: string[]; upColumns: string[]; downColumns: string[] } | null;
}
declare const window: { __retrace: { graph(): { elements: Element[] }; idle(): Promise<void>; state(): Record<string, unknown>; columns(): ColumnsReadout }; location: Location };

const FEATURES = 'Churn_featurestore.db/customer_features_1';
const DATASET_KINDS = new Set(['dataset', 'feature_group', 'training_dataset']);
const app = useDemoApp('canvas-columns');
/** Dataset label → graph node id, from `retrace graph --json` (the CLI names datasets by label). */
let nodeOf: Map<string, string>;
before(() => {
  nodeOf = new Map(cli<{ nodes: { id: string; label: string }[] }>(['graph']).nodes.map((n) => [n.label, n.id]));
});

function cli<T>(args: string[]): T {
  const r = retrace([...args, '-w', app.ws, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

/** The CLI's walk: the graph nodes it reaches and its columns as `<node>#<column>`. */
function cliWalk(dataset: string, column: string, dir: 'upstream' | 'downstream', at: string[] = []) {
  const r = cli<{ columns: { dataset: string; column: string }[] }>(['columns', dataset, column, `--${dir}`, ...at]);
  // Names as the graph at the same snapshot labels its nodes (a dataset deleted since is not in today's).
  const labels = at.length ? new Map(cli<{ nodes: { id: string; label: string }[] }>(['graph', ...at]).nodes.map((n) => [n.label, n.id])) : nodeOf;
  const node = (d: string) => labels.get(d) ?? assert.fail(`${d} is not a node of retrace graph ${at.join(' ')}`);
  return { nodes: new Set(r.columns.map((c) => node(c.dataset))), columns: new Set(r.columns.map((c) => `${node(c.dataset)}#${c.column}`)) };
}
const asNodeColumns = (ids: string[]) => new Set(ids.map((id) => id.replace(/^column:/, 'artifact:')));

const open = () => openApp(app, { width: 1500, height: 950 });
const select = selectBySearch;
const positions = async (page: Page) => new Map((await page.evaluate(() => window.__retrace.graph().elements)).map((e) => [e.id, `${e.mx},${e.my}`]));

test('expand the feature table into its columns, click spend_total: the path drawn is the CLI\'s, nothing moves, one click collapses', async () => {
  const page = await open();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await select(page, 'customer_features_1', 'Feature table');
  const node = nodeOf.get(FEATURES)!;
  const before = await positions(page);

  await page.getByTestId('expand-columns').click();
  await page.waitForFunction(() => window.__retrace.columns().expanded[0]?.state === 'ready');
  let cols = await page.evaluate(() => window.__retrace.columns());
  const schema = cli<{ schema: { name: string }[] }>(['columns', FEATURES]).schema.map((c) => c.name);
  assert.equal(cols.expanded.length, 1);
  assert.equal(cols.expanded[0]!.node, node);
  assert.equal(cols.expanded[0]!.count, schema.length);
  assert.deepEqual(cols.expanded[0]!.shown, schema.slice(0, 12), 'the first page, in the CLI\'s order');
  assert.equal(await page.locator('[data-testid=canvas-columns] .cc-row').count(), Math.min(12, schema.length));
  await page.screenshot({ path: path.join(SHOTS, 'canvas-columns-expanded.png') });

  await page.getByTestId('canvas-column-spend_total').click();
  await page.waitForFunction(() => window.__retrace.columns().path !== null);
  await page.evaluate(() => window.__retrace.idle());
  cols = await page.evaluate(() => window.__retrace.columns());
  const up = cliWalk(FEATURES, 'spend_total', 'upstream');
  const down = cliWalk(FEATURES, 'spend_total', 'downstream');
  assert.ok(up.nodes.size > 0 && down.nodes.size > 0, 'the demo\'s spend_total has both sides');
  assert.deepEqual(new Set(cols.path!.up), up.nodes);
  assert.deepEqual(new Set(cols.path!.down), down.nodes);
  assert.deepEqual(asNodeColumns(cols.path!.upColumns), up.columns);
  assert.deepEqual(asNodeColumns(cols.path!.downColumns), down.columns);

  // What is drawn: the datasets on each side in its lineage colour, the column's own node marked, the rest dimmed.
  const els = await page.evaluate(() => window.__retrace.graph().elements);
  const lit = (cls: string) => new Set(els.filter((e) => DATASET_KINDS.has(e.kind) && e.classes.includes(cls)).map((e) => e.id));
  assert.deepEqual(lit('ov-impact-up'), up.nodes);
  assert.deepEqual(lit('ov-impact-down'), down.nodes);
  assert.ok(els.find((e) => e.id === node)!.classes.includes('ov-on'));
  assert.ok(els.some((e) => e.kind === 'job' && e.classes.includes('ov-impact-up')), 'the stage that carried the column upstream');
  const off = els.filter((e) => DATASET_KINDS.has(e.kind) && e.id !== node && !up.nodes.has(e.id) && !down.nodes.has(e.id));
  assert.ok(off.length > 0 && off.every((e) => e.classes.includes('ov-dim')), 'datasets off the path are dimmed');

  // Column edges between the drawn columns: spend is aggregated (DIRECT, solid), customer_id groups (INDIRECT, dotted).
  const edges = await page.locator('.column-edge').evaluateAll((ps) => ps.map((p) => ({ cls: p.getAttribute('class')!, source: p.getAttribute('data-source')!, target: p.getAttribute('data-target')! })));
  assert.ok(edges.some((e) => /\bup\b/.test(e.cls) && /\bdirect\b/.test(e.cls) && e.source.endsWith('#spend') && e.target === `column:${node.slice('artifact:'.length)}#spend_total`));
  assert.ok(edges.some((e) => /\bup\b/.test(e.cls) && /\bindirect\b/.test(e.cls) && e.source.endsWith('#customer_id')));
  assert.ok(edges.some((e) => /\bdown\b/.test(e.cls) && e.target.endsWith('#spend_total')));
  assert.ok((await page.locator('[data-testid=column-chips]').count()) >= up.nodes.size, 'chips name the path\'s columns under each node it crosses');
  // The inspector shows the column as its Columns section does.
  await page.getByTestId('column-inspector').getByTestId('column-reach').waitFor();
  assert.match(await page.getByTestId('column-reach').innerText(), new RegExp(`Comes from ${up.columns.size} columns`));
  await page.screenshot({ path: path.join(SHOTS, 'canvas-columns-path.png') });

  assert.deepEqual(await positions(page), before, 'expanding and picking a column moved no node');
  await page.getByTestId('collapse-columns').click();
  assert.deepEqual((await page.evaluate(() => window.__retrace.columns())).expanded, []);
  assert.equal(await page.getByTestId('canvas-columns').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the time slider applies: on day 2 the feature table still has tickets_total, and its path is the CLI\'s at that snapshot', async () => {
  const page = await open();
  await select(page, 'customer_features_1', 'Feature table');
  // Double-clicking the node is the other way to expand it.
  const node = nodeOf.get(FEATURES)!;
  const at = (await page.evaluate(() => window.__retrace.graph().elements)).find((e) => e.id === node)!;
  const box = (await page.locator('[data-testid=lineage-graph]').boundingBox())!;
  const drawnAt = await page.evaluate((id) => window.__retrace.graph().elements.find((e) => e.id === id) as unknown as { x: number; y: number }, at.id);
  await page.mouse.dblclick(box.x + drawnAt.x, box.y + drawnAt.y);
  await page.waitForFunction(() => window.__retrace.columns().expanded[0]?.state === 'ready');
  assert.ok((await page.evaluate(() => window.__retrace.columns())).expanded[0]!.shown.includes('support_tickets'));

  const day2 = cli<{ seq: number; label: string }[]>(['snapshots']).find((s) => s.label.startsWith('churn-daily #2'))!.seq;
  await page.evaluate((k) => { window.location.hash = `at=${k}`; }, day2);
  await page.waitForFunction((k) => window.__retrace.state().snapshot === k, day2);
  await page.waitForFunction(() => window.__retrace.columns().expanded[0]?.shown.includes('tickets_total') && window.__retrace.columns().expanded[0]?.state === 'ready');
  const then = cli<{ schema: { name: string }[] }>(['columns', FEATURES, '--snapshot', String(day2)]).schema.map((c) => c.name);
  assert.deepEqual((await page.evaluate(() => window.__retrace.columns())).expanded[0]!.shown, then.slice(0, 12));
  assert.ok(!then.includes('support_tickets'), 'not yet renamed on day 2');

  await page.getByTestId('canvas-column-tickets_total').click();
  await page.waitForFunction(() => window.__retrace.columns().path?.column === 'tickets_total');
  const path0 = (await page.evaluate(() => window.__retrace.columns())).path!;
  const snap = ['--snapshot', String(day2)];
  assert.deepEqual(new Set(path0.up), cliWalk(FEATURES, 'tickets_total', 'upstream', snap).nodes);
  assert.deepEqual(new Set(path0.down), cliWalk(FEATURES, 'tickets_total', 'downstream', snap).nodes);
  await page.evaluate(() => window.__retrace.idle());
  await page.screenshot({ path: path.join(SHOTS, 'canvas-columns-day2.png') });
  await page.close();
});
