/**
 * @module Assembles the communications side of a server: endpoints, hub, fabric, the services (registrar,
 * presence, contacts, IM, conferences, meetings, settings, address book) and the WebSocket gateway. The rules
 * they follow live in their folders; this file only connects them.
 */
import type { CmsService } from '../cms/cms-service.js';
import type { Store } from '../storage/index.js';
import type { PoolSpec } from '../topology/topology-types.js';
import { findPool, poolServerFqdns } from '../topology/topology-lookups.js';
import { DocPrefix } from '../cms/cms-documents.js';
import { EndpointRegistry } from '../delivery/endpoint-registry.js';
import { CommsHub } from '../delivery/comms-hub.js';
import type { Fabric } from '../delivery/fabric.js';
import { UserDataAccess } from '../user-data/user-data-access.js';
import { Registrar } from '../registrar/registrar.js';
import { PasswordCheck } from '../registrar/password-check.js';
import { SignInLimiter } from '../registrar/sign-in-limiter.js';
import { homedOn, servedByPool, serversOfUser } from '../registrar/user-servers.js';
import { signOutDisabledUsers } from '../registrar/disabled-users.js';
import { FailureSharing } from '../s2s/sign-in-links.js';
import { PresenceService, WATCH_REFRESH_MS } from '../presence/presence-service.js';
import { hiddenFrom, servingPoolLost } from '../presence/presence-visibility.js';
import { ContactService } from '../contacts/contact-service.js';
import { ImService } from '../im/im-service.js';
import { ContentStore } from '../conferencing/content-store.js';
import { ContentLibrary } from '../conferencing/content-library.js';
import { MeetingService } from '../conferencing/meeting-service.js';
import { ConferenceHost } from '../conferencing/conference-host.js';
import { ConferenceService } from '../conferencing/conference-service.js';
import { SettingsService } from '../user-data/settings-service.js';
import { AddressBook } from '../directory/address-book.js';
import { PoolAgent } from '../failover/pool-agent.js';
import { PoolWriteGate } from '../failover/pool-write-gate.js';
import { PoolLiveness } from '../registrar/pool-liveness.js';
import { operationHandlers, type Services } from '../gateway/operation-handlers.js';
import { WsGateway } from '../gateway/ws-gateway.js';
import { connectionBudget, type ConnectionBudget } from '../gateway/connection-admission.js';
import { descriptorLimit } from './descriptor-limit.js';
import { refusalReporter } from './socket-guard.js';
import type { PeerClient } from '../s2s/peer-client.js';
import { commRoutes, linkedFabric } from '../s2s/comm-links.js';
import type { S2sRoutes } from '../s2s/s2s-route-table.js';
import type { Logger } from '../logging/logger.js';
import type { ServerMetrics } from './server-metrics.js';

export interface CommsDeps {
  readonly self: string;
  readonly pool: PoolSpec;
  readonly cms: CmsService;
  readonly store: Store;
  readonly peer: PeerClient;
  readonly tokenKey: Buffer;
  readonly log: Logger;
  readonly metrics: ServerMetrics;
  readonly setExportFinal: (final: boolean) => void;
  /** Whether the server finished starting (its CMS replica confirmed): sign-ins wait until then. */
  readonly ready: () => boolean;
}

export interface Comms {
  readonly hub: CommsHub;
  readonly fabric: Fabric;
  readonly services: Services;
  readonly registrar: Registrar;
  readonly gateway: WsGateway;
  readonly routes: S2sRoutes;
  readonly conferenceHost: ConferenceHost;
  readonly agent: PoolAgent;
  readonly liveness: PoolLiveness;
  /** This server's connection caps, from its descriptor limit and its pool's registrar settings. */
  readonly budget: () => ConnectionBudget;
  /** Users with at least one endpoint signed in at this server. */
  usersServed(): number;
  /** Writes divergent changes again, as new changes of the user (Restore-CsPoolDivergentChange). */
  reapply(
    owner: string,
    changes: readonly { kind: string; key: string; op: 'put' | 'del'; value: string | null }[],
  ): Promise<number>;
  stop(): void;
}

/** What every part of the communications side shares: where endpoints are, and how to reach the others. */
interface Core {
  readonly endpoints: EndpointRegistry;
  readonly hub: CommsHub;
  readonly liveness: PoolLiveness;
  readonly serversOf: (sip: string) => string[];
  readonly fabric: Fabric;
  readonly gate: PoolWriteGate;
  readonly data: UserDataAccess;
}

