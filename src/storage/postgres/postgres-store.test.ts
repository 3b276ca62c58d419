import { afterAll } from 'vitest';
import { runStoreConformance } from '../store.conformance.js';
import { openPostgresStore } from './open-postgres.js';
import { createTempDatabase, type TempDatabase } from '../../../test/support/postgres.js';

const databases: TempDatabase[] = [];
afterAll(async () => {
  for (const d of databases) await d.drop();
});

runStoreConformance('postgres', {
  async open() {
    const d = await createTempDatabase();
    databases.push(d);
    return openPostgresStore(d.url, { max: 4 });
  },
  reopen() {
    const d = databases.at(-1);
    if (!d) throw new Error('nothing to reopen');
    return openPostgresStore(d.url, { max: 4 });
  },
});
