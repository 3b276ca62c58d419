/**
 * The Backup Service under real failures: kill -9 of either pool in the middle of a stream, a link cut by a
 * TCP proxy, an apply failure at the backup pool. Nothing is lost, nothing is applied twice, and the status
 * cmdlet says what is happening.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { onStore } from '../support/store-sql.js';
import { Cluster, eventually, harnessPeer } from '../../src/devkit/cluster.js';
import { startSplitCluster } from '../../src/devkit/split-cluster.js';
import { ATL, DAL } from '../../src/devkit/topology-fixture.js';
import type { PeerClient } from '../../src/s2s/peer-client.js';
import type { PoolBackupView } from '../../src/backup-service/backup-service.js';
import { BackupContracts } from '../../src/s2s/backup-links.js';
import { UserDataContracts } from '../../src/s2s/user-data-links.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function cluster(
  opts: Parameters<typeof Cluster.start>[0] = {},
): Promise<{ c: Cluster; peer: PeerClient }> {
  const c = await Cluster.start({ users: 6, ...opts });
  const peer = harnessPeer(c);
  cleanups.push(async () => {
    peer.close();
    await c.stop();
  });
  return { c, peer };
}

/** Writes `n` settings for `owner` at a pool in one transaction: a backlog of n changes. */
async function bulkWrite(
  peer: PeerClient,
  server: string,
  owner: string,
  n: number,
  tag: string,
): Promise<void> {
  const items = Array.from({ length: n }, (_, i) => ({
    kind: 'setting',
    key: `${tag}-${i}`,
    value: JSON.stringify(`${tag} ${i}`),
  }));
  await peer.call(server, UserDataContracts.import, { owner, items }, { timeoutMs: 60_000 });
}

const view = (peer: PeerClient, server: string) => peer.call(server, BackupContracts.status, {});

async function expectConverged(c: Cluster, peer: PeerClient, changes: number): Promise<void> {
  const ok = await eventually(async () => {
    const v = await view(peer, DAL).catch(() => undefined);
    return v?.inbound !== undefined && v.inbound.cursor >= v.inbound.sourceHead && v.inbound.sourceHead > 0;
  }, 60_000);
  expect(ok).toBe(true);
  const v = await view(peer, DAL);
  // Exactly once: every change applied, none twice (the counter is committed with each page).
  expect(v.inbound?.appliedTotal).toBe(v.inbound?.cursor);
  expect(v.inbound?.cursor).toBeGreaterThanOrEqual(changes);
  const verify = await c.shell(`Test-CsBackupServiceData -PoolFqdn ${ATL}`);
  expect(verify.json()[0]).toMatchObject({ Result: 'Consistent' });
}

describe('kill -9 in the middle of a stream', () => {
  it('of the importing (backup) pool: resumes from its durable cursor', async () => {
    const { c, peer } = await cluster();
    await c.kill(DAL, 'SIGKILL');
    await bulkWrite(peer, ATL, 'sip:alice@litwareinc.com', 120_000, 'imp');
    await c.startServer(DAL, false);
    // Kill it as soon as the first page is applied, while the rest of the backlog is still to come.
    let seen: PoolBackupView['inbound'];
    const started = await eventually(
      async () => {
        seen = (await view(peer, DAL).catch(() => undefined))?.inbound;
        return (seen?.cursor ?? 0) > 0;
      },
      20_000,
      2,
    );
    expect(started).toBe(true);
    await c.kill(DAL, 'SIGKILL');
    expect(seen?.cursor).toBeLessThan(seen?.sourceHead ?? 0);
    await c.startServer(DAL);
    await expectConverged(c, peer, 120_000);
  });

  it('of the exporting (home) pool: the stream continues after it returns', async () => {
    const { c, peer } = await cluster();
    await c.kill(DAL, 'SIGKILL');
    await bulkWrite(peer, ATL, 'sip:carol@litwareinc.com', 120_000, 'exp');
    await c.startServer(DAL, false);
    await eventually(
      async () => ((await view(peer, DAL).catch(() => undefined))?.inbound?.cursor ?? 0) > 0,
      20_000,
      2,
    );
    await c.kill(ATL, 'SIGKILL');
    const stuck = (await view(peer, DAL)).inbound;
    expect(stuck?.cursor).toBeLessThan(stuck?.sourceHead ?? 0);
    await c.startServer(ATL);
    await expectConverged(c, peer, 120_000);
  });
});

