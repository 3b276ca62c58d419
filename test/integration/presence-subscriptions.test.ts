/**
 * Presence subscriptions are bounded and name real users: one connection subscribed to 900,000 users that do
 * not exist, and the server kept every one. Unknown users are refused one by one (as the address book would
 * not list them); the users subscribed at a server are capped per user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Limits } from '../../src/protocol/limits.js';
import { Cluster } from '../../src/devkit/cluster.js';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';
import { provisionUsers } from '../../src/bench/bench-deployment.js';

let c: Cluster;
let alice: RawClient;
beforeAll(async () => {
  c = await Cluster.start({ users: 4, start: ['atl'] });
  // Enough users to reach the cap with real ones (imported with one password hash: quick).
  await provisionUsers(c, Limits.maxPresenceSubscriptions + 1, 'watched');
  alice = await RawClient.open(c.fixture.atl.address, c.ca);
  await alice.ok('signin', { user: 'sip:alice@litwareinc.com', password: 'Test-Password-1' });
}, 120_000);
afterAll(async () => {
  await alice.close();
  await c.stop();
});

const watched = (i: number) => `sip:watched${i}@litwareinc.com`;

describe('presence.subscribe', () => {
  it('refuses each unknown user with USER_NOT_FOUND and subscribes the others', async () => {
    const answer = await alice.ok('presence.subscribe', {
      users: ['sip:carol@litwareinc.com', 'sip:nobody-here@litwareinc.com', 'sip:ghost@litwareinc.com'],
    });
    expect((answer.states as { sip: string }[]).map((s) => s.sip)).toEqual(['sip:carol@litwareinc.com']);
    expect(answer.refused).toEqual([
      { sip: 'sip:nobody-here@litwareinc.com', error: expect.objectContaining({ code: 'USER_NOT_FOUND' }) },
      { sip: 'sip:ghost@litwareinc.com', error: expect.objectContaining({ code: 'USER_NOT_FOUND' }) },
    ]);
  });

  it('answers a disabled user exactly as a user that does not exist (as the address book does)', async () => {
    expect((await c.shell('Disable-CsUser -Identity sip:watched0@litwareinc.com')).code).toBe(0);
    const answer = await alice.ok('presence.subscribe', {
      users: ['sip:watched0@litwareinc.com', 'sip:watched-never@litwareinc.com'],
    });
    const [disabled, unknown] = answer.refused as { sip: string; error: { code: string; message: string } }[];
    expect(disabled?.error.code).toBe('USER_NOT_FOUND');
    expect(disabled?.error.message.replace('watched0', 'X')).toBe(
      unknown?.error.message.replace('watched-never', 'X'),
    );
    const search = await alice.ok('directory.search', { query: 'watched0' });
    expect(search.total).toBe(0);
  });

  it('refuses to hold more subscriptions than the cap, with LIMIT_EXCEEDED', async () => {
    // carol is held already; fill up to the cap with imported users (watched0 is disabled).
    const more = Array.from({ length: Limits.maxPresenceSubscriptions - 1 }, (_, i) => watched(i + 1));
    for (let i = 0; i < more.length; i += Limits.maxContacts)
      await alice.ok('presence.subscribe', { users: more.slice(i, i + Limits.maxContacts) });
    // Subscribing again to a held user is not one more.
    await alice.ok('presence.subscribe', { users: ['sip:carol@litwareinc.com'] });
    const over = await alice.request('presence.subscribe', {
      users: [watched(Limits.maxPresenceSubscriptions)],
    });
    expect(over.error?.code).toBe('LIMIT_EXCEEDED');
    expect(over.error?.message).toContain(String(Limits.maxPresenceSubscriptions));
    // Unsubscribing frees room.
    await alice.ok('presence.unsubscribe', { users: ['sip:carol@litwareinc.com'] });
    await alice.ok('presence.subscribe', { users: [watched(Limits.maxPresenceSubscriptions)] });
  });
});
