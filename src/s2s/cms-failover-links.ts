/** @module CMS failover over server-to-server links: the ports the orchestration runs on. */
import type { CmsFailoverPorts } from '../cms/cms-failover.js';
import type { CmsService } from '../cms/cms-service.js';
import { everyReachable, firstAnswering } from '../topology/pool-reach.js';
import { allServers, poolServerFqdns } from '../topology/topology-lookups.js';
import { TandemError, toTandemError } from '../errors/index.js';
import { CmsContracts } from './cms-links.js';
import type { PeerClient } from './peer-client.js';

const MASTER_PROBE_MS = 1_000;

/**
 * A pool's CMS copy is in its shared store, and one front end holds its cms-master duty: the others answer
 * DUTY_HELD_ELSEWHERE (or CMS_NOT_MASTER), and the call moves on through the pool's servers, as past one that is down.
 */
const toTheAgent = {
  movesOn: (e: TandemError) =>
    e.code === 'S2S_UNREACHABLE' || e.code === 'DUTY_HELD_ELSEWHERE' || e.code === 'CMS_NOT_MASTER',
};

export function cmsFailoverPorts(cms: CmsService, peer: PeerClient, self: string): CmsFailoverPorts {
  const agentsOf = (pool: string): string[] => {
    const servers = poolServerFqdns(cms.topology(), pool);
    if (servers.length === 0)
      throw new TandemError('UNKNOWN_POOL', {
        pool,
        known: cms
          .topology()
          .pools.map((p) => p.fqdn)
          .join(', '),
      });
    return servers;
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
      await firstAnswering(
        cms.masterAgents(),
        (s) => peer.call(s, CmsContracts.drain, { timeoutMs }, { timeoutMs: timeoutMs + 5_000 }),
        toTheAgent,
      );
    },
    demoteMaster: (newMasterPool) =>
      firstAnswering(
        cms.masterAgents(),
        (s) => peer.call(s, CmsContracts.demote, { newMasterPool }),
        toTheAgent,
      ),
    promote: (pool, settleMs) =>
      firstAnswering(
        agentsOf(pool),
        (s) => peer.call(s, CmsContracts.promote, { settleMs }, { timeoutMs: 15_000 + settleMs }),
        toTheAgent,
      ),
    async storeMeta(pool) {
      try {
        // Any front end of the pool reads the pool's store.
        return (
          (await firstAnswering(agentsOf(pool), (s) => peer.call(s, CmsContracts.storeMeta, {}))).meta ??
          undefined
        );
      } catch (err) {
        if (toTandemError(err).code === 'S2S_UNREACHABLE') return undefined;
        throw err;
      }
    },
    async replicaMetas() {
      const servers = allServers(cms.topology()).map((s) => s.fqdn);
      // An unreachable replica, or one that answers what this server cannot read, tells nothing.
      const metas = await everyReachable(
        servers,
        (s) => peer.call(s, CmsContracts.replicaMeta, {}, { timeoutMs: MASTER_PROBE_MS }),
        { concurrent: true, skips: () => true },
      );
      return metas.map(({ server, answer }) => ({ server, version: answer.version, epoch: answer.epoch }));
    },
  };
}
