/**
 * @module Runs SQL straight on a pool's store, behind the server's back (a tampered copy, an injected fault),
 * whichever backend the cluster runs on: its SQLite file or its PostgreSQL database.
 */
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { Cluster } from '../../src/devkit/cluster.js';

/** `params` bind to `?` on SQLite and `$1, $2, ...` on PostgreSQL: write the statement for each. */
export async function onStore(
  c: Cluster,
  pool: 'atl' | 'dal',
  statement: { readonly sqlite: string; readonly postgres: string },
  params: readonly unknown[] = [],
): Promise<void> {
  const store = c.fixture[pool].store;
  if ('sqlite' in store) {
    const db = new BetterSqlite3(join(c.dataDir, store.sqlite));
    try {
      db.pragma('busy_timeout = 5000');
      db.prepare(statement.sqlite).run(...params);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: store.postgres });
  await client.connect();
  try {
    // Without parameters the statement may hold several commands (simple query protocol).
    await (params.length > 0
      ? client.query(statement.postgres, [...params])
      : client.query(statement.postgres));
  } finally {
    await client.end();
  }
}
