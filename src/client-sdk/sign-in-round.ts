/**
 * @module One round of sign-in attempts: each candidate server in order, following SIGNIN_REDIRECT at once
 * (up to maxRedirects), moving on past unreachable and not-yet-ready servers. It either signs in, reports
 * the last retryable failure (the caller backs off and starts another round), or throws a terminal error.
 */
import { TandemClientError, toClientError } from './client-errors.js';
import type { SignInResponse } from './client-types.js';
import { answerOf, redirectUrls } from './server-frames.js';
import type { WsLink } from './ws-link.js';

export interface SignInRoundContext {
  readonly candidates: readonly string[];
  readonly maxRedirects: number;
  readonly requestTimeoutMs: number;
  /** Makes the link of one attempt; the client keeps it so that close() can abort it. */
  openLink(url: string): WsLink;
  /** Built per attempt: a refused token switches the next attempt to the password. */
  signInPayload(): Record<string, unknown>;
  onPhase(phase: 'connecting' | 'signing-in'): void;
  isClosing(): boolean;
  /** The server refused the token: forget it; true when a password remains to retry with. */
  onTokenRefused(): boolean;
}

export type RoundOutcome =
  | { readonly kind: 'signed-in'; readonly link: WsLink; readonly response: SignInResponse }
  | { readonly kind: 'retry'; readonly error: TandemClientError };

const TOKEN_REFUSALS: ReadonlySet<string> = new Set(['TOKEN_INVALID', 'TOKEN_EXPIRED']);

function closedError(): TandemClientError {
  return TandemClientError.of('CLIENT_CLOSED');
}

export async function runSignInRound(ctx: SignInRoundContext): Promise<RoundOutcome> {
  let queue = [...ctx.candidates];
  let redirects = 0;
  // Built only when a round ends without one: an Error (with its stack) per round is measurable at scale.
  let lastError: TandemClientError | undefined;
  // A server whose certificate is not trusted is passed over; if no server signs in, that is the answer.
  let untrusted: TandemClientError | undefined;
  for (let i = 0; i < queue.length; i++) {
    const url = queue[i] ?? '';
    if (ctx.isClosing()) throw closedError();
    ctx.onPhase('connecting');
    const link = ctx.openLink(url);
    try {
      await link.opened;
    } catch (err) {
      lastError = toClientError(err);
      if (lastError.code === 'SERVER_NOT_TRUSTED') untrusted = lastError;
      continue;
    }
    if (ctx.isClosing()) {
      link.terminate();
      throw closedError();
    }
    ctx.onPhase('signing-in');
    let answer: unknown;
    try {
      answer = await link.request('signin', ctx.signInPayload(), ctx.requestTimeoutMs);
    } catch (thrown) {
      const err = toClientError(thrown);
      link.terminate();
      if (ctx.isClosing()) throw closedError();
      if (err.code === 'SIGNIN_REDIRECT') {
        const targets = redirectUrls(err.details);
        if (targets === undefined) {
          lastError = err;
          continue;
        }
        redirects += 1;
        if (redirects > ctx.maxRedirects)
          throw TandemClientError.of('REDIRECT_LOOP', { max: ctx.maxRedirects, url }, { cause: err });
        queue = targets;
        i = -1;
        continue;
      }
      if (TOKEN_REFUSALS.has(err.code) && ctx.onTokenRefused()) {
        // Same server again, now with the password; dropping the token makes this happen once at most.
        i -= 1;
        continue;
      }
      if (!err.retryable) throw err;
      lastError = err;
      continue;
    }
    let response: SignInResponse;
    try {
      response = answerOf('signIn', answer);
    } catch (err) {
      link.terminate();
      lastError = toClientError(err);
      continue;
    }
    return { kind: 'signed-in', link, response };
  }
  if (untrusted) throw untrusted;
  return {
    kind: 'retry',
    error:
      lastError ?? TandemClientError.of('SERVER_UNREACHABLE', { url: '(none)', detail: 'no server to try' }),
  };
}
