/**
 * @module TandemClient: one user endpoint over one WebSocket — sign-in with redirects, automatic
 * reconnection with the sign-in token, presence re-subscription, keepalive, typed requests and events.
 *
 * Connection states (connection-state.ts holds the allowed transitions; each change emits `state`):
 *
 *   idle          ─connect()────────────────────────────▶ connecting
 *   connecting    ─socket open──────────────────────────▶ signing-in
 *   connecting    ─unreachable: next candidate──────────▶ connecting      (no event)
 *   signing-in    ─signin answered──────────────────────▶ signed-in       `signed-in`; keepalive timer starts
 *   signing-in    ─SIGNIN_REDIRECT, retryable refusal───▶ connecting      redirect targets / next candidate
 *   connecting,
 *   signing-in    ─every candidate failed (a "round")───▶ reconnecting    `retrying`; retryTimer (backoff)
 *   signed-in     ─connection lost (not 4007)───────────▶ reconnecting    `disconnected`, `retrying`
 *   reconnecting  ─retryTimer fires─────────────────────▶ connecting      next round, registrars first
 *   connecting,
 *   signing-in,
 *   signed-in     ─failure with reconnect disabled,
 *                  or the close after signOut()─────────▶ idle            connect() may be called again
 *   any           ─close(); a refusal retrying cannot
 *                  fix (SIGNIN_FAILED, USER_DISABLED,
 *                  REDIRECT_LOOP, TOKEN_INVALID without
 *                  a password...); close code 4007──────▶ closed          final; `failed` unless close()
 *
 * Timers: retryTimer (the backoff wait), the keepalive timer (keepalive.ts, signed-in only), one timer per
 * pending request (request-tracker.ts) and the handshake timeout inside `ws`; close() ends them all.
 * Nothing here is module state: every client owns all it uses, so thousands can share a process.
 */
import { CloseCode } from '../protocol/limits.js';
import type { ClientMode } from '../protocol/model.js';
import { Operations, type OperationKey, type PayloadOf } from '../protocol/operations/index.js';
import { parsePush } from '../protocol/pushes.js';
import { Backoff } from '../timing/backoff.js';
import { ClientApi } from './client-api.js';
import { TandemClientError, toClientError } from './client-errors.js';
import { resolveClientOptions, type ClientConfig, type TandemClientOptions } from './client-options.js';
import type { Registrars, ResponseOf, SignInResponse, SignInResult } from './client-types.js';
import { ConnectionState, canTransition } from './connection-state.js';
import { Credentials } from './credentials.js';
import { Keepalive } from './keepalive.js';
import { ConnectCause, serverOrder } from './server-order.js';
import { answerOf } from './server-frames.js';
import { runSignInRound, type SignInRoundContext } from './sign-in-round.js';
import { WsLink } from './ws-link.js';
import { secureContextFor } from './tls-context.js';

/** close() waits this long at most for the signout answer, then as long again for the socket to close. */
const CLOSE_GRACE_MS = 2_000;
/** A server asking for a longer wait before signing in again after a relocation is capped to this. */
const MAX_RELOCATION_WAIT_MS = 120_000;

export class TandemClient extends ClientApi {
  readonly #config: ClientConfig;
  readonly #credentials: Credentials;
  readonly #backoff: Backoff;
  readonly #keepalive: Keepalive;
  #state: ConnectionState = ConnectionState.Idle;
  /** The signed-in link; undefined in every other state. */
  #link: WsLink | undefined;
  /** The link of the sign-in attempt in progress, so that close() can abort it. */
  #attemptLink: WsLink | undefined;
  #session: SignInResult | undefined;
  /** The last TLS session a server offered, resumed at the next connection. */
  #tlsSession: Buffer | undefined;
  #mode: ClientMode | undefined;
  #establishing: Promise<SignInResult> | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #wakeRetry: (() => void) | undefined;
  #cause: ConnectCause = ConnectCause.Initial;
  /** Where a `signed-out` push said the user is served now (tried first after a relocation). */
  #preferred: readonly string[] = [];
  /**
   * When a `signed-out` push asked to be signed in again by (its arrival plus its window): the next wait is a
   * random part of what is left. Counted from the push, not from the close that follows: a server signing out
   * thousands of users may take seconds to close each connection, and the window is the server's pacing.
   */
  #relocateBy: number | undefined;
  #signingOut = false;
  /** Set by close() and by a terminal failure: from then on nothing connects again. */
  #closing = false;
  #closed: Promise<void> | undefined;

