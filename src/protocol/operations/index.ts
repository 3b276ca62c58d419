/**
 * @module The catalog of client operations: each request type with its payload schema, its response schema
 * and — in one place, next to the operation — whether it makes a persistent change and whether it is refused
 * in resiliency mode. The server's gateway, the SDK's types and docs/protocol.md all read this table. Its
 * entries live by capability in the files of this folder.
 */
import type { z } from 'zod';
import { safeParse } from '../../json/safe-parse.js';
import type { ErrorCode } from '../../errors/registry.js';
import type { Sendable } from '../model.js';
import { AccountOperations } from './account.js';
import { ConferenceOperations } from './conferencing.js';
import { ContactOperations } from './contacts.js';
import { ContentOperations } from './content.js';
import { ImOperations } from './im.js';
import { MeetingOperations } from './meetings.js';
import type { OperationDef } from './operation-def.js';
import { PresenceOperations } from './presence.js';
import { SignInOperations } from './sign-in.js';

export type { OperationDef } from './operation-def.js';

export const Operations = {
  ...SignInOperations,
  ...PresenceOperations,
  ...ContactOperations,
  ...ImOperations,
  ...ConferenceOperations,
  ...MeetingOperations,
  ...ContentOperations,
  ...AccountOperations,
} as const;

export type OperationKey = keyof typeof Operations;
export type OperationType = (typeof Operations)[OperationKey]['type'];
export type PayloadOf<K extends OperationKey> = z.input<(typeof Operations)[K]['payload']>;
export type ParsedPayloadOf<K extends OperationKey> = z.output<(typeof Operations)[K]['payload']>;
/** The answer of an operation as a client reads it (defaults filled in). */
export type ResponseOf<K extends OperationKey> = z.output<(typeof Operations)[K]['response']>;
/** What the server may answer for an operation: anything its response schema accepts. */
export type SentResponseOf<K extends OperationKey> = Sendable<z.input<(typeof Operations)[K]['response']>>;

/**
 * Checks an answer against its operation's response schema: the one place an answer becomes typed. (The
 * result is asserted to the key's type because TypeScript widens `Operations[key]` of a generic key to the
 * union of every entry; the schema that parsed it is that key's.)
 */
export function parseResponse<K extends OperationKey>(
  key: K,
  answer: unknown,
): { readonly ok: true; readonly value: ResponseOf<K> } | { readonly ok: false; readonly error: z.ZodError } {
  const schema: z.ZodType = Operations[key].response;
  const parsed = safeParse(schema, answer);
  return parsed.success
    ? { ok: true, value: parsed.data as ResponseOf<K> }
    : { ok: false, error: parsed.error };
}

const byType = new Map<string, OperationDef>(
  Object.values(Operations).map((o) => [o.type, o as OperationDef]),
);

export function operationOf(type: string): OperationDef | undefined {
  return byType.get(type);
}

export function allOperations(): OperationDef[] {
  return [...byType.values()];
}

/** Codes any frame may get, whatever its type: the envelope, the rate, and a failure of the server itself. */
export const COMMON_ERRORS: readonly ErrorCode[] = [
  'PROTOCOL_BAD_FRAME',
  'PROTOCOL_UNKNOWN_TYPE',
  'PROTOCOL_BAD_PAYLOAD',
  'RATE_LIMITED',
  // A frame nested too deeply or holding too many values, measured before its type is read.
  'LIMIT_EXCEEDED',
  'INTERNAL',
];

/**
 * Every code an operation may answer: its own, the common ones, NOT_SIGNED_IN before sign-in, RESILIENCY_MODE
 * where the catalog refuses it in resiliency mode, and for a persistent change POOL_READ_ONLY (during a
 * failover or failback, or at a pool that no longer serves the user) and STORAGE_FULL. docs/protocol.md lists them per operation.
 */
export function declaredErrors(def: OperationDef): ReadonlySet<ErrorCode> {
  const codes = new Set<ErrorCode>([...COMMON_ERRORS, ...def.errors]);
  if (!def.beforeSignIn) codes.add('NOT_SIGNED_IN');
  if (def.blockedInResiliency) codes.add('RESILIENCY_MODE');
  if (def.persistent) {
    codes.add('POOL_READ_ONLY');
    codes.add('STORAGE_FULL');
  }
  return codes;
}
