/**
 * Disaster failover: registrar resiliency with short intervals, resiliency mode, fallback, divergent writes of
 * a home pool cut off rather than dead (preserved and listed), and fencing of a home pool that comes back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TandemClient, type TandemClientError } from '../../src/client-sdk/index.js';
import { Cluster, eventually, harnessPeer } from '../../src/devkit/cluster.js';
import { startSplitCluster } from '../../src/devkit/split-cluster.js';
import { ATL, DAL } from '../../src/devkit/topology-fixture.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const PASSWORD = 'Test-Password-1';
const ALICE = 'sip:alice@litwareinc.com';
const BOB = 'sip:bob@litwareinc.com';

function client(c: Cluster, user: string, at: 'atl' | 'dal'): TandemClient {
  const cl = new TandemClient({
    urls: [`wss://${c.fixture[at].address}/v1/client`],
    ca: c.ca,
    user,
    password: PASSWORD,
    reconnect: { initialDelayMs: 100, maxDelayMs: 400 },
  });
  cleanups.push(() => cl.close());
  return cl;
}

async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'none';
  } catch (err) {
    return (err as TandemClientError).code;
  }
}

describe('registrar resiliency', () => {
  it('serves a lost pool’s users in resiliency mode after the failure detection interval, then regular mode after failover', async () => {
    const c = await Cluster.start({
      users: 6,
      cmsPool: 'dal',
      edgeNextHop: 'dal',
      failureDetection: 2,
      fallbackDetection: 60,
    });
    cleanups.push(() => c.stop());
    const alice = client(c, ALICE, 'atl');
    const bob = client(c, BOB, 'dal');
    await Promise.all([alice.connect(), bob.connect()]);
    await alice.publishPresence('Busy', 'before');
    // While the home pool answers its heartbeats, its backup registrar sends its users home. (Whether the
    // backup waits the whole interval after the last heartbeat is not measured here: a busy machine delays the
    // heartbeats themselves, so a bound counted from the kill says nothing.)
    expect(await fetchSignIn(c, c.fixture.dal.address, { user: ALICE, password: PASSWORD })).toMatchObject({
      code: 'SIGNIN_REDIRECT',
    });
    await c.kill(ATL, 'SIGKILL');
    expect(await eventually(() => alice.state() === 'signed-in' && alice.servedBy() === DAL, 30_000)).toBe(
      true,
    );
    expect(alice.mode()).toBe('resiliency');
    const endpoint = alice.endpointId();

    // Resiliency mode: no persistent change, no contact list or address book, presence unknown, IM works.
    expect(await errorOf(alice.addContact(BOB))).toBe('RESILIENCY_MODE');
    expect(await errorOf(alice.setSetting('k', 'v'))).toBe('RESILIENCY_MODE');
    expect(await errorOf(alice.listContacts())).toBe('RESILIENCY_MODE');
    expect(await errorOf(alice.searchDirectory('bob'))).toBe('RESILIENCY_MODE');
    expect(await errorOf(alice.createConference('x'))).toBe('RESILIENCY_MODE');
    expect(
      await errorOf(
        alice.scheduleMeeting({
          subject: 's',
          start: '2026-12-01T10:00:00Z',
          end: '2026-12-01T11:00:00Z',
          invitees: [],
        }),
      ),
    ).toBe('RESILIENCY_MODE');
    expect((await bob.subscribePresence([ALICE])).states[0]?.availability).toBe('Unknown');
    const invited = new Promise<{ sessionId: string }>((r) => bob.once('im.invited', r));
    const { sessionId } = await alice.inviteIm(BOB, 'still here');
    expect((await invited).sessionId).toBe(sessionId);

    // The administrator fails the pool over: users already at the backup pool switch to regular mode in place.
    const seen: string[] = [];
    bob.on('presence.changed', (p) => (p.sip === ALICE ? seen.push(p.availability) : undefined));
    const regular = new Promise<string>((r) => alice.once('mode', (m) => r(m)));
    const fo = await c.shell(`Invoke-CsPoolFailover -PoolFQDN ${ATL} -DisasterMode -Verbose`, {
      server: DAL,
    });
    expect(fo.json()[0]).toMatchObject({ Mode: 'Disaster', PoolState: 'FailedOver' });
    expect(await regular).toBe('regular');
    expect(alice.endpointId()).toBe(endpoint);
    // Her watchers see her last state again once she is regular (whenever that push lands), then what she sets.
    expect(await eventually(() => seen.includes('Busy'))).toBe(true);
    expect(await errorOf(alice.addContact(BOB))).toBe('none');
    expect((await alice.listContacts()).contacts.map((x) => x.sip)).toEqual([BOB]);
    await alice.publishPresence('Away');
    expect(await eventually(() => seen.at(-1) === 'Away')).toBe(true);
  });

  it('sends resiliency-mode users home after the fallback interval when the home pool comes back without a failover', async () => {
    const c = await Cluster.start({
      users: 6,
      cmsPool: 'dal',
      edgeNextHop: 'dal',
      failureDetection: 1,
      fallbackDetection: 2,
    });
    cleanups.push(() => c.stop());
    const alice = client(c, ALICE, 'atl');
    await alice.connect();
    await c.kill(ATL, 'SIGKILL');
    expect(await eventually(() => alice.servedBy() === DAL && alice.state() === 'signed-in', 15_000)).toBe(
      true,
    );
    expect(alice.mode()).toBe('resiliency');
    // The backup pool sends her home by its fallback rule (reason `fallback`), once Atlanta answers again.
    const fellBack = new Promise<string>((r) =>
      alice.on('signed-out', (p: { reason: string }) => (p.reason === 'fallback' ? r(p.reason) : undefined)),
    );
    await c.startServer(ATL);
    expect(await fellBack).toBe('fallback');
    expect(await eventually(() => alice.servedBy() === ATL && alice.state() === 'signed-in', 30_000)).toBe(
      true,
    );
    expect(alice.mode()).toBe('regular');
  });
});

describe('disaster failover of a pool cut off rather than dead', () => {
  it('keeps and lists its divergent writes, fences it when the link heals, and fails it back', async () => {
    const split = await startSplitCluster({
      users: 6,
      cmsPool: 'dal',
      edgeNextHop: 'dal',
      failureDetection: 2,
    });
    const { cluster: c, toAtl, toDal } = split;
    const peer = harnessPeer(c);
    cleanups.push(async () => {
      peer.close();
      await split.stop();
    });
    const alice = client(c, ALICE, 'atl');
    await alice.connect();
    await alice.setSetting('before', 'shipped');
    await c.shell(`Invoke-CsBackupServiceSync -PoolFqdn ${ATL}`, { server: DAL });

    toAtl.cut();
    toDal.cut();
    // Atlanta does not know yet: it acknowledges writes Dallas will never receive.
    await alice.setSetting('during-cut', 'divergent');
    const fo = await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL} -DisasterMode -WaitTime 00:00:01`, {
      server: DAL,
    });
    expect(fo.json()[0]).toMatchObject({ Mode: 'Disaster', PoolState: 'FailedOver' });
    expect(Number(fo.json()[0]?.LastAppliedChange)).toBeGreaterThan(0);
    expect(fo.err).toContain('Get-CsPoolDivergentChange');

    // The link heals: Atlanta learns the new epoch from its CMS replica and stops serving Alice at once.
    toAtl.heal();
    toDal.heal();
    // Dallas does not import what Atlanta wrote after its failover: consumed, it would be pruned from
    // Atlanta's log within a second and could not be set aside at failback (the drill found this at scale).
    const importAtDallas = async () => {
      const r = await c.shell(`Get-CsBackupServiceStatus -PoolFqdn ${DAL} -Category UserData`, {
        server: DAL,
      });
      const e = r.json()[0]?.ImportLinkError;
      return typeof e === 'string' ? e : '';
    };
    expect(await eventually(async () => (await importAtDallas()).includes('FailedOver'), 10_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await importAtDallas()).toContain('Get-CsPoolDivergentChange');
    expect(await eventually(() => alice.servedBy() === DAL && alice.state() === 'signed-in', 15_000)).toBe(
      true,
    );
    expect(alice.mode()).toBe('regular');
    const atDallas = (await alice.getSettings()).settings;
    expect(atDallas.before).toBe('shipped');
    expect(atDallas['during-cut']).toBeUndefined();
    await alice.setSetting('at-dallas', 'new');

    const fb = await c.shell(`Invoke-CsPoolFailBack -PoolFqdn ${ATL} -Verbose`, { server: DAL });
    expect(fb.json()[0]).toMatchObject({ PoolState: 'Active', UsersWithDivergentChanges: [ALICE] });
    const listed = await c.shell(`Get-CsPoolDivergentChange -PoolFqdn ${ATL}`, { server: DAL });
    expect(listed.json()).toEqual([
      expect.objectContaining({ Identity: ALICE, Kind: 'setting', Key: 'during-cut', Operation: 'Put' }),
    ]);
    expect(
      await eventually(
        () => alice.servedBy() === ATL && alice.state() === 'signed-in' && alice.mode() === 'regular',
        15_000,
      ),
    ).toBe(true);
    const home = (await alice.getSettings()).settings;
    expect(home).toMatchObject({ before: 'shipped', 'at-dallas': 'new' });
    expect(home['during-cut']).toBeUndefined();

    const restored = await c.shell(`Restore-CsPoolDivergentChange -PoolFqdn ${ATL} -Identity ${ALICE}`, {
      server: DAL,
    });
    expect(restored.json()[0]).toMatchObject({ Reapplied: 1 });
    expect((await alice.getSettings()).settings['during-cut']).toBe('divergent');
    expect((await c.shell(`Get-CsPoolDivergentChange -PoolFqdn ${ATL}`)).json()).toEqual([]);
  });

  it('fences a home pool killed and restarted after its failover: it serves none of its users', async () => {
    const c = await Cluster.start({ users: 6, cmsPool: 'dal', edgeNextHop: 'dal' });
    cleanups.push(() => c.stop());
    await c.kill(ATL, 'SIGKILL');
    expect(
      (await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL} -DisasterMode`, { server: DAL })).code,
    ).toBe(0);
    await c.startServer(ATL);
    const alice = client(c, ALICE, 'atl');
    const r = await alice.connect();
    expect(r.servedBy).toBe(DAL);
    expect(r.poolEpoch).toBe(2);
    // A server that has not heard of the new epoch refuses a client that has.
    const direct = await fetchSignIn(c, c.fixture.atl.address, {
      user: ALICE,
      password: PASSWORD,
      epoch: 99,
    });
    expect(direct).toMatchObject({ code: 'STALE_EPOCH' });
  });
});

async function fetchSignIn(
  c: Cluster,
  address: string,
  payload: Record<string, unknown>,
): Promise<{ code?: string }> {
  const { RawClient } = await import('../../src/devkit/raw-client.fixture.js');
  const cl = await RawClient.open(address, c.ca);
  try {
    const res = await cl.request('signin', payload);
    return { code: res.error?.code };
  } finally {
    await cl.close();
  }
}
