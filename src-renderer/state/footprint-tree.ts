/**
 * A run's footprint as a directory tree: folders with the number of files below them per class,
 * files with their classes. Single-child folder chains are joined (`data/staged`). Pure, so the
 * counts can be checked against `retrace footprint --json`.
 */
import { FOOTPRINT_CLASSES, type FootprintClass, type FootprintEntryDto } from '../../shared/lineage-dto';

export interface FootprintTreeNode {
  readonly name: string;
  readonly path: string;
  readonly children: FootprintTreeNode[];
  /** Files below (leaf: 1) per class; a file in two classes counts in both. */
  readonly counts: Record<FootprintClass, number>;
  readonly files: number;
  /** Leaves only. */
  readonly entry?: FootprintEntryDto;
}

const zero = (): Record<FootprintClass, number> => ({ INPUT: 0, OUTPUT_MODIFIED: 0, OUTPUT_ADDED: 0, OUTPUT_REMOVED: 0, OUTPUT_TMP: 0 });

export function buildFootprintTree(entries: readonly FootprintEntryDto[], only: ReadonlySet<FootprintClass> | null = null): FootprintTreeNode {
  interface Mutable { name: string; path: string; children: Map<string, Mutable>; counts: Record<FootprintClass, number>; files: number; entry?: FootprintEntryDto }
  const root: Mutable = { name: '', path: '', children: new Map(), counts: zero(), files: 0 };
  for (const e of entries) {
    const classes = only ? e.classes.filter((c) => only.has(c)) : e.classes;
    if (classes.length === 0) continue;
    const parts = e.artifact.split('/').filter(Boolean);
    let cur = root;
    const bump = (n: Mutable) => {
      n.files++;
      for (const c of classes) n.counts[c]++;
    };
    bump(root);
    parts.forEach((part, i) => {
      const path = parts.slice(0, i + 1).join('/');
      let next = cur.children.get(part);
      if (!next) cur.children.set(part, (next = { name: part, path, children: new Map(), counts: zero(), files: 0 }));
      bump(next);
      if (i === parts.length - 1) next.entry = e;
      cur = next;
    });
  }
  const freeze = (n: Mutable): FootprintTreeNode => {
    // Join a folder with its only child folder: `data` › `staged` reads as `data/staged`.
    let node = n;
    let name = n.name;
    while (!node.entry && node.children.size === 1 && name) {
      const only = [...node.children.values()][0]!;
      if (only.entry) break;
      name = `${name}/${only.name}`;
      node = only;
    }
    const children = [...node.children.values()].map(freeze).sort((a, b) => Number(Boolean(a.entry)) - Number(Boolean(b.entry)) || a.name.localeCompare(b.name));
    return { name, path: node.path, children, counts: { ...node.counts }, files: node.files, ...(node.entry ? { entry: node.entry } : {}) };
  };
  return freeze(root);
}

export const CLASS_LABEL: Record<FootprintClass, string> = {
  INPUT: 'Read',
  OUTPUT_ADDED: 'Created',
  OUTPUT_MODIFIED: 'Modified',
  OUTPUT_REMOVED: 'Deleted',
  OUTPUT_TMP: 'Temporary',
};

export { FOOTPRINT_CLASSES };
