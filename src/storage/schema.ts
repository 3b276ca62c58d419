/**
 * @module The tables of a store, as Kysely sees them. The same schema serves a pool's store (SQLite or
 * PostgreSQL) and a server's local CMS replica (SQLite).
 */
import type { Generated } from 'kysely';

/** Documents of the Central Management Store; `value` is null for a tombstone (a deleted document). */
export interface CmsDocTable {
  key: string;
  value: string | null;
  /** CMS version of the change that last wrote this document. */
  version: number;
  /** Master epoch that wrote it. */
  epoch: number;
}

/** One row (id = 1): what this copy of the CMS is and how far it has got. */
export interface CmsMetaTable {
  id: number;
  version: number;
  epoch: number;
  /** master | standby | replica | fenced | none */
  role: string;
  master_pool: string;
  /** The version at which the current epoch began: a replica ahead of it under an older epoch must resync. */
  epoch_base: number;
  updated_at: number;
}

/** CMS writes a fenced former master held that its successor never saw; kept aside, never re-applied silently. */
export interface CmsDivergentTable {
  id: Generated<number>;
  key: string;
  value: string | null;
  version: number;
  epoch: number;
  found_at: number;
}

/** Persistent user data: one row per item (a contact, a group, the presence state, a meeting, ...). */
export interface UserItemTable {
  owner: string;
  kind: string;
  key: string;
  value: string;
  /** Sequence number of the change that last wrote it (in the writing pool's change log). */
  rev: number;
  updated_at: number;
}

/** The outbox of the Backup Service: every persistent change, in commit order. */
export interface ChangeLogTable {
  seq: Generated<number>;
  owner: string;
  kind: string;
  key: string;
  /** put | del */
  op: string;
  value: string | null;
  /** The failover epoch of the owner's pool under which the change was accepted. */
  epoch: number;
  at: number;
  size: number;
}

/** How far this store has applied the change log of each partner pool; committed with the data. */
export interface ImportCursorTable {
  source: string;
  seq: number;
  epoch: number;
  at: number;
  applied: number;
}

/**
 * Changes a pool acknowledged that its backup pool never received before a disaster failover: kept aside
 * at failback, listed per user, re-applied or discarded by the administrator. Never shipped as they are.
 */
export interface DivergentChangeTable {
  id: Generated<number>;
  owner: string;
  kind: string;
  key: string;
  op: string;
  value: string | null;
  seq: number;
  epoch: number;
  at: number;
  /** The failover epoch of the pool when the change was set aside. */
  found_epoch: number;
  found_at: number;
}

/** The last holder and epoch of each pool-wide duty (the fencing token of its writes). */
export interface DutyLeaseTable {
  duty: string;
  holder: string;
  epoch: number;
  acquired_at: number;
}

export interface Database {
  cms_doc: CmsDocTable;
  cms_meta: CmsMetaTable;
  cms_divergent: CmsDivergentTable;
  user_item: UserItemTable;
  change_log: ChangeLogTable;
  import_cursor: ImportCursorTable;
  divergent_change: DivergentChangeTable;
  duty_lease: DutyLeaseTable;
}
