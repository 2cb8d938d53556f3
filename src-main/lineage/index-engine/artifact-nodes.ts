/**
 * Artifacts as the graph draws them at a point of history: files rolled up into their artifact
 * folder, a node alive when the folder (or file) itself is, or any file below it is, and its
 * version the newest current version among its files. The graph, the snapshot compare and the
 * catalogue all need the same answer, so it is decided here once.
 */
import { ALIVE, DELETED, type HistoryState } from './history';
import type { LineageIndex } from './lineage-index';

export interface ArtifactNodes {
  /** Per rolled-up artifact id: 1 when it is drawn (alive). */
  readonly alive: Uint8Array;
  /** Per rolled-up artifact id: the version id it shows (0 = none known). */
  readonly repVer: Int32Array;
  /** The rolled-up artifacts seen in the history, in first-seen order (alive or not). */
  readonly keys: readonly number[];
}

export function artifactNodes(ix: LineageIndex, h: HistoryState): ArtifactNodes {
  const rollup = ix.artRollup.data;
  const n = ix.meta.lastArtifactId + 1;
  const alive = new Uint8Array(n);
  const repVer = new Int32Array(n);
  const repSeq = new Int32Array(n);
  const keys: number[] = [];
  const seenKey = new Uint8Array(n);
  for (const a of h.seen) {
    const key = rollup[a] || a;
    if (seenKey[key] === 0) {
      seenKey[key] = 1;
      keys.push(key);
    }
    if (h.state[a] === ALIVE) alive[key] = 1;
    if (h.curVer[a] && h.curSeq[a]! >= repSeq[key]!) {
      repSeq[key] = h.curSeq[a]!;
      repVer[key] = h.curVer[a]!;
    }
  }
  // An explicit delete of the folder itself removes it (files written in it later revive it, see HistoryState).
  for (const a of h.seen) if (!rollup[a] && h.state[a] === DELETED) alive[a] = 0;
  return { alive, repVer, keys };
}
