/**
 * @module Compiles a checked topology document into the frozen Topology: fills defaults, resolves paths against
 * the data folder, splits listen addresses. Runs only after the schema and the semantic checks passed.
 */
import path from 'node:path';
import { parseListenAddress } from './listen-address.js';
import { TopologyDefaults, type PoolDocument, type TopologyDocument } from './topology-schema.js';
import type { PoolSpec, ServerSpec, StoreSpec, Topology } from './topology-types.js';

/** Absolute SQLite file (when the pool uses SQLite) and file store folder of a pool. */
export function poolPaths(
  pool: PoolDocument,
  dataDir: string,
): { sqlite: string | undefined; fileStore: string } {
  return {
    sqlite: pool.store.kind === 'sqlite' ? path.resolve(dataDir, pool.store.path) : undefined,
    fileStore: path.resolve(dataDir, pool.fileStore ?? TopologyDefaults.fileStoreFolder(pool.fqdn)),
  };
}

function compileServer(server: PoolDocument['servers'][number], poolFqdn: string): ServerSpec {
  const listen = parseListenAddress(server.address);
  // The semantic checks rejected bad addresses already; reaching this is a bug in them, not in the document.
  if ('error' in listen) throw new Error(`compileTopology: unchecked address: ${listen.error}`);
  return {
    fqdn: server.fqdn,
    poolFqdn,
    host: listen.host,
    port: listen.port,
    address: listen.address,
    linkAddress: server.linkAddress ?? listen.address,
  };
}

function compilePool(pool: PoolDocument, dataDir: string): PoolSpec {
  const paths = poolPaths(pool, dataDir);
  const store: StoreSpec =
    pool.store.kind === 'sqlite'
      ? { kind: 'sqlite', path: paths.sqlite ?? '' }
      : { kind: 'postgres', connectionString: pool.store.connectionString };
  return {
    fqdn: pool.fqdn,
    site: pool.site,
    edition: pool.edition,
    backupPool: pool.backupPool,
    store,
    fileStore: paths.fileStore,
    servers: pool.servers.map((server) => compileServer(server, pool.fqdn)),
    registrar: {
      failureDetectionMs: pool.registrar?.failureDetection ?? TopologyDefaults.failureDetectionMs,
      fallbackDetectionMs: pool.registrar?.fallbackDetection ?? TopologyDefaults.fallbackDetectionMs,
      maxEndpointsPerUser: pool.registrar?.maxEndpointsPerUser ?? TopologyDefaults.maxEndpointsPerUser,
      keepaliveTimeoutMs: pool.registrar?.keepaliveTimeout ?? TopologyDefaults.keepaliveTimeoutMs,
      relocationRate: pool.registrar?.relocationRate ?? TopologyDefaults.relocationRate,
      maxConnections: pool.registrar?.maxConnections,
      maxConnectionsPerAddress:
        pool.registrar?.maxConnectionsPerAddress ?? TopologyDefaults.maxConnectionsPerAddress,
    },
  };
}

/** MB as Lync counts them for content storage (MiB), in whole bytes. */
function megabytes(mb: number): number {
  return Math.floor(mb * 1024 * 1024);
}

/** Freezes an object graph, so that no consumer can alter the topology that every other one reads. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function compileTopology(doc: TopologyDocument, dataDir: string): Topology {
  const topology: Topology = {
    name: doc.name,
    sipDomain: doc.sipDomain,
    sites: doc.sites.map((site) => ({ name: site.name })),
    pools: doc.pools.map((pool) => compilePool(pool, dataDir)),
    edgePools: (doc.edgePools ?? []).map((edge) => ({
      fqdn: edge.fqdn,
      site: edge.site,
      nextHopPool: edge.nextHopPool,
    })),
    cmsPool: doc.cmsPool,
    security: {
      passwordHashCost: doc.security?.passwordHashCost ?? TopologyDefaults.passwordHashCost,
      tokenLifetimeMs: doc.security?.tokenLifetime ?? TopologyDefaults.tokenLifetimeMs,
      sessionLifetimeMs: doc.security?.sessionLifetime ?? TopologyDefaults.sessionLifetimeMs,
    },
    conferencing: {
      maxContentBytesPerConference: megabytes(
        doc.conferencing?.maxContentStorageMb ?? TopologyDefaults.maxContentStorageMb,
      ),
      maxContentBytesPerUser: megabytes(
        doc.conferencing?.maxContentStorageMbPerUser ?? TopologyDefaults.maxContentStorageMbPerUser,
      ),
    },
    demo: doc.demo === undefined ? undefined : { users: doc.demo.users, password: doc.demo.password },
  };
  return deepFreeze(topology);
}