describe('a link cut between the sites', () => {
  it('shows NonSteadyState while cut, SteadyState after it heals, and loses nothing', async () => {
    const split = await startSplitCluster({
      users: 6,
    });
    const { cluster: c, toAtl, toDal } = split;
    const peer = harnessPeer(c);
    cleanups.push(async () => {
      peer.close();
      await split.stop();
    });
    const status = async () =>
      (await c.shell(`Get-CsBackupServiceStatus -PoolFqdn ${ATL} -Category UserData`)).json()[0] ?? {};
    expect(await eventually(async () => (await status()).ExportStatus === 'SteadyState', 10_000)).toBe(true);

    toAtl.cut();
    toDal.cut();
    await bulkWrite(peer, ATL, 'sip:alice@litwareinc.com', 500, 'cut');
    expect(
      await eventually(async () => (await status()).ExportStatus === 'NonSteadyState', 15_000, 250),
    ).toBe(true);
    const during = await status();
    expect(during.ExportBacklogChanges).toBeGreaterThanOrEqual(500);
    expect(during.ExposureChanges).toBeGreaterThanOrEqual(500);
    expect(Number(during.ExposureSeconds)).toBeGreaterThan(0);

    toAtl.heal();
    toDal.heal();
    expect(await eventually(async () => (await status()).ExportStatus === 'SteadyState', 20_000, 250)).toBe(
      true,
    );
    expect((await status()).ExportBacklogChanges).toBe(0);
    await expectConverged(c, peer, 500);
  });
});

describe('status values', () => {
  it('NotInitialized before the backup pool ever pulled', async () => {
    const { c } = await cluster({ start: ['atl'] });
    const s = await c.shell(`Get-CsBackupServiceStatus -PoolFqdn ${ATL} -Category UserData`);
    expect(s.json()[0]).toMatchObject({
      Module: 'UserServices.PresenceFocus',
      ExportStatus: 'NotInitialized',
    });
  });

  it('ErrorState when the backup pool cannot apply a change, NormalState again once it can', async () => {
    const { c, peer } = await cluster();
    await onStore(c, 'dal', {
      sqlite: `create trigger fail_carol before insert on user_item when new.owner = 'sip:carol@litwareinc.com'
               begin select raise(abort, 'injected disk failure'); end`,
      postgres: `create function fail_carol() returns trigger language plpgsql as $$ begin
                   if new.owner = 'sip:carol@litwareinc.com' then raise exception 'injected disk failure'; end if;
                   return new; end $$;
                 create trigger fail_carol before insert on user_item for each row execute function fail_carol()`,
    });
    await bulkWrite(peer, ATL, 'sip:carol@litwareinc.com', 3, 'err');
    const status = async (pool: string) =>
      (await c.shell(`Get-CsBackupServiceStatus -PoolFqdn ${pool} -Category UserData`)).json();
    expect(
      await eventually(async () => (await status(ATL))[0]?.ExportStatus === 'ErrorState', 10_000, 200),
    ).toBe(true);
    expect((await status(DAL))[0]).toMatchObject({ ImportStatus: 'ErrorState' });
    await onStore(c, 'dal', {
      sqlite: 'drop trigger fail_carol',
      postgres: 'drop trigger fail_carol on user_item; drop function fail_carol()',
    });
    expect(
      await eventually(async () => (await status(ATL))[0]?.ExportStatus === 'SteadyState', 15_000, 200),
    ).toBe(true);
    expect((await status(DAL))[0]).toMatchObject({ ImportStatus: 'NormalState' });
    await expectConverged(c, peer, 3);
  });
});
