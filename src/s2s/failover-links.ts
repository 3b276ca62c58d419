/**
 * @module Failover and failback over server-to-server links: the routes a server answers for them, and the
 * FailoverPorts the orchestration runs on.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { failpoint } from '../failover/failpoints.js';
import type { CmsService } from '../cms/cms-service.js';
import { DocKey, type PoolStateDoc } from '../cms/cms-documents.js';
import { ChangeRecordSchema } from '../backup-service/backup-wire.js';
import { compareData } from '../backup-service/data-digests.js';
import type { DivergentClient, FailoverPorts } from '../failover/failover-ports.js';
import type { PoolAgent } from '../failover/pool-agent.js';
import type { UserDataStore } from '../storage/index.js';
import { everyReachable, firstAnswering } from '../topology/pool-reach.js';
import { poolServerFqdns } from '../topology/topology-lookups.js';
import { TandemError, toTandemError } from '../errors/index.js';
import type { BackupClient } from './backup-links.js';
import type { PeerClient } from './peer-client.js';
import { EmptyBody, pathsOf, s2sContract } from './s2s-contract.js';
import { route, routeTable, type S2sRoutes } from './s2s-route-table.js';
import { UserDataContracts } from './user-data-links.js';

const Items = z.array(z.object({ kind: z.string(), key: z.string(), value: z.string() }));

export const ReapplyChangeSchema = z.object({
  kind: z.string(),
  key: z.string(),
  op: z.enum(['put', 'del']),
  value: z.string().nullable(),
});
export type ReapplyChange = z.infer<typeof ReapplyChangeSchema>;

const DivergentChangeSchema = ChangeRecordSchema.extend({
  id: z.number().int(),
  foundEpoch: z.number(),
  foundAt: z.number(),
});

export const FailoverContracts = {
  quiesce: s2sContract({
    path: '/s2s/v1/failover/quiesce',
    request: z.object({ homePool: z.string(), epoch: z.number().int().nonnegative() }),
    response: EmptyBody,
  }),
  relocate: s2sContract({
    path: '/s2s/v1/failover/relocate',
    request: z.object({ users: z.array(z.string()).max(100_000), reason: z.string().max(40) }),
    response: z.object({ relocated: z.number() }),
    bulk: true,
  }),
  signedIn: s2sContract({
    path: '/s2s/v1/failover/signed-in',
    request: z.object({ homePool: z.string() }),
    response: z.object({ users: z.array(z.string()) }),
  }),
  setAside: s2sContract({
    path: '/s2s/v1/failover/set-aside',
    request: z.object({ afterSeq: z.number().int().nonnegative(), epoch: z.number().int().nonnegative() }),
    response: z.object({ owners: z.array(z.string()) }),
  }),
  restore: s2sContract({
    path: '/s2s/v1/failover/restore',
    request: z.object({ owners: z.record(z.string(), Items) }),
    response: z.object({ restored: z.number() }),
    bulk: true,
  }),
  divergent: s2sContract({
    path: '/s2s/v1/failover/divergent',
    request: z.object({ owner: z.string().optional() }),
    response: z.object({ changes: z.array(DivergentChangeSchema) }),
  }),
  dropDivergent: s2sContract({
    path: '/s2s/v1/failover/divergent-drop',
    request: z.object({ ids: z.array(z.number().int()) }),
    response: z.object({ dropped: z.number() }),
  }),
  reapply: s2sContract({
    path: '/s2s/v1/failover/reapply',
    request: z.object({ owner: z.string(), changes: z.array(ReapplyChangeSchema) }),
    response: z.object({ reapplied: z.number() }),
    bulk: true,
  }),
};
export const FailoverPaths = pathsOf(FailoverContracts);

export function failoverRoutes(
  agent: PoolAgent,
  store: UserDataStore,
  reapply: (owner: string, changes: readonly ReapplyChange[]) => Promise<number>,
): S2sRoutes {
  return routeTable(
    route(FailoverContracts.quiesce, async ({ homePool, epoch }) => {
      await agent.quiesce(homePool, epoch);
      return {};
    }),
    route(FailoverContracts.relocate, async ({ users, reason }) => ({
      relocated: await agent.relocate(users, reason),
    })),
    route(FailoverContracts.signedIn, async ({ homePool }) => ({ users: agent.signedIn(homePool) })),
    route(FailoverContracts.setAside, async ({ afterSeq, epoch }) => ({
      owners: await store.setAsideAfter(afterSeq, epoch),
    })),
    route(FailoverContracts.restore, async ({ owners }) => {
      for (const [owner, items] of Object.entries(owners)) await store.replaceOwner(owner, items);
      return { restored: Object.keys(owners).length };
    }),
    route(FailoverContracts.divergent, async ({ owner }) => ({ changes: await store.divergent(owner) })),
    route(FailoverContracts.dropDivergent, async ({ ids }) => ({ dropped: await store.dropDivergent(ids) })),
    route(FailoverContracts.reapply, async ({ owner, changes }) => ({
      reapplied: await reapply(owner, changes),
    })),
  );
}

/** Divergent changes kept at a pool, over links (for the cmdlets). */
export function divergentClient(
  peer: PeerClient,
  serversOf: (pool: string) => readonly string[],
): DivergentClient {
  return {
    async list(pool, owner) {
      const res = await firstAnswering(serversOf(pool), (s) =>
        peer.call(s, FailoverContracts.divergent, owner ? { owner } : {}),
      );
      return res.changes;
    },
    async drop(pool, ids) {
      const res = await firstAnswering(serversOf(pool), (s) =>
        peer.call(s, FailoverContracts.dropDivergent, { ids: [...ids] }),
      );
      return res.dropped;
    },
    async reapply(atPool, owner, changes) {
      const body = {
        owner,
        changes: changes.map((c) => ({ kind: c.kind, key: c.key, op: c.op, value: c.value })),
      };
      const res = await firstAnswering(serversOf(atPool), (s) =>
        peer.call(s, FailoverContracts.reapply, body),
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
  const serversOf = (pool: string) => poolServerFqdns(d.cms.topology(), pool);
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
    async quiesce(atPool, homePool, epoch) {
      await everyReachable(serversOf(atPool), (s) =>
        d.peer.call(s, FailoverContracts.quiesce, { homePool, epoch }, { timeoutMs: 15_000 }),
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
      const differences = await compareData((pool, o) => d.backup.digests(pool, o), a, b, owners);
      return differences.map((x) => x.owner);
    },
    async setAsideDivergent(pool, afterSeq, epoch) {
      const res = await firstAnswering(serversOf(pool), (s) =>
        d.peer.call(s, FailoverContracts.setAside, { afterSeq, epoch }),
      );
      return res.owners;
    },
    async restoreOwners(pool, fromPool, owners) {
      const byOwner: Record<string, { kind: string; key: string; value: string }[]> = {};
      for (const owner of owners) {
        const res = await firstAnswering(serversOf(fromPool), (s) =>
          d.peer.call(s, UserDataContracts.export, { owner }),
        );
        byOwner[owner] = res.items;
      }
      await firstAnswering(serversOf(pool), (s) =>
        d.peer.call(s, FailoverContracts.restore, { owners: byOwner }, { timeoutMs: 60_000 }),
      );
    },
    async relocate(pool, users, reason) {
      const res = await everyReachable(serversOf(pool), (s) =>
        d.peer.call(s, FailoverContracts.relocate, { users: [...users], reason }, { timeoutMs: 60_000 }),
      );
      return res.reduce((a, r) => a + r.answer.relocated, 0);
    },
    async signedIn(pool, homePool) {
      const res = await everyReachable(serversOf(pool), (s) =>
        d.peer.call(s, FailoverContracts.signedIn, { homePool }),
      );
      return [...new Set(res.flatMap((r) => r.answer.users))];
    },
  };
}
