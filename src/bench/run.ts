/**
 * @module `npm run bench`: runs the benchmarks on this machine and writes their results to bench/results/
 * (one JSON file per benchmark, plus results.md). Options: --only a,b  --users N  --repeat N.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../files/package-root.js';
import { signInBench } from './signin-bench.js';
import { presenceBench } from './presence-bench.js';
import { replicationBench } from './replication-bench.js';
import { failoverBench } from './failover-bench.js';
import { cmsFailoverBench } from './cms-failover-bench.js';
import { handshakeBench } from './handshake-bench.js';
import { median } from './stats.js';

/**
 * One process may hold as many sockets as its open-files limit (this machine's hard limit is 20,000), less what a
 * server keeps for its stores, logs, links and HTTP requests: at 20,000 it takes 19,616 client connections
 * (docs/operations.md, "Resources a client can take").
 */
export const DEFAULT_STORM_USERS = 19_500;
/** Signed-in users of the failed-over pool; both servers hold them at once while they move. */
export const DEFAULT_FAILOVER_USERS = 19_500;

interface Args {
  only: Set<string> | undefined;
  users: number;
  repeat: number;
  backlog: number;
  failoverUsers: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    only: undefined,
    users: DEFAULT_STORM_USERS,
    repeat: 3,
    backlog: 1_000_000,
    failoverUsers: DEFAULT_FAILOVER_USERS,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') args.only = new Set((argv[++i] ?? '').split(','));
    else if (a === '--users') args.users = Number(argv[++i]);
    else if (a === '--repeat') args.repeat = Number(argv[++i]);
    else if (a === '--backlog') args.backlog = Number(argv[++i]);
    else if (a === '--failover-users') args.failoverUsers = Number(argv[++i]);
  }
  return args;
}

const BENCHES: Record<string, (a: Args) => Promise<unknown>> = {
  signin: (a) => signInBench(a.users),
  presence: () => presenceBench(4_000),
  replication: (a) => replicationBench([500, 1_000, 2_000, 4_000, 8_000], a.backlog),
  handshake: () => handshakeBench(),
  // One accepting descriptor instead of 16: what the accept fan-out costs TLS handshakes.
  'handshake-one-acceptor': () => handshakeBench({ acceptors: 1 }),
  // Node's TLS alone with the front end's certificate and options: the floor under the front end's figure.
  'handshake-bare-node': () => handshakeBench({ target: 'bare-node' }),
  failover: (a) => failoverBench(a.failoverUsers),
  // The same failover with every reconnection a full TLS handshake: what resumption at the backup pool saves.
  'failover-full-handshakes': (a) => failoverBench(a.failoverUsers, 2, false),
  cms: () => cmsFailoverBench(),
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = join(packageRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  for (const [name, run] of Object.entries(BENCHES)) {
    if (args.only && !args.only.has(name)) continue;
    const runs: unknown[] = [];
    for (let i = 0; i < args.repeat; i++) {
      process.stdout.write(`bench ${name}: run ${i + 1}/${args.repeat}\n`);
      const r = await run(args);
      process.stdout.write(`${JSON.stringify(r)}\n`);
      runs.push(r);
    }
    const result = { bench: name, at: new Date().toISOString(), machine, runs, median: medianOf(runs) };
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  }
}

/** Field-wise median over runs (numbers, recursively). */
export function medianOf(runs: readonly unknown[]): unknown {
  const first = runs[0];
  if (typeof first === 'number') return median(runs as number[]);
  if (typeof first !== 'object' || first === null) return first;
  if (Array.isArray(first)) return first.map((_, i) => medianOf(runs.map((r) => (r as unknown[])[i])));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(first))
    out[key] = medianOf(runs.map((r) => (r as Record<string, unknown>)[key]));
  return out;
}

await main();
