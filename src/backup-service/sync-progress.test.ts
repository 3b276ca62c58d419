import { describe, expect, it } from 'vitest';
import type { PoolBackupView } from './backup-service.js';
import type { ImporterStatus } from './importer.js';
import { progressOf, syncWithProgress, type SyncProgress } from './sync-progress.js';

const inbound = (cursor: number, sourceHead: number): ImporterStatus => ({
  source: 'atl',
  cursor,
  cursorWrittenAt: 0,
  appliedAt: 0,
  appliedTotal: cursor,
  sourceHead,
  lastContactAt: 0,
  connected: true,
  sourceFinal: false,
  linkErrors: 0,
  applyErrors: 0,
  startedAt: 0,
});
const direction = {
  exportStatus: 'SteadyState',
  backlogChanges: 0,
  backlogBytes: 0,
  exposureSeconds: 0,
  lastPullAt: 0,
  lastAppliedAt: 0,
} as const;

describe('sync progress', () => {
  it('counts applied changes out of the source head, once the head is known', () => {
    expect(progressOf(undefined)).toBeUndefined();
    expect(progressOf(inbound(0, 0))).toBeUndefined();
    expect(progressOf(inbound(40, 100))).toEqual({ done: 40, total: 100 });
    expect(progressOf(inbound(120, 100))).toEqual({ done: 100, total: 100 });
  });

  it('reports while the sync runs, skips views that fail, and stops when it settles', async () => {
    const reports: SyncProgress[] = [];
    let views = 0;
    let reported!: () => void;
    const twoReports = new Promise<void>((resolve) => (reported = resolve));
    const view = async (): Promise<PoolBackupView> => {
      views += 1;
      if (views === 1) throw new Error('unreachable');
      return {
        pool: 'dal',
        outbound: { userData: direction, dataConf: direction },
        inbound: inbound(views * 10, 100),
        at: 0,
      };
    };
    const result = await syncWithProgress(
      async () => {
        await twoReports;
        return 'synced';
      },
      view,
      (p) => {
        reports.push(p);
        if (reports.length === 2) reported();
      },
      1,
    );
    expect(result).toBe('synced');
    expect(reports.slice(0, 2)).toEqual([
      { done: 20, total: 100 },
      { done: 30, total: 100 },
    ]);
    const after = views;
    await new Promise((r) => setTimeout(r, 20));
    expect(views).toBe(after);
  });
});
