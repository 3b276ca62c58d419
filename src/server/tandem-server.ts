/**
 * @module One front-end server, assembled: stores, CMS replica (and master when this server is the master
 * agent), links, admin API, health and metrics. `create` builds it without listening; `listen` serves.
 */
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import type net from 'node:net';
import { join } from 'node:path';
import { openSqliteStore, openStore, CmsRole, type Store, type CmsMeta } from '../storage/index.js';
import { CmsReplica } from '../cms/cms-replica.js';
import { isAuthoritative, PoolState } from '../cms/cms-documents.js';
import { CmsMaster, type CmsPushTarget } from '../cms/cms-master.js';
import { CmsService } from '../cms/cms-service.js';
import { seedCmsIfEmpty } from '../cms/cms-bootstrap.js';
import { parseTopology } from '../topology/parse-topology.js';
import {
  allServers,
  findPool,
  poolServerFqdns,
  findServer,
  poolOfServer,
  requireServer,
} from '../topology/topology-lookups.js';
import type { Topology } from '../topology/topology-types.js';
import {
  ensureAdminCredentialFile,
  adminCredentialPath,
  hashAdminSecret,
} from '../security/admin-credential.js';
import {
  deriveKey,
  ensureDeploymentKey,
  KeyPurpose,
  loadDeploymentKey,
} from '../security/deployment-secrets.js';
import { PeerClient } from '../links/peer-client.js';
import { ReplayGuard } from '../security/replay-guard.js';
import { S2S_MAX_SKEW_MS } from '../security/s2s-signature.js';
import { CmsContracts, cmsRemote, cmsRoutes, cmsTransport } from '../links/cms-links.js';
import { cmsFailoverPorts } from '../links/cms-failover-links.js';
import { userDataMover, userDataRoutes } from '../links/user-data-links.js';
import { UserDirectory } from '../directory/user-directory.js';
import { CmdletRunner } from '../management/cmdlet-runner.js';
import { buildHandlers } from '../management/handlers/all-handlers.js';
import { cmdletRegistry } from '../cmdlets/registry.js';
import { TandemError } from '../errors/index.js';
import { createHttpServer } from './http-server.js';
import { addAcceptors } from './accept-fanout.js';
import { guardSockets, refusalReporter } from './socket-guard.js';
import { createLogger, type Logger } from '../util/logger.js';
import { ServerMetrics, trackBackup } from './server-metrics.js';
import { assembleComms, type Comms } from './comms-assembly.js';
import { BackupExporter } from '../backup-service/exporter.js';
import { BackupService } from '../backup-service/backup-service.js';
import { observeWrites } from '../backup-service/observed-store.js';
import { ContentStore } from '../conferencing/content-store.js';
import { backupClient, backupRoutes, partnerLink } from '../links/backup-links.js';
import { dispatchS2s } from '../links/s2s-router.js';
import { divergentClient, failoverPorts, failoverRoutes } from '../links/failover-links.js';
import { InterruptedRecovery } from '../failover/interrupted-recovery.js';

/** Pending connections the kernel may queue for this server (Node's default is 511). */
const ACCEPT_BACKLOG = 8_192;
/** Descriptors accepting on the listening socket: up to this many connections per event-loop iteration. */
const ACCEPTORS = 16;

export interface ServerOptions {
  readonly serverFqdn: string;
  readonly dataDir: string;
  /** Topology file used on first start, before the local replica holds a published topology. */
  readonly topologyPath?: string;
  readonly log?: Logger;
  /** How often the CMS master reaches every replica (its heartbeat). */
  readonly cmsHeartbeatMs?: number;
}

interface ServerParts {
  readonly fqdn: string;
  readonly poolFqdn: string;
  readonly log: Logger;
  readonly metrics: ServerMetrics;
  readonly cms: CmsService;
  readonly comms: Comms;
  readonly backup: BackupService | undefined;
  readonly poolStore: Store;
  readonly peer: PeerClient;
  readonly recovery: InterruptedRecovery;
  readonly build: (server: TandemServer) => http.Server;
}

export class TandemServer {
  private httpServer: http.Server | undefined;
  /** Duplicates of the listening socket (accept-fanout.ts); closed with the server. */
  private extraAcceptors: net.Server[] = [];
  private listening = false;
  /** Set once the server asked the CMS master for what it missed (whatever the answer). */
  private announced = false;
  private master: CmsMaster | undefined;
  private heartbeatMs = 1_000;

  readonly fqdn: string;
  readonly poolFqdn: string;
  readonly log: Logger;
  readonly metrics: ServerMetrics;
  readonly cms: CmsService;
  readonly comms: Comms;
  readonly backup: BackupService | undefined;
  private readonly poolStore: Store;
  private readonly peer: PeerClient;
  private readonly recovery: InterruptedRecovery;
  private readonly build: (server: TandemServer) => http.Server;

