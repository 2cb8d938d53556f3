import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { NODE_KINDS, type GraphDto, type NodeKind } from '../../../shared/dto';
import { AppError } from '../../../shared/errors';
import { openWorkspaceEngine } from '../../api/workspace-engine';
import { openDb } from '../../db/open-db';
import { FOOTPRINT_CLASSES, type FootprintClasses, type ImpactDirection, type ImpactDto } from '../../../shared/lineage-dto';
import { LineageEngine } from '../../lineage/read-models/lineage-engine';
import { exportOpenLineage, exportProvJson } from '../../lineage/read-models/export';
import { footprintTree } from '../../lineage/index-engine/footprint';
import { impactCsv } from '../../../shared/impact-csv';
import { latestPipelineUsing, mostUsed, type MostUsedOptions, whoRan } from '../../lineage/read-models/insights';
import { search } from '../../lineage/read-models/search';
import type { FootprintTreeNode } from '../../../shared/lineage-dto';
import { workspacePaths } from '../../workspace/workspace-paths';
import { parseIntArg, parseTimeArg, printJson, resolveWorkspace } from '../cli-io';

const WS_HELP = 'the workspace (default: nearest folder upward holding .retrace/)';
const DB_NOTE = '\nReads the metadata DB as it is; run `retrace ingest` to bring it up to date with the logs.';

interface WsOpts { workspace?: string; json?: boolean }

/**
 * Opens the workspace DB read-only with a lineage engine over it, runs `fn`, persists the index
 * for the next cold start when it changed (best effort), and closes the DB.
 */
function withEngine<T>(opts: WsOpts, fn: (engine: LineageEngine) => T): T {
  const paths = workspacePaths(resolveWorkspace(opts.workspace));
  if (!fs.existsSync(paths.dbFile)) {
    throw new AppError('NOT_FOUND', `${paths.root} has no metadata DB yet; run \`retrace ingest\` there first.`);
  }
  const db = openDb(paths.dbFile, { readonly: true });
  try {
    const engine = openWorkspaceEngine(db, paths);
    const result = fn(engine);
    if (engine.dirty) engine.save();
    return result;
  } finally {
    db.close();
  }
}

