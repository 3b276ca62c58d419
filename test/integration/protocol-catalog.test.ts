/**
 * The protocol document matches the implementation: a scenario drives every operation type of the catalog
 * (docs/protocol.md is generated from it) against real servers, and checks that every documented push arrives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allOperations } from '../../src/protocol/operations/index.js';
import { allPushes } from '../../src/protocol/pushes.js';
import { Cluster } from '../../src/devkit/cluster.js';
import { RawClient, type Frame } from '../../src/devkit/raw-client.fixture.js';

let c: Cluster;
beforeAll(async () => {
  c = await Cluster.start({ users: 10 });
});
afterAll(async () => c.stop());

const PASSWORD = 'Test-Password-1';
const sent = new Set<string>();
const pushes = new Set<string>();

function track(client: RawClient): RawClient {
  const orig = client.request.bind(client);
  client.request = async (type: string, payload?: unknown): Promise<Frame> => {
    const f = await orig(type, payload);
    if (f.ok) sent.add(type);
    return f;
  };
  client.ws.on('message', (d) => {
    const f = JSON.parse((d as Buffer).toString('utf8')) as Frame;
    if (f.push) pushes.add(f.push);
  });
  return client;
}

async function signIn(user: string, address: string): Promise<RawClient> {
  const { client } = await RawClient.signIn(address, c.ca, {
    user,
    password: PASSWORD,
    client: { name: 'catalog-test' },
  });
  sent.add('signin');
  const tracked = track(client);
  await tracked.ok('ping');
  return tracked;
}

describe('every documented message type', () => {
  it('is accepted by the server and every documented push arrives', async () => {
    const { atl } = c.fixture;
    const alice = await signIn('sip:alice@litwareinc.com', atl.address);
    const bob = await signIn('sip:bob@litwareinc.com', atl.address);
    const carol = await signIn('sip:carol@litwareinc.com', atl.address);

    await alice.ok('presence.subscribe', { users: ['sip:bob@litwareinc.com'] });
    await bob.ok('presence.publish', { availability: 'Away', note: 'lunch' });
    await alice.push('presence.changed', (p) => p.availability === 'Away');
    await alice.ok('presence.unsubscribe', { users: ['sip:bob@litwareinc.com'] });

    await alice.ok('groups.add', { name: 'Team' });
    await alice.ok('contacts.add', { sip: 'sip:bob@litwareinc.com', group: 'Team' });
    await alice.ok('contacts.move', { sip: 'sip:bob@litwareinc.com', group: 'Friends' });
    await alice.ok('groups.rename', { name: 'Friends', newName: 'Pals' });
    const list = await alice.ok('contacts.list');
    expect(list).toMatchObject({
      contacts: [{ sip: 'sip:bob@litwareinc.com', group: 'Pals', displayName: 'Bob Jones' }],
    });
    await alice.ok('contacts.remove', { sip: 'sip:bob@litwareinc.com' });
    await alice.ok('groups.remove', { name: 'Pals' });

    const s1 = await alice.ok('im.invite', { to: 'sip:bob@litwareinc.com' });
    await bob.push('im.invited');
    await bob.ok('im.decline', { sessionId: s1.sessionId });
    await alice.push('im.declined');
    const s2 = await alice.ok('im.invite', { to: 'sip:bob@litwareinc.com', text: 'again' });
    await bob.push('im.invited');
    await bob.ok('im.accept', { sessionId: s2.sessionId });
    await alice.push('im.accepted');
    await alice.ok('im.typing', { sessionId: s2.sessionId });
    await bob.push('im.typing');
    await alice.ok('im.send', { sessionId: s2.sessionId, text: 'hi' });
    await bob.push('im.message');
    await alice.ok('im.end', { sessionId: s2.sessionId });
    await bob.push('im.ended');

    const meeting = await alice.ok('meeting.schedule', {
      subject: 'Review',
      start: '2026-12-01T15:00:00Z',
      end: '2026-12-01T16:00:00Z',
      invitees: ['sip:bob@litwareinc.com'],
    });
    await alice.ok('meeting.update', { meetingId: meeting.meetingId, subject: 'Review (moved)' });
    expect(await alice.ok('meeting.list')).toMatchObject({ meetings: [{ subject: 'Review (moved)' }] });
    const confId = meeting.meetingId as string;
    await bob.ok('conf.join', { confId });
    await alice.ok('conf.join', { confId });
    await bob.push('conf.roster', (p) => (p.roster as unknown[]).length === 2);
    const item = await alice.ok('content.upload', {
      confId,
      name: 'agenda.txt',
      kind: 'file',
      data: Buffer.from('1. results').toString('base64'),
    });
    await bob.push('content.added');
    expect(await bob.ok('content.list', { confId })).toMatchObject({
      items: [{ contentId: item.contentId }],
    });
    expect(await bob.ok('content.get', { confId, contentId: item.contentId })).toMatchObject({
      data: Buffer.from('1. results').toString('base64'),
    });
    await alice.ok('content.delete', { confId, contentId: item.contentId });
    await bob.push('content.removed');
    await bob.ok('conf.message', { confId, text: 'bye' });
    await alice.push('conf.message');
    await bob.ok('conf.leave', { confId });
    await alice.ok('meeting.cancel', { meetingId: meeting.meetingId });

    const adhoc = await alice.ok('conf.create', { subject: 'Quick' });
    await alice.ok('conf.invite', { confId: adhoc.confId, users: ['sip:carol@litwareinc.com'] });
    await carol.push('conf.invited');
    await carol.ok('conf.join', { confId: adhoc.confId });
    await alice.ok('conf.end', { confId: adhoc.confId });
    await carol.push('conf.ended');

    await alice.ok('settings.set', { key: 'theme', value: 'dark' });
    expect(await alice.ok('settings.get')).toEqual({ settings: { theme: 'dark' } });
    expect(await alice.ok('directory.search', { query: 'smith', page: 0, pageSize: 5 })).toMatchObject({
      total: 1,
      results: [{ sip: 'sip:alice@litwareinc.com' }],
    });

    const signedOut = await c.shell('Disable-CsUser -Identity sip:carol@litwareinc.com');
    expect(signedOut.code).toBe(0);
    expect(await carol.push('signed-out')).toMatchObject({ reason: 'disabled' });
    await bob.ok('signout');

    const types = allOperations().map((o) => o.type);
    expect(types.filter((t) => !sent.has(t))).toEqual([]);
    // mode.changed is pushed when a pool fails over or back (pool failover: a later issue).
    const expectedPushes = allPushes()
      .map((p) => p.push)
      .filter((p) => p !== 'mode.changed');
    expect(expectedPushes.filter((p) => !pushes.has(p))).toEqual([]);
    await alice.close();
  });
});
