/**
 * Fencing of a former CMS master, with and without a partition at its return; replicas catching up; the
 * refusals while the CMS cannot be written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster, eventually } from '../../src/devkit/cluster.js';
import type { TcpProxy } from '../../src/devkit/tcp-proxy.js';
import { startSplitCluster } from '../../src/devkit/split-cluster.js';
import { ATL, DAL } from '../../src/devkit/topology-fixture.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe('fencing of a former CMS master', () => {
  it.each([
    ['cut (connections refused)', (p: TcpProxy) => p.cut()],
    ['black-holed (connections hang)', (p: TcpProxy) => p.blackhole()],
  ])(
    'returning while the sites are %s: its writes never overwrite newer configuration and are kept aside',
    async (_how, lose) => {
      const split = await startSplitCluster({
        users: 4,
      });
      const { cluster: c } = split;
      cleanups.push(async () => {
        await split.stop();
      });
      split.both(lose);
      // Dallas cannot reach the master: disaster CMS failover to its standby.
      const fo = await c.shell(`Invoke-CsManagementServerFailover -BackupSqlServerFqdn ${DAL} -Force`, {
        server: DAL,
      });
      expect(fo.json()[0]).toMatchObject({ ActiveMasterFqdn: DAL, Mode: 'Disaster', Epoch: 2 });
      expect(
        (
          await c.shell(
            'Enable-CsUser -Identity "At Dallas" -SipAddress sip:dallas@litwareinc.com -RegistrarPool dal-cs-001.litwareinc.com',
            { server: DAL },
          )
        ).code,
      ).toBe(0);
      // Atlanta, cut off, still believes it is the master and takes a write of its own.
      expect(
        (
          await c.shell(
            'Enable-CsUser -Identity "At Atlanta" -SipAddress sip:atlanta@litwareinc.com -RegistrarPool atl-cs-001.litwareinc.com',
            { server: ATL },
          )
        ).code,
      ).toBe(0);

      split.both((p) => p.heal());
      // Atlanta learns it was replaced, sets its write aside, and follows Dallas.
      const converged = await eventually(async () => {
        const r = await c.shell('Get-CsUser -Identity sip:dallas@litwareinc.com', { server: ATL });
        return r.code === 0;
      }, 15_000);
      expect(converged).toBe(true);
      expect(
        (await c.shell('Get-CsUser -Identity sip:atlanta@litwareinc.com', { server: DAL })).err,
      ).toContain('USER_NOT_FOUND');
      expect(
        (await c.shell('Get-CsUser -Identity sip:atlanta@litwareinc.com', { server: ATL })).err,
      ).toContain('USER_NOT_FOUND');
      const kept = await c.shell(`Get-CsManagementStoreDivergentChange -PoolFqdn ${ATL}`, { server: DAL });
      expect(kept.json().map((d) => d.Key)).toContain('user:sip:atlanta@litwareinc.com');
      // Atlanta's own master agent learns it was replaced from the first push a Dallas copy refuses: after the
      // heal, its connections that hung through the black hole time out first, so this may come a moment later
      // than the new master's data reaching Atlanta's replica.
      const followsDallas = async () => {
        const status = await c.shell('Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus', {
          server: ATL,
        });
        const s = status.json()[0];
        return s?.ActiveMasterFqdn === DAL && s.MasterEpoch === 2;
      };
      expect(await eventually(followsDallas, 15_000)).toBe(true);
    },
  );

  it('returning after a kill -9 with the network up: it is fenced at once', async () => {
    const c = await Cluster.start({ users: 4 });
    cleanups.push(() => c.stop());
    await c.kill(ATL, 'SIGKILL');
    expect(
      (
        await c.shell(
          `Invoke-CsManagementServerFailover -MirrorSqlServerFqdn ${DAL} -MirrorSqlInstanceName rtc`,
          { server: DAL },
        )
      ).code,
    ).toBe(0);
    await c.startServer(ATL);
    expect(
      await eventually(
        async () =>
          (
            await c.shell('Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus', {
              server: ATL,
            })
          ).json()[0]?.ActiveMasterFqdn === DAL,
        10_000,
      ),
    ).toBe(true);
    // A change made at Atlanta now goes to the new master.
    expect(
      (
        await c.shell(
          'Enable-CsUser -Identity "Later" -SipAddress sip:later@litwareinc.com -RegistrarPool atl-cs-001.litwareinc.com',
          { server: ATL },
        )
      ).code,
    ).toBe(0);
    expect((await c.shell('Get-CsUser -Identity sip:later@litwareinc.com', { server: DAL })).code).toBe(0);
  });
});

describe('replicas', () => {
  it('catch up when their server returns', async () => {
    const c = await Cluster.start({ users: 4 });
    cleanups.push(() => c.stop());
    await c.kill(DAL, 'SIGKILL');
    expect(
      (
        await c.shell(
          'Enable-CsUser -Identity "While Away" -SipAddress sip:away@litwareinc.com -RegistrarPool atl-cs-001.litwareinc.com',
        )
      ).code,
    ).toBe(0);
    const stale = await c.shell('Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus');
    expect(stale.json()[0]).toMatchObject({ InactiveReplicas: [c.serverOf(DAL)] });
    await c.startServer(DAL);
    expect((await c.shell('Get-CsUser -Identity sip:away@litwareinc.com', { server: DAL })).code).toBe(0);
    const r = await c.shell(`Get-CsManagementStoreReplicationStatus -ReplicaFqdn ${c.serverOf(DAL)}`);
    expect(r.json()[0]).toMatchObject({ ReplicaFqdn: c.serverOf(DAL), UpToDate: true });
  });
});

describe('while the CMS master is down', () => {
  it('refuses configuration, user changes and pool failovers, pointing to CMS failover, and keeps serving reads', async () => {
    const c = await Cluster.start({ users: 4, edgeNextHop: 'dal' });
    cleanups.push(() => c.stop());
    await c.kill(ATL, 'SIGKILL');
    for (const line of [
      'Enable-CsUser -Identity "X" -SipAddress sip:x@litwareinc.com -RegistrarPool dal-cs-001.litwareinc.com',
      'Set-CsBackupServiceConfiguration -SyncInterval 00:01:00',
      `Invoke-CsPoolFailOver -PoolFqdn ${ATL} -DisasterMode`,
      'New-CsAdminCredential -Identity ops -Role CsViewOnlyAdministrator',
    ]) {
      const r = await c.shell(line, { server: DAL });
      expect(r.err, line).toContain('CMS_UNAVAILABLE');
      expect(r.err, line).toContain('Invoke-CsManagementServerFailover');
    }
    expect((await c.shell('Get-CsUser -Identity sip:bob@litwareinc.com', { server: DAL })).code).toBe(0);
    expect((await c.shell('Get-CsTopology', { server: DAL })).code).toBe(0);
    // The planned form cannot drain a silent master: losing changes takes the disaster form, named.
    const planned = await c.shell('Invoke-CsManagementServerFailover', { server: DAL });
    expect(planned.err).toContain('CMS_MASTER_SILENT');
    expect(planned.err).toContain(`-BackupSqlServerFqdn ${DAL} -Force`);
    const status = await c.shell('Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus', {
      server: DAL,
    });
    expect(status.json()[0]).toMatchObject({ ActiveMasterFqdn: '' });
  });
});
