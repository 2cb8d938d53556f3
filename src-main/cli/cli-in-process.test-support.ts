import { Command } from 'commander';
import { cliOutput } from './cli-io';

/**
 * Runs one `retrace …` command in this process through commander (the same registrar the CLI
 * uses) and returns what it printed on stdout. Errors propagate as the AppError the command threw.
 * Output is taken from the CLI's output seam, not by replacing process.stdout.write: under
 * `node --test` stdout also carries the runner's own reports, which an async command (they load
 * what they run with import()) would capture too.
 */
export async function cliInProcess(register: (program: Command) => void, args: readonly string[]): Promise<string> {
  const program = new Command('retrace').exitOverride();
  register(program);
  for (const c of program.commands) c.exitOverride();
  let out = '';
  // Through the CLI's output seam, not process.stdout: under `node --test` stdout also carries
  // the runner's own reports, which an async command would capture too.
  const write = cliOutput.write;
  cliOutput.write = (text) => {
    out += text;
  };
  try {
    await program.parseAsync([...args], { from: 'user' });
  } finally {
    cliOutput.write = write;
  }
  return out;
}
