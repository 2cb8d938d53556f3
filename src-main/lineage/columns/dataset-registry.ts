/**
 * Datasets as column lineage names them, interned to small integer keys: every artifact that
 * carried a facet, and every dataset an input field names — including datasets that never
 * appeared as an input or output anywhere (kept as leaves, flagged `kind: null`).
 */
import type { NodeKind } from '../../../shared/dto';
import type { ReadableDb } from '../../db/open-db';
import type { Catalog } from '../index-engine/catalog';

export interface DatasetInfo {
  readonly key: number;
  readonly namespace: string;
  readonly name: string;
  /** The artifact id (0 = no artifact: known only from column lineage). */
  readonly artifact: number;
  /** As `retrace graph` labels it. */
  readonly label: string;
  /** The graph node its columns are drawn in (a file's artifact folder when it rolls up). */
  readonly node: string;
  readonly kind: NodeKind | null;
}

export class DatasetRegistry {
  private readonly keys = new Map<string, number>();
  private readonly ns: string[] = [''];
  private readonly names: string[] = [''];
  private readonly arts: number[] = [0];
  private readonly byArtifact = new Map<number, number>();
  /** The artifact count when unresolved keys were last looked up (a new artifact may resolve them). */
  private checkedAt = -1;
  private artifactStmt: { get(ns: string, name: string): unknown } | null = null;
  private infoCache = new Map<number, DatasetInfo>();

  constructor(private readonly db: ReadableDb, private catalog: Catalog) {}

  /** After the catalog was replaced (the DB rebuilt): names of artifacts may have changed. */
  reset(catalog: Catalog): void {
    this.catalog = catalog;
    this.keys.clear();
    this.ns.length = this.names.length = this.arts.length = 1;
    this.byArtifact.clear();
    this.infoCache.clear();
    this.checkedAt = -1;
  }

  key(namespace: string, name: string): number {
    const k = namespace + '\u0000' + name;
    let key = this.keys.get(k);
    if (key === undefined) {
      key = this.ns.length;
      this.keys.set(k, key);
      this.ns.push(namespace);
      this.names.push(name);
      this.arts.push(this.lookup(namespace, name));
      if (this.arts[key]) this.byArtifact.set(this.arts[key]!, key);
    }
    return key;
  }

  keyOfArtifact(artifact: number): number {
    const hit = this.byArtifact.get(artifact);
    if (hit !== undefined) return hit;
    const a = this.catalog.artifact(artifact);
    return this.key(a.namespace, a.name);
  }

  /** The artifact behind a key (0 = none), looking again for keys unresolved before new artifacts came. */
  artifactOf(key: number, lastArtifactId: number): number {
    const a = this.arts[key] ?? 0;
    if (a !== 0 || this.checkedAt === lastArtifactId) return a;
    for (let k = 1; k < this.arts.length; k++) {
      if (this.arts[k]) continue;
      const found = this.lookup(this.ns[k]!, this.names[k]!);
      if (found) {
        this.arts[k] = found;
        this.byArtifact.set(found, k);
        this.infoCache.delete(k);
      }
    }
    this.checkedAt = lastArtifactId;
    return this.arts[key] ?? 0;
  }

  info(key: number, lastArtifactId: number): DatasetInfo {
    const art = this.artifactOf(key, lastArtifactId);
    let hit = this.infoCache.get(key);
    if (hit && hit.artifact === art) return hit;
    const namespace = this.ns[key]!;
    const name = this.names[key]!;
    if (art) {
      const a = this.catalog.artifact(art);
      const node = a.rollupId ? this.catalog.artifact(a.rollupId).nodeId : a.nodeId;
      hit = { key, namespace, name, artifact: art, label: a.label, node, kind: a.kind };
    } else {
      hit = { key, namespace, name, artifact: 0, label: labelOf(namespace, name), node: `artifact:${namespace}/${name}`, kind: null };
    }
    this.infoCache.set(key, hit);
    return hit;
  }

  /** Keys whose label or `namespace/name` is `text` (for DATASET arguments naming unknown datasets). */
  find(text: string): number[] {
    const out: number[] = [];
    for (let k = 1; k < this.ns.length; k++) {
      if (`${this.ns[k]}/${this.names[k]}` === text || labelOf(this.ns[k]!, this.names[k]!) === text) out.push(k);
    }
    return out;
  }

  get size(): number {
    return this.ns.length - 1;
  }

  private lookup(namespace: string, name: string): number {
    this.artifactStmt ??= this.db.prepare('SELECT id FROM artifacts WHERE namespace = ? AND name = ?').pluck();
    return (this.artifactStmt.get(namespace, name) as number | undefined) ?? 0;
  }
}

/** The label an artifact of that identity would get (catalog.ts): its path, else `namespace/name`. */
export function labelOf(namespace: string, name: string): string {
  if (namespace === 'file') return name;
  if (namespace.includes('://')) return `${namespace.replace(/\/+$/, '')}/${name.replace(/^\/+/, '')}`;
  return `${namespace}/${name}`;
}
