/** @module Validated wire shapes of CMS traffic between servers (batches, writes, results). */
import { z } from 'zod';

export const CmsDocSchema = z.object({
  key: z.string().min(1),
  value: z.string().nullable(),
  version: z.number().int().nonnegative(),
  epoch: z.number().int().nonnegative(),
});

export const CmsBatchSchema = z.object({
  epoch: z.number().int().nonnegative(),
  masterPool: z.string().min(1),
  epochBase: z.number().int().nonnegative(),
  snapshot: z.boolean().optional(),
  fromVersion: z.number().int().nonnegative(),
  toVersion: z.number().int().nonnegative(),
  docs: z.array(CmsDocSchema),
});

export const CmsWriteSchema = z.object({
  key: z.string().min(1),
  value: z.string().nullable(),
  ifVersion: z.number().int().nonnegative().optional(),
});

export const CmsCommitRequestSchema = z.object({ writes: z.array(CmsWriteSchema).min(1) });

export const CmsMetaSchema = z.object({
  version: z.number(),
  epoch: z.number(),
  role: z.enum(['master', 'standby', 'replica', 'fenced', 'none']),
  masterPool: z.string(),
  epochBase: z.number(),
  updatedAt: z.number(),
});

export const CmsApplyResultSchema = z.union([
  z.object({ ok: z.literal(true), meta: CmsMetaSchema }),
  z.object({ ok: z.literal(false), reason: z.enum(['stale-epoch', 'gap', 'diverged']), meta: CmsMetaSchema }),
]);

export const CmsStatusReportSchema = z.object({
  activeMasterPool: z.string(),
  fileTransferAgents: z.array(z.string()),
  version: z.number(),
  epoch: z.number(),
  lastUpdateCreation: z.number(),
  targets: z.array(
    z.object({
      server: z.string(),
      kind: z.enum(['replica', 'standby']),
      version: z.number(),
      upToDate: z.boolean(),
      lastStatusReport: z.number(),
      lastError: z.string().optional(),
    }),
  ),
});
