/**
 * CSV export of impact results (issue 4.3): one row per artifact in the union of footprints,
 * a 0/1 column per footprint class, then one row per impacted run. Written by the project's one
 * CSV writer (shared/csv.ts: RFC 4180, CRLF).
 */
import { csvDocument } from '../../../shared/csv';
import { FOOTPRINT_CLASSES, type ImpactDto } from '../../../shared/lineage-dto';

export function impactCsv(dto: ImpactDto): string {
  const rows: string[][] = [];
  for (const e of dto.entries) rows.push(['artifact', e.artifact, e.kind, '', ...FOOTPRINT_CLASSES.map((c) => (e.classes.includes(c) ? '1' : '0'))]);
  for (const r of dto.runDetails) rows.push(['run', r.run, r.job ?? '', String(r.depth), ...FOOTPRINT_CLASSES.map(() => '')]);
  return csvDocument(['type', 'id', 'kind', 'depth', ...FOOTPRINT_CLASSES], rows);
}
