/**
 * @module A scheduled certificate roll (Set-CsCertificate -Roll -EffectiveDate) as the data folder keeps it: one
 * small file per server naming the ready certificate and the moment it takes effect, so that a server restarted
 * before that moment still makes the switch. Written whole or not at all, 0600 like the other PKI files.
 */
import { existsSync, rmSync } from 'node:fs';
import { z } from 'zod';
import { TandemError } from '../errors/index.js';
import { issuesText, safeParse } from '../json/safe-parse.js';
import { PRIVATE_FILE, readText, writeAtomically } from './pki-files.js';

export interface ScheduledRoll {
  /** The ready certificate that takes effect. */
  readonly thumbprint: string;
  readonly effectiveDate: Date;
  /** The certificate in use when the roll was scheduled (Lync's PreviousThumbprint). */
  readonly previousThumbprint: string;
  readonly scheduledAt: Date;
}

const THUMBPRINT = z.string().regex(/^[0-9A-F]{40}$/);
const INSTANT = z.iso.datetime();

const RollFileSchema = z.object({
  thumbprint: THUMBPRINT,
  effectiveDate: INSTANT,
  previousThumbprint: THUMBPRINT,
  scheduledAt: INSTANT,
});

/** The roll kept in `file`, or undefined when none is; throws CERT_ROLL_UNREADABLE for a file that is no roll. */
export function readScheduledRoll(file: string): ScheduledRoll | undefined {
  if (!existsSync(file)) return undefined;
  const unreadable = (detail: string, cause?: unknown) =>
    new TandemError('CERT_ROLL_UNREADABLE', { file, detail }, { cause });
  const text = readText(file, unreadable);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw unreadable('it is not JSON', err);
  }
  const parsed = safeParse(RollFileSchema, json);
  if (!parsed.success) throw unreadable(issuesText(parsed.error, 'the file'));
  const r = parsed.data;
  return {
    thumbprint: r.thumbprint,
    effectiveDate: new Date(r.effectiveDate),
    previousThumbprint: r.previousThumbprint,
    scheduledAt: new Date(r.scheduledAt),
  };
}

export function writeScheduledRoll(file: string, roll: ScheduledRoll): void {
  const record: z.input<typeof RollFileSchema> = {
    thumbprint: roll.thumbprint,
    effectiveDate: roll.effectiveDate.toISOString(),
    previousThumbprint: roll.previousThumbprint,
    scheduledAt: roll.scheduledAt.toISOString(),
  };
  writeAtomically(file, `${JSON.stringify(record, null, 2)}\n`, PRIVATE_FILE);
}

export function removeScheduledRoll(file: string): void {
  rmSync(file, { force: true });
}
