/**
 * @module The two ways to reach a pool's servers: try them in preferred order until one answers, or ask
 * every one that is reachable. A reachable server's refusal is its pool's answer; only an unreachable
 * server (S2S_UNREACHABLE unless the caller says otherwise) moves on to the next.
 */
import { TandemError, toTandemError } from '../errors/index.js';

export interface FirstAnsweringOptions {
  /** Whether this failure moves on to the next server; a failure that does not is final. */
  readonly movesOn?: (err: TandemError) => boolean;
  /** The error when no server answered; `last` is the last failure (undefined when there was no server). */
  readonly noneAnswered?: (last: unknown) => Error;
}

const unreachable = (err: TandemError) => err.code === 'S2S_UNREACHABLE';

/** Calls the servers one at a time, in the order given, and returns the first answer. */
export async function firstAnswering<T>(
  servers: readonly string[],
  call: (server: string) => Promise<T>,
  options: FirstAnsweringOptions = {},
): Promise<T> {
  const movesOn = options.movesOn ?? unreachable;
  let last: unknown;
  for (const server of servers) {
    try {
      return await call(server);
    } catch (err) {
      if (!movesOn(toTandemError(err))) throw err;
      last = err;
    }
  }
  if (options.noneAnswered) throw options.noneAnswered(last);
  if (last instanceof Error) throw last;
  throw last === undefined
    ? new TandemError('S2S_UNREACHABLE', { server: '(none)', address: '-', detail: 'no server to ask' })
    : toTandemError(last);
}

export interface EveryReachableOptions {
  /** Whether a failure only leaves this server out; a failure that does not is thrown. */
  readonly skips?: (err: TandemError) => boolean;
  /** Ask all servers at once rather than one after the other. */
  readonly concurrent?: boolean;
}

/** Asks every server; returns the answers of those that answered, in the order of `servers`. */
export async function everyReachable<T>(
  servers: readonly string[],
  call: (server: string) => Promise<T>,
  options: EveryReachableOptions = {},
): Promise<{ server: string; answer: T }[]> {
  const skips = options.skips ?? unreachable;
  const ask = async (server: string) => {
    try {
      return [{ server, answer: await call(server) }];
    } catch (err) {
      if (!skips(toTandemError(err))) throw err;
      return [];
    }
  };
  if (options.concurrent) return (await Promise.all(servers.map(ask))).flat();
  const out: { server: string; answer: T }[] = [];
  for (const server of servers) out.push(...(await ask(server)));
  return out;
}
