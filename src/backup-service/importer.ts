/**
 * @module The importing half of the Backup Service, at the backup pool: pulls the partner's change log and
 * applies each page together with its cursor in one transaction (exactly-once effect across crashes), writes
 * the conference content a page carries first, and either follows the log continuously (long poll) or, when
 * a SyncInterval is set, drains it once per interval.
 */
import type { DutyFence, UserDataStore, ChangeRecord } from '../storage/index.js';
import type { ContentStore } from '../conferencing/content-store.js';
import { filesDeletedBy, removeUnreferenced, storeFiles } from './content-files.js';
import type { PullRequest, PullResponse } from './backup-wire.js';
import { Backoff } from '../timing/backoff.js';
import { pollUntil } from '../timing/poll-until.js';

const MAX_LAG_SAMPLES = 200_000;
const WAIT_FOR_VIEW_MS = 100;

export interface ImporterStatus {
  readonly source: string;
  readonly cursor: number;
  /** When the change at the cursor was written at the source. */
  readonly cursorWrittenAt: number;
  readonly appliedAt: number;
  readonly appliedTotal: number;
  /** The source's head at the last answer. */
  readonly sourceHead: number;
  readonly lastContactAt: number;
  readonly connected: boolean;
  readonly linkError?: string | undefined;
  readonly applyError?: string | undefined;
  readonly sourceFinal: boolean;
  readonly linkErrors: number;
  readonly applyErrors: number;
  /** When the importer started (this server's start). */
  readonly startedAt: number;
  /** Why the importer holds a page back instead of applying it (its view of the pool states is behind). */
  readonly waitingFor?: string | undefined;
}

export interface ImporterOptions {
  readonly source: string;
  readonly self: string;
  readonly store: UserDataStore;
  readonly files: ContentStore;
  readonly pull: (req: PullRequest) => Promise<PullResponse>;
  /** The source's head right now (for a forced sync's target). */
  readonly head: () => Promise<number>;
  /** 0 = continuous; otherwise ship in batches once per interval. */
  readonly syncIntervalMs: () => number;
  readonly onApplied?: (changes: readonly ChangeRecord[]) => void;
  /**
   * Whether a change may be applied: only while its owner is served by the source pool. A change about a
   * user the source no longer serves (moved, or failed over here) is consumed but never applied, so a stale
   * writer cannot overwrite the authoritative data.
   */
  readonly accept?: (c: ChangeRecord) => boolean;
  /**
   * Fencing: `accept` may judge a change only with a view of the pool states at least as new as the change.
   * Returns why a page must wait (it is pulled again shortly and nothing is consumed), or undefined.
   */
  readonly notReady?: (changes: readonly ChangeRecord[]) => string | undefined;
  readonly pageChanges?: number;
  readonly pageBytes?: number;
  readonly longPollMs?: number;
}

