/**
 * @module A minimal protocol server for the SDK's tests: a real `ws` server over TLS on port 0 (its certificate
 * from the tests' CA, test-tls.fixture.ts) that signs users in (password `secret`, or the token it issued),
 * answers requests, pushes, and misbehaves on demand.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLIENT_PATH } from '../protocol/limits.js';
import { operationOf } from '../protocol/operations/index.js';
import type { Registrars } from './client-types.js';
import { testTls } from './test-tls.fixture.js';

export const PASSWORD = 'secret';

export interface Request {
  readonly id: string | number;
  readonly type: string;
  readonly payload: Record<string, unknown>;
}

export type Answer =
  | { readonly payload: unknown }
  | {
      readonly error: {
        code: string;
        message?: string;
        retryable: boolean;
        details?: Record<string, unknown>;
      };
    }
  /** Never answer (for timeouts). */
  | 'silent';

export type Handler = (request: Request, conn: Conn, server: TestServer) => Answer;

export interface Conn {
  readonly socket: WebSocket;
  user: string | undefined;
}

export interface TestServerOptions {
  readonly fqdn?: string;
  /** Answers signin instead of the default check; return undefined to fall back to the default. */
  readonly signIn?: (request: Request, server: TestServer) => Answer | undefined;
  /** Answers by request type; the defaults answer ping and presence.subscribe, everything else `{}`. */
  readonly handlers?: Record<string, Handler>;
  /** Registrars the sign-in answer names; by default this server is the primary. */
  readonly registrars?: (server: TestServer) => Registrars;
}

export class TestServer {
  readonly url: string;
  readonly fqdn: string;
  /** Every request received, in order, with the user of its connection (undefined before sign-in). */
  readonly requests: (Request & { user: string | undefined })[] = [];
  readonly conns = new Set<Conn>();
  connections = 0;
  /** The source address of each connection, in order. */
  readonly remoteAddresses: string[] = [];
  #endpoints = 0;
  #closing: Promise<void> | undefined;

  private constructor(
    private readonly https: https.Server,
    private readonly wss: WebSocketServer,
    private readonly options: TestServerOptions,
  ) {
    const { port } = https.address() as AddressInfo;
    this.url = `wss://127.0.0.1:${port}${CLIENT_PATH}`;
    this.fqdn = options.fqdn ?? `fe-${port}.test`;
    wss.on('connection', (socket, req) => {
      this.remoteAddresses.push(req.socket.remoteAddress ?? '');
      this.#accept(socket);
    });
  }

  static async start(options: TestServerOptions = {}): Promise<TestServer> {
    return TestServer.startOn(0, options);
  }

  /** Listens on a given port: a server that comes back where an old one was. */
  static async startOn(port: number, options: TestServerOptions = {}): Promise<TestServer> {
    const tls = await testTls();
    const server = https.createServer({ cert: tls.server.cert, key: tls.server.key });
    const wss = new WebSocketServer({ server, path: CLIENT_PATH });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return new TestServer(server, wss, options);
  }

  /** A URL nothing listens on. */
  static async deadUrl(): Promise<string> {
    const server = await TestServer.start();
    await server.close();
    return server.url;
  }

  requestsOf(type: string): (Request & { user: string | undefined })[] {
    return this.requests.filter((r) => r.type === type);
  }

  push(user: string, push: string, payload: unknown): void {
    for (const conn of this.conns)
      if (conn.user === user) conn.socket.send(JSON.stringify({ push, payload }));
  }

  sendRaw(user: string, text: string): void {
    for (const conn of this.conns) if (conn.user === user) conn.socket.send(text);
  }

  terminateAll(): void {
    for (const conn of this.conns) conn.socket.terminate();
  }

  closeAll(code: number, reason = ''): void {
    for (const conn of this.conns) conn.socket.close(code, reason);
  }

  /** Closes once; a test may close a server early and leave the rest to its test bed. */
  async close(): Promise<void> {
    this.#closing ??= (async () => {
      this.terminateAll();
      await new Promise<void>((resolve) => this.wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        this.https.close(() => resolve());
        this.https.closeAllConnections();
      });
    })();
    return this.#closing;
  }

  #accept(socket: WebSocket): void {
    this.connections += 1;
    const conn: Conn = { socket, user: undefined };
    this.conns.add(conn);
    socket.on('close', () => this.conns.delete(conn));
    socket.on('message', (data) => {
      const request = JSON.parse((data as Buffer).toString('utf8')) as Request;
      this.requests.push({ ...request, user: conn.user });
      const answer = request.type === 'signin' ? this.#signIn(request, conn) : this.#handle(request, conn);
      if (answer === 'silent') return;
      const frame =
        'payload' in answer
          ? { re: request.id, ok: true, payload: answer.payload }
          : { re: request.id, ok: false, error: { message: answer.error.code, ...answer.error } };
      socket.send(JSON.stringify(frame));
      if (request.type === 'signout' && 'payload' in answer) socket.close(1000, 'signed out');
    });
  }

  #signIn(request: Request, conn: Conn): Answer {
    const custom = this.options.signIn?.(request, this);
    const { user, password, token } = request.payload as { user: string; password?: string; token?: string };
    const answer =
      custom ??
      (password === PASSWORD || token === `token-${user}`
        ? { payload: this.signInPayload(user) }
        : { error: { code: token ? 'TOKEN_INVALID' : 'SIGNIN_FAILED', retryable: false } });
    if (answer !== 'silent' && 'payload' in answer) conn.user = user;
    return answer;
  }

  signInPayload(user: string): Record<string, unknown> {
    this.#endpoints += 1;
    const registrars = this.options.registrars?.(this) ?? {
      primary: { pool: 'pool-a.test', servers: [{ fqdn: this.fqdn, url: this.url }] },
    };
    return {
      sip: user,
      displayName: user,
      endpointId: `ep-${this.#endpoints}`,
      mode: 'regular',
      servedBy: this.fqdn,
      token: `token-${user}`,
      tokenExpiresAt: Date.now() + 3_600_000,
      registrars,
    };
  }

  #handle(request: Request, conn: Conn): Answer {
    const handler = this.options.handlers?.[request.type];
    if (handler) return handler(request, conn, this);
    if (conn.user === undefined) return { error: { code: 'NOT_SIGNED_IN', retryable: false } };
    switch (request.type) {
      case 'ping':
        return { payload: { now: Date.now() } };
      case 'presence.subscribe': {
        const users = (request.payload.users ?? []) as string[];
        return {
          payload: {
            states: users.map((sip) => ({ sip, availability: 'Online', note: '', at: 1 })),
            refused: [],
          },
        };
      }
      default:
        // The catalog's example answer: the client checks every answer against the operation's schema.
        return { payload: operationOf(request.type)?.exampleResponse ?? {} };
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` holds (fails after timeoutMs, generous so that a loaded machine is not a failure): for conditions on the server side. */
export async function until(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}
