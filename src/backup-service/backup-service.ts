/**
 * @module The Backup Service of one pool, run by the pool's first front-end server: an exporter of the
 * pool's own change log and an importer of its partner's. Both directions run at once, so paired pools
 * each hold a copy of the other's users' data.
 */
import type { ChangeRecord, DutyFence, UserDataStore } from '../storage/index.js';
import type { ContentStore } from '../conferencing/content-store.js';
import { type BackupExporter } from './exporter.js';
import { BackupImporter, type ImporterStatus } from './importer.js';
import type { PullRequest, PullResponse } from './backup-wire.js';
import { DATACONF_KINDS } from './backup-modules.js';
import { computeDirection, type DirectionStatus } from './backup-status.js';

/** How the importer reaches the partner pool's exporter (over server-to-server links). */
export interface PartnerLink {
  pull(req: PullRequest): Promise<PullResponse>;
  head(): Promise<number>;
}

export interface BackupServiceOptions {
  readonly pool: string;
  /** The backup pool; undefined when the pool is not paired. */
  readonly partner: string | undefined;
  readonly store: UserDataStore;
  readonly files: ContentStore;
  readonly link: PartnerLink | undefined;
  /** The pool's exporter (every server of the pool has one; the service reports through this one). */
  readonly exporter: BackupExporter;
  readonly syncIntervalMs: () => number;
  /** Whether a change from the partner is authoritative: it serves the owner, and wrote it in its own time. */
  readonly partnerAuthoritative?: (c: ChangeRecord) => boolean;
  /** Why the partner's changes cannot be judged yet (this server's view of the pool states is older). */
  readonly viewBehind?: (changes: readonly ChangeRecord[]) => string | undefined;
}

export interface PoolBackupView {
  readonly pool: string;
  readonly partner?: string | undefined;
  /** This pool's data going to its backup pool. */
  readonly outbound: { readonly userData: DirectionStatus; readonly dataConf: DirectionStatus };
  /** The partner's data arriving here. */
  readonly inbound?: ImporterStatus | undefined;
  readonly at: number;
}

export class BackupService {
  readonly exporter: BackupExporter;
  readonly importer: BackupImporter | undefined;

  constructor(private readonly opts: BackupServiceOptions) {
    this.exporter = opts.exporter;
    this.importer =
      opts.partner && opts.link
        ? new BackupImporter({
            source: opts.partner,
            self: opts.pool,
            store: opts.store,
            files: opts.files,
            pull: (req) => opts.link!.pull(req),
            head: () => opts.link!.head(),
            syncIntervalMs: opts.syncIntervalMs,
            ...(opts.partnerAuthoritative ? { accept: opts.partnerAuthoritative } : {}),
            ...(opts.viewBehind ? { notReady: opts.viewBehind } : {}),
          })
        : undefined;
  }

  /** `fence`: the lease of the pool's backup-service duty this front end holds (src/duties/). */
  async start(fence?: DutyFence): Promise<void> {
    await this.importer?.start(fence);
  }

  async stop(): Promise<void> {
    await this.importer?.stop();
  }

  /** This pool's view of both directions, with backlogs counted in its own change log. */
  async view(): Promise<PoolBackupView> {
    const seen = this.exporter.importerSeen();
    const after = seen?.cursor ?? 0;
    const otherKinds = await this.opts.store.backlog(after);
    const confKinds = await this.opts.store.backlog(after, DATACONF_KINDS);
    const userBacklog = {
      changes: otherKinds.changes - confKinds.changes,
      bytes: otherKinds.bytes - confKinds.bytes,
      oldestAt: otherKinds.oldestAt,
    };
    const ctx = {
      seen,
      final: this.exporter.isFinal(),
      interval: this.opts.syncIntervalMs(),
      paired: this.opts.partner !== undefined,
      now: Date.now(),
    };
    return {
      pool: this.opts.pool,
      partner: this.opts.partner,
      outbound: { userData: computeDirection(userBacklog, ctx), dataConf: computeDirection(confKinds, ctx) },
      inbound: this.importer?.status(),
      at: ctx.now,
    };
  }
}