export class BackupImporter {
  private fence: DutyFence | undefined;
  private running = false;
  private cursor = 0;
  private cursorWrittenAt = 0;
  private appliedAt = 0;
  private appliedTotal = 0;
  private sourceHead = 0;
  private lastContactAt = 0;
  private connected = false;
  private linkError: string | undefined;
  private applyError: string | undefined;
  private waitingFor: string | undefined;
  private sourceFinal = false;
  private linkErrors = 0;
  /** Replication lag of recently applied changes (ms from commit at the source to apply here), bounded. */
  private readonly lags: number[] = [];
  private applyErrors = 0;
  private lastDrainAt = 0;
  private startedAt = 0;
  private forced = 0;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly opts: ImporterOptions) {}

  /** `fence`: the lease this front end imports under (src/duties/); its applies commit only while it holds. */
  async start(fence?: DutyFence): Promise<void> {
    this.fence = fence;
    const c = await this.opts.store.cursor(this.opts.source);
    this.cursor = c?.seq ?? 0;
    this.cursorWrittenAt = c?.at ?? 0;
    this.appliedTotal = c?.applied ?? 0;
    this.running = true;
    this.startedAt = Date.now();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  status(): ImporterStatus {
    return {
      source: this.opts.source,
      cursor: this.cursor,
      cursorWrittenAt: this.cursorWrittenAt,
      appliedAt: this.appliedAt,
      appliedTotal: this.appliedTotal,
      sourceHead: this.sourceHead,
      lastContactAt: this.lastContactAt,
      connected: this.connected,
      linkError: this.linkError,
      applyError: this.applyError,
      sourceFinal: this.sourceFinal,
      linkErrors: this.linkErrors,
      applyErrors: this.applyErrors,
      startedAt: this.startedAt,
      waitingFor: this.waitingFor,
    };
  }

  /** The lag samples collected since the last call (for benchmarks and diagnostics); clears them. */
  takeLagSamples(): number[] {
    return this.lags.splice(0, this.lags.length);
  }

  /** Pulls now (whatever the interval) until the cursor reaches the source's head as it is now. */
  async syncNow(
    timeoutMs: number,
    progress?: (s: ImporterStatus, target: number) => void,
  ): Promise<ImporterStatus> {
    this.forced += 1;
    try {
      const deadline = Date.now() + timeoutMs;
      // The backlog that exists at the call: the source's head now, asked of the source itself.
      const target = await this.opts.head();
      await pollUntil(
        () => {
          this.wake?.();
          progress?.(this.status(), target);
          return this.cursor >= target;
        },
        { timeoutMs: Math.max(0, deadline - Date.now()), backoff: 50 },
      );
      return this.status();
    } finally {
      this.forced -= 1;
    }
  }

  private pullFrom(after: number, waitMs: number): Promise<PullResponse> {
    return this.opts.pull({
      source: this.opts.source,
      importer: this.opts.self,
      after,
      acked: this.cursor,
      appliedAt: this.appliedAt,
      ...(this.applyError ? { error: this.applyError } : {}),
      maxChanges: this.opts.pageChanges ?? 10_000,
      maxBytes: this.opts.pageBytes ?? 16 * 1024 * 1024,
      waitMs,
    });
  }

  private async run(): Promise<void> {
    // After a link failure: 250 ms doubling to 5 s, from the start again once the partner answers.
    const backoff = new Backoff({ initialDelayMs: 250, maxDelayMs: 5_000 });
    // The next page, asked for while the current one is applied (only reading ahead: the ack stays durable).
    let ahead: Promise<PullResponse> | undefined;
    while (this.running) {
      const interval = this.opts.syncIntervalMs();
      if (!ahead && interval > 0 && this.forced === 0) {
        const due = this.lastDrainAt + interval - Date.now();
        if (due > 0) {
          // In short steps, so that a changed interval (or -Continuous) takes effect within half a second.
          await this.sleep(Math.min(due, 500));
          continue;
        }
      }
      try {
        // Right after a failure, ask without waiting: the first answer tells the link is back.
        const waitMs =
          interval > 0 || this.forced > 0 || !this.connected ? 0 : (this.opts.longPollMs ?? 2_000);
        const res = await (ahead ?? this.pullFrom(this.cursor, waitMs));
        ahead = undefined;
        this.lastContactAt = Date.now();
        this.connected = true;
        this.linkError = undefined;
        this.sourceHead = res.head;
        this.sourceFinal = res.final;
        backoff.reset();
        const last = res.changes.at(-1);
        this.waitingFor = last ? this.opts.notReady?.(res.changes) : undefined;
        if (this.waitingFor) {
          await this.sleep(WAIT_FOR_VIEW_MS);
          continue;
        }
        if (last) {
          if (last.seq < res.head) {
            ahead = this.pullFrom(last.seq, 0);
            // Settled by the next turn of the loop; never left to reject unobserved.
            ahead.catch(() => undefined);
            // Let the request leave before the (synchronous) apply holds the event loop.
            await new Promise((r) => setImmediate(r));
          }
          await this.apply(res);
        }
        // A full page means a backlog: stream the next page at once. Otherwise the interval (if any) restarts.
        if (!last || this.cursor >= res.head) this.lastDrainAt = Date.now();
      } catch (err) {
        ahead = undefined;
        this.connected = false;
        if (!this.applyError) this.linkErrors += 1;
        this.linkError = err instanceof Error ? err.message : String(err);
        await this.sleep(backoff.next());
      }
    }
  }

  private async apply(res: PullResponse): Promise<void> {
    try {
      await storeFiles(this.opts.files, res.changes, res.blobs);
      const deleted = await filesDeletedBy(this.opts.store, res.changes);
      const cursor = await this.opts.store.applyImported(
        this.opts.source,
        res.changes,
        this.opts.accept,
        this.fence,
      );
      // After the changes are durable: a crash here leaves a file without an item, never an item without its file.
      await removeUnreferenced(this.opts.store, this.opts.files, deleted);
      this.cursor = cursor.seq;
      this.cursorWrittenAt = cursor.at;
      this.appliedTotal = cursor.applied;
      this.appliedAt = Date.now();
      this.applyError = undefined;
      // A bounded sample: once full, further changes are not sampled until the samples are taken.
      for (const c of res.changes) {
        if (this.lags.length >= MAX_LAG_SAMPLES) break;
        this.lags.push(this.appliedAt - c.at);
      }
      this.opts.onApplied?.(res.changes);
    } catch (err) {
      this.applyError = err instanceof Error ? err.message : String(err);
      this.applyErrors += 1;
      throw err;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }
}
