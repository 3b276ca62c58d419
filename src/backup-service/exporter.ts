/**
 * @module The exporting half of the Backup Service: serves the pool's change log to its backup pool in
 * bounded pages (long-polled when nothing is new), and remembers what the importer last confirmed, which is
 * what the pool's export status and exposure are computed from. The log on disk is the backlog: memory holds
 * one page at a time, whatever the length of a partition.
 */
import { EventEmitter } from 'node:events';
import type { UserDataStore, ChangeRecord } from '../storage/index.js';
import type { ContentStore } from '../conferencing/content-store.js';
import type { PullRequest, PullResponse } from './backup-wire.js';
import { contentDigestOf } from './content-files.js';
import { TandemError } from '../errors/index.js';

export interface ImporterSeen {
  readonly importer: string;
  /** The importer's cursor: everything up to here is applied at the backup pool. */
  readonly cursor: number;
  readonly appliedAt: number;
  readonly lastPullAt: number;
  readonly error: string | undefined;
}

export class BackupExporter {
  private readonly wakeup = new EventEmitter();
  private seen: ImporterSeen | undefined;
  private finalState = false;
  private shippedTotal = 0;
  private prunedThrough = 0;
  private readAhead: { after: number; size: number; page: Promise<ChangeRecord[]> } | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private lastShippedAt = 0;

  constructor(
    readonly pool: string,
    private readonly store: UserDataStore,
    private readonly files: ContentStore,
  ) {
    this.wakeup.setMaxListeners(0);
  }

  /** Called after every local write: a waiting long poll answers at once. */
  notifyWrite(): void {
    this.wakeup.emit('write');
  }

  /** Failover: the pool is read-only; once drained, status says FinalState. */
  setFinal(final: boolean): void {
    this.finalState = final;
    this.notifyWrite();
  }

  isFinal(): boolean {
    return this.finalState;
  }

  importerSeen(): ImporterSeen | undefined {
    return this.seen;
  }

  stats(): { shippedTotal: number; lastShippedAt: number } {
    return { shippedTotal: this.shippedTotal, lastShippedAt: this.lastShippedAt };
  }

  async pull(req: PullRequest): Promise<PullResponse> {
    this.seen = {
      importer: req.importer,
      cursor: req.acked,
      appliedAt: req.appliedAt,
      lastPullAt: Date.now(),
      error: req.error,
    };
    this.schedulePrune(req.acked);
    let changes = await this.readAheadOr(req);
    const deadline = Date.now() + req.waitMs;
    while (changes.length === 0 && Date.now() < deadline && !this.finalState) {
      await this.waitForWrite(Math.min(200, deadline - Date.now()));
      changes = await this.page(req);
    }
    const blobs = await this.blobsOf(changes);
    const head = Math.max(await this.store.headSeq(), req.after);
    const last = changes.at(-1);
    if (last) {
      this.shippedTotal += changes.length;
      this.lastShippedAt = Date.now();
      // A backlog: read the next page while this one travels and is applied.
      if (last.seq < head)
        this.readAhead = {
          after: last.seq,
          size: req.maxChanges,
          page: this.page({ ...req, after: last.seq }),
        };
    }
    return { head, changes, blobs, final: this.finalState };
  }

  /** The page read ahead for this position, if any (its changes are still in the log: it cannot be stale). */
  private async readAheadOr(req: PullRequest): Promise<ChangeRecord[]> {
    const ahead = this.readAhead;
    this.readAhead = undefined;
    if (ahead && ahead.after === req.after && ahead.size === req.maxChanges) {
      const page = await ahead.page.catch(() => undefined);
      if (page && page.length > 0) return page;
    }
    return this.page(req);
  }

  /**
   * Everything at or below the importer's durable cursor has reached the backup pool and may go. Pruning is
   * off the answer's path and at most once a second: it is housekeeping, not replication.
   */
  private schedulePrune(acked: number): void {
    if (acked <= this.prunedThrough || this.pruneTimer) return;
    this.pruneTimer = setTimeout(() => {
      this.pruneTimer = undefined;
      const upTo = this.seen?.cursor ?? 0;
      if (upTo <= this.prunedThrough) return;
      this.store
        .pruneChanges(upTo)
        .then(() => {
          this.prunedThrough = upTo;
        })
        .catch(() => undefined);
    }, 1_000);
    this.pruneTimer.unref();
  }

  private async page(req: PullRequest): Promise<ChangeRecord[]> {
    const changes = await this.store.changesAfter(req.after, req.maxChanges);
    let bytes = 0;
    const out: ChangeRecord[] = [];
    for (const c of changes) {
      bytes += c.size;
      if (out.length > 0 && bytes > req.maxBytes) break;
      out.push(c);
    }
    return out;
  }

  private waitForWrite(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeup.off('write', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(1, ms));
      this.wakeup.once('write', done);
    });
  }

  /**
   * Conference content travels with the change that refers to it. A file deleted since (its item's deletion
   * follows in the log) is left out: the partner then holds the item without its file until that deletion.
   */
  private async blobsOf(changes: readonly ChangeRecord[]): Promise<Record<string, string>> {
    const blobs: Record<string, string> = {};
    for (const c of changes) {
      const sha = contentDigestOf(c);
      if (sha === undefined || blobs[sha]) continue;
      try {
        blobs[sha] = (await this.files.get(c.owner, sha)).toString('base64');
      } catch (err) {
        if (!(err instanceof TandemError && err.code === 'NOT_FOUND')) throw err;
      }
    }
    return blobs;
  }
}
