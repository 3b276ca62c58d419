/**
 * A presence change that a watching server could not take when it happened (the link between the sites cut)
 * reaches the subscriber once the link is back: the notification is sent again, not lost until the next watch
 * refresh a minute later.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';
import { startSplitCluster, type SplitCluster } from '../../src/devkit/split-cluster.js';
import { eventually } from '../../src/devkit/cluster.js';

let s: SplitCluster;
beforeAll(async () => {
  s = await startSplitCluster({ users: 4 });
});
afterAll(async () => s.stop());

const BOB = 'sip:bob@litwareinc.com';

describe('a presence change while the link to the watching site is cut', () => {
  it('reaches the subscriber once the link is back', async () => {
    const c = s.cluster;
    const password = 'Test-Password-1';
    const { client: alice } = await RawClient.signIn(c.fixture.atl.address, c.ca, {
      user: 'sip:alice@litwareinc.com',
      password,
    });
    const { client: bob } = await RawClient.signIn(c.fixture.dal.address, c.ca, { user: BOB, password });
    const answer = await alice.ok('presence.subscribe', { users: [BOB] });
    expect(answer.states).toEqual([expect.objectContaining({ sip: BOB, availability: 'Online' })]);

    const refusedBefore = s.toAtl.refused;
    s.toAtl.cut();
    await bob.ok('presence.publish', { availability: 'Busy', note: 'said while cut' });
    // Dallas tried to tell Atlanta and met the cut.
    expect(await eventually(() => s.toAtl.refused > refusedBefore)).toBe(true);
    s.toAtl.heal();
    expect(await alice.push('presence.changed', (p) => p.note === 'said while cut')).toMatchObject({
      sip: BOB,
      availability: 'Busy',
    });
    await alice.close();
    await bob.close();
  });
});
