/** @module Topology documents for tests: the Litware pair on free ports, with knobs the scenarios need. */
import { freePorts } from './ports.js';

export interface FixtureOptions {
  /** Demo users created on first start (default 20). */
  readonly users?: number;
  readonly failureDetection?: number;
  readonly fallbackDetection?: number;
  /** PostgreSQL URLs for Enterprise pools instead of SQLite Standard pools. */
  readonly postgres?: { readonly atl: string; readonly dal: string };
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

export interface Fixture {
  readonly yaml: string;
  readonly atl: { readonly pool: string; readonly server: string; readonly address: string };
  readonly dal: { readonly pool: string; readonly server: string; readonly address: string };
}

export const ATL = 'atl-cs-001.litwareinc.com';
export const DAL = 'dal-cs-001.litwareinc.com';
export const EDGE = 'atl-edge-001.litwareinc.com';

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
  const link = (pool: 'atl' | 'dal') =>
    opts.linkAddresses?.[pool] ? `, linkAddress: "${opts.linkAddresses[pool]}"` : '';
  const store = (pool: 'atl' | 'dal', file: string) =>
    opts.postgres ? `{ postgres: "${opts.postgres[pool]}" }` : `{ sqlite: ${file} }`;
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
    store: ${store('atl', 'atl.sqlite')}
${registrar}
    servers: [ { fqdn: ${ATL}, address: "127.0.0.1:${pa}"${link('atl')} } ]
  - fqdn: ${DAL}
    site: Dallas
    edition: ${edition}
    backupPool: ${ATL}
    store: ${store('dal', 'dal.sqlite')}
${registrar}
    servers: [ { fqdn: ${DAL}, address: "127.0.0.1:${pd}"${link('dal')} } ]
edgePools:
  - { fqdn: ${EDGE}, site: Atlanta, nextHopPool: ${opts.edgeNextHop === 'dal' ? DAL : ATL} }
`;
  return {
    yaml,
    atl: { pool: ATL, server: ATL, address: `127.0.0.1:${pa}` },
    dal: { pool: DAL, server: DAL, address: `127.0.0.1:${pd}` },
  };
}
