import { describe, expect, it } from 'vitest';
import { DocKey, PoolState } from '../cms/cms-documents.js';
import { cmsViewWith, poolStateDoc } from '../cms/cms-view.fixture.js';
import { PoolWriteGate } from './pool-write-gate.js';

const ATL = 'atl-cs-001.litwareinc.com';
const DAL = 'dal-cs-001.litwareinc.com';
const ALICE = 'sip:alice@litwareinc.com';

const gateAt = (pool: string, ...states: ReturnType<typeof poolStateDoc>[]) =>
  new PoolWriteGate(pool, cmsViewWith({ [ALICE]: ATL }, ...states));

describe('PoolWriteGate', () => {
  it('lets the serving pool write, and only it', () => {
    expect(typeof gateAt(ATL).enter(ALICE)).toBe('function');
    expect(() => gateAt(DAL).enter(ALICE)).toThrow(expect.objectContaining({ code: 'POOL_READ_ONLY' }));
    const failedOver = poolStateDoc(ATL, PoolState.FailedOver, DAL, 2);
    expect(typeof gateAt(DAL, failedOver).enter(ALICE)).toBe('function');
    expect(() => gateAt(ATL, failedOver).enter(ALICE)).toThrow(
      expect.objectContaining({ code: 'POOL_READ_ONLY' }),
    );
  });

  it('refuses every write while the home pool fails over or fails back', () => {
    for (const s of [PoolState.FailingOver, PoolState.FailingBack]) {
      expect(() => gateAt(ATL, poolStateDoc(ATL, s, ATL, 2)).enter(ALICE)).toThrow(
        expect.objectContaining({ code: 'POOL_READ_ONLY' }),
      );
    }
  });

  it('quiesce waits for the writes in flight of that home pool', async () => {
    const gate = gateAt(ATL, poolStateDoc(ATL, PoolState.Active, ATL, 2));
    const release = gate.enter(ALICE);
    let quiet = false;
    const waiting = gate.quiesce(ATL, 2).then(() => (quiet = true));
    await gate.quiesce(DAL, 0);
    expect(quiet).toBe(false);
    release();
    await waiting;
    expect(quiet).toBe(true);
  });

  it('quiesce first waits until this server refuses writes: its replica holds the transition epoch', async () => {
    // The coordinator wrote FailingOver at epoch 3, but this server's replica still shows epoch 2 (Active):
    // a write it lets in now must be waited for, not missed.
    const view = cmsViewWith({ [ALICE]: ATL }, poolStateDoc(ATL, PoolState.Active, ATL, 2));
    const gate = new PoolWriteGate(ATL, view);
    let quiet = false;
    const waiting = gate.quiesce(ATL, 3).then(() => (quiet = true));
    await new Promise((r) => setImmediate(r));
    const late = gate.enter(ALICE);
    const failingOver = poolStateDoc(ATL, PoolState.FailingOver, ATL, 3);
    view.load([{ key: DocKey.poolState(ATL), value: JSON.stringify(failingOver), version: 9, epoch: 0 }]);
    expect(() => gate.enter(ALICE)).toThrow(expect.objectContaining({ code: 'POOL_READ_ONLY' }));
    await gate.quiesce(DAL, 0);
    expect(quiet).toBe(false);
    late();
    await waiting;
    expect(quiet).toBe(true);
  });

  it('fails the wait, naming the server, when its replica never shows the transition', async () => {
    const gate = gateAt(ATL, poolStateDoc(ATL, PoolState.Active, ATL, 2));
    await expect(gate.quiesce(ATL, 3, 20)).rejects.toMatchObject({
      code: 'CMS_STATE_NOT_SEEN',
      params: { pool: ATL, at: ATL, epoch: '3', known: '2' },
    });
  });

  it('fails the wait, naming the pools, while a write is still in flight at the deadline', async () => {
    const gate = gateAt(ATL);
    const release = gate.enter(ALICE);
    // A failover must not take the pool's last change while a write that may yet be acknowledged runs.
    await expect(gate.quiesce(ATL, 0, 20)).rejects.toMatchObject({
      code: 'WRITES_IN_FLIGHT',
      params: { pool: ATL, at: ATL },
    });
    release();
    await expect(gate.quiesce(ATL, 0, 20)).resolves.toBeUndefined();
  });

  it('lets writes about users the CMS does not know through', () => {
    expect(() => gateAt(DAL).enter('sip:nobody@litwareinc.com')()).not.toThrow();
  });
});
