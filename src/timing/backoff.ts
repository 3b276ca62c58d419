/**
 * @module Exponential backoff with jitter, the one retry pace of Tandem: the client SDK's reconnection, the
 * Backup Service's importer, the CMS service and every poll loop. Jitter matters at scale: when a pool fails
 * over, every one of its users loses the connection in the same instant, and without it they would all come
 * back in the same instant too.
 */

export interface BackoffOptions {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * Fraction of each delay that is random: 0.5 gives delays between half and all of the nominal delay.
   * 0 (the default) gives the nominal delays exactly.
   */
  readonly jitter?: number;
  /** Math.random unless a test needs a fixed source. */
  readonly random?: () => number;
}

export class Backoff {
  readonly #options: BackoffOptions;
  #attempt = 0;

  constructor(options: BackoffOptions) {
    this.#options = options;
  }

  /** The same delay every time: a poll at a fixed pace. */
  static fixed(delayMs: number): Backoff {
    return new Backoff({ initialDelayMs: delayMs, maxDelayMs: delayMs });
  }

  /** Retries since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The next delay: initialDelayMs doubling per attempt, capped at maxDelayMs, then shortened by jitter. */
  next(): number {
    const { initialDelayMs, maxDelayMs, jitter = 0, random = Math.random } = this.#options;
    // Cap the exponent so that a client retrying for days does not overflow to Infinity.
    const nominal = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(this.#attempt, 40));
    this.#attempt += 1;
    const r = Math.min(1, Math.max(0, random()));
    return nominal * (1 - jitter * r);
  }

  reset(): void {
    this.#attempt = 0;
  }
}
