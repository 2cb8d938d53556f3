// The core folders `npm run mutation` measures: which source files are mutated, and which unit
// and contract tests may kill the mutants. Only tests that run in-process are listed (no CLI
// spawns, no Chromium, no randomised fuzzing): a surviving mutant costs one run of every test
// file that reached it, ~1–4 s each on a shared 2-core machine.
//
// `mutate` is a sample of each folder, the files that hold its core logic (docs/testing.md,
// "Mutation testing", says what is left out and why); widen it when there is time to run it.
export const FOLDERS = {
  parsers: {
    title: 'OpenLineage + Hopsworks parsers (src-main/provenance)',
    mutate: [
      'src-main/provenance/parse-line.ts',
      'src-main/provenance/parse-hopsworks.ts',
      'src-main/provenance/parse-openlineage.ts',
      // What the parsers call to read facets, times and the line limits.
      'src-main/provenance/facets.ts',
      'src-main/provenance/column-facets.ts',
      'src-main/provenance/time.ts',
      'src-main/provenance/line-checks.ts',
    ],
    // Focused unit tests first: a mutant runs the test files that reached it in this order,
    // and stops at the first that fails.
    tests: [
      'src-main/provenance/facets.test.ts',
      'src-main/provenance/line-checks.test.ts',
      'src-main/provenance/time.test.ts',
      'src-main/provenance/column-facets.test.ts',
      'src-main/provenance/parsers.test.ts',
      'src-main/provenance/parse-openlineage.test.ts',
      'src-main/provenance/bad-input.test.ts',
      'src-main/provenance/testdata.test.ts',
      'src-main/provenance/ingest.test.ts',
    ],
  },
  delta: {
    title: 'Delta log and writer (src-main/lake/delta-*.ts)',
    mutate: ['src-main/lake/delta-commit.ts', 'src-main/lake/delta-log.ts', 'src-main/lake/delta-writer.ts'],
    tests: [
      'src-main/lake/delta-log.test.ts',
      'src-main/lake/delta-writer.test.ts',
      'src-main/lake/delta-writer-rules.test.ts',
      'src-main/lake/nested-write.test.ts',
      'src-main/lake/delta-golden-log.test.ts',
      'src-main/lake/log-damage.test.ts',
      'src-main/lake/delta-golden.test.ts',
      'src-main/lake/delta-rs-golden.test.ts',
    ],
  },
  lineage: {
    title: 'Lineage engine (src-main/lineage)',
    mutate: [
      'src-main/lineage/read-models/lineage-engine.ts',
      'src-main/lineage/index-engine/impact.ts',
      'src-main/lineage/index-engine/footprint.ts',
      'src-main/lineage/index-engine/snapshots.ts',
      'src-main/lineage/index-engine/history.ts',
    ],
    tests: ['src-main/lineage/**/*.test.ts', 'test/contract/lineage-contract.test.ts'],
  },
  api: {
    title: 'API (src-main/api)',
    // The composition roots every test builds (create-core.ts, workspace-engine.ts) are left out:
    // they only wire the others, and each of their survivors costs a run of every contract test.
    mutate: [
      'src-main/api/core-api.ts', 'src-main/api/request-time.ts', 'src-main/api/event-hub.ts', 'src-main/api/validating-api.ts',
      'src-main/api/cells.ts', 'src-main/api/table-explore.ts', 'src-main/api/table-schemas.ts', 'src-main/api/table-commits.ts',
      'src-main/api/catalog-service.ts', 'src-main/api/rerun-wiring.ts', 'src-main/api/replay-wiring.ts', 'src-main/api/columns-wiring.ts',
    ],
    tests: [
      'src-main/api/*.test.ts',
      'test/contract/lineage-contract.test.ts',
      'test/contract/api-contract.test.ts',
      'test/contract/explore-contract.test.ts',
      'test/contract/table-contract.test.ts',
      'test/contract/table-explore-contract.test.ts',
      'test/contract/table-folders-contract.test.ts',
      'test/contract/columns-contract.test.ts',
      // Re-runs and replays run short shell commands under capture (no CLI, no browser).
      'test/contract/rerun-contract.test.ts',
      'test/contract/replay-contract.test.ts',
      'src-main/repro/rerun-plan.test.ts',
    ],
  },
};
