/**
 * @module The PostgreSQL backend, for Enterprise Edition pools whose front-end servers share one store.
 */
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database } from '../schema.js';
import type { Store } from '../store.js';
import { KyselyCmsStore } from '../kysely-cms-store.js';
import { KyselyUserDataStore } from '../kysely-user-data-store.js';
import type { BulkUpsert } from '../kysely-change-apply.js';
import { migrateStore } from '../migrate.js';
import { PostgresDutyLeases } from './postgres-duty-leases.js';
import { dutyEpochIn } from '../kysely-duty-epochs.js';

// Seqs and versions are BIGINT; they stay far below 2^53, so read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

/** Any password in a connection string is replaced, so that messages and logs never carry it. */
export function redactConnectionString(conn: string): string {
  return conn.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** Change-log appends from every front end of the pool serialize on this lock (key chosen at random once). */
const CHANGE_LOG_LOCK = 7_412_093;

/** One statement per page: the rows travel as arrays and unnest into the upsert. */
const unnestBulkUpsert: BulkUpsert = async (trx, rows) => {
  const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
  await sql`insert into user_item (owner, kind, key, value, rev, updated_at)
    select * from unnest(${col('owner')}::text[], ${col('kind')}::text[], ${col('key')}::text[], ${col('value')}::text[], ${col('rev')}::bigint[], ${col('updated_at')}::bigint[])
    on conflict (owner, kind, key) do update set value = excluded.value, rev = excluded.rev, updated_at = excluded.updated_at`.execute(
    trx,
  );
};

export async function openPostgresStore(
  connectionString: string,
  options: { max?: number } = {},
): Promise<Store> {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // A broken idle connection must not crash the server; the next query reports the failure instead.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const description = `postgres:${redactConnectionString(connectionString)}`;
  await migrateStore(db, 'postgres', description);
  const leases = new PostgresDutyLeases(db, connectionString);
  return {
    dialect: 'postgres',
    description,
    cms: new KyselyCmsStore(
      db,
      (trx) => trx.selectFrom('cms_meta').selectAll().where('id', '=', 1).forUpdate().executeTakeFirst(),
      (trx, duty) => dutyEpochIn(trx, duty, true),
    ),
    userData: new KyselyUserDataStore(
      db,
      async (trx) => {
        await sql`select pg_advisory_xact_lock(${CHANGE_LOG_LOCK})`.execute(trx);
      },
      unnestBulkUpsert,
      (trx, duty) => dutyEpochIn(trx, duty, true),
    ),
    async flush() {
      // A committed PostgreSQL transaction is on disk already; CHECKPOINT needs superuser, so only check the link.
      await sql`select 1`.execute(db);
    },
    leases,
    async close() {
      await leases.releaseAll();
      await db.destroy();
    },
  };
}
