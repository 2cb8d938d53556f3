import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import { parseIntArg } from '../cli-io';
import { alterTable } from '../../lake/table-alter';
import { tableInfo } from '../../lake/table-info';
import { DEFAULT_RETAIN_HOURS, vacuumTable } from '../../lake/vacuum';
import type { TableOutput } from './table-output';

/**
 * `retrace table alter|vacuum|info`: schema changes through column mapping, removing files no
 * retained version reads, and what a table is (format, features, schema tree).
 */
export function registerTableMaintenance(table: Command, io: TableOutput): void {
  table
    .command('alter')
    .description('rename or drop columns without rewriting data (switches the table to column mapping); older versions keep their names')
    .argument('<dir>', 'the table folder')
    .option('--rename <old=new>', 'rename a column (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--drop <col>', 'drop a column (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .action(async (dir: string, opts: { rename: string[]; drop: string[] }) => {
      const rename = opts.rename.map((r) => {
        const eq = r.indexOf('=');
        if (eq <= 0 || eq === r.length - 1) throw new AppError('INVALID_ARGUMENT', `--rename "${r}" must look like OLD=NEW.`);
        return [r.slice(0, eq), r.slice(eq + 1)] as const;
      });
      const result = await alterTable(path.resolve(dir), { rename, drop: opts.drop });
      await io.write(`${JSON.stringify(result, null, 2)}\n`);
    });

  table
    .command('vacuum')
    .description(`remove data files no retained version reads (versions current within the last --retain hours stay readable)`)
    .argument('<dir>', 'the table folder')
    .option('--retain <hours>', `keep every version current within this many hours (default ${DEFAULT_RETAIN_HOURS})`)
    .option('--dry-run', 'list what would be removed, remove nothing')
    .option('--json', 'print one JSON document')
    .action(async (dir: string, opts: { retain?: string; dryRun?: boolean; json?: boolean }) => {
      const retainHours = opts.retain === undefined ? DEFAULT_RETAIN_HOURS : Number(opts.retain);
      if (opts.retain !== undefined && !/^\d+(\.\d+)?$/.test(opts.retain)) throw new AppError('INVALID_ARGUMENT', `--retain takes a number of hours, not "${opts.retain}".`);
      const result = await vacuumTable(path.resolve(dir), { retainHours, dryRun: opts.dryRun === true });
      if (opts.json) { await io.write(`${JSON.stringify(result, null, 2)}\n`); return; }
      const verb = result.dryRun ? 'would remove' : 'removed';
      const lines = result.removed.map((f) => `${verb} ${f}`);
      lines.push(`${verb} ${result.removed.length} files (${result.bytes} bytes); versions ${result.retainedFromVersion} and later stay readable.`);
      await io.write(`${lines.join('\n')}\n`);
    });

  table
    .command('info')
    .description('format, protocol and features, schema (nested types as a tree), partitioning and size of a Delta or Hudi table')
    .argument('<dir>', 'the table folder')
    .option('--version <n>', 'a Delta version (default: latest)')
    .option('--json', 'print one JSON document')
    .action(async (dir: string, opts: { version?: string; json?: boolean }) => {
      const info = await tableInfo(path.resolve(dir), opts.version === undefined ? undefined : parseIntArg(opts.version, '--version'));
      if (opts.json) { await io.write(`${JSON.stringify(info, null, 2)}\n`); return; }
      const lines = [info.summary, `${info.numFiles} files, ${info.sizeBytes} bytes${info.numRecords === null ? '' : `, ${info.numRecords} rows`}`];
      if (info.partitionColumns.length) lines.push(`partitioned by ${info.partitionColumns.join(', ')}`);
      const walk = (nodes: typeof info.schema, depth: number): void => {
        for (const n of nodes) {
          lines.push(`${'  '.repeat(depth + 1)}${n.name}: ${n.type}${n.nullable ? '' : ' not null'}${n.physicalName ? ` (stored as ${n.physicalName})` : ''}`);
          if (n.kind === 'struct' && n.children) walk(n.children, depth + 1);
        }
      };
      lines.push('schema:');
      walk(info.schema, 0);
      for (const w of info.warnings) lines.push(`warning: ${w}`);
      await io.write(`${lines.join('\n')}\n`);
    });
}
