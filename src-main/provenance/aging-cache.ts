/**
 * Caches that forget what was not used for a whole generation: a lookup that hits the previous
 * generation moves the entry into the current one, and `age` starts a new generation (dropping
 * the previous one) once the current one outgrows its limit. Hot entities stay however long the
 * log; memory stays bounded (at most about twice the limit).
 *
 * The store ages its caches at commit time only, which is what makes dropping safe without
 * waiting for the writer: every entity the batch in flight created or changed was looked up
 * during that batch, so it sits in the current generation; what is dropped was last used in an
 * earlier batch, which the writer committed before it took this one.
 */
import { PairMap } from './pair-map';

/** Keyed by a pair of strings (artifacts by namespace and name). */
export class AgingPairMap<V> {
  private current = new PairMap<V>();
  private previous = new PairMap<V>();

  constructor(private readonly limit: number) {}

  get(a: string, b: string): V | undefined {
    const hit = this.current.get(a, b);
    if (hit !== undefined) return hit;
    const old = this.previous.get(a, b);
    if (old !== undefined) {
      this.previous.delete(a, b);
      this.current.set(a, b, old);
    }
    return old;
  }

  set(a: string, b: string, value: V): void {
    this.current.set(a, b, value);
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }

  /** Starts a new generation when the current one holds more than the limit. */
  age(): void {
    if (this.current.size <= this.limit) return;
    this.previous = this.current;
    this.current = new PairMap();
  }
}

/** Keyed by one string (runs by id, code and environment ids by hash). */
export class AgingMap<V> {
  private readonly pairs: AgingPairMap<V>;

  constructor(limit: number) {
    this.pairs = new AgingPairMap(limit);
  }

  get(key: string): V | undefined {
    return this.pairs.get('', key);
  }

  set(key: string, value: V): void {
    this.pairs.set('', key, value);
  }

  get size(): number {
    return this.pairs.size;
  }

  age(): void {
    this.pairs.age();
  }
}
