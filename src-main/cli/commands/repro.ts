import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import type { ReproReportDto } from '../../../shared/repro-dto';
import { CliExit, cliOutput, printJson, resolveWorkspace } from '../cli-io';

const WS_HELP = 'the workspace (default: nearest folder upward holding .retrace/)';

async function openWorkspace(dir: string | undefined) {
  const { openForQuery } = await import('../query-workspace');
  return openForQuery(resolveWorkspace(dir), (line) => process.stderr.write(`${line}\n`));
}

/** `retrace repro RUN` and `retrace rerun RUN [--yes]` (DESIGN §8). */
export function registerReproCommands(program: Command): void {
  program
    .command('repro <run>')
    .description('is this run still reproducible? code, data and environment compared with now')
    .option('-w, --workspace <dir>', WS_HELP)
    .option('--json', 'print one JSON document')
    .action(async (run: string, o: { workspace?: string; json?: boolean }) => {
      const [{ checkReproducibility }, { liveState }] = await Promise.all([import('../../repro/repro-check'), import('../../repro/current-state')]);
      const ws = await openWorkspace(o.workspace);
      try {
        const report = await checkReproducibility(ws.db, ws.guard(() => ws.engine.catalog.resolveRun(run)), liveState(ws.paths.root));
        if (o.json) printJson(report);
        else cliOutput.write(formatRepro(report));
      } finally {
        ws.close();
      }
    });

  program
    .command('rerun <run>')
    .description('re-run a recorded stage: shows the exact command and folder, runs it (no shell) after you confirm')
    .option('-w, --workspace <dir>', WS_HELP)
    .option('--yes', 'do not ask; run the recorded command as shown')
    .action(async (run: string, o: { workspace?: string; yes?: boolean }) => {
      const { executeRerun, planRerun } = await import('../../repro/rerun');
      const ws = await openWorkspace(o.workspace);
      const paths = ws.paths;
      let plan;
      try {
        plan = ws.guard(() => planRerun(ws.db, ws.engine.catalog.resolveRun(run), paths.root));
      } finally {
        ws.close();
      }
      process.stderr.write(`Re-run ${plan.stage ?? plan.run}:\n  folder:  ${plan.cwd}\n  command: ${plan.display}\n`);
      if (!o.yes) {
        if (!process.stdin.isTTY) throw new AppError('INVALID_ARGUMENT', 'Re-running needs a confirmation: answer the prompt in a terminal, or pass --yes after checking the command above.');
        const readline = await import('node:readline/promises');
        const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
        const answer = await rl.question('Run exactly this? [y/N] ');
        rl.close();
        if (!/^y(es)?$/i.test(answer.trim())) throw new CliExit(1, 'Not re-run.');
      }
      const result = await executeRerun(plan, paths.root);
      process.stderr.write(`Recorded as run ${result.runId}.\n`);
      process.exitCode = result.exitCode ?? 1;
    });
}

function formatRepro(r: ReproReportDto): string {
  const mark = (v: string) => (v === 'same' ? 'unchanged' : v === 'changed' ? 'CHANGED' : 'not recorded');
  const lines = [
    `Run ${r.run}${r.job ? ` (${r.job})` : ''}, ${r.state.toLowerCase()}`,
    `  code:        ${mark(r.axes.code)}`,
    `  data:        ${mark(r.axes.data)}`,
    `  environment: ${mark(r.axes.environment)}`,
  ];
  if (r.warnings.length === 0) lines.push('Reproducible: code, data and environment match the run.');
  for (const w of r.warnings) lines.push(`${w.code}: ${w.message}`);
  return lines.join('\n') + '\n';
}
