/**
 * A request that waits on a peer pool that stopped answering (its link black-holed, as behind a failed router)
 * still gets its answer once the server-to-server deadline passes, and the server logs the slow request so that
 * an administrator can see where the time went.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOW_REQUEST } from '../../src/gateway/client-connection.js';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';
import { startSplitCluster, type SplitCluster } from '../../src/devkit/split-cluster.js';

let s: SplitCluster;
beforeAll(async () => {
  s = await startSplitCluster({ users: 4 });
});
afterAll(async () => s.stop());

describe('a peer pool that does not answer', () => {
  it('answers presence.subscribe without the peer and logs the slow request', async () => {
    const c = s.cluster;
    const { client: alice } = await RawClient.signIn(c.fixture.atl.address, c.ca, {
      user: 'sip:alice@litwareinc.com',
      password: 'Test-Password-1',
    });
    const from = c.logOf(c.fixture.atl.server).length;
    s.toDal.blackhole();
    const answer = await alice.ok('presence.subscribe', { users: ['sip:bob@litwareinc.com'] });
    // Nobody at Dallas answered: Bob is not shown Online on a guess.
    const [bob] = answer.states as { sip: string; availability: string }[];
    expect(bob?.sip).toBe('sip:bob@litwareinc.com');
    expect(['Offline', 'Unknown']).toContain(bob?.availability);
    // The line follows the answer (it is written once the request ended).
    expect(await c.waitForLine(c.fixture.atl.server, SLOW_REQUEST, 60_000, from)).toBe(true);
    const logged = c
      .logOf(c.fixture.atl.server)
      .slice(from)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === SLOW_REQUEST);
    expect(logged).toMatchObject({ type: 'presence.subscribe', sip: 'sip:alice@litwareinc.com' });
    expect(logged?.ms).toBeGreaterThanOrEqual(5_000);
    s.toDal.heal();
    await alice.close();
  });
});
