/**
 * @module A server's local replica of the CMS: a durable copy (its own SQLite file) plus the in-memory view
 * the server reads from. A server starts and keeps serving from it while the master is unreachable.
 */
import type { CmsBatch, CmsApplyResult, CmsMeta, Store } from '../storage/index.js';
import { CmsRole } from '../storage/index.js';
import { CmsView } from './cms-view.js';

export interface ReplicaStatus {
  readonly version: number;
  readonly epoch: number;
  readonly masterPool: string;
  /** When the master last reached this replica (ms since epoch), 0 if never since start. */
  readonly lastUpdateAt: number;
}

export class CmsReplica {
  readonly view = new CmsView();
  private metaNow: CmsMeta | undefined;
  private lastUpdateAt = 0;
  private readonly waiters = new Set<{ version: number; resolve: () => void }>();
  // Batches apply one at a time, in arrival order.
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly store: Store) {}

  /** Opens the replica over its store, creating it (empty, pointing at `initialMasterPool`) when new. */
  static async open(store: Store, initialMasterPool: string): Promise<CmsReplica> {
    const replica = new CmsReplica(store);
    replica.metaNow = await store.cms.initialize({
      version: 0,
      epoch: 0,
      role: CmsRole.Replica,
      masterPool: initialMasterPool,
      epochBase: 0,
    });
    replica.view.load(await store.cms.liveDocs(), true);
    return replica;
  }

  meta(): CmsMeta {
    if (!this.metaNow) throw new Error('replica not opened');
    return this.metaNow;
  }

  status(): ReplicaStatus {
    const m = this.meta();
    return { version: m.version, epoch: m.epoch, masterPool: m.masterPool, lastUpdateAt: this.lastUpdateAt };
  }

  /** Applies a batch pushed by the master (or fetched from it). Serialized; safe to call concurrently. */
  apply(batch: CmsBatch): Promise<CmsApplyResult> {
    const run = this.queue.then(() => this.applyNow(batch));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async applyNow(batch: CmsBatch): Promise<CmsApplyResult> {
    const before = this.meta().version;
    const result = await this.store.cms.apply(batch);
    this.metaNow = result.meta;
    if (result.ok) {
      this.lastUpdateAt = Date.now();
      if (batch.snapshot) this.view.load(await this.store.cms.liveDocs(), true);
      // Only what the store applied: a resent older document must not overwrite a newer one in the view.
      else this.view.load(batch.docs.filter((d) => d.version > before));
      this.wake();
    }
    return result;
  }

  /** Resolves when the replica holds `version` (read-your-writes after a forwarded write), or after timeout. */
  waitForVersion(version: number, timeoutMs: number): Promise<boolean> {
    if (this.meta().version >= version) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        version,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private wake(): void {
    const v = this.meta().version;
    for (const w of this.waiters) {
      if (w.version <= v) {
        this.waiters.delete(w);
        w.resolve();
      }
    }
  }

  async close(): Promise<void> {
    await this.queue;
    await this.store.close();
  }
}
