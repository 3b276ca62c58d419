import { describe, expect, it } from 'vitest';
import { fireAt, MAX_TIMER_MS } from './fire-at.js';
import { ManualClock } from './manual-clock.fixture.js';

const DAY = 86_400_000;

describe('fireAt', () => {
  it('waits for a moment months ahead in steps no timer overflows, and fires once', () => {
    const clock = new ManualClock(0);
    let fired = 0;
    fireAt(90 * DAY, () => fired++, { clock, maxStepMs: Number.MAX_SAFE_INTEGER });
    clock.advance(90 * DAY - 1);
    expect(fired).toBe(0);
    expect(Math.max(...clock.delays)).toBeLessThanOrEqual(MAX_TIMER_MS);
    expect(clock.delays.length).toBeGreaterThan(1);
    clock.advance(1);
    expect(fired).toBe(1);
    clock.advance(DAY);
    expect(fired).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it('follows a wall clock that is set while it waits', () => {
    const clock = new ManualClock(0);
    let fired = 0;
    fireAt(10 * DAY, () => fired++, { clock, maxStepMs: 3_600_000 });
    clock.set(10 * DAY + 5);
    clock.advance(3_600_000);
    expect(fired).toBe(1);
  });

  it('fires from a timer, not before returning, when the moment has passed', () => {
    const clock = new ManualClock(1_000);
    let fired = 0;
    fireAt(500, () => fired++, { clock });
    expect(fired).toBe(0);
    clock.advance(0);
    expect(fired).toBe(1);
  });

  it('does not fire once cancelled', () => {
    const clock = new ManualClock(0);
    let fired = 0;
    const cancel = fireAt(40 * DAY, () => fired++, { clock });
    clock.advance(30 * DAY);
    cancel();
    clock.advance(30 * DAY);
    expect(fired).toBe(0);
    expect(clock.pending).toBe(0);
  });
});
