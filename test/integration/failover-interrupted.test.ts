/**
 * A failover or failback interrupted by a crash is left by a documented path (docs/failover.md, "Recovery from
 * interrupted operations"): the coordinating server that comes back rolls a planned failover back or finishes a
 * failback, `-DisasterMode` is accepted from FailingOver and FailingBack when the pool does not answer, and while
 * a failback waits with the home pool down its users are served at the backup pool in resiliency mode.
 * Real server processes and kill -9; a failpoint (src/failover/failpoints.ts) stops the coordinator at the step
 * where it is killed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TandemClient } from '../../src/client-sdk/index.js';
import { Cluster, eventually } from '../../src/devkit/cluster.js';
import { ATL, DAL, type FixtureOptions } from '../../src/devkit/topology-fixture.js';
import { failpointLine } from '../../src/failover/failpoints.js';
import type { FailoverStep } from '../../src/failover/failover-ports.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const ALICE = 'sip:alice@litwareinc.com';
const CAROL = 'sip:carol@litwareinc.com';
const SLOW = { timeout: 300_000 };

function client(c: Cluster, user: string): TandemClient {
  const cl = new TandemClient({
    urls: [`wss://${c.fixture.atl.address}/v1/client`, `wss://${c.fixture.dal.address}/v1/client`],
    ca: c.ca,
    user,
    password: 'Test-Password-1',
    reconnect: { initialDelayMs: 100, maxDelayMs: 500 },
  });
  cleanups.push(() => cl.close());
  return cl;
}

/** The pair, with `coordinator` started to stop at the failpoint `step`. */
async function pair(opts: FixtureOptions, coordinator: string, step: FailoverStep): Promise<Cluster> {
  const c = await Cluster.start({ users: 6, edgeNextHop: 'dal', failureDetection: 2, ...opts, start: [] });
  cleanups.push(() => c.stop());
  for (const server of opts.cmsPool === 'dal' ? [DAL, ATL] : [ATL, DAL])
    await c.startServer(server, true, server === coordinator ? { TANDEM_FAILPOINTS: step } : {});
  return c;
}

/** Atlanta's pool state as the given server's CMS replica holds it ('' when the server does not answer). */
async function stateAt(c: Cluster, server: string): Promise<string> {
  const r = await c.shell(`Get-CsRegistrarConfiguration -Identity service:Registrar:${ATL}`, { server });
  if (r.code !== 0) return '';
  const s = r.json()[0]?.PoolState;
  return typeof s === 'string' ? s : '';
}

const served = (cl: TandemClient, pool: string, mode: 'regular' | 'resiliency') =>
  cl.state() === 'signed-in' && cl.servedBy() === pool && cl.mode() === mode;

