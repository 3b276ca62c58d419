/**
 * Planned pool failover and failback between two Enterprise pools of three front ends each, under a write load
 * spread over every front end of the home pool: every acknowledged write is at the backup pool after failover
 * and at the home pool after failback, as between Standard pools.
 * PostgreSQL only (it is not in the per-backend integration matrix): a Standard pool (SQLite) has one server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, eventually, harnessPeer } from '../../src/devkit/cluster.js';
import { WriteLedger } from '../../src/devkit/write-ledger.js';
import { ATL, DAL } from '../../src/devkit/topology-fixture.js';
import type { PeerClient } from '../../src/s2s/peer-client.js';

let c: Cluster;
let peer: PeerClient;
let ledger: WriteLedger;
const ATL_USERS = ['alice', 'carol', 'user005', 'user007', 'user009', 'user011'].map(
  (u) => `sip:${u}@litwareinc.com`,
);

beforeAll(async () => {
  c = await Cluster.start({ stores: 'postgres', frontEnds: 3, users: 12, edgeNextHop: 'dal' });
  peer = harnessPeer(c);
  // Two writers at each front end of Atlanta.
  const parts = await Promise.all(
    c.fixture.atl.servers.map((s, i) =>
      WriteLedger.start([c.clientUrl(s.fqdn)], ATL_USERS.slice(2 * i, 2 * i + 2), 'Test-Password-1', c.ca),
    ),
  );
  ledger = new WriteLedger(parts.flatMap((p) => p.writers));
});
afterAll(async () => {
  await ledger.close();
  peer.close();
  await c.stop();
});

describe('planned failover and failback between Enterprise pools', () => {
  it('loses no acknowledged write, in either direction', async () => {
    ledger.run();
    expect(await ledger.waitForMore(40)).toBe(true);
    const fo = await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL} -FlushStorageService`);
    expect(fo.code, fo.err).toBe(0);
    expect(fo.json()[0]).toMatchObject({ Mode: 'Planned', PoolState: 'FailedOver', PossiblyLostChanges: 0 });
    const servedBy = (pool: string) => ledger.writers.every((w) => w.client.servedBy() === pool);
    expect(await eventually(() => servedBy(DAL), 30_000)).toBe(true);
    expect(await ledger.waitForMore(30)).toBe(true);
    expect(await ledger.missingAt(peer, DAL)).toEqual([]);

    const fb = await c.shell(`Invoke-CsPoolFailBack -PoolFqdn ${ATL}`);
    expect(fb.code, fb.err).toBe(0);
    expect(fb.json()[0]).toMatchObject({ PoolState: 'Active', UsersWithDivergentChanges: [] });
    expect(await eventually(() => servedBy(ATL), 30_000)).toBe(true);
    expect(await ledger.waitForMore(30)).toBe(true);
    await ledger.stop();
    expect(await ledger.missingAt(peer, ATL)).toEqual([]);
    await c.shell(`Invoke-CsBackupServiceSync -PoolFqdn ${ATL}`);
    expect(await ledger.missingAt(peer, DAL)).toEqual([]);
  });
});
