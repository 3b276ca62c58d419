/**
 * @module One client WebSocket connection: every inbound frame is validated (JSON, envelope, type, payload,
 * rate) before use; errors answer the request and the connection survives, except where a documented close
 * code says otherwise. Sign-in binds the connection to an endpoint.
 */
import { safeParse } from '../json/safe-parse.js';
import { randomHex } from '../security/random-pool.js';
import type { Duplex } from 'node:stream';
import type { WebSocket, RawData } from 'ws';
import { ClientFrameSchema, RequestIdSchema, type RequestId } from '../protocol/envelope.js';
import { CloseCode, Limits } from '../protocol/limits.js';
import {
  declaredErrors,
  operationOf,
  Operations,
  type OperationKey,
  type ParsedPayloadOf,
  type SentResponseOf,
} from '../protocol/operations/index.js';
import type { Endpoint, EndpointRegistry } from '../delivery/endpoint-registry.js';
import type { Registrar } from '../registrar/registrar.js';
import { TandemError, toTandemError } from '../errors/index.js';
import { RateBucket } from './rate-bucket.js';
import { checkJsonShape, topLevelScalar } from '../json/json-shape.js';
import type { HandlerMap } from './operation-handlers.js';
import type { Logger } from '../logging/logger.js';

const KEY_BY_TYPE = new Map<string, OperationKey>(
  (Object.keys(Operations) as OperationKey[]).map((k) => [Operations[k].type, k]),
);
const TYPES = [...KEY_BY_TYPE.keys()];

/** Logged when an operation answers a code its catalog entry does not declare (tests look for it). */
export const UNDECLARED_ERROR =
  'an operation answered an error code the protocol catalog does not declare for it';

/**
 * A request that takes longer than this to answer is logged (type, user, time): on a healthy server every
 * operation answers well within a second, so such a line points at a stalled peer link, a slow store or a
 * starved process (docs/operations.md, "Slow requests").
 */
export const SLOW_REQUEST_MS = 5_000;
export const SLOW_REQUEST = 'a client request took long to answer';

export interface ConnectionDeps {
  readonly server: string;
  readonly registrar: Registrar;
  readonly endpoints: EndpointRegistry;
  readonly handlers: HandlerMap;
  readonly log: Logger;
  readonly onFrame: (type: string, outcome: string) => void;
}

