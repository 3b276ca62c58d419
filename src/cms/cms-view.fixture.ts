/** Test fixture: a real CMS view loaded with users and pool states, for the rules that read one. */
import { CmsView } from './cms-view.js';
import { DocKey, type PoolState, type PoolStateDoc, type UserDoc } from './cms-documents.js';

/** A pool state at `epoch`, serving since then. */
export function poolStateDoc(
  pool: string,
  state: PoolState,
  servedBy: string,
  epoch: number,
  extra: Partial<PoolStateDoc> = {},
): PoolStateDoc {
  return { pool, state, epoch, servedBy, servedSinceEpoch: epoch, since: 0, ...extra };
}

/** A view holding these users (SIP address → home pool) and pool states. */
export function cmsViewWith(users: Record<string, string>, ...states: PoolStateDoc[]): CmsView {
  const view = new CmsView();
  const userDocs = Object.entries(users).map(([sip, homePool]): UserDoc => ({
    sip,
    displayName: sip,
    homePool,
    passwordHash: '',
    enabled: true,
    tokenGeneration: 0,
    createdAt: 0,
  }));
  let version = 0;
  view.load([
    ...userDocs.map((u) => ({
      key: DocKey.user(u.sip),
      value: JSON.stringify(u),
      version: ++version,
      epoch: 0,
    })),
    ...states.map((s) => ({
      key: DocKey.poolState(s.pool),
      value: JSON.stringify(s),
      version: ++version,
      epoch: 0,
    })),
  ]);
  return view;
}
