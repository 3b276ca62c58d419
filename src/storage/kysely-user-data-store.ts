/**
 * @module Persistent user data and the Backup Service's change log over Kysely, for every backend. A write
 * and its change-log entry commit together; an import and its cursor commit together.
 */
import { createHash, type Hash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type {
  DutyFence,
  ChangeOp,
  ChangeRecord,
  Backlog,
  DivergentChange,
  ImportCursor,
  UserChange,
  UserDataStore,
  UserItem,
} from './store.js';
import { GroupCommit } from './group-commit.js';
import { checkFence, dutyEpochIn } from './kysely-duty-epochs.js';
import {
  appendChanges,
  applyFinalStates,
  itemKey,
  kyselyBulkUpsert,
  type BulkUpsert,
  type Trx,
} from './kysely-change-apply.js';

type Db = Kysely<Database>;

const DIGEST_PAGE = 5_000;

function toItem(row: Database['user_item']): UserItem {
  return {
    owner: row.owner,
    kind: row.kind,
    key: row.key,
    value: row.value,
    rev: Number(row.rev),
    updatedAt: Number(row.updated_at),
  };
}

function toCursor(row: Database['import_cursor']): ImportCursor {
  return {
    source: row.source,
    seq: Number(row.seq),
    epoch: Number(row.epoch),
    at: Number(row.at),
    applied: Number(row.applied),
  };
}

export class KyselyUserDataStore implements UserDataStore {
  constructor(
    private readonly db: Db,
    /** Serializes change-log appends so that commit order equals seq order (a reader never skips a seq). */
    private readonly lockChangeLog: (trx: Trx) => Promise<void>,
    /** The backend's fastest way to upsert many items inside a transaction (replication applies pages). */
    private readonly bulkUpsert: BulkUpsert = kyselyBulkUpsert,
    /**
     * A duty's epoch read inside a transaction and kept from changing until it ends (PostgreSQL: the row locked
     * for share, so a takeover waits for the write and every later write sees the new epoch).
     */
    private readonly readDutyEpoch: (trx: Trx, duty: string) => Promise<number | undefined> = dutyEpochIn,
  ) {}

  /** Concurrent writes share transactions (and so fsyncs); each stays all-or-nothing. */
  readonly #group = new GroupCommit<PendingWrite, number[]>((writes) =>
    this.db.transaction().execute(async (trx) => {
      await this.lockChangeLog(trx);
      const now = Date.now();
      const seqs: number[][] = [];
      for (const w of writes) seqs.push(await appendChanges(trx, w.changes, w.epoch, now, this.bulkUpsert));
      return seqs;
    }),
  );

  async write(changes: readonly UserChange[], epoch: number): Promise<number[]> {
    if (changes.length === 0) return [];
    return this.#group.submit({ changes, epoch });
  }

  async get(owner: string, kind: string, key: string): Promise<UserItem | undefined> {
    const row = await this.db
      .selectFrom('user_item')
      .selectAll()
      .where('owner', '=', owner)
      .where('kind', '=', kind)
      .where('key', '=', key)
      .executeTakeFirst();
    return row ? toItem(row) : undefined;
  }

  async list(owner: string, kind?: string): Promise<UserItem[]> {
    let q = this.db.selectFrom('user_item').selectAll().where('owner', '=', owner);
    if (kind !== undefined) q = q.where('kind', '=', kind);
    const rows = await q.orderBy('kind').orderBy('key').execute();
    return rows.map(toItem);
  }

  async changesAfter(seq: number, limit: number): Promise<ChangeRecord[]> {
    const rows = await this.db
      .selectFrom('change_log')
      .selectAll()
      .where('seq', '>', seq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      owner: r.owner,
      kind: r.kind,
      key: r.key,
      op: r.op as ChangeOp,
      value: r.value,
      epoch: Number(r.epoch),
      at: Number(r.at),
      size: Number(r.size),
    }));
  }

  async headSeq(): Promise<number> {
    const row = await this.db
      .selectFrom('change_log')
      .select((eb) => eb.fn.max('seq').as('head'))
      .executeTakeFirst();
    return Number(row?.head ?? 0);
  }

  async applyImported(
    source: string,
    changes: readonly ChangeRecord[],
    accept?: (c: ChangeRecord) => boolean,
    fence?: DutyFence,
  ): Promise<ImportCursor> {
    return this.db.transaction().execute(async (trx) => {
      if (fence) await checkFence(trx, fence, this.readDutyEpoch);
      const row = await trx
        .selectFrom('import_cursor')
        .selectAll()
        .where('source', '=', source)
        .executeTakeFirst();
      const cursor = row ? toCursor(row) : { source, seq: 0, epoch: 0, at: 0, applied: 0 };
      let { seq, epoch, applied } = cursor;
      let at = cursor.at;
      // Only the last change of each item matters inside one transaction: collapse, then write in bulk.
      const last = new Map<string, ChangeRecord>();
      for (const c of changes) {
        // Idempotent: a change at or below the cursor was applied before a crash or a resend.
        if (c.seq <= seq) continue;
        if (!accept || accept(c)) last.set(itemKey(c), c);
        seq = c.seq;
        epoch = c.epoch;
        at = c.at;
        applied += 1;
      }
      await applyFinalStates(trx, [...last.values()], this.bulkUpsert);
      const next = { source, seq, epoch, at, applied };
      await trx
        .insertInto('import_cursor')
        .values(next)
        .onConflict((oc) => oc.column('source').doUpdateSet({ seq, epoch, at, applied }))
        .execute();
      return next;
    });
  }

  async cursor(source: string): Promise<ImportCursor | undefined> {
    const row = await this.db
      .selectFrom('import_cursor')
      .selectAll()
      .where('source', '=', source)
      .executeTakeFirst();
    return row ? toCursor(row) : undefined;
  }

  async backlog(afterSeq: number, kinds?: readonly string[]): Promise<Backlog> {
    let q = this.db
      .selectFrom('change_log')
      .select((eb) => [
        eb.fn.countAll<number>().as('changes'),
        eb.fn.sum<number>('size').as('bytes'),
        eb.fn.min<number>('at').as('oldest'),
      ])
      .where('seq', '>', afterSeq);
    if (kinds && kinds.length > 0) q = q.where('kind', 'in', kinds);
    const row = await q.executeTakeFirst();
    return {
      changes: Number(row?.changes ?? 0),
      bytes: Number(row?.bytes ?? 0),
      oldestAt: Number(row?.oldest ?? 0),
    };
  }

  async digests(owners?: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const wanted = owners ? new Set(owners) : undefined;
    let hash: Hash | undefined;
    let current: string | undefined;
    const flush = () => {
      if (current !== undefined && hash) out.set(current, hash.digest('hex'));
    };
    // Read in pages in (owner, kind, key) order, so memory stays bounded whatever the number of users.
    let after: { owner: string; kind: string; key: string } | undefined;
    for (;;) {
      let q = this.db.selectFrom('user_item').select(['owner', 'kind', 'key', 'value']);
      if (after)
        q = q.where(sql<boolean>`(owner, kind, key) > (${after.owner}, ${after.kind}, ${after.key})`);
      const rows = await q.orderBy('owner').orderBy('kind').orderBy('key').limit(DIGEST_PAGE).execute();
      for (const r of rows) {
        if (wanted && !wanted.has(r.owner)) continue;
        if (r.owner !== current) {
          flush();
          current = r.owner;
          hash = createHash('sha256');
        }
        hash?.update(`${r.kind}\u0000${r.key}\u0000${r.value}\u0001`);
      }
      const last = rows.at(-1);
      if (!last || rows.length < DIGEST_PAGE) break;
      after = last;
    }
    flush();
    return out;
  }

  async setAsideAfter(seq: number, foundEpoch: number): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      await this.lockChangeLog(trx);
      const rows = await trx
        .selectFrom('change_log')
        .selectAll()
        .where('seq', '>', seq)
        .orderBy('seq')
        .execute();
      const now = Date.now();
      for (const r of rows) {
        await trx
          .insertInto('divergent_change')
          .values({
            owner: r.owner,
            kind: r.kind,
            key: r.key,
            op: r.op,
            value: r.value,
            seq: r.seq,
            epoch: r.epoch,
            at: r.at,
            found_epoch: foundEpoch,
            found_at: now,
          })
          .execute();
      }
      await trx.deleteFrom('change_log').where('seq', '>', seq).execute();
      const owners = await trx
        .selectFrom('divergent_change')
        .select('owner')
        .distinct()
        .where('found_epoch', '=', foundEpoch)
        .execute();
      return owners.map((o) => o.owner);
    });
  }

  async divergent(owner?: string): Promise<DivergentChange[]> {
    let q = this.db.selectFrom('divergent_change').selectAll();
    if (owner !== undefined) q = q.where('owner', '=', owner);
    const rows = await q.orderBy('owner').orderBy('seq').execute();
    return rows.map((r) => ({
      id: Number(r.id),
      owner: r.owner,
      kind: r.kind,
      key: r.key,
      op: r.op as ChangeOp,
      value: r.value,
      seq: Number(r.seq),
      epoch: Number(r.epoch),
      at: Number(r.at),
      size: (r.value?.length ?? 0) + r.key.length,
      foundEpoch: Number(r.found_epoch),
      foundAt: Number(r.found_at),
    }));
  }

  async dropDivergent(ids: readonly number[]): Promise<number> {
    if (ids.length === 0) return 0;
    const res = await this.db
      .deleteFrom('divergent_change')
      .where('id', 'in', [...ids])
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  async replaceOwner(
    owner: string,
    items: readonly { kind: string; key: string; value: string }[],
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('user_item').where('owner', '=', owner).execute();
      const now = Date.now();
      if (items.length > 0) {
        await this.bulkUpsert(
          trx,
          items.map((i) => ({ owner, kind: i.kind, key: i.key, value: i.value, rev: 0, updated_at: now })),
        );
      }
    });
  }

  async pruneChanges(uptoSeq: number): Promise<number> {
    const result = await this.db.deleteFrom('change_log').where('seq', '<=', uptoSeq).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

interface PendingWrite {
  readonly changes: readonly UserChange[];
  readonly epoch: number;
}
