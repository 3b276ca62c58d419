/**
 * @module Invoke-CsManagementServerFailover: moves the CMS master to the standby copy in the backup pool.
 * Planned (the master answers): drain to the standby, make the master a read-only standby, promote the
 * standby with a new epoch — nothing is lost. Disaster (the master is lost): promote the standby with what it
 * holds, and report what replicas held beyond it. The new epoch fences the former master on every path.
 */
import { timedSteps } from '../timing/timed-steps.js';
import type { CmsMeta } from '../storage/index.js';
import type { Topology } from '../topology/topology-types.js';
import { findPool, poolOfServer } from '../topology/topology-lookups.js';
import { TandemError } from '../errors/index.js';

const PLANNED_SETTLE_MS = 3_000;

export interface CmsFailoverPorts {
  topology(): Topology;
  /** The pool holding the active master, as this server's replica knows it. */
  masterPool(): string;
  masterReachable(): Promise<boolean>;
  /** At the master agent: waits until the standby holds the master's version. */
  drainStandby(timeoutMs: number): Promise<void>;
  /** At the master agent: stops writing and becomes the standby of `newMasterPool`. */
  demoteMaster(newMasterPool: string): Promise<CmsMeta>;
  /** At the standby pool's agent: becomes the master with a new epoch. */
  /**
   * Makes `pool`'s copy the active master; resolves once every copy answered its first push (at most
   * `settleMs`), so that every server that answers names the new master when the command returns.
   */
  promote(pool: string, settleMs: number): Promise<CmsMeta>;
  /** The CMS copy held in a pool's store (undefined when the pool does not answer). */
  storeMeta(pool: string): Promise<CmsMeta | undefined>;
  /** Version and epoch of every replica that answers. */
  replicaMetas(): Promise<{ server: string; version: number; epoch: number }[]>;
}

export interface CmsFailoverLog {
  verbose(message: string): void;
  warn(message: string): void;
}

export interface CmsFailoverReport {
  readonly previousMasterPool: string;
  readonly newMasterPool: string;
  readonly mode: 'planned' | 'disaster';
  readonly epoch: number;
  readonly version: number;
  readonly seconds: number;
  /** Versions of the old master that a replica held but the standby did not (disaster): possibly lost. */
  readonly possiblyLostVersions: number;
}

/** The standby pool for a failover; a named SQL server (Lync's form) must designate it. */
export function standbyPool(ports: CmsFailoverPorts, named: string | undefined): string {
  const t = ports.topology();
  const master = ports.masterPool();
  const backup = findPool(t, master)?.backupPool;
  if (!backup) throw new TandemError('POOL_NO_BACKUP', { pool: master });
  if (named === undefined) return backup;
  // Tandem's "SQL server" is a pool's store: name the backup pool, or one of its servers.
  const pool = findPool(t, named)?.fqdn ?? poolOfServer(t, named)?.fqdn;
  if (pool !== backup) {
    throw new TandemError('INVALID_ARGUMENT', {
      detail: `${named} does not hold the CMS standby: it is in ${backup}'s store (give -BackupSqlServerFqdn ${backup}, or one of its servers).`,
    });
  }
  return backup;
}

export function cmsFailoverPlan(
  ports: CmsFailoverPorts,
  named: string | undefined,
  masterUp: boolean,
): { step: number; action: string }[] {
  const master = ports.masterPool();
  const standby = standbyPool(ports, named);
  const steps = masterUp
    ? [
        `The CMS master is hosted by ${master} and answers; its standby copy is in ${standby}'s store. The failover is planned${named === undefined ? '' : ' (a standby was named, but nothing needs to be lost)'}.`,
        `Wait until ${standby}'s standby holds every change of the master.`,
        `Make ${master} a read-only standby.`,
        `Promote ${standby}'s copy to active master with a new epoch; its first server becomes the file-transfer agent.`,
        'Every replica follows the new master; the former master can no longer write (fencing).',
      ]
    : [
        named === undefined
          ? `The CMS master hosted by ${master} does not answer; run the disaster form: Invoke-CsManagementServerFailover -BackupSqlServerFqdn ${standby} -Force.`
          : `The CMS master hosted by ${master} does not answer.`,
        `Promote ${standby}'s standby copy to active master with a new epoch, with what it holds.`,
        `Report what replicas held beyond the standby (possibly lost); ${master}, when it returns, sets its unreplicated writes aside and becomes the standby.`,
      ];
  return steps.map((action, i) => ({ step: i + 1, action }));
}

export async function cmsFailover(
  ports: CmsFailoverPorts,
  named: string | undefined,
  log: CmsFailoverLog,
): Promise<CmsFailoverReport> {
  const started = Date.now();
  const timed = timedSteps((m) => log.verbose(m));
  const previous = ports.masterPool();
  const standby = standbyPool(ports, named);
  // Asked at once, in parallel with the probe: a disaster failover needs them, and a lost site may be slow to fail.
  const replicasAsked = ports.replicaMetas();
  replicasAsked.catch(() => undefined);
  const masterUp = await ports.masterReachable();
  // Losing changes takes the administrator's word: the disaster form names the standby's store.
  if (!masterUp && named === undefined)
    throw new TandemError('CMS_MASTER_SILENT', { master: previous, standby });
  let possiblyLost = 0;
  if (masterUp) {
    await timed(`The standby in ${standby} holds every change`, () => ports.drainStandby(30_000));
    await timed(`${previous} is a read-only standby`, () => ports.demoteMaster(standby));
  } else {
    const held = await ports.storeMeta(standby);
    if (!held)
      throw new TandemError('POOL_UNREACHABLE', {
        pool: standby,
        detail: 'its store does not answer',
        hint: 'The standby must be up to take over the CMS.',
      });
    const replicas = await replicasAsked;
    const ahead = replicas.filter((r) => r.epoch === held.epoch && r.version > held.version);
    possiblyLost = ahead.reduce((m, r) => Math.max(m, r.version - held.version), 0);
    if (possiblyLost > 0) {
      log.warn(
        `Replicas held ${possiblyLost} version(s) of the CMS that the standby did not (${ahead.map((r) => r.server).join(', ')}); those changes may be lost. The former master keeps its own aside when it returns: Get-CsManagementStoreDivergentChange.`,
      );
    }
  }
  // Planned: every copy answers, so the command waits until each names the new master. Disaster: a lost
  // copy may drop packets; the command does not wait for it (it learns the new master when it returns).
  const meta = await timed(`${standby} is the active CMS master`, () =>
    ports.promote(standby, masterUp ? PLANNED_SETTLE_MS : 0),
  );
  return {
    previousMasterPool: previous,
    newMasterPool: standby,
    mode: masterUp ? 'planned' : 'disaster',
    epoch: meta.epoch,
    version: meta.version,
    seconds: (Date.now() - started) / 1000,
    possiblyLostVersions: possiblyLost,
  };
}
