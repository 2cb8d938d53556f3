/**
 * Composition root of the plain-Node shell: the `retrace` CLI (and through it `serve`).
 * The Electron shell has its own root in entry-electron.ts; both build the same core.
 *
 * `--version` is answered before anything else loads; every other command loads the CLI, and
 * each command loads what it runs only when it runs (cli/commands/*), so starting `retrace`
 * costs little more than starting Node.
 */
import { RETRACE_VERSION } from '../shared/version';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${RETRACE_VERSION}\n`);
} else {
  const { runCli } = await import('./cli/main');
  // Commands that keep running (serve, tail) never resolve until they are told to stop.
  process.exitCode = await runCli(argv);
}
