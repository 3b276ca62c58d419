/**
 * Lync's "User experience during pool failure", row by row: what users experience during failover and during and after failback — the affected
 * users (homed on the failed pool) and the users of the unaffected pool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TandemClient, type TandemClientError } from '../../src/client-sdk/index.js';
import { Cluster, eventually } from '../../src/devkit/cluster.js';
import { patient } from '../../src/devkit/patience.js';
import { ATL, DAL } from '../../src/devkit/topology-fixture.js';

const PASSWORD = 'Test-Password-1';
const ALICE = 'sip:alice@litwareinc.com'; // affected (Atlanta)
const CAROL = 'sip:carol@litwareinc.com'; // affected (Atlanta)
const NEWBIE = 'sip:user005@litwareinc.com'; // affected, signs in during failback
const BOB = 'sip:bob@litwareinc.com'; // unaffected (Dallas)
const DAVE = 'sip:dave@litwareinc.com'; // unaffected (Dallas)
/** Affected users whose batch moves first during failback, so that Alice and Carol stay at Dallas meanwhile. */
const FIRST_MOVERS = ['sip:user009@litwareinc.com', 'sip:user011@litwareinc.com'];

let c: Cluster;
const clients: TandemClient[] = [];
beforeAll(async () => {
  c = await Cluster.start({ users: 12, edgeNextHop: 'dal' });
});
afterAll(async () => {
  await Promise.all(clients.map((cl) => cl.close()));
  await c.stop();
});

function client(user: string, opts: { legacy?: boolean } = {}): TandemClient {
  const cl = new TandemClient({
    urls: [`wss://${c.fixture.atl.address}/v1/client`, `wss://${c.fixture.dal.address}/v1/client`],
    ca: c.ca,
    user,
    password: PASSWORD,
    reconnect: { initialDelayMs: 50, maxDelayMs: 300 },
    ...(opts.legacy ? { legacy: true } : {}),
  });
  clients.push(cl);
  return cl;
}

const code = async (p: Promise<unknown>) => p.then(() => 'ok').catch((e: TandemClientError) => e.code);
function next<T>(cl: TandemClient, event: string, where: (p: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cl.sip()}: no '${event}'`)), patient(10_000));
    const on = (p: T) => {
      if (!where(p)) return;
      clearTimeout(timer);
      cl.off(event as never, on as never);
      resolve(p);
    };
    cl.on(event as never, on as never);
  });
}

describe('user experience during pool failure: during failover', () => {
  it('signs affected users out, ends their peer-to-peer sessions and the conferences they organized, and serves them at the backup pool', async () => {
    const alice = client(ALICE);
    const bob = client(BOB);
    await Promise.all([alice.connect(), bob.connect()]);
    const invited = next<{ sessionId: string }>(bob, 'im.invited');
    const session = await alice.inviteIm(BOB);
    await invited;
    await bob.acceptIm(session.sessionId);
    const conf = await alice.createConference('organized by the affected user');
    await bob.joinConference(conf.confId);
    const imEnded = next<{ reason: string }>(bob, 'im.ended');
    const confEnded = next<{ reason: string }>(bob, 'conf.ended');
    const signedOut = next<{ reason: string; reconnectWithinMs: number }>(alice, 'signed-out');
    expect((await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL}`)).code).toBe(0);
    expect((await signedOut).reason).toBe('failover');
    // A handful of users at Dallas's 2,000 sign-ins per second: they may all come back within a few ms (what
    // is left of the relocation's common deadline when this one is signed out; pool-agent.test.ts).
    expect((await signedOut).reconnectWithinMs).toBeGreaterThanOrEqual(0);
    expect((await signedOut).reconnectWithinMs).toBeLessThanOrEqual(10);
    expect((await imEnded).reason).toBe('failover');
    expect((await confEnded).reason).toBe('organizer-failed-over');
    expect(await eventually(() => alice.servedBy() === DAL && alice.state() === 'signed-in', 10_000)).toBe(
      true,
    );
    expect(alice.mode()).toBe('regular');
    // After the failover completes the user can establish new sessions.
    expect(await code(alice.createConference('new one'))).toBe('ok');
  });
});

