/**
 * @module The active master of the CMS and its file-transfer agent. The master commits writes (fenced by its
 * epoch, in the store's transaction) and pushes every change to each replica and to the standby copy.
 */
import type {
  CmsApplyResult,
  CmsBatch,
  CmsDocStore,
  CmsMeta,
  CmsWrite,
  DutyFence,
} from '../storage/index.js';
import { CmsRole } from '../storage/index.js';
import { TandemError } from '../errors/index.js';
import { pollUntil } from '../timing/poll-until.js';

export interface CmsPushTarget {
  /** The front-end server that holds the copy. */
  readonly server: string;
  /** A server's local replica, or the standby copy in the backup pool's store. */
  readonly kind: 'replica' | 'standby';
  /** Other servers that write the same copy (the standby: the backup pool's other front ends), tried in order. */
  readonly alternates?: readonly string[];
}

/** Carries batches to a target; throws when the target cannot be reached. */
export interface CmsTransport {
  push(target: CmsPushTarget, batch: CmsBatch): Promise<CmsApplyResult>;
}

export interface TargetReport {
  readonly server: string;
  readonly kind: 'replica' | 'standby';
  /** Version the target reported holding; -1 when it never answered. */
  readonly version: number;
  readonly lastStatusReport: number;
  readonly lastError: string | undefined;
}

interface TargetState {
  target: CmsPushTarget;
  version: number;
  lastStatusReport: number;
  lastError: string | undefined;
  running: boolean;
  again: boolean;
}

export interface CmsMasterOptions {
  readonly store: CmsDocStore;
  readonly transport: CmsTransport;
  readonly targets: () => readonly CmsPushTarget[];
  readonly heartbeatMs: number;
  readonly batchSize?: number;
  /** Told when a commit was acknowledged before some reachable copies held it. */
  readonly onLagging?: (version: number, servers: readonly string[]) => void;
  /** How long a commit waits for reachable copies to hold it. */
  readonly settleMs?: number;
  /** Called once when a target reports a newer epoch: this master was replaced and must stop. */
  readonly onSuperseded: (newer: CmsMeta) => void;
  /** The cms-master duty's lease this front end commits under (an Enterprise pool has several front ends). */
  readonly fence?: DutyFence;
}

/** A copy that answered a push within this long is worth waiting for when a commit settles. */
export const RECENTLY_ANSWERED_MS = 10_000;

