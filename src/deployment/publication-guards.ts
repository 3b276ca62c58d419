/**
 * @module What a new topology may not change under a running deployment: it may not remove a pool that
 * still homes users, nor move the store (or content folder) of a pool that holds data in use: its homed
 * users, or the Central Management Store. A moved store opens empty after the next restart, and the
 * pool would serve its users nothing (their data is still at the old path).
 */
import type { PoolSpec, StoreSpec, Topology } from '../topology/topology-types.js';
import { TandemError } from '../errors/index.js';

export interface PublicationFacts {
  /** The topology in force. */
  readonly current: Topology | undefined;
  /** Users homed at each pool. */
  readonly homed: ReadonlyMap<string, number>;
  /** The pool whose store holds the CMS master. */
  readonly cmsPool: string;
}

/** Throws the registry error for the first change the new topology may not make. */
export function checkPublication(next: Topology, facts: PublicationFacts): void {
  const remaining = new Set(next.pools.map((p) => p.fqdn));
  for (const [pool, count] of facts.homed) {
    if (!remaining.has(pool)) throw new TandemError('TOPOLOGY_POOL_HAS_USERS', { pool, count });
  }
  for (const before of facts.current?.pools ?? []) {
    const after = next.pools.find((p) => p.fqdn === before.fqdn);
    if (!after) continue;
    const moved = movedStorage(before, after);
    if (!moved) continue;
    const users = facts.homed.get(before.fqdn) ?? 0;
    if (users > 0) {
      throw new TandemError('TOPOLOGY_STORE_IN_USE', {
        pool: before.fqdn,
        what: moved.what,
        from: moved.from,
        to: moved.to,
        holds: `still homes ${users} user(s)`,
        first: 'Move its users to another pool first with Move-CsUser -Target <pool>',
      });
    }
    if (before.fqdn === facts.cmsPool && moved.what === 'store') {
      throw new TandemError('TOPOLOGY_STORE_IN_USE', {
        pool: before.fqdn,
        what: moved.what,
        from: moved.from,
        to: moved.to,
        holds: 'holds the Central Management Store',
        first:
          'Move the Central Management Store to another pool first with Invoke-CsManagementServerFailover',
      });
    }
  }
}

function movedStorage(
  before: PoolSpec,
  after: PoolSpec,
): { what: string; from: string; to: string } | undefined {
  const from = describeStore(before.store);
  const to = describeStore(after.store);
  if (from !== to) return { what: 'store', from, to };
  if (before.fileStore !== after.fileStore)
    return { what: 'content folder', from: before.fileStore, to: after.fileStore };
  return undefined;
}

/** Where a store is, without the credentials a connection string may carry. */
function describeStore(store: StoreSpec): string {
  if (store.kind === 'sqlite') return `sqlite ${store.path}`;
  try {
    const url = new URL(store.connectionString);
    return `postgres ${url.host}${url.pathname}`;
  } catch {
    return 'postgres (connection string not shown)';
  }
}
