/**
 * @module The client end of one WebSocket (RFC 6455) on a TCP or TLS socket: the opening handshake,
 * masked frames out, text/binary/ping/close frames in, and the closing handshake.
 *
 * Why not the `ws` package's client: it opens every connection through Node's HTTP client (a ClientRequest,
 * an HTTP parser, an IncomingMessage) and streams for its receiver and sender. When a failover relocates
 * thousands of users, that machinery was the largest allocator of the reconnecting clients (a quarter of
 * ~60 KB per reconnection) and its garbage collection a sixth of their CPU. The server keeps `ws`.
 *
 * What this does not do, because the Tandem protocol does not use it: extensions (permessage-deflate) and
 * subprotocols. A server that answers with either fails the handshake, as the RFC requires.
 *
 * Events: `open`; `message` (data, isBinary); `error` (before `close`, for handshake and protocol
 * failures); `close` (code, reason) exactly once — the code of the server's close frame, or 1006 when the
 * connection ended without one, or the code this side failed the connection with (1002, 1007, 1009).
 */
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { EventEmitter } from 'node:events';
import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { fillRandom } from '../security/random-pool.js';
import { ACCEPT_GUID, WsCloseCode, Opcode, frame, isValidCloseCode } from './ws-frames.js';

export const WsReadyState = { Connecting: 0, Open: 1, Closing: 2, Closed: 3 } as const;
export type WsReadyState = (typeof WsReadyState)[keyof typeof WsReadyState];

export interface WsClientSocketOptions {
  /** The opening handshake (TCP, TLS, HTTP upgrade) fails after this long. */
  readonly handshakeTimeoutMs: number;
  /** The source address to connect from. */
  readonly localAddress?: string | undefined;
  /** Larger messages from the server fail the connection with 1009. */
  readonly maxMessageBytes?: number;
  /** After the close frames, the server gets this long to close the TCP connection before it is cut. */
  readonly closeTimeoutMs?: number;
  /** Extra TLS options for wss:// (a private CA, a session to resume). */
  readonly tls?: ConnectionOptions;
  /** Called with each TLS session the server offers for resumption (a ticket). */
  readonly onTlsSession?: (session: Buffer) => void;
}

interface WsClientEvents {
  open: [];
  message: [data: Buffer, isBinary: boolean];
  error: [error: Error];
  close: [code: number, reason: string];
}

const MAX_RESPONSE_HEAD_BYTES = 16 * 1024;
const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;

class WsFailure extends Error {
  constructor(
    message: string,
    readonly closeCode: number,
  ) {
    super(message);
    this.name = 'WsFailure';
  }
}

export class WsClientSocket extends EventEmitter<WsClientEvents> {
  readyState: WsReadyState = WsReadyState.Connecting;
  readonly #socket: Socket;
  readonly #key: string;
  readonly #maxMessageBytes: number;
  readonly #closeTimeoutMs: number;
  #timer: NodeJS.Timeout | undefined;
  /** Received bytes not yet parsed: usually one chunk; several only while a frame is incomplete. */
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** The frames so far of a fragmented message, and its opcode. */
  #fragments: Buffer[] | undefined;
  #fragmentBytes = 0;
  #fragmentBinary = false;
  #closeSent = false;
  /** Set by the server's close frame: nothing after it is a frame to read (RFC 6455 §5.5.1). */
  #closeSeen = false;
  #closeCode: number = WsCloseCode.Abnormal;
  #closeReason = '';

