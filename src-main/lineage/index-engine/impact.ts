/**
 * Impact (DESIGN §4): starting from the versions a run produced (its OUTPUT_ADDED ∪
 * OUTPUT_MODIFIED writes) or from given versions, find every run that *read one of those exact
 * versions*, union their footprints, and continue from what they produced. Consumption is by
 * version, so a run that read a newer version written by someone else is not reached. Every
 * run is visited once, so cycles across versions (read-modify-write stages) terminate.
 */
import { OP } from './columns';
import { CLS, FootprintScratch } from './footprint';
import { type LineageIndex, PRODUCES } from './lineage-index';

const CLASS_MASK = 31;

export interface ImpactStart {
  /** Start from this run's outputs (the run itself is not part of its impact). */
  readonly run?: number;
  /** Or from these versions (their producers reading them back do not count as consumers). */
  readonly versions?: readonly number[];
}

export interface ImpactRaw {
  /** Impacted runs in BFS order, with their depth (1 = read a starting version). */
  readonly runs: number[];
  readonly depths: number[];
  /** File artifacts in the union of footprints, with their class bits in `fileBits`. */
  readonly files: number[];
  readonly fileBits: Uint8Array;
  /** Rolled-up artifacts in the union, with class bits in `artBits`. */
  readonly arts: number[];
  readonly artBits: Uint8Array;
  readonly maxDepthReached: number;
}

const WRITE_OPS = (1 << OP.CREATE) | (1 << OP.MODIFY) | (1 << OP.RENAME);
const PRODUCED = CLS.OUTPUT_ADDED | CLS.OUTPUT_MODIFIED;

/** Reusable state for impact queries over one index (visited stamps, unions, scratch). */
export class ImpactComputer {
  private visited = new Int32Array(1024);
  private epoch = 0;
  private readonly scratch = new FootprintScratch(1024);
  private fileBits = new Uint8Array(1024);
  private artBits = new Uint8Array(1024);

  constructor(private readonly ix: LineageIndex) {}

  /**
   * @param depth  run hops to follow (null = unbounded)
   * @param limit  the last access id in force (the as-of snapshot's history)
   */
  compute(start: ImpactStart, depth: number | null, limit: number): ImpactRaw {
    const ix = this.ix;
    const { visited, epoch, scratch, fileBits, artBits, files, arts, runs, depths } = this.begin();

    const readHead = ix.verReadHead.data, nextRead = ix.accNextRead.data, accRun = ix.accRun.data, accSeq = ix.accSeq.data;
    const next = ix.accNextInRun.data, accOp = ix.accOp.data, accArt = ix.accArt.data, accVer = ix.accVer.data;
    const accCls = ix.accCls.data, accArtCls = ix.accArtCls.data, runTail = ix.runTail.data, runSlow = ix.runSlow.data, rollup = ix.artRollup.data;
    let frontierVer: number[] = [];
    let frontierSeq: number[] = [];
    /** Per frontier entry: a run that does not count as consuming it (its producer). */
    let frontierSkip: number[] = [];

    const pushOutputs = (run: number) => {
      // Versions this run produced: its writes of artifacts whose class is ADDED or MODIFIED.
      for (let x = ix.runHead.data[run] ?? 0; x !== 0 && x <= limit; x = next[x]!) {
        if (((1 << accOp[x]!) & WRITE_OPS) === 0) continue;
        if ((scratch.fileCls[accArt[x]!]! & PRODUCED) === 0) continue;
        frontierVer.push(accVer[x]!);
        frontierSeq.push(accSeq[x]!);
        frontierSkip.push(run);
      }
    };

    if (start.run !== undefined) {
      visited[start.run] = epoch;
      scratch.compute(ix, start.run, limit);
      pushOutputs(start.run);
      scratch.reset();
    }
    for (const v of start.versions ?? []) {
      frontierVer.push(v);
      frontierSeq.push(0);
      frontierSkip.push(ix.verProducer.data[v] ?? 0);
    }

    let level = 0;
    let maxDepthReached = 0;
    while (frontierVer.length > 0 && (depth === null || level < depth)) {
      level++;
      const levelRuns: number[] = [];
      for (let i = 0; i < frontierVer.length; i++) {
        const after = frontierSeq[i]!;
        const skip = frontierSkip[i]!;
        for (let x = readHead[frontierVer[i]!] ?? 0; x !== 0 && x <= limit; x = nextRead[x]!) {
          // A read recorded before the write cannot have consumed it (same content hash, earlier run).
          if (accSeq[x]! <= after) continue;
          const r = accRun[x]!;
          if (r === 0 || r === skip || visited[r] === epoch) continue;
          visited[r] = epoch;
          levelRuns.push(r);
        }
      }
      frontierVer = [];
      frontierSeq = [];
      frontierSkip = [];
      if (levelRuns.length) maxDepthReached = level;
      for (const r of levelRuns) {
        runs.push(r);
        depths.push(level);
        if (runTail[r]! <= limit && runSlow[r] === 0) {
          // Fast path: the run's classes were precomputed per access (whole run in force).
          for (let x = ix.runHead.data[r]!; x !== 0; x = next[x]!) {
            const c = accCls[x]!;
            const f = accArt[x]!;
            const fc = c & CLASS_MASK;
            if (fc !== 0) {
              if (fileBits[f] === 0) files.push(f);
              fileBits[f]! |= fc;
            }
            const ac = accArtCls[x]!;
            if (ac !== 0) {
              const key = rollup[f] || f;
              if (artBits[key] === 0) arts.push(key);
              artBits[key]! |= ac;
            }
            if (c & PRODUCES) {
              frontierVer.push(accVer[x]!);
              frontierSeq.push(accSeq[x]!);
              frontierSkip.push(r);
            }
          }
          continue;
        }
        scratch.compute(ix, r, limit);
        this.unionScratch(files, fileBits, arts, artBits);
        pushOutputs(r);
        scratch.reset();
      }
    }
    return { runs, depths, files, fileBits, arts, artBits, maxDepthReached };
  }

