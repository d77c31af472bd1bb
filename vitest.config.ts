import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    // CLI tests start real processes; give them room on a 2-core machine.
    testTimeout: 30_000,
    pool: 'forks',
    // The JSON report lets CI print one plain "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
