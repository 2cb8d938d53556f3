import fs from 'node:fs';
import readline from 'node:readline/promises';
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import type { ReplayExecutionDto, ReplayPlanDto, ReplayProgressDto } from '../../../shared/replay-dto';
import type { Core } from '../../api/create-core';
import { workspacePaths } from '../../workspace/workspace-paths';
import { CliExit, printJson, resolveWorkspace } from '../cli-io';

interface ReplayOpts {
  workspace?: string;
  yes?: boolean;
  allowMissing?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/**
 * `retrace replay RUN` (DESIGN §8, issue 15) through the API the app uses: shows what will be
 * restored (and what cannot be), asks, runs the command in a sandbox with its output streamed,
 * then prints the verdict on each output and the environment then and now. Inputs that cannot
 * be restored are named first; the replay goes on without them only when told (the prompt, or
 * --allow-missing). Exit code: 0 when it reproduced, 1 when it failed or differs, 130 when
 * cancelled (Ctrl-C).
 */
export function registerReplayCommand(program: Command): void {
  program
    .command('replay <run>')
    .description('re-run a past stage run in a sandbox with the exact inputs it read restored, and say whether it still reproduces')
    .option('-w, --workspace <dir>', 'the workspace (default: nearest folder upward holding .retrace/)')
    .option('--yes', 'do not ask; replay as shown')
    .option('--allow-missing', 'go on even when some inputs cannot be restored as the run read them')
    .option('--dry-run', 'print what would be restored and exit')
    .option('--json', 'print one JSON document (the plan, or the replay with its verdict)')
    .addHelpText('after', '\nExamples:\n  retrace replay 3f2a --dry-run\n  retrace replay 3f2a --yes --json')
    .action(async (ref: string, o: ReplayOpts) => {
      const paths = workspacePaths(resolveWorkspace(o.workspace));
      if (!fs.existsSync(paths.dotDir)) throw new AppError('NOT_FOUND', `${paths.root} is not a Retrace workspace (it has no .retrace folder).`);
      const { createCore } = await import('../../api/create-core');
      const core = createCore({ workspaceRoot: paths.root });
      try {
        process.exitCode = await replay(core, ref, o);
      } finally {
        core.dispose();
      }
    });
}

async function replay(core: Core, ref: string, o: ReplayOpts): Promise<number> {
  const [{ ingestOnce }, { formatReplayPlan, formatReplayResult }] = await Promise.all([import('../../provenance/ingest'), import('../replay-print')]);
  ingestOnce({ paths: core.paths, db: core.db });
  const plan = await core.api.prepareReplay({ run: ref });
  const human = (text: string) => (o.json ? process.stderr : process.stdout).write(text);
  human(formatReplayPlan(plan));
  if (o.dryRun || plan.blocked) {
    if (o.json) printJson(plan);
    if (plan.blocked) throw new CliExit(1, plan.blocked.message);
    return 0;
  }
  const missing = plan.inputs.filter((i) => i.problem).map((i) => i.artifact);
  let acceptMissing = Boolean(o.allowMissing);
  if (!o.yes) {
    if (!(await ask('Replay exactly this? [y/N] '))) return declined(plan, o, 'Not replayed.');
    if (missing.length && !acceptMissing) acceptMissing = await ask(`Go on without ${missing.join(', ')} as the run read ${missing.length === 1 ? 'it' : 'them'}? [y/N] `);
  }
  if (missing.length && !acceptMissing) {
    return declined(plan, o, `Not replayed: ${missing.length === 1 ? 'an input' : `${missing.length} inputs`} cannot be restored as the run read ${missing.length === 1 ? 'it' : 'them'}: ${missing.join(', ')}. Pass --allow-missing to replay without ${missing.length === 1 ? 'it' : 'them'}.`);
  }
  let partial = { stdout: '', stderr: '' };
  let current: string | null = null;
  const onProgress = (e: ReplayProgressDto) => {
    if (e.execution !== current) return;
    if (e.type === 'status' && e.message) human(`${e.message}\n`);
    if (e.type === 'output') {
      const lines = (partial[e.stream] + e.text).split('\n');
      partial = { ...partial, [e.stream]: lines.pop()! };
      const to = o.json || e.stream === 'stderr' ? process.stderr : process.stdout;
      for (const l of lines) to.write(`  │ ${l}\n`);
    }
  };
  const sub = core.events.on('onReplayProgress', onProgress);
  const onInterrupt = () => {
    if (!current) return;
    process.stderr.write('\nCancelling the replay…\n');
    void core.api.cancelReplay({ execution: current });
  };
  process.on('SIGINT', onInterrupt);
  try {
    const started = await core.api.startReplay({ token: plan.token, digest: plan.digest, ...(acceptMissing ? { acceptMissing } : {}) });
    current = started.execution;
    const result = await core.replays.finished(started.execution);
    for (const s of ['stdout', 'stderr'] as const) if (partial[s]) (o.json || s === 'stderr' ? process.stderr : process.stdout).write(`  │ ${partial[s]}\n`);
    human(formatReplayResult(result));
    if (o.json) printJson(result);
    return exitCode(result);
  } finally {
    process.off('SIGINT', onInterrupt);
    sub.dispose();
  }
}

function declined(plan: ReplayPlanDto, o: ReplayOpts, message: string): never {
  if (o.json) printJson(plan);
  throw new CliExit(1, message);
}

async function ask(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new AppError('INVALID_ARGUMENT', 'Replaying needs a confirmation: answer the prompt in a terminal, or pass --yes after checking the plan above.');
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

function exitCode(r: ReplayExecutionDto): number {
  if (r.state === 'cancelled') return 130;
  return r.status === 'done' && (r.verdict?.verdict === 'bit-for-bit' || r.verdict?.verdict === 'reproduced') ? 0 : 1;
}
