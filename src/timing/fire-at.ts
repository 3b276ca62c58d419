/**
 * @module Runs a function at a wall-clock moment however far ahead (a certificate roll's effective date, weeks
 * away). Node's setTimeout holds at most 2^31 − 1 ms (about 24.8 days) and fires at once beyond that, so the
 * wait is taken in steps, each one reading the clock again; the steps also follow a wall clock that was set
 * while the process waited, which a single monotonic timer would not.
 */

/** The clock and timers `fireAt` uses; tests pass a manual one. */
export interface TimerClock {
  now(): number;
  setTimer(fire: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** The longest delay Node's setTimeout honours. */
export const MAX_TIMER_MS = 2_147_483_647;

/** The longest step by default: a wall clock set forward or back is followed within an hour. */
const DEFAULT_STEP_MS = 3_600_000;

export const systemClock: TimerClock = {
  now: () => Date.now(),
  setTimer: (fire, ms) => {
    const timer = setTimeout(fire, ms);
    // A timer far ahead never keeps a process alive: whatever stops the process stops the wait.
    timer.unref();
    return timer;
  },
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface FireAtOptions {
  readonly clock?: TimerClock;
  /** The longest single timer (capped at MAX_TIMER_MS). */
  readonly maxStepMs?: number;
}

/**
 * Calls `fire` once, from a timer (never before returning), as soon as the clock reads `at` (epoch ms) or later;
 * returns a function that cancels it.
 */
export function fireAt(at: number, fire: () => void, options: FireAtOptions = {}): () => void {
  const clock = options.clock ?? systemClock;
  const maxStep = Math.max(1, Math.min(options.maxStepMs ?? DEFAULT_STEP_MS, MAX_TIMER_MS));
  let handle: unknown;
  let cancelled = false;
  const arm = (): void => {
    handle = clock.setTimer(step, Math.max(0, Math.min(at - clock.now(), maxStep)));
  };
  const step = (): void => {
    if (cancelled) return;
    if (clock.now() < at) return arm();
    cancelled = true;
    fire();
  };
  arm();
  return () => {
    if (cancelled) return;
    cancelled = true;
    clock.clearTimer(handle);
  };
}
