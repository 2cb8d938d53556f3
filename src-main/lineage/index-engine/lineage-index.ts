/**
 * The in-memory lineage index: accesses, versions, runs, artifacts and run endings as typed
 * arrays, with two append-only linked lists over the accesses — per run (its footprint) and per
 * version (who read it). JS over typed arrays is ~40× faster than recursive CTEs for closures
 * (notes/performance.md §1.5), and linked lists make a new ingest batch an O(batch) append
 * instead of a CSR rebuild. A binary snapshot of the arrays is loaded at cold start.
 */
import { NODE_KINDS } from '../../../shared/dto';
import type { ReadableDb } from '../../db/open-db';
import { Column, type ColumnArray, OP, opCode, stateCode } from './columns';
import { CLS, FootprintScratch } from './footprint';

/** `accCls` bit: this access writes a version the run produced (impact follows it). */
export const PRODUCES = 32;
const PRODUCED_CLASSES = CLS.OUTPUT_ADDED | CLS.OUTPUT_MODIFIED;

export interface Meta {
  lastAccessId: number;
  lastVersionId: number;
  lastRunId: number;
  lastArtifactId: number;
  lastEnding: number;
  /** The newest event seq folded in; runs touched by later events are refreshed on catch-up. */
  lastEventSeq: number;
  /** How many accesses are renames (the sparse rename columns' length − 1). */
  renames?: number;
}

export interface CatchUpResult {
  readonly newAccesses: number;
  /** Runs created or changed since the previous catch-up (their state, job, code may differ). */
  readonly changedRuns: readonly number[];
  readonly newEndings: number;
  /** The DB went back in history (rebuilt from other logs): the index was rebuilt from scratch. */
  readonly reset: boolean;
}

export class LineageIndex {
  // accesses, by access id
  readonly accRun = Column.int32();
  readonly accArt = Column.int32();
  readonly accVer = Column.int32();
  readonly accSeq = Column.int32();
  readonly accOp = Column.uint8();
  /** Next access of the same run (0 = end). */
  readonly accNextInRun = Column.int32();
  /** Next READ access of the same version (0 = end). */
  readonly accNextRead = Column.int32();
  /**
   * Per access: the footprint class bits of its file within its run, plus PRODUCES when it is
   * a write of an OUTPUT_ADDED/OUTPUT_MODIFIED file; and the class bits of its rolled-up
   * artifact. Precomputed per run so impact unions footprints in one pass over the accesses.
   */
  readonly accCls = Column.uint8();
  readonly accArtCls = Column.uint8();
  // runs, by run id
  readonly runHead = Column.int32();
  readonly runTail = Column.int32();
  readonly runJob = Column.int32();
  readonly runFirstSeq = Column.int32();
  /** Snapshot number of the run's ending (0 = not ended). */
  readonly runEnd = Column.int32();
  readonly runCode = Column.int32();
  readonly runEnv = Column.int32();
  readonly runState = Column.uint8();
  /** 1 = the run renamed something: its footprint touches a path it has no access of, so impact takes the exact path. */
  readonly runSlow = Column.uint8();
  // versions, by version id
  readonly verArt = Column.int32();
  readonly verProducer = Column.int32();
  readonly verSeq = Column.int32();
  readonly verReadHead = Column.int32();
  /** Last reader of each version, for O(1) appends; not persisted (rebuilt on the first append after a load). */
  readonly verReadTail = Column.int32();
  private readTailsValid = true;
  /** Renames are rare: access id → renamed-from artifact id, kept sparse (and persisted as two columns). */
  private readonly renames = new Map<number, number>();
  private readonly renameAcc = Column.int32();
  private readonly renameFrom = Column.int32();
  // artifacts, by artifact id
  readonly artRollup = Column.int32();
  readonly artKind = Column.uint8();
  // run endings, by snapshot number
  readonly endRun = Column.int32();
  readonly endEventSeq = Column.int32();
  readonly endState = Column.uint8();
  readonly endAt = Column.float64();

  meta: Meta = { lastAccessId: 0, lastVersionId: 0, lastRunId: 0, lastArtifactId: 0, lastEnding: 0, lastEventSeq: 0 };

