/**
 * @module The envelope of every frame. Client requests carry an id, a type and a payload; the server answers
 * each request once (`re` = the request id), and pushes events that carry `push` instead.
 */
import { z } from 'zod';
import type { WireError } from '../errors/index.js';

// Numbers first: the SDK numbers its requests, and a union builds an issue for every branch that fails.
export const RequestIdSchema = z.union([z.number().int().nonnegative(), z.string().min(1).max(64)]);
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
