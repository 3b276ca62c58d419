/**
 * @module Benchmark: a sign-in storm with tokens on one front-end server (throughput, latency), then the
 * server's memory per signed-in user with every user still connected.
 */
import { benchDeployment, provisionUsers } from './bench-deployment.js';
import { WorkerPool } from './worker-pool.js';
import { metric, scrape } from './server-probe.js';
import { percentile, round } from './stats.js';

export interface SignInResult {
  readonly users: number;
  readonly errors: number;
  readonly seconds: number;
  readonly signInsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly serverRssBytesBefore: number;
  readonly serverRssBytesAfter: number;
  readonly rssPerUserBytes: number;
  readonly heapPerUserBytes: number;
  readonly endpointsAtServer: number;
  /** Server CPU time (user + system) spent per sign-in: the server's own cost, whatever the clients took. */
  readonly serverCpuMsPerSignIn: number;
}

export async function signInBench(users: number, workers = 2, concurrency = 64): Promise<SignInResult> {
  const c = await benchDeployment({ start: ['atl'] });
  const pool = await WorkerPool.start(workers);
  try {
    const all = await provisionUsers(c, users, 'storm');
    const address = c.fixture.atl.address;
    await new Promise((r) => setTimeout(r, 1000));
    const before = await scrape(address, c.ca);
    const slices = Array.from({ length: workers }, (_, i) => all.filter((_, j) => j % workers === i));
    const reports = await pool.all(
      (i) => ({ cmd: 'signin', url: `wss://${address}/v1/client`, ca: c.ca, users: slices[i], concurrency }),
      'signed-in',
    );
    const latencies = reports.flatMap((r) => r.latencies as number[]);
    const errors = reports.reduce((a, r) => a + (r.errors as number), 0);
    const start = Math.min(...reports.map((r) => r.firstStart as number));
    const end = Math.max(...reports.map((r) => r.lastEnd as number));
    await new Promise((r) => setTimeout(r, 2000));
    const after = await scrape(address, c.ca);
    const ok = latencies.length;
    const rssBefore = metric(before, 'tandem_process_resident_memory_bytes');
    const rssAfter = metric(after, 'tandem_process_resident_memory_bytes');
    const heapBefore = metric(before, 'tandem_nodejs_heap_size_used_bytes');
    const heapAfter = metric(after, 'tandem_nodejs_heap_size_used_bytes');
    return {
      users: ok,
      errors,
      seconds: round((end - start) / 1000, 2),
      signInsPerSecond: Math.round(ok / ((end - start) / 1000)),
      latencyMs: {
        p50: round(percentile(latencies, 50), 2),
        p99: round(percentile(latencies, 99), 2),
        max: round(percentile(latencies, 100), 1),
      },
      serverRssBytesBefore: rssBefore,
      serverRssBytesAfter: rssAfter,
      rssPerUserBytes: Math.round((rssAfter - rssBefore) / ok),
      heapPerUserBytes: Math.round((heapAfter - heapBefore) / ok),
      endpointsAtServer: metric(after, 'tandem_client_endpoints'),
      serverCpuMsPerSignIn: round(
        ((metric(after, 'tandem_process_cpu_seconds_total') -
          metric(before, 'tandem_process_cpu_seconds_total')) *
          1000) /
          ok,
        3,
      ),
    };
  } finally {
    await pool.close();
    await c.stop();
  }
}