describe('user experience during pool failure: during and after failback', () => {
  it('follows the failback tables row by row', async () => {
    const [aliceBefore, bob] = clients as [TandemClient, TandemClient];
    // Failback moves the signed-in users in the order they signed in at the backup pool, the first batch at
    // once. Two other affected users sign in first and Alice signs in again last, so that the rows below are
    // checked while Alice and Carol are still at Dallas, their batch 8 s away.
    const movers = FIRST_MOVERS.map((u) => client(u));
    for (const m of movers) await m.connect();
    const carol = client(CAROL);
    const dave = client(DAVE);
    await Promise.all([carol.connect(), dave.connect()]);
    await aliceBefore.close();
    const alice = client(ALICE);
    await alice.connect();
    expect(alice.servedBy()).toBe(DAL);
    await alice.publishPresence('Busy', 'last state set');
    // An affected user organizes a conference; an unaffected user organizes another with an affected attendee.
    const byAffected = await alice.createConference('organized by Alice');
    await bob.joinConference(byAffected.confId);
    const byUnaffected = await dave.createConference('organized by Dave');
    await carol.joinConference(byUnaffected.confId);
    await bob.subscribePresence([ALICE]);

    const aliceResiliency = next<string>(alice, 'mode', (m) => m === 'resiliency');
    const byAffectedEnded = next<{ reason: string }>(
      bob,
      'conf.ended',
      (p) => (p as { confId?: string } & { reason: string }).reason === 'failback',
    );
    const failback = c.shell(`Invoke-CsPoolFailBack -PoolFqdn ${ATL} -BatchSize 2 -BatchInterval 00:00:08`);

    // --- during failback ---
    expect(await aliceResiliency).toBe('resiliency');
    expect(alice.servedBy()).toBe(DAL); // signed in and connected to the backup pool until its batch moves
    expect(
      await code(
        alice.scheduleMeeting({
          subject: 's',
          start: '2026-12-01T10:00:00Z',
          end: '2026-12-01T11:00:00Z',
          invitees: [],
        }),
      ),
    ).toBe('RESILIENCY_MODE');
    expect(await code(alice.createConference('no'))).toBe('RESILIENCY_MODE');
    expect(await code(alice.listContacts())).toBe('RESILIENCY_MODE');
    expect(await code(alice.searchDirectory('dave'))).toBe('RESILIENCY_MODE');
    // Presence: users of another pool see the last state set (unaffected-pool table).
    expect((await dave.subscribePresence([ALICE])).states[0]).toMatchObject({
      availability: 'Busy',
      note: 'last state set',
    });
    const newbie = client(NEWBIE);
    const n = await newbie.connect();
    expect(n).toMatchObject({ servedBy: ATL, mode: 'resiliency' }); // new sign-in: home pool, resiliency mode
    expect((await byAffectedEnded).reason).toBe('failback'); // conferences organized by affected users end
    expect(await code(bob.joinConference(byAffected.confId))).not.toBe('ok'); // no rejoin while in resiliency
    const msg = next<{ text: string }>(carol, 'conf.message');
    await dave.sendConferenceMessage(byUnaffected.confId, 'still going');
    expect((await msg).text).toBe('still going'); // unaffected organizer's conference continues
    // Peer-to-peer: available.
    const inv = next<{ sessionId: string }>(dave, 'im.invited');
    const s = await alice.inviteIm(DAVE, 'during failback');
    expect((await inv).sessionId).toBe(s.sessionId);
    // Legacy clients cannot sign in until the pool is completely failed back.
    const legacy = new TandemClient({
      urls: [`wss://${c.fixture.atl.address}/v1/client`],
      ca: c.ca,
      user: 'sip:user007@litwareinc.com',
      password: PASSWORD,
      legacy: true,
      reconnect: { enabled: false },
    });
    expect(await code(legacy.connect())).toBe('LEGACY_CLIENT_REFUSED');
    await legacy.close();

    // --- after failback completion ---
    const done = await failback;
    expect(done.json()[0]).toMatchObject({ PoolState: 'Active', UsersMoved: 4 });
    expect(
      await eventually(
        () => alice.servedBy() === ATL && alice.state() === 'signed-in' && alice.mode() === 'regular',
        10_000,
      ),
    ).toBe(true);
    expect(await eventually(() => newbie.mode() === 'regular', 5_000)).toBe(true);
    expect(await eventually(() => carol.servedBy() === ATL && carol.mode() === 'regular', 10_000)).toBe(true);
    const again = new TandemClient({
      urls: [`wss://${c.fixture.atl.address}/v1/client`],
      ca: c.ca,
      user: 'sip:user007@litwareinc.com',
      password: PASSWORD,
      legacy: true,
      reconnect: { enabled: false },
    });
    expect((await again.connect()).mode).toBe('regular');
    await again.close();
    // The affected user's conference: all modalities work again; participants rejoin.
    const fresh = await alice.createConference('after failback');
    expect((await bob.joinConference(fresh.confId)).roster.length).toBe(2);
    // The unaffected organizer's conference went on, with the affected attendee still in it.
    const roster = await dave.joinConference(byUnaffected.confId);
    expect(roster.roster.map((r) => r.sip)).toContain(CAROL);
    expect(
      await code(
        alice.scheduleMeeting({
          subject: 's',
          start: '2026-12-01T10:00:00Z',
          end: '2026-12-01T11:00:00Z',
          invitees: [],
        }),
      ),
    ).toBe('ok');
    expect(await code(alice.listContacts())).toBe('ok');
    const seen = next<{ availability: string }>(bob, 'presence.changed', (p) => p.availability === 'Away');
    await alice.publishPresence('Away');
    expect((await seen).availability).toBe('Away');
    expect(await code(alice.inviteIm(BOB))).toBe('ok');
  });
});
