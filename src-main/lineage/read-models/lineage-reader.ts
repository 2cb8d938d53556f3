import type { GraphDto, SnapshotDto } from '../../../shared/dto';

/**
 * The lineage queries the API needs. The lineage engine implements this over the metadata DB;
 * the API only knows this interface, so the engine can keep in-memory indexes behind it.
 */
export interface LineageReader {
  /**
   * The graph after snapshot `seq` (newest when undefined), built from history up to it.
   * `granularity` (optional for implementations): `job` (default) or `run` (runs as nodes).
   */
  graphAt(seq: number | undefined, opts?: { readonly granularity?: 'job' | 'run' }): GraphDto;
  /** The snapshot in force at time `atMs` (the last one at or before it), or null if none. */
  snapshotAsOf(atMs: number): number | null;
  listSnapshots(): SnapshotDto[];
  counts(): { runs: number; artifacts: number; rejectedLines: number };
}

/** A workspace with no provenance yet: an empty graph and no snapshots. */
export const EMPTY_LINEAGE: LineageReader = {
  graphAt: () => ({ snapshot: null, nodes: [], edges: [] }),
  snapshotAsOf: () => null,
  listSnapshots: () => [],
  counts: () => ({ runs: 0, artifacts: 0, rejectedLines: 0 }),
};
