/**
 * @module The in-memory view of a CMS copy: parsed, indexed documents that servers read their configuration
 * and directory from. It is rebuilt incrementally as batches apply, and knows nothing of where they came from.
 */
import { EventEmitter } from 'node:events';
import type { CmsDoc } from '../storage/index.js';
import {
  AdminDocSchema,
  BackupConfigDocSchema,
  DocKey,
  DocPrefix,
  PoolState,
  PoolStateDocSchema,
  TopologyDocSchema,
  UserDocSchema,
  type AdminDoc,
  type BackupConfigDoc,
  type PoolStateDoc,
  type TopologyDoc,
  type UserDoc,
} from './cms-documents.js';

export const DEFAULT_SYNC_INTERVAL_MS = 0;

export interface CmsViewEvents {
  /** Keys whose documents changed, after the view was updated. */
  change: [keys: string[]];
}

export class CmsView extends EventEmitter<CmsViewEvents> {
  private readonly users = new Map<string, UserDoc>();
  private readonly admins = new Map<string, AdminDoc>();
  private readonly poolStates = new Map<string, PoolStateDoc>();
  private readonly versions = new Map<string, number>();
  private topologyDoc: TopologyDoc | undefined;
  private backupConfigDoc: BackupConfigDoc | undefined;

  /** Applies documents (tombstones included); returns the keys that changed. */
  load(docs: readonly CmsDoc[], replace = false): string[] {
    if (replace) {
      this.users.clear();
      this.admins.clear();
      this.poolStates.clear();
      this.versions.clear();
      this.topologyDoc = undefined;
      this.backupConfigDoc = undefined;
    }
    const keys: string[] = [];
    for (const doc of docs) {
      this.put(doc);
      keys.push(doc.key);
    }
    if (keys.length > 0) this.emit('change', keys);
    return keys;
  }

  private put(doc: CmsDoc): void {
    const value: unknown = doc.value === null ? null : JSON.parse(doc.value);
    if (value === null) this.versions.delete(doc.key);
    else this.versions.set(doc.key, doc.version);
    const { key } = doc;
    if (key === DocKey.topology) {
      this.topologyDoc = value === null ? undefined : TopologyDocSchema.parse(value);
    } else if (key === DocKey.backupConfig) {
      this.backupConfigDoc = value === null ? undefined : BackupConfigDocSchema.parse(value);
    } else if (key.startsWith(DocPrefix.user)) {
      setOrDelete(this.users, key.slice(DocPrefix.user.length), value, (v) => UserDocSchema.parse(v));
    } else if (key.startsWith(DocPrefix.admin)) {
      setOrDelete(this.admins, key.slice(DocPrefix.admin.length), value, (v) => AdminDocSchema.parse(v));
    } else if (key.startsWith(DocPrefix.poolState)) {
      setOrDelete(this.poolStates, key.slice(DocPrefix.poolState.length), value, (v) =>
        PoolStateDocSchema.parse(v),
      );
    }
  }

  /** The version of a live document, 0 when absent (for optimistic writes). */
  versionOf(key: string): number {
    return this.versions.get(key) ?? 0;
  }

  topology(): TopologyDoc | undefined {
    return this.topologyDoc;
  }

  backupConfig(): BackupConfigDoc {
    return this.backupConfigDoc ?? { syncIntervalMs: DEFAULT_SYNC_INTERVAL_MS };
  }

  user(sip: string): UserDoc | undefined {
    return this.users.get(sip.toLowerCase());
  }

  allUsers(): IterableIterator<UserDoc> {
    return this.users.values();
  }

  userCount(): number {
    return this.users.size;
  }

  admin(name: string): AdminDoc | undefined {
    return this.admins.get(name.toLowerCase());
  }

  allAdmins(): IterableIterator<AdminDoc> {
    return this.admins.values();
  }

  /** The failover state of a pool; a pool never written is Active, served by itself, at epoch 0. */
  poolState(pool: string): PoolStateDoc {
    const p = pool.toLowerCase();
    return (
      this.poolStates.get(p) ?? {
        pool: p,
        state: PoolState.Active,
        epoch: 0,
        servedBy: p,
        servedSinceEpoch: 0,
        since: 0,
      }
    );
  }
}

function setOrDelete<T>(map: Map<string, T>, id: string, value: unknown, parse: (v: unknown) => T): void {
  if (value === null) map.delete(id);
  else map.set(id, parse(value));
}
