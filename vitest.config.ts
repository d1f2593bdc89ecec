// CommonJS on purpose: package.json says "type": "commonjs", and ESM syntax here makes Vite warn on
// every run that the config will not load under its upcoming native config loader.
const { defineConfig }: typeof import('vitest/config') = require('vitest/config');

module.exports = defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Creates the dev CA and sets NODE_EXTRA_CA_CERTS before any worker starts (see the file).
    globalSetup: ['test/globalSetup.ts'],
    // Child processes, not worker threads: NODE_EXTRA_CA_CERTS is read once when a Node process
    // starts, so only a freshly forked worker (which inherits the variable) trusts the dev CA.
    pool: 'forks',
    // Most tests wait on Azurite, the simulator or a child process rather than compute: three forks
    // keep two cores busy (vitest's default on two cores is one fork, the whole suite in series).
    maxWorkers: 3,
    // Integration tests start Azurite and the ARM simulator and wait on real Retry-After delays.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
