/**
 * @module Phase 1 of a server's assembly: its secrets, its CMS replica and the CMS service over it, the
 * topology (published, or the bootstrap file on first start) and its pool's store, created and seeded with
 * the CMS on the very first start of the CMS pool's first server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStore, openStore, type Store } from '../storage/index.js';
import { CmsReplica } from '../cms/cms-replica.js';
import { CmsService } from '../cms/cms-service.js';
import { seedCmsIfEmpty } from '../cms/cms-bootstrap.js';
import { parseTopology } from '../topology/parse-topology.js';
import { allServers, findServer, poolOfServer, requireServer } from '../topology/topology-lookups.js';
import type { PoolSpec, Topology } from '../topology/topology-types.js';
import { ensureAdminCredentialFile, hashAdminSecret } from '../security/admin-credential.js';
import {
  deriveKey,
  ensureDeploymentKey,
  KeyPurpose,
  loadDeploymentKey,
} from '../security/deployment-secrets.js';
import { PeerClient } from '../s2s/peer-client.js';
import {
  ensureDeploymentCa,
  ensureServerCertificate,
  type ServerTlsMaterial,
} from '../certificates/deployment-pki.js';
import { ServerCertificates } from '../certificates/server-certificates.js';
import { cmsRemote } from '../s2s/cms-links.js';
import { TandemError } from '../errors/index.js';
import type { ServerConfig } from './server-config.js';

export interface Stores {
  readonly deploymentKey: Buffer;
  /** This server's certificate and key, and the deployment CA it trusts (for its port and its links), at start. */
  readonly tls: ServerTlsMaterial;
  /** Its certificates as the certificate cmdlets change them; the one in use is `certificates.current()`. */
  readonly certificates: ServerCertificates;
  readonly peer: PeerClient;
  readonly cms: CmsService;
  /** This server's pool, as the topology said at start. */
  readonly pool: PoolSpec;
  /** The pool's store (its back-end database), holding user data and this pool's copy of the CMS, if any. */
  readonly poolStore: Store;
}

export async function openStores(config: ServerConfig): Promise<Stores> {
  const { fqdn, dataDir, topologyPath } = config;
  ensureDeploymentKey(dataDir);
  const deploymentKey = loadDeploymentKey(dataDir);
  const bootstrapYaml = topologyPath ? readTopologyText(topologyPath) : undefined;
  const bootstrap = bootstrapYaml
    ? parseTopology(bootstrapYaml, { dataDir, sourceName: topologyPath })
    : undefined;

  const replicaStore = await openSqliteStore(join(dataDir, 'servers', fqdn, 'cms-replica.sqlite'));
  const replica = await CmsReplica.open(replicaStore, bootstrap?.cmsPool ?? 'unknown');
  // The peer finds servers in the CMS's topology and the CMS reaches its master through the peer: the book
  // is read when a call is sent, never while the two are built.
  const peerBook = { addressOf: (s: string) => findServer(cms.topology(), s)?.linkAddress };
  // The certificate names the server's pool and address, known once the topology is: links open only later.
  const own: { certificates?: ServerCertificates } = {};
  const peer = new PeerClient(fqdn, deriveKey(deploymentKey, KeyPurpose.ServerToServer), peerBook, () => {
    if (!own.certificates)
      throw new TandemError('INTERNAL', { detail: `server ${fqdn} has no certificate yet` });
    return own.certificates.current();
  });
  const cms: CmsService = new CmsService({
    replica,
    remote: cmsRemote(peer),
    dataDir,
    bootstrapTopology: bootstrap,
  });
  const topology = await topologyOrClose(cms, () => replicaStore.close(), fqdn);
  const pool = poolOfThisServer(topology, fqdn);
  const { tls, certificates } = await serverTls(dataDir, topology, pool, fqdn).catch(async (err: unknown) => {
    await replicaStore.close();
    throw err;
  });
  own.certificates = certificates;
  // New links present the new certificate (Set-CsCertificate); calls under way finish on their own.
  certificates.onChange(() => peer.renewAgent());
  const poolStore = await openStore(pool.store, pool.fqdn);
  // The deployment's very first start: the CMS pool's first server creates the CMS (once; later starts find it).
  const isFirstOfPool = pool.servers[0]?.fqdn === fqdn;
  if (isFirstOfPool && bootstrap && bootstrapYaml && bootstrap.cmsPool === pool.fqdn) {
    const cred = ensureAdminCredentialFile(dataDir, bootstrap.name);
    const seeded = await seedCmsIfEmpty(poolStore, {
      topologyYaml: bootstrapYaml,
      topology: bootstrap,
      admin: { name: cred.name, secretHash: hashAdminSecret(cred.secret) },
    });
    if (seeded) config.log.info({ pool: pool.fqdn }, 'created the Central Management Store (first start)');
  }
  return { deploymentKey, tls, certificates, peer, cms, pool, poolStore };
}

/** The server's certificate, issued by the deployment CA (created on the deployment's first start) if missing. */
async function serverTls(
  dataDir: string,
  topology: Topology,
  pool: PoolSpec,
  fqdn: string,
): Promise<{ tls: ServerTlsMaterial; certificates: ServerCertificates }> {
  await ensureDeploymentCa(dataDir, topology.name);
  const spec = requireServer(topology, fqdn);
  const identity = { fqdn, poolFqdn: pool.fqdn, host: spec.host };
  const tls = await ensureServerCertificate(dataDir, identity);
  return { tls, certificates: new ServerCertificates(dataDir, identity, tls) };
}

/** The topology in force; a server that never received one cannot start (its replica store is closed). */
async function topologyOrClose(cms: CmsService, close: () => Promise<void>, fqdn: string): Promise<Topology> {
  try {
    return cms.topology();
  } catch {
    await close();
    throw new TandemError('TOPOLOGY_FILE_UNREADABLE', {
      path: '(none)',
      reason: `server ${fqdn} has never received a topology; start it with --topology <file>`,
    });
  }
}

function poolOfThisServer(topology: Topology, fqdn: string): PoolSpec {
  requireServer(topology, fqdn);
  const pool = poolOfServer(topology, fqdn);
  if (!pool)
    throw new TandemError('UNKNOWN_SERVER', {
      server: fqdn,
      known: allServers(topology)
        .map((s) => s.fqdn)
        .join(', '),
    });
  return pool;
}

function readTopologyText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new TandemError(
      'TOPOLOGY_FILE_UNREADABLE',
      { path, reason: (err as Error).message },
      { cause: err },
    );
  }
}
