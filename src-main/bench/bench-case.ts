/**
 * One named benchmark case of `retrace bench`. Cases measure on this machine and report
 * numbers; they never assert (goals are printed beside the numbers, not enforced in tests).
 */
export interface BenchContext {
  /** `--quick`: smaller sizes so the whole harness runs in seconds. */
  readonly quick: boolean;
  /** A fresh temporary folder the case may fill; removed afterwards. */
  readonly tmpDir: string;
  /** Progress lines for long cases (printed to stderr). */
  log(message: string): void;
}

export interface BenchMetric {
  /** e.g. "impact p95" */
  readonly name: string;
  readonly value: number;
  /** e.g. "ms", "events/s", "×" */
  readonly unit: string;
  /** The goal as text, e.g. "≤ 30 ms", shown beside the number. */
  readonly goal?: string;
  /** Whether the goal is met, when a goal is given. */
  readonly met?: boolean;
  readonly note?: string;
}

export interface BenchCase {
  readonly name: string;
  readonly description: string;
  run(ctx: BenchContext): Promise<BenchMetric[]>;
}

/** Percentile of a sample (nearest-rank on a sorted copy). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

/** High-resolution milliseconds. */
export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
