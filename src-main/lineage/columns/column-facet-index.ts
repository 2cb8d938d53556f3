/**
 * The column_facets rows in memory, caught up with every ingest batch like the lineage index,
 * and the two lookups every column question needs:
 *
 * - **governing facets** (issue 19 rules): a dataset's schema and column lineage at a snapshot
 *   are those carried by it as an output of the *last completed run at or before the snapshot*
 *   that wrote it; earlier versions do not carry over (a later writer that declared nothing
 *   leaves no columns). A dataset no completed run wrote by then takes its schema from its
 *   `schema` facet as an input. Writers come from the lineage index (every CREATE, MODIFY,
 *   RENAME or DELETE of the dataset or of a file rolled up into it), ordered by run ending.
 * - **consumers** of a column: every (dataset, lineage text) whose edges name it, over all
 *   versions, filtered at query time to the texts governing at the snapshot. Dataset-level
 *   entries are kept once and expand to every column only when a walk reaches them. Only the
 *   texts naming each dataset are indexed up front (from `column_texts.refs`, without parsing
 *   the bodies); a text is parsed when a walk reaches a dataset it names *and* it governs its
 *   consumer at that snapshot, so opening a workspace of 10,000 × 100 columns stays quick and
 *   a walk parses only what it uses.
 */
import type { ReadableDb } from '../../db/open-db';
import { OP, stateCode } from '../index-engine/columns';
import type { LineageIndex } from '../index-engine/lineage-index';
import type { ColumnTexts } from './column-texts';
import type { DatasetRegistry } from './dataset-registry';

const COMPLETE = stateCode('COMPLETE');
const WRITE_OPS = (1 << OP.CREATE) | (1 << OP.MODIFY) | (1 << OP.RENAME) | (1 << OP.DELETE);

/** What governs one dataset at one point of history. */
export interface Governing {
  /** written: by a completed run (its declared facets, possibly none); source: never written by then; none: no facts at all. */
  readonly kind: 'written' | 'source' | 'none';
  /** The writing run (index id), 0 when not written. */
  readonly run: number;
  /** column_texts ids, 0 = none. */
  readonly schema: number;
  readonly lineage: number;
}

const NONE: Governing = { kind: 'none', run: 0, schema: 0, lineage: 0 };

export class ColumnFacetIndex {
  private rowRun = new Int32Array(1024);
  private rowArt = new Int32Array(1024);
  private rowOut = new Uint8Array(1024);
  private rowSeq = new Int32Array(1024);
  private rowSchema = new Int32Array(1024);
  private rowLineage = new Int32Array(1024);
  private lastRow = 0;
  /** Row ids per artifact, ascending (= ingest order). */
  private readonly outputs = new Map<number, number[]>();
  private readonly inputs = new Map<number, number[]>();
  /** Input dataset key → flat pairs (consumer key, lineage text) of every text that names it. */
  private readonly naming = new Map<number, number[]>();
  /** `text:dataset` → the text's edges that start at that dataset: field → edge indexes. */
  private readonly edgesFrom = new Map<string, Map<string, number[]>>();
  private readonly pairs = new Set<string>();
  /** Lineage text id → the dataset keys it names (its refs). */
  private readonly refs = new Map<number, number[]>();
  /** Per artifact with rows: completed writer runs and their ending event seqs, by ending. */
  private writers = new Map<number, { runs: Int32Array; ends: Int32Array }>();
  private writersAt = { accesses: -1, endings: -1, rows: -1 };
  private rowsStmt: { db: ReadableDb; stmt: { iterate(...a: unknown[]): Iterable<unknown> } } | null = null;

  constructor(private readonly texts: ColumnTexts, private readonly datasets: DatasetRegistry) {}
  private refsStmt: { db: ReadableDb; stmt: { get(id: number): unknown } } | null = null;

  get rows(): number {
    return this.lastRow;
  }

