import { describe, expect, it } from 'vitest';
import { PoolState, type PoolStateDoc } from '../cms/cms-documents.js';
import { cmsViewWith, poolStateDoc } from '../cms/cms-view.fixture.js';
import type { ChangeRecord } from '../storage/index.js';
import { partnerAuthoritative, viewBehind } from './partner-acceptance.js';

const ATL = 'atl-cs-001.litwareinc.com';
const DAL = 'dal-cs-001.litwareinc.com';
const ALICE = 'sip:alice@litwareinc.com';

/** A CMS view holding Alice (homed on Atlanta) and the given pool states. */
const viewWith = (...states: PoolStateDoc[]) => cmsViewWith({ [ALICE]: ATL }, ...states);
const state = poolStateDoc;

function change(owner: string, epoch: number): ChangeRecord {
  return { owner, kind: 'contacts', key: 'k', op: 'put', value: '{}', seq: 1, epoch, at: 0, size: 2 };
}

describe('partnerAuthoritative', () => {
  it('accepts a change from the pool that serves the owner, at or after the epoch it began serving', () => {
    const accept = partnerAuthoritative(viewWith(state(ATL, PoolState.Active, ATL, 3)), ATL);
    expect(accept(change(ALICE, 3))).toBe(true);
    expect(accept(change(ALICE, 2))).toBe(false);
  });

  it('refuses a change from a pool that no longer serves the owner (a failed-over pool writing late)', () => {
    const accept = partnerAuthoritative(viewWith(state(ATL, PoolState.FailedOver, DAL, 4)), ATL);
    expect(accept(change(ALICE, 4))).toBe(false);
  });

  it('accepts a change of the previous server during failback, from its serving epochs only', () => {
    const failingBack = state(ATL, PoolState.FailingBack, ATL, 6, {
      previous: { servedBy: DAL, servedSinceEpoch: 4 },
    });
    const accept = partnerAuthoritative(viewWith(failingBack), DAL);
    expect(accept(change(ALICE, 5))).toBe(true);
    expect(accept(change(ALICE, 3))).toBe(false);
    expect(accept(change(ALICE, 6))).toBe(false);
  });

  it('accepts a change about a user the view does not know', () => {
    const accept = partnerAuthoritative(viewWith(), ATL);
    expect(accept(change('sip:nobody@litwareinc.com', 9))).toBe(true);
  });
});

describe('viewBehind', () => {
  it('is undefined when the view knows every change epoch', () => {
    const behind = viewBehind(viewWith(state(ATL, PoolState.Active, ATL, 3)), ATL);
    expect(behind([change(ALICE, 3), change(ALICE, 1)])).toBeUndefined();
    expect(behind([])).toBeUndefined();
  });

  it('waits for a change from an epoch newer than the view knows for the owner', () => {
    const behind = viewBehind(viewWith(state(ATL, PoolState.Active, ATL, 3)), ATL);
    expect(behind([change(ALICE, 4)])).toBe(
      `the CMS replica knows epoch 3 of ${ATL}; a change is from epoch 4`,
    );
  });

  it('keeps a failed-over or failing-back partner’s changes there (divergent until failback)', () => {
    for (const s of [PoolState.FailedOver, PoolState.FailingBack]) {
      const behind = viewBehind(viewWith(state(ATL, s, DAL, 4)), ATL);
      expect(behind([change(ALICE, 4)])).toMatch(new RegExp(`^${ATL} is ${s}: `));
      expect(behind([])).toBeUndefined();
    }
  });

  it('does not wait on a change about an unknown user', () => {
    const behind = viewBehind(viewWith(), ATL);
    expect(behind([change('sip:nobody@litwareinc.com', 9)])).toBeUndefined();
  });
});
