/**
 * @module Versioned schema migrations, shared by every backend. Each migration runs once, in name order,
 * recorded by Kysely's migrator in the store itself.
 */
import type { ColumnDefinitionBuilder, Kysely, Migration, MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

function migrations(dialect: Dialect): Record<string, Migration> {
  const autoIncrement = (col: ColumnDefinitionBuilder) =>
    dialect === 'sqlite' ? col.primaryKey().autoIncrement() : col.primaryKey().generatedByDefaultAsIdentity();
  return {
    '0003_duty_leases': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('duty_lease')
          .addColumn('duty', 'text', (c) => c.primaryKey())
          .addColumn('holder', 'text', (c) => c.notNull())
          .addColumn('epoch', 'bigint', (c) => c.notNull())
          .addColumn('acquired_at', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
    '0002_divergent_changes': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('divergent_change')
          .addColumn('id', dialect === 'sqlite' ? 'integer' : 'bigint', autoIncrement)
          .addColumn('owner', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('op', 'text', (c) => c.notNull())
          .addColumn('value', 'text')
          .addColumn('seq', 'bigint', (c) => c.notNull())
          .addColumn('epoch', 'bigint', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('found_epoch', 'bigint', (c) => c.notNull())
          .addColumn('found_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('divergent_change_owner')
          .on('divergent_change')
          .column('owner')
          .execute();
      },
    },
    '0001_initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('cms_doc')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text')
          .addColumn('version', 'bigint', (c) => c.notNull())
          .addColumn('epoch', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('cms_doc_version').on('cms_doc').column('version').execute();
        await db.schema
          .createTable('cms_meta')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('version', 'bigint', (c) => c.notNull())
          .addColumn('epoch', 'bigint', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('master_pool', 'text', (c) => c.notNull())
          .addColumn('epoch_base', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('cms_divergent')
          .addColumn('id', dialect === 'sqlite' ? 'integer' : 'bigint', autoIncrement)
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('value', 'text')
          .addColumn('version', 'bigint', (c) => c.notNull())
          .addColumn('epoch', 'bigint', (c) => c.notNull())
          .addColumn('found_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('user_item')
          .addColumn('owner', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('rev', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('user_item_pk', ['owner', 'kind', 'key'])
          .execute();
        await db.schema
          .createTable('change_log')
          .addColumn('seq', dialect === 'sqlite' ? 'integer' : 'bigint', autoIncrement)
          .addColumn('owner', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('op', 'text', (c) => c.notNull())
          .addColumn('value', 'text')
          .addColumn('epoch', 'bigint', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('size', 'integer', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('import_cursor')
          .addColumn('source', 'text', (c) => c.primaryKey())
          .addColumn('seq', 'bigint', (c) => c.notNull())
          .addColumn('epoch', 'bigint', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('applied', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: () => Promise.resolve(migrations(dialect)) };
}