export function assembleComms(d: CommsDeps): Comms {
  const core = buildCore(d);
  const { registrar, sharing } = buildSignIn(d, core);
  const { services, conferenceHost } = buildServices(d, core);
  const { gateway, budget } = buildGateway(d, core, registrar, services);
  const agent = buildAgent(d, core, registrar, services, conferenceHost);
  followPools(d, core, services);
  agent.start();
  core.liveness.start();
  const refresh = setInterval(() => void services.presence.refresh(), WATCH_REFRESH_MS);
  refresh.unref();
  return {
    hub: core.hub,
    fabric: core.fabric,
    services,
    registrar,
    gateway,
    conferenceHost,
    agent,
    liveness: core.liveness,
    budget,
    usersServed: () => core.endpoints.userCount(),
    async reapply(owner, changes) {
      await core.data.write(
        owner,
        changes.map((c) => ({
          kind: c.kind,
          key: c.key,
          value: c.op === 'del' || c.value === null ? undefined : (JSON.parse(c.value) as unknown),
        })),
      );
      return changes.length;
    },
    routes: { ...commRoutes(core.hub), ...sharing.routes() },
    stop() {
      clearInterval(refresh);
      agent.stop();
      core.liveness.stop();
      gateway.close();
    },
  };
}

function buildCore(d: CommsDeps): Core {
  const endpoints = new EndpointRegistry(d.pool.registrar.maxEndpointsPerUser);
  const hub = new CommsHub(endpoints);
  // Every other pool is watched: the backup registrar needs its partners' heartbeat, and every server must
  // notice a lost pool to end its users' sessions with that pool's users.
  const liveness = new PoolLiveness(
    () =>
      d.cms
        .topology()
        .pools.filter((p) => p.fqdn !== d.pool.fqdn)
        .map((p) => p.fqdn),
    async (pool) => {
      const servers = findPool(d.cms.topology(), pool)?.servers ?? [];
      const answers = await Promise.all(servers.map((s) => d.peer.probe(s.fqdn)));
      return answers.some(Boolean);
    },
    1_000,
    (pool) => findPool(d.cms.topology(), pool)?.registrar.failureDetectionMs ?? Number.POSITIVE_INFINITY,
  );
  const serversOf = serversOfUser({
    view: d.cms.view,
    topology: () => d.cms.topology(),
    ownPool: d.pool,
    silentForMs: (pool) => liveness.silentForMs(pool),
  });
  const fabric = linkedFabric({ self: d.self, peer: d.peer, receiver: hub, serversOf });
  const epochOf = (owner: string) => {
    const user = d.cms.view.user(owner);
    return user ? d.cms.view.poolState(user.homePool).epoch : 0;
  };
  const gate = new PoolWriteGate(d.pool.fqdn, d.cms.view);
  const data = new UserDataAccess(d.store.userData, epochOf, gate);
  return { endpoints, hub, liveness, serversOf, fabric, gate, data };
}

function buildSignIn(d: CommsDeps, core: Core): { registrar: Registrar; sharing: FailureSharing } {
  // Password failures are counted at every server of the deployment (docs/sign-in.md).
  const limiter = new SignInLimiter();
  const sharing = new FailureSharing(
    d.self,
    d.peer,
    () => d.cms.topology().pools.flatMap((p) => p.servers.map((s) => s.fqdn)),
    (f) => limiter.recordRemote(f.user, f.source, f.at),
  );
  const passwords = new PasswordCheck({ cms: d.cms, limiter, share: (f) => sharing.share(f) });
  d.metrics.trackSignIn(() => ({ ...passwords.queue.stats(), sharing: sharing.stats() }));
  const registrar = new Registrar({
    cms: d.cms,
    poolFqdn: d.pool.fqdn,
    tokenKey: d.tokenKey,
    passwords,
    liveness: core.liveness,
    ready: d.ready,
  });
  return { registrar, sharing };
}

