/**
 * An Enterprise pool of three front ends on one PostgreSQL back end: each duty of the pool runs at exactly one
 * front end, Get-CsPoolFabricState shows who holds what, users of the pool are served at any front end and reach
 * each other across them, and when a duty's holder is killed (kill -9) another front end takes its duties with a
 * new epoch while the Backup Service goes on in both directions.
 * PostgreSQL only (it is not in the per-backend integration matrix): a Standard pool (SQLite) has one server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, eventually, harnessPeer, itemsAt } from '../../src/devkit/cluster.js';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';
import { ATL } from '../../src/devkit/topology-fixture.js';
import type { PeerClient } from '../../src/s2s/peer-client.js';
import { dutyRow, poolFabric, type FabricRecord } from '../support/pool-fabric.js';

let c: Cluster;
let peer: PeerClient;
const ALICE = 'sip:alice@litwareinc.com';
/** Homed on Dallas: Atlanta's Backup Service importer brings Bob's data to Atlanta. */
const BOB = 'sip:bob@litwareinc.com';
const CAROL = 'sip:carol@litwareinc.com';

beforeAll(async () => {
  c = await Cluster.start({ stores: 'postgres', frontEnds: 3, users: 4 });
  peer = harnessPeer(c);
});
afterAll(async () => {
  peer.close();
  await c.stop();
});

const fabric = (): Promise<FabricRecord[]> => poolFabric(c, ATL, c.fixture.dal.server);

const holderOf = dutyRow;