  private constructor(parts: ServerParts) {
    this.fqdn = parts.fqdn;
    this.poolFqdn = parts.poolFqdn;
    this.log = parts.log;
    this.metrics = parts.metrics;
    this.cms = parts.cms;
    this.comms = parts.comms;
    this.backup = parts.backup;
    this.poolStore = parts.poolStore;
    this.peer = parts.peer;
    this.recovery = parts.recovery;
    this.build = parts.build;
  }

  static async create(opts: ServerOptions): Promise<TandemServer> {
    const fqdn = opts.serverFqdn.toLowerCase();
    const log = opts.log ?? createLogger(fqdn);
    ensureDeploymentKey(opts.dataDir);
    const deploymentKey = loadDeploymentKey(opts.dataDir);
    const bootstrapYaml = opts.topologyPath ? readTopologyText(opts.topologyPath) : undefined;
    const bootstrap = bootstrapYaml
      ? parseTopology(bootstrapYaml, { dataDir: opts.dataDir, sourceName: opts.topologyPath })
      : undefined;

    const replicaStore = await openSqliteStore(join(opts.dataDir, 'servers', fqdn, 'cms-replica.sqlite'));
    const replica = await CmsReplica.open(replicaStore, bootstrap?.cmsPool ?? 'unknown');
    const peerBook = { addressOf: (s: string) => findServer(cms.topology(), s)?.linkAddress };
    const peer = new PeerClient(fqdn, deriveKey(deploymentKey, KeyPurpose.ServerToServer), peerBook);
    const cms: CmsService = new CmsService({
      replica,
      remote: cmsRemote(peer),
      dataDir: opts.dataDir,
      bootstrapTopology: bootstrap,
    });
    let topology: Topology;
    try {
      topology = cms.topology();
    } catch {
      await replicaStore.close();
      throw new TandemError('TOPOLOGY_FILE_UNREADABLE', {
        path: '(none)',
        reason: `server ${fqdn} has never received a topology; start it with --topology <file>`,
      });
    }
    requireServer(topology, fqdn);
    const pool = poolOfServer(topology, fqdn);
    if (!pool)
      throw new TandemError('UNKNOWN_SERVER', {
        server: fqdn,
        known: allServers(topology)
          .map((s) => s.fqdn)
          .join(', '),
      });
    const poolStore = await openStore(pool.store, pool.fqdn);

    const isFirstOfPool = pool.servers[0]?.fqdn === fqdn;
    if (isFirstOfPool && bootstrap && bootstrapYaml && bootstrap.cmsPool === pool.fqdn) {
      const cred = ensureAdminCredentialFile(opts.dataDir, bootstrap.name);
      const seeded = await seedCmsIfEmpty(poolStore, {
        topologyYaml: bootstrapYaml,
        topology: bootstrap,
        admin: { name: cred.name, secretHash: hashAdminSecret(cred.secret) },
      });
      if (seeded) log.info({ pool: pool.fqdn }, 'created the Central Management Store (first start)');
    }

    const metrics = new ServerMetrics(fqdn);
    // Routes are built before the server object they call into exists.
    const late: { server?: TandemServer } = {};
    const serversOfPool = (p: string) => poolServerFqdns(cms.topology(), p);
    const backups = backupClient(peer, serversOfPool);
    const directory = new UserDirectory(cms, userDataMover(peer, serversOfPool));
    const failover = failoverPorts({ cms, peer, backup: backups, self: fqdn });
    const recovery = new InterruptedRecovery({
      ports: failover,
      log: (msg, fields) => log.warn(fields, msg),
    });
    const runner = new CmdletRunner({
      registry: cmdletRegistry,
      handlers: buildHandlers({
        dataDir: opts.dataDir,
        directory,
        backup: backups,
        failover,
        divergent: divergentClient(peer, serversOfPool),
        cmsFailover: cmsFailoverPorts(cms, peer, fqdn),
        cmsDivergentAt: async (p) => {
          const first = serversOfPool(p)[0];
          if (!first) return [];
          return (await peer.call(first, CmsContracts.divergent, {})).docs;
        },
      }),
      cms,
      serverFqdn: fqdn,
      poolFqdn: pool.fqdn,
      credentialHint: adminCredentialPath(opts.dataDir),
    });
    const exporter = new BackupExporter(pool.fqdn, poolStore.userData, new ContentStore(pool.fileStore));
    const store: Store = {
      ...poolStore,
      userData: observeWrites(poolStore.userData, () => exporter.notifyWrite()),
    };
    const backup = isFirstOfPool
      ? new BackupService({
          pool: pool.fqdn,
          partner: pool.backupPool,
          store: store.userData,
          files: new ContentStore(pool.fileStore),
          exporter,
          link: pool.backupPool
            ? partnerLink(peer, () => poolServerFqdns(cms.topology(), pool.backupPool ?? ''))
            : undefined,
          syncIntervalMs: () => cms.view.backupConfig().syncIntervalMs,
          partnerAuthoritative: (c) => {
            const user = cms.view.user(c.owner);
            return (
              !user || isAuthoritative(cms.view.poolState(user.homePool), pool.backupPool ?? '', c.epoch)
            );
          },
          viewBehind: (changes) => {
            // A failed-over partner's log after the failover is divergent: it stays there, to be set aside
            // and listed at failback. Consuming it would let the partner prune it before then.
            const partner = cms.view.poolState(pool.backupPool ?? '');
            if (
              changes.length > 0 &&
              (partner.state === PoolState.FailedOver || partner.state === PoolState.FailingBack)
            )
              return `${partner.pool} is ${partner.state}: what it wrote after its failover is kept there (Get-CsPoolDivergentChange at failback)`;
            for (const c of changes) {
              const home = cms.view.user(c.owner)?.homePool;
              const known = home ? cms.view.poolState(home).epoch : c.epoch;
              if (c.epoch > known)
                return `the CMS replica knows epoch ${known} of ${home ?? '?'}; a change is from epoch ${c.epoch}`;
            }
            return undefined;
          },
        })
      : undefined;
    const comms = assembleComms({
      self: fqdn,
      pool,
      cms,
      store,
      peer,
      tokenKey: deriveKey(deploymentKey, KeyPurpose.SignInToken),
      log,
      metrics,
      setExportFinal: (final) => exporter.setFinal(final),
      ready: () => late.server?.readiness().ready ?? false,
    });
    const s2sRoutes = {
      ...cmsRoutes({
        self: fqdn,
        cms,
        poolStore,
        failover: {
          promote: (settleMs) => requireServer_(late).promoteCms(settleMs),
          demote: (pool) => requireServer_(late).demoteCms(pool),
          storeMeta: () => requireServer_(late).cmsStoreMeta(),
        },
      }),
      ...userDataRoutes(store, () => cms.view.poolState(pool.fqdn).epoch),
      ...backupRoutes({
        exporter,
        store: store.userData,
        service: () => backup,
        flush: () => poolStore.flush(),
      }),
      ...comms.routes,
      ...failoverRoutes(comms.agent, store.userData, (owner, changes) => comms.reapply(owner, changes)),
    };
    peer.setLoopback((path, body) => dispatchS2s(s2sRoutes, path, body, fqdn));
    if (backup) trackBackup(metrics, backup);
    const server = new TandemServer({
      fqdn,
      poolFqdn: pool.fqdn,
      log,
      metrics,
      cms,
      comms,
      backup,
      poolStore,
      peer,
      recovery,
      build: (self) =>
        createHttpServer({
          serverFqdn: fqdn,
          log,
          metrics,
          runner,
          s2sKey: deriveKey(deploymentKey, KeyPurpose.ServerToServer),
          s2sRoutes,
          replay: new ReplayGuard(2 * S2S_MAX_SKEW_MS),
          ready: () => self.readiness(),
        }),
    });
    replica.view.on('change', () => {
      metrics.cmsVersion.set(replica.meta().version);
      metrics.cmsEpoch.set(replica.meta().epoch);
    });
    server.heartbeatMs = opts.cmsHeartbeatMs ?? 1_000;
    late.server = server;
    if (isFirstOfPool) await server.startMasterIfHeld();
    return server;
  }