  /** Folds in every row added since the last call (all of them the first time), in one read transaction. */
  catchUp(db: ReadableDb): CatchUpResult {
    // The common case (nothing new) costs one cached max() lookup, outside any transaction.
    if (this.maxSeqStmt?.db !== db) this.maxSeqStmt = { db, stmt: db.prepare('SELECT coalesce(max(seq), 0) FROM events').pluck() };
    if (this.meta.lastEventSeq > 0 && (this.maxSeqStmt.stmt.get() as number) === this.meta.lastEventSeq) return { newAccesses: 0, changedRuns: [], newEndings: 0, reset: false };
    return db.transaction(() => this.catchUpInTx(db))();
  }
  private maxSeqStmt: { db: ReadableDb; stmt: { get(): unknown } } | null = null;

  private catchUpInTx(db: ReadableDb): CatchUpResult {
    const m = this.meta;
    const lastEventSeq = (db.prepare('SELECT coalesce(max(seq), 0) FROM events').pluck().get() as number);
    if (lastEventSeq === m.lastEventSeq && m.lastEventSeq > 0) return { newAccesses: 0, changedRuns: [], newEndings: 0, reset: false };
    // Fewer events than folded in: the DB was emptied or rebuilt differently; start over.
    const reset = lastEventSeq < m.lastEventSeq;
    if (reset) this.reset();

    for (const [id, rollup, kind] of db.prepare('SELECT id, rollup_id, kind FROM artifacts WHERE id > ? ORDER BY id').raw()
      .iterate(m.lastArtifactId) as Iterable<[number, number | null, string]>) {
      this.artRollup.set(id, rollup ?? 0);
      this.artKind.set(id, Math.max(0, (NODE_KINDS as readonly string[]).indexOf(kind)));
      m.lastArtifactId = id;
    }

    const changed: number[] = [];
    const runSql = 'SELECT id, job_id, state, first_seq, end_seq, code_version_id, environment_id FROM runs';
    const foldRun = (r: [number, number | null, string, number, number | null, number | null, number | null]) => {
      const [id, job, state, firstSeq, endSeq, code, env] = r;
      this.runJob.set(id, job ?? 0);
      this.runState.set(id, stateCode(state));
      this.runFirstSeq.set(id, firstSeq);
      this.runEnd.set(id, endSeq ?? 0);
      this.runCode.set(id, code ?? 0);
      this.runEnv.set(id, env ?? 0);
      this.runHead.ensure(id);
      this.runTail.ensure(id);
      if (id > m.lastRunId) m.lastRunId = id;
      changed.push(id);
    };
    type RunRow = Parameters<typeof foldRun>[0];
    if (m.lastEventSeq === 0) {
      for (const r of db.prepare(runSql + ' ORDER BY id').raw().iterate() as Iterable<RunRow>) foldRun(r);
    } else {
      // events.seq is the rowid, so "runs touched since" is a cheap range scan.
      const ids = db.prepare('SELECT DISTINCT run_id FROM events WHERE seq > ? AND run_id IS NOT NULL').pluck().all(m.lastEventSeq) as number[];
      const one = db.prepare(runSql + ' WHERE id = ?').raw();
      for (const id of ids.sort((a, b) => a - b)) {
        const r = one.get(id) as RunRow | undefined;
        if (r) foldRun(r);
      }
    }

    for (const [id, art, producer, seq] of db.prepare('SELECT id, artifact_id, producing_run_id, seq FROM artifact_versions WHERE id > ? ORDER BY id')
      .raw().iterate(m.lastVersionId) as Iterable<[number, number, number | null, number]>) {
      this.verArt.set(id, art);
      this.verProducer.set(id, producer ?? 0);
      this.verSeq.set(id, seq);
      this.verReadHead.ensure(id);
      this.verReadTail.ensure(id);
      m.lastVersionId = id;
    }

    let newAccesses = 0;
    for (const row of db.prepare('SELECT id, run_id, artifact_id, version_id, op, seq, renamed_from_id FROM accesses WHERE id > ? ORDER BY id')
      .raw().iterate(m.lastAccessId) as Iterable<[number, number | null, number, number, string, number, number | null]>) {
      this.appendAccess(row[0], row[1] ?? 0, row[2], row[3], opCode(row[4]), row[5], row[6] ?? 0);
      newAccesses++;
    }

    let newEndings = 0;
    for (const [seq, run, state, at, eventSeq] of db.prepare('SELECT seq, run_id, state, at, event_seq FROM run_endings WHERE seq > ? ORDER BY seq')
      .raw().iterate(m.lastEnding) as Iterable<[number, number, string, number, number]>) {
      this.endRun.set(seq, run);
      this.endState.set(seq, stateCode(state));
      this.endAt.set(seq, at);
      this.endEventSeq.set(seq, eventSeq);
      m.lastEnding = seq;
      newEndings++;
    }
    m.lastEventSeq = lastEventSeq;
    if (newAccesses) this.classifyRuns(changed.length > m.lastRunId / 2 ? null : changed);
    return { newAccesses, changedRuns: changed, newEndings, reset };
  }

