/**
 * @module Which of the partner pool's changes the importer may apply, judged from this server's CMS view of
 * the pool states. A stale or divergent writer's changes are consumed without being applied (fencing).
 */
import type { ChangeRecord } from '../storage/index.js';
import { isAuthoritative, PoolState } from '../cms/cms-documents.js';
import type { CmsView } from '../cms/cms-view.js';

/** The part of the CMS view the rules read: who is homed where, and each pool's failover state. */
export type PoolStatesView = Pick<CmsView, 'user' | 'poolState'>;

/**
 * Whether a change from `partner` is authoritative: the partner served the owner at the change's epoch.
 * A change about a user this view does not know is accepted (the user is imported with the directory).
 */
export function partnerAuthoritative(view: PoolStatesView, partner: string): (c: ChangeRecord) => boolean {
  return (c) => {
    const user = view.user(c.owner);
    return !user || isAuthoritative(view.poolState(user.homePool), partner, c.epoch);
  };
}

/**
 * Why the partner's changes cannot be judged yet, or undefined when they can. Two cases wait:
 * - the partner is FailedOver or FailingBack: what it wrote after its failover is divergent and stays there, to be
 *   set aside and listed at failback. Consuming it would let the partner prune it before then.
 * - a change is from a newer epoch than this view knows for the owner's home pool: judging it now could refuse
 *   a change the next CMS batch makes authoritative.
 */
export function viewBehind(
  view: PoolStatesView,
  partner: string,
): (changes: readonly ChangeRecord[]) => string | undefined {
  return (changes) => {
    const state = view.poolState(partner);
    if (changes.length > 0 && (state.state === PoolState.FailedOver || state.state === PoolState.FailingBack))
      return `${state.pool} is ${state.state}: what it wrote after its failover is kept there (Get-CsPoolDivergentChange at failback)`;
    for (const c of changes) {
      const home = view.user(c.owner)?.homePool;
      const known = home ? view.poolState(home).epoch : c.epoch;
      if (c.epoch > known)
        return `the CMS replica knows epoch ${known} of ${home ?? '?'}; a change is from epoch ${c.epoch}`;
    }
    return undefined;
  };
}
