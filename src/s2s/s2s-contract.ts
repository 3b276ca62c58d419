/**
 * @module Server-to-server contracts: a route's path, the schema of its request and the schema of its
 * answer. The route table serves a contract (s2s-route-table.ts) and the calling server asks one
 * (PeerClient.call), which parses the answer: a peer of another version cannot slip an unexpected shape in.
 */
import { z } from 'zod';

/** The largest request body a route takes unless it says otherwise (an IM, a presence event, a command). */
export const S2S_DEFAULT_BODY_BYTES = 4 * 1024 * 1024;
/** Routes that carry a user's stored data or CMS documents in bulk. */
export const S2S_BULK_BODY_BYTES = 64 * 1024 * 1024;

/** The body of a request that carries nothing, and the answer of a route that only acknowledges. */
export const EmptyBody = z.object({}).passthrough();

export interface S2sContract<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly path: string;
  readonly request: Req;
  readonly response: Res;
  /** Bodies larger than this are refused before they are read (S2S_BODY_TOO_LARGE). */
  readonly maxBodyBytes: number;
}

/** A wire shape as a sender may hold it: its arrays and fields may be read-only. */
export type Sendable<T> = T extends readonly (infer U)[]
  ? readonly Sendable<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Sendable<T[K]> }
    : T;

/** What a caller sends. */
export type RequestOf<C extends S2sContract> = Sendable<z.input<C['request']>>;
/** What a route's handler answers. */
export type ReplyOf<C extends S2sContract> = Sendable<z.input<C['response']>>;
/** What a caller gets, parsed. */
export type AnswerOf<C extends S2sContract> = z.output<C['response']>;

export function s2sContract<Req extends z.ZodType, Res extends z.ZodType>(c: {
  readonly path: string;
  readonly request: Req;
  readonly response: Res;
  /** True for routes that carry stored data in bulk (S2S_BULK_BODY_BYTES). */
  readonly bulk?: boolean;
}): S2sContract<Req, Res> {
  return {
    path: c.path,
    request: c.request,
    response: c.response,
    maxBodyBytes: c.bulk ? S2S_BULK_BODY_BYTES : S2S_DEFAULT_BODY_BYTES,
  };
}

/** The paths of a set of contracts, by the same names (for tests and the fuzzer, which send raw bodies). */
export function pathsOf<T extends Record<string, S2sContract>>(
  contracts: T,
): { readonly [K in keyof T]: string } {
  const out: Record<string, string> = {};
  for (const [name, c] of Object.entries(contracts)) out[name] = c.path;
  return out as { readonly [K in keyof T]: string };
}
