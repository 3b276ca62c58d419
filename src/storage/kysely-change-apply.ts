/**
 * @module How a write reaches the tables: its changes appended to the change log by the page, then the final
 * state of each item applied (puts in bulk, deletes one by one). Shared by local writes and imports.
 */
import type { Transaction } from 'kysely';
import type { Database } from './schema.js';
import { ChangeOp, type ChangeRecord, type UserChange } from './store.js';

export type Trx = Transaction<Database>;

/** Change-log rows per INSERT: 8 parameters each, well inside every backend's limit per statement. */
const LOG_BATCH = 250;

export const itemKey = (c: UserChange) => `${c.owner}\u0000${c.kind}\u0000${c.key}`;

/**
 * Appends one write's changes to the change log and applies them; returns their seqs. Rows go in by the page
 * and items in bulk, not one statement per change: on a networked backend (PostgreSQL) a write of 120,000
 * items took two round trips per item and ran past the callers' timeouts.
 */
export async function appendChanges(
  trx: Trx,
  changes: readonly UserChange[],
  epoch: number,
  now: number,
  bulk: BulkUpsert,
): Promise<number[]> {
  const records: ChangeRecord[] = [];
  for (let i = 0; i < changes.length; i += LOG_BATCH) {
    const page = changes.slice(i, i + LOG_BATCH).map((c) => ({
      owner: c.owner,
      kind: c.kind,
      key: c.key,
      op: c.op,
      value: c.value,
      epoch,
      at: now,
      size: c.owner.length + c.kind.length + c.key.length + (c.value?.length ?? 0),
    }));
    const rows = await trx.insertInto('change_log').values(page).returning('seq').execute();
    // Under the change-log lock one INSERT takes consecutive seqs in the order of its rows; RETURNING does not
    // promise that order, so sort: a put and a later delete of the same item must keep their order.
    const seqs = rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
    page.forEach((c, j) => records.push({ ...c, seq: seqs[j] ?? 0 }));
  }
  // Only the last change of each item matters inside one transaction.
  const last = new Map<string, ChangeRecord>();
  for (const r of records) last.set(itemKey(r), r);
  await applyFinalStates(trx, [...last.values()], bulk);
  return records.map((r) => r.seq);
}

async function applyChange(trx: Trx, c: UserChange, rev: number, at: number): Promise<void> {
  if (c.op === ChangeOp.Del) {
    await trx
      .deleteFrom('user_item')
      .where('owner', '=', c.owner)
      .where('kind', '=', c.kind)
      .where('key', '=', c.key)
      .execute();
    return;
  }
  const value = c.value ?? 'null';
  await trx
    .insertInto('user_item')
    .values({ owner: c.owner, kind: c.kind, key: c.key, value, rev, updated_at: at })
    .onConflict((oc) => oc.columns(['owner', 'kind', 'key']).doUpdateSet({ value, rev, updated_at: at }))
    .execute();
}

/** Items to upsert, as rows of the user_item table. */
export type ItemRow = Database['user_item'];
export type BulkUpsert = (trx: Trx, rows: readonly ItemRow[]) => Promise<void>;

const PUT_BATCH = 250;

/** Writes the final state of each item: puts in bulk, deletes one by one (they are rare). */
export async function applyFinalStates(
  trx: Trx,
  finals: readonly ChangeRecord[],
  bulk: BulkUpsert,
): Promise<void> {
  for (const c of finals) if (c.op === ChangeOp.Del) await applyChange(trx, c, c.seq, c.at);
  const rows = finals
    .filter((c) => c.op !== ChangeOp.Del)
    .map((c) => ({
      owner: c.owner,
      kind: c.kind,
      key: c.key,
      value: c.value ?? 'null',
      rev: c.seq,
      updated_at: c.at,
    }));
  if (rows.length > 0) await bulk(trx, rows);
}

/** Portable bulk upsert: multi-row INSERT ... ON CONFLICT through the query builder. */
export async function kyselyBulkUpsert(trx: Trx, all: readonly ItemRow[]): Promise<void> {
  for (let i = 0; i < all.length; i += PUT_BATCH) {
    const rows = all.slice(i, i + PUT_BATCH);
    await trx
      .insertInto('user_item')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['owner', 'kind', 'key']).doUpdateSet((eb) => ({
          value: eb.ref('excluded.value'),
          rev: eb.ref('excluded.rev'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}
