/** @module Admin API handler of Get-CsPoolFabricState: a pool's front ends and the holders of its duties. */
import type { HandlerTable } from '../cmdlet-handler.js';
import { param } from '../cmdlet-handler.js';
import { requirePool } from '../../topology/topology-lookups.js';
import type { PoolDutiesView } from '../../s2s/duty-links.js';

export function poolDutyHandlers(
  duties: (servers: readonly string[]) => Promise<PoolDutiesView>,
): HandlerTable {
  return {
    async 'Get-CsPoolFabricState'(params, ctx) {
      const pool = requirePool(ctx.topology(), param.requireStr(params, 'PoolFqdn'));
      const view = await duties(pool.servers.map((s) => s.fqdn));
      const frontEnds = view.frontEnds.map((f) => ({
        PoolFqdn: pool.fqdn,
        FrontEnd: f.server,
        State: f.up ? 'Up' : 'Down',
        UsersServed: f.usersServed,
        Duties: f.holds.map((h) => `${h.duty} (epoch ${h.epoch})`).join(', '),
      }));
      const duty = view.records.map((r) => ({
        PoolFqdn: pool.fqdn,
        Duty: r.duty,
        Holder: r.held ? r.holder : `(none; last ${r.holder})`,
        Epoch: r.epoch,
        Since: new Date(r.since),
      }));
      return { records: [...frontEnds, ...duty], view: 'list' };
    },
  };
}
