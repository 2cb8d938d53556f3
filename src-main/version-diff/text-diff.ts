/**
 * A line diff of two texts as a unified diff (`--- a/x`, `+++ b/x`, `@@ -l,n +l,n @@` hunks
 * with 3 lines of context), by Myers' O((N+M)·D) algorithm — the one `git diff` and GNU diff
 * use — so the hunks read the way users know them. Gives up (null) past `maxEdits` changed
 * lines: a file rewritten wholesale is better summarised than printed.
 */
export interface UnifiedDiff {
  readonly text: string;
  readonly added: number;
  readonly removed: number;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

export function unifiedDiff(a: string, b: string, names: { a: string; b: string }, opts: { context?: number; maxEdits?: number } = {}): UnifiedDiff | null {
  const ops = lineOps(splitLines(a), splitLines(b), opts.maxEdits ?? 2000);
  if (ops === null) return null;
  const added = ops.filter((o) => o.kind === '+').length;
  const removed = ops.filter((o) => o.kind === '-').length;
  if (added + removed === 0) return { text: '', added: 0, removed: 0 };
  return { text: [`--- a/${names.a}`, `+++ b/${names.b}`, ...hunks(ops, opts.context ?? 3)].join('\n') + '\n', added, removed };
}

function splitLines(s: string): string[] {
  const lines = s.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The shortest edit script from `a` to `b` (Myers 1986, with the trace kept for the way back). */
function lineOps(a: readonly string[], b: readonly string[], maxEdits: number): Op[] | null {
  const n = a.length;
  const m = b.length;
  const offset = n + m + 1;
  const v = new Int32Array(2 * offset + 1);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= Math.min(n + m, maxEdits); d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    if (found >= 0) break;
  }
  if (found < 0) return null;
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const pv = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && pv[offset + k - 1]! < pv[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = pv[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[--x]! });
      y--;
    }
    if (x === prevX) ops.push({ kind: '+', line: b[--y]! });
    else ops.push({ kind: '-', line: a[--x]! });
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: ' ', line: a[--x]! });
    y--;
  }
  return ops.reverse();
}

/** `start,count` as diff -u writes it: the count is left out when it is 1; an empty range starts one line before. */
function range(start: number, count: number): string {
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}

function hunks(ops: readonly Op[], context: number): string[] {
  const out: string[] = [];
  const changed = ops.map((o, i) => (o.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  let i = 0;
  while (i < changed.length) {
    // Grow a hunk while the next change is within two contexts of the last one.
    let end = changed[i]!;
    let j = i;
    while (j + 1 < changed.length && changed[j + 1]! - end <= 2 * context) end = changed[++j]!;
    const from = Math.max(0, changed[i]! - context);
    const to = Math.min(ops.length - 1, end + context);
    let lineA = 1;
    let lineB = 1;
    for (let p = 0; p < from; p++) {
      if (ops[p]!.kind !== '+') lineA++;
      if (ops[p]!.kind !== '-') lineB++;
    }
    const body = ops.slice(from, to + 1);
    const countA = body.filter((o) => o.kind !== '+').length;
    const countB = body.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${range(lineA, countA)} +${range(lineB, countB)} @@`);
    for (const o of body) out.push(`${o.kind}${o.line}`);
    i = j + 1;
  }
  return out;
}
