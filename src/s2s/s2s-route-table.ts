/**
 * @module The route table of server-to-server calls (not to be confused with `delivery/`, which delivers
 * events to users): each route serves a contract (s2s-contract.ts), whose request schema validates
 * the body before the handler runs and whose answer schema types what the handler returns. The HTTP server
 * verifies the signature first; this table never sees an unauthenticated request.
 */
import { safeParse } from '../json/safe-parse.js';
import type { z } from 'zod';
import { TandemError } from '../errors/index.js';
import { S2S_DEFAULT_BODY_BYTES, type ReplyOf, type S2sContract } from './s2s-contract.js';

export { S2S_BULK_BODY_BYTES, S2S_DEFAULT_BODY_BYTES } from './s2s-contract.js';

export interface S2sRoute {
  readonly contract: S2sContract;
  /** Validates the body against the contract's request schema, then runs the handler. */
  serve(body: unknown, from: string): Promise<unknown>;
}

export type S2sRoutes = Record<string, S2sRoute>;

/** Serves a contract: the handler gets the parsed request and must answer in the contract's shape. */
export function route<Req extends z.ZodType, Res extends z.ZodType>(
  contract: S2sContract<Req, Res>,
  handle: (body: z.output<Req>, from: string) => Promise<ReplyOf<S2sContract<Req, Res>>>,
): S2sRoute {
  return {
    contract,
    serve(body, from) {
      const parsed = safeParse(contract.request, body);
      if (!parsed.success) {
        throw new TandemError('INVALID_ARGUMENT', {
          detail: `bad ${contract.path} request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
        });
      }
      return handle(parsed.data, from);
    },
  };
}

/** A route table from routes; a path served twice is a wiring mistake. */
export function routeTable(...routes: readonly S2sRoute[]): S2sRoutes {
  const table: S2sRoutes = {};
  for (const r of routes) {
    if (Object.hasOwn(table, r.contract.path)) throw new Error(`${r.contract.path} is served twice`);
    table[r.contract.path] = r;
  }
  return table;
}

/** The body cap of a path; unknown paths get the default, so that a refusal does not tell which exist. */
export function bodyCapOf(routes: S2sRoutes, path: string): number {
  return Object.hasOwn(routes, path)
    ? (routes[path]?.contract.maxBodyBytes ?? S2S_DEFAULT_BODY_BYTES)
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
  return r.serve(body, from);
}
