import type { ColumnHistoryEventDto, TransformationDto } from '../../../shared/columns-dto';

/** Pure text for the Columns inspector (tested in column-format.test.ts). */

/** "IDENTITY", "AGGREGATION", "JOIN · masked": the subtypes of an edge, DIRECT ones first. */
export function transformationText(ts: readonly TransformationDto[]): string {
  const sorted = [...ts].sort((a, b) => (a.type === b.type ? 0 : a.type === 'DIRECT' ? -1 : 1));
  return sorted.map((t) => `${t.subtype ? t.subtype.replace(/_/g, ' ').toLowerCase() : t.type.toLowerCase()}${t.masking ? ' (masked)' : ''}`).join(' · ');
}

/** Whether an edge carries the value (DIRECT) or only influences it (INDIRECT only): drawn solid vs dotted. */
export function edgeKind(ts: readonly TransformationDto[]): 'direct' | 'indirect' {
  return ts.some((t) => t.type === 'DIRECT') ? 'direct' : 'indirect';
}

/** One line of a column's life: "renamed from spend · snapshot 4". */
export function historyText(e: ColumnHistoryEventDto): string {
  const where = `snapshot ${e.snapshot}${e.tableVersion !== undefined ? ` (table v${e.tableVersion})` : ''}`;
  switch (e.change) {
    case 'appeared': return `appeared as ${e.column} · ${where}`;
    case 'renamed': return `renamed from ${e.from} to ${e.column}${e.by === 'column-mapping' ? ' (column mapping)' : ''} · ${where}`;
    case 'type_changed': return `type ${e.from} → ${e.to} · ${where}`;
    case 'dropped': return `dropped · ${where}`;
  }
}

/** Rows [first, last) to draw in a virtualised list of fixed-height rows, with some overscan. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 8): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(total, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return [first, Math.max(first, last)];
}