  /** Forgets everything (the next catch-up rebuilds from rows). */
  reset(): void {
    for (const [, col] of this.columns()) col.data = new (col.data.constructor as Int32ArrayConstructor)(1024);
    this.renames.clear();
    this.readTailsValid = true;
    // Mutated in place: a catch-up in progress holds a reference to it.
    Object.assign(this.meta, { lastAccessId: 0, lastVersionId: 0, lastRunId: 0, lastArtifactId: 0, lastEnding: 0, lastEventSeq: 0 });
  }

  /** Recomputes the per-access class bits of these runs (null = all), whose footprints may have grown. */
  classifyRuns(runs: readonly number[] | null): void {
    const scratch = new FootprintScratch(this.meta.lastArtifactId + 1);
    const one = (r: number) => {
      scratch.compute(this, r, this.meta.lastAccessId);
      const next = this.accNextInRun.data, art = this.accArt.data, op = this.accOp.data, rollup = this.artRollup.data;
      this.runSlow.set(r, 0);
      for (let x = this.runHead.data[r] ?? 0; x !== 0; x = next[x]!) {
        const f = art[x]!;
        const cls = scratch.fileCls[f]!;
        const o = op[x]!;
        const writes = o === OP.CREATE || o === OP.MODIFY || o === OP.RENAME;
        this.accCls.set(x, cls | (writes && (cls & PRODUCED_CLASSES) !== 0 ? PRODUCES : 0));
        this.accArtCls.set(x, scratch.artCls[rollup[f] || f]!);
        if (o === OP.RENAME && this.renamedFrom(x)) this.runSlow.set(r, 1);
      }
      scratch.reset();
    };
    if (runs === null) for (let r = 1; r <= this.meta.lastRunId; r++) one(r);
    else for (const r of runs) one(r);
  }

  /** Appends one access and links it into its run's list and (reads) its version's reader list. */
  appendAccess(id: number, run: number, art: number, ver: number, op: number, seq: number, from: number): void {
    this.accRun.set(id, run);
    this.accArt.set(id, art);
    this.accVer.set(id, ver);
    this.accOp.set(id, op);
    this.accSeq.set(id, seq);
    if (from !== 0 && !this.renames.has(id)) {
      this.renames.set(id, from);
      this.renameAcc.set(this.renames.size, id);
      this.renameFrom.set(this.renames.size, from);
      this.meta.renames = this.renames.size;
    }
    this.accNextInRun.set(id, 0);
    this.accNextRead.set(id, 0);
    if (run > 0) {
      this.runHead.ensure(run);
      this.runTail.ensure(run);
      const tail = this.runTail.data[run]!;
      if (tail === 0) this.runHead.data[run] = id;
      else this.accNextInRun.data[tail] = id;
      this.runTail.data[run] = id;
    }
    if (op === OP.READ && ver > 0) {
      if (!this.readTailsValid) this.rebuildReadTails();
      this.verReadHead.ensure(ver);
      this.verReadTail.ensure(ver);
      const tail = this.verReadTail.data[ver]!;
      if (tail === 0) this.verReadHead.data[ver] = id;
      else this.accNextRead.data[tail] = id;
      this.verReadTail.data[ver] = id;
    }
    if (id > this.meta.lastAccessId) this.meta.lastAccessId = id;
  }

  /** The artifact a RENAME access renamed from (0 = none). */
  renamedFrom(access: number): number {
    return this.renames.size === 0 ? 0 : (this.renames.get(access) ?? 0);
  }

