/**
 * @module The fuzzers' long mode: between the drill's cycles, while the users keep working, every external
 * parser gets a run of malformed and random input (client frames, admin API requests, server-to-server
 * requests, topology documents, cmdlet lines). Anything that crashes, hangs or answers unclearly is a
 * violation of the drill.
 */
import { readFileSync } from 'node:fs';
import {
  describeReport,
  fuzzAdminApi,
  fuzzClientProtocol,
  fuzzCmdletGrammar,
  fuzzS2s,
  fuzzTopology,
  type FuzzReport,
} from '../devkit/fuzz/index.js';
import {
  adminCredentialPath,
  formatAdminAuthorization,
  readAdminCredentialFile,
} from '../security/admin-credential.js';
import { deriveKey, KeyPurpose, loadDeploymentKey } from '../security/deployment-secrets.js';
import { BENCH_PASSWORD } from '../bench/bench-deployment.js';
import type { DrillContext, PoolName } from './drill-context.js';
import { ReadinessWatch } from './readiness-watch.js';

/**
 * In the drill an answer may wait behind a sign-in storm or a failover: only an answer this late counts as a
 * hang (the test suite's short runs, on idle servers, hold answers to 5 s).
 */
const HANG_MS = 30_000;
/** How long a round waits for every server to be ready before it counts that as a violation. */
const READY_WAIT_MS = 180_000;

/** Users the fuzzers sign in as: not in the ledger, so whatever the fuzzing writes to them is theirs. */
export interface FuzzUsers {
  readonly pool: PoolName;
  readonly sips: readonly string[];
}

export async function fuzzRound(ctx: DrillContext, users: FuzzUsers, iterations: number): Promise<void> {
  const c = ctx.cluster;
  const pool = ctx.servedBy.get(users.pool) ?? users.pool;
  const address = c.addressOf(ctx.serverOf(pool));
  const scratch = users.sips[0] ?? '';
  // The round starts once every server is ready (a scenario may end with one still catching up); a late answer
  // while one was restarting or starting anyway is explained by that, not by the input (readiness-watch.ts).
  const watch = new ReadinessWatch(
    ctx.pools.map((p) => ({ fqdn: ctx.serverOf(p), address: c.addressOf(ctx.serverOf(p)) })),
    HANG_MS,
    c.ca,
  );
  if (!(await watch.allReady(READY_WAIT_MS))) {
    ctx.violate(
      'fuzz',
      `a server of the deployment was not ready ${READY_WAIT_MS / 1000} s after the scenario`,
    );
    return;
  }
  watch.start();
  try {
    await runFuzzers(ctx, users, iterations, address, scratch, watch);
  } finally {
    watch.stop();
  }
}

async function runFuzzers(
  ctx: DrillContext,
  users: FuzzUsers,
  iterations: number,
  address: string,
  scratch: string,
  watch: ReadinessWatch,
): Promise<void> {
  const c = ctx.cluster;
  const seed = ctx.options.seed * 1_000 + ctx.cycle;
  const reports: FuzzReport[] = [
    await fuzzClientProtocol({
      address,
      ca: c.ca,
      users: users.sips.map((sip) => ({ sip, password: BENCH_PASSWORD })),
      seed,
      iterations,
      timeoutMs: HANG_MS,
    }),
    await fuzzAdminApi({
      address,
      tls: { ca: c.ca },
      authorization: formatAdminAuthorization(readAdminCredentialFile(adminCredentialPath(c.dataDir))),
      documents: { 'Publish-CsTopology': readFileSync(c.topologyPath, 'utf8') },
      knownValues: [
        ...ctx.pools,
        ...(ctx.deployment.edge ? [ctx.deployment.edge.fqdn] : []),
        scratch,
        'admin',
      ],
      seed: seed + 1,
      iterations: Math.ceil(iterations / 3),
      timeoutMs: 2 * HANG_MS,
      slowMs: HANG_MS,
      slowReason: (from, to) => watch.reason(from, to),
    }),
    await fuzzS2s({
      address,
      // Signed as the server itself would sign, over mutual TLS with its certificate.
      from: ctx.serverOf(users.pool),
      tls: c.tlsAs(ctx.serverOf(users.pool)),
      key: deriveKey(loadDeploymentKey(c.dataDir), KeyPurpose.ServerToServer),
      pools: [...ctx.pools],
      scratchUser: scratch,
      seed: seed + 2,
      iterations: Math.ceil(iterations / 2),
      timeoutMs: HANG_MS,
    }),
    fuzzTopology(seed + 3, Math.ceil(iterations / 2)),
    fuzzCmdletGrammar(seed + 4, iterations),
  ];
  for (const r of reports) {
    ctx.fuzzInputs[r.target] = (ctx.fuzzInputs[r.target] ?? 0) + r.inputs;
    if (r.violations.length > 0) ctx.violate('fuzz', describeReport(r));
  }
  ctx.log(`  fuzzed ${reports.map((r) => `${r.target} ${r.inputs}`).join(', ')}`);
}
