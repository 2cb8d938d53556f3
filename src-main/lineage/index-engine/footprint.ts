/**
 * The Hopsworks footprint algebra (DESIGN §4, notes/hopsworks-provenance.md §2.6) over one
 * run's accesses, per file and rolled up per artifact folder, plus the directory-tree form.
 * The per-run computation works in reusable scratch arrays (no allocation per run) because
 * impact runs it for every run of a closure.
 */
import { FOOTPRINT_CLASSES, type AccessOp, type FootprintClass, type FootprintClasses, type FootprintCounts, type FootprintTreeNode } from '../../../shared/lineage-dto';
import { type Column, OP, OP_NAMES } from './columns';

/**
 * The index columns a footprint reads. `LineageIndex` has them; they are named here instead of
 * importing the index, which itself uses this file's algebra when it catches up.
 */
export interface RunAccessColumns {
  readonly runHead: Column<Int32Array>;
  readonly accNextInRun: Column<Int32Array>;
  readonly accArt: Column<Int32Array>;
  readonly accOp: Column<Uint8Array>;
  readonly artRollup: Column<Int32Array>;
  renamedFrom(access: number): number;
}

/** Class bits, in FOOTPRINT_CLASSES order. */
export const CLS = { INPUT: 1, OUTPUT_MODIFIED: 2, OUTPUT_ADDED: 4, OUTPUT_REMOVED: 8, OUTPUT_TMP: 16 } as const;
/** Set-membership bits of the algebra. */
const ACCESSED = 1;
const CREATED = 2;
const MODIFIED = 4;
const DELETED = 8;
/** Op bit for "renamed away" (the source of a RENAME): a delete for the algebra. */
const RENAMED_AWAY = 1 << 7;

/** `INPUT = accessed \ created`, `OUTPUT_MODIFIED = modified \ created \ deleted`, … as class bits. */
export function classesOfSets(sets: number): number {
  const a = sets & ACCESSED, c = sets & CREATED, m = sets & MODIFIED, d = sets & DELETED;
  let cls = 0;
  if (a && !c) cls |= CLS.INPUT;
  if (m && !c && !d) cls |= CLS.OUTPUT_MODIFIED;
  if (c && !d) cls |= CLS.OUTPUT_ADDED;
  if (d && !c) cls |= CLS.OUTPUT_REMOVED;
  if (c && d) cls |= CLS.OUTPUT_TMP;
  return cls;
}

/** Op bits of one file → its algebra sets (RENAME creates the target; the source is deleted). */
export function fileSets(ops: number): number {
  let s = 0;
  if (ops & (1 << OP.READ)) s |= ACCESSED;
  if (ops & ((1 << OP.CREATE) | (1 << OP.RENAME))) s |= CREATED;
  if (ops & (1 << OP.MODIFY)) s |= MODIFIED;
  if (ops & ((1 << OP.DELETE) | RENAMED_AWAY)) s |= DELETED;
  return s;
}

/** Op bits of a file inside an artifact folder → the folder's sets: any change is a modification. */
function memberSets(ops: number): number {
  let s = 0;
  if (ops & (1 << OP.READ)) s |= ACCESSED;
  if (ops & ((1 << OP.CREATE) | (1 << OP.MODIFY) | (1 << OP.DELETE) | (1 << OP.RENAME) | RENAMED_AWAY)) s |= MODIFIED;
  return s;
}

/**
 * Scratch space for one run's footprint at a time. After `compute`, `files[0..nFiles)` hold
 * the touched file artifacts with `fileOps`/`fileCls`, and `arts[0..nArts)` the rolled-up
 * artifacts with `artCls`. `reset` clears only what was touched.
 */
export class FootprintScratch {
  fileOps: Uint16Array;
  fileCls: Uint8Array;
  artSets: Uint8Array;
  artCls: Uint8Array;
  files: number[] = [];
  arts: number[] = [];

  constructor(size: number) {
    this.fileOps = new Uint16Array(size);
    this.fileCls = new Uint8Array(size);
    this.artSets = new Uint8Array(size);
    this.artCls = new Uint8Array(size);
  }

  /** Grows to hold artifact ids < size. */
  fit(size: number): void {
    if (size <= this.fileOps.length) return;
    const n = Math.max(size, this.fileOps.length * 2);
    this.fileOps = new Uint16Array(n);
    this.fileCls = new Uint8Array(n);
    this.artSets = new Uint8Array(n);
    this.artCls = new Uint8Array(n);
  }

