/**
 * @module What a server's code uses to read and write the CMS: reads come from the local replica; writes go
 * to the active master (this server's own when it is the master agent, else forwarded over a link), and
 * return once the local replica holds them, so a cmdlet reads its own writes.
 */
import type { CmsWrite } from '../storage/index.js';
import type { Topology } from '../topology/topology-types.js';
import { parseTopology } from '../topology/parse-topology.js';
import { firstAnswering } from '../topology/pool-reach.js';
import { poolServerFqdns } from '../topology/topology-lookups.js';
import { Backoff } from '../timing/backoff.js';
import { pollUntil } from '../timing/poll-until.js';
import { TandemError } from '../errors/index.js';
import type { CmsReplica } from './cms-replica.js';
import type { CmsMaster } from './cms-master.js';

/** Forwards a commit to the master agent server; throws S2S_UNREACHABLE when it cannot be reached. */
export interface CmsRemote {
  commitAt(server: string, writes: readonly CmsWrite[]): Promise<{ version: number }>;
  /** Tells the master agent that `self` started; resolves once the master brought it up to date. */
  helloAt(server: string, self: string): Promise<{ upToDate: boolean }>;
  statusAt(server: string, timeoutMs?: number): Promise<CmsStatusReport>;
}

/** What the active master knows of itself and of every copy it feeds. */
export interface CmsStatusReport {
  readonly activeMasterPool: string;
  /** Servers running the master's file-transfer agent. */
  readonly fileTransferAgents: readonly string[];
  readonly version: number;
  readonly epoch: number;
  /** When the master last committed a change (ms since epoch). */
  readonly lastUpdateCreation: number;
  readonly targets: readonly {
    readonly server: string;
    readonly kind: 'replica' | 'standby';
    readonly version: number;
    readonly upToDate: boolean;
    readonly lastStatusReport: number;
    readonly lastError: string | undefined;
  }[];
}

export interface CmsServiceOptions {
  readonly replica: CmsReplica;
  readonly remote: CmsRemote;
  readonly dataDir: string;
  /** Used until the replica holds a published topology (first start of a server). */
  readonly bootstrapTopology: Topology | undefined;
  /** How long a writer waits for its own replica to catch up with a forwarded write. */
  readonly readYourWritesMs?: number;
}

/** How long a starting master waits for its copies to answer before it serves from what it holds. */
const ANNOUNCE_CHECK_MS = 4_000;
/**
 * How long a former master that learned it was replaced keeps asking the new master for what it missed
 * before it serves from what it holds (the new master's whole site lost too: availability).
 */
const SUPERSEDED_SYNC_MS = 120_000;

export class CmsService {
  private master: CmsMaster | undefined;
  /** Set when this server's master learned it was replaced (possibly before the server announced itself). */
  private supersededBy: string | undefined;
  private compiled: { revision: number; topology: Topology } | undefined;

  constructor(private readonly opts: CmsServiceOptions) {}

  get replica(): CmsReplica {
    return this.opts.replica;
  }

  get view() {
    return this.opts.replica.view;
  }

  attachMaster(master: CmsMaster | undefined): void {
    this.master = master;
  }

  /** This server's master was replaced by `newMasterPool`'s: it stops acting as the master. */
  fence(newMasterPool: string): void {
    this.master = undefined;
    this.supersededBy = newMasterPool;
  }

  localMaster(): CmsMaster | undefined {
    return this.master && !this.master.isSuperseded ? this.master : undefined;
  }

  /** The current topology: the published one, compiled against this server's data folder. */
  topology(): Topology {
    const doc = this.view.topology();
    if (!doc) {
      if (this.opts.bootstrapTopology) return this.opts.bootstrapTopology;
      throw new TandemError('NOT_FOUND', { what: 'Published topology', name: 'topology' });
    }
    if (this.compiled?.revision !== doc.revision) {
      this.compiled = {
        revision: doc.revision,
        topology: parseTopology(doc.yaml, { dataDir: this.opts.dataDir }),
      };
    }
    return this.compiled.topology;
  }

