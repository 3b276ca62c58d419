/**
 * @module Which servers a (re)connecting client tries, in order. This is the hook for registrar resiliency:
 * today the primary registrar comes first, then the backup registrar, then the URLs the application gave;
 * a later change may prefer the backup registrar depending on why the connection was lost.
 */
import type { Registrars } from './client-types.js';

export const ConnectCause = {
  /** The application called connect(). */
  Initial: 'initial',
  /** The socket dropped, the keepalive went unanswered or the server closed it. */
  ConnectionLost: 'connection-lost',
  /** The server closed with CloseCode.Relocated: the user's pool was failed over or back. */
  Relocated: 'relocated',
} as const;
export type ConnectCause = (typeof ConnectCause)[keyof typeof ConnectCause];

export interface ServerOrderInput {
  /** The URLs given in the options. */
  readonly urls: readonly string[];
  /** From the last successful sign-in, if any. */
  readonly registrars: Registrars | undefined;
  readonly cause: ConnectCause;
  /** Servers a `signed-out` push named (where the user is served now): tried first after a relocation. */
  readonly preferred?: readonly string[];
}

export function serverOrder(input: ServerOrderInput): string[] {
  const { registrars } = input;
  const ordered = [
    ...(input.cause === ConnectCause.Relocated ? (input.preferred ?? []) : []),
    ...(registrars?.primary.servers ?? []).map((s) => s.url),
    ...(registrars?.backup?.servers ?? []).map((s) => s.url),
    ...input.urls,
  ];
  return [...new Set(ordered)];
}