function buildServices(d: CommsDeps, core: Core): { services: Services; conferenceHost: ConferenceHost } {
  const { data, fabric, hub } = core;
  const meetings = new MeetingService(data);
  const content = new ContentLibrary(
    data,
    new ContentStore(d.pool.fileStore),
    () => d.cms.topology().conferencing,
  );
  const conferenceHost = new ConferenceHost(fabric, data, meetings, content);
  const addressBook = new AddressBook(d.cms.view);
  const services: Services = {
    presence: new PresenceService({
      listed: (sip) => addressBook.lists(sip),
      hub,
      fabric,
      data,
      servesUser: (sip) => core.serversOf(sip).includes(d.self),
      hiddenFrom: hiddenFrom({
        view: d.cms.view,
        topology: () => d.cms.topology(),
        inResiliency: (sip) => core.endpoints.endpointsOf(sip).some((ep) => ep.mode === 'resiliency'),
      }),
      servingPoolLost: servingPoolLost(d.cms.view, (pool) => core.liveness.isLost(pool)),
    }),
    contacts: new ContactService(data, (sip) => d.cms.view.user(sip)?.displayName ?? sip),
    im: new ImService(hub, fabric),
    conferences: new ConferenceService(hub, fabric, conferenceHost),
    meetings,
    settings: new SettingsService(data),
    addressBook,
  };
  return { services, conferenceHost };
}

function buildGateway(
  d: CommsDeps,
  core: Core,
  registrar: Registrar,
  services: Services,
): { gateway: WsGateway; budget: () => ConnectionBudget } {
  const { endpoints } = core;
  const descriptors = descriptorLimit();
  const budget = () =>
    connectionBudget(descriptors, findPool(d.cms.topology(), d.pool.fqdn)?.registrar ?? d.pool.registrar);
  d.log.info({ descriptors: descriptors ?? 'unknown', ...budget() }, 'connection caps');
  const gateway = new WsGateway({
    budget,
    onRefused: refusalReporter(d.log, d.metrics, 'websocket'),
    server: d.self,
    registrar,
    endpoints,
    handlers: operationHandlers(services),
    log: d.log,
    keepaliveTimeoutMs: d.pool.registrar.keepaliveTimeoutMs,
    sweepIntervalMs: Math.min(5_000, Math.max(250, Math.floor(d.pool.registrar.keepaliveTimeoutMs / 4))),
    onFrame: (type, outcome) => d.metrics.clientFrames.inc({ type, outcome }),
  });
  d.metrics.trackEndpoints(() => ({
    endpoints: [...endpoints.all()].length,
    users: endpoints.userCount(),
    connections: gateway.connectionCount(),
  }));
  signOutDisabledUsers(d.cms.view, endpoints, core.hub);
  return { gateway, budget };
}

function buildAgent(
  d: CommsDeps,
  core: Core,
  registrar: Registrar,
  services: Services,
  conferenceHost: ConferenceHost,
): PoolAgent {
  return new PoolAgent({
    ownPool: d.pool.fqdn,
    view: d.cms.view,
    topology: () => d.cms.topology(),
    endpoints: core.endpoints,
    push: (sip, name, payload) => core.hub.push(sip, name, payload),
    liveness: core.liveness,
    endSessions: async (affected, reason) => {
      if (reason === 'failover') await services.im.endSessionsOf(affected, 'failover');
      if (reason === 'failover' || reason === 'failback') {
        await conferenceHost.endOrganizedBy(
          affected,
          reason === 'failover' ? 'organizer-failed-over' : 'failback',
        );
      }
    },
    setExportFinal: d.setExportFinal,
    servedAt: (sip) => {
      const user = d.cms.view.user(sip);
      return user ? registrar.poolServers(d.cms.view.poolState(user.homePool).servedBy, sip) : [];
    },
    log: (msg, fields) => d.log.info(fields ?? {}, msg),
    gate: core.gate,
  });
}

/**
 * Lync's "User experience during pool failure": when a pool fails, its users' peer-to-peer sessions and the
 * conferences they organized end, and their presence is unknown. Every server tells its own users as soon as
 * it declares the pool lost, and tells watchers again when the pool answers or its state changes.
 */
function followPools(d: CommsDeps, core: Core, services: Services): void {
  core.liveness.on('lost', (pool) => {
    d.log.warn(
      { pool },
      'a pool stopped answering for its failure detection interval: ending sessions with its users',
    );
    const affected = servedByPool(d.cms.view, pool);
    const servers = new Set(poolServerFqdns(d.cms.topology(), pool));
    void services.im.endSessionsWithServers(servers, 'pool-lost').catch(() => 0);
    services.conferences.hostLost(affected);
    void services.presence.servingLost(affected);
  });
  core.liveness.on('back', (pool) => void services.presence.servingChanged(homedOn(d.cms.view, pool)));
  d.cms.view.on('change', (keys) => {
    for (const key of keys)
      if (key.startsWith(DocPrefix.poolState))
        void services.presence.servingChanged(homedOn(d.cms.view, key.slice(DocPrefix.poolState.length)));
  });
}
