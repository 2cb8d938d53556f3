import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { BENCH_CASE_NAMES } from '../../bench/case-names';

export function registerBenchCommand(program: Command): void {
  program
    .command('bench [cases...]')
    .description(`measure on this machine (cases: ${BENCH_CASE_NAMES.join(', ')}); Markdown on stdout`)
    .option('--quick', 'small sizes: the whole harness in seconds')
    .option('--json <file>', 'also write the full report as JSON to this file')
    .action(async (cases: string[], o: { quick?: boolean; json?: string }) => {
      const [{ benchMarkdown, runBench }, { BENCH_CASES }] = await Promise.all([import('../../bench/run-bench'), import('../../bench/all-cases')]);
      const report = await runBench(BENCH_CASES, { quick: Boolean(o.quick), only: cases, log: (m) => process.stderr.write(m + '\n') });
      process.stdout.write(benchMarkdown(report));
      if (o.json) {
        fs.mkdirSync(path.dirname(path.resolve(o.json)), { recursive: true });
        const tmp = `${o.json}.tmp-${process.pid}`;
        fs.writeFileSync(tmp, JSON.stringify(report, null, 2) + '\n');
        fs.renameSync(tmp, o.json);
        process.stderr.write(`wrote ${o.json}\n`);
      }
      if (report.cases.some((c) => c.error)) process.exitCode = 1;
    });
}
