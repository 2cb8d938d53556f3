/**
 * The impact export (issue 13 §4): one CSV that the app's "Export CSV" and
 * `retrace impact … --format csv` both write with this code, so the two files are byte for byte
 * the same for the same impact. One row per impacted artifact, then one per impacted run, for
 * each direction given (downstream first when both are):
 *
 *   record     `artifact` or `run`
 *   direction  `downstream` or `upstream`
 *   name       artifact label (workspace path or namespace/name) or run id
 *   node_id    the graph node that draws it: `artifact:<ns>/<name>` (an artifact folder's node
 *              for a file inside one) or `run:<id>`
 *   kind       artifact kind, or `run`
 *   classes    artifacts: footprint classes, space-separated (INPUT OUTPUT_MODIFIED …)
 *   job        runs: `namespace/name` of the run's job
 *   depth      runs: run hops from the starting point (1 = direct)
 *   state      runs: COMPLETE, FAIL, … (as of the snapshot asked about)
 */
import { csvDocument } from './csv';
import type { ImpactDto } from './lineage-dto';

export const IMPACT_CSV_COLUMNS = ['record', 'direction', 'name', 'node_id', 'kind', 'classes', 'job', 'depth', 'state'] as const;

/** The rows (without the header) for one or two impacts, in the order given. */
export function impactCsvRows(...impacts: readonly ImpactDto[]): string[][] {
  const rows: string[][] = [];
  for (const dto of impacts) {
    for (const e of dto.entries) rows.push(['artifact', dto.direction, e.artifact, e.node, e.kind, e.classes.join(' '), '', '', '']);
    for (const r of dto.runDetails) rows.push(['run', dto.direction, r.run, `run:${r.run}`, 'run', '', r.job ?? '', String(r.depth), r.state]);
  }
  return rows;
}

/** The whole CSV document: RFC 4180, CRLF line ends, a header row. */
export function impactCsv(...impacts: readonly ImpactDto[]): string {
  return csvDocument(IMPACT_CSV_COLUMNS, impactCsvRows(...impacts));
}
