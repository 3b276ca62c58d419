/**
 * The coordinator of a failover or failback killed -9 at every step boundary the recovery distinguishes, then
 * restarted: the pool leaves the transitional state (a failover rolled back, a failback finished), the user's
 * acknowledged writes are all there, and she is back at work at her home pool in regular mode.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TandemClient } from '../../src/client-sdk/index.js';
import { Cluster, eventually } from '../../src/devkit/cluster.js';
import { ATL, DAL } from '../../src/devkit/topology-fixture.js';
import { failpointLine } from '../../src/failover/failpoints.js';
import { FailoverSteps } from '../../src/failover/failover-ports.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function stateAt(c: Cluster, server: string): Promise<string> {
  const r = await c.shell(`Get-CsRegistrarConfiguration -Identity service:Registrar:${ATL}`, { server });
  const s = r.code === 0 ? r.json()[0]?.PoolState : undefined;
  return typeof s === 'string' ? s : '';
}

describe('kill -9 of the coordinator at each step', () => {
  it.each(FailoverSteps)(
    '%s: recovered when the coordinator restarts',
    { timeout: 300_000 },
    async (step) => {
      const failback = step.startsWith('failback');
      // A failover coordinated by the pool itself (it hosts the CMS); a failback by the backup pool.
      const coordinator = failback ? DAL : ATL;
      const c = await Cluster.start({
        users: 6,
        edgeNextHop: 'dal',
        failureDetection: 2,
        fallbackDetection: 2,
        start: [],
      });
      cleanups.push(() => c.stop());
      for (const s of [ATL, DAL])
        await c.startServer(s, true, s === coordinator ? { TANDEM_FAILPOINTS: step } : {});
      const alice = new TandemClient({
        urls: [`wss://${c.fixture.atl.address}/v1/client`, `wss://${c.fixture.dal.address}/v1/client`],
        ca: c.ca,
        user: 'sip:alice@litwareinc.com',
        password: 'Test-Password-1',
        reconnect: { initialDelayMs: 100, maxDelayMs: 500 },
      });
      cleanups.push(() => alice.close());
      await alice.connect();
      await alice.setSetting('before', 'kept');
      if (failback) {
        expect((await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL}`)).code).toBe(0);
        expect(await eventually(() => alice.servedBy() === DAL && alice.mode() === 'regular', 60_000)).toBe(
          true,
        );
        await alice.setSetting('at-dallas', 'kept');
      }

      const line = failback
        ? `Invoke-CsPoolFailBack -PoolFqdn ${ATL}`
        : `Invoke-CsPoolFailOver -PoolFqdn ${ATL}`;
      const pending = c.shell(line, { server: coordinator });
      expect(await c.waitForLine(coordinator, failpointLine(step))).toBe(true);
      await c.kill(coordinator);
      await pending;
      await c.startServer(coordinator);

      for (const server of [ATL, DAL])
        expect(await eventually(async () => (await stateAt(c, server)) === 'Active', 120_000, 250)).toBe(
          true,
        );
      expect(
        await eventually(
          () => alice.state() === 'signed-in' && alice.servedBy() === ATL && alice.mode() === 'regular',
          120_000,
        ),
      ).toBe(true);
      const settings = (await alice.getSettings()).settings;
      expect(settings.before).toBe('kept');
      if (failback) expect(settings['at-dallas']).toBe('kept');
      await alice.setSetting('after', 'written');
    },
  );
});
