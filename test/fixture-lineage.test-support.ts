import fs from 'node:fs';
import path from 'node:path';
import type { GraphDto, SnapshotDto } from '../shared/dto';
import type { LineageReader } from '../src-main/lineage/read-models/lineage-reader';

/**
 * A LineageReader over a JSON fixture, for tests of the transports and the renderer store:
 * they check that data crosses each boundary unchanged, not how lineage is computed.
 */
export function fixtureLineage(file = path.join(import.meta.dirname, 'fixtures/small-graph.json')): LineageReader {
  const fx = JSON.parse(fs.readFileSync(file, 'utf8')) as { snapshots: SnapshotDto[]; graphs: Record<string, Omit<GraphDto, 'snapshot'>> };
  const graphAt = (seq: number | undefined): GraphDto => {
    const at = seq ?? fx.snapshots.at(-1)!.seq;
    // The graph at k is the newest fixture graph at or before k.
    const key = Object.keys(fx.graphs).map(Number).filter((k) => k <= at).sort((a, b) => b - a)[0];
    const g = key === undefined ? { nodes: [], edges: [] } : fx.graphs[String(key)]!;
    return { snapshot: seq ?? null, nodes: g.nodes, edges: g.edges };
  };
  return {
    graphAt,
    snapshotAsOf: (t) => [...fx.snapshots].reverse().find((s) => Date.parse(s.at) <= t)?.seq ?? null,
    listSnapshots: () => fx.snapshots,
    counts: () => ({ runs: 2, artifacts: 3, rejectedLines: 1 }),
  };
}
