/**
 * @module TLS on a server's one port. A plain TCP listener takes every connection (so the connection budget
 * and the accept fan-out see them all) and reads its first byte: a TLS handshake goes on to the HTTPS server;
 * anything else (`http://`, `ws://`) is answered with one plain-text line that says to use TLS, and closed.
 * Nothing is ever served in clear text.
 *
 * Every server asks its peer for a certificate. Clients send none and go on; a peer that sends one the
 * deployment CA did not issue is cut off as soon as the handshake ends, before a byte of HTTP. The
 * server-to-server routes then demand a certificate that names the calling server (s2s-peer-identity.ts).
 */
import type https from 'node:https';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { TLS_SESSION_LIFETIME_S } from './tls-session-tickets.js';

/** How long a connection may take to send its first byte and finish its TLS handshake. */
export const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

/** The first byte of a TLS record carrying a handshake (RFC 8446 §5.1, ContentType handshake = 22). */
const TLS_HANDSHAKE_RECORD = 0x16;

export interface ServerTlsOptions {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
  /** 48 bytes, the same at every server of the deployment at a given time (tls-session-tickets.ts). */
  readonly ticketKeys: Buffer;
}

/** TLS 1.2 at least, 1.3 preferred; Node's default cipher list (docs/security.md names it). */
export function httpsOptions(tls: ServerTlsOptions): https.ServerOptions {
  return {
    cert: tls.cert,
    key: tls.key,
    ca: tls.ca,
    minVersion: 'TLSv1.2',
    requestCert: true,
    rejectUnauthorized: false,
    handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS,
    ticketKeys: tls.ticketKeys,
    // A client reconnecting hours later (after a failover) still resumes; rotation bounds it (tls-session-tickets.ts).
    sessionTimeout: TLS_SESSION_LIFETIME_S,
    // The same at every server (the default hashes the process's arguments): sessions resume anywhere.
    sessionIdContext: 'tandem',
  };
}

/** Cuts off a peer whose certificate the deployment CA did not issue, once its handshake is done. */
export function refuseForeignCertificates(server: https.Server, onRefused: (reason: string) => void): void {
  server.on('secureConnection', (socket: TLSSocket) => {
    if (socket.authorized) return;
    const sent = socket.getPeerCertificate();
    if (sent && Object.keys(sent).length > 0) {
      onRefused(socket.authorizationError?.toString() ?? 'certificate not trusted');
      socket.destroy();
    }
  });
}

export interface TlsFront {
  readonly listener: net.Server;
  /** Ends every connection it took, whatever state it is in (closing the server). */
  destroyAll(): void;
}

/**
 * The listener in front of `tlsServer`: hands each TLS connection to it and answers anything else with
 * `plainAnswer` (an HTTP response telling to use TLS), then closes.
 */
export function tlsFront(tlsServer: https.Server, plainAnswer: string): TlsFront {
  const front = net.createServer();
  const open = new Set<net.Socket>();
  front.on('connection', (socket: net.Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    socket.setTimeout(TLS_HANDSHAKE_TIMEOUT_MS, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.setTimeout(0);
      if (first[0] !== TLS_HANDSHAKE_RECORD) {
        socket.end(plainAnswer);
        return;
      }
      socket.unshift(first);
      tlsServer.emit('connection', socket);
    });
    socket.on('error', () => socket.destroy());
  });
  return {
    listener: front,
    destroyAll: () => {
      for (const socket of open) socket.destroy();
    },
  };
}

/** The answer to a clear-text request: one line for a person or a log, as an HTTP response. */
export function plainTextRefusal(address: string): string {
  const body = `This Tandem server accepts TLS only: use https://${address}/ (admin API, health, metrics) or wss://${address}/v1/client (clients).\n`;
  return [
    'HTTP/1.1 400 TLS Required',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}