export class ClientConnection {
  endpoint: Endpoint | undefined;
  readonly openedAt = Date.now();
  private readonly bucket = new RateBucket(Limits.ratePerSecond, Limits.rateBurst);
  private limitedInARow = 0;
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    /** The TCP socket under `ws`: corked around a last frame and the close, so that both go in one write. */
    private readonly socket: Duplex,
    private readonly remoteAddress: string,
    private readonly deps: ConnectionDeps,
  ) {
    ws.on('message', (data, isBinary) => void this.onMessage(data, isBinary));
    ws.on('close', () => this.onClose());
    ws.on('error', () => this.onClose());
  }

  /**
   * Starts the closing handshake. A `lastFrame` (the `signed-out` push of a relocation) goes out in the same
   * write as the close frame: one system call instead of two for each of thousands of relocated users.
   */
  close(code: number, reason: string, lastFrame?: string): void {
    if (this.closed) return;
    this.socket.cork();
    try {
      if (lastFrame !== undefined) this.sendFrame(lastFrame);
      this.ws.close(code, reason);
    } finally {
      this.socket.uncork();
    }
  }

  private async onMessage(data: RawData, isBinary: boolean): Promise<void> {
    if (this.endpoint) this.endpoint.lastSeen = Date.now();
    if (!this.bucket.take()) {
      this.limitedInARow += 1;
      if (this.limitedInARow >= Limits.floodCloseAfter) {
        this.deps.log.warn(
          { remote: this.remoteAddress, sip: this.endpoint?.sip },
          'closing a flooding connection',
        );
        this.close(CloseCode.Flood, 'flood');
        return;
      }
      // The refusal names the request it refuses, so that the client can tell its caller (an im.send the
      // client never heard of again looked acknowledged to nobody and lost to its user).
      this.fail(
        idFromText(rawText(data)),
        new TandemError('RATE_LIMITED', { rate: Limits.ratePerSecond, burst: Limits.rateBurst }),
        'rate-limited',
      );
      return;
    }
    this.limitedInARow = 0;
    if (isBinary)
      return this.fail(
        idFromText(rawText(data)),
        new TandemError('PROTOCOL_BAD_FRAME', { detail: 'binary frames are not supported; send JSON text' }),
        'bad-frame',
      );
    const text = rawText(data);
    if (!this.endpoint && Buffer.byteLength(text) > Limits.maxFrameBytesBeforeSignIn) {
      this.deps.onFrame('too-large', 'LIMIT_EXCEEDED');
      this.close(CloseCode.TooLarge, 'frame too large before sign-in');
      return;
    }
    // Measured before parsing: a deeply nested or huge frame is refused in one linear pass.
    const shape = checkJsonShape(text, { maxDepth: Limits.maxFrameDepth, maxValues: Limits.maxFrameValues });
    if (!shape.ok)
      return this.fail(
        idFromText(text),
        new TandemError('LIMIT_EXCEEDED', {
          what: shape.what === 'depth' ? 'The nesting of the frame' : 'The number of values in the frame',
          limit: shape.limit,
        }),
        'too-large',
      );
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.fail(
        null,
        new TandemError('PROTOCOL_BAD_FRAME', { detail: 'the frame is not JSON' }),
        'bad-frame',
      );
    }
    const frame = safeParse(ClientFrameSchema, raw);
    if (!frame.success) {
      const id = readId(raw);
      return this.fail(
        id,
        new TandemError('PROTOCOL_BAD_FRAME', { detail: issues(frame.error) }),
        'bad-frame',
      );
    }
    const { id, type } = frame.data;
    const key = KEY_BY_TYPE.get(type);
    const def = operationOf(type);
    if (!key || !def) {
      const near = TYPES.find(
        (t) => t.toLowerCase() === type.toLowerCase() || t.startsWith(type.split('.')[0] ?? '~'),
      );
      return this.fail(
        id,
        new TandemError('PROTOCOL_UNKNOWN_TYPE', { type, suggestion: near ? ` Did you mean ${near}?` : '' }),
        'unknown-type',
      );
    }
    const payload = safeParse(def.payload, frame.data.payload ?? {});
    if (!payload.success)
      return this.fail(
        id,
        new TandemError('PROTOCOL_BAD_PAYLOAD', { type, detail: issues(payload.error) }),
        'bad-payload',
      );
    const started = Date.now();
    try {
      const result = await this.dispatch(
        key,
        payload.data,
        def.beforeSignIn === true,
        def.blockedInResiliency,
        type,
      );
      this.send({ re: id, ok: true, payload: result ?? {} });
      this.deps.onFrame(type, 'ok');
    } catch (err) {
      const error = toTandemError(err);
      // docs/protocol.md lists each operation's codes from the catalog: a code missing there is a doc defect.
      if (!declaredErrors(def).has(error.code))
        this.deps.log.warn({ type, code: error.code }, UNDECLARED_ERROR);
      this.fail(id, error, type);
    } finally {
      const ms = Date.now() - started;
      if (ms >= SLOW_REQUEST_MS) this.deps.log.warn({ type, sip: this.endpoint?.sip, ms }, SLOW_REQUEST);
    }
  }

  private async dispatch(
    key: OperationKey,
    payload: unknown,
    beforeSignIn: boolean,
    blocked: boolean,
    type: string,
  ): Promise<unknown> {
    if (key === 'ping') return { now: Date.now() } satisfies SentResponseOf<'ping'>;
    // The payload was parsed with the schema of this key's entry (onMessage).
    if (key === 'signIn') return this.signIn(payload as ParsedPayloadOf<'signIn'>);
    const ep = this.endpoint;
    if (!ep) {
      if (beforeSignIn) return {};
      throw new TandemError('NOT_SIGNED_IN', { type });
    }
    if (key === 'signOut') {
      this.deps.endpoints.remove(ep, 'signed-out');
      this.endpoint = undefined;
      setImmediate(() => this.close(CloseCode.Normal, 'signed out'));
      return {};
    }
    // Resiliency mode refuses exactly the operations the catalog marks; the rule lives there, not here.
    if (blocked && ep.mode === 'resiliency') throw new TandemError('RESILIENCY_MODE', { type });
    const handler = this.deps.handlers[key] as (
      ctx: { endpoint: Endpoint; server: string },
      p: unknown,
    ) => Promise<unknown>;
    return handler({ endpoint: ep, server: this.deps.server }, payload);
  }

  private async signIn(p: ParsedPayloadOf<'signIn'>): Promise<SentResponseOf<'signIn'>> {
    if (this.endpoint) throw new TandemError('ALREADY_SIGNED_IN', { sip: this.endpoint.sip });
    const grant = await this.deps.registrar.signIn({
      user: p.user,
      ...(p.password !== undefined ? { password: p.password } : {}),
      ...(p.token !== undefined ? { token: p.token } : {}),
      legacy: p.client?.legacy === true,
      remoteAddress: this.remoteAddress,
      ...(p.epoch !== undefined ? { epoch: p.epoch } : {}),
    });
    if (this.closed) throw new TandemError('NOT_SIGNED_IN', { type: 'signin' });
    const now = Date.now();
    const endpoint: Endpoint = {
      id: `ep-${randomHex(6)}`,
      sip: grant.user.sip,
      displayName: grant.user.displayName,
      homePool: grant.user.homePool,
      legacy: p.client?.legacy === true,
      handle: {
        sendFrame: (f) => this.sendFrame(f),
        close: (code, reason, lastFrame) => this.close(code, reason, lastFrame),
      },
      signedInAt: now,
      mode: grant.mode,
      lastSeen: now,
    };
    this.deps.endpoints.add(endpoint);
    this.endpoint = endpoint;
    return {
      sip: grant.user.sip,
      displayName: grant.user.displayName,
      endpointId: endpoint.id,
      mode: grant.mode,
      servedBy: grant.servedBy,
      poolEpoch: grant.poolEpoch,
      token: grant.token,
      tokenExpiresAt: grant.tokenExpiresAt,
      registrars: grant.registrars,
    };
  }

  private fail(id: RequestId | null, err: TandemError, outcome: string): void {
    this.send({ re: id, ok: false, error: err.toWire() });
    this.deps.onFrame(outcome, err.code);
  }

  private send(frame: unknown): void {
    this.sendFrame(JSON.stringify(frame));
  }

  /** False once the closing handshake started: a frame queued then would never be read by the client. */
  private sendFrame(frame: string | Buffer): boolean {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return false;
    this.ws.send(frame, { binary: false });
    return true;
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.endpoint) this.deps.endpoints.remove(this.endpoint, 'closed');
    this.endpoint = undefined;
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** The id of a frame refused before it was parsed, read from its text alone. */
function idFromText(text: string): RequestId | null {
  const raw = topLevelScalar(text, 'id');
  if (raw === undefined) return null;
  try {
    return readId({ id: JSON.parse(raw) as unknown });
  } catch {
    return null;
  }
}

/** The request id, if the envelope's own rule accepts it (so that every id a request may carry is echoed). */
function readId(raw: unknown): RequestId | null {
  const id = typeof raw === 'object' && raw !== null && 'id' in raw ? raw.id : undefined;
  const parsed = safeParse(RequestIdSchema, id);
  return parsed.success ? parsed.data : null;
}

function issues(err: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return err.issues.map((i) => `${i.path.map(String).join('.') || '(frame)'}: ${i.message}`).join('; ');
}
