/**
 * @module Checks what the server sends before the client trusts it: the frame envelope (response or push),
 * each answer against its operation's response schema, and the servers of a SIGNIN_REDIRECT.
 */
import { safeParse } from '../json/safe-parse.js';
import { z } from 'zod';
import { RequestIdSchema, type RequestId } from '../protocol/envelope.js';
import { ServerAddressSchema, WireErrorSchema } from '../protocol/model.js';
import {
  Operations,
  parseResponse,
  type OperationKey,
  type ResponseOf,
} from '../protocol/operations/index.js';
import { TandemClientError, type WireErrorLike } from './client-errors.js';

const OkFrameSchema = z.object({ re: RequestIdSchema, ok: z.literal(true), payload: z.unknown() });
const ErrorFrameSchema = z.object({
  re: RequestIdSchema.nullable(),
  ok: z.literal(false),
  error: WireErrorSchema,
});
const PushFrameSchema = z.object({ push: z.string().min(1), payload: z.unknown() });

export type ServerFrame =
  | { readonly kind: 'ok'; readonly re: RequestId; readonly payload: unknown }
  | { readonly kind: 'error'; readonly re: RequestId | null; readonly error: WireErrorLike }
  | { readonly kind: 'push'; readonly push: string; readonly payload: unknown }
  | { readonly kind: 'invalid'; readonly detail: string };

/**
 * The frame's shape picks the one schema it must satisfy (a push names itself; a response says ok or not).
 * A union would try each shape in turn, and building the failed branches' issues was a fifth of what the
 * client allocated while thousands of users reconnected.
 */
export function parseServerFrame(text: string): ServerFrame {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'invalid', detail: 'not JSON' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { kind: 'invalid', detail: 'a frame is a JSON object' };
  if ('push' in json) {
    const push = safeParse(PushFrameSchema, json);
    return push.success
      ? { kind: 'push', push: push.data.push, payload: push.data.payload }
      : { kind: 'invalid', detail: z.prettifyError(push.error) };
  }
  if ('ok' in json && json.ok === false) {
    const error = safeParse(ErrorFrameSchema, json);
    return error.success
      ? { kind: 'error', re: error.data.re, error: error.data.error }
      : { kind: 'invalid', detail: z.prettifyError(error.error) };
  }
  const ok = safeParse(OkFrameSchema, json);
  return ok.success
    ? { kind: 'ok', re: ok.data.re, payload: ok.data.payload }
    : { kind: 'invalid', detail: z.prettifyError(ok.error) };
}

/**
 * The answer of one operation, checked against its response schema in the catalog; a server that answers
 * another shape is a BAD_SERVER_FRAME for the caller, not a value of the wrong type.
 */
export function answerOf<K extends OperationKey>(key: K, payload: unknown): ResponseOf<K> {
  const parsed = parseResponse(key, payload);
  if (parsed.ok) return parsed.value;
  throw TandemClientError.of('BAD_SERVER_FRAME', {
    detail: `${Operations[key].type} answer: ${z.prettifyError(parsed.error)}`,
  });
}

const RedirectDetailsSchema = z.object({ servers: z.array(ServerAddressSchema).min(1) });

/** The URLs a SIGNIN_REDIRECT points to, in the server's preferred order; undefined if it names none. */
export function redirectUrls(details: unknown): string[] | undefined {
  const parsed = safeParse(RedirectDetailsSchema, details);
  return parsed.success ? parsed.data.servers.map((s) => s.url) : undefined;
}
