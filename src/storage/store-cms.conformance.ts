/**
 * @module The store conformance cases of the Central Management Store: versions, fencing, replica batches,
 * epochs and divergent writes. Part of the suite every backend runs (store.conformance.ts).
 */
import { expect, it } from 'vitest';
import { CmsRole } from './store.js';
import { TandemError } from '../errors/index.js';
import type { ConformanceContext } from './store.conformance.js';

export const MASTER_META = { version: 0, epoch: 1, role: CmsRole.Master, masterPool: 'atl', epochBase: 0 };

export function cmsConformanceCases({ factory, track }: ConformanceContext): void {
  const master = MASTER_META;
  it('initializes the CMS once and keeps the first meta', async () => {
    const s = await track(factory.open());
    expect(await s.cms.meta()).toBeUndefined();
    const m = await s.cms.initialize(master);
    expect(m).toMatchObject({ version: 0, epoch: 1, role: 'master', masterPool: 'atl' });
    const again = await s.cms.initialize({ ...master, epoch: 9 });
    expect(again.epoch).toBe(1);
  });

  it('commits master writes as one version each, with tombstones', async () => {
    const s = await track(factory.open());
    await s.cms.initialize(master);
    const v1 = await s.cms.commit(1, [
      { key: 'a', value: '{"n":1}' },
      { key: 'b', value: '{"n":2}' },
    ]);
    const v2 = await s.cms.commit(1, [{ key: 'a', value: null }]);
    expect([v1, v2]).toEqual([1, 2]);
    const live = await s.cms.liveDocs();
    expect(live.map((d) => d.key)).toEqual(['b']);
    const after = await s.cms.docsAfter(0, 100);
    expect(after.map((d) => [d.key, d.version, d.value])).toEqual([
      ['b', 1, '{"n":2}'],
      ['a', 2, null],
    ]);
    expect((await s.cms.meta())?.version).toBe(2);
  });

  it('fences master writes: wrong epoch or not master is refused in the transaction', async () => {
    const s = await track(factory.open());
    await s.cms.initialize(master);
    await expect(s.cms.commit(0, [{ key: 'x', value: '1' }])).rejects.toMatchObject({
      code: 'CMS_STALE_EPOCH',
    });
    await s.cms.setRole(CmsRole.Fenced, 1, 'dal');
    const err = await s.cms.commit(1, [{ key: 'x', value: '1' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TandemError);
    expect((err as TandemError).code).toBe('CMS_NOT_MASTER');
    expect(await s.cms.liveDocs()).toEqual([]);
  });

  it('refuses a commit whose optimistic check fails, writing nothing', async () => {
    const s = await track(factory.open());
    await s.cms.initialize(master);
    await s.cms.commit(1, [{ key: 'user:a', value: '1', ifVersion: 0 }]);
    await expect(s.cms.commit(1, [{ key: 'user:a', value: '2', ifVersion: 0 }])).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      s.cms.commit(1, [
        { key: 'user:b', value: '3' },
        { key: 'user:a', value: '4', ifVersion: 7 },
      ]),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await s.cms.liveDocs()).map((d) => [d.key, d.value])).toEqual([['user:a', '1']]);
    await s.cms.commit(1, [{ key: 'user:a', value: '5', ifVersion: 1 }]);
    expect((await s.cms.meta())?.version).toBe(2);
  });

  it('never splits a version across docsAfter pages', async () => {
    const s = await track(factory.open());
    await s.cms.initialize(master);
    await s.cms.commit(1, [{ key: 'k0', value: '0' }]);
    await s.cms.commit(
      1,
      Array.from({ length: 5 }, (_, i) => ({ key: `bulk${i}`, value: String(i) })),
    );
    await s.cms.commit(1, [{ key: 'k2', value: '2' }]);
    const page = await s.cms.docsAfter(0, 3);
    expect(page.map((d) => d.version)).toEqual([1]);
    const page2 = await s.cms.docsAfter(1, 2);
    expect(page2).toHaveLength(5);
    expect(new Set(page2.map((d) => d.version))).toEqual(new Set([2]));
  });

  it('applies replica batches idempotently and refuses gaps, stale epochs and divergence', async () => {
    const s = await track(factory.open());
    await s.cms.initialize({ ...master, role: CmsRole.Replica });
    const doc = (key: string, version: number, epoch = 1) => ({ key, value: `"${key}"`, version, epoch });
    const base = { epoch: 1, masterPool: 'atl', epochBase: 0 };
    expect((await s.cms.apply({ ...base, fromVersion: 0, toVersion: 1, docs: [doc('a', 1)] })).ok).toBe(true);
    // resend of the same batch: no effect
    expect((await s.cms.apply({ ...base, fromVersion: 0, toVersion: 1, docs: [doc('a', 1)] })).ok).toBe(true);
    const gap = await s.cms.apply({ ...base, fromVersion: 5, toVersion: 6, docs: [doc('z', 6)] });
    expect(gap).toMatchObject({ ok: false, reason: 'gap' });
    const ok2 = await s.cms.apply({ ...base, fromVersion: 1, toVersion: 2, docs: [doc('b', 2)] });
    expect(ok2).toMatchObject({ ok: true, meta: { version: 2 } });
    // epoch 2 began at version 1: this copy holds version 2 of epoch 1, which the new master never saw
    const diverged = await s.cms.apply({
      epoch: 2,
      masterPool: 'dal',
      epochBase: 1,
      fromVersion: 2,
      toVersion: 3,
      docs: [],
    });
    expect(diverged).toMatchObject({ ok: false, reason: 'diverged' });
    const snap = await s.cms.apply({
      epoch: 2,
      masterPool: 'dal',
      epochBase: 1,
      snapshot: true,
      fromVersion: 0,
      toVersion: 3,
      docs: [doc('a', 1), doc('c', 3, 2)],
    });
    expect(snap).toMatchObject({ ok: true, meta: { version: 3, epoch: 2, masterPool: 'dal' } });
    expect((await s.cms.liveDocs()).map((d) => d.key).sort()).toEqual(['a', 'c']);
    const stale = await s.cms.apply({ ...base, fromVersion: 3, toVersion: 4, docs: [doc('x', 4)] });
    expect(stale).toMatchObject({ ok: false, reason: 'stale-epoch' });
    expect((await s.cms.meta())?.version).toBe(3);
  });

  it('starts a new epoch at the current version and sets divergent writes aside', async () => {
    const s = await track(factory.open());
    await s.cms.initialize(master);
    await s.cms.commit(1, [{ key: 'a', value: '1' }]);
    await s.cms.commit(1, [{ key: 'b', value: '2' }]);
    const promoted = await s.cms.setRole(CmsRole.Master, 2, 'atl');
    expect(promoted).toMatchObject({ epoch: 2, epochBase: 2 });
    const moved = await s.cms.setAsideAfter(1);
    expect(moved).toBe(1);
    expect((await s.cms.divergent()).map((d) => d.key)).toEqual(['b']);
    expect((await s.cms.meta())?.version).toBe(1);
  });
}
