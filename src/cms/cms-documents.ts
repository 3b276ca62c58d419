/**
 * @module The documents of the Central Management Store: their keys and validated shapes. A document read
 * from a store or a wire is checked here before anything uses it.
 */
import { z } from 'zod';

export const PoolState = {
  Active: 'Active',
  FailingOver: 'FailingOver',
  FailedOver: 'FailedOver',
  FailingBack: 'FailingBack',
} as const;
export type PoolState = (typeof PoolState)[keyof typeof PoolState];

export const TopologyDocSchema = z.object({
  /** Publication number: 1 for the first topology, +1 for each Publish-CsTopology. */
  revision: z.number().int().positive(),
  yaml: z.string(),
  publishedAt: z.number(),
  publishedBy: z.string(),
});
export type TopologyDoc = z.infer<typeof TopologyDocSchema>;

export const UserDocSchema = z.object({
  sip: z.string(),
  displayName: z.string(),
  homePool: z.string(),
  /** scrypt hash in the form `scrypt$N$r$p$salt$hash` (base64url), or '' when no password is set. */
  passwordHash: z.string(),
  enabled: z.boolean(),
  /** Raised by Disable-CsUser: sign-in tokens issued under an older generation are refused. */
  tokenGeneration: z.number().int().nonnegative(),
  createdAt: z.number(),
});
export type UserDoc = z.infer<typeof UserDocSchema>;

export const AdminDocSchema = z.object({
  name: z.string(),
  role: z.string(),
  /** SHA-256 (hex) of the administrator's secret; the secret itself is never stored. */
  secretHash: z.string(),
  createdAt: z.number(),
});
export type AdminDoc = z.infer<typeof AdminDocSchema>;

export const PoolStateDocSchema = z.object({
  pool: z.string(),
  state: z.enum([PoolState.Active, PoolState.FailingOver, PoolState.FailedOver, PoolState.FailingBack]),
  /** Raised by every transition; servers refuse to act on a lower one (fencing). */
  epoch: z.number().int().nonnegative(),
  /** The pool that serves the pool's users now. */
  servedBy: z.string(),
  /**
   * The epoch at which `servedBy` last changed. A replicated change about these users is applied only when
   * it comes from the serving pool and was written at this epoch or later: a former server's late or
   * divergent writes can never overwrite the current one's.
   */
  servedSinceEpoch: z.number().int().nonnegative().default(0),
  /**
   * During failback only: the pool that served the users before, and since which epoch. Its changes from that
   * time are still authoritative (they are synced back); anything older is not.
   */
  previous: z.object({ servedBy: z.string(), servedSinceEpoch: z.number().int().nonnegative() }).optional(),
  since: z.number(),
  /**
   * While FailingOver or FailingBack: the command running the transition and the server coordinating it, with
   * that server process's run id. A coordinator that restarts finds its old run here and recovers the operation
   * (docs/failover.md, "Recovery from interrupted operations"); a command that resumes it writes its own run,
   * and a coordinator whose run is no longer here stops without writing.
   */
  operation: z
    .object({
      kind: z.enum(['failover', 'failback']),
      mode: z.enum(['planned', 'disaster']),
      coordinator: z.string(),
      run: z.string(),
      at: z.number(),
    })
    .optional(),
  /** Set by a failover: how it was done and how far the backup pool had applied the pool's log. */
  failover: z
    .object({
      mode: z.enum(['planned', 'disaster']),
      at: z.number(),
      /** The backup pool's cursor of this pool's change log at the flip: later changes are divergent. */
      backupCursor: z.number().int().nonnegative(),
      backupCursorWrittenAt: z.number(),
      knownBacklog: z.number().int().nonnegative(),
    })
    .optional(),
});
export type PoolStateDoc = z.infer<typeof PoolStateDocSchema>;
export type PoolOperation = NonNullable<PoolStateDoc['operation']>;

/**
 * Whether a replicated change about a user homed on this pool is authoritative: written by the pool that
 * served the user at the change's epoch. A stale or divergent writer's changes never are.
 */
export function isAuthoritative(state: PoolStateDoc, source: string, changeEpoch: number): boolean {
  if (state.servedBy === source && changeEpoch >= state.servedSinceEpoch) return true;
  const prev = state.previous;
  return (
    prev !== undefined &&
    prev.servedBy === source &&
    changeEpoch >= prev.servedSinceEpoch &&
    changeEpoch < state.servedSinceEpoch
  );
}

export const BackupConfigDocSchema = z.object({
  syncIntervalMs: z.number().int().nonnegative(),
});
export type BackupConfigDoc = z.infer<typeof BackupConfigDocSchema>;

export const DocKey = {
  topology: 'topology',
  backupConfig: 'config:backup-service',
  user: (sip: string) => `user:${sip.toLowerCase()}`,
  admin: (name: string) => `admin:${name.toLowerCase()}`,
  poolState: (pool: string) => `poolstate:${pool.toLowerCase()}`,
} as const;

export const DocPrefix = { user: 'user:', admin: 'admin:', poolState: 'poolstate:' } as const;
