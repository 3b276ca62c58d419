/** @module Validated wire shapes of the Backup Service between paired pools. */
import { z } from 'zod';
import { ExportStatus } from './backup-modules.js';

export const ChangeRecordSchema = z.object({
  seq: z.number().int().positive(),
  owner: z.string(),
  kind: z.string(),
  key: z.string(),
  op: z.enum(['put', 'del']),
  value: z.string().nullable(),
  epoch: z.number().int().nonnegative(),
  at: z.number(),
  size: z.number().int().nonnegative(),
});

export const PullRequestSchema = z.object({
  /** The pool whose change log is pulled. */
  source: z.string().min(1),
  /** The importing pool. */
  importer: z.string().min(1),
  /** Where to read from: changes after this seq (one page ahead of `acked` while the importer prefetches). */
  after: z.number().int().nonnegative(),
  /** The importer's durable cursor: everything up to it is applied, so the exporter may prune it. */
  acked: z.number().int().nonnegative(),
  /** When the importer applied its cursor (for the exporter's status), 0 if never. */
  appliedAt: z.number().nonnegative(),
  /** An apply failure the importer hit, reported so the exporter's status says ErrorState. */
  error: z.string().max(2000).optional(),
  maxChanges: z.number().int().min(1).max(50_000),
  maxBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024),
  /** Long poll: how long the exporter may hold the request when nothing is new. */
  waitMs: z.number().int().min(0).max(30_000),
});
export type PullRequest = z.infer<typeof PullRequestSchema>;

/**
 * A page holds thousands of changes: each is checked by hand (types and ranges, as ChangeRecordSchema says)
 * rather than by the schema library, which costs more than applying the change.
 */
function isChange(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return (
    Number.isInteger(c.seq) &&
    (c.seq as number) > 0 &&
    typeof c.owner === 'string' &&
    typeof c.kind === 'string' &&
    typeof c.key === 'string' &&
    (c.op === 'put' || c.op === 'del') &&
    (typeof c.value === 'string' || c.value === null) &&
    Number.isInteger(c.epoch) &&
    (c.epoch as number) >= 0 &&
    typeof c.at === 'number' &&
    Number.isInteger(c.size) &&
    (c.size as number) >= 0
  );
}

export const PullResponseSchema = z.object({
  head: z.number().int().nonnegative(),
  changes: z.array(z.custom<z.infer<typeof ChangeRecordSchema>>(isChange, 'not a change record')),
  /** Conference content files the changes refer to, by SHA-256 (base64). */
  blobs: z.record(z.string(), z.string()),
  /** The exporting pool is read-only (being failed over): nothing new will come. */
  final: z.boolean(),
});
export type PullResponse = z.infer<typeof PullResponseSchema>;

export const SyncRequestSchema = z.object({
  source: z.string().min(1),
  timeoutMs: z.number().int().min(0).max(3_600_000),
});
export const DigestRequestSchema = z.object({ owners: z.array(z.string()).max(1_000_000) });

/** A pool's importer as its Backup Service reports it (ImporterStatus). */
export const ImporterStatusSchema = z.object({
  source: z.string(),
  cursor: z.number(),
  cursorWrittenAt: z.number(),
  appliedAt: z.number(),
  appliedTotal: z.number(),
  sourceHead: z.number(),
  lastContactAt: z.number(),
  connected: z.boolean(),
  linkError: z.string().optional(),
  applyError: z.string().optional(),
  sourceFinal: z.boolean(),
  linkErrors: z.number(),
  applyErrors: z.number(),
  startedAt: z.number(),
  waitingFor: z.string().optional(),
});

const DirectionStatusSchema = z.object({
  exportStatus: z.enum(ExportStatus),
  backlogChanges: z.number(),
  backlogBytes: z.number(),
  exposureSeconds: z.number(),
  lastPullAt: z.number(),
  lastAppliedAt: z.number(),
  importerError: z.string().optional(),
});

/** What a pool's Backup Service server reports of both directions (PoolBackupView). */
export const PoolBackupViewSchema = z.object({
  pool: z.string(),
  partner: z.string().optional(),
  outbound: z.object({ userData: DirectionStatusSchema, dataConf: DirectionStatusSchema }),
  inbound: ImporterStatusSchema.optional(),
  at: z.number(),
});
