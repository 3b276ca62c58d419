/** @module Admin API handlers of the Central Management Store cmdlets. */
import { redactJson } from '../../logging/redact-json.js';
import type { HandlerTable } from '../cmdlet-handler.js';
import { param } from '../cmdlet-handler.js';
import { TandemError, toTandemError } from '../../errors/index.js';
import { PRODUCT_VERSION } from '../product.js';
import { cmsFailover, cmsFailoverPlan, standbyPool, type CmsFailoverPorts } from '../../cms/cms-failover.js';
import type { CmsDoc } from '../../storage/index.js';
import { requirePool } from '../../topology/topology-lookups.js';

/** A replica is active once it answered the current master, and while its last push did not fail. */
function answering(t: { lastError?: string | undefined; lastStatusReport: number }): boolean {
  return !t.lastError && t.lastStatusReport > 0;
}

export function cmsHandlers(): HandlerTable {
  return {
    async 'Get-CsManagementStoreReplicationStatus'(params, ctx) {
      if (param.bool(params, 'CentralManagementStoreStatus')) {
        try {
          const s = await ctx.cms.replicationStatus(ctx.serverFqdn);
          return {
            records: [
              {
                ActiveMasterFqdn: s.activeMasterPool,
                ActiveFileTransferAgents: s.fileTransferAgents,
                ActiveReplicas: s.targets
                  .filter((t) => t.kind === 'replica' && answering(t))
                  .map((t) => t.server),
                InactiveReplicas: s.targets
                  .filter((t) => t.kind === 'replica' && !answering(t))
                  .map((t) => t.server),
                StandbyCopies: s.targets.filter((t) => t.kind === 'standby').map((t) => t.server),
                DeletedReplicas: [],
                MasterVersion: s.version,
                MasterEpoch: s.epoch,
                LastHeartbeats: s.targets.map(
                  (t) =>
                    `${t.server}${t.kind === 'standby' ? ' (standby)' : ''}=${t.lastStatusReport ? new Date(t.lastStatusReport).toISOString() : 'never'}`,
                ),
              },
            ],
            view: 'list',
          };
        } catch (err) {
          const e = toTandemError(err);
          if (e.code !== 'CMS_UNAVAILABLE') throw e;
          // Lync's pool failover procedure: both fields empty is the administrator's signal that the CMS must be failed over.
          ctx.warn(`The CMS master (${ctx.cms.masterPool()}) cannot be reached from ${ctx.serverFqdn}.`);
          return {
            records: [
              {
                ActiveMasterFqdn: '',
                ActiveFileTransferAgents: '',
                ActiveReplicas: [],
                DeletedReplicas: [],
                LastHeartbeats: [],
              },
            ],
            view: 'list',
          };
        }
      }
      const s = await ctx.cms.replicationStatus(ctx.serverFqdn);
      const only = param.str(params, 'ReplicaFqdn');
      // Replicas that stopped answering (a lost site) are inactive: listed when asked for by name, and by
      // -CentralManagementStoreStatus; the list shows the active ones, as an administrator checks them.
      const replicas = s.targets.filter(
        (t) => t.kind === 'replica' && (only ? t.server === only : answering(t)),
      );
      const inactive = s.targets
        .filter((t) => t.kind === 'replica' && !only && !answering(t))
        .map((t) => t.server);
      if (inactive.length > 0) ctx.warn(`Inactive replicas (not answering): ${inactive.join(', ')}.`);
      if (only && replicas.length === 0)
        throw new TandemError('NOT_FOUND', { what: 'CMS replica', name: only });
      return {
        records: replicas.map((t) => ({
          UpToDate: t.upToDate,
          ReplicaFqdn: t.server,
          LastStatusReport: t.lastStatusReport ? new Date(t.lastStatusReport) : '',
          LastUpdateCreation: new Date(s.lastUpdateCreation),
          ProductVersion: PRODUCT_VERSION,
        })),
        view: 'list',
      };
    },
  };
}

/** Handlers that need links to other servers: CMS failover, divergent CMS writes, database state. */
export function cmsFailoverHandlers(
  ports: CmsFailoverPorts,
  divergentAt: (pool: string) => Promise<CmsDoc[]>,
): HandlerTable {
  return {
    async 'Invoke-CsManagementServerFailover'(params, ctx) {
      const named = param.str(params, 'BackupSqlServerFqdn') ?? param.str(params, 'MirrorSqlServerFqdn');
      if (ctx.common.whatIf) {
        const up = await ports.masterReachable();
        const plan = cmsFailoverPlan(ports, named, up);
        return {
          records: [
            {
              CentralManagementStorePool: ports.masterPool(),
              MasterAnswers: up,
              StandbyPool: standbyPool(ports, named),
              Plan: plan.map((p) => `${p.step}. ${p.action}`),
            },
          ],
          view: 'list',
        };
      }
      const r = await cmsFailover(ports, named, { verbose: (m) => ctx.verbose(m), warn: (m) => ctx.warn(m) });
      return {
        records: [
          {
            PreviousMasterPool: r.previousMasterPool,
            ActiveMasterFqdn: r.newMasterPool,
            Mode: r.mode === 'planned' ? 'Planned' : 'Disaster',
            Epoch: r.epoch,
            Version: r.version,
            Seconds: r.seconds,
            PossiblyLostVersions: r.possiblyLostVersions,
          },
        ],
        view: 'list',
      };
    },

    async 'Get-CsManagementStoreDivergentChange'(params, ctx) {
      const pool = requirePool(ctx.topology(), param.requireStr(params, 'PoolFqdn')).fqdn;
      const docs = await divergentAt(pool);
      return {
        records: docs.map((d) => ({
          Key: d.key,
          Version: d.version,
          Epoch: d.epoch,
          Deleted: d.value === null,
          // A user's or administrator's document holds a password or secret hash: never shown.
          Value: redactJson(d.value ?? '').slice(0, 120),
        })),
        view: 'table',
      };
    },

    async 'Get-CsDatabaseMirrorState'(params, ctx) {
      // A Tandem pool has one store, the principal; the CMS standby copy lives in the backup pool's store.
      const pool = requirePool(ctx.topology(), param.requireStr(params, 'PoolFqdn'));
      const type = param.requireStr(params, 'DatabaseType');
      const store = pool.store.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL';
      return {
        records: [
          {
            PoolFqdn: pool.fqdn,
            DatabaseName: type.toLowerCase() === 'centralmgmt' ? 'cms' : type.toLowerCase(),
            StateOnPrimary: 'Principal',
            StateOnMirror: 'NotMirrored',
            MirroringStatusOnPrimary: `single ${store} store`,
            MirroringStatusOnMirror: '',
            PrimaryServerFqdn: pool.servers[0]?.fqdn ?? pool.fqdn,
          },
        ],
        view: 'list',
      };
    },
  };
}
