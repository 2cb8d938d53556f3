/**
 * A map keyed by (namespace, name) without building a joined key string per lookup (a fresh
 * concatenation per event had to be flattened and hashed every time).
 */
export class PairMap<V> {
  private readonly outer = new Map<string, Map<string, V>>();
  size = 0;
  get(a: string, b: string): V | undefined {
    return this.outer.get(a)?.get(b);
  }
  has(a: string, b: string): boolean {
    return this.outer.get(a)?.has(b) ?? false;
  }
  set(a: string, b: string, v: V): void {
    let inner = this.outer.get(a);
    if (!inner) this.outer.set(a, (inner = new Map()));
    if (!inner.has(b)) this.size++;
    inner.set(b, v);
  }
  delete(a: string, b: string): void {
    const inner = this.outer.get(a);
    if (inner?.delete(b)) this.size--;
  }
  clear(): void {
    this.outer.clear();
    this.size = 0;
  }
}