  /** Folds run `run`'s accesses with id ≤ `limit` into the scratch. */
  compute(ix: RunAccessColumns, run: number, limit: number): void {
    const next = ix.accNextInRun.data, art = ix.accArt.data, op = ix.accOp.data;
    const fileOps = this.fileOps, files = this.files;
    for (let x = ix.runHead.data[run] ?? 0; x !== 0 && x <= limit; x = next[x]!) {
      const f = art[x]!;
      if (fileOps[f] === 0) files.push(f);
      fileOps[f]! |= 1 << op[x]!;
      const src = op[x] === OP.RENAME ? ix.renamedFrom(x) : 0;
      if (src !== 0) {
        if (fileOps[src] === 0) files.push(src);
        fileOps[src]! |= RENAMED_AWAY;
      }
    }
    const rollup = ix.artRollup.data, artSets = this.artSets, arts = this.arts;
    for (const f of files) {
      const ops = fileOps[f]!;
      this.fileCls[f] = classesOfSets(fileSets(ops));
      const up = rollup[f]!;
      const key = up || f;
      const sets = up ? memberSets(ops) : fileSets(ops);
      if (sets === 0) continue;
      if (artSets[key] === 0) arts.push(key);
      artSets[key]! |= sets;
    }
    for (const a of arts) this.artCls[a] = classesOfSets(artSets[a]!);
  }

  reset(): void {
    for (const f of this.files) {
      this.fileOps[f] = 0;
      this.fileCls[f] = 0;
    }
    for (const a of this.arts) {
      this.artSets[a] = 0;
      this.artCls[a] = 0;
    }
    this.files.length = 0;
    this.arts.length = 0;
  }
}

/** Class bits → class names, in FOOTPRINT_CLASSES order. */
export function classNames(bits: number): FootprintClass[] {
  const out: FootprintClass[] = [];
  FOOTPRINT_CLASSES.forEach((c, i) => {
    if (bits & (1 << i)) out.push(c);
  });
  return out;
}

/** Op bits → op names (the rename source counts as nothing the run did to that path itself). */
export function opNames(bits: number): AccessOp[] {
  const out: AccessOp[] = [];
  for (let i = 1; i < OP_NAMES.length; i++) if (bits & (1 << i)) out.push(OP_NAMES[i] as AccessOp);
  return out;
}

export function emptyClasses(): FootprintClasses {
  return { INPUT: [], OUTPUT_MODIFIED: [], OUTPUT_ADDED: [], OUTPUT_REMOVED: [], OUTPUT_TMP: [] };
}

/** Sorted class lists and counts from (label, class bits) pairs; ALL = labels in any class. */
export function classesFrom(items: Iterable<readonly [string, number]>): { classes: FootprintClasses; counts: FootprintCounts } {
  const classes = emptyClasses();
  let all = 0;
  for (const [label, bits] of items) {
    if (bits === 0) continue;
    all++;
    for (const c of classNames(bits)) classes[c].push(label);
  }
  for (const c of FOOTPRINT_CLASSES) classes[c].sort();
  const counts = { ALL: all } as FootprintCounts;
  for (const c of FOOTPRINT_CLASSES) counts[c] = classes[c].length;
  return { classes, counts };
}

/**
 * The directory-tree form (Hopsworks FULL_TREE; `compact` = MIN_TREE, where a folder with a
 * single child folder is merged into it). Leaves are artifacts with their classes.
 */
export function footprintTree(entries: readonly { artifact: string; classes: readonly FootprintClass[] }[], compact = false): FootprintTreeNode {
  interface Mut { name: string; path: string; classes?: FootprintClass[]; children: Map<string, Mut> }
  const root: Mut = { name: '', path: '', children: new Map() };
  for (const e of entries) {
    if (e.classes.length === 0) continue;
    const segs = e.artifact.split('/').filter((s) => s !== '');
    let node = root;
    segs.forEach((seg, i) => {
      let child = node.children.get(seg);
      if (!child) {
        child = { name: seg, path: node.path ? `${node.path}/${seg}` : (e.artifact.startsWith('/') ? `/${seg}` : seg), children: new Map() };
        node.children.set(seg, child);
      }
      node = child;
      if (i === segs.length - 1) node.classes = [...e.classes];
    });
  }
  const freeze = (m: Mut): FootprintTreeNode => {
    let node = m;
    while (compact && node !== root && !node.classes && node.children.size === 1) {
      const only = [...node.children.values()][0]!;
      if (only.classes && only.children.size === 0) break;
      node = { ...only, name: `${node.name}/${only.name}` };
    }
    const children = [...node.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(freeze);
    const counts = { ALL: 0, INPUT: 0, OUTPUT_MODIFIED: 0, OUTPUT_ADDED: 0, OUTPUT_REMOVED: 0, OUTPUT_TMP: 0 } as FootprintCounts;
    if (node.classes) {
      counts.ALL = 1;
      for (const c of node.classes) counts[c]++;
    }
    for (const ch of children) for (const k of Object.keys(counts) as (keyof FootprintCounts)[]) counts[k] += ch.counts[k];
    return { name: node.name, path: node.path, ...(node.classes ? { classes: node.classes } : {}), counts, children };
  };
  return freeze(root);
}