  constructor(url: string, options: WsClientSocketOptions) {
    super();
    this.#maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    const key = Buffer.allocUnsafe(16);
    fillRandom(key, 0, 16);
    this.#key = key.toString('base64');
    const target = new URL(url);
    const secure = target.protocol === 'wss:';
    const host = target.hostname.replace(/^\[|\]$/g, '');
    const port = Number(target.port || (secure ? 443 : 80));
    const local = options.localAddress === undefined ? {} : { localAddress: options.localAddress };
    this.#socket = secure
      ? tlsConnect({
          host,
          port,
          ...local,
          ...(isIP(host) === 0 ? { servername: host } : {}),
          ...options.tls,
        })
      : tcpConnect({ host, port, ...local });
    const onSession = options.onTlsSession;
    if (secure && onSession) this.#socket.on('session', (session: Buffer) => onSession(session));
    this.#socket.setNoDelay(true);
    // Written now, sent once connected: the request fits one segment.
    this.#socket.write(
      `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n` +
        `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${this.#key}\r\n` +
        `Sec-WebSocket-Version: 13\r\n\r\n`,
    );
    this.#timer = setTimeout(
      () => this.#fail(new WsFailure('Opening handshake has timed out', WsCloseCode.Abnormal)),
      options.handshakeTimeoutMs,
    );
    this.#socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.#socket.on('error', (err) => this.#onSocketError(err));
    this.#socket.on('close', () => this.#onSocketClose());
  }

  /** Sends one text message; `done` learns when it was handed to the kernel, or why it was not. */
  send(text: string, done?: (err?: Error | null) => void): void {
    if (this.readyState !== WsReadyState.Open) {
      const err = new Error(`WebSocket is not open: readyState ${this.readyState}`);
      if (done) queueMicrotask(() => done(err));
      return;
    }
    this.#socket.write(frame(Opcode.Text, Buffer.from(text, 'utf8')), done);
  }

  /** Starts the closing handshake; the server is expected to close the TCP connection in answer. */
  close(code: number = WsCloseCode.Normal, reason = ''): void {
    if (this.readyState === WsReadyState.Closed) return;
    if (this.readyState === WsReadyState.Connecting) {
      this.#fail(
        new WsFailure('WebSocket was closed before the connection was established', WsCloseCode.Abnormal),
      );
      return;
    }
    if (this.#closeSent) return;
    this.readyState = WsReadyState.Closing;
    this.#sendClose(code, reason);
    this.#armCloseTimer();
  }

  /** Cuts the connection at once, without a closing handshake. */
  terminate(): void {
    if (this.readyState === WsReadyState.Closed) return;
    this.readyState = WsReadyState.Closing;
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    try {
      if (this.readyState === WsReadyState.Connecting && !this.#readHandshake()) return;
      this.#readFrames();
    } catch (err) {
      // A listener's own exception is not the server's fault: it propagates, as from any event.
      if (!(err instanceof WsFailure)) throw err;
      this.#fail(err);
    }
  }

  /** The response head, once complete: true when the connection is open (and frames may follow). */
  #readHandshake(): boolean {
    const data = this.#contiguous(this.#buffered);
    const end = data.indexOf('\r\n\r\n');
    if (end < 0) {
      if (data.length > MAX_RESPONSE_HEAD_BYTES)
        throw new WsFailure('The server sent an oversized handshake response', WsCloseCode.Abnormal);
      return false;
    }
    const lines = data.toString('latin1', 0, end).split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1];
    if (status !== '101')
      throw new WsFailure(`Unexpected server response: ${status ?? 'not HTTP'}`, WsCloseCode.Abnormal);
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const accept = createHash('sha1')
      .update(this.#key + ACCEPT_GUID)
      .digest('base64');
    if (headers.get('upgrade')?.toLowerCase() !== 'websocket')
      throw new WsFailure('Invalid Upgrade header', WsCloseCode.Abnormal);
    if (headers.get('sec-websocket-accept') !== accept)
      throw new WsFailure('Invalid Sec-WebSocket-Accept header', WsCloseCode.Abnormal);
    if (headers.has('sec-websocket-extensions'))
      throw new WsFailure('The server sent an extension that was not requested', WsCloseCode.Abnormal);
    if (headers.has('sec-websocket-protocol'))
      throw new WsFailure('The server sent a subprotocol that was not requested', WsCloseCode.Abnormal);
    this.#consume(end + 4);
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.readyState = WsReadyState.Open;
    this.emit('open');
    return this.readyState === WsReadyState.Open;
  }

  #readFrames(): void {
    while (this.#buffered >= 2 && this.readyState !== WsReadyState.Closed && !this.#closeSeen) {
      const head = this.#contiguous(Math.min(this.#buffered, 10));
      const b0 = head[0] ?? 0;
      const b1 = head[1] ?? 0;
      if ((b0 & 0x70) !== 0)
        throw new WsFailure('RSV bits set without an extension', WsCloseCode.ProtocolError);
      if ((b1 & 0x80) !== 0) throw new WsFailure('The server masked a frame', WsCloseCode.ProtocolError);
      const fin = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      let length = b1 & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (head.length < 4) return;
        length = head.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (head.length < 10) return;
        const high = head.readUInt32BE(2);
        if (high > 0) throw new WsFailure('Message too big', WsCloseCode.TooBig);
        length = head.readUInt32BE(6);
        offset = 10;
      }
      if (opcode >= Opcode.Close && (!fin || length > 125))
        throw new WsFailure('Invalid control frame', WsCloseCode.ProtocolError);
      if (length + this.#fragmentBytes > this.#maxMessageBytes)
        throw new WsFailure('Message too big', WsCloseCode.TooBig);
      if (this.#buffered < offset + length) return;
      const data = this.#contiguous(offset + length);
      const payload = data.subarray(offset, offset + length);
      this.#consume(offset + length);
      this.#onFrame(fin, opcode, payload);
    }
  }

  #onFrame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case Opcode.Text:
      case Opcode.Binary:
        if (this.#fragments !== undefined)
          throw new WsFailure('A new message started inside a fragmented one', WsCloseCode.ProtocolError);
        if (fin) return this.#deliver(payload, opcode === Opcode.Binary);
        this.#fragments = [payload];
        this.#fragmentBytes = payload.length;
        this.#fragmentBinary = opcode === Opcode.Binary;
        return;
      case Opcode.Continuation: {
        if (this.#fragments === undefined)
          throw new WsFailure('A continuation frame without a message', WsCloseCode.ProtocolError);
        this.#fragments.push(payload);
        this.#fragmentBytes += payload.length;
        if (!fin) return;
        const whole = Buffer.concat(this.#fragments, this.#fragmentBytes);
        this.#fragments = undefined;
        this.#fragmentBytes = 0;
        return this.#deliver(whole, this.#fragmentBinary);
      }
      case Opcode.Ping:
        if (this.readyState === WsReadyState.Open) this.#socket.write(frame(Opcode.Pong, payload));
        return;
      case Opcode.Pong:
        return;
      case Opcode.Close:
        return this.#onCloseFrame(payload);
      default:
        throw new WsFailure(`Unknown opcode ${opcode}`, WsCloseCode.ProtocolError);
    }
  }

  #deliver(payload: Buffer, isBinary: boolean): void {
    if (!isBinary && !isUtf8(payload))
      throw new WsFailure('Invalid UTF-8 in a text message', WsCloseCode.InvalidPayload);
    this.emit('message', payload, isBinary);
  }

  #onCloseFrame(payload: Buffer): void {
    if (payload.length === 1) throw new WsFailure('Invalid close frame', WsCloseCode.ProtocolError);
    let code: number = WsCloseCode.NoStatus;
    let reason = '';
    if (payload.length >= 2) {
      code = payload.readUInt16BE(0);
      if (!isValidCloseCode(code))
        throw new WsFailure(`Invalid close code ${code}`, WsCloseCode.ProtocolError);
      const text = payload.subarray(2);
      if (!isUtf8(text)) throw new WsFailure('Invalid UTF-8 in a close reason', WsCloseCode.InvalidPayload);
      reason = text.toString('utf8');
    }
    this.#closeSeen = true;
    this.#closeCode = code;
    this.#closeReason = reason;
    this.readyState = WsReadyState.Closing;
    // Echo the code (none if the server sent none), then let the server close the TCP connection first, so
    // that the server, not this client, holds its TIME_WAIT (RFC 6455 §7.1.1): a client's TIME_WAIT
    // sockets tie up its source ports, and thousands reconnecting at once made port search costly.
    if (!this.#closeSent) this.#sendClose(code === WsCloseCode.NoStatus ? undefined : code, '');
    this.#armCloseTimer();
  }

  #sendClose(code: number | undefined, reason: string): void {
    this.#closeSent = true;
    let payload = Buffer.alloc(0);
    if (code !== undefined) {
      const text = Buffer.from(reason, 'utf8');
      payload = Buffer.allocUnsafe(2 + Math.min(text.length, 123));
      payload.writeUInt16BE(code, 0);
      text.copy(payload, 2, 0, payload.length - 2);
    }
    this.#socket.write(frame(Opcode.Close, payload));
  }

  #armCloseTimer(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => this.#socket.destroy(), this.#closeTimeoutMs);
    this.#timer.unref();
  }

  /** Fails the connection: reports why, then cuts it; the close event carries the failure's code. */
  #fail(failure: WsFailure): void {
    if (this.readyState === WsReadyState.Closed) return;
    this.#closeCode = failure.closeCode;
    this.#closeReason = '';
    this.readyState = WsReadyState.Closing;
    this.emit('error', failure);
    this.#socket.destroy();
  }

  #onSocketError(err: Error): void {
    // A socket error is followed by 'close'; report it unless the connection already failed or closed.
    if (this.readyState === WsReadyState.Connecting || this.readyState === WsReadyState.Open)
      this.emit('error', err);
  }

  #onSocketClose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.readyState = WsReadyState.Closed;
    this.#chunks = [];
    this.#buffered = 0;
    // The TCP socket closes once, so this is the one close event.
    this.emit('close', this.#closeCode, this.#closeReason);
  }

  /** The first `bytes` buffered bytes as one buffer (joining chunks only when a frame spans several). */
  #contiguous(bytes: number): Buffer {
    const first = this.#chunks[0] ?? Buffer.alloc(0);
    if (first.length >= bytes || this.#chunks.length === 1) return first;
    const joined = Buffer.concat(this.#chunks, this.#buffered);
    this.#chunks = [joined];
    return joined;
  }

  #consume(bytes: number): void {
    this.#buffered -= bytes;
    let left = bytes;
    while (left > 0) {
      const first = this.#chunks[0];
      if (first === undefined) break;
      if (first.length <= left) {
        this.#chunks.shift();
        left -= first.length;
      } else {
        this.#chunks[0] = first.subarray(left);
        left = 0;
      }
    }
  }
}
