/** @module Admin API handlers of the Central Management Store cmdlets. */
import type { HandlerTable } from '../cmdlet-handler.js';
import { param } from '../cmdlet-handler.js';
import { TandemError, toTandemError } from '../../errors/index.js';
import { PRODUCT_VERSION } from '../../util/product.js';

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
                ActiveReplicas: s.targets.filter((t) => t.kind === 'replica').map((t) => t.server),
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
          // Seed 001: both fields empty is the administrator's signal that the CMS must be failed over.
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
      const replicas = s.targets.filter((t) => t.kind === 'replica' && (!only || t.server === only));
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
