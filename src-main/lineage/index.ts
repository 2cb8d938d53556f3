/**
 * The lineage engine (issue 4): snapshots, footprint, impact, staleness, upstream provenance,
 * search, insights and export over the metadata DB. What the API, the CLI and the benchmark use.
 *
 * Typical wiring (composition root):
 *   const engine = LineageEngine.open(db, { indexFile: path.join(paths.dotDir, 'lineage-index.bin'), workspaceRoot: paths.root });
 *   // engine implements LineageReader; every query first folds in new ingest batches (cheap when none).
 *   // On shutdown (or after a tail batch, throttled): if (engine.dirty) engine.save();
 */

/** The engine: an in-memory typed-array index that catches up with ingest; implements `LineageReader`. */
export { LineageEngine, type LineageEngineOptions, type ImpactRequest } from './read-models/lineage-engine';
/** The interface the API already consumes (graphAt, snapshotAsOf, listSnapshots, counts). */
export { type LineageReader, EMPTY_LINEAGE } from './read-models/lineage-reader';
/** Table commits can be merged into the snapshot list through `LineageEngineOptions.commits`. */
export type { TableCommitSnapshot } from './index-engine/snapshots';
/** Upstream provenance ("where did this come from") and staleness reports. */
export { upstreamOf, stalenessOf, type UpstreamRequest } from './read-models/upstream';
/** The paper's three questions. */
export { mostUsed, latestPipelineUsing, whoRan, DATASET_KINDS } from './read-models/insights';
/** FTS5 search (prefix words, bm25 when the hit set is small). */
export { search, ftsQuery, type SearchOptions } from './read-models/search';
/** `filter_by=FIELD[_LIKE|_LT|_LTE|_GT|_GTE]:value` listings. */
export { listRuns, listArtifacts, RUN_FIELDS, ARTIFACT_FIELDS, type ListRequest } from './read-models/filters';
/** OpenLineage JSON lines (round-trips through ingest) and W3C PROV-JSON. */
export { exportOpenLineage, exportProvJson } from './read-models/export';
/** CSV of an impact result. */
export { impactCsv } from './read-models/csv';
/** The directory-tree form of a footprint (from its entries). */
export { footprintTree } from './index-engine/footprint';
/** Graph diff between two GraphDtos (the engine's `diff(from, to)` uses it). */
export { diffGraphs } from './read-models/diff';
/** Result DTOs (plain JSON; to move into shared/dto.ts). */
export * from './types';
