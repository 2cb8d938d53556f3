import path from 'node:path';
import type { ReadableDb } from '../db/open-db';
import { LineageEngine } from '../lineage/read-models/lineage-engine';
import type { WorkspacePaths } from '../workspace/workspace-paths';
import { type TableHistoryReader, tableCommitSource } from './table-commits';

/**
 * The one way to open a workspace's lineage engine (the app and every CLI command): the index
 * file for cold start, and the workspace's Delta table commits merged into the snapshots.
 * `tableHistory` reads a table's commits (the commit store's; null when the caller knows the
 * workspace has no tables, so the commit store need not load).
 */
export function openWorkspaceEngine(db: ReadableDb, paths: WorkspacePaths, tableHistory: TableHistoryReader | null): LineageEngine {
  return LineageEngine.open(db, {
    indexFile: path.join(paths.dotDir, 'lineage-index.bin'),
    workspaceRoot: paths.root,
    ...(tableHistory ? { commits: tableCommitSource(db, paths.root, tableHistory) } : {}),
  });
}

/**
 * For one-shot commands: the engine, with the commit store loaded only when the workspace has
 * Delta tables (it brings Parquet and Arrow, the slowest modules to load).
 */
export async function openWorkspaceEngineOnce(db: ReadableDb, paths: WorkspacePaths): Promise<LineageEngine> {
  const { hasDeltaTables } = await import('./table-commits');
  const tableHistory = hasDeltaTables(db, paths.root) ? (await import('../lake/index')).tableHistory : null;
  return openWorkspaceEngine(db, paths, tableHistory);
}
