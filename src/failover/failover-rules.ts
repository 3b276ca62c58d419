/**
 * @module The refusals of pool failover and failback (Lync's Invoke-CsPoolFailOver reference, "Failing over a pool in Lync Server 2013" and "Managing Lync Server 2013 disaster recovery, high availability, and Backup Service"): no backup pool, an Edge pool
 * using the pool as its next hop, the ordering rule of paired failovers, and the pool state required.
 */
import type { CmsView } from '../cms/cms-view.js';
import { PoolState } from '../cms/cms-documents.js';
import type { PoolSpec, Topology } from '../topology/topology-types.js';
import { requirePool } from '../topology/topology-lookups.js';
import { TandemError } from '../errors/index.js';

export interface PairedPools {
  readonly pool: PoolSpec;
  readonly backup: PoolSpec;
}

/**
 * Checks every rule a failover of `poolFqdn` must pass before anything changes. Besides Active, a pool left
 * FailingOver by an interrupted failover is accepted (the command resumes it), and in disaster mode a pool left
 * FailingBack (the failback is rolled back; the caller checks that the pool does not answer).
 */
export function checkFailover(
  topology: Topology,
  view: CmsView,
  poolFqdn: string,
  disaster = false,
): PairedPools {
  const pool = requirePool(topology, poolFqdn);
  if (!pool.backupPool) throw new TandemError('POOL_NO_BACKUP', { pool: pool.fqdn });
  const backup = requirePool(topology, pool.backupPool);
  const edge = topology.edgePools.find((e) => e.nextHopPool === pool.fqdn);
  if (edge) {
    const other =
      topology.pools.find((p) => p.fqdn !== pool.fqdn && p.site === edge.site)?.fqdn ?? backup.fqdn;
    throw new TandemError('POOL_EDGE_NEXT_HOP', { pool: pool.fqdn, edge: edge.fqdn, other });
  }
  // Lync's disaster recovery guide: a pool carrying another pool's users cannot itself be failed over until they are failed back.
  for (const p of topology.pools) {
    if (p.fqdn === pool.fqdn) continue;
    const s = view.poolState(p.fqdn);
    if (s.servedBy === pool.fqdn && s.state !== PoolState.Active) {
      throw new TandemError('POOL_ORDERING', { pool: pool.fqdn, other: p.fqdn, state: s.state });
    }
  }
  const state = view.poolState(pool.fqdn);
  const accepted: PoolState[] = [PoolState.Active, PoolState.FailingOver];
  if (disaster) accepted.push(PoolState.FailingBack);
  if (!accepted.includes(state.state)) {
    throw new TandemError('POOL_STATE', {
      pool: pool.fqdn,
      state: state.state,
      action: disaster ? 'a disaster failover' : 'a failover',
      expected: disaster
        ? `${PoolState.Active}, or ${PoolState.FailingOver} or ${PoolState.FailingBack} left by an interrupted command`
        : `${PoolState.Active} (or ${PoolState.FailingOver}, to resume an interrupted failover)`,
    });
  }
  return { pool, backup };
}

export function checkFailback(topology: Topology, view: CmsView, poolFqdn: string): PairedPools {
  const pool = requirePool(topology, poolFqdn);
  if (!pool.backupPool) throw new TandemError('POOL_NO_BACKUP', { pool: pool.fqdn });
  const backup = requirePool(topology, pool.backupPool);
  const state = view.poolState(pool.fqdn);
  // FailingBack: an earlier failback was interrupted (a cut link, a restart); running it again finishes it.
  if (state.state !== PoolState.FailedOver && state.state !== PoolState.FailingBack) {
    throw new TandemError('POOL_STATE', {
      pool: pool.fqdn,
      state: state.state,
      action: 'a failback',
      expected: `${PoolState.FailedOver} (or ${PoolState.FailingBack}, to finish an interrupted failback)`,
    });
  }
  return { pool, backup };
}
