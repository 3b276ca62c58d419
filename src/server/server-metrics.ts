/** @module Prometheus metrics of one server (its own registry, so several servers can share a process). */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { BackupService, PoolBackupView } from '../backup-service/backup-service.js';
import type { HashQueueStats } from '../registrar/hash-work-queue.js';
import type { FailureSharingStats } from '../s2s/sign-in-links.js';

export class ServerMetrics {
  readonly registry = new Registry();
  readonly adminCommands: Counter<'cmdlet' | 'outcome'>;
  readonly s2sRequests: Counter<'path' | 'outcome'>;
  readonly cmsVersion: Gauge;
  readonly cmsEpoch: Gauge;
  readonly clientFrames: Counter<'type' | 'outcome'>;
  readonly connectionsRefused: Counter<'layer' | 'scope'>;
  readonly tlsHandshakes: Counter<'resumed'>;

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
    this.connectionsRefused = new Counter({
      name: 'tandem_connections_refused_total',
      help: 'Connections refused for a connection cap, by layer (socket, websocket) and scope (address, server).',
      labelNames: ['layer', 'scope'],
      registers: [this.registry],
    });
    this.tlsHandshakes = new Counter({
      name: 'tandem_tls_handshakes_total',
      help: 'TLS handshakes completed, full (resumed="false") or resuming a session (resumed="true").',
      labelNames: ['resumed'],
      registers: [this.registry],
    });
    this.cmsEpoch = new Gauge({
      name: 'tandem_cms_replica_epoch',
      help: 'CMS master epoch known to the local replica.',
      registers: [this.registry],
    });
  }

  /** Gauges of password sign-in protection, read when scraped. */
  trackSignIn(read: () => SignInReading): void {
    for (const [name, help, pick] of SIGNIN_GAUGES) {
      const metric = name.startsWith('failures') ? `tandem_signin_${name}` : `tandem_signin_hash_${name}`;
      new Gauge({
        name: metric,
        help,
        registers: [this.registry],
        collect() {
          this.set(pick(read()));
        },
      });
    }
  }

  /** Days until the certificate in use expires (negative once expired), read when scraped. */
  trackCertificate(daysLeft: () => number): void {
    new Gauge({
      name: 'tandem_certificate_days_left',
      help: 'Days until the certificate this server uses expires (a warning under 30: Get-CsCertificate).',
      labelNames: ['type'],
      registers: [this.registry],
      collect() {
        this.set({ type: 'Default' }, daysLeft());
      },
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

/** Password sign-in protection (docs/sign-in.md): the hash-work queue and failures shared across servers. */
export interface SignInReading extends HashQueueStats {
  readonly sharing: FailureSharingStats;
}

const SIGNIN_GAUGES: [string, string, (r: SignInReading) => number][] = [
  ['running', 'Password hashes being computed for sign-ins now.', (r) => r.running],
  ['queued', 'Password sign-ins waiting for a hash slot.', (r) => r.queued],
  ['peak_concurrency', 'The most password hashes computed at once since start.', (r) => r.peak],
  ['shed', 'Password sign-ins shed with SIGNIN_BUSY since start.', (r) => r.shed],
  ['completed', 'Password hashes computed for sign-ins since start.', (r) => r.completed],
  ['failures_received', 'Sign-in failures received from other servers.', (r) => r.sharing.received],
  ['failures_dropped', 'Sign-in failures not shared: the queue was full.', (r) => r.sharing.dropped],
  ['failures_unsent', 'Failure batches another server did not take.', (r) => r.sharing.unsent],
];

/** Backup Service figures, read when /metrics is scraped: backlog, lag, shipped and applied, errors. */
export function trackBackup(metrics: ServerMetrics, service: BackupService): void {
  const registers = [metrics.registry];
  // prom-client collects every metric at once; they share one reading of the service per scrape.
  let reading: { at: number; view: Promise<PoolBackupView> } | undefined;
  const view = () => {
    if (!reading || Date.now() - reading.at > 500) reading = { at: Date.now(), view: service.view() };
    return reading.view;
  };
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    set: (g: Gauge, v: PoolBackupView) => void,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        set(this, await view());
      },
    });
  const outbound = (v: PoolBackupView) =>
    [
      ['PresenceFocus', v.outbound.userData],
      ['DataConf', v.outbound.dataConf],
    ] as const;
  gauge(
    'tandem_backup_export_backlog_changes',
    'Changes of this pool not yet applied at its backup pool.',
    ['module'],
    (g, v) => {
      for (const [module, d] of outbound(v)) g.set({ module }, d.backlogChanges);
    },
  );
  gauge('tandem_backup_export_backlog_bytes', 'Bytes of those changes.', ['module'], (g, v) => {
    for (const [module, d] of outbound(v)) g.set({ module }, d.backlogBytes);
  });
  gauge(
    'tandem_backup_export_exposure_seconds',
    'Age of the oldest change not yet at the backup pool: what a disaster now would lose.',
    ['module'],
    (g, v) => {
      for (const [module, d] of outbound(v)) g.set({ module }, d.exposureSeconds);
    },
  );
  gauge(
    'tandem_backup_changes_shipped_total',
    'Changes this pool shipped to its backup pool since start.',
    [],
    (g) => g.set(service.exporter.stats().shippedTotal),
  );
  gauge('tandem_backup_import_backlog_changes', "The partner's changes not yet applied here.", [], (g, v) =>
    g.set(v.inbound ? Math.max(0, v.inbound.sourceHead - v.inbound.cursor) : 0),
  );
  gauge(
    'tandem_backup_import_lag_seconds',
    "Age of the partner's last applied change while a backlog remains (0 when caught up).",
    [],
    (g, v) => {
      const i = v.inbound;
      g.set(
        i && i.sourceHead > i.cursor && i.cursorWrittenAt > 0 ? (Date.now() - i.cursorWrittenAt) / 1000 : 0,
      );
    },
  );
  gauge('tandem_backup_changes_applied_total', "The partner's changes applied here (all time).", [], (g, v) =>
    g.set(v.inbound?.appliedTotal ?? 0),
  );
  gauge(
    'tandem_backup_errors_total',
    'Backup Service errors since start, by direction and kind.',
    ['direction', 'kind'],
    (g, v) => {
      g.set({ direction: 'import', kind: 'link' }, v.inbound?.linkErrors ?? 0);
      g.set({ direction: 'import', kind: 'apply' }, v.inbound?.applyErrors ?? 0);
      g.set({ direction: 'export', kind: 'importer-reported' }, v.outbound.userData.importerError ? 1 : 0);
    },
  );
}
