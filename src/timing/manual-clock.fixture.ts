/** @module A clock for unit tests of timers: time moves only when the test says, and due timers then run. */
import type { TimerClock } from './fire-at.js';

interface Pending {
  readonly at: number;
  readonly fire: () => void;
  readonly delay: number;
}

export class ManualClock implements TimerClock {
  #now: number;
  readonly #timers = new Set<Pending>();
  /** Every delay a timer was set with, in order. */
  readonly delays: number[] = [];

  constructor(start: Date | number) {
    this.#now = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  setTimer(fire: () => void, ms: number): unknown {
    const timer = { at: this.#now + ms, fire, delay: ms };
    this.delays.push(ms);
    this.#timers.add(timer);
    return timer;
  }

  clearTimer(handle: unknown): void {
    this.#timers.delete(handle as Pending);
  }

  get pending(): number {
    return this.#timers.size;
  }

  /** Moves the clock by `ms`, running each timer that falls due on the way, in order, at its own time. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const next = [...this.#timers].filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (next === undefined) break;
      this.#timers.delete(next);
      this.#now = Math.max(this.#now, next.at);
      next.fire();
    }
    this.#now = end;
  }

  /** Sets the wall clock as an administrator or NTP would, without running timers. */
  set(at: number): void {
    this.#now = at;
  }
}
