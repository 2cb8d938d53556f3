import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';

/**
 * DESIGN §8 commands whose issues have not landed yet. They are listed in `--help` and answer
 * with one clear sentence instead of "unknown command", so scripts fail loudly, not silently.
 */
const PENDING: readonly { name: string; summary: string; issue: string }[] = [
  { name: 'run', summary: 'run a command and capture what it read and wrote', issue: 'implicit capture' },
  { name: 'demo', summary: 'build the demo workspace', issue: 'implicit capture and the demo pipeline' },
  { name: 'ingest', summary: 'one tail pass over the provenance logs', issue: 'provenance ingestion' },
  { name: 'tail', summary: 'keep tailing the provenance logs', issue: 'provenance ingestion' },
  { name: 'graph', summary: 'the lineage graph at a snapshot', issue: 'lineage engine' },
  { name: 'snapshots', summary: 'list the workspace snapshots', issue: 'lineage engine' },
  { name: 'footprint', summary: 'what a run read, created, modified and deleted', issue: 'lineage engine' },
  { name: 'impact', summary: 'everything downstream of a run or artifact', issue: 'lineage engine' },
  { name: 'repro', summary: 'reproducibility warnings of a run', issue: 'reproducibility' },
  { name: 'rerun', summary: 're-run a recorded stage', issue: 'reproducibility' },
  { name: 'search', summary: 'search artifacts, runs, jobs and users', issue: 'lineage engine' },
  { name: 'insights', summary: 'most-used, latest-pipeline-using, who-ran', issue: 'lineage engine' },
  { name: 'export', summary: 'export OpenLineage or PROV-JSON', issue: 'lineage engine' },
  { name: 'table', summary: 'write, read and travel Delta tables', issue: 'commit store' },
];

/** Registers a stub for every pending command that no real command has claimed. */
export function registerPendingCommands(program: Command): void {
  const taken = new Set(program.commands.map((c) => c.name()));
  for (const p of PENDING) {
    if (taken.has(p.name)) continue;
    program
      .command(p.name)
      .description(`${p.summary} (not built yet)`)
      .allowUnknownOption(true)
      .allowExcessArguments(true)
      .helpOption(false)
      .action(() => {
        throw new AppError('NOT_BUILT', `"retrace ${p.name}" is not built yet; it arrives with the ${p.issue} work.`);
      });
  }
}
