/**
 * @module The store interface. Everything outside `storage/` talks to a store through these types only;
 * the one implementation over Kysely runs on SQLite and PostgreSQL, and one conformance suite checks both.
 */

export const CmsRole = {
  Master: 'master',
  Standby: 'standby',
  Replica: 'replica',
  /** A former master that learned it was replaced: it serves reads as a replica and never writes. */
  Fenced: 'fenced',
  None: 'none',
} as const;
export type CmsRole = (typeof CmsRole)[keyof typeof CmsRole];

export interface CmsMeta {
  readonly version: number;
  readonly epoch: number;
  readonly role: CmsRole;
  readonly masterPool: string;
  /** The version at which the current epoch began. */
  readonly epochBase: number;
  readonly updatedAt: number;
}

/** A CMS document as stored: `value` is JSON text, or null for a tombstone. */
export interface CmsDoc {
  readonly key: string;
  readonly value: string | null;
  readonly version: number;
  readonly epoch: number;
}

export interface CmsWrite {
  readonly key: string;
  /** JSON text, or null to delete. */
  readonly value: string | null;
  /**
   * Optimistic check made inside the commit: the version the writer read (0 = the document must not exist
   * or be a tombstone). A mismatch refuses the whole commit with CONFLICT.
   */
  readonly ifVersion?: number;
}

/** A contiguous run of CMS changes, from a master (or standby being caught up) to a replica. */
export interface CmsBatch {
  readonly epoch: number;
  readonly masterPool: string;
  /** The version at which the sender's epoch began; a receiver ahead of it under an older epoch diverged. */
  readonly epochBase: number;
  /** A whole snapshot: the receiver drops what it holds and takes exactly these documents. */
  readonly snapshot?: boolean;
  /** The version the receiver must hold for the batch to apply (the batch covers fromVersion+1 ..toVersion). */
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly docs: readonly CmsDoc[];
}

export type CmsApplyResult =
  | { readonly ok: true; readonly meta: CmsMeta }
  | { readonly ok: false; readonly reason: 'stale-epoch' | 'gap' | 'diverged'; readonly meta: CmsMeta };

export interface CmsDocStore {
  meta(): Promise<CmsMeta | undefined>;
  /** Creates the meta row when the store holds no CMS yet; returns the meta in force. */
  initialize(meta: Omit<CmsMeta, 'updatedAt'>): Promise<CmsMeta>;
  /**
   * Master write. Fenced: it commits only if this store is the master at exactly `epoch`, checked in the
   * same transaction, so a replaced master can never commit a write after learning of its successor. With a
   * `fence` (the cms-master duty's lease), also only while that lease's epoch is the duty's (DUTY_FENCED):
   * a front end that lost the duty cannot commit once another front end of the pool holds it.
   */
  commit(epoch: number, writes: readonly CmsWrite[], fence?: DutyFence): Promise<number>;
  /** Replica/standby apply, idempotent; refuses batches from an older epoch or with a gap. */
  apply(batch: CmsBatch): Promise<CmsApplyResult>;
  /** Documents (tombstones included) written after `version`, in version order, whole versions only. */
  docsAfter(version: number, limit: number): Promise<CmsDoc[]>;
  /** Every live document. */
  liveDocs(): Promise<CmsDoc[]>;
  /**
   * Changes the role, epoch and master pool (failover, fencing); the version is kept. A new epoch starts at
   * the version held now, which becomes its epochBase.
   */
  setRole(role: CmsRole, epoch: number, masterPool: string): Promise<CmsMeta>;
  /** Writes of an older epoch beyond `version` that a successor never saw: moved aside, reported. */
  setAsideAfter(version: number): Promise<number>;
  divergent(): Promise<CmsDoc[]>;
}

export const ChangeOp = { Put: 'put', Del: 'del' } as const;
export type ChangeOp = (typeof ChangeOp)[keyof typeof ChangeOp];

/** One persistent change of one user item. */
export interface UserChange {
  readonly owner: string;
  readonly kind: string;
  readonly key: string;
  readonly op: ChangeOp;
  /** JSON text for a put; null for a delete. */
  readonly value: string | null;
}

export interface ChangeRecord extends UserChange {
  readonly seq: number;
  readonly epoch: number;
  readonly at: number;
  readonly size: number;
}

export interface UserItem {
  readonly owner: string;
  readonly kind: string;
  readonly key: string;
  readonly value: string;
  readonly rev: number;
  readonly updatedAt: number;
}

export interface ImportCursor {
  readonly source: string;
  readonly seq: number;
  readonly epoch: number;
  readonly at: number;
  readonly applied: number;
}

/** The lease a duty's write runs under: the write commits only while `epoch` is still the duty's epoch. */
export interface DutyFence {
  readonly duty: string;
  readonly epoch: number;
}

