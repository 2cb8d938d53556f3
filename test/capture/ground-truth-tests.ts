import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensureInterposerForTests } from '../../src-main/capture/interposer-test-util';
import { detectStrace } from '../../src-main/capture/tracer';
import { loadCases, missingTools, runCase, type Backend } from './ground-truth';

/**
 * One test per ground-truth case: the footprint must equal the case's expectation exactly, or —
 * where the case says an operation is out of reach — the run must be marked partial for that
 * reason and record nothing it should not. A missing tool fails loudly instead of skipping.
 */
export function defineGroundTruthTests(backend: Backend): void {
  const cases = loadCases();
  test(`ground truth (${backend}): the tools the cases need are installed`, () => {
    const missing = missingTools(cases);
    if (!ensureInterposerForTests()) missing.push('a C compiler to build the LD_PRELOAD interposer');
    if (!detectStrace().available) missing.push(`strace (${detectStrace().reason})`);
    assert.deepEqual(missing, [], `The capture ground truth needs: ${missing.join(', ')}. Install them (see .ci/run).`);
  });
  for (const c of cases) {
    test(`ground truth (${backend}): ${c.name} — ${c.description}`, async () => {
      const o = await runCase(c, backend);
      const detail = JSON.stringify({ missing: o.missing, extra: o.extra, partial: o.partial, reasons: o.partialReasons, mode: o.captureMode }, null, 1);
      assert.ok(o.partialAsExpected, `partial state not as expected: ${detail}`);
      if (o.partial) assert.deepEqual(o.extra, {}, `recorded what did not happen: ${detail}`);
      else assert.ok(o.exact, `footprint differs from the ground truth: ${detail}`);
    });
  }
}
