/**
 * A failback interrupted by a cut link leaves the pool FailingBack (users read-only, nothing lost); running
 * the command again finishes it. Found by the drill (seed 1 of the CI preset).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TandemClient } from '../../src/client-sdk/index.js';
import { eventually } from '../../src/devkit/cluster.js';
import { startSplitCluster, type SplitCluster } from '../../src/devkit/split-cluster.js';
import { ATL, DAL } from '../../src/devkit/topology-fixture.js';

let s: SplitCluster;
let alice: TandemClient;
beforeAll(async () => {
  s = await startSplitCluster({ users: 6, edgeNextHop: 'dal' });
  alice = new TandemClient({
    urls: [
      `wss://${s.cluster.fixture.atl.address}/v1/client`,
      `wss://${s.cluster.fixture.dal.address}/v1/client`,
    ],
    ca: s.cluster.ca,
    user: 'sip:alice@litwareinc.com',
    password: 'Test-Password-1',
    reconnect: { initialDelayMs: 50, maxDelayMs: 300 },
  });
  await alice.connect();
});
afterAll(async () => {
  await alice.close();
  await s.stop();
});

describe('an interrupted failback', () => {
  it('stays FailingBack with a pointer to run it again, and finishes when run again', async () => {
    const c = s.cluster;
    expect((await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL}`)).code).toBe(0);
    expect(await eventually(() => alice.servedBy() === DAL && alice.mode() === 'regular', 15_000)).toBe(true);
    await alice.setSetting('written-at-dallas', 'kept');

    // The link into Dallas is cut while the failback runs at Atlanta: Atlanta cannot reach Dallas.
    s.toDal.cut();
    const interrupted = await c.shell(`Invoke-CsPoolFailBack -PoolFqdn ${ATL}`, { server: ATL });
    expect(interrupted.code).not.toBe(0);
    expect(interrupted.err).toContain(`run Invoke-CsPoolFailBack -PoolFqdn ${ATL} again`);
    const mid = await c.shell(`Get-CsRegistrarConfiguration -Identity service:Registrar:${ATL}`, {
      server: ATL,
    });
    expect(mid.json()[0]).toMatchObject({ PoolState: 'FailingBack' });

    s.toDal.heal();
    const again = await c.shell(`Invoke-CsPoolFailBack -PoolFqdn ${ATL} -Verbose`, { server: ATL });
    expect(again.err).toContain('Resuming the failback');
    expect(again.json()[0]).toMatchObject({ PoolState: 'Active' });
    expect(await eventually(() => alice.servedBy() === ATL && alice.mode() === 'regular', 15_000)).toBe(true);
    expect((await alice.getSettings()).settings['written-at-dallas']).toBe('kept');
    // A pool that is Active is refused, naming both states a failback accepts.
    const refused = await c.shell(`Invoke-CsPoolFailBack -PoolFqdn ${ATL}`);
    expect(refused.err).toContain('POOL_STATE');
    expect(refused.err).toContain('FailingBack');
  });
});