  /** The pool that holds the active master, as this replica last learned it. */
  masterPool(): string {
    return this.opts.replica.meta().masterPool;
  }

  /** Servers that can act as master agent, in the order they are tried. */
  masterAgents(): string[] {
    return poolServerFqdns(this.topology(), this.masterPool());
  }

  /**
   * Called when this server starts: asks the master to bring this server's copies up to date now. Returns
   * false when no master agent answered (the server then serves from what its replica holds).
   */
  async announce(self: string): Promise<boolean> {
    const master = this.master;
    if (master) {
      // Fencing at start: this copy was the master when the server stopped, but a CMS failover may have
      // replaced it meanwhile. Until the copies answered, the pool states held here may be stale.
      if (!master.isSuperseded) await master.firstRound(ANNOUNCE_CHECK_MS);
      if (!master.isSuperseded) return true;
      this.supersededBy ??= master.supersededBy;
    }
    // Replaced while it was down (learned just now, or by the master's first push before this call): what this
    // copy holds is known to be stale (a pool it serves may have been failed over meanwhile), so the server
    // serves nobody until the new master brought it up to date.
    const newer = this.supersededBy;
    if (newer === undefined) return this.helloAny(this.masterAgents(), self);
    return pollUntil(() => this.helloAny(poolServerFqdns(this.topology(), newer), self), {
      timeoutMs: SUPERSEDED_SYNC_MS,
      backoff: new Backoff({ initialDelayMs: 100, maxDelayMs: 2_000 }),
    });
  }

  /** Announces this server to the first agent that answers; true when it says the replica is up to date. */
  private async helloAny(agents: readonly string[], self: string): Promise<boolean> {
    try {
      const answer = await firstAnswering(agents, (server) => this.opts.remote.helloAt(server, self), {
        movesOn: () => true,
      });
      return answer.upToDate;
    } catch {
      return false;
    }
  }

  /** The master's status report: computed here when this server is the master agent, else asked of it. */
  async replicationStatus(serverFqdn: string, timeoutMs?: number): Promise<CmsStatusReport> {
    const local = this.localMaster();
    if (local) {
      const meta = local.meta();
      return {
        activeMasterPool: meta.masterPool,
        fileTransferAgents: [serverFqdn],
        version: meta.version,
        epoch: meta.epoch,
        lastUpdateCreation: meta.updatedAt,
        targets: local.reports().map((r) => ({ ...r, upToDate: r.version >= meta.version })),
      };
    }
    return firstAnswering(this.masterAgents(), (server) => this.opts.remote.statusAt(server, timeoutMs), {
      movesOn: () => true,
      noneAnswered: (last) =>
        new TandemError(
          'CMS_UNAVAILABLE',
          { master: this.masterPool(), action: 'reading the replication status' },
          { cause: last },
        ),
    });
  }

  /**
   * Commits writes at the master. `action` names the operation for the refusal message when the master is
   * unreachable (Lync's pool failover procedure: fail the CMS over first).
   */
  async write(writes: readonly CmsWrite[], action: string): Promise<number> {
    const local = this.localMaster();
    let version: number;
    if (local) {
      version = await local.commit(writes);
    } else {
      version = await this.forward(writes, action);
    }
    await this.opts.replica.waitForVersion(version, this.opts.readYourWritesMs ?? 3_000);
    return version;
  }

  private async forward(writes: readonly CmsWrite[], action: string): Promise<number> {
    const answer = await firstAnswering(
      this.masterAgents(),
      (server) => this.opts.remote.commitAt(server, writes),
      {
        // A refusal from a reachable master (conflict, validation) is final; only unreachability moves on.
        movesOn: (e) => e.code === 'S2S_UNREACHABLE' || e.code === 'CMS_NOT_MASTER',
        noneAnswered: (last) =>
          new TandemError('CMS_UNAVAILABLE', { master: this.masterPool(), action }, { cause: last }),
      },
    );
    return answer.version;
  }
}
