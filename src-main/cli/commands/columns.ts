import type { Command } from 'commander';
import type { ColumnLineageDto, DatasetColumnsDto, TransformationDto } from '../../../shared/columns-dto';
import { AppError } from '../../../shared/errors';
import { cliOutput, parseIntArg, parseTimeArg, printJson, resolveWorkspace } from '../cli-io';

const WS_HELP = 'the workspace (default: nearest folder upward holding .retrace/)';

interface ColumnsOpts {
  workspace?: string;
  upstream?: boolean;
  downstream?: boolean;
  depth?: string;
  snapshot?: string;
  asOf?: string;
  json?: boolean;
}

/**
 * `retrace columns DATASET [COLUMN]` (DESIGN §8, issue 19): a dataset's columns with each one's
 * direct inputs, or one column's transitive upstream (default) or downstream, as of a snapshot.
 */
export function registerColumnsCommand(program: Command): void {
  program
    .command('columns')
    .description('column-level lineage: a dataset\'s columns and their inputs, or a column\'s upstream / downstream, as of a snapshot')
    .argument('<dataset>', 'a dataset as `retrace graph` labels it (workspace-relative path, or namespace/name)')
    .argument('[column]', 'a column of it: list what it comes from (--upstream, the default) or what it feeds (--downstream)')
    .option('-w, --workspace <dir>', WS_HELP)
    .option('--upstream', 'the columns COLUMN is derived from, transitively (default)')
    .option('--downstream', 'the columns derived from COLUMN, transitively')
    .option('--depth <n>', 'follow at most N edges (1 = direct inputs or consumers)')
    .option('--snapshot <k>', 'as of snapshot K (see `retrace snapshots`)')
    .option('--as-of <time>', 'as of the last snapshot at or before this time (ISO-8601 or epoch ms)')
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nExamples:\n  retrace columns Churn_Training_Datasets/churn_td_6\n  retrace columns Churn_Training_Datasets/churn_td_6 spend_total --upstream\n  retrace columns data/raw/day-03.csv tickets --downstream --snapshot 12 --json\n\nLog lines the metadata DB has not read yet are ingested first.')
    .action(async (dataset: string, column: string | undefined, o: ColumnsOpts) => {
      if (o.upstream && o.downstream) throw new AppError('INVALID_ARGUMENT', 'Give either --upstream or --downstream, not both.');
      if (o.snapshot !== undefined && o.asOf !== undefined) throw new AppError('INVALID_ARGUMENT', 'Give either --snapshot or --as-of, not both.');
      if (column === undefined && (o.upstream || o.downstream || o.depth !== undefined)) {
        throw new AppError('INVALID_ARGUMENT', `${o.depth !== undefined ? '--depth' : o.upstream ? '--upstream' : '--downstream'} goes with a COLUMN; give one after the dataset.`);
      }
      const depth = o.depth === undefined ? undefined : parseIntArg(o.depth, '--depth');
      if (depth === 0) throw new AppError('INVALID_ARGUMENT', '--depth takes a whole number of at least 1.');
      const at = { ...(o.snapshot !== undefined ? { snapshot: parseIntArg(o.snapshot, '--snapshot') } : {}), ...(o.asOf !== undefined ? { asOf: String(parseTimeArg(o.asOf, '--as-of')) } : {}) };
      const [{ openForQuery }, { openColumnsService }, answers] = await Promise.all([
        import('../query-workspace'), import('../../api/columns-wiring'), import('../../lineage/columns/column-answers'),
      ]);
      const ws = await openForQuery(resolveWorkspace(o.workspace), (line) => process.stderr.write(`${line}\n`));
      try {
        const svc = openColumnsService(ws.engine, ws.paths.root);
        // As `retrace graph` does: "now" is reported as the latest snapshot, flagged live.
        const now = { snapshot: svc.engine.snapshots().length || null, live: true };
        if (column === undefined) {
          const dto = await answers.datasetColumns(svc, { dataset, ...at, limit: Number.MAX_SAFE_INTEGER });
          if (o.json) printJson({ ...columnsJson(dto), ...(dto.snapshot === null ? now : {}) });
          else cliOutput.write(formatColumns(dto, svc.describe(svc.at(at))));
        } else {
          const dto = await answers.columnLineage(svc, { dataset, column, direction: o.downstream ? 'downstream' : 'upstream', ...at, ...(depth !== undefined ? { depth } : {}) });
          if (o.json) printJson({ ...lineageJson(dto), ...(dto.snapshot === null ? now : {}) });
          else cliOutput.write(formatLineage(dto, svc.describe(svc.at(at))));
        }
      } finally {
        ws.close();
      }
    });
}

