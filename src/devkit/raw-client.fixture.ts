/**
 * @module A bare protocol client for tests: sends frames as written and records every response and push,
 * so tests can check the wire format itself (the SDK is tested separately).
 */
import WebSocket from 'ws';
import { ioDeadline, patient } from './patience.js';

/** How long a request waits for its answer on an idle machine (stretched by the test patience). */
const REQUEST_WAIT_MS = 15_000;

export interface Frame {
  re?: string | number | null;
  ok?: boolean;
  payload?: Record<string, unknown>;
  error?: { code: string; message: string; retryable: boolean; details?: Record<string, unknown> };
  push?: string;
}

export class RawClient {
  readonly frames: Frame[] = [];
  private seq = 0;
  closed: { code: number; reason: string } | undefined;
  private readonly waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const f = JSON.parse((data as Buffer).toString('utf8')) as Frame;
      this.frames.push(f);
      for (const w of [...this.waiters]) {
        if (w.match(f)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(f);
        }
      }
    });
    ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  /** Opens a connection; `localAddress` picks the source address (any 127.0.0.x works on loopback). */
  static async open(address: string, ca: string, opts: { localAddress?: string } = {}): Promise<RawClient> {
    const ws = new WebSocket(`wss://${address}/v1/client`, {
      perMessageDeflate: false,
      ca,
      ...(opts.localAddress !== undefined ? { localAddress: opts.localAddress } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new RawClient(ws);
  }

  /**
   * Opens a connection at `address` and signs `user` in, following a SIGNIN_REDIRECT to the user's server; a
   * retryable refusal (a loaded server sheds password checks with SIGNIN_BUSY) is tried again after the wait
   * it names. Resolves with the signed-in client and the grant.
   */
  static async signIn(
    address: string,
    ca: string,
    signin: { readonly user: string; readonly password: string } & Record<string, unknown>,
  ): Promise<{ client: RawClient; grant: Record<string, unknown> }> {
    let at = address;
    for (let attempt = 0; attempt < 50; attempt++) {
      const client = await RawClient.open(at, ca);
      const res = await client.request('signin', signin);
      if (res.ok) return { client, grant: res.payload ?? {} };
      await client.close();
      const error = res.error;
      if (error?.code === 'SIGNIN_REDIRECT') {
        const servers = error.details?.servers as { url: string }[];
        at = new URL(servers[0]?.url ?? '').host;
        continue;
      }
      if (!error?.retryable) throw new Error(`signin of ${signin.user} failed: ${JSON.stringify(error)}`);
      await new Promise((r) => setTimeout(r, Number(error.details?.retryAfterMs ?? 200)));
    }
    throw new Error(`signin of ${signin.user} did not succeed in 50 attempts`);
  }

  /**
   * Sends a request and resolves with its response. The wait is longer than a push's: an answer may itself wait
   * on a server-to-server call, whose deadline at the server (10 s, src/s2s/comm-links.ts) must end first, so
   * that a test sees the answer the server gives a slow peer instead of taking it for a hang.
   */
  async request(type: string, payload: unknown = {}): Promise<Frame> {
    const id = `r${++this.seq}`;
    const res = this.next((f) => f.re === id, REQUEST_WAIT_MS);
    this.ws.send(JSON.stringify({ id, type, payload }));
    return res;
  }

  async ok(type: string, payload: unknown = {}): Promise<Record<string, unknown>> {
    const f = await this.request(type, payload);
    if (!f.ok) throw new Error(`${type} failed: ${JSON.stringify(f.error)}`);
    return f.payload ?? {};
  }

  sendRaw(text: string | Buffer): void {
    this.ws.send(text);
  }

  /**
   * Resolves with the next frame that matches (or one already received and not yet claimed, for pushes); gives
   * up after `timeoutMs` stretched by the test patience (src/devkit/patience.ts).
   */
  next(match: (f: Frame) => boolean, idleTimeoutMs = 5_000): Promise<Frame> {
    const timeoutMs = patient(idleTimeoutMs);
    return new Promise((resolve, reject) => {
      const timer = ioDeadline(timeoutMs, () =>
        reject(
          new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`),
        ),
      );
      this.waiters.push({
        match,
        resolve: (f) => {
          timer.cancel();
          resolve(f);
        },
      });
    });
  }

  push(
    name: string,
    where: (p: Record<string, unknown>) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<Record<string, unknown>> {
    const seen = this.frames.find((f) => f.push === name && where(f.payload ?? {}));
    if (seen) {
      this.frames.splice(this.frames.indexOf(seen), 1);
      return Promise.resolve(seen.payload ?? {});
    }
    return this.next((f) => f.push === name && where(f.payload ?? {}), timeoutMs).then((f) => {
      this.frames.splice(this.frames.indexOf(f), 1);
      return f.payload ?? {};
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
