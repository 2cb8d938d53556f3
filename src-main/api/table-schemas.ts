/**
 * Delta table schemas for column lineage, read through the commit store: the columns of a table
 * at a version with their types and, under column mapping, their physical names (which survive
 * a rename). Wired into the column service by the composition roots only when the workspace has
 * Delta tables, so the commit store loads only then.
 */
import { loadSnapshot } from '../lake/delta-log';
import type { DeltaField, DeltaType } from '../lake/delta-types';
import type { TableColumns } from '../lineage/columns/column-view';

export async function readTableSchema(dir: string, version: number): Promise<TableColumns['columns']> {
  const snap = await loadSnapshot(dir, version);
  return snap.schema.fields.map((f: DeltaField) => {
    const physical = f.metadata?.['delta.columnMapping.physicalName'];
    return { name: f.name, type: describe(f.type), ...(typeof physical === 'string' && physical !== f.name ? { physicalName: physical } : {}) };
  });
}

/** A Delta type as one line of text: `long`, `decimal(10,2)`, `array<string>`, `struct<a: int, b: string>`. */
function describe(t: DeltaType): string {
  if (typeof t === 'string') return t;
  if (t.type === 'array') return `array<${describe(t.elementType)}>`;
  if (t.type === 'map') return `map<${describe(t.keyType)}, ${describe(t.valueType)}>`;
  return `struct<${t.fields.map((f) => `${f.name}: ${describe(f.type)}`).join(', ')}>`;
}
