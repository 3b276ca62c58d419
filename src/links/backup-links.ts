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
  PullRequestSchema,
  PullResponseSchema,
  SyncRequestSchema,
  type PullRequest,
} from '../backup-service/backup-wire.js';
import type { UserDataStore } from '../storage/index.js';
import { TandemError, toTandemError } from '../errors/index.js';
import type { PeerClient } from './peer-client.js';
import { route, S2S_BULK_BODY_BYTES, type S2sRoutes } from './s2s-router.js';

/** Routes that carry stored data in bulk take larger bodies. */
const BULK = { maxBodyBytes: S2S_BULK_BODY_BYTES };

export const BackupPaths = {
  pull: '/s2s/v1/backup/pull',
  head: '/s2s/v1/backup/head',
  status: '/s2s/v1/backup/status',
  sync: '/s2s/v1/backup/sync',
  digests: '/s2s/v1/backup/digests',
  flush: '/s2s/v1/storage/flush',
  lags: '/s2s/v1/backup/lags',
} as const;

/** Calls the first server of `servers` that answers; a refusal from a reachable server is final. */
export async function firstReachable<T>(
  servers: readonly string[],
  call: (server: string) => Promise<T>,
): Promise<T> {
  let last: unknown = new TandemError('S2S_UNREACHABLE', {
    server: '(none)',
    address: '-',
    detail: 'no server to ask',
  });
  for (const s of servers) {
    try {
      return await call(s);
    } catch (err) {
      if (toTandemError(err).code !== 'S2S_UNREACHABLE') throw err;
      last = err;
    }
  }
  throw last;
}

export function partnerLink(peer: PeerClient, partnerServers: () => readonly string[]): PartnerLink {
  return {
    async pull(req: PullRequest) {
      const res = await firstReachable(partnerServers(), (s) =>
        peer.post(s, BackupPaths.pull, req, { timeoutMs: req.waitMs + 15_000 }),
      );
      return PullResponseSchema.parse(res);
    },
    async head() {
      const res = await firstReachable(partnerServers(), (s) =>
        peer.post(s, BackupPaths.head, {}, { timeoutMs: 5_000 }),
      );
      return z.object({ head: z.number() }).parse(res).head;
    },
  };
}

export interface BackupRouteDeps {
  readonly exporter: BackupExporter;
  readonly store: UserDataStore;
  readonly flush: () => Promise<void>;
  /** Present on the pool's Backup Service server. */
  readonly service: () => BackupService | undefined;
}

export function backupRoutes(d: BackupRouteDeps): S2sRoutes {
  const service = () => {
    const s = d.service();
    if (!s)
      throw new TandemError('INVALID_ARGUMENT', {
        detail: 'this server does not run the Backup Service of its pool',
      });
    return s;
  };
  return {
    [BackupPaths.pull]: route(PullRequestSchema, (req) => d.exporter.pull(req)),
    [BackupPaths.head]: route(z.object({}).passthrough(), async () => ({ head: await d.store.headSeq() })),
    [BackupPaths.status]: route(z.object({}).passthrough(), () => service().view()),
    [BackupPaths.sync]: route(SyncRequestSchema, async ({ source, timeoutMs }) => {
      const importer = service().importer;
      if (!importer || importer.status().source !== source) {
        throw new TandemError('INVALID_ARGUMENT', { detail: `this pool does not import ${source}'s data` });
      }
      return importer.syncNow(timeoutMs);
    }),
    [BackupPaths.lags]: route(z.object({}).passthrough(), async () => ({
      samples: service().importer?.takeLagSamples() ?? [],
    })),
    [BackupPaths.flush]: route(z.object({}).passthrough(), async () => {
      await d.flush();
      return {};
    }),
    [BackupPaths.digests]: route(
      DigestRequestSchema,
      async ({ owners }) => Object.fromEntries(await d.store.digests(owners)),
      BULK,
    ),
  };
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
    async view(pool) {
      return firstReachable(serversOf(pool), (s) => peer.post<PoolBackupView>(s, BackupPaths.status, {}));
    },
    async sync(atPool, source, timeoutMs) {
      return firstReachable(serversOf(atPool), (s) =>
        peer.post<ImporterStatus>(
          s,
          BackupPaths.sync,
          { source, timeoutMs },
          { timeoutMs: timeoutMs + 10_000 },
        ),
      );
    },
    async flush(pool) {
      const done: string[] = [];
      for (const s of serversOf(pool)) {
        try {
          await peer.post(s, BackupPaths.flush, {});
          done.push(s);
        } catch (err) {
          if (toTandemError(err).code !== 'S2S_UNREACHABLE') throw err;
        }
      }
      return done;
    },
    async digests(pool, owners) {
      const res = await firstReachable(serversOf(pool), (s) =>
        peer.post(s, BackupPaths.digests, { owners: [...owners] }, { timeoutMs: 120_000 }),
      );
      return new Map(Object.entries(z.record(z.string(), z.string()).parse(res)));
    },
  };
}
