/**
 * @module Duty leases on SQLite. A Standard Edition pool has one front end and one SQLite file, opened by that
 * server alone, so exclusion is within the process: a duty is held by one lease at a time until it is released
 * or the store closes. The epoch is kept in the file all the same, so it still grows across restarts.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { DutyHolder, DutyLease, DutyLeaseStore } from '../store.js';
import { dutyRecords, isCurrentEpoch, nextDutyEpoch } from '../kysely-duty-epochs.js';

export class SqliteDutyLeases implements DutyLeaseStore {
  readonly #held = new Map<string, { release(): Promise<void> }>();

  constructor(private readonly db: Kysely<Database>) {}

  async tryAcquire(duty: string, holder: string): Promise<DutyLease | undefined> {
    if (this.#held.has(duty)) return undefined;
    let lose: (reason: string) => void = () => undefined;
    const lost = new Promise<string>((resolve) => (lose = resolve));
    const end = (reason: string) => {
      if (this.#held.get(duty) !== handle) return;
      this.#held.delete(duty);
      lose(reason);
    };
    const handle = { release: async () => end('released') };
    this.#held.set(duty, handle);
    try {
      const epoch = await nextDutyEpoch(this.db, duty, holder, Date.now());
      return { duty, holder, epoch, lost, release: handle.release };
    } catch (err) {
      this.#held.delete(duty);
      throw err;
    }
  }

  async holders(): Promise<DutyHolder[]> {
    return (await dutyRecords(this.db)).map((r) => ({ ...r, held: this.#held.has(r.duty) }));
  }

  isCurrent(duty: string, epoch: number): Promise<boolean> {
    return isCurrentEpoch(this.db, duty, epoch);
  }

  /** Ends every lease (closing the store). */
  async releaseAll(): Promise<void> {
    await Promise.all([...this.#held.values()].map((h) => h.release()));
  }
}
