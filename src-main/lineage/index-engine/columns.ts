/**
 * Growable typed-array columns for the lineage index. Rows are addressed by DB id (ids are
 * dense and start at 1; row 0 stays zero = "none"), so an append is an O(1) amortised write
 * and no id→row map is needed.
 */
export type ColumnArray = Int32Array | Uint8Array | Float64Array;
type Ctor = Int32ArrayConstructor | Uint8ArrayConstructor | Float64ArrayConstructor;

export class Column<T extends ColumnArray> {
  private values: T;
  /** Set while the values still sit in the index file (see `deferTo`); read on first use. */
  private pending: { read(into: T): void; peek(i: number): number; length: number } | null = null;

  constructor(
    data: T,
    private readonly ctor: Ctor,
  ) {
    this.values = data;
  }

  static int32(capacity = 1024): Column<Int32Array> {
    return new Column(new Int32Array(capacity), Int32Array);
  }
  static uint8(capacity = 1024): Column<Uint8Array> {
    return new Column(new Uint8Array(capacity), Uint8Array);
  }
  static float64(capacity = 1024): Column<Float64Array> {
    return new Column(new Float64Array(capacity), Float64Array);
  }

  get data(): T {
    if (this.pending) this.materialize();
    return this.values;
  }

  set data(v: T) {
    this.values = v;
    this.pending = null;
  }

  get bytesPerElement(): number {
    return this.ctor.BYTES_PER_ELEMENT;
  }

  /**
   * The column's `length` values stay in the index file until first used: a cold start reads
   * only the columns its first query touches (a footprint needs about a third of the file).
   * `read` fills the given array from the file; `peek` reads one value without loading the rest.
   */
  deferTo(length: number, read: (into: T) => void, peek: (i: number) => number): void {
    this.pending = { read, peek, length };
  }

  /** Value `i`, without loading a deferred column. */
  at(i: number): number {
    return this.pending ? this.pending.peek(i) : (this.values[i] ?? 0);
  }

  get isLoaded(): boolean {
    return this.pending === null;
  }

  private materialize(): void {
    const p = this.pending!;
    // A little headroom, so the next append does not copy the column straight away.
    const values = new this.ctor(Math.max(1024, p.length + (p.length >> 4))) as T;
    p.read(values);
    this.values = values;
    this.pending = null;
  }

  /** Makes index `i` addressable, doubling the capacity when needed (new cells are 0). */
  ensure(i: number): void {
    const data = this.data;
    if (i < data.length) return;
    let cap = Math.max(1024, data.length);
    while (cap <= i) cap *= 2;
    const next = new this.ctor(cap) as T;
    next.set(data as never);
    this.values = next;
  }

  set(i: number, v: number): void {
    if (i >= this.data.length) this.ensure(i);
    this.values[i] = v;
  }
}

/** Access operations as small codes (bit positions are used by the footprint algebra). */
export const OP = { READ: 1, CREATE: 2, MODIFY: 3, DELETE: 4, RENAME: 5, OTHER: 6 } as const;
export const OP_NAMES = ['', 'READ', 'CREATE', 'MODIFY', 'DELETE', 'RENAME', 'OTHER'] as const;

export function opCode(op: string): number {
  return (OP as Record<string, number>)[op] ?? OP.OTHER;
}

export const RUN_STATE_NAMES = ['OTHER', 'START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL'] as const;

export function stateCode(state: string): number {
  const i = (RUN_STATE_NAMES as readonly string[]).indexOf(state);
  return i < 0 ? 0 : i;
}
