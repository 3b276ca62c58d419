/**
 * @module The store conformance cases of user data and the Backup Service's change log: writes and their
 * seqs, imports exactly once, backlog, digests, divergent changes. Part of the suite every backend runs.
 */
import { expect, it } from 'vitest';
import type { UserChange } from './store.js';
import type { ConformanceContext } from './store.conformance.js';

export function userDataConformanceCases({ factory, track, closed }: ConformanceContext): void {
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
    await s.userData.write([{ owner: 'sip:a@x', kind: 'group', key: 'Friends', op: 'del', value: null }], 1);
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
    closed(src);
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
}