  /** Folds in rows added since the last call; `reset` when the DB went back in history. */
  catchUp(db: ReadableDb, reset: boolean): number {
    if (reset) this.clear();
    let n = 0;
    if (this.rowsStmt?.db !== db) this.rowsStmt = { db, stmt: db.prepare('SELECT id, run_id, artifact_id, role, seq, schema_id, lineage_id FROM column_facets WHERE id > ? ORDER BY id').raw() };
    const it = this.rowsStmt.stmt.iterate(this.lastRow) as Iterable<[number, number, number, string, number, number | null, number | null]>;
    for (const [id, run, art, role, seq, schema, lineage] of it) {
      this.fit(id);
      const out = role === 'output';
      this.rowRun[id] = run;
      this.rowArt[id] = art;
      this.rowOut[id] = out ? 1 : 0;
      this.rowSeq[id] = seq;
      this.rowSchema[id] = schema ?? 0;
      this.rowLineage[id] = lineage ?? 0;
      const map = out ? this.outputs : this.inputs;
      let list = map.get(art);
      if (!list) map.set(art, (list = []));
      list.push(id);
      if (out && lineage) this.addConsumer(db, this.datasets.keyOfArtifact(art), lineage);
      this.lastRow = id;
      n++;
    }
    return n;
  }

  private addConsumer(db: ReadableDb, key: number, text: number): void {
    const pair = `${key}:${text}`;
    if (this.pairs.has(pair)) return;
    this.pairs.add(pair);
    let refs = this.refs.get(text);
    if (!refs) {
      if (this.refsStmt?.db !== db) this.refsStmt = { db, stmt: db.prepare('SELECT refs FROM column_texts WHERE id = ?').pluck() };
      const json = this.refsStmt.stmt.get(text) as string | null | undefined;
      // A body stored without its refs (none expected): read them off the parsed body.
      refs = json ? (JSON.parse(json) as [string, string][]).map(([ns, n]) => this.datasets.key(ns, n)) : [...new Set(this.texts.lineageOf(text).edgeDs)];
      this.refs.set(text, refs);
    }
    for (const ds of refs) {
      let list = this.naming.get(ds);
      if (!list) this.naming.set(ds, (list = []));
      list.push(key, text);
    }
  }

  /** Flat pairs (consumer key, lineage text) of every text naming dataset `ds`, any version. */
  namingPairs(ds: number): readonly number[] {
    return this.naming.get(ds) ?? EMPTY;
  }

  /** The edges of lineage text `text` that start at dataset `ds`, by field (parsed and indexed on first use). */
  edgesFromDataset(text: number, ds: number): ReadonlyMap<string, readonly number[]> {
    const k = `${text}:${ds}`;
    let m = this.edgesFrom.get(k);
    if (!m) {
      m = new Map();
      const p = this.texts.lineageOf(text);
      for (let e = 0; e < p.edgeDs.length; e++) {
        if (p.edgeDs[e] !== ds) continue;
        const field = p.edgeField[e]!;
        let l = m.get(field);
        if (!l) m.set(field, (l = []));
        l.push(e);
      }
      this.edgesFrom.set(k, m);
    }
    return m;
  }

  hasRows(artifact: number): boolean {
    return this.outputs.has(artifact) || this.inputs.has(artifact);
  }

  /** Artifacts that carried an output facet (every dataset with declared columns, any version). */
  declaredArtifacts(): IterableIterator<number> {
    return this.outputs.keys();
  }

