/**
 * @module The duty epochs both backends keep in the `duty_lease` table: the next epoch at an acquisition,
 * the holders, the fencing check. Who may acquire (the exclusion itself) is each backend's own.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { DutyFence } from './store.js';
import { TandemError } from '../errors/index.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Records `holder` as the duty's holder under the next epoch, and returns that epoch. */
export async function nextDutyEpoch(db: Db, duty: string, holder: string, now: number): Promise<number> {
  const row = await db
    .insertInto('duty_lease')
    .values({ duty, holder, epoch: 1, acquired_at: now })
    .onConflict((oc) =>
      oc.column('duty').doUpdateSet((eb) => ({
        holder,
        acquired_at: now,
        epoch: eb('duty_lease.epoch', '+', 1),
      })),
    )
    .returning('epoch')
    .executeTakeFirstOrThrow();
  return Number(row.epoch);
}

export async function dutyRecords(
  db: Db,
): Promise<{ duty: string; holder: string; epoch: number; since: number }[]> {
  const rows = await db.selectFrom('duty_lease').selectAll().orderBy('duty').execute();
  return rows.map((r) => ({
    duty: r.duty,
    holder: r.holder,
    epoch: Number(r.epoch),
    since: Number(r.acquired_at),
  }));
}

export async function isCurrentEpoch(db: Db, duty: string, epoch: number): Promise<boolean> {
  return (await dutyEpochIn(db, duty)) === epoch;
}

/** The duty's epoch as a transaction reads it (undefined before its first acquisition). */
export async function dutyEpochIn(db: Db, duty: string, forShare = false): Promise<number | undefined> {
  let q = db.selectFrom('duty_lease').select('epoch').where('duty', '=', duty);
  if (forShare) q = q.forShare();
  const row = await q.executeTakeFirst();
  return row === undefined ? undefined : Number(row.epoch);
}

/** Throws DUTY_FENCED unless `fence.epoch` is the duty's epoch as this transaction reads it. */
export async function checkFence<T extends Db>(
  trx: T,
  fence: DutyFence,
  read: (trx: T, duty: string) => Promise<number | undefined>,
): Promise<void> {
  const current = await read(trx, fence.duty);
  if (current !== fence.epoch)
    throw new TandemError('DUTY_FENCED', { duty: fence.duty, epoch: fence.epoch, current: current ?? 0 });
}