  constructor(options: TandemClientOptions) {
    super();
    this.#config = resolveClientOptions(options);
    const { reconnect, random, password, token } = this.#config;
    this.#credentials = new Credentials(this.#config, password, token);
    this.#backoff = new Backoff({ ...reconnect, random });
    this.#keepalive = new Keepalive(this.#config.keepaliveIntervalMs, this.#config.requestTimeoutMs);
    this.#tlsSession = this.#config.tlsSession;
  }

  state(): ConnectionState {
    return this.#state;
  }
  /** The signed-in SIP address (as the server spells it), else the configured user. */
  sip(): string {
    return this.#session?.sip ?? this.#config.user;
  }
  /** The current endpoint; undefined unless signed in. */
  endpointId(): string | undefined {
    return this.#link === undefined ? undefined : this.#session?.endpointId;
  }
  /** The FQDN of the server this endpoint is signed in at; undefined unless signed in. */
  servedBy(): string | undefined {
    return this.#link === undefined ? undefined : this.#session?.servedBy;
  }
  /** The mode of the last sign-in, as updated by mode.changed. */
  mode(): ClientMode | undefined {
    return this.#mode;
  }
  /** The registrars of the last sign-in: where reconnection looks first. */
  registrars(): Registrars | undefined {
    return this.#session?.registrars;
  }
  tokenExpiresAt(): number | undefined {
    return this.#credentials.tokenExpiresAt;
  }
  /** The TLS session the next connection offers to resume (give it to a later client as `tlsSession`). */
  tlsSession(): Buffer | undefined {
    return this.#tlsSession;
  }

