/** @module Admin API handlers of the registrar configuration cmdlets. */
import type { HandlerTable } from '../cmdlet-handler.js';
import { param } from '../cmdlet-handler.js';
import { requirePool } from '../../topology/topology-lookups.js';
import { stripIdentityPrefix } from '../../deployment/topology-publication.js';
import { formatTimeSpan } from '../../timing/timespan.js';

export function registrarHandlers(): HandlerTable {
  return {
    async 'Get-CsRegistrarConfiguration'(params, ctx) {
      const t = ctx.topology();
      const id = param.str(params, 'Identity');
      const pools = id
        ? [requirePool(t, stripIdentityPrefix(stripIdentityPrefix(id, 'service'), 'Registrar'))]
        : t.pools;
      return {
        records: pools.map((p) => {
          const s = ctx.cms.view.poolState(p.fqdn);
          return {
            Identity: `service:Registrar:${p.fqdn}`,
            PoolState: s.state,
            PoolStateEpoch: s.epoch,
            ServedByPool: s.servedBy,
            PoolStateSince: s.since ? new Date(s.since) : '',
            BackupPool: p.backupPool ?? '',
            FailureDetectionInterval: formatTimeSpan(p.registrar.failureDetectionMs),
            FallbackDetectionInterval: formatTimeSpan(p.registrar.fallbackDetectionMs),
            // Unset: each server derives it from its open-file limit (docs/operations.md).
            MaxConnections: p.registrar.maxConnections ?? 'FromDescriptorLimit',
            MaxConnectionsPerAddress: p.registrar.maxConnectionsPerAddress,
          };
        }),
        view: 'list',
      };
    },
  };
}
