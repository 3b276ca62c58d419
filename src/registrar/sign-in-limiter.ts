/**
 * @module Rate limits on failed password sign-ins, per user and per remote address, over a sliding window.
 * Memory is bounded: old failures fall out of the window, and the tables are swept.
 */
import { Limits } from '../protocol/limits.js';

export class SignInLimiter {
  private readonly byUser = new Map<string, number[]>();
  private readonly byAddress = new Map<string, number[]>();

  constructor(
    private readonly windowMs = Limits.failureWindowMs,
    private readonly maxPerUser = Limits.maxFailuresPerUser,
    private readonly maxPerAddress = Limits.maxFailuresPerAddress,
  ) {}

  /** Milliseconds until this user/address may try again, 0 when allowed. */
  blockedFor(user: string, address: string, now = Date.now()): number {
    return Math.max(
      this.wait(this.byUser, user, this.maxPerUser, now),
      this.wait(this.byAddress, address, this.maxPerAddress, now),
    );
  }

  recordFailure(user: string, address: string, now = Date.now()): void {
    push(this.byUser, user, now);
    push(this.byAddress, address, now);
  }

  recordSuccess(user: string): void {
    this.byUser.delete(user);
  }

  /** Drops entries whose failures all left the window. */
  sweep(now = Date.now()): void {
    for (const map of [this.byUser, this.byAddress]) {
      for (const [k, times] of map) if ((times.at(-1) ?? 0) <= now - this.windowMs) map.delete(k);
    }
  }

  private wait(map: Map<string, number[]>, key: string, max: number, now: number): number {
    const times = map.get(key);
    if (!times) return 0;
    while (times.length > 0 && (times[0] ?? 0) <= now - this.windowMs) times.shift();
    if (times.length < max) return 0;
    return (times[times.length - max] ?? now) + this.windowMs - now;
  }
}

function push(map: Map<string, number[]>, key: string, now: number): void {
  const times = map.get(key) ?? [];
  times.push(now);
  // Only the newest failures matter for the limit; cap the list.
  if (times.length > 64) times.splice(0, times.length - 64);
  map.set(key, times);
}
