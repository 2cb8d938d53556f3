import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PALETTES } from '../kind-style';
import { exportFileName, graphToSvg } from './svg';

test('the SVG holds every node with its escaped label, every edge, and a viewBox around them', () => {
  const svg = graphToSvg(
    [
      { x: 0, y: 0, w: 100, h: 26, label: 'a<b>&"c"', kind: 'dataset', stroke: '#111', fill: '#222', opacity: 1 },
      { x: 300, y: 100, w: 80, h: 44, label: 'group\n12 nodes', kind: 'group', stroke: '#333', fill: '#444', opacity: 0.5 },
    ],
    [{ x1: 50, y1: 0, x2: 260, y2: 100, color: '#555', width: 1.3, opacity: 1, dashed: false }],
    PALETTES.dark,
    'demo at snapshot 3',
    13,
  );
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="-74 -37 438 183"/);
  assert.match(svg, /a&lt;b&gt;&amp;&quot;c&quot;/);
  assert.equal((svg.match(/<text /g) ?? []).length, 3, 'two lines for the group label');
  assert.equal((svg.match(/<line /g) ?? []).length, 1);
  assert.equal((svg.match(/<g opacity=/g) ?? []).length, 2);
});

test('export file names say which workspace and which snapshot', () => {
  assert.equal(exportFileName('/home/ana/churn demo/', 12, 'view', 'svg'), 'retrace-churn-demo-snapshot-12.svg');
  assert.equal(exportFileName('C:\\work\\ws', null, 'whole', 'png'), 'retrace-ws-live-whole.png');
  assert.equal(exportFileName('/w/demo', null, 'impact job:churn/train', 'csv'), 'retrace-demo-live-impact-job-churn-train.csv');
});
