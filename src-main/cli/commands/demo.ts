import path from 'node:path';
import type { Command } from 'commander';

/** `retrace demo [DIR]`: builds the demo workspace (DESIGN §2, §8); default folder `retrace-demo`. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo [dir]')
    .description('build the demo workspace: the example churn pipeline run through `retrace run` over six simulated days')
    .action(async (dir: string | undefined) => {
      const target = path.resolve(dir ?? 'retrace-demo');
      const { buildDemoWorkspace } = await import('../../demo/build-demo');
      const { recorded } = await buildDemoWorkspace(target, { onProgress: (m) => process.stderr.write(`${m}\n`) });
      process.stdout.write(`${recorded ? 'Copied the recorded demo' : 'Built the demo'} workspace at ${target}\n`);
    });
}
