import { compareVersions, type Ecosystem } from './version-compare';

export interface PackageRef {
  readonly name: string;
  readonly version: string;
}

export type PackageChange =
  | { readonly kind: 'added'; readonly name: string; readonly to: string }
  | { readonly kind: 'removed'; readonly name: string; readonly from: string }
  | { readonly kind: 'upgraded' | 'downgraded'; readonly name: string; readonly from: string; readonly to: string };

/**
 * Package-level diff between the environment a run recorded and the one there is now.
 * Names compare the way pip does (case-insensitive, `-`, `_` and `.` equal); versions are ordered
 * by the ecosystem's rules (PEP 440 or SemVer). Sorted by name.
 */
export function diffPackages(before: readonly PackageRef[], after: readonly PackageRef[], ecosystem: Ecosystem = 'pypi'): PackageChange[] {
  const norm = (n: string) => n.toLowerCase().replace(/[-_.]+/g, '-');
  const b = new Map(before.map((p) => [norm(p.name), p]));
  const a = new Map(after.map((p) => [norm(p.name), p]));
  const out: PackageChange[] = [];
  for (const [key, p] of b) {
    const now = a.get(key);
    if (!now) out.push({ kind: 'removed', name: p.name, from: p.version });
    else if (now.version !== p.version) {
      out.push({ kind: compareVersions(now.version, p.version, ecosystem) > 0 ? 'upgraded' : 'downgraded', name: p.name, from: p.version, to: now.version });
    }
  }
  for (const [key, p] of a) if (!b.has(key)) out.push({ kind: 'added', name: p.name, to: p.version });
  return out.sort((x, y) => norm(x.name).localeCompare(norm(y.name)));
}

/** "numpy 1.26.4 → 2.1.0", "pandas added (2.2.1)", "scipy removed (1.11.0)". */
export function describeChange(c: PackageChange): string {
  switch (c.kind) {
    case 'added':
      return `${c.name} added (${c.to})`;
    case 'removed':
      return `${c.name} removed (${c.from})`;
    default:
      return `${c.name} ${c.from} → ${c.to}`;
  }
}

/** One sentence for a list of changes, naming at most `max` of them. */
export function summarizeChanges(changes: readonly PackageChange[], max = 4): string {
  const shown = changes.slice(0, max).map(describeChange);
  const more = changes.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
}
