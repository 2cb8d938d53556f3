import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openApp, selectBySearch, SHOTS, useDemoApp } from './demo-app.test-support';
import type { Page } from 'playwright-core';
import { REPO_ROOT, retrace } from '../cli.test-support';

/**
 * The explorer's workflows (issue 13) on the demo, each answer checked against the CLI on the
 * same workspace: insights, comparing two snapshots, a run's footprint, the impact CSV, image
 * exports, the catalogue. Screenshots of each view go to test-results/, and to docs/screenshots/
 * with RETRACE_UPDATE_DOC_SHOTS=1 (a test run never rewrites tracked files on its own).
 */
interface Drawn {
  elements: { id: string; kind: string; x: number; y: number; visible: boolean; classes: string[] }[];
}
declare const window: { __retrace: { graph(): Drawn; idle(): Promise<void>; state(): Record<string, unknown> } };

const app = useDemoApp('explore');
const shots = SHOTS;
const docShots = process.env.RETRACE_UPDATE_DOC_SHOTS === '1' ? path.join(REPO_ROOT, 'docs/screenshots') : null;
const VIEWPORT = { width: 1440, height: 900 };


const cli = <T>(args: string[]): T => {
  const r = retrace([...args, '-w', app.ws, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
};
const open = () => openApp(app, VIEWPORT);
const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: path.join(shots, name) });
  if (docShots) fs.copyFileSync(path.join(shots, name), path.join(docShots, name));
};
test('the insights panel gives the same answers as `retrace insights`', async () => {
  const page = await open();
  await page.getByTestId('tab-insights').click();
  const most = cli<{ artifact: string; readers: number }[]>(['insights', 'most-used', '--limit', '12']);
  const rows = page.getByTestId('insight-most-used').locator('.bar-row');
  await rows.first().waitFor();
  const shown = await rows.evaluateAll((els) => els.map((e) => [e.querySelector('.bar-label')!.textContent, Number(e.querySelector('.num')!.textContent)]));
  assert.deepEqual(shown, most.map((m) => [m.artifact, m.readers]));

  const dataset = 'data/staged/day-03.jsonl';
  await page.getByTestId('latest-pipeline-dataset').selectOption(dataset);
  const latest = cli<{ pipeline: string; run: string }>(['insights', 'latest-pipeline-using', dataset]);
  await page.waitForFunction((run) => document.querySelector('[data-testid=latest-pipeline-answer]')?.textContent?.includes(run), latest.run.slice(0, 8));
  assert.match(await page.getByTestId('latest-pipeline-answer').innerText(), new RegExp(`^${latest.pipeline.split('/').pop()} read it last`));

  const pipeline = await page.getByTestId('who-ran-pipeline').inputValue();
  const who = cli<{ user: string; run: string }[]>(['insights', 'who-ran', pipeline]);
  const answer = page.getByTestId('who-ran-answer');
  await answer.waitFor();
  const users = await answer.locator('b').allInnerTexts();
  assert.deepEqual(users, who.map((w) => w.user));
  await shot(page, 'insights.png');
  await page.close();
});

test('comparing two snapshots colours what was added, removed and changed; play reaches B', async () => {
  const snaps = cli<{ seq: number; label: string }[]>(['snapshots']);
  const a = snaps[Math.floor(snaps.length / 2)]!.seq;
  const b = snaps.at(-1)!.seq;
  // Worked out from the two graphs as the CLI prints them.
  type G = { nodes: { id: string; kind: string; version?: string }[] };
  const ga = cli<G>(['graph', '--snapshot', String(a)]);
  const gb = cli<G>(['graph', '--snapshot', String(b)]);
  const inA = new Map(ga.nodes.map((n) => [n.id, n]));
  const inB = new Map(gb.nodes.map((n) => [n.id, n]));
  const visible = (n: { kind: string }) => n.kind !== 'code';
  const added = gb.nodes.filter((n) => visible(n) && !inA.has(n.id)).map((n) => n.id);
  const removed = ga.nodes.filter((n) => visible(n) && !inB.has(n.id)).map((n) => n.id);
  const changed = gb.nodes.filter((n) => visible(n) && inA.has(n.id) && inA.get(n.id)!.version !== undefined && inA.get(n.id)!.version !== n.version).map((n) => n.id);
  assert.ok(added.length > 0 && removed.length > 0 && changed.length > 0, 'the demo changes in every way between A and B');

  const page = await open();
  await page.getByTestId('start-compare').click();
  await page.getByTestId('compare-counts').waitFor();
  // Move A back to the chosen snapshot with the keyboard.
  const from = page.getByTestId('compare-from');
  await from.focus();
  for (let i = 0; i < 200 && Number(await from.inputValue()) > snaps.findIndex((s) => s.seq === a); i++) await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((seq) => document.querySelector('[data-testid=changes]')?.textContent?.includes(`A #${seq}`), a);
  await page.evaluate(() => window.__retrace.idle());
  const drawn = new Map((await page.evaluate(() => window.__retrace.graph())).elements.map((e) => [e.id, e.classes]));
  for (const id of added) assert.ok(drawn.get(id)?.includes('is-added'), `${id} is marked added`);
  for (const id of removed) assert.ok(drawn.get(id)?.includes('is-removed'), `${id} is drawn as a removed ghost`);
  for (const id of changed) assert.ok(drawn.get(id)?.includes('is-changed'), `${id} is marked changed`);
  await page.getByTestId('tab-changes').click();
  assert.match(await page.getByTestId('compare-counts').innerText(), /^\+\d+ added · −\d+ removed · ~\d+ changed$/);
  await shot(page, 'compare.png');

  await page.getByTestId('play-speed').selectOption('4');
  await page.getByTestId('play').click();
  await page.waitForFunction(() => window.__retrace.state().snapshot === null, null, { timeout: 60_000 });
  await page.getByTestId('play').waitFor();
  await page.close();
});

