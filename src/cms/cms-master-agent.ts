/**
 * @module The CMS master role of one server: it acts as master agent while its pool's store holds the active
 * master, is promoted by a CMS failover (at the standby's server), demoted by a planned one (at the master's
 * server), and fenced when a copy answers with a newer epoch.
 */
import { CmsRole, type CmsDocStore, type CmsMeta, type DutyFence } from '../storage/index.js';
import { TandemError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import type { Topology } from '../topology/topology-types.js';
import { allServers, findPool } from '../topology/topology-lookups.js';
import { CmsMaster, type CmsPushTarget, type CmsTransport } from './cms-master.js';
import type { CmsService } from './cms-service.js';

export interface CmsMasterAgentOptions {
  /** This pool's copy of the CMS (master, standby or fenced). */
  readonly store: CmsDocStore;
  readonly cms: Pick<CmsService, 'attachMaster' | 'fence' | 'topology'>;
  readonly transport: CmsTransport;
  /** The pool of this server: a promoted copy names it as the master pool. */
  readonly poolFqdn: string;
  /** How often the master reaches every copy (its heartbeat). */
  readonly heartbeatMs: number;
  readonly log: Logger;
}

/**
 * The copies a master pushes to: every server's replica, and the standby copy in the store of the master pool's
 * backup pool, through its first server or, when that one is down, any other of its front ends.
 */
export function pushTargets(topology: Topology, masterPool: string): CmsPushTarget[] {
  const targets: CmsPushTarget[] = allServers(topology).map((s) => ({ server: s.fqdn, kind: 'replica' }));
  const backup = findPool(topology, masterPool)?.backupPool;
  const [standby, ...alternates] = (backup ? findPool(topology, backup)?.servers : undefined) ?? [];
  if (standby)
    targets.push({ server: standby.fqdn, kind: 'standby', alternates: alternates.map((s) => s.fqdn) });
  return targets;
}

export class CmsMasterAgent {
  private master: CmsMaster | undefined;
  /** The cms-master duty's lease, given when this front end took the duty: its commits are fenced by it. */
  private fence: DutyFence | undefined;

  constructor(private readonly o: CmsMasterAgentOptions) {}

  /** Becomes the master agent when this pool's store holds the active master of the CMS. */
  async startIfHeld(fence: DutyFence | undefined = this.fence): Promise<void> {
    this.fence = fence;
    const meta = await this.o.store.meta();
    if (meta?.role !== CmsRole.Master) return;
    this.master?.stop();
    this.master = await CmsMaster.open({
      store: this.o.store,
      transport: this.o.transport,
      targets: () => pushTargets(this.o.cms.topology(), meta.masterPool),
      heartbeatMs: this.o.heartbeatMs,
      onSuperseded: (newer) => void this.fenceBy(newer, meta),
      ...(fence ? { fence } : {}),
      onLagging: (version, servers) =>
        this.o.log.warn({ version, servers }, 'CMS change acknowledged before these copies held it'),
    });
    this.o.cms.attachMaster(this.master);
    this.o.log.info(
      { pool: meta.masterPool, epoch: meta.epoch, version: meta.version },
      'acting as CMS master and file-transfer agent',
    );
  }

  /** CMS failover, at the standby's server: this pool's copy becomes the active master with a new epoch. */
  async promote(settleMs = 0): Promise<CmsMeta> {
    const meta = await this.o.store.meta();
    if (!meta || (meta.role !== CmsRole.Standby && meta.role !== CmsRole.Master)) {
      throw new TandemError('CMS_NOT_MASTER', { master: meta?.masterPool ?? 'unknown' });
    }
    if (meta.role === CmsRole.Master && this.master && !this.master.isSuperseded) return meta;
    const promoted = await this.o.store.setRole(CmsRole.Master, meta.epoch + 1, this.o.poolFqdn);
    this.o.log.warn(
      { epoch: promoted.epoch, version: promoted.version },
      'promoted the standby copy to active CMS master',
    );
    await this.startIfHeld();
    if (settleMs > 0) await this.master?.firstRound(settleMs);
    return promoted;
  }

  /** Planned CMS failover, at the master's server: stop writing and become the standby of the new master. */
  async demote(newMasterPool: string): Promise<CmsMeta> {
    this.stop();
    this.o.cms.attachMaster(undefined);
    const meta = await this.o.store.meta();
    if (!meta) throw new TandemError('INTERNAL', { detail: 'this pool holds no CMS copy' });
    const standby = await this.o.store.setRole(CmsRole.Standby, meta.epoch, newMasterPool);
    this.o.log.warn(
      { epoch: standby.epoch, version: standby.version, newMasterPool },
      'CMS master demoted to standby',
    );
    return standby;
  }

  /** The meta of this pool's copy (undefined when the pool holds none). */
  storeMeta(): Promise<CmsMeta | undefined> {
    return this.o.store.meta();
  }

  /**
   * Stops acting as the master agent (the server stops, or another front end of the pool took the duty): this
   * server's CMS writes then go to whichever server of the master pool acts as agent.
   */
  stop(): void {
    this.master?.stop();
    this.master = undefined;
    this.o.cms.attachMaster(undefined);
  }

  /** Fencing: a copy answered with a newer epoch, so this master was replaced. It stops writing at once. */
  private async fenceBy(newer: CmsMeta, mine: CmsMeta): Promise<void> {
    this.o.cms.fence(newer.masterPool);
    this.o.log.warn(
      { newEpoch: newer.epoch, newMaster: newer.masterPool, myEpoch: mine.epoch },
      'CMS master superseded; fenced',
    );
    await this.o.store.setRole(CmsRole.Fenced, mine.epoch, newer.masterPool);
  }
}
