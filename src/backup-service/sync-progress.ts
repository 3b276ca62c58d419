/**
 * @module Progress of a forced sync (Invoke-CsBackupServiceSync): while the backup pool's importer works
 * through the backlog, its status is read at a fixed pace and reported as changes applied out of the
 * source's head.
 */
import type { PoolBackupView } from './backup-service.js';
import type { ImporterStatus } from './importer.js';

export interface SyncProgress {
  readonly done: number;
  readonly total: number;
}

/** How far an importer is, or undefined before it learned the source's head. */
export function progressOf(inbound: ImporterStatus | undefined): SyncProgress | undefined {
  if (!inbound || inbound.sourceHead <= 0) return undefined;
  return { done: Math.min(inbound.cursor, inbound.sourceHead), total: inbound.sourceHead };
}

/**
 * Runs `sync` and, until it settles, reads the backup pool's view every `everyMs` and reports its progress.
 * A view that cannot be read is skipped: the report is a courtesy, the sync's own answer is what counts.
 */
export async function syncWithProgress<T>(
  sync: () => Promise<T>,
  view: () => Promise<PoolBackupView>,
  report: (progress: SyncProgress) => void,
  everyMs = 1_000,
): Promise<T> {
  const timer = setInterval(() => {
    void view()
      .then((v) => {
        const p = progressOf(v.inbound);
        if (p) report(p);
      })
      .catch(() => undefined);
  }, everyMs);
  try {
    return await sync();
  } finally {
    clearInterval(timer);
  }
}
