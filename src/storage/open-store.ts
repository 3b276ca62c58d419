/** @module Opens the store a topology names, whatever its backend. */
import type { StoreSpec } from '../topology/topology-types.js';
import type { Store } from './store.js';
import { openSqliteStore } from './sqlite/open-sqlite.js';
import { openPostgresStore } from './postgres/open-postgres.js';
import { TandemError } from '../errors/index.js';

export async function openStore(spec: StoreSpec, poolFqdn: string): Promise<Store> {
  try {
    switch (spec.kind) {
      case 'sqlite':
        return await openSqliteStore(spec.path);
      case 'postgres':
        return await openPostgresStore(spec.connectionString);
    }
  } catch (err) {
    if (err instanceof TandemError) throw err;
    const detail = err instanceof Error ? err.message : String(err);
    throw new TandemError('STORAGE_UNAVAILABLE', { pool: poolFqdn, detail }, { cause: err });
  }
}
