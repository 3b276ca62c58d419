/** @module Topology documents for tests: the Litware pair on free ports, with knobs the scenarios need. */
import type { StoreBackend } from './cluster-stores.js';
import { freePorts } from './ports.js';

export interface FixtureOptions {
  /** Demo users created on first start (default 20). */
  readonly users?: number;
  readonly failureDetection?: number;
  readonly fallbackDetection?: number;
  /**
   * PostgreSQL URLs for Enterprise pools instead of SQLite Standard pools. An Enterprise pool's server has its
   * own FQDN (ATL_FE, DAL_FE), as Lync requires; the pool keeps ATL / DAL.
   */
  readonly postgres?: { readonly atl: string; readonly dal: string };
  /**
   * Front ends per pool (Enterprise pools only, so with `postgres`; default 1): atl-fe-001 … and dal-fe-001 …,
   * each on its own port.
   */
  readonly frontEnds?: number;
  /**
   * The backend Cluster.start and startSplitCluster create the stores on, when `postgres` names none
   * (default: this run's, src/devkit/cluster-stores.ts).
   */
  readonly stores?: StoreBackend;
  readonly ports?: readonly number[];
  readonly keepaliveTimeout?: number;
  readonly maxEndpointsPerUser?: number;
  /** Conference content quotas in MB (topology `conferencing`). */
  readonly contentQuotaMb?: { readonly conference?: number; readonly user?: number };
  /** Client connections per server, and per source address. */
  readonly maxConnections?: number;
  readonly maxConnectionsPerAddress?: number;
  /** Sign-in token lifetime in seconds. */
  readonly tokenLifetime?: number;
  /** Absolute session lifetime in seconds (security.sessionLifetime). */
  readonly sessionLifetime?: number;
  /** The pool that hosts the CMS (default Atlanta). */
  readonly cmsPool?: 'atl' | 'dal';
  /** The Edge pool's next hop (default Atlanta, as in the demo). */
  readonly edgeNextHop?: 'atl' | 'dal';
  /** Addresses other servers use to reach each server (for a proxy between the sites). */
  readonly linkAddresses?: { readonly atl?: string; readonly dal?: string };
}

export interface FixtureServer {
  readonly fqdn: string;
  readonly address: string;
}

export interface FixturePool {
  readonly pool: string;
  /** The pool's first server (a Standard pool's only one). */
  readonly server: string;
  readonly address: string;
  /** Every server of the pool, the first one first. */
  readonly servers: readonly FixtureServer[];
  /** A SQLite file in the data folder, or a PostgreSQL URL. */
  readonly store: { readonly sqlite: string } | { readonly postgres: string };
}

export interface Fixture {
  readonly yaml: string;
  readonly atl: FixturePool;
  readonly dal: FixturePool;
}

export const ATL = 'atl-cs-001.litwareinc.com';
export const DAL = 'dal-cs-001.litwareinc.com';
export const EDGE = 'atl-edge-001.litwareinc.com';
/** The servers of the Enterprise pools ATL and DAL (with `postgres`). */
export const ATL_FE = 'atl-fe-001.litwareinc.com';
export const DAL_FE = 'dal-fe-001.litwareinc.com';

function conferencing(opts: FixtureOptions): string {
  const q = opts.contentQuotaMb;
  if (!q) return '';
  const keys = [
    q.conference !== undefined ? `maxContentStorageMb: ${q.conference}` : '',
    q.user !== undefined ? `maxContentStorageMbPerUser: ${q.user}` : '',
  ].filter((k) => k !== '');
  return `conferencing: { ${keys.join(', ')} }\n`;
}

