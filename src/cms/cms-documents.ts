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
  since: z.number(),
});
export type PoolStateDoc = z.infer<typeof PoolStateDocSchema>;

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
