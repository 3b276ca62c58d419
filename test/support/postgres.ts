/**
 * @module PostgreSQL for tests: each test run creates its own uniquely named database on the local server
 * and drops it afterwards.
 */
import { createScratchDatabase, type ScratchDatabase } from '../../src/storage/postgres/scratch-database.js';
import { PG_ADMIN_URL } from '../../src/devkit/cluster-stores.js';

export { PG_ADMIN_URL };
export type TempDatabase = ScratchDatabase;

export function createTempDatabase(prefix = 'tandem_test'): Promise<TempDatabase> {
  return createScratchDatabase(PG_ADMIN_URL, prefix);
}