export async function litwareFixture(opts: FixtureOptions = {}): Promise<Fixture> {
  const frontEnds = opts.frontEnds ?? 1;
  if (frontEnds > 1 && !opts.postgres)
    throw new Error('several front ends per pool need an Enterprise pool (postgres)');
  const ports = opts.ports ?? (await freePorts(2 * frontEnds));
  const edition = opts.postgres ? 'Enterprise' : 'Standard';
  const serversOf = (pool: 'atl' | 'dal'): FixtureServer[] =>
    Array.from({ length: frontEnds }, (_, i) => ({
      fqdn: !opts.postgres ? (pool === 'atl' ? ATL : DAL) : frontEndFqdn(pool, i + 1),
      address: `127.0.0.1:${ports[pool === 'atl' ? i : frontEnds + i]}`,
    }));
  const [atlServers, dalServers] = [serversOf('atl'), serversOf('dal')];
  // A link address (a proxy between the sites) stands for the pool's first server.
  const link = (pool: 'atl' | 'dal', i: number) =>
    i === 0 && opts.linkAddresses?.[pool] ? `, linkAddress: "${opts.linkAddresses[pool]}"` : '';
  const serverList = (pool: 'atl' | 'dal', servers: readonly FixtureServer[]) =>
    `[ ${servers.map((s, i) => `{ fqdn: ${s.fqdn}, address: "${s.address}"${link(pool, i)} }`).join(', ')} ]`;
  const storeOf = (pool: 'atl' | 'dal') =>
    opts.postgres ? { postgres: opts.postgres[pool] } : { sqlite: `${pool}.sqlite` };
  const store = (pool: 'atl' | 'dal') => {
    const s = storeOf(pool);
    return 'postgres' in s ? `{ postgres: "${s.postgres}" }` : `{ sqlite: ${s.sqlite} }`;
  };
  const extra = [
    opts.keepaliveTimeout !== undefined ? `, keepaliveTimeout: ${opts.keepaliveTimeout}` : '',
    opts.maxEndpointsPerUser !== undefined ? `, maxEndpointsPerUser: ${opts.maxEndpointsPerUser}` : '',
    opts.maxConnections !== undefined ? `, maxConnections: ${opts.maxConnections}` : '',
    opts.maxConnectionsPerAddress !== undefined
      ? `, maxConnectionsPerAddress: ${opts.maxConnectionsPerAddress}`
      : '',
  ].join('');
  const registrar = `    registrar: { failureDetection: ${opts.failureDetection ?? 120}, fallbackDetection: ${opts.fallbackDetection ?? 240}${extra} }`;
  const yaml = `name: litware-test
sipDomain: litwareinc.com
cmsPool: ${opts.cmsPool === 'dal' ? DAL : ATL}
security: { passwordHashCost: 1024${opts.tokenLifetime !== undefined ? `, tokenLifetime: ${opts.tokenLifetime}` : ''}${opts.sessionLifetime !== undefined ? `, sessionLifetime: ${opts.sessionLifetime}` : ''} }
demo: { users: ${opts.users ?? 20}, password: "Test-Password-1" }
${conferencing(opts)}sites: [ { name: Atlanta }, { name: Dallas } ]
pools:
  - fqdn: ${ATL}
    site: Atlanta
    edition: ${edition}
    backupPool: ${DAL}
    store: ${store('atl')}
${registrar}
    servers: ${serverList('atl', atlServers)}
  - fqdn: ${DAL}
    site: Dallas
    edition: ${edition}
    backupPool: ${ATL}
    store: ${store('dal')}
${registrar}
    servers: ${serverList('dal', dalServers)}
edgePools:
  - { fqdn: ${EDGE}, site: Atlanta, nextHopPool: ${opts.edgeNextHop === 'dal' ? DAL : ATL} }
`;
  return {
    yaml,
    atl: fixturePool(ATL, atlServers, storeOf('atl')),
    dal: fixturePool(DAL, dalServers, storeOf('dal')),
  };
}

/** `atl-fe-001.litwareinc.com` for (atl, 1): the n-th front end of an Enterprise pool of the pair. */
export function frontEndFqdn(pool: 'atl' | 'dal', n: number): string {
  return `${pool}-fe-${String(n).padStart(3, '0')}.litwareinc.com`;
}

function fixturePool(
  pool: string,
  servers: readonly FixtureServer[],
  store: FixturePool['store'],
): FixturePool {
  const first = servers[0];
  if (!first) throw new Error(`pool ${pool} has no server`);
  return { pool, server: first.fqdn, address: first.address, servers, store };
}
