import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { csvRecord } from '../../../shared/csv';
import { AppError } from '../../../shared/errors';
import { parseIntArg, parseTimeArg } from '../cli-io';
import { firstVersionAtOrAfter, lastVersionAtOrBefore, readChanges } from '../../lake/changes';
import { loadSnapshot } from '../../lake/delta-log';
import { type EqualsFilter, scanSnapshot } from '../../lake/delta-scan';
import type { Row } from '../../lake/delta-types';
import type { WriteMode } from '../../lake/delta-writer';
import { hudiChanges, readHudiSnapshot, timeToInstant } from '../../lake/hudi';
import { tableHistoryOf, writeTableFromFile } from '../../lake/table-api';
import { readSchemaFile } from '../../lake/input';
import { resolveVersion } from '../../lake/lookup';
import { abandonOpenWrites } from '../../lake/write-journal';
import { registerTableMaintenance } from './table-maintenance';
import { type TableOutput, stdoutSink } from './table-output';

/**
 * `retrace table write|read|history|changes` (DESIGN §8; alter, vacuum and info live in
 * table-maintenance.ts). Reads stream one file at a time, and output waits for stdout to drain,
 * so big tables never sit in memory whole. Hudi tables are read where a Delta table would be.
 */
const MODES: readonly WriteMode[] = ['append', 'upsert', 'delete', 'overwrite'];

function parseWhere(values: readonly string[]): EqualsFilter[] {
  return values.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new AppError('INVALID_ARGUMENT', `--where "${w}" must look like COL=VALUE.`);
    return { column: w.slice(0, eq), value: w.slice(eq + 1) };
  });
}

export function parseFormat(value: string | undefined, allowed: readonly string[]): string {
  const f = value ?? 'jsonl';
  if (!allowed.includes(f)) throw new AppError('INVALID_ARGUMENT', `--format must be one of ${allowed.join(', ')}, not "${f}".`);
  return f;
}

const list = (v: string | undefined): string[] | undefined => (v ? v.split(',').map((k) => k.trim()).filter(Boolean) : undefined);
const isHudi = (dir: string): boolean => fs.existsSync(path.join(dir, '.hoodie'));

async function printRows(io: TableOutput, batches: AsyncIterable<Row[]>, format: string, columns?: readonly string[]): Promise<void> {
  let header = format !== 'csv';
  for await (const rows of batches) {
    for (const r of rows) {
      if (!header) {
        await io.write(csvRecord(columns ?? Object.keys(r)));
        header = true;
      }
      await io.write(format === 'csv' ? csvRecord((columns ?? Object.keys(r)).map((c) => r[c])) : `${JSON.stringify(r)}\n`);
    }
  }
}

/**
 * A Hudi instant from the command line: an instant or its prefix (`20240418`, `20240418172802262`),
 * a day (`2024-04-18`), or any time `--as-of` takes (ISO-8601, epoch ms; read as UTC).
 */
function hudiInstantArg(value: string, flag: string): string {
  if (/^\d{8,17}$/.test(value) && value.length !== 13) return value;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value.replace(/-/g, '');
  return timeToInstant(parseTimeArg(value, flag));
}

const once = (rows: Row[]): AsyncIterable<Row[]> => (async function* () { yield rows; })();

