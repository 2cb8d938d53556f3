/**
 * CSV export of impact results (issue 4.3): one row per artifact in the union of footprints,
 * a 0/1 column per footprint class, then one row per impacted run. RFC 4180 quoting.
 */
import { FOOTPRINT_CLASSES, type ImpactDto } from '../../../shared/lineage-dto';

export function impactCsv(dto: ImpactDto): string {
  const rows: string[][] = [['type', 'id', 'kind', 'depth', ...FOOTPRINT_CLASSES]];
  for (const e of dto.entries) rows.push(['artifact', e.artifact, e.kind, '', ...FOOTPRINT_CLASSES.map((c) => (e.classes.includes(c) ? '1' : '0'))]);
  for (const r of dto.runDetails) rows.push(['run', r.run, r.job ?? '', String(r.depth), ...FOOTPRINT_CLASSES.map(() => '')]);
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
