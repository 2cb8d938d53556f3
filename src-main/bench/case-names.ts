/**
 * The names of the `retrace bench` cases, for the command's help text: the cases themselves
 * load what they measure (SQLite, Parquet, the capture tools), which `--help` must not.
 * run-bench.test.ts checks that this list matches the cases.
 */
export const BENCH_CASE_NAMES = ['api', 'ingest', 'lineage', 'lake', 'capture', 'store', 'ui', 'cli'] as const;
