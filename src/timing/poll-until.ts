/**
 * @module The one poll loop: check a condition, and until it holds wait as a Backoff says, up to a deadline.
 * Loops that wait for a state to change (a replica to catch up, writes to drain, an importer to reach a
 * head) use it rather than hand-written `while` and `setTimeout`.
 */
import { Backoff } from './backoff.js';

export interface PollOptions {
  /** Gives up once this long has passed since the first check (a check in progress is finished). */
  readonly timeoutMs: number;
  /** The wait between two checks; a number is a fixed pace in ms. */
  readonly backoff: Backoff | number;
  /** How to wait (a component that can be woken early passes its own). */
  readonly sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Checks at once, then after each wait; true as soon as `done` is, false when time ran out first. */
export async function pollUntil(
  done: () => boolean | Promise<boolean>,
  options: PollOptions,
): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  const backoff = typeof options.backoff === 'number' ? Backoff.fixed(options.backoff) : options.backoff;
  const sleep = options.sleep ?? sleepFor;
  for (;;) {
    if (await done()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(backoff.next());
  }
}
