/** @module CMS failover over server-to-server links: the ports the orchestration runs on. */
import type { CmsFailoverPorts } from '../cms/cms-failover.js';
import type { CmsService } from '../cms/cms-service.js';
import type { CmsMeta } from '../storage/index.js';
import { allServers, findPool } from '../topology/topology-lookups.js';
import { TandemError, toTandemError } from '../errors/index.js';
import { CmsPaths } from './cms-links.js';
import { firstReachable } from './backup-links.js';
import type { PeerClient } from './peer-client.js';

const MASTER_PROBE_MS = 1_000;

export function cmsFailoverPorts(cms: CmsService, peer: PeerClient, self: string): CmsFailoverPorts {
  const agentOf = (pool: string): string => {
    const first = findPool(cms.topology(), pool)?.servers[0]?.fqdn;
    if (!first)
      throw new TandemError('UNKNOWN_POOL', {
        pool,
        known: cms
          .topology()
          .pools.map((p) => p.fqdn)
          .join(', '),
      });
    return first;
  };
  return {
    topology: () => cms.topology(),
    masterPool: () => cms.masterPool(),
    async masterReachable() {
      try {
        // Short: a lost site often drops packets rather than refusing, and the failover must not wait on it.
        await cms.replicationStatus(self, MASTER_PROBE_MS);
        return true;
      } catch (err) {
        if (toTandemError(err).code === 'CMS_UNAVAILABLE') return false;
        throw err;
      }
    },
    async drainStandby(timeoutMs) {
      await firstReachable(cms.masterAgents(), (s) =>
        peer.post(s, CmsPaths.drain, { timeoutMs }, { timeoutMs: timeoutMs + 5_000 }),
      );
    },
    demoteMaster: (newMasterPool) =>
      firstReachable(cms.masterAgents(), (s) => peer.post<CmsMeta>(s, CmsPaths.demote, { newMasterPool })),
    promote: (pool, settleMs) =>
      peer.post<CmsMeta>(agentOf(pool), CmsPaths.promote, { settleMs }, { timeoutMs: 15_000 + settleMs }),
    async storeMeta(pool) {
      try {
        return (
          (await peer.post<{ meta: CmsMeta | null }>(agentOf(pool), CmsPaths.storeMeta, {})).meta ?? undefined
        );
      } catch (err) {
        if (toTandemError(err).code === 'S2S_UNREACHABLE') return undefined;
        throw err;
      }
    },
    async replicaMetas() {
      const out: { server: string; version: number; epoch: number }[] = [];
      await Promise.all(
        allServers(cms.topology()).map(async (s) => {
          try {
            const m = await peer.post<CmsMeta>(
              s.fqdn,
              CmsPaths.replicaMeta,
              {},
              { timeoutMs: MASTER_PROBE_MS },
            );
            out.push({ server: s.fqdn, version: m.version, epoch: m.epoch });
          } catch {
            // An unreachable replica tells nothing.
          }
        }),
      );
      return out;
    },
  };
}
