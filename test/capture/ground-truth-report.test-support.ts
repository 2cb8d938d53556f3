// Prints the ground-truth table and precision/recall per backend:
//   node --import tsx test/capture/ground-truth-report.test-support.ts [default|strace ...]
import { CLASS_KEYS, loadCases, runCase, summarise, type Backend, type CaseOutcome } from './ground-truth.test-support';

const backends = (process.argv.slice(2).length ? process.argv.slice(2) : ['default', 'strace']) as Backend[];
const cases = loadCases();
const byBackend = new Map<Backend, CaseOutcome[]>();
for (const b of backends) {
  const outcomes: CaseOutcome[] = [];
  for (const c of cases) {
    try {
      outcomes.push(await runCase(c, b));
    } catch (err) {
      console.error(`${c.name} (${b}): ${(err as Error).message}`);
    }
  }
  byBackend.set(b, outcomes);
}
console.log(`| case | ${backends.join(' | ')} |`);
console.log(`|---|${backends.map(() => '---').join('|')}|`);
for (const c of cases) {
  const cells = backends.map((b) => {
    const o = byBackend.get(b)!.find((x) => x.name === c.name);
    if (!o) return 'error';
    if (o.exact && o.partialAsExpected) return o.partial ? `exact, partial: ${o.partialReasons.join('; ')}` : 'exact';
    if (o.partial && o.partialAsExpected) return `partial: ${o.partialReasons.join('; ')}`;
    const diff = CLASS_KEYS.flatMap((k) => [...(o.missing[k] ?? []).map((p) => `-${k}:${p}`), ...(o.extra[k] ?? []).map((p) => `+${k}:${p}`)]);
    return `${o.partial ? 'partial' : 'WRONG'} ${diff.join(' ')}${o.partial ? ` (${o.partialReasons.join('; ')})` : ''}`;
  });
  console.log(`| ${c.name} | ${cells.join(' | ')} |`);
}
for (const b of backends) {
  const s = summarise(byBackend.get(b)!);
  console.log(`${b}: ${s.exact}/${s.runs} as expected, precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}, silent misses: ${s.silentMisses.join(', ') || 'none'}`);
}
