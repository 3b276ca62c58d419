/**
 * @module One WebSocket connection to one server: opening it, request/response matching, pushes, and the
 * close that rejects whatever still waits. The client makes a new link for every attempt, so a late event
 * of an old socket can never be mistaken for one of the current socket.
 */
import { isCertificateRejection } from '../security/tls-rejections.js';
import { WsClientSocket, WsReadyState, type WsClientSocketOptions } from './ws-client-socket.js';
import { TandemClientError } from './client-errors.js';
import { RequestTracker } from './request-tracker.js';
import { parseServerFrame } from './server-frames.js';

export interface LinkHandlers {
  readonly onProtocolError: (error: TandemClientError) => void;
  readonly onClose: (code: number, reason: string) => void;
}

type PushSink = (name: string, payload: unknown) => void;

/** Pushes held while nobody takes them (between the signin answer and adoption); more is a broken server. */
const MAX_HELD_PUSHES = 1_000;

export class WsLink {
  readonly url: string;
  /** Settles once: resolves when the socket opens, rejects with SERVER_UNREACHABLE if it never does. */
  readonly opened: Promise<void>;
  readonly #ws: WsClientSocket;
  readonly #handlers: LinkHandlers;
  readonly #tracker = new RequestTracker();
  // The socket emits the frames of one TCP chunk synchronously, so pushes can arrive right behind the signin answer,
  // before the client has adopted this link: they are held, then delivered in order.
  #held: [string, unknown][] | undefined = [];
  #sink: PushSink | undefined;
  #closed = false;
  #closedPromise: Promise<void>;

  constructor(
    url: string,
    handshakeTimeoutMs: number,
    handlers: LinkHandlers,
    options: Pick<WsClientSocketOptions, 'localAddress' | 'tls' | 'onTlsSession'> = {},
  ) {
    this.url = url;
    this.#handlers = handlers;
    this.#ws = new WsClientSocket(url, { handshakeTimeoutMs, ...options });
    let failure: Error | undefined;
    let open = false;
    this.opened = new Promise<void>((resolve, reject) => {
      this.#ws.once('open', () => {
        open = true;
        resolve();
      });
      this.#ws.once('close', () => {
        // Once open, the promise is settled: no error to build (thousands of links close at a relocation).
        if (open) return;
        const detail = failure?.message ?? 'the connection closed during the handshake';
        reject(
          isCertificateRejection(failure)
            ? TandemClientError.of('SERVER_NOT_TRUSTED', { url, reason: detail }, { cause: failure })
            : TandemClientError.of('SERVER_UNREACHABLE', { url, detail }, { cause: failure }),
        );
      });
    });
    // Without an 'error' listener a refused connection would throw from the socket's emitter.
    this.#ws.on('error', (err) => {
      failure = err;
    });
    this.#closedPromise = new Promise<void>((resolve) => {
      this.#ws.once('close', (code, reason) => {
        this.#onClose(code, reason);
        resolve();
      });
    });
    this.#ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    // A rejection nobody awaits must not become an unhandled rejection (an opening aborted by close()).
    this.opened.catch(() => undefined);
  }

  get isOpen(): boolean {
    return !this.#closed && this.#ws.readyState === WsReadyState.Open;
  }

  /** Sends one request and resolves with its answer payload, or rejects with a TandemClientError. */
  request(type: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    if (!this.isOpen) return Promise.reject(this.#lost(type));
    const { id, answer } = this.#tracker.start(type, timeoutMs);
    this.#ws.send(JSON.stringify({ id, type, payload }), (err) => {
      if (err) this.#tracker.reject(id, this.#lost(type));
    });
    return answer;
  }

  /** Starts delivering pushes to `sink`, first the ones held since the socket opened. */
  deliverPushesTo(sink: PushSink): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    this.#sink = sink;
    for (const [name, payload] of held) sink(name, payload);
  }

  /** Cuts the connection without a closing handshake (dead peer, aborted attempt). */
  terminate(): void {
    if (!this.#closed) this.#ws.terminate();
  }

  /** Closes with a handshake, but waits at most graceMs for the server's answer before cutting. */
  async closeGracefully(code: number, reason: string, graceMs: number): Promise<void> {
    if (this.#closed) return;
    if (this.#ws.readyState === WsReadyState.Connecting) this.#ws.terminate();
    else this.#ws.close(code, reason);
    const timer = setTimeout(() => this.#ws.terminate(), graceMs);
    await this.#closedPromise;
    clearTimeout(timer);
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    try {
      if (isBinary) {
        this.#handlers.onProtocolError(this.#badFrame('binary frames are not part of the protocol'));
        return;
      }
      const text = data.toString('utf8');
      const frame = parseServerFrame(text);
      switch (frame.kind) {
        case 'ok':
          this.#tracker.resolve(frame.re, frame.payload);
          return;
        case 'error':
          // re is null only when the server could not read a frame of ours; an unknown re is a late answer.
          if (frame.re === null) this.#handlers.onProtocolError(TandemClientError.fromWire(frame.error));
          else this.#tracker.reject(frame.re, TandemClientError.fromWire(frame.error));
          return;
        case 'push':
          this.#onPush(frame.push, frame.payload);
          return;
        case 'invalid':
          this.#handlers.onProtocolError(this.#badFrame(frame.detail));
          return;
      }
    } catch (err) {
      // Never let an exception escape into the socket's event loop.
      this.#handlers.onProtocolError(this.#badFrame(err instanceof Error ? err.message : String(err)));
    }
  }

  #onPush(name: string, payload: unknown): void {
    if (this.#sink !== undefined) this.#sink(name, payload);
    else if (this.#held !== undefined && this.#held.length < MAX_HELD_PUSHES)
      this.#held.push([name, payload]);
  }

  #onClose(code: number, reason: string): void {
    this.#closed = true;
    this.#tracker.rejectAll((type) => this.#lost(type));
    this.#handlers.onClose(code, reason);
  }

  #lost(type: string): TandemClientError {
    return TandemClientError.of('CONNECTION_LOST', { url: this.url, type });
  }

  #badFrame(detail: string): TandemClientError {
    return TandemClientError.of('BAD_SERVER_FRAME', { detail }, { details: { url: this.url } });
  }
}