  private rebuildReadTails(): void {
    const head = this.verReadHead.data, next = this.accNextRead.data;
    this.verReadTail.ensure(this.meta.lastVersionId);
    const tail = this.verReadTail.data;
    for (let v = 1; v <= this.meta.lastVersionId; v++) {
      let x = head[v] ?? 0;
      if (x !== 0) while (next[x] !== 0) x = next[x]!;
      tail[v] = x;
    }
    this.readTailsValid = true;
  }

  /** The last access id whose event seq is ≤ `maxSeq` (accesses are appended in seq order). */
  accessLimit(maxSeq: number): number {
    const seqs = this.accSeq.data;
    let lo = 0;
    let hi = this.meta.lastAccessId;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (seqs[mid]! <= maxSeq) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  // ---- persistence (the file format is in index-file.ts) ------------------------------

  /** Every persisted column with the number of its values in use (the file layout, in order). */
  columns(): [string, Column<ColumnArray>, number][] {
    const m = this.meta;
    const a = m.lastAccessId + 1;
    const r = m.lastRunId + 1;
    const v = m.lastVersionId + 1;
    const t = m.lastArtifactId + 1;
    const e = m.lastEnding + 1;
    return [
      ['accRun', this.accRun, a], ['accArt', this.accArt, a], ['accVer', this.accVer, a], ['accSeq', this.accSeq, a],
      ['accOp', this.accOp, a], ['accNextInRun', this.accNextInRun, a], ['accNextRead', this.accNextRead, a],
      ['accCls', this.accCls, a], ['accArtCls', this.accArtCls, a],
      ['runHead', this.runHead, r], ['runTail', this.runTail, r], ['runJob', this.runJob, r], ['runFirstSeq', this.runFirstSeq, r],
      ['runEnd', this.runEnd, r], ['runCode', this.runCode, r], ['runEnv', this.runEnv, r], ['runState', this.runState, r], ['runSlow', this.runSlow, r],
      ['verArt', this.verArt, v], ['verProducer', this.verProducer, v], ['verSeq', this.verSeq, v], ['verReadHead', this.verReadHead, v],
      ['renameAcc', this.renameAcc, (m.renames ?? 0) + 1], ['renameFrom', this.renameFrom, (m.renames ?? 0) + 1], ['artRollup', this.artRollup, t], ['artKind', this.artKind, t],
      ['endRun', this.endRun, e], ['endEventSeq', this.endEventSeq, e], ['endState', this.endState, e], ['endAt', this.endAt, e],
    ] as [string, Column<ColumnArray>, number][];
  }

  /** Called by the loader: the sparse rename map is rebuilt from its two persisted columns. */
  restoreRenames(): void {
    for (let i = 1; i <= (this.meta.renames ?? 0); i++) this.renames.set(this.renameAcc.data[i]!, this.renameFrom.data[i]!);
    // Last readers are not persisted; they are rebuilt on the first append.
    this.readTailsValid = false;
  }

  /** The DB still holds the rows this index was built from (checked without loading columns). */
  matches(db: ReadableDb): boolean {
    const m = this.meta;
    if (m.lastAccessId > 0) {
      const r = db.prepare('SELECT artifact_id, version_id, seq FROM accesses WHERE id = ?').raw().get(m.lastAccessId) as number[] | undefined;
      if (!r || r[0] !== this.accArt.at(m.lastAccessId) || r[1] !== this.accVer.at(m.lastAccessId) || r[2] !== this.accSeq.at(m.lastAccessId)) return false;
    }
    if (m.lastVersionId > 0) {
      const r = db.prepare('SELECT artifact_id FROM artifact_versions WHERE id = ?').pluck().get(m.lastVersionId) as number | undefined;
      if (r !== this.verArt.at(m.lastVersionId)) return false;
    }
    if (m.lastEnding > 0) {
      const r = db.prepare('SELECT run_id, event_seq FROM run_endings WHERE seq = ?').raw().get(m.lastEnding) as number[] | undefined;
      if (!r || r[0] !== this.endRun.at(m.lastEnding) || r[1] !== this.endEventSeq.at(m.lastEnding)) return false;
    }
    const maxSeq = db.prepare('SELECT coalesce(max(seq), 0) FROM events').pluck().get() as number;
    return maxSeq >= m.lastEventSeq;
  }
}
