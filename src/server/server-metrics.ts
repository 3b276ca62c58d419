/** @module Prometheus metrics of one server (its own registry, so several servers can share a process). */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export class ServerMetrics {
  readonly registry = new Registry();
  readonly adminCommands: Counter<'cmdlet' | 'outcome'>;
  readonly s2sRequests: Counter<'path' | 'outcome'>;
  readonly cmsVersion: Gauge;
  readonly cmsEpoch: Gauge;
  readonly clientFrames: Counter<'type' | 'outcome'>;

  constructor(server: string, withDefaults = true) {
    this.registry.setDefaultLabels({ server });
    if (withDefaults) collectDefaultMetrics({ register: this.registry, prefix: 'tandem_' });
    this.adminCommands = new Counter({
      name: 'tandem_admin_commands_total',
      help: 'Cmdlets run through the admin API, by outcome.',
      labelNames: ['cmdlet', 'outcome'],
      registers: [this.registry],
    });
    this.s2sRequests = new Counter({
      name: 'tandem_s2s_requests_total',
      help: 'Server-to-server requests received, by path and outcome (ok, refused, error).',
      labelNames: ['path', 'outcome'],
      registers: [this.registry],
    });
    this.cmsVersion = new Gauge({
      name: 'tandem_cms_replica_version',
      help: 'CMS version held by the local replica.',
      registers: [this.registry],
    });
    this.clientFrames = new Counter({
      name: 'tandem_client_frames_total',
      help: 'Client protocol frames handled, by type and outcome (ok or an error code).',
      labelNames: ['type', 'outcome'],
      registers: [this.registry],
    });
    this.cmsEpoch = new Gauge({
      name: 'tandem_cms_replica_epoch',
      help: 'CMS master epoch known to the local replica.',
      registers: [this.registry],
    });
  }

  /** Gauges of signed-in endpoints, users and client connections, read when scraped. */
  trackEndpoints(read: () => { endpoints: number; users: number; connections: number }): void {
    const reg = [this.registry];
    new Gauge({
      name: 'tandem_client_endpoints',
      help: 'Signed-in endpoints at this server.',
      registers: reg,
      collect() {
        this.set(read().endpoints);
      },
    });
    new Gauge({
      name: 'tandem_client_users',
      help: 'Users with at least one endpoint at this server.',
      registers: reg,
      collect() {
        this.set(read().users);
      },
    });
    new Gauge({
      name: 'tandem_client_connections',
      help: 'Open client WebSocket connections.',
      registers: reg,
      collect() {
        this.set(read().connections);
      },
    });
  }
}
