/** @module The pool-wide duties a front end may hold (docs/enterprise.md, "Duties and leases"). */
import type { Duty } from './duty-runner.js';
import type { DutyFence } from '../storage/index.js';
import { TandemError } from '../errors/index.js';

export const DutyName = {
  /** The Backup Service's importer of the partner pool's changes (every front end exports its pool's log). */
  BackupService: 'backup-service',
  /** The CMS master and file-transfer agent, when the pool's store holds the active master. */
  CmsMaster: 'cms-master',
} as const;
export type DutyName = (typeof DutyName)[keyof typeof DutyName];

/** A duty over a component that starts (under the lease's fence, if it writes for the duty) and stops. */
export function dutyOf(
  name: DutyName,
  component: { start(fence: DutyFence): Promise<void> | void; stop(): Promise<void> | void },
): Duty {
  return {
    name,
    start: async (lease) => void (await component.start({ duty: lease.duty, epoch: lease.epoch })),
    stop: async () => void (await component.stop()),
  };
}

/** Refuses work of a duty at a front end that does not hold it: the caller moves on to another server of the pool. */
export function requireDuty(holds: boolean, at: { server: string; duty: DutyName; pool: string }): void {
  if (!holds) throw new TandemError('DUTY_HELD_ELSEWHERE', at);
}
