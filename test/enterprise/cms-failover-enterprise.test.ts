/**
 * CMS failover between Enterprise pools of three front ends while the first front end of each pool is down: the
 * master keeps the standby copy current through the backup pool's other front ends, and a planned CMS failover
 * reaches whichever front end holds each pool's cms-master duty, there and back, losing nothing.
 * PostgreSQL only (it is not in the per-backend integration matrix): a Standard pool (SQLite) has one server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, eventually } from '../../src/devkit/cluster.js';
import { ATL, DAL } from '../../src/devkit/topology-fixture.js';

let c: Cluster;
/** A front end of each pool that stays up: the shell talks to it. */
let atl2: string;
let dal2: string;

beforeAll(async () => {
  c = await Cluster.start({ stores: 'postgres', frontEnds: 3, users: 4 });
  atl2 = c.fixture.atl.servers[1]?.fqdn ?? '';
  dal2 = c.fixture.dal.servers[1]?.fqdn ?? '';
});
afterAll(async () => {
  await c.stop();
});

const shellAt = async (server: string, line: string) => {
  const r = await c.shell(line, { server });
  expect(r.code, `${line}: ${r.err}`).toBe(0);
  return r;
};

describe('CMS failover between Enterprise pools', () => {
  it('keeps the standby current and moves the master there and back with the first front ends down', async () => {
    // The first front end of each pool started first and holds its pool's duties: both go.
    await c.kill(c.fixture.atl.server);
    await c.kill(c.fixture.dal.server);
    // Another front end of each pool takes the cms-master duty within a round or two.
    const agentMoved = async (pool: string, server: string, killed: string) => {
      const rows = (await c.shell(`Get-CsPoolFabricState -PoolFqdn ${pool}`, { server })).json<
        { Duty?: string; Holder?: string }[]
      >();
      const holder = rows.find((x) => x.Duty === 'cms-master')?.Holder ?? '';
      return holder !== '' && !holder.startsWith('(') && holder !== killed;
    };
    expect(await eventually(() => agentMoved(ATL, atl2, c.fixture.atl.server))).toBe(true);
    expect(await eventually(() => agentMoved(DAL, dal2, c.fixture.dal.server))).toBe(true);
    await shellAt(
      atl2,
      'Enable-CsUser -Identity "Before Move" -SipAddress sip:before@litwareinc.com -RegistrarPool atl-cs-001.litwareinc.com',
    );
    const r = await shellAt(dal2, 'Invoke-CsManagementServerFailover');
    expect(r.json()[0]).toMatchObject({
      PreviousMasterPool: ATL,
      ActiveMasterFqdn: DAL,
      Mode: 'Planned',
      PossiblyLostVersions: 0,
    });
    const status = (
      await shellAt(dal2, 'Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus')
    ).json()[0];
    expect(status).toMatchObject({ ActiveMasterFqdn: DAL });
    expect(c.fixture.dal.servers.slice(1).map((s) => s.fqdn)).toContain(
      (status?.ActiveFileTransferAgents as string[] | undefined)?.[0],
    );
    // The user created before the move is there, and the new master takes writes.
    expect((await shellAt(dal2, 'Get-CsUser -Identity sip:before@litwareinc.com')).json()).toHaveLength(1);
    await shellAt(
      atl2,
      'Enable-CsUser -Identity "After Move" -SipAddress sip:after@litwareinc.com -RegistrarPool dal-cs-001.litwareinc.com',
    );
    // And back to Atlanta: the standby copy there followed through Atlanta's surviving front ends.
    const back = await shellAt(atl2, 'Invoke-CsManagementServerFailover');
    expect(back.json()[0]).toMatchObject({ ActiveMasterFqdn: ATL, PossiblyLostVersions: 0 });
    expect((await shellAt(atl2, 'Get-CsUser -Identity sip:after@litwareinc.com')).json()).toHaveLength(1);
    const current = async () => {
      const rows = (await c.shell('Get-CsManagementStoreReplicationStatus', { server: atl2 })).json();
      const live = rows.filter(
        (x) => x.ReplicaFqdn !== c.fixture.atl.server && x.ReplicaFqdn !== c.fixture.dal.server,
      );
      return live.length >= 4 && live.every((x) => x.UpToDate === true);
    };
    expect(await eventually(current, 60_000)).toBe(true);
  });
});
