import { describe, expect, it } from 'vitest';
import { REPLAY_WINDOW, ReplayGuard } from './replay-guard.js';

describe('ReplayGuard', () => {
  it('accepts each sequence of a sender instance once, in any order within the window', () => {
    const g = new ReplayGuard(120_000);
    for (const seq of [5, 3, 9, 4, 1]) expect(g.accept('a', 'i1', seq)).toBe('fresh');
    for (const seq of [5, 3, 9, 4, 1]) expect(g.accept('a', 'i1', seq)).toBe('replayed');
    expect(g.peek('a', 'i1', 2)).toBe('fresh');
    expect(g.accept('a', 'i2', 5)).toBe('fresh');
    expect(g.accept('b', 'i1', 5)).toBe('fresh');
  });

  it('refuses a sequence older than the window, and forgets what slid out of it', () => {
    const g = new ReplayGuard(120_000);
    expect(g.accept('a', 'i', 1)).toBe('fresh');
    expect(g.accept('a', 'i', 1 + REPLAY_WINDOW)).toBe('fresh');
    expect(g.accept('a', 'i', 1)).toBe('too-old');
    expect(g.accept('a', 'i', 2)).toBe('fresh');
    expect(g.accept('a', 'i', 3 * REPLAY_WINDOW)).toBe('fresh');
    expect(g.accept('a', 'i', 3 * REPLAY_WINDOW - 1)).toBe('fresh');
    expect(g.accept('a', 'i', 2 * REPLAY_WINDOW + 5)).toBe('fresh');
    expect(g.accept('a', 'i', 2 * REPLAY_WINDOW + 5)).toBe('replayed');
  });

  it('forgets instances silent for longer than the signature window', () => {
    const g = new ReplayGuard(1_000);
    g.accept('a', 'old', 1, 0);
    g.accept('a', 'new', 1, 5_000);
    expect(g.size()).toBe(1);
  });
});
