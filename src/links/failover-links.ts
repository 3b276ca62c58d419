/**
 * @module Failover and failback over server-to-server links: the routes a server answers for them, and the
 * FailoverPorts the orchestration runs on.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { failpoint } from '../util/failpoints.js';
import type { CmsService } from '../cms/cms-service.js';
import { DocKey, type PoolStateDoc } from '../cms/cms-documents.js';
import type { DivergentClient, FailoverPorts } from '../failover/failover-ports.js';
import type { PoolAgent } from '../failover/pool-agent.js';
import type { DivergentChange, UserDataStore } from '../storage/index.js';

import { findPool } from '../topology/topology-lookups.js';
import { TandemError, toTandemError } from '../errors/index.js';
import type { BackupClient } from './backup-links.js';
import { firstReachable } from './backup-links.js';
import type { PeerClient } from './peer-client.js';
import { route, S2S_BULK_BODY_BYTES, type S2sRoutes } from './s2s-router.js';

/** Routes that carry stored data in bulk take larger bodies. */
const BULK = { maxBodyBytes: S2S_BULK_BODY_BYTES };
import { UserDataPaths } from './user-data-links.js';

export const FailoverPaths = {
  quiesce: '/s2s/v1/failover/quiesce',
  relocate: '/s2s/v1/failover/relocate',
  signedIn: '/s2s/v1/failover/signed-in',
  setAside: '/s2s/v1/failover/set-aside',
  restore: '/s2s/v1/failover/restore',
  divergent: '/s2s/v1/failover/divergent',
  dropDivergent: '/s2s/v1/failover/divergent-drop',
  reapply: '/s2s/v1/failover/reapply',
} as const;

const Items = z.array(z.object({ kind: z.string(), key: z.string(), value: z.string() }));

export function failoverRoutes(
  agent: PoolAgent,
  store: UserDataStore,
  reapply: (owner: string, changes: readonly ReapplyChange[]) => Promise<number>,
): S2sRoutes {
  return {
    [FailoverPaths.quiesce]: route(z.object({ homePool: z.string() }), async ({ homePool }) => {
      await agent.quiesce(homePool);
      return {};
    }),
    [FailoverPaths.relocate]: route(
      z.object({ users: z.array(z.string()).max(100_000), reason: z.string().max(40) }),
      async ({ users, reason }) => ({
        relocated: await agent.relocate(users, reason),
      }),
      BULK,
    ),
    [FailoverPaths.signedIn]: route(z.object({ homePool: z.string() }), async ({ homePool }) => ({
      users: agent.signedIn(homePool),
    })),
    [FailoverPaths.setAside]: route(
      z.object({ afterSeq: z.number().int().nonnegative(), epoch: z.number().int().nonnegative() }),
      async ({ afterSeq, epoch }) => ({
        owners: await store.setAsideAfter(afterSeq, epoch),
      }),
    ),
    [FailoverPaths.restore]: route(
      z.object({ owners: z.record(z.string(), Items) }),
      async ({ owners }) => {
        for (const [owner, items] of Object.entries(owners)) await store.replaceOwner(owner, items);
        return { restored: Object.keys(owners).length };
      },
      BULK,
    ),
    [FailoverPaths.divergent]: route(z.object({ owner: z.string().optional() }), async ({ owner }) => ({
      changes: await store.divergent(owner),
    })),
    [FailoverPaths.dropDivergent]: route(z.object({ ids: z.array(z.number().int()) }), async ({ ids }) => ({
      dropped: await store.dropDivergent(ids),
    })),
    [FailoverPaths.reapply]: route(
      z.object({ owner: z.string(), changes: z.array(ReapplyChangeSchema) }),
      async ({ owner, changes }) => ({
        reapplied: await reapply(owner, changes),
      }),
      BULK,
    ),
  };
}

export const ReapplyChangeSchema = z.object({
  kind: z.string(),
  key: z.string(),
  op: z.enum(['put', 'del']),
  value: z.string().nullable(),
});
export type ReapplyChange = z.infer<typeof ReapplyChangeSchema>;

/** Divergent changes kept at a pool, over links (for the cmdlets). */
export function divergentClient(
  peer: PeerClient,
  serversOf: (pool: string) => readonly string[],
): DivergentClient {
  return {
    async list(pool, owner) {
      const res = await firstReachable(serversOf(pool), (s) =>
        peer.post<{ changes: DivergentChange[] }>(s, FailoverPaths.divergent, owner ? { owner } : {}),
      );
      return res.changes;
    },
    async drop(pool, ids) {
      const res = await firstReachable(serversOf(pool), (s) =>
        peer.post<{ dropped: number }>(s, FailoverPaths.dropDivergent, { ids: [...ids] }),
      );
      return res.dropped;
    },
    async reapply(atPool, owner, changes) {
      const body = {
        owner,
        changes: changes.map((c) => ({ kind: c.kind, key: c.key, op: c.op, value: c.value })),
      };
      const res = await firstReachable(serversOf(atPool), (s) =>
        peer.post<{ reapplied: number }>(s, FailoverPaths.reapply, body),
      );
      return res.reapplied;
    },
  };
}