  /** CMS failover, at the standby's server: this pool's copy becomes the active master with a new epoch. */
  async promoteCms(settleMs = 0): Promise<CmsMeta> {
    const meta = await this.poolStore.cms.meta();
    if (!meta || (meta.role !== CmsRole.Standby && meta.role !== CmsRole.Master)) {
      throw new TandemError('CMS_NOT_MASTER', { master: meta?.masterPool ?? 'unknown' });
    }
    if (meta.role === CmsRole.Master && this.master && !this.master.isSuperseded) return meta;
    const promoted = await this.poolStore.cms.setRole(CmsRole.Master, meta.epoch + 1, this.poolFqdn);
    this.log.warn(
      { epoch: promoted.epoch, version: promoted.version },
      'promoted the standby copy to active CMS master',
    );
    await this.startMasterIfHeld();
    if (settleMs > 0) await this.master?.firstRound(settleMs);
    return promoted;
  }

  /** Planned CMS failover, at the master's server: stop writing and become the standby of the new master. */
  async demoteCms(newMasterPool: string): Promise<CmsMeta> {
    this.master?.stop();
    this.master = undefined;
    this.cms.attachMaster(undefined);
    const meta = await this.poolStore.cms.meta();
    if (!meta) throw new TandemError('INTERNAL', { detail: 'this pool holds no CMS copy' });
    const standby = await this.poolStore.cms.setRole(CmsRole.Standby, meta.epoch, newMasterPool);
    this.log.warn(
      { epoch: standby.epoch, version: standby.version, newMasterPool },
      'CMS master demoted to standby',
    );
    return standby;
  }