describe('an Enterprise pool of three front ends', () => {
  it('runs each duty of the pool at exactly one front end, and shows them all', async () => {
    const atl = c.fixture.atl.servers.map((s) => s.fqdn);
    let records: FabricRecord[] = [];
    // Front ends ask for the duties every second; all three are up once each has answered.
    expect(
      await eventually(async () => {
        records = await fabric();
        return ['backup-service', 'cms-master'].every((d) => !holderOf(records, d)?.Holder?.startsWith('('));
      }),
    ).toBe(true);
    const frontEnds = records.filter((r) => r.FrontEnd !== undefined);
    expect(frontEnds.map((f) => [f.FrontEnd, f.State])).toEqual(atl.map((s) => [s, 'Up']));
    for (const duty of ['backup-service', 'cms-master']) {
      const record = holderOf(records, duty);
      expect(atl).toContain(record?.Holder);
      // The holder says so itself, and no other front end does.
      const claiming = frontEnds.filter((f) => f.Duties?.includes(`${duty} (epoch ${record?.Epoch})`));
      expect(claiming.map((f) => f.FrontEnd)).toEqual([record?.Holder]);
      expect(frontEnds.filter((f) => f.Duties?.includes(duty))).toHaveLength(1);
    }
  });

  it('serves the pool’s users at any front end, and carries presence and IMs between front ends', async () => {
    const [fe1, fe2] = c.fixture.atl.servers;
    const alice = await RawClient.open(fe1?.address ?? '', c.ca);
    const carol = await RawClient.open(fe2?.address ?? '', c.ca);
    try {
      expect(await alice.ok('signin', { user: ALICE, password: 'Test-Password-1' })).toMatchObject({
        servedBy: ATL,
      });
      await carol.ok('signin', { user: CAROL, password: 'Test-Password-1' });
      await alice.ok('presence.subscribe', { users: [CAROL] });
      await carol.ok('presence.publish', { availability: 'Busy', note: 'on the second front end' });
      expect(await alice.push('presence.changed', (p) => p.availability === 'Busy')).toMatchObject({
        sip: CAROL,
        note: 'on the second front end',
      });
      const inv = await alice.ok('im.invite', { to: CAROL, text: 'across front ends' });
      expect(await carol.push('im.invited')).toMatchObject({ sessionId: inv.sessionId, from: ALICE });
      await carol.ok('im.accept', { sessionId: inv.sessionId });
      await alice.push('im.accepted');
      await alice.ok('im.send', { sessionId: inv.sessionId, text: 'hello' });
      expect(await carol.push('im.message')).toMatchObject({ text: 'hello' });
      const fabricNow = await fabric();
      const served = (fe: string | undefined) => fabricNow.find((r) => r.FrontEnd === fe)?.UsersServed;
      expect([served(fe1?.fqdn), served(fe2?.fqdn)]).toEqual([1, 1]);
    } finally {
      await alice.close();
      await carol.close();
    }
  });

  it('hands the duties of a killed front end over with a new epoch, and the Backup Service goes on', async () => {
    const before = await fabric();
    const holder = holderOf(before, 'backup-service')?.Holder ?? '';
    const epoch = holderOf(before, 'backup-service')?.Epoch ?? 0;
    await c.kill(holder);
    let after: FabricRecord[] = [];
    expect(
      await eventually(async () => {
        after = await fabric();
        const record = holderOf(after, 'backup-service');
        return record?.Holder !== holder && !record?.Holder?.startsWith('(') && (record?.Epoch ?? 0) > epoch;
      }, 30_000),
      JSON.stringify(after),
    ).toBe(true);
    expect(after.find((r) => r.FrontEnd === holder)?.State).toBe('Down');
    // The new holder imports what Dallas's users write; the pool's own users keep writing at the survivors,
    // and Dallas's importer pulls Atlanta's change log from any front end.
    const survivor = c.fixture.atl.servers.find((s) => s.fqdn !== holder);
    const alice = await RawClient.open(survivor?.address ?? '', c.ca);
    const bob = await RawClient.open(c.fixture.dal.address, c.ca);
    try {
      await alice.ok('signin', { user: ALICE, password: 'Test-Password-1' });
      await bob.ok('signin', { user: BOB, password: 'Test-Password-1' });
      await alice.ok('settings.set', { key: 'after-kill', value: 'alice' });
      await bob.ok('settings.set', { key: 'after-kill', value: 'bob' });
      const has = async (server: string, sip: string, value: string) =>
        (await itemsAt(peer, server, sip)).some((i) => i.key === 'after-kill' && i.value === value);
      expect(await eventually(() => has(c.fixture.dal.server, ALICE, '"alice"'), 20_000)).toBe(true);
      expect(await eventually(() => has(survivor?.fqdn ?? '', BOB, '"bob"'), 20_000)).toBe(true);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('resets the registrar state as Lync administrators type it: duties handed back and taken again', async () => {
    const before = await fabric();
    const record = holderOf(before, 'cms-master');
    const holder = record?.Holder ?? '';
    const what = await c.shell(
      `Reset-CsPoolRegistrarState -PoolFqdn ${ATL} -ResetType ServiceReset -MachineFqdn ${holder} -WhatIf`,
    );
    expect(what.out).toContain(`Would make ${holder} give up the duties`);
    expect(holderOf(await fabric(), 'cms-master')).toMatchObject({ Holder: holder, Epoch: record?.Epoch });

    const reset = await c.shell(
      `Reset-CsPoolRegistrarState -PoolFqdn ${ATL} -ResetType ServiceReset -MachineFqdn ${holder} -NoReStart -Confirm:$false`,
    );
    expect(reset.code, reset.err).toBe(0);
    expect(reset.json()[0]).toMatchObject({ FrontEnd: holder, AsksForDuties: false });
    expect(reset.json()[0]?.HandedBack).toContain('cms-master');
    let after: FabricRecord[] = [];
    expect(
      await eventually(async () => {
        after = await fabric();
        const now = holderOf(after, 'cms-master');
        return (
          now?.Holder !== holder && !now?.Holder?.startsWith('(') && (now?.Epoch ?? 0) > (record?.Epoch ?? 0)
        );
      }),
      JSON.stringify(after),
    ).toBe(true);
    const back = await c.shell(
      `Reset-CsPoolRegistrarState -PoolFqdn ${ATL} -MachineFqdn ${holder} -Confirm:$false`,
    );
    expect(back.json()[0]).toMatchObject({ FrontEnd: holder, AsksForDuties: true });

    const quorum = await c.shell(`Reset-CsPoolRegistrarState -PoolFqdn ${ATL} -ResetType QuorumLossRecovery`);
    expect(quorum.json()[0]?.Result).toContain('no quorum of front ends');
    const removed = await c.shell(
      `Reset-CsPoolRegistrarState -PoolFqdn ${ATL} -ResetType MachineStateRemoved -MachineFqdn ${holder}`,
    );
    expect(removed.code).not.toBe(0);
    expect(removed.err).toContain('Publish-CsTopology');
    const unknown = await c.shell(
      `Reset-CsPoolRegistrarState -PoolFqdn ${ATL} -MachineFqdn dal-fe-001.litwareinc.com`,
    );
    expect(unknown.err).toContain('There is no front-end server dal-fe-001.litwareinc.com');
  });
});
