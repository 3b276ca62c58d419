/**
 * Planned failover and failback under a continuous write load: every write a server acknowledged is present
 * at the backup pool after failover, and at the home pool after failback. Users are never rehomed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, eventually, harnessPeer } from '../../src/devkit/cluster.js';
import { WriteLedger } from '../../src/devkit/write-ledger.js';
import { ATL, DAL } from '../../src/devkit/topology-fixture.js';
import type { PeerClient } from '../../src/s2s/peer-client.js';

let c: Cluster;
let peer: PeerClient;
let ledger: WriteLedger;

beforeAll(async () => {
  c = await Cluster.start({ users: 12, edgeNextHop: 'dal' });
  peer = harnessPeer(c);
  const atlUsers = [
    'sip:alice@litwareinc.com',
    'sip:carol@litwareinc.com',
    'sip:user005@litwareinc.com',
    'sip:user007@litwareinc.com',
  ];
  ledger = await WriteLedger.start(
    [`wss://${c.fixture.atl.address}/v1/client`],
    atlUsers,
    'Test-Password-1',
    c.ca,
  );
});
afterAll(async () => {
  await ledger.close();
  peer.close();
  await c.stop();
});

describe('planned failover and failback under load', () => {
  it('loses no acknowledged write, in either direction', async () => {
    ledger.run();
    // Each phase waits for writes of its own rather than for a time, so a slow machine writes as much as a fast one.
    const moreWrites = async (n: number) => {
      const mark = ledger.count();
      expect(await eventually(() => ledger.count() >= mark + n, 20_000)).toBe(true);
    };
    await moreWrites(40);
    const fo = await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL} -FlushStorageService -Verbose`);
    expect(fo.err).toContain('VERBOSE:');
    expect(fo.json()[0]).toMatchObject({
      Mode: 'Planned',
      PoolState: 'FailedOver',
      PossiblyLostChanges: 0,
      VerifiedUsers: 6,
    });
    const state = await c.shell(`Get-CsRegistrarConfiguration -Identity service:Registrar:${ATL}`);
    expect(state.json()[0]).toMatchObject({ PoolState: 'FailedOver', ServedByPool: DAL });
    // the writers were moved to Dallas by the failover and keep writing there
    const servedBy = (pool: string) => ledger.writers.every((w) => w.client.servedBy() === pool);
    expect(await eventually(() => servedBy(DAL), 20_000)).toBe(true);
    await moreWrites(30);
    const info = await c.shell('Get-CsUserPoolInfo -Identity sip:alice@litwareinc.com');
    expect(info.json()[0]).toMatchObject({
      PrimaryPoolFqdn: ATL,
      UserServicesPoolFqdn: DAL,
      PoolState: 'FailedOver',
    });
    expect(await ledger.missingAt(peer, DAL)).toEqual([]);

    const fb = await c.shell(`Invoke-CsPoolFailBack -PoolFqdn ${ATL} -Verbose`);
    expect(fb.json()[0]).toMatchObject({ PoolState: 'Active', UsersWithDivergentChanges: [] });
    expect(await eventually(() => servedBy(ATL), 20_000)).toBe(true);
    await moreWrites(30);
    await ledger.stop();
    const acked = ledger.count();
    expect(acked).toBeGreaterThanOrEqual(100);
    expect(await ledger.missingAt(peer, ATL)).toEqual([]);
    // and the copy at the backup pool caught up again too
    await c.shell(`Invoke-CsBackupServiceSync -PoolFqdn ${ATL}`);
    expect(await ledger.missingAt(peer, DAL)).toEqual([]);
    const user = await c.shell('Get-CsUser -Identity sip:alice@litwareinc.com');
    expect(user.json()[0]).toMatchObject({ RegistrarPool: ATL });
  });
});
