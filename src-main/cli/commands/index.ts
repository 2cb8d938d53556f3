import type { Command } from 'commander';
import { registerBenchCommand } from './bench';
import { registerDemoCommand } from './demo';
import { registerIngestCommands } from './ingest';
import { registerLineageCommands } from './lineage';
import { registerOpenCommand } from './open';
import { registerReproCommands } from './repro';
import { registerRerunCommand } from './rerun';
import { registerRunCommand } from './run';
import { registerServeCommand } from './serve';
import { registerTableCommand } from './table';

/**
 * Every capability's CLI registrar, in `--help` order. A capability adds one line here;
 * commands not yet built are stubbed by not-built.ts.
 */
export const COMMAND_REGISTRARS: readonly ((program: Command) => void)[] = [
  registerOpenCommand,
  registerServeCommand,
  registerDemoCommand,
  registerRunCommand,
  registerIngestCommands,
  registerLineageCommands,
  registerReproCommands,
  registerRerunCommand,
  registerTableCommand,
  registerBenchCommand,
];
