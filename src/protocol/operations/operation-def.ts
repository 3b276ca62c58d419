/**
 * @module The shape of one entry of the client operations catalog, and the small schemas its entries share.
 * Each entry declares its request and its response, so that the gateway's handlers, the SDK's answers and
 * docs/protocol.md all follow the same two schemas.
 */
import { z } from 'zod';
import type { ErrorCode } from '../../errors/registry.js';

export interface OperationDef<
  S extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
  T extends string = string,
> {
  readonly type: T;
  readonly summary: string;
  readonly payload: S;
  /** The payload of the `ok: true` answer. */
  readonly response: R;
  /** The operation changes persistent user data (replicated by the Backup Service). */
  readonly persistent: boolean;
  /** Refused while the user is in resiliency mode: every persistent change, plus contacts and address book. */
  readonly blockedInResiliency: boolean;
  /** Allowed before sign-in. */
  readonly beforeSignIn?: boolean;
  /** The codes this operation answers besides those every operation may (see declaredErrors). */
  readonly errors: readonly ErrorCode[];
  readonly example: z.input<S>;
  readonly exampleResponse: z.input<R>;
}

export function op<S extends z.ZodType, R extends z.ZodType, T extends string>(
  def: OperationDef<S, R, T>,
): OperationDef<S, R, T> {
  if (def.persistent && !def.blockedInResiliency)
    throw new Error(`${def.type}: a persistent change must be blocked in resiliency mode`);
  return def;
}

export const empty = z.object({}).strict();
/** The answer of an operation that has nothing to tell but that it succeeded. */
export const emptyResponse = z.object({});
/** The answer of a message sent: when the server took it. */
export const sentAt = z.object({ at: z.number() });
export const text = (max: number) => z.string().max(max);
export const name = z.string().trim().min(1).max(64);
export const confId = z.string().min(3).max(200);
export const sessionId = z.string().min(1).max(100);
export const isoDate = z.string().datetime({ offset: true });
