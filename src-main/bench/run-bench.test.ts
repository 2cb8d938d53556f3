import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BenchCase } from './bench-case';
import { percentile } from './bench-case';
import { BENCH_CASES } from './all-cases';
import { BENCH_CASE_NAMES } from './case-names';
import { benchMarkdown, runBench } from './run-bench';

const fast: BenchCase = { name: 'fast', description: 'd', run: async (ctx) => [{ name: 'x p50', value: ctx.quick ? 1.5 : 3, unit: 'ms', goal: '≤ 2 ms', met: ctx.quick }] };
const broken: BenchCase = { name: 'broken', description: 'd', run: async () => { throw new Error('boom'); } };

test('runs the chosen cases, reports a failure without stopping the others', async () => {
  const r = await runBench([broken, fast], { quick: true, log: () => undefined });
  assert.equal(r.cases.length, 2);
  assert.equal(r.cases[0]!.error, 'boom');
  assert.equal(r.cases[1]!.metrics[0]!.value, 1.5);
  const md = benchMarkdown(r);
  assert.match(md, /\| fast \| x p50 \| 1\.5 \| ms \| ≤ 2 ms \| yes \|/);
  assert.match(md, /\| broken \| \*\*failed\*\*/);
});

test('an unknown case name is refused with the known ones listed', async () => {
  await assert.rejects(runBench([fast], { quick: true, only: ['nope'], log: () => undefined }), /Unknown bench case "nope"; known: fast/);
});

test('percentile uses nearest rank', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(xs, 50), 50);
  assert.equal(percentile(xs, 95), 95);
  assert.equal(percentile([7], 99), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('the case names the help text lists are the cases that run', () => {
  assert.deepEqual([...BENCH_CASE_NAMES], BENCH_CASES.map((c) => c.name));
});
