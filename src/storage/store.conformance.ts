/**
 * @module The store conformance suite: one set of cases that every backend must pass. Each backend's test
 * file calls `runStoreConformance` with a factory for a fresh, empty store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CmsRole, type Store, type UserChange } from './store.js';
import { TandemError } from '../errors/index.js';

export interface StoreFactory {
  /** A fresh empty store. */
  open(): Promise<Store>;
  /** Reopens the store last opened (after close), to check durability. */
  reopen(): Promise<Store>;
}

export function runStoreConformance(name: string, factory: StoreFactory): void {
  describe(`store conformance: ${name}`, () => {
    const open: Store[] = [];
    const track = async (p: Promise<Store>) => {
      const s = await p;
      open.push(s);
      return s;
    };
    afterEach(async () => {
      while (open.length)
        await open
          .pop()
          ?.close()
          .catch(() => undefined);
    });

    const master = { version: 0, epoch: 1, role: CmsRole.Master, masterPool: 'atl', epochBase: 0 };

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
      expect((await s.cms.apply({ ...base, fromVersion: 0, toVersion: 1, docs: [doc('a', 1)] })).ok).toBe(
        true,
      );
      // resend of the same batch: no effect
      expect((await s.cms.apply({ ...base, fromVersion: 0, toVersion: 1, docs: [doc('a', 1)] })).ok).toBe(
        true,
      );
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

    it('writes user items with change-log entries in commit order, deletes included', async () => {
      const s = await track(factory.open());
      const seqs = await s.userData.write(
        [
          { owner: 'sip:a@x', kind: 'contact', key: 'sip:b@x', op: 'put', value: '{"group":"Friends"}' },
          { owner: 'sip:a@x', kind: 'group', key: 'Friends', op: 'put', value: '{}' },
        ],
        1,
      );
      expect(seqs).toEqual([1, 2]);
      await s.userData.write(
        [{ owner: 'sip:a@x', kind: 'group', key: 'Friends', op: 'del', value: null }],
        1,
      );
      expect((await s.userData.list('sip:a@x')).map((i) => i.kind)).toEqual(['contact']);
      expect(await s.userData.get('sip:a@x', 'contact', 'sip:b@x')).toMatchObject({
        rev: 1,
        value: '{"group":"Friends"}',
      });
      const log = await s.userData.changesAfter(0, 10);
      expect(log.map((c) => [c.seq, c.op, c.kind])).toEqual([
        [1, 'put', 'contact'],
        [2, 'put', 'group'],
        [3, 'del', 'group'],
      ]);
      expect(await s.userData.headSeq()).toBe(3);
      expect(await s.userData.changesAfter(2, 10)).toHaveLength(1);
      expect(await s.userData.pruneChanges(2)).toBe(2);
      expect((await s.userData.changesAfter(0, 10)).map((c) => c.seq)).toEqual([3]);
      expect(await s.userData.headSeq()).toBe(3);
    });

    it('writes a large batch as one write: seqs in order, every change logged, the last change of an item wins', async () => {
      const s = await track(factory.open());
      // 1,200 changes span several change-log pages; item k0 is put, deleted and put again across page
      // boundaries, and k1 ends deleted: the log keeps every step, the items only the last.
      const changes: UserChange[] = Array.from({ length: 1_200 }, (_, i) => ({
        owner: 'sip:bulk@x',
        kind: 'setting',
        key: `k${i % 300}`,
        op: 'put',
        value: JSON.stringify(i),
      }));
      changes[450] = { owner: 'sip:bulk@x', kind: 'setting', key: 'k0', op: 'del', value: null };
      changes[1_101] = { owner: 'sip:bulk@x', kind: 'setting', key: 'k1', op: 'del', value: null };
      const seqs = await s.userData.write(changes, 3);
      expect(seqs).toEqual(Array.from({ length: 1_200 }, (_, i) => i + 1));
      const log = await s.userData.changesAfter(0, 2_000);
      expect(log.map((c) => [c.seq, c.key, c.op, c.value, c.epoch])).toEqual(
        changes.map((c, i) => [i + 1, c.key, c.op, c.value, 3]),
      );
      const items = await s.userData.list('sip:bulk@x');
      expect(items).toHaveLength(299);
      expect(await s.userData.get('sip:bulk@x', 'setting', 'k1')).toBeUndefined();
      expect(await s.userData.get('sip:bulk@x', 'setting', 'k0')).toMatchObject({ value: '900', rev: 901 });
      expect(await s.userData.get('sip:bulk@x', 'setting', 'k299')).toMatchObject({
        value: '1199',
        rev: 1_200,
      });
    });

    it('gives concurrent writes (committed as groups) their own contiguous seqs and epochs', async () => {
      const s = await track(factory.open());
      const writes = Array.from({ length: 50 }, (_, i) =>
        s.userData.write(
          [
            { owner: `sip:u${i}@x`, kind: 'note', key: 'a', op: 'put', value: `"${i}a"` },
            { owner: `sip:u${i}@x`, kind: 'note', key: 'b', op: 'put', value: `"${i}b"` },
          ],
          i % 3,
        ),
      );
      const seqs = await Promise.all(writes);
      // Each write's changes are adjacent in the log, and writes are logged in the order they were made.
      for (const [i, pair] of seqs.entries()) {
        expect(pair).toHaveLength(2);
        expect((pair[1] ?? 0) - (pair[0] ?? 0)).toBe(1);
        if (i > 0) expect(pair[0]).toBeGreaterThan(seqs[i - 1]?.[1] ?? Infinity);
      }
      const log = await s.userData.changesAfter(0, 200);
      expect(log).toHaveLength(100);
      for (const c of log) {
        const i = Number(/u(\d+)@/.exec(c.owner)?.[1]);
        expect(c.epoch).toBe(i % 3);
        expect(c.value).toBe(`"${i}${c.key}"`);
      }
      expect(await s.userData.get('sip:u49@x', 'note', 'b')).toMatchObject({ value: '"49b"' });
    });

    it('applies imported changes exactly once, cursor committed with the data', async () => {
      const src = await track(factory.open());
      await src.userData.write(
        [
          { owner: 'sip:a@x', kind: 'setting', key: 'theme', op: 'put', value: '"dark"' },
          { owner: 'sip:a@x', kind: 'contact', key: 'sip:c@x', op: 'put', value: '{}' },
          { owner: 'sip:a@x', kind: 'contact', key: 'sip:c@x', op: 'del', value: null },
        ],
        4,
      );
      const changes = await src.userData.changesAfter(0, 10);
      await src.close();
      open.pop();
      const dst = await track(factory.open());
      const c1 = await dst.userData.applyImported('atl', changes.slice(0, 2));
      expect(c1).toMatchObject({ seq: 2, applied: 2, epoch: 4 });
      const c2 = await dst.userData.applyImported('atl', changes);
      expect(c2).toMatchObject({ seq: 3, applied: 3 });
      expect((await dst.userData.list('sip:a@x')).map((i) => [i.kind, i.key, i.value])).toEqual([
        ['setting', 'theme', '"dark"'],
      ]);
      expect(await dst.userData.cursor('atl')).toMatchObject({ seq: 3 });
      expect(await dst.userData.cursor('dal')).toBeUndefined();
      // within one page only the last change of an item counts, whatever the order of put and delete
      const flip = [
        {
          seq: 10,
          owner: 'sip:z@x',
          kind: 'contact',
          key: 'k',
          op: 'del' as const,
          value: null,
          epoch: 4,
          at: 1,
          size: 1,
        },
        {
          seq: 11,
          owner: 'sip:z@x',
          kind: 'contact',
          key: 'k',
          op: 'put' as const,
          value: '"back"',
          epoch: 4,
          at: 2,
          size: 1,
        },
        {
          seq: 12,
          owner: 'sip:z@x',
          kind: 'group',
          key: 'g',
          op: 'put' as const,
          value: '"x"',
          epoch: 4,
          at: 3,
          size: 1,
        },
        {
          seq: 13,
          owner: 'sip:z@x',
          kind: 'group',
          key: 'g',
          op: 'del' as const,
          value: null,
          epoch: 4,
          at: 4,
          size: 1,
        },
      ];
      await dst.userData.applyImported('pg', flip);
      expect((await dst.userData.list('sip:z@x')).map((i) => [i.kind, i.value, i.rev])).toEqual([
        ['contact', '"back"', 11],
      ]);
      // a refused change is consumed, not applied
      const refused = await dst.userData.applyImported('dal', changes, (ch) => ch.kind !== 'setting');
      expect(refused).toMatchObject({ seq: 3, applied: 3 });
      expect((await dst.userData.list('sip:a@x')).map((i) => i.kind)).toEqual(['setting']);
      // imported changes are not re-exported: the importer's own log stays empty
      expect(await dst.userData.headSeq()).toBe(0);
    });

    it('reports the backlog after a seq, by kind', async () => {
      const s = await track(factory.open());
      expect(await s.userData.backlog(0)).toEqual({ changes: 0, bytes: 0, oldestAt: 0 });
      await s.userData.write(
        [
          { owner: 'sip:a@x', kind: 'contact', key: 'k1', op: 'put', value: '{}' },
          { owner: 'sip:a@x', kind: 'content', key: 'k2', op: 'put', value: '{"big":"xxxxxxxxxx"}' },
          { owner: 'sip:b@x', kind: 'contact', key: 'k3', op: 'del', value: null },
        ],
        1,
      );
      const all = await s.userData.backlog(0);
      expect(all.changes).toBe(3);
      expect(all.bytes).toBeGreaterThan(20);
      expect(all.oldestAt).toBeGreaterThan(0);
      expect((await s.userData.backlog(1)).changes).toBe(2);
      expect((await s.userData.backlog(0, ['content'])).changes).toBe(1);
    });

    it('digests each owner’s items, equal for equal data and different after any change', async () => {
      const a = await track(factory.open());
      const b = await track(factory.open());
      const items = Array.from({ length: 12_000 }, (_, i) => ({
        owner: `sip:u${i % 3000}@x`,
        kind: i % 2 ? 'contact' : 'setting',
        key: `k${i}`,
        op: 'put' as const,
        value: `"${i}"`,
      }));
      await a.userData.write(items, 1);
      await b.userData.write([...items].reverse(), 1);
      const da = await a.userData.digests();
      const db = await b.userData.digests();
      expect(da.size).toBe(3000);
      expect(db).toEqual(da);
      await b.userData.write([{ owner: 'sip:u7@x', kind: 'contact', key: 'k7', op: 'del', value: null }], 1);
      const after = await b.userData.digests(['sip:u7@x', 'sip:u8@x']);
      expect(after.get('sip:u7@x')).not.toBe(da.get('sip:u7@x'));
      expect(after.get('sip:u8@x')).toBe(da.get('sip:u8@x'));
      expect(after.size).toBe(2);
    });

    it('sets changes after a seq aside as divergent, lists, drops, and restores an owner without logging', async () => {
      const s = await track(factory.open());
      await s.userData.write(
        [
          { owner: 'sip:a@x', kind: 'setting', key: 'shipped', op: 'put', value: '1' },
          { owner: 'sip:a@x', kind: 'setting', key: 'lost', op: 'put', value: '2' },
          { owner: 'sip:b@x', kind: 'contact', key: 'c', op: 'del', value: null },
        ],
        3,
      );
      const owners = await s.userData.setAsideAfter(1, 4);
      expect(owners.sort()).toEqual(['sip:a@x', 'sip:b@x']);
      expect((await s.userData.changesAfter(0, 10)).map((c) => c.seq)).toEqual([1]);
      const div = await s.userData.divergent();
      expect(div.map((d) => [d.owner, d.key, d.op, d.seq, d.epoch, d.foundEpoch])).toEqual([
        ['sip:a@x', 'lost', 'put', 2, 3, 4],
        ['sip:b@x', 'c', 'del', 3, 3, 4],
      ]);
      expect(await s.userData.divergent('sip:b@x')).toHaveLength(1);
      // an interrupted failback that resumes at the same epoch moves nothing more and gets the same owners
      expect((await s.userData.setAsideAfter(1, 4)).sort()).toEqual(['sip:a@x', 'sip:b@x']);
      expect(await s.userData.divergent()).toHaveLength(2);
      await s.userData.replaceOwner('sip:a@x', [{ kind: 'setting', key: 'shipped', value: '1' }]);
      expect((await s.userData.list('sip:a@x')).map((i) => i.key)).toEqual(['shipped']);
      expect(await s.userData.headSeq()).toBe(1);
      expect(await s.userData.dropDivergent([div[0]?.id ?? -1])).toBe(1);
      expect(await s.userData.divergent()).toHaveLength(1);
      // a new write after the set-aside gets a seq above the divergent ones: nothing is reused
      const [next] = await s.userData.write(
        [{ owner: 'sip:a@x', kind: 'setting', key: 'after', op: 'put', value: '3' }],
        5,
      );
      expect(next).toBeGreaterThan(3);
    });

    it('keeps acknowledged writes across close and reopen', async () => {
      const s = await factory.open();
      await s.cms.initialize(master);
      await s.cms.commit(1, [{ key: 'topology', value: '"v1"' }]);
      await s.userData.write(
        [{ owner: 'sip:a@x', kind: 'presence', key: 'state', op: 'put', value: '"Busy"' }],
        1,
      );
      await s.close();
      const r = await track(factory.reopen());
      expect((await r.cms.liveDocs()).map((d) => d.value)).toEqual(['"v1"']);
      expect((await r.userData.get('sip:a@x', 'presence', 'state'))?.value).toBe('"Busy"');
    });
  });
}
