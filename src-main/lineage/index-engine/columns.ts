/**
 * Growable typed-array columns for the lineage index. Rows are addressed by DB id (ids are
 * dense and start at 1; row 0 stays zero = "none"), so an append is an O(1) amortised write
 * and no id→row map is needed.
 */
export type ColumnArray = Int32Array | Uint8Array | Float64Array;
type Ctor = Int32ArrayConstructor | Uint8ArrayConstructor | Float64ArrayConstructor;

export class Column<T extends ColumnArray> {
  constructor(
    public data: T,
    private readonly ctor: Ctor,
  ) {}

  static int32(capacity = 1024): Column<Int32Array> {
    return new Column(new Int32Array(capacity), Int32Array);
  }
  static uint8(capacity = 1024): Column<Uint8Array> {
    return new Column(new Uint8Array(capacity), Uint8Array);
  }
  static float64(capacity = 1024): Column<Float64Array> {
    return new Column(new Float64Array(capacity), Float64Array);
  }

  /** Makes index `i` addressable, doubling the capacity when needed (new cells are 0). */
  ensure(i: number): void {
    if (i < this.data.length) return;
    let cap = Math.max(1024, this.data.length);
    while (cap <= i) cap *= 2;
    const next = new this.ctor(cap) as T;
    next.set(this.data as never);
    this.data = next;
  }

  set(i: number, v: number): void {
    if (i >= this.data.length) this.ensure(i);
    this.data[i] = v;
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
