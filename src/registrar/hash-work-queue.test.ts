import { describe, expect, it } from 'vitest';
import { HashWorkQueue } from './hash-work-queue.js';

/** Work that finishes when the test says so. */
function gate() {
  const opened: (() => void)[] = [];
  const work = (log: string[], name: string) => () =>
    new Promise<string>((resolve) =>
      opened.push(() => {
        log.push(name);
        resolve(name);
      }),
    );
  const openNext = async () => {
    opened.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { work, openNext, pending: () => opened.length };
}

describe('HashWorkQueue', () => {
  it('never runs more than its concurrency', async () => {
    const q = new HashWorkQueue(2, 10, 10);
    const g = gate();
    const log: string[] = [];
    const all = Array.from({ length: 6 }, (_, i) => q.run('a', g.work(log, `j${i}`)));
    expect(g.pending()).toBe(2);
    while (g.pending() > 0) await g.openNext();
    await Promise.all(all);
    expect(q.stats()).toMatchObject({ peak: 2, completed: 6, running: 0, queued: 0 });
  });

  it('serves sources in turn: a newcomer waits behind one job per busy source, not the whole flood', async () => {
    const q = new HashWorkQueue(1, 100, 10);
    const g = gate();
    const log: string[] = [];
    const flood = Array.from({ length: 8 }, (_, i) => q.run('flood', g.work(log, `f${i}`)));
    const legit = q.run('legit', g.work(log, 'legit'));
    while (!log.includes('legit')) await g.openNext();
    expect(log).toEqual(['f0', 'f1', 'legit']);
    while (g.pending() > 0) await g.openNext();
    await Promise.all([...flood, legit]);
  });

  it('sheds beyond the share of a source, with a retryable SIGNIN_BUSY', async () => {
    const q = new HashWorkQueue(1, 100, 2);
    const g = gate();
    const log: string[] = [];
    const jobs = Array.from({ length: 4 }, (_, i) => q.run('a', g.work(log, `a${i}`)));
    await expect(jobs[3]).rejects.toMatchObject({ code: 'SIGNIN_BUSY', retryable: true });
    expect(q.stats().shed).toBe(1);
    while (g.pending() > 0) await g.openNext();
    await Promise.all(jobs.slice(0, 3));
  });

  it('when full, sheds the newest job of the source that waits most, never a newcomer', async () => {
    const q = new HashWorkQueue(1, 4, 10);
    const g = gate();
    const log: string[] = [];
    const flood = Array.from({ length: 5 }, (_, i) =>
      q.run('flood', g.work(log, `f${i}`)).catch((e: { code: string }) => e.code),
    );
    const legit = q.run('legit', g.work(log, 'legit'));
    expect(await flood[4]).toBe('SIGNIN_BUSY');
    while (g.pending() > 0) await g.openNext();
    expect(await legit).toBe('legit');
  });
});
