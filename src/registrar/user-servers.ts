/**
 * @module Which servers serve a user now, read from the pool states in the CMS view: the pool serving the
 * user's home pool, the pool that served it before while a failback runs, and this server's own pool while
 * the home pool is silent and ours is its backup (registrar resiliency).
 */
import type { CmsView } from '../cms/cms-view.js';
import { PoolState } from '../cms/cms-documents.js';
import type { PoolSpec, Topology } from '../topology/topology-types.js';
import { findPool, serversInPreferredOrder } from '../topology/topology-lookups.js';

export interface UserServersDeps {
  readonly view: Pick<CmsView, 'user' | 'poolState'>;
  readonly topology: () => Topology;
  /** This server's pool. */
  readonly ownPool: PoolSpec;
  /** How long a pool has not answered this server's heartbeat (PoolLiveness). */
  readonly silentForMs: (pool: string) => number;
}

/** The FQDNs of the servers that serve a user, best first; empty for a user the CMS does not know. */
export function serversOfUser(d: UserServersDeps): (sip: string) => string[] {
  return (sip) => {
    const user = d.view.user(sip);
    if (!user) return [];
    const t = d.topology();
    const state = d.view.poolState(user.homePool);
    const servers: string[] = [];
    const add = (pool: PoolSpec | undefined) => {
      if (!pool) return;
      for (const s of serversInPreferredOrder(pool, sip)) if (!servers.includes(s.fqdn)) servers.push(s.fqdn);
    };
    add(findPool(t, state.servedBy));
    // During failback, users not yet moved are still at the pool that served them.
    if (state.state === PoolState.FailingBack) add(findPool(t, state.previous?.servedBy ?? ''));
    // Registrar resiliency: while the home pool is silent, its users may be signed in here, at its backup.
    const home = findPool(t, user.homePool);
    if (
      home?.backupPool === d.ownPool.fqdn &&
      state.servedBy === home.fqdn &&
      d.silentForMs(home.fqdn) >= home.registrar.failureDetectionMs
    )
      add(d.ownPool);
    return servers;
  };
}

/** Whether a user's home pool is served by `pool` now. */
export function servedByPool(view: Pick<CmsView, 'user' | 'poolState'>, pool: string) {
  return (sip: string): boolean => {
    const user = view.user(sip);
    return user !== undefined && view.poolState(user.homePool).servedBy === pool;
  };
}

/** Whether a user is homed on `pool`. */
export function homedOn(view: Pick<CmsView, 'user'>, pool: string) {
  return (sip: string): boolean => view.user(sip)?.homePool === pool;
}