export interface UserDataStore {
  /** Writes the items and appends them to the change log in one durable transaction; returns their seqs. */
  write(changes: readonly UserChange[], epoch: number): Promise<number[]>;
  get(owner: string, kind: string, key: string): Promise<UserItem | undefined>;
  list(owner: string, kind?: string): Promise<UserItem[]>;
  /** Change-log entries after `seq`, in order. */
  changesAfter(seq: number, limit: number): Promise<ChangeRecord[]>;
  /** The highest seq written (0 when none). */
  headSeq(): Promise<number>;
  /**
   * Applies changes imported from `source`'s change log, skipping any at or below the stored cursor, and
   * advances the cursor in the same transaction: a crash at any point neither loses nor repeats a change.
   * Changes `accept` refuses are consumed (the cursor passes them) but not applied. The cursor's `applied`
   * counts every change consumed. With a `fence` (the Backup Service importer's lease), nothing is applied
   * unless the fence's epoch is still the duty's (DUTY_FENCED): an importer that lost its lease cannot write
   * once another front end imports.
   */
  applyImported(
    source: string,
    changes: readonly ChangeRecord[],
    accept?: (c: ChangeRecord) => boolean,
    fence?: DutyFence,
  ): Promise<ImportCursor>;
  cursor(source: string): Promise<ImportCursor | undefined>;
  /** Drops change-log entries up to and including `seq` (they reached the backup pool). */
  pruneChanges(uptoSeq: number): Promise<number>;
  /** What the change log holds after `seq`: how many changes, their bytes, the oldest one's time (0 if none). */
  backlog(afterSeq: number, kinds?: readonly string[]): Promise<Backlog>;
  /**
   * A digest of each owner's items (SHA-256 over kind, key and value in order), for the owners given, or for
   * every owner when none are given. Owners without items are absent from the map.
   */
  digests(owners?: readonly string[]): Promise<Map<string, string>>;
  /**
   * Moves every change-log entry after `seq` into the divergent table (they never reached the backup pool
   * and must not ship now) and returns every owner with changes set aside at `foundEpoch`, including by an
   * earlier call at the same epoch (an interrupted failback that resumes gets the whole list). One transaction.
   */
  setAsideAfter(seq: number, foundEpoch: number): Promise<string[]>;
  divergent(owner?: string): Promise<DivergentChange[]>;
  /** Deletes divergent changes by id (after re-applying or discarding them). */
  dropDivergent(ids: readonly number[]): Promise<number>;
  /** Replaces every item of an owner with these, without logging: a restore from the authoritative copy. */
  replaceOwner(owner: string, items: readonly { kind: string; key: string; value: string }[]): Promise<void>;
}

export interface DivergentChange extends ChangeRecord {
  readonly id: number;
  readonly foundEpoch: number;
  readonly foundAt: number;
}

export interface Backlog {
  readonly changes: number;
  readonly bytes: number;
  readonly oldestAt: number;
}

/**
 * A pool-wide duty held by one front end at a time (docs/enterprise.md, "Duties and leases"). The epoch grows by
 * one at every acquisition; a duty's writes check it (`isCurrent`), so a holder that lost its lease cannot write
 * once a successor holds it, whatever its timers believe.
 */
export interface DutyLease {
  readonly duty: string;
  readonly holder: string;
  readonly epoch: number;
  /** Settles, with the reason, when the lease is lost: its link to the back end broke, or it was released. */
  readonly lost: Promise<string>;
  /** Gives the duty up; another front end may take it at once. */
  release(): Promise<void>;
}

/** A duty as the back end records it: its last holder and epoch, and whether that holder still holds it. */
export interface DutyHolder {
  readonly duty: string;
  readonly holder: string;
  readonly epoch: number;
  readonly since: number;
  readonly held: boolean;
}

export interface DutyLeaseStore {
  /**
   * Takes `duty` for `holder` if no one holds it now: a lease with the next epoch, or undefined when another
   * holder (or another lease of this one) has it. Never waits for the duty to come free.
   */
  tryAcquire(duty: string, holder: string): Promise<DutyLease | undefined>;
  /** Every duty ever held in this store, by name. */
  holders(): Promise<DutyHolder[]>;
  /** Whether `epoch` is still the duty's epoch: the fencing check of a duty's writes. */
  isCurrent(duty: string, epoch: number): Promise<boolean>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** A short description for messages, without secrets (no password in a connection string). */
  readonly description: string;
  readonly cms: CmsDocStore;
  readonly userData: UserDataStore;
  readonly leases: DutyLeaseStore;
  /** Writes everything pending to the database files (SQLite: a WAL checkpoint); commits are durable anyway. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
