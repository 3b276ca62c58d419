/**
 * @module The pool-wide duties of a front end, each run only while this server holds its lease in the pool's
 * store (docs/enterprise.md, "Duties and leases"). Every front end of a pool runs a runner for the same duties;
 * the store lets one of them hold each duty. A duty whose lease is lost is stopped at once, and the runner asks
 * for it again on its next round: when its holder dies, another front end takes the duty within a round or two.
 */
import type { Logger } from '../logging/logger.js';
import type { DutyLease, DutyLeaseStore } from '../storage/index.js';

/** How often a front end asks for the duties it does not hold. */
export const DUTY_ROUND_MS = 1_000;

export interface Duty {
  /** The lease's name in the store, the same at every front end of the pool (`backup-service`, `cms-master`). */
  readonly name: string;
  /** Starts the work; `lease.epoch` is the fencing token its writes carry. */
  start(lease: DutyLease): Promise<void>;
  /** Stops the work (the lease is lost or the server stops). */
  stop(): Promise<void>;
}

export interface HeldDuty {
  readonly duty: string;
  readonly epoch: number;
}

export class DutyRunner {
  readonly #duties = new Map<string, Duty>();
  readonly #held = new Map<string, DutyLease>();
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> = Promise.resolve();
  #stopped = false;
  #paused = false;
  /** The last failure to reach the store, logged once until the store answers again. */
  #unreachable: string | undefined;

  constructor(
    private readonly leases: DutyLeaseStore,
    private readonly holder: string,
    private readonly log: Logger,
  ) {}

  /** Adds a duty; it is asked for at the next round (or `tryAll`). */
  add(duty: Duty): void {
    this.#duties.set(duty.name, duty);
  }

  /** One round now: asks for every duty not held, and starts those granted. */
  tryAll(): Promise<void> {
    this.#round = this.#round.then(() => this.#askAll());
    return this.#round;
  }

  /** Rounds every DUTY_ROUND_MS from now on. */
  start(): void {
    this.#timer ??= setInterval(() => void this.tryAll(), DUTY_ROUND_MS);
    this.#timer.unref();
  }

  held(): HeldDuty[] {
    return [...this.#held.values()].map((l) => ({ duty: l.duty, epoch: l.epoch }));
  }

  holds(duty: string): boolean {
    return this.#held.has(duty);
  }

  /**
   * Reset-CsPoolRegistrarState at this front end: stops every duty it holds and gives the leases up; the next
   * round (here or at another front end) takes them again with new epochs. `stayOut` keeps this front end from
   * asking again until a later hand-back without it.
   */
  async handBack(stayOut = false): Promise<HeldDuty[]> {
    this.#paused = stayOut;
    await this.#round;
    const handed = this.held();
    await this.#releaseHeld();
    return handed;
  }

  /** Whether this front end asks for duties (false after a hand-back with `stayOut`). */
  get asking(): boolean {
    return !this.#paused && !this.#stopped;
  }

  /** Stops every duty held and gives its lease up, so that another front end takes it at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#round;
    await this.#releaseHeld();
  }

  /** Stops each duty held and gives its lease up. */
  async #releaseHeld(): Promise<void> {
    for (const [name, lease] of [...this.#held]) {
      this.#held.delete(name);
      await this.#duties.get(name)?.stop();
      await lease.release();
    }
  }

  async #askAll(): Promise<void> {
    for (const duty of this.#duties.values()) {
      if (!this.asking) return;
      if (this.#held.has(duty.name)) continue;
      await this.#ask(duty);
    }
  }

  async #ask(duty: Duty): Promise<void> {
    let lease: DutyLease | undefined;
    try {
      lease = await this.leases.tryAcquire(duty.name, this.holder);
      this.#unreachable = undefined;
    } catch (err) {
      if (this.#unreachable !== String(err))
        this.log.warn(
          { duty: duty.name, err: String(err) },
          'cannot ask the pool store for a duty; asking again every second',
        );
      this.#unreachable = String(err);
      return;
    }
    if (!lease) return;
    const granted = lease;
    this.#held.set(duty.name, granted);
    void granted.lost.then((reason) => this.#lost(duty, granted, reason));
    try {
      await duty.start(granted);
      this.log.info({ duty: duty.name, epoch: granted.epoch }, 'holding a duty of the pool');
    } catch (err) {
      this.log.warn({ duty: duty.name, err: String(err) }, 'a duty failed to start; giving its lease up');
      this.#held.delete(duty.name);
      await granted.release();
    }
  }

  async #lost(duty: Duty, lease: DutyLease, reason: string): Promise<void> {
    if (this.#held.get(duty.name) !== lease) return;
    this.#held.delete(duty.name);
    this.log.warn({ duty: duty.name, epoch: lease.epoch, reason }, 'lost a duty of the pool; stopping it');
    await duty
      .stop()
      .catch((err: unknown) =>
        this.log.warn({ duty: duty.name, err: String(err) }, 'a duty did not stop cleanly'),
      );
  }
}