  /**
   * The facets governing artifact `art` after event seq `maxSeq` (null = everything ingested).
   * Writers are rebuilt from the lineage index when it moved on since the last call.
   */
  governing(ix: LineageIndex, art: number, maxSeq: number | null): Governing {
    if (art === 0) return NONE;
    this.refreshWriters(ix);
    const limit = maxSeq ?? Number.MAX_SAFE_INTEGER;
    const w = this.writers.get(art);
    let run = 0;
    if (w) {
      // The last writer whose completion is at or before the limit.
      let lo = 0, hi = w.ends.length - 1, at = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (w.ends[mid]! <= limit) { at = mid; lo = mid + 1; } else hi = mid - 1;
      }
      if (at >= 0) run = w.runs[at]!;
    }
    if (run !== 0) {
      let schema = 0, lineage = 0;
      const rows = this.outputs.get(art) ?? EMPTY;
      for (let i = rows.length - 1; i >= 0 && (schema === 0 || lineage === 0); i--) {
        const r = rows[i]!;
        if (this.rowRun[r] !== run || this.rowSeq[r]! > limit) continue;
        if (schema === 0) schema = this.rowSchema[r]!;
        if (lineage === 0) lineage = this.rowLineage[r]!;
      }
      return { kind: 'written', run, schema, lineage };
    }
    const ins = this.inputs.get(art) ?? EMPTY;
    for (let i = ins.length - 1; i >= 0; i--) {
      const r = ins[i]!;
      if (this.rowSeq[r]! <= limit && this.rowSchema[r]) return { kind: 'source', run: 0, schema: this.rowSchema[r]!, lineage: 0 };
    }
    return this.outputs.has(art) || ins.length ? { kind: 'source', run: 0, schema: 0, lineage: 0 } : NONE;
  }

  /** Ending event seqs at which the governing facets of `art` may change (its completed writers, in order). */
  writerEnds(ix: LineageIndex, art: number): { runs: Int32Array; ends: Int32Array } | undefined {
    this.refreshWriters(ix);
    return this.writers.get(art);
  }

  /** Event seqs of `art`'s input-schema rows (a source's schema changes there). */
  inputSchemaSeqs(art: number): number[] {
    return (this.inputs.get(art) ?? EMPTY).filter((r) => this.rowSchema[r]).map((r) => this.rowSeq[r]!);
  }

  private refreshWriters(ix: LineageIndex): void {
    const m = ix.meta;
    const at = this.writersAt;
    if (at.accesses === m.lastAccessId && at.endings === m.lastEnding && at.rows === this.lastRow) return;
    const runsOf = new Map<number, Set<number>>();
    for (const a of [...this.outputs.keys(), ...this.inputs.keys()]) runsOf.set(a, new Set());
    if (runsOf.size > 0) {
      const art = ix.accArt.data, op = ix.accOp.data, run = ix.accRun.data, rollup = ix.artRollup.data;
      for (let x = 1; x <= m.lastAccessId; x++) {
        if (((1 << op[x]!) & WRITE_OPS) === 0 || run[x] === 0) continue;
        const a = art[x]!;
        runsOf.get(a)?.add(run[x]!);
        // A file written inside an artifact folder writes the folder (a DELETE of one file does not drop it).
        const up = rollup[a]!;
        if (up !== 0 && op[x] !== OP.DELETE) runsOf.get(up)?.add(run[x]!);
      }
    }
    const writers = new Map<number, { runs: Int32Array; ends: Int32Array }>();
    const runEnd = ix.runEnd.data, endSeq = ix.endEventSeq.data, endState = ix.endState.data;
    for (const [a, set] of runsOf) {
      const done = [...set].filter((r) => runEnd[r] && endState[runEnd[r]!] === COMPLETE).map((r) => [endSeq[runEnd[r]!]!, r] as const);
      if (done.length === 0) continue;
      done.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      writers.set(a, { runs: Int32Array.from(done, (d) => d[1]), ends: Int32Array.from(done, (d) => d[0]) });
    }
    this.writers = writers;
    this.writersAt = { accesses: m.lastAccessId, endings: m.lastEnding, rows: this.lastRow };
  }

  private fit(id: number): void {
    if (id < this.rowRun.length) return;
    let cap = this.rowRun.length;
    while (cap <= id) cap *= 2;
    const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.rowRun = grow(this.rowRun);
    this.rowArt = grow(this.rowArt);
    this.rowOut = grow(this.rowOut);
    this.rowSeq = grow(this.rowSeq);
    this.rowSchema = grow(this.rowSchema);
    this.rowLineage = grow(this.rowLineage);
  }

  private clear(): void {
    this.lastRow = 0;
    this.outputs.clear();
    this.inputs.clear();
    this.edgesFrom.clear();
    this.naming.clear();
    this.refs.clear();
    this.pairs.clear();
    this.writers = new Map();
    this.writersAt = { accesses: -1, endings: -1, rows: -1 };
  }
}

const EMPTY: readonly number[] = [];
