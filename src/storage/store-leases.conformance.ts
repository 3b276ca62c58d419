/**
 * @module The store conformance cases of duty leases: one holder at a time, an epoch that grows at every
 * acquisition and survives a restart, the fencing check, leases ended by release and by closing the store.
 * Part of the suite every backend runs.
 */
import { expect, it } from 'vitest';
import type { ConformanceContext } from './store.conformance.js';
import { MASTER_META } from './store-cms.conformance.js';

export function leaseConformanceCases({ factory, track, closed }: ConformanceContext): void {
  it('holds a duty for one holder at a time, with a new epoch at every acquisition', async () => {
    const s = await track(factory.open());
    const first = await s.leases.tryAcquire('backup-export', 'fe1');
    expect(first).toMatchObject({ duty: 'backup-export', holder: 'fe1', epoch: 1 });
    expect(await s.leases.tryAcquire('backup-export', 'fe2')).toBeUndefined();
    expect(await s.leases.tryAcquire('backup-export', 'fe1')).toBeUndefined();
    expect(await s.leases.holders()).toMatchObject([
      { duty: 'backup-export', holder: 'fe1', epoch: 1, held: true },
    ]);
    await first?.release();
    expect(await first?.lost).toBe('released');
    expect((await s.leases.holders())[0]?.held).toBe(false);
    const second = await s.leases.tryAcquire('backup-export', 'fe2');
    expect(second).toMatchObject({ holder: 'fe2', epoch: 2 });
    expect(await s.leases.isCurrent('backup-export', 1)).toBe(false);
    expect(await s.leases.isCurrent('backup-export', 2)).toBe(true);
    expect(await s.leases.isCurrent('cms-master', 1)).toBe(false);
    await second?.release();
  });

  it('keeps duties apart: holding one does not stop another', async () => {
    const s = await track(factory.open());
    const a = await s.leases.tryAcquire('backup-export', 'fe1');
    const b = await s.leases.tryAcquire('backup-import', 'fe2');
    expect([a?.epoch, b?.epoch]).toEqual([1, 1]);
    expect((await s.leases.holders()).map((h) => [h.duty, h.holder, h.held])).toEqual([
      ['backup-export', 'fe1', true],
      ['backup-import', 'fe2', true],
    ]);
    await a?.release();
    await b?.release();
  });

  it('ends its leases when the store closes, and the epoch goes on growing after a reopen', async () => {
    const s = await factory.open();
    const lease = await s.leases.tryAcquire('pool-agent', 'fe1');
    expect(lease?.epoch).toBe(1);
    await s.close();
    closed(s);
    expect(await lease?.lost).toBe('released');
    const r = await track(factory.reopen());
    expect((await r.leases.holders())[0]).toMatchObject({ holder: 'fe1', epoch: 1, held: false });
    const next = await r.leases.tryAcquire('pool-agent', 'fe2');
    expect(next?.epoch).toBe(2);
    expect(await r.leases.isCurrent('pool-agent', 1)).toBe(false);
    await next?.release();
  });

  it('refuses an import fenced by an epoch that is no longer the duty’s, and applies nothing of it', async () => {
    const s = await track(factory.open());
    const change = (seq: number, value: string) => ({
      owner: 'sip:a@x',
      kind: 'setting',
      key: 'k',
      op: 'put' as const,
      value,
      seq,
      epoch: 1,
      at: seq,
      size: value.length,
    });
    const first = await s.leases.tryAcquire('backup-service', 'fe1');
    const fence1 = { duty: 'backup-service', epoch: first?.epoch ?? 0 };
    expect((await s.userData.applyImported('pool-b', [change(1, '"one"')], undefined, fence1)).seq).toBe(1);
    await first?.release();
    const second = await s.leases.tryAcquire('backup-service', 'fe2');
    await expect(
      s.userData.applyImported('pool-b', [change(2, '"stale"')], undefined, fence1),
    ).rejects.toMatchObject({ code: 'DUTY_FENCED' });
    expect((await s.userData.cursor('pool-b'))?.seq).toBe(1);
    expect((await s.userData.get('sip:a@x', 'setting', 'k'))?.value).toBe('"one"');
    const fence2 = { duty: 'backup-service', epoch: second?.epoch ?? 0 };
    expect((await s.userData.applyImported('pool-b', [change(2, '"two"')], undefined, fence2)).seq).toBe(2);
    await second?.release();
  });

  it('refuses a CMS commit fenced by an epoch that is no longer the cms-master duty’s', async () => {
    const s = await track(factory.open());
    await s.cms.initialize(MASTER_META);
    const first = await s.leases.tryAcquire('cms-master', 'fe1');
    const fence1 = { duty: 'cms-master', epoch: first?.epoch ?? 0 };
    await s.cms.commit(MASTER_META.epoch, [{ key: 'a', value: '"one"' }], fence1);
    await first?.release();
    const second = await s.leases.tryAcquire('cms-master', 'fe2');
    await expect(
      s.cms.commit(MASTER_META.epoch, [{ key: 'a', value: '"stale"' }], fence1),
    ).rejects.toMatchObject({ code: 'DUTY_FENCED' });
    expect((await s.cms.liveDocs()).map((d) => d.value)).toEqual(['"one"']);
    await s.cms.commit(MASTER_META.epoch, [{ key: 'a', value: '"two"' }], {
      duty: 'cms-master',
      epoch: second?.epoch ?? 0,
    });
    expect((await s.cms.liveDocs()).map((d) => d.value)).toEqual(['"two"']);
    await second?.release();
  });
}