/** `graph`, `snapshots`, `footprint`, `impact`, `search`, `insights`, `export` (DESIGN §8). */
export function registerLineageCommands(program: Command): void {
  program
    .command('graph')
    .description('the lineage graph at a snapshot (default: now)')
    .option('-w, --workspace <dir>', WS_HELP)
    .option('--snapshot <k>', 'the graph after snapshot K (see `retrace snapshots`)')
    .option('--as-of <time>', 'the graph at the last snapshot at or before this time (ISO-8601 or epoch ms)')
    .option('--granularity <g>', 'job (default): jobs as nodes; run: runs as nodes', 'job')
    .option('--json', 'print one JSON document')
    .addHelpText('after', DB_NOTE)
    .action((o: WsOpts & { snapshot?: string; asOf?: string; granularity: string }) => {
      if (o.snapshot !== undefined && o.asOf !== undefined) throw new AppError('INVALID_ARGUMENT', 'Give either --snapshot or --as-of, not both.');
      if (o.granularity !== 'job' && o.granularity !== 'run') throw new AppError('INVALID_ARGUMENT', `--granularity takes job or run, not "${o.granularity}".`);
      const g = withEngine(o, (engine) => {
        let k = o.snapshot === undefined ? undefined : parseIntArg(o.snapshot, '--snapshot');
        if (o.asOf !== undefined) {
          const t = parseTimeArg(o.asOf, '--as-of');
          const at = engine.snapshotAsOf(t);
          if (at === null) throw new AppError('NOT_FOUND', `No snapshot exists at or before ${new Date(t).toISOString()}.`);
          k = at;
        }
        const graph = engine.graphAt(k, { granularity: o.granularity as 'job' | 'run' });
        // "now" is reported as the latest snapshot, flagged live: it also shows runs still going.
        const latest = engine.listSnapshots().at(-1)?.seq ?? null;
        return k === undefined ? { ...graph, snapshot: latest, live: true } : graph;
      });
      if (o.json) printJson(g);
      else process.stdout.write(formatGraph(g));
    });

  program
    .command('snapshots')
    .description('list the workspace snapshots (run endings, in order)')
    .option('-w, --workspace <dir>', WS_HELP)
    .option('--json', 'print one JSON document')
    .addHelpText('after', DB_NOTE)
    .action((o: WsOpts) => {
      const list = withEngine(o, (engine) => engine.listSnapshots());
      if (o.json) printJson(list);
      else process.stdout.write(list.length ? list.map((s) => `${String(s.seq).padStart(5)}  ${s.at}  ${s.kind.padEnd(6)}  ${s.label}`).join('\n') + '\n' : 'No snapshots yet.\n');
    });

  program
    .command('footprint')
    .description('what a run read, created, modified and deleted (Hopsworks footprint classes)')
    .argument('<run>', 'a run id, or a unique prefix of one')
    .option('-w, --workspace <dir>', WS_HELP)
    .option('--snapshot <k>', 'as of snapshot K')
    .option('--tree', 'also show the footprint as a directory tree')
    .option('--json', 'print one JSON document')
    .addHelpText('after', DB_NOTE)
    .action((run: string, o: WsOpts & { snapshot?: string; tree?: boolean }) => {
      const snapshot = o.snapshot === undefined ? undefined : parseIntArg(o.snapshot, '--snapshot');
      const fp = withEngine(o, (engine) => engine.footprint(run, { snapshot }));
      const tree = o.tree ? footprintTree(fp.entries, true) : undefined;
      if (o.json) printJson(tree ? { ...fp, tree } : fp);
      else {
        const head = `Run ${fp.run}${fp.job ? ` (${fp.job})` : ''}, ${fp.state}: ${fp.counts.ALL} artifacts touched.\n`;
        process.stdout.write(head + formatClasses(fp.classes) + (tree ? formatTree(tree) : ''));
      }
    });

  program
    .command('impact')
    .description('everything downstream of a run or an artifact version (version-aware), or upstream of it')
    .argument('<run-or-artifact>', 'a run id (or unique prefix), a workspace-relative path or namespace/name, optionally @VERSION')
    .option('-w, --workspace <dir>', WS_HELP)
    .option('--depth <n>', 'follow at most N runs downstream (or upstream)')
    .option('--snapshot <k>', 'as of snapshot K')
    .option('--direction <d>', 'downstream (default), upstream, or both', 'downstream')
    .option('--format <format>', 'csv: artifacts with their classes, then runs with job, depth and state (the app exports the same file)')
    .option('--csv', 'the same as --format csv')
    .option('--json', 'print one JSON document ({downstream, upstream} with --direction both)')
    .addHelpText('after', DB_NOTE)
    .action((arg: string, o: WsOpts & { depth?: string; snapshot?: string; direction: string; format?: string; csv?: boolean }) => {
      const depth = o.depth === undefined ? undefined : parseIntArg(o.depth, '--depth');
      const snapshot = o.snapshot === undefined ? undefined : parseIntArg(o.snapshot, '--snapshot');
      if (o.format !== undefined && o.format !== 'csv') throw new AppError('INVALID_ARGUMENT', `--format takes csv, not "${o.format}".`);
      if (!['downstream', 'upstream', 'both'].includes(o.direction)) throw new AppError('INVALID_ARGUMENT', `--direction takes downstream, upstream or both, not "${o.direction}".`);
      const directions: ImpactDirection[] = o.direction === 'both' ? ['downstream', 'upstream'] : [o.direction as ImpactDirection];
      const dtos = withEngine(o, (engine) => directions.map((direction) => engine.impactOf(localPath(arg), { direction, ...(depth !== undefined ? { depth } : {}), ...(snapshot !== undefined ? { snapshot } : {}) })));
      if (o.json) printJson(dtos.length === 2 ? { downstream: dtos[0], upstream: dtos[1] } : dtos[0]);
      else if (o.csv || o.format === 'csv') process.stdout.write(impactCsv(...dtos));
      else process.stdout.write(dtos.map(formatImpact).join(''));
    });

  program
    .command('search')
    .description('search artifacts, runs, jobs, users and tags (each word matches as a prefix; field:word restricts it)')
    .argument('<query...>', 'words to look for, e.g. "train alice" or "path:data/raw"')
    .option('-w, --workspace <dir>', WS_HELP)
    .option('--limit <n>', 'at most N results', '50')
    .option('--json', 'print one JSON document')
    .addHelpText('after', DB_NOTE)
    .action((words: string[], o: WsOpts & { limit: string }) => {
      const limit = parseIntArg(o.limit, '--limit');
      const dto = withEngine(o, (engine) => search(engine.db, words.join(' '), { limit }));
      if (o.json) printJson(dto);
      else process.stdout.write(dto.results.length ? dto.results.map((r) => `${r.kind.padEnd(16)} ${r.label}  (${r.id})`).join('\n') + '\n' : 'No matches.\n');
    });

  program
    .command('insights')
    .description('ready questions: most-used | latest-pipeline-using DATASET | who-ran PIPELINE')
    .argument('<question>', 'most-used, latest-pipeline-using or who-ran')
    .argument('[subject]', 'the DATASET (latest-pipeline-using) or PIPELINE (who-ran)')
    .option('-w, --workspace <dir>', WS_HELP)
    .option('--snapshot <k>', 'answer as of snapshot K')
    .option('--limit <n>', 'most-used: how many', '10')
    .option('--kind <kind>', 'most-used: rank only this artifact kind (default: datasets, feature groups, training datasets, files)')
    .option('--since <time>', 'most-used: count only runs that started at or after this time (ISO-8601 or epoch ms)')
    .option('--until <time>', 'most-used: count only runs that started at or before this time')
    .option('--json', 'print one JSON document')
    .addHelpText('after', DB_NOTE)
    .action((question: string, subject: string | undefined, o: WsOpts & InsightFlags) => {
      const need = (what: string) => {
        if (!subject) throw new AppError('INVALID_ARGUMENT', `insights ${question} needs a ${what}.`);
        return subject;
      };
      const snapshot = o.snapshot === undefined ? undefined : parseIntArg(o.snapshot, '--snapshot');
      if (question === 'most-used') {
        const req = mostUsedFlags(o);
        const rows = withEngine(o, (engine) => mostUsed(engine, { ...req, snapshot }));
        if (o.json) printJson(rows);
        else process.stdout.write(rows.map((r) => `${String(r.readers).padStart(6)}  ${r.artifact}`).join('\n') + (rows.length ? '\n' : 'No artifact has been read yet.\n'));
      } else if (question === 'latest-pipeline-using') {
        const dataset = need('DATASET');
        const r = withEngine(o, (engine) => latestPipelineUsing(engine, localPath(dataset), { snapshot }));
        if (o.json) printJson(r);
        else process.stdout.write(`${r.pipeline} (run ${r.run}) used ${dataset} at ${r.at}, in run ${r.consumerRun}.\n`);
      } else if (question === 'who-ran') {
        const pipeline = need('PIPELINE');
        const rows = withEngine(o, (engine) => whoRan(engine, pipeline, { snapshot }));
        if (o.json) printJson(rows);
        else process.stdout.write(rows.length ? rows.map((r) => `${r.at}  ${r.user ?? '(unknown user)'}  run ${r.run}${r.code ? `  code ${r.code}` : ''}`).join('\n') + '\n' : `Nobody has run the latest version of ${pipeline} successfully.\n`);
      } else {
        throw new AppError('INVALID_ARGUMENT', `Unknown question "${question}"; ask most-used, latest-pipeline-using DATASET or who-ran PIPELINE.`);
      }
    });

  program
    .command('export')
    .description('export runs (default: the whole workspace) as OpenLineage JSON lines or W3C PROV-JSON on stdout')
    .argument('[runs...]', 'run ids or unique prefixes (default: every run)')
    .requiredOption('--format <format>', 'openlineage or prov-json')
    .option('-w, --workspace <dir>', WS_HELP)
    .addHelpText('after', DB_NOTE)
    .action((runs: string[], o: WsOpts & { format: string }) => {
      if (o.format !== 'openlineage' && o.format !== 'prov-json') throw new AppError('INVALID_ARGUMENT', `--format takes openlineage or prov-json, not "${o.format}".`);
      const text = withEngine(o, (engine) => (o.format === 'openlineage'
        ? exportOpenLineage(engine, runs).map((l) => l + '\n').join('')
        : JSON.stringify(exportProvJson(engine, runs), null, 2) + '\n'));
      process.stdout.write(text);
    });
}

