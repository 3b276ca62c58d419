/**
 * @module The envelope of every frame. Client requests carry an id, a type and a payload; the server answers
 * each request once (`re` = the request id), and pushes events that carry `push` instead.
 */
import { z } from 'zod';
import type { WireError } from '../errors/index.js';

/** The longest string id, in code points. */
export const MAX_ID_CHARS = 64;
/**
 * The largest integer id: 2^53 - 1. Larger integers do not survive JSON in every language (a JavaScript
 * client reads 2^53 + 1 as 2^53), so the answer could not be matched; an empty string is refused because many
 * clients cannot tell it from a missing id. docs/protocol.md states this rule from these constants.
 */
export const MAX_INTEGER_ID = Number.MAX_SAFE_INTEGER;

// Numbers first: the SDK numbers its requests, and a union builds an issue for every branch that fails.
export const RequestIdSchema = z.union([
  z.number().int().min(0).max(MAX_INTEGER_ID),
  z.string().min(1).max(MAX_ID_CHARS),
]);
export type RequestId = z.infer<typeof RequestIdSchema>;

export const ClientFrameSchema = z.object({
  id: RequestIdSchema,
  type: z.string().min(1).max(64),
  payload: z.unknown().optional(),
});
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export interface OkResponse<P = unknown> {
  readonly re: RequestId;
  readonly ok: true;
  readonly payload: P;
}

export interface ErrorResponse {
  /** null when the frame was so malformed that its id could not be read. */
  readonly re: RequestId | null;
  readonly ok: false;
  readonly error: WireError & { readonly details?: Record<string, unknown> };
}

export type ServerResponse<P = unknown> = OkResponse<P> | ErrorResponse;

export interface ServerPush<P = unknown> {
  readonly push: string;
  readonly payload: P;
}

export type ServerFrame = ServerResponse | ServerPush;
