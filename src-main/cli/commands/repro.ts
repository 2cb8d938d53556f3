import fs from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import type { ReproReportDto } from '../../../shared/repro-dto';
import { openWorkspaceEngine } from '../../api/workspace-engine';
import { openDb } from '../../db/open-db';
import { liveState } from '../../repro/current-state';
import { checkReproducibility } from '../../repro/repro-check';
import { workspacePaths } from '../../workspace/workspace-paths';
import { printJson, resolveWorkspace } from '../cli-io';

const WS_HELP = 'the workspace (default: nearest folder upward holding .retrace/)';

function openWorkspace(dir: string | undefined) {
  const paths = workspacePaths(resolveWorkspace(dir));
  if (!fs.existsSync(paths.dbFile)) throw new AppError('NOT_FOUND', `${paths.root} has no metadata DB yet; run \`retrace ingest\` there first.`);
  const db = openDb(paths.dbFile);
  return { paths, db, engine: openWorkspaceEngine(db, paths) };
}

/** `retrace repro RUN` (DESIGN §8); `retrace rerun` is in rerun.ts. */
export function registerReproCommands(program: Command): void {
  program
    .command('repro <run>')
    .description('is this run still reproducible? code, data and environment compared with now')
    .option('-w, --workspace <dir>', WS_HELP)
    .option('--json', 'print one JSON document')
    .action(async (run: string, o: { workspace?: string; json?: boolean }) => {
      const { paths, db, engine } = openWorkspace(o.workspace);
      try {
        const report = await checkReproducibility(db, engine.catalog.resolveRun(run), liveState(paths.root));
        if (o.json) printJson(report);
        else process.stdout.write(formatRepro(report));
      } finally {
        db.close();
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
