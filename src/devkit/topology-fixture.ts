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

export interface FixturePool {
  readonly pool: string;
  readonly server: string;
  readonly address: string;
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
  const [pa, pd] = opts.ports ?? (await freePorts(2));
  const edition = opts.postgres ? 'Enterprise' : 'Standard';
  const [atlServer, dalServer] = opts.postgres ? [ATL_FE, DAL_FE] : [ATL, DAL];
  const link = (pool: 'atl' | 'dal') =>
    opts.linkAddresses?.[pool] ? `, linkAddress: "${opts.linkAddresses[pool]}"` : '';
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
    servers: [ { fqdn: ${atlServer}, address: "127.0.0.1:${pa}"${link('atl')} } ]
  - fqdn: ${DAL}
    site: Dallas
    edition: ${edition}
    backupPool: ${ATL}
    store: ${store('dal')}
${registrar}
    servers: [ { fqdn: ${dalServer}, address: "127.0.0.1:${pd}"${link('dal')} } ]
edgePools:
  - { fqdn: ${EDGE}, site: Atlanta, nextHopPool: ${opts.edgeNextHop === 'dal' ? DAL : ATL} }
`;
  return {
    yaml,
    atl: { pool: ATL, server: atlServer, address: `127.0.0.1:${pa}`, store: storeOf('atl') },
    dal: { pool: DAL, server: dalServer, address: `127.0.0.1:${pd}`, store: storeOf('dal') },
  };
}
