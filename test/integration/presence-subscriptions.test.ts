/**
 * Presence subscriptions are bounded and name real users: one connection subscribed to 900,000 users that do
 * not exist, and the server kept every one. Unknown users are refused one by one (as the address book would
 * not list them); the users subscribed at a server are capped per user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Limits } from '../../src/protocol/limits.js';
import { Cluster } from '../../src/devkit/cluster.js';
import { RawClient } from '../../src/devkit/raw-client.js';

let c: Cluster;
let alice: RawClient;
beforeAll(async () => {
  // Enough demo users to reach the cap with real ones.
  c = await Cluster.start({ users: Limits.maxPresenceSubscriptions + 10 });
  alice = await RawClient.open(c.fixture.atl.address);
  await alice.ok('signin', { user: 'sip:alice@litwareinc.com', password: 'Test-Password-1' });
}, 120_000);
afterAll(async () => {
  await alice.close();
  await c.stop();
});

const demo = (i: number) => `sip:user${String(i).padStart(3, '0')}@litwareinc.com`;

describe('presence.subscribe', () => {
  it('refuses each unknown user with USER_NOT_FOUND and subscribes the others', async () => {
    const answer = await alice.ok('presence.subscribe', {
      users: ['sip:bob@litwareinc.com', 'sip:nobody-here@litwareinc.com', 'sip:ghost@litwareinc.com'],
    });
    expect((answer.states as { sip: string }[]).map((s) => s.sip)).toEqual(['sip:bob@litwareinc.com']);
    expect(answer.refused).toEqual([
      expect.objectContaining({
        sip: 'sip:nobody-here@litwareinc.com',
        error: expect.objectContaining({ code: 'USER_NOT_FOUND' }),
      }),
      expect.objectContaining({
        sip: 'sip:ghost@litwareinc.com',
        error: expect.objectContaining({ code: 'USER_NOT_FOUND' }),
      }),
    ]);
  });

  it('refuses to hold more subscriptions than the cap, with LIMIT_EXCEEDED', async () => {
    // bob is held already; fill up to the cap with demo users (user005 onwards).
    const more = Array.from({ length: Limits.maxPresenceSubscriptions - 1 }, (_, i) => demo(i + 5));
    for (let i = 0; i < more.length; i += Limits.maxContacts)
      await alice.ok('presence.subscribe', { users: more.slice(i, i + Limits.maxContacts) });
    // Subscribing again to a held user is not one more.
    await alice.ok('presence.subscribe', { users: ['sip:bob@litwareinc.com'] });
    const over = await alice.request('presence.subscribe', { users: ['sip:carol@litwareinc.com'] });
    expect(over.error?.code).toBe('LIMIT_EXCEEDED');
    expect(over.error?.message).toContain(String(Limits.maxPresenceSubscriptions));
    // Unsubscribing frees room.
    await alice.ok('presence.unsubscribe', { users: ['sip:bob@litwareinc.com'] });
    await alice.ok('presence.subscribe', { users: ['sip:carol@litwareinc.com'] });
  });
});
