import type { Command } from 'commander';
import { registerBenchCommand } from './commands/bench';
import { registerColumnsCommand } from './commands/columns';
import { registerDemoCommand } from './commands/demo';
import { registerDiffCommand } from './commands/diff';
import { registerIngestCommands } from './commands/ingest';
import { registerLineageCommands } from './commands/lineage';
import { registerOpenCommand } from './commands/open';
import { registerReproCommands } from './commands/repro';
import { registerReplayCommand } from './commands/replay';
import { registerRerunCommand } from './commands/rerun';
import { registerRunCommand } from './commands/run';
import { registerServeCommand } from './commands/serve';
import { registerStoreCommands } from './commands/store';
import { registerTableCommand } from './commands/table';

/** Every capability's CLI registrar, in `--help` order. A capability adds one line here. */
export const COMMAND_REGISTRARS: readonly ((program: Command) => void)[] = [
  registerOpenCommand,
  registerServeCommand,
  registerDemoCommand,
  registerRunCommand,
  registerIngestCommands,
  registerLineageCommands,
  registerColumnsCommand,
  registerReproCommands,
  registerRerunCommand,
  registerReplayCommand,
  registerStoreCommands,
  registerDiffCommand,
  registerTableCommand,
  registerBenchCommand,
];
