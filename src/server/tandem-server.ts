/**
 * @module One front-end server, assembled in phases: open its stores, build the domain over them, build the
 * transports that reach the domain, and (in `listen`) serve. `create` builds it without listening.
 */
import type { Logger } from '../logging/logger.js';
import type { CmsService } from '../cms/cms-service.js';
import type { BackupService } from '../backup-service/backup-service.js';
import type { Store } from '../storage/index.js';
import type { PeerClient } from '../s2s/peer-client.js';
import { requireServer } from '../topology/topology-lookups.js';
import { resolveServerOptions, type ServerConfig, type ServerOptions } from './server-config.js';
import { openStores, type Stores } from './open-stores.js';
import { buildDomain, type Domain } from './build-domain.js';
import { buildTransports } from './build-transports.js';
import type { ServerListener } from './server-listener.js';
import type { ServerMetrics } from './server-metrics.js';
import type { Comms } from './comms-assembly.js';
import { CertificateExpiryWatch } from './certificate-expiry.js';
import { CertificateRollTimer } from '../certificates/certificate-roll-timer.js';
import { DutyName, dutyOf } from '../duties/duties.js';

export type { ServerOptions } from './server-config.js';

export class TandemServer {
  readonly config: ServerConfig;
  readonly fqdn: string;
  readonly poolFqdn: string;
  readonly log: Logger;
  readonly metrics: ServerMetrics;
  readonly cms: CmsService;
  readonly comms: Comms;
  readonly backup: BackupService;
  private readonly poolStore: Store;
  private readonly peer: PeerClient;
  private readonly domain: Domain;
  private readonly listener: ServerListener;
  private readonly expiry: CertificateExpiryWatch;
  private readonly rolls: CertificateRollTimer;

  private constructor(
    config: ServerConfig,
    stores: Stores,
    domain: Domain,
    listener: ServerListener,
    rolls: CertificateRollTimer,
  ) {
    this.config = config;
    this.fqdn = config.fqdn;
    this.poolFqdn = stores.pool.fqdn;
    this.log = config.log;
    this.metrics = domain.metrics;
    this.cms = stores.cms;
    this.comms = domain.comms;
    this.backup = domain.backup;
    this.poolStore = stores.poolStore;
    this.peer = stores.peer;
    this.domain = domain;
    this.listener = listener;
    this.rolls = rolls;
    this.expiry = new CertificateExpiryWatch((now) => stores.certificates.describeCurrent(now), config.log);
    domain.metrics.trackCertificate(() => stores.certificates.describeCurrent().DaysLeft);
  }

  static async create(options: ServerOptions): Promise<TandemServer> {
    const config = resolveServerOptions(options);
    const stores = await openStores(config);
    // A roll whose date passed while the server was stopped takes effect before any transport presents the
    // certificate it replaces.
    const rolls = new CertificateRollTimer(stores.certificates, config.log);
    rolls.applyDue();
    const domain = buildDomain(config, stores);
    const listener = buildTransports(config, stores, domain);
    // The CMS master starts before the server serves, as soon as this server holds its duty.
    const { cmsMaster } = domain;
    domain.duties.add(
      dutyOf(DutyName.CmsMaster, {
        start: (fence) => cmsMaster.startIfHeld(fence),
        stop: () => cmsMaster.stop(),
      }),
    );
    await domain.duties.tryAll();
    return new TandemServer(config, stores, domain, listener, rolls);
  }

  readiness(): { ready: boolean; detail: string } {
    return this.domain.readiness.state();
  }

  address(): string {
    return requireServer(this.cms.topology(), this.fqdn).address;
  }

  async listen(): Promise<string> {
    const spec = requireServer(this.cms.topology(), this.fqdn);
    const { readiness, recovery } = this.domain;
    await this.listener.listen(spec);
    readiness.setListening(true);
    this.expiry.start();
    this.rolls.start();
    this.log.info({ address: spec.address, pool: this.poolFqdn }, 'listening');
    this.domain.duties.add(dutyOf(DutyName.BackupService, this.domain.backup));
    await this.domain.duties.tryAll();
    this.domain.duties.start();
    const synced = await this.cms.announce(this.fqdn);
    readiness.setAnnounced();
    // Only with the pool states confirmed: an operation this server coordinated before it stopped is recovered.
    recovery.start();
    this.log.info(
      { version: this.cms.replica.meta().version, synced },
      synced ? 'CMS replica up to date' : 'CMS master unreachable; serving from the local replica',
    );
    return spec.address;
  }

  async close(): Promise<void> {
    this.domain.readiness.setListening(false);
    this.expiry.stop();
    this.rolls.stop();
    this.domain.recovery.stop();
    await this.domain.duties.stop();
    this.comms.stop();
    await this.listener.close();
    this.peer.close();
    await this.cms.replica.close();
    await this.poolStore.close();
  }
}
