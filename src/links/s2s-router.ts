/**
 * @module Server-to-server routes: each path has a schema that validates the body before its handler runs.
 * The HTTP server verifies the signature first; this table never sees an unauthenticated request.
 */
import { safeParse } from '../util/safe-parse.js';
import type { z } from 'zod';
import { TandemError } from '../errors/index.js';

/** The largest request body a route takes unless it says otherwise (an IM, a presence event, a command). */
export const S2S_DEFAULT_BODY_BYTES = 4 * 1024 * 1024;
/** Routes that carry a user's stored data or CMS documents in bulk. */
export const S2S_BULK_BODY_BYTES = 64 * 1024 * 1024;

export interface S2sRoute<S extends z.ZodType = z.ZodType> {
  readonly schema: S;
  /** Bodies larger than this are refused before they are read (S2S_BODY_TOO_LARGE). */
  readonly maxBodyBytes: number;
  handle(body: z.infer<S>, from: string): Promise<unknown>;
}

export type S2sRoutes = Record<string, S2sRoute>;

export function route<S extends z.ZodType>(
  schema: S,
  handle: (body: z.infer<S>, from: string) => Promise<unknown>,
  options: { readonly maxBodyBytes?: number } = {},
): S2sRoute {
  return { schema, handle, maxBodyBytes: options.maxBodyBytes ?? S2S_DEFAULT_BODY_BYTES };
}

/** The body cap of a path; unknown paths get the default, so that a refusal does not tell which exist. */
export function bodyCapOf(routes: S2sRoutes, path: string): number {
  return Object.hasOwn(routes, path)
    ? (routes[path]?.maxBodyBytes ?? S2S_DEFAULT_BODY_BYTES)
    : S2S_DEFAULT_BODY_BYTES;
}

export async function dispatchS2s(
  routes: S2sRoutes,
  path: string,
  body: unknown,
  from: string,
): Promise<unknown> {
  const r = Object.hasOwn(routes, path) ? routes[path] : undefined;
  if (!r) throw new TandemError('NOT_FOUND', { what: 'Server-to-server route', name: path });
  const parsed = safeParse(r.schema, body);
  if (!parsed.success) {
    throw new TandemError('INVALID_ARGUMENT', {
      detail: `bad ${path} request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
    });
  }
  return r.handle(parsed.data, from);
}
