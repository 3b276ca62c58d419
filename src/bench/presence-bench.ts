/**
 * @module Benchmark: presence fan-out on one front-end server. Subscribers watch a set of publishers; the
 * publishers publish in a burst; the figure is notifications delivered per second, with publish-to-receipt
 * latency.
 */
import { TandemClient } from '../client-sdk/index.js';
import { benchDeployment, provisionUsers } from './bench-deployment.js';
import { WorkerPool } from './worker-pool.js';
import { percentile, round } from './stats.js';
import { metric, scrape } from './server-probe.js';

export interface PresenceResult {
  readonly subscribers: number;
  readonly publishers: number;
  readonly publishesEach: number;
  readonly notifications: number;
  readonly seconds: number;
  readonly notificationsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  /** Server CPU time per notification delivered (the server's own cost). */
  readonly serverCpuUsPerNotification: number;
}

export async function presenceBench(
  subscribers: number,
  publishers = 10,
  publishesEach = 20,
  workers = 2,
): Promise<PresenceResult> {
  const c = await benchDeployment({ start: ['atl'] });
  const pool = await WorkerPool.start(workers);
  const pubs: TandemClient[] = [];
  try {
    const subs = await provisionUsers(c, subscribers, 'sub');
    const publisherUsers = await provisionUsers(c, publishers, 'pub');
    const url = `wss://${c.fixture.atl.address}/v1/client`;
    const slices = Array.from({ length: workers }, (_, i) => subs.filter((_, j) => j % workers === i));
    await pool.all((i) => ({ cmd: 'signin', url, ca: c.ca, users: slices[i], concurrency: 64 }), 'signed-in');
    for (const u of publisherUsers) {
      const cl = new TandemClient({
        urls: [url],
        ca: c.ca,
        user: u.sip,
        token: u.token,
        reconnect: { enabled: false },
      });
      await cl.connect();
      pubs.push(cl);
    }
    const targets = publisherUsers.map((u) => u.sip);
    await pool.all(() => ({ cmd: 'subscribe', targets, concurrency: 64 }), 'subscribed');
    await pool.all(
      (i) => ({ cmd: 'count', expected: (slices[i]?.length ?? 0) * publishers * publishesEach }),
      'counting',
    );
    const done = pool.waitAll('counted');
    const cpuBefore = metric(await scrape(c.fixture.atl.address, c.ca), 'tandem_process_cpu_seconds_total');
    const start = Date.now();
    const states = ['Busy', 'Away', 'Online', 'BeRightBack'] as const;
    await Promise.all(
      pubs.map(async (p) => {
        for (let n = 0; n < publishesEach; n++)
          await p.publishPresence(states[n % states.length] ?? 'Busy', `n${n}`);
      }),
    );
    const reports = await done;
    const end = Math.max(...reports.map((r) => r.at as number));
    const lat = reports.flatMap((r) => r.latencies as number[]);
    const notifications = subscribers * publishers * publishesEach;
    const cpuAfter = metric(await scrape(c.fixture.atl.address, c.ca), 'tandem_process_cpu_seconds_total');
    return {
      subscribers,
      publishers,
      publishesEach,
      notifications,
      seconds: round((end - start) / 1000, 2),
      notificationsPerSecond: Math.round(notifications / ((end - start) / 1000)),
      latencyMs: { p50: round(percentile(lat, 50), 1), p99: round(percentile(lat, 99), 1) },
      serverCpuUsPerNotification: round(((cpuAfter - cpuBefore) * 1e6) / notifications, 2),
    };
  } finally {
    await Promise.all(pubs.map((p) => p.close()));
    await pool.close();
    await c.stop();
  }
}
