/**
 * @module Bringing the CMS standby up to date (Invoke-CsBackupServiceSync -BackupModule CMSMaster, the CMS
 * failover's first step): the master pushes until its standby copy holds every change, or reports how far
 * the standby is when the master runs elsewhere.
 */
import { TandemError } from '../errors/index.js';
import type { CmsPushTarget } from './cms-master.js';
import type { CmsStatusReport } from './cms-service.js';

/** What of a master the drain needs. */
export interface DrainableMaster {
  drain(timeoutMs: number, filter: (t: CmsPushTarget) => boolean): Promise<void>;
  meta(): { readonly masterPool: string; readonly version: number };
}

/** Pushes until the standby holds the master's version (TIMEOUT after `timeoutMs`); returns that version. */
export async function drainToStandby(master: DrainableMaster, timeoutMs: number): Promise<number> {
  await master.drain(timeoutMs, (t) => t.kind === 'standby');
  return master.meta().version;
}

/**
 * Drains `pool`'s master when this server runs it; undefined when it does not (the master runs at
 * another server, or another pool holds the CMS).
 */
export async function drainIfMasterHere(
  master: DrainableMaster | undefined,
  pool: string,
  timeoutMs: number,
): Promise<number | undefined> {
  if (!master || master.meta().masterPool !== pool) return undefined;
  return drainToStandby(master, timeoutMs);
}

/** How far `pool`'s standby is by the master's report; CONFLICT when `pool` does not hold the CMS. */
export function standbyProgress(
  report: CmsStatusReport,
  pool: string,
): { readonly version: number; readonly upToDate: boolean } {
  if (report.activeMasterPool !== pool)
    throw new TandemError('CONFLICT', {
      detail: `${pool} does not host the CMS (${report.activeMasterPool} does).`,
    });
  const standby = report.targets.find((t) => t.kind === 'standby');
  return { version: standby?.version ?? 0, upToDate: standby?.upToDate ?? false };
}
