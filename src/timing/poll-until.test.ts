import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';
import { pollUntil } from './poll-until.js';

describe('pollUntil', () => {
  it('checks until the condition holds, waiting as the backoff says between checks', async () => {
    const waits: number[] = [];
    let checks = 0;
    const done = await pollUntil(() => ++checks === 4, {
      timeoutMs: 60_000,
      backoff: new Backoff({ initialDelayMs: 10, maxDelayMs: 25 }),
      sleep: async (ms) => void waits.push(ms),
    });
    expect(done).toBe(true);
    expect(checks).toBe(4);
    expect(waits).toEqual([10, 20, 25]);
  });

  it('does not wait when the condition already holds', async () => {
    const waits: number[] = [];
    expect(
      await pollUntil(async () => true, {
        timeoutMs: 0,
        backoff: 5,
        sleep: async (ms) => void waits.push(ms),
      }),
    ).toBe(true);
    expect(waits).toEqual([]);
  });

  it('gives up once the time is up, after one more check', async () => {
    let checks = 0;
    const done = await pollUntil(() => (checks++, false), { timeoutMs: 0, backoff: 5 });
    expect(done).toBe(false);
    expect(checks).toBe(1);
  });
});
