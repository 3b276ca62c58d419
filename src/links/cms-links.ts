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
import {
  CmsApplyResultSchema,
  CmsBatchSchema,
  CmsCommitRequestSchema,
  CmsStatusReportSchema,
} from '../cms/cms-wire.js';
import { TandemError } from '../errors/index.js';
import type { PeerClient } from './peer-client.js';
import { route, S2S_BULK_BODY_BYTES, type S2sRoutes } from './s2s-router.js';

/** Routes that carry stored data in bulk take larger bodies. */
const BULK = { maxBodyBytes: S2S_BULK_BODY_BYTES };

export const CmsPaths = {
  replica: '/s2s/v1/cms/replica',
  standby: '/s2s/v1/cms/standby',
  commit: '/s2s/v1/cms/commit',
  status: '/s2s/v1/cms/status',
  hello: '/s2s/v1/cms/hello',
  drain: '/s2s/v1/cms/drain',
  demote: '/s2s/v1/cms/demote',
  promote: '/s2s/v1/cms/promote',
  storeMeta: '/s2s/v1/cms/store-meta',
  replicaMeta: '/s2s/v1/cms/replica-meta',
  divergent: '/s2s/v1/cms/divergent',
} as const;

/** Pushes to a target: its own replica in-process, everything else over a link. */
export function cmsTransport(self: string, replica: CmsReplica, peer: PeerClient): CmsTransport {
  return {
    async push(target: CmsPushTarget, batch: CmsBatch): Promise<CmsApplyResult> {
      if (target.server === self && target.kind === 'replica') return replica.apply(batch);
      const path = target.kind === 'replica' ? CmsPaths.replica : CmsPaths.standby;
      // A batch is small; a snapshot carries the whole store. A copy that does not answer in time is
      // treated as unreachable (not waited for) until it answers again.
      const res = await peer.post(target.server, path, batch, { timeoutMs: batch.snapshot ? 30_000 : 3_000 });
      return CmsApplyResultSchema.parse(res);
    },
  };
}

export function cmsRemote(peer: PeerClient): CmsRemote {
  return {
    async commitAt(server: string, writes: readonly CmsWrite[]) {
      const res = await peer.post(server, CmsPaths.commit, { writes }, { timeoutMs: 15_000 });
      return z.object({ version: z.number() }).parse(res);
    },
    async helloAt(server: string, self: string) {
      const res = await peer.post(server, CmsPaths.hello, { server: self }, { timeoutMs: 8_000 });
      return z.object({ upToDate: z.boolean() }).parse(res);
    },
    async statusAt(server: string, timeoutMs = 5_000): Promise<CmsStatusReport> {
      const res = await peer.post(server, CmsPaths.status, {}, { timeoutMs });
      const parsed = CmsStatusReportSchema.parse(res);
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
}): S2sRoutes {
  return {
    [CmsPaths.drain]: route(
      z.object({ timeoutMs: z.number().int().min(0).max(300_000) }),
      async ({ timeoutMs }) => {
        const master = opts.cms.localMaster();
        if (!master) throw new TandemError('CMS_NOT_MASTER', { master: opts.cms.masterPool() });
        await master.drain(timeoutMs, (t) => t.kind === 'standby');
        return { version: master.meta().version };
      },
    ),
    [CmsPaths.demote]: route(z.object({ newMasterPool: z.string().min(1) }), ({ newMasterPool }) =>
      opts.failover.demote(newMasterPool),
    ),
    [CmsPaths.promote]: route(z.object({ settleMs: z.number().int().min(0).max(30_000).default(0) }), (b) =>
      opts.failover.promote(b.settleMs),
    ),
    [CmsPaths.storeMeta]: route(z.object({}).passthrough(), async () => ({
      meta: (await opts.failover.storeMeta()) ?? null,
    })),
    [CmsPaths.replicaMeta]: route(z.object({}).passthrough(), async () => opts.cms.replica.meta()),
    [CmsPaths.divergent]: route(z.object({}).passthrough(), async () => ({
      docs: await opts.poolStore.cms.divergent(),
    })),
    [CmsPaths.replica]: route(CmsBatchSchema, (batch) => opts.cms.replica.apply(batch), BULK),
    [CmsPaths.standby]: route(CmsBatchSchema, (batch) => applyToStandby(opts.poolStore.cms, batch), BULK),
    [CmsPaths.commit]: route(
      CmsCommitRequestSchema,
      async (body) => {
        const master = opts.cms.localMaster();
        if (!master) throw new TandemError('CMS_NOT_MASTER', { master: opts.cms.masterPool() });
        return { version: await master.commit(body.writes) };
      },
      BULK,
    ),
    [CmsPaths.hello]: route(z.object({ server: z.string().min(1) }), async ({ server }) => {
      const master = opts.cms.localMaster();
      if (!master) throw new TandemError('CMS_NOT_MASTER', { master: opts.cms.masterPool() });
      return { upToDate: await master.welcome(server, 5_000) };
    }),
    [CmsPaths.status]: route(z.object({}).passthrough(), async () => {
      if (!opts.cms.localMaster()) throw new TandemError('CMS_NOT_MASTER', { master: opts.cms.masterPool() });
      const report = await opts.cms.replicationStatus(opts.self);
      return {
        ...report,
        targets: report.targets.map((t) => ({ ...t, lastError: t.lastError ?? undefined })),
      };
    }),
  };
}
