import type { ReplayProgressDto } from '../../shared/replay-dto';
import type { ReadableDb } from '../db/open-db';
import type { LineageEngine } from '../lineage/read-models/lineage-engine';
import { ReplayService } from '../replay/replay-service';
import type { WorkspacePaths } from '../workspace/workspace-paths';

/** The replay service over one workspace: runs are named the way every other command names them. */
export function createReplayService(opts: { db: ReadableDb; paths: WorkspacePaths; engine: () => LineageEngine; emit(e: ReplayProgressDto): void }): ReplayService {
  return new ReplayService({
    db: opts.db,
    paths: opts.paths,
    emit: opts.emit,
    resolveRun: (ref) => {
      const engine = opts.engine();
      engine.refresh();
      return engine.catalog.resolveRun(ref);
    },
  });
}
