/**
 * @module Who sees a user's presence as Unknown. A user signed in at its backup pool in resiliency mode is
 * hidden from everyone (Lync's "User experience during pool failure"); during its home pool's failback only
 * viewers in that home pool are still kept from seeing it, the others see the last state it set. A user whose
 * serving pool is declared lost is Unknown, not Offline, to whoever cannot reach it.
 */
import type { CmsView } from '../cms/cms-view.js';
import { PoolState } from '../cms/cms-documents.js';
import type { Topology } from '../topology/topology-types.js';
import { poolOfServer } from '../topology/topology-lookups.js';

export interface VisibilityDeps {
  readonly view: Pick<CmsView, 'user' | 'poolState'>;
  readonly topology: () => Topology;
  /** Whether one of the user's endpoints here is signed in in resiliency mode. */
  readonly inResiliency: (sip: string) => boolean;
}

/** PresenceDeps.hiddenFrom: whether a viewer at `viewerServer` sees the user's presence as Unknown. */
export function hiddenFrom(d: VisibilityDeps): (sip: string, viewerServer: string) => boolean {
  return (sip, viewerServer) => {
    if (!d.inResiliency(sip)) return false;
    const user = d.view.user(sip);
    if (!user || d.view.poolState(user.homePool).state !== PoolState.FailingBack) return true;
    return poolOfServer(d.topology(), viewerServer)?.fqdn === user.homePool;
  };
}

/** PresenceDeps.servingPoolLost: whether the pool serving the user is declared lost. */
export function servingPoolLost(
  view: Pick<CmsView, 'user' | 'poolState'>,
  isLost: (pool: string) => boolean,
): (sip: string) => boolean {
  return (sip) => {
    const user = view.user(sip);
    return user !== undefined && isLost(view.poolState(user.homePool).servedBy);
  };
}
