/** @module Runs the versioned migrations on a store when it opens. */
import { Migrator, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { migrationProvider, type Dialect } from './migrations.js';
import { TandemError } from '../errors/index.js';

export async function migrateStore(db: Kysely<Database>, dialect: Dialect, name: string): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy().catch(() => undefined);
    throw new TandemError(
      'STORAGE_MIGRATION_FAILED',
      { store: name, detail: error instanceof Error ? error.message : JSON.stringify(error) },
      { cause: error },
    );
  }
}
