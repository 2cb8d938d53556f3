import type { Command } from 'commander';
import type { ReproReportDto } from '../../../shared/repro-dto';
import { cliOutput, printJson, resolveWorkspace } from '../cli-io';

const WS_HELP = 'the workspace (default: nearest folder upward holding .retrace/)';

/** The workspace opened for a query: new log lines read first (query-workspace.ts). */
export async function openWorkspace(dir: string | undefined) {
  const { openForQuery } = await import('../query-workspace');
  return openForQuery(resolveWorkspace(dir), (line) => process.stderr.write(`${line}\n`));
}

/** `retrace repro RUN` (DESIGN §8); `retrace rerun` is in rerun.ts. */
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