  async cmsStoreMeta(): Promise<CmsMeta | undefined> {
    return this.poolStore.cms.meta();
  }

  /** Becomes the master agent when this pool's store holds the active master of the CMS. */
  private async startMasterIfHeld(): Promise<void> {
    const meta = await this.poolStore.cms.meta();
    if (meta?.role !== CmsRole.Master) return;
    this.master?.stop();
    const heartbeatMs = this.heartbeatMs;
    this.master = await CmsMaster.open({
      store: this.poolStore.cms,
      transport: cmsTransport(this.fqdn, this.cms.replica, this.peer),
      targets: () => this.pushTargets(meta.masterPool),
      heartbeatMs,
      onSuperseded: (newer) => void this.onSuperseded(newer, meta),
      onLagging: (version, servers) =>
        this.log.warn({ version, servers }, 'CMS change acknowledged before these copies held it'),
    });
    this.cms.attachMaster(this.master);
    this.log.info(
      { pool: meta.masterPool, epoch: meta.epoch, version: meta.version },
      'acting as CMS master and file-transfer agent',
    );
  }

  private pushTargets(masterPool: string): CmsPushTarget[] {
    const t = this.cms.topology();
    const targets: CmsPushTarget[] = allServers(t).map((s) => ({ server: s.fqdn, kind: 'replica' }));
    const backup = findPool(t, masterPool)?.backupPool;
    const standby = backup ? findPool(t, backup)?.servers[0]?.fqdn : undefined;
    if (standby) targets.push({ server: standby, kind: 'standby' });
    return targets;
  }

  /** Fencing: a copy answered with a newer epoch, so this master was replaced. It stops writing at once. */
  private async onSuperseded(newer: CmsMeta, mine: CmsMeta): Promise<void> {
    this.cms.fence(newer.masterPool);
    this.log.warn(
      { newEpoch: newer.epoch, newMaster: newer.masterPool, myEpoch: mine.epoch },
      'CMS master superseded; fenced',
    );
    await this.poolStore.cms.setRole(CmsRole.Fenced, mine.epoch, newer.masterPool);
  }

  readiness(): { ready: boolean; detail: string } {
    if (!this.listening || !this.announced) return { ready: false, detail: 'starting' };
    return { ready: true, detail: `CMS replica version ${this.cms.replica.meta().version}` };
  }

  address(): string {
    return requireServer(this.cms.topology(), this.fqdn).address;
  }

  async listen(): Promise<string> {
    const spec = requireServer(this.cms.topology(), this.fqdn);
    const server = this.build(this);
    this.httpServer = server;
    guardSockets(server, this.comms.budget, refusalReporter(this.log, this.metrics, 'socket'));
    server.on('upgrade', (req, socket, head: Buffer) => {
      if (!this.listening || !this.comms.gateway.handleUpgrade(req, socket, head)) socket.destroy();
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
      server.listen({ port: spec.port, host: spec.host, backlog: ACCEPT_BACKLOG }, () => resolve());
    });
    this.extraAcceptors = await addAcceptors(server, ACCEPTORS, ACCEPT_BACKLOG).catch((err: unknown) => {
      this.log.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'accepting on one descriptor only: a reconnection storm will queue',
      );
      return [];
    });
    this.listening = true;
    this.log.info({ address: spec.address, pool: this.poolFqdn }, 'listening');
    await this.backup?.start();
    const synced = await this.cms.announce(this.fqdn);
    this.announced = true;
    // Only with the pool states confirmed: an operation this server coordinated before it stopped is recovered.
    this.recovery.start();
    this.log.info(
      { version: this.cms.replica.meta().version, synced },
      synced ? 'CMS replica up to date' : 'CMS master unreachable; serving from the local replica',
    );
    return spec.address;
  }

  async close(): Promise<void> {
    this.listening = false;
    this.recovery.stop();
    this.master?.stop();
    this.comms.stop();
    await this.backup?.stop();
    for (const extra of this.extraAcceptors) extra.close();
    this.extraAcceptors = [];
    const server = this.httpServer;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    this.peer.close();
    await this.cms.replica.close();
    await this.poolStore.close();
  }
}

function requireServer_(late: { server?: TandemServer }): TandemServer {
  if (!late.server) throw new TandemError('INTERNAL', { detail: 'the server is still starting' });
  return late.server;
}

function readTopologyText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new TandemError(
      'TOPOLOGY_FILE_UNREADABLE',
      { path, reason: (err as Error).message },
      { cause: err },
    );
  }
}
