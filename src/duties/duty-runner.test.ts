import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type Store } from '../storage/index.js';
import { createLogger } from '../logging/logger.js';
import { DutyRunner, type Duty } from './duty-runner.js';

const stores: Store[] = [];
afterEach(async () => {
  while (stores.length) await stores.pop()?.close();
});

async function store(): Promise<Store> {
  const s = await openSqliteStore(':memory:');
  stores.push(s);
  return s;
}

/** A duty that records what the runner did with it. */
function recording(name: string): Duty & { events: string[] } {
  const events: string[] = [];
  return {
    name,
    events,
    start: async (lease) => void events.push(`start ${lease.epoch}`),
    stop: async () => void events.push('stop'),
  };
}

const log = createLogger('test', 'silent');

describe('DutyRunner', () => {
  it('runs each duty at one front end only, and hands it over when that one stops', async () => {
    const s = await store();
    const a = new DutyRunner(s.leases, 'fe1', log);
    const b = new DutyRunner(s.leases, 'fe2', log);
    const [atA, atB] = [recording('backup-service'), recording('backup-service')];
    a.add(atA);
    b.add(atB);
    await a.tryAll();
    await b.tryAll();
    expect(a.held()).toEqual([{ duty: 'backup-service', epoch: 1 }]);
    expect(b.held()).toEqual([]);
    expect(atB.events).toEqual([]);
    await a.stop();
    expect(atA.events).toEqual(['start 1', 'stop']);
    await b.tryAll();
    expect(b.held()).toEqual([{ duty: 'backup-service', epoch: 2 }]);
    expect(atB.events).toEqual(['start 2']);
    await b.stop();
  });

  it('stops a duty whose lease is lost without being asked', async () => {
    const s = await store();
    const runner = new DutyRunner(s.leases, 'fe1', log);
    const duty = recording('cms-master');
    runner.add(duty);
    await runner.tryAll();
    expect(await s.leases.holders()).toMatchObject([{ duty: 'cms-master', holder: 'fe1', held: true }]);
    expect(await s.leases.tryAcquire('cms-master', 'fe2')).toBeUndefined();
    // The store ends the lease (in PostgreSQL: the back end ended the lease's session).
    await s.close();
    stores.pop();
    await new Promise((r) => setImmediate(r));
    expect(duty.events).toEqual(['start 1', 'stop']);
    expect(runner.holds('cms-master')).toBe(false);
    await runner.stop();
  });

  it('gives the lease up when a duty fails to start, so that another front end can take it', async () => {
    const s = await store();
    const runner = new DutyRunner(s.leases, 'fe1', log);
    runner.add({
      name: 'pool-agent',
      start: async () => {
        throw new Error('cannot start');
      },
      stop: async () => undefined,
    });
    await runner.tryAll();
    expect(runner.held()).toEqual([]);
    expect((await s.leases.holders())[0]).toMatchObject({ holder: 'fe1', epoch: 1, held: false });
    const other = await s.leases.tryAcquire('pool-agent', 'fe2');
    expect(other?.epoch).toBe(2);
    await runner.stop();
  });

  it('hands its duties back on request, and stays out of them when asked to', async () => {
    const s = await store();
    const a = new DutyRunner(s.leases, 'fe1', log);
    const b = new DutyRunner(s.leases, 'fe2', log);
    const [atA, atB] = [recording('backup-service'), recording('backup-service')];
    a.add(atA);
    b.add(atB);
    await a.tryAll();
    expect(await a.handBack(true)).toEqual([{ duty: 'backup-service', epoch: 1 }]);
    expect(atA.events).toEqual(['start 1', 'stop']);
    expect(a.asking).toBe(false);
    await a.tryAll();
    expect(a.held()).toEqual([]);
    await b.tryAll();
    expect(b.held()).toEqual([{ duty: 'backup-service', epoch: 2 }]);
    expect(await b.handBack()).toEqual([{ duty: 'backup-service', epoch: 2 }]);
    expect(b.asking).toBe(true);
    expect(await a.handBack(false)).toEqual([]);
    await a.tryAll();
    expect(a.held()).toEqual([{ duty: 'backup-service', epoch: 3 }]);
    await a.stop();
    await b.stop();
  });

  it('says once, not every round, that the store cannot be reached', async () => {
    const warnings: string[] = [];
    const quiet = createLogger('test', 'silent');
    const logged = Object.assign(Object.create(quiet) as typeof quiet, {
      warn: (_fields: unknown, msg: string) => void warnings.push(msg),
    });
    const down = {
      tryAcquire: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
      holders: () => Promise.resolve([]),
      isCurrent: () => Promise.resolve(false),
    };
    const runner = new DutyRunner(down, 'fe1', logged);
    runner.add(recording('backup-service'));
    for (let round = 0; round < 3; round++) await runner.tryAll();
    expect(warnings).toEqual(['cannot ask the pool store for a duty; asking again every second']);
    await runner.stop();
  });
});
