/**
 * A pool is lost (kill -9): the users of the other pool are told without having to send anything — the IM
 * sessions with its users end (`pool-lost`), the conferences its users organized end (`host-lost`), and their
 * presence shows Unknown — as soon as the pool is declared lost (silent for its failure detection interval).
 * After the failover, subscribers see the user's last state again once it signs in at the backup pool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TandemClient } from '../../src/client-sdk/index.js';
import { UNDECLARED_ERROR } from '../../src/gateway/client-connection.js';
import { Cluster, eventually } from '../../src/devkit/cluster.js';
import { ATL, DAL } from '../../src/devkit/topology-fixture.js';

const PASSWORD = 'Test-Password-1';
const ALICE = 'sip:alice@litwareinc.com'; // Atlanta: the lost pool
const BOB = 'sip:bob@litwareinc.com'; // Dallas

let c: Cluster;
const clients: TandemClient[] = [];
beforeAll(async () => {
  c = await Cluster.start({
    users: 6,
    cmsPool: 'dal',
    edgeNextHop: 'dal',
    failureDetection: 3,
    fallbackDetection: 600,
  });
});
afterAll(async () => {
  await Promise.all(clients.map((cl) => cl.close()));
  // Every error these tests met is one docs/protocol.md lists for its operation.
  const undeclared = [...c.logs.values()].flat().filter((l) => l.includes(UNDECLARED_ERROR));
  await c.stop();
  expect(undeclared).toEqual([]);
});

function client(user: string, at: 'atl' | 'dal', reconnect: boolean): TandemClient {
  const cl = new TandemClient({
    urls: [`wss://${c.fixture[at].address}/v1/client`],
    ca: c.ca,
    user,
    password: PASSWORD,
    reconnect: reconnect ? { initialDelayMs: 100, maxDelayMs: 400 } : { enabled: false },
  });
  clients.push(cl);
  return cl;
}

/** Every push of one kind a client received, in order. */
function record<T>(cl: TandemClient, push: string): T[] {
  const seen: T[] = [];
  cl.on('push', (name, payload) => {
    if (name === push) seen.push(payload as T);
  });
  return seen;
}

describe('a lost pool', () => {
  it('ends sessions and conferences with its users and shows them Unknown, then their last state after failover', async () => {
    // Alice does not reconnect: what Bob sees must come from the loss being detected, not from Alice.
    const alice = client(ALICE, 'atl', false);
    const bob = client(BOB, 'dal', true);
    await Promise.all([alice.connect(), bob.connect()]);
    await alice.publishPresence('Busy', 'last state set');
    expect((await bob.subscribePresence([ALICE])).states[0]).toMatchObject({ availability: 'Busy' });
    const presence = record<{ sip: string; availability: string; note: string }>(bob, 'presence.changed');
    const imEnded = record<{ sessionId: string; reason: string; by: string }>(bob, 'im.ended');
    const confEnded = record<{ confId: string; reason: string }>(bob, 'conf.ended');

    const invited = new Promise<void>((r) => bob.once('im.invited', () => r()));
    const { sessionId } = await alice.inviteIm(BOB, 'hello');
    await invited;
    const accepted = new Promise<void>((r) => alice.once('im.accepted', () => r()));
    await bob.acceptIm(sessionId);
    await accepted;
    const conf = await alice.createConference('organized at the lost pool');
    await bob.joinConference(conf.confId);

    await c.kill(ATL, 'SIGKILL');
    // Bob sends nothing: the pushes come from Dallas declaring Atlanta lost.
    expect(await eventually(() => imEnded.length > 0, 60_000)).toBe(true);
    expect(imEnded[0]).toMatchObject({ sessionId, reason: 'pool-lost', by: ALICE });
    expect(await eventually(() => confEnded.length > 0, 30_000)).toBe(true);
    expect(confEnded[0]).toMatchObject({ confId: conf.confId, reason: 'host-lost' });
    expect(await eventually(() => presence.some((p) => p.sip === ALICE), 30_000)).toBe(true);
    expect(presence.filter((p) => p.sip === ALICE).map((p) => p.availability)).toEqual(['Unknown']);
    // A new subscription to a user of the lost pool says Unknown too, not Offline.
    const dave = client('sip:dave@litwareinc.com', 'dal', true);
    await dave.connect();
    expect((await dave.subscribePresence([ALICE])).states[0]?.availability).toBe('Unknown');

    // The administrator fails the pool over; Alice signs in at the backup pool (regular mode).
    const fo = await c.shell(`Invoke-CsPoolFailover -PoolFQDN ${ATL} -DisasterMode`, { server: DAL });
    expect(fo.json()[0]).toMatchObject({ PoolState: 'FailedOver' });
    const again = client(ALICE, 'dal', true);
    expect((await again.connect()).mode).toBe('regular');
    expect(
      await eventually(() => presence.some((p) => p.sip === ALICE && p.availability === 'Busy'), 30_000),
    ).toBe(true);
    expect(presence.filter((p) => p.sip === ALICE && p.availability === 'Busy')[0]).toMatchObject({
      note: 'last state set',
    });
  });
});
