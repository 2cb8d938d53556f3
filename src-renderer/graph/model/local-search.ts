/**
 * Instant matching over what the explorer already holds (node labels and group names), ranked
 * exact, then prefix, then a path segment or dotted part starting with the query, then any
 * substring; shorter labels first within a rank. The core's search adds runs and users.
 */
import type { GraphNodeDto } from '../../../shared/dto';
import type { GroupTree } from './groups';

export interface LocalHit {
  readonly id: string;
  readonly label: string;
  readonly kind: string;
  readonly rank: number;
}

export function localSearch(query: string, nodes: readonly GraphNodeDto[], tree: GroupTree | null, limit = 20): LocalHit[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const hits: LocalHit[] = [];
  const consider = (id: string, label: string, kind: string) => {
    const l = label.toLowerCase();
    const at = l.indexOf(q);
    if (at < 0) return;
    const rank = l === q ? 0 : at === 0 ? 1 : /[/._\-\s]/.test(l[at - 1] ?? '') ? 2 : 3;
    hits.push({ id, label, kind, rank });
  };
  for (const n of nodes) consider(n.id, n.label, n.kind);
  if (tree) for (const g of tree.groups.values()) consider(g.id, g.label, 'group');
  hits.sort((a, b) => a.rank - b.rank || a.label.length - b.label.length || a.label.localeCompare(b.label));
  return hits.slice(0, limit);
}
