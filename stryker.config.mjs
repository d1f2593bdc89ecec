// Mutation testing of the pure code: `npm run mutation` (docs/mutation-testing.md).
//
// Stryker 9.6, not 10: @stryker-mutator/core 10 declares `engines: { node: '>=22.0.0' }`, and this
// project runs on Node 20 (package.json `engines: >=20.19`, the machines and CI have Node 20). The 9.x
// line declares `node >=20.0.0` and its vitest runner supports vitest 4 (peer `vitest >=2.0.0`). Move
// to 10 together with the project's move to Node 22.

/**
 * The pure modules to mutate: no I/O, no clock, no network, judged by unit tests in memory. Add a glob
 * here (and its tests to PURE_TESTS in vitest.mutation.config.ts) when a new pure module appears.
 */
const PURE_CODE = ['shared/domain/**/*.ts'];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner', './test/mutation/stableIncrementalFile.mjs'],
  // `related: false`: a mutant without per-test coverage (a static one, evaluated when its module
  // loads) runs every pure test file, not only the files that import its module statically.
  // test/shared/domain/modulesLoad.test.ts imports the modules dynamically, so that a mutant which
  // makes a module throw while it loads fails a test instead of only failing to import the files.
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  mutate: PURE_CODE,
  // A run below 90% killed fails (exit code 1). The one equivalent mutant known (it cannot be killed,
  // so it counts as survived) is listed with its reason in docs/mutation-testing.md.
  thresholds: { high: 95, low: 90, break: 90 },
  // Results are kept in a committed file so that a later run re-tests only the mutants whose code or
  // tests changed. Everything else Stryker writes (reports/, .stryker-tmp/) is git-ignored.
  incremental: true,
  incrementalFile: 'test/mutation/stryker-incremental.json',
  // stable-incremental-file (test/mutation/stableIncrementalFile.mjs) rewrites the incremental file in
  // a stable order, so that it changes in git only where the code or the tests changed.
  reporters: ['clear-text', 'progress', 'html', 'json', 'stable-incremental-file'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, reportTests: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
