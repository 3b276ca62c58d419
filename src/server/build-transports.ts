/**
 * @module Phase 3 of a server's assembly: what reaches the domain from outside. The cmdlet runner of the
 * admin API, the server-to-server routes (also served in-process to the server's own calls) and the HTTP
 * server that carries them and the client WebSocket upgrades, built but not listening.
 */
import { adminCredentialPath } from '../security/admin-credential.js';
import { deriveKey, KeyPurpose } from '../security/deployment-secrets.js';
import { ReplayGuard } from '../security/replay-guard.js';
import { S2S_MAX_SKEW_MS } from '../security/s2s-signature.js';
import { CmdletRunner } from '../management/cmdlet-runner.js';
import { buildHandlers } from '../management/handlers/all-handlers.js';
import { cmdletRegistry } from '../cmdlets/registry.js';
import { CmsContracts, cmsRoutes } from '../s2s/cms-links.js';
import { cmsFailoverPorts } from '../s2s/cms-failover-links.js';
import { userDataRoutes } from '../s2s/user-data-links.js';
import { backupRoutes } from '../s2s/backup-links.js';
import { divergentClient, failoverRoutes } from '../s2s/failover-links.js';
import { dispatchS2s, type S2sRoutes } from '../s2s/s2s-route-table.js';
import { createHttpServer } from './http-server.js';
import { findServer } from '../topology/topology-lookups.js';
import { ServerListener } from './server-listener.js';
import { httpsOptions } from './tls-front.js';
import { DutyName } from '../duties/duties.js';
import { dutyRoutes, handBackAt, poolDuties } from '../s2s/duty-links.js';
import { TicketKeyRotation, ticketKeysAt } from './tls-session-tickets.js';
import type { ServerConfig } from './server-config.js';
import type { Stores } from './open-stores.js';
import type { Domain } from './build-domain.js';

/**
 * The HTTP server of a front-end server (health, readiness, metrics, admin API, server-to-server routes, and
 * the client WebSocket upgrade), ready to listen.
 */
export function buildTransports(config: ServerConfig, s: Stores, d: Domain): ServerListener {
  const s2sRoutes = serverRoutes(config, s, d);
  s.peer.setLoopback((path, body) => dispatchS2s(s2sRoutes, path, body, config.fqdn));
  const server = createHttpServer({
    serverFqdn: config.fqdn,
    log: config.log,
    metrics: d.metrics,
    runner: cmdletRunner(config, s, d),
    s2sKey: deriveKey(s.deploymentKey, KeyPurpose.ServerToServer),
    s2sRoutes,
    replay: new ReplayGuard(2 * S2S_MAX_SKEW_MS),
    isServer: (fqdn) => findServer(s.cms.topology(), fqdn) !== undefined,
    tls: { ...s.certificates.current(), ticketKeys: ticketKeysAt(s.deploymentKey, Date.now()) },
    ready: () => d.readiness.state(),
  });
  const tickets = new TicketKeyRotation(s.deploymentKey, (keys) => server.setTicketKeys(keys));
  tickets.start();
  server.once('close', () => tickets.stop());
  // Set-CsCertificate: new handshakes get the new certificate; connections already open keep theirs.
  s.certificates.onChange((m) =>
    server.setSecureContext(httpsOptions({ ...m, ticketKeys: tickets.current() })),
  );
  return new ServerListener(server, {
    config,
    budget: d.comms.budget,
    metrics: d.metrics,
    upgrade: (req, socket, head) =>
      d.readiness.isListening && d.comms.gateway.handleUpgrade(req, socket, head),
  });
}

function serverRoutes(config: ServerConfig, s: Stores, d: Domain): S2sRoutes {
  const { cms, poolStore, pool } = s;
  return {
    ...cmsRoutes({
      self: config.fqdn,
      cms,
      poolStore,
      failover: d.cmsMaster,
      holdsMasterDuty: () => d.duties.holds(DutyName.CmsMaster),
      pool: pool.fqdn,
    }),
    ...userDataRoutes(d.store, () => cms.view.poolState(pool.fqdn).epoch),
    ...backupRoutes({
      exporter: d.exporter,
      store: d.store.userData,
      service: () => d.backup,
      holdsDuty: () => d.duties.holds(DutyName.BackupService),
      self: config.fqdn,
      pool: s.pool.fqdn,
      flush: () => poolStore.flush(),
    }),
    ...d.comms.routes,
    ...dutyRoutes({
      self: config.fqdn,
      held: () => d.duties.held(),
      usersServed: () => d.comms.usersServed(),
      leases: poolStore.leases,
      handBack: async (stayOut) => ({
        handedBack: await d.duties.handBack(stayOut),
        asking: d.duties.asking,
      }),
    }),
    ...failoverRoutes(d.comms.agent, d.store.userData, (owner, changes) => d.comms.reapply(owner, changes)),
  };
}

function cmdletRunner(config: ServerConfig, s: Stores, d: Domain): CmdletRunner {
  const { cms, peer } = s;
  return new CmdletRunner({
    registry: cmdletRegistry,
    handlers: buildHandlers({
      dataDir: config.dataDir,
      certificates: s.certificates,
      directory: d.directory,
      backup: d.backups,
      failover: d.failover,
      divergent: divergentClient(peer, d.serversOfPool),
      cmsFailover: cmsFailoverPorts(cms, peer, config.fqdn),
      cmsDivergentAt: async (p) => {
        const first = d.serversOfPool(p)[0];
        if (!first) return [];
        return (await peer.call(first, CmsContracts.divergent, {})).docs;
      },
      poolDuties: {
        view: (servers) => poolDuties(peer, servers),
        handBack: (server, stayOut) => handBackAt(peer, server, stayOut),
      },
    }),
    cms,
    serverFqdn: config.fqdn,
    poolFqdn: s.pool.fqdn,
    credentialHint: adminCredentialPath(config.dataDir),
  });
}
