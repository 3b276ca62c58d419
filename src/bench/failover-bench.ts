/**
 * @module Benchmark of pool failover and failback with every user of the pool signed in: the time from the
 * command until every user is back at work in regular mode at the backup pool (planned, then disaster) and
 * back home (failback), with a write load checked for zero loss across the planned failover and failback.
 */
import { Cluster, harnessPeer } from '../devkit/cluster.js';
import { WriteLedger } from '../devkit/write-ledger.js';
import { ATL, DAL } from '../devkit/topology-fixture.js';
import { provisionUsers } from './bench-deployment.js';
import { WorkerPool, type WorkerReport } from './worker-pool.js';
import { round } from './stats.js';
import { handshakesBetween, metric, scrape } from './server-probe.js';

/** CPU seconds each side spent from a command until every user was back. */
export interface PhaseCpu {
  readonly home: number;
  readonly backup: number;
  readonly clients: number;
}

export interface FailoverBenchResult {
  readonly users: number;
  readonly planned: {
    readonly commandSeconds: number;
    readonly allBackSeconds: number;
    readonly ledgerWrites: number;
    readonly lostWrites: number;
    readonly cpuSeconds: PhaseCpu;
    /** TLS handshakes at the backup pool's server from the command until everyone was back. */
    readonly handshakesAtBackup: { readonly full: number; readonly resumed: number };
  };
  readonly failback: {
    readonly commandSeconds: number;
    readonly allBackSeconds: number;
    readonly lostWrites: number;
    readonly cpuSeconds: PhaseCpu;
  };
  readonly disaster: { readonly commandSeconds: number; readonly allBackSeconds: number };
}

