/**
 * Lync's procedure for failing over a pool after a disaster ("Failing over a pool in Lync Server 2013"), run step by step as written against the
 * demo topology (Atlanta and Dallas). Atlanta is the lost pool. The CMS steps join this test with the CMS
 * failover: here the CMS is hosted by Dallas, the surviving site, so that the pool steps can run now.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TandemClient } from '../../src/client-sdk/index.js';
import { Cluster, eventually } from '../../src/devkit/cluster.js';
import { ATL, DAL, EDGE } from '../../src/devkit/topology-fixture.js';

let c: Cluster;
let alice: TandemClient;
beforeAll(async () => {
  c = await Cluster.start({ users: 8, cmsPool: 'dal' });
  alice = new TandemClient({
    urls: [`wss://${c.fixture.atl.address}/v1/client`],
    ca: c.ca,
    user: 'sip:alice@litwareinc.com',
    password: 'Test-Password-1',
    reconnect: { initialDelayMs: 100, maxDelayMs: 500 },
  });
  await alice.connect();
  await alice.setSetting('saved', 'before the disaster');
});
afterAll(async () => {
  await alice.close();
  await c.stop();
});

const run = (line: string) => c.shell(line, { server: DAL });

describe("Lync's pool failover procedure: failing over a pool after a disaster", () => {
  it('runs the procedure, and the users of the lost pool work at the backup pool', async () => {
    await c.shell(`Invoke-CsBackupServiceSync -PoolFqdn ${ATL}`);
    // Datacenter1 with Pool1 (Atlanta) is lost.
    await c.kill(ATL, 'SIGKILL');

    // Before: is the failed pool the Edge pool's next hop? Then point the Edge pool elsewhere.
    const edge = await run('Get-CsEdgeServer');
    expect(edge.json()[0]).toMatchObject({ Identity: `EdgeServer:${EDGE}`, Registrar: `Registrar:${ATL}` });
    const refused = await run(`Invoke-CsPoolFailover -PoolFQDN ${ATL} -DisasterMode -Verbose`);
    expect(refused.err).toContain(
      `This Front-end pool "${ATL}" is specified in topology as the next hop for the Edge server`,
    );
    expect(
      (await run(`Set-CsEdgeServer -Identity EdgeServer:${EDGE} -Registrar Registrar:${DAL}`)).code,
    ).toBe(0);

    // Step 1 (CMS failover -WhatIf) arrives with the CMS failover.
    // Step 2: the backup pool of the CMS pool.
    const rel = await run(`Get-CsPoolBackupRelationship -PoolFQDN ${DAL}`);
    expect(rel.json()[0]).toMatchObject({ BackupPoolFqdn: ATL });
    // Step 3: the CMS status; the master (Dallas) is available, so no CMS failover is needed (steps 4-6).
    const cms = await run('Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus');
    expect(cms.json()[0]).toMatchObject({
      ActiveMasterFqdn: DAL,
      ActiveFileTransferAgents: [c.serverOf(DAL)],
    });
    // Step 7: fail the pool over.
    const fo = await run(`Invoke-CsPoolFailover -PoolFQDN ${ATL} -DisasterMode -Verbose`);
    expect(fo.code).toBe(0);
    expect(fo.err).toMatch(/VERBOSE: .*FailedOver/);
    expect(fo.json()[0]).toMatchObject({ PoolFqdn: ATL, Mode: 'Disaster', PoolState: 'FailedOver' });

    // Alice works at Dallas, in regular mode, with what she saved.
    expect(
      await eventually(
        () => alice.servedBy() === DAL && alice.state() === 'signed-in' && alice.mode() === 'regular',
        15_000,
      ),
    ).toBe(true);
    expect((await alice.getSettings()).settings.saved).toBe('before the disaster');
    await alice.addContact('sip:bob@litwareinc.com');
    const info = await run('Get-CsUserPoolInfo -Identity sip:alice@litwareinc.com');
    expect(info.json()[0]).toMatchObject({ PrimaryPoolFqdn: ATL, UserServicesPoolFqdn: DAL });
  });
});
