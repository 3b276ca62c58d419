/**
 * @module CMS document storage over Kysely, for every backend. Fencing lives here: a master commit checks
 * role and epoch inside its own transaction, and an apply refuses any batch from an older epoch.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import {
  type DutyFence,
  CmsRole,
  type CmsApplyResult,
  type CmsBatch,
  type CmsDoc,
  type CmsDocStore,
  type CmsMeta,
  type CmsWrite,
} from './store.js';
import { TandemError } from '../errors/index.js';
import { checkFence, dutyEpochIn } from './kysely-duty-epochs.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

function toMeta(row: Database['cms_meta']): CmsMeta {
  return {
    version: Number(row.version),
    epoch: Number(row.epoch),
    role: row.role as CmsRole,
    masterPool: row.master_pool,
    epochBase: Number(row.epoch_base),
    updatedAt: Number(row.updated_at),
  };
}

function toDoc(row: Database['cms_doc']): CmsDoc {
  return { key: row.key, value: row.value, version: Number(row.version), epoch: Number(row.epoch) };
}

export class KyselyCmsStore implements CmsDocStore {
  constructor(
    private readonly db: Db,
    /** Locks the meta row for the rest of the transaction (PostgreSQL: FOR UPDATE; SQLite: the write lock). */
    private readonly lockMeta: (trx: Trx) => Promise<Database['cms_meta'] | undefined>,
    /** A duty's epoch, kept from changing until the transaction ends (kysely-user-data-store.ts says how). */
    private readonly readDutyEpoch: (trx: Trx, duty: string) => Promise<number | undefined> = dutyEpochIn,
  ) {}

  async meta(): Promise<CmsMeta | undefined> {
    const row = await this.db.selectFrom('cms_meta').selectAll().where('id', '=', 1).executeTakeFirst();
    return row ? toMeta(row) : undefined;
  }

  async initialize(meta: Omit<CmsMeta, 'updatedAt'>): Promise<CmsMeta> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await this.lockMeta(trx);
      if (existing) return toMeta(existing);
      const row = {
        id: 1,
        version: meta.version,
        epoch: meta.epoch,
        role: meta.role,
        master_pool: meta.masterPool,
        epoch_base: meta.epochBase,
        updated_at: Date.now(),
      };
      await trx.insertInto('cms_meta').values(row).execute();
      return toMeta(row);
    });
  }

  async commit(epoch: number, writes: readonly CmsWrite[], fence?: DutyFence): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      if (fence) await checkFence(trx, fence, this.readDutyEpoch);
      const row = await this.lockMeta(trx);
      const meta = row ? toMeta(row) : undefined;
      // Fencing: a store that is not the master of exactly this epoch must never accept a master write,
      // or a former master could overwrite configuration written by its successor.
      if (!meta || meta.role !== CmsRole.Master) {
        throw new TandemError('CMS_NOT_MASTER', { master: meta?.masterPool ?? 'unknown' });
      }
      if (meta.epoch !== epoch) {
        throw new TandemError('CMS_STALE_EPOCH', { got: epoch, current: meta.epoch });
      }
      for (const w of writes) {
        if (w.ifVersion === undefined) continue;
        const cur = await trx
          .selectFrom('cms_doc')
          .select(['version', 'value'])
          .where('key', '=', w.key)
          .executeTakeFirst();
        const held = cur && cur.value !== null ? Number(cur.version) : 0;
        if (held !== w.ifVersion) {
          throw new TandemError('CONFLICT', {
            detail: `${w.key} changed concurrently (expected version ${w.ifVersion}, found ${held}); read it again and retry`,
          });
        }
      }
      const version = meta.version + 1;
      for (const w of writes) {
        await upsertDoc(trx, { key: w.key, value: w.value, version, epoch });
      }
      await trx
        .updateTable('cms_meta')
        .set({ version, updated_at: Date.now() })
        .where('id', '=', 1)
        .execute();
      return version;
    });
  }

  async apply(batch: CmsBatch): Promise<CmsApplyResult> {
    return this.db.transaction().execute(async (trx): Promise<CmsApplyResult> => {
      const row = await this.lockMeta(trx);
      if (!row) throw new TandemError('INTERNAL', { detail: 'CMS copy is not initialized' });
      const meta = toMeta(row);
      if (batch.epoch < meta.epoch) return { ok: false, reason: 'stale-epoch', meta };
      if (batch.snapshot) {
        await trx.deleteFrom('cms_doc').execute();
        for (const doc of batch.docs) await upsertDoc(trx, doc);
        return { ok: true, meta: await this.advance(trx, meta, batch) };
      }
      // A copy that got ahead under an older epoch holds writes the new master never saw: it must resync.
      if (batch.epoch > meta.epoch && meta.version > batch.epochBase)
        return { ok: false, reason: 'diverged', meta };
      if (batch.fromVersion > meta.version) return { ok: false, reason: 'gap', meta };
      for (const doc of batch.docs) {
        if (doc.version > meta.version) await upsertDoc(trx, doc);
      }
      return { ok: true, meta: await this.advance(trx, meta, batch) };
    });
  }

  private async advance(trx: Trx, meta: CmsMeta, batch: CmsBatch): Promise<CmsMeta> {
    const next = {
      version: Math.max(batch.snapshot ? 0 : meta.version, batch.toVersion),
      epoch: batch.epoch,
      master_pool: batch.masterPool,
      epoch_base: batch.epochBase,
      updated_at: Date.now(),
    };
    await trx.updateTable('cms_meta').set(next).where('id', '=', 1).execute();
    return { ...meta, ...toMeta({ ...next, id: 1, role: meta.role }) };
  }

  async docsAfter(version: number, limit: number): Promise<CmsDoc[]> {
    const rows = await this.db
      .selectFrom('cms_doc')
      .selectAll()
      .where('version', '>', version)
      .orderBy('version')
      .orderBy('key')
      .limit(limit)
      .execute();
    const last = rows.at(-1);
    if (!last || rows.length < limit) return rows.map(toDoc);
    // Never split a version between two pages: a replica records a version only when it holds all of it.
    const lastVersion = Number(last.version);
    const whole = rows.filter((r) => Number(r.version) !== lastVersion);
    if (whole.length > 0) return whole.map(toDoc);
    // One version larger than a page: send it whole.
    const rest = await this.db
      .selectFrom('cms_doc')
      .selectAll()
      .where('version', '=', lastVersion)
      .orderBy('key')
      .execute();
    return rest.map(toDoc);
  }

  async liveDocs(): Promise<CmsDoc[]> {
    const rows = await this.db.selectFrom('cms_doc').selectAll().where('value', 'is not', null).execute();
    return rows.map(toDoc);
  }

  async setRole(role: CmsRole, epoch: number, masterPool: string): Promise<CmsMeta> {
    return this.db.transaction().execute(async (trx) => {
      const row = await this.lockMeta(trx);
      if (!row) throw new TandemError('INTERNAL', { detail: 'CMS copy is not initialized' });
      const current = toMeta(row);
      const epochBase = epoch === current.epoch ? current.epochBase : current.version;
      const next = { role, epoch, master_pool: masterPool, epoch_base: epochBase, updated_at: Date.now() };
      await trx.updateTable('cms_meta').set(next).where('id', '=', 1).execute();
      return { ...current, role, epoch, masterPool, epochBase, updatedAt: next.updated_at };
    });
  }

  async setAsideAfter(version: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('cms_doc').selectAll().where('version', '>', version).execute();
      const now = Date.now();
      for (const r of rows) {
        await trx
          .insertInto('cms_divergent')
          .values({ key: r.key, value: r.value, version: r.version, epoch: r.epoch, found_at: now })
          .execute();
      }
      await trx.deleteFrom('cms_doc').where('version', '>', version).execute();
      await trx.updateTable('cms_meta').set({ version, updated_at: now }).where('id', '=', 1).execute();
      return rows.length;
    });
  }

  async divergent(): Promise<CmsDoc[]> {
    const rows = await this.db.selectFrom('cms_divergent').selectAll().orderBy('id').execute();
    return rows.map((r) => ({
      key: r.key,
      value: r.value,
      version: Number(r.version),
      epoch: Number(r.epoch),
    }));
  }
}

async function upsertDoc(trx: Trx, doc: CmsDoc): Promise<void> {
  await trx
    .insertInto('cms_doc')
    .values({ key: doc.key, value: doc.value, version: doc.version, epoch: doc.epoch })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value: doc.value, version: doc.version, epoch: doc.epoch }),
    )
    .execute();
}
