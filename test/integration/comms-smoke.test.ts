/** Two users on different pools sign in through the same server, see presence, chat and meet. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/devkit/cluster.js';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';

let c: Cluster;
beforeAll(async () => {
  c = await Cluster.start({ users: 10 });
});
afterAll(async () => c.stop());

const PASSWORD = 'Test-Password-1';

function signIn(
  user: string,
  address: string,
): Promise<{ client: RawClient; grant: Record<string, unknown> }> {
  return RawClient.signIn(address, c.ca, { user, password: PASSWORD });
}

describe('communications across pools', () => {
  it('signs in, redirects, shares presence, chats and meets', async () => {
    const alice = await signIn('sip:alice@litwareinc.com', c.fixture.atl.address);
    const bob = await signIn('sip:bob@litwareinc.com', c.fixture.atl.address);
    expect(alice.grant).toMatchObject({ mode: 'regular', servedBy: 'atl-cs-001.litwareinc.com' });
    expect(bob.grant).toMatchObject({ servedBy: 'dal-cs-001.litwareinc.com' });

    const sub = await alice.client.ok('presence.subscribe', { users: ['sip:bob@litwareinc.com'] });
    expect(sub.states).toEqual([
      expect.objectContaining({ sip: 'sip:bob@litwareinc.com', availability: 'Online' }),
    ]);
    await bob.client.ok('presence.publish', { availability: 'Busy', note: 'Writing the report' });
    const changed = await alice.client.push('presence.changed', (p) => p.availability === 'Busy');
    expect(changed).toMatchObject({ sip: 'sip:bob@litwareinc.com', note: 'Writing the report' });

    const inv = await alice.client.ok('im.invite', { to: 'sip:bob@litwareinc.com', text: 'hi' });
    const invited = await bob.client.push('im.invited');
    expect(invited).toMatchObject({ sessionId: inv.sessionId, from: 'sip:alice@litwareinc.com' });
    await bob.client.ok('im.accept', { sessionId: inv.sessionId });
    await alice.client.push('im.accepted');
    await alice.client.ok('im.send', { sessionId: inv.sessionId, text: 'Lunch?' });
    expect(await bob.client.push('im.message')).toMatchObject({ text: 'Lunch?' });

    const conf = await alice.client.ok('conf.create', { subject: 'Sync' });
    await alice.client.ok('conf.invite', { confId: conf.confId, users: ['sip:bob@litwareinc.com'] });
    expect(await bob.client.push('conf.invited')).toMatchObject({ confId: conf.confId });
    const joined = await bob.client.ok('conf.join', { confId: conf.confId });
    expect((joined.roster as unknown[]).length).toBe(2);
    await bob.client.ok('conf.message', { confId: conf.confId, text: 'hello all' });
    expect(await alice.client.push('conf.message')).toMatchObject({
      text: 'hello all',
      from: 'sip:bob@litwareinc.com',
    });

    await bob.client.close();
    expect(await alice.client.push('im.ended')).toMatchObject({
      sessionId: inv.sessionId,
      reason: 'endpoint-gone',
    });
    await alice.client.close();
  });
});
