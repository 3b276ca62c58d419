/**
 * @module The server-to-server client: signed JSON requests over mutual TLS keep-alive connections to another
 * front-end server of the deployment. It presents its server's certificate and accepts a peer only when the
 * deployment CA issued the peer's certificate for the server's FQDN. Unreachable peers and refusals become
 * TandemErrors.
 */
import https from 'node:https';
import { createSecureContext } from 'node:tls';
import { signS2s, S2S_HEADER } from '../security/s2s-signature.js';
import { TandemError, isWireError } from '../errors/index.js';
import { safeParse } from '../json/safe-parse.js';
import type { AnswerOf, RequestOf, S2sContract } from './s2s-contract.js';

export interface PeerAddressBook {
  /** `host:port` to reach a server for server-to-server traffic, or undefined when unknown. */
  addressOf(serverFqdn: string): string | undefined;
}

export interface PeerRequestOptions {
  readonly timeoutMs?: number;
}

/** What a server presents and trusts on its links: its certificate and key, and the deployment CA (PEM). */
export interface PeerTls {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

export class PeerClient {
  private agentMade: https.Agent | undefined;
  private loopback: ((path: string, body: unknown) => Promise<unknown>) | undefined;

  /** `tls` is read at the first call to another server (a server learns its certificate after its topology). */
  constructor(
    private readonly self: string,
    private readonly key: Buffer,
    private readonly book: PeerAddressBook,
    private readonly tls: () => PeerTls,
  ) {}

  private get agent(): https.Agent {
    if (!this.agentMade) {
      const { cert, key, ca } = this.tls();
      this.agentMade = new https.Agent({
        keepAlive: true,
        maxSockets: 64,
        keepAliveMsecs: 10_000,
        // Built once: given cert, key and ca, Node would build (and parse them into) a context per new link.
        secureContext: createSecureContext({ cert, key, ca, minVersion: 'TLSv1.2' }),
      });
    }
    return this.agentMade;
  }

  /** Requests this server addresses to itself are served in-process, not over its own link address. */
  setLoopback(handler: (path: string, body: unknown) => Promise<unknown>): void {
    this.loopback = handler;
  }

  /**
   * Asks `server` what a contract says and parses the answer with the contract's answer schema: an answer
   * of another shape is S2S_BAD_ANSWER naming the route and the server, never a value of the wrong type.
   */
  async call<C extends S2sContract>(
    server: string,
    contract: C,
    body: RequestOf<C>,
    options: PeerRequestOptions = {},
  ): Promise<AnswerOf<C>> {
    const answer = await this.send(server, contract.path, body, options);
    const parsed = safeParse<C['response']>(contract.response, answer);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`)
        .join('; ');
      throw new TandemError('S2S_BAD_ANSWER', { server, route: contract.path, detail });
    }
    return parsed.data;
  }

  private async send(
    server: string,
    path: string,
    body: unknown,
    options: PeerRequestOptions,
  ): Promise<unknown> {
    if (server === this.self && this.loopback) {
      // The same JSON a link would carry, so a local answer looks exactly like a remote one.
      const answer = await this.loopback(path, JSON.parse(JSON.stringify(body ?? {})));
      return JSON.parse(JSON.stringify(answer ?? {}));
    }
    const address = this.book.addressOf(server);
    if (!address) throw new TandemError('UNKNOWN_SERVER', { server, known: '(see Get-CsPool)' });
    const payload = Buffer.from(JSON.stringify(body));
    const [host, portText] = splitAddress(address);
    const timeoutMs = options.timeoutMs ?? 5_000;
    return new Promise<unknown>((resolve, reject) => {
      const req = https.request(
        {
          host,
          // The peer's certificate must name the server asked for, not just its address.
          servername: server,
          port: Number(portText),
          method: 'POST',
          path,
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': payload.length,
            [S2S_HEADER]: signS2s(this.key, 'POST', path, this.self, payload),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => reject(unreachable(server, address, err)));
          res.on('end', () => {
            clearTimeout(timer);
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              reject(
                unreachable(
                  server,
                  address,
                  new Error(`answered HTTP ${res.statusCode} with a non-JSON body`),
                ),
              );
              return;
            }
            if ((res.statusCode ?? 500) >= 400) {
              const err = errorOf(parsed);
              reject(
                isWireError(err)
                  ? TandemError.fromWire(err)
                  : unreachable(server, address, new Error(`HTTP ${res.statusCode}`)),
              );
              return;
            }
            resolve(parsed);
          });
        },
      );
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(unreachable(server, address, err));
      });
      req.end(payload);
    });
  }

  /** Liveness probe: whether the server answers GET /healthz within the timeout. */
  probe(server: string, timeoutMs = 1_000): Promise<boolean> {
    const address = this.book.addressOf(server);
    if (!address) return Promise.resolve(false);
    const [host, port] = splitAddress(address);
    return new Promise((resolve) => {
      const req = https.get(
        {
          host,
          servername: server,
          port: Number(port),
          path: '/healthz',
          agent: this.agent,
          timeout: timeoutMs,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        },
      );
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
    });
  }

  /**
   * Makes the next call build a new agent, with the certificate `tls` gives now. The old agent's idle links
   * are closed; a call under way on it finishes, and its link is then closed by the peer's keep-alive timeout.
   */
  renewAgent(): void {
    const old = this.agentMade;
    this.agentMade = undefined;
    if (!old) return;
    for (const sockets of Object.values(old.freeSockets)) for (const s of sockets ?? []) s.destroy();
  }

  close(): void {
    this.agentMade?.destroy();
  }
}

/** The `error` member of a refusal's body, if it has one. */
function errorOf(body: unknown): unknown {
  return typeof body === 'object' && body !== null && 'error' in body ? body.error : undefined;
}

function unreachable(server: string, address: string, err: Error): TandemError {
  return new TandemError('S2S_UNREACHABLE', { server, address, detail: err.message }, { cause: err });
}

export function splitAddress(address: string): [string, string] {
  const i = address.lastIndexOf(':');
  let host = address.slice(0, i);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return [host, address.slice(i + 1)];
}
