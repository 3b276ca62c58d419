/**
 * CMS failover: planned with nothing lost, and the disaster procedure of Lync's "Failing over a pool in Lync Server 2013" step by step against the demo
 * topology — then the former master returns, is fenced, and its pool is failed back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TandemClient } from '../../src/client-sdk/index.js';
import { Cluster, eventually } from '../../src/devkit/cluster.js';
import { ATL, DAL, EDGE } from '../../src/devkit/topology-fixture.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});
async function cluster(opts: Parameters<typeof Cluster.start>[0] = {}): Promise<Cluster> {
  const c = await Cluster.start({ users: 8, ...opts });
  cleanups.push(() => c.stop());
  return c;
}

describe('planned CMS failover', () => {
  it('moves the master to the standby and back, losing nothing', async () => {
    const c = await cluster();
    const plan = await c.shell('Invoke-CsManagementServerFailover -WhatIf');
    expect(plan.json()[0]).toMatchObject({
      CentralManagementStorePool: ATL,
      MasterAnswers: true,
      StandbyPool: DAL,
    });
    // A "SQL server" that does not hold the standby copy is named in the refusal, with the right one.
    const wrong = await c.shell(
      'Invoke-CsManagementServerFailover -BackupSqlServerFqdn sql9.litwareinc.com -Force',
    );
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toContain('sql9.litwareinc.com does not hold the CMS standby');
    expect(wrong.err).toContain(`-BackupSqlServerFqdn ${DAL}`);
    expect(
      (
        await c.shell(
          'Enable-CsUser -Identity "Before Move" -SipAddress sip:before@litwareinc.com -RegistrarPool atl-cs-001.litwareinc.com',
        )
      ).code,
    ).toBe(0);

    const r = await c.shell('Invoke-CsManagementServerFailover -Verbose');
    expect(r.json()[0]).toMatchObject({
      PreviousMasterPool: ATL,
      ActiveMasterFqdn: DAL,
      Mode: 'Planned',
      Epoch: 2,
      PossiblyLostVersions: 0,
    });
    // The command returns once every copy names the new master: the former master's server too, at once
    // (the drill found it answering "no master" for a moment).
    const status = async (server: string) =>
      (
        await c.shell('Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus', { server })
      ).json()[0];
    expect((await status(ATL))?.ActiveMasterFqdn).toBe(DAL);
    expect(await status(DAL)).toMatchObject({
      ActiveMasterFqdn: DAL,
      ActiveFileTransferAgents: [c.serverOf(DAL)],
      StandbyCopies: [c.serverOf(ATL)],
      MasterEpoch: 2,
    });
    expect(
      await eventually(
        async () =>
          (await c.shell('Get-CsManagementStoreReplicationStatus')).json().every((x) => x.UpToDate === true),
        5_000,
      ),
    ).toBe(true);
    // The new master takes writes; the old one's copy follows as the standby.
    expect(
      (
        await c.shell(
          'Enable-CsUser -Identity "After Move" -SipAddress sip:after@litwareinc.com -RegistrarPool dal-cs-001.litwareinc.com',
          { server: ATL },
        )
      ).code,
    ).toBe(0);
    expect((await c.shell('Get-CsUser -Identity sip:before@litwareinc.com', { server: DAL })).code).toBe(0);
    // The status follows the standby's reports, which reach the new master shortly after the move.
    const cmsStatus = async () =>
      (await c.shell(`Get-CsBackupServiceStatus -PoolFqdn ${DAL} -Category CMS`)).json()[0];
    const steady = { Module: 'CentralMgmt.CMSMaster', ExportStatus: 'SteadyState', BackupPoolFqdn: ATL };
    await eventually(async () => {
      const r = await cmsStatus();
      return Object.entries(steady).every(([k, v]) => r?.[k] === v);
    }, 10_000);
    expect(await cmsStatus()).toMatchObject(steady);

    const back = await c.shell('Invoke-CsManagementServerFailover');
    expect(back.json()[0]).toMatchObject({ ActiveMasterFqdn: ATL, Epoch: 3 });
    expect((await c.shell('Get-CsUser -Identity sip:after@litwareinc.com', { server: ATL })).code).toBe(0);
  });
});

describe("Lync's pool failover procedure, disaster case, against the demo topology", () => {
  it('fails the CMS over, then the pool; the users of Atlanta work on Dallas; Atlanta returns, is fenced and failed back', async () => {
    const c = await cluster();
    const alice = new TandemClient({
      urls: [`wss://${c.fixture.atl.address}/v1/client`],
      ca: c.ca,
      user: 'sip:alice@litwareinc.com',
      password: 'Test-Password-1',
      reconnect: { initialDelayMs: 100, maxDelayMs: 500 },
    });
    cleanups.push(() => alice.close());
    await alice.connect();
    await alice.setSetting('kept', 'yes');
    await c.shell(`Invoke-CsBackupServiceSync -PoolFqdn ${ATL}`);
    const run = (line: string) => c.shell(line, { server: DAL });

    // 1. Atlanta, which hosts the CMS, is lost.
    await c.kill(ATL, 'SIGKILL');
    // 2. The Edge next hop: Atlanta's Edge pool uses the lost pool (it is changed once the CMS can be written).
    expect((await run('Get-CsEdgeServer')).json()[0]).toMatchObject({ Registrar: `Registrar:${ATL}` });
    // 3. Which pool hosts the CMS.
    expect((await run('Invoke-CsManagementServerFailover -Whatif')).json()[0]).toMatchObject({
      CentralManagementStorePool: ATL,
      MasterAnswers: false,
      StandbyPool: DAL,
    });
    // 4. Its backup pool.
    expect((await run(`Get-CsPoolBackupRelationship -PoolFQDN ${ATL}`)).json()[0]).toMatchObject({
      BackupPoolFqdn: DAL,
    });
    // 5. The CMS status: both fields empty, so the CMS must be failed over.
    const down = await run('Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus');
    expect(down.json()[0]).toMatchObject({ ActiveMasterFqdn: '', ActiveFileTransferAgents: '' });
    // Step 5 of Lync's pool failover procedure: which back end holds the primary instance at the backup pool, then the failover.
    expect(
      (await run(`Get-CsDatabaseMirrorState -DatabaseType Centralmgmt -PoolFqdn ${DAL}`)).json()[0],
    ).toMatchObject({ StateOnPrimary: 'Principal' });
    const fo = await run(
      `Invoke-CSManagementServerFailover -BackupSQLServerFqdn ${DAL} -BackupSQLInstanceName rtc`,
    );
    expect(fo.json()[0]).toMatchObject({ ActiveMasterFqdn: DAL, Mode: 'Disaster' });
    // 6. The CMS is at Dallas.
    const up = await run('Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus');
    expect(up.json()[0]).toMatchObject({
      ActiveMasterFqdn: DAL,
      ActiveFileTransferAgents: [c.serverOf(DAL)],
    });
    // 7. Every replica is up to date. The new master lists a replica once it has heard from it (its next
    // heartbeat), so the administrator runs the status again until each is listed and current.
    const allCurrent = async () => {
      const rows = (await run('Get-CsManagementStoreReplicationStatus')).json();
      return rows.length > 0 && rows.every((x) => x.UpToDate === true);
    };
    expect(await eventually(allCurrent, 60_000)).toBe(true);
    // The Edge pool's next hop can now be changed, and the pool failed over.
    expect(
      (await run(`Set-CsEdgeServer -Identity EdgeServer:${EDGE} -Registrar Registrar:${DAL}`)).code,
    ).toBe(0);
    // 8. The pool failover.
    const pool = await run(`Invoke-CsPoolFailover -PoolFQDN ${ATL} -DisasterMode -Verbose`);
    expect(pool.json()[0]).toMatchObject({ PoolState: 'FailedOver' });
    // 9. The users of Atlanta work on Dallas.
    expect(
      await eventually(
        () => alice.servedBy() === DAL && alice.state() === 'signed-in' && alice.mode() === 'regular',
        15_000,
      ),
    ).toBe(true);
    expect((await alice.getSettings()).settings.kept).toBe('yes');
    await alice.setSetting('at-dallas', 'yes');

    // Atlanta returns: its former master learns it was replaced and becomes the standby; it serves nobody.
    await c.startServer(ATL);
    const fenced = await eventually(async () => {
      const s = await run('Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus');
      const r = s.json()[0] ?? {};
      return (
        r.ActiveMasterFqdn === DAL &&
        Array.isArray(r.StandbyCopies) &&
        r.ActiveReplicas instanceof Array &&
        (r.ActiveReplicas as string[]).includes(c.serverOf(ATL))
      );
    }, 15_000);
    expect(fenced).toBe(true);
    expect(
      (
        await c.shell('Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus', { server: ATL })
      ).json()[0],
    ).toMatchObject({ ActiveMasterFqdn: DAL });
    expect(alice.servedBy()).toBe(DAL);
    const fb = await run(`Invoke-CsPoolFailBack -PoolFqdn ${ATL}`);
    expect(fb.json()[0]).toMatchObject({ PoolState: 'Active' });
    expect(
      await eventually(
        () => alice.servedBy() === ATL && alice.state() === 'signed-in' && alice.mode() === 'regular',
        15_000,
      ),
    ).toBe(true);
    expect((await alice.getSettings()).settings).toMatchObject({ kept: 'yes', 'at-dallas': 'yes' });
  });
});
