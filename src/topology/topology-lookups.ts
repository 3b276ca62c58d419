/**
 * @module Pure look-ups over a compiled Topology: pools, servers and Edge pools by FQDN (case-insensitive),
 * pairing, and the order in which a user tries the front ends of a pool.
 */
import { TandemError } from '../errors/index.js';
import type { EdgePoolSpec, PoolSpec, ServerSpec, Topology } from './topology-types.js';

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function known(names: readonly string[]): string {
  return names.length === 0 ? '(none)' : names.join(', ');
}

export function findPool(t: Topology, fqdn: string): PoolSpec | undefined {
  return t.pools.find((pool) => same(pool.fqdn, fqdn));
}

/** The pool of that FQDN; throws UNKNOWN_POOL naming the known pools. */
export function requirePool(t: Topology, fqdn: string): PoolSpec {
  const pool = findPool(t, fqdn);
  if (pool === undefined)
    throw new TandemError('UNKNOWN_POOL', { pool: fqdn, known: known(t.pools.map((p) => p.fqdn)) });
  return pool;
}

/** The FQDNs of a pool's front-end servers in document order (the order they are tried); [] for no such pool. */
export function poolServerFqdns(t: Topology, poolFqdn: string): string[] {
  return findPool(t, poolFqdn)?.servers.map((server) => server.fqdn) ?? [];
}

/** Every front-end server, pool by pool in document order. */
export function allServers(t: Topology): readonly ServerSpec[] {
  return t.pools.flatMap((pool) => pool.servers);
}

export function findServer(t: Topology, fqdn: string): ServerSpec | undefined {
  return allServers(t).find((server) => same(server.fqdn, fqdn));
}

/** The front-end server of that FQDN; throws UNKNOWN_SERVER naming the known servers. */
export function requireServer(t: Topology, fqdn: string): ServerSpec {
  const server = findServer(t, fqdn);
  if (server === undefined) {
    throw new TandemError('UNKNOWN_SERVER', { server: fqdn, known: known(allServers(t).map((s) => s.fqdn)) });
  }
  return server;
}

/** The pool a front-end server belongs to, or undefined when there is no such server. */
export function poolOfServer(t: Topology, serverFqdn: string): PoolSpec | undefined {
  const server = findServer(t, serverFqdn);
  return server === undefined ? undefined : findPool(t, server.poolFqdn);
}

/** The backup pool paired with a pool, or undefined when the pool is unknown or unpaired. */
export function backupPoolOf(t: Topology, poolFqdn: string): PoolSpec | undefined {
  const backup = findPool(t, poolFqdn)?.backupPool;
  return backup === undefined ? undefined : findPool(t, backup);
}

export function findEdgePool(t: Topology, fqdn: string): EdgePoolSpec | undefined {
  return t.edgePools.find((edge) => same(edge.fqdn, fqdn));
}

/** The Edge pool of that FQDN; throws UNKNOWN_EDGE_POOL naming the known Edge pools. */
export function requireEdgePool(t: Topology, fqdn: string): EdgePoolSpec {
  const edge = findEdgePool(t, fqdn);
  if (edge === undefined)
    throw new TandemError('UNKNOWN_EDGE_POOL', { edge: fqdn, known: known(t.edgePools.map((e) => e.fqdn)) });
  return edge;
}

/** 32-bit FNV-1a over the UTF-8 bytes of a string. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The pool's servers in the order a user should try them: the list rotated by a hash of the user's SIP address
 * (lower-cased, `sip:` prefix ignored). The same user always gets the same order; users spread over front ends.
 */
export function serversInPreferredOrder(pool: PoolSpec, sipAddress: string): readonly ServerSpec[] {
  const count = pool.servers.length;
  if (count <= 1) return [...pool.servers];
  const key = sipAddress.trim().toLowerCase().replace(/^sip:/, '');
  const start = fnv1a(key) % count;
  return [...pool.servers.slice(start), ...pool.servers.slice(0, start)];
}
