/**
 * Composition root of the plain-Node shell: the `retrace` CLI (and through it `serve`).
 * The Electron shell has its own root in entry-electron.ts; both build the same core.
 */
import { runCli } from './cli/main';

const code = await runCli(process.argv.slice(2));
// Commands that keep running (serve, tail) never resolve until they are told to stop.
process.exitCode = code;
