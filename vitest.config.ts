import { configDefaults, defineConfig } from 'vitest/config';
import { parseStoreList } from './src/devkit/cluster-stores.js';

// The multi-process scenarios (test/integration) run once per store backend: `STORES=sqlite,postgres` (the
// default) or one of them for local work. Each run is a project named after its backend, which vitest prints
// before every test title; the cluster fixture reads the backend from TANDEM_CLUSTER_STORE.
const integration = parseStoreList(process.env.STORES).map((store) => ({
  extends: true as const,
  test: {
    name: `integration:${store}`,
    include: ['test/integration/**/*.test.ts'],
    env: { TANDEM_CLUSTER_STORE: store },
  },
}));

export default defineConfig({
  test: {
    // Tests wait for events, never for durations: these limits only stop a test that hangs, and are generous so
    // that a machine whose cores are busy elsewhere (npm run test:stress, a shared CI host) fails no test.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // A failed test prints the server logs of the clusters it ran (src/devkit/cluster.ts).
    setupFiles: ['test/setup/report-server-logs.ts'],
    // Multi-process scenarios start real servers; two cores do not gain from more parallel files.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/integration/**'],
        },
      },
      ...integration,
    ],
  },
});