const tJson = (ts: readonly TransformationDto[]) => ts.map((t) => ({ type: t.type, subtype: t.subtype ?? null, ...(t.description ? { description: t.description } : {}), ...(t.masking ? { masking: true } : {}) }));

/** DESIGN §8 `columns` without COLUMN: each column's direct inputs (the dataset-level list included, as every column's). */
function columnsJson(d: DatasetColumnsDto) {
  const fields: Record<string, unknown[]> = {};
  for (const c of d.columns) {
    fields[c.name] = [...c.inputs, ...(c.referencedOnly ? [] : d.datasetInputs)].map((i) => ({
      dataset: i.dataset, column: i.column, transformations: tJson(i.transformations), ...(i.datasetLevel ? { datasetLevel: true } : {}),
    }));
  }
  return {
    dataset: d.dataset, snapshot: d.snapshot, node: d.node, source: d.source,
    schema: d.columns.map((c) => ({ name: c.name, type: c.type })), fields,
  };
}

/** DESIGN §8 `columns` with COLUMN: the transitive walk, nearest first. */
function lineageJson(d: ColumnLineageDto) {
  return {
    dataset: d.dataset, column: d.column, direction: d.direction, snapshot: d.snapshot, depth: d.depth,
    columns: d.columns.map((c) => ({ dataset: c.dataset, column: c.column, depth: c.depth, transformations: tJson(c.transformations), ...(c.kind === null ? { unknownDataset: true } : {}) })),
  };
}

const tText = (ts: readonly TransformationDto[]) => ts.map((t) => `${t.type}${t.subtype ? ` ${t.subtype}` : ''}`).join(', ');

function formatColumns(d: DatasetColumnsDto, when: string): string {
  const by = d.writtenBy ? `, as declared by run ${d.writtenBy.run}${d.writtenBy.job ? ` (${d.writtenBy.job})` : ''}` : '';
  const source = { declared: '', 'input-schema': ', from its schema as an input', table: `, Delta table version ${d.tableVersion}`, 'lineage-only': ', known only from other datasets\' column lineage', none: '' }[d.source];
  const head = `${d.dataset} ${when}: ${d.columns.length} column${d.columns.length === 1 ? '' : 's'}${source}${by}.\n`;
  if (d.columns.length === 0) return head;
  const w = Math.max(...d.columns.map((c) => c.name.length));
  const tw = Math.max(...d.columns.map((c) => (c.type ?? '').length));
  const lines = d.columns.map((c) => {
    const ins = c.inputs.map((i) => `${i.dataset}.${i.column} (${tText(i.transformations)})`).join(', ');
    const note = c.referencedOnly ? '  (not in its schema: named by another dataset\'s column lineage)' : '';
    return `  ${c.name.padEnd(w)}  ${(c.type ?? '').padEnd(tw)}${ins ? `  ← ${ins}` : ''}${note}`.trimEnd();
  });
  if (d.datasetInputs.length) lines.push(`  every column ← ${d.datasetInputs.map((i) => `${i.dataset}.${i.column} (${tText(i.transformations)})`).join(', ')}`);
  return head + lines.join('\n') + '\n';
}

function formatLineage(d: ColumnLineageDto, when: string): string {
  const what = d.direction === 'upstream' ? 'comes from' : 'feeds';
  const head = `${d.dataset}.${d.column} ${when} ${what} ${d.columns.length} column${d.columns.length === 1 ? '' : 's'}${d.depth !== null ? ` within depth ${d.depth}` : ''}${d.columns.length ? ':' : '.'}\n`;
  return head + d.columns.map((c) => `  ${String(c.depth).padStart(2)}  ${c.dataset}.${c.column}  (${tText(c.transformations)})${c.kind === null ? '  [dataset seen only in column lineage]' : ''}`).join('\n') + (d.columns.length ? '\n' : '');
}
