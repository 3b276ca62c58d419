/**
 * @module Limits on password sign-ins over a sliding window (docs/sign-in.md). An attempt is reserved before
 * the password is checked, so guesses in flight for a user count; a failure stays counted, a success or a
 * shed attempt gives its reservation back. Three counts: per user and source together (a guesser slows down only
 * itself), per source (spraying many users), and per user from all sources (a distributed guess), which
 * sources the user signed in from recently are exempt from. Failures seen at other servers of the
 * deployment are merged in (`recordRemote`). Memory is bounded: failures leave the window, tables are swept.
 */
import { Limits } from '../protocol/limits.js';

export interface LimiterOptions {
  readonly windowMs?: number;
  readonly maxPerUserSource?: number;
  readonly maxPerUser?: number;
  readonly maxPerAddress?: number;
  /** How long a source the user signed in from stays exempt from the per-user count. */
  readonly trustMs?: number;
  /** Most remembered (user, source) pairs that signed in; the oldest are forgotten first. */
  readonly maxTrusted?: number;
}

export type Reservation =
  | { readonly ok: true; release(outcome: 'success' | 'failure' | 'cancel'): void }
  | { readonly ok: false; readonly retryAfterMs: number; readonly scope: LimitScope };

/** Which count refused: says to the client what it ran into. */
export const LimitScope = {
  UserSource: 'for this user from this address',
  Address: 'from this address',
  User: 'for this user from addresses it has not signed in from lately',
} as const;
export type LimitScope = (typeof LimitScope)[keyof typeof LimitScope];

/** Stamps kept per key: the largest limit plus a margin. */
const MAX_STAMPS = 128;

export class SignInLimiter {
  private readonly byUserSource = new Map<string, number[]>();
  private readonly byUser = new Map<string, number[]>();
  private readonly byAddress = new Map<string, number[]>();
  private readonly trusted = new Map<string, number>();
  private readonly o: Required<LimiterOptions>;

  constructor(opts: LimiterOptions = {}) {
    this.o = {
      windowMs: opts.windowMs ?? Limits.failureWindowMs,
      maxPerUserSource: opts.maxPerUserSource ?? Limits.maxFailuresPerUserSource,
      maxPerUser: opts.maxPerUser ?? Limits.maxFailuresPerUser,
      maxPerAddress: opts.maxPerAddress ?? Limits.maxFailuresPerAddress,
      trustMs: opts.trustMs ?? 7 * 24 * 3600_000,
      maxTrusted: opts.maxTrusted ?? 100_000,
    };
  }

  /** Reserves an attempt, or says how long this user/source must wait. Synchronous: no await before it. */
  reserve(user: string, source: string, now = Date.now()): Reservation {
    const pair = pairKey(user, source);
    const trusted = (this.trusted.get(pair) ?? -Infinity) > now - this.o.trustMs;
    const waits: [number, LimitScope][] = [
      [this.wait(this.byUserSource, pair, this.o.maxPerUserSource, now), LimitScope.UserSource],
      [this.wait(this.byAddress, source, this.o.maxPerAddress, now), LimitScope.Address],
      [trusted ? 0 : this.wait(this.byUser, user, this.o.maxPerUser, now), LimitScope.User],
    ];
    const [wait, scope] = waits.reduce((a, b) => (b[0] > a[0] ? b : a));
    if (wait > 0) return { ok: false, retryAfterMs: wait, scope };
    // In flight counts per user (guesses for one user at once); per address only failures count, since many
    // users behind one address sign in at once and the hash queue already bounds an address's work in flight.
    const tables: [Map<string, number[]>, string][] = [
      [this.byUserSource, pair],
      [this.byUser, user],
    ];
    for (const [map, key] of tables) push(map, key, now);
    let done = false;
    return {
      ok: true,
      release: (outcome) => {
        if (done) return;
        done = true;
        if (outcome === 'failure') {
          push(this.byAddress, source, now);
          return;
        }
        for (const [map, key] of tables) unstamp(map, key, now);
        if (outcome === 'success') {
          // The user proved the password from here: the source's own typos are forgiven.
          this.byUserSource.delete(pair);
          this.trust(user, source, now);
        }
      },
    };
  }

  /** A source the user proved itself from (a password or a token): exempt from the per-user count. */
  trust(user: string, source: string, now = Date.now()): void {
    const pair = pairKey(user, source);
    this.trusted.delete(pair);
    this.trusted.set(pair, now);
    if (this.trusted.size > this.o.maxTrusted) {
      const oldest = this.trusted.keys().next().value;
      if (oldest !== undefined) this.trusted.delete(oldest);
    }
  }

  /** A failure another server of the deployment saw. */
  recordRemote(user: string, source: string, at: number, now = Date.now()): void {
    if (at <= now - this.o.windowMs || at > now + this.o.windowMs) return;
    push(this.byUserSource, pairKey(user, source), at);
    push(this.byAddress, source, at);
    push(this.byUser, user, at);
  }

  /** Drops entries whose failures all left the window, and trust that expired. */
  sweep(now = Date.now()): void {
    for (const map of [this.byUserSource, this.byUser, this.byAddress]) {
      for (const [k, times] of map) if (Math.max(...times) <= now - this.o.windowMs) map.delete(k);
    }
    for (const [k, at] of this.trusted) if (at <= now - this.o.trustMs) this.trusted.delete(k);
  }

  private wait(map: Map<string, number[]>, key: string, max: number, now: number): number {
    const times = map.get(key);
    if (!times) return 0;
    const inWindow = times.filter((t) => t > now - this.o.windowMs).sort((a, b) => a - b);
    if (inWindow.length === 0) map.delete(key);
    else map.set(key, inWindow);
    if (inWindow.length < max) return 0;
    // Allowed again once enough of the oldest stamps leave the window.
    return Math.max(1, (inWindow[inWindow.length - max] ?? now) + this.o.windowMs - now);
  }
}

function pairKey(user: string, source: string): string {
  return `${user}\n${source}`;
}

function push(map: Map<string, number[]>, key: string, at: number): void {
  const times = map.get(key) ?? [];
  times.push(at);
  // Only the newest stamps matter for the limits; cap the list.
  if (times.length > MAX_STAMPS) {
    times.sort((a, b) => a - b);
    times.splice(0, times.length - MAX_STAMPS);
  }
  map.set(key, times);
}

function unstamp(map: Map<string, number[]>, key: string, at: number): void {
  const times = map.get(key);
  if (!times) return;
  const i = times.lastIndexOf(at);
  if (i >= 0) times.splice(i, 1);
  if (times.length === 0) map.delete(key);
}
