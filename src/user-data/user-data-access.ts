/**
 * @module Owner-scoped access to persistent user data (JSON values), over the pool store. Every write
 * carries the failover epoch of the owner's home pool, so that a later failover can tell stale writes apart.
 */
import { ChangeOp, type UserChange, type UserDataStore } from '../storage/index.js';

export interface JsonChange {
  readonly kind: string;
  readonly key: string;
  /** undefined deletes the item. */
  readonly value: unknown;
}

/**
 * Decides whether this server may write an owner's data now, and counts writes in flight so that a failover
 * can wait for them: enter() throws when writing is not allowed, else returns the release to call after.
 */
export interface WriteGuard {
  enter(owner: string): () => void;
}

export class UserDataAccess {
  constructor(
    private readonly store: UserDataStore,
    private readonly epochOf: (owner: string) => number,
    private readonly guard?: WriteGuard,
  ) {}

  async get<T>(owner: string, kind: string, key: string): Promise<T | undefined> {
    const item = await this.store.get(owner, kind, key);
    return item ? (JSON.parse(item.value) as T) : undefined;
  }

  async list<T>(owner: string, kind: string): Promise<{ key: string; value: T }[]> {
    const items = await this.store.list(owner, kind);
    return items.map((i) => ({ key: i.key, value: JSON.parse(i.value) as T }));
  }

  /** Applies the changes in one durable transaction (all or nothing). */
  async write(owner: string, changes: readonly JsonChange[]): Promise<void> {
    if (changes.length === 0) return;
    const rows: UserChange[] = changes.map((c) => ({
      owner,
      kind: c.kind,
      key: c.key,
      op: c.value === undefined ? ChangeOp.Del : ChangeOp.Put,
      value: c.value === undefined ? null : JSON.stringify(c.value),
    }));
    const release = this.guard?.enter(owner);
    try {
      await this.store.write(rows, this.epochOf(owner));
    } finally {
      release?.();
    }
  }
}
