/**
 * @module Caps the TCP sockets a server accepts (of every kind: WebSocket handshakes, HTTP requests, links)
 * per source address and in all, by the server's connection budget: idle sockets that never upgrade cannot
 * take the descriptors that the health checks and the admin API need. A socket past a cap is closed at once.
 */
import type net from 'node:net';
import { ConnectionCounter, type ConnectionBudget } from '../gateway/connection-admission.js';
import type { Logger } from '../logging/logger.js';
import type { ServerMetrics } from './server-metrics.js';

/** At most one log line per this interval about refused connections: a flood must not flood the log too. */
const REFUSAL_LOG_INTERVAL_MS = 10_000;

export type RefusalReport = (scope: 'address' | 'server', remote: string) => void;

/** Counts refusals in the metrics and logs them, the first and then one line (with a count) per interval. */
export function refusalReporter(
  log: Logger,
  metrics: ServerMetrics,
  layer: 'socket' | 'websocket',
): RefusalReport {
  let lastLogAt = 0;
  let unlogged = 0;
  return (scope, remote) => {
    metrics.connectionsRefused.inc({ layer, scope });
    unlogged += 1;
    const now = Date.now();
    if (now - lastLogAt < REFUSAL_LOG_INTERVAL_MS) return;
    log.warn(
      { layer, scope, remote, refused: unlogged },
      scope === 'address'
        ? 'refusing connections past the per-address cap (registrar.maxConnectionsPerAddress)'
        : 'refusing connections: the server holds as many as its cap (registrar.maxConnections)',
    );
    lastLogAt = now;
    unlogged = 0;
  };
}

export function guardSockets(
  server: net.Server,
  budget: () => ConnectionBudget,
  onRefused: RefusalReport,
): void {
  const counter = new ConnectionCounter(() => {
    const b = budget();
    return { total: b.sockets, perAddress: b.socketsPerAddress };
  });
  server.on('connection', (socket: net.Socket) => {
    const remote = socket.remoteAddress ?? 'unknown';
    const admitted = counter.admit(remote);
    if (!admitted.ok) {
      onRefused(admitted.scope, remote);
      socket.destroy();
      return;
    }
    socket.once('close', admitted.release);
  });
}
