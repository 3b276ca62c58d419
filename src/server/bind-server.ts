/**
 * @module Phase 4 of a server's assembly: the HTTP server listens on the server's address, guarded by its
 * connection budget, with WebSocket upgrades handed to the gateway and extra descriptors accepting.
 */
import type http from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import type { ServerSpec } from '../topology/topology-types.js';
import type { ConnectionBudget } from '../gateway/connection-admission.js';
import { TandemError } from '../errors/index.js';
import { addAcceptors } from './accept-fanout.js';
import { guardSockets, refusalReporter } from './socket-guard.js';
import type { ServerMetrics } from './server-metrics.js';
import type { ServerConfig } from './server-config.js';

export interface BindDeps {
  readonly config: ServerConfig;
  readonly budget: () => ConnectionBudget;
  readonly metrics: ServerMetrics;
  /** Takes a WebSocket upgrade; false to refuse it (the socket is destroyed). */
  readonly upgrade: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => boolean;
}

/** Listens; resolves with the extra acceptors (empty when the platform cannot add them). */
export async function bindServer(server: http.Server, spec: ServerSpec, d: BindDeps): Promise<net.Server[]> {
  const { log, acceptBacklog, acceptors } = d.config;
  guardSockets(server, d.budget, refusalReporter(log, d.metrics, 'socket'));
  server.on('upgrade', (req, socket, head: Buffer) => {
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
  return addAcceptors(server, acceptors, acceptBacklog).catch((err: unknown) => {
    log.warn(
      { err: err instanceof Error ? err.message : String(err) },
      'accepting on one descriptor only: a reconnection storm will queue',
    );
    return [];
  });
}