interface InsightFlags { snapshot?: string; limit: string; kind?: string; since?: string; until?: string }

/** `most-used` flags as the options `mostUsed` takes (the API validates the same ones in api-schema.ts). */
function mostUsedFlags(o: InsightFlags): MostUsedOptions {
  if (o.kind !== undefined && !(NODE_KINDS as readonly string[]).includes(o.kind)) {
    throw new AppError('INVALID_ARGUMENT', `--kind takes one of ${NODE_KINDS.join(', ')}, not "${o.kind}".`);
  }
  return {
    limit: parseIntArg(o.limit, '--limit'),
    ...(o.kind !== undefined ? { kinds: [o.kind as NodeKind] } : {}),
    ...(o.since !== undefined ? { since: parseTimeArg(o.since, '--since') } : {}),
    ...(o.until !== undefined ? { until: parseTimeArg(o.until, '--until') } : {}),
  };
}

/** A path that exists relative to the current folder is meant from here, not from the workspace root. */
function localPath(arg: string): string {
  const abs = path.resolve(arg);
  return !path.isAbsolute(arg) && fs.existsSync(abs) ? abs : arg;
}

function formatGraph(g: GraphDto): string {
  const label = new Map(g.nodes.map((n) => [n.id, n.label]));
  const head = `${g.nodes.length} nodes, ${g.edges.length} edges${g.snapshot !== null ? ` at snapshot ${g.snapshot}` : ''}.\n`;
  const stale = g.nodes.filter((n) => n.stale).map((n) => `  stale: ${n.label}`);
  return head + g.edges.map((e) => `  ${label.get(e.source)} -${e.kind}-> ${label.get(e.target)}`).join('\n') + (g.edges.length ? '\n' : '') + (stale.length ? stale.join('\n') + '\n' : '');
}

function formatImpact(dto: ImpactDto): string {
  const kinds = Object.entries(dto.byKind).map(([k, n]) => `${n} ${k}`).join(', ');
  return `${dto.direction === 'upstream' ? 'Upstream' : 'Impact'} of ${dto.of}: ${dto.runs.length} runs, ${dto.counts.ALL} artifacts${kinds ? ` (${kinds})` : ''}.\n`
    + dto.runDetails.map((r) => `  run ${r.run}  depth ${r.depth}  ${r.job ?? ''}  ${r.state}`).join('\n') + (dto.runs.length ? '\n' : '')
    + formatClasses(dto.classes);
}

function formatClasses(c: FootprintClasses): string {
  return FOOTPRINT_CLASSES.filter((k) => c[k].length).map((k) => `${k} (${c[k].length}):\n${c[k].map((a) => `  ${a}`).join('\n')}\n`).join('');
}

function formatTree(t: FootprintTreeNode, indent = ''): string {
  const lines = t.children.map((ch) => `${indent}  ${ch.name}${ch.classes ? `  [${ch.classes.join(', ')}]` : ''}\n${formatTree(ch, indent + '  ')}`);
  return (indent === '' ? 'Tree:\n' : '') + lines.join('');
}
