/**
 * @module The Backup Service over server-to-server links: the importer's pulls from the partner pool, and
 * the routes a pool's servers answer (pull, head, status, forced sync, data digests).
 */
import { z } from 'zod';
import type { PartnerLink, BackupService, PoolBackupView } from '../backup-service/backup-service.js';
import type { BackupExporter } from '../backup-service/exporter.js';
import type { ImporterStatus } from '../backup-service/importer.js';
import {
  DigestRequestSchema,
  ImporterStatusSchema,
  PoolBackupViewSchema,
  PullRequestSchema,
  PullResponseSchema,
  SyncRequestSchema,
  type PullRequest,
} from '../backup-service/backup-wire.js';
import type { UserDataStore } from '../storage/index.js';
import { everyReachable, firstAnswering } from '../topology/pool-reach.js';
import { TandemError } from '../errors/index.js';
import { DutyName, requireDuty } from '../duties/duties.js';
import type { PeerClient } from './peer-client.js';
import { EmptyBody, pathsOf, s2sContract } from './s2s-contract.js';
import { route, routeTable, type S2sRoutes } from './s2s-route-table.js';

export const BackupContracts = {
  pull: s2sContract({
    path: '/s2s/v1/backup/pull',
    request: PullRequestSchema,
    response: PullResponseSchema,
  }),
  head: s2sContract({
    path: '/s2s/v1/backup/head',
    request: EmptyBody,
    response: z.object({ head: z.number() }),
  }),
  status: s2sContract({ path: '/s2s/v1/backup/status', request: EmptyBody, response: PoolBackupViewSchema }),
  sync: s2sContract({
    path: '/s2s/v1/backup/sync',
    request: SyncRequestSchema,
    response: ImporterStatusSchema,
  }),
  digests: s2sContract({
    path: '/s2s/v1/backup/digests',
    request: DigestRequestSchema,
    response: z.record(z.string(), z.string()),
    bulk: true,
  }),
  flush: s2sContract({ path: '/s2s/v1/storage/flush', request: EmptyBody, response: EmptyBody }),
  lags: s2sContract({
    path: '/s2s/v1/backup/lags',
    request: EmptyBody,
    response: z.object({ samples: z.array(z.number()) }),
  }),
};
export const BackupPaths = pathsOf(BackupContracts);

export function partnerLink(peer: PeerClient, partnerServers: () => readonly string[]): PartnerLink {
  return {
    pull: (req: PullRequest) =>
      firstAnswering(partnerServers(), (s) =>
        peer.call(s, BackupContracts.pull, req, { timeoutMs: req.waitMs + 15_000 }),
      ),
    async head() {
      const res = await firstAnswering(partnerServers(), (s) =>
        peer.call(s, BackupContracts.head, {}, { timeoutMs: 5_000 }),
      );
      return res.head;
    },
  };
}

export interface BackupRouteDeps {
  readonly exporter: BackupExporter;
  readonly store: UserDataStore;
  readonly flush: () => Promise<void>;
  readonly service: () => BackupService;
  /** Whether this server holds the pool's backup-service duty (runs the importer) now. */
  readonly holdsDuty: () => boolean;
  readonly self: string;
  readonly pool: string;
}

/** A server of the pool that does not hold the duty moves the caller on to the next server of the pool. */
const movesOn = {
  movesOn: (err: TandemError) => err.code === 'S2S_UNREACHABLE' || err.code === 'DUTY_HELD_ELSEWHERE',
};

export function backupRoutes(d: BackupRouteDeps): S2sRoutes {
  const service = () => {
    requireDuty(d.holdsDuty(), { server: d.self, duty: DutyName.BackupService, pool: d.pool });
    return d.service();
  };
  return routeTable(
    route(BackupContracts.pull, (req) => d.exporter.pull(req)),
    route(BackupContracts.head, async () => ({ head: await d.store.headSeq() })),
    route(BackupContracts.status, () => service().view()),
    route(BackupContracts.sync, ({ source, timeoutMs }) => {
      const importer = service().importer;
      if (!importer || importer.status().source !== source) {
        throw new TandemError('INVALID_ARGUMENT', { detail: `this pool does not import ${source}'s data` });
      }
      return importer.syncNow(timeoutMs);
    }),
    route(BackupContracts.lags, async () => ({
      samples: service().importer?.takeLagSamples() ?? [],
    })),
    route(BackupContracts.flush, async () => {
      await d.flush();
      return {};
    }),
    route(BackupContracts.digests, async ({ owners }) => Object.fromEntries(await d.store.digests(owners))),
  );
}

/** Client side of the routes, for the cmdlet handlers. */
export interface BackupClient {
  view(pool: string): Promise<PoolBackupView>;
  sync(atPool: string, source: string, timeoutMs: number): Promise<ImporterStatus>;
  digests(pool: string, owners: readonly string[]): Promise<Map<string, string>>;
  /** Flushes the store at every reachable server of the pool; returns the servers that did. */
  flush(pool: string): Promise<string[]>;
}

export function backupClient(peer: PeerClient, serversOf: (pool: string) => readonly string[]): BackupClient {
  return {
    view: (pool) => firstAnswering(serversOf(pool), (s) => peer.call(s, BackupContracts.status, {}), movesOn),
    sync: (atPool, source, timeoutMs) =>
      firstAnswering(
        serversOf(atPool),
        (s) => peer.call(s, BackupContracts.sync, { source, timeoutMs }, { timeoutMs: timeoutMs + 10_000 }),
        movesOn,
      ),
    async flush(pool) {
      const done = await everyReachable(serversOf(pool), (s) => peer.call(s, BackupContracts.flush, {}));
      return done.map((d) => d.server);
    },
    async digests(pool, owners) {
      const res = await firstAnswering(serversOf(pool), (s) =>
        peer.call(s, BackupContracts.digests, { owners: [...owners] }, { timeoutMs: 120_000 }),
      );
      return new Map(Object.entries(res));
    },
  };
}
