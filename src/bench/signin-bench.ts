/**
 * @module Benchmark: a sign-in storm with tokens on one front-end server, over TLS. First every user signs in
 * on a new connection with a full TLS handshake (throughput, latency, server CPU per sign-in), and the server's
 * memory per signed-in user is read with every user connected. Then everyone signs out and signs in again
 * resuming the TLS session it had: what a reconnection costs when the handshake is resumed.
 */
import { benchDeployment, provisionUsers } from './bench-deployment.js';
import { WorkerPool, type WorkerReport } from './worker-pool.js';
import { handshakesBetween, metric, scrape } from './server-probe.js';
import { percentile, round } from './stats.js';

export interface SignInPhase {
  readonly users: number;
  readonly errors: number;
  readonly seconds: number;
  readonly signInsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Server CPU time (user + system) spent per sign-in: the server's own cost, whatever the clients took. */
  readonly serverCpuMsPerSignIn: number;
  /** TLS handshakes the server completed in the phase, full and resumed (it should be all one kind). */
  readonly handshakes: { readonly full: number; readonly resumed: number };
}

export interface SignInBenchResult {
  readonly users: number;
  /** New clients: a full TLS handshake each. */
  readonly full: SignInPhase;
  /** The same users again, each resuming its TLS session. */
  readonly resumed: SignInPhase;
  readonly serverRssBytesBefore: number;
  readonly serverRssBytesAfter: number;
  readonly rssPerUserBytes: number;
  readonly heapPerUserBytes: number;
  readonly endpointsAtServer: number;
}

export async function signInBench(users: number, workers = 2, concurrency = 64): Promise<SignInBenchResult> {
  const c = await benchDeployment({ start: ['atl'] });
  const pool = await WorkerPool.start(workers);
  try {
    const all = await provisionUsers(c, users, 'storm');
    const address = c.fixture.atl.address;
    const slices = Array.from({ length: workers }, (_, i) => all.filter((_, j) => j % workers === i));
    await new Promise((r) => setTimeout(r, 1000));
    const phase = async (resume: boolean): Promise<{ phase: SignInPhase; after: Map<string, number> }> => {
      const before = await scrape(address, c.ca);
      const reports = await pool.all(
        (i) => ({
          cmd: 'signin',
          url: `wss://${address}/v1/client`,
          ca: c.ca,
          users: slices[i],
          concurrency,
          resume,
        }),
        'signed-in',
      );
      await new Promise((r) => setTimeout(r, 2000));
      const after = await scrape(address, c.ca);
      return { phase: phaseOf(reports, before, after), after };
    };
    const rssBefore = await scrape(address, c.ca);
    const full = await phase(false);
    await pool.all(() => ({ cmd: 'drop' }), 'dropped');
    const resumed = await phase(true);
    const ok = full.phase.users;
    const rss = (m: Map<string, number>) => metric(m, 'tandem_process_resident_memory_bytes');
    const heap = (m: Map<string, number>) => metric(m, 'tandem_nodejs_heap_size_used_bytes');
    return {
      users: ok,
      full: full.phase,
      resumed: resumed.phase,
      serverRssBytesBefore: rss(rssBefore),
      serverRssBytesAfter: rss(full.after),
      rssPerUserBytes: Math.round((rss(full.after) - rss(rssBefore)) / ok),
      heapPerUserBytes: Math.round((heap(full.after) - heap(rssBefore)) / ok),
      endpointsAtServer: metric(full.after, 'tandem_client_endpoints'),
    };
  } finally {
    await pool.close();
    await c.stop();
  }
}

function phaseOf(
  reports: readonly WorkerReport[],
  before: Map<string, number>,
  after: Map<string, number>,
): SignInPhase {
  const latencies = reports.flatMap((r) => r.latencies as number[]);
  const errors = reports.reduce((a, r) => a + (r.errors as number), 0);
  const start = Math.min(...reports.map((r) => r.firstStart as number));
  const end = Math.max(...reports.map((r) => r.lastEnd as number));
  const ok = latencies.length;
  const cpu = (m: Map<string, number>) => metric(m, 'tandem_process_cpu_seconds_total');
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
    serverCpuMsPerSignIn: round(((cpu(after) - cpu(before)) * 1000) / ok, 3),
    handshakes: handshakesBetween(before, after),
  };
}
