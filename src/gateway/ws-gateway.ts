/**
 * @module The client WebSocket gateway at /v1/client: accepts upgrades, sweeps expired endpoints and
 * connections that never signed in, and closes everything on shutdown.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { CLIENT_PATH, CloseCode, Limits } from '../protocol/limits.js';
import { ClientConnection, type ConnectionDeps } from './client-connection.js';
import { requestPath } from '../util/request-path.js';

export interface GatewayOptions extends ConnectionDeps {
  readonly keepaliveTimeoutMs?: number;
  readonly sweepIntervalMs?: number;
}

export class WsGateway {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: Limits.maxFrameBytes,
    perMessageDeflate: false,
  });
  private readonly connections = new Set<ClientConnection>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly opts: GatewayOptions) {
    this.timer = setInterval(() => this.sweep(), opts.sweepIntervalMs ?? 5_000);
    this.timer.unref();
  }

  /** Takes an HTTP upgrade; returns false when the path is not the client path. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): boolean {
    // A target that is not a URL is not the client path: thrown here, it would end the process.
    if (requestPath(req.url) !== CLIENT_PATH) return false;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new ClientConnection(ws, socket, req.socket.remoteAddress ?? 'unknown', this.opts);
      this.connections.add(conn);
      ws.on('close', () => this.connections.delete(conn));
    });
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
