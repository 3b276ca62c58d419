/**
 * Duty leases between front ends sharing one PostgreSQL back end: each front end opens the store itself, as the
 * servers of an Enterprise pool do. A lease whose connection the back end ends (a killed holder, a cut link) is
 * lost at its holder, and another front end takes the duty with the next epoch, which fences the old holder.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openPostgresStore } from './open-postgres.js';
import { createTempDatabase, type TempDatabase } from '../../../test/support/postgres.js';
import { eventually } from '../../devkit/cluster.js';
import type { Store } from '../store.js';

const databases: TempDatabase[] = [];
const stores: Store[] = [];
afterEach(async () => {
  while (stores.length) await stores.pop()?.close();
});
afterAll(async () => {
  for (const d of databases) await d.drop();
});

async function frontEnds(n: number): Promise<{ url: string; stores: Store[] }> {
  const d = await createTempDatabase();
  databases.push(d);
  const opened: Store[] = [];
  for (let i = 0; i < n; i++) opened.push(await openPostgresStore(d.url, { max: 2 }));
  stores.push(...opened);
  return { url: d.url, stores: opened };
}

async function asAdmin<T>(url: string, run: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

describe('duty leases between front ends on one PostgreSQL back end', () => {
  it('gives a duty to one front end; the others are refused while it holds it', async () => {
    const { stores: [a, b, c] = [] } = await frontEnds(3);
    const lease = await a?.leases.tryAcquire('backup-export', 'fe1');
    expect(lease?.epoch).toBe(1);
    expect(await b?.leases.tryAcquire('backup-export', 'fe2')).toBeUndefined();
    expect(await c?.leases.tryAcquire('backup-export', 'fe3')).toBeUndefined();
    expect(await c?.leases.holders()).toMatchObject([{ duty: 'backup-export', holder: 'fe1', held: true }]);
  });

  it('moves the duty when the back end ends the holder’s connection, and fences the old holder', async () => {
    const { url, stores: [a, b] = [] } = await frontEnds(2);
    const lease = await a?.leases.tryAcquire('cms-master', 'fe1');
    expect(lease?.epoch).toBe(1);
    // What the back end sees when a front end is killed or its link cut: the lease's session ends.
    const ended = await asAdmin(url, async (c) => {
      const r = await c.query<{ ended: boolean }>(
        `select pg_terminate_backend(pid, 10000) as ended from pg_stat_activity
         where datname = current_database() and application_name = 'tandem lease cms-master'`,
      );
      return r.rows.map((row) => row.ended);
    });
    expect(ended).toEqual([true]);
    expect(await lease?.lost).toMatch(/lease (connection|probe)/);
    let next: Awaited<ReturnType<Store['leases']['tryAcquire']>>;
    expect(
      await eventually(async () => (next = await b?.leases.tryAcquire('cms-master', 'fe2')) !== undefined),
    ).toBe(true);
    expect(next).toMatchObject({ holder: 'fe2', epoch: 2 });
    expect(await a?.leases.isCurrent('cms-master', 1)).toBe(false);
    expect(await b?.leases.holders()).toMatchObject([{ holder: 'fe2', epoch: 2, held: true }]);
  });

  it('moves the duty when its holder’s store closes (a front end stopping)', async () => {
    const { stores: [a, b] = [] } = await frontEnds(2);
    const lease = await a?.leases.tryAcquire('pool-agent', 'fe1');
    await a?.close();
    stores.splice(stores.indexOf(a as Store), 1);
    expect(await lease?.lost).toBe('released');
    expect((await b?.leases.tryAcquire('pool-agent', 'fe2'))?.epoch).toBe(2);
  });

  it('asks on one connection of its own round after round, which becomes the lease’s when granted', async () => {
    const { url, stores: [a, b] = [] } = await frontEnds(2);
    const sessions = (name: string) =>
      asAdmin(url, async (c) =>
        Number(
          (
            await c.query<{ n: string }>(
              'select count(*) as n from pg_stat_activity where datname = current_database() and application_name = $1',
              [name],
            )
          ).rows[0]?.n,
        ),
      );
    const lease = await a?.leases.tryAcquire('backup-export', 'fe1');
    for (let round = 0; round < 3; round++)
      expect(await b?.leases.tryAcquire('backup-export', 'fe2')).toBeUndefined();
    expect(await sessions('tandem asks backup-export')).toBe(1);
    expect(await sessions('tandem lease backup-export')).toBe(1);
    await lease?.release();
    expect((await b?.leases.tryAcquire('backup-export', 'fe2'))?.epoch).toBe(2);
    // The asking session became the lease's; the released one's backend goes away on its own time.
    expect(await sessions('tandem asks backup-export')).toBe(0);
    expect(await eventually(async () => (await sessions('tandem lease backup-export')) === 1)).toBe(true);
  });
});
