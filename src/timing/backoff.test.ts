import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles from the initial delay up to the maximum', () => {
    const backoff = new Backoff({ initialDelayMs: 100, maxDelayMs: 1_000, jitter: 0, random: () => 0.7 });
    const delays = Array.from({ length: 7 }, () => backoff.next());
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
    expect(backoff.attempt).toBe(7);
  });

  it('takes the jitter fraction off each delay, as the random source says', () => {
    const low = new Backoff({ initialDelayMs: 100, maxDelayMs: 1_000, jitter: 0.5, random: () => 1 });
    const mid = new Backoff({ initialDelayMs: 100, maxDelayMs: 1_000, jitter: 0.5, random: () => 0.5 });
    expect([low.next(), low.next(), low.next()]).toEqual([50, 100, 200]);
    expect([mid.next(), mid.next(), mid.next()]).toEqual([75, 150, 300]);
  });

  it('stays within [max × (1 − jitter), max] however long it retries', () => {
    let seed = 1;
    const random = (): number => {
      seed = (seed * 16_807) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const backoff = new Backoff({ initialDelayMs: 10, maxDelayMs: 500, jitter: 0.3, random });
    for (let i = 0; i < 2_000; i++) {
      const delay = backoff.next();
      expect(delay).toBeLessThanOrEqual(500);
      if (i >= 6) expect(delay).toBeGreaterThanOrEqual(350);
    }
    expect(Number.isFinite(backoff.next())).toBe(true);
  });

  it('clamps a random source that strays outside 0..1', () => {
    const backoff = new Backoff({ initialDelayMs: 100, maxDelayMs: 100, jitter: 1, random: () => 7 });
    expect(backoff.next()).toBe(0);
  });

  it('starts over after reset', () => {
    const backoff = new Backoff({ initialDelayMs: 10, maxDelayMs: 100, jitter: 0, random: () => 0 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(10);
  });
});

describe('Backoff defaults', () => {
  it('gives the same delay every time when fixed', () => {
    const backoff = Backoff.fixed(50);
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([50, 50, 50]);
  });

  it('has no jitter unless asked', () => {
    const backoff = new Backoff({ initialDelayMs: 100, maxDelayMs: 2_000 });
    expect(Array.from({ length: 6 }, () => backoff.next())).toEqual([100, 200, 400, 800, 1_600, 2_000]);
  });
});