test("a run's footprint is coloured on the graph, and its tree counts match `retrace footprint`", async () => {
  const page = await open();
  await selectBySearch(page, 'features', 'Stage');
  await page.getByTestId('footprint').waitFor();
  const state = await page.evaluate(() => window.__retrace.state());
  const run = await page.getByTestId('runs').locator('.run-row.current').getAttribute('title');
  const fp = cli<{ counts: Record<string, number>; artifactCounts: Record<string, number>; artifacts: Record<string, string[]> }>(['footprint', run!.replace(/^run /, '')]);
  for (const c of ['INPUT', 'OUTPUT_ADDED', 'OUTPUT_MODIFIED', 'OUTPUT_REMOVED', 'OUTPUT_TMP']) {
    assert.equal(await page.getByTestId(`fp-files-${c}`).innerText(), String(fp.counts[c]), `files ${c}`);
    assert.equal(await page.getByTestId(`fp-artifacts-${c}`).innerText(), String(fp.artifactCounts[c]), `artifacts ${c}`);
  }
  await page.getByTestId('footprint-toggle').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=lineage-graph]')?.getAttribute('data-overlay') ?? 0) > 0);
  const drawn = (await page.evaluate(() => window.__retrace.graph())).elements;
  const byLabel = new Map(cli<{ nodes: { id: string; label: string }[] }>(['graph']).nodes.map((n) => [n.label, n.id]));
  for (const label of fp.artifacts.INPUT ?? []) {
    const id = byLabel.get(label);
    if (id && drawn.some((e) => e.id === id)) assert.ok(drawn.find((e) => e.id === id)!.classes.some((c) => c.startsWith('ov-') && c !== 'ov-dim'), `${label} is coloured`);
  }
  assert.ok(state.selectedId);
  await shot(page, 'footprint.png');
  await page.close();
});

test('the impact CSV equals `retrace impact … --format csv` byte for byte', async () => {
  const page = await open();
  await selectBySearch(page, 'train', 'Stage');
  const run = (await page.getByTestId('runs').locator('.run-row.current').getAttribute('title'))!.replace(/^run /, '');
  await page.getByTestId('impact-toggle').click();
  await page.getByTestId('impact-csv').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('impact-csv').click()]);
  const file = await download.path();
  const mine = fs.readFileSync(file!, 'utf8');
  const r = retrace(['impact', run, '--direction', 'both', '--format', 'csv', '-w', app.ws]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(mine, r.stdout);
  assert.match(download.suggestedFilename(), /^retrace-demo-live-impact-.+\.csv$/);
  await shot(page, 'impact.png');
  await page.close();
});

test('the view and the whole graph export as PNG and SVG; the SVG parses', async () => {
  const page = await open();
  for (const id of ['export-png-view', 'export-svg-graph']) {
    await page.getByTestId('export-menu').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(id).click()]);
    const bytes = fs.readFileSync((await download.path())!);
    assert.ok(bytes.length > 1000, `${id} is not empty`);
    if (id.includes('png')) assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG signature');
    else {
      assert.match(download.suggestedFilename(), /^retrace-demo-live-whole\.svg$/);
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return { error: doc.querySelector('parsererror')?.textContent ?? null, texts: doc.querySelectorAll('text').length };
      }, bytes.toString('utf8'));
      assert.equal(parsed.error, null);
      assert.ok(parsed.texts > 20, 'labels are in the SVG');
    }
  }
  await page.close();
});

test('the catalogue sorts and filters; Enter on a row shows its node on the graph', async () => {
  const page = await open();
  await page.getByTestId('view-catalogue').click();
  const grid = page.getByTestId('catalogue-grid');
  await grid.locator('[data-testid=catalogue-row] .cat-name').first().waitFor();
  await shot(page, 'catalogue.png');
  const names = () => grid.locator('[data-testid=catalogue-row] .cat-name').allInnerTexts();
  await page.getByTestId('sort-artifact').click(); // the name column sorts descending on a second click
  await page.getByTestId('sort-artifact').click();
  await page.waitForFunction(() => document.querySelector('[role=columnheader][aria-sort=descending]') !== null);
  await page.waitForTimeout(300);
  const desc = (await names()).map((n) => n.trim());
  // Names compare ignoring case (the catalogue's documented order).
  const key = (s: string) => s.toLowerCase();
  assert.deepEqual(desc, [...desc].sort((x, y) => (key(x) < key(y) ? 1 : key(x) > key(y) ? -1 : 0)), 'descending by name');

  await page.getByTestId('catalogue-filter').fill('staged/day-0');
  // Rows, and only matching ones (an empty grid while the filtered page loads matches trivially).
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid=catalogue-row] .cat-name')];
    return rows.length > 0 && rows.every((e) => e.textContent!.includes('staged/day-0'));
  });
  const filtered = (await names()).map((n) => n.trim());
  assert.ok(filtered.length >= 4 && filtered.every((n) => n.includes('staged/day-0')), filtered.join(', '));

  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.__retrace.state().selectedId !== null);
  const selected = (await page.evaluate(() => window.__retrace.state())).selectedId as string;
  assert.equal(selected, `artifact:file/${filtered[1]}`, 'the second row is selected on the graph');
  assert.equal(await page.getByTestId('lineage-graph').isVisible(), true);

  await page.getByTestId('view-catalogue').click();
  await page.getByTestId('catalogue-runs').click();
  await grid.locator('[data-testid=catalogue-row] .cat-name').first().waitFor();
  await shot(page, 'catalogue-runs.png');
  await page.close();
});