export interface FailoverLinkDeps {
  readonly cms: CmsService;
  readonly peer: PeerClient;
  readonly backup: BackupClient;
  readonly self: string;
}

export function failoverPorts(d: FailoverLinkDeps): FailoverPorts {
  const serversOf = (pool: string) => findPool(d.cms.topology(), pool)?.servers.map((s) => s.fqdn) ?? [];
  /** Calls every server of the pool that answers; unreachable servers are skipped. */
  const everyServer = async <T>(pool: string, call: (server: string) => Promise<T>): Promise<T[]> => {
    const out: T[] = [];
    for (const s of serversOf(pool)) {
      try {
        out.push(await call(s));
      } catch (err) {
        if (toTandemError(err).code !== 'S2S_UNREACHABLE') throw err;
      }
    }
    return out;
  };
  return {
    topology: () => d.cms.topology(),
    view: d.cms.view,
    coordinator: { server: d.self, run: randomUUID() },
    stepDone: (step) => failpoint(step),
    async checkCmsWritable(action) {
      try {
        await d.cms.replicationStatus(d.self);
      } catch (err) {
        const e = toTandemError(err);
        if (e.code === 'CMS_UNAVAILABLE')
          throw new TandemError('CMS_UNAVAILABLE', { master: d.cms.masterPool(), action }, { cause: e });
        throw e;
      }
    },
    async writePoolState(doc: PoolStateDoc, action) {
      const key = DocKey.poolState(doc.pool);
      await d.cms.write([{ key, value: JSON.stringify(doc), ifVersion: d.cms.view.versionOf(key) }], action);
    },
    async reachable(pool) {
      const answers = await Promise.all(serversOf(pool).map((s) => d.peer.probe(s)));
      return answers.some(Boolean)
        ? { ok: true, detail: 'answers' }
        : { ok: false, detail: `none of ${serversOf(pool).join(', ')} answers /healthz` };
    },
    async quiesce(atPool, homePool) {
      await everyServer(atPool, (s) =>
        d.peer.post(s, FailoverPaths.quiesce, { homePool }, { timeoutMs: 15_000 }),
      );
    },
    flushStorage: (pool) => d.backup.flush(pool),
    sync: (importerPool, sourcePool, timeoutMs) => d.backup.sync(importerPool, sourcePool, timeoutMs),
    async importerStatus(importerPool) {
      try {
        return (await d.backup.view(importerPool)).inbound;
      } catch {
        return undefined;
      }
    },
    async differing(a, b, owners) {
      const [da, db] = await Promise.all([d.backup.digests(a, owners), d.backup.digests(b, owners)]);
      return owners.filter((o) => da.get(o) !== db.get(o));
    },
    async setAsideDivergent(pool, afterSeq, epoch) {
      const res = await firstReachable(serversOf(pool), (s) =>
        d.peer.post<{ owners: string[] }>(s, FailoverPaths.setAside, { afterSeq, epoch }),
      );
      return res.owners;
    },
    async restoreOwners(pool, fromPool, owners) {
      const byOwner: Record<string, { kind: string; key: string; value: string }[]> = {};
      for (const owner of owners) {
        const res = await firstReachable(serversOf(fromPool), (s) =>
          d.peer.post<{ items: { kind: string; key: string; value: string }[] }>(s, UserDataPaths.export, {
            owner,
          }),
        );
        byOwner[owner] = res.items;
      }
      await firstReachable(serversOf(pool), (s) =>
        d.peer.post(s, FailoverPaths.restore, { owners: byOwner }, { timeoutMs: 60_000 }),
      );
    },
    async relocate(pool, users, reason) {
      const res = await everyServer(pool, (s) =>
        d.peer.post<{ relocated: number }>(
          s,
          FailoverPaths.relocate,
          { users: [...users], reason },
          { timeoutMs: 60_000 },
        ),
      );
      return res.reduce((a, r) => a + r.relocated, 0);
    },
    async signedIn(pool, homePool) {
      const res = await everyServer(pool, (s) =>
        d.peer.post<{ users: string[] }>(s, FailoverPaths.signedIn, { homePool }),
      );
      return [...new Set(res.flatMap((r) => r.users))];
    },
  };
}
