/**
 * @module Pacing of relocations. When a failover or failback signs out thousands of users at once, they must
 * not all reconnect in the same instant: a reconnection storm overflows the serving pool's accept queue,
 * and the dropped attempts come back only when TCP and the clients' own timeouts retry them. The pool that
 * signs users out therefore tells each one a window to come back within, sized by the serving pool's
 * `registrar.relocationRate` (per server); failback moves its batches at the same rate.
 */
import type { Topology } from '../topology/topology-types.js';
import { findPool } from '../topology/topology-lookups.js';

/** No client is told to wait longer than this, whatever the numbers (a misconfigured rate). */
export const MAX_RELOCATION_WINDOW_MS = 120_000;

/** Sign-ins per second `poolFqdn` takes from relocated users: its servers times its relocation rate. */
export function relocationCapacity(topology: Topology, poolFqdn: string): number | undefined {
  const pool = findPool(topology, poolFqdn);
  if (!pool) return undefined;
  return pool.registrar.relocationRate * Math.max(1, pool.servers.length);
}

/** The window within which `count` endpoints relocated to `poolFqdn` should sign in again (ms). */
export function relocationWindowMs(topology: Topology, poolFqdn: string, count: number): number {
  const perSecond = relocationCapacity(topology, poolFqdn);
  if (perSecond === undefined || count <= 0) return 0;
  return Math.min(MAX_RELOCATION_WINDOW_MS, Math.ceil((count / perSecond) * 1000));
}
