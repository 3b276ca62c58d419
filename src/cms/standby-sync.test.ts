import { describe, expect, it } from 'vitest';
import type { CmsPushTarget } from './cms-master.js';
import type { CmsStatusReport } from './cms-service.js';
import { drainIfMasterHere, standbyProgress, type DrainableMaster } from './standby-sync.js';

function master(masterPool: string) {
  const drained: string[] = [];
  const m: DrainableMaster = {
    async drain(_timeoutMs, filter) {
      const targets: CmsPushTarget[] = [
        { server: 'dal-fe-001', kind: 'standby' },
        { server: 'atl-fe-002', kind: 'replica' },
      ];
      drained.push(...targets.filter(filter).map((t) => t.server));
    },
    meta: () => ({ masterPool, version: 17 }),
  };
  return { m, drained };
}

const report = (
  activeMasterPool: string,
  standby?: { version: number; upToDate: boolean },
): CmsStatusReport => ({
  activeMasterPool,
  fileTransferAgents: [],
  version: 20,
  epoch: 1,
  lastUpdateCreation: 0,
  targets: standby
    ? [{ server: 'dal-fe-001', kind: 'standby', lastStatusReport: 1, lastError: undefined, ...standby }]
    : [],
});

describe('CMS standby sync', () => {
  it("drains only to the standby, and only at the pool's own master", async () => {
    const here = master('atl');
    expect(await drainIfMasterHere(here.m, 'atl', 1_000)).toBe(17);
    expect(here.drained).toEqual(['dal-fe-001']);
    const elsewhere = master('dal');
    expect(await drainIfMasterHere(elsewhere.m, 'atl', 1_000)).toBeUndefined();
    expect(await drainIfMasterHere(undefined, 'atl', 1_000)).toBeUndefined();
    expect(elsewhere.drained).toEqual([]);
  });

  it("reports the standby's progress, and refuses a pool that does not host the CMS", () => {
    expect(standbyProgress(report('atl', { version: 19, upToDate: false }), 'atl')).toEqual({
      version: 19,
      upToDate: false,
    });
    expect(standbyProgress(report('atl'), 'atl')).toEqual({ version: 0, upToDate: false });
    expect(() => standbyProgress(report('dal'), 'atl')).toThrow(/does not host the CMS \(dal does\)/);
  });
});
