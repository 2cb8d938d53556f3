import { Command } from 'commander';

/**
 * Runs one `retrace …` command in this process through commander (the same registrar the CLI
 * uses) and returns what it printed on stdout. Errors propagate as the AppError the command threw.
 */
export async function cliInProcess(register: (program: Command) => void, args: readonly string[]): Promise<string> {
  const program = new Command('retrace').exitOverride();
  register(program);
  for (const c of program.commands) c.exitOverride();
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync([...args], { from: 'user' });
  } finally {
    process.stdout.write = write;
  }
  return out;
}
