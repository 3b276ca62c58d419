import { describe, expect, it } from 'vitest';
import { PoolState } from '../cms/cms-documents.js';
import { cmsViewWith, poolStateDoc } from '../cms/cms-view.fixture.js';
import { exampleTopology } from '../topology/example-topology.fixture.js';
import { hiddenFrom, servingPoolLost } from './presence-visibility.js';

const topology = exampleTopology('litware-enterprise.yaml');
const ATL = 'atl-cs-001.litwareinc.com';
const DAL = 'dal-cs-001.litwareinc.com';
const ALICE = 'sip:alice@litwareinc.com';
const AT_ATL = 'atl-fe-002.litwareinc.com';
const AT_DAL = 'dal-fe-001.litwareinc.com';

function hidden(resiliency: boolean, ...states: ReturnType<typeof poolStateDoc>[]) {
  return hiddenFrom({
    view: cmsViewWith({ [ALICE]: ATL }, ...states),
    topology: () => topology,
    inResiliency: () => resiliency,
  });
}

describe('hiddenFrom', () => {
  it('hides nobody signed in in regular mode', () => {
    expect(hidden(false)(ALICE, AT_DAL)).toBe(false);
    expect(hidden(false)(ALICE, AT_ATL)).toBe(false);
  });

  it('hides a user in resiliency mode from every viewer', () => {
    expect(hidden(true)(ALICE, AT_DAL)).toBe(true);
    expect(hidden(true)(ALICE, AT_ATL)).toBe(true);
    expect(hidden(true)('sip:nobody@litwareinc.com', AT_DAL)).toBe(true);
  });

  it('during its home pool’s failback, hides it only from viewers in the home pool', () => {
    const failingBack = poolStateDoc(ATL, PoolState.FailingBack, ATL, 3, {
      previous: { servedBy: DAL, servedSinceEpoch: 2 },
    });
    expect(hidden(true, failingBack)(ALICE, AT_ATL)).toBe(true);
    expect(hidden(true, failingBack)(ALICE, AT_DAL)).toBe(false);
  });
});

describe('servingPoolLost', () => {
  it('follows the pool serving the user, not its home pool', () => {
    const view = cmsViewWith({ [ALICE]: ATL }, poolStateDoc(ATL, PoolState.FailedOver, DAL, 2));
    expect(servingPoolLost(view, (p) => p === DAL)(ALICE)).toBe(true);
    expect(servingPoolLost(view, (p) => p === ATL)(ALICE)).toBe(false);
    expect(servingPoolLost(view, () => true)('sip:nobody@litwareinc.com')).toBe(false);
  });
});
