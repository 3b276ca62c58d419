/**
 * @module Checks what the server sends before the client trusts it: the frame envelope (response or push),
 * the sign-in answer the client keeps (token, registrars) and the servers of a SIGNIN_REDIRECT.
 */
import { safeParse } from '../util/safe-parse.js';
import { z } from 'zod';
import { RequestIdSchema, type RequestId } from '../protocol/envelope.js';
import { ClientMode } from '../protocol/model.js';
import type { WireErrorLike } from './client-errors.js';
import type { SignInResponse } from './client-types.js';

const WireErrorSchema = z.object({
  code: z.string().min(1),
  message: z.string(),
  retryable: z.boolean().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

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
  if ((json as { ok?: unknown }).ok === false) {
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

const ServerSchema = z.object({ fqdn: z.string(), url: z.string().min(1) });
const RegistrarSchema = z.object({ pool: z.string(), servers: z.array(ServerSchema) });

const SignInResponseSchema = z.object({
  sip: z.string(),
  displayName: z.string(),
  endpointId: z.string(),
  mode: z.enum([ClientMode.Regular, ClientMode.Resiliency]),
  servedBy: z.string(),
  poolEpoch: z.number().int().nonnegative().default(0),
  token: z.string().min(1),
  tokenExpiresAt: z.number(),
  registrars: z.object({ primary: RegistrarSchema, backup: RegistrarSchema.optional() }),
});

/** The sign-in answer, or a description of what is wrong with it. */
export function parseSignInResponse(payload: unknown): SignInResponse | string {
  const parsed = safeParse(SignInResponseSchema, payload);
  return parsed.success ? parsed.data : z.prettifyError(parsed.error);
}

const RedirectDetailsSchema = z.object({ servers: z.array(ServerSchema).min(1) });

/** The URLs a SIGNIN_REDIRECT points to, in the server's preferred order; undefined if it names none. */
export function redirectUrls(details: unknown): string[] | undefined {
  const parsed = safeParse(RedirectDetailsSchema, details);
  return parsed.success ? parsed.data.servers.map((s) => s.url) : undefined;
}

export function isClientMode(value: unknown): value is ClientMode {
  return value === ClientMode.Regular || value === ClientMode.Resiliency;
}
