/**
 * A server that restarts while a CMS failover and a pool failover happened without it must not serve its
 * pool's users from its stale replica, not even in the moment between listening and hearing from the CMS:
 * it refuses sign-ins (SIGNIN_UNAVAILABLE) until its view is confirmed, then redirects them. Found by the
 * drill's fencing check (seeds 2–5 of the CI preset, 12 cycles). Found again by the full drill (seed 7, cycle
 * 12): when the restarting master learned it was replaced before it announced itself (the accept fan-out made
 * start-up a little longer), it asked its stale view's master — itself — and served from what it held.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/devkit/cluster.js';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';
import { ATL, DAL, EDGE } from '../../src/devkit/topology-fixture.js';
import { isReady } from '../../src/supervisor/up.js';

const ALICE = 'sip:alice@litwareinc.com';
let c: Cluster;
afterAll(async () => c.stop());

describe('a restarting former CMS master whose pool was failed over', () => {
  it('serves none of its users, from the first moment it listens', async () => {
    c = await Cluster.start({ users: 6 });
    // Atlanta hosts the CMS and the Edge next hop. It is lost; Lync's pool failover procedure moves both to Dallas.
    await c.kill(ATL, 'SIGKILL');
    const run = (line: string) => c.shell(line, { server: DAL });
    expect((await run(`Invoke-CsManagementServerFailover -BackupSqlServerFqdn ${DAL} -Force`)).code).toBe(0);
    expect(
      (await run(`Set-CsEdgeServer -Identity EdgeServer:${EDGE} -Registrar Registrar:${DAL}`)).code,
    ).toBe(0);
    expect((await run(`Invoke-CsPoolFailOver -PoolFqdn ${ATL} -DisasterMode -WaitTime 00:00:01`)).code).toBe(
      0,
    );

    // Atlanta comes back. Alice tries it again and again from the moment its port opens.
    await c.startServer(ATL, false);
    const answers: string[] = [];
    let readySince = 0;
    while (readySince === 0 || Date.now() - readySince < 500) {
      try {
        const cl = await RawClient.open(c.fixture.atl.address, c.ca);
        const r = await cl.request('signin', { user: ALICE, password: 'Test-Password-1' });
        answers.push(r.ok ? `signed in at ${String(r.payload?.servedBy)}` : (r.error?.code ?? '?'));
        await cl.close();
      } catch {
        answers.push('not listening');
      }
      if (
        readySince === 0 &&
        (await isReady({ fqdn: c.fixture.atl.server, address: c.fixture.atl.address }, c.ca))
      )
        readySince = Date.now();
    }
    // Never served by Atlanta: refused while it starts, then sent to Dallas, which serves Atlanta's users now.
    expect(answers.filter((a) => a.startsWith('signed in'))).toEqual([]);
    expect(answers.at(-1)).toBe('SIGNIN_REDIRECT');
    expect(new Set(answers).size).toBeLessThanOrEqual(3);
    for (const a of answers) expect(['not listening', 'SIGNIN_UNAVAILABLE', 'SIGNIN_REDIRECT']).toContain(a);
  });
});
