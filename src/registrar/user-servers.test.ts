import { describe, expect, it } from 'vitest';
import { PoolState } from '../cms/cms-documents.js';
import { cmsViewWith, poolStateDoc } from '../cms/cms-view.fixture.js';
import { exampleTopology } from '../topology/example-topology.fixture.js';
import { findPool, serversInPreferredOrder } from '../topology/topology-lookups.js';
import { homedOn, servedByPool, serversOfUser } from './user-servers.js';

const topology = exampleTopology('litware-enterprise.yaml');
const ATL = 'atl-cs-001.litwareinc.com';
const DAL = 'dal-cs-001.litwareinc.com';
const ALICE = 'sip:alice@litwareinc.com';
const atl = findPool(topology, ATL)!;
const dal = findPool(topology, DAL)!;
const ordered = (pool: typeof atl) => serversInPreferredOrder(pool, ALICE).map((s) => s.fqdn);
const DETECT = atl.registrar.failureDetectionMs;

function serversOf(ownPool: typeof atl, silentMs: number, ...states: ReturnType<typeof poolStateDoc>[]) {
  return serversOfUser({
    view: cmsViewWith({ [ALICE]: ATL }, ...states),
    topology: () => topology,
    ownPool,
    silentForMs: () => silentMs,
  });
}

describe('serversOfUser', () => {
  it('is the home pool’s servers in the user’s preferred order while the pool is active', () => {
    expect(serversOf(atl, 0)(ALICE)).toEqual(ordered(atl));
    expect(ordered(atl)).toHaveLength(2);
  });

  it('is nobody for a user the CMS does not know', () => {
    expect(serversOf(atl, 0)('sip:nobody@litwareinc.com')).toEqual([]);
  });

  it('is the backup pool’s servers once the home pool failed over', () => {
    expect(serversOf(atl, 0, poolStateDoc(ATL, PoolState.FailedOver, DAL, 2))(ALICE)).toEqual(ordered(dal));
  });

  it('during failback, adds the pool that served the users before (those not moved yet are there)', () => {
    const failingBack = poolStateDoc(ATL, PoolState.FailingBack, ATL, 3, {
      previous: { servedBy: DAL, servedSinceEpoch: 2 },
    });
    expect(serversOf(atl, 0, failingBack)(ALICE)).toEqual([...ordered(atl), ...ordered(dal)]);
  });

  it('at the backup pool, adds its own servers once the home pool was silent for its failure detection interval', () => {
    expect(serversOf(dal, DETECT - 1)(ALICE)).toEqual(ordered(atl));
    expect(serversOf(dal, DETECT)(ALICE)).toEqual([...ordered(atl), ...ordered(dal)]);
  });

  it('a pool that is not the backup never adds itself, however long the home pool is silent', () => {
    expect(serversOf(atl, DETECT * 10)(ALICE)).toEqual(ordered(atl));
  });
});

describe('servedByPool and homedOn', () => {
  it('select users by their serving pool and by their home pool', () => {
    const view = cmsViewWith({ [ALICE]: ATL }, poolStateDoc(ATL, PoolState.FailedOver, DAL, 2));
    expect(servedByPool(view, DAL)(ALICE)).toBe(true);
    expect(servedByPool(view, ATL)(ALICE)).toBe(false);
    expect(homedOn(view, ATL)(ALICE)).toBe(true);
    expect(homedOn(view, DAL)(ALICE)).toBe(false);
    expect(servedByPool(view, DAL)('sip:nobody@litwareinc.com')).toBe(false);
  });
});
