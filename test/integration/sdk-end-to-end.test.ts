/**
 * Done-means of the services issue, with the SDK: two users homed on different pools sign in through the same
 * server, see each other's presence change live, chat and meet; a restarted pool brings its user back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TandemClient } from '../../src/client-sdk/index.js';
import { Cluster } from '../../src/devkit/cluster.js';
import { DAL } from '../../src/devkit/topology-fixture.js';

let c: Cluster;
const clients: TandemClient[] = [];
beforeAll(async () => {
  c = await Cluster.start({ users: 8 });
});
afterAll(async () => {
  await Promise.all(clients.map((cl) => cl.close()));
  await c.stop();
});

function client(user: string): TandemClient {
  const cl = new TandemClient({
    urls: [`wss://${c.fixture.atl.address}/v1/client`],
    ca: c.ca,
    user,
    password: 'Test-Password-1',
    reconnect: { initialDelayMs: 100, maxDelayMs: 500 },
  });
  clients.push(cl);
  return cl;
}

function next<T>(cl: TandemClient, event: string, where: (p: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const on = (p: T) => {
      if (!where(p)) return;
      cl.off(event as never, on as never);
      resolve(p);
    };
    cl.on(event as never, on as never);
  });
}

describe('SDK end to end across pools', () => {
  it('presence, IM and a conference between users of two pools, through one server', async () => {
    const alice = client('sip:alice@litwareinc.com');
    const bob = client('sip:bob@litwareinc.com');
    const [a, b] = await Promise.all([alice.connect(), bob.connect()]);
    expect(a.servedBy).toBe('atl-cs-001.litwareinc.com');
    expect(b.servedBy).toBe(DAL);
    expect(b.registrars.primary.pool).toBe(DAL);

    const states = await alice.subscribePresence(['sip:bob@litwareinc.com']);
    expect(states.states[0]).toMatchObject({ availability: 'Online' });
    const seen = next<{ availability: string; note: string }>(
      alice,
      'presence.changed',
      (p) => p.availability === 'BeRightBack',
    );
    await bob.publishPresence('BeRightBack', 'coffee');
    expect(await seen).toMatchObject({ note: 'coffee' });

    const invited = next<{ sessionId: string }>(bob, 'im.invited');
    const { sessionId } = await alice.inviteIm('sip:bob@litwareinc.com', 'hello');
    expect((await invited).sessionId).toBe(sessionId);
    const accepted = next(alice, 'im.accepted');
    await bob.acceptIm(sessionId);
    await accepted;
    const got = next<{ text: string }>(alice, 'im.message');
    await bob.sendIm(sessionId, 'hi Alice');
    expect((await got).text).toBe('hi Alice');

    const conf = await alice.createConference('Planning');
    const confInvite = next<{ confId: string }>(bob, 'conf.invited');
    await alice.inviteToConference(conf.confId, ['sip:bob@litwareinc.com']);
    expect((await confInvite).confId).toBe(conf.confId);
    const roster = next<{ roster: unknown[] }>(alice, 'conf.roster', (p) => p.roster.length === 2);
    await bob.joinConference(conf.confId);
    await roster;
    const msg = next<{ text: string }>(bob, 'conf.message');
    await alice.sendConferenceMessage(conf.confId, 'agenda first');
    expect((await msg).text).toBe('agenda first');
  });

  it('reconnects with its token when its pool restarts, and keeps its presence subscriptions', async () => {
    const dave = client('sip:dave@litwareinc.com');
    const carol = client('sip:carol@litwareinc.com');
    await Promise.all([dave.connect(), carol.connect()]);
    await dave.subscribePresence(['sip:carol@litwareinc.com']);
    const back = next<{ reconnected: boolean }>(dave, 'signed-in', (r) => r.reconnected);
    await c.kill(DAL, 'SIGKILL');
    await c.startServer(DAL);
    expect((await back).reconnected).toBe(true);
    const seen = next<{ availability: string }>(dave, 'presence.changed', (p) => p.availability === 'Away');
    await carol.publishPresence('Away');
    expect((await seen).availability).toBe('Away');
  });
});
