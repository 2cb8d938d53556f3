// StrykerJS configuration for `npm run mutation` (scripts/mutation.mjs sets the folder).
// One folder per run, so each reports its own score; see docs/testing.md "Mutation testing".
import { FOLDERS } from './scripts/mutation-folders.mjs';

const name = process.env.RETRACE_MUTATION_FOLDER ?? 'parsers';
const folder = FOLDERS[name];
if (!folder) throw new Error(`Unknown mutation folder "${name}" (one of: ${Object.keys(FOLDERS).join(', ')}).`);
const out = `reports/mutation/${name}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  tap: {
    testFiles: folder.tests,
    // node:test prints TAP with this reporter; tsx runs the TypeScript sources as they are.
    nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
    forceBail: true,
  },
  mutate: folder.mutate,
  // Per test file: a mutant runs only the test files that reached it in the dry run.
  coverageAnalysis: 'perTest',
  // The machine is shared: one test process at a time (the driver also runs under nice).
  concurrency: 1,
  // No type-checker: a mutant that does not type-check would still be run (and usually killed);
  // checking each one with tsc would cost more than running it.
  checkers: [],
  ignorePatterns: [
    'dist', 'release', 'test-results', 'bench-results', 'reports', 'examples/recorded',
    'docs/screenshots', '.retrace', '.retrace-*', '*.cpuprofile', '*.heapprofile', 'isolate-*.log',
  ],
  tempDirName: '.stryker-tmp',
  incremental: true,
  incrementalFile: `${out}/incremental.json`,
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: `${out}/index.html` },
  jsonReporter: { fileName: `${out}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  thresholds: { high: 90, low: 80, break: null },
  timeoutMS: 10000,
  cleanTempDir: 'always',
};
