/**
 * The loss of a whole Enterprise pool (kill -9 of its three front ends) and its disaster failover to a partner
 * pool of three front ends; the lost front ends come back, are fenced by the new epoch, and the pool fails back
 * with every write acknowledged since the failover.
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
const ATL_USERS = ['alice', 'carol', 'user005', 'user007'].map((u) => `sip:${u}@litwareinc.com`);

beforeAll(async () => {
  // The CMS and the Edge next hop are at Dallas, so that losing Atlanta needs only a pool failover.
  c = await Cluster.start({
    stores: 'postgres',
    frontEnds: 3,
    users: 8,
    cmsPool: 'dal',
    edgeNextHop: 'dal',
    failureDetection: 2,
  });
  peer = harnessPeer(c, c.fixture.dal.server);
  ledger = await WriteLedger.start(
    c.fixture.atl.servers.map((s) => c.clientUrl(s.fqdn)),
    ATL_USERS,
    'Test-Password-1',
    c.ca,
  );
});
afterAll(async () => {
  await ledger.close();
  peer.close();
  await c.stop();
});

describe('losing an Enterprise pool', () => {
  it('fails its users over to the partner pool, and back once its front ends return', async () => {
    ledger.run();
    expect(await ledger.waitForMore(30)).toBe(true);
    for (const s of c.fixture.atl.servers) await c.kill(s.fqdn);
    const fo = await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL} -DisasterMode`, { server: DAL });
    expect(fo.code, fo.err).toBe(0);
    expect(fo.json()[0]).toMatchObject({ Mode: 'Disaster', PoolState: 'FailedOver' });
    const servedBy = (pool: string) => ledger.writers.every((w) => w.client.servedBy() === pool);
    expect(
      await eventually(
        () => servedBy(DAL) && ledger.writers.every((w) => w.client.mode() === 'regular'),
        60_000,
      ),
    ).toBe(true);
    // Only what is written from now on is owed without exception (a disaster may lose the last changes, which
    // the failover reports): start the ledger's account afresh.
    await ledger.stop();
    ledger.acked.clear();
    ledger.run();
    expect(await ledger.waitForMore(30)).toBe(true);

    for (const s of c.fixture.atl.servers) await c.startServer(s.fqdn);
    const fb = await c.shell(`Invoke-CsPoolFailBack -PoolFqdn ${ATL}`, { server: DAL });
    expect(fb.code, fb.err).toBe(0);
    expect(fb.json()[0]).toMatchObject({ PoolState: 'Active' });
    expect(await eventually(() => servedBy(ATL), 60_000)).toBe(true);
    expect(await ledger.waitForMore(30)).toBe(true);
    await ledger.stop();
    expect(await ledger.missingAt(peer, c.fixture.atl.servers[2]?.fqdn ?? '')).toEqual([]);
  });
});
