/**
 * @module The admin API's envelope, shared by the server that answers it and the shell that calls it: the path,
 * the request (validated by the server: every value is capped, docs/operations.md "Limits"), and the NDJSON lines
 * of the answer (validated by the shell, which trusts nothing a server says).
 */
import { z } from 'zod';
import { AdminLimits } from './admin-limits.js';

export const ADMIN_RUN_PATH = '/admin/v1/run';

const value = z.string().max(AdminLimits.maxValueChars);

/** A cmdlet to run: what the shell sends, what the server accepts. */
export const RunRequestSchema = z.object({
  cmdlet: z.string().min(1).max(100),
  params: z
    .record(
      z.string().max(100),
      z.union([value, z.number(), z.boolean(), z.array(value).max(AdminLimits.maxArrayItems).readonly()]),
    )
    .refine((p) => Object.keys(p).length <= AdminLimits.maxParams, {
      message: `at most ${AdminLimits.maxParams} parameters`,
    })
    .default({}),
  common: z
    .object({
      verbose: z.boolean().default(false),
      whatIf: z.boolean().default(false),
      confirm: z.boolean().default(false),
      force: z.boolean().default(false),
    })
    .default({ verbose: false, whatIf: false, confirm: false, force: false }),
  attachments: z.record(z.string(), z.string()).default({}),
});

/** What the shell builds; the server fills the defaults. */
export type AdminRequest = z.input<typeof RunRequestSchema>;

const RecordSchema = z.record(z.string(), z.unknown());
/** One line of the answer: verbose, warning and progress lines as the cmdlet runs, then a result or an error. */
export const AdminLineSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('verbose'), message: z.string(), at: z.number() }),
  z.object({ type: z.literal('warning'), message: z.string() }),
  z.object({
    type: z.literal('progress'),
    activity: z.string(),
    done: z.number(),
    total: z.number(),
    etaMs: z.number().optional(),
  }),
  z.object({
    type: z.literal('result'),
    records: z.array(RecordSchema).readonly(),
    view: z.enum(['list', 'table']).optional(),
    text: z.string().optional(),
    // The content of an export; where it goes is the shell's user's choice, never the server's.
    file: z.object({ path: z.string(), content: z.string() }).optional(),
  }),
  z.object({ type: z.literal('error'), error: z.unknown() }),
]);
export type AdminLine = z.infer<typeof AdminLineSchema>;
