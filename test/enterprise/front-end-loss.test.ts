/**
 * Losing the front end of an Enterprise pool that serves every user and holds every duty (kill -9), under a write
 * load checked by the write ledger: its users reconnect to the pool's other front ends and write on, another
 * front end takes the duties, no acknowledged write is lost at the pool or at its backup pool.
 * PostgreSQL only (it is not in the per-backend integration matrix): a Standard pool (SQLite) has one server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, eventually, harnessPeer } from '../../src/devkit/cluster.js';
import { WriteLedger } from '../../src/devkit/write-ledger.js';
import { ConnectionState } from '../../src/client-sdk/connection-state.js';
import { ATL } from '../../src/devkit/topology-fixture.js';
import type { PeerClient } from '../../src/s2s/peer-client.js';
import { poolFabric, type FabricRecord } from '../support/pool-fabric.js';

let c: Cluster;
let peer: PeerClient;
let ledger: WriteLedger;
const ATL_USERS = ['alice', 'carol', 'user005', 'user007', 'user009', 'user011'].map(
  (u) => `sip:${u}@litwareinc.com`,
);

beforeAll(async () => {
  // The first front end starts first, so it takes every duty; every writer signs in there.
  c = await Cluster.start({ stores: 'postgres', frontEnds: 3, users: 12 });
  peer = harnessPeer(c, c.fixture.dal.server);
  ledger = await WriteLedger.start([c.clientUrl(c.fixture.atl.server)], ATL_USERS, 'Test-Password-1', c.ca);
});
afterAll(async () => {
  await ledger.close();
  peer.close();
  await c.stop();
});

const fabric = (): Promise<FabricRecord[]> => poolFabric(c, ATL, c.fixture.dal.server);

describe('losing a front end of an Enterprise pool', () => {
  it('brings its users back at the other front ends and hands its duties over, losing no acknowledged write', async () => {
    const first = c.fixture.atl.server;
    const [, second, third] = c.fixture.atl.servers.map((s) => s.fqdn);
    let before: FabricRecord[] = [];
    expect(
      await eventually(async () => {
        before = await fabric();
        return before.filter((r) => r.Duty !== undefined && r.Holder === first).length === 2;
      }),
      JSON.stringify(before),
    ).toBe(true);
    expect(before.find((r) => r.FrontEnd === first)?.UsersServed).toBe(ATL_USERS.length);

    ledger.run();
    expect(await ledger.waitForMore(40)).toBe(true);
    await c.kill(first);

    // Every user is back, at the other two front ends, and writing; the duties moved there too.
    let after: FabricRecord[] = [];
    expect(
      await eventually(async () => {
        after = await fabric();
        const served = after
          .filter((r) => r.FrontEnd === second || r.FrontEnd === third)
          .reduce((n, r) => n + (r.UsersServed ?? 0), 0);
        const dutiesMoved = ['backup-service', 'cms-master'].every((d) =>
          [second, third].includes(after.find((r) => r.Duty === d)?.Holder),
        );
        return (
          dutiesMoved &&
          served === ATL_USERS.length &&
          ledger.writers.every((w) => w.client.state() === ConnectionState.SignedIn)
        );
      }, 30_000),
      JSON.stringify(after),
    ).toBe(true);
    expect(await ledger.waitForMore(40)).toBe(true);
    // Another front end holds each duty now, under a newer epoch.
    for (const duty of ['backup-service', 'cms-master']) {
      const was = before.find((r) => r.Duty === duty);
      const now = after.find((r) => r.Duty === duty);
      expect([second, third]).toContain(now?.Holder);
      expect(now?.Epoch ?? 0).toBeGreaterThan(was?.Epoch ?? 0);
    }
    expect(after.find((r) => r.FrontEnd === first)?.State).toBe('Down');
    // The CMS master moved too: a change made at Dallas commits through the new holder and reaches every replica.
    const changed = await c.shell(
      'Set-CsUserPassword -Identity sip:dave@litwareinc.com -Password Another-Password-2',
      {
        server: c.fixture.dal.server,
      },
    );
    expect(changed.code, changed.err).toBe(0);
    const cmsHolder = after.find((r) => r.Duty === 'cms-master')?.Holder;
    const agents = await c.shell('Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus');
    expect(agents.json()[0]).toMatchObject({ ActiveMasterFqdn: ATL, ActiveFileTransferAgents: [cmsHolder] });
    const replicasCurrent = async () => {
      const rows = (await c.shell('Get-CsManagementStoreReplicationStatus')).json();
      const live = rows.filter((r) => r.ReplicaFqdn !== first);
      return live.length >= 5 && live.every((r) => r.UpToDate === true);
    };
    expect(await eventually(replicasCurrent, 60_000)).toBe(true);

    await ledger.stop();
    expect(await ledger.missingAt(peer, second ?? '')).toEqual([]);
    // The Backup Service went on: Dallas holds every acknowledged write too.
    let missing: string[] = [];
    expect(
      await eventually(
        async () => (missing = await ledger.missingAt(peer, c.fixture.dal.server)).length === 0,
        30_000,
      ),
      missing.slice(0, 5).join(', '),
    ).toBe(true);
  });
});
