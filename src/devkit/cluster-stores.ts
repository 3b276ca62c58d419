/**
 * @module Which store backend a test deployment runs on: SQLite files (Standard Edition pools) or PostgreSQL
 * databases (Enterprise Edition pools). vitest.config.ts runs the integration tests once per backend named in
 * `STORES` and tells each run its backend through `TANDEM_CLUSTER_STORE`.
 */
import { createScratchDatabase, type ScratchDatabase } from '../storage/postgres/scratch-database.js';

export const StoreBackend = { Sqlite: 'sqlite', Postgres: 'postgres' } as const;
export type StoreBackend = (typeof StoreBackend)[keyof typeof StoreBackend];
export const STORE_BACKENDS: readonly StoreBackend[] = Object.values(StoreBackend);

/** The local PostgreSQL server the tests administer (trust authentication). */
export const PG_ADMIN_URL = process.env.TANDEM_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

function isBackend(name: string): name is StoreBackend {
  return (STORE_BACKENDS as readonly string[]).includes(name);
}

/** `STORES=sqlite,postgres` (the default when unset or empty): the backends to run the integration tests on. */
export function parseStoreList(list: string | undefined): StoreBackend[] {
  const names = (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) return [...STORE_BACKENDS];
  const unknown = names.filter((n) => !isBackend(n));
  if (unknown.length > 0)
    throw new Error(`STORES names ${unknown.join(', ')}; use any of: ${STORE_BACKENDS.join(', ')}`);
  return [...new Set(names.filter(isBackend))];
}

/** The backend of this test run (SQLite outside the integration matrix: bench, drill, unit tests). */
export function clusterStore(): StoreBackend {
  const name = process.env.TANDEM_CLUSTER_STORE ?? StoreBackend.Sqlite;
  if (!isBackend(name))
    throw new Error(`TANDEM_CLUSTER_STORE=${name}; use one of: ${STORE_BACKENDS.join(', ')}`);
  return name;
}

/** The stores of the Litware pair on one backend; `release` drops what was created for it. */
export interface PairStores {
  readonly postgres?: { readonly atl: string; readonly dal: string };
  readonly release: () => Promise<void>;
}

export async function pairStores(backend: StoreBackend): Promise<PairStores> {
  if (backend === StoreBackend.Sqlite) return { release: async () => undefined };
  const made: ScratchDatabase[] = [];
  try {
    for (let i = 0; i < 2; i++) made.push(await createScratchDatabase(PG_ADMIN_URL, 'tandem_it'));
  } catch (err) {
    await Promise.all(made.map((d) => d.drop()));
    throw err;
  }
  const [atl, dal] = made as [ScratchDatabase, ScratchDatabase];
  return {
    postgres: { atl: atl.url, dal: dal.url },
    release: async () => {
      await Promise.all(made.map((d) => d.drop()));
    },
  };
}
