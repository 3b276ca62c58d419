/**
 * @module Phase 2 of a server's assembly: the domain over the stores. The user directory, failover ports and
 * recovery, the Backup Service, the communications side and the CMS master role, the last two run as duties of
 * the pool by whichever front end holds their lease (src/fabric/).
 * The rules they follow live in their folders; this file only connects them.
 */
import type { Store } from '../storage/index.js';
import { poolServerFqdns } from '../topology/topology-lookups.js';
import { deriveKey, KeyPurpose } from '../security/deployment-secrets.js';
import { CmsMasterAgent } from '../cms/cms-master-agent.js';
import { UserDirectory } from '../directory/user-directory.js';
import { InterruptedRecovery } from '../failover/interrupted-recovery.js';
import type { FailoverPorts } from '../failover/failover-ports.js';
import { BackupExporter } from '../backup-service/exporter.js';
import { BackupService } from '../backup-service/backup-service.js';
import { observeWrites } from '../backup-service/observed-store.js';
import { partnerAuthoritative, viewBehind } from '../backup-service/partner-acceptance.js';
import { ContentStore } from '../conferencing/content-store.js';
import { cmsTransport } from '../s2s/cms-links.js';
import { userDataMover } from '../s2s/user-data-links.js';
import { backupClient, partnerLink, type BackupClient } from '../s2s/backup-links.js';
import { failoverPorts } from '../s2s/failover-links.js';
import { assembleComms, type Comms } from './comms-assembly.js';
import { ServerMetrics, trackBackup } from './server-metrics.js';
import { ServerReadiness } from './server-readiness.js';
import type { ServerConfig } from './server-config.js';
import type { Stores } from './open-stores.js';
import { DutyRunner } from '../duties/duty-runner.js';

export interface Domain {
  readonly metrics: ServerMetrics;
  readonly readiness: ServerReadiness;
  /** A pool's server FQDNs, from the topology in force. */
  readonly serversOfPool: (pool: string) => string[];
  readonly directory: UserDirectory;
  readonly backups: BackupClient;
  readonly failover: FailoverPorts;
  readonly recovery: InterruptedRecovery;
  readonly exporter: BackupExporter;
  /** The pool's store, with user-data writes told to the exporter. */
  readonly store: Store;
  /** The pool's Backup Service; its importer runs only while this server holds the backup-service duty. */
  readonly backup: BackupService;
  /** The pool-wide duties this server runs while it holds their leases. */
  readonly duties: DutyRunner;
  readonly comms: Comms;
  readonly cmsMaster: CmsMasterAgent;
}

export function buildDomain(config: ServerConfig, s: Stores): Domain {
  const { fqdn, log } = config;
  const { cms, peer, pool } = s;
  const metrics = new ServerMetrics(fqdn);
  const readiness = new ServerReadiness(cms);
  const serversOfPool = (p: string) => poolServerFqdns(cms.topology(), p);
  const backups = backupClient(peer, serversOfPool);
  const failover = failoverPorts({ cms, peer, backup: backups, self: fqdn });
  const recovery = new InterruptedRecovery({ ports: failover, log: (msg, fields) => log.warn(fields, msg) });
  const exporter = new BackupExporter(pool.fqdn, s.poolStore.userData, new ContentStore(pool.fileStore));
  const store: Store = {
    ...s.poolStore,
    userData: observeWrites(s.poolStore.userData, () => exporter.notifyWrite()),
  };
  const backup = backupService(s, store, exporter, serversOfPool);
  trackBackup(metrics, backup);
  const duties = new DutyRunner(s.poolStore.leases, fqdn, log);
  const comms = assembleComms({
    self: fqdn,
    pool,
    cms,
    store,
    peer,
    tokenKey: deriveKey(s.deploymentKey, KeyPurpose.SignInToken),
    log,
    metrics,
    setExportFinal: (final) => exporter.setFinal(final),
    ready: () => readiness.state().ready,
  });
  const cmsMaster = new CmsMasterAgent({
    store: s.poolStore.cms,
    cms,
    transport: cmsTransport(fqdn, cms.replica, peer),
    poolFqdn: pool.fqdn,
    heartbeatMs: config.cmsHeartbeatMs,
    log,
  });
  cms.replica.view.on('change', () => {
    metrics.cmsVersion.set(cms.replica.meta().version);
    metrics.cmsEpoch.set(cms.replica.meta().epoch);
  });
  return {
    metrics,
    readiness,
    serversOfPool,
    directory: new UserDirectory(cms, userDataMover(peer, serversOfPool)),
    backups,
    failover,
    recovery,
    exporter,
    store,
    backup,
    duties,
    comms,
    cmsMaster,
  };
}

/** The Backup Service of the pool, importing from its partner only what the pool states make authoritative. */
function backupService(
  s: Stores,
  store: Store,
  exporter: BackupExporter,
  serversOfPool: (pool: string) => string[],
): BackupService {
  const { cms, pool } = s;
  const partner = pool.backupPool ?? '';
  return new BackupService({
    pool: pool.fqdn,
    partner: pool.backupPool,
    store: store.userData,
    files: new ContentStore(pool.fileStore),
    exporter,
    link: pool.backupPool ? partnerLink(s.peer, () => serversOfPool(partner)) : undefined,
    syncIntervalMs: () => cms.view.backupConfig().syncIntervalMs,
    partnerAuthoritative: partnerAuthoritative(cms.view, partner),
    viewBehind: viewBehind(cms.view, partner),
  });
}
