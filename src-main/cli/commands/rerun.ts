import fs from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import type { RerunExecutionDto, RerunPlanRequest, RerunProgressDto } from '../../../shared/rerun-dto';
import type { Core } from '../../api/create-core';
import { CliExit, parseIntArg, printJson, resolveWorkspace } from '../cli-io';
import { formatPlan, formatProgress, formatVerdict } from '../rerun-print';

const WS_HELP = 'the workspace (default: nearest folder upward holding .retrace/)';

interface RerunOpts {
  workspace?: string;
  downstream?: boolean;
  stale?: boolean;
  yes?: boolean;
  dryRun?: boolean;
  jobs: string;
  json?: boolean;
}

/**
 * `retrace rerun RUN [--downstream]` and `retrace rerun --stale [ARTIFACT...]` (DESIGN §8,
 * issue 14), through the same API the app uses: plan, show, confirm (or --yes), execute with a
 * progress line per stage and the stages' own output, then a verdict per output and a summary.
 * Ctrl-C cancels: the running stages stop with their process groups, the rest is skipped.
 * With --json, stdout holds one document: the plan (dry run, or declined), else the execution.
 */
export function registerRerunCommand(program: Command): void {
  program
    .command('rerun [targets...]')
    .description('re-run a recorded run, its downstream, or everything stale: shows the plan (order, commands, folders, what each overwrites) and runs it after you confirm, no shell')
    .option('-w, --workspace <dir>', WS_HELP)
    .option('--downstream', 'also every stage that consumed what RUN produced, transitively')
    .option('--stale', 'the stages whose outputs are stale (only what the given ARTIFACTs need, when given)')
    .option('--yes', 'do not ask; run the plan as shown')
    .option('--dry-run', 'print the plan and exit')
    .option('--jobs <n>', 'run up to N independent stages at a time', '1')
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nExamples:\n  retrace rerun 3f2a --downstream --dry-run\n  retrace rerun --stale --yes --jobs 2\n  retrace rerun --stale Models/churn/5')
    .action(async (targets: string[], o: RerunOpts) => {
      const req = requestOf(targets, o);
      const jobs = parseIntArg(o.jobs, '--jobs');
      if (jobs < 1 || jobs > 64) throw new AppError('INVALID_ARGUMENT', `--jobs takes 1 to 64, not ${jobs}.`);
      const [{ workspacePaths }, { createCore }] = await Promise.all([import('../../workspace/workspace-paths'), import('../../api/create-core')]);
      const paths = workspacePaths(resolveWorkspace(o.workspace));
      // The plan is made from the logs as they are now (ingested first), so only a folder without
      // any provenance is refused.
      if (!fs.existsSync(paths.dotDir)) throw new AppError('NOT_FOUND', `${paths.root} is not a Retrace workspace (it has no .retrace folder); capture runs there with \`retrace run\` first.`);
      const core = createCore({ workspaceRoot: paths.root });
      try {
        process.exitCode = await rerun(core, req, { ...o, jobs });
      } finally {
        core.dispose();
      }
    });
}

function requestOf(targets: string[], o: RerunOpts): RerunPlanRequest {
  if (o.stale) {
    if (o.downstream) throw new AppError('INVALID_ARGUMENT', 'Give either --stale or --downstream: a stale plan already includes what reads a re-run output.');
    return { kind: 'stale', ...(targets.length ? { artifacts: targets } : {}) };
  }
  if (targets.length !== 1) throw new AppError('INVALID_ARGUMENT', targets.length ? 'Give one RUN to re-run (or --stale with artifacts).' : 'Give the RUN to re-run, or --stale.');
  return { kind: o.downstream ? 'downstream' : 'run', run: targets[0]! };
}

async function rerun(core: Core, req: RerunPlanRequest, o: Omit<RerunOpts, 'jobs'> & { jobs: number }): Promise<number> {
  const { ingestOnce } = await import('../../provenance/ingest');
  ingestOnce({ paths: core.paths, db: core.db }); // plan against everything the logs hold now
  const plan = await core.api.prepareRerunPlan(req);
  const human = (text: string) => (o.json ? process.stderr : process.stdout).write(text);
  human(formatPlan(plan));
  if (o.dryRun || !plan.stages.some((s) => !s.blocked)) {
    if (o.json) printJson(plan);
    if (!o.dryRun && plan.stages.length) throw new CliExit(1, 'No stage of this plan can run.');
    return 0;
  }
  if (!o.yes && !(await confirmed(plan.stages.filter((s) => !s.blocked).length))) {
    if (o.json) printJson(plan);
    throw new CliExit(1, 'Not re-run.');
  }
  const names = new Map(plan.stages.map((s, i) => [s.id, { i, name: s.stage ?? s.run.slice(0, 8) }]));
  const multi = plan.stages.length > 1;
  const partial = new Map<string, string>();
  const onProgress = (e: RerunProgressDto) => {
    if (e.type === 'stage') {
      const n = names.get(e.stage.id)!;
      human(formatProgress(e.stage, n.i, plan.stages.length, n.name) + '\n');
      if (e.stage.status === 'done') for (const out of e.stage.outputs) human(formatVerdict(out) + '\n');
    } else if (e.type === 'output') {
      // The stage's own output, line by line, tagged with the stage when several run.
      const key = `${e.stage}\0${e.stream}`;
      const lines = ((partial.get(key) ?? '') + e.text).split('\n');
      partial.set(key, lines.pop()!);
      const to = o.json || e.stream === 'stderr' ? process.stderr : process.stdout;
      for (const l of lines) to.write(`${multi ? `  ${names.get(e.stage)!.name} │ ` : ''}${l}\n`);
    }
  };
  const sub = core.events.on('onRerunProgress', onProgress);
  let execution: RerunExecutionDto | null = null;
  const onInterrupt = () => {
    if (!execution) return;
    process.stderr.write('\nCancelling: stopping the running stage and skipping the rest…\n');
    void core.api.cancelRerunPlan({ execution: execution.execution });
  };
  process.on('SIGINT', onInterrupt);
  try {
    execution = await core.api.startRerunPlan({ token: plan.token, digest: plan.digest, jobs: o.jobs });
    const result = await core.reruns.finished(execution.execution);
    for (const [key, rest] of partial) if (rest) (o.json ? process.stderr : process.stdout).write(`${multi ? `  ${names.get(key.split('\0')[0]!)!.name} │ ` : ''}${rest}\n`);
    human(`${result.summary}\n`);
    if (o.json) printJson(result);
    return exitCode(result);
  } finally {
    process.off('SIGINT', onInterrupt);
    sub.dispose();
  }
}

async function confirmed(n: number): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new AppError('INVALID_ARGUMENT', 'Re-running needs a confirmation: answer the prompt in a terminal, or pass --yes after checking the plan above.');
  }
  const readline = await import('node:readline/promises');
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Run ${n === 1 ? 'this stage' : `these ${n} stages`} exactly as shown? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** A one-stage plan passes its command's exit code through; a cancelled plan is 130 (Ctrl-C); else 0 only when every stage is done. */
function exitCode(r: RerunExecutionDto): number {
  if (r.state === 'cancelled') return 130;
  if (r.stages.length === 1) return r.stages[0]!.exitCode ?? (r.stages[0]!.status === 'done' ? 0 : 1);
  return r.stages.every((s) => s.status === 'done') ? 0 : 1;
}
