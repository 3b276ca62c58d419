/**
 * @module The SQLite backend: better-sqlite3 in WAL mode with synchronous=FULL, so that an acknowledged
 * commit has reached the disk and survives kill -9 and power loss.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import type { Database } from '../schema.js';
import type { Store } from '../store.js';
import { KyselyCmsStore } from '../kysely-cms-store.js';
import { KyselyUserDataStore } from '../kysely-user-data-store.js';
import type { BulkUpsert } from '../kysely-change-apply.js';
import { migrateStore } from '../migrate.js';
import { SqliteDutyLeases } from './sqlite-duty-leases.js';

/**
 * Kysely prepares every query anew; preparing costs more than running a small query. Statements are
 * reused by SQL text (Kysely runs one query at a time on this connection, so sharing one is safe).
 */
function withStatementCache(native: BetterSqlite3.Database, max = 256): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => native.close(),
    prepare(sql: string) {
      // SQLite rolls a transaction back itself on some errors (SQLITE_FULL: disk full). Kysely's rollback
      // then fails with "no transaction is active" and that error replaces the real one, so a full disk
      // would surface as an internal error. There is nothing left to roll back: do nothing.
      if (sql === 'rollback' && !native.inTransaction) return NOTHING_TO_ROLL_BACK;
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = native.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

const NOTHING_TO_ROLL_BACK = {
  reader: false,
  all: () => [],
  run: () => ({ changes: 0, lastInsertRowid: 0 }),
  iterate: () => [][Symbol.iterator](),
};

/**
 * Replication applies pages of thousands of items; a reused native statement writes one in about a
 * microsecond, where building the query costs ten. It runs on the connection Kysely holds for the
 * transaction, so it is part of that transaction.
 */
function nativeBulkUpsert(native: BetterSqlite3.Database): BulkUpsert {
  let stmt: BetterSqlite3.Statement | undefined;
  return async (_trx, rows) => {
    stmt ??= native.prepare(
      `insert into user_item (owner, kind, key, value, rev, updated_at) values (?, ?, ?, ?, ?, ?)
       on conflict (owner, kind, key) do update set value = excluded.value, rev = excluded.rev, updated_at = excluded.updated_at`,
    );
    const s = stmt;
    for (const r of rows) s.run(r.owner, r.kind, r.key, r.value, r.rev, r.updated_at);
    await Promise.resolve();
  };
}

export async function openSqliteStore(path: string): Promise<Store> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const native = new BetterSqlite3(path);
  native.pragma('journal_mode = WAL');
  native.pragma('synchronous = FULL');
  native.pragma('busy_timeout = 5000');
  native.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(native) }) });
  await migrateStore(db, 'sqlite', path);
  // SQLite runs one transaction at a time on this connection: the meta row and the log are already locked.
  const noLock = async (): Promise<void> => {};
  const lockMeta = (trx: Parameters<ConstructorParameters<typeof KyselyCmsStore>[1]>[0]) =>
    trx.selectFrom('cms_meta').selectAll().where('id', '=', 1).executeTakeFirst();
  const leases = new SqliteDutyLeases(db);
  return {
    dialect: 'sqlite',
    description: `sqlite:${path}`,
    cms: new KyselyCmsStore(db, lockMeta),
    userData: new KyselyUserDataStore(db, noLock, nativeBulkUpsert(native)),
    leases,
    async flush() {
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    },
    async close() {
      await leases.releaseAll();
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db).catch(() => undefined);
      await db.destroy();
    },
  };
}
