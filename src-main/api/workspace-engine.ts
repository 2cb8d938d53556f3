import path from 'node:path';
import type { ReadableDb } from '../db/open-db';
import { LineageEngine } from '../lineage/read-models/lineage-engine';
import type { WorkspacePaths } from '../workspace/workspace-paths';
import { tableCommitSource } from './table-commits';

/**
 * The one way to open a workspace's lineage engine (the app and every CLI command): the index
 * file for cold start, and the workspace's Delta table commits merged into the snapshots.
 */
export function openWorkspaceEngine(db: ReadableDb, paths: WorkspacePaths): LineageEngine {
  return LineageEngine.open(db, {
    indexFile: path.join(paths.dotDir, 'lineage-index.bin'),
    workspaceRoot: paths.root,
    commits: tableCommitSource(db, paths.root),
  });
}
