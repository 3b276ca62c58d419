/**
 * Setup file of the integration projects: when a test fails, its clusters' server logs go to stderr, so that a
 * failure seen once under load (npm run test:stress, CI) can be read without reproducing it.
 */
import { beforeEach } from 'vitest';
import { Cluster } from '../../src/devkit/cluster.js';

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    const report = Cluster.serverLogReport();
    if (report) process.stderr.write(`\nServer logs at the failure:\n${report}\n`);
  });
});
