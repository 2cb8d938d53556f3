import type { LineageEngine } from '../lineage/read-models/lineage-engine';
import { ColumnsService } from '../lineage/columns/columns-service';

/**
 * The column service of a workspace. Delta table schemas are read through the commit store,
 * loaded on the first table schema asked for (a workspace without tables never loads it).
 */
export function openColumnsService(engine: LineageEngine, workspaceRoot: string): ColumnsService {
  return new ColumnsService(engine, {
    workspaceRoot,
    tableSchema: async (dir, version) => (await import('./table-schemas')).readTableSchema(dir, version),
  });
}
