/**
 * @module The store conformance suite: one set of cases that every backend must pass. Each backend's test
 * file calls `runStoreConformance` with a factory for a fresh, empty store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from './store.js';
import { cmsConformanceCases, MASTER_META } from './store-cms.conformance.js';
import { userDataConformanceCases } from './store-user-data.conformance.js';
import { leaseConformanceCases } from './store-leases.conformance.js';

export interface StoreFactory {
  /** A fresh empty store. */
  open(): Promise<Store>;
  /** Reopens the store last opened (after close), to check durability. */
  reopen(): Promise<Store>;
}

export interface ConformanceContext {
  readonly factory: StoreFactory;
  /** Opens a store that the suite closes after the case. */
  readonly track: (p: Promise<Store>) => Promise<Store>;
  /** Tells the suite that a case closed a tracked store itself. */
  readonly closed: (s: Store) => void;
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

    const closed = (s: Store) => {
      const i = open.indexOf(s);
      if (i >= 0) open.splice(i, 1);
    };
    cmsConformanceCases({ factory, track, closed });
    userDataConformanceCases({ factory, track, closed });
    leaseConformanceCases({ factory, track, closed });

    it('keeps acknowledged writes across close and reopen', async () => {
      const s = await factory.open();
      await s.cms.initialize(MASTER_META);
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
