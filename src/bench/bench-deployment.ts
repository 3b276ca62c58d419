/**
 * @module A deployment for benchmarks: the Litware pair on free ports with many users imported in bulk
 * (one precomputed password hash) and sign-in tokens minted with the deployment key, as a provisioning
 * system would hand them out.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cluster } from '../devkit/cluster.js';
import { hashPassword } from '../security/password-hash.js';
import { deriveKey, KeyPurpose, loadDeploymentKey } from '../security/deployment-secrets.js';
import { issueToken } from '../registrar/sign-in-token.js';
import { ATL } from '../devkit/topology-fixture.js';

export const BENCH_PASSWORD = 'Bench-Password-1';
/** Client connections per source address the bench's servers take (all its users on one server, 16 addresses). */
export const BENCH_CONNECTIONS_PER_ADDRESS = 10_000;

export interface BenchUser {
  readonly sip: string;
  readonly token: string;
}

export async function benchDeployment(
  opts: { start?: readonly ('atl' | 'dal')[]; serverEnv?: Record<string, string> } = {},
): Promise<Cluster> {
  // The simulated clients come from 16 loopback addresses: raise the per-address cap explicitly, so that a
  // change of its default never turns a bench into a connection-limit test.
  return Cluster.start({
    users: 0,
    keepaliveTimeout: 600,
    maxConnectionsPerAddress: BENCH_CONNECTIONS_PER_ADDRESS,
    ...(opts.start ? { start: opts.start } : {}),
    ...(opts.serverEnv ? { serverEnv: opts.serverEnv } : {}),
  });
}

/** Imports `count` users homed on `pool` (default Atlanta) named bench-<prefix>-<n>; returns them with tokens. */
export async function provisionUsers(
  c: Cluster,
  count: number,
  prefix: string,
  pool = ATL,
  sipDomain = 'litwareinc.com',
): Promise<BenchUser[]> {
  const hash = await hashPassword(BENCH_PASSWORD, 1024);
  const sips = Array.from({ length: count }, (_, i) => `sip:${prefix}${i}@${sipDomain}`);
  const csv = [
    'SipAddress,DisplayName,RegistrarPool,PasswordHash',
    ...sips.map((s, i) => `${s},Bench ${prefix} ${i},${pool},${hash}`),
  ].join('\n');
  const file = join(c.dataDir, `${prefix}.csv`);
  writeFileSync(file, `${csv}\n`);
  const r = await c.shell(`Import-CsUser -FileName ${file}`);
  if (r.code !== 0) throw new Error(`import failed: ${r.err}`);
  const key = deriveKey(loadDeploymentKey(c.dataDir), KeyPurpose.SignInToken);
  const now = Date.now();
  return sips.map((sip) => ({
    sip,
    token: issueToken(key, { sip, gen: 0, iat: now, exp: now + 3_600_000 }),
  }));
}
