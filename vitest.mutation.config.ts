// The vitest configuration of the mutation run (`npm run mutation`, stryker.config.mjs): only the pure
// unit tests, the ones that judge the mutated code in memory. No globalSetup: the dev CA and
// NODE_EXTRA_CA_CERTS of test/globalSetup.ts serve the simulators of the integration tests, which a
// mutation run never starts. The test certificates the domain tests need are made in memory
// (test/support/certificates.ts).
//
// CommonJS on purpose, like vitest.config.ts: package.json says "type": "commonjs", and ESM syntax here
// makes Vite warn on every run that the config will not load under its upcoming native config loader.
const { defineConfig }: typeof import('vitest/config') = require('vitest/config');

/**
 * Tests of pure code, run against every mutant. Extend this list together with `mutate` in
 * stryker.config.mjs when a new pure module gets its own tests.
 */
const PURE_TESTS = ['test/shared/domain/**/*.test.ts'];

module.exports = defineConfig({
  test: {
    include: PURE_TESTS,
    // One module graph per run instead of one per test file: the domain tests load @peculiar/x509 and
    // zod, and re-importing them for every file doubled the mutation run's time. The pure tests share
    // no state (the test CA is made once and only read). Each mutant run still starts with fresh
    // modules, so static mutants (module-level code such as the policy schema) are re-evaluated: a
    // run with and one without isolation gave identical results mutant for mutant.
    isolate: false,
    // Generating the test CA's key is the slowest step of a domain test file.
    testTimeout: 10_000,
  },
});
