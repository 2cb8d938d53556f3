import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import { parseIntArg, parseTimeArg } from '../cli-io';
import type { EqualsFilter } from '../../lake/delta-scan';
import type { Row } from '../../lake/delta-types';
import type { WriteMode } from '../../lake/delta-writer';

/**
 * `retrace table write|read|history|changes` (DESIGN §8). Reads stream one file at a time, and
 * output waits for stdout to drain, so big tables never sit in memory whole.
 */
const MODES: readonly WriteMode[] = ['append', 'upsert', 'delete', 'overwrite'];

/** Where command output goes; tests pass their own sink (stdout also carries the test runner's reports). */
export interface TableOutput { write(text: string): Promise<void> }

const stdoutSink: TableOutput = {
  async write(text) {
    if (!process.stdout.write(text)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
  },
};

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function parseWhere(values: readonly string[]): EqualsFilter[] {
  return values.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new AppError('INVALID_ARGUMENT', `--where "${w}" must look like COL=VALUE.`);
    return { column: w.slice(0, eq), value: w.slice(eq + 1) };
  });
}

function parseFormat(value: string | undefined, allowed: readonly string[]): string {
  const f = value ?? 'jsonl';
  if (!allowed.includes(f)) throw new AppError('INVALID_ARGUMENT', `--format must be one of ${allowed.join(', ')}, not "${f}".`);
  return f;
}

async function printRows(io: TableOutput, batches: AsyncIterable<Row[]>, format: string, columns?: readonly string[]): Promise<void> {
  let header = format !== 'csv';
  for await (const rows of batches) {
    for (const r of rows) {
      if (!header) {
        await io.write(`${(columns ?? Object.keys(r)).map(csvCell).join(',')}\n`);
        header = true;
      }
      await io.write(format === 'csv' ? `${(columns ?? Object.keys(r)).map((c) => csvCell(r[c])).join(',')}\n` : `${JSON.stringify(r)}\n`);
    }
  }
}

export function registerTableCommand(program: Command, io: TableOutput = stdoutSink): void {
  const table = program.command('table').description('write, read and travel Delta tables (and read Hudi copy-on-write tables)');

  table
    .command('write')
    .description('commit a CSV, JSON-lines or Parquet file to a Delta table (created if missing)')
    .argument('<dir>', 'the table folder')
    .requiredOption('--input <file>', 'rows to write (.csv, .jsonl, .parquet); for delete: the keys')
    .option('--key <col>', 'key column(s), comma-separated (needed for upsert and delete)')
    .option('--mode <mode>', 'append | upsert | delete | overwrite', 'append')
    .action(async (dir: string, opts: { input: string; key?: string; mode: string }) => {
      if (!MODES.includes(opts.mode as WriteMode)) throw new AppError('INVALID_ARGUMENT', `--mode must be one of ${MODES.join(', ')}, not "${opts.mode}".`);
      const keyColumns = opts.key ? opts.key.split(',').map((k) => k.trim()).filter(Boolean) : undefined;
      // Under `retrace run` in the demo, simulated days shift every recorded time, commits included.
      const offset = Number(process.env.RETRACE_TIME_OFFSET_MS ?? 0);
      const { writeTableFromFile } = await import('../../lake/index');
      const result = await writeTableFromFile(path.resolve(dir), path.resolve(opts.input), {
        mode: opts.mode as WriteMode,
        ...(keyColumns ? { keyColumns } : {}),
        ...(Number.isFinite(offset) && offset !== 0 ? { timeOffsetMs: offset } : {}),
      });
      await io.write(`${JSON.stringify(result, null, 2)}\n`);
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
    .action(async (dir: string, opts: { version?: string; asOf?: string; where: string[]; columns?: string; format?: string }) => {
      const format = parseFormat(opts.format, ['jsonl', 'csv']);
      const columns = opts.columns ? opts.columns.split(',').map((c) => c.trim()).filter(Boolean) : undefined;
      const where = parseWhere(opts.where);
      const abs = path.resolve(dir);
      if (opts.version !== undefined && opts.asOf !== undefined) throw new AppError('INVALID_ARGUMENT', 'Give either --version or --as-of, not both.');
      if (fs.existsSync(path.join(abs, '.hoodie'))) {
        if (opts.version !== undefined) throw new AppError('INVALID_ARGUMENT', 'Hudi tables have instants, not versions: use --as-of <instant>.');
        const { readHudiSnapshot } = await import('../../lake/hudi');
        const rows = (await readHudiSnapshot(abs, { ...(opts.asOf ? { asOf: opts.asOf.replace(/\D/g, '') } : {}), ...(columns ? { columns } : {}) }))
          .filter((r) => where.every((w) => String(r[w.column]) === w.value));
        await printRows(io, (async function* () { yield rows; })(), format, columns);
        return;
      }
      const [{ resolveVersion }, { loadSnapshot }, { scanSnapshot }] = await Promise.all([
        import('../../lake/lookup'), import('../../lake/delta-log'), import('../../lake/delta-scan'),
      ]);
      const version = resolveVersion(abs, {
        ...(opts.version !== undefined ? { version: parseIntArg(opts.version, '--version') } : {}),
        ...(opts.asOf !== undefined ? { asOf: parseTimeArg(opts.asOf, '--as-of') } : {}),
      });
      const snap = await loadSnapshot(abs, version);
      const shown = columns ?? snap.schema.fields.map((f) => f.name);
      await printRows(io, scanSnapshot(snap, { ...(columns ? { columns } : {}), where }), format, shown);
    });

  table
    .command('history')
    .description('the commits of a table with rows inserted, updated and deleted')
    .argument('<dir>', 'the table folder')
    .option('--json', 'print one JSON document')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const { tableHistory } = await import('../../lake/index');
      const history = tableHistory(path.resolve(dir));
      if (opts.json) { await io.write(`${JSON.stringify(history, null, 2)}\n`); return; }
      const lines = ['version  timestamp                 operation        inserted  updated  deleted'];
      for (const h of history) {
        lines.push(`${String(h.version).padEnd(8)} ${h.timestamp.padEnd(25)} ${h.operation.padEnd(16)} ${String(h.rowsInserted).padStart(8)} ${String(h.rowsUpdated).padStart(8)} ${String(h.rowsDeleted).padStart(8)}`);
      }
      await io.write(`${lines.join('\n')}\n`);
    });

  table
    .command('changes')
    .description('row-level changes of versions FROM..TO (both included), one JSON object per line')
    .argument('<dir>', 'the table folder')
    .requiredOption('--from <v>', 'first version')
    .requiredOption('--to <v>', 'last version')
    .option('--key <col>', 'key column(s) to pair deletes and inserts into updates when the table has no change data feed')
    .option('--format <fmt>', 'jsonl', 'jsonl')
    .action(async (dir: string, opts: { from: string; to: string; key?: string; format?: string }) => {
      parseFormat(opts.format, ['jsonl']);
      const keyColumns = opts.key ? opts.key.split(',').map((k) => k.trim()).filter(Boolean) : undefined;
      const { readChanges } = await import('../../lake/changes');
      const changes = await readChanges(path.resolve(dir), parseIntArg(opts.from, '--from'), parseIntArg(opts.to, '--to'), keyColumns ? { keyColumns } : {});
      await printRows(io, (async function* () { yield changes; })(), 'jsonl');
    });
}
