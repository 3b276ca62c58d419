import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Tests wait for events, never for durations: these limits only stop a test that hangs, and are generous so
    // that a machine whose cores are busy elsewhere (npm run test:stress, a shared CI host) fails no test.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Multi-process scenarios start real servers; two cores do not gain from more parallel files.
    maxWorkers: 2,
  },
});
