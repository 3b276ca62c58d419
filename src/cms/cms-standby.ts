/**
 * @module The standby copy of the CMS, kept in the backup pool's store. A store that still believes it is
 * master and receives a batch from a newer epoch was replaced: it sets its unreplicated writes aside and
 * becomes the standby (fencing), so it can never overwrite newer configuration.
 */
import type { CmsApplyResult, CmsBatch, CmsDocStore } from '../storage/index.js';
import { CmsRole } from '../storage/index.js';

export async function applyToStandby(store: CmsDocStore, batch: CmsBatch): Promise<CmsApplyResult> {
  let meta = await store.meta();
  if (!meta) {
    meta = await store.initialize({
      version: 0,
      epoch: 0,
      role: CmsRole.Standby,
      masterPool: batch.masterPool,
      epochBase: 0,
    });
  }
  if (meta.role === CmsRole.Master || meta.role === CmsRole.Fenced) {
    // Two masters at one epoch cannot exist; an equal or older epoch is a stale sender.
    if (batch.epoch <= meta.epoch) return { ok: false, reason: 'stale-epoch', meta };
    await store.setAsideAfter(batch.epochBase);
    const fenced = await store.setRole(CmsRole.Standby, meta.epoch, batch.masterPool);
    // Documents set aside may have overwritten older values: only a whole snapshot makes the copy exact.
    if (!batch.snapshot) return { ok: false, reason: 'diverged', meta: fenced };
  }
  return store.apply(batch);
}