  /** Signs in (or joins the sign-in under way); rejects with a TandemClientError for terminal refusals. */
  connect(): Promise<SignInResult> {
    if (this.#closing) return Promise.reject(TandemClientError.of('CLIENT_CLOSED'));
    if (this.#link !== undefined && this.#session !== undefined) return Promise.resolve(this.#session);
    return this.#establishing ?? this.#startEstablishing(undefined);
  }

  request<K extends OperationKey>(key: K, payload: PayloadOf<K>): Promise<ResponseOf<K>> {
    if (this.#closing) return Promise.reject(TandemClientError.of('CLIENT_CLOSED'));
    const link = this.#link;
    if (link === undefined || this.#state !== ConnectionState.SignedIn)
      return Promise.reject(TandemClientError.of('NOT_CONNECTED', { state: this.#state }));
    const { type } = Operations[key];
    const answer = link
      .request(type, payload, this.#config.requestTimeoutMs)
      .then((raw) => answerOf(key, raw));
    if (type === Operations.signOut.type) {
      // The server closes after answering; the flag keeps that close from starting a reconnection.
      this.#signingOut = true;
      answer.then(
        () => void link.closeGracefully(CloseCode.Normal, 'signed out', CLOSE_GRACE_MS),
        () => {
          if (this.#link === link) this.#signingOut = false;
        },
      );
    }
    return answer;
  }

  /** Signs out if signed in (bounded), closes the socket, stops every timer; nothing reconnects after. */
  close(): Promise<void> {
    this.#closed ??= this.#shutdown();
    return this.#closed;
  }

  async #shutdown(): Promise<void> {
    this.#closing = true;
    this.#stopTimers();
    this.#attemptLink?.terminate();
    const link = this.#link;
    if (link !== undefined) {
      const grace = Math.min(this.#config.requestTimeoutMs, CLOSE_GRACE_MS);
      await link.request(Operations.signOut.type, {}, grace).catch(() => undefined);
      await link.closeGracefully(CloseCode.Normal, 'client closed', CLOSE_GRACE_MS);
    }
    await this.#establishing?.catch(() => undefined);
    this.#setState(ConnectionState.Closed);
  }

  #startEstablishing(lost: TandemClientError | undefined): Promise<SignInResult> {
    const tracked: Promise<SignInResult> = this.#establish(lost).finally(() => {
      if (this.#establishing === tracked) this.#establishing = undefined;
    });
    this.#establishing = tracked;
    tracked.catch((err: unknown) => this.#onEstablishFailed(toClientError(err)));
    return tracked;
  }

  /** Rounds of attempts until signed in; `lost` (a connection loss) makes it wait before the first. */
  async #establish(lost: TandemClientError | undefined): Promise<SignInResult> {
    let lastError = lost;
    for (;;) {
      if (lastError !== undefined) await this.#backoffWait(lastError);
      if (this.#closing) throw TandemClientError.of('CLIENT_CLOSED');
      const outcome = await runSignInRound(this.#roundContext());
      if (outcome.kind === 'retry') {
        if (!this.#config.reconnect.enabled) throw outcome.error;
        lastError = outcome.error;
        continue;
      }
      const result = this.#adopt(outcome.link, outcome.response);
      if (result !== undefined) return result;
      lastError = TandemClientError.of('CONNECTION_LOST', { url: outcome.link.url, type: 'signin' });
    }
  }

  async #backoffWait(lastError: TandemClientError): Promise<void> {
    // After a relocation the server paces the users it signed out; later waits are the usual backoff.
    const by = this.#relocateBy;
    this.#relocateBy = undefined;
    const paced =
      by === undefined
        ? this.#backoff.next()
        : Math.max(0, by - Date.now()) * Math.min(1, Math.max(0, this.#config.random()));
    // A server that sheds or slows sign-ins says when to come back (SIGNIN_BUSY, SIGNIN_RATE_LIMITED): sooner is
    // refused again, so its word is the least wait.
    const delay = Math.max(paced, retryAfterOf(lastError));
    this.#setState(ConnectionState.Reconnecting);
    this.emitSafely('retrying', delay, this.#backoff.attempt, lastError);
    if (this.#closing) return;
    await new Promise<void>((resolve) => {
      this.#wakeRetry = resolve;
      this.#retryTimer = setTimeout(resolve, delay);
    });
    this.#retryTimer = undefined;
    this.#wakeRetry = undefined;
  }

  #roundContext(): SignInRoundContext {
    const registrars = this.#session?.registrars;
    return {
      candidates: serverOrder({
        urls: this.#config.urls,
        registrars,
        cause: this.#cause,
        preferred: this.#preferred,
      }),
      maxRedirects: this.#config.maxRedirects,
      requestTimeoutMs: this.#config.requestTimeoutMs,
      openLink: (url) => this.#openLink(url),
      signInPayload: () => this.#credentials.signInPayload(Date.now()),
      onPhase: (phase) =>
        this.#setState(phase === 'connecting' ? ConnectionState.Connecting : ConnectionState.SigningIn),
      isClosing: () => this.#closing,
      onTokenRefused: () => this.#credentials.dropToken(),
    };
  }

  #openLink(url: string): WsLink {
    const link: WsLink = new WsLink(
      url,
      this.#config.requestTimeoutMs,
      {
        onProtocolError: (err) => this.emitSafely('protocol-error', err),
        onClose: (code, reason) => this.#onLinkClosed(link, code, reason),
      },
      {
        localAddress: this.#config.localAddress,
        // Every server of a deployment shares its ticket keys: the last session resumes at any of them,
        // which saves most of a handshake's cost when a failover sends everyone elsewhere at once.
        tls: {
          secureContext: secureContextFor(this.#config.ca),
          ...(this.#tlsSession ? { session: this.#tlsSession } : {}),
        },
        onTlsSession: (session) => {
          if (this.#config.resumeTlsSessions) this.#tlsSession = session;
        },
      },
    );
    this.#attemptLink = link;
    return link;
  }

  /** Makes a signed-in link current; undefined when it closed before it could be adopted. */
  #adopt(link: WsLink, response: SignInResponse): SignInResult | undefined {
    if (this.#attemptLink === link) this.#attemptLink = undefined;
    if (this.#closing) {
      link.terminate();
      throw TandemClientError.of('CLIENT_CLOSED');
    }
    if (!link.isOpen) return undefined;
    const previousMode = this.#mode;
    const result: SignInResult = { ...response, url: link.url, reconnected: this.#session !== undefined };
    this.#link = link;
    this.#session = result;
    this.#mode = response.mode;
    this.#cause = ConnectCause.ConnectionLost;
    this.#credentials.adoptToken(response.token, response.tokenExpiresAt);
    this.#credentials.adoptEpoch(response.poolEpoch);
    this.#backoff.reset();
    this.#relocateBy = undefined;
    this.#keepalive.start(link);
    this.subscriptions.resubscribe(link, this.#config.requestTimeoutMs, {
      // The states may have changed while disconnected: deliver them as if pushed.
      onState: (state) => this.#onPush(link, 'presence.changed', state),
      onError: (err) => {
        if (err.code !== 'CONNECTION_LOST' && !this.#closing) this.emitSafely('resubscribe-failed', err);
      },
    });
    this.#setState(ConnectionState.SignedIn);
    this.emitSafely('signed-in', result);
    if (previousMode !== undefined && previousMode !== response.mode)
      this.emitSafely('mode', response.mode, 'sign-in');
    link.deliverPushesTo((name, payload) => this.#onPush(link, name, payload));
    return result;
  }

  #onPush(link: WsLink, name: string, payload: unknown): void {
    if (link !== this.#link) return;
    // A push of a known name is checked against its schema before it is emitted under that name; one of
    // another shape is a protocol error, and a name this SDK does not know only reaches `push` listeners.
    const checked = parsePush(name, payload);
    if (typeof checked === 'string') {
      const detail = `${name} push: ${checked}`;
      this.emitSafely(
        'protocol-error',
        TandemClientError.of('BAD_SERVER_FRAME', { detail }, { details: { url: link.url } }),
      );
    }
    const push = typeof checked === 'object' ? checked : undefined;
    if (push !== undefined) this.emitPush(push);
    this.emitSafely('push', name, payload);
    if (name === 'signed-out') {
      // A relocation's hints; a signed-out push of another shape leaves the usual backoff and server order.
      const hints = push?.name === 'signed-out' ? push.payload : undefined;
      const within = hints?.reconnectWithinMs;
      this.#relocateBy =
        within !== undefined && Number.isFinite(within) && within > 0
          ? Date.now() + Math.min(within, MAX_RELOCATION_WAIT_MS)
          : undefined;
      this.#preferred = hints?.servers?.map((s) => s.url) ?? [];
    }
    if (push?.name === 'mode.changed') {
      this.#mode = push.payload.mode;
      this.emitSafely('mode', push.payload.mode, push.payload.reason);
    }
  }

  #onLinkClosed(link: WsLink, code: number, reason: string): void {
    if (link === this.#attemptLink) this.#attemptLink = undefined;
    if (link !== this.#link) return;
    this.#link = undefined;
    this.#keepalive.stop();
    const signedOut = this.#signingOut;
    this.#signingOut = false;
    this.emitSafely('disconnected', code, reason);
    // A 'disconnected' listener may have called close() or connect(): then that call is in charge.
    if (this.#closing || this.#establishing !== undefined) return;
    if (code === CloseCode.UserDisabled) {
      this.#fail(TandemClientError.of('USER_DISABLED', { sip: this.sip() }));
    } else if (signedOut || !this.#config.reconnect.enabled) {
      this.#setState(ConnectionState.Idle);
    } else {
      this.#cause = code === CloseCode.Relocated ? ConnectCause.Relocated : ConnectCause.ConnectionLost;
      void this.#startEstablishing(
        TandemClientError.of('CONNECTION_LOST', { url: link.url, type: 'the session' }),
      );
    }
  }

  #onEstablishFailed(err: TandemClientError): void {
    if (this.#closing) return;
    // Only a client that does not reconnect ends a round with a retryable error: it may connect() again.
    if (err.retryable) this.#setState(ConnectionState.Idle);
    else this.#fail(err);
  }

  #fail(err: TandemClientError): void {
    this.#closing = true;
    this.#stopTimers();
    this.#attemptLink?.terminate();
    this.#link?.terminate();
    this.#setState(ConnectionState.Closed);
    this.emitSafely('failed', err);
  }

  #stopTimers(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#wakeRetry?.();
    this.#keepalive.stop();
  }

  #setState(next: ConnectionState): void {
    const previous = this.#state;
    if (previous === next) return;
    if (!canTransition(previous, next))
      process.emitWarning(`TandemClient: unexpected transition ${previous} → ${next}`, 'TandemClientWarning');
    this.#state = next;
    this.emitSafely('state', next, previous);
  }
}

/** The wait a refusal asks for (`details.retryAfterMs`), bounded to a minute; 0 when it names none. */
function retryAfterOf(error: TandemClientError): number {
  const ms = error.details?.retryAfterMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? Math.min(ms, 60_000) : 0;
}
