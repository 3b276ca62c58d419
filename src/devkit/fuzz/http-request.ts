/**
 * @module One HTTPS request with a deadline, for the fuzzers and tests: the whole body is read, and a server
 * that does not answer in time shows as a timeout instead of a test that never ends. Raw bytes go through
 * `rawHttp`, over TLS or, to see what a clear-text client gets, over plain TCP.
 */
import type http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { splitAddress } from '../../s2s/peer-client.js';
import { ioDeadline } from '../patience.js';

export interface HttpAnswer {
  /** 0 when the connection failed or timed out before an answer. */
  readonly status: number;
  readonly body: Buffer;
  readonly failure?: 'timeout' | 'reset';
  readonly detail?: string;
}

/** What a test client trusts (the deployment CA) and, to act as a server of the deployment, presents. */
export interface ClientTls {
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
  /** The name the server's certificate must carry (default: the address's host). */
  readonly servername?: string;
}

export function httpRequest(
  address: string,
  identity: ClientTls,
  req: {
    readonly method: string;
    readonly path: string;
    readonly headers?: http.OutgoingHttpHeaders;
    readonly body?: string | Buffer;
    readonly timeoutMs?: number;
  },
): Promise<HttpAnswer> {
  const [host, port] = splitAddress(address);
  return new Promise((resolve) => {
    let done = false;
    const finish = (a: HttpAnswer) => {
      if (done) return;
      done = true;
      timer.cancel();
      resolve(a);
    };
    // An explicit length frames the body of any method (a GET body is otherwise sent unframed).
    const length = req.body === undefined ? {} : { 'content-length': Buffer.byteLength(req.body) };
    const request = https.request(
      {
        ...identity,
        host,
        port: Number(port),
        method: req.method,
        path: req.path,
        headers: { ...length, ...req.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => finish({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', (err) =>
          finish({ status: 0, body: Buffer.alloc(0), failure: 'reset', detail: err.message }),
        );
      },
    );
    const timer = ioDeadline(req.timeoutMs ?? 10_000, () => {
      finish({ status: 0, body: Buffer.alloc(0), failure: 'timeout' });
      request.destroy();
    });
    request.on('error', (err) =>
      finish({ status: 0, body: Buffer.alloc(0), failure: 'reset', detail: err.message }),
    );
    request.end(req.body);
  });
}

/**
 * Writes raw bytes to the server's port, over TLS trusting `identity` or, with 'plain', over bare TCP, and
 * collects what comes back until it closes or the deadline.
 */
export function rawHttp(
  address: string,
  identity: ClientTls | 'plain',
  bytes: Buffer,
  timeoutMs = 5_000,
): Promise<HttpAnswer> {
  const [host, port] = splitAddress(address);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket =
      identity === 'plain'
        ? net.connect({ host, port: Number(port) })
        : tls.connect({ ...identity, host, port: Number(port) });
    const finish = (failure?: 'timeout') => {
      timer.cancel();
      socket.destroy();
      const body = Buffer.concat(chunks);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(body.toString('latin1'))?.[1];
      resolve({ status: status ? Number(status) : 0, body, ...(failure ? { failure } : {}) });
    };
    const timer = ioDeadline(timeoutMs, () => finish('timeout'));
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // One answer is enough: the server may keep the connection open for the next request.
      if (/\r\n\r\n/.test(Buffer.concat(chunks).toString('latin1'))) finish();
    });
    socket.on('error', () => finish());
    socket.on('close', () => finish());
    socket.end(bytes);
  });
}
