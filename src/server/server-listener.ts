/**
 * @module Phase 4 of a server's assembly: the server's address takes connections, guarded by its connection
 * budget and with extra descriptors accepting; TLS ones reach the HTTPS server (WebSocket upgrades handed to
 * the gateway), clear-text ones are told to use TLS (tls-front.ts). It stops listening with the server.
 */
import type http from 'node:http';
import type https from 'node:https';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { ServerSpec } from '../topology/topology-types.js';
import type { ConnectionBudget } from '../gateway/connection-admission.js';
import { TandemError } from '../errors/index.js';
import { addAcceptors } from './accept-fanout.js';
import { guardSockets, refusalReporter } from './socket-guard.js';
import { plainTextRefusal, refuseForeignCertificates, tlsFront, type TlsFront } from './tls-front.js';
import type { ServerMetrics } from './server-metrics.js';
import type { ServerConfig } from './server-config.js';

export interface ListenerDeps {
  readonly config: ServerConfig;
  readonly budget: () => ConnectionBudget;
  readonly metrics: ServerMetrics;
  /** Takes a WebSocket upgrade; false to refuse it (the socket is destroyed). */
  readonly upgrade: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => boolean;
}

export class ServerListener {
  /** The listener in front of the HTTPS server and its duplicates (accept-fanout.ts), once listening. */
  private front: TlsFront | undefined;
  private extraAcceptors: net.Server[] | undefined;

  constructor(
    private readonly tlsServer: https.Server,
    private readonly d: ListenerDeps,
  ) {}

  async listen(spec: ServerSpec): Promise<void> {
    const { tlsServer, d } = this;
    const { log, acceptBacklog, acceptors } = d.config;
    this.front = tlsFront(tlsServer, plainTextRefusal(spec.address));
    const server = this.front.listener;
    guardSockets(server, d.budget, refusalReporter(log, d.metrics, 'socket'));
    refuseForeignCertificates(tlsServer, (reason) => {
      d.metrics.connectionsRefused.inc({ layer: 'tls', scope: 'certificate' });
      log.warn({ reason }, 'cut off a peer whose certificate the deployment CA did not issue');
    });
    // How many handshakes resume a session: after a failover, most of the reconnections should.
    tlsServer.on('secureConnection', (socket: TLSSocket) =>
      d.metrics.tlsHandshakes.inc({ resumed: String(socket.isSessionReused()) }),
    );
    tlsServer.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!d.upgrade(req, socket, head)) socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          err.code === 'EADDRINUSE'
            ? new TandemError('CONFLICT', {
                detail: `${spec.address} is already in use: is another Tandem server running? Stop it with \`tandem down\`.`,
              })
            : err,
        ),
      );
      // A failover moves every user of a pool here at once: a deep accept queue keeps their connection
      // attempts from being dropped (and retried only seconds later by TCP). The kernel caps it (somaxconn).
      server.listen({ port: spec.port, host: spec.host, backlog: acceptBacklog }, () => resolve());
    });
    this.extraAcceptors = await addAcceptors(server, acceptors, acceptBacklog).catch((err: unknown) => {
      log.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'accepting on one descriptor only: a reconnection storm will queue',
      );
      return [];
    });
  }

  /** Stops accepting and ends every connection (nothing to do when it never listened). */
  async close(): Promise<void> {
    const extra = this.extraAcceptors;
    const front = this.front;
    if (!extra || !front) return;
    this.extraAcceptors = undefined;
    this.front = undefined;
    for (const acceptor of extra) acceptor.close();
    await new Promise<void>((resolve) => {
      front.listener.close(() => resolve());
      this.tlsServer.closeAllConnections();
      front.destroyAll();
    });
  }
}
