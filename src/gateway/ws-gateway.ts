/**
 * @module The client WebSocket gateway at /v1/client: accepts upgrades, sweeps expired endpoints and
 * connections that never signed in, and closes everything on shutdown.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { CLIENT_PATH, CloseCode, Limits } from '../protocol/limits.js';
import { ClientConnection, type ConnectionDeps } from './client-connection.js';
import { requestPath } from './request-path.js';
import { ConnectionCounter, type ConnectionBudget } from './connection-admission.js';

export interface GatewayOptions extends ConnectionDeps {
  readonly keepaliveTimeoutMs?: number;
  readonly sweepIntervalMs?: number;
  /** The server's connection caps (connection-admission.ts), read at each upgrade. */
  readonly budget: () => ConnectionBudget;
  /** Told of each connection refused for a cap (for the metrics and a log line). */
  readonly onRefused?: (scope: 'address' | 'server', remote: string) => void;
}

export class WsGateway {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: Limits.maxFrameBytes,
    perMessageDeflate: false,
  });
  private readonly connections = new Set<ClientConnection>();
  private readonly timer: NodeJS.Timeout;
  private readonly admission: ConnectionCounter;

  constructor(private readonly opts: GatewayOptions) {
    this.admission = new ConnectionCounter(() => {
      const b = opts.budget();
      return { total: b.clients, perAddress: b.clientsPerAddress };
    });
    this.timer = setInterval(() => this.sweep(), opts.sweepIntervalMs ?? 5_000);
    this.timer.unref();
  }

  /** Takes an HTTP upgrade; returns false when the path is not the client path. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): boolean {
    // A target that is not a URL is not the client path: thrown here, it would end the process.
    if (requestPath(req.url) !== CLIENT_PATH) return false;
    const remote = req.socket.remoteAddress ?? 'unknown';
    const admitted = this.admission.admit(remote);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (!admitted.ok) {
        // Upgraded, then closed with a code: a WebSocket client (a browser too) can read why, where a
        // refused upgrade would only show as a failed handshake.
        this.opts.onRefused?.(admitted.scope, remote);
        // Whatever the client sends now is not read; a bad frame must not become an unhandled 'error'.
        ws.on('error', () => ws.terminate());
        ws.close(
          CloseCode.ConnectionLimit,
          admitted.scope === 'address'
            ? `too many connections from this address (${admitted.limit})`
            : `this server is full (${admitted.limit} connections)`,
        );
        return;
      }
      const conn = new ClientConnection(ws, socket, remote, this.opts);
      this.connections.add(conn);
      ws.on('close', () => {
        this.connections.delete(conn);
        admitted.release();
      });
    });
    // A handshake that fails never reaches the callback above: its slot is freed with its socket.
    if (admitted.ok) socket.once('close', admitted.release);
    return true;
  }

  connectionCount(): number {
    return this.connections.size;
  }

  /** Closes every connection with a code (Relocated when the pool moves, GoingAway on shutdown). */
  closeAll(code: number, reason: string): void {
    for (const c of this.connections) c.close(code, reason);
  }

  close(): void {
    clearInterval(this.timer);
    this.closeAll(CloseCode.GoingAway, 'server stopping');
    this.wss.close();
  }

  private sweep(now = Date.now()): void {
    const timeout = this.opts.keepaliveTimeoutMs ?? Limits.keepaliveTimeoutMs;
    for (const ep of this.opts.endpoints.silentSince(now, timeout)) {
      this.opts.endpoints.remove(ep, 'keepalive-timeout');
      ep.handle.close(CloseCode.KeepaliveTimeout, 'keepalive timeout');
    }
    for (const c of this.connections) {
      if (!c.endpoint && now - c.openedAt > Limits.signInTimeoutMs)
        c.close(CloseCode.SignInTimeout, 'sign-in timeout');
    }
    this.opts.registrar.sweep();
  }
}
