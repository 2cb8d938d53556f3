import { AppError } from '../../shared/errors';
import type { MetadataAction } from './delta-actions';
import type { DeltaField, DeltaStructType, DeltaType } from './delta-types';

/**
 * Column mapping (PROTOCOL.md §Column Mapping): with mode `name` or `id`, every field of the
 * schema, nested struct fields included, carries a physical name (`delta.columnMapping.
 * physicalName`) and an id (`delta.columnMapping.id`). Data files, partition values and
 * statistics use the physical names; in `id` mode a reader matches Parquet fields by field id.
 * Users only ever see logical names.
 */
export type ColumnMappingMode = 'none' | 'name' | 'id';

export const PHYSICAL_NAME_KEY = 'delta.columnMapping.physicalName';
export const FIELD_ID_KEY = 'delta.columnMapping.id';
export const MODE_KEY = 'delta.columnMapping.mode';
export const MAX_ID_KEY = 'delta.columnMapping.maxColumnId';

export function columnMappingMode(metadata: Pick<MetadataAction, 'configuration'>): ColumnMappingMode {
  const mode = metadata.configuration?.[MODE_KEY] ?? 'none';
  if (mode === 'none' || mode === 'name' || mode === 'id') return mode;
  throw new AppError('UNSUPPORTED', `Column mapping mode "${mode}" is not one Retrace knows (none, name or id).`, { feature: 'columnMapping' });
}

/** The name a field has in data files, partition values and statistics. */
export function physicalName(field: DeltaField, mode: ColumnMappingMode): string {
  if (mode === 'none') return field.name;
  const p = field.metadata?.[PHYSICAL_NAME_KEY];
  return typeof p === 'string' && p !== '' ? p : field.name;
}

export function fieldId(field: DeltaField): number | undefined {
  const id = field.metadata?.[FIELD_ID_KEY];
  return typeof id === 'number' ? id : typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : undefined;
}

/** Highest column-mapping id used anywhere in a type (nested struct fields included). */
export function maxFieldId(type: DeltaType): number {
  if (typeof type === 'string') return 0;
  if (type.type === 'struct') return Math.max(0, ...type.fields.map((f) => Math.max(fieldId(f) ?? 0, maxFieldId(f.type))));
  if (type.type === 'array') return maxFieldId(type.elementType);
  return Math.max(maxFieldId(type.keyType), maxFieldId(type.valueType));
}

/**
 * Gives every field without one a physical name and id, starting after `lastId`. `keepNames`
 * makes the physical name the current logical name: what Delta does when a table switches to
 * column mapping, so the existing data files stay readable without a rewrite.
 */
export function assignColumnMapping(schema: DeltaStructType, lastId: number, opts: { keepNames: boolean; newName: () => string }): { schema: DeltaStructType; maxId: number } {
  let next = lastId;
  const visitType = (t: DeltaType): DeltaType => {
    if (typeof t === 'string') return t;
    if (t.type === 'array') return { ...t, elementType: visitType(t.elementType) };
    if (t.type === 'map') return { ...t, keyType: visitType(t.keyType), valueType: visitType(t.valueType) };
    return { type: 'struct', fields: t.fields.map(visitField) };
  };
  const visitField = (f: DeltaField): DeltaField => {
    const meta = { ...(f.metadata ?? {}) };
    if (fieldId(f) === undefined) meta[FIELD_ID_KEY] = ++next;
    if (typeof meta[PHYSICAL_NAME_KEY] !== 'string') meta[PHYSICAL_NAME_KEY] = opts.keepNames ? f.name : opts.newName();
    return { ...f, type: visitType(f.type), metadata: meta };
  };
  const out = visitType(schema) as DeltaStructType;
  return { schema: out, maxId: Math.max(next, maxFieldId(out)) };
}