describe('a failover interrupted by a crash', () => {
  it(
    'rolls back when the killed coordinating pool (CMS master) restarts; failover then works',
    SLOW,
    async () => {
      // While Atlanta is down its users wait at Dallas in resiliency mode; fallback sends them home after.
      const c = await pair({ fallbackDetection: 2 }, ATL, 'failover-claimed');
      const alice = client(c, ALICE);
      await alice.connect();
      await alice.setSetting('before', 'kept');

      // Atlanta coordinates its own failover and is killed right after its state became FailingOver.
      const pending = c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL}`, { server: ATL });
      expect(await c.waitForLine(ATL, failpointLine('failover-claimed'))).toBe(true);
      expect(await stateAt(c, DAL)).toBe('FailingOver');
      await c.kill(ATL);
      expect((await pending).code).not.toBe(0);
      await c.startServer(ATL);

      // Atlanta finds the failover it coordinated interrupted before the switch: it rolls it back.
      expect(await eventually(async () => (await stateAt(c, ATL)) === 'Active', 60_000, 200)).toBe(true);
      expect(await eventually(async () => (await stateAt(c, DAL)) === 'Active', 60_000, 200)).toBe(true);
      expect(await eventually(() => served(alice, ATL, 'regular'), 60_000)).toBe(true);
      await alice.setSetting('after-rollback', 'kept');

      // Nothing is left stuck: a planned failover and a failback both run again.
      const fo = await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL}`);
      expect(fo.json()[0]).toMatchObject({ PoolState: 'FailedOver' });
      expect(await eventually(() => served(alice, DAL, 'regular'), 60_000)).toBe(true);
      expect((await alice.getSettings()).settings).toMatchObject({
        before: 'kept',
        'after-rollback': 'kept',
      });
      const fb = await c.shell(`Invoke-CsPoolFailBack -PoolFqdn ${ATL}`);
      expect(fb.json()[0]).toMatchObject({ PoolState: 'Active' });
      expect(await eventually(() => served(alice, ATL, 'regular'), 60_000)).toBe(true);
    },
  );

  it(
    'accepts -DisasterMode from FailingOver when the pool is lost, also after a CMS failover',
    SLOW,
    async () => {
      const c = await pair({}, ATL, 'failover-claimed');
      const alice = client(c, ALICE);
      await alice.connect();

      const pending = c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL}`, { server: ATL });
      expect(await c.waitForLine(ATL, failpointLine('failover-claimed'))).toBe(true);
      await c.kill(ATL);
      await pending;

      // The CMS master was lost with Atlanta: the administrator fails the CMS over, then the pool.
      const cms = await c.shell(
        `Invoke-CsManagementServerFailover -BackupSqlServerFqdn ${DAL} -BackupSqlInstanceName rtc -Force`,
        { server: DAL },
      );
      expect(cms.code, cms.err).toBe(0);
      expect(await stateAt(c, DAL)).toBe('FailingOver');
      const planned = await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL}`, { server: DAL });
      expect(planned.err).toContain('POOL_UNREACHABLE');
      expect(planned.err).toContain('-DisasterMode');
      const fo = await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL} -DisasterMode -WaitTime 00:00:01`, {
        server: DAL,
      });
      expect(fo.json()[0]).toMatchObject({ Mode: 'Disaster', PoolState: 'FailedOver' });
      expect(await eventually(() => served(alice, DAL, 'regular'), 60_000)).toBe(true);
      await alice.setSetting('at-dallas', 'kept');

      // The killed pool restarts fenced (it serves none of its users) and is failed back.
      await c.startServer(ATL);
      expect(await eventually(async () => (await stateAt(c, ATL)) === 'FailedOver', 60_000, 200)).toBe(true);
      expect(served(alice, DAL, 'regular')).toBe(true);
      const fb = await c.shell(`Invoke-CsPoolFailBack -PoolFqdn ${ATL}`, { server: DAL });
      expect(fb.json()[0]).toMatchObject({ PoolState: 'Active' });
      expect(await eventually(() => served(alice, ATL, 'regular'), 60_000)).toBe(true);
      expect((await alice.getSettings()).settings['at-dallas']).toBe('kept');
    },
  );
});

describe('a failback interrupted with the home pool down', () => {
  it(
    'serves the pool’s users at the backup in resiliency mode, then rolls back when the coordinator restarts',
    SLOW,
    async () => {
      const c = await pair({ cmsPool: 'dal' }, DAL, 'failback-claimed');
      const alice = client(c, ALICE);
      await alice.connect();
      expect((await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL}`, { server: DAL })).code).toBe(0);
      expect(await eventually(() => served(alice, DAL, 'regular'), 60_000)).toBe(true);
      await alice.setSetting('at-dallas', 'kept');

      // Dallas coordinates the failback; Atlanta dies right after the pool became FailingBack.
      const pending = c.shell(`Invoke-CsPoolFailBack -PoolFqdn ${ATL}`, { server: DAL });
      expect(await c.waitForLine(DAL, failpointLine('failback-claimed'))).toBe(true);
      expect(await stateAt(c, DAL)).toBe('FailingBack');
      await c.kill(ATL);

      // Alice stays at Dallas, read-only; Carol, signing in now, is served there too instead of being sent to
      // the dead home pool.
      expect(await eventually(() => served(alice, DAL, 'resiliency'), 60_000)).toBe(true);
      const carol = client(c, CAROL);
      const signedIn = await carol.connect();
      expect(signedIn.servedBy).toBe(DAL);
      expect(carol.mode()).toBe('resiliency');

      // The coordinator is killed too and restarts: the home pool does not answer, so the failback is rolled
      // back and Dallas serves Atlanta's users in regular mode again, with what they wrote there.
      await c.kill(DAL);
      await pending;
      await c.startServer(DAL);
      expect(await eventually(async () => (await stateAt(c, DAL)) === 'FailedOver', 60_000, 200)).toBe(true);
      expect(await eventually(() => served(alice, DAL, 'regular'), 60_000)).toBe(true);
      expect(await eventually(() => served(carol, DAL, 'regular'), 60_000)).toBe(true);
      expect((await alice.getSettings()).settings['at-dallas']).toBe('kept');

      // The home pool restarts; the failback runs from the start and finishes.
      await c.startServer(ATL);
      const fb = await c.shell(`Invoke-CsPoolFailBack -PoolFqdn ${ATL}`, { server: DAL });
      expect(fb.json()[0]).toMatchObject({ PoolState: 'Active' });
      expect(await eventually(() => served(alice, ATL, 'regular'), 60_000)).toBe(true);
      expect((await alice.getSettings()).settings['at-dallas']).toBe('kept');
    },
  );

  it('accepts -DisasterMode from FailingBack when the home pool is lost', SLOW, async () => {
    const c = await pair({ cmsPool: 'dal' }, DAL, 'failback-claimed');
    const alice = client(c, ALICE);
    await alice.connect();
    expect((await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL}`, { server: DAL })).code).toBe(0);
    expect(await eventually(() => served(alice, DAL, 'regular'), 60_000)).toBe(true);

    // The command stays stopped at its failpoint (a coordinator that hangs); the administrator acts meanwhile.
    void c.shell(`Invoke-CsPoolFailBack -PoolFqdn ${ATL}`, { server: DAL });
    expect(await c.waitForLine(DAL, failpointLine('failback-claimed'))).toBe(true);
    await c.kill(ATL);
    expect(await stateAt(c, DAL)).toBe('FailingBack');

    const fo = await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL} -DisasterMode`, { server: DAL });
    expect(fo.json()[0]).toMatchObject({ Mode: 'Disaster', PoolState: 'FailedOver' });
    expect(await eventually(() => served(alice, DAL, 'regular'), 60_000)).toBe(true);
    await alice.setSetting('after', 'kept');
    await c.startServer(ATL);
    // Dallas's own command still hangs at its failpoint: Atlanta coordinates this failback.
    const fb = await c.shell(`Invoke-CsPoolFailBack -PoolFqdn ${ATL}`, { server: ATL });
    expect(fb.json()[0]).toMatchObject({ PoolState: 'Active' });
    expect(await eventually(() => served(alice, ATL, 'regular'), 60_000)).toBe(true);
    expect((await alice.getSettings()).settings.after).toBe('kept');
  });
});