/** A killed write leaves files the next write cleans up; a signal lets this one clean up now. */
function cleanUpOnSignal(): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    abandonOpenWrites();
    process.stderr.write(`error: the write was interrupted (${signal}); nothing was committed and its files were removed.\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => { process.off('SIGINT', onSignal); process.off('SIGTERM', onSignal); };
}

export function registerTableCommand(program: Command, io: TableOutput = stdoutSink): void {
  const table = program.command('table').description('write, read, travel and maintain Delta tables; read Hudi tables (copy-on-write and merge-on-read)');

  table
    .command('write')
    .description('commit a CSV, JSON-lines or Parquet file to a Delta table (created if missing)')
    .argument('<dir>', 'the table folder')
    .requiredOption('--input <file>', 'rows to write (.csv, .jsonl, .parquet); for delete: the keys')
    .option('--key <col>', 'key column(s), comma-separated (needed for upsert and delete)')
    .option('--mode <mode>', 'append | upsert | delete | overwrite', 'append')
    .option('--schema <file>', 'the schema of a new table, as Delta schema JSON ({"type":"struct","fields":[…]}), instead of inferring it')
    .action(async (dir: string, opts: { input: string; key?: string; mode: string; schema?: string }) => {
      if (!MODES.includes(opts.mode as WriteMode)) throw new AppError('INVALID_ARGUMENT', `--mode must be one of ${MODES.join(', ')}, not "${opts.mode}".`);
      const keyColumns = list(opts.key);
      // Under `retrace run` in the demo, simulated days shift every recorded time, commits included.
      const offset = Number(process.env.RETRACE_TIME_OFFSET_MS ?? 0);
      const release = cleanUpOnSignal();
      try {
        const result = await writeTableFromFile(path.resolve(dir), path.resolve(opts.input), {
          mode: opts.mode as WriteMode,
          ...(keyColumns ? { keyColumns } : {}),
          ...(opts.schema ? { schema: readSchemaFile(path.resolve(opts.schema)) } : {}),
          ...(Number.isFinite(offset) && offset !== 0 ? { timeOffsetMs: offset } : {}),
        });
        await io.write(`${JSON.stringify(result, null, 2)}\n`);
      } finally {
        release();
      }
    });

  table
    .command('read')
    .description('print the rows of a version, one JSON object per line (or CSV)')
    .argument('<dir>', 'the table folder')
    .option('--version <n>', 'the version to read (default: latest)')
    .option('--as-of <time>', 'the version current at this time (ISO-8601 or epoch ms; a Hudi instant for Hudi tables)')
    .option('--where <col=value>', 'keep rows where COL equals VALUE (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--columns <a,b>', 'only these columns, in this order')
    .option('--format <fmt>', 'jsonl | csv', 'jsonl')
    .option('--read-optimized', 'Hudi merge-on-read: base files only, without the log files on top')
    .action(async (dir: string, opts: { version?: string; asOf?: string; where: string[]; columns?: string; format?: string; readOptimized?: boolean }) => {
      const format = parseFormat(opts.format, ['jsonl', 'csv']);
      const columns = list(opts.columns);
      const where = parseWhere(opts.where);
      const abs = path.resolve(dir);
      if (opts.version !== undefined && opts.asOf !== undefined) throw new AppError('INVALID_ARGUMENT', 'Give either --version or --as-of, not both.');
      if (isHudi(abs)) {
        if (opts.version !== undefined) throw new AppError('INVALID_ARGUMENT', 'Hudi tables have instants, not versions: use --as-of <instant>.');
        const asOf = opts.asOf === undefined ? undefined : hudiInstantArg(opts.asOf, '--as-of');
        const rows = (await readHudiSnapshot(abs, { ...(asOf ? { asOf } : {}), ...(columns ? { columns } : {}), ...(opts.readOptimized ? { readOptimized: true } : {}) }))
          .filter((r) => where.every((w) => String(r[w.column]) === w.value));
        await printRows(io, once(rows), format, columns);
        return;
      }
      const version = resolveVersion(abs, {
        ...(opts.version !== undefined ? { version: parseIntArg(opts.version, '--version') } : {}),
        ...(opts.asOf !== undefined ? { asOf: parseTimeArg(opts.asOf, '--as-of') } : {}),
      });
      const snap = await loadSnapshot(abs, version);
      for (const w of snap.warnings) io.warn?.(w);
      const shown = columns ?? snap.schema.fields.map((f) => f.name);
      await printRows(io, scanSnapshot(snap, { ...(columns ? { columns } : {}), where }), format, shown);
    });

  table
    .command('history')
    .description('the commits of a table (the completed instants of a Hudi table) with rows inserted, updated and deleted')
    .argument('<dir>', 'the table folder')
    .option('--json', 'print one JSON document')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const history = await tableHistoryOf(path.resolve(dir));
      if (opts.json) { await io.write(`${JSON.stringify(history, null, 2)}\n`); return; }
      const lines = ['version  timestamp                 operation        inserted  updated  deleted'];
      for (const h of history) {
        lines.push(`${String(h.version).padEnd(8)} ${h.timestamp.padEnd(25)} ${h.operation.padEnd(16)} ${String(h.rowsInserted).padStart(8)} ${String(h.rowsUpdated).padStart(8)} ${String(h.rowsDeleted).padStart(8)}`);
      }
      await io.write(`${lines.join('\n')}\n`);
    });

  table
    .command('changes')
    .description('row-level changes of versions FROM..TO (both included), one JSON object per line; for Hudi, rows written by instants after FROM up to TO')
    .argument('<dir>', 'the table folder')
    .option('--from <v>', 'first version (Hudi: the instant after which changes count)')
    .option('--to <v>', 'last version (Hudi: the last instant; default latest)')
    .option('--from-time <t>', 'instead of --from: the first commit at or after this time (ISO-8601 or epoch ms)')
    .option('--to-time <t>', 'instead of --to: the last commit at or before this time')
    .option('--key <col>', 'key column(s) to pair deletes and inserts into updates when the table has no change data feed')
    .option('--format <fmt>', 'jsonl', 'jsonl')
    .action(async (dir: string, opts: { from?: string; to?: string; fromTime?: string; toTime?: string; key?: string; format?: string }) => {
      parseFormat(opts.format, ['jsonl']);
      const abs = path.resolve(dir);
      if ((opts.from === undefined) === (opts.fromTime === undefined)) throw new AppError('INVALID_ARGUMENT', 'Give either --from or --from-time.');
      if (opts.to !== undefined && opts.toTime !== undefined) throw new AppError('INVALID_ARGUMENT', 'Give either --to or --to-time, not both.');
      if (isHudi(abs)) {
        const from = opts.from !== undefined ? hudiInstantArg(opts.from, '--from') : timeToInstant(parseTimeArg(opts.fromTime!, '--from-time') - 1);
        const to = opts.to !== undefined ? hudiInstantArg(opts.to, '--to') : opts.toTime !== undefined ? timeToInstant(parseTimeArg(opts.toTime, '--to-time')) : undefined;
        await printRows(io, once(await hudiChanges(abs, from, to)), 'jsonl');
        return;
      }
      const keyColumns = list(opts.key);
      const from = opts.from !== undefined ? parseIntArg(opts.from, '--from') : firstVersionAtOrAfter(abs, parseTimeArg(opts.fromTime!, '--from-time'));
      const to = opts.to !== undefined ? parseIntArg(opts.to, '--to')
        : opts.toTime !== undefined ? lastVersionAtOrBefore(abs, parseTimeArg(opts.toTime, '--to-time')) : (await loadSnapshot(abs)).version;
      const changes = await readChanges(abs, from, to, keyColumns ? { keyColumns } : {});
      await printRows(io, once(changes), 'jsonl');
    });

  registerTableMaintenance(table, io);
}
