import type { Command } from 'commander';
import { resolveWorkspace } from '../cli-io';

/**
 * `retrace run [-w DIR] [--stage S] [--pipeline P] -- CMD ARGS...` (DESIGN §6, §8). The command
 * runs unchanged (no shell); this process exits the way the command did — same code, or killed
 * by the same signal — after the run's COMPLETE/FAIL event is written.
 */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run a command and record what it read and wrote, its code and its environment')
    .option('-w, --workspace <dir>', 'workspace folder (default: nearest with .retrace/, else the current one)')
    .option('--stage <name>', 'stage (job) name of this run')
    .option('--pipeline <name>', 'pipeline name; without --stage this run is the pipeline run its stages link to')
    .argument('<command...>', 'the command and its arguments, after "--"')
    // Everything after "--" is the command's; unknown options before it are kept for the command.
    .allowUnknownOption()
    .action(async (command: string[], opts: { workspace?: string; stage?: string; pipeline?: string }) => {
      const { captureRun, ENV_WORKSPACE } = await import('../../capture/capture-run');
      // A nested run (a pipeline script calling `retrace run`) writes to its parent's workspace.
      const root = opts.workspace ? resolveWorkspace(opts.workspace) : process.env[ENV_WORKSPACE] || resolveWorkspace(undefined);
      const result = await captureRun({
        argv: command,
        workspaceRoot: root,
        ...(opts.stage !== undefined ? { stage: opts.stage } : {}),
        ...(opts.pipeline !== undefined ? { pipeline: opts.pipeline } : {}),
      });
      if (result.signal) {
        // Die of the same signal so shells and schedulers see what really happened; should a
        // listener keep this process alive, exit with the shell's convention 128 + signal number.
        const { constants } = await import('node:os');
        process.exitCode = 128 + (constants.signals[result.signal] ?? 0);
        process.kill(process.pid, result.signal);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return;
      }
      process.exitCode = result.exitCode ?? 1;
    });
}
