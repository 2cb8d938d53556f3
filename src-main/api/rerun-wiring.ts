import type { RerunProgressDto } from '../../shared/rerun-dto';
import type { ReadableDb } from '../db/open-db';
import type { LineageEngine } from '../lineage/read-models/lineage-engine';
import { stalenessOf } from '../lineage/read-models/upstream';
import { RerunService } from '../repro/rerun-service';

/**
 * The re-run service over one workspace, with the lineage lookups its planner needs: run and
 * artifact names, version-aware impact for downstream plans, and the engine's staleness (to say
 * what a stale plan leaves out).
 */
export function createRerunService(opts: { db: ReadableDb; workspaceRoot: string; engine: () => LineageEngine; emit(e: RerunProgressDto): void }): RerunService {
  const { db } = opts;
  return new RerunService({
    db,
    workspaceRoot: opts.workspaceRoot,
    emit: opts.emit,
    planner: () => {
      const engine = opts.engine();
      engine.refresh();
      return {
        resolveRun: (ref) => engine.catalog.resolveRun(ref),
        artifactFiles: (ref) => {
          const id = engine.resolveArtifact(ref);
          const rows = db.prepare('SELECT id FROM artifacts WHERE id = ? OR rollup_id = ?').pluck().all(id, id) as number[];
          return { label: engine.catalog.artifact(id).label, ids: rows };
        },
        impactRuns: (run) => engine.impact({ run }).runs,
        childRuns: (run) => db.prepare('SELECT id FROM runs WHERE parent_run_uuid = ? ORDER BY first_seq').pluck().all(run) as number[],
        staleProducers: () => {
          const out = new Map<string, number>();
          for (const s of stalenessOf(engine)) if (s.stale && s.producedBy) out.set(s.producedBy, (out.get(s.producedBy) ?? 0) + 1);
          return out;
        },
      };
    },
  });
}
