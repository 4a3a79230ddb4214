import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 60_000,
    // Setup that builds an index over thousands of corpus records takes seconds; far more on a loaded machine.
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