export class CmsMaster {
  private metaNow: CmsMeta;
  private readonly states = new Map<string, TargetState>();
  private timer: NodeJS.Timeout | undefined;
  private superseded = false;
  /** The newer master's meta, once a copy answered with it. */
  private newer: CmsMeta | undefined;
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly opts: CmsMasterOptions,
    meta: CmsMeta,
  ) {
    this.metaNow = meta;
  }

  static async open(opts: CmsMasterOptions): Promise<CmsMaster> {
    const meta = await opts.store.meta();
    if (!meta || meta.role !== CmsRole.Master) {
      throw new TandemError('CMS_NOT_MASTER', { master: meta?.masterPool ?? 'unknown' });
    }
    const master = new CmsMaster(opts, meta);
    master.timer = setInterval(() => master.kickAll(), opts.heartbeatMs);
    master.timer.unref();
    master.kickAll();
    return master;
  }

  meta(): CmsMeta {
    return this.metaNow;
  }

  get isSuperseded(): boolean {
    return this.superseded;
  }

  /** The pool of the master that replaced this one (once a copy said so). */
  get supersededBy(): string | undefined {
    return this.newer?.masterPool;
  }

  /**
   * Waits until every copy answered (or failed) one push, or this master learned it was replaced, or the
   * timeout passed: a master that was down may have been replaced meanwhile, and its first round finds out.
   */
  async firstRound(timeoutMs: number): Promise<void> {
    this.syncTargets();
    const answered = () =>
      this.superseded ||
      [...this.states.values()].every((s) => s.lastStatusReport > 0 || s.lastError !== undefined);
    await pollUntil(answered, { timeoutMs, backoff: 20 });
  }

  /**
   * Commits, then waits (bounded) until every reachable copy holds the change, so that a write acknowledged
   * to an administrator is already on the standby and readable at every server that answers.
   */
  async commit(writes: readonly CmsWrite[]): Promise<number> {
    if (this.superseded) throw new TandemError('CMS_NOT_MASTER', { master: 'a newer master' });
    const version = await this.opts.store.commit(this.metaNow.epoch, writes, this.opts.fence);
    this.metaNow = {
      ...this.metaNow,
      version: Math.max(this.metaNow.version, version),
      updatedAt: Date.now(),
    };
    const behind = await this.settle(this.opts.settleMs ?? 2_000);
    if (behind.length > 0) this.opts.onLagging?.(version, behind);
    return version;
  }

  reports(): TargetReport[] {
    this.syncTargets();
    return [...this.states.values()].map((s) => ({
      server: s.target.server,
      kind: s.target.kind,
      version: s.version,
      lastStatusReport: s.lastStatusReport,
      lastError: s.lastError,
    }));
  }

  /**
   * Waits until every copy that answered lately holds the master's version, or the timeout passes; returns the
   * copies still behind. A copy whose last push failed but that answered within RECENTLY_ANSWERED_MS is waited
   * for too: a link that dropped a push for a moment (a congested or briefly cut WAN) must not let a write be
   * acknowledged without the standby, which a disaster CMS failover would then promote without it. A copy that
   * never answered this master, or has been silent longer, is not waited for: it catches up on return.
   */
  async settle(timeoutMs: number): Promise<string[]> {
    const now = Date.now();
    const answering = (t: CmsPushTarget) => {
      const st = this.states.get(`${t.kind}:${t.server}`);
      return st !== undefined && st.lastStatusReport > 0 && now - st.lastStatusReport < RECENTLY_ANSWERED_MS;
    };
    try {
      await this.drain(timeoutMs, answering);
      return [];
    } catch {
      return [...this.states.values()]
        .filter((s) => answering(s.target) && s.version < this.metaNow.version)
        .map((s) => s.target.server);
    }
  }

  /** Pushes now and resolves when every target holds the master's version, or rejects after the timeout. */
  async drain(timeoutMs: number, filter: (t: CmsPushTarget) => boolean = () => true): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    this.kickAll();
    for (;;) {
      const behind = [...this.states.values()].filter(
        (s) => filter(s.target) && s.version < this.metaNow.version,
      );
      if (behind.length === 0) return;
      // A push that failed is tried again while the wait lasts, not only at the next heartbeat.
      for (const st of behind) if (!st.running) this.kick(st);
      if (Date.now() >= deadline) {
        throw new TandemError('TIMEOUT', {
          what: `CMS replication to ${behind.map((s) => s.target.server).join(', ')}`,
          seconds: Math.round(timeoutMs / 1000),
        });
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, 200);
        function done() {
          clearTimeout(t);
          resolve();
        }
        this.waiters.add(done);
      });
    }
  }

  /**
   * A copy announced itself (its server started): push to it now rather than at the next heartbeat, and
   * resolve once it holds the master's version (or the timeout passes).
   */
  async welcome(server: string, timeoutMs: number): Promise<boolean> {
    this.syncTargets();
    const mine = (t: CmsPushTarget) => t.server === server;
    for (const st of this.states.values()) if (mine(st.target)) st.lastError = undefined;
    try {
      await this.drain(timeoutMs, mine);
      return true;
    } catch {
      return false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private syncTargets(): void {
    const wanted = this.opts.targets();
    const keys = new Set(wanted.map((t) => `${t.kind}:${t.server}`));
    for (const k of this.states.keys()) if (!keys.has(k)) this.states.delete(k);
    for (const t of wanted) {
      const k = `${t.kind}:${t.server}`;
      if (!this.states.has(k)) {
        this.states.set(k, {
          target: t,
          version: -1,
          lastStatusReport: 0,
          lastError: undefined,
          running: false,
          again: false,
        });
      }
    }
  }

  private kickAll(): void {
    if (this.superseded) return;
    this.syncTargets();
    for (const s of this.states.values()) this.kick(s);
  }

  private kick(state: TargetState): void {
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    void this.run(state).finally(() => {
      state.running = false;
      for (const w of this.waiters) w();
      this.waiters.clear();
      if (state.again && !this.superseded) {
        state.again = false;
        this.kick(state);
      }
    });
  }

  /** Brings one target up to the master's version; every answer doubles as the target's status report. */
  private async run(state: TargetState): Promise<void> {
    const batchSize = this.opts.batchSize ?? 500;
    let snapshot = false;
    for (let rounds = 0; rounds < 10_000 && !this.superseded; rounds++) {
      const meta = this.metaNow;
      const from = Math.max(state.version, 0);
      const docs = snapshot
        ? await this.opts.store.liveDocs()
        : await this.opts.store.docsAfter(from, batchSize);
      const to = snapshot
        ? meta.version
        : docs.length > 0
          ? Math.max(...docs.map((d) => d.version))
          : Math.max(from, meta.version);
      const batch: CmsBatch = {
        epoch: meta.epoch,
        masterPool: meta.masterPool,
        epochBase: meta.epochBase,
        fromVersion: snapshot ? 0 : from,
        toVersion: to,
        docs,
        ...(snapshot ? { snapshot: true } : {}),
      };
      let result: CmsApplyResult;
      try {
        result = await this.opts.transport.push(state.target, batch);
      } catch (err) {
        state.lastError = err instanceof Error ? err.message : String(err);
        return;
      }
      state.lastError = undefined;
      state.lastStatusReport = Date.now();
      if (result.ok) {
        state.version = result.meta.version;
        snapshot = false;
        if (state.version >= this.metaNow.version) return;
        continue;
      }
      switch (result.reason) {
        case 'gap':
          state.version = result.meta.version;
          break;
        case 'diverged':
          snapshot = true;
          break;
        case 'stale-epoch':
          // The target follows a newer master: this one was replaced (fencing). Stop pushing for good.
          this.superseded = true;
          this.newer = result.meta;
          this.stop();
          this.opts.onSuperseded(result.meta);
          return;
      }
    }
  }
}
