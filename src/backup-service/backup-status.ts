/**
 * @module Export status and exposure of one direction, from what the exporting pool knows: its backlog
 * after the importer's last confirmed cursor, and when the importer last pulled.
 */
import type { Backlog } from '../storage/index.js';
import { ExportStatus } from './backup-modules.js';
import type { ImporterSeen } from './exporter.js';

/** An importer silent for this long means the link or the backup pool is down. */
export const LINK_SILENCE_MS = 6_000;
/** With continuous replication, a backlog this old is no longer "steady". */
export const STEADY_LAG_MS = 5_000;

export interface DirectionStatus {
  readonly exportStatus: ExportStatus;
  readonly backlogChanges: number;
  readonly backlogBytes: number;
  /** Seconds of changes a disaster now would lose (the age of the oldest unapplied change). */
  readonly exposureSeconds: number;
  readonly lastPullAt: number;
  readonly lastAppliedAt: number;
  readonly importerError?: string | undefined;
}

export interface DirectionContext {
  readonly seen: ImporterSeen | undefined;
  readonly final: boolean;
  readonly interval: number;
  readonly paired: boolean;
  readonly now: number;
}

export function computeDirection(backlog: Backlog, ctx: DirectionContext): DirectionStatus {
  const exposureMs =
    backlog.changes > 0 && backlog.oldestAt > 0 ? Math.max(0, ctx.now - backlog.oldestAt) : 0;
  return {
    exportStatus: statusOf(backlog, exposureMs, ctx),
    backlogChanges: backlog.changes,
    backlogBytes: backlog.bytes,
    exposureSeconds: Math.round(exposureMs / 100) / 10,
    lastPullAt: ctx.seen?.lastPullAt ?? 0,
    lastAppliedAt: ctx.seen?.appliedAt ?? 0,
    importerError: ctx.seen?.error,
  };
}

function statusOf(backlog: Backlog, exposureMs: number, ctx: DirectionContext): ExportStatus {
  if (!ctx.paired || !ctx.seen) return ExportStatus.NotInitialized;
  if (ctx.seen.error) return ExportStatus.ErrorState;
  if (ctx.final && backlog.changes === 0) return ExportStatus.FinalState;
  const silent = ctx.now - ctx.seen.lastPullAt > Math.max(LINK_SILENCE_MS, ctx.interval + LINK_SILENCE_MS);
  if (silent) return ExportStatus.NonSteadyState;
  return exposureMs <= Math.max(STEADY_LAG_MS, ctx.interval + STEADY_LAG_MS)
    ? ExportStatus.SteadyState
    : ExportStatus.NonSteadyState;
}