  /**
   * The upstream side, symmetric to `compute`: every run that produced a version the start
   * read (from a run: the versions it read; from versions: their producers), then what those
   * runs read, transitively, with the union of their footprints. By version: a run counts only
   * for the exact version it produced, and only when that version was written before it was
   * read. A run reading back its own output is not its own ancestor.
   */
  computeUpstream(start: ImpactStart, depth: number | null, limit: number): ImpactRaw {
    const ix = this.ix;
    const { visited, epoch, scratch, fileBits, artBits, files, arts, runs, depths } = this.begin();
    const next = ix.accNextInRun.data, accOp = ix.accOp.data, accVer = ix.accVer.data, accSeq = ix.accSeq.data;
    const producer = ix.verProducer.data, verSeq = ix.verSeq.data, runHead = ix.runHead.data;
    /** Producers in force at `limit` of the versions run `r` read, not yet visited. */
    const producersReadBy = (r: number, into: number[]) => {
      for (let x = runHead[r] ?? 0; x !== 0 && x <= limit; x = next[x]!) {
        if (accOp[x] !== OP.READ) continue;
        const v = accVer[x]!;
        const p = producer[v]!;
        if (p === 0 || p === r || visited[p] === epoch || (runHead[p] ?? 0) === 0 || runHead[p]! > limit || verSeq[v]! > accSeq[x]!) continue;
        visited[p] = epoch;
        into.push(p);
      }
    };
    const wroteBy = (p: number, v: number): boolean => {
      for (let x = runHead[p] ?? 0; x !== 0 && x <= limit; x = next[x]!) if (accVer[x] === v && ((1 << accOp[x]!) & WRITE_OPS) !== 0) return true;
      return false;
    };
    let frontier: number[] = [];
    if (start.run !== undefined) {
      visited[start.run] = epoch;
      producersReadBy(start.run, frontier);
    }
    for (const v of start.versions ?? []) {
      const p = producer[v] ?? 0;
      // Its producer counts once it has written the version by `limit`, not merely started.
      if (p !== 0 && visited[p] !== epoch && wroteBy(p, v)) {
        visited[p] = epoch;
        frontier.push(p);
      }
    }
    let level = 0;
    let maxDepthReached = 0;
    while (frontier.length > 0 && (depth === null || level < depth)) {
      level++;
      maxDepthReached = level;
      const nextLevel: number[] = [];
      for (const r of frontier) {
        runs.push(r);
        depths.push(level);
        scratch.compute(ix, r, limit);
        this.unionScratch(files, fileBits, arts, artBits);
        scratch.reset();
        producersReadBy(r, nextLevel);
      }
      frontier = nextLevel;
    }
    return { runs, depths, files, fileBits, arts, artBits, maxDepthReached };
  }

  /** A new query: a fresh visited stamp, and fresh unions (they are returned to the caller). */
  private begin() {
    this.fit();
    this.fileBits = new Uint8Array(this.fileBits.length);
    this.artBits = new Uint8Array(this.artBits.length);
    return {
      visited: this.visited, epoch: ++this.epoch, scratch: this.scratch, fileBits: this.fileBits, artBits: this.artBits,
      files: [] as number[], arts: [] as number[], runs: [] as number[], depths: [] as number[],
    };
  }

  /** Adds the footprint in the scratch to the unions. */
  private unionScratch(files: number[], fileBits: Uint8Array, arts: number[], artBits: Uint8Array): void {
    const scratch = this.scratch;
    for (const f of scratch.files) {
      const c = scratch.fileCls[f]!;
      if (c === 0) continue;
      if (fileBits[f] === 0) files.push(f);
      fileBits[f]! |= c;
    }
    for (const a of scratch.arts) {
      const c = scratch.artCls[a]!;
      if (c === 0) continue;
      if (artBits[a] === 0) arts.push(a);
      artBits[a]! |= c;
    }
  }

  private fit(): void {
    const ix = this.ix;
    const runs = ix.meta.lastRunId + 1;
    if (this.visited.length < runs) {
      const v = new Int32Array(Math.max(runs, this.visited.length * 2));
      this.visited = v;
      this.epoch = 0;
    }
    const arts = ix.meta.lastArtifactId + 1;
    this.scratch.fit(arts);
    if (this.fileBits.length < arts) {
      this.fileBits = new Uint8Array(Math.max(arts, this.fileBits.length * 2));
      this.artBits = new Uint8Array(this.fileBits.length);
    }
  }
}
