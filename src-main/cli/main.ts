import { Command, CommanderError } from 'commander';
import { AppError } from '../../shared/errors';
import { RETRACE_VERSION } from '../../shared/version';
import { CliExit } from './cli-io';
import { COMMAND_REGISTRARS } from './all-commands';

/** Builds the `retrace` program. Each capability registers its own subcommands. */
export function buildProgram(): Command {
  const program = new Command('retrace')
    .description('Explore machine-learning pipelines: lineage, time travel, footprints, impact and reproducibility.')
    .version(RETRACE_VERSION)
    .showHelpAfterError('(run "retrace --help" for usage)')
    // Options after a subcommand belong to it, so `retrace run -- cmd --flag` passes --flag on.
    .enablePositionalOptions()
    .exitOverride();
  for (const register of COMMAND_REGISTRARS) register(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** Runs the CLI; resolves to the process exit code (errors are printed as one sentence). */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return reportFailure(err, (text) => process.stderr.write(text), process.env.RETRACE_DEBUG === '1');
  }
}

/**
 * Prints what went wrong as one sentence on stderr and returns the exit code (2 for usage
 * errors). The stack is for developers: only with RETRACE_DEBUG=1, and then for any failure.
 */
export function reportFailure(err: unknown, write: (text: string) => void, debug: boolean): number {
  if (debug && err instanceof Error && !(err instanceof CommanderError)) write(`${err.stack ?? err.message}\n`);
  if (err instanceof CliExit) {
    if (err.message) write(`error: ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof CommanderError) {
    // commander already printed its message (usage errors); help/version exit 0.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof AppError) {
    write(`error: ${err.message}\n`);
    return err.code === 'INVALID_ARGUMENT' ? 2 : 1;
  }
  const what = err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : String(err);
  write(`error: Retrace failed unexpectedly (${what}); run it again with RETRACE_DEBUG=1 to see where, and please report it.\n`);
  return 1;
}
