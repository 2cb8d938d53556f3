import type { CatalogPageDto, CatalogRequest, CatalogRunRowDto } from '../../shared/catalog-dto';
import type { ReadableDb } from '../db/open-db';
import { listCatalog } from '../lineage/read-models/catalog-rows';
import type { LineageEngine } from '../lineage/read-models/lineage-engine';
import { liveState } from '../repro/current-state';
import { checkReproducibility } from '../repro/repro-check';

/** How long a run's reproducibility summary is reused: it reads files on disk, which change without an ingest. */
const REPRO_TTL_MS = 15_000;

/**
 * The catalogue behind `listCatalog`: the lineage read model pages the rows; this adds the
 * reproducibility summary of the page's runs (and only theirs: each one hashes inputs and may
 * ask an interpreter for its packages), remembered for a few seconds so scrolling back is free.
 */
export class CatalogService {
  private readonly repro = new Map<string, { until: number; axes: CatalogRunRowDto['repro'] }>();

  constructor(private readonly deps: { engine: () => LineageEngine; db: ReadableDb; workspaceRoot: string; clock?: () => number }) {}

  async list(req: CatalogRequest): Promise<CatalogPageDto> {
    const engine = this.deps.engine();
    const page = listCatalog(engine, req);
    if (page.what !== 'runs' || req.repro === false || page.rows.length === 0) return page;
    const now = this.deps.clock?.() ?? Date.now();
    const state = engine.index.meta.lastEventSeq;
    // One view of the current setup for the whole page, so an interpreter is asked once.
    const live = liveState(this.deps.workspaceRoot);
    const rows: CatalogRunRowDto[] = [];
    for (const row of page.rows) {
      const key = `${row.run}@${state}`;
      let hit = this.repro.get(key);
      if (!hit || hit.until < now) {
        let axes: CatalogRunRowDto['repro'] = null;
        try {
          axes = (await checkReproducibility(this.deps.db, engine.catalog.resolveRun(row.run), live)).axes;
        } catch {
          axes = null; // a run whose record cannot be read gets no summary, not a failed page
        }
        this.repro.set(key, (hit = { until: now + REPRO_TTL_MS, axes }));
      }
      rows.push({ ...row, repro: hit.axes });
    }
    if (this.repro.size > 5000) this.repro.clear();
    return { ...page, rows };
  }
}