/** Polls the workers until `count` clients are signed in at `pool` in regular mode; returns ms waited. */
async function allAt(pool: WorkerPool, server: string, count: number, timeoutMs: number): Promise<number> {
  const start = Date.now();
  let nextNote = start + 5_000;
  for (;;) {
    const reports = await pool.all(() => ({ cmd: 'status' }), 'status');
    let n = 0;
    for (const r of reports) n += (r.counts as Record<string, number>)[`${server}|regular`] ?? 0;
    if (n >= count) return Date.now() - start;
    if (Date.now() >= nextNote) {
      nextNote += 5_000;
      process.stderr.write(
        `  ${Math.round((Date.now() - start) / 1000)} s: ${n} of ${count} at ${server}; ` +
          `retries ${JSON.stringify(sumCounts(reports, 'retryCauses'))}\n`,
      );
    }
    if (Date.now() - start > timeoutMs)
      throw new Error(
        `only ${n} of ${count} users back at ${server} after ${timeoutMs} ms; ` +
          `clients by state: ${JSON.stringify(sumCounts(reports, 'counts'))}; ` +
          `why they retried: ${JSON.stringify(sumCounts(reports, 'retryCauses'))}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Adds up one tally (by key) over every worker's status report. */
function sumCounts(reports: readonly WorkerReport[], field: string): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const r of reports)
    for (const [k, v] of Object.entries((r[field] ?? {}) as Record<string, number>))
      sum[k] = (sum[k] ?? 0) + v;
  return sum;
}

/**
 * `resumeTls` false: every client reconnects with a full TLS handshake, to measure what resuming the session at
 * the backup pool's server saves.
 */
export async function failoverBench(
  users: number,
  workers = 2,
  resumeTls = true,
): Promise<FailoverBenchResult> {
  // The CMS is at Dallas: a disaster at Atlanta leaves it writable (Lync's pool failover procedure fails the CMS over first otherwise).
  const c = await Cluster.start({ users: 0, edgeNextHop: 'dal', cmsPool: 'dal', keepaliveTimeout: 600 });
  const pool = await WorkerPool.start(workers);
  const peer = harnessPeer(c);
  let ledger: WriteLedger | undefined;
  try {
    const all = await provisionUsers(c, users, 'fo');
    const writers = await provisionUsers(c, 20, 'writer');
    const url = `wss://${c.fixture.atl.address}/v1/client`;
    const slices = Array.from({ length: workers }, (_, i) => all.filter((_, j) => j % workers === i));
    await pool.all(
      (i) => ({
        cmd: 'signin',
        url,
        ca: c.ca,
        users: slices[i],
        concurrency: 64,
        reconnect: { maxDelayMs: 1_000 },
        resumeTls,
      }),
      'signed-in',
    );
    await allAt(pool, ATL, users, 60_000);
    ledger = new WriteLedger(
      await Promise.all(
        writers.map(async (w) => ({ sip: w.sip, client: await tokenClient(url, c.ca, w.sip, w.token) })),
      ),
    );
    ledger.run(20);

    // Planned failover: the command, then every user back at work at Dallas.
    let cpu = await cpuNow(c, pool);
    const backupBefore = await scrape(c.fixture.dal.address, c.ca);
    process.stderr.write(`  planned failover of ${users} users\n`);
    let t = Date.now();
    const fo = await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL}`);
    if (fo.code !== 0) throw new Error(`failover failed: ${fo.err}`);
    const foCommand = (Date.now() - t) / 1000;
    await allAt(pool, DAL, users, 120_000);
    const foAll = (Date.now() - t) / 1000;
    const foCpu = cpuSince(cpu, await cpuNow(c, pool));
    const foHandshakes = handshakesBetween(backupBefore, await scrape(c.fixture.dal.address, c.ca));
    await new Promise((r) => setTimeout(r, 1_000));
    const lostAfterFailover = (await ledger.missingAt(peer, DAL)).length;

    cpu = await cpuNow(c, pool);
    process.stderr.write(`  failback\n`);
    t = Date.now();
    const fb = await c.shell(`Invoke-CsPoolFailBack -PoolFqdn ${ATL}`);
    if (fb.code !== 0) throw new Error(`failback failed: ${fb.err}`);
    const fbCommand = (Date.now() - t) / 1000;
    await allAt(pool, ATL, users, 180_000);
    const fbAll = (Date.now() - t) / 1000;
    const fbCpu = cpuSince(cpu, await cpuNow(c, pool));
    await ledger.stop();
    const lostAfterFailback = (await ledger.missingAt(peer, ATL)).length;
    const ledgerWrites = ledger.count();
    await ledger.close();
    ledger = undefined;

    // Disaster: Atlanta is killed; its users retry, and are back at Dallas once the failover is done.
    await c.shell(`Invoke-CsBackupServiceSync -PoolFqdn ${ATL}`);
    await c.kill(ATL, 'SIGKILL');
    process.stderr.write(`  disaster failover\n`);
    t = Date.now();
    const dis = await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL} -DisasterMode`, { server: DAL });
    if (dis.code !== 0) throw new Error(`disaster failover failed: ${dis.err}`);
    const disCommand = (Date.now() - t) / 1000;
    await allAt(pool, DAL, users, 120_000);
    const disAll = (Date.now() - t) / 1000;
    return {
      users,
      planned: {
        commandSeconds: round(foCommand, 2),
        allBackSeconds: round(foAll, 2),
        ledgerWrites,
        lostWrites: lostAfterFailover,
        cpuSeconds: foCpu,
        handshakesAtBackup: foHandshakes,
      },
      failback: {
        commandSeconds: round(fbCommand, 2),
        allBackSeconds: round(fbAll, 2),
        lostWrites: lostAfterFailback,
        cpuSeconds: fbCpu,
      },
      disaster: { commandSeconds: round(disCommand, 2), allBackSeconds: round(disAll, 2) },
    };
  } finally {
    await ledger?.close();
    await pool.close();
    peer.close();
    await c.stop();
  }
}

/** CPU seconds used so far by Atlanta (home), Dallas (backup) and the client workers. */
async function cpuNow(c: Cluster, pool: WorkerPool): Promise<PhaseCpu> {
  const serverCpu = async (address: string) =>
    metric(await scrape(address, c.ca), 'tandem_process_cpu_seconds_total');
  const reports = await pool.all(() => ({ cmd: 'status' }), 'status');
  return {
    home: await serverCpu(c.fixture.atl.address),
    backup: await serverCpu(c.fixture.dal.address),
    clients: reports.reduce((sum, r) => sum + Number(r.cpuSeconds ?? 0), 0),
  };
}

function cpuSince(before: PhaseCpu, after: PhaseCpu): PhaseCpu {
  return {
    home: round(after.home - before.home, 1),
    backup: round(after.backup - before.backup, 1),
    clients: round(after.clients - before.clients, 1),
  };
}

async function tokenClient(url: string, ca: string, sip: string, token: string) {
  const { TandemClient } = await import('../client-sdk/index.js');
  const cl = new TandemClient({
    urls: [url],
    ca,
    user: sip,
    token,
    reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
  });
  await cl.connect();
  return cl;
}
