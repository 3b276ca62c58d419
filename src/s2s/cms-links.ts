/**
 * @module CMS traffic over server-to-server links: the master's pushes to replicas and the standby,
 * forwarded commits, and status requests; plus the routes that receive them.
 */
import { z } from 'zod';
import type { CmsApplyResult, CmsBatch, CmsMeta, CmsWrite, Store } from '../storage/index.js';
import type { CmsPushTarget, CmsTransport } from '../cms/cms-master.js';
import type { CmsRemote, CmsService, CmsStatusReport } from '../cms/cms-service.js';
import type { CmsReplica } from '../cms/cms-replica.js';
import { applyToStandby } from '../cms/cms-standby.js';
import { drainToStandby } from '../cms/standby-sync.js';
import {
  CmsApplyResultSchema,
  CmsBatchSchema,
  CmsCommitRequestSchema,
  CmsDocSchema,
  CmsMetaSchema,
  CmsStatusReportSchema,
} from '../cms/cms-wire.js';
import { TandemError } from '../errors/index.js';
import { DutyName, requireDuty } from '../duties/duties.js';
import { firstAnswering } from '../topology/pool-reach.js';
import type { PeerClient } from './peer-client.js';
import { EmptyBody, pathsOf, s2sContract } from './s2s-contract.js';
import { route, routeTable, type S2sRoutes } from './s2s-route-table.js';

const Version = z.object({ version: z.number() });

export const CmsContracts = {
  replica: s2sContract({
    path: '/s2s/v1/cms/replica',
    request: CmsBatchSchema,
    response: CmsApplyResultSchema,
    bulk: true,
  }),
  standby: s2sContract({
    path: '/s2s/v1/cms/standby',
    request: CmsBatchSchema,
    response: CmsApplyResultSchema,
    bulk: true,
  }),
  commit: s2sContract({
    path: '/s2s/v1/cms/commit',
    request: CmsCommitRequestSchema,
    response: Version,
    bulk: true,
  }),
  status: s2sContract({ path: '/s2s/v1/cms/status', request: EmptyBody, response: CmsStatusReportSchema }),
  hello: s2sContract({
    path: '/s2s/v1/cms/hello',
    request: z.object({ server: z.string().min(1) }),
    response: z.object({ upToDate: z.boolean() }),
  }),
  drain: s2sContract({
    path: '/s2s/v1/cms/drain',
    request: z.object({ timeoutMs: z.number().int().min(0).max(300_000) }),
    response: Version,
  }),
  demote: s2sContract({
    path: '/s2s/v1/cms/demote',
    request: z.object({ newMasterPool: z.string().min(1) }),
    response: CmsMetaSchema,
  }),
  promote: s2sContract({
    path: '/s2s/v1/cms/promote',
    request: z.object({ settleMs: z.number().int().min(0).max(30_000).default(0) }),
    response: CmsMetaSchema,
  }),
  storeMeta: s2sContract({
    path: '/s2s/v1/cms/store-meta',
    request: EmptyBody,
    response: z.object({ meta: CmsMetaSchema.nullable() }),
  }),
  replicaMeta: s2sContract({ path: '/s2s/v1/cms/replica-meta', request: EmptyBody, response: CmsMetaSchema }),
  divergent: s2sContract({
    path: '/s2s/v1/cms/divergent',
    request: EmptyBody,
    response: z.object({ docs: z.array(CmsDocSchema) }),
  }),
};
export const CmsPaths = pathsOf(CmsContracts);

/** Pushes to a target: its own replica in-process, everything else over a link. */
export function cmsTransport(self: string, replica: CmsReplica, peer: PeerClient): CmsTransport {
  return {
    async push(target: CmsPushTarget, batch: CmsBatch): Promise<CmsApplyResult> {
      if (target.server === self && target.kind === 'replica') return replica.apply(batch);
      const contract = target.kind === 'replica' ? CmsContracts.replica : CmsContracts.standby;
      // A batch is small; a snapshot carries the whole store. A copy that does not answer in time is
      // treated as unreachable (not waited for) until it answers again. The standby copy is in the backup
      // pool's store, which any of its front ends writes.
      const options = { timeoutMs: batch.snapshot ? 30_000 : 3_000 };
      return firstAnswering([target.server, ...(target.alternates ?? [])], (server) =>
        peer.call(server, contract, batch, options),
      );
    },
  };
}

export function cmsRemote(peer: PeerClient): CmsRemote {
  return {
    commitAt: (server: string, writes: readonly CmsWrite[]) =>
      peer.call(server, CmsContracts.commit, { writes }, { timeoutMs: 15_000 }),
    helloAt: (server: string, self: string) =>
      peer.call(server, CmsContracts.hello, { server: self }, { timeoutMs: 8_000 }),
    async statusAt(server: string, timeoutMs = 5_000): Promise<CmsStatusReport> {
      const parsed = await peer.call(server, CmsContracts.status, {}, { timeoutMs });
      return { ...parsed, targets: parsed.targets.map((t) => ({ ...t, lastError: t.lastError })) };
    },
  };
}

export interface CmsFailoverHooks {
  promote(settleMs: number): Promise<CmsMeta>;
  demote(newMasterPool: string): Promise<CmsMeta>;
  storeMeta(): Promise<CmsMeta | undefined>;
}

export function cmsRoutes(opts: {
  self: string;
  cms: CmsService;
  poolStore: Store;
  failover: CmsFailoverHooks;
  /** Whether this server holds its pool's cms-master duty: only that front end promotes or demotes the copy. */
  holdsMasterDuty: () => boolean;
  pool: string;
}): S2sRoutes {
  const asAgent = () =>
    requireDuty(opts.holdsMasterDuty(), { server: opts.self, duty: DutyName.CmsMaster, pool: opts.pool });
  const localMaster = () => {
    const master = opts.cms.localMaster();
    if (!master) throw new TandemError('CMS_NOT_MASTER', { master: opts.cms.masterPool() });
    return master;
  };
  return routeTable(
    route(CmsContracts.drain, async ({ timeoutMs }) => {
      return { version: await drainToStandby(localMaster(), timeoutMs) };
    }),
    route(CmsContracts.demote, ({ newMasterPool }) => {
      asAgent();
      return opts.failover.demote(newMasterPool);
    }),
    route(CmsContracts.promote, (b) => {
      asAgent();
      return opts.failover.promote(b.settleMs);
    }),
    route(CmsContracts.storeMeta, async () => ({ meta: (await opts.failover.storeMeta()) ?? null })),
    route(CmsContracts.replicaMeta, async () => opts.cms.replica.meta()),
    route(CmsContracts.divergent, async () => ({ docs: await opts.poolStore.cms.divergent() })),
    route(CmsContracts.replica, (batch) => opts.cms.replica.apply(batch)),
    route(CmsContracts.standby, (batch) => applyToStandby(opts.poolStore.cms, batch)),
    route(CmsContracts.commit, async (body) => ({ version: await localMaster().commit(body.writes) })),
    route(CmsContracts.hello, async ({ server }) => ({
      upToDate: await localMaster().welcome(server, 5_000),
    })),
    route(CmsContracts.status, async () => {
      localMaster();
      const report = await opts.cms.replicationStatus(opts.self);
      return {
        ...report,
        targets: report.targets.map((t) => ({ ...t, lastError: t.lastError ?? undefined })),
      };
    }),
  );
}
