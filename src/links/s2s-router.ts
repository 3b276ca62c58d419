/**
 * @module Server-to-server routes: each path has a schema that validates the body before its handler runs.
 * The HTTP server verifies the signature first; this table never sees an unauthenticated request.
 */
import { safeParse } from '../util/safe-parse.js';
import type { z } from 'zod';
import { TandemError } from '../errors/index.js';

export interface S2sRoute<S extends z.ZodType = z.ZodType> {
  readonly schema: S;
  handle(body: z.infer<S>, from: string): Promise<unknown>;
}

export type S2sRoutes = Record<string, S2sRoute>;

export function route<S extends z.ZodType>(
  schema: S,
  handle: (body: z.infer<S>, from: string) => Promise<unknown>,
): S2sRoute {
  return { schema, handle };
}

export async function dispatchS2s(
  routes: S2sRoutes,
  path: string,
  body: unknown,
  from: string,
): Promise<unknown> {
  const r = routes[path];
  if (!r) throw new TandemError('NOT_FOUND', { what: 'Server-to-server route', name: path });
  const parsed = safeParse(r.schema, body);
  if (!parsed.success) {
    throw new TandemError('INVALID_ARGUMENT', {
      detail: `bad ${path} request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
    });
  }
  return r.handle(parsed.data, from);
}
