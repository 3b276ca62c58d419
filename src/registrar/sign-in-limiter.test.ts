import { describe, expect, it } from 'vitest';
import { LimitScope, SignInLimiter } from './sign-in-limiter.js';

const W = 60_000;
const limiter = () =>
  new SignInLimiter({ windowMs: W, maxPerUserSource: 3, maxPerUser: 6, maxPerAddress: 10, trustMs: 10 * W });

function fail(l: SignInLimiter, user: string, source: string, now: number): void {
  const r = l.reserve(user, source, now);
  if (!r.ok) throw new Error(`refused at ${now}`);
  r.release('failure');
}

describe('SignInLimiter', () => {
  it('counts attempts in flight: reservations refuse before any is checked', () => {
    const l = limiter();
    const held = [1, 2, 3].map(() => l.reserve('u', 'a', 0));
    expect(held.every((r) => r.ok)).toBe(true);
    expect(l.reserve('u', 'a', 1)).toMatchObject({ ok: false, scope: LimitScope.UserSource });
  });

  it('gives back cancelled and successful reservations', () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) {
      const r = l.reserve('u', 'a', i);
      if (r.ok) r.release('cancel');
    }
    expect(l.reserve('u', 'a', 5).ok).toBe(true);
  });

  it('slows one user+source down for the rest of the window, not the same user elsewhere', () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) fail(l, 'u', 'a', i * 1000);
    const refused = l.reserve('u', 'a', 3000);
    expect(refused).toMatchObject({ ok: false, retryAfterMs: W - 3000 });
    expect(l.reserve('u', 'b', 3000).ok).toBe(true);
    expect(l.reserve('u', 'a', W + 1).ok).toBe(true);
  });

  it('bounds a distributed guess per user, except from sources the user signed in from', () => {
    const l = limiter();
    const ok = l.reserve('u', 'home', 0);
    if (ok.ok) ok.release('success');
    for (let i = 0; i < 6; i++) fail(l, 'u', `attacker-${i}`, 10 + i);
    expect(l.reserve('u', 'new-place', 100)).toMatchObject({ ok: false, scope: LimitScope.User });
    expect(l.reserve('u', 'home', 100).ok).toBe(true);
    l.trust('u', 'phone', 100);
    expect(l.reserve('u', 'phone', 101).ok).toBe(true);
  });

  it('limits one source spraying many users', () => {
    const l = limiter();
    for (let i = 0; i < 10; i++) fail(l, `user-${i}`, 'a', i);
    expect(l.reserve('user-99', 'a', 20)).toMatchObject({ ok: false, scope: LimitScope.Address });
  });

  it('does not count sign-ins in flight from one address against the address (an office behind NAT)', () => {
    const l = limiter();
    const many = Array.from({ length: 15 }, (_, i) => l.reserve(`user-${i}`, 'office', 0));
    expect(many.every((r) => r.ok)).toBe(true);
    for (const r of many) if (r.ok) r.release('success');
    expect(l.reserve('user-99', 'office', 1).ok).toBe(true);
  });

  it('merges failures seen at other servers, and ignores ones outside the window', () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) l.recordRemote('u', 'a', 1000 + i, 2000);
    l.recordRemote('v', 'a', -W, 2000);
    expect(l.reserve('u', 'a', 2000).ok).toBe(false);
    expect(l.reserve('v', 'a', 2000).ok).toBe(true);
  });

  it('forgets what left the window when swept', () => {
    const l = limiter();
    fail(l, 'u', 'a', 0);
    l.sweep(W + 1);
    for (let i = 0; i < 2; i++) fail(l, 'u', 'a', W + 2 + i);
    expect(l.reserve('u', 'a', W + 10).ok).toBe(true);
  });
});
