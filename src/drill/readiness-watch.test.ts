import { afterEach, describe, expect, it } from 'vitest';
import { ReadinessWatch } from './readiness-watch.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ReadinessWatch', () => {
  let watch: ReadinessWatch | undefined;
  afterEach(() => watch?.stop());

  it("takes the time the drill's own process stood still out of a late answer", async () => {
    watch = new ReadinessWatch([], 500, '');
    watch.start(50);
    await tick(120);
    const from = Date.now();
    // The event loop stands still for 1.5 s, as when a loaded machine deschedules the drill.
    while (Date.now() - from < 1_500);
    const to = Date.now();
    await tick(120);
    expect(watch.stalledWithin(from, to)).toBeGreaterThanOrEqual(1_000);
    expect(watch.reason(from, to)).toMatch(/own process stood still/);
  });

  it('gives no reason for an answer late beyond the hang limit while the drill kept running', () => {
    watch = new ReadinessWatch([], 500, '');
    // Never started: no stall and no server sample was recorded, so a late answer stays a violation.
    expect(watch.reason(Date.now() - 60_000, Date.now())).toBeUndefined();
  });
});
